//! `lunaray new DIR` starts a game from the project skeleton, which runs as it is.

mod common;

use common::lunaray;

#[test]
fn new_game_from_the_skeleton_runs() {
    let dir = std::env::temp_dir().join(format!("lunaray-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let game = dir.join("mygame");
    let out = lunaray(&["new", game.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let main = std::fs::read_to_string(game.join("main.lua")).unwrap();
    assert!(main.starts_with("-- mygame: a lunaray game"), "{main}");
    assert!(main.contains("lunaray - mygame"));
    let out = lunaray(&["run", game.to_str().unwrap(), "--headless", "--frames", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // It never overwrites a game.
    let again = lunaray(&["new", game.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let _ = std::fs::remove_dir_all(&dir);
}
