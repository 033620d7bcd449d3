//! Pointers, arrays and in/out targets as C arguments: struct references, typed pointers,
//! one-element buffers, memory C frees, Lua arrays converted into arena scratch with their
//! counts, and where C writes an out- or in/out value. Each returns the address the executor
//! puts in the frame (and an array's length), or the argument's error.
//!
//! Contract: C gets only memory it may use as the parameter declares: Lua-owned bytes only
//! where C reads them or where they are a value of the pointee type the script passed for C to
//! change; pointer values only live, of the right type, and as long as raylib said they are.

use std::ffi::c_int;

use crate::arena::CallScope;
use crate::error::{Error, Problem};
use crate::ffi::lua_stack::{LuaType, Stack};
use crate::ffi::memory::CMem;

use super::arg_checked::scalar_problem;
use super::exec::NIL_WITH_COUNT;
use super::plan::CallPlan;
use super::records::check_described;
use super::scalar::{to_c_integer, ScalarError};
use super::structs::write_field;
use super::structs::{describe, FieldKind};
use super::Ctx;

/// `T *`: a struct value's own bytes, or a live pointer value of that type. Never NULL:
/// raylib dereferences these.
#[inline]
pub(super) fn struct_ref_arg(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    sid: u32,
    tag: u32,
) -> Result<usize, Error> {
    match (st.struct_at(a), st.pointer_at(a)) {
        (Some(s), _) if s.ty == sid && s.read_only => Err(read_only(plan, a, sid)),
        (Some(s), _) if s.ty == sid => Ok(s.mem.as_ptr() as usize),
        (_, Some(p)) if p.tag == tag && !p.freed => Ok(p.ptr as usize),
        _ => match one_element(plan, st, a, tag, true) {
            Some(p) => Ok(p),
            None => Err(plan.type_error(st, a, &plan.ctx.structs[sid as usize].name)),
        },
    }
}

/// A typed buffer of at least one element of the pointee type (tag `tag`), where C reads or
/// writes one element: its first element's address.
#[inline]
pub(super) fn one_element(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    tag: u32,
    writes: bool,
) -> Option<usize> {
    let b = st.buffer_at(a)?;
    if writes && read_only_view(st, a) {
        return None;
    }
    (b.count >= 1 && tag != 0 && plan.ctx.buffer_elem_tag(b.elem) == tag)
        .then(|| b.mem.as_ptr() as usize)
}

/// A pointer view whose rule makes it read-only (`Mesh.indices`): C never writes it.
#[cold]
pub(super) fn read_only_view(st: &Stack, a: c_int) -> bool {
    st.is_pointer_view(a) && st.view_state(a).is_some_and(|v| v.read_only)
}

/// Any other pointer: a live pointer value (of the right pointee type unless either side is
/// `void *`); a struct value of the pointee type, or any struct value behind a `const void *`
/// (a shader uniform); a string's bytes only where C does not write; nil (NULL) only for
/// `const void *` and `const char *`-like bytes.
#[inline]
pub(super) fn pointer_arg(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    tag: u32,
    writable: bool,
    pointee: u32,
) -> Result<usize, Error> {
    if let Some(s) = st.struct_at(a) {
        if writable && s.read_only {
            return Err(read_only(plan, a, s.ty));
        }
        if s.ty == pointee || (tag == 0 && !writable) {
            return Ok(s.mem.as_ptr() as usize);
        }
        return Err(plan.type_error(st, a, &plan.ctx.pointer_name(tag)));
    }
    if let Some(p) = st.pointer_at(a) {
        if p.freed || (tag != 0 && p.tag != tag && p.tag != 0) {
            return Err(plan.type_error(st, a, &plan.ctx.pointer_name(tag)));
        }
        return Ok(p.ptr as usize);
    }
    if let Some(p) = one_element(plan, st, a, tag, writable).filter(|_| !is_char(plan, tag)) {
        return Ok(p);
    }
    // Behind a `const void *` C reads bytes, as it would a string's: any typed buffer's
    // (`UpdateTexture(tex, pixels)` with a `Color[?]`; declared byte needs check its length).
    if let (0, false, Some(b)) = (tag, writable, st.buffer_at(a)) {
        return Ok(b.mem.as_ptr() as usize);
    }
    match st.type_of(a) {
        // NULL only where C reads untyped data (`rlLoadTexture(NULL, ...)` makes an empty
        // texture): raylib writes through its pointers, and reads typed ones, unchecked.
        LuaType::Nil | LuaType::None if !writable && (tag == 0 || is_char(plan, tag)) => Ok(0),
        LuaType::String if !writable => Ok(st.string(a).map_or(0, |m| m.as_ptr() as usize)),
        _ => Err(plan.type_error(st, a, &plan.ctx.pointer_name(tag))),
    }
}

/// Where C writes a value of the pointee type (`tag`, `size` bytes) for a Lua argument that
/// is a one-element typed buffer of that type or a struct value of it: that memory, alive
/// for the whole call (an argument). None for anything else.
pub(super) fn value_target<'call>(
    plan: &CallPlan,
    st: &Stack<'call>,
    a: c_int,
    tag: u32,
    conv: &super::args::OutConv,
    size: u32,
) -> Option<CMem<'call>> {
    use super::args::OutConv;
    if let Some(b) = st.arg_buffer_at(a) {
        let fits = b.count >= 1
            && tag != 0
            && plan.ctx.buffer_elem_tag(b.elem) == tag
            && !read_only_view(st, a);
        return fits.then(|| b.mem.slice(0, size as usize));
    }
    match (st.arg_struct_at(a), conv) {
        // A constant (`rl.RED`) is read as a value, never written.
        (Some(s), OutConv::Struct { sid, .. }) if s.ty == *sid && !s.read_only => Some(s.mem),
        _ => None,
    }
}

/// A constant struct value where C would write.
#[cold]
pub(super) fn read_only(plan: &CallPlan, a: c_int, sid: u32) -> Error {
    plan.arg_error(
        a,
        Problem::ReadOnly {
            strukt: plan.ctx.structs[sid as usize].name.clone(),
        },
    )
}

/// What an out-parameter takes, for its message: `Vector2 buffer or value`.
#[cold]
pub(super) fn target_name(plan: &CallPlan, tag: u32) -> String {
    use crate::registry::CType;
    match plan.ctx.pointer_type(tag) {
        ty @ CType::Struct(_) => {
            let name = plan.ctx.registry.type_name(&ty);
            format!("{name} or {name}[1] buffer or nil")
        }
        ty => format!("{}[1] buffer or nil", plan.ctx.registry.type_name(&ty)),
    }
}

/// A pointer C will free: only a live pointer value raylib allocated for the caller (of the
/// right pointee type unless either side is `void *`), or nil.
#[inline]
pub(super) fn owned_arg(plan: &CallPlan, st: &Stack, a: c_int, tag: u32) -> Result<usize, Error> {
    let ctx = plan.ctx;
    match st.pointer_at(a) {
        Some(p) if p.freed => Err(plan.arg_error(
            a,
            Problem::Other(format!("{} already freed", ctx.pointer_name(p.tag))),
        )),
        // C frees through the elements of pointer arrays (`UnloadTextLines`), and of structs
        // with pointer fields: only their own pointer type, never a `void *`.
        Some(p) if !(tag == 0 || p.tag == tag || (p.tag == 0 && plain_pointee(ctx, tag))) => {
            Err(plan.type_error(st, a, &ctx.pointer_name(tag)))
        }
        Some(p) if !p.owned => Err(plan.arg_error(
            a,
            Problem::Other(format!(
                "{} not allocated for the caller: only pointers from Load*, MemAlloc and \
                 the like can be freed",
                ctx.pointer_name(p.tag)
            )),
        )),
        Some(p) => Ok(p.ptr as usize),
        None if matches!(st.type_of(a), LuaType::Nil | LuaType::None) => Ok(0),
        None => Err(plan.type_error(st, a, &ctx.pointer_name(tag))),
    }
}

/// Whether pointees of type `tag` hold no pointers C follows.
pub(super) fn plain_pointee(ctx: &Ctx, tag: u32) -> bool {
    use crate::registry::CType;
    match ctx.pointer_type(tag) {
        CType::Pointer { .. } => false,
        CType::Struct(sid) => ctx.structs[sid].describing.is_none(),
        _ => true,
    }
}

/// Whether `tag` is a byte type's: `char *` and `unsigned char *` without a count are strings
/// or pixel data C reads or writes to a length of its own, so no buffer goes there.
pub(super) fn is_char(plan: &CallPlan, tag: u32) -> bool {
    use crate::registry::{CType, Prim};
    matches!(
        plan.ctx.pointer_type(tag),
        CType::Prim(Prim::Char | Prim::SChar | Prim::UChar)
    )
}

/// The count of an array: nil means the whole array; never negative, never more than it
/// holds (`available` is `usize::MAX` behind a pointer raylib returned).
pub(super) fn count_arg(
    plan: &CallPlan,
    st: &Stack,
    a: c_int,
    prim: crate::registry::Prim,
    available: usize,
) -> Result<u32, Error> {
    if available & NIL_WITH_COUNT != 0 && available != usize::MAX {
        // NULL with a count raylib documents: it fills in that many codepoints itself.
        let most = available & !NIL_WITH_COUNT;
        let n = match st.type_of(a) {
            LuaType::Nil | LuaType::None => 0,
            _ => to_c_integer(st, a, prim).map_err(|e| match e {
                ScalarError::Type => plan.type_error(st, a, "number"),
                other => plan.arg_error(a, scalar_problem(other)),
            })?,
        };
        if n < 0 || n > most as i128 {
            return Err(plan.arg_error(
                a,
                Problem::Other(format!(
                    "a count from 0 to {most} expected with nil codepoints, got {n}: raylib \
                     loads that many codepoints from 32 up"
                )),
            ));
        }
        return Ok(n as u32);
    }
    let n = match st.type_of(a) {
        LuaType::Nil | LuaType::None if available != usize::MAX => available as i128,
        LuaType::Nil | LuaType::None => return Err(plan.arg_error(a, Problem::CountMissing)),
        _ => to_c_integer(st, a, prim).map_err(|e| match e {
            ScalarError::Type => plan.type_error(st, a, "number"),
            other => plan.arg_error(a, scalar_problem(other)),
        })?,
    };
    if n as f64 > prim.int_range().1 {
        // A Lua array or string longer than the C count type can say (`#s` = 2^31).
        return Err(plan.arg_error(a, Problem::OutOfRange));
    }
    if n < 0 || (available != usize::MAX && n as usize > available) {
        return Err(plan.arg_error(
            a,
            Problem::Count {
                count: n,
                available,
            },
        ));
    }
    Ok(n as u32)
}

/// A Lua array (table), a string (bytes), a struct value (one element), a pointer value
/// (length unknown: the count must be given), or nil. Returns the pointer and the length.
pub(super) fn array_arg(
    plan: &CallPlan,
    st: &mut Stack,
    scope: &CallScope,
    a: c_int,
    elem: &FieldKind,
    elem_size: usize,
    elem_tag: u32,
) -> Result<(usize, usize), Error> {
    let ctx: &Ctx = plan.ctx;
    match st.type_of(a) {
        LuaType::Nil | LuaType::None => Ok((0, 0)),
        LuaType::String if elem_size == 1 => {
            let s = st.string(a).ok_or_else(Error::internal)?;
            Ok((s.as_ptr() as usize, s.len() - 1))
        }
        LuaType::Table => {
            let n = st.raw_len(a);
            let bytes = n
                .checked_mul(elem_size)
                .ok_or_else(|| plan.arg_error(a, Problem::OutOfRange))?;
            let buf = scope.alloc(bytes);
            if !st.ensure(2) {
                return Err(plan.arg_error(a, Problem::StackOverflow));
            }
            for i in 0..n {
                st.raw_get_index(a, i as i64 + 1);
                let dst = buf.slice(i * elem_size, elem_size);
                let r = if let FieldKind::Pointer(u32::MAX) = elem {
                    // An array of C strings: pointers into the table's own strings, which the
                    // table keeps alive for the call.
                    match st.string(-1) {
                        Some(s) => {
                            dst.write::<usize>(0, s.as_ptr() as usize);
                            Ok(())
                        }
                        None => Err(Problem::type_mismatch("string", describe(ctx, st, -1))),
                    }
                } else {
                    write_field(ctx, st, -1, elem, dst)
                };
                st.pop(1);
                if let (Ok(()), FieldKind::Struct(sid)) = (&r, elem) {
                    check_described(plan, st, a, *sid, dst, false)?;
                }
                r.map_err(|e| {
                    plan.arg_error(
                        a,
                        Problem::Element {
                            index: i + 1,
                            problem: Box::new(e),
                        },
                    )
                })?;
            }
            Ok((buf.as_ptr() as usize, n))
        }
        _ => {
            if let Some(b) = st.buffer_at(a) {
                // A typed buffer: its own elements, or its bytes where C takes bytes.
                if ctx.buffer_elem_tag(b.elem) == elem_tag {
                    if let FieldKind::Struct(sid) = elem {
                        for i in 0..b.count {
                            let e = b.mem.slice(i * elem_size, elem_size);
                            check_described(plan, st, a, *sid, e, false)?;
                        }
                    }
                    return Ok((b.mem.as_ptr() as usize, b.count));
                }
                if elem_size == 1 {
                    return Ok((b.mem.as_ptr() as usize, b.mem.len()));
                }
            }
            if let Some(s) = st.struct_at(a) {
                if let FieldKind::Struct(sid) = elem {
                    if s.ty == *sid {
                        check_described(plan, st, a, *sid, s.mem, false)?;
                        return Ok((s.mem.as_ptr() as usize, 1));
                    }
                }
            }
            if let Some(p) = st.pointer_at(a) {
                // A `void *` stands for plain elements only: C follows pointers in the
                // elements of pointer arrays and of structs with pointer fields.
                let plain = match elem {
                    FieldKind::Pointer(_) => false,
                    FieldKind::Struct(sid) => ctx.structs[*sid as usize].describing.is_none(),
                    _ => true,
                };
                if !p.freed && (p.tag == elem_tag || (p.tag == 0 && plain)) {
                    // Only as long as raylib said the memory is.
                    let Some(bytes) = st.pointer_len(a) else {
                        return Err(plan.arg_error(
                            a,
                            Problem::Other(format!(
                                "{} of unknown length: pass a typed buffer or a table (lunaray \
                                 knows the length of memory only from functions that return it)",
                                ctx.pointer_name(p.tag)
                            )),
                        ));
                    };
                    return Ok((p.ptr as usize, bytes / elem_size.max(1)));
                }
            }
            Err(plan.type_error(st, a, "table"))
        }
    }
}
