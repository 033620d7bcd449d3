//! `lunaray run --watch` restarts the game when a file in its folder changes, and ends when
//! the game ends normally.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const GAME: &str = r#"
print("VERSION")
io.stdout:flush()
rl.InitWindow(64, 64, "watch")
local function stop_asked()
  local f = io.open("stop", "r")
  if f then f:close() return true end
  return false
end
while not rl.WindowShouldClose() and not stop_asked() do
  rl.BeginDrawing() rl.EndDrawing()
end
rl.CloseWindow()
"#;

#[test]
fn watch_restarts_on_change_and_ends_with_the_game() {
    let dir = std::env::temp_dir().join(format!("lunaray-watch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.lua"), GAME.replace("VERSION", "v1")).unwrap();
    let mut watch = Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .args(["run", dir.to_str().unwrap(), "--watch", "--headless"])
        .env_remove("DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = watch.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let wait_for = |want: &str| loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line == want => return,
            Ok(_) => continue,
            Err(e) => panic!("never saw {want:?}: {e}"),
        }
    };
    wait_for("v1");
    std::fs::write(dir.join("main.lua"), GAME.replace("VERSION", "v2")).unwrap();
    wait_for("v2");
    // The game ends normally: so does the watch.
    std::fs::write(dir.join("stop"), "").unwrap();
    let status = watch.wait().unwrap();
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_dir_all(&dir);
}
