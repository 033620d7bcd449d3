//! A pool for the small blocks of a Lua state (Lua 5.4 or LuaJIT), installed in front of the
//! state's own allocator (mlua's, on both builds: LuaJIT under mlua does not use its own).
//!
//! Why: a game loop that calls functions returning structs makes and frees tens of thousands
//! of small userdata a frame (structstorm: ~35,000 of 56 bytes), and Lua's collector frees
//! them in bursts; on LuaJIT the struct values are cdata, made and freed alike. glibc's
//! malloc keeps such blocks in singly linked lists threaded through the freed blocks
//! themselves, so taking one reads a block that has long left the cache, and refilling its
//! per-thread cache walks several of them in a row (perf on structstorm: `_int_malloc` 16%
//! of the Lua 5.4 frame, 18% of the LuaJIT jit frame). Here each size class keeps the addresses of its free
//! blocks in an array used as a stack: taking a block reads only the array's top, never the
//! block, and new blocks are carved from slabs in address order.
//!
//! Contract:
//! - Blocks of up to [`MAX_SMALL`] bytes come from the pool, in classes of [`GRAIN`] bytes;
//!   larger ones go to the allocator that was installed before (the backing allocator), and
//!   so does every block the state made before the pool was installed. A block is the pool's
//!   exactly when its address lies in one of the pool's slabs.
//! - Slabs are allocated through the backing allocator too, so mlua's memory limit
//!   (`--memory-limit`) counts them in full: memory the pool holds for reuse stays counted.
//!   Lua's own count (`collectgarbage("count")`) is what Lua asked for, as before.
//! - A refused slab is a refused allocation: Lua then collects in an emergency and tries
//!   again, when the freed blocks are back in the pool.
//! - The pool gives its slabs back only when it is dropped, after the state has closed.

use std::ffi::c_void;
use std::ptr::null_mut;

use mlua::ffi as lua;

/// Size classes are multiples of this (Lua needs 8-byte alignment; 16 keeps every block
/// aligned as the backing allocator's are).
const GRAIN: usize = 16;
/// The largest block the pool serves: a struct value (56 bytes for a Vector2), a table (56),
/// small strings, closures and hash parts of up to 8 nodes.
pub const MAX_SMALL: usize = 256;
const CLASSES: usize = MAX_SMALL / GRAIN;
/// The cache line blocks of its multiples are aligned to.
const CACHE_LINE: usize = 64;
/// Bytes a slab holds.
const SLAB: usize = 256 * 1024;

/// The pool's state, reached by Lua through the allocator's user pointer.
struct Pool {
    backing: lua::lua_Alloc,
    backing_ud: *mut c_void,
    /// Free blocks of each class (class `c` holds blocks of `(c + 1) * GRAIN` bytes).
    free: [Vec<*mut u8>; CLASSES],
    /// The unused rest of the newest slab.
    bump: usize,
    end: usize,
    /// Every slab's start, in increasing order.
    slabs: Vec<usize>,
}

/// The class of a block of `size` bytes (1 to `MAX_SMALL`).
#[inline(always)]
fn class(size: usize) -> usize {
    (size - 1) / GRAIN
}

impl Pool {
    /// Whether `p` lies in one of the pool's slabs.
    #[inline]
    fn owns(&self, p: *mut u8) -> bool {
        let p = p as usize;
        let i = self.slabs.partition_point(|&s| s <= p);
        i > 0 && p < self.slabs[i - 1] + SLAB
    }

    /// The backing allocator, with Lua's arguments.
    ///
    /// # Safety
    /// As `lua_Alloc`: `ptr` null or a block the backing allocator made of `osize` bytes.
    #[inline]
    unsafe fn backing(&self, ptr: *mut c_void, osize: usize, nsize: usize) -> *mut c_void {
        // SAFETY: the backing allocator and its user pointer are the state's own, which
        // stay valid for the state's life and the pool's (mlua leaves its memory state to
        // the allocator that replaced its own; see `install`); arguments as the contract.
        unsafe { (self.backing)(self.backing_ud, ptr, osize, nsize) }
    }

    /// A block for `nsize` bytes (more than 0); `tag` is Lua's `osize` for new blocks (the
    /// type of object, passed on to the backing allocator).
    #[inline]
    fn alloc(&mut self, tag: usize, nsize: usize) -> *mut u8 {
        if nsize > MAX_SMALL {
            // SAFETY: a new block (null pointer), as Lua asks for it.
            return unsafe { self.backing(null_mut(), tag, nsize) } as *mut u8;
        }
        let c = class(nsize);
        match self.free[c].pop() {
            Some(b) => b,
            None => self.carve((c + 1) * GRAIN),
        }
    }

    /// A new block of `size` bytes from the newest slab, or a new slab. Blocks of a multiple
    /// of 64 bytes start on a 64-byte boundary, so each 64-byte one (a `Vector2` or
    /// `Rectangle` struct value) is one cache line.
    #[cold]
    fn carve(&mut self, size: usize) -> *mut u8 {
        let align = if size % CACHE_LINE == 0 {
            CACHE_LINE
        } else {
            GRAIN
        };
        let mut b = self.bump.next_multiple_of(align);
        if b + size > self.end {
            // The rest of the slab (less than one block) is not used.
            // SAFETY: a new block of SLAB bytes.
            let s = unsafe { self.backing(null_mut(), 0, SLAB) } as usize;
            if s == 0 {
                return null_mut();
            }
            let at = self.slabs.partition_point(|&x| x < s);
            self.slabs.insert(at, s);
            self.end = s + SLAB;
            // The backing allocator's blocks are 16-byte aligned: a cache line is at most
            // 48 bytes in, and a slab holds many more.
            b = s.next_multiple_of(align);
        }
        self.bump = b + size;
        b as *mut u8
    }

    /// Frees a block Lua says has `osize` bytes: the pool's back to its class, others to
    /// the backing allocator.
    ///
    /// # Safety
    /// `p` is a live block of the state of `osize` bytes (as Lua records it).
    #[inline]
    unsafe fn free(&mut self, p: *mut u8, osize: usize) {
        if osize <= MAX_SMALL && self.owns(p) {
            self.free[class(osize)].push(p);
        } else {
            // SAFETY: not the pool's, so the backing allocator made it, of `osize` bytes.
            unsafe { self.backing(p.cast(), osize, 0) };
        }
    }
}

/// The state's allocator while the pool is installed (Lua's `lua_Alloc` contract: `nsize` 0
/// frees and returns null; otherwise a block of `nsize` bytes or null, the old block kept
/// on failure). Taking a free block and giving one back are handled here, without calls, so
/// that this function saves no registers; everything else is in `alloc_rest`.
unsafe extern "C" fn pool_alloc(
    ud: *mut c_void,
    ptr: *mut c_void,
    osize: usize,
    nsize: usize,
) -> *mut c_void {
    // SAFETY: `ud` is the `Pool` `install` gave Lua, alive while the state is (see
    // `PoolOwner`) and used only from Lua's allocation calls, which never overlap.
    let pool = unsafe { &mut *(ud as *mut Pool) };
    let p = ptr as *mut u8;
    if p.is_null() {
        // A new block of 1 to MAX_SMALL bytes, from its class's free blocks.
        if nsize.wrapping_sub(1) < MAX_SMALL {
            let stack = &mut pool.free[class(nsize)];
            if let Some(b) = stack.pop() {
                // The class's next block is likely asked for soon (a loop making struct
                // values): its cache line is fetched now, while Lua fills this one.
                if let Some(&next) = stack.last() {
                    prefetch(next);
                }
                return b.cast();
            }
        }
    } else if nsize == 0 && osize <= MAX_SMALL && pool.owns(p) {
        // One of the pool's blocks back to its class, where the stack has room.
        let stack = &mut pool.free[class(osize)];
        if stack.len() < stack.capacity() {
            stack.push(p);
            return null_mut();
        }
    }
    // SAFETY: Lua's arguments, as it passed them.
    unsafe { alloc_rest(pool, p, osize, nsize) }
}

/// Asks the CPU to fetch the cache line at `p` (a hint: no access, no fault).
#[inline(always)]
fn prefetch(p: *mut u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and cannot fault, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Every other allocation: new blocks from slabs or the backing allocator, frees that grow a
/// free stack or belong to the backing allocator, and reallocations.
///
/// # Safety
/// Lua's `lua_Alloc` arguments: `p` null (`osize` then a type tag) or a live block of the
/// state of `osize` bytes.
#[inline(never)]
unsafe fn alloc_rest(pool: &mut Pool, p: *mut u8, osize: usize, nsize: usize) -> *mut c_void {
    if p.is_null() {
        return if nsize == 0 {
            null_mut()
        } else {
            pool.alloc(osize, nsize).cast()
        };
    }
    if nsize == 0 {
        // SAFETY: Lua frees a live block of `osize` bytes.
        unsafe { pool.free(p, osize) };
        return null_mut();
    }
    // A block the pool made holds its whole class: within it, the block stays.
    let pooled = osize <= MAX_SMALL && pool.owns(p);
    if pooled && nsize <= MAX_SMALL && class(nsize) == class(osize) {
        return p.cast();
    }
    if !pooled && nsize > MAX_SMALL {
        // SAFETY: the backing allocator's block of `osize` bytes, grown or shrunk by it.
        return unsafe { pool.backing(p.cast(), osize, nsize) };
    }
    let new = pool.alloc(0, nsize);
    if new.is_null() {
        // A pool block that shrinks may stay where it is: its class holds the new size
        // (freed later as the smaller size, it serves that smaller class).
        return if pooled && nsize < osize {
            p.cast()
        } else {
            null_mut()
        };
    }
    // SAFETY: both blocks are live and distinct, each at least `min(osize, nsize)` bytes;
    // then the old one is freed as Lua recorded it.
    unsafe {
        std::ptr::copy_nonoverlapping(p, new, osize.min(nsize));
        pool.free(p, osize);
    }
    new.cast()
}

/// The owner of a state's pool, kept in the state's app data: mlua drops app data only after
/// `lua_close` (`RawLua::drop` closes the state, then drops its extra data), when no block of
/// the pool is in use any more. The type is private, so nothing else can take it out early.
struct PoolOwner {
    pool: *mut Pool,
}

/// Installs a pool for `lua`'s small blocks in front of its allocator (once; a second call
/// does nothing).
///
/// mlua then no longer recognises the allocator as its own: `Lua::set_memory_limit` must be
/// called before (the limit it set stays enforced, by its allocator, now the backing one),
/// `Lua::used_memory` reports Lua's own count, and mlua leaves its memory state (a few
/// bytes) allocated when the state closes, which keeps the backing allocator usable when the
/// pool gives its slabs back after the close.
pub fn install(lua: &mlua::Lua) {
    if lua.app_data_ref::<PoolOwner>().is_some() {
        return;
    }
    let pool = lua.exec_raw_lua(|raw| {
        let l = raw.state();
        let mut backing_ud = null_mut();
        // SAFETY: `l` is the live main state. Its allocator and user pointer are read, then
        // replaced by the pool, which forwards to them every block it did not make (so the
        // blocks made before stay the backing allocator's). The pool lives until after the
        // state closes: its owner goes into the state's app data just below.
        unsafe {
            let backing = lua::lua_getallocf(l, &mut backing_ud);
            let pool = Box::into_raw(Box::new(Pool {
                backing,
                backing_ud,
                free: Default::default(),
                bump: 0,
                end: 0,
                slabs: Vec::new(),
            }));
            lua::lua_setallocf(l, pool_alloc, pool.cast());
            pool
        }
    });
    lua.set_app_data(PoolOwner { pool });
}

impl Drop for PoolOwner {
    fn drop(&mut self) {
        // SAFETY: only mlua drops the owner (the type is private), after the state closed (see
        // `PoolOwner`): no block of the pool is in use, and nothing calls `pool_alloc` again.
        // The pointer came from `Box::into_raw`. The slabs go back to the backing allocator,
        // which is still usable: its user pointer (mlua's memory state) outlives the state
        // (see `install`).
        unsafe {
            let pool = Box::from_raw(self.pool);
            for &s in &pool.slabs {
                pool.backing(s as *mut c_void, SLAB, 0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lua_runs_on_the_pool_and_its_limit_still_holds() {
        let lua = mlua::Lua::new();
        lua.set_memory_limit(32 << 20).unwrap();
        install(&lua);
        install(&lua);
        // Blocks of every class and larger ones, made before and after, grown across classes
        // (table parts, string buffers), freed by the collector.
        let sum: i64 = lua
            .load(
                r#"
                local t, n = {}, 0
                for i = 1, 20000 do
                  t[i] = {i, tostring(i), string.rep("x", i % 300)}
                  if i % 3 == 0 then t[i - 1] = nil end
                end
                collectgarbage()
                for i = 1, 20000 do if t[i] then n = n + t[i][1] + #t[i][3] end end
                return n
                "#,
            )
            .eval()
            .unwrap();
        let expected: i64 = (1..=20000i64)
            .filter(|i| (i + 1) % 3 != 0 || *i == 20000)
            .map(|i| i + i % 300)
            .sum();
        assert_eq!(sum, expected);
        // The limit counts the pool's slabs: running out is Lua's error, and the state goes
        // on once the garbage is gone.
        let out: (bool, String) = lua
            .load(
                r#"
                local t = {}
                local ok, e = pcall(function() for i = 1, 1e7 do t[i] = {i} end end)
                t = nil
                collectgarbage()
                local u = {}
                for i = 1, 1000 do u[i] = {i} end
                return ok, tostring(e)
                "#,
            )
            .eval()
            .unwrap();
        assert_eq!(out, (false, "not enough memory".to_string()));
        let kib = lua.used_memory() >> 10;
        assert!(kib < 32 << 10, "{kib} KiB");
    }
}
