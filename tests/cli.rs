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
                "lunaray: no/such/game: no such game (give a folder with main.lua, or a .lua file)"
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
