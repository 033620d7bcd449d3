//! Arrays raylib returns, indexed like typed buffers: `local px = rl.LoadImageColors(img)`,
//! `px[0].r`, `px[i] = rl.RED`, `#px`, as in C and raylib-lua. A pointer value is indexable
//! when its function declares how long the memory is (`registry::return_lengths`): the value
//! carries that length, elements are checked against it, and every access checks that the
//! value was not freed since (`UnloadImageColors(px)` then `px[0]` is an error naming
//! `UnloadImageColors`). Struct elements are views into raylib's memory whose chain ends at
//! the pointer value.
//!
//! Contract: nothing here reads memory a live pointer value does not carry a length for;
//! writes store plain data only: pointer elements, and whole structs whose fields describe
//! raylib's memory, are refused (their plain fields are written through the element view).

use std::ffi::c_int;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::Stack;
use crate::ffi::memory::CMem;
use crate::registry::{CType, Prim};

use super::buffers::{element_problem, with_element_of, BufferElem};
use super::structs::{push_field, write_field, FieldKind};
use super::Ctx;

/// Runs `f` with element `p[i]` of the pointer value at 1 (index at 2).
fn with_element(
    ctx: &Ctx,
    st: &mut Stack,
    f: impl FnOnce(&mut Stack, &BufferElem, usize, CMem<'_>) -> Result<c_int, Error>,
) -> Result<c_int, Error> {
    let (elem, mem) = elements(ctx, st)?;
    let count = mem.len() / ctx.with_buffer_elem(elem, |info| info.size.max(1));
    with_element_of(ctx, st, elem, count, mem, f)
}

/// The element type and bytes of the pointer value at 1, or why it has none.
fn elements<'call>(ctx: &Ctx, st: &Stack<'call>) -> Result<(u32, CMem<'call>), Error> {
    let p = st
        .pointer_at(1)
        .ok_or_else(|| Error::runtime("pointer value expected"))?;
    let name = ctx.pointer_name(p.tag);
    if p.freed {
        return Err(Error::value(Problem::Other(format!(
            "{name} freed by {}: its elements are gone",
            super::views::freed_by(ctx, p.freed_by)
        ))));
    }
    let ty = ctx.pointer_type(p.tag);
    if matches!(ty, CType::Prim(Prim::Void)) {
        return Err(Error::value(Problem::Other(format!(
            "{name} has no element type: read its bytes with lunaray.string(ptr, len)"
        ))));
    }
    let mem = st.arg_pointer_bytes(1).ok_or_else(|| {
        Error::value(Problem::Other(format!(
            "{name} of unknown length cannot be indexed (lunaray knows the length of memory \
             only from functions that return it, such as LoadImageColors)"
        )))
    })?;
    Ok((ctx.buffer_elem(&ty), mem))
}

/// `p[i]`: the element (struct elements are views into raylib's memory).
pub fn index(ctx: &'static Ctx, st: &mut Stack) -> Result<c_int, Error> {
    with_element(ctx, st, |st, info, _, mem| {
        push_field(ctx, st, 1, &info.kind, mem);
        Ok(1)
    })
}

/// `p[i] = v`: plain data only.
pub fn new_index(ctx: &Ctx, st: &mut Stack) -> Result<c_int, Error> {
    with_element(ctx, st, |st, info, i, mem| {
        let refuse = |why: String| Err(Error::value(Problem::Other(why)));
        match &info.kind {
            FieldKind::Pointer(_) => {
                return refuse(format!(
                    "the elements of a {} pointer are raylib's pointers: they cannot be written",
                    info.name
                ))
            }
            FieldKind::Struct(sid) if ctx.structs[*sid as usize].describing.is_some() => {
                return refuse(format!(
                    "a {} in an array raylib returned cannot be replaced: its fields describe \
                     raylib's memory (write its plain fields instead)",
                    info.name
                ))
            }
            _ => {}
        }
        write_field(ctx, st, 3, &info.kind, mem)
            .map_err(|e| Error::value(element_problem(e, i)))?;
        Ok(0)
    })
}

/// `#p`: the element count.
pub fn len(ctx: &Ctx, st: &mut Stack) -> Result<c_int, Error> {
    let (elem, mem) = elements(ctx, st)?;
    let size = ctx.with_buffer_elem(elem, |info| info.size.max(1));
    st.push_integer((mem.len() / size) as i64);
    Ok(1)
}
