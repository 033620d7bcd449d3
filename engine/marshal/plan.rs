//! Call plans: everything about a function decided once, when it is registered: one
//! converter per parameter (specialised to its C type, slot offset and size), the libffi CIF,
//! the direct invoker where the ABI allows one, the return reader. A planned call walks the
//! converters in order; it looks nothing up by name, computes no layout, and allocates only
//! from the frame arena. The naive path (`Modes::naive`) redoes all of that on every call.

use std::ffi::c_int;

use crate::arena::CallScope;
use crate::ffi::cif::BoundFunction;
use crate::ffi::direct::{invoker, Eightbyte, Invoker};
use crate::ffi::library::FnPtr;
use crate::ffi::lua_stack::{LuaHandler, Stack};
use crate::registry::semantics::{classify, Unsupported};
use crate::registry::{CType, FuncDecl};

use super::converters::{self, Converters};
use super::Ctx;

pub struct CallPlan {
    pub(super) ctx: &'static Ctx,
    pub name: String,
    pub(super) func: BoundFunction,
    pub(super) conv: Converters,
    /// Refuse the call unless a window is open (raylib would crash without one).
    pub(super) needs_window: bool,
    /// `InitWindow` / `CloseWindow` change whether a window is open.
    pub(super) window_effect: WindowEffect,
    /// The direct invoker for functions that travel in registers (x86-64 System V).
    pub(super) direct: Option<Direct>,
    /// Index of the declaration in the registry, for the naive path.
    pub decl: usize,
    /// The register path, for calls that travel in registers and need no scratch memory.
    pub(super) fast: Option<super::fast::FastPath>,
    /// Calls made through this plan.
    pub calls: std::cell::Cell<u64>,
    /// Whether its calls count in the sampled ns per call: not for frame boundaries, waits
    /// and loading, which would swamp the per-call cost the number is meant to show.
    sampled: bool,
}

fn is_sampled(name: &str) -> bool {
    const UNSAMPLED_PREFIXES: &[&str] =
        &["Load", "Unload", "Init", "Close", "Export", "Save", "Take"];
    const UNSAMPLED: &[&str] = &[
        "EndDrawing",
        "WaitTime",
        "SwapScreenBuffer",
        "PollInputEvents",
    ];
    !UNSAMPLED.contains(&name) && !UNSAMPLED_PREFIXES.iter().any(|p| name.starts_with(p))
}

pub(super) struct Direct {
    pub(super) invoker: Invoker,
    pub(super) eightbytes: Box<[Eightbyte]>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WindowEffect {
    None,
    Opens,
    Closes,
}

impl CallPlan {
    /// Builds the plan for `f` (the registry's declaration number `decl`), resolved at `fun`.
    /// Fails for functions Lua cannot call.
    pub fn new(
        ctx: &'static Ctx,
        decl: usize,
        f: &FuncDecl,
        fun: FnPtr,
    ) -> Result<CallPlan, Unsupported> {
        let reg = &ctx.registry;
        let sem = classify(reg, f)?;
        let conv = converters::build(ctx, f, &sem, &converters::planned_layout)?;
        let fast = super::fast::build(ctx, f, &sem, &conv.ret);
        let types: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
        Ok(CallPlan {
            ctx,
            name: f.name.clone(),
            func: BoundFunction::new(reg, fun, &types, &f.ret),
            conv,
            needs_window: crate::registry::semantics::needs_window(f),
            window_effect: match f.name.as_str() {
                "InitWindow" => WindowEffect::Opens,
                "CloseWindow" => WindowEffect::Closes,
                _ => WindowEffect::None,
            },
            direct: direct_invoker(reg, &types, &f.ret),
            decl,
            fast,
            calls: std::cell::Cell::new(0),
            sampled: is_sampled(&f.name),
        })
    }

    /// Whether this function has a direct invoker (by register shape, or with stack words).
    pub fn has_direct_invoker(&self) -> bool {
        self.fast.is_some() || self.direct.is_some()
    }

    /// Bookkeeping after every call: counters, and whether a window is now open.
    #[inline]
    pub(super) fn after_call(&self) {
        let ctx = self.ctx;
        ctx.ffi_calls.set(ctx.ffi_calls.get() + 1);
        self.calls.set(self.calls.get() + 1);
        match self.window_effect {
            WindowEffect::None => {}
            WindowEffect::Opens => ctx.window_open.set(ctx.is_window_ready()),
            WindowEffect::Closes => ctx.window_open.set(false),
        }
    }

    /// The naive reference path: the same results, but per call the declaration's meaning
    /// is classified again, every layout looked up by type name and recomputed, every buffer
    /// malloc'd, and the call made through libffi.
    fn invoke_naive(&self, st: &mut Stack) -> Result<c_int, String> {
        let reg = &self.ctx.registry;
        let decl = &reg.functions[self.decl];
        let conv = classify(reg, decl)
            .and_then(|sem| converters::build(self.ctx, decl, &sem, &converters::layout_by_name))
            .map_err(|e| e.to_string())?;
        let scope = CallScope::enter_heap();
        self.run(st, &conv, &scope, false)
    }
}

/// A direct invoker where the platform's calling convention is known (x86-64 System V) and
/// the whole call travels in registers.
fn direct_invoker(
    reg: &crate::registry::Registry,
    params: &[CType],
    ret: &CType,
) -> Option<Direct> {
    if !cfg!(all(target_arch = "x86_64", unix, not(target_os = "macos"))) {
        return None;
    }
    let (eightbytes, ints, floats, shape) = super::sysv::register_shape(reg, params, ret)?;
    Some(Direct {
        invoker: invoker(ints, floats, shape)?,
        eightbytes: eightbytes.into_boxed_slice(),
    })
}

impl LuaHandler for CallPlan {
    #[inline]
    fn call(&self, stack: &mut Stack) -> Result<c_int, String> {
        let ctx = self.ctx;
        if ctx.sampling.get() && self.sampled {
            // One call in 64 is timed, for the overlay's and reports' ns per call.
            let n = ctx.sample_tick.get().wrapping_add(1);
            ctx.sample_tick.set(n);
            if n % 64 == 0 {
                let start = std::time::Instant::now();
                let r = self.dispatch(stack);
                ctx.sampled_ns
                    .set(ctx.sampled_ns.get() + start.elapsed().as_nanos() as u64);
                ctx.sampled_calls.set(ctx.sampled_calls.get() + 1);
                return r;
            }
        }
        self.dispatch(stack)
    }
}

impl CallPlan {
    #[inline]
    fn dispatch(&self, stack: &mut Stack) -> Result<c_int, String> {
        let ctx = self.ctx;
        if self.needs_window && !ctx.window_open.get() {
            return Err(format!(
                "{} needs an open window (call rl.InitWindow first; the window is closed after rl.CloseWindow)",
                self.name
            ));
        }
        let modes = &ctx.modes;
        if modes.naive.get() {
            return self.invoke_naive(stack);
        }
        if let (Some(fast), true) = (&self.fast, modes.direct.get()) {
            return self.run_fast(stack, fast);
        }
        let scope = if modes.heap_arena.get() {
            CallScope::enter_heap()
        } else {
            CallScope::enter()
        };
        self.run(stack, &self.conv, &scope, modes.direct.get())
    }
}
