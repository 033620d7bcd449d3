//! Call plans: everything about a function decided once, when it is registered. A plan is
//! data: the function's symbol and libffi CIF, its argument plan for the direct call shape
//! and for libffi, the invoker and executor of each, and the mode bits that send its calls
//! off the fast path. A planned call looks nothing up by name, computes no layout, and
//! allocates only from the frame arena. The naive path (`Modes::naive`) rebuilds the
//! argument plan on every call.

use std::ffi::c_int;

use crate::abi::{call_shape, ffi_shape, CallShape, RetLoc, RetShape};
use crate::error::{Error, ErrorKind, Problem};
use crate::ffi::cif::BoundFunction;
use crate::ffi::direct::{memory_invoker, reg_invoker, Floats16Binary};
use crate::ffi::library::FnPtr;
use crate::ffi::lua_stack::{LuaHandler, Stack};
use crate::registry::semantics::{classify, Unsupported};
use crate::registry::{CType, FuncDecl};

use super::args::{self, ArgPlan};
use super::exec::{executor, Executor, Invoke};
use super::exec_regs::{lean_args, lean_executor, LeanArg};
use super::{mode_bits, Ctx};

/// One way to call a function: its arguments for a call shape, the invoker, the executor.
#[derive(Clone)]
pub(crate) struct Pipeline {
    pub(crate) args: ArgPlan,
    pub(crate) invoke: Invoke,
    pub(crate) exec: Executor,
    /// The arguments of a register plan (`exec_regs`), which `exec` then is; else empty.
    pub(crate) lean: Box<[LeanArg]>,
}

impl Pipeline {
    #[inline(always)]
    fn run(&self, plan: &CallPlan, st: &mut Stack, heap: bool) -> Result<c_int, Error> {
        (self.exec)(plan, self, st, heap)
    }
}

pub struct CallPlan {
    pub(super) ctx: &'static Ctx,
    pub name: String,
    /// The C name, for messages (borrowed from the registry, which lives as long as the
    /// process).
    pub(super) fname: &'static str,
    pub(super) func: BoundFunction,
    /// The planned call: the direct call shape where the target has one, else libffi.
    planned: Pipeline,
    /// The same function through libffi (`lunaray.mode{direct = false}`).
    ffi: Pipeline,
    /// Whether `planned` calls a direct invoker.
    direct: bool,
    /// The mode bits (`marshal::mode_bits`) that send this plan's calls to the slow path.
    slow_mask: u8,
    /// `InitWindow` / `CloseWindow` change whether a window is open.
    device_effect: DeviceEffect,
    /// For loaders: how to see that raylib could not decode the file.
    decode: Option<DecodeCheck>,
    /// The Lua position of a text C keeps until the next call (`semantics::KEPT_TEXTS`), and
    /// the registry key it is anchored under.
    kept_text: Option<(c_int, String)>,
    /// Index of the declaration in the registry, for the naive path.
    pub decl: usize,
    /// Calls made through this plan.
    pub calls: std::cell::Cell<u64>,
}

/// Whether a function's calls count in the sampled ns per call: not frame boundaries, waits
/// and loading, which would swamp the per-call cost the number is meant to show.
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DeviceEffect {
    None,
    Opens,
    Closes,
    OpensAudio,
    ClosesAudio,
}

/// The invoker for a direct call shape, if there is one.
fn direct_invoke(shape: &CallShape) -> Option<(Invoke, bool)> {
    let (ints, floats, words) = (
        shape.ints as usize,
        shape.floats as usize,
        shape.words as usize,
    );
    match shape.ret {
        RetLoc::Regs(r) if words == 0 => Some((Invoke::Regs(reg_invoker(ints, floats, r)?), true)),
        RetLoc::Regs(r) => Some((Invoke::Memory(memory_invoker(words, r)?), false)),
        // The callee returns the hidden pointer in rax, which the caller already holds.
        RetLoc::Memory => Some((Invoke::Memory(memory_invoker(words, RetShape::I)?), false)),
    }
}

fn pipeline(
    ctx: &Ctx,
    f: &FuncDecl,
    sem: &crate::registry::semantics::Semantics,
    shape: &CallShape,
    invoke: Invoke,
    registers_only: bool,
    layout: &dyn Fn(&crate::registry::Registry, &CType) -> crate::registry::layout::Layout,
) -> Result<Pipeline, Unsupported> {
    let args = args::build(ctx, f, sem, shape, registers_only, layout)?;
    // A register plan gets its specialised executor; every other plan the general one.
    let lean = lean_args(&args, invoke);
    let exec = lean
        .as_ref()
        .and_then(|l| lean_executor(l.len()))
        .unwrap_or_else(|| executor(&args));
    Ok(Pipeline {
        exec,
        lean: lean.unwrap_or_default(),
        args,
        invoke,
    })
}

impl CallPlan {
    /// Builds the plan for `f` (the registry's declaration number `decl`), resolved at `fun`.
    /// Fails for functions Lua cannot call.
    ///
    /// # Safety
    /// `fun` must be the C function `f` declares, in a library that stays loaded as long as
    /// the plan is called (`ctx` holds it for the process).
    pub unsafe fn new(
        ctx: &'static Ctx,
        decl: usize,
        f: &FuncDecl,
        fun: FnPtr,
    ) -> Result<CallPlan, Unsupported> {
        let reg = &ctx.registry;
        let sem = classify(reg, f)?;
        let types: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
        let ffi_shape = ffi_shape(reg, &types, &f.ret)
            .ok_or_else(|| Unsupported::Parameter("arguments too large".into()))?;
        let layout = &args::planned_layout;
        let ffi = pipeline(ctx, f, &sem, &ffi_shape, Invoke::Ffi, false, layout)?;
        let direct = call_shape(reg, &types, &f.ret)
            .and_then(|shape| direct_invoke(&shape).map(|d| (shape, d)));
        let (planned, is_direct) = match direct {
            Some((shape, (invoke, regs))) => {
                (pipeline(ctx, f, &sem, &shape, invoke, regs, layout)?, true)
            }
            None => (ffi.clone(), false),
        };
        let device_effect = match f.name.as_str() {
            "InitWindow" => DeviceEffect::Opens,
            "CloseWindow" => DeviceEffect::Closes,
            "InitAudioDevice" => DeviceEffect::OpensAudio,
            "CloseAudioDevice" => DeviceEffect::ClosesAudio,
            _ => DeviceEffect::None,
        };
        let mut slow_mask = mode_bits::NAIVE | mode_bits::NO_DIRECT | mode_bits::HEAP;
        if crate::registry::semantics::needs_window(f) {
            slow_mask |= mode_bits::NO_WINDOW;
        }
        if crate::registry::semantics::needs_audio(f) {
            slow_mask |= mode_bits::NO_AUDIO;
        }
        if is_sampled(&f.name) {
            slow_mask |= mode_bits::SAMPLING;
        }
        let decode = decode_check(reg, f, &sem);
        let kept_text = crate::registry::semantics::KEPT_TEXTS
            .iter()
            .find(|(n, _)| *n == f.name)
            .map(|&(_, arg)| (arg, format!("lunaray.kept.{}", f.name)));
        if device_effect != DeviceEffect::None || decode.is_some() || kept_text.is_some() {
            slow_mask |= mode_bits::ALWAYS;
        }
        Ok(CallPlan {
            ctx,
            name: f.name.clone(),
            fname: ctx.registry.functions[decl].name.as_str(),
            // SAFETY: `fun` is the function `f` declares, in a loaded library (contract).
            func: unsafe { BoundFunction::new(reg, fun, &types, &f.ret) },
            planned,
            ffi,
            direct: is_direct,
            slow_mask,
            device_effect,
            decode,
            kept_text,
            decl,
            calls: std::cell::Cell::new(0),
        })
    }

    /// The mode bits that send this plan's calls to the slow path.
    #[cfg(feature = "luajit")]
    pub(crate) fn slow_mask(&self) -> u8 {
        self.slow_mask
    }

    /// The argument plan of the planned call.
    #[cfg(feature = "luajit")]
    pub(crate) fn planned_args(&self) -> &ArgPlan {
        &self.planned.args
    }

    /// How the planned call reaches C.
    #[cfg(feature = "luajit")]
    pub(crate) fn planned_invoke(&self) -> &super::exec::Invoke {
        &self.planned.invoke
    }

    /// The register plan's arguments of the planned call (`exec_regs`; empty for others).
    #[cfg(test)]
    pub(crate) fn planned_lean(&self) -> &[LeanArg] {
        &self.planned.lean
    }

    /// The planned call's executor.
    #[cfg(test)]
    pub(crate) fn planned_exec(&self) -> Executor {
        self.planned.exec
    }

    /// The bound symbol.
    pub fn fn_ptr(&self) -> FnPtr {
        self.func.fn_ptr()
    }

    /// Whether this function has a direct invoker (by register shape, or with memory words).
    pub fn has_direct_invoker(&self) -> bool {
        self.direct
    }

    /// This function as a typed function pointer `S f(S, S)`, if that is exactly its
    /// declaration with `S` a struct of sixteen `float` fields and nothing else (raymath's
    /// `MatrixMultiply`, `MatrixAdd`, `MatrixSubtract`): what the Matrix operators call.
    pub fn as_floats16_binary(&self) -> Option<Floats16Binary> {
        let reg = &self.ctx.registry;
        let f = &reg.functions[self.decl];
        let CType::Struct(sid) = f.ret else {
            return None;
        };
        let ok = reg.is_floats(sid, 16)
            && !f.variadic
            && f.params.len() == 2
            && f.params.iter().all(|p| p.ty == CType::Struct(sid));
        // SAFETY: the symbol is the function `f` declares (`CallPlan::new`'s contract), and
        // `f` is `S f(S, S)` with `S` sixteen floats and no padding (checked); raymath's
        // arithmetic is defined for every float value; `ctx` keeps the library loaded for
        // the process.
        ok.then(|| unsafe { Floats16Binary::new(self.func.fn_ptr()) })
    }

    /// Bookkeeping after every call into C.
    #[inline(always)]
    pub(super) fn after_call(&self) {
        let ctx = self.ctx;
        ctx.ffi_calls.set(ctx.ffi_calls.get() + 1);
        self.calls.set(self.calls.get() + 1);
    }

    /// Everything off the fast path: the window check, sampling, the naive and libffi modes,
    /// heap temporaries, and the functions that open or close the window.
    #[cold]
    #[inline(never)]
    fn call_slow(&self, st: &mut Stack) -> Result<c_int, Error> {
        let ctx = self.ctx;
        if self.slow_mask & mode_bits::NO_WINDOW != 0 && !ctx.window_open() {
            return Err(Error::no_window(self.fname));
        }
        if self.slow_mask & mode_bits::NO_AUDIO != 0 && !ctx.audio_open() {
            return Err(Error::no_audio(self.fname));
        }
        if ctx.sampling() && self.slow_mask & mode_bits::SAMPLING != 0 {
            // One call in 64 is timed, for the overlay's and reports' ns per call.
            let n = ctx.sample_tick.get().wrapping_add(1);
            ctx.sample_tick.set(n);
            if n % 64 == 0 {
                let start = std::time::Instant::now();
                let r = self.call_in_mode(st);
                ctx.sampled_ns
                    .set(ctx.sampled_ns.get() + start.elapsed().as_nanos() as u64);
                ctx.sampled_calls.set(ctx.sampled_calls.get() + 1);
                return r;
            }
        }
        self.call_in_mode(st)
    }

    fn call_in_mode(&self, st: &mut Stack) -> Result<c_int, Error> {
        let ctx = self.ctx;
        let modes = &ctx.modes;
        let r = if modes.naive() {
            self.call_naive(st)
        } else if modes.direct() {
            self.planned.run(self, st, modes.heap())
        } else {
            self.ffi.run(self, st, modes.heap())
        };
        match self.device_effect {
            DeviceEffect::None => {}
            DeviceEffect::Opens => ctx.set_window_open(ctx.is_window_ready()),
            DeviceEffect::Closes => ctx.set_window_open(false),
            DeviceEffect::OpensAudio => ctx.set_audio_open(ctx.is_audio_ready()),
            DeviceEffect::ClosesAudio => ctx.set_audio_open(false),
        }
        if let (Ok(_), Some((arg, key))) = (&r, &self.kept_text) {
            // C now points at this string (a number argument was converted in its slot, so
            // the slot holds the string C got): anchored until the next successful call, the
            // one that replaces C's pointer; the string it replaces may be collected.
            st.set_field(crate::ffi::lua_stack::REGISTRY, key, |st| {
                st.push_copy(*arg)
            });
        }
        match (r, self.decode) {
            (Ok(n), Some(check)) => self.check_decoded(st, check).map(|()| n),
            (r, _) => r,
        }
    }

    /// A loader's result (on top of the stack) is empty: raylib could not decode the file.
    fn check_decoded(&self, st: &mut Stack, check: DecodeCheck) -> Result<(), Error> {
        let Some(value) = st.struct_at(-1) else {
            return Ok(());
        };
        let empty = if check.pointer {
            value.mem.read::<usize>(check.offset) == 0
        } else {
            value.mem.read::<u32>(check.offset) == 0
        };
        if !empty {
            return Ok(());
        }
        let path = st.string(1).map(|p| {
            let bytes = p.to_vec();
            String::from_utf8_lossy(&bytes[..bytes.len().saturating_sub(1)]).into_owned()
        });
        Err(ErrorKind::CannotDecode {
            function: self.fname.into(),
            path: path.unwrap_or_default(),
        }
        .into())
    }

    /// The naive reference path: the same results, but per call the declaration's meaning
    /// is classified again, every layout looked up by type name and recomputed, the argument
    /// plan rebuilt, every temporary malloc'd, and the call made through libffi.
    fn call_naive(&self, st: &mut Stack) -> Result<c_int, Error> {
        let reg = &self.ctx.registry;
        let decl = &reg.functions[self.decl];
        let unsupported = |e: Unsupported| self.arg_error(1, Problem::Other(e.to_string()));
        let sem = classify(reg, decl).map_err(unsupported)?;
        let types: Vec<CType> = decl.params.iter().map(|p| p.ty.clone()).collect();
        let shape = ffi_shape(reg, &types, &decl.ret).ok_or_else(Error::internal)?;
        let naive = pipeline(
            self.ctx,
            decl,
            &sem,
            &shape,
            Invoke::Ffi,
            false,
            &args::layout_by_name,
        )
        .map_err(unsupported)?;
        naive.run(self, st, true)
    }
}

/// Where a loader's result says it is empty: the field raylib leaves zero when it could not
/// decode the file (`Image.data`, `Texture.id`, `Wave.data`, `Sound`/`Music.frameCount`).
#[derive(Clone, Copy, Debug)]
pub struct DecodeCheck {
    offset: usize,
    pointer: bool,
}

/// The check for `Load*` functions that take a file name and return one of those structs.
fn decode_check(
    reg: &crate::registry::Registry,
    f: &FuncDecl,
    sem: &crate::registry::semantics::Semantics,
) -> Option<DecodeCheck> {
    use crate::registry::semantics::ParamKind;
    let takes_file = matches!(
        sem.params.first(),
        Some(ParamKind::FileName {
            must_exist: true,
            ..
        })
    );
    if !f.name.starts_with("Load") || !takes_file {
        return None;
    }
    let CType::Struct(id) = &f.ret else {
        return None;
    };
    let s = &reg.structs[*id];
    let field = match s.name.as_str() {
        "Image" | "Wave" => "data",
        "Texture" => "id",
        "Sound" | "Music" => "frameCount",
        _ => return None,
    };
    let field = s.field(field)?;
    Some(DecodeCheck {
        offset: field.offset,
        pointer: matches!(field.ty, CType::Pointer { .. }),
    })
}

impl LuaHandler for CallPlan {
    #[inline]
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        // One test for every reason to leave the fast path (modes, sampling, no window).
        if self.ctx.modes.bits() & self.slow_mask == 0 {
            return self.planned.run(self, st, false);
        }
        self.call_slow(st)
    }
}
