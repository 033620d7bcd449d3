//! Entering Rust from Lua: the C closure every registered function is, and how an error
//! leaves. A handler returns `Err(error)`; the trampoline renders it, drops every Rust value
//! and only then raises the Lua error (a longjmp, or LuaJIT's unwinder), so no destructor is
//! ever skipped. Panics are caught before they reach a C frame and become Lua errors too.

use std::ffi::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

use mlua::ffi as lua;

use super::lua_stack::Stack;
use crate::error::Error;

/// What a registered C function does: reads arguments, pushes results, returns their count.
pub trait LuaHandler {
    fn call(&self, stack: &mut Stack<'_>) -> Result<c_int, Error>;
}

/// Pushes a C closure that runs `handler` when called.
///
/// # Safety
/// `l` must be a live state, and `handler` must outlive it (handlers are leaked, so they live
/// as long as the process).
pub(super) unsafe fn push_handler<H: LuaHandler>(l: *mut lua::lua_State, handler: *const H) {
    // SAFETY:
    // - `l` is live and `handler` outlives it (contract).
    // - The light userdata only stores the address; `trampoline::<H>` reads it back as `H`.
    unsafe {
        lua::lua_pushlightuserdata(l, handler as *mut c_void);
        lua::lua_pushcclosure(l, as_lua_cfunction(trampoline::<H>), 1);
    }
}

/// What `trampoline` returns to Lua: the number of results, a C `int`.
#[cfg(not(feature = "luajit"))]
type ResultCount = c_int;

/// LuaJIT's x86-64 interpreter reads a C function's result count from the whole of `rax`
/// (`lea RA, [BASE+RD*8]` in `vm_x64.dasc`), while the C ABI leaves the upper half of an
/// `int` return undefined, and rustc does leave garbage there (a 64-bit load of a 32-bit
/// value): the VM then crashes in `lj_cont_dispatch`. So under LuaJIT the trampoline returns
/// a full register, the count zero-extended.
#[cfg(feature = "luajit")]
type ResultCount = usize;

#[cfg(not(feature = "luajit"))]
#[inline]
fn as_lua_cfunction(
    f: unsafe extern "C-unwind" fn(*mut lua::lua_State) -> ResultCount,
) -> lua::lua_CFunction {
    f
}

/// The trampoline as Lua's function type, which returns `int`.
#[cfg(feature = "luajit")]
#[inline]
fn as_lua_cfunction(
    f: unsafe extern "C-unwind" fn(*mut lua::lua_State) -> ResultCount,
) -> lua::lua_CFunction {
    // SAFETY: only Lua calls the result (never Rust), so what matters is the platform C ABI:
    // an integer return of pointer width comes back in the same register as an `int` return
    // (rax/eax on x86-64, x0/w0 on AArch64, the one return register on 32-bit targets, where
    // `usize` is as wide as `int`), so a caller expecting `int` reads the count from its low
    // bits, and LuaJIT reading the whole register sees the count too. Arguments and unwinding
    // ("C-unwind") are the same in both types.
    unsafe {
        std::mem::transmute::<
            unsafe extern "C-unwind" fn(*mut lua::lua_State) -> ResultCount,
            lua::lua_CFunction,
        >(f)
    }
}

unsafe extern "C-unwind" fn trampoline<H: LuaHandler>(l: *mut lua::lua_State) -> ResultCount {
    // SAFETY: upvalue 1 was set by `push_handler::<H>` to a handler that outlives the state.
    let handler = unsafe { &*(lua::lua_touserdata(l, lua::lua_upvalueindex(1)) as *const H) };
    // SAFETY: `l` is the running state for this call; its arguments stay on the stack until
    // the function returns, and only the handler uses the stack meanwhile.
    let mut stack = unsafe { Stack::enter(l, super::lua_stack::MIN_STACK) };
    let outcome = catch_unwind(AssertUnwindSafe(|| handler.call(&mut stack)));
    let message = match outcome {
        // Lua takes the top `n` slots as the results: there must be that many (a count is
        // never negative, so zero-extending it is value-preserving).
        #[allow(clippy::unnecessary_cast)]
        Ok(Ok(n)) if n >= 0 && n <= stack.top() => return n as u32 as ResultCount,
        Ok(Ok(_)) => Error::internal().to_string(),
        Ok(Err(error)) => error.to_string(),
        Err(payload) => {
            // Dropped here, not left in `outcome` across the error jump below.
            drop(payload);
            Error::internal().to_string()
        }
    };
    // SAFETY: `l` is the running state. Everything in this frame with a destructor has been
    // moved out or dropped: `outcome` is fully moved (its payload or error taken), `handler`
    // is a reference and `stack` has no destructor; `raise` drops `message` before it jumps.
    unsafe { raise(l, message) }
}

/// Raises `message` as a Lua error with the caller's position (`main.lua:12: ...`).
///
/// Lua 5.4 (built as C) raises with `longjmp`, which skips the destructors of the Rust
/// frames it crosses; LuaJIT on x86-64 raises with the system unwinder (a foreign exception,
/// allowed through these `C-unwind` frames), which would run them. Either way nothing is left
/// to destroy: the message is dropped before `lua_error`, and the caller promises the same for
/// its own frames.
///
/// # Safety
/// `l` must be the state of the running C function, and no Rust value with a destructor may
/// be alive in the calling frames up to the Lua boundary.
unsafe fn raise(l: *mut lua::lua_State, message: String) -> ! {
    // SAFETY: `l` is live (contract). The message is copied into Lua first and dropped at
    // once: only `lua_pushlstring` runs while it is alive, and that fails only when Lua is
    // out of memory (the `String` then leaks under Lua 5.4 and is dropped by LuaJIT's
    // unwinder). The error is raised only after it is gone. `luaL_where` + `lua_insert` put
    // the position before the message.
    unsafe {
        lua::lua_pushlstring(l, message.as_ptr().cast(), message.len());
        drop(message);
        lua::luaL_where(l, 1);
        lua::lua_insert(l, -2);
        lua::lua_concat(l, 2);
        lua::lua_error(l)
    }
}
