//! What `scripts/boot.lua`'s frame hooks call into, and the parts of the `lunaray` table that
//! report on frames: `lunaray.stats()`, `lunaray.overlay()`, `lunaray.scale()`.

use std::cell::RefCell;
use std::ffi::c_int;
use std::rc::Rc;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::{build_value, LuaHandler, LuaType, Stack};
use crate::ffi::memory::read_checked;
use crate::marshal::Ctx;
use crate::runtime::frames::FrameClock;
use crate::runtime::modes;
use crate::runtime::screenshot::{self, Capture};

/// Frame state shared by the hooks and the runtime.
pub struct FrameState {
    pub clock: FrameClock,
    pub want_screenshot: bool,
    pub capture: Option<Capture>,
    pub headless: bool,
    /// The overlay's keys are live (`--overlay`, `lunaray.overlay(true)`); `visible` is O.
    pub overlay: bool,
    pub overlay_visible: bool,
    /// The load multiplier scenes read with `lunaray.scale()` (Alt++ and Alt+- keys).
    pub scale: f64,
    /// Mode switches asked for during a frame, applied between frames.
    pub pending_marshal: Option<modes::Marshal>,
    pub pending_arena: Option<modes::Arena>,
}

pub type Shared = Rc<RefCell<FrameState>>;

/// `runtime.keep_capture(image)`: copies the pixels of an `Image` from `LoadImageFromScreen`.
struct KeepCapture {
    state: Shared,
    image_sid: u32,
}

impl LuaHandler for KeepCapture {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let img = st
            .struct_at(1)
            .filter(|s| s.ty == self.image_sid)
            .ok_or_else(|| Error::runtime("Image expected"))?;
        let data = img.mem.read::<usize>(0) as *const std::ffi::c_void;
        let (w, h, format) = (
            img.mem.read::<i32>(8),
            img.mem.read::<i32>(12),
            img.mem.read::<i32>(20),
        );
        // LoadImageFromScreen always returns PIXELFORMAT_UNCOMPRESSED_R8G8B8A8 (7).
        if data.is_null() || w <= 0 || h <= 0 || format != 7 {
            return Err(Error::runtime("screen capture returned no pixels"));
        }
        // Read through the kernel: the Image's fields are a script-visible struct, so its
        // size is not trusted for a raw read.
        let rgba = read_checked(data, w as usize * h as usize * 4)
            .map_err(|e| Error::runtime(format!("screen capture unreadable: {e}")))?;
        let mut state = self.state.borrow_mut();
        let headless = state.headless;
        state.capture = Some(screenshot::normalize(w as u32, h as u32, rgba, headless));
        Ok(0)
    }
}

/// `runtime.path_list(list)`: the paths in a `FilePathList` (from `LoadDroppedFiles`) as a
/// Lua array of strings, for `lunaray.filedropped(paths)`.
struct PathList {
    sid: u32,
}

/// raylib's limit on a dropped path (MAX_FILEPATH_LENGTH).
const MAX_PATH: usize = 4096;

impl LuaHandler for PathList {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let list = st
            .struct_at(1)
            .filter(|s| s.ty == self.sid)
            .ok_or_else(|| Error::runtime("FilePathList expected"))?;
        // { unsigned int count; char **paths; }: fields a script can write, so every read
        // behind them goes through the kernel instead of being trusted.
        let count = list.mem.read::<u32>(0) as usize;
        let paths = list.mem.read::<usize>(8) as *const std::ffi::c_void;
        let mut out = Vec::with_capacity(count.min(1024));
        if count > 0 && !paths.is_null() {
            let table = read_checked(paths, count * std::mem::size_of::<usize>())
                .map_err(|e| Error::runtime(format!("dropped files unreadable: {e}")))?;
            for word in table.chunks_exact(std::mem::size_of::<usize>()) {
                let p = usize::from_ne_bytes(word.try_into().expect("word-sized chunk"));
                let bytes = crate::ffi::memory::c_string_checked(p as *const _, MAX_PATH)
                    .map_err(|e| Error::runtime(format!("dropped file unreadable: {e}")))?;
                out.push(bytes);
            }
        }
        st.new_table();
        for (i, bytes) in out.iter().enumerate() {
            st.push_integer(i as i64 + 1);
            st.push_bytes(bytes);
            st.raw_set(-3);
        }
        Ok(1)
    }
}

/// The table `boot.lua` takes as `private.runtime`.
pub fn runtime_table(
    lua: &mlua::Lua,
    state: &Shared,
    image_sid: u32,
    ctx: &'static Ctx,
) -> mlua::Result<mlua::Table> {
    let t = lua.create_table()?;
    if let Some(sid) = ctx.registry.struct_id("FilePathList") {
        let paths: &'static PathList = Box::leak(Box::new(PathList { sid: sid as u32 }));
        let f: mlua::Function = build_value(lua, |st| st.push_handler(paths))?;
        t.set("path_list", f)?;
    }
    let s = state.clone();
    t.set(
        "capture_due",
        lua.create_function(move |_, ()| {
            let s = s.borrow();
            let next = s.clock.frames + 1;
            Ok(s.want_screenshot && s.clock.target.is_none_or(|target| next >= target))
        })?,
    )?;
    let s = state.clone();
    t.set(
        "mark",
        lua.create_function(move |_, ()| {
            s.borrow_mut().clock.mark(ctx);
            Ok(())
        })?,
    )?;
    let s = state.clone();
    t.set(
        "frame_end",
        lua.create_function(move |_lua, ()| {
            crate::arena::end_frame();
            let mut s = s.borrow_mut();
            // Switches asked for during the frame take effect between frames.
            let (marshal, arena) = modes::current(&ctx.modes);
            let marshal = s.pending_marshal.take().unwrap_or(marshal);
            let arena = s.pending_arena.take().unwrap_or(arena);
            modes::set(&ctx.modes, marshal, arena);
            #[cfg(feature = "luajit")]
            crate::marshal::jit::sync_lua(_lua, ctx);
            Ok(s.clock.end(ctx))
        })?,
    )?;
    let s = state.clone();
    t.set(
        "overlay_keys",
        lua.create_function(move |_, ()| Ok(s.borrow().overlay))?,
    )?;
    let s = state.clone();
    t.set(
        "overlay_visible",
        lua.create_function(move |_, ()| {
            let s = s.borrow();
            Ok(s.overlay && s.overlay_visible)
        })?,
    )?;
    let s = state.clone();
    t.set(
        "key",
        lua.create_function(move |_, key: String| {
            let mut s = s.borrow_mut();
            let (marshal, arena) = modes::current(&ctx.modes);
            match key.as_str() {
                "M" => {
                    let now = s.pending_marshal.unwrap_or(marshal);
                    s.pending_marshal = Some(match now {
                        modes::Marshal::Planned => modes::Marshal::Naive,
                        // jit where the build has it (LuaJIT), then back to planned.
                        modes::Marshal::Naive if modes::available(ctx, modes::Marshal::Jit) => {
                            modes::Marshal::Jit
                        }
                        // The peer where the game runs with --ffi.
                        modes::Marshal::Naive | modes::Marshal::Jit
                            if modes::available(ctx, modes::Marshal::LuajitFfi) =>
                        {
                            modes::Marshal::LuajitFfi
                        }
                        modes::Marshal::Naive | modes::Marshal::Jit | modes::Marshal::LuajitFfi => {
                            modes::Marshal::Planned
                        }
                    });
                }
                "A" => {
                    let now = s.pending_arena.unwrap_or(arena);
                    s.pending_arena = Some(match now {
                        modes::Arena::Frame => modes::Arena::Heap,
                        modes::Arena::Heap => modes::Arena::Frame,
                    });
                }
                "O" => s.overlay_visible = !s.overlay_visible,
                "+" => s.scale = (s.scale * 2.0).min(1024.0),
                "-" => s.scale = (s.scale / 2.0).max(1.0 / 1024.0),
                _ => {}
            }
            Ok(())
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

/// Adds `stats`, `overlay` and `scale` to the `lunaray` table.
pub fn add_frame_functions(
    lua: &mlua::Lua,
    lunaray: &mlua::Table,
    state: &Shared,
    ctx: &'static Ctx,
) -> mlua::Result<()> {
    let s = state.clone();
    lunaray.set(
        "stats",
        lua.create_function(move |lua, ()| {
            let s = s.borrow();
            let arena = crate::arena::stats();
            let c = &s.clock;
            let t = lua.create_table()?;
            t.set("frames", c.frames)?;
            t.set("ffi_calls", c.last.ffi_calls)?;
            t.set("ffi_calls_total", ctx.ffi_calls.get())?;
            t.set("arena_bytes", arena.last_frame)?;
            t.set("arena_peak", arena.peak)?;
            t.set("arena_held", arena.capacity)?;
            t.set("memory_bytes", lua.used_memory())?;
            t.set("frame_ms", c.smooth.frame_ms)?;
            t.set("script_ms", c.smooth.script_ms)?;
            t.set("rest_ms", c.smooth.rest_ms)?;
            t.set("ffi_calls_smooth", c.smooth.ffi_calls)?;
            t.set("ffi_ns_per_call", c.smooth_ns_per_call)?;
            t.set(
                "fps",
                if c.smooth.frame_ms > 0.0 {
                    1000.0 / c.smooth.frame_ms
                } else {
                    0.0
                },
            )?;
            Ok(t)
        })?,
    )?;
    let overlay: &'static Overlay = Box::leak(Box::new(Overlay {
        state: state.clone(),
        ctx,
    }));
    let f: mlua::Function = build_value(lua, |st| st.push_handler(overlay))?;
    lunaray.set("overlay", f)?;
    let s = state.clone();
    lunaray.set(
        "scale",
        lua.create_function(move |_, ()| Ok(s.borrow().scale))?,
    )?;
    Ok(())
}

/// `lunaray.overlay([on])`: shows or hides the overlay (and its keys); returns whether it is on.
struct Overlay {
    state: Shared,
    ctx: &'static Ctx,
}

impl LuaHandler for Overlay {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let on = match st.type_of(1) {
            LuaType::None | LuaType::Nil => None,
            LuaType::Boolean => Some(st.boolean(1)),
            other => return Err(Problem::type_mismatch("boolean", other.name()).at("overlay", 1)),
        };
        let mut s = self.state.borrow_mut();
        if let Some(on) = on {
            s.overlay = on;
            s.overlay_visible = on;
            self.ctx.set_sampling(on || s.clock.history.is_some());
        }
        st.push_boolean(s.overlay);
        Ok(1)
    }
}
