//! Converters between Lua values and C values, compiled into a [`plan::CallPlan`] per function
//! when the registry is bound to a loaded library.
//!
//! Contract: plans and struct tables are built once per Lua state and never change; a call
//! converts its arguments into slots of one frame-arena block (or passes struct values' own
//! bytes in place), calls through the function's prepared CIF, and pushes results. Every
//! pointer handed to C points into a live Lua value (on the stack for the whole call) or the
//! frame arena (not reset while a call is in flight).

mod call;
mod converters;
mod fast;
pub mod plan;
pub mod scalar;
pub mod structs;
pub mod sysv;

use std::cell::RefCell;
use std::ffi::c_int;
use std::sync::Arc;

use crate::ffi::library::Library;
use crate::ffi::lua_stack::{with_main_stack, Stack};
use crate::registry::{CType, Registry};

pub use plan::CallPlan;
pub use structs::StructInfo;

/// The call path in use. The defaults are the planned path: direct invokers where the ABI
/// allows, temporaries from the frame arena.
#[derive(Debug)]
pub struct Modes {
    /// Call through direct invokers where a function has one (else always libffi).
    pub direct: std::cell::Cell<bool>,
    /// The naive reference path: layouts looked up by name, type descriptors walked, buffers
    /// malloc'd on every call.
    pub naive: std::cell::Cell<bool>,
    /// Temporaries from the heap instead of the frame arena.
    pub heap_arena: std::cell::Cell<bool>,
}

impl Default for Modes {
    fn default() -> Self {
        Modes {
            direct: std::cell::Cell::new(true),
            naive: std::cell::Cell::new(false),
            heap_arena: std::cell::Cell::new(false),
        }
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
    pub library: Arc<Library>,
    /// Whether raylib has an open window (set by `InitWindow`, cleared by `CloseWindow`).
    pub window_open: std::cell::Cell<bool>,
    /// How calls are made right now (switchable live from Lua).
    pub modes: Modes,
    /// Calls into C since the runtime started.
    pub ffi_calls: std::cell::Cell<u64>,
    /// Whether one call in 64 is timed (for the overlay and reports), and the totals.
    pub sampling: std::cell::Cell<bool>,
    pub sample_tick: std::cell::Cell<u32>,
    pub sampled_ns: std::cell::Cell<u64>,
    pub sampled_calls: std::cell::Cell<u64>,
    window_ready: Option<crate::ffi::cif::BoundFunction>,
}

impl Ctx {
    /// Asks raylib's `IsWindowReady()` directly.
    pub fn is_window_ready(&self) -> bool {
        let Some(f) = &self.window_ready else {
            return false;
        };
        let mut slot = [0u64; 2];
        let ret = crate::ffi::memory::CMem::from_words(&mut slot);
        f.call(&mut [], ret);
        ret.read::<u8>(0) != 0
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
pub fn bind(lua: &mlua::Lua, registry: Registry, library: Arc<Library>) -> Bindings {
    let ctx: &'static Ctx = with_main_stack(lua, |st: &mut Stack| {
        st.new_table();
        let struct_mt = st.reference();
        st.new_table();
        let pointer_mt = st.reference();
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
            let ret = CType::Prim(crate::registry::Prim::Bool);
            crate::ffi::cif::BoundFunction::new(&registry, f, &[], &ret)
        });
        Box::leak(Box::new(Ctx {
            registry,
            structs,
            pointer_tags: tags,
            struct_mt,
            pointer_mt,
            window_open: std::cell::Cell::new(false),
            modes: Modes::default(),
            ffi_calls: std::cell::Cell::new(0),
            sampling: std::cell::Cell::new(false),
            sample_tick: std::cell::Cell::new(0),
            sampled_ns: std::cell::Cell::new(0),
            sampled_calls: std::cell::Cell::new(0),
            window_ready,
            library,
        }))
    });
    let mut plans = Vec::new();
    let mut skipped = Vec::new();
    for (decl, f) in ctx.registry.functions.iter().enumerate() {
        let Some(fun) = ctx.library.function(&f.name) else {
            skipped.push((f.name.clone(), "not exported by the loaded library".into()));
            continue;
        };
        match CallPlan::new(ctx, decl, f, fun) {
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
