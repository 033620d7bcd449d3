//! Direct invokers for calls that pass structs in memory (larger than 16 bytes: `Texture2D`,
//! `Matrix`, `Model`...) or return one. Such arguments are copied, in order, into stack words
//! after the register arguments; the callee reads only the registers its declaration uses, so
//! every invoker here passes all six INTEGER and eight SSE registers and then `n` stack
//! words: `extern "C" fn(u64 x 6, f64 x 8, u64 x n) -> R`. A struct returned in memory is
//! written through a hidden pointer passed in rdi, which is exactly a first INTEGER argument:
//! the caller puts the destination (the new struct value's own bytes) in `ints[0]`, and
//! the function's INTEGER arguments follow. Shapes are decided once per function at plan
//! time (`marshal::sysv::stack_shape`).

use std::ffi::c_void;

use super::direct::{Regs, RetFF, RetFI, RetIF, RetII, RetShape};
use super::library::FnPtr;
use super::memory::CMem;

/// Most stack words a call may pass (raylib's widest, `DrawMesh`, passes 28).
pub const MAX_STACK_WORDS: usize = 32;

/// How the return value comes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StackRet {
    Reg(RetShape),
    /// In memory, written through the hidden pointer the caller passes in `ints[0]`.
    Memory,
}

/// Calls a function with its registers and stack words; stores the return value in `ret`
/// (16 bytes for register returns, the bucket's size for memory returns).
pub type StackInvoker = fn(FnPtr, &Regs, &[u64; MAX_STACK_WORDS], CMem);

/// The invoker for `words` stack words returning `ret`.
pub fn stack_invoker(words: usize, ret: StackRet) -> Option<StackInvoker> {
    if words > MAX_STACK_WORDS {
        return None;
    }
    Some(match ret {
        StackRet::Reg(shape) => REG_TABLE[words][shape as usize],
        // The callee returns the hidden pointer in rax; the caller already holds it.
        StackRet::Memory => REG_TABLE[words][RetShape::I as usize],
    })
}

/// Where a return value lands: the bytes are written into the caller's buffer.
trait StoreRet: Copy {
    fn store(self, ret: CMem);
}

impl StoreRet for () {
    fn store(self, _: CMem) {}
}

impl StoreRet for u64 {
    fn store(self, ret: CMem) {
        ret.write(0, self);
    }
}

impl StoreRet for f64 {
    fn store(self, ret: CMem) {
        ret.write(0, self);
    }
}

macro_rules! store_pair {
    ($t:ty) => {
        impl StoreRet for $t {
            fn store(self, ret: CMem) {
                let [a, b] = super::direct::pair_bits(self);
                ret.write(0, a);
                ret.write(8, b);
            }
        }
    };
}
store_pair!(RetII);
store_pair!(RetFF);
store_pair!(RetIF);
store_pair!(RetFI);

macro_rules! stack_shape {
    ($reg:ident; $($w:literal)*) => {
        fn $reg<R: StoreRet>(fun: FnPtr, regs: &Regs, stack: &[u64; MAX_STACK_WORDS], ret: CMem) {
            let (i, f) = (&regs.ints, &regs.floats);
            #[allow(unused_variables)]
            let s = stack;
            // SAFETY:
            // - `fun`'s arguments were classified (marshal::sysv::stack_shape) as register
            //   eightbytes that fit in rdi..r9 / xmm0..7 plus, in order, exactly these stack
            //   words for its in-memory structs; registers it does not read are ignored by a
            //   non-variadic callee; `R` matches its return registers.
            // - Every value comes from memory the marshal layer guarantees valid for the call.
            let r: R = unsafe {
                let f_: extern "C" fn(u64, u64, u64, u64, u64, u64,
                    f64, f64, f64, f64, f64, f64, f64, f64, $(stack_shape!(@w $w)),*) -> R =
                    std::mem::transmute::<*const c_void, _>(fun.0);
                f_(i[0], i[1], i[2], i[3], i[4], i[5],
                   f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], $(s[$w]),*)
            };
            r.store(ret);
        }

    };
    (@w $w:literal) => { u64 };
}

stack_shape!(r0; );
stack_shape!(r1; 0);
stack_shape!(r2; 0 1);
stack_shape!(r3; 0 1 2);
stack_shape!(r4; 0 1 2 3);
stack_shape!(r5; 0 1 2 3 4);
stack_shape!(r6; 0 1 2 3 4 5);
stack_shape!(r7; 0 1 2 3 4 5 6);
stack_shape!(r8; 0 1 2 3 4 5 6 7);
stack_shape!(r9; 0 1 2 3 4 5 6 7 8);
stack_shape!(r10; 0 1 2 3 4 5 6 7 8 9);
stack_shape!(r11; 0 1 2 3 4 5 6 7 8 9 10);
stack_shape!(r12; 0 1 2 3 4 5 6 7 8 9 10 11);
stack_shape!(r13; 0 1 2 3 4 5 6 7 8 9 10 11 12);
stack_shape!(r14; 0 1 2 3 4 5 6 7 8 9 10 11 12 13);
stack_shape!(r15; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14);
stack_shape!(r16; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
stack_shape!(r17; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
stack_shape!(r18; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17);
stack_shape!(r19; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18);
stack_shape!(r20; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19);
stack_shape!(r21; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20);
stack_shape!(r22; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21);
stack_shape!(r23; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22);
stack_shape!(r24; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23);
stack_shape!(r25; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24);
stack_shape!(r26; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25);
stack_shape!(r27; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26);
stack_shape!(r28; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27);
stack_shape!(r29; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28);
stack_shape!(r30; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29);
stack_shape!(r31; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30);
stack_shape!(r32; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);

macro_rules! reg_row {
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

static REG_TABLE: [[StackInvoker; 7]; MAX_STACK_WORDS + 1] = [
    reg_row!(r0),
    reg_row!(r1),
    reg_row!(r2),
    reg_row!(r3),
    reg_row!(r4),
    reg_row!(r5),
    reg_row!(r6),
    reg_row!(r7),
    reg_row!(r8),
    reg_row!(r9),
    reg_row!(r10),
    reg_row!(r11),
    reg_row!(r12),
    reg_row!(r13),
    reg_row!(r14),
    reg_row!(r15),
    reg_row!(r16),
    reg_row!(r17),
    reg_row!(r18),
    reg_row!(r19),
    reg_row!(r20),
    reg_row!(r21),
    reg_row!(r22),
    reg_row!(r23),
    reg_row!(r24),
    reg_row!(r25),
    reg_row!(r26),
    reg_row!(r27),
    reg_row!(r28),
    reg_row!(r29),
    reg_row!(r30),
    reg_row!(r31),
    reg_row!(r32),
];
