//! The call paths a user can switch between, from the command line (`--marshal`, `--arena`)
//! and live from Lua (`lunaray.mode{marshal = "naive", arena = "heap"}`).

use std::ffi::c_int;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::{build_value, LuaHandler, LuaType, Stack};
use crate::marshal::{Ctx, Modes};

/// How arguments are converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Marshal {
    /// Call plans built once per function (the default).
    Planned,
    /// The "before" picture: layouts looked up by name, types walked, buffers malloc'd, per call.
    Naive,
    /// LuaJIT builds: functions with a wrapper the JIT compiles take it (`marshal::jit`),
    /// the others planned.
    Jit,
    /// LuaJIT builds run with `--ffi`: raylib-lua's way, raylib's functions called through
    /// LuaJIT's own FFI with its own struct values (`marshal::peer`): the peer, unchecked.
    LuajitFfi,
}

/// Where call temporaries come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Arena {
    /// The per-frame thread-local bump arena (the default).
    Frame,
    /// One heap allocation per temporary.
    Heap,
}

impl Marshal {
    const ALL: [Marshal; 4] = [
        Marshal::Planned,
        Marshal::Naive,
        Marshal::Jit,
        Marshal::LuajitFfi,
    ];

    pub fn from_name(name: &str) -> Option<Marshal> {
        Marshal::ALL.into_iter().find(|m| m.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Marshal::Planned => "planned",
            Marshal::Naive => "naive",
            Marshal::Jit => "jit",
            Marshal::LuajitFfi => "luajit-ffi",
        }
    }
}

impl Arena {
    pub fn name(self) -> &'static str {
        match self {
            Arena::Frame => "frame",
            Arena::Heap => "heap",
        }
    }
}

pub fn set(modes: &Modes, marshal: Marshal, arena: Arena) {
    modes.set_naive(marshal == Marshal::Naive);
    modes.set_jit(marshal == Marshal::Jit);
    modes.set_peer(marshal == Marshal::LuajitFfi);
    modes.set_heap(arena == Arena::Heap);
}

pub fn current(modes: &Modes) -> (Marshal, Arena) {
    (
        if modes.naive() {
            Marshal::Naive
        } else if modes.peer() {
            Marshal::LuajitFfi
        } else if modes.jit() {
            Marshal::Jit
        } else {
            Marshal::Planned
        },
        if modes.heap() {
            Arena::Heap
        } else {
            Arena::Frame
        },
    )
}

/// `lunaray.mode([{marshal = ..., arena = ..., direct = ...}])`: switches the given modes and
/// returns the current ones as a table.
pub fn mode_function(lua: &mlua::Lua, ctx: &'static Ctx) -> mlua::Result<mlua::Function> {
    let handler: &'static ModeFunction = Box::leak(Box::new(ModeFunction { ctx }));
    build_value(lua, |st| st.push_handler(handler))
}

struct ModeFunction {
    ctx: &'static Ctx,
}

impl LuaHandler for ModeFunction {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let modes = &self.ctx.modes;
        match st.type_of(1) {
            LuaType::None | LuaType::Nil => {}
            LuaType::Table => st.for_each_pair(1, |st| {
                let key = st.string_lossy(-2).unwrap_or_default();
                let value = st.string_lossy(-1);
                match (key.as_str(), st.type_of(-1)) {
                    ("marshal", LuaType::String) => match value.as_deref() {
                        Some(name @ ("planned" | "naive" | "jit" | "luajit-ffi")) => {
                            let m = Marshal::from_name(name).expect("a marshal mode's name");
                            if !available(self.ctx, m) {
                                let why = unavailable(m).unwrap_or_default();
                                return Err(Problem::Other(format!("marshal = '{name}' {why}"))
                                    .at("mode", 1));
                            }
                            set(modes, m, arena(modes));
                        }
                        other => {
                            let expected = if cfg!(feature = "luajit") {
                                "'planned', 'naive', 'jit' or 'luajit-ffi'"
                            } else {
                                "'planned' or 'naive'"
                            };
                            return Err(bad_mode("marshal", other, expected));
                        }
                    },
                    ("arena", LuaType::String) => match value.as_deref() {
                        Some("frame") => modes.set_heap(false),
                        Some("heap") => modes.set_heap(true),
                        other => return Err(bad_mode("arena", other, "'frame' or 'heap'")),
                    },
                    ("direct", LuaType::Boolean) => modes.set_direct(st.boolean(-1)),
                    (k, t) => {
                        return Err(Problem::Other(format!("unknown mode '{k}' = {}", t.name()))
                            .at("mode", 1))
                    }
                }
                Ok(())
            })?,
            other => return Err(Problem::type_mismatch("table", other.name()).at("mode", 1)),
        }
        #[cfg(feature = "luajit")]
        crate::marshal::jit::sync(st, self.ctx);
        let (marshal, arena) = current(modes);
        if !st.ensure(3) {
            return Err(Error::stack_overflow());
        }
        st.new_table();
        st.set_field(-1, "marshal", |st| st.push_bytes(marshal.name().as_bytes()));
        st.set_field(-1, "arena", |st| st.push_bytes(arena.name().as_bytes()));
        st.set_field(-1, "direct", |st| st.push_boolean(modes.direct()));
        Ok(1)
    }
}

/// The arena in use.
fn arena(modes: &Modes) -> Arena {
    current(modes).1
}

/// Whether `marshal` can be switched on now: jit where its wrappers are installed (LuaJIT
/// with cdata values), the luajit-ffi peer where it is (LuaJIT run with `--ffi`).
pub fn available(ctx: &Ctx, marshal: Marshal) -> bool {
    match marshal {
        Marshal::Planned | Marshal::Naive => true,
        Marshal::Jit => ctx.jit_available.get(),
        #[cfg(feature = "luajit")]
        Marshal::LuajitFfi => crate::marshal::peer::available(ctx),
        #[cfg(not(feature = "luajit"))]
        Marshal::LuajitFfi => false,
    }
}

/// Why `marshal` may be unavailable, worded to follow its name (the command line's
/// `--marshal jit ...` and `lunaray.mode`'s `marshal = 'jit' ...`); None for the modes every
/// build has.
pub fn unavailable(marshal: Marshal) -> Option<&'static str> {
    Some(match marshal {
        Marshal::Planned | Marshal::Naive => return None,
        _ if !cfg!(feature = "luajit") => "needs the LuaJIT build of lunaray (this is Lua 5.4)",
        Marshal::Jit => "is unavailable: LuaJIT's cdata layout is not the one lunaray reads",
        Marshal::LuajitFfi => "needs --ffi: it is LuaJIT's own FFI, which checks nothing",
    })
}

fn bad_mode(key: &str, got: Option<&str>, expected: &str) -> Error {
    Problem::Other(format!(
        "{key} must be {expected}, got '{}'",
        got.unwrap_or_default()
    ))
    .at("mode", 1)
}
