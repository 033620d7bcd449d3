//! x86-64 System V (psABI 3.2.3): classification of arguments and return values into
//! INTEGER and SSE eightbytes, once per function at plan time.
//!
//! Rules applied here:
//! - A scalar or a struct of at most 16 bytes is split into eightbytes; an eightbyte is SSE
//!   if every scalar in it is a `float` or `double`, else INTEGER. INTEGER eightbytes go to
//!   rdi, rsi, rdx, rcx, r8, r9 in order, SSE ones to xmm0-7. Register assignment depends
//!   only on the order within each class, so `k` INTEGER and `m` SSE eightbytes are called
//!   as `fn(u64 x k, f64 x m)`.
//! - Larger structs travel in memory: copied, in order, into the memory words after the
//!   register arguments (raylib's are aligned to 8 bytes at most, so each starts a word).
//! - A return value of at most 16 bytes comes back in rax/rdx and xmm0/xmm1 by the classes
//!   of its eightbytes; a larger one is written through a hidden pointer passed in rdi,
//!   which is exactly a first INTEGER argument.
//! - A call whose register arguments run out of registers is not given a shape (it goes
//!   through libffi): raylib has none.
//!
//! The next target, AArch64 (AAPCS64), would be `aapcs64.rs` beside this file, producing the
//! same [`CallShape`]:
//! - General registers x0-x7 and SIMD/FP registers v0-v7 (eight of each); arguments that do
//!   not fit go to memory words, in order, each aligned to its natural alignment (8 at least).
//! - A Homogeneous Floating-point Aggregate (a struct of one to four members, all `float` or
//!   all `double`: `Vector2`, `Vector3`, `Vector4`, `Rectangle`, `Quaternion`) goes in one
//!   SIMD register **per member** (s0, s1, ... for floats), not packed two floats to a
//!   register as on x86-64: a `Part` per member, each of the member's size. If the whole
//!   HFA does not fit in the remaining v registers it goes on the stack and no later
//!   argument uses v registers.
//! - Other composites of at most 16 bytes go in one or two x registers (never split between
//!   registers and stack: if only one x register is left, the value goes to the stack);
//!   larger ones are copied by the caller and passed **by reference** (a pointer in an x
//!   register), unlike System V's copy into memory words: a new `ArgLoc` kind.
//! - Return values: HFAs in v0-v3, other composites of at most 16 bytes in x0/x1, larger
//!   ones through the indirect result register **x8** (not the first argument register), so
//!   the memory return needs a slot of its own rather than frame slot 0.
//! - `bool` and small integers: the callee may not assume the upper bits are extended
//!   (Apple's variant differs: there the caller extends to 32 bits).

use super::{
    ArgLoc, CallShape, Class, Part, RetLoc, RetShape, FLOAT_BASE, MAX_FLOAT_REGS, MAX_INT_REGS,
    MAX_MEMORY_WORDS,
};
use crate::registry::{CType, Prim, Registry};

/// Every scalar inside a type, with its byte offset.
fn flatten(reg: &Registry, ty: &CType, base: usize, out: &mut Vec<(usize, Prim)>) {
    match ty {
        CType::Prim(p) => out.push((base, *p)),
        CType::Struct(id) => {
            for f in &reg.structs[*id].fields {
                flatten(reg, &f.ty, base + f.offset, out);
            }
        }
        CType::Array { of, len } => {
            let size = reg.layout_of(of).size;
            for i in 0..*len {
                flatten(reg, of, base + i * size, out);
            }
        }
        CType::Pointer { .. } | CType::Callback(_) | CType::Opaque(_) => {
            out.push((base, Prim::ULong))
        }
    }
}

/// The eightbytes of a value passed in registers as (offset, size, class), or None if it
/// goes in memory (larger than 16 bytes, or empty).
pub fn eightbytes(reg: &Registry, ty: &CType) -> Option<Vec<(usize, usize, Class)>> {
    let size = reg.layout_of(ty).size;
    if size == 0 || size > 16 {
        return None;
    }
    let mut scalars = Vec::new();
    flatten(reg, ty, 0, &mut scalars);
    let mut out = Vec::new();
    for start in (0..size).step_by(8) {
        let mut inside = scalars
            .iter()
            .filter(|(off, _)| *off >= start && *off < start + 8)
            .peekable();
        let sse = inside.peek().is_some() && inside.all(|(_, p)| p.is_float());
        let class = if sse { Class::Sse } else { Class::Integer };
        out.push((start, (size - start).min(8), class));
    }
    Some(out)
}

fn ret_loc(reg: &Registry, ret: &CType) -> Option<RetLoc> {
    if ret.is_void() {
        return Some(RetLoc::Regs(RetShape::Void));
    }
    let Some(parts) = eightbytes(reg, ret) else {
        return Some(RetLoc::Memory);
    };
    let classes: Vec<Class> = parts.iter().map(|p| p.2).collect();
    use Class::{Integer as I, Sse as F};
    Some(RetLoc::Regs(match classes.as_slice() {
        [I] => RetShape::I,
        [F] => RetShape::F,
        [I, I] => RetShape::II,
        [F, F] => RetShape::FF,
        [I, F] => RetShape::IF,
        [F, I] => RetShape::FI,
        _ => return None,
    }))
}

pub fn call_shape(reg: &Registry, params: &[CType], ret: &CType) -> Option<CallShape> {
    let ret = ret_loc(reg, ret)?;
    // A struct returned in memory takes rdi for its hidden pointer.
    let (mut ints, mut floats, mut words) = ((ret == RetLoc::Memory) as usize, 0, 0);
    let mut args = Vec::with_capacity(params.len());
    for p in params {
        match eightbytes(reg, p) {
            Some(ebs) => {
                let none = Part {
                    class: Class::Integer,
                    slot: 0,
                    offset: 0,
                    size: 0,
                };
                let mut parts = [none; 2];
                for (k, (offset, size, class)) in ebs.iter().enumerate() {
                    let slot = match class {
                        Class::Integer => {
                            ints += 1;
                            ints - 1
                        }
                        Class::Sse => {
                            floats += 1;
                            FLOAT_BASE + floats - 1
                        }
                    };
                    parts[k] = Part {
                        class: *class,
                        slot: slot as u8,
                        offset: *offset as u8,
                        size: *size as u8,
                    };
                }
                args.push(ArgLoc::Regs {
                    parts,
                    n: ebs.len() as u8,
                });
            }
            None => {
                let CType::Struct(id) = p else { return None };
                let layout = reg.structs[*id].layout;
                if layout.align > 8 {
                    return None;
                }
                let n = layout.size.div_ceil(8);
                args.push(ArgLoc::Memory {
                    first: words as u8,
                    words: n as u8,
                });
                words += n;
            }
        }
    }
    (ints <= MAX_INT_REGS && floats <= MAX_FLOAT_REGS && words <= MAX_MEMORY_WORDS).then_some(
        CallShape {
            args,
            ints: ints as u8,
            floats: floats as u8,
            words: words as u8,
            ret,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(reg: &Registry, name: &str) -> CallShape {
        let f = reg.function(name).unwrap();
        let params: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
        call_shape(reg, &params, &f.ret).unwrap()
    }

    #[test]
    fn raylib_shapes_follow_the_psabi() {
        let reg = Registry::raylib();
        let counts = |name: &str| {
            let s = shape(&reg, name);
            (s.ints, s.floats, s.words, s.ret)
        };
        // Vector2 in one xmm, float in one, Color in one general register.
        assert_eq!(
            counts("DrawCircleV"),
            (1, 2, 0, RetLoc::Regs(RetShape::Void))
        );
        // Two Rectangles: two xmm each; bool in rax.
        assert_eq!(
            counts("CheckCollisionRecs"),
            (0, 4, 0, RetLoc::Regs(RetShape::I))
        );
        assert_eq!(counts("Vector2Add"), (0, 2, 0, RetLoc::Regs(RetShape::F)));
        // Vector3 returns in xmm0:xmm1.
        assert_eq!(counts("Vector3Add"), (0, 4, 0, RetLoc::Regs(RetShape::FF)));
        assert_eq!(counts("ColorAlpha"), (1, 1, 0, RetLoc::Regs(RetShape::I)));
        // Texture2D is 20 bytes: three memory words, then two ints and a Color in registers.
        assert_eq!(
            counts("DrawTexture"),
            (3, 0, 3, RetLoc::Regs(RetShape::Void))
        );
        // Two Matrices in 16 memory words; the result through the hidden pointer in rdi.
        assert_eq!(counts("MatrixMultiply"), (1, 0, 16, RetLoc::Memory));
        assert_eq!(
            counts("GetRandomValue"),
            (2, 0, 0, RetLoc::Regs(RetShape::I))
        );
    }

    #[test]
    fn parts_name_their_frame_slots() {
        let reg = Registry::raylib();
        let s = shape(&reg, "DrawCircleV");
        let ArgLoc::Regs { parts, n: 1 } = s.args[0] else {
            panic!("Vector2 in one register: {:?}", s.args[0])
        };
        assert_eq!(
            (parts[0].class, parts[0].slot, parts[0].size),
            (Class::Sse, 6, 8)
        );
        let ArgLoc::Regs { parts, n: 1 } = s.args[2] else {
            panic!("Color in one register")
        };
        assert_eq!(
            (parts[0].class, parts[0].slot, parts[0].size),
            (Class::Integer, 0, 4)
        );
        // Vector3: two SSE parts, the second four bytes long.
        let v3 = shape(&reg, "Vector3Length");
        let ArgLoc::Regs { parts, n: 2 } = v3.args[0] else {
            panic!("Vector3 in two registers")
        };
        assert_eq!((parts[1].slot, parts[1].offset, parts[1].size), (7, 8, 4));
        // After a memory return, the first INTEGER argument is rsi (slot 1).
        let m = shape(&reg, "MatrixTranslate");
        assert_eq!(m.ret, RetLoc::Memory);
        assert_eq!(m.args[0].first_slot(), FLOAT_BASE);
        let t = shape(&reg, "LoadTextureFromImage");
        assert_eq!(t.ret, RetLoc::Memory);
        assert_eq!(t.args[0], ArgLoc::Memory { first: 0, words: 3 });
    }
}
