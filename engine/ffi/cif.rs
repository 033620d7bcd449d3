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

/// raylib's `MeasureTextEx` and `GetFontDefault`, bound for the checks of the functions that
/// draw a text into an image (`ImageTextEx` sizes and scales it by two measurements).
pub struct TextMeasure {
    measure: BoundFunction,
    default_font: BoundFunction,
    /// Bytes of a `Font`.
    font_size: usize,
}

/// The largest `Font` a [`TextMeasure`] handles, in words (raylib's is 6).
pub const FONT_WORDS: usize = 8;

impl TextMeasure {
    /// Binds the two from their declarations in `reg`; None if either is missing or a
    /// `Font` is larger than [`FONT_WORDS`].
    ///
    /// # Safety
    /// `measure` and `default_font` must be `MeasureTextEx` and `GetFontDefault` of the
    /// library `reg` was parsed from, which stays loaded as long as the `TextMeasure` is used.
    pub unsafe fn new(reg: &Registry, measure: FnPtr, default_font: FnPtr) -> Option<TextMeasure> {
        let (m, d) = (
            reg.function("MeasureTextEx")?,
            reg.function("GetFontDefault")?,
        );
        let params: Vec<CType> = m.params.iter().map(|p| p.ty.clone()).collect();
        let font_size = reg.layout_of(&d.ret).size;
        if font_size > FONT_WORDS * 8 || params.len() != 4 || params[0] != d.ret {
            return None;
        }
        Some(TextMeasure {
            // SAFETY: the symbols are the functions of these declarations (caller's contract).
            measure: unsafe { BoundFunction::new(reg, measure, &params, &m.ret) },
            // SAFETY: as above.
            default_font: unsafe { BoundFunction::new(reg, default_font, &[], &d.ret) },
            font_size,
        })
    }

    /// raylib's default font (`GetFontDefault()`: a copy of its static font value).
    pub fn default_font(&self) -> [u64; FONT_WORDS] {
        let mut words = [0u64; FONT_WORDS];
        // SAFETY: no arguments; the CIF returns a Font, written into `words`, which is at
        // least `ret_slot_size` of a Font (a Font is checked to fit FONT_WORDS, and
        // `ret_slot_size` is at most 16 below that).
        unsafe {
            self.default_font.call(
                &mut [],
                CMem::from_words(&mut words).slice(0, self.font_size.max(16)),
            )
        };
        words
    }

    /// `MeasureTextEx(font, text, size, spacing)`: the text's width and height.
    ///
    /// # Safety
    /// `font` must hold a Font raylib made (whose glyph and rectangle arrays are live), and
    /// `text` be NULL or a NUL-terminated string readable to its NUL.
    pub unsafe fn measure(
        &self,
        font: &[u64; FONT_WORDS],
        text: *const std::ffi::c_char,
        size: f32,
        spacing: f32,
    ) -> (f32, f32) {
        let mut font = *font;
        let (mut text, mut size, mut spacing) = (text, size, spacing);
        let mut args: [*mut c_void; 4] = [
            font.as_mut_ptr().cast(),
            (&mut text as *mut *const std::ffi::c_char).cast(),
            (&mut size as *mut f32).cast(),
            (&mut spacing as *mut f32).cast(),
        ];
        let mut ret = [0u64; 2];
        // SAFETY: each argument points to a value of its declared type (a Font's bytes, a
        // char pointer, two floats); the font and text are valid for raylib's reads (caller's
        // contract); the Vector2 comes back in the two-word return slot.
        unsafe { self.measure.call(&mut args, CMem::from_words(&mut ret)) };
        let v = CMem::from_words(&mut ret);
        (v.read::<f32>(0), v.read::<f32>(4))
    }
}
