//! The `lunaray` table: what the runtime tells a script about itself, and helpers that have no
//! raylib name (`lunaray.string`).

use std::ffi::c_int;

use crate::error::{Error, Problem};
use crate::ffi::lua_stack::{build_value, LuaHandler, Stack};
use crate::ffi::memory::{c_string_checked, read_checked};
use crate::marshal::{Bindings, Ctx};
use crate::runtime::libraries::Backend;

/// `lunaray.string(ptr [, len])`: the bytes behind a pointer raylib returned (like LuaJIT's
/// `ffi.string`): up to the first NUL, or exactly `len` bytes.
struct PtrString {
    ctx: &'static Ctx,
}

impl LuaHandler for PtrString {
    fn call(&self, st: &mut Stack) -> Result<c_int, Error> {
        let Some(p) = st.pointer_at(1).filter(|p| !p.freed).map(|p| p.ptr) else {
            let got = crate::marshal::structs::describe(self.ctx, st, 1);
            return Err(Problem::type_mismatch("pointer", got).at("string", 1));
        };
        // The script vouches for the length (as with LuaJIT's ffi.string); reading through
        // the kernel turns a wrong one into an error instead of a crash.
        let len = st.integer(2).or_else(|| st.number(2).map(|f| f as i64));
        // Under the sandbox a length is no wider than what raylib said the memory holds, so
        // a game cannot read the process's memory around a pointer it was given.
        if let (Some(n), true) = (len, self.ctx.sandbox.borrow().is_some()) {
            let known = st.pointer_len(1);
            if known.is_none_or(|k| n > k as i64) {
                return Err(Problem::Other(match known {
                    Some(k) => format!("the sandbox allows at most {k} bytes here, got {n}"),
                    None => "the sandbox allows a length only where raylib gave one".into(),
                })
                .at("string", 2));
            }
        }
        let bytes = match len {
            Some(n) if (0..=1 << 30).contains(&n) => read_checked(p, n as usize),
            Some(_) => return Err(Problem::Other("length out of range".into()).at("string", 2)),
            None => c_string_checked(p, 1 << 30),
        }
        .map_err(|e| Problem::Other(format!("memory not readable: {e}")).at("string", 1))?;
        st.push_bytes(&bytes);
        Ok(1)
    }
}

pub fn build(lua: &mlua::Lua, bindings: &Bindings, backend: Backend) -> mlua::Result<mlua::Table> {
    let t = lua.create_table()?;
    t.set("version", env!("CARGO_PKG_VERSION"))?;
    t.set("backend", backend.name())?;
    // "Lua 5.4", or LuaJIT's own version ("LuaJIT 2.1.x"): its `_VERSION` says "Lua 5.1".
    let jit: Option<mlua::Table> = lua.globals().get("jit")?;
    let version: String = match jit {
        Some(jit) => jit.get("version")?,
        None => lua.globals().get("_VERSION")?,
    };
    t.set("lua", version)?;
    t.set(
        "library",
        bindings.ctx.library.path().to_string_lossy().into_owned(),
    )?;
    let ctx = bindings.ctx;
    let string: &'static PtrString = Box::leak(Box::new(PtrString { ctx }));
    let f: mlua::Function = build_value(lua, |st| st.push_handler(string))?;
    t.set("string", f)?;
    Ok(t)
}
