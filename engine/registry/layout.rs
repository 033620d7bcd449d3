//! Size, alignment and field offsets, computed by C's rules for the System V x86-64 ABI
//! (the same rules hold for every LP64 target lunaray builds on). Computed once per struct
//! when the registry is built; `tests/layouts.rs` checks every one against the C compiler.

use super::{CType, Registry};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Layout {
    pub size: usize,
    pub align: usize,
}

pub fn align_up(offset: usize, align: usize) -> usize {
    offset.div_ceil(align) * align
}

pub fn layout_of(reg: &Registry, ty: &CType) -> Layout {
    match ty {
        CType::Prim(p) => Layout {
            size: p.size(),
            align: p.align(),
        },
        CType::Struct(id) => reg.structs[*id].layout,
        CType::Pointer { .. } | CType::Callback(_) => Layout { size: 8, align: 8 },
        CType::Array { of, len } => {
            let inner = layout_of(reg, of);
            Layout {
                size: inner.size * len,
                align: inner.align,
            }
        }
        CType::Opaque(_) => Layout { size: 0, align: 1 },
    }
}

/// Places fields one after another, each at its alignment; returns their offsets and the
/// struct's layout (size rounded up to its alignment).
pub fn place_fields(reg: &Registry, types: &[CType]) -> (Vec<usize>, Layout) {
    let mut offset = 0;
    let mut align = 1;
    let mut offsets = Vec::with_capacity(types.len());
    for ty in types {
        let l = layout_of(reg, ty);
        offset = align_up(offset, l.align);
        offsets.push(offset);
        offset += l.size;
        align = align.max(l.align);
    }
    (
        offsets,
        Layout {
            size: align_up(offset, align),
            align,
        },
    )
}
