//! The empty automation event list raylib is left holding when the list it recorded into is
//! unloaded (`marshal::automation`): raylib keeps the pointer `SetAutomationEventList` was
//! given and writes through it at every frame while recording.

use std::cell::UnsafeCell;
use std::ffi::c_void;

use super::cif::BoundFunction;
use super::library::Library;
use super::memory::CMem;
use crate::registry::{CType, Prim, Registry};

/// An `AutomationEventList` of capacity 0 (`{capacity, count, events}` all zero): raylib's
/// recorder returns at `count == capacity` before writing, and nothing else reads it. Rust
/// never touches it after it is made.
struct EmptyList(#[allow(dead_code)] UnsafeCell<[u64; 2]>);

/// The process's one empty list (leaked: raylib may hold it until the process ends).
fn empty_list() -> *mut c_void {
    static EMPTY: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *EMPTY.get_or_init(|| {
        Box::leak(Box::new(EmptyList(UnsafeCell::new([0; 2])))) as *mut EmptyList as usize
    }) as *mut c_void
}

/// Calls raylib's `SetAutomationEventList` with the empty list: afterwards raylib holds no
/// pointer to memory anyone frees. Does nothing unless the registry declares the function
/// as raylib does and the library exports it.
pub fn hand_raylib_an_empty_list(reg: &Registry, library: &Library) {
    let declared = reg.function("SetAutomationEventList").is_some_and(|d| {
        d.ret == CType::Prim(Prim::Void)
            && d.params.len() == 1
            && matches!(d.params[0].ty, CType::Pointer { .. })
    });
    let Some(f) = library
        .function("SetAutomationEventList")
        .filter(|_| declared)
    else {
        return;
    };
    // SAFETY: the registry parsed from this library's header declares `void
    // SetAutomationEventList(AutomationEventList *list)` (checked above: one pointer, no
    // result); the symbol was resolved by that name from `library`, loaded while borrowed.
    let bound = unsafe {
        BoundFunction::new(
            reg,
            f,
            &[CType::ptr(CType::Prim(Prim::Void), false)],
            &CType::Prim(Prim::Void),
        )
    };
    let mut arg = empty_list();
    let mut ret = [0u64; 2];
    // SAFETY: the one argument points to a pointer to the leaked empty list, which lives for
    // the process and which raylib never writes (capacity 0); the return slot is unused.
    unsafe {
        bound.call(
            &mut [&mut arg as *mut *mut c_void as *mut c_void],
            CMem::from_words(&mut ret),
        )
    }
}
