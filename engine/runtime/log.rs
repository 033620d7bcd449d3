//! What a game's log looks like: raylib's messages and `rl.TraceLog`'s go to stderr, INFO and
//! below hidden unless asked for (`--log info`, `-v`), each warning once with the script line
//! that caused it, so the game's own `print` on stdout is never buried. A game can take the
//! log itself with `rl.SetTraceLogCallback(function(level, text) ... end)`: the callback runs
//! in Lua, and an error inside it is reported once on stderr, never a crash.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;

use crate::ffi::library::Library;
use crate::ffi::trace_log::{self, level_name};

/// raylib's TraceLogLevel values.
pub const LOG_ALL: i32 = 0;
pub const LOG_INFO: i32 = 3;
pub const LOG_WARNING: i32 = 4;
pub const LOG_NONE: i32 = 7;

/// The level names `--log` takes, with raylib's values.
pub const LEVELS: &[(&str, i32)] = &[
    ("all", LOG_ALL),
    ("trace", 1),
    ("debug", 2),
    ("info", LOG_INFO),
    ("warning", LOG_WARNING),
    ("error", 5),
    ("fatal", 6),
    ("none", LOG_NONE),
];

/// The log of one game run.
pub struct Log {
    /// Messages below this level are not printed.
    threshold: Cell<i32>,
    /// Warnings already printed (with their place), so each shows once.
    seen: RefCell<HashSet<String>>,
    /// `rl.SetTraceLogCallback(fn)`.
    callback: RefCell<Option<mlua::Function>>,
    callback_failed: Cell<bool>,
    /// Set while a message is being handled: one logged meanwhile is printed plainly.
    busy: Cell<bool>,
    lua: mlua::WeakLua,
}

impl Log {
    /// Routes raylib's log (from `library`) to a new `Log` printing from `threshold` up.
    pub fn install(lua: &mlua::Lua, library: &Library, threshold: i32) -> Rc<Log> {
        let log = Rc::new(Log {
            threshold: Cell::new(threshold),
            seen: RefCell::new(HashSet::new()),
            callback: RefCell::new(None),
            callback_failed: Cell::new(false),
            busy: Cell::new(false),
            lua: lua.weak(),
        });
        if trace_log::install(library) {
            let l = log.clone();
            trace_log::set_handler(move |level, text| l.message(level, text));
            // raylib drops messages under its own level (INFO) before calling back.
            if threshold < LOG_INFO {
                trace_log::set_raylib_level(library, threshold);
            }
        }
        log
    }

    /// Stops taking raylib's log (it prints itself again) and drops the Lua callback.
    pub fn uninstall(&self) {
        trace_log::clear_handler();
        self.callback.replace(None);
    }

    pub fn set_threshold(&self, level: i32) {
        self.threshold.set(level);
    }

    pub fn set_callback(&self, f: Option<mlua::Function>) {
        self.callback.replace(f);
    }

    /// One message, from raylib or from `rl.TraceLog`.
    pub fn message(&self, level: i32, text: &str) {
        if self.busy.replace(true) {
            eprintln!("{}: {text}", level_name(level));
            return;
        }
        self.handle(level, text);
        self.busy.set(false);
    }

    fn handle(&self, level: i32, text: &str) {
        let callback = self.callback.borrow().clone();
        if let Some(f) = callback {
            match f.call::<()>((level, text)) {
                Ok(()) => return,
                Err(e) => {
                    if !self.callback_failed.replace(true) {
                        // The message alone: its traceback would be the raylib call's.
                        let text = e.to_string();
                        let first = text.lines().next().unwrap_or_default();
                        let first = first.strip_prefix("runtime error: ").unwrap_or(first);
                        eprintln!(
                            "lunaray: the trace log callback failed, the log goes to stderr \
                             again: {first}"
                        );
                    }
                    self.set_callback(None);
                }
            }
        }
        if level < self.threshold.get() {
            return;
        }
        let mut line = format!("{}: {text}", level_name(level));
        if level >= LOG_WARNING {
            if let Some(place) = self.script_place() {
                line = format!("{line} ({place})");
            }
            if !self.seen.borrow_mut().insert(line.clone()) {
                return;
            }
        }
        eprintln!("{line}");
    }

    /// `main.lua:12`: the innermost line of the game's own code on the Lua stack.
    fn script_place(&self) -> Option<String> {
        let lua = self.lua.try_upgrade()?;
        (0..32).find_map(|level| {
            lua.inspect_stack(level, |d| {
                let source = d.source();
                let src = source.short_src.as_deref()?;
                let line = d.current_line()?;
                (source.what != "C" && !src.starts_with("[lunaray "))
                    .then(|| format!("{src}:{line}"))
            })
            .flatten()
        })
    }
}

/// The level `--log NAME` names.
pub fn level_by_name(name: &str) -> Option<i32> {
    LEVELS.iter().find(|(n, _)| *n == name).map(|&(_, l)| l)
}

/// `runtime.log(level, text)`, `runtime.log_level(level)`, `runtime.log_callback(fn)`: what
/// boot.lua's `rl.TraceLog`, `rl.SetTraceLogLevel` and `rl.SetTraceLogCallback` call (they
/// check their arguments first).
pub fn add_functions(lua: &mlua::Lua, runtime: &mlua::Table, log: &Rc<Log>) -> mlua::Result<()> {
    let l = log.clone();
    runtime.set(
        "log",
        lua.create_function(move |_, (level, text): (i32, mlua::LuaString)| {
            l.message(level, &text.to_string_lossy());
            Ok(())
        })?,
    )?;
    let l = log.clone();
    runtime.set(
        "log_level",
        lua.create_function(move |_, level: i32| {
            l.set_threshold(level);
            Ok(())
        })?,
    )?;
    let l = log.clone();
    runtime.set(
        "log_callback",
        lua.create_function(move |_, f: Option<mlua::Function>| {
            l.set_callback(f);
            Ok(())
        })?,
    )?;
    Ok(())
}
