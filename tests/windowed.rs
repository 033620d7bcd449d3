//! The windowed backend (GLFW/X11 + OpenGL) on a virtual X server (Xvfb with Mesa's software
//! OpenGL): the same scene must give the same screenshot as the headless backend.

mod common;

use std::process::{Child, Command, Stdio};

use common::{Game, Pixels};

struct Xvfb(Child, String);

impl Xvfb {
    fn start() -> Xvfb {
        // One display per test: the tests of this file run in parallel.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let display = format!(":{}", 90 + (std::process::id() % 500) * 2 + n);
        let child = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "640x480x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is needed for the windowed test (Debian package xvfb)");
        std::thread::sleep(std::time::Duration::from_millis(700));
        Xvfb(child, display)
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `game` on the windowed backend on `xvfb` for 3 frames, saving the last to `shot`.
fn run_windowed(game: &Game, xvfb: &Xvfb, shot: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .args([
            "run",
            game.dir.to_str().unwrap(),
            "--window",
            "--frames",
            "3",
        ])
        .args(["--screenshot", shot.to_str().unwrap()])
        .env("DISPLAY", &xvfb.1)
        .output()
        .unwrap()
}

#[test]
fn windowed_and_headless_draw_the_same_picture() {
    let game = Game::new(
        r#"
rl.InitWindow(160, 100, "both")
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(rl.RAYWHITE)
  rl.DrawRectangle(10, 10, 40, 30, rl.RED)
  rl.DrawRectangleRec({100, 50, 40, 30}, rl.BLUE)
  rl.EndDrawing()
end
rl.CloseWindow()
print(lunaray.backend)
"#,
    );
    let xvfb = Xvfb::start();
    let win_shot = game.path("win.png");
    let out = run_windowed(&game, &xvfb, &win_shot);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("windowed"));
    let head_shot = game.path("head.png");
    game.run_ok(&["--frames", "3", "--screenshot", head_shot.to_str().unwrap()]);
    let (w, h) = (Pixels::load(&win_shot), Pixels::load(&head_shot));
    assert_eq!((w.width, w.height), (h.width, h.height));
    for (x, y, rgba) in [
        (5, 5, [245, 245, 245, 255]),
        (20, 20, [230, 41, 55, 255]),
        (120, 60, [0, 121, 241, 255]),
        (150, 95, [245, 245, 245, 255]),
    ] {
        assert_eq!(w.at(x, y), rgba, "windowed at ({x}, {y})");
        assert_eq!(h.at(x, y), rgba, "headless at ({x}, {y})");
    }
}

/// On OpenGL too, an error deep inside the game's drawing state (3D mode, a pushed matrix, a
/// scissor rectangle, a render texture) leaves a readable error screen, the same one the
/// headless backend draws.
#[test]
fn windowed_error_screen_after_an_error_deep_in_drawing_state() {
    let game = Game::new(
        r#"
rl.InitWindow(320, 200, "error")
local target = rl.LoadRenderTexture(32, 32)
rl.BeginDrawing()
rl.ClearBackground(rl.BLUE)
rl.BeginMode3D(rl.Camera3D{position = {0, 2, 6}, target = {0, 0, 0}, up = {0, 1, 0}, fovy = 45})
rl.rlPushMatrix()
rl.rlTranslatef(50, 50, 0)
rl.BeginScissorMode(0, 0, 20, 20)
rl.BeginTextureMode(target)
error("deep inside")
"#,
    );
    let xvfb = Xvfb::start();
    let shots: Vec<_> = ["win.png", "head.png"]
        .iter()
        .map(|n| game.path(n))
        .collect();
    let out = run_windowed(&game, &xvfb, &shots[0]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("main.lua:11: deep inside\n"), "{stderr}");
    let head = game.run(&["--frames", "3", "--screenshot", shots[1].to_str().unwrap()]);
    assert_eq!(head.status.code(), Some(1));
    let (w, h) = (Pixels::load(&shots[0]), Pixels::load(&shots[1]));
    assert_eq!((w.width, w.height), (320, 200));
    // The error background everywhere outside the text, the title in its colour, on both.
    for px in [&w, &h] {
        assert_eq!(px.at(2, 2), [30, 34, 42, 255]);
        assert_eq!(px.at(300, 190), [30, 34, 42, 255]);
        let title = (24..56)
            .flat_map(|y| (30..130).map(move |x| (x, y)))
            .filter(|&(x, y)| px.at(x, y) == [255, 120, 120, 255])
            .count();
        assert!(title > 50, "the title 'Error' ({title} pixels)");
    }
}
