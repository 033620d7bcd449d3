//! The worker (`lunaray fuzz --worker`, started by the runner in a fresh scratch directory):
//! one Lua state on the headless backend, a window open, the pool set up, then the calls of
//! its range, each announced on stderr before it is made and run inside a protected call.
//!
//! Contract: stdout is raylib's log (the runner discards it); stderr carries the protocol,
//! one line per write: [`CALL_MARK`] `index errors function source` before each call, and
//! [`DONE_MARK`] `calls errors` after the last. A worker that dies between the two, or stops
//! announcing calls, has crashed or hung on the last call it announced.

use std::io::Write;

use super::gen::Generator;
use super::pool::SETUP;
use crate::registry::Registry;
use crate::runtime::libraries::{self, Backend};

/// Starts the line announcing a call.
pub const CALL_MARK: &str = "\u{1e}C ";
/// Starts the line saying every call of the range was made.
pub const DONE_MARK: &str = "\u{1e}D ";

/// The files the scratch directory starts with (the setup and the generator's file names
/// use them): name and contents; a name ending in `/` is a directory.
pub fn scratch_files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("f0.png", png_4x4()),
        ("f1.txt", b"hello\nfuzz\n".to_vec()),
        ("a.wav", wav_16bit_mono(2205)),
        (
            "m.obj",
            b"v 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\nvt 1 0\nvt 0 1\nf 1/1 2/2 3/3\n".to_vec(),
        ),
        (
            "s.fs",
            b"#version 330\nout vec4 c; void main() { c = vec4(1.0); }\n".to_vec(),
        ),
        // A font file whose tables claim more than it holds.
        ("j.ttf", {
            let mut v = vec![0, 1, 0, 0, 0x7f, 0xff, 0, 0, 0, 0, 0, 0];
            v.extend(b"cmapheadhheahmtxlocaglyf".iter().cycle().take(96));
            v
        }),
        // The repository's font, and fixed copies of it with bytes of its glyph outlines
        // changed, or cut short: file names that reach stb_truetype's parser (where lunaray's
        // font check lets them through).
        ("t0.ttf", FONT.to_vec()),
        ("t1.ttf", font_mutant(1, 4)),
        ("t2.ttf", font_mutant(2, 16)),
        ("t3.ttf", FONT[..FONT.len() * 3 / 5].to_vec()),
        ("d/", Vec::new()),
    ]
}

const FONT: &[u8] = include_bytes!("../../assets/pixel_operator.ttf");

/// The font with `changes` bytes of its glyf table (offset 2516, 12312 bytes) overwritten,
/// from a fixed xorshift of `seed`.
fn font_mutant(seed: u64, changes: usize) -> Vec<u8> {
    let mut f = FONT.to_vec();
    let mut s = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for _ in 0..changes {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let at = 2516 + (s % 12312) as usize;
        if let Some(b) = f.get_mut(at) {
            *b = (s >> 32) as u8;
        }
    }
    f
}

fn png_4x4() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 4, 4);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().expect("png header");
        let px: Vec<u8> = (0..64).map(|i| (i * 37 % 256) as u8).collect();
        w.write_image_data(&px).expect("png data");
    }
    out
}

fn wav_16bit_mono(frames: u32) -> Vec<u8> {
    let data = frames * 2;
    let mut v = Vec::new();
    v.extend(b"RIFF");
    v.extend((36 + data).to_le_bytes());
    v.extend(b"WAVEfmt ");
    v.extend(16u32.to_le_bytes());
    v.extend(1u16.to_le_bytes()); // PCM
    v.extend(1u16.to_le_bytes()); // mono
    v.extend(22050u32.to_le_bytes());
    v.extend(44100u32.to_le_bytes());
    v.extend(2u16.to_le_bytes());
    v.extend(16u16.to_le_bytes());
    v.extend(b"data");
    v.extend(data.to_le_bytes());
    for i in 0..frames {
        v.extend((((i % 50) as i16 - 25) * 1000).to_le_bytes());
    }
    v
}

/// Where a worker's calls come from.
pub enum Calls<'a> {
    /// Generated: `calls` calls of `seed` from index `start`.
    Generated { seed: u64, start: u64, calls: u64 },
    /// Lines of Lua source, one call each (`lunaray fuzz --list` output, cut down by hand).
    Listed(&'a [String]),
}

/// Runs `calls` in the current directory.
pub fn run(calls: Calls<'_>) -> Result<(), String> {
    for (name, bytes) in scratch_files() {
        let r = match name.strip_suffix('/') {
            Some(dir) => std::fs::create_dir_all(dir),
            None => std::fs::write(name, bytes),
        };
        r.map_err(|e| format!("{name}: {e}"))?;
    }
    let library = libraries::load(Backend::Headless, None).map_err(|e| e.to_string())?;
    let lua = mlua::Lua::new();
    let bindings = crate::marshal::bind(&lua, Registry::raylib(), library);
    let rl = crate::lua::build_rl_table(&lua, &bindings).map_err(|e| e.to_string())?;
    // The games' default path (LuaJIT: the jit wrappers and cdata values) is what is fuzzed.
    let marshal = crate::runtime::game::default_marshal(bindings.ctx);
    crate::runtime::modes::set(
        &bindings.ctx.modes,
        marshal,
        crate::runtime::modes::Arena::Frame,
    );
    #[cfg(feature = "luajit")]
    crate::marshal::jit::sync_lua(&lua, bindings.ctx);
    let setup_error = |e: mlua::Error| format!("setup: {e}");
    lua.globals().set("rl", rl).map_err(setup_error)?;
    // A small window: a hostile transform makes every triangle cover it, and the software
    // renderer's time grows with its pixels (slow calls are not what the watchdog is for).
    lua.load("rl.SetTraceLogLevel(rl.LOG_NONE) rl.InitWindow(128, 96, 'fuzz') P = {}")
        .exec()
        .map_err(setup_error)?;
    for (i, (kind, expr)) in SETUP.iter().enumerate() {
        let ok: bool = lua
            .load(format!("P[{0}] = {expr} return P[{0}] ~= nil", i + 1))
            .eval()
            .map_err(setup_error)?;
        if !ok {
            return Err(format!("setup: {expr} gave no {kind}"));
        }
    }
    lua.load("rl.BeginDrawing()").exec().map_err(setup_error)?;
    let names: Vec<&str> = bindings.plans.iter().map(|p| p.name.as_str()).collect();
    let (seed, start, count) = match calls {
        Calls::Generated { seed, start, calls } => (seed, start, calls),
        Calls::Listed(lines) => (0, 0, lines.len() as u64),
    };
    let mut gen = Generator::new(&bindings.ctx.registry, &names, seed);
    let mut errors = 0u64;
    let stderr = std::io::stderr();
    let mut line = String::new();
    for i in start..start.saturating_add(count) {
        let call = match calls {
            Calls::Generated { .. } => gen.call(i),
            Calls::Listed(lines) => super::gen::Call {
                function: "listed".into(),
                source: lines[i as usize].clone(),
            },
        };
        line.clear();
        line.push_str(CALL_MARK);
        line.push_str(&format!("{i} {errors} {} {}\n", call.function, call.source));
        // One write per line, so the runner never reads half of one.
        stderr
            .lock()
            .write_all(line.as_bytes())
            .map_err(|e| e.to_string())?;
        if lua
            .load(call.source.as_str())
            .set_name("=fuzz")
            .exec()
            .is_err()
        {
            errors += 1;
        }
        crate::arena::end_frame();
    }
    stderr
        .lock()
        .write_all(format!("{DONE_MARK}{count} {errors}\n").as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(())
}
