//! lunaray: a Lua game runtime for raylib 6.0.
pub mod registry;
