//! `ImageRotate(image, degrees)`: raylib computes the rotated image's size in floats, then
//! allocates `width*height` pixels with an `int` product, unchecked, and writes all of them:
//! a wide image (a long text rendered by `ImageText`) turned by a few degrees overflows the
//! product, and raylib writes past a small allocation (fuzz seed 71: a 479999x10 image turned
//! 3 degrees). The rotated size is computed here exactly as raylib computes it, and refused
//! past [`MAX_ROTATED_BYTES`].
//!
//! Contract: runs after the arguments are converted (the image is a struct value or a typed
//! buffer's first element, already vouched for), only for the plan that declares it (cold).

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::Stack;
use crate::registry::byte_needs::pixel_bytes;

use super::args::ArgPlan;
use super::plan::CallPlan;

/// The most bytes a rotated image may take (256 MiB, the bound of the data functions).
pub const MAX_ROTATED_BYTES: u64 = 1 << 28;

/// The image argument of `name`, if it is `ImageRotate`.
pub(crate) fn for_function(name: &str) -> Option<u8> {
    (name == "ImageRotate").then_some(0)
}

/// The rotated image fits: `degrees` is the argument after the image.
#[cold]
#[inline(never)]
pub(super) fn check<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    st: &Stack,
    frame: &[u64; N],
    image: u8,
) -> Result<(), Error> {
    let img = &ap.args[image as usize];
    let deg = ap
        .args
        .get(image as usize + 1)
        .ok_or_else(Error::internal)?;
    // Image: data, width, height, mipmaps, format.
    let mem = match (st.struct_at(img.lua), st.buffer_at(img.lua)) {
        (Some(s), _) => s.mem,
        (_, Some(b)) if b.mem.len() >= 24 => b.mem,
        // No Image value lunaray can see: nothing raylib would rotate (its data is NULL).
        _ => return Ok(()),
    };
    let (data, w, h, format) = (
        mem.read::<usize>(0),
        mem.read::<i32>(8),
        mem.read::<i32>(12),
        mem.read::<i32>(20),
    );
    // raylib returns early for these, or does not rotate compressed formats (14 and up).
    if data == 0 || w == 0 || h == 0 || format >= 14 {
        return Ok(());
    }
    let degrees = frame[deg.slot as usize] as i64 as i32;
    // As rtextures.c computes it, in floats.
    let rad = degrees as f32 * std::f32::consts::PI / 180.0;
    let (s, c) = (rad.sin(), rad.cos());
    let rw = ((w as f32 * c).abs() + (h as f32 * s).abs()) as i64;
    let rh = ((h as f32 * c).abs() + (w as f32 * s).abs()) as i64;
    let bytes = pixel_bytes(rw, rh, format as i64);
    if rw * rh <= i32::MAX as i64 && bytes.is_some_and(|b| b <= MAX_ROTATED_BYTES) {
        return Ok(());
    }
    Err(plan.arg_error(
        deg.lua,
        Problem::Other(format!(
            "the {w}x{h} image turned {degrees} degrees is {rw}x{rh} pixels, more than the \
             {MAX_ROTATED_BYTES} bytes a rotation may take: raylib multiplies its sides in an \
             int and writes every pixel unchecked"
        )),
    ))
}
