//! Whether stb_truetype (inside raylib's rtext.c) reads a TrueType font safely, for one load:
//! stb trusts the file (`stbtt_InitFont` takes no size), so every byte it will read for the
//! load is checked here first, in the order raylib's `LoadFontData` makes stb read them:
//! `stbtt_InitFont` at offset 0 (table directory, `cmap` encoding records and the subtable it
//! picks, `head`, `hhea`, `maxp`), then per codepoint `stbtt_FindGlyphIndex` (format 0, 4, 6,
//! 12 and 13 lookups, mirrored read by read), and per glyph found `stbtt_GetGlyphShape`
//! (`loca`, each outline's contours, instructions, flags with their repeat counts and
//! coordinates, composite components recursively), the bitmap box and its size at the
//! requested font size (as stb computes it, in `f32`), `stbtt_GetGlyphHMetrics` (`hmtx`),
//! and for the loaders that pack an atlas, its size as `GenImageFontAtlas` computes it.
//!
//! CFF outlines (OpenType `CFF ` tables) are refused: stb reads them through a buffer it
//! sizes at 512 MiB whatever the table's length, and what it reads depends on running each
//! glyph's charstring, which this does not mirror. `kern` and `GPOS` are only located by
//! `stbtt_InitFont` (raylib never asks for kerning), so only the table directory covers them.
//!
//! Contract: safe code only, no panics on any input (every read is `get`), and the checks
//! are stricter than stb's reads (each table within the file, each glyph's data within its
//! `loca` range), so anything accepted is read by stb within the buffer.

use std::collections::HashMap;

/// lunaray's largest font size for the font loaders (raygui's style loader uses the same).
pub const MAX_FONT_SIZE: i32 = 1024;
/// Largest glyph bitmap: stb mallocs `w * h` in `int` arithmetic.
pub const MAX_GLYPH_PIXELS: i64 = 1 << 24;
const MAX_GLYPH_SIDE: i64 = 1 << 14;
/// Largest `totalWidth * paddedFontSize * 1.2` of raylib's atlas estimate: the atlas it then
/// allocates (doubling its height while glyphs do not fit) stays within about 2^28 bytes.
pub const MAX_ATLAS_AREA: f64 = (1u64 << 26) as f64;
/// Most pixels of all glyph images of one load.
pub const MAX_TOTAL_PIXELS: i64 = 1 << 28;
/// Composite glyphs nest at most this deep (stb recurses per level).
const MAX_DEPTH: u32 = 16;
/// Most outline points of one glyph, its components' included (stb allocates them all).
const MAX_POINTS: u64 = 1 << 20;
/// raylib's glyph padding in the atlas (`FONT_TTF_DEFAULT_CHARS_PADDING`), and SDF padding.
const ATLAS_PADDING: i64 = 4;
const SDF_PADDING: i64 = 4;

/// Which codepoints raylib loads.
#[derive(Clone, Copy, Debug)]
pub enum Codepoints<'a> {
    /// NULL codepoints: this many from 32 up (raylib's default of 95 for 0 already applied).
    From32(u32),
    /// The caller's array.
    List(&'a [i32]),
}

/// One load: font size, codepoints, raylib's glyph type (`FONT_DEFAULT` 0, `FONT_BITMAP` 1,
/// `FONT_SDF` 2), and whether an atlas is packed from the glyphs (every loader but
/// `LoadFontData`).
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub size: i32,
    pub codepoints: Codepoints<'a>,
    pub kind: i32,
    pub atlas: bool,
}

const FONT_BITMAP: i32 = 1;
const FONT_SDF: i32 = 2;

/// Why stb cannot read `data` safely for `req` (the words after "not a font stb_truetype
/// can read safely: "), or Ok.
pub fn check(data: &[u8], req: &Request) -> Result<(), String> {
    let font = Font::parse(data)?;
    let scale = font.scale(req.size)?;
    let mut glyphs = Glyphs::new(&font);
    let mut total_width: i64 = 0;
    let mut found: u64 = 0;
    let mut images = Vec::new();
    let mut pixels: i64 = 0;
    let mut visit = |cp: i32| -> Result<(), String> {
        let g = font.glyph_index(cp)?;
        if g <= 0 {
            return Ok(());
        }
        let g = g as u32;
        if g >= font.num_glyphs {
            return Err(format!(
                "cmap maps codepoint {cp} to glyph {g}, past the font's {} glyphs",
                font.num_glyphs
            ));
        }
        found += 1;
        let (width, height) = glyphs.image(g, cp, scale, req)?;
        images.push((cp, width, height));
        // Every glyph's image stays allocated until the load ends (stb's mallocs are not all
        // checked: the SDF renderer writes through a failed one).
        pixels += width * height;
        if pixels > MAX_TOTAL_PIXELS {
            return Err(format!(
                "its glyphs at size {} need over {MAX_TOTAL_PIXELS} pixels of images",
                req.size
            ));
        }
        total_width += width + 2 * ATLAS_PADDING;
        let padded = req.size as i64 + 2 * ATLAS_PADDING;
        if req.atlas && (total_width * padded) as f64 * 1.2 > MAX_ATLAS_AREA {
            return Err(format!(
                "its glyphs at size {} make an atlas over {MAX_ATLAS_AREA} pixels (raylib \
                 allocates it unchecked)",
                req.size
            ));
        }
        Ok(())
    };
    match req.codepoints {
        Codepoints::From32(n) => {
            for i in 0..n {
                visit(32i32.saturating_add(i as i32))?;
            }
        }
        Codepoints::List(list) => {
            for &cp in list {
                visit(cp)?;
            }
        }
    }
    if req.atlas && found == 0 {
        return Err(
            "none of the codepoints asked for is in the font (raylib then packs 95 \
                    glyphs from an empty array)"
                .into(),
        );
    }
    if req.atlas {
        atlas_fits(&images, req.size as i64)?;
    }
    Ok(())
}

/// raylib's `GenImageFontAtlas` (default packing) of these glyph images at font size `size`:
/// `LoadFontFromMemory` then copies each glyph's rectangle out of the atlas unchecked
/// (`ImageFromImage`), so each must lie within it. Near a power of two raylib's float
/// arithmetic may pick either atlas size: both are checked.
fn atlas_fits(images: &[(i32, i64, i64)], size: i64) -> Result<(), String> {
    let p = ATLAS_PADDING;
    let total: i64 = images.iter().map(|&(_, w, _)| w + 2 * p).sum();
    let padded = size + 2 * p;
    let area = (total * padded) as f32 * 1.2f32;
    let exponent = area.sqrt().ln() / 2f32.ln();
    let mut sides = vec![2f32.powf(exponent.ceil()) as i64];
    if (exponent - exponent.round()).abs() < 1e-3 {
        let e = exponent.round() as i32;
        sides.extend([1i64 << e.clamp(0, 30), 1i64 << (e + 1).clamp(0, 30)]);
    }
    for side in sides {
        let width = side;
        let mut height = if area < ((side * side) / 2) as f32 {
            side / 2
        } else {
            side
        };
        let (mut x, mut y) = (p, p);
        let mut rects = Vec::with_capacity(images.len());
        for &(cp, w, h) in images {
            if x >= width - w - 2 * p {
                x = p;
                y += size + 2 * p;
                if y > height - size - p {
                    height *= 2;
                }
            }
            rects.push((cp, x, y, w, h));
            x += w + 2 * p;
        }
        if width * height > 1 << 28 {
            return Err(format!(
                "its glyphs at size {size} make an atlas of {width}x{height} pixels"
            ));
        }
        // ImageFromImage reads h rows of w pixels from (x, y) on, rows `width` apart.
        for &(cp, x, y, w, h) in &rects {
            if w > 0 && h > 0 && (y + h - 1) * width + x + w > width * height {
                return Err(format!(
                    "codepoint {cp}'s glyph image ({w}x{h} pixels) ends past raylib's \
                     {width}x{height} atlas at size {size} (raylib copies it out unchecked)"
                ));
            }
        }
    }
    Ok(())
}

/// Big-endian reads within a slice.
fn u8_at(d: &[u8], o: u64) -> Option<u8> {
    d.get(usize::try_from(o).ok()?).copied()
}
fn u16_at(d: &[u8], o: u64) -> Option<u16> {
    let o = usize::try_from(o).ok()?;
    let b = d.get(o..o.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}
fn i16_at(d: &[u8], o: u64) -> Option<i16> {
    u16_at(d, o).map(|v| v as i16)
}
fn u32_at(d: &[u8], o: u64) -> Option<u32> {
    let o = usize::try_from(o).ok()?;
    let b = d.get(o..o.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// The tables stb reads, each a slice of the file.
struct Font<'a> {
    cmap: &'a [u8],
    /// The cmap subtable stb picked: its offset in `cmap`.
    index_map: u64,
    hhea: &'a [u8],
    hmtx: &'a [u8],
    loca: &'a [u8],
    glyf: &'a [u8],
    long_loca: bool,
    num_glyphs: u32,
}

impl<'a> Font<'a> {
    fn parse(data: &'a [u8]) -> Result<Font<'a>, String> {
        let num_tables = u16_at(data, 4)
            .ok_or_else(|| format!("{} bytes hold no offset table (12 bytes)", data.len()))?
            as u64;
        if data.len() < 12 || (data.len() as u64) < 12 + 16 * num_tables {
            return Err(format!(
                "the table directory ({num_tables} tables) runs past the end of the file ({} \
                 bytes)",
                data.len()
            ));
        }
        // stb takes the first entry with the tag.
        let find = |tag: &[u8; 4]| -> Result<Option<&'a [u8]>, String> {
            for i in 0..num_tables {
                let e = 12 + 16 * i as usize;
                if data.get(e..e + 4) == Some(&tag[..]) {
                    let (off, len) = (
                        u32_at(data, e as u64 + 8).unwrap_or(0) as u64,
                        u32_at(data, e as u64 + 12).unwrap_or(0) as u64,
                    );
                    let name = String::from_utf8_lossy(tag);
                    // stb takes offset 0 for a missing table.
                    if off == 0 {
                        return Ok(None);
                    }
                    return data
                        .get(off as usize..(off + len) as usize)
                        .map(Some)
                        .ok_or_else(|| {
                            format!(
                                "the '{name}' table ({len} bytes at {off}) lies outside the \
                                 file ({} bytes)",
                                data.len()
                            )
                        });
                }
            }
            Ok(None)
        };
        let required = |tag: &[u8; 4]| -> Result<&'a [u8], String> {
            find(tag)?.ok_or_else(|| format!("no '{}' table", String::from_utf8_lossy(tag)))
        };
        let cmap = required(b"cmap")?;
        let head = required(b"head")?;
        let hhea = required(b"hhea")?;
        let hmtx = required(b"hmtx")?;
        let Some(glyf) = find(b"glyf")? else {
            return Err(if find(b"CFF ")?.is_some() {
                "CFF outlines (stb reads them past the table's end; lunaray does not check \
                 them)"
                    .into()
            } else {
                "no 'glyf' table".into()
            });
        };
        let loca = required(b"loca")?;
        // stb locates these two; raylib never reads them.
        find(b"kern")?;
        find(b"GPOS")?;
        let maxp = required(b"maxp")?;
        let num_glyphs = u16_at(maxp, 4).ok_or("maxp too short for numGlyphs")? as u32;
        let loc_format = u16_at(head, 50).ok_or("head too short for indexToLocFormat")?;
        if loc_format > 1 {
            return Err(format!(
                "head's indexToLocFormat is {loc_format}, neither 0 nor 1"
            ));
        }
        if hhea.len() < 36 {
            return Err("hhea too short for numberOfHMetrics".into());
        }
        // The subtable stb picks: the last Unicode one among the encoding records.
        let records = u16_at(cmap, 2).ok_or("cmap too short for its header")? as u64;
        if (cmap.len() as u64) < 4 + 8 * records {
            return Err(format!(
                "cmap's {records} encoding records run past the table"
            ));
        }
        let mut index_map = None;
        for i in 0..records {
            let r = 4 + 8 * i;
            let (platform, encoding) = (u16_at(cmap, r), u16_at(cmap, r + 2));
            let unicode = matches!((platform, encoding), (Some(3), Some(1 | 10)) | (Some(0), _));
            if unicode {
                index_map = u32_at(cmap, r + 4).map(|o| o as u64);
            }
        }
        // stb adds the offset to cmap's (a 0 sum would mean "none" to it).
        let Some(index_map) = index_map else {
            return Err("no Unicode cmap subtable".into());
        };
        let font = Font {
            cmap,
            index_map,
            hhea,
            hmtx,
            loca,
            glyf,
            long_loca: loc_format == 1,
            num_glyphs,
        };
        font.check_cmap()?;
        font.check_loca()?;
        Ok(font)
    }

    /// The picked subtable's fixed parts within cmap (lookups check the rest read by read).
    fn check_cmap(&self) -> Result<(), String> {
        let (c, m) = (self.cmap, self.index_map);
        let short = || format!("the cmap subtable at {m} runs past the cmap table");
        let format = u16_at(c, m).ok_or_else(short)?;
        let fits = |end: u64| -> Result<(), String> {
            if end <= c.len() as u64 {
                Ok(())
            } else {
                Err(short())
            }
        };
        match format {
            0 => {
                let bytes = u16_at(c, m + 2).ok_or_else(short)? as u64;
                fits(m + bytes.max(6))
            }
            6 => {
                let count = u16_at(c, m + 8).ok_or_else(short)? as u64;
                fits(m + 10 + 2 * count)
            }
            4 => {
                let segs = (u16_at(c, m + 6).ok_or_else(short)? >> 1) as u64;
                fits(m + 14)?;
                // stb's binary search takes entrySelector steps per lookup: past 16 (more than
                // 32767 segments can need) a load of many codepoints would hang.
                let selector = u16_at(c, m + 10).ok_or_else(short)?;
                if selector > 16 {
                    return Err(format!(
                        "cmap's entrySelector is {selector} (stb searches that many steps per \
                         codepoint)"
                    ));
                }
                fits(m + 16 + 8 * segs)
            }
            12 | 13 => {
                let groups = u32_at(c, m + 12).ok_or_else(short)? as u64;
                fits(m + 16 + 12 * groups)
            }
            // stb finds no glyph in other formats and reads nothing more.
            _ => Ok(()),
        }
    }

    /// Every loca entry within glyf, in order.
    fn check_loca(&self) -> Result<(), String> {
        let entry = if self.long_loca { 4 } else { 2 };
        let n = self.num_glyphs as u64;
        if (self.loca.len() as u64) < (n + 1) * entry {
            return Err(format!(
                "loca ({} bytes) is too short for {n} glyphs",
                self.loca.len()
            ));
        }
        let mut prev = 0;
        for g in 0..=n {
            let at = self.loca_at(g as u32).unwrap_or(u64::MAX);
            if at < prev {
                return Err(format!(
                    "loca is out of order at glyph {g} ({at} after {prev})"
                ));
            }
            if at > self.glyf.len() as u64 {
                return Err(format!(
                    "loca puts glyph {} at {at}, past the glyf table ({} bytes)",
                    g.saturating_sub(1),
                    self.glyf.len()
                ));
            }
            prev = at;
        }
        Ok(())
    }

    fn loca_at(&self, g: u32) -> Option<u64> {
        if self.long_loca {
            u32_at(self.loca, g as u64 * 4).map(|v| v as u64)
        } else {
            u16_at(self.loca, g as u64 * 2).map(|v| v as u64 * 2)
        }
    }

    /// Glyph `g`'s bytes as stb finds them (None for an empty glyph).
    fn glyph_data(&self, g: u32) -> Option<&'a [u8]> {
        let (a, b) = (self.loca_at(g)?, self.loca_at(g + 1)?);
        (a != b).then(|| self.glyf.get(a as usize..b as usize))?
    }

    /// `stbtt_ScaleForPixelHeight`, in stb's `f32`.
    fn scale(&self, size: i32) -> Result<f32, String> {
        let ascent = i16_at(self.hhea, 4).unwrap_or(0) as i32;
        let descent = i16_at(self.hhea, 6).unwrap_or(0) as i32;
        let height = ascent - descent;
        if height <= 0 {
            return Err(format!(
                "hhea's ascent - descent is {height}: stb divides the font size by it"
            ));
        }
        if !(1..=MAX_FONT_SIZE).contains(&size) {
            return Err(format!("font size {size} outside 1 to {MAX_FONT_SIZE}"));
        }
        Ok(size as f32 / height as f32)
    }

    /// `stbtt_FindGlyphIndex`, read by read, each within the cmap table.
    fn glyph_index(&self, cp: i32) -> Result<i32, String> {
        let (c, m) = (self.cmap, self.index_map);
        let bad = || format!("cmap's lookup of codepoint {cp} reads past the cmap table");
        let r16 = |o: u64| u16_at(c, o).ok_or_else(bad);
        let format = r16(m)?;
        match format {
            0 => {
                let bytes = r16(m + 2)? as i32;
                if cp < 0 {
                    return Err(format!("codepoint {cp}: stb reads before its cmap table"));
                }
                if cp < bytes - 6 {
                    return u8_at(c, m + 6 + cp as u64).map(i32::from).ok_or_else(bad);
                }
                Ok(0)
            }
            6 => {
                let first = r16(m + 6)? as u32;
                let count = r16(m + 8)? as u32;
                let cp = cp as u32;
                if cp >= first && cp < first + count {
                    return Ok(r16(m + 10 + (cp - first) as u64 * 2)? as i32);
                }
                Ok(0)
            }
            4 => {
                let segs = (r16(m + 6)? >> 1) as u64;
                let mut range = (r16(m + 8)? >> 1) as u64;
                let mut selector = r16(m + 10)?;
                let shift = (r16(m + 12)? >> 1) as u64;
                let end_count = m + 14;
                let mut search = end_count;
                if cp > 0xffff {
                    return Ok(0);
                }
                if cp >= r16(search + shift * 2)? as i32 {
                    search += shift * 2;
                }
                search -= 2;
                while selector != 0 {
                    range >>= 1;
                    let end = r16(search + range * 2)?;
                    if cp > end as i32 {
                        search += range * 2;
                    }
                    selector -= 1;
                }
                search += 2;
                let item = ((search - end_count) >> 1) as u16 as u64;
                let start = r16(m + 14 + segs * 2 + 2 + 2 * item)? as i32;
                let last = r16(end_count + 2 * item)? as i32;
                if cp < start || cp > last {
                    return Ok(0);
                }
                let offset = r16(m + 14 + segs * 6 + 2 + 2 * item)? as u64;
                if offset == 0 {
                    let delta = i16_at(c, m + 14 + segs * 4 + 2 + 2 * item).ok_or_else(bad)?;
                    return Ok((cp + delta as i32) as u16 as i32);
                }
                let at = offset + (cp - start) as u64 * 2 + m + 14 + segs * 6 + 2 + 2 * item;
                Ok(r16(at)? as i32)
            }
            12 | 13 => {
                let groups = u32_at(c, m + 12).ok_or_else(bad)?;
                let (mut low, mut high) = (0i64, groups as i32 as i64);
                let r32 = |o: u64| u32_at(c, o).ok_or_else(bad);
                while low < high {
                    let mid = low + ((high - low) >> 1);
                    let g = m + 16 + mid as u64 * 12;
                    let (start, end) = (r32(g)?, r32(g + 4)?);
                    if (cp as u32) < start {
                        high = mid;
                    } else if (cp as u32) > end {
                        low = mid + 1;
                    } else {
                        let first = r32(g + 8)?;
                        return Ok(if format == 12 {
                            first.wrapping_add((cp as u32).wrapping_sub(start)) as i32
                        } else {
                            first as i32
                        });
                    }
                }
                Ok(0)
            }
            _ => Ok(0),
        }
    }

    /// `stbtt_GetGlyphHMetrics`'s advance, its reads within hmtx.
    fn advance(&self, g: u32) -> Result<i32, String> {
        let long = u16_at(self.hhea, 34).unwrap_or(0) as u64;
        if long == 0 {
            return Err("hhea's numberOfHMetrics is 0 (stb reads the metric before hmtx)".into());
        }
        let g = g as u64;
        let (adv, lsb) = if g < long {
            (4 * g, 4 * g + 2)
        } else {
            (4 * (long - 1), 4 * long + 2 * (g - long))
        };
        match (i16_at(self.hmtx, adv), i16_at(self.hmtx, lsb)) {
            (Some(a), Some(_)) => Ok(a as i32),
            _ => Err(format!(
                "hmtx ({} bytes) holds no metrics for glyph {g}",
                self.hmtx.len()
            )),
        }
    }
}

/// What stb decodes of each glyph, checked once.
struct Glyphs<'f, 'a> {
    font: &'f Font<'a>,
    /// Points stb allocates for the glyph, its components' included.
    points: HashMap<u32, u64>,
}

impl<'f, 'a> Glyphs<'f, 'a> {
    fn new(font: &'f Font<'a>) -> Self {
        Glyphs {
            font,
            points: HashMap::new(),
        }
    }

    /// The size of glyph `g`'s image that raylib packs into its atlas, for codepoint `cp`, once
    /// its outline, bitmap and metrics are checked.
    fn image(&mut self, g: u32, cp: i32, scale: f32, req: &Request) -> Result<(i64, i64), String> {
        self.outline(g, &mut Vec::new())?;
        let space = cp == 0x20 || cp == 0x3000;
        let (w, h) = self.bitmap(g, scale, req.kind, cp)?;
        let has_image = w > 0 && h > 0;
        let mut image = if has_image { (w, h) } else { (0, 0) };
        if has_image || space {
            // raylib's advance: `(int)(advance * scale)`.
            let adv = (self.font.advance(g)? as f32 * scale) as i64;
            if space {
                let pixels = adv.max(0) * req.size as i64;
                if pixels > MAX_GLYPH_PIXELS {
                    return Err(format!(
                        "glyph {g}'s advance makes a space image of {pixels} pixels at size {}",
                        req.size
                    ));
                }
                // FONT_BITMAP thresholds the outline's pixels in the space image that
                // replaced them.
                if req.kind == FONT_BITMAP && w * h > pixels {
                    return Err(format!(
                        "the space glyph {g} has an outline larger than its advance (raylib \
                         writes its pixels into the space image)"
                    ));
                }
                // raylib's space image: the advance wide, the font size tall.
                image = (adv.max(0), req.size as i64);
            }
        }
        Ok(image)
    }

    /// The bitmap stb renders for glyph `g`: width and height, checked.
    fn bitmap(&self, g: u32, scale: f32, kind: i32, cp: i32) -> Result<(i64, i64), String> {
        let Some(d) = self.font.glyph_data(g) else {
            return Ok((0, 0));
        };
        let b = |o| i16_at(d, o).unwrap_or(0) as f32;
        let (x0, y0, x1, y1) = (b(2), b(4), b(6), b(8));
        let floor = |v: f32| (v as f64).floor() as i64;
        let ceil = |v: f32| (v as f64).ceil() as i64;
        let (ix0, iy0, ix1, iy1) = (
            floor(x0 * scale),
            floor(-y1 * scale),
            ceil(x1 * scale),
            ceil(-y0 * scale),
        );
        let (mut w, mut h) = (ix1 - ix0, iy1 - iy0);
        if w < 0 || h < 0 {
            return Err(format!("glyph {g}'s bounding box is inverted"));
        }
        match kind {
            // raylib renders FONT_DEFAULT and FONT_BITMAP glyphs as bitmaps.
            0 | FONT_BITMAP => {}
            // SDF: every glyph but the space, padded; none for an empty box.
            FONT_SDF if cp != 32 && w > 0 && h > 0 => {
                w += 2 * SDF_PADDING;
                h += 2 * SDF_PADDING;
            }
            // Other types: raylib renders nothing.
            _ => return Ok((0, 0)),
        }
        if w > MAX_GLYPH_SIDE || h > MAX_GLYPH_SIDE || w * h > MAX_GLYPH_PIXELS {
            return Err(format!(
                "glyph {g}'s bitmap would be {w}x{h} pixels (stb allocates w*h unchecked)"
            ));
        }
        Ok((w, h))
    }

    /// Checks glyph `g`'s outline as `stbtt__GetGlyphShapeTT` decodes it; returns the points
    /// stb allocates for it. `stack`: the composite glyphs being decoded, outermost first.
    fn outline(&mut self, g: u32, stack: &mut Vec<u32>) -> Result<u64, String> {
        if let Some(&n) = self.points.get(&g) {
            return Ok(n);
        }
        let Some(d) = self.font.glyph_data(g) else {
            self.points.insert(g, 0);
            return Ok(0);
        };
        let past = |what: &str| {
            format!(
                "glyph {g}'s outline runs past its {} bytes of glyf data (at its {what})",
                d.len()
            )
        };
        let contours = i16_at(d, 0).ok_or_else(|| past("header"))?;
        if d.len() < 10 {
            return Err(past("header"));
        }
        let points = if contours > 0 {
            simple(d, contours as u64).map_err(|what| match what {
                Simple::Past(what) => past(what),
                Simple::LoneOffCurve => format!(
                    "glyph {g}'s last contour starts off the curve at its last point (stb reads \
                     the point after it)"
                ),
            })?
        } else if contours < 0 {
            if stack.contains(&g) || stack.len() as u32 >= MAX_DEPTH {
                let path: Vec<String> = stack.iter().map(|g| g.to_string()).collect();
                return Err(if let Some(at) = stack.iter().position(|&s| s == g) {
                    format!(
                        "composite glyph {g} includes itself ({} → {g}): stb recurses forever",
                        path[at..].join(" → ")
                    )
                } else {
                    format!(
                        "composite glyphs nest deeper than {MAX_DEPTH} ({})",
                        path.join(" → ")
                    )
                });
            }
            stack.push(g);
            let mut total = 0u64;
            let mut at = 10u64;
            loop {
                let flags = u16_at(d, at).ok_or_else(|| past("component"))?;
                let child = u16_at(d, at + 2).ok_or_else(|| past("component"))? as u32;
                at += 4;
                if flags & 2 != 0 {
                    at += if flags & 1 != 0 { 4 } else { 2 };
                }
                at += if flags & 8 != 0 {
                    2
                } else if flags & 0x40 != 0 {
                    4
                } else if flags & 0x80 != 0 {
                    8
                } else {
                    0
                };
                if at > d.len() as u64 {
                    return Err(past("component"));
                }
                if child >= self.font.num_glyphs {
                    return Err(format!(
                        "composite glyph {g} names glyph {child}, past the font's {} glyphs",
                        self.font.num_glyphs
                    ));
                }
                total += self.outline(child, stack)?;
                if total > MAX_POINTS {
                    return Err(format!(
                        "glyph {g} has over {MAX_POINTS} points with its components"
                    ));
                }
                if flags & 0x20 == 0 {
                    break;
                }
            }
            stack.pop();
            total
        } else {
            0
        };
        self.points.insert(g, points);
        Ok(points)
    }
}

enum Simple {
    Past(&'static str),
    LoneOffCurve,
}

/// A simple glyph's data (`d`, from its header) as stb decodes it: returns the points it
/// allocates (`n + 2 * contours`).
fn simple(d: &[u8], contours: u64) -> Result<u64, Simple> {
    let end_pts = 10u64;
    let ins_at = end_pts + contours * 2;
    let ins = u16_at(d, ins_at).ok_or(Simple::Past("contour ends"))? as u64;
    let last = u16_at(d, ins_at - 2).ok_or(Simple::Past("contour ends"))? as u64;
    let n = last + 1;
    let mut p = ins_at + 2 + ins;
    if p > d.len() as u64 {
        return Err(Simple::Past("instructions"));
    }
    // Flags, with their repeat counts: stb reads one flag byte (and a count after it if bit
    // 3 is set) whenever the previous count ran out, for n points.
    let mut flags = Vec::with_capacity(n as usize);
    let (mut flag, mut repeat) = (0u8, 0u8);
    for _ in 0..n {
        if repeat == 0 {
            flag = u8_at(d, p).ok_or(Simple::Past("flags"))?;
            p += 1;
            if flag & 8 != 0 {
                repeat = u8_at(d, p).ok_or(Simple::Past("flags"))?;
                p += 1;
            }
        } else {
            repeat -= 1;
        }
        flags.push(flag);
    }
    // Coordinates: x then y, one or two bytes (or none) each as the flags say.
    for (short, same) in [(2u8, 16u8), (4, 32)] {
        for &f in &flags {
            if f & short != 0 {
                p += 1;
            } else if f & same == 0 {
                p += 2;
            }
        }
    }
    if p > d.len() as u64 {
        return Err(Simple::Past("coordinates"));
    }
    // stb's conversion looks at the point after a contour's first when that one is off the
    // curve: past the array for the last point.
    let (mut next_move, mut j, mut i) = (0u64, 0u64, 0u64);
    while i < n {
        if next_move == i {
            let off = flags.get(i as usize).is_some_and(|f| f & 1 == 0);
            if off {
                match flags.get(i as usize + 1) {
                    None => return Err(Simple::LoneOffCurve),
                    Some(f) if f & 1 != 0 => i += 1,
                    Some(_) => {}
                }
            }
            next_move = 1 + u16_at(d, end_pts + j * 2).ok_or(Simple::Past("contour ends"))? as u64;
            j += 1;
        }
        i += 1;
    }
    Ok(n + 2 * contours)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FONT: &[u8] = include_bytes!("../../assets/pixel_operator.ttf");

    fn load(size: i32, n: u32) -> Request<'static> {
        Request {
            size,
            codepoints: Codepoints::From32(n),
            kind: 0,
            atlas: true,
        }
    }

    #[test]
    fn real_fonts_pass() {
        check(FONT, &load(16, 95)).unwrap();
        check(FONT, &load(1024, 95)).unwrap();
        check(FONT, &load(32, 0x11_0000 - 32)).unwrap();
        for kind in [1, 2] {
            check(
                FONT,
                &Request {
                    kind,
                    ..load(20, 255)
                },
            )
            .unwrap();
        }
        // The system's fonts, the repository's, and raylib-sys's (raygui's example styles).
        let mut dirs = vec![std::path::PathBuf::from("/usr/share/fonts")];
        dirs.push(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets"));
        let cargo = std::env::var_os("CARGO_HOME")
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")));
        for index in cargo
            .and_then(|c| std::fs::read_dir(c.join("registry/src")).ok())
            .into_iter()
            .flatten()
            .flatten()
        {
            for krate in std::fs::read_dir(index.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if krate
                    .file_name()
                    .to_string_lossy()
                    .starts_with("raylib-sys-")
                {
                    dirs.push(krate.path());
                }
            }
        }
        let mut seen = 0;
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("ttf") || x.eq_ignore_ascii_case("otf"))
                {
                    let bytes = std::fs::read(&p).unwrap();
                    check(&bytes, &load(32, 95)).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                    seen += 1;
                }
            }
        }
        eprintln!("{seen} fonts checked");
        assert!(seen >= 1);
    }

    #[test]
    fn glyphs_raylib_would_copy_from_outside_its_atlas_are_refused() {
        // 'A' (glyph 36, at 2516 + 2324) made 30000 units tall: at size 33 its image is
        // taller than the atlas raylib packs.
        let mut f = FONT.to_vec();
        f[2516 + 2324 + 8..2516 + 2324 + 10].copy_from_slice(&30000i16.to_be_bytes());
        let e = check(&f, &load(33, 95)).unwrap_err();
        assert!(
            e.starts_with("codepoint 65's glyph image (") && e.contains("ends past"),
            "{e}"
        );
        // raylib's LoadFontData packs no atlas.
        check(
            &f,
            &Request {
                atlas: false,
                ..load(33, 95)
            },
        )
        .unwrap();
    }

    #[test]
    fn metrics_and_codepoints_stb_would_read_past_are_refused() {
        let edit = |at: usize, v: u16| {
            let mut f = FONT.to_vec();
            f[at..at + 2].copy_from_slice(&v.to_be_bytes());
            f
        };
        // hhea (at 260): numberOfHMetrics 0, then ascent = descent.
        let e = check(&edit(260 + 34, 0), &load(16, 95)).unwrap_err();
        assert!(e.starts_with("hhea's numberOfHMetrics is 0"), "{e}");
        let descent = u16::from_be_bytes([FONT[266], FONT[267]]);
        let e = check(&edit(260 + 4, descent), &load(16, 95)).unwrap_err();
        assert!(e.starts_with("hhea's ascent - descent is 0"), "{e}");
        // maxp (at 296): 10 glyphs, while cmap maps 'A' to glyph 36.
        let e = check(&edit(296 + 4, 10), &load(16, 95)).unwrap_err();
        assert!(e.contains("past the font's 10 glyphs"), "{e}");
        // Negative and huge codepoints look up nothing in a format 4 cmap.
        let list = [-5, 65, 0x10_ffff];
        let req = Request {
            codepoints: Codepoints::List(&list),
            ..load(16, 0)
        };
        check(FONT, &req).unwrap();
    }

    #[test]
    fn mutations_never_panic() {
        // A fixed-seed xorshift: byte flips, truncations and 16-bit overwrites of the font.
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let mut accepted = 0;
        for _ in 0..3000 {
            let mut f = FONT.to_vec();
            for _ in 0..1 + next() % 8 {
                let i = (next() % f.len() as u64) as usize;
                match next() % 4 {
                    0 => f[i] ^= 1 << (next() % 8),
                    1 => f[i] = next() as u8,
                    2 => f.truncate(i),
                    _ => {
                        if i + 1 < f.len() {
                            f[i] = 0xff;
                            f[i + 1] = next() as u8;
                        }
                    }
                }
                if f.is_empty() {
                    break;
                }
            }
            let list: Vec<i32> = (0..40).map(|_| (next() % 70000) as i32 - 100).collect();
            let reqs = [
                load((next() % 1100) as i32, (next() % 300) as u32),
                Request {
                    codepoints: Codepoints::List(&list),
                    kind: (next() % 3) as i32,
                    ..load(24, 0)
                },
            ];
            for r in &reqs {
                if check(&f, r).is_ok() {
                    accepted += 1;
                }
            }
        }
        eprintln!("{accepted} of 6000 mutated loads accepted");
        assert!(accepted > 100, "{accepted}");
    }
}
