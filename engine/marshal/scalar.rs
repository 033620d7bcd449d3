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

/// The Lua value at `idx` as C integer type `p`, extended to a 64-bit register word (signed
/// types sign-extended, unsigned zero-extended), range-checked in integer arithmetic: the
/// call path's conversion. Floats take the general path (truncated toward zero).
#[inline(always)]
pub fn int_arg_bits(st: &Stack, idx: c_int, p: Prim) -> Result<u64, ScalarError> {
    let Some(i) = st.integer(idx) else {
        return to_c_integer(st, idx, p).map(|v| v as i64 as u64);
    };
    let word = match p {
        Prim::Int => i32::try_from(i).map(|v| v as i64 as u64).ok(),
        Prim::UInt => u32::try_from(i).map(|v| v as u64).ok(),
        Prim::Char | Prim::SChar => i8::try_from(i).map(|v| v as i64 as u64).ok(),
        Prim::UChar => u8::try_from(i).map(|v| v as u64).ok(),
        Prim::Short => i16::try_from(i).map(|v| v as i64 as u64).ok(),
        Prim::UShort => u16::try_from(i).map(|v| v as u64).ok(),
        // Unsigned 64-bit values above i64::MAX arrive as negative Lua integers (their bit
        // pattern), the usual Lua convention.
        Prim::Long | Prim::LongLong | Prim::ULong | Prim::ULongLong => Some(i as u64),
        Prim::Bool | Prim::Float | Prim::Double | Prim::Void => None,
    };
    word.ok_or(ScalarError::Range)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Prim;

    #[test]
    fn integer_words_are_extended_and_range_checked() {
        let lua = mlua::Lua::new();
        crate::ffi::lua_stack::with_main_stack(&lua, |st| {
            st.push_integer(5);
            st.push_integer(-1);
            st.push_integer(4294967295);
            st.push_integer(300);
            st.push_number(2.9);
            st.push_number(-2.9);
            st.push_number(f64::NAN);
            st.push_integer(1 << 40);
            st.push_bytes(b"x");
            let base = st.top() - 9;
            let at = |k: c_int| base + k;
            assert_eq!(int_arg_bits(st, at(1), Prim::Int), Ok(5));
            // Sign-extended for signed types, zero-extended for unsigned ones.
            assert_eq!(int_arg_bits(st, at(2), Prim::Int), Ok(u64::MAX));
            assert_eq!(int_arg_bits(st, at(2), Prim::UInt), Err(ScalarError::Range));
            assert_eq!(int_arg_bits(st, at(3), Prim::UInt), Ok(0xFFFF_FFFF));
            assert_eq!(int_arg_bits(st, at(3), Prim::Int), Err(ScalarError::Range));
            assert_eq!(
                int_arg_bits(st, at(4), Prim::UChar),
                Err(ScalarError::Range)
            );
            assert_eq!(int_arg_bits(st, at(4), Prim::Short), Ok(300));
            // Floats truncate toward zero; NaN has no integer.
            assert_eq!(int_arg_bits(st, at(5), Prim::Int), Ok(2));
            assert_eq!(int_arg_bits(st, at(6), Prim::Int), Ok(-2i64 as u64));
            assert_eq!(
                int_arg_bits(st, at(7), Prim::Int),
                Err(ScalarError::NotInteger)
            );
            assert_eq!(int_arg_bits(st, at(8), Prim::Int), Err(ScalarError::Range));
            assert_eq!(int_arg_bits(st, at(8), Prim::LongLong), Ok(1 << 40));
            // Strings are not numbers here.
            assert_eq!(int_arg_bits(st, at(9), Prim::Int), Err(ScalarError::Type));
            assert_eq!(int_arg_bits(st, at(10), Prim::Int), Err(ScalarError::Type));
        });
    }
}
