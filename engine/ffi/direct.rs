//! Direct invokers: a C function called through a function pointer typed by its call shape
//! (`abi::CallShape`), without libffi. Arguments come from one flat frame of words: INTEGER
//! registers, then SSE registers, then memory words (`abi::FRAME_WORDS`).
//!
//! - Register calls: a function with `k` INTEGER and `m` SSE eightbytes is called as
//!   `extern "C" fn(u64 x k, f64 x m) -> R`, which puts them in exactly the registers the
//!   System V ABI assigns (assignment depends only on the order within each class).
//! - Calls with memory words (structs larger than 16 bytes, or returned in memory): every
//!   invoker passes all six INTEGER and eight SSE registers and then `n` memory words; a
//!   non-variadic callee ignores registers it does not read. A memory return's destination
//!   is frame slot 0, the first INTEGER argument, where the ABI puts the hidden pointer.
//!
//! Every invoker returns the raw bits of its return registers (rax/xmm0 first, then
//! rdx/xmm1, in the order of the value's eightbytes).

use std::ffi::c_void;

use super::library::FnPtr;
use crate::abi::{RetShape, FRAME_WORDS, MAX_MEMORY_WORDS, MEMORY_BASE};

/// Register-only frames: six INTEGER words, then eight SSE words (f64 bit patterns).
pub const REG_WORDS: usize = MEMORY_BASE;

/// Calls a function whose arguments are all in registers.
///
/// # Safety
/// The function pointer must be a C function whose parameters classify (`abi::call_shape`)
/// as exactly the invoker's INTEGER and SSE counts and whose return matches its shape, and
/// every word the function reads as a pointer must be valid for what it does with it.
pub type RegInvoker = unsafe fn(FnPtr, &[u64; REG_WORDS]) -> [u64; 2];

/// Calls a function with registers and memory words.
///
/// # Safety
/// As [`RegInvoker`], for the invoker's memory word count; a memory return's destination in
/// slot 0 must be valid for writes of the return type's size.
pub type MemoryInvoker = unsafe fn(FnPtr, &[u64; FRAME_WORDS]) -> [u64; 2];

/// A two-eightbyte return: which registers carry it (rax/rdx, xmm0/xmm1, or one of each).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RetII(u64, u64);
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RetFF(f64, f64);
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RetIF(u64, f64);
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RetFI(f64, u64);

trait RetBits: Copy {
    fn bits(self) -> [u64; 2];
}

impl RetBits for () {
    #[inline(always)]
    fn bits(self) -> [u64; 2] {
        [0, 0]
    }
}

impl RetBits for u64 {
    #[inline(always)]
    fn bits(self) -> [u64; 2] {
        [self, 0]
    }
}

impl RetBits for f64 {
    #[inline(always)]
    fn bits(self) -> [u64; 2] {
        [self.to_bits(), 0]
    }
}

impl RetBits for RetII {
    #[inline(always)]
    fn bits(self) -> [u64; 2] {
        [self.0, self.1]
    }
}

impl RetBits for RetFF {
    #[inline(always)]
    fn bits(self) -> [u64; 2] {
        [self.0.to_bits(), self.1.to_bits()]
    }
}

impl RetBits for RetIF {
    #[inline(always)]
    fn bits(self) -> [u64; 2] {
        [self.0, self.1.to_bits()]
    }
}

impl RetBits for RetFI {
    #[inline(always)]
    fn bits(self) -> [u64; 2] {
        [self.0.to_bits(), self.1]
    }
}

/// The invoker for `ints` INTEGER and `floats` SSE argument eightbytes returning `ret`, or
/// None if the shape does not fit in registers.
pub fn reg_invoker(ints: usize, floats: usize, ret: RetShape) -> Option<RegInvoker> {
    (ints <= 6 && floats <= 8).then(|| REG_TABLE[ints][floats][ret as usize])
}

/// The invoker for `words` memory words returning `ret` (a memory return reads as `I`: the
/// callee returns the hidden pointer in rax, which the caller already holds).
pub fn memory_invoker(words: usize, ret: RetShape) -> Option<MemoryInvoker> {
    (words <= MAX_MEMORY_WORDS).then(|| MEMORY_TABLE[words][ret as usize])
}

/// One register invoker per argument shape, generic over the return shape.
macro_rules! shape {
    ($name:ident; $($i:literal)*; $($f:literal)*) => {
        /// # Safety
        /// See [`RegInvoker`].
        #[allow(unused_variables)]
        unsafe fn $name<R: RetBits>(fun: FnPtr, w: &[u64; REG_WORDS]) -> [u64; 2] {
            // SAFETY:
            // - `fun` is a C function whose arguments were classified (abi::call_shape) as
            //   exactly these INTEGER and SSE eightbytes and whose return value as `R`'s
            //   registers, so this pointer type has its calling convention (caller's
            //   contract, `RegInvoker`).
            // - The words are the argument values the executor converted from Lua for this
            //   call; pointers among them are valid for the call (caller's contract).
            let r: R = unsafe {
                let f: extern "C" fn($(shape!(@int $i),)* $(shape!(@float $f),)*) -> R =
                    std::mem::transmute::<*const c_void, _>(fun.addr());
                f($(w[$i],)* $(f64::from_bits(w[REG_WORDS - 8 + $f]),)*)
            };
            r.bits()
        }
    };
    (@int $i:literal) => { u64 };
    (@float $f:literal) => { f64 };
}

shape!(s0_0; ; );
shape!(s0_1; ; 0);
shape!(s0_2; ; 0 1);
shape!(s0_3; ; 0 1 2);
shape!(s0_4; ; 0 1 2 3);
shape!(s0_5; ; 0 1 2 3 4);
shape!(s0_6; ; 0 1 2 3 4 5);
shape!(s0_7; ; 0 1 2 3 4 5 6);
shape!(s0_8; ; 0 1 2 3 4 5 6 7);
shape!(s1_0; 0; );
shape!(s1_1; 0; 0);
shape!(s1_2; 0; 0 1);
shape!(s1_3; 0; 0 1 2);
shape!(s1_4; 0; 0 1 2 3);
shape!(s1_5; 0; 0 1 2 3 4);
shape!(s1_6; 0; 0 1 2 3 4 5);
shape!(s1_7; 0; 0 1 2 3 4 5 6);
shape!(s1_8; 0; 0 1 2 3 4 5 6 7);
shape!(s2_0; 0 1; );
shape!(s2_1; 0 1; 0);
shape!(s2_2; 0 1; 0 1);
shape!(s2_3; 0 1; 0 1 2);
shape!(s2_4; 0 1; 0 1 2 3);
shape!(s2_5; 0 1; 0 1 2 3 4);
shape!(s2_6; 0 1; 0 1 2 3 4 5);
shape!(s2_7; 0 1; 0 1 2 3 4 5 6);
shape!(s2_8; 0 1; 0 1 2 3 4 5 6 7);
shape!(s3_0; 0 1 2; );
shape!(s3_1; 0 1 2; 0);
shape!(s3_2; 0 1 2; 0 1);
shape!(s3_3; 0 1 2; 0 1 2);
shape!(s3_4; 0 1 2; 0 1 2 3);
shape!(s3_5; 0 1 2; 0 1 2 3 4);
shape!(s3_6; 0 1 2; 0 1 2 3 4 5);
shape!(s3_7; 0 1 2; 0 1 2 3 4 5 6);
shape!(s3_8; 0 1 2; 0 1 2 3 4 5 6 7);
shape!(s4_0; 0 1 2 3; );
shape!(s4_1; 0 1 2 3; 0);
shape!(s4_2; 0 1 2 3; 0 1);
shape!(s4_3; 0 1 2 3; 0 1 2);
shape!(s4_4; 0 1 2 3; 0 1 2 3);
shape!(s4_5; 0 1 2 3; 0 1 2 3 4);
shape!(s4_6; 0 1 2 3; 0 1 2 3 4 5);
shape!(s4_7; 0 1 2 3; 0 1 2 3 4 5 6);
shape!(s4_8; 0 1 2 3; 0 1 2 3 4 5 6 7);
shape!(s5_0; 0 1 2 3 4; );
shape!(s5_1; 0 1 2 3 4; 0);
shape!(s5_2; 0 1 2 3 4; 0 1);
shape!(s5_3; 0 1 2 3 4; 0 1 2);
shape!(s5_4; 0 1 2 3 4; 0 1 2 3);
shape!(s5_5; 0 1 2 3 4; 0 1 2 3 4);
shape!(s5_6; 0 1 2 3 4; 0 1 2 3 4 5);
shape!(s5_7; 0 1 2 3 4; 0 1 2 3 4 5 6);
shape!(s5_8; 0 1 2 3 4; 0 1 2 3 4 5 6 7);
shape!(s6_0; 0 1 2 3 4 5; );
shape!(s6_1; 0 1 2 3 4 5; 0);
shape!(s6_2; 0 1 2 3 4 5; 0 1);
shape!(s6_3; 0 1 2 3 4 5; 0 1 2);
shape!(s6_4; 0 1 2 3 4 5; 0 1 2 3);
shape!(s6_5; 0 1 2 3 4 5; 0 1 2 3 4);
shape!(s6_6; 0 1 2 3 4 5; 0 1 2 3 4 5);
shape!(s6_7; 0 1 2 3 4 5; 0 1 2 3 4 5 6);
shape!(s6_8; 0 1 2 3 4 5; 0 1 2 3 4 5 6 7);

macro_rules! row {
    ($name:ident) => {
        [
            $name::<()>,
            $name::<u64>,
            $name::<f64>,
            $name::<RetII>,
            $name::<RetFF>,
            $name::<RetIF>,
            $name::<RetFI>,
        ]
    };
}

/// `REG_TABLE[ints][floats][return shape]`.
static REG_TABLE: [[[RegInvoker; 7]; 9]; 7] = [
    [
        row!(s0_0),
        row!(s0_1),
        row!(s0_2),
        row!(s0_3),
        row!(s0_4),
        row!(s0_5),
        row!(s0_6),
        row!(s0_7),
        row!(s0_8),
    ],
    [
        row!(s1_0),
        row!(s1_1),
        row!(s1_2),
        row!(s1_3),
        row!(s1_4),
        row!(s1_5),
        row!(s1_6),
        row!(s1_7),
        row!(s1_8),
    ],
    [
        row!(s2_0),
        row!(s2_1),
        row!(s2_2),
        row!(s2_3),
        row!(s2_4),
        row!(s2_5),
        row!(s2_6),
        row!(s2_7),
        row!(s2_8),
    ],
    [
        row!(s3_0),
        row!(s3_1),
        row!(s3_2),
        row!(s3_3),
        row!(s3_4),
        row!(s3_5),
        row!(s3_6),
        row!(s3_7),
        row!(s3_8),
    ],
    [
        row!(s4_0),
        row!(s4_1),
        row!(s4_2),
        row!(s4_3),
        row!(s4_4),
        row!(s4_5),
        row!(s4_6),
        row!(s4_7),
        row!(s4_8),
    ],
    [
        row!(s5_0),
        row!(s5_1),
        row!(s5_2),
        row!(s5_3),
        row!(s5_4),
        row!(s5_5),
        row!(s5_6),
        row!(s5_7),
        row!(s5_8),
    ],
    [
        row!(s6_0),
        row!(s6_1),
        row!(s6_2),
        row!(s6_3),
        row!(s6_4),
        row!(s6_5),
        row!(s6_6),
        row!(s6_7),
        row!(s6_8),
    ],
];

/// One memory invoker per memory word count, generic over the return shape.
macro_rules! memory_shape {
    ($name:ident; $($w:literal)*) => {
        /// # Safety
        /// See [`MemoryInvoker`].
        unsafe fn $name<R: RetBits>(fun: FnPtr, w: &[u64; FRAME_WORDS]) -> [u64; 2] {
            #[allow(unused_variables)]
            let s = &w[MEMORY_BASE..];
            let f = |k: usize| f64::from_bits(w[REG_WORDS - 8 + k]);
            // SAFETY:
            // - `fun`'s arguments were classified (abi::call_shape) as register eightbytes
            //   that fit in rdi..r9 / xmm0..7 plus, in order, exactly these memory words for
            //   its in-memory structs; registers it does not read are ignored by a
            //   non-variadic callee; `R` matches its return registers (caller's contract).
            // - Every word was converted from Lua for this call; pointers among them (and a
            //   memory return's destination in slot 0) are valid for the call.
            let r: R = unsafe {
                let f_: extern "C" fn(u64, u64, u64, u64, u64, u64,
                    f64, f64, f64, f64, f64, f64, f64, f64, $(memory_shape!(@w $w)),*) -> R =
                    std::mem::transmute::<*const c_void, _>(fun.addr());
                f_(w[0], w[1], w[2], w[3], w[4], w[5],
                   f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7), $(s[$w]),*)
            };
            r.bits()
        }
    };
    (@w $w:literal) => { u64 };
}

memory_shape!(r0; );
memory_shape!(r1; 0);
memory_shape!(r2; 0 1);
memory_shape!(r3; 0 1 2);
memory_shape!(r4; 0 1 2 3);
memory_shape!(r5; 0 1 2 3 4);
memory_shape!(r6; 0 1 2 3 4 5);
memory_shape!(r7; 0 1 2 3 4 5 6);
memory_shape!(r8; 0 1 2 3 4 5 6 7);
memory_shape!(r9; 0 1 2 3 4 5 6 7 8);
memory_shape!(r10; 0 1 2 3 4 5 6 7 8 9);
memory_shape!(r11; 0 1 2 3 4 5 6 7 8 9 10);
memory_shape!(r12; 0 1 2 3 4 5 6 7 8 9 10 11);
memory_shape!(r13; 0 1 2 3 4 5 6 7 8 9 10 11 12);
memory_shape!(r14; 0 1 2 3 4 5 6 7 8 9 10 11 12 13);
memory_shape!(r15; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14);
memory_shape!(r16; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
memory_shape!(r17; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
memory_shape!(r18; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17);
memory_shape!(r19; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18);
memory_shape!(r20; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19);
memory_shape!(r21; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20);
memory_shape!(r22; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21);
memory_shape!(r23; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22);
memory_shape!(r24; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23);
memory_shape!(r25; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24);
memory_shape!(r26; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25);
memory_shape!(r27; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26);
memory_shape!(r28; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27);
memory_shape!(r29; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28);
memory_shape!(r30; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29);
memory_shape!(r31; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30);
memory_shape!(r32; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);

macro_rules! memory_row {
    ($f:ident) => {
        [
            $f::<()>,
            $f::<u64>,
            $f::<f64>,
            $f::<RetII>,
            $f::<RetFF>,
            $f::<RetIF>,
            $f::<RetFI>,
        ]
    };
}

/// `MEMORY_TABLE[words][return shape]`.
static MEMORY_TABLE: [[MemoryInvoker; 7]; MAX_MEMORY_WORDS + 1] = [
    memory_row!(r0),
    memory_row!(r1),
    memory_row!(r2),
    memory_row!(r3),
    memory_row!(r4),
    memory_row!(r5),
    memory_row!(r6),
    memory_row!(r7),
    memory_row!(r8),
    memory_row!(r9),
    memory_row!(r10),
    memory_row!(r11),
    memory_row!(r12),
    memory_row!(r13),
    memory_row!(r14),
    memory_row!(r15),
    memory_row!(r16),
    memory_row!(r17),
    memory_row!(r18),
    memory_row!(r19),
    memory_row!(r20),
    memory_row!(r21),
    memory_row!(r22),
    memory_row!(r23),
    memory_row!(r24),
    memory_row!(r25),
    memory_row!(r26),
    memory_row!(r27),
    memory_row!(r28),
    memory_row!(r29),
    memory_row!(r30),
    memory_row!(r31),
    memory_row!(r32),
];

/// Sixteen floats as C passes a struct of sixteen `float` fields by value (raymath's
/// `Matrix`): `#[repr(C)]`, so Rust's C ABI passes and returns it exactly as the C compiler
/// does the C struct (in memory on System V x86-64, by reference to a copy on AArch64).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Floats16(pub [f32; 16]);

/// A C function `S f(S, S)` over a struct `S` of sixteen `float` fields (`MatrixMultiply`,
/// `MatrixAdd`, `MatrixSubtract`), called through a function pointer of that exact type: no
/// frame, no invoker, for the operators that stand for them.
#[derive(Clone, Copy)]
pub struct Floats16Binary(extern "C" fn(Floats16, Floats16) -> Floats16);

impl Floats16Binary {
    /// # Safety
    /// `f` must be a C function taking two structs of sixteen `float` fields (no padding, 64
    /// bytes) by value and returning one, that is sound to call with any float values, in a
    /// library that stays loaded as long as this is called.
    pub unsafe fn new(f: FnPtr) -> Floats16Binary {
        // SAFETY: `f` has exactly this C type (contract), which `Floats16` mirrors.
        Floats16Binary(unsafe {
            std::mem::transmute::<*const c_void, extern "C" fn(Floats16, Floats16) -> Floats16>(
                f.addr(),
            )
        })
    }

    #[inline]
    pub fn call(self, a: [f32; 16], b: [f32; 16]) -> [f32; 16] {
        (self.0)(Floats16(a), Floats16(b)).0
    }
}
