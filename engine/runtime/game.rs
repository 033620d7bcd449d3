//! Running a game: load the library for the chosen backend, bind the registry, build the `rl`
//! and `lunaray` tables, run `scripts/boot.lua` and then the game's `main.lua` in its folder.

use std::cell::RefCell;
use std::ffi::c_int;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::ffi::lua_stack::{build_value, LuaHandler, Stack};
use crate::ffi::memory::bytes_at;
use crate::marshal::Ctx;
use crate::registry::Registry;
use crate::runtime::libraries::{self, Backend};
use crate::runtime::modes::{self, Arena, Marshal};
use crate::runtime::screenshot::{self, Capture};

const BOOT_LUA: &str = include_str!("../../scripts/boot.lua");

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub path: PathBuf,
    pub backend: Backend,
    pub frames: Option<u64>,
    pub screenshot: Option<PathBuf>,
    pub raylib: Option<PathBuf>,
    pub args: Vec<String>,
    pub marshal: Marshal,
    pub arena: Arena,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Setup(String),
    #[error(transparent)]
    Library(#[from] libraries::LoadError),
    /// A Lua error from the game: message and traceback, ready to print.
    #[error("{0}")]
    Script(String),
}

/// What the frame hooks share with the runtime.
#[derive(Default)]
struct FrameState {
    frames: u64,
    frames_target: Option<u64>,
    want_screenshot: bool,
    capture: Option<Capture>,
    headless: bool,
    /// `ctx.ffi_calls` when the current frame began, and the count of the last whole frame.
    calls_at_frame_start: u64,
    last_frame_calls: u64,
}

/// `runtime.keep_capture(image)`: copies the pixels of an `Image` from `LoadImageFromScreen`.
struct KeepCapture {
    state: Rc<RefCell<FrameState>>,
    image_sid: u32,
}

impl LuaHandler for KeepCapture {
    fn call(&self, st: &mut Stack) -> Result<c_int, String> {
        let img = st
            .struct_at(1)
            .filter(|s| s.ty == self.image_sid)
            .ok_or("Image expected")?;
        let data = img.mem.read::<usize>(0) as *const std::ffi::c_void;
        let (w, h, format) = (
            img.mem.read::<i32>(8),
            img.mem.read::<i32>(12),
            img.mem.read::<i32>(20),
        );
        // LoadImageFromScreen always returns PIXELFORMAT_UNCOMPRESSED_R8G8B8A8 (7).
        if data.is_null() || w <= 0 || h <= 0 || format != 7 {
            return Err("screen capture returned no pixels".into());
        }
        let rgba = bytes_at(data, w as usize * h as usize * 4);
        let mut state = self.state.borrow_mut();
        let headless = state.headless;
        state.capture = Some(screenshot::normalize(w as u32, h as u32, rgba, headless));
        Ok(0)
    }
}

/// Finds `main.lua` for a folder, or takes a `.lua` file as it is.
pub fn resolve_script(path: &Path) -> Result<(PathBuf, String), RunError> {
    let (dir, file) = if path.is_dir() {
        (path.to_path_buf(), "main.lua".to_string())
    } else if path.is_file() {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        (dir, name.unwrap_or_default())
    } else {
        return Err(RunError::Setup(format!(
            "{}: no such game (give a folder with main.lua, or a .lua file)",
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

pub fn run(opts: RunOptions) -> Result<(), RunError> {
    let (dir, file) = resolve_script(&opts.path)?;
    let cwd = std::env::current_dir().map_err(|e| RunError::Setup(e.to_string()))?;
    let screenshot_path = opts.screenshot.as_ref().map(|p| cwd.join(p));

    let library = libraries::load(opts.backend, opts.raylib.as_deref())?;
    let lua = mlua::Lua::new();
    let bindings = crate::marshal::bind(&lua, Registry::raylib(), library);
    modes::set(&bindings.ctx.modes, opts.marshal, opts.arena);
    let rl = crate::lua::build_rl_table(&lua, &bindings).map_err(setup)?;
    let image_sid = bindings
        .ctx
        .registry
        .struct_id("Image")
        .expect("raylib has Image") as u32;

    let state = Rc::new(RefCell::new(FrameState {
        frames_target: opts.frames,
        want_screenshot: screenshot_path.is_some(),
        headless: opts.backend == Backend::Headless,
        ..FrameState::default()
    }));

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
    lunaray
        .set(
            "_runtime",
            runtime_table(&lua, &state, image_sid, bindings.ctx).map_err(setup)?,
        )
        .map_err(setup)?;
    lunaray
        .set(
            "mode",
            modes::mode_function(&lua, bindings.ctx).map_err(setup)?,
        )
        .map_err(setup)?;
    lunaray
        .set(
            "stats",
            stats_function(&lua, &state, bindings.ctx).map_err(setup)?,
        )
        .map_err(setup)?;
    globals.set("lunaray", lunaray).map_err(setup)?;

    std::env::set_current_dir(&dir)
        .map_err(|e| RunError::Setup(format!("{}: {e}", dir.display())))?;
    lua.load(BOOT_LUA)
        .set_name("@boot.lua")
        .exec()
        .map_err(|e| RunError::Script(e.to_string()))?;
    let source = std::fs::read(&file).map_err(|e| RunError::Setup(format!("{file}: {e}")))?;
    let result = lua.load(source).set_name(format!("@{file}")).exec();
    if let Err(e) = result {
        return Err(RunError::Script(script_error(&e)));
    }

    if let Some(path) = screenshot_path {
        let state = state.borrow();
        match &state.capture {
            Some(capture) => screenshot::write_png(&path, capture)
                .map_err(|e| RunError::Setup(format!("{}: {e}", path.display())))?,
            None => {
                return Err(RunError::Setup(format!(
                    "no frame was presented, so no screenshot was written to {}",
                    path.display()
                )))
            }
        }
    }
    Ok(())
}

fn setup(e: mlua::Error) -> RunError {
    RunError::Setup(e.to_string())
}

/// The frame hooks `boot.lua` calls.
fn runtime_table(
    lua: &mlua::Lua,
    state: &Rc<RefCell<FrameState>>,
    image_sid: u32,
    ctx: &'static Ctx,
) -> mlua::Result<mlua::Table> {
    let t = lua.create_table()?;
    let s = state.clone();
    t.set(
        "capture_due",
        lua.create_function(move |_, ()| {
            let s = s.borrow();
            Ok(s.want_screenshot && s.frames_target.is_none_or(|target| s.frames + 1 >= target))
        })?,
    )?;
    let s = state.clone();
    t.set(
        "frame_end",
        lua.create_function(move |_, ()| {
            crate::arena::end_frame();
            let mut s = s.borrow_mut();
            s.frames += 1;
            let calls = ctx.ffi_calls.get();
            s.last_frame_calls = calls - s.calls_at_frame_start;
            s.calls_at_frame_start = calls;
            Ok(s.frames_target.is_some_and(|target| s.frames >= target))
        })?,
    )?;
    let keep: &'static KeepCapture = Box::leak(Box::new(KeepCapture {
        state: state.clone(),
        image_sid,
    }));
    let f: mlua::Function = build_value(lua, |st| st.push_handler(keep))?;
    t.set("keep_capture", f)?;
    Ok(t)
}

/// `lunaray.stats()`: frames presented, C calls in the last frame (and in all), and the frame
/// arena's bytes in the last frame and at most.
fn stats_function(
    lua: &mlua::Lua,
    state: &Rc<RefCell<FrameState>>,
    ctx: &'static Ctx,
) -> mlua::Result<mlua::Function> {
    let s = state.clone();
    lua.create_function(move |lua, ()| {
        let s = s.borrow();
        let arena = crate::arena::stats();
        let t = lua.create_table()?;
        t.set("frames", s.frames)?;
        t.set("ffi_calls", s.last_frame_calls)?;
        t.set("ffi_calls_total", ctx.ffi_calls.get())?;
        t.set("arena_bytes", arena.last_frame)?;
        t.set("arena_peak", arena.peak)?;
        t.set("arena_capacity", arena.capacity)?;
        Ok(t)
    })
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
