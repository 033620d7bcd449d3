//! The log: raylib's INFO lines hidden unless asked for, warnings once with the script line,
//! `rl.TraceLog` / `rl.TextFormat` formatted in Lua, `rl.SetTraceLogCallback` in Lua (an error
//! inside it reported, not a crash), and loaders that say when a file cannot be decoded.

mod common;

use common::Game;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn info_is_hidden_warnings_show_once_with_their_line() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 48, "log")
for i = 1, 3 do
  rl.TraceLog(rl.LOG_WARNING, "careful %d", 7)
end
rl.TraceLog(rl.LOG_INFO, "only with -v")
print("the game's own output")
rl.CloseWindow()
"#,
    );
    let out = game.run(&[]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert_eq!(err, "WARNING: careful 7 (main.lua:4)\n", "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The software renderer (rlsw) prints one line with printf, outside raylib's log.
    let raylib_info = stdout
        .lines()
        .filter(|l| l.starts_with("INFO:") && !l.starts_with("INFO: RLSW:"))
        .count();
    assert_eq!(raylib_info, 0, "raylib's INFO lines hidden:\n{stdout}");
    assert!(stdout.contains("the game's own output"));

    let verbose = stderr(&game.run(&["-v"]));
    assert!(
        verbose.contains("INFO: Initializing raylib 6.0\n"),
        "{verbose}"
    );
    assert!(verbose.contains("INFO: only with -v\n"), "{verbose}");
    let none = game.run(&["--log", "none"]);
    assert_eq!(stderr(&none), "");
}

#[test]
fn text_format_and_trace_log_format_in_lua() {
    let game = Game::new(
        r#"
print(rl.TextFormat("%05.1f|%s|%d", 3.14159, "ok", 42))
print(rl.TextFormat("100%% safe: %s", "%n%n%s"))
local ok, e = pcall(function() local s = rl.TextFormat("%d", "x"); return s end)
print(e)
ok, e = pcall(function() rl.TraceLog(rl.LOG_WARNING, "%d", {}) end)
print(e)
ok, e = pcall(function() rl.TraceLog("loud", "x") end)
print(e)
"#,
    );
    let out = game.run_ok(&[]);
    assert_eq!(
        common::script_lines(&out),
        [
            "003.1|ok|42",
            "100% safe: %n%n%s",
            "main.lua:4: bad argument #2 to 'TextFormat' (number expected, got string)",
            "main.lua:6: bad argument #3 to 'TraceLog' (number expected, got table)",
            "main.lua:8: bad argument #1 to 'TraceLog' (number expected, got string)",
        ]
    );
}

#[test]
fn a_lua_log_callback_gets_raylibs_messages() {
    let game = Game::new(
        r#"
local got = {}
rl.SetTraceLogCallback(function(level, text)
  got[#got + 1] = level .. " " .. text
end)
rl.InitWindow(64, 48, "callback")
rl.TraceLog(rl.LOG_WARNING, "from the game")
rl.SetTraceLogCallback(nil)
local info, mine = 0, nil
for _, line in ipairs(got) do
  if line:find("^3 ") then info = info + 1 end
  if line == "4 from the game" then mine = line end
end
print(info > 5, mine)
rl.SetTraceLogCallback(function() error("the callback broke") end)
rl.TraceLog(rl.LOG_WARNING, "still printed")
rl.TraceLog(rl.LOG_WARNING, "and this")
print("still running")
rl.CloseWindow()
"#,
    );
    let out = game.run(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        common::script_lines(&String::from_utf8_lossy(&out.stdout)),
        ["true\t4 from the game", "still running"]
    );
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "lunaray: the trace log callback failed, the log goes to stderr again: \
             main.lua:15: the callback broke\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("WARNING: still printed (main.lua:16)\n"),
        "{err}"
    );
    assert!(err.contains("WARNING: and this (main.lua:17)\n"), "{err}");
    let bad = Game::new("rl.SetTraceLogCallback(42)\n");
    let err = stderr(&bad.run(&[]));
    assert!(
        err.starts_with(
            "main.lua:1: bad argument #1 to 'SetTraceLogCallback' (function expected, got number)"
        ),
        "{err}"
    );
}

#[test]
fn loaders_say_when_a_file_cannot_be_decoded() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 48, "decode")
for _, name in ipairs{"LoadImage", "LoadTexture", "LoadWave"} do
  local ok, e = pcall(function() local v = rl[name]("notes.png") return v end)
  print(e)
end
rl.CloseWindow()
"#,
    );
    game.file("notes.png", b"this is text, not a picture");
    let out = game.run_ok(&[]);
    assert_eq!(
        common::script_lines(&out),
        [
            "main.lua:4: LoadImage: cannot decode 'notes.png' (not a format raylib reads, or a damaged file)",
            "main.lua:4: LoadTexture: cannot decode 'notes.png' (not a format raylib reads, or a damaged file)",
            "main.lua:4: LoadWave: cannot decode 'notes.png' (not a format raylib reads, or a damaged file)",
        ]
    );
}

#[test]
fn every_loader_family_names_a_missing_file() {
    let game = Game::new(
        r#"
rl.InitWindow(64, 48, "missing")
for _, name in ipairs{"LoadImage", "LoadTexture", "LoadFont", "LoadWave", "LoadModel",
    "LoadFileData", "LoadFileText", "LoadImageAnim", "LoadModelAnimations", "LoadShader",
    "LoadAutomationEventList"} do
  local ok, e = pcall(function() local v = rl[name]("missing.bin") return v end)
  print(e)
end
rl.CloseWindow()
"#,
    );
    let out = game.run_ok(&[]);
    let names = [
        "LoadImage",
        "LoadTexture",
        "LoadFont",
        "LoadWave",
        "LoadModel",
        "LoadFileData",
        "LoadFileText",
        "LoadImageAnim",
        "LoadModelAnimations",
        "LoadShader",
        "LoadAutomationEventList",
    ];
    let want: Vec<String> = names
        .iter()
        .map(|n| format!("main.lua:6: {n}: cannot open 'missing.bin' (no such file)"))
        .collect();
    assert_eq!(common::script_lines(&out), want);
}
