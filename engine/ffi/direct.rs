//! Direct invokers for x86-64 System V: a C function whose arguments and return value all
//! travel in registers is called through a function pointer typed by its register shape,
//! without libffi. Register assignment depends only on the order within each class (INTEGER
//! arguments go to rdi, rsi, rdx, rcx, r8, r9; SSE ones to xmm0-7), so a function with k
//! INTEGER and m SSE eightbytes is called as `extern "C" fn(u64 x k, f64 x m) -> R`. Which
//! shape a function has is decided once, at plan time (`marshal::sysv`), from its declaration.

use std::ffi::c_void;

use super::library::FnPtr;

/// Register contents for one call: INTEGER eightbytes in order, SSE eightbytes in order.
#[derive(Clone, Copy, Default)]
pub struct Regs {
    pub ints: [u64; 6],
    pub floats: [f64; 8],
}

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

/// How a return value comes back, by the classes of its eightbytes.
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

impl RetShape {
    fn index(self) -> usize {
        self as usize
    }
}

/// Calls a function of one register shape; returns the raw bits of its return registers
/// (rax/xmm0 first, then rdx/xmm1, in the order of the return value's eightbytes).
pub type Invoker = fn(FnPtr, &Regs) -> [u64; 2];

/// Where one eightbyte of an argument comes from: the argument's value at `args[param]`,
/// bytes `offset..offset + size`, extended to 64 bits (sign-extended when `signed`).
#[derive(Clone, Copy, Debug)]
pub struct Eightbyte {
    pub param: u8,
    pub offset: u8,
    pub size: u8,
    pub sse: bool,
    pub signed: bool,
}

/// Loads the registers for a call from the argument values libffi would have been given.
///
/// `args[e.param]` must point to a value of that parameter's C type, at least
/// `e.offset + e.size` bytes long (the marshal layer's contract for every call).
#[inline]
pub fn load_regs(eightbytes: &[Eightbyte], args: &[*mut c_void], regs: &mut Regs) {
    let (mut ni, mut nf) = (0, 0);
    for e in eightbytes {
        let p = args[e.param as usize]
            .cast::<u8>()
            .wrapping_add(e.offset as usize);
        // SAFETY: `p` points inside the argument value (contract above), valid for `e.size`
        // bytes; reads are unaligned-safe.
        let raw: u64 = unsafe {
            match (e.size, e.signed) {
                (1, false) => p.read_unaligned() as u64,
                (1, true) => p.cast::<i8>().read_unaligned() as i64 as u64,
                (2, false) => p.cast::<u16>().read_unaligned() as u64,
                (2, true) => p.cast::<i16>().read_unaligned() as i64 as u64,
                (4, false) => p.cast::<u32>().read_unaligned() as u64,
                (4, true) => p.cast::<i32>().read_unaligned() as i64 as u64,
                (8, _) => p.cast::<u64>().read_unaligned(),
                (n, _) => {
                    let mut b = [0u8; 8];
                    std::ptr::copy_nonoverlapping(p, b.as_mut_ptr(), n as usize);
                    u64::from_le_bytes(b)
                }
            }
        };
        if e.sse {
            regs.floats[nf] = f64::from_bits(raw);
            nf += 1;
        } else {
            regs.ints[ni] = raw;
            ni += 1;
        }
    }
}

/// The invoker for `ints` INTEGER and `floats` SSE argument eightbytes returning `ret`, or
/// None if the shape does not fit in registers.
pub fn invoker(ints: usize, floats: usize, ret: RetShape) -> Option<Invoker> {
    (ints <= 6 && floats <= 8).then(|| TABLE[ints][floats][ret.index()])
}

/// The raw register bits of a two-eightbyte return value.
pub(crate) fn pair_bits<T: RetBits>(v: T) -> [u64; 2] {
    v.bits()
}

pub(crate) trait RetBits: Copy {
    fn bits(self) -> [u64; 2];
}

impl RetBits for () {
    fn bits(self) -> [u64; 2] {
        [0, 0]
    }
}

impl RetBits for u64 {
    fn bits(self) -> [u64; 2] {
        [self, 0]
    }
}

impl RetBits for f64 {
    fn bits(self) -> [u64; 2] {
        [self.to_bits(), 0]
    }
}

macro_rules! pair_bits {
    ($t:ty, $a:expr, $b:expr) => {
        impl RetBits for $t {
            fn bits(self) -> [u64; 2] {
                let f: fn($t) -> [u64; 2] = |v| [$a(v.0), $b(v.1)];
                f(self)
            }
        }
    };
}
pair_bits!(RetII, |a: u64| a, |b: u64| b);
pair_bits!(RetFF, f64::to_bits, f64::to_bits);
pair_bits!(RetIF, |a: u64| a, f64::to_bits);
pair_bits!(RetFI, f64::to_bits, |b: u64| b);

/// One invoker per argument shape, generic over the return shape.
macro_rules! shape {
    ($name:ident; $($i:literal)*; $($f:literal)*) => {
        fn $name<R: RetBits>(fun: FnPtr, regs: &Regs) -> [u64; 2] {
            #[allow(unused_variables)]
            let (ints, floats) = (&regs.ints, &regs.floats);
            // SAFETY:
            // - `fun` is a C function whose arguments were classified (marshal::sysv) as
            //   exactly these INTEGER and SSE eightbytes and whose return value as `R`'s
            //   registers, so this pointer type has its calling convention under the
            //   x86-64 System V ABI.
            // - The registers hold the argument values loaded by `load_regs` from values the
            //   marshal layer guarantees valid for the call.
            let r: R = unsafe {
                let f: extern "C" fn($(shape!(@int $i),)* $(shape!(@float $f),)*) -> R =
                    std::mem::transmute::<*const c_void, _>(fun.0);
                f($(ints[$i],)* $(floats[$f],)*)
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

/// `TABLE[ints][floats][return shape]`.
static TABLE: [[[Invoker; 7]; 9]; 7] = [
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
