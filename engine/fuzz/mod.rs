//! The fuzzer (`lunaray fuzz`): every registered raylib function called with generated
//! hostile arguments, to hold lunaray to its promise that no script input crashes the process
//! or corrupts memory (a script's mistake is a Lua error).
//!
//! Contract:
//! - [`gen`] turns a seed and a call index into one call rendered as Lua source (the function,
//!   its arguments, and the pool slot its result goes to), deterministically: the same seed,
//!   start index and count always produce the same calls. Arguments come from [`values`]
//!   (wrong types, nil, NaN, ±inf, huge and negative numbers, odd strings, tables with missing
//!   or extra fields, mutated struct values, typed buffers of any length) and from the
//!   [`pool`] of values earlier calls returned. File names are plain relative names (no `/`,
//!   no `..`), and no generated string holds either, so file functions only touch the
//!   worker's scratch directory.
//! - [`worker`] runs calls in one Lua state (headless backend, a window open, drawing
//!   between BeginDrawing/EndDrawing), each inside a protected call, announcing each call on
//!   stderr before making it.
//! - [`runner`] is the parent: it runs workers in child processes, each in a fresh scratch
//!   directory under a memory limit, catches a crash (a signal, or an exit without the end
//!   marker) or a hang (no next call within the watchdog time) with the exact call and the
//!   command that reproduces it, and continues with a new worker after the failed call.
//! - [`access`] makes the share of lines that are not calls: pool values indexed, written,
//!   measured and read field by field (arrays raylib returned, field pointers, views),
//!   with indices and values of every kind.
//! - [`exclusions`] is the one table of functions the generator never calls, with why.

pub mod access;
pub mod exclusions;
pub mod gen;
pub mod pool;
pub mod runner;
pub mod values;
pub mod worker;
