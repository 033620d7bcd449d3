//! lunaray: a Lua game runtime for raylib 6.0 that binds the whole API dynamically from
//! raylib's own header and makes each script-to-C call cheap and visible.
//!
//! Layers, each depending only on those above it:
//! - [`error`]: the one error type, rendered in Lua's message forms;
//! - [`registry`]: raylib's API as data (no unsafe, no Lua, no libffi);
//! - [`abi`]: where each argument travels, per target calling convention (no unsafe);
//! - [`ffi`]: the only unsafe code: library loading, libffi, raw Lua stack, C memory;
//! - [`arena`]: per-frame thread-local bump arenas;
//! - [`marshal`]: converters and call plans;
//! - [`lua`]: the `rl` table and struct values;
//! - [`runtime`]: command line, backends, game loop hooks;
//! - [`fuzz`]: `lunaray fuzz`, hostile calls to every function in child processes.
#![deny(unsafe_code)]
#![warn(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

pub mod abi;
pub mod arena;
pub mod bench;
pub mod error;
#[allow(unsafe_code)]
pub mod ffi;
pub mod fuzz;
pub mod lua;
pub mod marshal;
pub mod registry;
pub mod runtime;
