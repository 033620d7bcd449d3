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
