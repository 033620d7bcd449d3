//! Per-frame, per-thread bump arenas for call temporaries: struct buffers built from tables,
//! point arrays, out-parameter slots and libffi's argument-pointer arrays.
//!
//! Contract:
//! - Every thread that calls into C gets its own arena (`thread_local::ThreadLocal`); the
//!   memory of threads that end is kept for reuse and freed when the process's arenas drop.
//! - Allocation is a pointer bump; the arena is reset once per frame by [`end_frame`]
//!   (the runtime calls it after `EndDrawing`). bumpalo's reset keeps the largest chunk, so a
//!   warmed-up frame makes no system allocation.
//! - Nothing allocated here may outlive the call that allocated it: converters hand the memory
//!   to C for the duration of one call and copy results out before returning to Lua.
//! - Nested use (C calling back into Lua calling C) is safe: a reset is refused while any
//!   call on this thread is in flight ([`CallScope`]), and happens at the next frame end.

use std::cell::{Cell, RefCell};
use std::ptr::NonNull;
use std::sync::LazyLock;

use bumpalo::Bump;
use thread_local::ThreadLocal;

#[derive(Default)]
struct Arena {
    bump: RefCell<Bump>,
    /// Calls in flight on this thread that may hold arena memory.
    depth: Cell<u32>,
    /// Bytes handed out since the last reset.
    used: Cell<usize>,
    /// Bytes used by the last finished frame, and the most any frame used.
    last_frame: Cell<usize>,
    peak: Cell<usize>,
}

static ARENAS: LazyLock<ThreadLocal<Arena>> = LazyLock::new(ThreadLocal::new);

#[inline]
fn arena() -> &'static Arena {
    ARENAS.get_or_default()
}

/// Marks a call in flight on this thread for as long as it lives, and hands out its
/// temporaries: from the frame arena, or (the `heap` mode, for comparison) from the global
/// allocator, freed when the scope ends.
pub struct CallScope {
    arena: &'static Arena,
    /// Heap mode's allocations, freed on drop. Empty (and never allocated) in arena mode.
    heap: Option<RefCell<Vec<Box<[u128]>>>>,
}

impl CallScope {
    #[inline]
    pub fn enter() -> CallScope {
        let arena = arena();
        arena.depth.set(arena.depth.get() + 1);
        CallScope { arena, heap: None }
    }

    /// A scope whose temporaries come from the heap: one `malloc` per temporary.
    pub fn enter_heap() -> CallScope {
        let mut scope = CallScope::enter();
        scope.heap = Some(RefCell::new(Vec::new()));
        scope
    }

    /// Allocates `size` bytes aligned to `align` (a power of two) for this call.
    #[inline]
    pub fn alloc(&self, size: usize, align: usize) -> NonNull<u8> {
        let layout = std::alloc::Layout::from_size_align(size.max(1), align)
            .expect("layouts come from C types");
        self.arena.used.set(self.arena.used.get() + layout.size());
        match &self.heap {
            None => self.arena.bump.borrow().alloc_layout(layout),
            Some(list) => self.alloc_heap(list, layout),
        }
    }

    /// One heap block per temporary, 16-byte aligned (u128), owned by the scope: its address
    /// stays fixed while the box lives, and it is freed when the scope drops.
    #[cold]
    fn alloc_heap(
        &self,
        list: &RefCell<Vec<Box<[u128]>>>,
        layout: std::alloc::Layout,
    ) -> NonNull<u8> {
        debug_assert!(layout.align() <= 16);
        let mut block = vec![0u128; layout.size().div_ceil(16)].into_boxed_slice();
        let ptr = NonNull::new(block.as_mut_ptr().cast::<u8>()).expect("boxes are non-null");
        list.borrow_mut().push(block);
        ptr
    }
}

impl Drop for CallScope {
    #[inline]
    fn drop(&mut self) {
        // Heap mode's blocks are freed here, with the scope's list.
        drop(self.heap.take());
        self.arena.depth.set(self.arena.depth.get() - 1);
    }
}

/// Ends this thread's frame: records its usage and resets the arena, unless a call is still
/// in flight (then the memory is kept until the next frame end). Returns whether it reset.
pub fn end_frame() -> bool {
    let arena = arena();
    let used = arena.used.get();
    arena.last_frame.set(used);
    arena.peak.set(arena.peak.get().max(used));
    if arena.depth.get() != 0 {
        return false;
    }
    match arena.bump.try_borrow_mut() {
        Ok(mut bump) => {
            bump.reset();
            arena.used.set(0);
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
    ArenaStats {
        current: arena.used.get(),
        last_frame: arena.last_frame.get(),
        peak: arena.peak.get().max(arena.used.get()),
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
            let p = scope.alloc(64, 8);
            assert_eq!(p.as_ptr() as usize % 8, 0);
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
            scope.alloc(1000, 8);
            stats().current
        });
        let b = std::thread::spawn(|| {
            end_frame();
            let scope = CallScope::enter();
            scope.alloc(24, 8);
            stats().current
        });
        assert_eq!((a.join().unwrap(), b.join().unwrap()), (1000, 24));
    }

    #[test]
    fn warmed_up_frames_reuse_the_chunk() {
        std::thread::spawn(|| {
            for _ in 0..3 {
                let scope = CallScope::enter();
                for _ in 0..100 {
                    scope.alloc(100, 8);
                }
                drop(scope);
                end_frame();
            }
            let cap = stats().capacity;
            let scope = CallScope::enter();
            for _ in 0..100 {
                scope.alloc(100, 8);
            }
            drop(scope);
            end_frame();
            assert_eq!(stats().capacity, cap, "no new chunk once warmed up");
        })
        .join()
        .unwrap();
    }
}
