//! The only unsafe code in lunaray: opening libraylib and resolving its symbols, libffi call
//! interfaces and calls, raw access to the Lua stack from C functions, and reads and writes of
//! C memory. Each module wraps one concern behind a safe API whose invariants are checked or
//! established at construction; every unsafe block says why it holds.
//!
//! Contract: nothing above this layer writes `unsafe`.

pub mod automation_list;
pub mod cif;
pub mod direct;
pub mod file_hooks;
pub mod library;
pub mod lua_alloc;
#[cfg(feature = "luajit")]
pub mod lua_cdata;
pub mod lua_entry;
#[cfg(feature = "luajit")]
pub mod lua_jit;
pub mod lua_stack;
pub mod lua_userdata;
pub mod memory;
pub mod style_fonts;
pub mod trace_log;
