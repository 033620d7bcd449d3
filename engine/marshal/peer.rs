//! LuaJIT builds run with `--ffi`: the luajit-ffi mode, the peer lunaray is measured against.
//!
//! In this mode `rl` is what raylib-lua (TSnake41's LuaJIT FFI runtime) gives its users:
//! raylib's functions are LuaJIT clib functions, declared with `ffi.cdef` from the same
//! registry lunaray binds (raylib's own declarations, raylib's own type and field names),
//! called through LuaJIT's FFI on the same libraylib; `rl.Vector2` and the other struct names
//! are LuaJIT ctypes, `rl.new` is `ffi.new`, `rl.RED` and the other colours are `Color`
//! cdata. Nothing of lunaray is between the script and C, so nothing of lunaray checks
//! anything either: this is LuaJIT's FFI, unsafe by design (a wrong pointer, a float field
//! holding a NaN whose payload LuaJIT reads as another type, a call before the window...),
//! which is why the mode exists only where the script holds `ffi` already (`--ffi`).
//!
//! Contract:
//! - The peer's values are its own ctypes (`struct Vector2`), not lunaray's
//!   (`struct lunaray_Vector2`): a value made in another mode and passed to a peer function
//!   is refused by LuaJIT with its own error ("cannot convert ..."), as raylib-lua would.
//! - Switching is a swap of `rl`'s entries, both ways, of exactly the entries that still
//!   hold what lunaray put there before the runtime's scripts ran (`snapshot`): functions the
//!   runtime wraps (`EndDrawing`, `WindowShouldClose`, the log functions...) and entries a
//!   game replaced stay as they are, and so does every function whose declaration takes or
//!   returns a callback (lunaray's own are kept: LuaJIT callbacks run on raylib's audio
//!   thread would crash).
//! - A script that keeps a function in a local keeps that function across switches.

use std::ffi::c_int;
use std::fmt::Write;

use crate::ffi::lua_stack::{with_main_stack, LuaType, Stack};
use crate::registry::{CType, DefineValue, Registry};

use super::{Bindings, Ctx};

/// Registry references of the three tables a switch works on, and which side `rl` is on.
#[derive(Clone, Copy, Debug)]
pub struct Tables {
    rl: c_int,
    /// `rl` as lunaray built it, before the runtime's scripts ran.
    lunaray: c_int,
    /// The peer's entries, by the same names.
    peer: c_int,
    entered: bool,
}

/// The C declarator of `name` (which may be empty, or `*p`, `(*f)(...)`) of type `ty`; None
/// where LuaJIT's `cdef` cannot take the type (`va_list`).
fn declarator(reg: &Registry, ty: &CType, name: &str) -> Option<String> {
    let sep = |base: &str| {
        if name.is_empty() {
            base.to_string()
        } else {
            format!("{base} {name}")
        }
    };
    Some(match ty {
        CType::Prim(p) => sep(p.c_name()),
        CType::Struct(sid) => sep(&reg.structs[*sid].name),
        CType::Opaque(n) if n == "va_list" => return None,
        CType::Opaque(n) | CType::Callback(n) => sep(n),
        CType::Pointer { to, is_const } => {
            let inner = declarator(reg, to, &format!("*{name}"))?;
            if *is_const {
                format!("const {inner}")
            } else {
                inner
            }
        }
        CType::Array { of, len } => declarator(reg, of, &format!("{name}[{len}]"))?,
    })
}

/// Whether `ty` is or holds a callback.
fn has_callback(ty: &CType) -> bool {
    match ty {
        CType::Callback(_) => true,
        CType::Pointer { to, .. } | CType::Array { of: to, .. } => has_callback(to),
        _ => false,
    }
}

/// Adds the opaque structs `ty` names (`rAudioBuffer`) to `out`, once each.
fn opaque_names<'a>(ty: &'a CType, out: &mut Vec<&'a str>) {
    match ty {
        CType::Opaque(n) if n != "va_list" && !out.contains(&n.as_str()) => out.push(n),
        CType::Pointer { to, .. } | CType::Array { of: to, .. } => opaque_names(to, out),
        _ => {}
    }
}

/// A parameter list: `(int a, float b)`, `(void)`, `(const char *text, ...)`.
fn params(reg: &Registry, ps: &[crate::registry::Param], variadic: bool) -> Option<String> {
    let mut out: Vec<String> = Vec::with_capacity(ps.len() + 1);
    for p in ps {
        out.push(declarator(reg, &p.ty, &p.name)?);
    }
    if variadic {
        out.push("...".into());
    }
    Some(if out.is_empty() {
        "(void)".into()
    } else {
        format!("({})", out.join(", "))
    })
}

/// raylib's declarations for LuaJIT's `cdef`, one per string, in an order where each one's
/// types are declared before it: opaque structs, every struct's name, callbacks, struct
/// bodies, typedef aliases, functions. Also the names of the functions declared: those that
/// take and return no callback and no `va_list`.
pub fn declarations(reg: &Registry) -> (Vec<String>, Vec<String>) {
    let mut decls = Vec::new();
    let mut opaque: Vec<&str> = Vec::new();
    for s in &reg.structs {
        s.fields
            .iter()
            .for_each(|f| opaque_names(&f.ty, &mut opaque));
    }
    for f in &reg.functions {
        opaque_names(&f.ret, &mut opaque);
        f.params
            .iter()
            .for_each(|p| opaque_names(&p.ty, &mut opaque));
    }
    for n in opaque {
        decls.push(format!("typedef struct {n} {n};"));
    }
    for s in &reg.structs {
        decls.push(format!("typedef struct {n} {n};", n = s.name));
    }
    for c in &reg.callbacks {
        let decl = params(reg, &c.params, false)
            .and_then(|ps| declarator(reg, &c.ret, &format!("(*{}){ps}", c.name)));
        // A callback LuaJIT cannot declare is a pointer it never calls.
        decls.push(match decl {
            Some(d) => format!("typedef {d};"),
            None => format!("typedef void *{};", c.name),
        });
    }
    for s in &reg.structs {
        let mut body = String::new();
        for f in &s.fields {
            let d = declarator(reg, &f.ty, &f.name).unwrap_or_else(|| format!("void *{}", f.name));
            let _ = write!(body, " {d};");
        }
        decls.push(format!("struct {} {{{body} }};", s.name));
    }
    for (alias, ty) in &reg.aliases {
        if let Some(d) = declarator(reg, ty, alias) {
            decls.push(format!("typedef {d};"));
        }
    }
    let mut names = Vec::new();
    for f in &reg.functions {
        if has_callback(&f.ret) || f.params.iter().any(|p| has_callback(&p.ty)) {
            continue;
        }
        let Some(ps) = params(reg, &f.params, f.variadic) else {
            continue;
        };
        if let Some(d) = declarator(reg, &f.ret, &format!("{}{ps}", f.name)) {
            decls.push(format!("{d};"));
            names.push(f.name.clone());
        }
    }
    (decls, names)
}

/// The chunk that declares raylib to LuaJIT, loads the library and returns the peer's `rl`
/// entries, and how many declarations LuaJIT refused.
const PEER_LUA: &str = r#"
local ffi, libpath, decls, names, structs, colors, aliases = ...
local refused = 0
for i = 1, #decls do
  if not pcall(ffi.cdef, decls[i]) then refused = refused + 1 end
end
local J = ffi.load(libpath)
local peer = {}
for i = 1, #names do
  local n = names[i]
  local ok, f = pcall(function() return J[n] end)
  if ok then peer[n] = f end
end
for alias, target in pairs(aliases) do peer[alias] = peer[target] end
for i = 1, #structs do
  local ok, T = pcall(ffi.typeof, structs[i])
  if ok then peer[structs[i]] = T end
end
for name, c in pairs(colors) do peer[name] = ffi.new("Color", c[1], c[2], c[3], c[4]) end
peer.new = ffi.new
return peer, refused
"#;

/// A shallow copy of `rl` as lunaray built it: taken before the runtime's scripts run, it is
/// what a switch to the peer may replace.
pub fn snapshot(lua: &mlua::Lua, rl: &mlua::Table) -> mlua::Result<mlua::Table> {
    let copy = lua.create_table()?;
    for pair in rl.pairs::<mlua::Value, mlua::Value>() {
        let (k, v) = pair?;
        copy.raw_set(k, v)?;
    }
    Ok(copy)
}

/// Declares raylib to LuaJIT and makes the peer's entries; from now on `lunaray.mode` and
/// key M offer the luajit-ffi mode. `private` is the runtime scripts' table: its `unpeer`
/// maps each peer entry to lunaray's, for boot.lua's view of `rl`. Returns how many declarations LuaJIT refused (0 for the
/// registry lunaray ships; a test holds it to that).
pub fn install(
    lua: &mlua::Lua,
    bindings: &Bindings,
    rl: &mlua::Table,
    snapshot: &mlua::Table,
    private: &mlua::Table,
) -> mlua::Result<usize> {
    let ctx = bindings.ctx;
    let reg = &ctx.registry;
    let (decls, mut names) = declarations(reg);
    // Only what lunaray binds: the library exports it.
    let bound: std::collections::HashSet<&str> =
        bindings.plans.iter().map(|p| p.name.as_str()).collect();
    names.retain(|n| bound.contains(n.as_str()));
    let structs: Vec<&str> = reg
        .structs
        .iter()
        .map(|s| s.name.as_str())
        .chain(reg.aliases.iter().map(|(a, _)| a.as_str()))
        .collect();
    let colors = lua.create_table()?;
    for d in &reg.defines {
        if let DefineValue::Color(rgba) = &d.value {
            colors.raw_set(d.name.as_str(), rgba.to_vec())?;
        }
    }
    let aliases = lua.create_table()?;
    for (alias, target) in &reg.function_aliases {
        if bound.contains(target.as_str()) {
            aliases.raw_set(alias.as_str(), target.as_str())?;
        }
    }
    let ffi = crate::ffi::lua_jit::private_ffi(lua)?;
    let libpath = ctx.library.path().to_string_lossy().into_owned();
    let (peer, refused): (mlua::Table, usize) = lua
        .load(PEER_LUA)
        .set_name("=lunaray luajit-ffi peer")
        .call((ffi, libpath, decls, names, structs, colors, aliases))?;
    // The runtime's own scripts see lunaray's entries where the peer's are (boot.lua).
    let unpeer = lua.create_table()?;
    for pair in peer.pairs::<mlua::Value, mlua::Value>() {
        let (k, v) = pair?;
        let mine: mlua::Value = snapshot.raw_get(k)?;
        if !mine.is_nil() {
            unpeer.raw_set(v, mine)?;
        }
    }
    private.raw_set("unpeer", unpeer)?;
    let (rl_ref, lunaray_ref, peer_ref) = (
        registry_ref(lua, rl.clone())?,
        registry_ref(lua, snapshot.clone())?,
        registry_ref(lua, peer)?,
    );
    ctx.peer_tables.set(Some(Tables {
        rl: rl_ref,
        lunaray: lunaray_ref,
        peer: peer_ref,
        entered: false,
    }));
    with_main_stack(lua, |st| sync(st, ctx));
    Ok(refused)
}

/// Stores `t` in the registry for the life of the state; returns its reference.
fn registry_ref(lua: &mlua::Lua, t: mlua::Table) -> mlua::Result<c_int> {
    let key = lua.create_registry_value(t)?;
    // mlua's key is a `luaL_ref` in the registry (`RegistryKey::id`); forgetting the key
    // keeps the reference, which `Stack::push_ref` reads, for the state's life.
    let id = key.id();
    std::mem::forget(key);
    Ok(id)
}

/// Whether the luajit-ffi mode can be switched on.
pub fn available(ctx: &Ctx) -> bool {
    ctx.peer_tables.get().is_some()
}

/// Brings `rl` to the side the modes say: the peer's entries in luajit-ffi mode, lunaray's
/// otherwise (after every change of the modes, like `jit::sync`).
pub fn sync(st: &mut Stack, ctx: &Ctx) {
    let Some(mut t) = ctx.peer_tables.get() else {
        return;
    };
    let want = ctx.modes.peer();
    if t.entered == want {
        return;
    }
    let (from, to) = if want {
        (t.lunaray, t.peer)
    } else {
        (t.peer, t.lunaray)
    };
    swap(st, t.rl, t.peer, from, to);
    t.entered = want;
    ctx.peer_tables.set(Some(t));
}

/// For every key `k` of the table `keys`: where `rl[k]` is (raw-equal to) `from[k]`, sets
/// `rl[k] = to[k]`. Only keys `rl` has already are set, so nothing allocates.
fn swap(st: &mut Stack, rl: c_int, keys: c_int, from: c_int, to: c_int) {
    st.push_ref(rl);
    st.push_ref(from);
    st.push_ref(to);
    st.push_ref(keys);
    let (rl_i, from_i, to_i) = (st.top() - 3, st.top() - 2, st.top() - 1);
    let _ = st.for_each_pair(-1, |st| -> Result<(), ()> {
        // The key is at -2.
        st.push_copy(-2);
        let now = st.raw_get(rl_i);
        st.push_copy(-3);
        st.raw_get(from_i);
        let replace = now != LuaType::Nil && st.raw_equal(-1, -2);
        st.pop(2);
        if replace {
            st.push_copy(-2);
            st.push_copy(-1);
            st.raw_get(to_i);
            if st.type_of(-1) == LuaType::Nil {
                st.pop(2);
            } else {
                st.raw_set(rl_i);
            }
        }
        Ok(())
    });
    st.pop(4);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every declaration is one LuaJIT takes, and LuaJIT lays every struct out as the
    /// registry does (which the layout tests hold to C's own `sizeof`/`offsetof`).
    #[test]
    fn luajit_takes_every_declaration_and_lays_structs_out_as_c() {
        let reg = Registry::raylib();
        let (decls, names) = declarations(&reg);
        let callbacks = reg
            .functions
            .iter()
            .filter(|f| has_callback(&f.ret) || f.params.iter().any(|p| has_callback(&p.ty)))
            .count();
        assert!(
            callbacks > 0 && callbacks < 20,
            "{callbacks} functions take callbacks"
        );
        let va_list = reg
            .functions
            .iter()
            .filter(|f| {
                f.params
                    .iter()
                    .any(|p| declarator(&reg, &p.ty, "").is_none())
            })
            .count();
        assert_eq!(names.len() + callbacks + va_list, reg.functions.len());
        let lua = crate::ffi::lua_stack::luajit_with_ffi();
        let check: mlua::Function = lua
            .load(
                r#"
                local ffi = require("ffi")
                local decls, structs = ...
                local refused = {}
                for i = 1, #decls do
                  local ok, e = pcall(ffi.cdef, decls[i])
                  if not ok then refused[#refused + 1] = decls[i] .. ": " .. e end
                end
                local wrong = {}
                for _, s in ipairs(structs) do
                  local name, size, fields = s[1], s[2], s[3]
                  if ffi.sizeof(name) ~= size then
                    wrong[#wrong + 1] = name .. " size " .. ffi.sizeof(name)
                  end
                  for f, off in pairs(fields) do
                    if ffi.offsetof(name, f) ~= off then
                      wrong[#wrong + 1] = name .. "." .. f
                    end
                  end
                end
                return table.concat(refused, "\n"), table.concat(wrong, "\n")
                "#,
            )
            .into_function()
            .unwrap();
        let structs = lua.create_table().unwrap();
        for (i, s) in reg.structs.iter().enumerate() {
            let fields = lua.create_table().unwrap();
            for f in &s.fields {
                fields.set(f.name.as_str(), f.offset).unwrap();
            }
            let row = lua.create_table().unwrap();
            row.set(1, s.name.as_str()).unwrap();
            row.set(2, s.layout.size).unwrap();
            row.set(3, fields).unwrap();
            structs.set(i + 1, row).unwrap();
        }
        let (refused, wrong): (String, String) = check.call((decls, structs)).unwrap();
        assert_eq!(refused, "", "declarations LuaJIT refused");
        assert_eq!(wrong, "", "layouts that differ from the registry's");
    }

    #[test]
    fn declarators_read_as_c() {
        let reg = Registry::raylib();
        let v2 = CType::Struct(reg.struct_id("Vector2").unwrap());
        let char_p = CType::ptr(CType::Prim(crate::registry::Prim::Char), true);
        assert_eq!(declarator(&reg, &v2, "v").unwrap(), "Vector2 v");
        assert_eq!(
            declarator(&reg, &char_p, "text").unwrap(),
            "const char *text"
        );
        let pp = CType::ptr(char_p.clone(), false);
        assert_eq!(declarator(&reg, &pp, "list").unwrap(), "const char **list");
        let arr = CType::Array {
            of: Box::new(CType::Prim(crate::registry::Prim::Float)),
            len: 4,
        };
        assert_eq!(declarator(&reg, &arr, "params").unwrap(), "float params[4]");
        assert!(declarator(&reg, &CType::Opaque("va_list".into()), "args").is_none());
    }
}
