//! `lunaray new DIR`: a new game from the project skeleton (`examples/skeleton`): a
//! callback-style main.lua and its conf.lua, with the texts naming the new folder, and editor
//! support: LuaLS stubs in `DIR/.lunaray/stubs` and a `DIR/.luarc.json` pointing at them.

use std::path::{Path, PathBuf};

use crate::runtime::stubs;

const SKELETON: &str = include_str!("../../examples/skeleton/main.lua");
const SKELETON_CONF: &str = include_str!("../../examples/skeleton/conf.lua");

/// What `create` wrote.
pub struct Created {
    pub main: PathBuf,
    pub conf: PathBuf,
    pub stubs: PathBuf,
    /// None when the folder already had a `.luarc.json` (it is left as it was).
    pub luarc: Option<PathBuf>,
}

/// Writes `dir/main.lua`, `dir/conf.lua`, the stubs and `.luarc.json`; refuses to overwrite
/// an existing game.
pub fn create(dir: &Path) -> Result<Created, String> {
    let main = dir.join("main.lua");
    let conf = dir.join("conf.lua");
    for file in [&main, &conf] {
        if file.exists() {
            return Err(format!("{} already exists", file.display()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "game".into());
    let text: String = SKELETON
        .lines()
        .filter(|l| !l.contains("(from a checkout:"))
        .map(|l| {
            if l.starts_with("-- skeleton:") {
                format!("-- {name}: a lunaray game, started from lunaray's project skeleton.")
            } else {
                l.replace(
                    "lunaray run examples/skeleton",
                    &format!("lunaray run {}", dir.display()),
                )
                .replace("Edit examples/skeleton/main.lua", "Edit main.lua")
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(&main, text).map_err(|e| format!("{}: {e}", main.display()))?;
    let conf_text = SKELETON_CONF.replace("lunaray - skeleton", &format!("lunaray - {name}"));
    std::fs::write(&conf, conf_text).map_err(|e| format!("{}: {e}", conf.display()))?;
    let stubs_dir = dir.join(stubs::DEFAULT_DIR);
    stubs::write(&stubs_dir)?;
    let luarc = dir.join(".luarc.json");
    let luarc = if luarc.exists() {
        None
    } else {
        std::fs::write(&luarc, stubs::luarc(stubs::DEFAULT_DIR))
            .map_err(|e| format!("{}: {e}", luarc.display()))?;
        Some(luarc)
    };
    Ok(Created {
        main,
        conf,
        stubs: stubs_dir,
        luarc,
    })
}
