//! How much memory behind a pointer a function returns: derived from the header where its
//! names say it (an `int *count`, `int *dataSize` out-parameter), declared by hand where
//! only raylib's code does (`LoadImageColors` allocates `image.width*image.height` Colors),
//! each hand rule with its reason. A returned pointer with a length is indexable
//! (`colors[0]`, `#colors`), is accepted as an array of at most that many elements, and is
//! what `Unload*` and `MemFree` check their counts against; one without stays opaque.
//!
//! Contract: every rule names a function returning a pointer, and parameters (and fields of
//! struct parameters) that exist with integer types; `tests` check each against the header.
//! Products follow C's arithmetic in raylib's own allocation: an `int` product past
//! `INT_MAX` is no length (raylib's allocation size is then not the product).

use super::FuncDecl;

/// Where a returned pointer's length comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Length<'a> {
    /// The value C writes into this out-parameter: elements of the pointee type.
    Out(&'a str),
    /// This parameter's value: elements of the pointee type (bytes for `void *`).
    Param(&'a str),
    /// The product of two integer parameters, times a number of elements per unit.
    Params(&'a str, &'a str, u32),
    /// The product of two integer fields of a struct parameter (`image`, `width`, `height`).
    Fields(&'a str, &'a str, &'a str),
    /// A fixed number of elements (static storage of that size).
    Fixed(u32),
}

/// One declared return length.
#[derive(Clone, Copy, Debug)]
pub struct ReturnLength {
    pub function: &'static str,
    pub length: Length<'static>,
    pub reason: &'static str,
}

const fn rule(
    function: &'static str,
    length: Length<'static>,
    reason: &'static str,
) -> ReturnLength {
    ReturnLength {
        function,
        length,
        reason,
    }
}

use Length::{Fields, Fixed, Param, Params};

/// Lengths raylib states only in its code.
pub const RETURN_LENGTHS: &[ReturnLength] = &[
    rule(
        "LoadImageColors",
        Fields("image", "width", "height"),
        "RL_MALLOC(image.width*image.height*sizeof(Color)) (rtextures.c)",
    ),
    rule(
        "LoadWaveSamples",
        Fields("wave", "frameCount", "channels"),
        "RL_MALLOC(wave.frameCount*wave.channels*sizeof(float)) (raudio.c)",
    ),
    rule(
        "LoadRandomSequence",
        Param("count"),
        "RL_CALLOC(count, sizeof(int)) (rcore.c)",
    ),
    rule("MemAlloc", Param("size"), "RL_CALLOC(size, 1): size bytes"),
    rule(
        "MemRealloc",
        Param("size"),
        "RL_REALLOC(ptr, size): size bytes",
    ),
    rule(
        "rlReadScreenPixels",
        Params("width", "height", 4),
        "RL_CALLOC(width*height*4, sizeof(unsigned char)) (rlgl.h): RGBA bytes",
    ),
    rule(
        "ComputeMD5",
        Fixed(4),
        "static unsigned int hash[4] (rcore.c), rewritten by the next call",
    ),
    rule(
        "ComputeSHA1",
        Fixed(5),
        "static unsigned int hash[5] (rcore.c), rewritten by the next call",
    ),
    rule(
        "ComputeSHA256",
        Fixed(8),
        "static unsigned int hash[8] (rcore.c), rewritten by the next call",
    ),
    rule(
        "GuiGetIcons",
        Fixed(256 * 8),
        "raygui's static icon array: RAYGUI_ICON_MAX_ICONS (256) icons of \
         RAYGUI_ICON_DATA_ELEMENTS (16*16/32 = 8) words",
    ),
];

/// Returned pointers whose length lunaray does not claim, with why.
pub const NO_LENGTH: &[(&str, &str)] = &[
    (
        "rlGetShaderLocsDefault",
        "RL_MAX_SHADER_LOCATIONS ints, but freed by CloseWindow (rlglClose) while a value could \
         still point at them",
    ),
    (
        "GuiLoadIcons",
        "as many names as the file has icons, which raygui does not return",
    ),
    (
        "GuiLoadIconsFromMemory",
        "as many names as the data has icons, which raygui does not return",
    ),
];

/// The length of what `f` returns, and why: a hand rule, or an out-parameter named for it
/// (`*Count`, `*Size`, `count`: the header's convention for "how many were returned").
pub fn for_function(f: &FuncDecl) -> Option<(Length<'_>, &'static str)> {
    if let Some(r) = RETURN_LENGTHS.iter().find(|r| r.function == f.name) {
        return Some((r.length, r.reason));
    }
    if NO_LENGTH.iter().any(|(name, _)| *name == f.name) {
        return None;
    }
    f.params
        .iter()
        .find(|p| {
            matches!(&p.ty, super::CType::Pointer { to, is_const: false }
                if **to == super::CType::Prim(super::Prim::Int))
                && (p.name.ends_with("Count") || p.name.ends_with("Size") || p.name == "count")
        })
        .map(|p| {
            (
                Length::Out(p.name.as_str()),
                "the out-parameter the header names for the count",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{CType, Prim, Registry};

    fn int_like(ty: &CType) -> bool {
        matches!(ty, CType::Prim(Prim::Int | Prim::UInt))
    }

    #[test]
    fn every_rule_names_a_pointer_return_and_integer_lengths() {
        let reg = Registry::raylib();
        for r in RETURN_LENGTHS {
            let f = reg.function(r.function).expect(r.function);
            assert!(matches!(f.ret, CType::Pointer { .. }), "{}", r.function);
            assert!(!r.reason.is_empty());
            let param = |n: &str| {
                f.params
                    .iter()
                    .find(|p| p.name == n)
                    .unwrap_or_else(|| panic!("{}: no parameter {n}", r.function))
            };
            match r.length {
                Param(p) => assert!(int_like(&param(p).ty), "{}", r.function),
                Params(a, b, _) => assert!(int_like(&param(a).ty) && int_like(&param(b).ty)),
                Fields(p, a, b) => {
                    let CType::Struct(sid) = param(p).ty else {
                        panic!("{}: {p} is no struct", r.function)
                    };
                    let s = &reg.structs[sid];
                    for field in [a, b] {
                        assert!(int_like(&s.field(field).expect(field).ty), "{}", r.function);
                    }
                }
                Fixed(n) => assert!(n > 0),
                Length::Out(_) => panic!("out-parameters are derived, not declared"),
            }
        }
        for (name, why) in NO_LENGTH {
            assert!(reg.function(name).is_some() && !why.is_empty(), "{name}");
        }
        let derived = |name: &str| for_function(reg.function(name).unwrap()).map(|(l, _)| l);
        assert_eq!(derived("LoadImagePalette"), Some(Length::Out("colorCount")));
        assert_eq!(derived("LoadFileData"), Some(Length::Out("dataSize")));
        assert_eq!(derived("TextSplit"), Some(Length::Out("count")));
        assert_eq!(derived("LoadFontData"), Some(Length::Out("glyphCount")));
        assert_eq!(derived("LoadFileText"), None);
        assert_eq!(derived("rlGetShaderLocsDefault"), None);
    }
}
