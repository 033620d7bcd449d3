//! Typed buffers (`rl.new("Color[?]", n)`): 0-based bounds-checked elements, `#`, struct
//! elements as views, and passing where C takes an array with a count or one element.

mod common;

use common::{script_lines, Game, Pixels, BLACK, RED};

#[test]
fn buffers_index_from_zero_and_check_bounds() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 64, "buffers")
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
local px = rl.new("Color[?]", 4)
print(#px, (tostring(px):match("^Color%[4%]")))
px[0] = rl.RAYWHITE
px[3] = {1, 2, 3, 4}
print(px[0].r, px[3].a, px[1].r)
-- struct elements are views into the buffer
local second = px[1]
second.g = 77
print(px[1].g)
err(function() return px[4] end)
err(function() px[-1] = rl.RED end)
err(function() return px.x end)
err(function() px[0] = 5 end)
local f = rl.new("float[1]", 2.5)
print(#f, f[0])
local ints = rl.new("int[4]", {1, 2, 3, 4})
print(ints[0] + ints[3], #rl.new("unsigned char[?]", 0))
err(function() local _ = rl.new("int[2]", {1, 2, 3}) end)
err(function() local _ = rl.new("Nope[?]", 2) end)
err(function() local _ = rl.new("Color[?]", -1) end)
err(function() local _ = rl.new("Color[?]", math.floor(2^40)) end)
-- One element where C writes one: rlgl's texture format mapping, C's own answer.
local a, b, c = rl.new("unsigned int[1]"), rl.new("unsigned int[1]"), rl.new("unsigned int[1]")
rl.rlGetGlTextureFormats(rl.PIXELFORMAT_UNCOMPRESSED_R8G8B8A8, a, b, c)
print(a[0], b[0], c[0])
err(function() rl.rlGetGlTextureFormats(7, rl.new("unsigned int[0]"), b, c) end)
err(function() rl.rlGetGlTextureFormats(7, rl.new("int[1]"), b, c) end)
-- No buffer where C writes a string of its own length.
err(function() rl.TextCopy(rl.new("char[8]"), "much longer than eight") end)
-- Arrays with counts: the count is checked against the buffer.
local pts = rl.new("Vector2[?]", 3, {{0, 0}, {40, 0}, {40, 40}})
err(function() rl.DrawTriangleFan(pts, 4, rl.RED) end)
err(function() rl.DrawTriangleFan(rl.new("float[6]"), nil, rl.RED) end)
-- Buffers are Lua values: collected when unreachable, never while C holds them.
for _ = 1, 2000 do local t = rl.new("Color[?]", 64); t[63] = rl.RED end
collectgarbage()
rl.CloseWindow()
print("ok")
"#,
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(
        lines,
        [
            "4\tColor[4]",
            "245\t4\t0",
            "77",
            "main.lua:13: index 4 out of range for Color[4] (0 to 3)",
            "main.lua:14: index -1 out of range for Color[4] (0 to 3)",
            "main.lua:15: Color[4] is indexed by integers from 0, got string",
            "main.lua:16: element 0: Color expected, got number",
            "1\t2.5",
            "5\t0",
            "main.lua:21: bad argument #2 to 'new' (3 initialisers for int[2])",
            "main.lua:22: bad argument #1 to 'new' (unknown buffer type 'Nope[?]')",
            "main.lua:23: bad argument #2 to 'new' (element count (a non-negative integer) expected, got number)",
            "main.lua:24: bad argument #2 to 'new' (Color[1099511627776] is larger than 256 MiB)",
            "6408\t6408\t5121",
            "main.lua:29: bad argument #2 to 'rlGetGlTextureFormats' (unsigned int pointer expected, got unsigned int[0])",
            "main.lua:30: bad argument #2 to 'rlGetGlTextureFormats' (unsigned int pointer expected, got int[1])",
            "main.lua:32: bad argument #1 to 'TextCopy' (char pointer expected, got char[8])",
            "main.lua:35: bad argument #2 to 'DrawTriangleFan' (count 4 outside the array's 3 elements)",
            "main.lua:36: bad argument #1 to 'DrawTriangleFan' (table expected, got float[6])",
            "ok",
        ]
    );
}

#[test]
fn a_point_buffer_draws_like_a_table_of_points() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 64, "buffer pixels")
local pts = rl.new("Vector2[?]", 4)
pts[0], pts[1], pts[2], pts[3] = {10, 10}, {10, 50}, {50, 50}, {50, 10}
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.BLACK)
  rl.DrawTriangleFan(pts, nil, rl.RED)
  rl.EndDrawing()
end
rl.CloseWindow()
"#,
    );
    let shot = game.path("shot.png");
    game.run_ok(&["--frames", "2", "--screenshot", shot.to_str().unwrap()]);
    let px = Pixels::load(&shot);
    assert_eq!(px.at(30, 30), RED, "inside the quad");
    assert_eq!(px.at(12, 48), RED);
    assert_eq!(px.at(5, 5), BLACK, "outside");
    assert_eq!(px.at(55, 30), BLACK);
}
