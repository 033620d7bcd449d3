//! The runtime: command line, backend and library choice, running a game with its frame hooks,
//! screenshots, the `api` report, editor stubs, zipped games and built executables.

pub mod api;
pub mod bundle;
pub mod frames;
pub mod game;
pub mod hooks;
pub mod hot_reload;
pub mod libraries;
pub mod log;
pub mod lunaray_table;
pub mod modes;
pub mod new_game;
pub mod package;
pub mod sandbox;
pub mod save_dir;
pub mod screenshot;
pub mod stubs;
pub mod watch;
