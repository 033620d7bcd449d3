//! Running a game: load the library for the chosen backend, bind the registry, build the `rl`
//! and `lunaray` tables, run `scripts/boot.lua` and then the game's `main.lua` in its folder
//! (a zipped game's folder is its extracted copy in the cache).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::marshal::Ctx;
use crate::registry::Registry;
use crate::runtime::frames::{self, FrameClock, Report};
use crate::runtime::hooks::{self, FrameState, Shared};
use crate::runtime::libraries::{self, Backend};
use crate::runtime::log::Log;
use crate::runtime::modes::{self, Arena, Marshal};
use crate::runtime::screenshot;

const BOOT_LUA: &str = include_str!("../../scripts/boot.lua");
const RUN_LUA: &str = include_str!("../../scripts/run.lua");
const EASINGS_LUA: &str = include_str!("../../scripts/easings.lua");
const HOT_RELOAD_LUA: &str = include_str!("../../scripts/hot_reload.lua");
const ERROR_SCREEN_LUA: &str = include_str!("../../scripts/error_screen.lua");

#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The game's name (`lunaray.name`; its save folder): see [`game_name`].
    pub name: String,
    pub path: PathBuf,
    pub backend: Backend,
    pub frames: Option<u64>,
    pub screenshot: Option<PathBuf>,
    pub raylib: Option<PathBuf>,
    pub args: Vec<String>,
    /// None: the build's default ([`default_marshal`]).
    pub marshal: Option<Marshal>,
    pub arena: Arena,
    /// Show the overlay (FPS, frame split, calls, arena, modes) and enable its keys.
    pub overlay: bool,
    /// Write a frame-time report as JSON when the game ends.
    pub report: Option<PathBuf>,
    /// Ignore SetTargetFPS (for measuring).
    pub uncapped: bool,
    /// Log messages below this raylib level are not printed (`log::LOG_WARNING` by default).
    pub log: i32,
    /// Swap changed modules into the running game (set by `--watch`'s watcher).
    pub hot_reload: bool,
    /// Open LuaJIT's `ffi` library to the script (`--ffi`, LuaJIT builds only).
    pub ffi: bool,
    /// Run the game in the sandbox (`runtime::sandbox`).
    pub sandbox: bool,
    /// The most bytes the Lua state may use (0: no limit), see [`DEFAULT_MEMORY_LIMIT_MIB`].
    pub memory_limit: usize,
}

/// `--memory-limit`'s default, in MiB: 1 GiB of Lua heap. Games keep their big data (pixels,
/// meshes, sounds) in raylib's C memory, outside it, and rarely need more than tens of MiB of
/// Lua values; a runaway loop (`t[#t + 1] = s .. s`) reaches 1 GiB within seconds and then
/// fails with a catchable "not enough memory" instead of exhausting the machine, whose
/// out-of-memory end is an abort or the kernel's OOM killer. Lua 5.4 counts every
/// allocation of the state (mlua's allocator); LuaJIT is built in GC64 mode, where mlua's
/// allocator, and so the limit, applies too.
pub const DEFAULT_MEMORY_LIMIT_MIB: u64 = 1024;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Setup(String),
    #[error(transparent)]
    Library(#[from] libraries::LoadError),
    /// A Lua error from the game: message and traceback, ready to print.
    #[error("{0}")]
    Script(String),
    /// The same, already printed and shown in the game's window.
    #[error("{0}")]
    ScriptShown(String),
}

/// A game's name from its path: the folder's name, the `.zip`'s or the `.lua` file's stem
/// (`main.lua` is named after its folder).
/// The marshal mode a game starts in: jit where the build has it (LuaJIT, its cdata layout
/// as lunaray reads it), else planned.
pub fn default_marshal(ctx: &Ctx) -> Marshal {
    if ctx.jit_available.get() {
        Marshal::Jit
    } else {
        Marshal::Planned
    }
}

pub fn game_name(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned());
    let name = if path.is_dir() {
        path.file_name().map(|s| s.to_string_lossy().into_owned())
    } else if stem(&path).as_deref() == Some("main") {
        path.parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
    } else {
        stem(&path)
    };
    name.filter(|n| !n.is_empty())
        .unwrap_or_else(|| "game".into())
}

/// Finds `main.lua` for a folder, extracts a `.zip` (see `package`) and finds its `main.lua`,
/// or takes a `.lua` file as it is. Returns the folder to run in and the script's name there.
pub fn resolve_script(path: &Path) -> Result<(PathBuf, String), RunError> {
    let (dir, file) = if path.is_dir() {
        (path.to_path_buf(), "main.lua".to_string())
    } else if path.is_file() {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("zip") => (
                crate::runtime::package::extract_file(path).map_err(RunError::Setup)?,
                "main.lua".to_string(),
            ),
            Some("lua") => {
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                (dir, name.unwrap_or_default())
            }
            _ => {
                return Err(RunError::Setup(format!(
                    "{}: not a game (give a folder with main.lua, a .lua file or a .zip)",
                    path.display()
                )))
            }
        }
    } else {
        return Err(RunError::Setup(format!(
            "{}: no such game (give a folder with main.lua, a .lua file or a .zip)",
            path.display()
        )));
    };
    if !dir.join(&file).is_file() {
        return Err(RunError::Setup(format!(
            "{}: no main.lua in this folder",
            dir.display()
        )));
    }
    Ok((dir, file))
}

/// The collector starts a cycle when the memory in use reaches this percentage of what
/// the last cycle left (Lua's default: 200, twice). Games that get struct values back from
/// raylib make garbage fast (structstorm: ~35,000 small userdata a frame), and every cycle
/// marks all live data and sweeps every object: at 400 a cycle comes a third as often and the
/// collector's share of the frame drops (measured in benches/README.md, "Scenes"), for a
/// peak of up to four times the live data (structstorm on Lua 5.4: 31 MB resident instead of
/// 22). The same holds for LuaJIT's collector, whose struct values are cdata. A game sets its
/// own with `collectgarbage("incremental", pause)` (Lua 5.4) or `collectgarbage("setpause",
/// pause)` (LuaJIT).
const GC_PAUSE: std::ffi::c_int = 400;

/// The Lua state a game runs in: Lua's safe standard libraries, and LuaJIT's `ffi` when the
/// player asked for it (`--ffi`).
fn new_lua(ffi: bool) -> Result<mlua::Lua, RunError> {
    if !ffi {
        return Ok(mlua::Lua::new());
    }
    #[cfg(feature = "luajit")]
    {
        Ok(crate::ffi::lua_stack::luajit_with_ffi())
    }
    #[cfg(not(feature = "luajit"))]
    Err(RunError::Setup(
        "--ffi needs the LuaJIT build of lunaray: Lua 5.4 has no ffi library".into(),
    ))
}

pub fn run(opts: RunOptions) -> Result<(), RunError> {
    let (dir, file) = resolve_script(&opts.path)?;
    let cwd = std::env::current_dir().map_err(|e| RunError::Setup(e.to_string()))?;
    let screenshot_path = opts.screenshot.as_ref().map(|p| cwd.join(p));

    let library = libraries::load(opts.backend, opts.raylib.as_deref())?;
    let lua = new_lua(opts.ffi)?;
    if opts.memory_limit > 0 {
        lua.set_memory_limit(opts.memory_limit).map_err(|e| {
            RunError::Setup(format!(
                "--memory-limit: this Lua build has no memory limit ({e})"
            ))
        })?;
    }
    // Lua's small blocks from a pool (after the limit is set: mlua's allocator, which keeps
    // it, then backs the pool), and the collector's pace.
    crate::ffi::lua_alloc::install(&lua);
    lua.gc_set_mode(mlua::state::GcMode::Incremental(
        mlua::state::GcIncParams::default().pause(GC_PAUSE),
    ));
    let log = Log::install(&lua, &library, opts.log);
    let bindings = crate::marshal::bind(&lua, Registry::raylib(), library);
    bindings.ctx.memory_limit.set(opts.memory_limit);
    let rl = crate::lua::build_rl_table(&lua, &bindings).map_err(setup)?;
    let marshal = opts
        .marshal
        .unwrap_or_else(|| default_marshal(bindings.ctx));
    // The peer is installed after the runtime's scripts: here, the flag that will install it.
    let available = match marshal {
        modes::Marshal::LuajitFfi => cfg!(feature = "luajit") && opts.ffi,
        m => modes::available(bindings.ctx, m),
    };
    if let (false, Some(why)) = (available, modes::unavailable(marshal)) {
        return Err(RunError::Setup(format!(
            "--marshal {} {why}",
            marshal.name()
        )));
    }
    // What the luajit-ffi peer may swap: rl before the runtime's scripts wrap parts of it.
    #[cfg(feature = "luajit")]
    let peer_snapshot = if opts.ffi {
        Some(crate::marshal::peer::snapshot(&lua, &rl).map_err(setup)?)
    } else {
        None
    };
    modes::set(&bindings.ctx.modes, marshal, opts.arena);
    #[cfg(feature = "luajit")]
    crate::marshal::jit::sync_lua(&lua, bindings.ctx);
    let image_sid = bindings
        .ctx
        .registry
        .struct_id("Image")
        .expect("raylib has Image") as u32;

    let report_path = opts.report.as_ref().map(|p| cwd.join(p));
    let state: Shared = Rc::new(RefCell::new(FrameState {
        clock: FrameClock::new(opts.frames, report_path.is_some()),
        want_screenshot: screenshot_path.is_some(),
        capture: None,
        headless: opts.backend == Backend::Headless,
        overlay: opts.overlay,
        overlay_visible: opts.overlay,
        scale: 1.0,
        pending_marshal: None,
        pending_arena: None,
    }));
    bindings
        .ctx
        .set_sampling(opts.overlay || report_path.is_some());

    let globals = lua.globals();
    globals.set("rl", rl).map_err(setup)?;
    let arg = lua.create_table().map_err(setup)?;
    arg.set(0, file.clone()).map_err(setup)?;
    for (i, a) in opts.args.iter().enumerate() {
        arg.set(i + 1, a.as_str()).map_err(setup)?;
    }
    globals.set("arg", arg).map_err(setup)?;
    let lunaray =
        crate::runtime::lunaray_table::build(&lua, &bindings, opts.backend).map_err(setup)?;
    // Shared by the runtime's own scripts (boot, the default loop, the error screen) and
    // never reachable from the game.
    let private = lua.create_table().map_err(setup)?;
    private
        .set(
            "runtime",
            hooks::runtime_table(&lua, &state, image_sid, bindings.ctx).map_err(setup)?,
        )
        .map_err(setup)?;
    let runtime: mlua::Table = private.get("runtime").map_err(setup)?;
    crate::runtime::log::add_functions(&lua, &runtime, &log).map_err(setup)?;
    let changes = if opts.hot_reload {
        Some(crate::runtime::hot_reload::Changes::watch(&dir).map_err(RunError::Setup)?)
    } else {
        None
    };
    crate::runtime::hot_reload::add_functions(&lua, &runtime, changes).map_err(setup)?;
    private.set("hot_reload", opts.hot_reload).map_err(setup)?;
    // boot.lua's view of rl for the runtime's scripts, needed only where the peer can be on.
    private
        .set("peer_possible", cfg!(feature = "luajit") && opts.ffi)
        .map_err(setup)?;
    hooks::add_frame_functions(&lua, &lunaray, &state, bindings.ctx).map_err(setup)?;
    lunaray.set("uncapped", opts.uncapped).map_err(setup)?;
    lunaray.set("name", opts.name.as_str()).map_err(setup)?;
    crate::runtime::save_dir::add_function(&lua, &runtime).map_err(setup)?;
    lunaray
        .set(
            "mode",
            modes::mode_function(&lua, bindings.ctx).map_err(setup)?,
        )
        .map_err(setup)?;
    globals.set("lunaray", lunaray).map_err(setup)?;

    std::env::set_current_dir(&dir)
        .map_err(|e| RunError::Setup(format!("{}: {e}", dir.display())))?;
    let boot = |code: &str, name: &str| -> Result<mlua::Value, RunError> {
        lua.load(code)
            .set_name(name)
            .call(private.clone())
            .map_err(|e| RunError::Setup(format!("lunaray's {name} failed: {e}")))
    };
    boot(BOOT_LUA, "=[lunaray boot]")?;
    boot(EASINGS_LUA, "=[lunaray easings]")?;
    boot(RUN_LUA, "=[lunaray run]")?;
    boot(HOT_RELOAD_LUA, "=[lunaray hot reload]")?;
    let error_screen = match boot(ERROR_SCREEN_LUA, "=[lunaray error screen]")? {
        mlua::Value::Function(f) => f,
        _ => {
            return Err(RunError::Setup(
                "the error screen script returned no function".into(),
            ))
        }
    };
    if opts.sandbox {
        let game_dir = std::env::current_dir().map_err(|e| RunError::Setup(e.to_string()))?;
        crate::runtime::sandbox::install(&lua, &runtime, bindings.ctx, &game_dir).map_err(setup)?;
        boot(crate::runtime::sandbox::SANDBOX_LUA, "=[lunaray sandbox]")?;
    }

    #[cfg(feature = "luajit")]
    if let Some(snapshot) = &peer_snapshot {
        let rl: mlua::Table = globals.get("rl").map_err(setup)?;
        crate::marshal::peer::install(&lua, &bindings, &rl, snapshot, &private).map_err(setup)?;
    }

    let outcome = run_scripts(&lua, &private, &file, opts.sandbox);
    let result = match outcome {
        Ok(Ended::Played) => Ok(()),
        Ok(Ended::NothingShown) => {
            eprintln!(
                "lunaray: {file} opened no window and defined no lunaray.draw \
                 (nothing was shown; see docs/callbacks.md)"
            );
            Ok(())
        }
        Err(e) => {
            let message = clean_traceback(&script_error(&e));
            // From now on a change restarts the game (the error screen keeps watching).
            let _ = private.set("in_error", true);
            // The error screen shows where someone can see it: a window with no frame limit
            // (until it is closed), or one frame for --screenshot.
            let forever = opts.backend == Backend::Windowed && opts.frames.is_none();
            if forever || screenshot_path.is_some() {
                eprintln!("{message}");
                if !forever {
                    // One frame of the error screen, and that frame is the screenshot.
                    let mut s = state.borrow_mut();
                    s.clock.target = Some(s.clock.frames + 1);
                }
                if let Err(e) = error_screen.call::<()>((message.clone(), forever)) {
                    eprintln!("lunaray: the error screen failed too: {e}");
                }
                Err(RunError::ScriptShown(message))
            } else {
                Err(RunError::Script(message))
            }
        }
    };
    log.uninstall();

    if let (Some(path), Ok(())) = (report_path, &result) {
        write_report(&path, &opts, &file, &state, bindings.ctx, &lua)?;
    }
    if let Some(path) = screenshot_path {
        let state = state.borrow();
        match &state.capture {
            Some(capture) => screenshot::write_png(&path, capture)
                .map_err(|e| RunError::Setup(format!("{}: {e}", path.display())))?,
            None if result.is_err() => {}
            None => {
                return Err(RunError::Setup(format!(
                    "no frame was presented, so no screenshot was written to {}",
                    path.display()
                )))
            }
        }
    }
    result
}

fn setup(e: mlua::Error) -> RunError {
    RunError::Setup(e.to_string())
}

fn write_report(
    path: &Path,
    opts: &RunOptions,
    file: &str,
    state: &Shared,
    ctx: &Ctx,
    lua: &mlua::Lua,
) -> Result<(), RunError> {
    let s = state.borrow();
    let history = s.clock.history.as_deref().unwrap_or_default();
    let (fps_mean, median, p95, script_median, calls) = frames::summarize(history);
    let (marshal, arena) = modes::current(&ctx.modes);
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let scene = if stem == "main" {
        opts.path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(stem)
    } else {
        stem
    };
    let report = Report {
        scene,
        backend: opts.backend.name().into(),
        lua: lua.globals().get::<String>("_VERSION").unwrap_or_default(),
        frames: s.clock.frames,
        marshal: marshal.name().into(),
        arena: arena.name().into(),
        fps_mean,
        frame_ms_median: median,
        frame_ms_p95: p95,
        script_ms_median: script_median,
        ffi_calls_per_frame: calls,
        ffi_ns_per_call: ctx.sampled_ns.get() as f64 / ctx.sampled_calls.get().max(1) as f64,
        arena_peak_bytes: crate::arena::stats().peak,
    };
    let json = serde_json::to_string_pretty(&report).expect("report serializes");
    std::fs::write(path, json + "\n")
        .map_err(|e| RunError::Setup(format!("{}: {e}", path.display())))
}

/// `main.lua:12: message` plus the traceback, without mlua's wrapping.
fn script_error(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { traceback, cause } => {
            format!("{}\n{traceback}", script_error(cause))
        }
        mlua::Error::RuntimeError(msg) | mlua::Error::SyntaxError { message: msg, .. } => {
            msg.clone()
        }
        other => other.to_string(),
    }
}

/// How a game that did not fail ended.
enum Ended {
    /// It opened a window (its own loop, or the default one for callbacks).
    Played,
    /// main.lua ran to its end without a window and without callbacks.
    NothingShown,
}

/// `conf.lua` (when the game is a folder's main.lua), then main.lua, then the default loop
/// if main.lua left the running to callbacks.
/// Under the sandbox both load as text only (a binary chunk is unchecked bytecode).
fn run_scripts(
    lua: &mlua::Lua,
    private: &mlua::Table,
    file: &str,
    sandbox: bool,
) -> mlua::Result<Ended> {
    let load = |source: Vec<u8>, name: String| {
        let chunk = lua.load(source).set_name(name);
        if sandbox {
            chunk.set_mode(mlua::prelude::LuaChunkMode::Text)
        } else {
            chunk
        }
    };
    let apply_conf: mlua::Function = private.get("apply_conf")?;
    if file == "main.lua" && Path::new("conf.lua").is_file() {
        let conf = std::fs::read("conf.lua").map_err(mlua::Error::external)?;
        load(conf, "@conf.lua".into()).exec()?;
        apply_conf.call::<()>(())?;
    }
    let source = std::fs::read(file).map_err(mlua::Error::external)?;
    load(source, format!("@{file}")).exec()?;
    if private.get::<bool>("window_opened")? {
        return Ok(Ended::Played);
    }
    apply_conf.call::<()>(())?;
    let lunaray: mlua::Table = lua.globals().get("lunaray")?;
    let has = |name: &str| -> mlua::Result<bool> {
        Ok(matches!(
            lunaray.get::<mlua::Value>(name)?,
            mlua::Value::Function(_)
        ))
    };
    let default_run: mlua::Function = private.get("default_run")?;
    let run: mlua::Value = lunaray.get("run")?;
    let replaced = !matches!(&run, mlua::Value::Function(f) if *f == default_run);
    if replaced || has("load")? || has("update")? || has("draw")? {
        match run {
            mlua::Value::Function(run) => run.call::<()>(())?,
            other => {
                return Err(mlua::Error::runtime(format!(
                    "lunaray.run is a {}, not a function",
                    other.type_name()
                )))
            }
        }
        return Ok(Ended::Played);
    }
    Ok(Ended::NothingShown)
}

/// The traceback without lunaray's own frames and Lua's `[C]: in ?` lines, which say nothing
/// to the game's author.
fn clean_traceback(message: &str) -> String {
    message
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t == "[C]: in ?" || t.starts_with("[lunaray "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
