//! Struct values lunaray can vouch for. A struct with pointer fields (`Image`, `Font`, `Mesh`,
//! `Model`, `Wave`, `Shader`, `Material`, `FilePathList`...) describes memory raylib owns: its
//! counts, sizes, formats and ids say how far C may read and write behind its pointers. No
//! check of the fields alone can tell a real one from a forged one (`img.width = 5000`, a
//! table with `glyphs = nil` and `glyphCount = 10`, an image whose pixels were freed), so
//! lunaray remembers the ones raylib made: when a call returns such a struct, the bytes of its
//! describing fields (pointers and integers, in embedded structs too; floats and bools
//! describe no memory, so `model.transform` stays free) are recorded, and such a struct is
//! passed to C only if its describing bytes are a recorded set.
//!
//! Contract: a record is added when raylib returns the struct (or changes it in place through
//! a by-reference parameter: the old record is replaced), and removed when it is unloaded or
//! handed over (`LoadModelFromMesh` owns its mesh), so copies of an unloaded value are
//! refused too. An all-zero struct (zeroed, or unloaded) is not recorded (raylib returns one
//! from a failed load) and only `Unload*` and `Is*Valid` take it, except the types in
//! [`ZERO_MADE`]. Lookups hash a few words and allocate nothing; only a new record
//! allocates.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::ffi::memory::CMem;
use crate::registry::{CType, Prim, Registry, StructId};

/// Struct types whose all-zero value raylib hands out as a real one: the software
/// renderer's default shader is `{id = 0, locs = NULL}` (`LoadShader(nil, nil)`,
/// `LoadMaterialDefault().shader`). Recorded like any other when raylib returns it, so on
/// OpenGL, where no zero shader is ever returned, a zeroed one is still refused.
pub const ZERO_MADE: &[&str] = &["Shader"];

/// The longest describing key, in words (`Model`'s is the longest of raylib's).
pub const MAX_KEY_WORDS: usize = 24;

/// GPU handles: no pointer fields, but an id and the sizes raylib allocates by when it reads
/// them back (`LoadImageFromTexture`) or renders into them (`BeginTextureMode`). Vouched
/// for like pointer structs everywhere except the `Draw*` functions, where the renderer
/// checks its own ids and sizes only scale texture coordinates (and draws stay fast).
pub const GPU_HANDLES: &[&str] = &["Texture", "RenderTexture"];

/// The describing byte ranges (offset, length) of struct `sid`, if it has pointer fields
/// (directly or in embedded structs) or is a [`GPU_HANDLES`] type; None for plain-value
/// structs (`Vector2`, `Camera3D`) and for structs not from raylib's headers.
pub fn describing_ranges(reg: &Registry, sid: StructId) -> Option<Box<[(u32, u32)]>> {
    // Only raylib's own structs describe raylib's memory (a test library's do not).
    if reg.structs[sid].source == crate::registry::Source::Custom {
        return None;
    }
    let mut ranges = Vec::new();
    let mut pointers = GPU_HANDLES.contains(&reg.structs[sid].name.as_str());
    collect(reg, sid, 0, &mut ranges, &mut pointers);
    let words: usize = ranges
        .iter()
        .map(|&(_, l)| l as usize)
        .sum::<usize>()
        .div_ceil(8);
    (pointers && words <= MAX_KEY_WORDS).then(|| ranges.into_boxed_slice())
}

/// Fields raylib itself changes in place through a pointer it keeps, so they cannot describe
/// the memory a value was made with: `AutomationEventList.count`, which the recorder
/// advances (checked against `capacity` wherever raylib reads that many events instead,
/// `marshal::automation`).
pub const CHANGED_BY_RAYLIB: &[(&str, &str)] = &[("AutomationEventList", "count")];

fn collect(reg: &Registry, sid: StructId, base: usize, out: &mut Vec<(u32, u32)>, ptrs: &mut bool) {
    let s = &reg.structs[sid];
    for f in &s.fields {
        if CHANGED_BY_RAYLIB.contains(&(s.name.as_str(), f.name.as_str())) {
            continue;
        }
        field(reg, &f.ty, base + f.offset, out, ptrs);
    }
}

fn field(reg: &Registry, ty: &CType, at: usize, out: &mut Vec<(u32, u32)>, ptrs: &mut bool) {
    let mut push = |len: usize| match out.last_mut() {
        Some((o, l)) if (*o + *l) as usize == at => *l += len as u32,
        _ => out.push((at as u32, len as u32)),
    };
    match ty {
        CType::Prim(p) if p.is_float() || *p == Prim::Bool => {}
        CType::Prim(p) => push(p.size()),
        CType::Pointer { .. } | CType::Callback(_) => {
            *ptrs = true;
            push(8)
        }
        CType::Struct(id) => collect(reg, *id, at, out, ptrs),
        CType::Array { of, len } => {
            let size = reg.layout_of(of).size;
            for i in 0..*len {
                field(reg, of, at + i * size, out, ptrs);
            }
        }
        CType::Opaque(_) => {}
    }
}

/// A struct's describing bytes, packed into words.
#[derive(Clone, Copy)]
pub struct Key {
    words: [u64; MAX_KEY_WORDS],
    len: usize,
}

impl Key {
    /// The key of `mem` (a value of the struct with these ranges).
    pub fn of(ranges: &[(u32, u32)], mem: CMem<'_>) -> Key {
        let mut words = [0u64; MAX_KEY_WORDS];
        let mut pos = 0usize;
        {
            let dst = CMem::from_words(&mut words);
            for &(off, len) in ranges {
                dst.copy_from(pos, mem.slice(off as usize, len as usize));
                pos += len as usize;
            }
        }
        Key {
            words,
            len: pos.div_ceil(8),
        }
    }

    fn words(&self) -> &[u64] {
        &self.words[..self.len]
    }

    pub fn is_zero(&self) -> bool {
        self.words().iter().all(|&w| w == 0)
    }
}

/// What the store knows of a struct value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Its describing bytes are ones raylib made.
    Known,
    /// All zero: zeroed by `rl.new`, or unloaded.
    Empty,
    /// Forged, changed, or freed.
    Unknown,
}

/// The records: describing keys, with how many live values raylib returned with each.
#[derive(Default)]
pub struct Store {
    keys: RefCell<HashMap<Box<[u64]>, u32>>,
}

impl Store {
    pub fn standing(&self, key: &Key) -> Standing {
        if self.keys.borrow().contains_key(key.words()) {
            Standing::Known
        } else if key.is_zero() {
            Standing::Empty
        } else {
            Standing::Unknown
        }
    }

    /// Records `key`; an all-zero one only if `zero_made` (raylib hands such values out
    /// itself).
    pub fn add(&self, key: &Key, zero_made: bool) {
        if zero_made || !key.is_zero() {
            *self
                .keys
                .borrow_mut()
                .entry(key.words().to_vec().into_boxed_slice())
                .or_insert(0) += 1;
        }
    }

    pub fn remove(&self, key: &Key) {
        let mut keys = self.keys.borrow_mut();
        if let Some(n) = keys.get_mut(key.words()) {
            *n -= 1;
            if *n == 0 {
                keys.remove(key.words());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_structs_are_described_by_their_integers_and_pointers() {
        let reg = Registry::raylib();
        let id = |n: &str| reg.struct_id(n).unwrap();
        // Image: data, width, height, mipmaps, format: all of it.
        assert_eq!(
            describing_ranges(&reg, id("Image")).as_deref(),
            Some(&[(0, 24)][..])
        );
        // Model: its transform (floats) is free.
        let model = describing_ranges(&reg, id("Model")).unwrap();
        assert_eq!(model[0].0, 64);
        for n in [
            "Font",
            "Mesh",
            "Wave",
            "Shader",
            "Material",
            "Sound",
            "Music",
            "FilePathList",
        ] {
            assert!(describing_ranges(&reg, id(n)).is_some(), "{n}");
        }
        // GPU handles are described by their ids and sizes.
        assert_eq!(
            describing_ranges(&reg, id("Texture")).as_deref(),
            Some(&[(0, 20)][..])
        );
        assert!(describing_ranges(&reg, id("RenderTexture")).is_some());
        for n in ["Vector2", "Camera3D", "Color", "Matrix", "Rectangle"] {
            assert!(describing_ranges(&reg, id(n)).is_none(), "{n}");
        }
    }
}
