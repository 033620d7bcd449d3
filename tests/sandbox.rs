//! `lunaray run --sandbox`: an untrusted game reaches no file outside its folder and its save
//! folder (through Lua or raylib, symbolic links and `..` included), loads no binary chunk or
//! C library, runs no program, reads no secret from the environment, opens no URL; its own
//! modules still load, from a folder and from a zip. Without `--sandbox` the standard
//! library is whole.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{script_lines, Game};

/// Runs `lunaray run <game> --headless <extra>` with the save and cache folders under `home`.
fn run_in(game: &Path, extra: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .args([&["run", game.to_str().unwrap(), "--headless"], extra].concat())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("LUNARAY_TEST_SECRET", "hunter2")
        .output()
        .expect("run lunaray")
}

fn stdout_lines(out: &Output) -> Vec<String> {
    assert!(
        out.status.success(),
        "game failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    script_lines(&String::from_utf8_lossy(&out.stdout))
}

/// What the sandbox takes away, and the errors it gives, line by line.
const SANDBOXED: &str = r#"
local function err(f) local ok, e = pcall(f); assert(not ok, "no error"); print(e) end
print(io, debug, package.loadlib, os.execute, os.remove, os.rename, os.exit, jit and jit.attach)
print(os.getenv("LUNARAY_TEST_SECRET"), os.getenv("HOME"), type(os.time()), type(os.clock()))
-- The game's own modules, as require finds them.
print(require("lib.util").answer, require("lib").name)
-- Binary chunks are refused however they come in.
local f, e = load(string.dump(function() return 1 end)); print(f, (e:find("binary chunk", 1, true) or e:find("wrong mode", 1, true)) ~= nil)
print(load("return 7")(), load("return x", "=env", "t", {x = 8})())
err(function() assert(loadfile("/etc/passwd")) end)
err(function() dofile("../outside.lua") end)
package.path = "../?.lua;" .. package.path
print(pcall(require, "outside"))
-- raylib's paths: inside works, outside is a bad argument.
print(rl.FileExists("main.lua"), rl.FileExists("lib/util.lua"), rl.GetFileName("/etc/passwd"))
err(function() rl.LoadFileText("/etc/passwd") end)
err(function() rl.LoadFileData("/proc/self/mem") end)
err(function() rl.FileExists("link/passwd") end)
err(function() rl.SaveFileText("../escaped.txt", "x") end)
err(function() rl.MakeDirectory("new/../../escaped") end)
err(function() rl.OpenURL("https://www.raylib.com") end)
-- The save folder is the game's to write.
local save = lunaray.save_dir() .. "/slot.txt"
print(rl.SaveFileText(save, "saved"), rl.FileExists(save))
local text = rl.LoadFileText(save)
print(lunaray.string(text))
rl.UnloadFileText(text)
-- A file a model names for its data is read through the same check.
rl.InitWindow(16, 16, "sandbox")
local model = rl.LoadModel("model.gltf")
print(model.meshCount)
rl.UnloadModel(model)
err(function() rl.LoadModel("materials.obj") end)
local data, size = rl.LoadFileData("main.lua"); print(#lunaray.string(data, size) == size)
err(function() lunaray.string(data, size + 4096) end)
rl.CloseWindow()
"#;
/// An OBJ model whose material library is a file outside the game (tinyobj opens it itself).
const MODEL_OBJ: &str = "v 0 0 0\nv 1 0 0\nv 0 1 0\n  mtllib /etc/passwd\nf 1 2 3\n";

const UTIL_LUA: &str = "return { answer = 42 }\n";
const INIT_LUA: &str = "return { name = 'lib' }\n";
/// A glTF model whose only buffer is a file outside the game.
const MODEL_GLTF: &str = r#"{"asset":{"version":"2.0"},"buffers":[{"uri":"/etc/hostname","byteLength":4}],"scenes":[{"nodes":[]}],"scene":0}"#;

/// `linked`: the path line 18 tries (through a symbolic link out, or absolute in a zip).
fn expected(linked: &str, out: &Output) {
    let refused = "outside the game's folder and its save folder";
    let lines = stdout_lines(out);
    let save = lines.iter().any(|l| l == "true\ttrue");
    assert!(save, "saving failed: {lines:#?}");
    assert_eq!(
        lines,
        [
            "nil\tnil\tnil\tnil\tnil\tnil\tnil\tnil".to_string(),
            "nil\tnil\tnumber\tnumber".into(),
            "42\tlib".into(),
            // Lua 5.4: "attempt to load a binary chunk (mode is 't')"; LuaJIT: "... wrong mode".
            "nil\ttrue".into(),
            "7\t8".into(),
            format!("main.lua:10: cannot open /etc/passwd: the sandbox refused it ({refused})"),
            format!("main.lua:11: cannot open ../outside.lua: the sandbox refused it ({refused})"),
            "false\tmodule 'outside' not found:".into(),
            "\tno field package.preload['outside']".into(),
            "\tno file '../outside.lua'".into(),
            "\tno file './outside.lua'".into(),
            "\tno file './outside/init.lua'".into(),
            "true\ttrue\tpasswd".into(),
            format!("main.lua:16: bad argument #1 to 'LoadFileText' (the sandbox refused '/etc/passwd': {refused})"),
            format!("main.lua:17: bad argument #1 to 'LoadFileData' (the sandbox refused '/proc/self/mem': {refused})"),
            format!("main.lua:18: bad argument #1 to 'FileExists' (the sandbox refused '{linked}': {refused})"),
            format!("main.lua:19: bad argument #1 to 'SaveFileText' (the sandbox refused '../escaped.txt': {refused})"),
            "main.lua:20: bad argument #1 to 'MakeDirectory' (the sandbox refused 'new/../../escaped': `..` after a folder that does not exist)".into(),
            "main.lua:21: bad argument #1 to 'OpenURL' (the sandbox refuses to open URLs)".into(),
            "true\ttrue".into(),
            "saved".into(),
            "0".into(),
            format!("main.lua:33: bad argument #1 to 'LoadModel' (the sandbox refused 'materials.obj': its material library '/etc/passwd' is refused: {refused})"),
            // Bytes behind a pointer: no more than raylib said it holds.
            "true".into(),
            format!(
                "main.lua:35: bad argument #2 to 'string' (the sandbox allows at most {} bytes here, got {})",
                SANDBOXED.len(),
                SANDBOXED.len() + 4096
            ),
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the sandbox refused raylib's read of '/etc/hostname': {refused}"
        )),
        "{stderr}"
    );
}

#[test]
fn a_sandboxed_game_reaches_only_its_folders() {
    let home = Game::new("-- not run\n");
    let outside = home.path("outside.lua");
    std::fs::write(&outside, "print('escaped') return {}\n").unwrap();
    let game_dir = home.path("game");
    std::fs::create_dir_all(game_dir.join("lib")).unwrap();
    std::fs::write(game_dir.join("main.lua"), SANDBOXED).unwrap();
    std::fs::write(game_dir.join("lib/util.lua"), UTIL_LUA).unwrap();
    std::fs::write(game_dir.join("lib/init.lua"), INIT_LUA).unwrap();
    std::fs::write(game_dir.join("model.gltf"), MODEL_GLTF).unwrap();
    std::fs::write(game_dir.join("materials.obj"), MODEL_OBJ).unwrap();
    std::os::unix::fs::symlink("/etc", game_dir.join("link")).unwrap();
    let out = run_in(&game_dir, &["--sandbox"], &home.dir);
    expected("link/passwd", &out);
    assert!(!home.path("escaped.txt").exists() && !home.path("escaped").exists());
    let save = home.path("data/lunaray/game/slot.txt");
    assert_eq!(std::fs::read_to_string(save).unwrap(), "saved");
}

#[test]
fn a_zipped_game_is_sandboxed_too() {
    let home = Game::new("-- not run\n");
    std::fs::write(home.path("outside.lua"), "return {}\n").unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in [
        (
            "game/main.lua",
            SANDBOXED.replace("link/passwd", "/etc/passwd"),
        ),
        ("game/lib/util.lua", UTIL_LUA.into()),
        ("game/lib/init.lua", INIT_LUA.into()),
        ("game/model.gltf", MODEL_GLTF.into()),
        ("game/materials.obj", MODEL_OBJ.into()),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    let path: PathBuf = home.path("game.zip");
    std::fs::write(&path, zip.finish().unwrap().into_inner()).unwrap();
    let out = run_in(&path, &["--sandbox"], &home.dir);
    // The zipped copy has no symbolic link (archives with one are refused): the same line
    // tries an absolute path instead.
    expected("/etc/passwd", &out);
}

#[test]
fn without_the_sandbox_the_standard_library_is_whole() {
    let game = Game::new(
        r#"
print(type(io.open), type(os.execute), type(os.remove), type(os.exit), type(package.loadlib))
print(os.getenv("LUNARAY_TEST_SECRET"))
print(type(load(string.dump(function() return 1 end))))
local f = assert(io.open("/etc/hostname")) f:close()
print(rl.FileExists("/etc/hostname"))
"#,
    );
    let out = run_in(&game.dir, &[], &game.dir);
    assert_eq!(
        stdout_lines(&out),
        [
            "function\tfunction\tfunction\tfunction\tfunction",
            "hunter2",
            "function",
            "true"
        ]
    );
}

#[test]
fn a_binary_main_lua_is_refused_in_the_sandbox() {
    // Bytecode made by the game's own Lua (string.dump), then run as main.lua.
    let maker = Game::new(
        r#"
local f = io.open("bytecode.out", "wb")
f:write(string.dump(function() print("bytecode ran") end)) f:close()
"#,
    );
    let out = run_in(&maker.dir, &[], &maker.dir);
    assert!(out.status.success());
    let bytecode = std::fs::read(maker.path("bytecode.out")).unwrap();
    let game = Game::new("");
    game.file("main.lua", &bytecode);
    let out = run_in(&game.dir, &[], &game.dir);
    assert_eq!(
        stdout_lines(&out),
        ["bytecode ran"],
        "runs without the sandbox"
    );
    let out = run_in(&game.dir, &["--sandbox"], &game.dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("attempt to load a binary chunk") || stderr.contains("wrong mode"),
        "{stderr}"
    );
}
