//! Per-frame, per-thread bump arenas for call temporaries: struct buffers built from tables,
//! point arrays, out-parameter slots and libffi's argument-pointer arrays.
//!
//! Contract:
//! - Every thread that calls into C gets its own arena (`thread_local::ThreadLocal`); the
//!   memory of threads that end is kept for reuse and freed when the process's arenas drop.
//! - Allocation is a pointer bump; the arena is reset once per frame by [`end_frame`]
//!   (the runtime calls it after `EndDrawing`). bumpalo's reset keeps the largest chunk, so a
//!   warmed-up frame makes no system allocation.
//! - It is also reset, frame or no frame, when a call needing scratch starts while no other
//!   call holds arena memory and more than [`RESET_BYTES`] were handed out since the last
//!   reset: a script that makes its calls before the first frame, or never draws, stays
//!   bounded too. The test is one comparison in [`CallScope::enter`], which only calls with
//!   arrays or out-parameters make; the common call has no scope at all.
//! - Nothing allocated here may outlive the call that allocated it: converters hand the memory
//!   to C for the duration of one call and copy results out before returning to Lua.
//! - Nested use (C calling back into Lua calling C) is safe: a reset is refused while any
//!   call on this thread is in flight ([`CallScope`] holds a shared borrow of the arena, a
//!   reset needs an exclusive one), and happens at the next frame end. Spans borrow their
//!   scope, so the compiler keeps them from outliving it.

use std::cell::{Cell, Ref, RefCell};
use std::sync::LazyLock;

use bumpalo::Bump;
use thread_local::ThreadLocal;

use crate::ffi::memory::CMem;

#[derive(Default)]
struct Arena {
    /// Borrowed (shared) by every live [`CallScope`]; reset takes it exclusively, so a reset
    /// while any scope lives is impossible, not merely refused.
    bump: RefCell<Bump>,
    /// Bytes handed out since the last reset.
    used: Cell<usize>,
    /// Bytes this frame handed out before resets in the middle of it ([`RESET_BYTES`]).
    carried: Cell<usize>,
    /// Bytes used by the last finished frame, and the most any frame used.
    last_frame: Cell<usize>,
    peak: Cell<usize>,
}

static ARENAS: LazyLock<ThreadLocal<Arena>> = LazyLock::new(ThreadLocal::new);

/// Handed-out bytes past which the next outermost call resets the arena (between frames or
/// within one): 4 MiB, far above what a frame of ordinary calls uses (a few KiB), so frames
/// keep their one reset, and low enough that calls made outside frames cannot grow it.
pub const RESET_BYTES: usize = 4 << 20;

#[inline]
fn arena() -> &'static Arena {
    ARENAS.get_or_default()
}

/// A call in flight on this thread, and where its temporaries come from: the frame arena,
/// or (the `heap` mode, for comparison) one heap allocation each, freed when the scope ends.
/// Every span it hands out borrows the scope, so none outlives it.
pub struct CallScope {
    arena: &'static Arena,
    source: Source,
}

enum Source {
    Frame(Ref<'static, Bump>),
    Heap(typed_arena::Arena<Box<[u128]>>),
}

impl CallScope {
    /// A scope over this thread's frame arena.
    #[inline]
    pub fn enter() -> CallScope {
        let arena = arena();
        if arena.used.get() > RESET_BYTES {
            reset_between_calls(arena);
        }
        CallScope {
            arena,
            source: Source::Frame(arena.bump.borrow()),
        }
    }

    /// A scope whose temporaries come from the heap: one `malloc` per temporary.
    pub fn enter_heap() -> CallScope {
        CallScope {
            arena: arena(),
            source: Source::Heap(typed_arena::Arena::with_capacity(4)),
        }
    }

    /// `size` zeroed bytes, 16-byte aligned (every C alignment raylib uses), for this call.
    #[inline]
    pub fn alloc(&self, size: usize) -> CMem<'_> {
        let words = size.div_ceil(16).max(1);
        self.arena.used.set(self.arena.used.get() + words * 16);
        let block: &mut [u128] = match &self.source {
            Source::Frame(bump) => bump.alloc_slice_fill_copy(words, 0u128),
            Source::Heap(list) => alloc_heap(list, words),
        };
        CMem::from_u128s(block, size)
    }
}

/// Resets the arena before a call if no call holds its memory (a call in flight, when C
/// called back into Lua, keeps it until later), counting what was used towards the frame.
#[cold]
#[inline(never)]
fn reset_between_calls(arena: &Arena) {
    if let Ok(mut bump) = arena.bump.try_borrow_mut() {
        bump.reset();
        arena.carried.set(arena.carried.get() + arena.used.get());
        arena.used.set(0);
    }
}

/// One heap block per temporary, owned by the scope until it ends.
#[cold]
fn alloc_heap(list: &typed_arena::Arena<Box<[u128]>>, words: usize) -> &mut [u128] {
    list.alloc(vec![0u128; words].into_boxed_slice())
}

/// Ends this thread's frame: records its usage and resets the arena, unless a call is still
/// in flight (then the memory is kept until the next frame end). Returns whether it reset.
pub fn end_frame() -> bool {
    let arena = arena();
    let used = arena.carried.get() + arena.used.get();
    arena.last_frame.set(used);
    arena.peak.set(arena.peak.get().max(used));
    match arena.bump.try_borrow_mut() {
        Ok(mut bump) => {
            bump.reset();
            arena.used.set(0);
            arena.carried.set(0);
            true
        }
        Err(_) => false,
    }
}

/// Arena usage on this thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArenaStats {
    /// Bytes handed out so far in the current frame.
    pub current: usize,
    /// Bytes the last finished frame used.
    pub last_frame: usize,
    /// The most any frame used.
    pub peak: usize,
    /// Bytes the arena holds from the system (its chunks).
    pub capacity: usize,
}

pub fn stats() -> ArenaStats {
    let arena = arena();
    let current = arena.carried.get() + arena.used.get();
    ArenaStats {
        current,
        last_frame: arena.last_frame.get(),
        peak: arena.peak.get().max(current),
        capacity: arena
            .bump
            .try_borrow()
            .map(|b| b.allocated_bytes())
            .unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_is_refused_during_a_call_and_happens_after() {
        std::thread::spawn(|| {
            // A new thread may reuse the arena of one that ended (thread ids are recycled):
            // start from a finished frame.
            assert!(end_frame());
            let scope = CallScope::enter();
            let p = scope.alloc(64);
            assert_eq!(p.as_ptr() as usize % 16, 0);
            assert!(!end_frame(), "no reset while a call holds arena memory");
            assert_eq!(stats().current, 64);
            drop(scope);
            assert!(end_frame());
            let s = stats();
            assert_eq!((s.current, s.last_frame), (0, 64));
            assert!(s.peak >= 64);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn each_thread_has_its_own_arena() {
        // Two threads at once: separate arenas, separate counts.
        let a = std::thread::spawn(|| {
            end_frame();
            let scope = CallScope::enter();
            scope.alloc(1000);
            stats().current
        });
        let b = std::thread::spawn(|| {
            end_frame();
            let scope = CallScope::enter();
            scope.alloc(24);
            stats().current
        });
        assert_eq!((a.join().unwrap(), b.join().unwrap()), (1008, 32));
    }

    #[test]
    fn calls_outside_frames_stay_bounded() {
        std::thread::spawn(|| {
            end_frame();
            // 64 MiB of temporaries in 1 KiB calls and no frame end: the arena holds a
            // bounded amount (the reset keeps its largest chunk), and the calls still count.
            for _ in 0..65536 {
                let scope = CallScope::enter();
                scope.alloc(1024);
            }
            let s = stats();
            assert_eq!(s.current, 64 << 20);
            assert!(s.capacity <= 4 * RESET_BYTES, "{} bytes held", s.capacity);
            // A call in flight keeps its memory: no reset under it.
            let outer = CallScope::enter();
            let p = outer.alloc(16);
            for _ in 0..8192 {
                let inner = CallScope::enter();
                inner.alloc(1024);
            }
            assert_eq!(p.len(), 16);
            drop(outer);
            assert!(end_frame());
            assert_eq!(stats().last_frame, (64 << 20) + 16 + (8 << 20));
        })
        .join()
        .unwrap();
    }

    #[test]
    fn warmed_up_frames_reuse_the_chunk() {
        std::thread::spawn(|| {
            for _ in 0..3 {
                let scope = CallScope::enter();
                for _ in 0..100 {
                    scope.alloc(100);
                }
                drop(scope);
                end_frame();
            }
            let cap = stats().capacity;
            let scope = CallScope::enter();
            for _ in 0..100 {
                scope.alloc(100);
            }
            drop(scope);
            end_frame();
            assert_eq!(stats().capacity, cap, "no new chunk once warmed up");
        })
        .join()
        .unwrap();
    }
}
