//! Numbers with declared preconditions (`registry::preconditions`): converted as any, then
//! held to their rule (ranges, lengths of other arguments, struct fields) before C is called.

use std::ffi::c_int;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::Stack;

use super::exec::number;
use super::plan::CallPlan;
use super::scalar::{int_arg_bits, ScalarError};
use super::structs::scalar_expected;

/// A number with a declared precondition: converted as any, then held to its rule.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
pub(super) fn checked_arg(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    prim: crate::registry::Prim,
    rule: &crate::registry::preconditions::Rule,
    reason: &str,
    param: u8,
    len_arg: c_int,
) -> Result<u64, Error> {
    use crate::registry::preconditions::Rule;
    let decl = &plan.ctx.registry.functions[plan.decl];
    let refuse = || {
        let words = crate::registry::preconditions::describe(rule, &decl.params);
        let name = decl
            .params
            .get(param as usize)
            .map_or("?", |p| p.name.as_str());
        plan.arg_error(
            a,
            Problem::Other(format!("{name} must be {words}: {reason}")),
        )
    };
    if prim.is_float() {
        let v = number(plan, st, a)?;
        let ok = match rule {
            Rule::AtLeast(min) => v >= *min,
            Rule::Between(min, max) => v >= *min && v <= *max,
            _ => false,
        };
        if !ok {
            return Err(refuse());
        }
        return Ok(if prim == crate::registry::Prim::Float {
            (v as f32).to_bits() as u64
        } else {
            v.to_bits()
        });
    }
    let bits = int_arg_bits(st, a, prim).map_err(|e| match e {
        ScalarError::Type => plan.type_error(st, a, scalar_expected(prim)),
        other => plan.arg_error(a, scalar_problem(other)),
    })?;
    // Signed types arrive sign-extended, unsigned zero-extended: as i64 either way.
    let v = bits as i64;
    let ok = match rule {
        Rule::Range { min, max } => (*min..=*max).contains(&v),
        Rule::AtMostLenOf(_) => {
            // C's length: up to the first NUL (`"\0\0"` is an empty C string).
            let len = st.string(len_arg).map_or(0, |s| {
                (0..s.len() - 1)
                    .find(|&i| s.read::<u8>(i) == 0)
                    .unwrap_or(s.len() - 1) as i64
            });
            (0..=len).contains(&v)
        }
        Rule::AtLeast(min) => v as f64 >= *min,
        Rule::Between(min, max) => (*min..=*max).contains(&(v as f64)),
        Rule::OneOf(values) => values.contains(&v),
        Rule::InFields {
            of,
            fields,
            inclusive,
        } => match fields_bound(plan, st, len_arg, *of, fields) {
            Some(b) if *inclusive => (0..=b).contains(&v),
            Some(b) => (0..b).contains(&v),
            None => false,
        },
        Rule::Offset { of, field, size } => {
            // The size parameter's Lua argument: parameters before it are all Lua arguments
            // (checked by the registry's test of this rule).
            let max = st.number(*size as c_int + 1).map(|n| n as i64);
            match (fields_bound(plan, st, len_arg, *of, &[field]), max) {
                (Some(min), Some(max)) => (-min..=max).contains(&v),
                _ => false,
            }
        }
    };
    if ok {
        Ok(bits)
    } else {
        Err(refuse())
    }
}

/// The smallest of the integer `fields` of the struct value at Lua argument `a` (parameter
/// `of`): None unless it is a struct value of the parameter's type.
pub(super) fn fields_bound(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    of: usize,
    fields: &[&str],
) -> Option<i64> {
    use crate::registry::CType;
    let reg = &plan.ctx.registry;
    let sid = match &reg.functions[plan.decl].params.get(of)?.ty {
        CType::Struct(id) => *id,
        CType::Pointer { to, .. } => match **to {
            CType::Struct(id) => id,
            _ => return None,
        },
        _ => return None,
    };
    let s = st.struct_at(a).filter(|s| s.ty as usize == sid)?;
    let decl = &reg.structs[sid];
    fields
        .iter()
        .map(|name| decl.field(name).map(|f| s.mem.read::<i32>(f.offset) as i64))
        .min()
        .flatten()
}

pub(super) fn scalar_problem(e: ScalarError) -> Problem {
    match e {
        ScalarError::Type => Problem::Other("wrong type".into()),
        ScalarError::NotInteger => Problem::NotInteger,
        ScalarError::Range => Problem::OutOfRange,
    }
}
