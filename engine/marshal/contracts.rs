//! Checks of a call's arguments against raylib's memory contracts that the argument kinds
//! alone cannot make, run by the executor after conversion and before C is called, only for
//! the plans that declare them (`ArgPlan`: image-drawing coordinate bounds, a rectangle
//! within an image, bytes read through a `const void *`, a text image's size, texts of
//! raylib's static buffers). Each reads the converted words of the call frame, so it sees
//! exactly what C will.
//!
//! Contract: none runs on a plan without its declaration (they are cold and out of line),
//! and none allocates outside its error, except where the check reads memory it cannot
//! borrow: a raylib text or `int *` read through the kernel (`ffi::memory::read_checked`),
//! `TextReplaceBetween`'s texts searched once their lengths alone do not settle it, a raw
//! image file's size.

use std::ffi::c_int;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::Stack;
use crate::ffi::memory::CMem;

use super::args::{ArgKind, ArgPlan};
use super::plan::CallPlan;
use super::records::{Seen, SEEN_WORDS};
use super::structs::FieldKind;
use super::Ctx;

/// Every number and float struct field in the frame finite and within `bound`.
#[cold]
#[inline(never)]
pub(super) fn check_coordinates<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    frame: &[u64; N],
    bound: f64,
    reason: &str,
) -> Result<(), Error> {
    let ok = |v: f64| v.is_finite() && v.abs() <= bound;
    for arg in ap.args.iter() {
        let (slot, slot2) = (arg.slot as usize, arg.slot2 as usize);
        let good = match arg.kind {
            ArgKind::Float => ok(f32::from_bits(frame[slot] as u32) as f64),
            ArgKind::Double => ok(f64::from_bits(frame[slot])),
            ArgKind::Int(p) if p.is_signed() => ok(frame[slot] as i64 as f64),
            ArgKind::Int(_) => ok(frame[slot] as f64),
            ArgKind::StructRegs { sid, size } => {
                let mut w = [frame[slot], frame[slot2]];
                floats_ok(
                    plan.ctx,
                    sid,
                    CMem::from_words(&mut w).slice(0, size as usize),
                    &ok,
                )
            }
            ArgKind::StructWords { sid, size } => {
                let n = (size as usize).div_ceil(8);
                let mut w = [0u64; SEEN_WORDS];
                let words = frame.get(slot..slot + n).ok_or_else(Error::internal)?;
                w.get_mut(..n)
                    .ok_or_else(Error::internal)?
                    .copy_from_slice(words);
                floats_ok(
                    plan.ctx,
                    sid,
                    CMem::from_words(&mut w).slice(0, size as usize),
                    &ok,
                )
            }
            _ => true,
        };
        if !good {
            return Err(plan.arg_error(
                arg.lua,
                Problem::Other(format!(
                    "coordinates must be finite and within ±{bound}: {reason}"
                )),
            ));
        }
    }
    Ok(())
}

/// A struct argument's bytes from the frame (by value, in registers or memory words).
pub(super) fn frame_struct<const N: usize>(
    frame: &[u64; N],
    arg: &super::args::Arg,
) -> Option<Seen> {
    let (slot, slot2) = (arg.slot as usize, arg.slot2 as usize);
    let mut w = [0u64; SEEN_WORDS];
    let size = match arg.kind {
        ArgKind::StructRegs { size, .. } => {
            w[0] = frame[slot];
            w[1] = frame[slot2];
            size as usize
        }
        ArgKind::StructWords { size, .. } => {
            let n = (size as usize).div_ceil(8);
            w.get_mut(..n)?.copy_from_slice(frame.get(slot..slot + n)?);
            size as usize
        }
        _ => return None,
    };
    (size <= SEEN_WORDS * 8).then_some(Seen { words: w, size })
}

/// `ImageFromImage(image, rec)`, `ImageDraw`'s source: the rectangle (truncated to ints, as
/// raylib does) inside the
/// image, with a non-negative size.
#[cold]
#[inline(never)]
pub(super) fn check_rect_in_image<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    frame: &[u64; N],
    rect: u8,
    image: u8,
) -> Result<(), Error> {
    let (ra, ia) = (&ap.args[rect as usize], &ap.args[image as usize]);
    let (mut r, mut i) = (
        frame_struct(frame, ra).ok_or_else(Error::internal)?,
        frame_struct(frame, ia).ok_or_else(Error::internal)?,
    );
    let (rm, im) = (r.mem(), i.mem());
    let f = |k: usize| rm.read::<f32>(k * 4) as f64;
    let (x, y, w, h) = (f(0).trunc(), f(1).trunc(), f(2).trunc(), f(3).trunc());
    // Image: data pointer, then width and height.
    let (iw, ih) = (im.read::<i32>(8) as f64, im.read::<i32>(12) as f64);
    // `ImageDraw` scales its source to the destination, dividing by the source's size.
    let sized = if plan.fname == "ImageDraw" {
        w >= 1.0 && h >= 1.0
    } else {
        w >= 0.0 && h >= 0.0
    };
    let inside = x >= 0.0 && y >= 0.0 && x + w <= iw && y + h <= ih;
    // `ImageCrop` clips the rectangle to the image itself: only its size must not be negative.
    let inside = sized && (inside || plan.fname == "ImageCrop");
    if inside {
        return Ok(());
    }
    Err(plan.arg_error(
        ra.lua,
        Problem::Other(
            "rectangle must lie within the image (and not be empty where raylib scales it): \
             raylib copies its pixels unchecked"
                .into(),
        ),
    ))
}

/// A `const void *` argument holds at least the bytes C reads through it (strings, buffers and
/// struct values; a pointer value raylib returned has no length lunaray knows).
#[cold]
#[inline(never)]
pub(super) fn check_byte_need<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    st: &Stack,
    frame: &[u64; N],
    n: &super::args::NeedPlan,
) -> Result<(), Error> {
    use crate::registry::byte_needs::{pixel_bytes, uniform_bytes, Needs};
    let arg = |k: u8| ap.args.get(k as usize).ok_or_else(Error::internal);
    let int =
        |k: u8| -> Result<i64, Error> { Ok(frame[arg(k)?.slot as usize] as i64 as i32 as i64) };
    let texture = |k: u8| -> Result<(i64, i64, i64), Error> {
        let mut t = frame_struct(frame, arg(k)?).ok_or_else(Error::internal)?;
        let m = t.mem();
        Ok((
            m.read::<i32>(4) as i64,
            m.read::<i32>(8) as i64,
            m.read::<i32>(16) as i64,
        ))
    };
    let pixels = |w: i64, h: i64, format: i64| -> Result<u64, Error> {
        if w < 0 || h < 0 {
            return Err(plan.arg_error(
                arg(n.ptr)?.lua,
                Problem::Other("a negative pixel size".into()),
            ));
        }
        Ok(pixel_bytes(w, h, format).unwrap_or(0))
    };
    let need = match n.needs {
        Needs::TexturePixels { .. } => {
            let (w, h, format) = texture(n.from[0])?;
            pixels(w, h, format)?
        }
        Needs::RectPixels { .. } => {
            let (_, _, format) = texture(n.from[0])?;
            let mut r = frame_struct(frame, arg(n.from[1])?).ok_or_else(Error::internal)?;
            let m = r.mem();
            let (w, h) = (m.read::<f32>(8), m.read::<f32>(12));
            if !(w.is_finite() && h.is_finite()) {
                return Err(plan.arg_error(
                    arg(n.from[1])?.lua,
                    Problem::Other("rectangle size must be finite".into()),
                ));
            }
            pixels(w as i64, h as i64, format)?
        }
        Needs::Pixels { .. } => pixels(int(n.from[0])?, int(n.from[1])?, int(n.from[2])?)?,
        Needs::WrittenPixels { .. } => {
            let need = pixels(int(n.from[0])?, int(n.from[1])?, int(n.from[2])?)?;
            let dst = arg(n.ptr)?.lua;
            let have = writable_len(st, dst);
            return match have {
                Some(have) if have as u64 >= need => Ok(()),
                _ => {
                    Err(plan.arg_error(
                        dst,
                        Problem::Other(format!(
                        "{} must be memory of at least {need} bytes whose length lunaray knows \
                         (from MemAlloc), got {}: raylib writes the pixels unchecked",
                        n.name,
                        have.map_or("one of unknown length".to_string(), |h| format!("{h} bytes"))
                    )),
                    ))
                }
            };
        }
        Needs::Bytes { .. } => pixels(int(n.from[0])?, int(n.from[1])?, 1)?,
        Needs::StringCopy { .. } => {
            let (src, dst) = (arg(n.from[0])?, arg(n.ptr)?);
            let len = text_len(st, frame, src) as u64;
            let have = writable_len(st, dst.lua);
            let need = len + 1;
            let fits = matches!(have, Some(have) if have as u64 >= need);
            if !fits {
                return Err(plan.arg_error(
                    dst.lua,
                    Problem::Other(format!(
                        "{} must be memory of at least {need} bytes whose length lunaray \
                             knows (from MemAlloc): raylib writes the copy unchecked",
                        n.name
                    )),
                ));
            }
            if overlaps(frame[src.slot as usize], len, frame[dst.slot as usize]) {
                return Err(overlap_error(plan, dst.lua, n.name));
            }
            return Ok(());
        }
        Needs::StringAppend { .. } => {
            let (src, dst, pos) = (arg(n.from[0])?, arg(n.ptr)?, arg(n.from[1])?);
            let len = text_len(st, frame, src) as u64;
            let have = writable_len(st, dst.lua);
            let at = int_in(st, frame, pos);
            let fits = match (have, at) {
                (Some(have), Some(at)) => at >= 0 && at as u64 + len < have as u64,
                _ => false,
            };
            let to = frame[dst.slot as usize].wrapping_add(at.unwrap_or(0) as u64);
            if fits && overlaps(frame[src.slot as usize], len, to) {
                return Err(overlap_error(plan, dst.lua, n.name));
            }
            if fits {
                return Ok(());
            }
            if at.is_none() {
                return Err(plan.arg_error(
                    pos.lua,
                    Problem::Other(
                        "position must be an int buffer or memory whose length lunaray \
                             knows (from MemAlloc): raylib reads and moves it"
                            .into(),
                    ),
                ));
            }
            return Err(plan.arg_error(
                dst.lua,
                Problem::Other(format!(
                    "{} must be memory whose length lunaray knows (from MemAlloc), with \
                         room for {len} bytes and a NUL at position {}: raylib writes the \
                         copy unchecked",
                    n.name,
                    at.unwrap_or(0)
                )),
            ));
        }
        Needs::FilePixels { .. } => {
            let px = pixels(int(n.from[0])?, int(n.from[1])?, int(n.from[2])?)?;
            let header = arg(n.from[3])?;
            let need = px + int(n.from[3])?.max(0) as u64;
            let path = st
                .string(arg(n.ptr)?.lua)
                .map(|p| p.to_vec())
                .unwrap_or_default();
            let path = path.strip_suffix(&[0]).unwrap_or(&path);
            use std::os::unix::ffi::OsStrExt;
            let have = std::fs::metadata(std::ffi::OsStr::from_bytes(path)).map_or(0, |m| m.len());
            if have >= need {
                return Ok(());
            }
            return Err(plan.arg_error(
                header.lua,
                Problem::Other(format!(
                    "headerSize {} and {px} bytes of pixels need {need} bytes, and the file \
                         holds {have}: raylib adds them in an int unchecked (past its range it \
                         reads outside the file)",
                    need - px
                )),
            ));
        }
        Needs::Size { .. } => frame[arg(n.from[0])?.slot as usize] as u32 as u64,
        Needs::Indices { .. } => {
            // raylib adds the offset only when it is positive.
            (int(n.from[0])?.max(0) + int(n.from[1])?.max(0)) as u64 * 2
        }
        Needs::Fixed { bytes } => bytes as u64,
        Needs::Uniform { .. } => {
            let count = if n.from[1] == u8::MAX {
                1
            } else {
                int(n.from[1])?.max(0) as u64
            };
            uniform_bytes(int(n.from[0])?) * count
        }
    };
    let a = arg(n.ptr)?.lua;
    let have = if let Some(p) = st.pointer_at(a) {
        // Only as many bytes as raylib said are there; a pointer value of unknown length is
        // refused (it could be short, or freed with the struct it was read from).
        match st.pointer_len(a) {
            Some(len) => len as u64,
            _ => {
                return Err(plan.arg_error(
                    a,
                    Problem::Other(format!(
                        "{} is a {} of unknown length, and raylib reads {need} bytes through \
                         it: pass a typed buffer, a string, or memory whose length lunaray \
                         knows (LoadImageColors, MemAlloc, an Image's data)",
                        n.name,
                        plan.ctx.pointer_name(p.tag)
                    )),
                ))
            }
        }
    } else if let Some(s) = st.string(a) {
        s.len() as u64 - 1
    } else if let Some(b) = st.buffer_at(a) {
        b.mem.len() as u64
    } else if let Some(s) = st.struct_at(a) {
        s.mem.len() as u64
    } else if n.nullable {
        return Ok(());
    } else {
        0
    };
    if have >= need {
        return Ok(());
    }
    Err(plan.arg_error(
        a,
        Problem::Other(format!(
            "{} holds {have} bytes, and raylib reads {need} through it",
            n.name
        )),
    ))
}

/// The length of memory C may write through the pointer value at `a`: only memory raylib
/// allocated for the caller (never its own static arrays of a known length, such as
/// TextSplit's), live, whose length lunaray knows.
fn writable_len(st: &Stack, a: std::ffi::c_int) -> Option<usize> {
    st.pointer_at(a)
        .filter(|p| p.owned && !p.freed)
        .and_then(|_| st.pointer_len(a))
}

/// The C length of the text argument `a` converted into the frame: a string's bytes up to
/// its first NUL, or a raylib text's (a live char pointer raylib returned, which C reads to
/// its NUL in this very call); 0 for nil (NULL).
fn text_len<const N: usize>(st: &Stack, frame: &[u64; N], a: &super::args::Arg) -> usize {
    if let Some(s) = st.string(a.lua) {
        return (0..s.len() - 1)
            .find(|&i| s.read::<u8>(i) == 0)
            .unwrap_or(s.len() - 1);
    }
    let ptr = frame[a.slot as usize] as *const std::ffi::c_void;
    if ptr.is_null() {
        return 0;
    }
    // A live char pointer raylib returned (`arg_texts::raylib_text`), read to its NUL as C
    // will, through the kernel (an unreadable one stops the count, and C's read is refused).
    crate::ffi::memory::c_string_checked(ptr, usize::MAX).map_or(usize::MAX >> 1, |t| t.len())
}

/// Whether the text at `src` (`len` bytes and its NUL) overlaps a copy of it written at `dst`
/// (C's copy loop never finds the NUL it overwrites).
fn overlaps(src: u64, len: u64, dst: u64) -> bool {
    src <= dst.saturating_add(len) && dst <= src.saturating_add(len)
}

/// A copy's destination overlapping its text.
#[cold]
fn overlap_error(plan: &CallPlan, dst: std::ffi::c_int, name: &str) -> Error {
    plan.arg_error(
        dst,
        Problem::Other(format!(
            "{name} overlaps the text copied into it: raylib's copy loop would overwrite the \
             text's end before reading it, and never stop"
        )),
    )
}

/// The int an `int *` argument points to: an int buffer's first element, or memory whose
/// length lunaray knows (from `MemAlloc`), at least an int long. None for anything else.
fn int_in<const N: usize>(st: &Stack, frame: &[u64; N], a: &super::args::Arg) -> Option<i32> {
    if let Some(b) = st.buffer_at(a.lua) {
        return (b.mem.len() >= 4).then(|| b.mem.read::<i32>(0));
    }
    let len = writable_len(st, a.lua)?;
    let ptr = frame[a.slot as usize] as *const std::ffi::c_void;
    if len < 4 {
        return None;
    }
    // Live memory raylib allocated for the caller, read through the kernel all the same.
    let b = crate::ffi::memory::read_checked(ptr, 4).ok()?;
    Some(i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

/// The image of a text at a font size stays below `MAX_TEXT_IMAGE` pixels, and raylib's
/// `ImageTextEx` makes and scales it within its int math: measured as raylib measures it
/// (`MeasureTextEx` at the font's base size and at the font size), the image is not of two
/// negative sides (a positive calloc of nonsense), and scaled, not smaller than a pixel
/// (`ImageResizeNN` divides by the new size) nor, for the default font, 32768 pixels wide or
/// tall before (it computes `width << 16` in an int).
#[cold]
#[inline(never)]
#[allow(unsafe_code)]
pub(super) fn check_text_image<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    st: &Stack,
    frame: &[u64; N],
    ti: super::args::TextImage,
) -> Result<(), Error> {
    use crate::ffi::cif::FONT_WORDS;
    use crate::registry::preconditions::MAX_TEXT_IMAGE;
    let (t, s) = (&ap.args[ti.text as usize], &ap.args[ti.size as usize]);
    let len = st.string(t.lua).map_or(0, |m| m.len() - 1) as f64;
    let bits = frame[s.slot as usize];
    let float = |bits: u64| f32::from_bits(bits as u32);
    let int_size = !matches!(s.kind, ArgKind::Float)
        && !matches!(s.kind, ArgKind::Checked { prim, .. } if prim.is_float());
    let size = if int_size {
        bits as i64 as i32 as f32
    } else {
        float(bits)
    };
    if len * size as f64 * size as f64 > MAX_TEXT_IMAGE {
        return Err(plan.arg_error(
            t.lua,
            Problem::Other(format!(
                "text too long for its font size (bytes x size^2 at most {MAX_TEXT_IMAGE}): \
                 raylib allocates its image unchecked"
            )),
        ));
    }
    let text = frame[t.slot as usize] as *const std::ffi::c_char;
    let (Some(m), false) = (plan.ctx.text_measure.as_ref(), text.is_null()) else {
        // No text: raylib makes no image. No MeasureTextEx: not raylib's library.
        return Ok(());
    };
    // What `ImageTextEx` is called with: `ImageText` takes the default font at a size of at
    // least 10 with a spacing of a tenth of it, `ImageDrawText` a spacing of 1.
    let (size, spacing) = match (plan.fname, ti.spacing) {
        ("ImageText", _) => {
            let size = (size as i32).max(10);
            (size as f32, (size / 10) as f32)
        }
        (_, u8::MAX) => (size, 1.0),
        (_, k) => (size, float(frame[ap.args[k as usize].slot as usize])),
    };
    let font: [u64; FONT_WORDS] = if ti.font == u8::MAX {
        m.default_font()
    } else {
        let seen = frame_struct(frame, &ap.args[ti.font as usize]).ok_or_else(Error::internal)?;
        let mut w = [0u64; FONT_WORDS];
        w.copy_from_slice(seen.words.get(..FONT_WORDS).ok_or_else(Error::internal)?);
        w
    };
    let reg = &plan.ctx.registry;
    let field = |name: &str| {
        reg.struct_id("Font")
            .and_then(|id| reg.structs[id].field(name))
            .map(|f| f.offset)
            .ok_or_else(Error::internal)
    };
    let mut fw = font;
    let fm = CMem::from_words(&mut fw);
    let base = fm.read::<i32>(field("baseSize")?);
    let texture = fm.read::<u32>(field("texture")?);
    let default_texture = {
        let mut d = m.default_font();
        CMem::from_words(&mut d).read::<u32>(field("texture")?)
    };
    // SAFETY: the font is the default font raylib returned, or a Font argument vouched for as
    // one raylib made (vouched arguments are checked before the contracts); the text is the
    // frame's C string (a Lua string or a raylib text, NUL-terminated), which raylib reads the
    // same way in the call itself.
    let (image, scaled) = unsafe {
        (
            m.measure(&font, text, base as f32, spacing),
            m.measure(&font, text, size, spacing),
        )
    };
    let in_int = |v: f32| v.is_finite() && v.abs() < 2147483520.0;
    let (w, h) = (image.0 as i64, image.1 as i64);
    let area = w * h;
    let refuse = |a: c_int, why: String| Err(plan.arg_error(a, Problem::Other(why)));
    if !(in_int(image.0) && in_int(image.1) && in_int(scaled.1))
        || (area > 0 && w < 0)
        || area > MAX_TEXT_IMAGE as i64
    {
        return refuse(
            t.lua,
            format!(
                "text measures {}x{} pixels at the font's base size: raylib makes an image of \
                 that size unchecked (at most {MAX_TEXT_IMAGE} pixels, sides not negative)",
                image.0, image.1
            ),
        );
    }
    // raylib scales only an image with pixels (a negative area allocates none).
    if scaled.1 == image.1 || area <= 0 {
        return Ok(());
    }
    let factor = scaled.1 / image.1;
    let (nw, nh) = (image.0 * factor, image.1 * factor);
    let nearest = texture == default_texture;
    if nearest && (w >= 1 << 15 || h >= 1 << 15) {
        return refuse(
            t.lua,
            format!(
                "text is {w}x{h} pixels at the font's base size: raylib scales it computing \
                 width << 16 in an int (sides below 32768)"
            ),
        );
    }
    if !(in_int(nw) && in_int(nh)) || nw < 1.0 || nh < 1.0 || nw as f64 * nh as f64 > MAX_TEXT_IMAGE
    {
        return refuse(
            s.lua,
            format!(
                "fontSize {size} scales the text's {w}x{h}-pixel image to {}x{}: raylib divides \
                 by the new size, and allocates it, unchecked (at least 1x1, at most \
                 {MAX_TEXT_IMAGE} pixels)",
                nw as i64, nh as i64
            ),
        );
    }
    Ok(())
}

/// Whether every float field of struct `sid` in `mem` satisfies `ok`.
fn floats_ok(ctx: &Ctx, sid: u32, mem: CMem<'_>, ok: &dyn Fn(f64) -> bool) -> bool {
    ctx.structs[sid as usize]
        .fields
        .iter()
        .all(|f| match f.kind {
            FieldKind::Scalar(crate::registry::Prim::Float) => ok(mem.read::<f32>(f.offset) as f64),
            _ => true,
        })
}

/// A font loader's TrueType bytes (a `.ttf`/`.otf` file or file type; `LoadFontData`'s
/// always) are ones stb_truetype reads safely for this load: its size, codepoints and glyph
/// type (`font_check`). `bytes(ptr, len)` copies a converted array argument's bytes.
#[cold]
#[inline(never)]
pub(super) fn check_font<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    st: &Stack,
    frame: &[u64; N],
    f: &super::args::FontPlan,
    bytes: &dyn Fn(u64, usize) -> Vec<u8>,
) -> Result<(), Error> {
    use super::font_check::{check, Codepoints, Request};
    use crate::registry::font_loaders::{extension, is_truetype, DEFAULT_COUNT, DEFAULT_SIZE};
    let arg = |k: u8| ap.args.get(k as usize).ok_or_else(Error::internal);
    let word = |k: u8| -> Result<u64, Error> { Ok(frame[arg(k)?.slot as usize]) };
    let int = |k: u8| -> Result<i32, Error> { Ok(word(k)? as i64 as i32) };
    let text = |k: u8| -> Option<Vec<u8>> {
        let s = st.string(arg(k).ok()?.lua)?.to_vec();
        let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
        Some(s[..end].to_vec())
    };
    let (font, blame) = if f.path != u8::MAX {
        let Some(path) = text(f.path) else {
            return Ok(());
        };
        if !is_truetype(extension(&path)) {
            return Ok(());
        }
        use std::os::unix::ffi::OsStrExt;
        // A file that cannot be read is raylib's to fail on (it loads no font).
        match std::fs::read(std::ffi::OsStr::from_bytes(&path)) {
            Ok(b) => (b, arg(f.path)?.lua),
            Err(_) => return Ok(()),
        }
    } else {
        // A file type raylib reads as another format, or NULL, takes no TrueType path; any
        // value whose text is not seen here is checked (none reaches C today: the file type
        // is a string parameter).
        if f.file_type != u8::MAX {
            use crate::ffi::lua_stack::LuaType;
            let truetype = match st.type_of(arg(f.file_type)?.lua) {
                LuaType::Nil | LuaType::None | LuaType::Number => false,
                LuaType::String => text(f.file_type).is_some_and(|t| is_truetype(&t)),
                _ => true,
            };
            if !truetype {
                return Ok(());
            }
        }
        let (ptr, len) = (word(f.data)?, word(f.data_size)? as u32 as usize);
        // raylib reads nothing from NULL.
        if ptr == 0 {
            return Ok(());
        }
        (bytes(ptr, len), arg(f.data)?.lua)
    };
    let size = if f.font_size == u8::MAX {
        DEFAULT_SIZE
    } else {
        int(f.font_size)?
    };
    let list: Vec<i32>;
    let codepoints = if f.codepoints == u8::MAX {
        Codepoints::From32(DEFAULT_COUNT)
    } else {
        let (ptr, count) = (word(f.codepoints)?, word(f.count)? as u32);
        if ptr == 0 {
            Codepoints::From32(if count > 0 { count } else { DEFAULT_COUNT })
        } else if count == 0 {
            return Err(plan.arg_error(
                arg(f.count)?.lua,
                Problem::Other(
                    "a count of 0 with codepoints: raylib then reads 95 of them (pass nil \
                     codepoints for its default set)"
                        .into(),
                ),
            ));
        } else {
            list = bytes(ptr, count as usize * 4)
                .chunks_exact(4)
                .map(|c| i32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            Codepoints::List(&list)
        }
    };
    let req = Request {
        size,
        codepoints,
        kind: if f.kind == u8::MAX { 0 } else { int(f.kind)? },
        atlas: f.loader.atlas,
    };
    check(&font, &req).map_err(|why| {
        plan.arg_error(
            blame,
            Problem::Other(format!("not a font stb_truetype can read safely: {why}")),
        )
    })
}

/// The bytes of the text argument `a` up to its first NUL, as C sees them (a string, or a
/// raylib text read through the kernel); None for NULL. Allocates: only where a quick bound
/// by the lengths alone did not already settle the check.
fn text_bytes<const N: usize>(
    st: &Stack,
    frame: &[u64; N],
    a: &super::args::Arg,
) -> Option<Vec<u8>> {
    if let Some(s) = st.string(a.lua) {
        let mut v = s.to_vec();
        v.truncate(v.iter().position(|&b| b == 0).unwrap_or(v.len()));
        return Some(v);
    }
    let ptr = frame[a.slot as usize] as *const std::ffi::c_void;
    (!ptr.is_null())
        .then(|| crate::ffi::memory::c_string_checked(ptr, usize::MAX).unwrap_or_default())
}

/// raylib's text functions that build a result without checking it (`preconditions::TextFit`):
/// the result fits raylib's static buffer, and reads stay within the text.
#[cold]
#[inline(never)]
pub(super) fn check_text_fit<const N: usize>(
    plan: &CallPlan,
    ap: &ArgPlan,
    st: &Stack,
    frame: &[u64; N],
    fit: crate::registry::preconditions::TextFit,
) -> Result<(), Error> {
    use crate::registry::preconditions::{TextFit, MAX_TEXT_BUFFER};
    let arg = |k: usize| ap.args.get(k).ok_or_else(Error::internal);
    let is_null = |a: &super::args::Arg| frame[a.slot as usize] == 0;
    let too_long = |a: c_int, what: String| {
        plan.arg_error(
            a,
            Problem::Other(format!(
                "{what}, more than the {} bytes raylib's static buffer holds with its NUL: \
                 raylib writes it unchecked",
                MAX_TEXT_BUFFER - 1
            )),
        )
    };
    match fit {
        TextFit::Join => {
            let (list, count, delimiter) = (arg(0)?, arg(1)?, arg(2)?);
            let count = (frame[count.slot as usize] as i32).max(0) as usize;
            let delimiter = text_len(st, frame, delimiter) as u64;
            let mut total = delimiter * count.saturating_sub(1) as u64;
            let words = frame[list.slot as usize] as *const std::ffi::c_void;
            if count > 0 {
                // The converted array of `count` text pointers (arena memory, or a pointer
                // value raylib returned with at least that many), read through the kernel.
                let bytes = crate::ffi::memory::read_checked(words, count * 8)
                    .map_err(|_| Error::internal())?;
                for p in bytes.chunks_exact(8) {
                    if total >= MAX_TEXT_BUFFER as u64 {
                        break;
                    }
                    let p = u64::from_ne_bytes(p.try_into().map_err(|_| Error::internal())?);
                    if p != 0 {
                        let left = MAX_TEXT_BUFFER - total as usize;
                        let t = crate::ffi::memory::c_string_checked(p as *const _, left)
                            .map_or(left, |t| t.len());
                        total += t as u64;
                    }
                }
            }
            if total < MAX_TEXT_BUFFER as u64 {
                return Ok(());
            }
            Err(too_long(
                list.lua,
                format!(
                    "the texts joined with {delimiter}-byte delimiters are at least {total} bytes"
                ),
            ))
        }
        TextFit::ReplaceBetween => {
            let (text, begin, end, replacement) = (arg(0)?, arg(1)?, arg(2)?, arg(3)?);
            if is_null(text) || is_null(begin) || is_null(end) {
                return Ok(());
            }
            let replace_len = text_len(st, frame, replacement);
            // The result is never longer than the text and the replacement.
            if text_len(st, frame, text) + replace_len < MAX_TEXT_BUFFER {
                return Ok(());
            }
            let (t, b, e) = (
                text_bytes(st, frame, text).unwrap_or_default(),
                text_bytes(st, frame, begin).unwrap_or_default(),
                text_bytes(st, frame, end).unwrap_or_default(),
            );
            // As raylib finds them: `begin` with strstr, then `end` after it.
            let Some(at) = memchr::memmem::find(&t, &b) else {
                return Ok(());
            };
            let kept = at + b.len();
            let Some(gap) = memchr::memmem::find(&t[kept..], &e) else {
                return Ok(());
            };
            let len = (kept + replace_len + (t.len() - kept - gap)) as u64;
            if len < MAX_TEXT_BUFFER as u64 {
                return Ok(());
            }
            Err(too_long(
                replacement.lua,
                format!("the text with the replacement is {len} bytes"),
            ))
        }
        TextFit::Camel | TextFit::Snake => {
            let text = arg(0)?;
            let Some(t) = text_bytes(st, frame, text) else {
                return Ok(());
            };
            // raylib's loops, over indices into `t` (its NUL at `t.len()`).
            let (len, last) = (t.len(), MAX_TEXT_BUFFER - 1);
            let at = |j: usize| t.get(j).copied().unwrap_or(0);
            let ok = if fit == TextFit::Camel {
                let (mut i, mut j) = (1, 1);
                loop {
                    // `i < 1023 && text[j] != '\0'`: text[j] is read only below the bound.
                    if i >= last {
                        break true;
                    }
                    if j > len || at(j) == 0 {
                        break j <= len;
                    }
                    if at(j) == b'_' {
                        j += 1;
                    }
                    i += 1;
                    j += 1;
                }
            } else {
                let (mut i, mut j, mut ok) = (0, 0, true);
                while i < last && at(j) != 0 {
                    if at(j).is_ascii_uppercase() && i >= 1 {
                        i += 1;
                    }
                    ok &= i < last;
                    i += 1;
                    j += 1;
                }
                ok
            };
            if ok {
                return Ok(());
            }
            let why = if fit == TextFit::Camel {
                "text must not be empty nor end in a separating '_': raylib reads past its end"
                    .to_string()
            } else {
                format!(
                    "the snake-cased text fills all {MAX_TEXT_BUFFER} bytes of raylib's static \
                     buffer, leaving no NUL: it would be read past its end"
                )
            };
            Err(plan.arg_error(text.lua, Problem::Other(why)))
        }
        TextFit::Insert => {
            let (text, insert, position) = (arg(0)?, arg(1)?, arg(2)?);
            if is_null(text) || is_null(insert) {
                return Ok(());
            }
            let (len, insert_len) = (text_len(st, frame, text), text_len(st, frame, insert));
            let at = frame[position.slot as usize] as i32 as i64;
            if at >= len as i64 || insert_len <= 1 {
                return Ok(());
            }
            Err(plan.arg_error(
                position.lua,
                Problem::Other(format!(
                    "position must be the length of text ({len}) when insert is longer than a \
                     byte: raylib copies the rest of text from {insert_len} bytes too far on, \
                     past its end"
                )),
            ))
        }
    }
}
