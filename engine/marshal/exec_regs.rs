//! The register executor: the call shape most of raylib's cheap calls have, specialised at
//! plan time. Every argument is a number, a boolean or a struct value in registers, the
//! call needs no scratch and no checks beyond each argument's type and range, and a
//! register invoker calls C. Such a plan's executor is `lean::<K>` for its `K` arguments:
//! the arguments' loop unrolled over [`LeanArg`]s (an integer's C range as two `i64`s, a
//! struct's exact size), one Lua API call per type test and per value read.
//!
//! Contract: the same results as the general executor (`exec::execute`) on every input. Only
//! the common case of each argument is handled here (an integer-typed number in range, a
//! number, a boolean or nil, a struct value of the parameter's type); on anything else,
//! before anything has happened that could be seen, the call starts again in the general
//! executor, which converts, checks and words errors as always (floats truncated, tables
//! converted, refused values named). The naive path's heap mode goes there too.

use std::ffi::c_int;

use crate::error::Error;
use crate::ffi::direct::REG_WORDS;
use crate::ffi::lua_stack::{LuaType, Stack};
use crate::registry::Prim;

use super::args::{ArgKind, ArgPlan, Ret, REG_FRAME};
use super::exec::{execute, Executor, Invoke};
use super::plan::{CallPlan, Pipeline};
use super::ret::push_ret;

/// Most arguments a register plan takes (raylib's register-only calls with more go to the
/// general executor).
const MAX_LEAN: usize = 8;

/// What one argument of a register plan takes, reduced to what the common case needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Lean {
    /// A C integer type: an integer-typed Lua number within `lo..=hi` (the type's range; for
    /// 64-bit types every `i64`, unsigned ones taking its bit pattern as `int_arg_bits` does)
    /// goes to its register as is: sign-extended for signed types, and unsigned ones in
    /// range are never negative.
    Int {
        lo: i64,
        hi: i64,
    },
    Float,
    Double,
    Bool,
    /// A struct of `size` bytes (at most 16) in one or two registers.
    Struct {
        sid: u32,
        size: u32,
    },
}

/// One argument of a register plan: its kind, its Lua position, its frame slots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LeanArg {
    kind: Lean,
    lua: c_int,
    slot: u8,
    slot2: u8,
}

/// The C range of an integer type as `i64`s, as `scalar::int_arg_bits` checks it.
fn int_bounds(p: Prim) -> Option<(i64, i64)> {
    Some(match p {
        Prim::Int => (i32::MIN as i64, i32::MAX as i64),
        Prim::UInt => (0, u32::MAX as i64),
        Prim::Char | Prim::SChar => (i8::MIN as i64, i8::MAX as i64),
        Prim::UChar => (0, u8::MAX as i64),
        Prim::Short => (i16::MIN as i64, i16::MAX as i64),
        Prim::UShort => (0, u16::MAX as i64),
        Prim::Long | Prim::LongLong | Prim::ULong | Prim::ULongLong => (i64::MIN, i64::MAX),
        Prim::Bool | Prim::Float | Prim::Double | Prim::Void => return None,
    })
}

/// The register plan's arguments, if `args` called by `invoke` has that shape.
pub(crate) fn lean_args(args: &ArgPlan, invoke: Invoke) -> Option<Box<[LeanArg]>> {
    if args.scratch || args.frame != REG_FRAME || args.args.len() > MAX_LEAN {
        return None;
    }
    if !matches!(invoke, Invoke::Regs(_)) || matches!(args.ret, Ret::StructMem { .. }) {
        return None;
    }
    args.args
        .iter()
        .map(|a| {
            let kind = match a.kind {
                ArgKind::Int(p) => {
                    let (lo, hi) = int_bounds(p)?;
                    Lean::Int { lo, hi }
                }
                ArgKind::Float => Lean::Float,
                ArgKind::Double => Lean::Double,
                ArgKind::Bool => Lean::Bool,
                ArgKind::StructRegs { sid, size } if size <= 16 => Lean::Struct { sid, size },
                _ => return None,
            };
            let in_frame = |s: u8| (s as usize) < REG_FRAME;
            (in_frame(a.slot) && in_frame(a.slot2) && a.lua > 0).then_some(LeanArg {
                kind,
                lua: a.lua,
                slot: a.slot,
                slot2: a.slot2,
            })
        })
        .collect()
}

/// The executor of a register plan with `n` arguments (`lean_args`).
pub(crate) fn lean_executor(n: usize) -> Option<Executor> {
    Some(match n {
        0 => lean::<0>,
        1 => lean::<1>,
        2 => lean::<2>,
        3 => lean::<3>,
        4 => lean::<4>,
        5 => lean::<5>,
        6 => lean::<6>,
        7 => lean::<7>,
        8 => lean::<8>,
        _ => return None,
    })
}

/// A register plan's call: its `K` arguments' common cases into the registers, C, the
/// result; anything else in the general executor.
#[inline(never)]
fn lean<const K: usize>(
    plan: &CallPlan,
    pipe: &Pipeline,
    st: &mut Stack,
    heap: bool,
) -> Result<c_int, Error> {
    let (Some(args), Invoke::Regs(f), false) = (pipe.lean.first_chunk::<K>(), pipe.invoke, heap)
    else {
        return general(plan, pipe, st, heap);
    };
    let mut frame = [0u64; REG_FRAME];
    for arg in args {
        let a = arg.lua;
        let slot = arg.slot as usize;
        match arg.kind {
            Lean::Int { lo, hi } => match st.integer(a) {
                Some(i) if i >= lo && i <= hi => frame[slot] = i as u64,
                _ => return general(plan, pipe, st, heap),
            },
            Lean::Float => match st.number(a) {
                Some(n) => frame[slot] = (n as f32).to_bits() as u64,
                None => return general(plan, pipe, st, heap),
            },
            Lean::Double => match st.number(a) {
                Some(n) => frame[slot] = n.to_bits(),
                None => return general(plan, pipe, st, heap),
            },
            Lean::Bool => {
                frame[slot] = match st.type_of(a) {
                    LuaType::Boolean => st.boolean(a) as u64,
                    LuaType::Nil | LuaType::None => 0,
                    _ => return general(plan, pipe, st, heap),
                }
            }
            Lean::Struct { sid, size } => match st.struct_at(a) {
                Some(s) if s.ty == sid && s.mem.len() == size as usize => {
                    let words = s.mem.read_two_words();
                    frame[slot] = words[0];
                    frame[arg.slot2 as usize] = words[1];
                }
                _ => return general(plan, pipe, st, heap),
            },
        }
    }
    let regs = frame
        .first_chunk::<REG_WORDS>()
        .ok_or_else(Error::internal)?;
    // SAFETY:
    // - The invoker was chosen at plan time for this function's call shape (`abi::call_shape`,
    //   from the same declaration as the plan's symbol), as for the general executor.
    // - Every word it passes was written above from the function's argument plan: numbers,
    //   booleans and struct bytes only, no pointers (`lean_args` takes no other kind).
    let bits = unsafe { f(plan.func.fn_ptr(), regs) };
    plan.after_call();
    // No scratch: a returned pointer's length is unknown here as in the general executor.
    Ok(push_ret(plan.ctx, st, &pipe.args.ret, bits, 0))
}

/// The general executor for the register frame without scratch: every case the lean one
/// leaves, from the start (nothing was done yet that it would see).
#[cold]
#[inline(never)]
fn general(plan: &CallPlan, pipe: &Pipeline, st: &mut Stack, heap: bool) -> Result<c_int, Error> {
    execute::<REG_FRAME, false>(plan, pipe, st, heap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bindings() -> crate::marshal::Bindings {
        let lib =
            crate::runtime::libraries::load(crate::runtime::libraries::Backend::Headless, None)
                .expect("the headless libraylib loads");
        let lua = Box::leak(Box::new(mlua::Lua::new()));
        crate::marshal::bind(lua, crate::registry::Registry::raylib(), lib)
    }

    #[test]
    fn register_plans_are_the_number_and_struct_calls_in_registers() {
        let b = bindings();
        let lean_of = |name: &str| {
            let plan = b.plans.iter().find(|p| p.name == name).expect("a plan");
            plan.planned_lean().to_vec()
        };
        let sid = |n: &str| b.ctx.registry.struct_id(n).unwrap() as u32;
        let int = Lean::Int {
            lo: i32::MIN as i64,
            hi: i32::MAX as i64,
        };
        let arg = |kind, lua, slot, slot2| LeanArg {
            kind,
            lua,
            slot,
            slot2,
        };
        let sink = (REG_FRAME - 1) as u8;
        assert_eq!(
            lean_of("GetRandomValue"),
            vec![arg(int, 1, 0, sink), arg(int, 2, 1, sink)]
        );
        // Rectangles in two SSE registers each.
        let rect = Lean::Struct {
            sid: sid("Rectangle"),
            size: 16,
        };
        let f = crate::abi::FLOAT_BASE as u8;
        assert_eq!(
            lean_of("CheckCollisionRecs"),
            vec![arg(rect, 1, f, f + 1), arg(rect, 2, f + 2, f + 3)]
        );
        // Unsigned types keep their own range.
        assert!(matches!(
            lean_of("SetConfigFlags")[..],
            [LeanArg {
                kind: Lean::Int {
                    lo: 0,
                    hi: 0xFFFF_FFFF
                },
                ..
            }]
        ));
        assert_eq!(lean_of("GetMousePosition"), vec![]);
        // Not register plans: a struct in memory words, a string, an array with its count.
        for name in ["DrawTexture", "DrawText", "DrawTriangleStrip"] {
            let plan = b.plans.iter().find(|p| p.name == name).unwrap();
            assert!(plan.planned_lean().is_empty(), "{name}");
        }
        // GetMousePosition takes nothing: a register plan of no arguments, told apart from
        // the plans above by its executor.
        let exec_of = |name: &str| {
            let plan = b.plans.iter().find(|p| p.name == name).unwrap();
            plan.planned_exec()
        };
        let same = |a: Executor, b: Executor| std::ptr::fn_addr_eq(a, b);
        assert!(same(exec_of("GetMousePosition"), lean::<0>));
        assert!(same(exec_of("GetRandomValue"), lean::<2>));
        assert!(!same(exec_of("DrawTexture"), lean::<4>));
    }
}
