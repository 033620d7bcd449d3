//! Benchmark-only code, apart from the runtime: the static bindings that are the floor every
//! call path is measured against, the allocation counter, and the runners of `lunaray
//! bench` (per call) and `lunaray bench --scenes` (frame time per scene and call path).
//! Nothing in the runtime depends on this module.

pub mod calls;
#[allow(unsafe_code)]
pub mod counting_alloc;
pub mod scene_files;
pub mod scenes;
#[allow(unsafe_code)]
pub mod static_calls;
