//! Value preconditions raylib does not check on type-correct arguments, declared by hand, each
//! with its reason: a divisor that must not be zero, an index into a fixed array, a size that
//! would overflow an allocation. `semantics::classify` attaches them to their parameters; the
//! call is refused with a Lua error before raylib sees the value.

/// What a number parameter must satisfy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// An integer in `min..=max`.
    Range { min: i64, max: i64 },
    /// An integer from 0 to the byte length of the string parameter at this index.
    AtMostLenOf(usize),
    /// A float at least this.
    AtLeast(f64),
}

/// One declared precondition: function, parameter, rule, and why.
pub struct Precondition {
    pub function: &'static str,
    pub param: &'static str,
    pub rule: Rule,
    pub reason: &'static str,
}

/// raylib's `MAX_GAMEPADS` (config.h) and `MAX_MATERIAL_MAPS`.
const MAX_GAMEPADS: i64 = 4;
const MAX_MATERIAL_MAPS: i64 = 12;

const fn range(
    function: &'static str,
    param: &'static str,
    min: i64,
    max: i64,
    reason: &'static str,
) -> Precondition {
    Precondition {
        function,
        param,
        rule: Rule::Range { min, max },
        reason,
    }
}

const DIVIDES: &str = "raylib divides by it";
const GAMEPAD: &str = "raylib indexes its gamepad arrays with it unchecked";

/// Every declared precondition. Functions taking `int gamepad` are covered by
/// [`for_param`]'s rule for that name.
pub const PRECONDITIONS: &[Precondition] = &[
    range("GenImageChecked", "checksX", 1, i32::MAX as i64, DIVIDES),
    range("GenImageChecked", "checksY", 1, i32::MAX as i64, DIVIDES),
    range("GenImageCellular", "tileSize", 1, i32::MAX as i64, DIVIDES),
    range("ImageResizeNN", "newWidth", 1, i32::MAX as i64, DIVIDES),
    range("ImageResizeNN", "newHeight", 1, i32::MAX as i64, DIVIDES),
    Precondition {
        function: "ImageTextEx",
        param: "fontSize",
        rule: Rule::AtLeast(1.0),
        reason: DIVIDES,
    },
    range(
        "SetMaterialTexture",
        "mapType",
        0,
        MAX_MATERIAL_MAPS - 1,
        "raylib writes material.maps[mapType] unchecked",
    ),
    range(
        "TextSubtext",
        "position",
        0,
        i32::MAX as i64,
        "raylib reads text + position unchecked",
    ),
    range(
        "TextSubtext",
        "length",
        0,
        i32::MAX as i64,
        "raylib copies length bytes unchecked",
    ),
    Precondition {
        function: "TextInsert",
        param: "position",
        rule: Rule::AtMostLenOf(0),
        reason: "raylib copies position bytes of text unchecked",
    },
    Precondition {
        function: "TextInsertAlloc",
        param: "position",
        rule: Rule::AtMostLenOf(0),
        reason: "raylib copies position bytes of text unchecked",
    },
    range(
        "LoadImagePalette",
        "maxPaletteSize",
        0,
        1 << 24,
        "raylib allocates that many colors and writes through a failed allocation",
    ),
    range(
        "GenMeshPlane",
        "resX",
        1,
        1 << 12,
        "raylib allocates resX*resZ vertices and overflows past that",
    ),
    range(
        "GenMeshPlane",
        "resZ",
        1,
        1 << 12,
        "raylib allocates resX*resZ vertices and overflows past that",
    ),
];

/// The precondition of parameter `param` of `function`, if one is declared.
pub fn for_param(function: &str, param: &str) -> Option<(Rule, &'static str)> {
    if param == "gamepad" {
        return Some((
            Rule::Range {
                min: 0,
                max: MAX_GAMEPADS - 1,
            },
            GAMEPAD,
        ));
    }
    PRECONDITIONS
        .iter()
        .find(|p| p.function == function && p.param == param)
        .map(|p| (p.rule, p.reason))
}

/// The rule in words (`from 0 to 3`, `at least 1`, `at most the length of text`).
pub fn describe(rule: &Rule, params: &[super::Param]) -> String {
    match rule {
        Rule::Range { min, max } if *max == i32::MAX as i64 => format!("at least {min}"),
        Rule::Range { min, max } => format!("from {min} to {max}"),
        Rule::AtMostLenOf(i) => format!(
            "from 0 to the length of {}",
            params.get(*i).map_or("the text", |p| p.name.as_str())
        ),
        Rule::AtLeast(v) => format!("at least {v}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{CType, Registry};

    #[test]
    fn every_declared_rule_names_a_number_parameter_of_raylib() {
        let reg = Registry::raylib();
        for p in PRECONDITIONS {
            let f = reg
                .function(p.function)
                .unwrap_or_else(|| panic!("{}", p.function));
            let param = f.params.iter().position(|q| q.name == p.param);
            let i = param.unwrap_or_else(|| panic!("{}.{}", p.function, p.param));
            assert!(
                matches!(f.params[i].ty, CType::Prim(_)),
                "{}.{}",
                p.function,
                p.param
            );
            if let Rule::AtMostLenOf(k) = p.rule {
                assert!(k < i, "{}: the bounding string comes first", p.function);
            }
        }
        for (function, param) in crate::registry::semantics::UNCHECKED_STRINGS {
            let f = reg
                .function(function)
                .unwrap_or_else(|| panic!("{function}"));
            assert!(
                f.params.iter().any(|q| q.name == *param),
                "{function}.{param}"
            );
        }
    }
}
