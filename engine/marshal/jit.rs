//! LuaJIT only: which functions get a JIT-compiled fast case (`ffi::lua_jit`), described
//! from their call plans, and the wrappers installed in place of their planned C functions.
//!
//! The first family: every parameter a `float`, `double`, `int`, `unsigned int`, `bool`, or
//! a struct of only `float` and `unsigned char` fields passed in registers; the return void,
//! `bool`, `int`, `unsigned int`, or a struct in one register (`Color` in rax, `Vector2` in
//! xmm0); and nothing in the plan beyond converting and calling: no window or audio check,
//! no precondition, no vouched struct, no scratch. For these the planned path does nothing
//! the wrapper's fast case leaves out, so both give the same results; anything else the
//! wrapper hands to the planned function itself.

use crate::abi::{call_shape, ArgLoc, Class, RetLoc, RetShape};
use crate::ffi::lua_jit::{self, JitArg, JitEnv, JitFunction, JitPart, JitRet};
use crate::ffi::lua_stack::{build_value, with_main_stack, Stack};
use crate::registry::{CType, Prim};

use super::args::{ArgKind, Ret};
use super::{mode_bits, Bindings, CallPlan, Ctx};

/// The mode bits the fast case reads: it runs only when, of these, exactly jit is set.
/// Sampling (the overlay's and reports' ns per call) is not among them: in jit mode the
/// covered calls are not sampled, only the planned ones.
pub const FAST_MASK: u8 =
    mode_bits::JIT | mode_bits::NAIVE | mode_bits::NO_DIRECT | mode_bits::HEAP;

/// A cdata struct type (`marshal::cdata`) made only of `float` and `unsigned char` fields.
fn plain_struct(ctx: &Ctx, sid: u32) -> bool {
    let s = &ctx.registry.structs[sid as usize];
    crate::ffi::lua_cdata::is_cdata_struct(sid)
        && !s.fields.is_empty()
        && s.fields
            .iter()
            .all(|f| matches!(f.ty, CType::Prim(Prim::Float) | CType::Prim(Prim::UChar)))
}

/// The fast case's description of `plan`, if it is in the family.
pub fn describe(plan: &CallPlan) -> Option<JitFunction> {
    let ctx = plan.ctx;
    let allowed = mode_bits::NAIVE | mode_bits::NO_DIRECT | mode_bits::HEAP | mode_bits::SAMPLING;
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
        || a.scratch
        || a.frees
    {
        return None;
    }
    let f = &ctx.registry.functions[plan.decl];
    if f.variadic {
        return None;
    }
    let types: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
    let shape = call_shape(&ctx.registry, &types, &f.ret)?;
    if shape.words != 0 || a.args.len() != shape.args.len() {
        return None;
    }
    let mut args = Vec::with_capacity(a.args.len());
    for (arg, loc) in a.args.iter().zip(&shape.args) {
        args.push(match (&arg.kind, &f.params.get(args.len())?.ty) {
            (ArgKind::Float, _) => JitArg::Float,
            (ArgKind::Double, _) => JitArg::Double,
            (ArgKind::Int(Prim::Int), _) => JitArg::Int,
            (ArgKind::Int(Prim::UInt), _) => JitArg::UInt,
            (ArgKind::Bool, _) => JitArg::Bool,
            (ArgKind::StructRegs { sid, .. }, _) if plain_struct(ctx, *sid) => {
                let ArgLoc::Regs { parts, n } = loc else {
                    return None;
                };
                let mut out = Vec::new();
                for p in &parts[..*n as usize] {
                    if p.size != 4 && p.size != 8 {
                        return None;
                    }
                    out.push(JitPart {
                        sse: p.class == Class::Sse,
                        offset: p.offset as usize,
                        size: p.size as usize,
                    });
                }
                JitArg::Struct {
                    sid: *sid,
                    parts: out,
                }
            }
            _ => return None,
        });
    }
    let ret = match (&a.ret, shape.ret) {
        (Ret::Void, _) => JitRet::Void,
        (Ret::Scalar(Prim::Bool), _) => JitRet::Bool,
        (Ret::Scalar(Prim::Int), _) => JitRet::Int,
        (Ret::Scalar(Prim::UInt), _) => JitRet::UInt,
        (Ret::Scalar(Prim::Float), _) => JitRet::Float,
        (Ret::Scalar(Prim::Double), _) => JitRet::Double,
        (Ret::StructRegs { sid, size: 4 }, RetLoc::Regs(RetShape::I))
            if plain_struct(ctx, *sid) =>
        {
            JitRet::Struct {
                sid: *sid,
                sse: false,
            }
        }
        (Ret::StructRegs { sid, size: 8 }, RetLoc::Regs(RetShape::F))
            if plain_struct(ctx, *sid) =>
        {
            JitRet::Struct {
                sid: *sid,
                sse: true,
            }
        }
        _ => return None,
    };
    if !lua_jit::supported(&args, ret) {
        return None;
    }
    Some(JitFunction {
        name: plan.name.clone(),
        fun: plan.fn_ptr(),
        args,
        ret,
        calls: plan.calls.as_ptr(),
    })
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
        fast_mask: FAST_MASK,
        fast_value: mode_bits::JIT,
        ffi_calls: ctx.ffi_calls.as_ptr(),
        struct_mt: ctx.struct_mt,
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
    let wrappers = lua_jit::install(lua, &env, &funcs, tables)?;
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
pub fn sync(st: &mut Stack, ctx: &Ctx) {
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
