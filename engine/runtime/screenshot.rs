//! `--screenshot FILE`: the last presented frame as a PNG with true colours on both backends.

use std::path::Path;

/// A captured frame: RGBA8, top row first.
#[derive(Clone, Debug)]
pub struct Capture {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// Puts a frame from `LoadImageFromScreen` in top-row-first RGBA order. The software renderer
/// (`PLATFORM=Memory`) returns it bottom row first with red and blue swapped
/// (../shared/FACTS.md); OpenGL's path already flips it and keeps RGBA.
pub fn normalize(width: u32, height: u32, mut rgba: Vec<u8>, software: bool) -> Capture {
    if software {
        let row = width as usize * 4;
        let mut flipped = Vec::with_capacity(rgba.len());
        for r in rgba.chunks_exact(row).rev() {
            flipped.extend_from_slice(r);
        }
        rgba = flipped;
        for px in rgba.chunks_exact_mut(4) {
            px.swap(0, 2);
        }
    }
    Capture {
        width,
        height,
        rgba,
    }
}

pub fn write_png(path: &Path, capture: &Capture) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), capture.width, capture.height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&capture.rgba)
        .map_err(|e| e.to_string())
}
