//! The one return pusher: a C return value, as the raw bits of its return registers (direct
//! invokers) or the bytes libffi stored (the same bits on a little-endian target), onto the
//! Lua stack; and out-parameters after it.

use std::ffi::{c_int, c_void};

use crate::ffi::lua_stack::Stack;
use crate::ffi::memory::{c_string_at, CMem};
use crate::registry::Prim;

use super::args::{OutConv, Ret};
use super::scalar::read_scalar;
use super::Ctx;

/// Pushes a scalar returned in rax or xmm0 (only its low bytes are meaningful).
#[inline(always)]
pub(crate) fn push_scalar_bits(st: &mut Stack, p: Prim, bits: u64) {
    match p {
        Prim::Float => st.push_number(f32::from_bits(bits as u32) as f64),
        Prim::Double => st.push_number(f64::from_bits(bits)),
        Prim::Bool => st.push_boolean(bits as u8 != 0),
        Prim::Char | Prim::SChar => st.push_integer(bits as i8 as i64),
        Prim::UChar => st.push_integer(bits as u8 as i64),
        Prim::Short => st.push_integer(bits as i16 as i64),
        Prim::UShort => st.push_integer(bits as u16 as i64),
        Prim::Int => st.push_integer(bits as i32 as i64),
        Prim::UInt => st.push_integer(bits as u32 as i64),
        Prim::Long | Prim::LongLong | Prim::ULong | Prim::ULongLong => st.push_integer(bits as i64),
        Prim::Void => st.push_nil(),
    }
}

/// Pushes a return value from its register bits; returns how many values it pushed. A
/// struct returned in memory was pushed before the call (C wrote into it): nothing to do.
/// `ptr_len`: the bytes behind a returned pointer, from its declared length (0: unknown).
#[inline(always)]
pub(crate) fn push_ret(
    ctx: &Ctx,
    st: &mut Stack,
    ret: &Ret,
    bits: [u64; 2],
    ptr_len: usize,
) -> c_int {
    match ret {
        Ret::Void => return 0,
        Ret::Scalar(p) => push_scalar_bits(st, *p, bits[0]),
        Ret::StructRegs { sid, size } => {
            let size = *size as usize;
            let mem = st.push_struct(*sid, size, ctx.struct_mt);
            mem.write_bits(0, bits[0], size.min(8));
            if size > 8 {
                mem.write_bits(8, bits[1], size - 8);
            }
        }
        Ret::StructMem { .. } => {}
        // SAFETY: the registry declares this function's return as `const char *`: NULL or a
        // NUL-terminated string, valid until the next call into raylib; copied here at once.
        Ret::CString => match unsafe { c_string_at(bits[0] as usize as *const c_void) } {
            Some(bytes) => st.push_bytes(&bytes),
            None => st.push_nil(),
        },
        // SAFETY: `ptr_len` comes from the function's declared return length
        // (`registry::return_lengths`), computed as raylib's own allocation computes it, and
        // the pointer is the one just returned: that many bytes it allocated for the caller
        // (freed only through lunaray, which marks the value) or static storage.
        Ret::Pointer { tag, owned } => unsafe {
            st.push_pointer_sized(
                *tag,
                bits[0] as usize as *mut c_void,
                *owned,
                ptr_len,
                ctx.pointer_mt,
            )
        },
    }
    1
}

/// Pushes the value C wrote into an out-parameter's slot.
pub(crate) fn push_out(ctx: &Ctx, st: &mut Stack, conv: &OutConv, slot: CMem<'_>) {
    match conv {
        OutConv::Scalar(p) => read_scalar(st, *p, slot, 0),
        OutConv::Struct { sid, size } => {
            let size = *size as usize;
            let mem = st.push_struct(*sid, size, ctx.struct_mt);
            mem.copy_from(0, slot.slice(0, size));
        }
        OutConv::Pointer { tag } => {
            let p = slot.read::<usize>(0) as *mut c_void;
            st.push_pointer(*tag, p, false, ctx.pointer_mt)
        }
    }
}
