//! Pointer views: struct pointer fields with a declared length (`registry::pointer_lengths`)
//! read as bounded, alive-checked arrays over raylib's memory, the idiom of raylib's models
//! examples (`model.materials[0].maps[rl.MATERIAL_MAP_ALBEDO].texture = tex`,
//! `#model.meshes`, `mesh.vertices[0]`).
//!
//! Contract: a view holds the struct value it was read from and re-checks on every access
//! (`ffi::lua_userdata`: `view_chain`) that the value is alive, still holds the same pointer
//! and count, and, at the top of the chain, is still one raylib made (the records, through
//! [`ViewGuard`]); element views hold their view and check the same chain. Through a view a
//! script writes plain data only: fields that describe raylib's memory (pointers, counts,
//! ids, sizes, formats) are refused, struct fields of GPU handles and shaders take only values
//! raylib made, and whole struct elements with pointer fields are never replaced.

use std::ffi::c_int;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::Stack;
use crate::ffi::lua_userdata::{ViewDeath, ViewGuard, ViewMade, ViewSpec};
use crate::ffi::memory::CMem;
use crate::registry::pointer_lengths::{self, POINTER_LENGTHS};
use crate::registry::{CType, Field, Prim, Registry};

use super::structs::{FieldInfo, FieldKind, StructInfo};
use super::vouch::{Key, Standing};
use super::Ctx;

/// A pointer field's view, resolved once per struct.
#[derive(Clone, Debug)]
pub struct ViewField {
    pub spec: ViewSpec,
    pub elem: CType,
}

/// The view of field `f` of struct `sid`, if a rule declares its length.
pub fn view_field(reg: &Registry, sid: usize, f: &Field) -> Option<ViewField> {
    let r = pointer_lengths::resolve(reg, sid, &f.name)?;
    Some(ViewField {
        spec: ViewSpec {
            field_off: f.offset as u32,
            count_off: r.count_at.map(|(off, _)| off),
            times: r.times,
            rule: r.rule,
            read_only: !r.writable,
            count_signed: !matches!(r.count_at, Some((_, Prim::UInt))),
        },
        elem: r.elem,
    })
}

impl ViewGuard for Ctx {
    fn made_by_raylib(&self, ty: u32, mem: CMem<'_>) -> bool {
        let Some(ranges) = self
            .structs
            .get(ty as usize)
            .and_then(|s| s.describing.as_deref())
        else {
            return false;
        };
        self.vouched.standing(&Key::of(ranges, mem)) == Standing::Known
    }

    fn field_len(&self, ty: u32, field_off: u32, mem: CMem<'_>) -> Option<usize> {
        let s = self.structs.get(ty as usize)?;
        let f = s.fields.iter().find(|f| f.offset == field_off as usize)?;
        let int = |name: &str| {
            let f = s.fields.iter().find(|f| f.name == name)?;
            Some(mem.read::<i32>(f.offset) as i64)
        };
        match (s.name.as_str(), f.name.as_str()) {
            // The base level's pixels (mipmaps follow them, in memory raylib sized for all).
            ("Image", "data") => crate::registry::byte_needs::pixel_bytes(
                int("width")?,
                int("height")?,
                int("format")?,
            )
            .map(|b| b as usize),
            // frameCount frames of channels samples, sampleSize bits each.
            ("Wave", "data") => {
                let (frames, channels, bits) = (
                    int("frameCount")? as u32 as u64,
                    int("channels")? as u32 as u64,
                    int("sampleSize")? as u32 as u64,
                );
                usize::try_from(frames.checked_mul(channels)?.checked_mul(bits / 8)?).ok()
            }
            _ => None,
        }
    }
}

/// `Model.materials`, the name of rule `rule`; views into an array raylib returned have none.
pub fn rule_name(rule: u32) -> String {
    match POINTER_LENGTHS.get(rule as usize) {
        Some(r) => format!("{}.{}", r.strukt, r.field),
        None => "an array raylib returned".into(),
    }
}

/// Pushes the view of pointer field `f` of the struct value at 1 (`model.materials`): nil
/// for NULL.
pub fn push_view(
    ctx: &'static Ctx,
    st: &mut Stack,
    info: &StructInfo,
    f: &FieldInfo,
    v: &ViewField,
) -> Result<c_int, Error> {
    let elem = ctx.buffer_elem(&v.elem);
    let size = ctx.registry.layout_of(&v.elem).size;
    match st.push_pointer_view(1, elem, size, v.spec, ctx, ctx.buffer_mt) {
        ViewMade::Pushed => Ok(1),
        ViewMade::Null => {
            st.push_nil();
            Ok(1)
        }
        ViewMade::BadCount(n) => Err(Error::value(Problem::Other(format!(
            "{}.{}: its count says {n} elements",
            info.name, f.name
        )))),
        ViewMade::Dead(d) => Err(Error::value(Problem::Other(death(
            ctx,
            &format!("{}.{}", info.name, f.name),
            d,
        )))),
        ViewMade::NotAStruct => Err(Error::runtime("struct value expected")),
    }
}

/// The message for a view named `what` that died of `d`.
fn death(ctx: &Ctx, what: &str, d: ViewDeath) -> String {
    let name = |ty: u32| {
        ctx.structs
            .get(ty as usize)
            .map_or("struct", |s| s.name.as_str())
    };
    match d {
        ViewDeath::Unloaded { ty, by } => {
            let by = freed_by(ctx, by);
            format!(
                "{what}: the {} it points into was unloaded by {by}",
                name(ty)
            )
        }
        ViewDeath::Changed { ty } => format!(
            "{what}: the {} it points into no longer holds this array (its pointer or count \
             changed)",
            name(ty)
        ),
        ViewDeath::Freed { tag, by } => format!(
            "{what}: the {} it points into was freed by {}",
            ctx.pointer_name(tag),
            freed_by(ctx, by)
        ),
        ViewDeath::NotMade { ty } => format!(
            "{what}: the {} it points into is no longer one raylib made (a copy of an \
             unloaded value, or changed where it describes its memory)",
            name(ty)
        ),
    }
}

/// The name of the function with registry index `by` that freed or unloaded something.
pub fn freed_by(ctx: &Ctx, by: u32) -> &str {
    ctx.registry
        .functions
        .get(by as usize)
        .map_or("an Unload function", |f| f.name.as_str())
}

/// Why the view at `idx` (a pointer view or an element view) can no longer be used, as a
/// message naming the view; None if it is no view or alive.
pub fn dead(ctx: &Ctx, st: &Stack, idx: c_int) -> Option<String> {
    let vs = st.view_state(idx)?;
    let d = vs.dead?;
    let what = match st.unloaded_struct_at(idx) {
        Some(_) => return None,
        None if st.is_pointer_view(idx) => rule_name(vs.rule),
        None => format!("view into {}", rule_name(vs.rule)),
    };
    Some(death(ctx, &what, d))
}

/// The error for a dead view at `idx` used by a metamethod.
#[cold]
pub fn dead_error(ctx: &Ctx, st: &Stack, idx: c_int, fallback: &str) -> Error {
    match dead(ctx, st, idx) {
        Some(m) => Error::value(Problem::Other(m)),
        None => Error::runtime(fallback.to_string()),
    }
}

/// A pointer view written element by element: refused where its rule says read-only, and
/// where the element is a struct with pointer fields (it would replace raylib's pointers).
pub fn check_element_write(ctx: &Ctx, st: &Stack, kind: &FieldKind) -> Result<(), Problem> {
    let Some(vs) = st.view_state(1) else {
        return Ok(());
    };
    let r = &POINTER_LENGTHS[vs.rule as usize];
    if vs.read_only {
        let why = r
            .reason
            .split_once("read-only: ")
            .map_or(r.reason, |(_, w)| w);
        return Err(Problem::Other(format!(
            "{}.{} is read-only through a view: {why}",
            r.strukt, r.field
        )));
    }
    if let FieldKind::Struct(sid) = kind {
        let s = &ctx.structs[*sid as usize];
        if s.describing.is_some() {
            return Err(Problem::Other(format!(
                "a {} in {}.{} cannot be replaced through a view: its fields describe \
                 raylib's memory (write its plain fields instead)",
                s.name, r.strukt, r.field
            )));
        }
    }
    Ok(())
}

/// Integer fields of raylib structs that describe no memory: glyph metrics.
const PLAIN_INTEGERS: &[(&str, &str)] = &[
    ("GlyphInfo", "value"),
    ("GlyphInfo", "offsetX"),
    ("GlyphInfo", "offsetY"),
    ("GlyphInfo", "advanceX"),
];

/// Struct field types a script may set through a view, to a value raylib made: the GPU
/// handles and the shader a material uses (`maps[i].texture = tex`, `material.shader = sh`),
/// which raylib's models unload with neither.
const SETTABLE_STRUCTS: &[&str] = &["Texture", "Shader"];

/// A field written through a view into raylib's memory (a borrowed struct view at 1): only
/// plain data. Pointers, counts and the integers of structs with pointer fields (ids, sizes,
/// formats) are refused; struct fields with pointer fields only take a Texture or Shader
/// raylib made.
pub fn check_field_write(
    ctx: &Ctx,
    st: &Stack,
    info: &StructInfo,
    f: &FieldInfo,
) -> Result<(), Problem> {
    let refuse = |why: &str| {
        Err(Problem::Other(format!(
            "{}.{} cannot be written through a view into raylib's memory: {why}",
            info.name, f.name
        )))
    };
    match &f.kind {
        FieldKind::Pointer(_) => refuse("it is a pointer raylib owns"),
        FieldKind::Scalar(p) if !p.is_float() && *p != Prim::Bool => {
            if pointer_lengths::is_count_field(&info.name, &f.name) {
                refuse("it counts the elements of a pointer field")
            } else if info.describing.is_some()
                && !PLAIN_INTEGERS.contains(&(info.name.as_str(), f.name.as_str()))
            {
                refuse("it describes raylib's memory (ids, sizes, formats)")
            } else {
                Ok(())
            }
        }
        FieldKind::Struct(sid) => {
            let s = &ctx.structs[*sid as usize];
            let Some(ranges) = s.describing.as_deref() else {
                return Ok(());
            };
            if !SETTABLE_STRUCTS.contains(&s.name.as_str()) {
                return refuse("its fields describe raylib's memory");
            }
            let made = st
                .struct_at(3)
                .filter(|v| v.ty == *sid)
                .is_some_and(|v| ctx.vouched.standing(&Key::of(ranges, v.mem)) == Standing::Known);
            if made {
                Ok(())
            } else {
                refuse(&format!("only a {} raylib made goes there", s.name))
            }
        }
        FieldKind::Array { elem, .. } => match elem.as_ref() {
            FieldKind::Scalar(p)
                if p.is_float() || *p == Prim::Bool || info.describing.is_none() =>
            {
                Ok(())
            }
            FieldKind::Scalar(Prim::Char) => Ok(()),
            _ => refuse("it describes raylib's memory"),
        },
        FieldKind::Scalar(_) => Ok(()),
    }
}
