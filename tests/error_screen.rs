//! The error screen: whatever state the game stopped in (inside 3D, scissor or texture mode,
//! before opening a window, a syntax error, an error in conf.lua), the last frame shows the
//! error, stderr has the message with a traceback free of lunaray's frames, and the exit
//! status is 1.

mod common;

use common::{Game, Pixels};

const BACKGROUND: [u8; 4] = [30, 34, 42, 255];
const TITLE: [u8; 4] = [255, 120, 120, 255];
const TEXT: [u8; 4] = [245, 245, 245, 255];

/// Runs the game headless with a screenshot; returns stderr and the screenshot.
fn fail(game: &Game) -> (String, Pixels) {
    let shot = game.path("shot.png");
    let out = game.run(&["--frames", "5", "--screenshot", shot.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit status 1; stderr:\n{stderr}"
    );
    assert!(
        shot.exists(),
        "a screenshot of the error screen; stderr:\n{stderr}"
    );
    (stderr, Pixels::load(&shot))
}

/// The screen shows the title in its colour over the error background, and message text.
fn assert_error_screen(px: &Pixels, what: &str) {
    assert_eq!(px.at(2, 2), BACKGROUND, "{what}: the error background");
    let count = |color: [u8; 4], x0: u32, y0: u32, x1: u32, y1: u32| {
        let mut n = 0;
        for y in y0..y1.min(px.height) {
            for x in x0..x1.min(px.width) {
                n += usize::from(px.at(x, y) == color);
            }
        }
        n
    };
    assert!(
        count(TITLE, 30, 24, 130, 56) > 50,
        "{what}: the title 'Error'"
    );
    assert!(
        count(TEXT, 30, 70, px.width, 92) > 30,
        "{what}: the message's first line"
    );
}

/// Lua's own message (worded differently by Lua 5.4 and LuaJIT): its start and the name it
/// mentions, on the first line.
fn assert_lua_message(stderr: &str, start: &str, name: &str) {
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(start) && first.contains(name) && first.contains("nil value"),
        "{stderr}"
    );
}

fn assert_traceback_clean(stderr: &str) {
    assert!(stderr.contains("stack traceback:"), "{stderr}");
    assert!(
        !stderr.contains("[lunaray"),
        "lunaray's own frames dropped:\n{stderr}"
    );
    assert!(
        !stderr.contains("[C]: in ?"),
        "[C]: in ? dropped:\n{stderr}"
    );
}

#[test]
fn an_error_inside_3d_mode_shows_the_error_screen() {
    let game = Game::new(
        r#"
rl.InitWindow(400, 300, "3d")
local camera = rl.Camera3D{position = {0, 2, 6}, target = {0, 0, 0}, up = {0, 1, 0}, fovy = 45}
rl.BeginDrawing()
rl.ClearBackground(rl.BLACK)
rl.BeginMode3D(camera)
rl.DrawCube({0, 0, 0}, 1, 1, 1, rl.RED)
error("lost in space")
"#,
    );
    let (stderr, px) = fail(&game);
    assert!(
        stderr.starts_with("main.lua:8: lost in space\n"),
        "{stderr}"
    );
    assert!(stderr.contains("main.lua:8: in main chunk"), "{stderr}");
    assert_traceback_clean(&stderr);
    assert_eq!((px.width, px.height), (400, 300));
    assert_error_screen(&px, "3D mode");
}

#[test]
fn an_error_inside_scissor_mode_shows_the_whole_screen() {
    let game = Game::new(
        r#"
rl.InitWindow(400, 300, "scissor")
rl.BeginDrawing()
rl.BeginScissorMode(0, 0, 100, 100)
local t = nil
print(t.field)
"#,
    );
    let (stderr, px) = fail(&game);
    assert_lua_message(&stderr, "main.lua:6: attempt to index", "'t'");
    assert_error_screen(&px, "scissor mode");
    assert_eq!(
        px.at(390, 290),
        BACKGROUND,
        "outside the old scissor rectangle"
    );
}

#[test]
fn an_error_inside_texture_mode_draws_on_the_window() {
    let game = Game::new(
        r#"
rl.InitWindow(400, 300, "texture")
local target = rl.LoadRenderTexture(64, 64)
for frame = 1, 2 do
  rl.BeginDrawing()
  rl.ClearBackground(rl.BLUE)
  rl.BeginTextureMode(target)
  rl.ClearBackground(rl.GREEN)
  if frame == 2 then error("in the render texture") end
  rl.EndTextureMode()
  rl.EndDrawing()
end
"#,
    );
    let (stderr, px) = fail(&game);
    assert!(
        stderr.starts_with("main.lua:9: in the render texture\n"),
        "{stderr}"
    );
    assert_error_screen(&px, "texture mode");
}

#[test]
fn a_syntax_error_opens_a_window_on_the_error_screen() {
    let game = Game::new("function broken(\nrl.InitWindow(10, 10, 'never')\n");
    let (stderr, px) = fail(&game);
    assert!(stderr.starts_with("main.lua:2: "), "{stderr}");
    assert_eq!((px.width, px.height), (800, 450), "the default size");
    assert_error_screen(&px, "syntax error");
}

#[test]
fn an_error_before_init_window_uses_the_conf_size() {
    let game = Game::new("local data = nil\nlocal n = #data\nrl.InitWindow(10, 10, 'never')\n");
    game.file(
        "conf.lua",
        b"function lunaray.conf(t) t.width, t.height = 640, 360 end\n",
    );
    let (stderr, px) = fail(&game);
    assert_lua_message(&stderr, "main.lua:2: attempt to get length", "'data'");
    assert_eq!((px.width, px.height), (640, 360), "conf's size");
    assert_error_screen(&px, "before InitWindow");
}

#[test]
fn an_error_in_conf_lua_is_shown_too() {
    let game = Game::new("function lunaray.draw() end\n");
    game.file(
        "conf.lua",
        b"function lunaray.conf(t)\n  t.width = t.nothing.width\nend\n",
    );
    let (stderr, px) = fail(&game);
    assert_lua_message(&stderr, "conf.lua:2: attempt to index", "'nothing'");
    assert_eq!((px.width, px.height), (800, 450));
    assert_error_screen(&px, "conf.lua");
}

#[test]
fn an_error_in_a_callback_names_the_callback_line() {
    let game = Game::new(
        r#"
local frames = 0
function lunaray.update(dt)
  frames = frames + 1
  if frames == 2 then error("update failed on frame " .. frames) end
end
"#,
    );
    let (stderr, px) = fail(&game);
    assert!(
        stderr.starts_with("main.lua:5: update failed on frame 2\n"),
        "{stderr}"
    );
    let frame = stderr.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("main.lua:5: in ") && (l.contains("update") || l.contains("main.lua:3"))
    });
    assert!(frame, "the callback's frame:\n{stderr}");
    assert_traceback_clean(&stderr);
    assert_error_screen(&px, "callback");
}

#[test]
fn long_messages_wrap_to_the_window() {
    let word = "word ".repeat(60);
    let game = Game::new(&format!(
        "rl.InitWindow(300, 300, 'wrap')\nerror('{word}')\n"
    ));
    let (_, px) = fail(&game);
    // The second and third lines of the wrapped message are drawn too.
    let text_on_row = |y0: u32| (y0..y0 + 16).any(|y| (30..270).any(|x| px.at(x, y) == TEXT));
    assert!(
        text_on_row(90) && text_on_row(110),
        "wrapped onto further lines"
    );
}

#[test]
fn headless_without_a_screenshot_prints_and_exits() {
    let game = Game::new("rl.InitWindow(100, 100, 'x')\nerror('plain')\n");
    let out = game.run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("main.lua:2: plain\n"), "{stderr}");
}

#[test]
fn an_error_inside_the_error_screen_falls_back_to_stderr() {
    // conf's width is no number: opening the error screen's window fails as well.
    let game = Game::new("error('first')\n");
    game.file(
        "conf.lua",
        b"function lunaray.conf(t) t.width = 'wide' end\n",
    );
    let out = game.run(&["--frames", "3", "--screenshot", "shot.png"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("main.lua:1: first\n"), "{stderr}");
    assert!(
        stderr.contains("lunaray: the error screen failed too: "),
        "{stderr}"
    );
}
