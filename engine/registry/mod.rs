//! The registry: raylib's API as data. Structs, aliases, enums, defines, colors and functions
//! are parsed from the libraries' own headers ([`headers`]: raylib.h, raymath.h, rlgl.h,
//! raygui.h), struct layouts are computed once, and every pointer parameter is given a
//! declared meaning ([`semantics`]).
//!
//! Contract: no unsafe, no Lua, no libffi. Everything above builds on these declarations.

pub mod byte_needs;
mod comments;
mod const_expr;
pub mod ctype;
pub mod font_loaders;
pub mod header;
pub mod headers;
pub mod in_out;
pub mod layout;
pub mod memory;
pub mod pointer_lengths;
pub mod preconditions;
pub mod return_lengths;
pub mod semantics;
mod tokens;

use std::collections::HashMap;

pub use ctype::{CType, Prim, StructId};
pub use layout::Layout;
pub use semantics::{ParamKind, ReturnKind, Unsupported};

/// Which header a declaration came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Raylib,
    Raymath,
    Rlgl,
    Raygui,
    Custom,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub ty: CType,
    pub offset: usize,
}

#[derive(Clone, Debug)]
pub struct StructDecl {
    pub name: String,
    pub fields: Vec<Field>,
    pub layout: Layout,
    pub source: Source,
}

impl StructDecl {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub ty: CType,
}

#[derive(Clone, Debug)]
pub struct FuncDecl {
    pub name: String,
    pub ret: CType,
    pub params: Vec<Param>,
    pub variadic: bool,
    pub source: Source,
}

#[derive(Clone, Debug)]
pub struct EnumDecl {
    pub name: String,
    pub values: Vec<(String, i64)>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum DefineValue {
    Int(i64),
    Float(f64),
    Str(String),
    /// `CLITERAL(Color){ r, g, b, a }`
    Color([u8; 4]),
}

#[derive(Clone, Debug)]
pub struct Define {
    pub name: String,
    pub value: DefineValue,
}

/// A function-pointer typedef (`AudioCallback`, `TraceLogCallback`...).
#[derive(Clone, Debug)]
pub struct CallbackDecl {
    pub name: String,
    pub ret: CType,
    pub params: Vec<Param>,
    pub variadic_list: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Registry {
    pub structs: Vec<StructDecl>,
    /// `Texture2D -> Texture`, `Camera -> Camera3D`, `Quaternion -> Vector4`...
    pub aliases: Vec<(String, CType)>,
    pub enums: Vec<EnumDecl>,
    pub defines: Vec<Define>,
    pub callbacks: Vec<CallbackDecl>,
    pub functions: Vec<FuncDecl>,
    /// Function-name aliases from `#define GetMouseRay GetScreenToWorldRay`.
    pub function_aliases: Vec<(String, String)>,
    /// raylib's own comment for a declaration, by name: functions, structs, enums and their
    /// values, defines, aliases, callbacks; a struct field as `Struct.field`.
    pub docs: HashMap<String, String>,
    struct_index: HashMap<String, StructId>,
    function_index: HashMap<String, usize>,
}

impl Registry {
    /// The registry of the raylib 6.0 headers lunaray was built with, and raygui's.
    pub fn raylib() -> Registry {
        let mut reg = Registry::default();
        for spec in headers::HEADERS {
            header::parse_header(&mut reg, spec)
                .unwrap_or_else(|e| panic!("{}'s header does not parse: {e}", spec.library));
        }
        reg
    }

    /// Looks a struct up by its name or by a typedef alias of it (`Texture2D`, `Camera`).
    pub fn struct_id(&self, name: &str) -> Option<StructId> {
        if let Some(&id) = self.struct_index.get(name) {
            return Some(id);
        }
        self.aliases.iter().find_map(|(alias, ty)| match ty {
            CType::Struct(id) if alias == name => Some(*id),
            _ => None,
        })
    }

    pub fn struct_decl(&self, id: StructId) -> &StructDecl {
        &self.structs[id]
    }

    pub fn function(&self, name: &str) -> Option<&FuncDecl> {
        self.function_index.get(name).map(|&i| &self.functions[i])
    }

    /// raylib's comment for `name` (`InitWindow`, `Vector2.x`, `KEY_SPACE`), if it has one.
    pub fn doc(&self, name: &str) -> Option<&str> {
        self.docs.get(name).map(String::as_str)
    }

    pub fn callback(&self, name: &str) -> Option<&CallbackDecl> {
        self.callbacks.iter().find(|c| c.name == name)
    }

    pub fn define(&self, name: &str) -> Option<&DefineValue> {
        self.defines
            .iter()
            .find(|d| d.name == name)
            .map(|d| &d.value)
    }

    /// An enum value by its name (`KEY_SPACE`).
    pub fn enum_value(&self, name: &str) -> Option<i64> {
        self.enums
            .iter()
            .flat_map(|e| e.values.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    pub fn layout_of(&self, ty: &CType) -> Layout {
        layout::layout_of(self, ty)
    }

    /// Whether struct `sid` is exactly `n` `float` fields one after another and nothing else
    /// (`4 * n` bytes, no padding): Vector2/3/4 and, with 16, Matrix, whatever the fields'
    /// names (Matrix's run m0, m4, m8, ...).
    pub fn is_floats(&self, sid: StructId, n: usize) -> bool {
        let s = &self.structs[sid];
        s.layout.size == 4 * n
            && s.fields.len() == n
            && s.fields
                .iter()
                .enumerate()
                .all(|(i, f)| f.offset == 4 * i && f.ty == CType::Prim(Prim::Float))
    }

    /// The C spelling of a type, with struct names, for messages and `lunaray api`.
    pub fn type_name(&self, ty: &CType) -> String {
        match ty {
            CType::Prim(p) => p.c_name().to_string(),
            CType::Struct(id) => self.structs[*id].name.clone(),
            CType::Opaque(n) | CType::Callback(n) => n.clone(),
            CType::Pointer { to, is_const } => {
                let inner = self.type_name(to);
                if *is_const {
                    format!("const {inner} *")
                } else {
                    format!("{inner} *")
                }
            }
            CType::Array { of, len } => format!("{}[{len}]", self.type_name(of)),
        }
    }

    pub(crate) fn add_struct(&mut self, decl: StructDecl) -> StructId {
        let id = self.structs.len();
        self.struct_index.insert(decl.name.clone(), id);
        self.structs.push(decl);
        id
    }

    pub(crate) fn add_function(&mut self, decl: FuncDecl) {
        if self.function_index.contains_key(&decl.name) {
            return;
        }
        self.function_index
            .insert(decl.name.clone(), self.functions.len());
        self.functions.push(decl);
    }
}

pub use headers::{INCLUDE_DIR, RAYGUI_H, RAYGUI_H_PATH, RAYLIB_H, RAYMATH_H, RLGL_H};
