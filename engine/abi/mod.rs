//! The ABI seam: where each argument and the return value of a C function travel, as one
//! target-neutral [`CallShape`], produced once per function at plan time by the module of the
//! target's calling convention ([`sysv64`] for x86-64 System V today). Direct invokers
//! (`ffi::direct`) and the call executor (`marshal::exec`) read only this shape, so a new
//! target is one new file here (see `sysv64`'s docs for the AArch64 rules, the next one).
//!
//! Words: "memory words" are the arguments the psABI passes in MEMORY class, which the
//! caller copies onto the C stack after the register arguments; "stack" alone in lunaray
//! always means the Lua stack.
//!
//! Contract:
//! - A shape puts every argument eightbyte in a numbered slot of one flat call frame:
//!   INTEGER registers `0..MAX_INT_REGS`, then SSE registers, then memory words. An argument
//!   is either up to two register parts or a run of consecutive memory words.
//! - [`call_shape`] is None when the target has no direct invokers or the function does not
//!   fit them; such functions are called through libffi with the [`ffi_shape`], which puts
//!   every argument in memory words of its own (a value's bytes from its first word), where
//!   libffi's argument pointers find them.
//! - This is the only module that looks at `target_arch`. No unsafe code.

#[cfg(all(target_arch = "x86_64", unix, not(target_os = "macos")))]
mod sysv64;

use crate::registry::{CType, Registry};

/// INTEGER argument registers a direct invoker passes (rdi, rsi, rdx, rcx, r8, r9).
pub const MAX_INT_REGS: usize = 6;
/// SSE argument registers a direct invoker passes (xmm0-7).
pub const MAX_FLOAT_REGS: usize = 8;
/// Most memory words a direct call may pass (raylib's widest, `DrawMesh`, passes 28).
pub const MAX_MEMORY_WORDS: usize = 32;
/// Memory words a frame holds: libffi calls put every argument in words of its own, and
/// `BeginVrStereoMode` passes a 304-byte struct (38 words).
pub const FRAME_MEMORY_WORDS: usize = 40;
/// Frame slot of the first SSE register, and of the first stack word.
pub const FLOAT_BASE: usize = MAX_INT_REGS;
pub const MEMORY_BASE: usize = MAX_INT_REGS + MAX_FLOAT_REGS;
/// Words in a call frame: every register, then every stack word.
pub const FRAME_WORDS: usize = MEMORY_BASE + FRAME_MEMORY_WORDS;

/// The register class of one eightbyte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Integer,
    Sse,
}

/// One eightbyte of an argument in a register: bytes `offset..offset + size` of the value,
/// into frame slot `slot`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    pub class: Class,
    pub slot: u8,
    pub offset: u8,
    pub size: u8,
}

/// Where one argument travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgLoc {
    /// In one or two registers.
    Regs { parts: [Part; 2], n: u8 },
    /// In `words` consecutive memory words from frame slot `MEMORY_BASE + first`.
    Memory { first: u8, words: u8 },
}

impl ArgLoc {
    /// The frame slot of the argument's first eightbyte.
    pub fn first_slot(&self) -> usize {
        match self {
            ArgLoc::Regs { parts, .. } => parts[0].slot as usize,
            ArgLoc::Memory { first, .. } => MEMORY_BASE + *first as usize,
        }
    }
}

/// How a return value in registers comes back, by the classes of its eightbytes (rax/rdx,
/// xmm0/xmm1, or one of each, in the order of the value's eightbytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetShape {
    Void,
    I,
    F,
    II,
    FF,
    IF,
    FI,
}

/// Where the return value travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetLoc {
    Regs(RetShape),
    /// In memory the caller provides, its address passed as the first INTEGER argument
    /// (frame slot 0); the function's own INTEGER arguments follow it.
    Memory,
}

/// A function's call shape: where every argument and the return value go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallShape {
    pub args: Vec<ArgLoc>,
    /// INTEGER registers used (the hidden return pointer included), SSE registers used.
    pub ints: u8,
    pub floats: u8,
    /// Memory words passed.
    pub words: u8,
    pub ret: RetLoc,
}

/// The shape of a direct call to a function with these parameter and return types on this
/// target, or None (no direct invokers here, or the call does not fit them).
pub fn call_shape(reg: &Registry, params: &[CType], ret: &CType) -> Option<CallShape> {
    #[cfg(all(target_arch = "x86_64", unix, not(target_os = "macos")))]
    {
        sysv64::call_shape(reg, params, ret)
    }
    #[cfg(not(all(target_arch = "x86_64", unix, not(target_os = "macos"))))]
    {
        let _ = (reg, params, ret);
        None
    }
}

/// The shape of a libffi call: every argument in memory words of its own, in order, each
/// value's bytes from its first word (scalars are one word); the return value as it comes
/// back from libffi (registers' worth of bytes, or memory when larger than two words).
/// None if the arguments need more words than a frame has.
pub fn ffi_shape(reg: &Registry, params: &[CType], ret: &CType) -> Option<CallShape> {
    let mut words = 0usize;
    let mut args = Vec::with_capacity(params.len());
    for p in params {
        let n = reg.layout_of(p).size.div_ceil(8).max(1);
        args.push(ArgLoc::Memory {
            first: words as u8,
            words: n as u8,
        });
        words += n;
    }
    let size = reg.layout_of(ret).size;
    let ret = if ret.is_void() {
        RetLoc::Regs(RetShape::Void)
    } else if size > 16 {
        RetLoc::Memory
    } else {
        // libffi stores the value's bytes into a two-word buffer: read back as INTEGER bits.
        RetLoc::Regs(if size > 8 { RetShape::II } else { RetShape::I })
    };
    (words <= FRAME_MEMORY_WORDS).then_some(CallShape {
        args,
        ints: 0,
        floats: 0,
        words: words as u8,
        ret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ffi_shapes_give_every_argument_its_own_words() {
        let reg = Registry::raylib();
        let f = reg.function("DrawTexture").unwrap();
        let params: Vec<CType> = f.params.iter().map(|p| p.ty.clone()).collect();
        let s = ffi_shape(&reg, &params, &f.ret).unwrap();
        // Texture2D (20 bytes: 3 words), int, int, Color.
        assert_eq!(
            s.args,
            vec![
                ArgLoc::Memory { first: 0, words: 3 },
                ArgLoc::Memory { first: 3, words: 1 },
                ArgLoc::Memory { first: 4, words: 1 },
                ArgLoc::Memory { first: 5, words: 1 },
            ]
        );
        assert_eq!(s.ret, RetLoc::Regs(RetShape::Void));
        let m = reg.function("MatrixMultiply").unwrap();
        let params: Vec<CType> = m.params.iter().map(|p| p.ty.clone()).collect();
        assert_eq!(
            ffi_shape(&reg, &params, &m.ret).unwrap().ret,
            RetLoc::Memory
        );
    }
}
