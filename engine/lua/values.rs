//! Struct values and pointer values as Lua sees them: constructors (`rl.new`, `rl.Vector2`)
//! and metamethods (field get/set by name, `tostring`, `==`).

use std::ffi::c_int;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::{LuaHandler, LuaType, Stack, StructSlot};
use crate::marshal::structs::{
    describe, push_field, struct_into, write_field, FieldInfo, StructInfo,
};
use crate::marshal::{buffers, pointer_arrays, views, Ctx};

/// `rl.new("Vector2", 3, 4)`: positional, named (`{x = 3}`), copy (`rl.new("Vector2", v)`)
/// or zeroed (`rl.new("Image")`).
pub struct New {
    pub ctx: &'static Ctx,
}

/// `rl.Vector2(3, 4)`: `rl.new` with the struct fixed.
pub struct Constructor {
    pub ctx: &'static Ctx,
    pub sid: u32,
    pub name: &'static str,
}

impl LuaHandler for New {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let Some(name) = st.string_lossy(1) else {
            return Err(Problem::type_mismatch("string", describe(self.ctx, st, 1)).at("new", 1));
        };
        if name.contains('[') {
            let Some((ty, count)) = buffers::parse_buffer_type(&self.ctx.registry, &name) else {
                return Err(Problem::Other(format!("unknown buffer type '{name}'")).at("new", 1));
            };
            return buffers::new_buffer(self.ctx, st, &ty, count, 2);
        }
        let Some(sid) = self.ctx.registry.struct_id(&name) else {
            return Err(Problem::Other(format!("unknown struct '{name}'")).at("new", 1));
        };
        construct(self.ctx, st, sid as u32, 2, "new")
    }
}

/// `rl.ref(v)`: a one-element buffer over the struct value `v` (C's `&v`, raylib-lua's
/// `rl.ref`), for `T *` parameters; `rl.ref("int", 5)` a new `int[1]` holding 5.
pub struct Ref {
    pub ctx: &'static Ctx,
}

impl LuaHandler for Ref {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        if let Some(name) = st.string_lossy(1) {
            let spec = format!("{name}[1]");
            let Some((ty, count)) = buffers::parse_buffer_type(&self.ctx.registry, &spec) else {
                return Err(Problem::Other(format!("unknown type '{name}'")).at("ref", 1));
            };
            return buffers::new_buffer(self.ctx, st, &ty, count, 2);
        }
        if st.buffer_at(1).is_some() {
            st.set_top(1);
            return Ok(1);
        }
        let Some(s) = st.struct_at(1) else {
            return Err(Problem::type_mismatch(
                "struct value or type name",
                describe(self.ctx, st, 1),
            )
            .at("ref", 1));
        };
        if s.read_only {
            return Err(Problem::ReadOnly {
                strukt: self.ctx.structs[s.ty as usize].name.clone(),
            }
            .at("ref", 1));
        }
        if st.is_borrowed(1) {
            return Err(Problem::Other(
                "a view into raylib's memory is passed as it is (it already stands for the \
                 pointer): no rl.ref of it"
                    .into(),
            )
            .at("ref", 1));
        }
        let elem = self
            .ctx
            .buffer_elem(&crate::registry::CType::Struct(s.ty as usize));
        st.push_buffer_view(1, elem, self.ctx.buffer_mt)
            .ok_or_else(Error::stack_overflow)?;
        Ok(1)
    }
}

impl LuaHandler for Constructor {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        construct(self.ctx, st, self.sid, 1, self.name)
    }
}

/// Builds a struct of type `sid` from the arguments starting at `first`.
fn construct(
    ctx: &Ctx,
    st: &mut Stack,
    sid: u32,
    first: c_int,
    fname: &'static str,
) -> Result<c_int, Error> {
    let info = &ctx.structs[sid as usize];
    let nargs = (st.top() - first + 1).max(0);
    if !st.ensure(4) {
        return Err(Error::stack_overflow());
    }
    let single_init =
        nargs == 1 && (st.type_of(first) == LuaType::Table || st.struct_at(first).is_some());
    // Pinned: the new value is the call's result and stays while the arguments convert.
    let mem = st.push_struct_pinned(sid, info.size, ctx.struct_mt);
    if single_init {
        struct_into(ctx, st, first, sid, mem).map_err(|e| e.at(fname, first))?;
    } else if nargs > 0 {
        if nargs as usize > info.fields.len() {
            return Err(Problem::TooManyInitialisers {
                strukt: info.name.clone(),
                fields: info.fields.len(),
            }
            .at(fname, first + info.fields.len() as c_int));
        }
        for (i, f) in info.fields.iter().take(nargs as usize).enumerate() {
            let idx = first + i as c_int;
            if st.type_of(idx) == LuaType::Nil {
                continue;
            }
            write_field(ctx, st, idx, &f.kind, mem.slice(f.offset, f.size)).map_err(|e| {
                Problem::Initialiser {
                    field: f.name.clone(),
                    problem: Box::new(e),
                }
                .at(fname, idx)
            })?;
        }
    }
    Ok(1)
}

/// `v.x`, `cam.position` (a view), `img.data` (a pointer value).
pub struct Index {
    pub ctx: &'static Ctx,
}

impl LuaHandler for Index {
    #[inline]
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let (s, info, f) = self_and_field(self.ctx, st)?;
        if let Some(v) = &f.view {
            return views::push_view(self.ctx, st, info, f, v);
        }
        push_field(self.ctx, st, 1, &f.kind, s.mem.slice(f.offset, f.size));
        Ok(1)
    }
}

/// `v.x = 1`, `cam.position = {0, 10, 10}`.
pub struct NewIndex {
    pub ctx: &'static Ctx,
}

impl LuaHandler for NewIndex {
    #[inline]
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let (s, info, f) = self_and_field(self.ctx, st)?;
        if s.read_only {
            return Err(Error::value(Problem::ReadOnly {
                strukt: info.name.clone(),
            }));
        }
        if st.is_borrowed(1) {
            views::check_field_write(self.ctx, st, info, f).map_err(Error::value)?;
        }
        write_field(self.ctx, st, 3, &f.kind, s.mem.slice(f.offset, f.size))
            .map_err(|e| Error::value(e.in_field(&info.name, &f.name)))?;
        Ok(0)
    }
}

/// The struct value a field metamethod runs on, its struct table and the named field.
#[inline]
fn self_and_field<'c, 'call>(
    ctx: &'c Ctx,
    st: &mut Stack<'call>,
) -> Result<(StructSlot<'call>, &'c StructInfo, &'c FieldInfo), Error> {
    let Some(s) = st.struct_self(1) else {
        return Err(match crate::marshal::structs::unloaded(ctx, st, 1) {
            Some(dead) => Error::value(Problem::Other(format!("{dead}: its fields are gone"))),
            None => views::dead_error(ctx, st, 1, "struct value expected"),
        });
    };
    let info = &ctx.structs[s.ty as usize];
    match info.field_at(st, 2) {
        Some(f) => Ok((s, info, f)),
        None => Err(no_field(st, &info.name)),
    }
}

#[cold]
fn no_field(st: &Stack, struct_name: &str) -> Error {
    Error::value(match st.string_lossy(2) {
        Some(k) => Problem::NoField {
            strukt: struct_name.to_string(),
            field: k,
        },
        None => Problem::FieldKey {
            strukt: struct_name.to_string(),
            got: st.type_of(2).name().to_string(),
        },
    })
}

/// `tostring(v)`: `Vector2(3, 4)`.
pub struct ToString {
    pub ctx: &'static Ctx,
}

impl LuaHandler for ToString {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        if let Some(p) = st.pointer_at(1) {
            let name = self.ctx.pointer_name(p.tag);
            let text = if p.freed {
                format!("{name}: freed")
            } else {
                format!("{name}: {:p}", p.ptr)
            };
            st.push_bytes(text.as_bytes());
            return Ok(1);
        }
        if let Some(name) = buffers::describe_buffer(self.ctx, st, 1) {
            let b = st
                .buffer_at(1)
                .map(|b| b.mem.as_ptr())
                .unwrap_or(std::ptr::null_mut());
            st.push_bytes(format!("{name}: {b:p}").as_bytes());
            return Ok(1);
        }
        if let Some(dead) = crate::marshal::structs::unloaded(self.ctx, st, 1) {
            st.push_bytes(dead.as_bytes());
            return Ok(1);
        }
        let Some(s) = st.arg_struct_at(1) else {
            return Err(Error::runtime("struct value expected"));
        };
        let info = &self.ctx.structs[s.ty as usize];
        let mut parts = Vec::with_capacity(info.fields.len());
        for f in &info.fields {
            push_field(self.ctx, st, 1, &f.kind, s.mem.slice(f.offset, f.size));
            let part = match st.type_of(-1) {
                LuaType::Number => match st.integer(-1) {
                    Some(i) => i.to_string(),
                    None => format!("{}", st.number(-1).unwrap_or(f64::NAN)),
                },
                LuaType::Boolean => st.boolean(-1).to_string(),
                LuaType::String => format!("{:?}", st.string_lossy(-1).unwrap_or_default()),
                LuaType::Nil => "nil".into(),
                _ => "...".into(),
            };
            st.pop(1);
            parts.push(format!("{}={part}", f.name));
        }
        let text = format!("{}({})", info.name, parts.join(", "));
        st.push_bytes(text.as_bytes());
        Ok(1)
    }
}

/// `a == b`: same struct type and the same bytes; pointers by address.
pub struct Eq;

impl LuaHandler for Eq {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let equal = match (st.struct_at(1), st.struct_at(2)) {
            (Some(a), Some(b)) => a.ty == b.ty && a.mem.to_vec() == b.mem.to_vec(),
            _ => match (st.pointer_at(1), st.pointer_at(2)) {
                (Some(a), Some(b)) => a.ptr == b.ptr && !a.freed && !b.freed,
                _ => false,
            },
        };
        st.push_boolean(equal);
        Ok(1)
    }
}

/// A typed buffer's metamethods: `buf[i]`, `buf[i] = v`, `#buf`.
pub struct BufferIndex {
    pub ctx: &'static Ctx,
}

impl LuaHandler for BufferIndex {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        buffers::index(self.ctx, st)
    }
}

pub struct BufferNewIndex {
    pub ctx: &'static Ctx,
}

impl LuaHandler for BufferNewIndex {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        buffers::new_index(self.ctx, st)
    }
}

pub struct BufferLen {
    pub ctx: &'static Ctx,
}

impl LuaHandler for BufferLen {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        buffers::len(self.ctx, st)
    }
}

pub struct PointerIndex {
    pub ctx: &'static Ctx,
}

impl LuaHandler for PointerIndex {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        pointer_arrays::index(self.ctx, st)
    }
}

pub struct PointerNewIndex {
    pub ctx: &'static Ctx,
}

impl LuaHandler for PointerNewIndex {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        pointer_arrays::new_index(self.ctx, st)
    }
}

pub struct PointerLen {
    pub ctx: &'static Ctx,
}

impl LuaHandler for PointerLen {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        pointer_arrays::len(self.ctx, st)
    }
}
