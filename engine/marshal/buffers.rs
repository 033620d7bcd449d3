//! Typed buffers: `rl.new("Color[?]", n)`, `rl.new("float[1]", x)`, `rl.new("int[4]", {1,
//! 2, 3, 4})`: C arrays owned by Lua, indexed from 0 as in C and raylib-lua, bounds-checked,
//! `#buf` their element count, struct elements views into the buffer. They go where C takes
//! an array with a count (the count is checked against the buffer) or one element of their
//! type (`unsigned int *glFormat`, `Image *image`).

use std::ffi::c_int;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::{LuaType, Stack};
use crate::ffi::memory::CMem;
use crate::registry::{CType, Prim, Registry};

use super::structs::{field_kind, push_field, write_field, FieldKind};
use super::Ctx;

/// The largest buffer `rl.new` makes (256 MiB): larger requests are refused before Lua's
/// allocator could fail inside a call.
pub const MAX_BUFFER_BYTES: usize = 256 << 20;

/// What a buffer holds, interned per element type (buffers store the index).
#[derive(Clone, Debug)]
pub struct BufferElem {
    /// The C element type's name (`Color`, `unsigned char`).
    pub name: String,
    pub kind: FieldKind,
    pub size: usize,
    /// The pointer tag of the element type: a buffer passes where a pointer with this tag is
    /// taken.
    pub tag: u32,
}

/// `T[?]` (count given when made) or `T[N]`: the element type and the fixed count.
pub fn parse_buffer_type(reg: &Registry, spec: &str) -> Option<(CType, Option<usize>)> {
    let (elem, rest) = spec.trim().split_once('[')?;
    let inside = rest.strip_suffix(']')?.trim();
    let count = match inside {
        "?" => None,
        n => Some(n.parse::<usize>().ok()?),
    };
    let elem = elem.trim();
    let prim = match elem {
        "float" => Prim::Float,
        "double" => Prim::Double,
        "bool" => Prim::Bool,
        "char" => Prim::Char,
        "signed char" => Prim::SChar,
        "unsigned char" => Prim::UChar,
        "short" => Prim::Short,
        "unsigned short" => Prim::UShort,
        "int" => Prim::Int,
        "unsigned int" | "unsigned" => Prim::UInt,
        "long" => Prim::Long,
        "unsigned long" => Prim::ULong,
        "long long" => Prim::LongLong,
        "unsigned long long" => Prim::ULongLong,
        name => return Some((CType::Struct(reg.struct_id(name)?), count)),
    };
    Some((CType::Prim(prim), count))
}

impl Ctx {
    /// The buffer element index of `ty`, interned on first use.
    pub fn buffer_elem(&self, ty: &CType) -> u32 {
        let tag = self.tag_of(ty);
        let mut elems = self.buffer_elems.borrow_mut();
        if let Some(i) = elems.iter().position(|e| e.tag == tag) {
            return i as u32;
        }
        let reg = &self.registry;
        elems.push(BufferElem {
            name: reg.type_name(ty),
            kind: field_kind(reg, ty, &mut |t| self.tag_of(t)),
            size: reg.layout_of(ty).size,
            tag,
        });
        (elems.len() - 1) as u32
    }

    pub fn buffer_elem_info(&self, elem: u32) -> BufferElem {
        self.buffer_elems.borrow()[elem as usize].clone()
    }

    /// Runs `f` with buffer element `elem`'s description (no copy: for element access).
    pub fn with_buffer_elem<R>(&self, elem: u32, f: impl FnOnce(&BufferElem) -> R) -> R {
        f(&self.buffer_elems.borrow()[elem as usize])
    }

    /// The pointer tag buffers of element `elem` pass as.
    pub fn buffer_elem_tag(&self, elem: u32) -> u32 {
        self.buffer_elems.borrow()[elem as usize].tag
    }
}

/// `rl.new(spec, ...)` for a buffer type, arguments from `first`: `T[?]` takes the count,
/// then the initial elements; `T[N]` takes the initial elements. Elements come as one table
/// (`{1, 2, 3}`, `{{1, 2}, {3, 4}}` for structs) or as separate values; the rest are zero.
pub fn new_buffer(
    ctx: &Ctx,
    st: &mut Stack,
    ty: &CType,
    fixed: Option<usize>,
    first: c_int,
) -> Result<c_int, Error> {
    let fname = "new";
    let (count, init) = match fixed {
        Some(n) => (n, first),
        None => {
            let n = st.integer(first).filter(|n| *n >= 0).ok_or_else(|| {
                let got = super::structs::describe(ctx, st, first);
                Problem::type_mismatch("element count (a non-negative integer)", got)
                    .at(fname, first)
            })?;
            (n as usize, first + 1)
        }
    };
    let elem = ctx.buffer_elem(ty);
    let info = ctx.buffer_elem_info(elem);
    if count.saturating_mul(info.size) > MAX_BUFFER_BYTES {
        return Err(Problem::Other(format!(
            "{}[{count}] is larger than {} MiB",
            info.name,
            MAX_BUFFER_BYTES >> 20
        ))
        .at(fname, first));
    }
    // A buffer is Lua memory, counted against the state's limit: one that would pass it is
    // refused here, before Lua's allocator fails inside this call.
    let limit = ctx.memory_limit.get();
    let bytes = count.saturating_mul(info.size);
    if limit > 0 && ((st.memory_kib() + 1) << 10).saturating_add(bytes) > limit {
        return Err(Problem::Other(format!(
            "not enough memory: {}[{count}] needs {bytes} bytes, more than the {} MiB memory \
             limit leaves (--memory-limit)",
            info.name,
            limit >> 20
        ))
        .at(fname, first));
    }
    if !st.ensure(4) {
        return Err(Error::stack_overflow());
    }
    let nargs = (st.top() - init + 1).max(0) as usize;
    let mem = st
        .push_buffer_pinned(elem, count, info.size, ctx.buffer_mt)
        .ok_or_else(|| Problem::OutOfRange.at(fname, first))?;
    let too_many = |n: usize| {
        Problem::Other(format!("{} initialisers for {}[{count}]", n, info.name)).at(fname, init)
    };
    if nargs == 1 && st.type_of(init) == LuaType::Table {
        // A table of elements, the first at index 1 (Lua's), stored from element 0 (C's).
        let n = st.raw_len(init);
        if n > count {
            return Err(too_many(n));
        }
        for i in 0..n {
            st.raw_get_index(init, i as i64 + 1);
            let r = write_field(ctx, st, -1, &info.kind, mem.slice(i * info.size, info.size));
            st.pop(1);
            r.map_err(|e| element_problem(e, i).at(fname, init))?;
        }
    } else if nargs > 0 {
        if nargs > count {
            return Err(too_many(nargs));
        }
        for i in 0..nargs {
            let idx = init + i as c_int;
            write_field(
                ctx,
                st,
                idx,
                &info.kind,
                mem.slice(i * info.size, info.size),
            )
            .map_err(|e| element_problem(e, i).at(fname, idx))?;
        }
    }
    Ok(1)
}

pub(super) fn element_problem(e: Problem, i: usize) -> Problem {
    Problem::Element {
        index: i,
        problem: Box::new(e),
    }
}

/// The element index at `idx` of a buffer of `count` elements, as a problem if it is not an
/// integer in `0..count`.
pub(super) fn element_index(
    st: &Stack,
    idx: c_int,
    name: &str,
    count: usize,
) -> Result<usize, Problem> {
    match st.integer(idx) {
        Some(i) if i >= 0 && (i as u64) < count as u64 => Ok(i as usize),
        Some(i) => Err(Problem::Other(format!(
            "index {i} out of range for {name}[{count}] (0 to {})",
            count as i64 - 1
        ))),
        None => Err(Problem::Other(format!(
            "{name}[{count}] is indexed by integers from 0, got {}",
            st.type_of(idx).name()
        ))),
    }
}

/// Runs `f` with element `i` (the index at 2) of `count` elements of type `elem` in `mem`:
/// its description, index and bytes. Typed buffers and arrays raylib returned share it.
pub(super) fn with_element_of(
    ctx: &Ctx,
    st: &mut Stack,
    elem: u32,
    count: usize,
    mem: CMem<'_>,
    f: impl FnOnce(&mut Stack, &BufferElem, usize, CMem<'_>) -> Result<c_int, Error>,
) -> Result<c_int, Error> {
    ctx.with_buffer_elem(elem, |info| {
        let i = element_index(st, 2, &info.name, count).map_err(Error::value)?;
        f(st, info, i, mem.slice(i * info.size, info.size))
    })
}

/// Runs `f` with element `buf[i]` of the buffer at 1 (index at 2): its description and bytes.
fn with_element(
    ctx: &Ctx,
    st: &mut Stack,
    f: impl FnOnce(&mut Stack, &BufferElem, usize, CMem<'_>) -> Result<c_int, Error>,
) -> Result<c_int, Error> {
    let b = st
        .arg_buffer_at(1)
        .ok_or_else(|| super::views::dead_error(ctx, st, 1, "buffer expected"))?;
    with_element_of(ctx, st, b.elem, b.count, b.mem, f)
}

/// `buf[i]`: the element (struct elements are views into the buffer).
pub fn index(ctx: &'static Ctx, st: &mut Stack) -> Result<c_int, Error> {
    with_element(ctx, st, |st, info, _, mem| {
        push_field(ctx, st, 1, &info.kind, mem);
        Ok(1)
    })
}

/// `buf[i] = v`.
pub fn new_index(ctx: &Ctx, st: &mut Stack) -> Result<c_int, Error> {
    with_element(ctx, st, |st, info, i, mem| {
        if st.is_pointer_view(1) {
            super::views::check_element_write(ctx, st, &info.kind).map_err(Error::value)?;
        }
        write_field(ctx, st, 3, &info.kind, mem)
            .map_err(|e| Error::value(element_problem(e, i)))?;
        Ok(0)
    })
}

/// `#buf`: the element count.
pub fn len(ctx: &Ctx, st: &mut Stack) -> Result<c_int, Error> {
    let b = st
        .arg_buffer_at(1)
        .ok_or_else(|| super::views::dead_error(ctx, st, 1, "buffer expected"))?;
    st.push_integer(b.count as i64);
    Ok(1)
}

/// The name of the buffer at `idx` (`Color[4]`), for messages.
pub fn describe_buffer(ctx: &Ctx, st: &Stack, idx: c_int) -> Option<String> {
    let b = st.buffer_at(idx)?;
    if let Some(vs) = st.view_state(idx) {
        let r = &crate::registry::pointer_lengths::POINTER_LENGTHS[vs.rule as usize];
        return Some(format!(
            "{}[{}] view of {}.{}",
            ctx.buffer_elem_info(b.elem).name,
            b.count,
            r.strukt,
            r.field
        ));
    }
    Some(format!(
        "{}[{}]",
        ctx.buffer_elem_info(b.elem).name,
        b.count
    ))
}
