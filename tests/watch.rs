//! `lunaray run --watch` restarts the game when a file in its folder (or its .zip) changes, and
//! ends when the game ends normally.

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

/// A zip holding `main.lua` only.
fn zip_with_main(main_lua: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("main.lua", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(main_lua.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn watching_a_zipped_game_restarts_it_when_the_archive_is_replaced() {
    let dir = std::env::temp_dir().join(format!("lunaray-watch-zip-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // The game runs from its extracted copy: the stop file is named by its full path.
    let stop = dir.join("stop");
    let game = |v: &str| {
        GAME.replace("VERSION", v).replace(
            "io.open(\"stop\"",
            &format!("io.open({:?}", stop.to_str().unwrap()),
        )
    };
    let zip = dir.join("game.zip");
    std::fs::write(&zip, zip_with_main(&game("z1"))).unwrap();
    let mut watch = Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .args(["run", zip.to_str().unwrap(), "--watch", "--headless"])
        .env_remove("DISPLAY")
        .env("XDG_CACHE_HOME", dir.join("cache"))
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
    wait_for("z1");
    // Archivers write a new file and rename it over the old one.
    let tmp = dir.join("game.zip.new");
    std::fs::write(&tmp, zip_with_main(&game("z2"))).unwrap();
    std::fs::rename(&tmp, &zip).unwrap();
    wait_for("z2");
    std::fs::write(&stop, "").unwrap();
    let status = watch.wait().unwrap();
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_dir_all(&dir);
}
