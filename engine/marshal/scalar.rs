//! Numbers and booleans between Lua and C: one function per direction, specialised by the
//! C scalar type the plan fixed. Floats passed to integer parameters are truncated toward
//! zero (as raylib-lua does); NaN, infinities and values outside the C type's range are errors.

use std::ffi::c_int;

use crate::ffi::lua_stack::{LuaType, Stack};
use crate::ffi::memory::CMem;
use crate::registry::Prim;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScalarError {
    #[error("wrong type")]
    Type,
    #[error("number has no integer representation")]
    NotInteger,
    #[error("value out of range")]
    Range,
}

/// Reads the Lua value at `idx` as an integer for a C integer type: integers as they are,
/// floats truncated toward zero, both checked against the type's range.
#[inline]
pub fn to_c_integer(st: &Stack, idx: c_int, p: Prim) -> Result<i128, ScalarError> {
    let (lo, hi) = p.int_range();
    if let Some(i) = st.integer(idx) {
        let v = i as i128;
        // Unsigned 64-bit values above i64::MAX arrive as negative Lua integers; C's
        // unsigned long long takes their bit pattern, the usual Lua convention.
        if matches!(p, Prim::ULong | Prim::ULongLong) {
            return Ok((i as u64) as i128);
        }
        return if (v as f64) < lo || (v as f64) > hi {
            Err(ScalarError::Range)
        } else {
            Ok(v)
        };
    }
    let Some(f) = st.number(idx) else {
        return Err(ScalarError::Type);
    };
    if !f.is_finite() {
        return Err(ScalarError::NotInteger);
    }
    let t = f.trunc();
    if t < lo || t > hi {
        return Err(ScalarError::Range);
    }
    Ok(t as i128)
}

/// Converts the Lua value at `idx` to C type `p` and writes it at `dst[offset..]`.
#[inline]
pub fn write_scalar(
    st: &Stack,
    idx: c_int,
    p: Prim,
    dst: CMem<'_>,
    offset: usize,
) -> Result<(), ScalarError> {
    match p {
        Prim::Float => dst.write::<f32>(offset, st.number(idx).ok_or(ScalarError::Type)? as f32),
        Prim::Double => dst.write::<f64>(offset, st.number(idx).ok_or(ScalarError::Type)?),
        Prim::Bool => {
            let b = match st.type_of(idx) {
                LuaType::Boolean => st.boolean(idx),
                LuaType::Nil | LuaType::None => false,
                _ => return Err(ScalarError::Type),
            };
            dst.write::<u8>(offset, b as u8)
        }
        Prim::Void => return Err(ScalarError::Type),
        _ => {
            let v = to_c_integer(st, idx, p)?;
            match p.size() {
                1 => dst.write::<u8>(offset, v as u8),
                2 => dst.write::<u16>(offset, v as u16),
                4 => dst.write::<u32>(offset, v as u32),
                _ => dst.write::<u64>(offset, v as u64),
            }
        }
    }
    Ok(())
}

/// Pushes the C value of type `p` at `src[offset..]`: integers as Lua integers, floats as
/// numbers, bool as boolean.
#[inline]
pub fn read_scalar(st: &mut Stack, p: Prim, src: CMem<'_>, offset: usize) {
    match p {
        Prim::Float => st.push_number(src.read::<f32>(offset) as f64),
        Prim::Double => st.push_number(src.read::<f64>(offset)),
        Prim::Bool => st.push_boolean(src.read::<u8>(offset) != 0),
        Prim::Char | Prim::SChar => st.push_integer(src.read::<i8>(offset) as i64),
        Prim::UChar => st.push_integer(src.read::<u8>(offset) as i64),
        Prim::Short => st.push_integer(src.read::<i16>(offset) as i64),
        Prim::UShort => st.push_integer(src.read::<u16>(offset) as i64),
        Prim::Int => st.push_integer(src.read::<i32>(offset) as i64),
        Prim::UInt => st.push_integer(src.read::<u32>(offset) as i64),
        Prim::Long | Prim::LongLong | Prim::ULong | Prim::ULongLong => {
            st.push_integer(src.read::<i64>(offset))
        }
        Prim::Void => st.push_nil(),
    }
}
