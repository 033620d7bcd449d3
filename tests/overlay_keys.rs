//! The overlay's keys (held with Alt in a game): M and A switch the call path between frames (not mid-frame), O hides
//! the overlay, + and - scale the load scenes read with `lunaray.scale()`.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use lunaray::registry::Registry;
use lunaray::runtime::frames::FrameClock;
use lunaray::runtime::hooks::{self, FrameState};
use lunaray::runtime::libraries::{load, Backend};
use lunaray::runtime::modes::{current, Arena, Marshal};

#[test]
fn keys_switch_modes_between_frames() {
    let lib = load(Backend::Headless, None).unwrap();
    let lua = mlua::Lua::new();
    let bindings = lunaray::marshal::bind(&lua, Registry::raylib(), lib);
    let ctx = bindings.ctx;
    let state = Rc::new(RefCell::new(FrameState {
        clock: FrameClock::new(None, false),
        want_screenshot: false,
        capture: None,
        headless: true,
        overlay: true,
        overlay_visible: true,
        scale: 1.0,
        pending_marshal: None,
        pending_arena: None,
    }));
    let image = ctx.registry.struct_id("Image").unwrap() as u32;
    let runtime = hooks::runtime_table(&lua, &state, image, ctx).unwrap();
    let lunaray = lua.create_table().unwrap();
    hooks::add_frame_functions(&lua, &lunaray, &state, ctx).unwrap();
    let key: mlua::Function = runtime.get("key").unwrap();
    let frame_end: mlua::Function = runtime.get("frame_end").unwrap();
    let visible: mlua::Function = runtime.get("overlay_visible").unwrap();
    let scale: mlua::Function = lunaray.get("scale").unwrap();

    key.call::<()>("M").unwrap();
    key.call::<()>("A").unwrap();
    assert_eq!(
        current(&ctx.modes),
        (Marshal::Planned, Arena::Frame),
        "not mid-frame"
    );
    frame_end.call::<bool>(()).unwrap();
    assert_eq!(
        current(&ctx.modes),
        (Marshal::Naive, Arena::Heap),
        "after the frame"
    );
    key.call::<()>("M").unwrap();
    frame_end.call::<bool>(()).unwrap();
    assert_eq!(current(&ctx.modes), (Marshal::Planned, Arena::Heap));

    assert!(visible.call::<bool>(()).unwrap());
    key.call::<()>("O").unwrap();
    assert!(!visible.call::<bool>(()).unwrap(), "O hides the overlay");
    key.call::<()>("O").unwrap();
    assert!(visible.call::<bool>(()).unwrap());

    key.call::<()>("+").unwrap();
    key.call::<()>("+").unwrap();
    assert_eq!(scale.call::<f64>(()).unwrap(), 4.0);
    key.call::<()>("-").unwrap();
    assert_eq!(scale.call::<f64>(()).unwrap(), 2.0);
}

/// In a running game the overlay's keys are held with Alt: a plain M is the game's own key.
#[test]
fn overlay_keys_need_alt_so_games_keep_their_keys() {
    let game = common::Game::new(
        r#"
-- Events replayed after a frame's EndDrawing: 2 INPUT_KEY_DOWN, 1 INPUT_KEY_UP.
local EVENTS = {
  [1] = {{2, rl.KEY_M}},
  [2] = {{1, rl.KEY_M}},
  [3] = {{2, rl.KEY_LEFT_ALT}, {2, rl.KEY_M}},
}
local frame, EndDrawing = 0, rl.EndDrawing
function rl.EndDrawing()
  EndDrawing()
  frame = frame + 1
  print(frame, lunaray.mode().marshal)
  for _, ev in ipairs(EVENTS[frame] or {}) do
    rl.PlayAutomationEvent(rl.new("AutomationEvent",
      {frame = frame, type = ev[1], params = {ev[2], 0, 0, 0}}))
  end
end
function lunaray.draw() end
"#,
    );
    // Started in planned mode (LuaJIT builds start in jit): Alt+M goes on to naive.
    let out = game.run_ok(&["--overlay", "--frames", "5", "--marshal", "planned"]);
    assert_eq!(
        common::script_lines(&out),
        [
            "1\tplanned",
            "2\tplanned",
            "3\tplanned",
            "4\tnaive",
            "5\tnaive"
        ],
        "plain M (seen in frame 2) changes nothing; Alt+M (seen in frame 4) switches at its end"
    );
}
