//! The pool: values earlier calls returned, kept in the worker's global Lua table `P` and
//! modelled here by what each slot was meant to hold, so the generator can pass a loaded
//! image where an `Image` is wanted (and, on purpose, where something else is).
//!
//! Contract: slots `1..=SETUP.len()` are filled by the worker's setup (every entry must
//! succeed); slots after them take the results of generated calls. A slot's kind is what the
//! call that filled it declares it returns; a failed call leaves the slot nil (the generated
//! source clears it first), which is just one more hostile value.

use crate::registry::{CType, Prim, Registry, StructId};

/// What a pool slot holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Held {
    /// A struct value.
    Struct(StructId),
    /// A pointer value to this pointee type.
    Pointer(CType),
    /// A typed buffer of this element type.
    Buffer(CType),
}

/// Slots generated calls store their results in, after the setup's.
pub const DYNAMIC_SLOTS: usize = 40;

/// The worker's setup: what each first slot holds (`Image`, `*Color` for a pointer, `[Color]`
/// for a buffer) and the Lua expression that makes it. Runs after `InitWindow`, in the
/// scratch directory (its files: `worker::SCRATCH_FILES`).
pub const SETUP: &[(&str, &str)] = &[
    ("Image", "rl.GenImageColor(16, 16, rl.RED)"),
    (
        "Image",
        "rl.GenImageGradientLinear(32, 8, 45, rl.RED, rl.BLUE)",
    ),
    ("Image", "rl.LoadImage('f0.png')"),
    ("Image", "rl.ImageText('fuzz', 10, rl.GREEN)"),
    ("Font", "rl.GetFontDefault()"),
    ("Mesh", "rl.GenMeshCube(1, 1, 1)"),
    ("Mesh", "rl.GenMeshPoly(5, 1)"),
    ("Model", "rl.LoadModelFromMesh(rl.GenMeshSphere(1, 8, 8))"),
    ("Model", "rl.LoadModel('m.obj')"),
    (
        "Texture",
        "rl.LoadTextureFromImage(rl.GenImageColor(8, 8, rl.BLUE))",
    ),
    ("RenderTexture", "rl.LoadRenderTexture(32, 32)"),
    ("Shader", "rl.LoadShader(nil, nil)"),
    ("Material", "rl.LoadMaterialDefault()"),
    ("Wave", "rl.LoadWave('a.wav')"),
    (
        "Camera3D",
        "rl.new('Camera3D', {position = {0, 10, 10}, up = {0, 1, 0}, fovy = 45})",
    ),
    ("Camera2D", "rl.new('Camera2D', {zoom = 1})"),
    ("FilePathList", "rl.LoadDirectoryFiles('.')"),
    ("AutomationEventList", "rl.LoadAutomationEventList(nil)"),
    (
        "*Color",
        "rl.LoadImageColors(rl.GenImageColor(4, 4, rl.RED))",
    ),
    ("*void", "rl.MemAlloc(64)"),
    ("*unsigned char", "rl.LoadFileData('f0.png')"),
    ("*unsigned char", "rl.LoadFileData('t1.ttf')"),
    ("*int", "rl.LoadCodepoints('abc')"),
    ("*char", "rl.LoadFileText('f1.txt')"),
    ("[Color]", "rl.new('Color[?]', 16)"),
    ("[float]", "rl.new('float[?]', 16)"),
    (
        "[Vector2]",
        "rl.new('Vector2[?]', 8, {{0, 0}, {10, 0}, {10, 10}})",
    ),
    ("[unsigned char]", "rl.new('unsigned char[?]', 64)"),
    ("[int]", "rl.new('int[?]', 8)"),
    ("[Matrix]", "rl.new('Matrix[?]', 2)"),
];

/// The model of the worker's `P` table.
pub struct Pool {
    /// Index 0 is unused: Lua's `P[1]` is `slots[1]`.
    slots: Vec<Option<Held>>,
}

/// A setup kind spelled as in [`SETUP`], as a [`Held`].
pub fn parse_kind(reg: &Registry, spec: &str) -> Option<Held> {
    let ty = |name: &str| -> Option<CType> {
        if let Some(id) = reg.struct_id(name) {
            return Some(CType::Struct(id));
        }
        Some(CType::Prim(match name {
            "void" => Prim::Void,
            "char" => Prim::Char,
            "unsigned char" => Prim::UChar,
            "int" => Prim::Int,
            "float" => Prim::Float,
            _ => return None,
        }))
    };
    if let Some(p) = spec.strip_prefix('*') {
        return ty(p).map(Held::Pointer);
    }
    if let Some(b) = spec.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return ty(b).map(Held::Buffer);
    }
    reg.struct_id(spec).map(Held::Struct)
}

impl Pool {
    /// The pool right after the worker's setup.
    pub fn after_setup(reg: &Registry) -> Pool {
        let mut slots = vec![None];
        for (kind, expr) in SETUP {
            let held = parse_kind(reg, kind).unwrap_or_else(|| panic!("setup kind {kind}"));
            debug_assert!(!expr.contains('"'), "setup expressions use single quotes");
            slots.push(Some(held));
        }
        slots.extend(std::iter::repeat_n(None, DYNAMIC_SLOTS));
        Pool { slots }
    }

    /// The slot a new result goes to.
    pub fn result_slot(&self, r: &mut super::values::Rng) -> usize {
        SETUP.len() + 1 + r.below(DYNAMIC_SLOTS)
    }

    pub fn set(&mut self, slot: usize, held: Option<Held>) {
        self.slots[slot] = held;
    }

    /// What slot `slot` was meant to hold.
    pub fn held(&self, slot: usize) -> Option<&Held> {
        self.slots.get(slot)?.as_ref()
    }

    /// Any slot, whatever it holds (the wrong kind on purpose, or nil).
    pub fn any(&self, r: &mut super::values::Rng) -> usize {
        1 + r.below(self.slots.len() - 1)
    }

    /// A slot holding what `want` accepts, if any does.
    pub fn find(&self, r: &mut super::values::Rng, want: impl Fn(&Held) -> bool) -> Option<usize> {
        let matching: Vec<usize> = (1..self.slots.len())
            .filter(|&i| self.slots[i].as_ref().is_some_and(&want))
            .collect();
        (!matching.is_empty()).then(|| *r.pick(&matching))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setup_kind_parses() {
        let reg = Registry::raylib();
        for (kind, _) in SETUP {
            assert!(parse_kind(&reg, kind).is_some(), "{kind}");
        }
    }
}
