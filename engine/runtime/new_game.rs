//! `lunaray new DIR`: a new game from the project skeleton (`examples/skeleton`).

use std::path::{Path, PathBuf};

const SKELETON: &str = include_str!("../../examples/skeleton/main.lua");

/// Writes `dir/main.lua`; refuses to overwrite an existing one.
pub fn create(dir: &Path) -> Result<PathBuf, String> {
    let main = dir.join("main.lua");
    if main.exists() {
        return Err(format!("{} already exists", main.display()));
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
                .replace("lunaray - skeleton", &format!("lunaray - {name}"))
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(&main, text).map_err(|e| format!("{}: {e}", main.display()))?;
    Ok(main)
}
