//! The call paths a user can switch between, from the command line (`--marshal`, `--arena`)
//! and live from Lua (`lunaray.mode{marshal = "naive", arena = "heap"}`).

use crate::marshal::{Ctx, Modes};

/// How arguments are converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Marshal {
    /// Call plans built once per function (the default).
    Planned,
    /// The "before" picture: layouts looked up by name, types walked, buffers malloc'd, per call.
    Naive,
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
    pub fn name(self) -> &'static str {
        match self {
            Marshal::Planned => "planned",
            Marshal::Naive => "naive",
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
    modes.naive.set(marshal == Marshal::Naive);
    modes.heap_arena.set(arena == Arena::Heap);
}

pub fn current(modes: &Modes) -> (Marshal, Arena) {
    (
        if modes.naive.get() {
            Marshal::Naive
        } else {
            Marshal::Planned
        },
        if modes.heap_arena.get() {
            Arena::Heap
        } else {
            Arena::Frame
        },
    )
}

/// `lunaray.mode([{marshal = ..., arena = ..., direct = ...}])`: switches the given modes and
/// returns the current ones as a table.
pub fn mode_function(lua: &mlua::Lua, ctx: &'static Ctx) -> mlua::Result<mlua::Function> {
    lua.create_function(move |lua, changes: Option<mlua::Table>| {
        let modes = &ctx.modes;
        if let Some(t) = changes {
            for pair in t.pairs::<String, mlua::Value>() {
                let (key, value) = pair?;
                match (key.as_str(), &value) {
                    ("marshal", mlua::Value::String(s)) => match s.to_str()?.as_ref() {
                        "planned" => modes.naive.set(false),
                        "naive" => modes.naive.set(true),
                        other => return Err(bad_mode("marshal", other, "'planned' or 'naive'")),
                    },
                    ("arena", mlua::Value::String(s)) => match s.to_str()?.as_ref() {
                        "frame" => modes.heap_arena.set(false),
                        "heap" => modes.heap_arena.set(true),
                        other => return Err(bad_mode("arena", other, "'frame' or 'heap'")),
                    },
                    ("direct", mlua::Value::Boolean(b)) => modes.direct.set(*b),
                    (k, v) => {
                        return Err(mlua::Error::runtime(format!(
                            "bad argument #1 to 'mode' (unknown mode '{k}' = {})",
                            v.type_name()
                        )))
                    }
                }
            }
        }
        let (marshal, arena) = current(modes);
        let t = lua.create_table()?;
        t.set("marshal", marshal.name())?;
        t.set("arena", arena.name())?;
        t.set("direct", modes.direct.get())?;
        Ok(t)
    })
}

fn bad_mode(key: &str, got: &str, expected: &str) -> mlua::Error {
    mlua::Error::runtime(format!(
        "bad argument #1 to 'mode' ({key} must be {expected}, got '{got}')"
    ))
}
