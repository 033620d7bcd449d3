//! The benchmark floor: hand-written bindings with raylib's C types compiled in, as a static
//! binding generator would emit them. Each reads its Lua arguments with the same stack
//! primitives as the planned path, calls the C function through a function pointer of its
//! exact C type, and pushes the result. `lunaray bench` and the criterion benches measure
//! every other mode against these.

use std::ffi::{c_char, c_int, c_void};

use crate::error::{Error, Problem};
use crate::ffi::library::{FnPtr, Library};
use crate::ffi::lua_stack::{LuaHandler, Stack};
use crate::ffi::memory::CMem;

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Vector2 {
    pub x: f32,
    pub y: f32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Rectangle {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Texture {
    pub id: u32,
    pub width: i32,
    pub height: i32,
    pub mipmaps: i32,
    pub format: i32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Matrix {
    pub m: [f32; 16],
}

/// Plain C structs: every bit pattern is a valid value and they have no padding.
///
/// # Safety
/// Implementors must be `#[repr(C)]`, made only of scalars, without padding.
unsafe trait Pod: Copy + Default {}
// SAFETY: all five are #[repr(C)] structs of f32/u8/u32/i32 fields with no padding
// (8, 4, 16, 20 and 64 bytes).
unsafe impl Pod for Vector2 {}
// SAFETY: as above.
unsafe impl Pod for Color {}
// SAFETY: as above.
unsafe impl Pod for Rectangle {}
// SAFETY: as above.
unsafe impl Pod for Texture {}
// SAFETY: as above.
unsafe impl Pod for Matrix {}

fn read_pod<T: Pod>(mem: CMem<'_>) -> T {
    assert_eq!(
        mem.len(),
        std::mem::size_of::<T>(),
        "struct size matches its C type"
    );
    // SAFETY: `mem` holds exactly `size_of::<T>()` valid bytes (asserted; CMem invariant) and
    // any bit pattern is a valid `T` (Pod).
    unsafe { mem.as_ptr().cast::<T>().read_unaligned() }
}

fn write_pod<T: Pod>(mem: CMem<'_>, v: T) {
    assert_eq!(mem.len(), std::mem::size_of::<T>());
    // SAFETY: `mem` is valid for `size_of::<T>()` bytes of writes (asserted; CMem invariant).
    unsafe { mem.as_ptr().cast::<T>().write_unaligned(v) }
}

/// Struct ids and metatable the static bindings need, looked up once.
#[derive(Clone, Copy, Debug)]
pub struct StructIds {
    pub vector2: u32,
    pub color: u32,
    pub rectangle: u32,
    pub texture: u32,
    pub matrix: u32,
    pub struct_mt: c_int,
}

fn arg<T: Pod>(st: &Stack, idx: c_int, sid: u32, name: &str) -> Result<T, Error> {
    match st.struct_at(idx) {
        Some(s) if s.ty == sid => Ok(read_pod(s.mem)),
        _ => Err(Problem::type_mismatch(name, "other").at("static", idx)),
    }
}

fn num(st: &Stack, idx: c_int) -> Result<f64, Error> {
    st.number(idx)
        .ok_or_else(|| Problem::type_mismatch("number", "other").at("static", idx))
}

macro_rules! static_binding {
    ($name:ident, $cname:literal, fn($($t:ty),*) $(-> $r:ty)?, |$st:ident, $f:ident, $ids:ident| $body:block) => {
        pub struct $name {
            f: extern "C" fn($($t),*) $(-> $r)?,
            ids: StructIds,
        }

        impl $name {
            pub const C_NAME: &'static str = $cname;

            pub fn new(lib: &Library, ids: StructIds) -> Option<$name> {
                let p: FnPtr = lib.function($cname)?;
                // SAFETY: `$cname` is declared in raylib.h with exactly this C signature
                // (written out above); raylib's types are mirrored by the #[repr(C)] structs.
                let f = unsafe {
                    std::mem::transmute::<*const c_void, extern "C" fn($($t),*) $(-> $r)?>(p.addr())
                };
                Some($name { f, ids })
            }
        }

        impl LuaHandler for $name {
            fn call(&self, $st: &mut Stack) -> Result<c_int, Error> {
                let $f = self.f;
                let $ids = self.ids;
                $body
            }
        }
    };
}

static_binding!(
    DrawCircleV,
    "DrawCircleV",
    fn(Vector2, f32, Color),
    |st, f, ids| {
        f(
            arg(st, 1, ids.vector2, "Vector2")?,
            num(st, 2)? as f32,
            arg(st, 3, ids.color, "Color")?,
        );
        Ok(0)
    }
);

static_binding!(
    CheckCollisionRecs,
    "CheckCollisionRecs",
    fn(Rectangle, Rectangle) -> bool,
    |st, f, ids| {
        let hit = f(
            arg(st, 1, ids.rectangle, "Rectangle")?,
            arg(st, 2, ids.rectangle, "Rectangle")?,
        );
        st.push_boolean(hit);
        Ok(1)
    }
);

static_binding!(
    Vector2Add,
    "Vector2Add",
    fn(Vector2, Vector2) -> Vector2,
    |st, f, ids| {
        let v = f(
            arg(st, 1, ids.vector2, "Vector2")?,
            arg(st, 2, ids.vector2, "Vector2")?,
        );
        write_pod(st.push_struct(ids.vector2, 8, ids.struct_mt), v);
        Ok(1)
    }
);

static_binding!(
    ColorAlpha,
    "ColorAlpha",
    fn(Color, f32) -> Color,
    |st, f, ids| {
        let c = f(arg(st, 1, ids.color, "Color")?, num(st, 2)? as f32);
        write_pod(st.push_struct(ids.color, 4, ids.struct_mt), c);
        Ok(1)
    }
);

static_binding!(
    DrawTexture,
    "DrawTexture",
    fn(Texture, c_int, c_int, Color),
    |st, f, ids| {
        f(
            arg(st, 1, ids.texture, "Texture")?,
            num(st, 2)? as c_int,
            num(st, 3)? as c_int,
            arg(st, 4, ids.color, "Color")?,
        );
        Ok(0)
    }
);

static_binding!(
    MatrixMultiply,
    "MatrixMultiply",
    fn(Matrix, Matrix) -> Matrix,
    |st, f, ids| {
        let m = f(
            arg(st, 1, ids.matrix, "Matrix")?,
            arg(st, 2, ids.matrix, "Matrix")?,
        );
        write_pod(st.push_struct(ids.matrix, 64, ids.struct_mt), m);
        Ok(1)
    }
);

static_binding!(
    DrawText,
    "DrawText",
    fn(*const c_char, c_int, c_int, c_int, Color),
    |st, f, ids| {
        let text = st
            .string(1)
            .ok_or_else(|| Problem::type_mismatch("string", "other").at("static", 1))?;
        f(
            text.as_ptr() as *const c_char,
            num(st, 2)? as c_int,
            num(st, 3)? as c_int,
            num(st, 4)? as c_int,
            arg(st, 5, ids.color, "Color")?,
        );
        Ok(0)
    }
);

static_binding!(
    GetMousePosition,
    "GetMousePosition",
    fn() -> Vector2,
    |st, f, ids| {
        let v = f();
        write_pod(st.push_struct(ids.vector2, 8, ids.struct_mt), v);
        Ok(1)
    }
);

static_binding!(
    GetRandomValue,
    "GetRandomValue",
    fn(c_int, c_int) -> c_int,
    |st, f, _ids| {
        let v = f(num(st, 1)? as c_int, num(st, 2)? as c_int);
        st.push_integer(v as i64);
        Ok(1)
    }
);

/// An empty C function, for the field get/set baseline (a table field access plus a C call).
pub struct Nop;

impl LuaHandler for Nop {
    fn call(&self, _st: &mut Stack) -> Result<c_int, Error> {
        Ok(0)
    }
}
