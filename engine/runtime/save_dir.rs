//! Where a game keeps its saves: `$XDG_DATA_HOME/lunaray/<name>/` (`~/.local/share/...`
//! without it), the way LÖVE keeps `~/.local/share/love/<identity>/`. A game's own folder may
//! be read-only, or a cache (a zipped or built game runs from an extracted copy), so saves
//! written there could be lost with the next version; this folder outlives them.

use std::path::PathBuf;

/// The save folder for `name`, created if needed. The name is reduced to a safe file name:
/// letters, digits, `.`, `-` and `_` stay, anything else becomes `_`.
pub fn save_dir(name: &str) -> std::io::Result<PathBuf> {
    save_dir_in(
        &crate::runtime::libraries::xdg_base("XDG_DATA_HOME", ".local/share"),
        name,
    )
}

fn save_dir_in(base: &std::path::Path, name: &str) -> std::io::Result<PathBuf> {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = match safe.trim_matches('.') {
        "" => "game".to_string(),
        s => s.to_string(),
    };
    let dir = base.join("lunaray").join(safe);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// `runtime.save_dir(name)`, behind `lunaray.save_dir()` (scripts/run.lua).
pub fn add_function(lua: &mlua::Lua, runtime: &mlua::Table) -> mlua::Result<()> {
    runtime.set(
        "save_dir",
        lua.create_function(|_, name: String| {
            save_dir(&name)
                .map(|p| p.to_string_lossy().into_owned())
                .map_err(|e| mlua::Error::runtime(format!("lunaray.save_dir: {e}")))
        })?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_safe_folder_names() {
        let base = std::env::temp_dir().join(format!("lunaray-save-{}", std::process::id()));
        for (name, folder) in [
            ("my game", "my_game"),
            ("../../etc", "_.._etc"),
            ("", "game"),
        ] {
            let dir = save_dir_in(&base, name).unwrap();
            assert_eq!(dir, base.join("lunaray").join(folder), "{name:?}");
            assert!(dir.is_dir());
        }
        let _ = std::fs::remove_dir_all(&base);
    }
}
