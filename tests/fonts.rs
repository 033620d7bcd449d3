//! Font loaders take NULL codepoints with a count, as raylib documents:
//! `LoadFontEx(path, size, nil, 255)` loads codepoints 32 to 286 (those the font has), `nil, 0`
//! the default 95; every other array's count is still checked against the array.

mod common;

use common::{script_lines, Game, Pixels, RED};

const FONT: &[u8] = include_bytes!("../assets/pixel_operator.ttf");

#[test]
fn nil_codepoints_with_a_count_load_that_many() {
    let game = Game::new(
        r#"
rl.SetTraceLogLevel(rl.LOG_ERROR)
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
rl.InitWindow(64, 32, "fonts")
local wide = rl.LoadFontEx("font.ttf", 16, nil, 255)
local default = rl.LoadFontEx("font.ttf", 16, nil, 0)
local two = rl.LoadFontEx("font.ttf", 16, {65, 233}, 2)
print(wide.glyphCount, default.glyphCount, two.glyphCount)
-- 'é' (233) is among the first 255 from 32, not among the default 95.
print(rl.GetGlyphIndex(wide, 233) > 0, rl.GetGlyphInfo(wide, 233).value,
  rl.GetGlyphInfo(default, 233).value)
local data, size = rl.LoadFileData("font.ttf")
local mem = rl.LoadFontFromMemory(".ttf", data, size, 16, nil, 255)
print(mem.glyphCount)
local glyphs, count = rl.LoadFontData(data, size, 16, nil, 255, rl.FONT_DEFAULT)
print(count)
rl.UnloadFontData(glyphs, count)
rl.UnloadFileData(data)
-- Still checked: a count past the array, a negative count, one past Unicode, and arrays
-- elsewhere that nil cannot stand for.
err(function() rl.LoadFontEx("font.ttf", 16, {65, 66}, 5) end)
err(function() rl.LoadFontEx("font.ttf", 16, nil, -1) end)
err(function() rl.LoadFontEx("font.ttf", 16, nil, 2000000) end)
err(function() rl.DrawTriangleFan(nil, 3, rl.RED) end)
rl.CloseWindow()
rl.InitWindow(64, 32, "fonts")
wide = rl.LoadFontEx("font.ttf", 16, nil, 255)
rl.BeginDrawing()
rl.ClearBackground(rl.RAYWHITE)
rl.DrawTextEx(wide, "\u{e9}\u{e9}\u{e9}", rl.Vector2(4, 4), 16, 1, rl.RED)
rl.EndDrawing()
"#,
    );
    game.file("font.ttf", FONT);
    let shot = game.path("shot.png");
    let out = game.run_ok(&["--frames", "1", "--screenshot", shot.to_str().unwrap()]);
    assert_eq!(
        script_lines(&out),
        [
            "189\t95\t2",
            "true\t233\t63",
            "189",
            "189",
            "main.lua:21: bad argument #4 to 'LoadFontEx' (count 5 outside the array's 2 elements)",
            "main.lua:22: bad argument #4 to 'LoadFontEx' (a count from 0 to 1114080 expected with nil codepoints, got -1: raylib loads that many codepoints from 32 up)",
            "main.lua:23: bad argument #4 to 'LoadFontEx' (a count from 0 to 1114080 expected with nil codepoints, got 2000000: raylib loads that many codepoints from 32 up)",
            "main.lua:24: bad argument #2 to 'DrawTriangleFan' (count 3 outside the array's 0 elements)",
        ]
    );
    // The three 'é' glyphs drew: red pixels where the text is.
    let px = Pixels::load(&shot);
    let red = (0..px.height)
        .flat_map(|y| (0..px.width).map(move |x| (x, y)))
        .filter(|&(x, y)| px.at(x, y) == RED)
        .count();
    assert!(red > 20, "{red} red pixels");
}

/// glyph 36 ('A') of the repository's font: a simple glyph of 2 contours, 64 bytes at this
/// offset of the file (its glyf table at 2516, loca format 0 at 2032, 241 glyphs).
const GLYPH_A: usize = 2516 + 2324;
const LOCA: usize = 2032;

fn edited(edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut f = FONT.to_vec();
    assert_eq!(&f[GLYPH_A..GLYPH_A + 2], &[0, 2], "glyph 36 has 2 contours");
    edit(&mut f);
    f
}

fn put16(f: &mut [u8], at: usize, v: u16) {
    f[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

#[test]
fn malformed_fonts_are_lua_errors_and_the_real_one_renders() {
    let game = Game::new(
        r#"
rl.SetTraceLogLevel(rl.LOG_ERROR)
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
rl.InitWindow(64, 32, "fonts")
err(function() rl.LoadFontEx("dir.ttf", 16, nil, 0) end)
err(function() rl.LoadFont("dir.ttf") end)
err(function() rl.LoadFontEx("loca.ttf", 16, nil, 0) end)
err(function() rl.LoadFontEx("flags.ttf", 16, {65}, 1) end)
err(function() rl.LoadFontEx("cycle.ttf", 16, nil, 95) end)
local data, size = rl.LoadFileData("cycle.otf")
err(function() rl.LoadFontFromMemory(".otf", data, size, 16, nil, 0) end)
err(function() rl.LoadFontData(data, size, 16, nil, 0, rl.FONT_SDF) end)
-- Not TrueType to raylib: no check (and no font either).
print(rl.LoadFontFromMemory(".fnt", data, size, 16, nil, 0).glyphCount)
rl.UnloadFileData(data)
err(function() rl.LoadFontEx("font.ttf", 16, {65}, 0) end)
err(function() rl.LoadFontEx("font.ttf", 16, {0x4E00}, 1) end)
err(function() rl.LoadFontEx("font.ttf", 0, nil, 0) end)
err(function() rl.LoadFontEx("font.ttf", 2000, nil, 0) end)
-- raygui's text styles load their font through the same check: a refused one leaves
-- raygui's default font (10 pixels), a good one loads.
rl.GuiLoadStyle("cycle.rgs")
print(rl.GuiGetFont().baseSize)
rl.GuiLoadStyle("good.rgs")
print(rl.GuiGetFont().baseSize, rl.GuiGetFont().glyphCount)
local font = rl.LoadFont("font.ttf")
print(font.baseSize, font.glyphCount)
rl.BeginDrawing()
rl.ClearBackground(rl.RAYWHITE)
rl.DrawTextEx(font, "Hi", rl.Vector2(2, 0), 32, 1, rl.RED)
rl.EndDrawing()
"#,
    );
    game.file("font.ttf", FONT);
    game.file("dir.ttf", &FONT[..100]);
    // The last loca entry (format 0: half the offset) one word past glyf's 12312 bytes.
    game.file(
        "loca.ttf",
        &edited(|f| put16(f, LOCA + 2 * 241, 12312 / 2 + 1)),
    );
    // 'A' claims 65536 points, its first flag repeated 255 times: its flags run out.
    game.file(
        "flags.ttf",
        &edited(|f| {
            put16(f, GLYPH_A + 12, 0xffff);
            let ins = u16::from_be_bytes([f[GLYPH_A + 14], f[GLYPH_A + 15]]) as usize;
            f[GLYPH_A + 16 + ins] = 0x39;
            f[GLYPH_A + 17 + ins] = 255;
        }),
    );
    // 'A' made a composite of itself.
    let cycle = edited(|f| {
        put16(f, GLYPH_A, 0xffff);
        put16(f, GLYPH_A + 10, 0x0002);
        put16(f, GLYPH_A + 12, 36);
        put16(f, GLYPH_A + 14, 0);
    });
    game.file("cycle.ttf", &cycle);
    game.file("cycle.otf", &cycle);
    game.file("cycle.rgs", b"#\nf 16 0 cycle.ttf\n");
    game.file("good.rgs", b"#\nf 16 0 font.ttf\n");
    let shot = game.path("shot.png");
    let out = game.run(&["--frames", "1", "--screenshot", shot.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let safely = "not a font stb_truetype can read safely";
    assert_eq!(
        script_lines(&stdout),
        [
            format!("main.lua:5: bad argument #1 to 'LoadFontEx' ({safely}: the table directory (12 tables) runs past the end of the file (100 bytes))"),
            format!("main.lua:6: bad argument #1 to 'LoadFont' ({safely}: the table directory (12 tables) runs past the end of the file (100 bytes))"),
            format!("main.lua:7: bad argument #1 to 'LoadFontEx' ({safely}: loca puts glyph 240 at 12314, past the glyf table (12312 bytes))"),
            format!("main.lua:8: bad argument #1 to 'LoadFontEx' ({safely}: glyph 36's outline runs past its 64 bytes of glyf data (at its flags))"),
            format!("main.lua:9: bad argument #1 to 'LoadFontEx' ({safely}: composite glyph 36 includes itself (36 → 36): stb recurses forever)"),
            format!("main.lua:11: bad argument #2 to 'LoadFontFromMemory' ({safely}: composite glyph 36 includes itself (36 → 36): stb recurses forever)"),
            format!("main.lua:12: bad argument #1 to 'LoadFontData' ({safely}: composite glyph 36 includes itself (36 → 36): stb recurses forever)"),
            "224".to_string(),
            "main.lua:16: bad argument #4 to 'LoadFontEx' (a count of 0 with codepoints: raylib then reads 95 of them (pass nil codepoints for its default set))".to_string(),
            format!("main.lua:17: bad argument #1 to 'LoadFontEx' ({safely}: none of the codepoints asked for is in the font (raylib then packs 95 glyphs from an empty array))"),
            "main.lua:18: bad argument #2 to 'LoadFontEx' (fontSize must be from 1 to 1024: stb_truetype renders glyph bitmaps of that height, allocated unchecked)".to_string(),
            "main.lua:19: bad argument #2 to 'LoadFontEx' (fontSize must be from 1 to 1024: stb_truetype renders glyph bitmaps of that height, allocated unchecked)".to_string(),
            "10".to_string(),
            "16\t95".to_string(),
            "32\t95".to_string(),
        ]
    );
    assert!(
        stderr.contains("GuiLoadStyle: not loading") && stderr.contains("includes itself"),
        "{stderr}"
    );
    let px = Pixels::load(&shot);
    let red = (0..px.height)
        .flat_map(|y| (0..px.width).map(move |x| (x, y)))
        .filter(|&(x, y)| px.at(x, y) == RED)
        .count();
    assert!(red > 20, "{red} red pixels");
}

/// scripts/font_mutants (the valgrind replay of mutated fonts) runs: a few hundred mutated
/// copies of the font through the loaders, about half accepted into stb_truetype, no crash.
#[test]
fn mutated_fonts_load_or_are_refused() {
    let font = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/pixel_operator.ttf");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .args(["run", "scripts/font_mutants", "--headless"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FONT_MUTANTS_FONT", font)
        .env("FONT_MUTANTS", "400")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = script_lines(&stdout).pop().unwrap_or_default();
    let accepted: u32 = line
        .split(", ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        line.starts_with("font mutants: 400 loads") && accepted > 100,
        "{line}"
    );
}
