//! Struct values from Lua's side: per-struct field tables prepared once (offsets, converters,
//! interned key strings), and the conversions every struct path shares: a Lua value into a
//! field's C bytes, a field's bytes onto the Lua stack, a table into a struct.

use std::ffi::c_int;

use crate::ffi::lua_stack::{LuaType, Stack};
use crate::ffi::memory::CMem;
use crate::registry::{CType, Prim, Registry};

use super::scalar::{read_scalar, write_scalar, ScalarError};
use super::Ctx;
use crate::error::Problem;

/// What a field holds, decided once per struct.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldKind {
    Scalar(Prim),
    Struct(u32),
    /// A pointer field (`Image.data`): read as an opaque pointer value with this pointee tag.
    Pointer(u32),
    /// `float params[4]`, `char name[32]`: read as a Lua table (a string for chars), written
    /// from one.
    Array {
        elem: Box<FieldKind>,
        len: usize,
        elem_size: usize,
    },
}

#[derive(Clone, Debug)]
pub struct FieldInfo {
    pub name: String,
    pub offset: usize,
    pub size: usize,
    pub kind: FieldKind,
    /// Address of the interned Lua string of the name: field lookup compares pointers.
    pub key_addr: *const u8,
    /// Registry reference to that string, which also keeps it alive (and its address fixed).
    pub key_ref: c_int,
    /// A pointer field with a declared length (`registry::pointer_lengths`): read as a
    /// bounded, alive-checked view (`model.materials`).
    pub view: Option<super::views::ViewField>,
}

#[derive(Clone, Debug)]
pub struct StructInfo {
    pub name: String,
    pub size: usize,
    pub align: usize,
    pub fields: Vec<FieldInfo>,
    /// For structs with pointer fields, the byte ranges that describe raylib's memory
    /// (`vouch`): such a struct goes to C only as raylib made it.
    pub describing: Option<Box<[(u32, u32)]>>,
}

impl StructInfo {
    /// The field named by the string at `idx`, by interned address first (the hot path: no
    /// hashing, no allocation), then by bytes (long strings are not interned).
    #[inline]
    pub fn field_at(&self, st: &mut Stack, idx: c_int) -> Option<&FieldInfo> {
        let addr = st.key_addr(idx)?;
        if let Some(f) = self.fields.iter().find(|f| f.key_addr == addr) {
            return Some(f);
        }
        let name = st.string_lossy(idx)?;
        self.fields.iter().find(|f| f.name == name)
    }
}

pub fn field_kind(reg: &Registry, ty: &CType, tag_of: &mut dyn FnMut(&CType) -> u32) -> FieldKind {
    match ty {
        CType::Prim(p) => FieldKind::Scalar(*p),
        CType::Struct(id) => FieldKind::Struct(*id as u32),
        CType::Array { of, len } => FieldKind::Array {
            elem: Box::new(field_kind(reg, of, tag_of)),
            len: *len,
            elem_size: reg.layout_of(of).size,
        },
        CType::Pointer { to, .. } => FieldKind::Pointer(tag_of(to)),
        CType::Callback(_) | CType::Opaque(_) => FieldKind::Pointer(0),
    }
}

/// Describes the Lua value at `idx` for messages: struct values by their struct's name.
pub fn describe(ctx: &Ctx, st: &Stack, idx: c_int) -> String {
    if let Some(s) = st.struct_at(idx) {
        return ctx.structs[s.ty as usize].name.clone();
    }
    if let Some(dead) = super::views::dead(ctx, st, idx) {
        return dead;
    }
    if let Some(dead) = unloaded(ctx, st, idx) {
        return dead;
    }
    if let Some(p) = st.pointer_at(idx) {
        let name = ctx.pointer_name(p.tag);
        return if p.freed {
            match ctx.registry.functions.get(p.freed_by as usize) {
                Some(f) => format!("{name} freed by {}", f.name),
                None => format!("freed {name}"),
            }
        } else {
            name
        };
    }
    if let Some(name) = super::buffers::describe_buffer(ctx, st, idx) {
        return name;
    }
    st.type_of(idx).name().to_string()
}

/// `Image unloaded by UnloadImage` for an unloaded struct value at `idx`.
pub fn unloaded(ctx: &Ctx, st: &Stack, idx: c_int) -> Option<String> {
    let (ty, by) = st.unloaded_struct_at(idx)?;
    let name = ctx
        .structs
        .get(ty as usize)
        .map_or("struct", |s| s.name.as_str());
    let by = ctx
        .registry
        .functions
        .get(by as usize)
        .map_or("an Unload function", |f| f.name.as_str());
    Some(format!("{name} unloaded by {by}"))
}

/// Writes the Lua value at `idx` into `dst` as a value of `kind`. Errors say what was expected.
pub fn write_field(
    ctx: &Ctx,
    st: &mut Stack,
    idx: c_int,
    kind: &FieldKind,
    dst: CMem<'_>,
) -> Result<(), Problem> {
    match kind {
        FieldKind::Scalar(p) => write_scalar(st, idx, *p, dst, 0).map_err(|e| match e {
            ScalarError::Type => {
                Problem::type_mismatch(scalar_expected(*p), describe(ctx, st, idx))
            }
            ScalarError::NotInteger => Problem::NotInteger,
            ScalarError::Range => Problem::OutOfRange,
        }),
        FieldKind::Struct(sid) => struct_into(ctx, st, idx, *sid, dst),
        FieldKind::Pointer(tag) => match st.type_of(idx) {
            LuaType::Nil => {
                dst.write::<usize>(0, 0);
                Ok(())
            }
            _ => match st.pointer_at(idx) {
                Some(p) if !p.freed && (p.tag == *tag || *tag == 0 || p.tag == 0) => {
                    dst.write::<usize>(0, p.ptr as usize);
                    Ok(())
                }
                _ => Err(Problem::type_mismatch(
                    format!(
                        "{} pointer",
                        ctx.registry.type_name(&ctx.pointer_type(*tag))
                    ),
                    describe(ctx, st, idx),
                )),
            },
        },
        FieldKind::Array {
            elem,
            len,
            elem_size,
        } => {
            if let (FieldKind::Scalar(Prim::Char | Prim::UChar), Some(s)) =
                (elem.as_ref(), st.string(idx))
            {
                // A string into a char array: truncated to fit, always NUL-terminated.
                let n = (s.len() - 1).min(len - 1);
                dst.fill_zero();
                dst.copy_from(0, s.slice(0, n));
                return Ok(());
            }
            if st.type_of(idx) != LuaType::Table {
                return Err(Problem::type_mismatch("table", describe(ctx, st, idx)));
            }
            if !st.ensure(2) {
                return Err(Problem::StackOverflow);
            }
            dst.fill_zero();
            let t = st.absolute(idx);
            for i in 0..*len {
                if st.raw_get_index(t, i as i64 + 1) != LuaType::Nil {
                    let r = write_field(ctx, st, -1, elem, dst.slice(i * elem_size, *elem_size));
                    if let Err(e) = r {
                        st.pop(1);
                        return Err(Problem::Element {
                            index: i + 1,
                            problem: Box::new(e),
                        });
                    }
                }
                st.pop(1);
            }
            Ok(())
        }
    }
}

pub fn scalar_expected(p: Prim) -> &'static str {
    if p == Prim::Bool {
        "boolean"
    } else {
        "number"
    }
}

/// Pushes the value of a field. Nested structs come back as views that write through to
/// `parent` (`cam.position.y = 5` changes `cam`).
pub fn push_field(
    ctx: &'static Ctx,
    st: &mut Stack,
    parent: c_int,
    kind: &FieldKind,
    src: CMem<'_>,
) {
    match kind {
        FieldKind::Scalar(p) => read_scalar(st, *p, src, 0),
        FieldKind::Struct(sid) => st.push_struct_view(parent, *sid, src, ctx.struct_mt),
        FieldKind::Pointer(tag) => {
            // A field's pointer belongs to its struct (freed with it): never owned, and,
            // in a struct that describes raylib's memory, alive only while that struct
            // value is (`img.data`).
            let parent_struct = st
                .struct_at(parent)
                .filter(|s| ctx.structs[s.ty as usize].describing.is_some())
                .map(|s| s.mem.as_ptr() as usize);
            match parent_struct {
                Some(base) => {
                    let off = (src.as_ptr() as usize - base) as u32;
                    st.push_field_pointer(parent, *tag, off, ctx, ctx.pointer_mt)
                }
                None => {
                    let p = src.read::<usize>(0) as *mut std::ffi::c_void;
                    st.push_pointer(*tag, p, false, ctx.pointer_mt)
                }
            }
        }
        FieldKind::Array {
            elem,
            len,
            elem_size,
        } => {
            if let FieldKind::Scalar(Prim::Char) = elem.as_ref() {
                let bytes = src.to_vec();
                let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
                st.push_bytes(&bytes[..end]);
                return;
            }
            st.new_table();
            for i in 0..*len {
                st.push_integer(i as i64 + 1);
                // Elements are copies: struct elements become owned values here.
                match elem.as_ref() {
                    FieldKind::Struct(sid) => {
                        let info = &ctx.structs[*sid as usize];
                        let mem = st.push_struct(*sid, info.size, ctx.struct_mt);
                        mem.copy_from(0, src.slice(i * elem_size, *elem_size));
                    }
                    other => {
                        push_field(ctx, st, parent, other, src.slice(i * elem_size, *elem_size))
                    }
                }
                st.raw_set(-3);
            }
        }
    }
}

/// Writes the value at `idx` (a struct value of type `sid`, or a table) into `dst`.
pub fn struct_into(
    ctx: &Ctx,
    st: &mut Stack,
    idx: c_int,
    sid: u32,
    dst: CMem<'_>,
) -> Result<(), Problem> {
    match st.struct_at(idx) {
        Some(s) if s.ty == sid => {
            dst.copy_from(0, s.mem);
            Ok(())
        }
        None if st.type_of(idx) == LuaType::Table => table_into(ctx, st, idx, sid, dst),
        _ => Err(Problem::type_mismatch(
            ctx.structs[sid as usize].name.clone(),
            describe(ctx, st, idx),
        )),
    }
}

/// `{3, 4}`, `{x = 3, y = 4}` or a mix: positional entries fill fields in order, named ones
/// by name; missing fields are zero. Keys are prepared once per struct (registry refs).
/// A key that names no field is ignored, as LuaJIT's `ffi.new` does, with one warning per
/// struct and key naming the script line (a field name from an older raylib, a typo).
pub fn table_into(
    ctx: &Ctx,
    st: &mut Stack,
    idx: c_int,
    sid: u32,
    dst: CMem<'_>,
) -> Result<(), Problem> {
    let info = &ctx.structs[sid as usize];
    let t = st.absolute(idx);
    if !st.ensure(4) {
        return Err(Problem::StackOverflow);
    }
    dst.fill_zero();
    let mut found = 0;
    for (i, f) in info.fields.iter().enumerate() {
        let mut ty = st.raw_get_index(t, i as i64 + 1);
        if ty == LuaType::Nil {
            st.pop(1);
            ty = st.raw_get_ref_key(t, f.key_ref);
        }
        if ty != LuaType::Nil {
            found += 1;
            let r = write_field(ctx, st, -1, &f.kind, dst.slice(f.offset, f.size));
            st.pop(1);
            r.map_err(|e| e.in_field(&info.name, &f.name))?;
        } else {
            st.pop(1);
        }
    }
    // The common table holds one entry per field it sets: nothing else to look at.
    if !st.has_more_entries_than(t, found) {
        return Ok(());
    }
    let n = info.fields.len();
    let mut unknown = Vec::new();
    st.for_each_pair(t, |st| {
        if let Some(i) = st.integer(-2) {
            if i >= 1 && i as usize <= n {
                return Ok(());
            }
        }
        if st.type_of(-2) == LuaType::String && info.field_at(st, -2).is_some() {
            return Ok(());
        }
        let key = match st.type_of(-2) {
            LuaType::String => st.string_lossy(-2).unwrap_or_default(),
            LuaType::Number => match st.integer(-2) {
                Some(i) => format!("[{i}]"),
                None => format!("[{}]", st.number(-2).unwrap_or(f64::NAN)),
            },
            other => format!("[{}]", other.name()),
        };
        unknown.push(key);
        Ok::<(), Problem>(())
    })?;
    for key in unknown {
        if ctx
            .unknown_keys_warned
            .borrow_mut()
            .insert((sid, key.clone()))
        {
            let place = st.location(1);
            eprintln!(
                "{place}warning: {} has no field '{key}' (ignored, as LuaJIT's ffi.new does)",
                info.name
            );
        }
    }
    Ok(())
}

/// Builds the struct table: field kinds and interned key strings, once per Lua state.
pub fn build_struct_infos(
    reg: &Registry,
    st: &mut Stack,
    tag_of: &mut dyn FnMut(&CType) -> u32,
) -> Vec<StructInfo> {
    reg.structs
        .iter()
        .enumerate()
        .map(|(sid, s)| StructInfo {
            describing: super::vouch::describing_ranges(reg, sid),
            name: s.name.clone(),
            size: s.layout.size,
            align: s.layout.align,
            fields: s
                .fields
                .iter()
                .map(|f| {
                    st.push_bytes(f.name.as_bytes());
                    let key_addr = st.string_addr(-1).expect("just pushed a string");
                    let key_ref = st.reference();
                    FieldInfo {
                        name: f.name.clone(),
                        offset: f.offset,
                        size: reg.layout_of(&f.ty).size,
                        kind: field_kind(reg, &f.ty, tag_of),
                        key_addr,
                        key_ref,
                        view: super::views::view_field(reg, sid, f),
                    }
                })
                .collect(),
        })
        .collect()
}
