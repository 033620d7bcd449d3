//! LuaJIT builds: the luajit-ffi mode (`marshal::peer`), raylib-lua's way of calling
//! raylib, which lunaray is measured against in the same process. It exists only where the
//! game holds `ffi` (`--ffi`), calls raylib with LuaJIT's own struct values, and switches
//! live with lunaray's modes.
#![cfg(feature = "luajit")]

mod common;

use common::{Game, Pixels, RED};

#[test]
fn the_peer_needs_ffi() {
    let game = Game::new("rl.InitWindow(40, 30, 'x') rl.CloseWindow()");
    let out = game.run(&["--frames", "1", "--marshal", "luajit-ffi"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--marshal luajit-ffi needs --ffi"),
        "stderr: {err}"
    );
    let game = Game::new(
        r#"
local ok, e = pcall(lunaray.mode, {marshal = "luajit-ffi"})
print(ok, e)
print(lunaray.mode().marshal)
"#,
    );
    let out = game.run_ok(&["--frames", "1"]);
    assert_eq!(
        common::script_lines(&out),
        [
            "false\tbad argument #1 to 'mode' (marshal = 'luajit-ffi' needs --ffi: it is LuaJIT's own FFI, which checks nothing)",
            "jit"
        ]
    );
}

/// The peer's results are raylib's, bit for bit as lunaray's; its values are LuaJIT's own
/// ctypes; values do not cross into it; switching back gives lunaray's functions again.
#[test]
fn the_peer_calls_raylib_through_luajit_ffi_with_its_own_values() {
    let game = Game::new(
        r#"
local ffi = require("ffi")
rl.InitWindow(64, 48, "peer")
local lunaray_add, end_drawing = rl.Vector2Add, rl.EndDrawing
local a = rl.Vector2(1.5, -2.25)
local function bits(f) local u = ffi.new("float[1]", f) return ffi.cast("uint32_t*", u)[0] end
local function results()
  local v = rl.Vector2Add(rl.Vector2(0.1, 0.2), rl.Vector2(0.3, 0.4))
  local c = rl.ColorAlpha(rl.RED, 0.3)
  local m = rl.MatrixMultiply(rl.MatrixRotateZ(0.7), rl.MatrixTranslate(1, 2, 3))
  local hit = rl.CheckCollisionRecs(rl.Rectangle(0, 0, 10, 10), rl.Rectangle(9.5, 9.5, 4, 4))
  return table.concat({bits(v.x), bits(v.y), c.r, c.g, c.b, c.a, bits(m.m0), bits(m.m12),
    bits(m.m13), tostring(hit), rl.TextLength("lunaray"), rl.GetRandomValue(7, 7)}, " ")
end
local mine = results()
lunaray.mode{marshal = "luajit-ffi"}
print(lunaray.mode().marshal)
print(results() == mine, rl.Vector2Add ~= lunaray_add, rl.EndDrawing == end_drawing)
local b = rl.Vector2(3, 4)
print(ffi.istype("Vector2", b), ffi.istype("Color", rl.RED), ffi.istype("Vector2", a))
print(pcall(rl.Vector2Add, a, b))
local r = rl.new("Rectangle", {x = 1, y = 2, width = 3, height = 4})
print(r.x + r.y + r.width + r.height)
lunaray.mode{marshal = "planned"}
print(lunaray.mode().marshal, rl.Vector2Add == lunaray_add, results() == mine)
print(pcall(rl.Vector2Add, a, b))
lunaray.mode{marshal = "luajit-ffi"}
-- The runtime's hooks stay: the loop ends after --frames, and the last frame is captured.
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  rl.DrawCircleV(rl.Vector2(32, 24), 10, rl.RED)
  rl.EndDrawing()
end
rl.CloseWindow()
"#,
    );
    let shot = game.path("peer.png");
    let out = game.run_ok(&[
        "--ffi",
        "--frames",
        "2",
        "--screenshot",
        shot.to_str().unwrap(),
    ]);
    let lines = common::script_lines(&out);
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert_eq!(lines[0], "luajit-ffi");
    assert_eq!(
        lines[1], "true\ttrue\ttrue",
        "same results; rl's functions swapped, the runtime's kept"
    );
    assert_eq!(
        lines[2], "true\ttrue\tfalse",
        "the peer's values are LuaJIT's ctypes"
    );
    assert_eq!(
        lines[3],
        "false\tbad argument #1 to '?' (cannot convert 'struct lunaray_Vector2' to 'struct Vector2')",
        "a lunaray value is refused by LuaJIT, as raylib-lua refuses it"
    );
    assert_eq!(lines[4], "10");
    assert_eq!(
        lines[5], "planned\ttrue\ttrue",
        "lunaray's functions are back"
    );
    assert_eq!(
        lines[6],
        "false\tbad argument #2 to 'Vector2Add' (Vector2 expected, got cdata)"
    );
    // The game's loop runs in the peer: its pixels are raylib's.
    let px = Pixels::load(&shot);
    assert_eq!(px.at(32, 24), RED);
    assert_eq!(px.at(2, 2), common::RAYWHITE);
}

/// Key M (with Alt) goes on from jit to the peer where the game runs with `--ffi`, then back
/// to planned.
#[test]
fn key_m_cycles_through_the_peer_with_ffi() {
    let game = Game::new(
        r#"
local frame, EndDrawing = 0, rl.EndDrawing
function rl.EndDrawing()
  EndDrawing()
  frame = frame + 1
  print(frame, lunaray.mode().marshal)
  if frame % 2 == 1 then
    rl.PlayAutomationEvent(rl.new("AutomationEvent",
      {frame = frame, type = 2, params = {rl.KEY_LEFT_ALT, 0, 0, 0}}))
    rl.PlayAutomationEvent(rl.new("AutomationEvent",
      {frame = frame, type = 2, params = {rl.KEY_M, 0, 0, 0}}))
  else
    rl.PlayAutomationEvent(rl.new("AutomationEvent",
      {frame = frame, type = 1, params = {rl.KEY_M, 0, 0, 0}}))
  end
end
function lunaray.draw() end
"#,
    );
    let out = game.run_ok(&["--ffi", "--overlay", "--frames", "9"]);
    let modes: Vec<String> = common::script_lines(&out)
        .iter()
        .map(|l| l.split('\t').nth(1).unwrap_or_default().to_string())
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for m in modes {
        if seen.last() != Some(&m) {
            seen.push(m);
        }
    }
    assert_eq!(
        seen[..5],
        ["jit", "luajit-ffi", "planned", "naive", "jit"],
        "{seen:?}"
    );
}

/// An error in the peer's mode (here LuaJIT's own conversion error) gets lunaray's error
/// screen, which draws with lunaray's functions whatever the mode.
#[test]
fn an_error_in_the_peer_gets_the_error_screen() {
    let game = Game::new(
        r#"
lunaray.mode{marshal = "luajit-ffi"}
function lunaray.draw()
  rl.DrawCircleV("nope", 10, rl.RED)
end
"#,
    );
    let shot = game.path("shot.png");
    let out = game.run(&[
        "--ffi",
        "--frames",
        "5",
        "--screenshot",
        shot.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .lines()
            .next()
            .unwrap_or_default()
            .starts_with("main.lua:4:"),
        "{stderr}"
    );
    let px = Pixels::load(&shot);
    assert_eq!(
        px.at(2, 2),
        [30, 34, 42, 255],
        "the error screen's background"
    );
}
