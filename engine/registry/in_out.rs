//! Parameters C reads and then writes back: raygui's controls take their state by pointer
//! (`bool *active`, `int *value`, `float *value`, `Vector2 *scroll`, `Color *color`) and edit
//! text in place (`char *text, int textSize`). From the declarations, by raygui's convention
//! (every writable pointer of a control is its state), with a hand rule where a size is not
//! declared. A Lua caller passes the current value and gets the new one back after the
//! result; or passes a typed buffer, which C writes into.

use super::{CType, FuncDecl, Prim, Registry, Source};

/// How many bytes C may write into an edited text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TextSize {
    /// The parameter at this index carries it (`textSize`, `textMaxSize`).
    Param(usize),
    /// A size the library fixes (declared by hand in [`FIXED_TEXT`]).
    Fixed(usize),
}

/// Edited texts whose size no parameter carries: function, parameter, bytes C may write
/// (with the NUL), why.
pub const FIXED_TEXT: &[(&str, &str, usize, &str)] = &[(
    "GuiValueBoxFloat",
    "textValue",
    33,
    "raygui edits up to RAYGUI_VALUEBOX_MAX_CHARS (32) characters and a NUL in place",
)];

/// Names of the parameters that carry an edited text's size.
fn is_text_size_name(name: &str) -> bool {
    matches!(name, "textSize" | "textMaxSize")
}

/// What the in/out parameter `i` of `f` is, if it is one.
pub fn classify(reg: &Registry, f: &FuncDecl, i: usize) -> Option<InOut> {
    if f.source != Source::Raygui {
        return None;
    }
    let p = &f.params[i];
    let CType::Pointer {
        to,
        is_const: false,
    } = &p.ty
    else {
        return None;
    };
    match &**to {
        CType::Prim(Prim::Char) => {
            if let Some(&(_, _, n, _)) = FIXED_TEXT
                .iter()
                .find(|(func, param, _, _)| *func == f.name && *param == p.name)
            {
                return Some(InOut::Text(TextSize::Fixed(n)));
            }
            let next = f.params.get(i + 1)?;
            (next.ty == CType::Prim(Prim::Int) && is_text_size_name(&next.name))
                .then_some(InOut::Text(TextSize::Param(i + 1)))
        }
        CType::Prim(Prim::Bool | Prim::Int | Prim::Float) => Some(InOut::Value((**to).clone())),
        // State structs hold no pointers (Vector2, Vector3, Rectangle, Color).
        CType::Struct(id) if reg.structs[*id].fields.iter().all(|f| !f.ty.is_pointer()) => {
            Some(InOut::Value((**to).clone()))
        }
        _ => None,
    }
}

/// An in/out parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum InOut {
    /// A value C reads and replaces.
    Value(CType),
    /// A text C edits in place, within its size.
    Text(TextSize),
}
