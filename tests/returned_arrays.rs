//! Pointers raylib returns with a length it states (`LoadImageColors`, `TextSplit`,
//! `LoadFontData`...) indexed as bounded arrays, and pointers read from struct fields
//! (`img.data`) alive only while their struct is: on the headless backend, against real
//! pixels.

mod common;

use common::{script_lines, Game, Pixels, BLUE, RED};

/// The idiom of raylib's textures_* examples: pixels read, changed in Lua, uploaded.
#[test]
fn pixels_changed_through_an_array_raylib_returned_reach_the_texture() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 32, "colors")
local img = rl.GenImageColor(64, 32, rl.RED)
local tex = rl.LoadTextureFromImage(img)
local px = rl.LoadImageColors(img)
assert(#px == 64 * 32)
-- The left half blue, as C would: px[y*width + x].
for y = 0, 31 do
  for x = 0, 31 do px[y * 64 + x] = rl.BLUE end
end
px[0].g = px[1].g
rl.UpdateTexture(tex, px)
rl.UnloadImageColors(px)
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.BLACK)
  rl.DrawTexture(tex, 0, 0, rl.WHITE)
  rl.EndDrawing()
end
"#,
    );
    let shot = game.path("shot.png");
    game.run_ok(&["--frames", "2", "--screenshot", shot.to_str().unwrap()]);
    let px = Pixels::load(&shot);
    assert_eq!(px.at(8, 16), BLUE);
    assert_eq!(px.at(56, 16), RED);
}

#[test]
fn lengths_bounds_lifetimes_and_what_cannot_be_written() {
    let game = Game::new(
        r#"
rl.SetTraceLogLevel(rl.LOG_WARNING)
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
rl.InitWindow(64, 64, "arrays")
local img = rl.GenImageColor(3, 2, rl.RED)
rl.ImageDrawPixel(img, 1, 0, rl.BLUE)
local px = rl.LoadImageColors(img)
print(#px, px[1].b, px[5].r)
err(function() return px[6] end)
err(function() return px[-1] end)
err(function() return px.r end)
err(function() px[0] = "red" end)
local first = px[0]
first.r = 7
print(px[0].r)
local parts, n = rl.TextSplit("a,bb,c", 44)
print(n, #parts, lunaray.string(parts[1]))
err(function() parts[0] = parts[1] end)
local md5 = rl.ComputeMD5("abc")
print(#md5, string.format("%08x %08x", md5[0], md5[3]))
local seq = rl.LoadRandomSequence(5, 1, 5)
local sum = 0
for i = 0, #seq - 1 do sum = sum + seq[i] end
print(#seq, sum)
rl.UnloadRandomSequence(seq)
err(function() return seq[0] end)
rl.UnloadImageColors(px)
err(function() return px[0] end)
err(function() return first.r end)
err(function() return #px end)
err(function() return rl.MemAlloc(16)[0] end)
-- Glyphs: struct elements whose fields describe raylib's memory.
local data = rl.LoadFileData("font.ttf")
local glyphs, count = rl.LoadFontData(data, #data, 16, nil, 95, rl.FONT_DEFAULT)
print(count, #glyphs, glyphs[33].value, glyphs[33].image.width > 0)
err(function() glyphs[0] = glyphs[1] end)
err(function() glyphs[0].image.width = 100 end)
glyphs[0].advanceX = 3
print(glyphs[0].advanceX)
rl.UnloadFontData(glyphs, count)
err(function() return glyphs[0] end)
rl.UnloadFileData(data)
rl.CloseWindow()
"#,
    );
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/assets/pixel_operator.ttf"),
        game.path("font.ttf"),
    )
    .unwrap();
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(
        lines,
        [
            "6\t241\t230",
            "main.lua:9: index 6 out of range for Color[6] (0 to 5)",
            "main.lua:10: index -1 out of range for Color[6] (0 to 5)",
            "main.lua:11: Color[6] is indexed by integers from 0, got string",
            "main.lua:12: element 0: Color expected, got string",
            "7",
            "3\t3\tbb",
            "main.lua:18: the elements of a char * pointer are raylib's pointers: they cannot be written",
            "4\t98500190 727fe128",
            "5\t15",
            "main.lua:26: int pointer freed by UnloadRandomSequence: its elements are gone",
            "main.lua:28: Color pointer freed by UnloadImageColors: its elements are gone",
            "main.lua:29: view into an array raylib returned: the Color pointer it points into was freed by UnloadImageColors",
            "main.lua:30: Color pointer freed by UnloadImageColors: its elements are gone",
            "main.lua:31: void pointer has no element type: read its bytes with lunaray.string(ptr, len)",
            "95\t95\t65\ttrue",
            "main.lua:36: a GlyphInfo in an array raylib returned cannot be replaced: its fields describe raylib's memory (write its plain fields instead)",
            "main.lua:37: Image.width cannot be written through a view into raylib's memory: it describes raylib's memory (ids, sizes, formats)",
            "3",
            "main.lua:41: GlyphInfo pointer freed by UnloadFontData: its elements are gone",
        ]
    );
}

/// `UpdateTexture(tex, img.data)`, the C idiom, is checked against the image's pixels, and a
/// pointer read from a struct dies with it; pointers of unknown length never reach a read of
/// a computed size.
#[test]
fn field_pointers_live_as_long_as_their_struct() {
    let game = Game::new(
        r#"
rl.SetTraceLogLevel(rl.LOG_WARNING)
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
rl.InitWindow(64, 64, "fields")
local img = rl.GenImageColor(16, 16, rl.RED)
local tex = rl.LoadTextureFromImage(img)
local data = img.data
rl.UpdateTexture(tex, data)
local small = rl.GenImageColor(4, 4, rl.BLUE)
err(function() rl.UpdateTexture(tex, small.data) end)
err(function() rl.UpdateTexture(tex, rl.MemAlloc(8)) end)
err(function() rl.UpdateTexture(tex, rl.LoadImageColors(small)) end)
rl.UpdateTexture(tex, rl.LoadImageColors(img))
rl.UnloadImage(img)
err(function() rl.UpdateTexture(tex, data) end)
-- A copy of an image raylib made stands for it until either is unloaded.
local copy = rl.new("Image", small)
local copied = copy.data
print(lunaray.string(copied, 4) == lunaray.string(small.data, 4))
rl.UnloadImage(small)
err(function() local s = lunaray.string(copied, 4) end)
err(function() rl.rlMultMatrixf(rl.new("float[1]")) end)
rl.rlMultMatrixf(rl.new("float[16]"))
print(rl.rlSetShader, rl.rlEnableStatePointer, rl.rlSetRenderBatchActive, rl.rlLoadExtensions)
rl.CloseWindow()
"#,
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(
        lines,
        [
            "main.lua:10: bad argument #2 to 'UpdateTexture' (pixels holds 64 bytes, and raylib reads 1024 through it)",
            "main.lua:11: bad argument #2 to 'UpdateTexture' (pixels holds 8 bytes, and raylib reads 1024 through it)",
            "main.lua:12: bad argument #2 to 'UpdateTexture' (pixels holds 64 bytes, and raylib reads 1024 through it)",
            "main.lua:15: bad argument #2 to 'UpdateTexture' (void pointer expected, got void pointer freed by UnloadImage)",
            "true",
            "main.lua:21: bad argument #1 to 'string' (pointer expected, got freed void pointer)",
            "main.lua:22: bad argument #1 to 'rlMultMatrixf' (matf holds 4 bytes, and raylib reads 64 through it)",
            "nil\tnil\tnil\tnil",
        ]
    );
}
