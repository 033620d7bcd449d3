//! raylib's automation events on the headless backend: the list raylib keeps and records
//! into is kept alive by lunaray, recording needs one, its count is checked against its
//! capacity, unloading it leaves raylib nothing freed to write into, and played events stay
//! inside raylib's input arrays.

mod common;

use common::{script_lines, Game};

#[test]
fn the_list_raylib_records_into_is_kept_and_checked() {
    let game = Game::new(
        r#"
rl.SetTraceLogLevel(rl.LOG_WARNING)
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
rl.InitWindow(64, 64, "automation")
err(function() rl.StartAutomationEventRecording() end)
err(function() rl.SetAutomationEventList({capacity = 16, count = 0}) end)
err(function() rl.PlayAutomationEvent(rl.new("AutomationEvent", {type = 2, params = {512}})) end)
err(function() rl.PlayAutomationEvent(rl.new("AutomationEvent", {type = 12, params = {0, 99}})) end)
err(function() rl.PlayAutomationEvent(rl.new("AutomationEvent", {type = 99})) end)
-- The list set is the only reference to it: lunaray keeps it alive while raylib holds it.
rl.SetAutomationEventList(rl.LoadAutomationEventList(nil))
collectgarbage() collectgarbage()
local list = rl.LoadAutomationEventList(nil)
rl.SetAutomationEventList(list)
collectgarbage() collectgarbage()
-- Mouse moves, played before each recorded frame, are what raylib records.
for frame = 1, 5 do
  rl.StopAutomationEventRecording()
  rl.PlayAutomationEvent(rl.new("AutomationEvent", {type = 7, params = {frame * 3, frame}}))
  rl.StartAutomationEventRecording()
  rl.BeginDrawing() rl.EndDrawing()
end
rl.StopAutomationEventRecording()
print(list.count > 0, list.capacity, list.events[0].type, #list.events == list.capacity)
print(rl.ExportAutomationEventList(list, "events.txt"), rl.FileExists("events.txt"))
local forged = rl.new("AutomationEventList", list)
forged.count = forged.capacity + 1
err(function() rl.ExportAutomationEventList(forged, "forged.txt") end)
-- Unloading a copy that shares the list's events: raylib is left an empty list.
local copy = rl.new("AutomationEventList", list)
rl.UnloadAutomationEventList(copy)
err(function() rl.StartAutomationEventRecording() end)
for _ = 1, 3 do rl.BeginDrawing() rl.EndDrawing() end
err(function() return list.events[0] end)
rl.CloseWindow()
print("ok")
"#,
    );
    let lines = script_lines(&game.run_ok(&[]));
    assert_eq!(
        lines,
        [
            "main.lua:5: no automation event list to record into: call rl.SetAutomationEventList(list) first",
            "main.lua:6: bad argument #1 to 'SetAutomationEventList' (AutomationEventList expected, got table)",
            "main.lua:7: bad argument #1 to 'PlayAutomationEvent' (event type 2 takes a key 0 to 511 in params[0], got 512: raylib indexes its input state with it unchecked)",
            "main.lua:8: bad argument #1 to 'PlayAutomationEvent' (event type 12 takes a gamepad button 0 to 31 in params[1], got 99: raylib indexes its input state with it unchecked)",
            "main.lua:9: bad argument #1 to 'PlayAutomationEvent' (event type 99 is none raylib knows (0 to 23): raylib names it from a table indexed unchecked)",
            "true\t16384\t7\ttrue",
            "true\ttrue",
            "main.lua:28: bad argument #1 to 'ExportAutomationEventList' (count 16385 is more than the list's capacity 16384: raylib reads count events)",
            "main.lua:32: no automation event list to record into: call rl.SetAutomationEventList(list) first",
            "main.lua:34: AutomationEventList.events: the AutomationEventList it points into is no longer one raylib made (a copy of an unloaded value, or changed where it describes its memory)",
            "ok",
        ]
    );
}
