//! libffi call interfaces, prepared once per function, and the call itself.

use std::ffi::c_void;

use libffi::middle::{Cif, Type};

use super::library::FnPtr;
use crate::registry::{CType, Prim, Registry};

/// Room for any value a registered function returns (the largest raylib returns by value,
/// `VrStereoConfig`, is 304 bytes). libffi writes whole registers for small integer returns,
/// so even a `bool` result gets at least 8 bytes.
pub const RET_BUF_SIZE: usize = 512;

#[repr(C, align(16))]
pub struct RetBuf(pub [u8; RET_BUF_SIZE]);

impl RetBuf {
    pub fn new() -> RetBuf {
        RetBuf([0; RET_BUF_SIZE])
    }

    pub fn as_mut_ptr(&mut self) -> *mut c_void {
        self.0.as_mut_ptr().cast()
    }
}

impl Default for RetBuf {
    fn default() -> Self {
        Self::new()
    }
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
}

impl BoundFunction {
    pub fn new(reg: &Registry, fun: FnPtr, params: &[CType], ret: &CType) -> BoundFunction {
        let cif = Cif::new(
            params.iter().map(|p| ffi_type(reg, p)).collect::<Vec<_>>(),
            ffi_type(reg, ret),
        );
        BoundFunction {
            cif,
            fun,
            nargs: params.len(),
        }
    }

    pub fn fn_ptr(&self) -> FnPtr {
        self.fun
    }

    /// Calls the function through libffi.
    ///
    /// `args[i]` must point to a value of parameter i's C type, and every pointer inside those
    /// values must be valid for what the C function does with it; the marshal layer guarantees
    /// both (its converters write each argument into a slot sized from the same declaration,
    /// and only pass pointers to live Lua values, struct values or frame-arena memory).
    pub fn call(&self, args: &mut [*mut c_void], ret: &mut RetBuf) {
        assert_eq!(
            args.len(),
            self.nargs,
            "argument count checked at plan time"
        );
        // SAFETY:
        // - `self.cif` was prepared from the same declaration the symbol `self.fun` was
        //   resolved for, so the calling convention and types match the C function.
        // - `args` has exactly `nargs` entries (asserted above), each pointing to a value of
        //   the declared type (contract of the marshal layer, stated above).
        // - `ret` has room for any registered return type (RET_BUF_SIZE, checked when plans
        //   are built) and for libffi's whole-register writes.
        unsafe {
            libffi::raw::ffi_call(
                self.cif.as_raw_ptr(),
                Some(std::mem::transmute::<*const c_void, unsafe extern "C" fn()>(self.fun.0)),
                ret.as_mut_ptr(),
                args.as_mut_ptr(),
            );
        }
    }
}
