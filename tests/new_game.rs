//! `lunaray new DIR` starts a game from the project skeleton, which runs as it is, with
//! editor stubs and a `.luarc.json` naming them.

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
    // Editor support: stubs, and a .luarc.json that points LuaLS at them.
    let luarc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(game.join(".luarc.json")).unwrap())
            .expect(".luarc.json is JSON");
    let library = luarc["workspace"]["library"].as_array().unwrap();
    assert_eq!(library, &[serde_json::json!(".lunaray/stubs")]);
    for f in ["rl.lua", "lunaray.lua"] {
        let stub = game.join(".lunaray/stubs").join(f);
        assert!(std::fs::read_to_string(&stub)
            .unwrap()
            .starts_with("---@meta"));
    }
    let lua = if cfg!(feature = "luajit") {
        "LuaJIT"
    } else {
        "Lua 5.4"
    };
    assert_eq!(luarc["runtime"]["version"], lua);
    assert_eq!(
        luarc["diagnostics"]["globals"],
        serde_json::json!(["rl", "lunaray"])
    );
    assert!(
        main.contains("Edit main.lua"),
        "texts name the new game's own file"
    );
    assert!(!main.contains("examples/skeleton") && !main.contains("../../assets"));
    let conf = std::fs::read_to_string(game.join("conf.lua")).unwrap();
    assert!(conf.contains("\"lunaray - mygame\""), "{conf}");
    let shot = game.join("shot.png");
    let out = lunaray(&[
        "run",
        game.to_str().unwrap(),
        "--headless",
        "--frames",
        "3",
        "--screenshot",
        shot.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The callbacks ran: conf's size, the player square in its first colour (MAROON).
    let px = common::Pixels::load(&shot);
    assert_eq!((px.width, px.height), (800, 450));
    assert_eq!(px.at(400, 225), [190, 33, 55, 255], "the player square");
    assert_eq!(px.at(700, 300), common::RAYWHITE, "conf's background");
    // It never overwrites a game.
    let again = lunaray(&["new", game.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let _ = std::fs::remove_dir_all(&dir);
}
