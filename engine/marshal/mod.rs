//! Lua values to C calls and back. One pipeline per function, built once when the registry
//! is bound to a loaded library: its classification (`registry::semantics`) and call shape
//! (`abi`) become one argument description per parameter (`args`), run by one executor
//! (`exec`) whose results one return pusher pushes (`ret`); `plan` holds it all as data.
//!
//! Contract: plans and struct tables are built once per Lua state and never change; a call
//! converts its arguments into one frame of words (passing struct values' bytes, pointers to
//! Lua strings and struct values, and frame-arena scratch), calls C through the plan's
//! invoker, and pushes results. Every pointer handed to C points into a live Lua value (on
//! the stack for the whole call) or the call's arena scope (alive until the results are
//! pushed). This layer's only unsafe code: the two calls into C and the copy of a font
//! loader's converted arrays for its check (`exec`), the register plans' one call into C
//! (`exec_regs`), the one read of a
//! C string C returned (`ret`), and pairing each symbol with its declaration (`plan`, `bind`:
//! the loaded library is trusted to implement the header the registry was parsed from).

mod arg_checked;
mod arg_pointers;
mod arg_texts;
mod args;
mod automation;
pub mod buffers;
#[cfg(feature = "luajit")]
pub mod cdata;
mod contracts;
#[allow(unsafe_code)]
mod exec;
#[allow(unsafe_code)]
mod exec_regs;
pub mod font_check;
mod image_rotate;
#[cfg(feature = "luajit")]
pub mod jit;
mod obj_file;
#[cfg(feature = "luajit")]
pub mod peer;
#[allow(unsafe_code)]
pub mod plan;
pub mod pointer_arrays;
mod records;
#[allow(unsafe_code)]
mod ret;
mod ret_len;
pub mod sandbox;
pub mod scalar;
pub mod structs;
pub mod views;
pub mod vouch;

use std::cell::{Cell, RefCell};
use std::ffi::c_int;
use std::sync::Arc;

use crate::ffi::library::Library;
use crate::ffi::lua_stack::{with_main_stack, Stack};
use crate::registry::{CType, Registry};

pub use plan::CallPlan;
pub use structs::StructInfo;

/// The reasons a call leaves the fast path, as bits: a plan's mask says which concern it,
/// so a call tests them all with one `&`.
pub(crate) mod mode_bits {
    pub const NAIVE: u8 = 1;
    pub const NO_DIRECT: u8 = 2;
    pub const HEAP: u8 = 4;
    pub const SAMPLING: u8 = 8;
    pub const NO_WINDOW: u8 = 16;
    pub const NO_AUDIO: u8 = 64;
    /// Always set: plans whose mask has it (`InitWindow`, `CloseWindow`) always take the slow
    /// path.
    pub const ALWAYS: u8 = 32;
    /// The jit mode (LuaJIT builds): covered functions take their JIT-compiled wrappers'
    /// fast case (`marshal::jit`); planned C functions ignore it.
    pub const JIT: u8 = 128;
}

/// The call path in use. The defaults are the planned path: direct invokers where the ABI
/// allows, temporaries from the frame arena.
#[derive(Debug)]
pub struct Modes {
    bits: Cell<u8>,
    /// The luajit-ffi peer (`marshal::peer`): `rl`'s functions are LuaJIT's own FFI calls.
    /// Not a mode bit: lunaray's functions that stay in `rl` run planned meanwhile.
    peer: Cell<bool>,
}

impl Default for Modes {
    fn default() -> Self {
        Modes {
            bits: Cell::new(mode_bits::ALWAYS | mode_bits::NO_WINDOW | mode_bits::NO_AUDIO),
            peer: Cell::new(false),
        }
    }
}

impl Modes {
    #[inline(always)]
    pub(crate) fn bits(&self) -> u8 {
        self.bits.get()
    }

    fn set_bit(&self, bit: u8, on: bool) {
        let b = self.bits.get();
        self.bits.set(if on { b | bit } else { b & !bit });
    }

    /// The naive reference path: layouts looked up by name, type descriptors walked, buffers
    /// malloc'd on every call.
    pub fn naive(&self) -> bool {
        self.bits() & mode_bits::NAIVE != 0
    }

    pub fn set_naive(&self, on: bool) {
        self.set_bit(mode_bits::NAIVE, on)
    }

    /// Call through direct invokers where a function has one (else always libffi).
    pub fn direct(&self) -> bool {
        self.bits() & mode_bits::NO_DIRECT == 0
    }

    pub fn set_direct(&self, on: bool) {
        self.set_bit(mode_bits::NO_DIRECT, !on)
    }

    /// Temporaries from the heap instead of the frame arena.
    pub fn heap(&self) -> bool {
        self.bits() & mode_bits::HEAP != 0
    }

    pub fn set_heap(&self, on: bool) {
        self.set_bit(mode_bits::HEAP, on)
    }

    /// The jit mode: functions with a JIT-compiled wrapper (LuaJIT builds) take it.
    pub fn jit(&self) -> bool {
        self.bits() & mode_bits::JIT != 0
    }

    pub fn set_jit(&self, on: bool) {
        self.set_bit(mode_bits::JIT, on)
    }

    /// The luajit-ffi peer mode (LuaJIT builds run with `--ffi`; `marshal::peer`).
    pub fn peer(&self) -> bool {
        self.peer.get()
    }

    pub fn set_peer(&self, on: bool) {
        self.peer.set(on)
    }

    /// Where the bits live, for the jit wrappers' one-byte test (a `Cell`'s own address:
    /// valid as long as these modes are).
    pub fn bits_ptr(&self) -> *const u8 {
        self.bits.as_ptr()
    }
}

/// Everything the converters share, fixed once the bindings are built.
pub struct Ctx {
    pub registry: Registry,
    pub structs: Vec<StructInfo>,
    /// Pointee types of pointer values, by tag (0 is `void`).
    pointer_tags: RefCell<Vec<CType>>,
    /// Registry references of the metatables of struct values and pointer values.
    pub struct_mt: c_int,
    pub pointer_mt: c_int,
    pub buffer_mt: c_int,
    /// Element types of typed buffers, by index (interned on first use).
    buffer_elems: RefCell<Vec<buffers::BufferElem>>,
    pub library: Arc<Library>,
    /// How calls are made right now (switchable live from Lua), whether a window is open
    /// and whether calls are sampled: the mode bits every call tests.
    pub modes: Modes,
    /// Calls into C since the runtime started.
    pub ffi_calls: Cell<u64>,
    /// Whether jit mode can be switched on: LuaJIT builds whose wrappers are installed.
    pub jit_available: Cell<bool>,
    /// Registry reference of the jit wrappers' mirror of jit mode (0: none; `jit::sync`).
    pub jit_mirror: Cell<c_int>,
    /// Registry references of the luajit-ffi peer's tables (`peer::Tables`; None: not
    /// installed, the mode is unavailable).
    #[cfg(feature = "luajit")]
    pub peer_tables: Cell<Option<peer::Tables>>,
    /// One call in 64 is timed while sampling (for the overlay and reports): the totals.
    pub sample_tick: Cell<u32>,
    pub sampled_ns: Cell<u64>,
    pub sampled_calls: Cell<u64>,
    window_ready: Option<crate::ffi::cif::NoArgs>,
    /// raylib's `MeasureTextEx` and `GetFontDefault`, for the text-image checks.
    pub text_measure: Option<crate::ffi::cif::TextMeasure>,
    audio_ready: Option<crate::ffi::cif::NoArgs>,
    /// (struct, key) pairs of table keys naming no field, warned about once each.
    pub unknown_keys_warned: RefCell<std::collections::HashSet<(u32, String)>>,
    /// The struct values with pointer fields raylib made, and array counts it returned.
    pub vouched: vouch::Store,
    /// Under `--sandbox`: the folders raylib's paths must lead into (and `OpenURL` refused).
    pub sandbox: RefCell<Option<sandbox::Sandbox>>,
    /// The Lua state's memory limit in bytes (0: none), which buffers are checked against.
    pub memory_limit: Cell<usize>,
    /// The automation event list raylib holds (`automation`).
    pub(crate) automation: automation::Kept,
}

impl Ctx {
    /// Asks raylib's `IsWindowReady()` directly.
    pub fn is_window_ready(&self) -> bool {
        let Some(f) = &self.window_ready else {
            return false;
        };
        f.call_bool()
    }

    /// Asks raylib's `IsAudioDeviceReady()` directly.
    pub fn is_audio_ready(&self) -> bool {
        self.audio_ready.as_ref().is_some_and(|f| f.call_bool())
    }

    /// Whether raylib's audio device is up (set by `InitAudioDevice` when it started,
    /// cleared by `CloseAudioDevice`).
    pub fn audio_open(&self) -> bool {
        self.modes.bits() & mode_bits::NO_AUDIO == 0
    }

    pub fn set_audio_open(&self, open: bool) {
        self.modes.set_bit(mode_bits::NO_AUDIO, !open)
    }

    /// Whether raylib has an open window (set by `InitWindow`, cleared by `CloseWindow`).
    pub fn window_open(&self) -> bool {
        self.modes.bits() & mode_bits::NO_WINDOW == 0
    }

    pub fn set_window_open(&self, open: bool) {
        self.modes.set_bit(mode_bits::NO_WINDOW, !open)
    }

    /// Whether one call in 64 is timed.
    pub fn sampling(&self) -> bool {
        self.modes.bits() & mode_bits::SAMPLING != 0
    }

    pub fn set_sampling(&self, on: bool) {
        self.modes.set_bit(mode_bits::SAMPLING, on)
    }

    /// The tag of pointers to `ty`, interned on first use (at plan time).
    pub fn tag_of(&self, ty: &CType) -> u32 {
        let mut tags = self.pointer_tags.borrow_mut();
        if let Some(i) = tags.iter().position(|t| t == ty) {
            return i as u32;
        }
        tags.push(ty.clone());
        (tags.len() - 1) as u32
    }

    pub fn pointer_type(&self, tag: u32) -> CType {
        self.pointer_tags.borrow()[tag as usize].clone()
    }

    pub fn pointer_name(&self, tag: u32) -> String {
        format!(
            "{} pointer",
            self.registry.type_name(&self.pointer_type(tag))
        )
    }
}

/// The result of binding a registry to a library: the shared context and one plan per
/// callable function. Both live as long as the process (Lua closures point at them).
pub struct Bindings {
    pub ctx: &'static Ctx,
    pub plans: &'static [CallPlan],
    /// Functions left out, with why.
    pub skipped: Vec<(String, String)>,
}

/// Creates the metatables and struct tables in `lua` and a plan for every function of the
/// registry the library exports.
#[allow(unsafe_code)]
pub fn bind(lua: &mlua::Lua, registry: Registry, library: Arc<Library>) -> Bindings {
    let ctx: &'static Ctx = with_main_stack(lua, |st: &mut Stack| {
        st.new_table();
        let struct_mt = st.reference();
        st.new_table();
        let pointer_mt = st.reference();
        st.new_table();
        let buffer_mt = st.reference();
        let tags = RefCell::new(vec![CType::Prim(crate::registry::Prim::Void)]);
        let structs = structs::build_struct_infos(&registry, st, &mut |t| {
            let mut v = tags.borrow_mut();
            match v.iter().position(|x| x == t) {
                Some(i) => i as u32,
                None => {
                    v.push(t.clone());
                    (v.len() - 1) as u32
                }
            }
        });
        let window_ready = library.function("IsWindowReady").map(|f| {
            // SAFETY: raylib declares `bool IsWindowReady(void)`; the symbol was resolved by
            // that name from `library`, which the context holds for the process.
            unsafe { crate::ffi::cif::NoArgs::new(&registry, f) }
        });
        let audio_ready = library.function("IsAudioDeviceReady").map(|f| {
            // SAFETY: raylib declares `bool IsAudioDeviceReady(void)`; the symbol was resolved by
            // that name from `library`, which the context holds for the process.
            unsafe { crate::ffi::cif::NoArgs::new(&registry, f) }
        });
        let text_measure = library
            .function("MeasureTextEx")
            .zip(library.function("GetFontDefault"))
            .and_then(|(measure, font)| {
                // SAFETY: the symbols were resolved by these names from `library`, whose header
                // `registry` was parsed from; the context holds the library for the process.
                unsafe { crate::ffi::cif::TextMeasure::new(&registry, measure, font) }
            });
        Box::leak(Box::new(Ctx {
            registry,
            structs,
            pointer_tags: tags,
            struct_mt,
            pointer_mt,
            buffer_mt,
            buffer_elems: RefCell::new(Vec::new()),
            modes: Modes::default(),
            ffi_calls: Cell::new(0),
            jit_available: Cell::new(false),
            jit_mirror: Cell::new(0),
            #[cfg(feature = "luajit")]
            peer_tables: Cell::new(None),
            sample_tick: Cell::new(0),
            sampled_ns: Cell::new(0),
            sampled_calls: Cell::new(0),
            window_ready,
            text_measure,
            audio_ready,
            unknown_keys_warned: RefCell::new(std::collections::HashSet::new()),
            library,
            vouched: vouch::Store::default(),
            sandbox: RefCell::new(None),
            memory_limit: Cell::new(0),
            automation: automation::Kept::default(),
        }))
    });
    let mut plans = Vec::new();
    let mut skipped = Vec::new();
    for (decl, f) in ctx.registry.functions.iter().enumerate() {
        let Some(fun) = ctx.library.function(&f.name) else {
            skipped.push((f.name.clone(), "not exported by the loaded library".into()));
            continue;
        };
        // SAFETY: `fun` was resolved by `f`'s name from `ctx.library`, the library whose
        // header the registry was parsed from, which the context holds for the process.
        match unsafe { CallPlan::new(ctx, decl, f, fun) } {
            Ok(plan) => plans.push(plan),
            Err(e) => skipped.push((f.name.clone(), e.to_string())),
        }
    }
    Bindings {
        ctx,
        plans: Box::leak(plans.into_boxed_slice()),
        skipped,
    }
}
