//! LuaJIT only: struct values of plain-number types (`Vector2`, `Color`, `Rectangle`,
//! `Matrix`...) as LuaJIT cdata, so that making them, reading and writing their fields and
//! passing them to the jit wrappers (`ffi::lua_jit`) is code LuaJIT's JIT compiles.
//!
//! Each such type is declared to LuaJIT's FFI twice, `struct lunaray_T` for values and
//! `struct lunaray_T_const` for constants (`rl.RED`), with the C layout of `T` and fields
//! under other names (`lr_x`), so that every field access by its real name goes through the
//! type's metatable (`ffi.metatype`): Lua functions generated here that take the common case
//! inline (a number into a float field, an integer in range into an integer field) and hand
//! everything else to lunaray's own field metamethods (`lua::values`), which give today's
//! errors and conversions.
//!
//! Float fields are stored as `uint32_t` members: LuaJIT does not canonicalise a float it
//! reads from C memory, and some NaN payloads widened to a double read back as other Lua
//! types (a tagged value: a type confusion). So no member of these types is a float; the
//! generated `__index` reads a float only after its bits say it is no NaN, and NaNs go to
//! the C metamethod, whose `lua_pushnumber` canonicalises them.
//!
//! The C side recognises these values by their ctype id (read from LuaJIT's `GCcdata`
//! header just before the payload; the layout is probed at start-up) and makes new ones by
//! calling the type's constructor, kept in the struct metatable under integer keys.

use std::ffi::c_int;
use std::fmt::Write;
use std::sync::OnceLock;

use mlua::ffi as lua;

/// `lua_type` of a cdata value (LuaJIT's `LUA_TCDATA`, not in its public `lua.h`).
pub const LUA_TCDATA: c_int = 10;

/// How a field of a cdata type is stored and converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CdataField {
    /// A C `float`, stored as its bits.
    Float,
    /// A C integer type (`uint8_t`, `int32_t`...) whose values are `min..=max`.
    Int { c: &'static str, min: i64, max: i64 },
    /// A C `bool`.
    Bool,
}

/// A struct type whose values are cdata: its registry id, name, size and fields (name,
/// offset, storage), in C order, covering the struct without gaps.
#[derive(Clone, Debug)]
pub struct CdataType {
    pub sid: u32,
    pub name: String,
    pub size: usize,
    pub fields: Vec<(String, usize, CdataField)>,
}

/// What a ctype id stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    sid: u32,
    size: usize,
    read_only: bool,
}

/// The ctype ids of lunaray's cdata types. LuaJIT numbers ctypes in declaration order, and
/// every state declares the same types first, so the ids are the same in every state of the
/// process (checked at each install).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Ids {
    /// The smallest id; `by_id[id - base]` for ids from there.
    base: u16,
    by_id: Box<[Option<Entry>]>,
    /// By struct id: whether it is a cdata type.
    cdata_sids: Box<[bool]>,
}

static IDS: OnceLock<Ids> = OnceLock::new();

/// Bytes from a cdata's payload back to its `ctypeid` (LuaJIT's `GCcdata`, GC64 layout:
/// `nextgc` (8), `marked`, `gct`, `ctypeid` (2), the payload at 16). Probed at start-up.
const CTYPEID_BACK: usize = 6;

/// Struct-metatable key of a type's ctype (its constructor; the constant type's if
/// `read_only`).
#[inline]
pub fn ctor_key(sid: u32, read_only: bool) -> i64 {
    4 * sid as i64 + 1 + read_only as i64
}

/// Struct-metatable key of a type's pool of fresh values (see [`push_cdata`]).
#[inline]
fn pool_key(sid: u32, read_only: bool) -> i64 {
    4 * sid as i64 + 3 + read_only as i64
}

/// Struct-metatable key of a type's operator table: the arithmetic metamethods its cdata
/// values call through (`__add`...: the C ones, until the jit wrappers put compiled fast
/// cases there, `ffi::lua_jit::operator_source`).
#[inline]
pub fn ops_key(sid: u32) -> i64 {
    -(sid as i64) - 1
}

/// Fresh values a pool is refilled with at once.
const POOL_REFILL: i64 = 64;

/// Whether struct `sid` is made as cdata.
#[inline]
pub fn is_cdata_struct(sid: u32) -> bool {
    IDS.get()
        .is_some_and(|ids| ids.cdata_sids.get(sid as usize).copied().unwrap_or(false))
}

/// The struct value at `idx`, if it is one of lunaray's cdata values: its struct id, bytes
/// and whether it is a constant.
///
/// # Safety
/// `l` must be the running state and `idx` a valid index in it. The bytes returned are the
/// cdata's own (LuaJIT never moves a GC object): the caller must not use them after the
/// value may have been collected.
#[inline]
pub unsafe fn cdata_struct(
    l: *mut lua::lua_State,
    idx: c_int,
) -> Option<(u32, *mut u8, usize, bool)> {
    let ids = IDS.get()?;
    // SAFETY: `l` and `idx` are valid (contract). A value of type LUA_TCDATA is a GCcdata
    // whose payload `lua_topointer` returns (`lj_obj_ptr`: `cdataptr`), preceded by its
    // header with the ctype id CTYPEID_BACK bytes before the payload (probed by `install`
    // before IDS is set). A cdata of one of our ids is a struct of that id's size, inline.
    unsafe {
        if lua::lua_type(l, idx) != LUA_TCDATA {
            return None;
        }
        let p = lua::lua_topointer(l, idx) as *mut u8;
        if p.is_null() {
            return None;
        }
        let id = (p.sub(CTYPEID_BACK) as *const u16).read_unaligned();
        let e = (*ids.by_id.get(id.checked_sub(ids.base)? as usize)?)?;
        Some((e.sid, p, e.size, e.read_only))
    }
}

/// Pushes a new zeroed cdata value of struct `sid`, a cdata type ([`is_cdata_struct`]; a
/// constant's type if `read_only`), and returns its payload.
/// Uses four stack slots at most.
///
/// C has no API to make a cdata, and a `lua_call` of the ctype per value costs more than
/// the call it returns from; so values come from a pool of fresh ones (a Lua array, its
/// refill function at `[0]`, which fills `[1..POOL_REFILL]` with new values), one Lua call
/// per refill.
///
/// # Safety
/// `l` must be the running state with four free slots; `sid` a cdata type;
/// `struct_mt` the registry reference of the struct metatable `install` filled. The payload
/// is valid while the value stays on the stack (or is otherwise reachable).
pub unsafe fn push_cdata(
    l: *mut lua::lua_State,
    sid: u32,
    read_only: bool,
    struct_mt: c_int,
) -> Option<*mut u8> {
    // SAFETY: four free slots (contract). The pool is the array `install` stored under
    // `pool_key`, its refill function at [0], which only stores fresh
    // values of the type (`ffi.new`: zero-filled; failing only for lack of memory, raised as
    // a Lua error like any allocation of the state). Taking a value clears its pool slot, so
    // each is handed out once. The result is checked to be a cdata of our type.
    unsafe {
        lua::lua_rawgeti(l, lua::LUA_REGISTRYINDEX, struct_mt as lua::lua_Integer);
        lua::lua_rawgeti(l, -1, pool_key(sid, read_only) as lua::lua_Integer);
        lua::lua_replace(l, -2);
        let mut n = lua::lua_objlen(l, -1) as c_int;
        if n == 0 {
            lua::lua_rawgeti(l, -1, 0);
            lua::lua_call(l, 0, 0);
            n = POOL_REFILL as c_int;
        }
        lua::lua_rawgeti(l, -1, n as lua::lua_Integer);
        lua::lua_pushnil(l);
        lua::lua_rawseti_(l, -3, n);
        lua::lua_replace(l, -2);
        // The pool holds only fresh values of the type (`install`); checked in debug builds.
        debug_assert!(cdata_struct(l, -1).is_some_and(|(got, ..)| got == sid));
        let p = lua::lua_topointer(l, -1) as *mut u8;
        (!p.is_null()).then_some(p)
    }
}

fn field_source(t: &CdataType) -> String {
    let mut s = String::new();
    for (name, _, f) in &t.fields {
        let c = match f {
            CdataField::Float => "uint32_t",
            CdataField::Int { c, .. } => c,
            CdataField::Bool => "bool",
        };
        let _ = write!(s, " {c} lr_{name};");
    }
    s
}

/// The Lua source that declares every type and sets its metatables: a chunk called with
/// `(ffi, struct_mt)` that stores each type's constructors in `struct_mt` ([`ctor_key`]) and
/// returns, by struct id, the two ctype ids, then a probe function.
pub fn source(types: &[CdataType]) -> String {
    let mut s = format!("local REFILL = {POOL_REFILL}\n");
    s.push_str(
        "local ffi, M = ...\n\
         local cast, typeof, band, floor, type = ffi.cast, ffi.typeof, bit.band, math.floor, type\n\
         local FP = typeof(\"float *\")\n\
         local cindex, cnewindex = M.__index, M.__newindex\n\
         local function operators()\n\
         \x20 local ops = {}\n\
         \x20 for _, k in ipairs({\"__add\", \"__sub\", \"__mul\", \"__div\", \"__unm\", \"__len\"}) do ops[k] = M[k] end\n\
         \x20 return ops\n\
         end\n\
         local function metatable(index, newindex, ops)\n\
         \x20 return {__index = index, __newindex = newindex, __tostring = M.__tostring, __eq = M.__eq,\n\
         \x20   __add = function(a, b) return ops.__add(a, b) end, __sub = function(a, b) return ops.__sub(a, b) end,\n\
         \x20   __mul = function(a, b) return ops.__mul(a, b) end, __div = function(a, b) return ops.__div(a, b) end,\n\
         \x20   __unm = function(a, b) return ops.__unm(a, b) end, __len = function(a, b) return ops.__len(a, b) end}\n\
         end\n\
         local function pool(T)\n\
         \x20 local p = {}\n\
         \x20 p[0] = function() for i = 1, REFILL do p[i] = T() end end\n\
         \x20 return p\n\
         end\n\
         local IDS = {}\n",
    );
    s.push_str("ffi.cdef[[\n");
    for t in types {
        let fields = field_source(t);
        let _ = writeln!(
            s,
            "struct lunaray_{n} {{{fields} }};\nstruct lunaray_{n}_const {{{fields} }};",
            n = t.name
        );
    }
    s.push_str("]]\n");
    for t in types {
        let _ = writeln!(
            s,
            "do\nlocal T, K = typeof(\"struct lunaray_{n}\"), typeof(\"struct lunaray_{n}_const\")",
            n = t.name
        );
        s.push_str("local function index(s, k)\n");
        for (name, off, f) in &t.fields {
            match f {
                // No NaN: read as a float. A NaN's payload could read back as another Lua
                // type; the C metamethod canonicalises it.
                CdataField::Float => {
                    let _ = writeln!(
                        s,
                        "  if k == \"{name}\" then if band(s.lr_{name}, 0x7fffffff) <= 0x7f800000 then return cast(FP, s)[{}] end return cindex(s, k) end",
                        off / 4
                    );
                }
                CdataField::Int { .. } | CdataField::Bool => {
                    let _ = writeln!(s, "  if k == \"{name}\" then return s.lr_{name} end");
                }
            }
        }
        s.push_str("  return cindex(s, k)\nend\nlocal function newindex(s, k, v)\n");
        for (name, off, f) in &t.fields {
            match f {
                CdataField::Float => {
                    let _ = writeln!(
                        s,
                        "  if k == \"{name}\" and type(v) == \"number\" then cast(FP, s)[{}] = v return end",
                        off / 4
                    );
                }
                CdataField::Int { min, max, .. } => {
                    let _ = writeln!(
                        s,
                        "  if k == \"{name}\" and type(v) == \"number\" and v >= {min} and v <= {max} and floor(v) == v then s.lr_{name} = v return end"
                    );
                }
                CdataField::Bool => {
                    let _ = writeln!(
                        s,
                        "  if k == \"{name}\" and type(v) == \"boolean\" then s.lr_{name} = v return end"
                    );
                }
            }
        }
        let _ = writeln!(
            s,
            "  return cnewindex(s, k, v)\nend\n\
             local ops = operators()\n\
             ffi.metatype(T, metatable(index, newindex, ops))\n\
             ffi.metatype(K, metatable(index, cnewindex, ops))\n\
             M[{v}], M[{k}], M[{vp}], M[{kp}], M[{o}] = T, K, pool(T), pool(K), ops\n\
             IDS[{sid}] = {{tonumber(T), tonumber(K), T(), K(), ffi.sizeof(T)}}\nend",
            v = ctor_key(t.sid, false),
            k = ctor_key(t.sid, true),
            vp = pool_key(t.sid, false),
            kp = pool_key(t.sid, true),
            o = ops_key(t.sid),
            sid = t.sid,
        );
    }
    s.push_str("return IDS\n");
    s
}

/// Declares `types` in the state (with `ffi`, lunaray's private copy), sets their
/// metatables from the struct metatable `struct_mt` (whose `__index`, `__newindex` and
/// operators must be set already) and makes the C side recognise their values. Returns
/// whether cdata values are on: false (and nothing recognised) if LuaJIT's cdata header is
/// not the layout this module reads.
pub fn install(
    lua_state: &mlua::Lua,
    ffi: &mlua::Table,
    struct_mt: &mlua::Table,
    types: &[CdataType],
    struct_count: usize,
) -> mlua::Result<bool> {
    let chunk = lua_state
        .load(source(types))
        .set_name("=lunaray cdata types")
        .into_function()?;
    let ids: mlua::Table = chunk.call((ffi.clone(), struct_mt.clone()))?;
    let mut found = Vec::new();
    for t in types {
        let row: mlua::Table = ids.get(t.sid)?;
        let (value, constant): (u32, u32) = (row.get(1)?, row.get(2)?);
        if row.get::<usize>(5)? != t.size {
            return Ok(false);
        }
        // Each type's fresh values must carry its id where this module reads it.
        for (i, id) in [(3, value), (4, constant)] {
            let sample: mlua::Value = row.get(i)?;
            if probe_id(lua_state, sample)? != Some(id) {
                return Ok(false);
            }
        }
        found.push((t, value, constant));
    }
    let Some(base) = found.iter().map(|&(_, v, k)| v.min(k)).min() else {
        return Ok(false);
    };
    let top = found
        .iter()
        .map(|&(_, v, k)| v.max(k))
        .max()
        .unwrap_or(base);
    let (Ok(base16), Ok(_)) = (u16::try_from(base), u16::try_from(top)) else {
        return Ok(false);
    };
    let mut by_id = vec![None; (top - base + 1) as usize];
    let mut cdata_sids = vec![false; struct_count];
    for (t, value, constant) in found {
        for (id, read_only) in [(value, false), (constant, true)] {
            by_id[(id - base) as usize] = Some(Entry {
                sid: t.sid,
                size: t.size,
                read_only,
            });
        }
        if let Some(slot) = cdata_sids.get_mut(t.sid as usize) {
            *slot = true;
        }
    }
    let ids = Ids {
        base: base16,
        by_id: by_id.into_boxed_slice(),
        cdata_sids: cdata_sids.into_boxed_slice(),
    };
    let set = IDS.get_or_init(|| ids.clone());
    if *set != ids {
        return Err(mlua::Error::runtime(
            "lunaray: LuaJIT numbered its cdata types differently in this state",
        ));
    }
    Ok(true)
}

/// The ctype id read where [`cdata_struct`] reads it, for a cdata `sample`.
fn probe_id(lua_state: &mlua::Lua, sample: mlua::Value) -> mlua::Result<Option<u32>> {
    let mut id = None;
    {
        let id = &mut id;
        // SAFETY: `exec_raw` hands the live state with the sample pushed at -1 and one value
        // to push. The sample is a cdata (type checked) of a small struct type just made by
        // `ffi.new`: a GCcdata whose header precedes the payload `lua_topointer` returns,
        // at least 16 bytes of the same allocation, so the 2 bytes read lie inside it
        // whatever the header's layout is; whether they are the ctype id is what is probed.
        unsafe {
            lua_state.exec_raw::<mlua::Value>(sample, |l| {
                if lua::lua_type(l, -1) == LUA_TCDATA {
                    let p = lua::lua_topointer(l, -1) as *const u8;
                    if !p.is_null() {
                        *id = Some((p.sub(CTYPEID_BACK) as *const u16).read_unaligned() as u32);
                    }
                }
                lua::lua_pop(l, 1);
                lua::lua_pushnil(l);
            })?;
        }
    }
    Ok(id)
}
