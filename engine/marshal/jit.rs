//! LuaJIT only: which functions get a JIT-compiled fast case (`ffi::lua_jit`), described
//! from their call plans, and the wrappers installed in place of their planned C functions.
//!
//! The family: every function with a direct invoker whose every parameter is a `float`,
//! `double`, `int`, `unsigned int`, `bool`, a cdata struct (`marshal::cdata`) of numbers, in
//! registers or memory words, or a `const char *` text (a Lua string; raygui's of at most
//! `MAX_GUI_TEXT` bytes); whose return is void, one of those scalars, a cdata struct (in
//! registers or memory) or a `const char *` (copied into a Lua string); and whose plan does
//! nothing beyond converting and calling but for the window or audio check (which are mode
//! bits the wrapper tests) and preconditions that bound a number (an integer range, a float
//! from or between limits: the fast case takes only numbers within them): no other
//! precondition, no vouched struct, no scratch. For these the planned path does nothing the
//! wrapper's fast case leaves out, so both give the same results; anything else (a number
//! out of bounds included) the wrapper hands to the planned function itself, whose error it
//! then is.

use crate::abi::{call_shape, ArgLoc, MEMORY_BASE};
use crate::ffi::lua_jit::{self, JitArg, JitEnv, JitFunction, JitInvoker, JitRet, Member, Width};
use crate::ffi::lua_stack::{build_value, with_main_stack, Stack};
use crate::registry::preconditions::Rule;
use crate::registry::{CType, Prim};

use super::args::{ArgKind, Ret};
use super::exec::Invoke;
use super::structs::FieldKind;
use super::{mode_bits, Bindings, CallPlan, Ctx};

/// The mode bits every fast case reads: it runs only when, of these (and of the window and
/// audio bits where its plan needs the device), exactly jit is set. Sampling (the overlay's
/// and reports' ns per call) is not among them: in jit mode the covered calls are not
/// sampled, only the planned ones.
pub const FAST_MASK: u8 =
    mode_bits::JIT | mode_bits::NAIVE | mode_bits::NO_DIRECT | mode_bits::HEAP;

/// The device bits a plan may need (`NO_WINDOW`: no window is open).
const DEVICE: u8 = mode_bits::NO_WINDOW | mode_bits::NO_AUDIO;

/// The members of cdata struct `sid` with the byte each goes to: `place(field offset)`.
/// None unless `sid` is a cdata type of float and integer fields.
fn members(ctx: &Ctx, sid: u32, place: &dyn Fn(usize) -> Option<usize>) -> Option<Vec<Member>> {
    if !crate::ffi::lua_cdata::is_cdata_struct(sid) {
        return None;
    }
    let info = &ctx.structs[sid as usize];
    let mut out = Vec::with_capacity(info.fields.len());
    for f in &info.fields {
        let FieldKind::Scalar(p) = f.kind else {
            return None;
        };
        let width = match p {
            Prim::Float | Prim::Int | Prim::UInt => Width::W32,
            Prim::Short | Prim::UShort => Width::W16,
            Prim::UChar | Prim::SChar => Width::W8,
            _ => return None,
        };
        out.push(Member {
            name: format!("lr_{}", f.name),
            width,
            byte: place(f.offset)?,
        });
    }
    Some(out)
}

/// The frame slot of a scalar argument: one register or one memory word.
fn scalar_slot(loc: &ArgLoc) -> Option<usize> {
    match loc {
        ArgLoc::Regs { n: 1, parts } => Some(parts[0].slot as usize),
        ArgLoc::Memory { first, words: 1 } => Some(MEMORY_BASE + *first as usize),
        _ => None,
    }
}

/// A 32-bit integer argument of type `p` in `slot`, within `bound` where a precondition
/// gives one (None: the type's range; a bound outside the type's range is narrowed to it).
fn int_arg(slot: usize, p: Prim, bound: Option<(i64, i64)>) -> Option<JitArg> {
    let (lo, hi, unsigned) = match p {
        Prim::Int => (i32::MIN as i64, i32::MAX as i64, false),
        Prim::UInt => (0, u32::MAX as i64, true),
        _ => return None,
    };
    let (min, max) = bound.map_or((lo, hi), |(a, b)| (a.max(lo), b.min(hi)));
    (min <= max).then_some(JitArg::Int {
        slot,
        min,
        max,
        unsigned,
    })
}

/// The fast case's description of `plan`, if it is in the family.
pub fn describe(plan: &CallPlan) -> Option<JitFunction> {
    let ctx = plan.ctx;
    let allowed =
        mode_bits::NAIVE | mode_bits::NO_DIRECT | mode_bits::HEAP | mode_bits::SAMPLING | DEVICE;
    if plan.slow_mask() & !allowed != 0 || !plan.has_direct_invoker() {
        return None;
    }
    let a = &plan.planned_args();
    if !a.vouch.is_empty()
        || a.ret_vouch
        || a.ret_len.is_some()
        || a.coord_bound.is_some()
        || a.rect_in_image.is_some()
        || a.needs.is_some()
        || a.text_image.is_some()
        || a.text_fit.is_some()
        || a.non_empty.is_some()
        || a.count_bound.is_some()
        || a.font.is_some()
        || a.automation.is_some()
        || a.rotates.is_some()
        || a.scratch
        || a.frees
    {
        return None;
    }
    let invoker = match plan.planned_invoke() {
        Invoke::Regs(f) => JitInvoker::Regs(*f),
        Invoke::Memory(f) => JitInvoker::Memory(*f),
        Invoke::Ffi => return None,
    };
    let f = &ctx.registry.functions[plan.decl];
    if f.variadic {
        return None;
    }
    let types: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
    let shape = call_shape(&ctx.registry, &types, &f.ret)?;
    if a.args.len() != shape.args.len() {
        return None;
    }
    let mut args = Vec::with_capacity(a.args.len());
    for (arg, loc) in a.args.iter().zip(&shape.args) {
        args.push(match &arg.kind {
            ArgKind::Float => JitArg::Float {
                slot: scalar_slot(loc)?,
                min: f64::NEG_INFINITY,
                max: f64::INFINITY,
            },
            ArgKind::Double => JitArg::Double(scalar_slot(loc)?),
            ArgKind::Int(p @ (Prim::Int | Prim::UInt)) => int_arg(scalar_slot(loc)?, *p, None)?,
            // A precondition the fast case tests as a bound; any other stays with the plan.
            ArgKind::Checked { prim, rule, .. } => match (prim, rule) {
                (Prim::Int | Prim::UInt, Rule::Range { min, max }) => {
                    int_arg(scalar_slot(loc)?, *prim, Some((*min, *max)))?
                }
                (Prim::Float, Rule::Between(min, max)) => JitArg::Float {
                    slot: scalar_slot(loc)?,
                    min: *min,
                    max: *max,
                },
                (Prim::Float, Rule::AtLeast(min)) => JitArg::Float {
                    slot: scalar_slot(loc)?,
                    min: *min,
                    max: f64::INFINITY,
                },
                _ => return None,
            },
            ArgKind::Bool => JitArg::Bool(scalar_slot(loc)?),
            ArgKind::CString => JitArg::Text {
                slot: scalar_slot(loc)?,
                max: None,
            },
            ArgKind::StringNilEmpty => JitArg::Text {
                slot: scalar_slot(loc)?,
                max: Some(crate::registry::semantics::MAX_GUI_TEXT),
            },
            ArgKind::StructRegs { sid, .. } | ArgKind::StructWords { sid, .. } => {
                let place = |off: usize| -> Option<usize> {
                    match loc {
                        ArgLoc::Regs { parts, n } => parts[..*n as usize]
                            .iter()
                            .find(|p| {
                                off >= p.offset as usize && off < (p.offset + p.size) as usize
                            })
                            .map(|p| 8 * p.slot as usize + off - p.offset as usize),
                        ArgLoc::Memory { first, .. } => {
                            Some(8 * (MEMORY_BASE + *first as usize) + off)
                        }
                    }
                };
                JitArg::Struct {
                    sid: *sid,
                    members: members(ctx, *sid, &place)?,
                }
            }
            _ => return None,
        });
    }
    let ret = match &a.ret {
        Ret::Void => JitRet::Void,
        Ret::Scalar(Prim::Bool) => JitRet::Bool,
        Ret::Scalar(Prim::Int) => JitRet::Int,
        Ret::Scalar(Prim::UInt) => JitRet::UInt,
        Ret::Scalar(Prim::Float) => JitRet::Float,
        Ret::Scalar(Prim::Double) => JitRet::Double,
        Ret::CString => JitRet::Text,
        // Register words come back in the value's order: a member's byte is its offset.
        Ret::StructRegs { sid, .. } => JitRet::Struct {
            sid: *sid,
            members: members(ctx, *sid, &|off| Some(off))?,
            memory: None,
        },
        Ret::StructMem { sid, size } => JitRet::Struct {
            sid: *sid,
            members: members(ctx, *sid, &|off| Some(off))?,
            memory: Some(*size as usize),
        },
        _ => return None,
    };
    Some(JitFunction {
        name: plan.name.clone(),
        fun: plan.fn_ptr(),
        invoker,
        args,
        ret,
        fast_mask: FAST_MASK | (plan.slow_mask() & DEVICE),
        fast_value: mode_bits::JIT,
        calls: plan.calls.as_ptr(),
        raw: OPERATOR_FUNCTIONS.contains(&plan.name.as_str()),
    })
}

/// The raymath functions the struct operators are computed with (`ffi::lua_jit::OpType`).
const OPERATOR_FUNCTIONS: &[&str] = &[
    "Vector2Add",
    "Vector2Subtract",
    "Vector2Multiply",
    "Vector2Divide",
    "Vector2Scale",
    "Vector2AddValue",
    "Vector2SubtractValue",
    "Vector2Negate",
    "Vector2Length",
    "Vector3Add",
    "Vector3Subtract",
    "Vector3Multiply",
    "Vector3Divide",
    "Vector3Scale",
    "Vector3AddValue",
    "Vector3SubtractValue",
    "Vector3Negate",
    "Vector3Length",
    "Vector4Add",
    "Vector4Subtract",
    "Vector4Multiply",
    "Vector4Divide",
    "Vector4Scale",
    "Vector4AddValue",
    "Vector4SubtractValue",
    "Vector4Negate",
    "Vector4Length",
    "MatrixMultiply",
    "MatrixAdd",
    "MatrixSubtract",
    "Vector3Transform",
];

/// The struct types whose operators get compiled fast cases.
fn operator_types(ctx: &Ctx) -> Vec<lua_jit::OpType> {
    let id = |name: &str| {
        ctx.registry
            .struct_id(name)
            .map(|s| s as u32)
            .filter(|&s| crate::ffi::lua_cdata::is_cdata_struct(s))
    };
    let mut out = Vec::new();
    for prefix in ["Vector2", "Vector3", "Vector4"] {
        if let Some(sid) = id(prefix) {
            out.push(lua_jit::OpType::Vector { sid, prefix });
        }
    }
    if let (Some(sid), Some(vector3)) = (id("Matrix"), id("Vector3")) {
        out.push(lua_jit::OpType::Matrix { sid, vector3 });
    }
    out
}

/// Replaces, in `rl`, every function of the family with its wrapper (whose fallback is the
/// planned function), and records in the context whether jit mode can be switched on: only
/// with cdata struct values (`marshal::cdata`). Loading `ffi` privately also keeps scripts
/// from loading it themselves.
pub fn install(
    lua: &mlua::Lua,
    bindings: &Bindings,
    rl: &mlua::Table,
    cdata_on: bool,
) -> mlua::Result<usize> {
    let ctx = bindings.ctx;
    if !cdata_on {
        ctx.jit_available.set(false);
        return Ok(0);
    }
    let funcs: Vec<JitFunction> = bindings.plans.iter().filter_map(describe).collect();
    let planned = lua.create_table()?;
    for f in &funcs {
        planned.set(f.name.as_str(), rl.get::<mlua::Value>(f.name.as_str())?)?;
    }
    let env = JitEnv {
        mode_bits: ctx.modes.bits_ptr(),
        ffi_calls: ctx.ffi_calls.as_ptr(),
    };
    let mirror_ref = with_main_stack(lua, |st| {
        st.new_table();
        st.set_field(-1, "on", |st| st.push_boolean(false));
        st.reference()
    });
    let mirror: mlua::Table = build_value(lua, |st| st.push_ref(mirror_ref))?;
    let struct_mt: mlua::Table = build_value(lua, |st| st.push_ref(ctx.struct_mt))?;
    let tables = lua_jit::JitTables {
        planned,
        struct_mt,
        mirror,
    };
    let wrappers = lua_jit::install(lua, &env, &funcs, &operator_types(ctx), tables)?;
    let mut n = 0;
    for pair in wrappers.pairs::<mlua::LuaString, mlua::Function>() {
        let (name, w) = pair?;
        rl.raw_set(name, w)?;
        n += 1;
    }
    // Aliases of covered functions take the wrapper too.
    for (alias, target) in &ctx.registry.function_aliases {
        if let Ok(w) = wrappers.raw_get::<mlua::Function>(target.as_str()) {
            rl.raw_set(alias.as_str(), w)?;
        }
    }
    ctx.jit_available.set(true);
    ctx.jit_mirror.set(mirror_ref);
    with_main_stack(lua, |st| sync(st, ctx));
    Ok(n)
}

/// Brings the wrappers' mirror of jit mode (`ffi::lua_jit::source`) up to date: after every
/// change of the mode bits (`lunaray.mode`, the command line, key M, the bench).
/// The luajit-ffi peer's entries in `rl` are brought up to date too (`peer::sync`).
pub fn sync(st: &mut Stack, ctx: &Ctx) {
    super::peer::sync(st, ctx);
    let r = ctx.jit_mirror.get();
    if r == 0 {
        return;
    }
    st.push_ref(r);
    // The key exists already: no allocation, no error.
    st.set_field(-1, "on", |st| st.push_boolean(ctx.modes.jit()));
    st.pop(1);
}

/// [`sync`] from outside a call.
pub fn sync_lua(lua: &mlua::Lua, ctx: &Ctx) {
    with_main_stack(lua, |st| sync(st, ctx));
}
