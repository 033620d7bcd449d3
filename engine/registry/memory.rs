//! Each pointer's memory contract, as data: what it points to, which way the data goes,
//! whether C writes through it or frees it, whether nil (NULL) is taken, how long it is, and
//! which rule says so. Computed from the same rules the call pipeline enforces (the
//! parameter kinds of [`super::semantics`], the declared byte needs, return lengths and
//! in/out parameters), so `lunaray api --json` shows exactly what a call checks.
//!
//! Contract: every pointer parameter of a bound function and every pointer it returns gets
//! one; a parameter kind the pipeline refuses never reaches here (unsupported functions are
//! listed apart, with why).

use serde::Serialize;

use super::semantics::{ParamKind, ReturnKind};
use super::{byte_needs, return_lengths, CType, FuncDecl, Prim, Registry};

/// Which way data goes through a pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    In,
    Out,
    InOut,
}

/// Who frees the memory behind a returned pointer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Owner {
    /// raylib allocated it for the caller: this function frees it.
    Caller { freed_by: String },
    /// raylib's own memory (static storage, or a struct's field): never freed by the caller.
    Raylib,
}

/// One pointer's contract.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemoryContract {
    /// The pointee type (`Color`, `char`, `void`).
    pub pointee: String,
    pub direction: Direction,
    /// C writes through it.
    pub writable: bool,
    /// nil (NULL) is taken.
    pub nullable: bool,
    /// How long the memory is, as an expression of arguments or fields (`pointCount`,
    /// `image.width*image.height`); None where C reads to a NUL (texts) or one element.
    pub length: Option<String>,
    /// C keeps the pointer after the call (only where lunaray keeps the memory alive for it,
    /// [`KEPT`]; functions that would keep other pointers are left out).
    pub kept: bool,
    /// C frees (or reallocates) it.
    pub frees: bool,
    /// Where the contract comes from.
    pub rule: String,
}

/// Pointer parameters C keeps after the call, and how lunaray keeps their memory alive.
pub const KEPT: &[(&str, &str, &str)] = &[(
    "SetAutomationEventList",
    "list",
    "raylib records into the list at every frame until another is set: the value (one raylib \
     made, never a table) is kept alive until then (marshal/automation.rs)",
)];

/// The contract of parameter `i` of `f`, classified as `kind`; None for non-pointers.
pub fn of_param(
    reg: &Registry,
    f: &FuncDecl,
    i: usize,
    kind: &ParamKind,
) -> Option<MemoryContract> {
    let mut c = contract(reg, f, i, kind)?;
    if let Some((_, _, why)) = KEPT
        .iter()
        .find(|(func, param, _)| *func == f.name && *param == f.params[i].name)
    {
        c.kept = true;
        c.rule = format!("{}; kept: {why}", c.rule);
    }
    Some(c)
}

fn contract(reg: &Registry, f: &FuncDecl, i: usize, kind: &ParamKind) -> Option<MemoryContract> {
    let CType::Pointer { to, is_const } = &f.params[i].ty else {
        return None;
    };
    let name = |j: usize| f.params.get(j).map_or("?", |p| p.name.as_str()).to_string();
    let pointee = reg.type_name(to);
    let need = byte_needs::for_param(&f.name, &f.params[i].name);
    let header = if *is_const {
        "header: const, so C only reads"
    } else {
        "header: not const"
    };
    let c = |direction, writable, nullable, length: Option<String>, rule: String| MemoryContract {
        pointee: pointee.clone(),
        direction,
        writable,
        nullable,
        length,
        kept: false,
        frees: false,
        rule,
    };
    use Direction::{In, InOut, Out};
    Some(match kind {
        ParamKind::CString | ParamKind::FileName { nullable: true, .. } => {
            c(In, false, true, None, header.into())
        }
        ParamKind::StringNotNull | ParamKind::FileName { .. } | ParamKind::Url => c(
            In,
            false,
            false,
            None,
            "hand rule: raylib reads it without a NULL check".into(),
        ),
        ParamKind::StringNilEmpty => c(
            In,
            false,
            false,
            Some(format!("at most {} bytes", super::semantics::MAX_GUI_TEXT)),
            "hand rule: raygui reads its texts without a NULL check".into(),
        ),
        ParamKind::StructRef(_) => c(
            InOut,
            true,
            false,
            Some("1".into()),
            "header: a struct pointer C changes in place".into(),
        ),
        ParamKind::Array { count, .. } => c(
            In,
            false,
            true,
            Some(count.map_or("as many as given".into(), name)),
            match count {
                Some(_) => "header: const array with its count parameter next to it".into(),
                None => "header: const array".into(),
            },
        ),
        ParamKind::Out(_) => c(
            Out,
            true,
            false,
            Some("1".into()),
            "header: a result parameter (`*Count`, `*Size`, out-values)".into(),
        ),
        ParamKind::InOut(_) => c(
            InOut,
            true,
            false,
            Some("1".into()),
            "hand rule: raygui's control state (in_out.rs)".into(),
        ),
        ParamKind::Text(size) => c(
            InOut,
            true,
            false,
            Some(match size {
                super::in_out::TextSize::Param(j) => format!("{} bytes", name(*j)),
                super::in_out::TextSize::Fixed(n) => format!("{n} bytes"),
            }),
            "hand rule: a text C edits in place (in_out.rs)".into(),
        ),
        ParamKind::Pointer { writable, .. } => {
            let (length, rule) = match need {
                Some(n) => (
                    Some(byte_needs::describe(&n.needs)),
                    "hand rule: declared byte need (byte_needs.rs)".into(),
                ),
                None if matches!(**to, CType::Prim(Prim::Void)) => (None, header.into()),
                None => (Some("1".into()), header.into()),
            };
            c(
                if *writable { InOut } else { In },
                *writable,
                !*writable || need.is_some_and(|n| n.nullable),
                length,
                rule,
            )
        }
        ParamKind::Owned(_) => MemoryContract {
            frees: true,
            ..c(
                In,
                true,
                true,
                None,
                "name rule: Unload*, MemFree and MemRealloc free their pointers".into(),
            )
        },
        ParamKind::Scalar(_)
        | ParamKind::Checked { .. }
        | ParamKind::Struct(_)
        | ParamKind::Count { .. }
        | ParamKind::TextSize { .. } => return None,
    })
}

/// The contract of what `f` returns, classified as `ret`; None for non-pointers (and texts,
/// which are copied into Lua strings).
pub fn of_return(reg: &Registry, f: &FuncDecl, ret: &ReturnKind) -> Option<MemoryContract> {
    let ReturnKind::Pointer { to, owned } = ret else {
        return None;
    };
    let length = return_lengths::for_function(f);
    let owner = if *owned {
        // raylib pairs its loaders with an unloader (`LoadImageColors`, `UnloadImageColors`);
        // everything else it allocates is freed with `MemFree`.
        let unload = f.name.strip_prefix("Load").map(|n| format!("Unload{n}"));
        Owner::Caller {
            freed_by: unload
                .filter(|u| reg.function(u).is_some())
                .unwrap_or_else(|| "MemFree".into()),
        }
    } else {
        Owner::Raylib
    };
    let length_text = length.map(|(l, _)| describe_length(&l));
    let rule = match length {
        Some((_, why)) => format!("length: {why}"),
        None => "length not known: an opaque pointer value".into(),
    };
    Some(MemoryContract {
        pointee: reg.type_name(to),
        direction: Direction::Out,
        // Elements are written through an indexable value, plain data only.
        writable: !matches!(*to, CType::Prim(Prim::Void) | CType::Pointer { .. })
            && length_text.is_some(),
        nullable: true,
        length: length_text,
        kept: false,
        frees: false,
        rule: match owner {
            Owner::Caller { freed_by } => format!("{rule}; freed by {freed_by}"),
            Owner::Raylib => format!("{rule}; raylib's memory"),
        },
    })
}

/// A return length as an expression (`image.width*image.height`).
fn describe_length(l: &return_lengths::Length<'_>) -> String {
    use return_lengths::Length;
    match l {
        Length::Out(p) | Length::Param(p) => (*p).to_string(),
        Length::Params(a, b, 1) => format!("{a}*{b}"),
        Length::Params(a, b, k) => format!("{a}*{b}*{k}"),
        Length::Fields(p, a, b) => format!("{p}.{a}*{p}.{b}"),
        Length::Fixed(n) => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::semantics::classify;

    fn contracts(
        reg: &Registry,
        name: &str,
    ) -> (Vec<Option<MemoryContract>>, Option<MemoryContract>) {
        let f = reg.function(name).unwrap();
        let sem = classify(reg, f).unwrap();
        let params = (0..f.params.len())
            .map(|i| of_param(reg, f, i, &sem.params[i]))
            .collect();
        (params, of_return(reg, f, &sem.ret))
    }

    #[test]
    fn every_pointer_of_every_bound_function_has_a_contract() {
        let reg = Registry::raylib();
        for f in &reg.functions {
            let Ok(sem) = classify(&reg, f) else { continue };
            for (i, p) in f.params.iter().enumerate() {
                let is_ptr = matches!(p.ty, CType::Pointer { .. });
                assert_eq!(
                    of_param(&reg, f, i, &sem.params[i]).is_some(),
                    is_ptr,
                    "{}({})",
                    f.name,
                    p.name
                );
            }
        }
    }

    #[test]
    fn contracts_say_direction_length_and_owner() {
        let reg = Registry::raylib();
        let (p, _) = contracts(&reg, "DrawLineStrip");
        let points = p[0].clone().unwrap();
        assert_eq!(
            (points.direction, points.writable, points.length.as_deref()),
            (Direction::In, false, Some("pointCount"))
        );
        let (p, r) = contracts(&reg, "LoadImageColors");
        assert!(p[0].is_none());
        let r = r.unwrap();
        assert_eq!(r.length.as_deref(), Some("image.width*image.height"));
        assert!(r.rule.ends_with("freed by UnloadImageColors"), "{}", r.rule);
        let (p, _) = contracts(&reg, "UnloadImageColors");
        assert!(p[0].as_ref().unwrap().frees);
        let (p, _) = contracts(&reg, "UpdateTexture");
        let pixels = p[1].clone().unwrap();
        assert!(
            pixels.length.unwrap().contains("texture"),
            "byte need named"
        );
        let (p, _) = contracts(&reg, "GuiCheckBox");
        assert_eq!(p[2].as_ref().unwrap().direction, Direction::InOut);
        let (_, r) = contracts(&reg, "CompressData");
        assert!(r.unwrap().rule.ends_with("freed by MemFree"));
        let (p, _) = contracts(&reg, "SetAutomationEventList");
        assert!(p[0].as_ref().unwrap().kept);
        let (_, r) = contracts(&reg, "TextSplit");
        let r = r.unwrap();
        assert_eq!(r.length.as_deref(), Some("count"));
        assert!(r.rule.ends_with("raylib's memory"));
    }
}
