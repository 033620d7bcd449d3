//! x86-64 System V classification (psABI 3.2.3), once per function at plan time: which
//! arguments and return values travel in registers, as how many INTEGER and SSE eightbytes.
//! Functions that fit get a direct invoker (`ffi::direct`); the rest go through libffi.

use crate::ffi::direct::{Eightbyte, RetShape};
use crate::ffi::direct_stack::{StackRet, MAX_STACK_WORDS};
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

/// The eightbytes of a value passed in registers, or None if it goes in memory (larger than
/// 16 bytes). An eightbyte is SSE if every scalar in it is a float or double, else INTEGER.
pub fn classify(reg: &Registry, ty: &CType) -> Option<Vec<(usize, usize, bool, bool)>> {
    let size = reg.layout_of(ty).size;
    if size == 0 || size > 16 {
        return None;
    }
    let mut scalars = Vec::new();
    flatten(reg, ty, 0, &mut scalars);
    let mut out = Vec::new();
    for start in (0..size).step_by(8) {
        let inside: Vec<Prim> = scalars
            .iter()
            .filter(|(off, _)| *off >= start && *off < start + 8)
            .map(|(_, p)| *p)
            .collect();
        let sse = !inside.is_empty() && inside.iter().all(|p| p.is_float());
        // A lone small integer scalar is extended to a full register as C compilers expect.
        let signed = matches!(ty, CType::Prim(p) if p.is_signed());
        out.push((start, (size - start).min(8), sse, signed));
    }
    Some(out)
}

/// Argument eightbytes, register counts and return shape of a function, if all of it
/// travels in registers (no struct in memory either way).
pub fn register_shape(
    reg: &Registry,
    params: &[CType],
    ret: &CType,
) -> Option<(Vec<Eightbyte>, usize, usize, RetShape)> {
    let shape = stack_shape(reg, params, ret)?;
    let StackRet::Reg(r) = shape.ret else {
        return None;
    };
    if shape.words != 0 {
        return None;
    }
    let eightbytes: Vec<Eightbyte> = shape
        .args
        .into_iter()
        .flat_map(|a| match a {
            ArgPlace::Regs(e) => e,
            ArgPlace::Stack { .. } => Vec::new(),
        })
        .collect();
    let ints = eightbytes.iter().filter(|e| !e.sse).count();
    Some((eightbytes.clone(), ints, eightbytes.len() - ints, r))
}

/// Where one argument travels when some travel in memory.
#[derive(Clone, Debug)]
pub enum ArgPlace {
    /// In registers: its eightbytes.
    Regs(Vec<Eightbyte>),
    /// On the stack, as `words` eightbytes starting at stack word `first`.
    Stack { first: usize, words: usize },
}

/// The shape of a call whose register arguments fit in registers and whose larger structs
/// (arguments or return value) travel in memory.
#[derive(Clone, Debug)]
pub struct StackShape {
    pub args: Vec<ArgPlace>,
    pub words: usize,
    pub ret: StackRet,
}

pub fn stack_shape(reg: &Registry, params: &[CType], ret: &CType) -> Option<StackShape> {
    let ret = if ret.is_void() {
        StackRet::Reg(RetShape::Void)
    } else if let Some(c) = classify(reg, ret) {
        StackRet::Reg(match c.as_slice() {
            [(_, _, false, _)] => RetShape::I,
            [(_, _, true, _)] => RetShape::F,
            [(_, _, false, _), (_, _, false, _)] => RetShape::II,
            [(_, _, true, _), (_, _, true, _)] => RetShape::FF,
            [(_, _, false, _), (_, _, true, _)] => RetShape::IF,
            [(_, _, true, _), (_, _, false, _)] => RetShape::FI,
            _ => return None,
        })
    } else {
        StackRet::Memory
    };
    // A struct returned in memory takes rdi for its hidden pointer.
    let max_ints = if ret == StackRet::Memory { 5 } else { 6 };
    let (mut ints, mut floats, mut words) = (0, 0, 0);
    let mut args = Vec::with_capacity(params.len());
    for (i, p) in params.iter().enumerate() {
        match classify(reg, p) {
            Some(parts) => {
                let mut ebs = Vec::new();
                for (offset, size, sse, signed) in parts {
                    if sse {
                        floats += 1;
                    } else {
                        ints += 1;
                    }
                    ebs.push(Eightbyte {
                        param: i as u8,
                        offset: offset as u8,
                        size: size as u8,
                        sse,
                        signed,
                    });
                }
                args.push(ArgPlace::Regs(ebs));
            }
            None => {
                // Only structs go in memory here; raylib's are aligned to 8 bytes at most,
                // so each starts at the next stack word.
                let CType::Struct(id) = p else { return None };
                if reg.structs[*id].layout.align > 8 {
                    return None;
                }
                let n = reg.structs[*id].layout.size.div_ceil(8);
                args.push(ArgPlace::Stack {
                    first: words,
                    words: n,
                });
                words += n;
            }
        }
    }
    (ints <= max_ints && floats <= 8 && words <= MAX_STACK_WORDS).then_some(StackShape {
        args,
        words,
        ret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raylib_shapes_follow_the_psabi() {
        let reg = Registry::raylib();
        let shape = |name: &str| {
            let f = reg.function(name).unwrap();
            let params: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
            register_shape(&reg, &params, &f.ret).map(|(_, i, f, r)| (i, f, r))
        };
        // Vector2 in one xmm, float in one, Color in one general register.
        assert_eq!(shape("DrawCircleV"), Some((1, 2, RetShape::Void)));
        // Two Rectangles: two xmm each; bool in rax.
        assert_eq!(shape("CheckCollisionRecs"), Some((0, 4, RetShape::I)));
        assert_eq!(shape("Vector2Add"), Some((0, 2, RetShape::F)));
        // Vector3 returns in xmm0:xmm1.
        assert_eq!(shape("Vector3Add"), Some((0, 4, RetShape::FF)));
        assert_eq!(shape("ColorAlpha"), Some((1, 1, RetShape::I)));
        // Texture2D is 20 bytes: in memory, so libffi.
        assert_eq!(shape("DrawTexture"), None);
        assert_eq!(shape("MatrixMultiply"), None);
        assert_eq!(shape("GetRandomValue"), Some((2, 0, RetShape::I)));
    }
}
