//! Games written as callbacks (LÖVE style): conf.lua, lunaray.load/update/draw, events, quit,
//! the fixed timestep, a replaced lunaray.run, and the game that shows nothing.

mod common;

use common::{Game, Pixels, EVENT_PLAYER, RAYWHITE, RED};

#[test]
fn conf_load_update_draw_and_quit_run_in_order() {
    let game = Game::new(
        r#"
local calls, frames, dts = {}, 0, {}
local function log(s) if #calls < 12 then calls[#calls + 1] = s end end
function lunaray.load(a) log("load:" .. tostring(a[1])) end
function lunaray.update(dt)
  frames = frames + 1
  dts[#dts + 1] = dt
  log("update")
end
function lunaray.draw()
  log("draw")
  rl.DrawRectangle(10, 10, 40, 30, rl.RED)
end
function lunaray.quit()
  log("quit")
  print(table.concat(calls, " "))
  print("frames", frames, "size", rl.GetScreenWidth(), rl.GetScreenHeight())
  print("dt number", type(dts[2]) == "number" and dts[2] >= 0)
end
"#,
    );
    game.file(
        "conf.lua",
        br#"
function lunaray.conf(t)
  t.width, t.height = 320, 200
  t.title = "callbacks"
  t.fps = 0
end
"#,
    );
    let shot = game.path("shot.png");
    let out = game.run_ok(&[
        "--frames",
        "4",
        "--screenshot",
        shot.to_str().unwrap(),
        "--",
        "hello",
    ]);
    let lines = common::script_lines(&out);
    assert_eq!(
        lines,
        [
            "load:hello update draw update draw update draw update draw quit",
            "frames\t4\tsize\t320\t200",
            "dt number\ttrue",
        ]
    );
    let px = Pixels::load(&shot);
    assert_eq!((px.width, px.height), (320, 200), "conf's size");
    assert_eq!(px.at(20, 20), RED, "drawn by lunaray.draw");
    assert_eq!(
        px.at(200, 150),
        RAYWHITE,
        "cleared with conf's default background"
    );
}

#[test]
fn events_reach_their_callbacks() {
    let game = Game::new(&format!(
        r#"
-- 2 INPUT_KEY_DOWN, 1 INPUT_KEY_UP, 7 INPUT_MOUSE_POSITION, 6 INPUT_MOUSE_BUTTON_DOWN,
-- 8 INPUT_MOUSE_WHEEL_MOTION
EVENTS = {{
  [1] = {{{{2, rl.KEY_A}}, {{2, rl.KEY_B}}}},
  [2] = {{{{1, rl.KEY_A}}, {{7, 100, 50}}}},
  [3] = {{{{6, rl.MOUSE_BUTTON_RIGHT}}, {{8, 0, 2}}}},
}}
{EVENT_PLAYER}
local seen = {{}}
local function once(s) if not seen[s] then seen[s] = true; seen[#seen + 1] = s end end
function lunaray.keypressed(k) once("pressed " .. k) end
function lunaray.keyreleased(k) once("released " .. k) end
function lunaray.mousepressed(x, y, b) once(("mouse %d,%d button %d"):format(x, y, b)) end
function lunaray.mousemoved(x, y, dx, dy) once(("moved to %d,%d"):format(x, y)) end
function lunaray.wheelmoved(dx, dy) once(("wheel %g %g"):format(dx, dy)) end
function lunaray.draw() end
function lunaray.quit() print(table.concat(seen, "; ")) end
"#
    ));
    let out = game.run_ok(&["--frames", "6"]);
    assert_eq!(
        common::script_lines(&out),
        ["pressed 65; pressed 66; released 65; moved to 100,50; mouse 100,50 button 1; wheel 0 2"]
    );
}

#[test]
fn quit_returning_true_keeps_the_game_running() {
    let game = Game::new(&format!(
        r#"
EVENTS = {{ [2] = {{{{18}}}} }} -- WINDOW_CLOSE
{EVENT_PLAYER}
local frames, quits = 0, 0
function lunaray.update() frames = frames + 1 end
function lunaray.quit()
  quits = quits + 1
  if quits < 3 then return true end
  print("quit", quits, "after frame", frames)
end
"#
    ));
    let out = game.run_ok(&["--frames", "50"]);
    assert_eq!(common::script_lines(&out), ["quit\t3\tafter frame\t4"]);
}

#[test]
fn fixed_timestep_updates_with_the_fixed_dt() {
    let game = Game::new(
        r#"
local steps, other = 0, 0
function lunaray.conf(t) t.fixed_dt = 1 / 240; t.fps = 60 end
function lunaray.update(dt)
  if dt == 1 / 240 then steps = steps + 1 else other = other + 1 end
end
function lunaray.quit() print(steps > 10, other) end
"#,
    );
    let out = game.run_ok(&["--frames", "12"]);
    assert_eq!(common::script_lines(&out), ["true\t0"]);
}

#[test]
fn a_game_can_replace_the_loop() {
    let game = Game::new(
        r#"
function lunaray.run()
  rl.InitWindow(64, 48, "own run")
  local n = 0
  while not rl.WindowShouldClose() do
    rl.BeginDrawing(); rl.ClearBackground(rl.BLUE); rl.EndDrawing()
    n = n + 1
  end
  rl.CloseWindow()
  print("own loop ran", n)
end
"#,
    );
    let out = game.run_ok(&["--frames", "3"]);
    assert_eq!(common::script_lines(&out), ["own loop ran\t3"]);
}

#[test]
fn a_script_with_its_own_loop_is_untouched() {
    let game = Game::new(
        r#"
function lunaray.draw() error("never called: the script owns its loop") end
rl.InitWindow(64, 48, "raw")
while not rl.WindowShouldClose() do rl.BeginDrawing(); rl.EndDrawing() end
rl.CloseWindow()
print("done")
"#,
    );
    assert_eq!(
        common::script_lines(&game.run_ok(&["--frames", "2"])),
        ["done"]
    );
}

#[test]
fn a_game_that_shows_nothing_says_so() {
    let game = Game::new("local x = 1 + 1\n");
    let out = game.run(&[]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "lunaray: main.lua opened no window and defined no lunaray.draw \
         (nothing was shown; see docs/callbacks.md)"
    );
}

#[test]
fn restart_hands_a_value_to_the_next_run() {
    let game = Game::new(
        r#"
function lunaray.load(arg, cookie)
  if cookie == nil then
    print("first run")
    print(select(2, pcall(lunaray.restart, {f = print})))
    lunaray.restart({n = 1, s = "two\n\"lines\"", list = {true, 2.5, -1/0}})
  end
  print("second run", cookie.n, cookie.s == "two\n\"lines\"", cookie.list[1],
    cookie.list[2], cookie.list[3], lunaray.cookie == cookie)
end
function lunaray.draw() end
"#,
    );
    let out = game.run_ok(&["--frames", "2"]);
    assert_eq!(
        common::script_lines(&out),
        [
            "first run",
            "lunaray.restart: a function cannot be handed to the next run (nil, booleans, \
             numbers, strings and tables of them can)",
            "second run\t1\ttrue\ttrue\t2.5\t-inf\ttrue",
        ]
    );
}

#[test]
fn saves_go_to_a_folder_of_the_games_own() {
    let game = Game::new(
        r#"
local dir = lunaray.save_dir()
local f = assert(io.open(dir .. "/slot1.sav", "w"))
f:write("level 3") f:close()
print(lunaray.name, dir)
"#,
    );
    let data = game.path("data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .args(["run", game.dir.to_str().unwrap(), "--headless"])
        .env("XDG_DATA_HOME", &data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name = game.dir.file_name().unwrap().to_str().unwrap();
    let folder = data.join("lunaray").join(name);
    assert_eq!(
        common::script_lines(&String::from_utf8_lossy(&out.stdout)),
        [format!("{name}\t{}", folder.display())]
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("slot1.sav")).unwrap(),
        "level 3"
    );
    // conf's identity names the folder instead.
    game.file(
        "conf.lua",
        b"function lunaray.conf(t) t.identity = 'my saves' end\n",
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .args(["run", game.dir.to_str().unwrap(), "--headless"])
        .env("XDG_DATA_HOME", &data)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(data
        .join("lunaray")
        .join("my_saves")
        .join("slot1.sav")
        .is_file());
}
