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

/// The watched game's stdout, line by line, and a way to wait for a line.
struct Watched {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
}

impl Watched {
    fn start(game: &std::path::Path) -> Watched {
        Watched::start_with(game, &[])
    }

    /// `lunaray run GAME --watch --headless` with `env` set.
    fn start_with(game: &std::path::Path, env: &[(&str, &std::path::Path)]) -> Watched {
        Watched::start_args(game, &[], env)
    }

    /// The same with more options.
    fn start_args(
        game: &std::path::Path,
        extra: &[&str],
        env: &[(&str, &std::path::Path)],
    ) -> Watched {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lunaray"))
            .args(["run", game.to_str().unwrap(), "--watch", "--headless"])
            .args(extra)
            .env_remove("DISPLAY")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Watched { child, lines }
    }

    /// The first line starting with `prefix`.
    fn wait_for(&self, prefix: &str) -> String {
        loop {
            match self.lines.recv_timeout(Duration::from_secs(60)) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => continue,
                Err(e) => panic!("never saw {prefix:?}: {e}"),
            }
        }
    }
}

#[test]
fn watch_restarts_on_change_and_ends_with_the_game() {
    let dir = std::env::temp_dir().join(format!("lunaray-watch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.lua"), GAME.replace("VERSION", "v1")).unwrap();
    let mut watch = Watched::start(&dir);
    assert_eq!(watch.wait_for("v"), "v1");
    std::fs::write(dir.join("main.lua"), GAME.replace("VERSION", "v2")).unwrap();
    assert_eq!(watch.wait_for("v"), "v2");
    // The game ends normally: so does the watch.
    std::fs::write(dir.join("stop"), "").unwrap();
    let status = watch.child.wait().unwrap();
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_dir_all(&dir);
}

const HOT_MAIN: &str = r#"
local mover = require("mover")
function lunaray.reload(names) print("reloaded " .. names[1]) io.stdout:flush() end
rl.InitWindow(64, 64, "hot")
rl.SetTargetFPS(60)
local frames = 0
while not rl.WindowShouldClose() do
  frames = frames + 1
  mover.step()
  if frames % 10 == 0 then
    print(("tick %d %d %d"):format(frames, mover.state.n, mover.speed()))
    io.stdout:flush()
    if mover.speed() == 1000 then break end
  end
  rl.BeginDrawing() rl.EndDrawing()
end
rl.CloseWindow()
print(("end %d %d"):format(frames, mover.state.n))
"#;

const MOVER: &str = r#"
local M = {state = {n = 0}}
local function add(k) M.state.n = M.state.n + k end
function M.step() add(M.speed()) end
function M.speed() return SPEED end
return M
"#;

fn numbers(line: &str) -> Vec<i64> {
    line.split(' ').filter_map(|w| w.parse().ok()).collect()
}

#[test]
fn a_changed_module_is_swapped_in_and_the_game_keeps_its_state() {
    let dir = std::env::temp_dir().join(format!("lunaray-hot-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.lua"), HOT_MAIN).unwrap();
    std::fs::write(dir.join("mover.lua"), MOVER.replace("SPEED", "1")).unwrap();
    let mut game = Watched::start(&dir);
    let before = numbers(&game.wait_for("tick 20 "));
    assert_eq!(before, [20, 20, 1]);

    std::fs::write(dir.join("mover.lua"), MOVER.replace("SPEED", "1000")).unwrap();
    assert_eq!(game.wait_for("reloaded "), "reloaded mover");
    let after = numbers(&game.wait_for("tick "));
    let (frames, n, speed) = (after[0], after[1], after[2]);
    assert_eq!(speed, 1000, "the new function runs");
    assert!(
        frames > 20,
        "main.lua's frame counter kept counting: {after:?}"
    );
    // The module's state was kept (not reset to 0) and the new speed applies to it.
    assert!(
        n > 1000 && n < frames * 1000,
        "state kept across the swap: {after:?}"
    );
    assert_eq!(
        numbers(&game.wait_for("end ")),
        [frames, n],
        "ends after that tick"
    );
    assert!(game.child.wait().unwrap().success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hot_reload_loads_modules_through_the_sandbox() {
    let dir = std::env::temp_dir().join(format!("lunaray-hot-sandbox-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // No io in the sandbox: the game says it is running with a file in its save folder
    // (outside the watched folder, where a new file would restart it), and its output (not
    // flushed) is read when it ends.
    let main = HOT_MAIN.replace("io.stdout:flush()", "").replace(
        "if mover.speed() == 1000 then break end",
        "if mover.speed() == 1000 then break end\n    if frames == 20 then rl.SaveFileText(lunaray.save_dir() .. '/ready', 'yes') end",
    );
    std::fs::write(dir.join("main.lua"), main).unwrap();
    std::fs::write(dir.join("mover.lua"), MOVER.replace("SPEED", "1")).unwrap();
    let data = std::env::temp_dir().join(format!("lunaray-hot-data-{}", std::process::id()));
    let mut game = Watched::start_args(&dir, &["--sandbox"], &[("XDG_DATA_HOME", &data)]);
    let name = dir.file_name().unwrap();
    let ready = data.join("lunaray").join(name).join("ready");
    let started = std::time::Instant::now();
    while !ready.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the game never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::write(dir.join("mover.lua"), MOVER.replace("SPEED", "1000")).unwrap();
    assert_eq!(game.wait_for("reloaded "), "reloaded mover");
    let end = numbers(&game.wait_for("end "));
    assert!(
        end[0] > 20 && end[1] > 1000,
        "state kept across the swap: {end:?}"
    );
    assert!(game.child.wait().unwrap().success());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_failed_swap_restarts_the_game_once_it_is_fixed() {
    let dir = std::env::temp_dir().join(format!("lunaray-hot-fail-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.lua"), HOT_MAIN).unwrap();
    std::fs::write(dir.join("mover.lua"), MOVER.replace("SPEED", "1")).unwrap();
    let mut game = Watched::start(&dir);
    game.wait_for("tick 20 ");
    // A syntax error: no swap; the game restarts, and stops on the error (headless).
    std::fs::write(dir.join("mover.lua"), "local M = {\n").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    std::fs::write(dir.join("mover.lua"), MOVER.replace("SPEED", "1000")).unwrap();
    // Fixed: a fresh run (its counters start again) with the new module.
    assert_eq!(numbers(&game.wait_for("tick 10 ")), [10, 10000, 1000]);
    assert_eq!(numbers(&game.wait_for("end ")), [10, 10000]);
    assert!(game.child.wait().unwrap().success());
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
    let cache = dir.join("cache");
    let mut watch = Watched::start_with(&zip, &[("XDG_CACHE_HOME", &cache)]);
    assert_eq!(watch.wait_for("z"), "z1");
    // Archivers write a new file and rename it over the old one.
    let tmp = dir.join("game.zip.new");
    std::fs::write(&tmp, zip_with_main(&game("z2"))).unwrap();
    std::fs::rename(&tmp, &zip).unwrap();
    assert_eq!(watch.wait_for("z"), "z2");
    std::fs::write(&stop, "").unwrap();
    let status = watch.child.wait().unwrap();
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_dir_all(&dir);
}
