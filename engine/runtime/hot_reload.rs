//! The game's side of `lunaray run --watch`: the files that changed in the game's folder since
//! the last frame, for `scripts/hot_reload.lua` to swap changed modules into the running game;
//! and the restart paths (exit for the watcher to start the game again, or `lunaray.restart`).
//!
//! The watching parent (watch.rs) starts the game with [`HOT_RELOAD_ENV`] set; it restarts the
//! game when it exits with [`RESTART_STATUS`], and waits for a change when it fails otherwise.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use std::ffi::c_int;

use notify::{RecursiveMode, Watcher};

use crate::error::Problem;
use crate::ffi::lua_stack::{build_value, LuaHandler, LuaType, Stack};

/// Set by the watcher in the game's environment: swap changed modules in.
pub const HOT_RELOAD_ENV: &str = "LUNARAY_HOT_RELOAD";
/// `lunaray.restart(value)`: the value, serialized as a Lua expression, for the next run.
pub const COOKIE_ENV: &str = "LUNARAY_RESTART_COOKIE";
/// The game's exit status asking the watcher for a full restart (EX_TEMPFAIL).
pub const RESTART_STATUS: i32 = 75;

/// Changes under the game's folder, collected by a watcher thread.
pub struct Changes {
    dir: PathBuf,
    rx: mpsc::Receiver<PathBuf>,
    /// Changed files not handed out yet, with when they last changed.
    pending: RefCell<Vec<(String, Instant)>>,
    _watcher: notify::RecommendedWatcher,
}

/// A file is handed out once it has not changed for this long: editors write in bursts
/// (truncate, write, rename), and a half-written module must not be loaded.
const SETTLE: Duration = Duration::from_millis(150);

impl Changes {
    /// Watches `dir` (recursively). Editors that save by writing a new file and renaming it
    /// over the old one show up as a create or rename of the same path, which counts.
    pub fn watch(dir: &Path) -> Result<Changes, String> {
        let dir = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let (tx, rx) = mpsc::channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if let Ok(e) = event {
                    if e.kind.is_modify() || e.kind.is_create() || e.kind.is_remove() {
                        for p in e.paths {
                            let _ = tx.send(p);
                        }
                    }
                }
            })
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        watcher
            .watch(&dir, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        Ok(Changes {
            dir,
            rx,
            pending: RefCell::new(Vec::new()),
            _watcher: watcher,
        })
    }

    /// The files changed since the last call and settled since, relative to the game's folder
    /// with `/` separators, each once, in the order first seen; editor temporaries left out.
    pub fn take(&self) -> Vec<String> {
        let mut pending = self.pending.borrow_mut();
        let now = Instant::now();
        while let Ok(path) = self.rx.try_recv() {
            let Ok(rel) = path.strip_prefix(&self.dir) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel.is_empty() || is_editor_temporary(&rel) {
                continue;
            }
            match pending.iter_mut().find(|(p, _)| *p == rel) {
                Some(entry) => entry.1 = now,
                None => pending.push((rel, now)),
            }
        }
        // A burst settles as a whole: nothing is handed out while any file is still changing.
        if pending.iter().any(|(_, t)| now.duration_since(*t) < SETTLE) {
            return Vec::new();
        }
        pending.drain(..).map(|(p, _)| p).collect()
    }
}

/// Swap files and backups editors write beside the real one (`.main.lua.swp`, `main.lua~`,
/// `4913`, `.#main.lua`), and lunaray's own folder.
fn is_editor_temporary(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
        || rel.starts_with(".lunaray/")
}

/// `runtime.rebind(f, map)`: points the upvalues of a swapped-in function that hold a new
/// module table at the old one it was merged into (`map[new] = old`), so `local M = {}`
/// modules keep working on the game's state after a swap.
struct Rebind;

impl LuaHandler for Rebind {
    fn call(&self, st: &mut Stack) -> Result<c_int, crate::error::Error> {
        if st.type_of(1) != LuaType::Function {
            let got = st.type_of(1).name();
            return Err(Problem::type_mismatch("function", got).at("rebind", 1));
        }
        if st.type_of(2) != LuaType::Table {
            let got = st.type_of(2).name();
            return Err(Problem::type_mismatch("table", got).at("rebind", 2));
        }
        let n = st.rebind_upvalues(1, 2);
        st.push_integer(n as i64);
        Ok(1)
    }
}

/// `runtime.changes()`, `runtime.rebind(f, map)`, `runtime.restart_watched()`,
/// `runtime.restart(text)` and `runtime.cookie()`, for scripts/hot_reload.lua.
pub fn add_functions(
    lua: &mlua::Lua,
    runtime: &mlua::Table,
    changes: Option<Changes>,
) -> mlua::Result<()> {
    runtime.set(
        "changes",
        lua.create_function(move |_, ()| {
            let changed = changes.as_ref().map(Changes::take).unwrap_or_default();
            Ok((!changed.is_empty()).then_some(changed))
        })?,
    )?;
    let rebind: mlua::Function = build_value(lua, |st| st.push_handler(&Rebind))?;
    runtime.set("rebind", rebind)?;
    runtime.set(
        "restart_watched",
        lua.create_function(|_, ()| -> mlua::Result<()> { std::process::exit(RESTART_STATUS) })?,
    )?;
    runtime.set(
        "restart",
        lua.create_function(|_, cookie: Option<String>| -> mlua::Result<()> {
            use std::os::unix::process::CommandExt;
            let exe = std::env::current_exe()
                .map_err(|e| mlua::Error::runtime(format!("lunaray.restart: {e}")))?;
            let mut command = std::process::Command::new(exe);
            command.args(std::env::args_os().skip(1));
            match cookie {
                Some(text) => command.env(COOKIE_ENV, text),
                None => command.env_remove(COOKIE_ENV),
            };
            // Replaces this process: the window, audio and Lua state go with it.
            let err = command.exec();
            Err(mlua::Error::runtime(format!("lunaray.restart: {err}")))
        })?,
    )?;
    runtime.set(
        "cookie",
        lua.create_function(|_, ()| Ok(std::env::var(COOKIE_ENV).ok()))?,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temporaries_are_not_changes() {
        for t in [
            ".main.lua.swp",
            "main.lua~",
            "4913",
            "src/.#player.lua",
            ".lunaray/x",
        ] {
            assert!(is_editor_temporary(t), "{t}");
        }
        for f in ["main.lua", "src/player.lua", "assets/hero.png"] {
            assert!(!is_editor_temporary(f), "{f}");
        }
    }
}
