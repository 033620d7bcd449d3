//! The command line never surprises: `lunaray GAME` runs a game, a missing game says so
//! first, and output into a closed pipe ends quietly.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{lunaray, Game};

#[test]
fn a_game_path_alone_runs_it() {
    let game =
        Game::new("rl.InitWindow(32, 32, 'cli')\nprint('ran ' .. arg[1])\nrl.CloseWindow()\n");
    let dir = game.path("");
    let out = lunaray(&[dir.to_str().unwrap(), "--headless", "--", "x"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ran x"));
}

#[test]
fn a_missing_game_says_so_first() {
    for args in [&["run", "no/such/game"][..], &["no/such/game"][..]] {
        let out = lunaray(args);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.lines().next(),
            Some(
                "lunaray: no/such/game: no such game (give a folder with main.lua, a .lua file or a .zip)"
            ),
            "{err}"
        );
        assert!(!err.contains("headless"), "{err}");
    }
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lunaray"))
        .args(["api", "--json", "--headless"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lunaray");
    // Read a little, then close the pipe, as `| head` does.
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {err}", out.status);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(&first[..1], b"{");
}

#[test]
fn api_json_shows_each_parameters_contract() {
    let out = lunaray(&["api", "--json", "--headless"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let funcs = v["functions"].as_array().unwrap();
    let f = |name: &str| funcs.iter().find(|f| f["name"] == name).unwrap().clone();
    // Every parameter of every callable function states what it takes.
    for func in funcs {
        for p in func["params"].as_array().unwrap() {
            assert!(p["contract"].is_string(), "{}: {p}", func["name"]);
        }
    }
    assert_eq!(
        f("LoadTexture")["params"][0]["contract"],
        "a path, never nil; the file must exist (checked before the call); under --sandbox it must lead inside the game's folder or its save folder"
    );
    assert!(f("LoadFontEx")["params"][2]["contract"]
        .as_str()
        .unwrap()
        .ends_with(
        "nil with a count of 0 to 1114080 loads that many codepoints from 32 up (raylib's NULL)"
    ));
    assert_eq!(f("LoadTexture")["needs_window"], true);
    assert_eq!(f("GenImageColor")["needs_window"], false);
    assert_eq!(
        f("DrawTriangleFan")["params"][1]["contract"],
        "the element count of `points`: optional (nil means all), never more than it holds"
    );
    let unload = f("UnloadImageColors")["params"][0]["contract"].clone();
    assert!(unload
        .as_str()
        .unwrap()
        .contains("only one raylib allocated for the caller"));
}
