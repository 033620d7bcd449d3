//! `lunaray stubs [DIR]`: LuaLS annotation files (`---@meta`) for editors, so VS Code's Lua
//! extension (or any LuaLS client) completes and checks `rl.*` and `lunaray.*`. `rl.lua` is
//! generated from the registry (the data `lunaray api --json` shows, with raylib's comments);
//! `lunaray.lua` is the runtime's own table and the callbacks a game may define. The default
//! folder is `.lunaray/stubs` in the game folder (the current one for `lunaray stubs`);
//! `lunaray new` writes it with a `.luarc.json` pointing LuaLS at it.

pub mod rl;

use std::path::{Path, PathBuf};

use crate::registry::Registry;

const LUNARAY_LUA: &str = include_str!("../../../scripts/stubs/lunaray.lua");

/// Where the stubs go inside a game folder (relative, as `.luarc.json` names it).
pub const DEFAULT_DIR: &str = ".lunaray/stubs";

/// The annotation files, by file name.
pub fn files(reg: &Registry) -> Vec<(&'static str, String)> {
    vec![
        ("rl.lua", rl::generate(reg)),
        ("lunaray.lua", LUNARAY_LUA.to_string()),
    ]
}

/// Writes the annotation files into `dir` (created if missing), replacing older ones.
/// Returns the paths written.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let reg = Registry::raylib();
    let mut written = Vec::new();
    for (name, text) in files(&reg) {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// LuaLS's name for the Lua this build runs.
pub fn runtime_version() -> &'static str {
    if cfg!(feature = "luajit") {
        "LuaJIT"
    } else {
        "Lua 5.4"
    }
}

/// A `.luarc.json` for a game folder whose stubs are in `stubs_dir` (relative to it).
pub fn luarc(stubs_dir: &str) -> String {
    let v = serde_json::json!({
        "$schema": "https://raw.githubusercontent.com/LuaLS/vscode-lua/master/setting/schema.json",
        "runtime": { "version": runtime_version() },
        "workspace": { "library": [stubs_dir], "checkThirdParty": false },
        "diagnostics": { "globals": ["rl", "lunaray"] },
    });
    serde_json::to_string_pretty(&v).expect("a JSON value serializes") + "\n"
}
