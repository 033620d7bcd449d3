//! Shipping games: `lunaray run game.zip` runs a zipped game with its assets and modules,
//! refuses archives that would write outside their folder, and `lunaray build` writes one
//! executable that runs its game from an empty folder, with `run`'s options.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Pixels, BLUE, RED};

/// A temp folder, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(tag: &str) -> Temp {
        let dir = std::env::temp_dir().join(format!("lunaray-ship-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Temp(dir)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A game that `require`s a module from a subfolder and draws a texture loaded from a PNG:
/// red 16x16 at the top left on the module's blue background, 64x48.
const MAIN_LUA: &str = r#"
local look = require("lib.look")
rl.InitWindow(64, 48, "shipped")
local tex = rl.LoadTexture("art/red.png")
print("arg", arg[1], "module", look.name, "texture", tex.width, tex.height)
while not rl.WindowShouldClose() do
  rl.BeginDrawing()
  rl.ClearBackground(look.background)
  rl.DrawTexture(tex, 0, 0, rl.WHITE)
  rl.EndDrawing()
end
rl.UnloadTexture(tex)
rl.CloseWindow()
"#;

const LOOK_LUA: &str = "return { name = 'look', background = rl.BLUE }\n";

fn red_png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, 16, 16);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&RED.repeat(16 * 16)).unwrap();
    drop(w);
    bytes
}

/// The game's files, by path inside the game folder.
fn game_files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("main.lua", MAIN_LUA.as_bytes().to_vec()),
        ("lib/look.lua", LOOK_LUA.as_bytes().to_vec()),
        ("art/red.png", red_png()),
    ]
}

fn write_game(dir: &Path) {
    for (name, bytes) in game_files() {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// A zip of `files`, each name prefixed with `prefix`.
fn zip_of(files: &[(&str, Vec<u8>)], prefix: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        zip.start_file(format!("{prefix}{name}"), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Runs `exe args` in `cwd` with no display and the cache in `cache`.
/// A freshly written executable can be "busy" for a moment: a process another test forks
/// meanwhile holds its descriptor until it execs (ETXTBSY); such a start is tried again.
fn run_in(exe: &Path, args: &[&str], cwd: &Path, cache: &Path) -> Output {
    let mut tries = 0;
    loop {
        let out = Command::new(exe)
            .args(args)
            .current_dir(cwd)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_CACHE_HOME", cache)
            .output();
        match out {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.expect("run"),
        }
    }
}

fn lunaray_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_lunaray"))
}

fn assert_ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The shot shows the texture (red, top left) on the module's background (blue).
fn assert_drawn(shot: &Path) {
    let px = Pixels::load(shot);
    assert_eq!((px.width, px.height), (64, 48));
    assert_eq!(px.at(8, 8), RED, "the texture from art/red.png");
    assert_eq!(px.at(15, 15), RED);
    assert_eq!(px.at(40, 30), BLUE, "the background from lib/look.lua");
    assert_eq!(px.at(16, 8), BLUE);
}

#[test]
fn a_zipped_game_runs_with_its_assets_and_modules() {
    let tmp = Temp::new("zip");
    let cache = tmp.0.join("cache");
    // As "compress folder" makes them (one top-level folder), and with main.lua at the root.
    for (name, prefix) in [("folder.zip", "mygame/"), ("root.zip", "")] {
        std::fs::write(tmp.0.join(name), zip_of(&game_files(), prefix)).unwrap();
        let shot = format!("{name}.png");
        let out = run_in(
            lunaray_bin(),
            &[
                "run",
                name,
                "--headless",
                "--frames",
                "3",
                "--screenshot",
                &shot,
                "--",
                "x",
            ],
            &tmp.0,
            &cache,
        );
        let stdout = assert_ok(&out);
        assert!(
            stdout.contains("arg\tx\tmodule\tlook\ttexture\t16\t16"),
            "{stdout}"
        );
        assert_drawn(&tmp.0.join(&shot));
    }
    // Extracted once per archive, into the cache.
    let games: Vec<_> = std::fs::read_dir(cache.join("lunaray/games"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(games.len(), 2, "{games:?}");
    assert!(games
        .iter()
        .any(|g| g.join("mygame/lib/look.lua").is_file()));
}

#[test]
fn an_archive_writing_outside_its_folder_is_refused() {
    let tmp = Temp::new("slip");
    let cache = tmp.0.join("cache");
    let escape = tmp.0.join("escaped.lua");
    let absolute = tmp.0.join("absolute.lua");
    let cases = [
        ("dotdot.zip", "../../../../escaped.lua".to_string()),
        ("absolute.zip", absolute.to_str().unwrap().to_string()),
    ];
    for (name, evil) in &cases {
        let files = [
            ("main.lua", b"print('ran')".to_vec()),
            (evil.as_str(), b"print('escaped')".to_vec()),
        ];
        std::fs::write(tmp.0.join(name), zip_of(&files, "")).unwrap();
        let out = run_in(lunaray_bin(), &["run", name, "--headless"], &tmp.0, &cache);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "lunaray: {name}: entry '{evil}' would be written outside the game's folder"
            )),
            "{err}"
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains("ran"));
    }
    // A symbolic link would let a later entry write through it.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("main.lua", options).unwrap();
    zip.write_all(b"print('ran')").unwrap();
    zip.add_symlink("art", tmp.0.to_str().unwrap(), options)
        .unwrap();
    std::fs::write(tmp.0.join("link.zip"), zip.finish().unwrap().into_inner()).unwrap();
    let out = run_in(
        lunaray_bin(),
        &["run", "link.zip", "--headless"],
        &tmp.0,
        &cache,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "lunaray: link.zip: entry 'art' is a symbolic link; games must hold plain files"
        ),
        "{err}"
    );
    assert!(!escape.exists() && !absolute.exists());
    assert!(
        !cache.join("lunaray/games").exists(),
        "nothing was extracted"
    );
}

#[test]
fn a_built_game_runs_alone_from_an_empty_folder() {
    let tmp = Temp::new("build");
    let game = tmp.0.join("mygame");
    write_game(&game);
    // Editor files and an earlier build inside the game folder stay out of the build.
    std::fs::create_dir_all(game.join(".lunaray/stubs")).unwrap();
    std::fs::write(game.join(".lunaray/stubs/rl.lua"), "---@meta rl\n").unwrap();
    let exe = game.join("mygame.bin");
    std::fs::write(&exe, "an earlier build").unwrap();
    let out = Command::new(lunaray_bin())
        .args(["build", game.to_str().unwrap(), "-o", exe.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = assert_ok(&out);
    assert!(stdout.contains("3 files of the game"), "{stdout}");

    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&exe).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o755);
    let names = payload_names(&exe);
    assert_eq!(names, ["art/red.png", "lib/look.lua", "main.lua"]);

    // One file, copied to an empty folder, run from there: options and arguments as `run`'s.
    let alone = tmp.0.join("alone");
    std::fs::create_dir_all(&alone).unwrap();
    let copy = alone.join("mygame");
    std::fs::copy(&exe, &copy).unwrap();
    let cache = tmp.0.join("cache");
    let out = run_in(
        &copy,
        &[
            "--headless",
            "--frames",
            "3",
            "--screenshot",
            "shot.png",
            "hello",
        ],
        &alone,
        &cache,
    );
    let stdout = assert_ok(&out);
    assert!(
        stdout.contains("arg\thello\tmodule\tlook\ttexture\t16\t16"),
        "{stdout}"
    );
    assert_drawn(&alone.join("shot.png"));
    // `--` works too, and the game's folder lives in the cache, not beside the executable.
    let out = run_in(
        &copy,
        &["--headless", "--frames", "1", "--", "again"],
        &alone,
        &cache,
    );
    assert!(assert_ok(&out).contains("arg\tagain\t"));
    let mut left: Vec<_> = std::fs::read_dir(&alone)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["mygame", "shot.png"]);

    // A built game can be built again (its own game is replaced, not nested).
    let zip = tmp.0.join("game.zip");
    std::fs::write(&zip, zip_of(&game_files(), "g/")).unwrap();
    let rebuilt = tmp.0.join("rebuilt");
    let out = Command::new(lunaray_bin())
        .args([
            "build",
            zip.to_str().unwrap(),
            "-o",
            rebuilt.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_ok(&out);
    assert_eq!(
        std::fs::metadata(&rebuilt).unwrap().len(),
        std::fs::metadata(lunaray_bin()).unwrap().len()
            + std::fs::metadata(&zip).unwrap().len()
            + 24
    );
}

#[test]
fn building_or_running_something_that_is_not_a_game_says_why() {
    let tmp = Temp::new("notgame");
    std::fs::create_dir_all(tmp.0.join("empty")).unwrap();
    std::fs::write(tmp.0.join("notes.txt"), "hi").unwrap();
    std::fs::write(tmp.0.join("broken.zip"), "not a zip at all").unwrap();
    let no_main = zip_of(&[("other/main.lua", vec![]), ("readme.txt", vec![])], "");
    std::fs::write(tmp.0.join("nomain.zip"), no_main).unwrap();
    for (game, why) in [
        ("empty", "empty: no main.lua in this folder"),
        (
            "notes.txt",
            "notes.txt: not a game (give a folder with main.lua, a .lua file or a .zip)",
        ),
        ("broken.zip", "broken.zip: not a readable zip archive ("),
        (
            "nomain.zip",
            "nomain.zip: no main.lua at the top of the archive or in its one top-level folder",
        ),
    ] {
        for args in [&["build", game, "-o", "out"][..], &["run", game][..]] {
            let out = Command::new(lunaray_bin())
                .args(args)
                .current_dir(&tmp.0)
                .env("XDG_CACHE_HOME", tmp.0.join("cache"))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.starts_with(&format!("lunaray: {why}")) && err.lines().count() == 1,
                "{args:?}: {err}"
            );
        }
    }
    assert!(!tmp.0.join("out").exists());
}

/// The names in the zip a built executable carries (trailer: length, then the magic).
fn payload_names(exe: &Path) -> Vec<String> {
    let bytes = std::fs::read(exe).unwrap();
    let (rest, magic) = bytes.split_at(bytes.len() - 16);
    assert_eq!(magic, b"LUNARAY-GAME-v1\n");
    let (rest, len) = rest.split_at(rest.len() - 8);
    let len = u64::from_le_bytes(len.try_into().unwrap()) as usize;
    let payload = &rest[rest.len() - len..];
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(payload)).unwrap();
    let mut names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_string())
        .collect();
    names.sort();
    names
}
