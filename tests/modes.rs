//! Call paths switched live from Lua and from the command line give the same results, and
//! `lunaray.stats()` reports frames, calls and arena use.

mod common;

use common::{script_lines, Game};

const SCRIPT: &str = r#"
rl.InitWindow(64, 64, "modes")
local function results()
  local v = rl.Vector2Add({1, 2}, rl.Vector2(3, 4))
  local hit, at = rl.CheckCollisionLines({0, 0}, {10, 10}, {0, 10}, {10, 0})
  local m = rl.MatrixMultiply(rl.MatrixTranslate(1, 2, 3), rl.MatrixScale(2, 2, 2))
  local img = rl.GenImageColor(4, 4, rl.RED)
  rl.ImageResize(img, 8, 2)
  local c = rl.GetImageColor(img, 1, 1)
  local w, h = img.width, img.height
  rl.UnloadImage(img)
  return table.concat({tostring(v), tostring(hit), tostring(at), m.m12, m.m0,
    w, h, tostring(c), rl.TextToUpper("abc"), rl.MeasureText("lunaray", 10)}, " ")
end
local modes = {
  {marshal = "planned", arena = "frame", direct = true},
  {marshal = "planned", arena = "frame", direct = false},
  {marshal = "planned", arena = "heap", direct = true},
  {marshal = "naive", arena = "heap", direct = true},
  {marshal = "naive", arena = "frame", direct = true},
}
local first
for _, m in ipairs(modes) do
  lunaray.mode(m)
  local now = lunaray.mode()
  assert(now.marshal == m.marshal and now.arena == m.arena and now.direct == m.direct)
  local r = results()
  first = first or r
  assert(r == first, m.marshal .. "/" .. m.arena .. ": " .. r .. " ~= " .. first)
end
print(first)
local ok, err = pcall(lunaray.mode, {marshal = "fast"})
local expected = jit and "marshal must be 'planned', 'naive', 'jit' or 'luajit-ffi'"
  or "marshal must be 'planned' or 'naive'"
assert(not ok and err:find(expected, 1, true), err)
lunaray.mode{marshal = "planned", arena = "frame"}
-- stats: frames presented, calls in the last frame, arena bytes
for i = 1, 3 do
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  for j = 1, 10 do rl.DrawRectangleRec({j, j, 4, 4}, rl.RED) end
  -- Tables standing in for structs go straight into the call frame; an array of points
  -- takes arena scratch.
  rl.DrawTriangleFan({{0, 0}, {4, 0}, {4, 4}}, nil, rl.RED)
  rl.EndDrawing()
end
local s = lunaray.stats()
assert(s.frames == 3, s.frames)
assert(s.ffi_calls >= 12, s.ffi_calls)            -- BeginDrawing, ClearBackground, 10 rects
assert(s.arena_bytes > 0 and s.arena_peak >= s.arena_bytes)
print("stats ok")
rl.CloseWindow()
"#;

#[test]
fn every_call_path_gives_the_same_results() {
    let game = Game::new(SCRIPT);
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("Vector2(x=4, y=6) true Vector2(x=5, y=5) "),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], "stats ok");
}

#[test]
fn command_line_modes_reach_the_script() {
    let game = Game::new("local m = lunaray.mode() print(m.marshal, m.arena)\n");
    let lines = script_lines(&game.run_ok(&["--marshal", "naive", "--arena", "heap"]));
    assert_eq!(lines, ["naive\theap"]);
}

#[cfg(not(feature = "luajit"))]
#[test]
fn jit_mode_is_refused_on_lua54() {
    let game = Game::new(
        "local ok, err = pcall(lunaray.mode, {marshal = 'jit'})\n\
         print(ok, err)\n\
         print(lunaray.mode().marshal)\n",
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("false\t")
            && lines[0].contains("'mode'")
            && lines[0].contains("marshal = 'jit' needs the LuaJIT build of lunaray"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], "planned");
}
