//! Memory a script cannot run away with: the Lua state's limit (`--memory-limit`, 1 GiB by
//! default) makes running out a catchable "not enough memory", typed buffers included; and
//! call temporaries made outside frames (before the first, or by a script that never draws)
//! are released as they pile up, not kept until a frame end that never comes.

mod common;

use common::{script_lines, Game};

#[test]
fn running_out_of_memory_is_a_catchable_error() {
    let game = Game::new(
        r#"
local t = {}
local ok, e = pcall(function()
  local s = string.rep("x", 1000)
  for i = 1, 1e9 do t[i] = s .. i end
end)
-- Nothing is freed until the game lets go (LuaJIT has no emergency collection): then
-- the game goes on.
local n = #t
t = nil
collectgarbage()
print(ok, e)
print(n > 10000, lunaray.stats().memory_bytes <= 64 * 1024 * 1024)
-- A typed buffer counts against the limit, refused before it is allocated.
local ok2, e2 = pcall(rl.new, "Color[?]", 32 * 1024 * 1024)
print(ok2, e2)
-- The game goes on: a buffer that fits, and a frame.
print(#rl.new("Color[?]", 1024))
rl.InitWindow(32, 32, "memory")
rl.BeginDrawing() rl.ClearBackground(rl.RAYWHITE) rl.EndDrawing()
rl.CloseWindow()
print("done")
"#,
    );
    let out = game.run_ok(&["--memory-limit", "64"]);
    assert_eq!(
        script_lines(&out),
        [
            "false\tnot enough memory",
            "true\ttrue",
            "false\tbad argument #2 to 'new' (not enough memory: Color[33554432] needs 134217728 bytes, more than the 64 MiB memory limit leaves (--memory-limit))",
            "1024",
            "done",
        ]
    );
}

#[test]
fn the_default_limit_is_a_gib_and_zero_lifts_it() {
    let game = Game::new(
        r#"
-- 100 MiB of strings: within the default, and with no limit at all.
local t = {}
for i = 1, 100 do t[i] = string.rep(string.char(64 + i % 26), 1024 * 1024) end
print(#t)
local ok, e = pcall(rl.new, "unsigned char[?]", 200 * 1024 * 1024)
print(ok, ok or e)
"#,
    );
    assert_eq!(script_lines(&game.run_ok(&[])), ["100", "true\ttrue"]);
    assert_eq!(
        script_lines(&game.run_ok(&["--memory-limit", "0"])),
        ["100", "true\ttrue"]
    );
    assert_eq!(
        script_lines(&game.run_ok(&["--memory-limit", "150"])),
        [
            "100",
            "false\tbad argument #2 to 'new' (not enough memory: unsigned char[209715200] needs 209715200 bytes, more than the 150 MiB memory limit leaves (--memory-limit))"
        ]
    );
    let help = common::lunaray(&["run", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--memory-limit <MIB>"), "{help}");
    assert!(help.contains("[default: 1024]"), "{help}");
}

/// Resident memory of the running script's process, in KiB.
const RSS: &str = r#"
local function rss()
  for line in io.lines("/proc/self/status") do
    local kb = line:match("^VmRSS:%s+(%d+)")
    if kb then return tonumber(kb) end
  end
end
"#;

#[test]
fn temporaries_before_any_frame_stay_bounded() {
    // Each call converts a table into arena scratch (a point array); 2,000,000 of them hand
    // out 64 MB, which used to be held until a frame end this script never reaches.
    let game = Game::new(&format!(
        r#"{RSS}
local poly = {{{{0, 0}}, {{2, 0}}, {{2, 2}}}}
for i = 1, 100000 do rl.CheckCollisionPointPoly({{1, 1}}, poly, nil) end
local before = rss()
for i = 1, 2000000 do rl.CheckCollisionPointPoly({{1, 1}}, poly, nil) end
for i = 1, 1000000 do rl.Vector2Add({{1, 2}}, {{3, 4}}) end
collectgarbage()
local s = lunaray.stats()
print(s.frames, s.arena_held <= 16 * 1024 * 1024, s.arena_held, rss() - before < 16 * 1024, rss() - before)
"#
    ));
    let out = game.run(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = script_lines(&stdout).join("\n");
    assert!(line.starts_with("0\ttrue\t"), "{line}");
    let fields: Vec<&str> = line.split('\t').collect();
    assert_eq!(fields[3], "true", "RSS grew by {} KiB", fields[4]);
}
