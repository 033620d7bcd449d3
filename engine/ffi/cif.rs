//! libffi call interfaces, prepared once per function, and the call itself.

use std::ffi::c_void;

use libffi::middle::{Cif, Type};

use super::library::FnPtr;
use super::memory::CMem;
use crate::registry::{CType, Prim, Registry};

/// The largest return value a plan accepts (the largest raylib returns by value,
/// `VrStereoConfig`, is 304 bytes).
pub const RET_BUF_SIZE: usize = 512;

/// Bytes to reserve for a return value of `size` bytes: libffi writes whole registers for
/// small integer returns, and direct invokers store two registers at most.
pub fn ret_slot_size(size: usize) -> usize {
    size.max(16)
}

/// The libffi type of a C type. Structs become libffi structs with one element per scalar
/// (arrays inside structs are repeated elements), which is how libffi classifies them.
pub fn ffi_type(reg: &Registry, ty: &CType) -> Type {
    match ty {
        CType::Prim(p) => prim_type(*p),
        CType::Struct(id) => Type::structure(
            reg.structs[*id]
                .fields
                .iter()
                .flat_map(|f| repeated(reg, &f.ty))
                .collect::<Vec<_>>(),
        ),
        CType::Pointer { .. } | CType::Callback(_) | CType::Opaque(_) => Type::pointer(),
        CType::Array { .. } => Type::pointer(),
    }
}

fn repeated(reg: &Registry, ty: &CType) -> Vec<Type> {
    match ty {
        CType::Array { of, len } => (0..*len).flat_map(|_| repeated(reg, of)).collect(),
        other => vec![ffi_type(reg, other)],
    }
}

fn prim_type(p: Prim) -> Type {
    match p {
        Prim::Void => Type::void(),
        Prim::Bool | Prim::UChar => Type::u8(),
        Prim::Char | Prim::SChar => Type::i8(),
        Prim::Short => Type::i16(),
        Prim::UShort => Type::u16(),
        Prim::Int => Type::i32(),
        Prim::UInt => Type::u32(),
        Prim::Long | Prim::LongLong => Type::i64(),
        Prim::ULong | Prim::ULongLong => Type::u64(),
        Prim::Float => Type::f32(),
        Prim::Double => Type::f64(),
    }
}

/// A C function bound to its declaration: the symbol and the libffi CIF prepared from the
/// same registry entry, so the two cannot disagree.
pub struct BoundFunction {
    cif: Cif,
    fun: FnPtr,
    nargs: usize,
    ret_size: usize,
}

impl BoundFunction {
    /// Prepares the CIF for `fun` with these parameter and return types.
    ///
    /// # Safety
    /// `fun` must be a C function with exactly these parameter and return types, in a library
    /// that stays loaded as long as the `BoundFunction` is called (raylib's symbols, resolved
    /// by name from the library whose header `reg` was parsed from, held for the process).
    pub unsafe fn new(reg: &Registry, fun: FnPtr, params: &[CType], ret: &CType) -> BoundFunction {
        let cif = Cif::new(
            params.iter().map(|p| ffi_type(reg, p)).collect::<Vec<_>>(),
            ffi_type(reg, ret),
        );
        BoundFunction {
            cif,
            fun,
            nargs: params.len(),
            ret_size: ret_slot_size(reg.layout_of(ret).size),
        }
    }

    pub fn fn_ptr(&self) -> FnPtr {
        self.fun
    }

    /// Calls the function through libffi.
    ///
    /// # Safety
    /// `args[i]` must point to a value of parameter i's C type, and every pointer inside those
    /// values must be valid for what the C function does with it (the executor's converters
    /// write each argument from the same declaration, and pass only pointers to live Lua
    /// values, struct values or frame-arena memory).
    pub unsafe fn call(&self, args: &mut [*mut c_void], ret: CMem<'_>) {
        assert_eq!(
            args.len(),
            self.nargs,
            "argument count checked at plan time"
        );
        assert!(ret.len() >= self.ret_size, "return slot sized at plan time");
        // SAFETY:
        // - `self.cif` was prepared from the types `self.fun` has (the constructor's
        //   contract), so the calling convention and types match the C function.
        // - `args` has exactly `nargs` entries (asserted above), each pointing to a value of
        //   the declared type (caller's contract).
        // - `ret` has room for the return type and libffi's whole-register writes
        //   (`ret_slot_size`, asserted above).
        unsafe {
            libffi::raw::ffi_call(
                self.cif.as_raw_ptr(),
                Some(std::mem::transmute::<*const c_void, unsafe extern "C" fn()>(self.fun.addr())),
                ret.as_ptr().cast(),
                args.as_mut_ptr(),
            );
        }
    }
}

/// A C function of no arguments returning `bool` (raylib's `IsWindowReady`), callable from
/// safe code once bound: with no arguments there are no pointers to vouch for.
pub struct NoArgs {
    f: BoundFunction,
}

impl NoArgs {
    /// Binds `fun` as `bool f(void)`.
    ///
    /// # Safety
    /// `fun` must be a C function `bool f(void)` in a library that stays loaded as long as
    /// the `NoArgs` is called.
    pub unsafe fn new(reg: &Registry, fun: FnPtr) -> NoArgs {
        let ret = CType::Prim(Prim::Bool);
        NoArgs {
            // SAFETY: `fun` is `bool f(void)` in a loaded library (caller's contract).
            f: unsafe { BoundFunction::new(reg, fun, &[], &ret) },
        }
    }

    pub fn call_bool(&self) -> bool {
        let mut words = [0u64; 2];
        // SAFETY: no arguments, so no pointer to be valid; the CIF is `bool (void)` and the
        // return buffer has room for libffi's whole-register write (two words).
        unsafe { self.f.call(&mut [], CMem::from_words(&mut words)) };
        words[0] as u8 != 0
    }
}
