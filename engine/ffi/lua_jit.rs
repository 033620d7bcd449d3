//! LuaJIT only: raylib calls LuaJIT's JIT compiles (`lunaray.mode{marshal = "jit"}`).
//!
//! A `lua_CFunction` ends LuaJIT's trace, and LuaJIT's own FFI never compiles a call that
//! passes or returns a struct by value. A function declared to LuaJIT's FFI with its struct
//! arguments lowered to register-class scalars (System V: a struct's SSE eightbyte as one
//! `double` carrying two floats' bits, an INTEGER one as `uint32_t`/`uint64_t`), bound to
//! the same symbol, is compiled and puts the same bits in the same registers. This module
//! generates, from descriptions the call plans make ([`JitFunction`]), one Lua wrapper per
//! function doing exactly that, and loads them with the `ffi` library as a private upvalue.
//!
//! Each wrapper:
//! - takes its fast case only in jit mode (one byte of the mode bits, read through a
//!   pointer) and for exactly its declared argument count;
//! - accepts a struct argument only if it is a cdata struct value of the parameter's type
//!   (`ffi::lua_cdata`: `ffi.istype`, which the JIT turns into one guard on the ctype id);
//!   views (`cam.target`, userdata) take the planned path;
//! - reads a carrier `double` only if its high float's bits cannot make a NaN double
//!   (LuaJIT does not canonicalise a double read from C memory: some NaN bit patterns would
//!   be read back as other Lua types); a four-byte float part only if it is not a NaN or an
//!   infinity (float to number and back would quiet a signalling NaN);
//! - returns SSE struct results through a shim here ([`sse_ret_shim`]) that hands the
//!   register's bits back as a `uint64_t`, for the same reason: they never become a Lua number;
//! - calls the planned C function (the checked path, its exact errors) for everything else,
//!   with the arguments as given.
//!
//! Scripts never see `ffi`: opening it here (LuaJIT otherwise loads it on demand, for a
//! `1ULL` literal, and registers it in `package.loaded`) takes it out of `package.loaded`
//! again, unless the state was made with `ffi` for the game (`--ffi`).

use std::ffi::c_void;
use std::fmt::Write;

use mlua::ffi as lua;

use super::library::FnPtr;
use super::lua_cdata::ctor_key;

/// One eightbyte of a struct argument: bytes `offset..offset + size` (size 4 or 8), SSE or
/// INTEGER.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JitPart {
    pub sse: bool,
    pub offset: usize,
    pub size: usize,
}

/// A parameter the fast case can take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JitArg {
    Float,
    Double,
    Int,
    UInt,
    Bool,
    /// A struct value of type `sid`, in one or two register parts.
    Struct {
        sid: u32,
        parts: Vec<JitPart>,
    },
}

/// A return value the fast case can give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JitRet {
    Void,
    Bool,
    Int,
    UInt,
    /// A `float` or `double` in xmm0, handed back through a shim that canonicalises NaNs
    /// ([`num_ret_shim`]): LuaJIT would keep a returned NaN's payload, which can read back
    /// as another Lua type.
    Float,
    Double,
    /// A struct returned in one register: four bytes in rax (`Color`), or eight in xmm0
    /// (`Vector2`).
    Struct {
        sid: u32,
        sse: bool,
    },
}

/// A function with a JIT-compiled fast case.
#[derive(Clone, Debug)]
pub struct JitFunction {
    pub name: String,
    pub fun: FnPtr,
    pub args: Vec<JitArg>,
    pub ret: JitRet,
    /// The plan's call counter (a `Cell<u64>`'s address), counted as a planned call is.
    pub calls: *const u64,
}

/// What every wrapper shares.
#[derive(Clone, Debug)]
pub struct JitEnv {
    /// The mode bits (a `Cell<u8>`'s address).
    pub mode_bits: *const u8,
    /// The bits that matter to the fast case, and the value they must have.
    pub fast_mask: u8,
    pub fast_value: u8,
    /// The runtime's count of calls into C (a `Cell<u64>`'s address).
    pub ffi_calls: *const u64,
    /// Registry reference of the struct values' metatable (holding the cdata constructors).
    pub struct_mt: std::ffi::c_int,
}

/// Whether a function with these parts and this return gets a wrapper: SSE struct returns
/// need a shim of its register counts.
pub fn supported(args: &[JitArg], ret: JitRet) -> bool {
    shim(args, ret).is_some() || !needs_shim(ret)
}

fn needs_shim(ret: JitRet) -> bool {
    matches!(
        ret,
        JitRet::Struct { sse: true, .. } | JitRet::Float | JitRet::Double
    )
}

/// The shim a function with these arguments returning `ret` is called through, if it needs
/// one and there is one of its register shape.
fn shim(args: &[JitArg], ret: JitRet) -> Option<usize> {
    let (ints, floats) = register_counts(args);
    match ret {
        JitRet::Struct { sse: true, .. } => sse_ret_shim(ints, floats),
        JitRet::Float => num_ret_shim(ints, floats, false),
        JitRet::Double => num_ret_shim(ints, floats, true),
        _ => None,
    }
}

fn register_counts(args: &[JitArg]) -> (usize, usize) {
    let (mut ints, mut floats) = (0, 0);
    for a in args {
        match a {
            JitArg::Float | JitArg::Double => floats += 1,
            JitArg::Int | JitArg::UInt | JitArg::Bool => ints += 1,
            JitArg::Struct { parts, .. } => {
                for p in parts {
                    if p.sse {
                        floats += 1
                    } else {
                        ints += 1
                    }
                }
            }
        }
    }
    (ints, floats)
}

macro_rules! sse_ret_shims {
    ($( $name:ident ($ni:literal, $nf:literal) ( $($p:ident : $t:ty),* ) ),* $(,)?) => {
        $(
            /// Calls `fun`, a C function taking these registers and returning one SSE
            /// eightbyte, and returns that eightbyte's bits in rax.
            ///
            /// # Safety
            /// `fun` must be a C function whose parameters classify as exactly these INTEGER
            /// and SSE registers (in their order within each class) and whose return value
            /// is one SSE eightbyte; the arguments must be valid for it.
            unsafe extern "C" fn $name(fun: *const c_void, $($p: $t),*) -> u64 {
                // SAFETY: a function pointer and a data pointer have the same size here;
                // the caller passes a C function of this register shape (contract).
                let f = unsafe {
                    std::mem::transmute::<*const c_void, unsafe extern "C" fn($($t),*) -> f64>(
                        fun,
                    )
                };
                // SAFETY: as above; the arguments are the caller's, valid for `fun`.
                unsafe { f($($p),*) }.to_bits()
            }
        )*

        /// The shim for a function with `ints` INTEGER and `floats` SSE argument registers
        /// returning one SSE eightbyte, if there is one.
        fn sse_ret_shim(ints: usize, floats: usize) -> Option<usize> {
            match (ints, floats) {
                $( ($ni, $nf) => Some($name as *const () as usize), )*
                _ => None,
            }
        }
    };
}

sse_ret_shims! {
    shim_0_0 (0, 0) (),
    shim_0_1 (0, 1) (a: f64),
    shim_0_2 (0, 2) (a: f64, b: f64),
    shim_0_3 (0, 3) (a: f64, b: f64, c: f64),
    shim_0_4 (0, 4) (a: f64, b: f64, c: f64, d: f64),
    shim_0_5 (0, 5) (a: f64, b: f64, c: f64, d: f64, e: f64),
    shim_1_0 (1, 0) (i: u64),
    shim_1_1 (1, 1) (i: u64, a: f64),
    shim_1_2 (1, 2) (i: u64, a: f64, b: f64),
    shim_2_0 (2, 0) (i: u64, j: u64),
    shim_2_1 (2, 1) (i: u64, j: u64, a: f64),
    shim_2_2 (2, 2) (i: u64, j: u64, a: f64, b: f64),
}

/// LuaJIT's canonical NaN (`setnanV`), what `lua_pushnumber` makes of every NaN: a
/// returned NaN reads back as the planned path's.
const CANONICAL_NAN: u64 = 0xfff8_0000_0000_0000;

macro_rules! num_ret_shims {
    ($( $f:ident $d:ident ($ni:literal, $nf:literal) ( $($p:ident : $t:ty),* ) ),* $(,)?) => {
        $(
            /// Calls `fun`, a C function taking these registers and returning a `float`,
            /// and returns the value as a double, NaNs canonical.
            ///
            /// # Safety
            /// `fun` must be a C function whose parameters classify as exactly these INTEGER
            /// and SSE registers (in their order within each class) returning a `float`;
            /// the arguments must be valid for it.
            unsafe extern "C" fn $f(fun: *const c_void, $($p: $t),*) -> f64 {
                // SAFETY: a function pointer and a data pointer have the same size here;
                // the caller passes a C function of this shape (contract).
                let f = unsafe {
                    std::mem::transmute::<*const c_void, unsafe extern "C" fn($($t),*) -> f32>(
                        fun,
                    )
                };
                // SAFETY: as above; the arguments are the caller's, valid for `fun`.
                let r = unsafe { f($($p),*) };
                if r.is_nan() { f64::from_bits(CANONICAL_NAN) } else { r as f64 }
            }

            /// As the `float` shim of this shape, for a function returning a `double`.
            ///
            /// # Safety
            /// As the `float` shim's, the function returning a `double`.
            unsafe extern "C" fn $d(fun: *const c_void, $($p: $t),*) -> f64 {
                // SAFETY: as in the `float` shim.
                let f = unsafe {
                    std::mem::transmute::<*const c_void, unsafe extern "C" fn($($t),*) -> f64>(
                        fun,
                    )
                };
                // SAFETY: as above.
                let r = unsafe { f($($p),*) };
                if r.is_nan() { f64::from_bits(CANONICAL_NAN) } else { r }
            }
        )*

        /// The shim for a function with `ints` INTEGER and `floats` SSE argument registers
        /// returning a `double` (or a `float`), if there is one.
        fn num_ret_shim(ints: usize, floats: usize, double: bool) -> Option<usize> {
            match (ints, floats, double) {
                $(
                    ($ni, $nf, false) => Some($f as *const () as usize),
                    ($ni, $nf, true) => Some($d as *const () as usize),
                )*
                _ => None,
            }
        }
    };
}

num_ret_shims! {
    fshim_0_0 dshim_0_0 (0, 0) (),
    fshim_0_1 dshim_0_1 (0, 1) (a: f64),
    fshim_0_2 dshim_0_2 (0, 2) (a: f64, b: f64),
    fshim_0_3 dshim_0_3 (0, 3) (a: f64, b: f64, c: f64),
    fshim_0_4 dshim_0_4 (0, 4) (a: f64, b: f64, c: f64, d: f64),
    fshim_0_5 dshim_0_5 (0, 5) (a: f64, b: f64, c: f64, d: f64, e: f64),
    fshim_0_6 dshim_0_6 (0, 6) (a: f64, b: f64, c: f64, d: f64, e: f64, g: f64),
    fshim_1_0 dshim_1_0 (1, 0) (i: u64),
    fshim_1_1 dshim_1_1 (1, 1) (i: u64, a: f64),
    fshim_1_2 dshim_1_2 (1, 2) (i: u64, a: f64, b: f64),
    fshim_2_0 dshim_2_0 (2, 0) (i: u64, j: u64),
    fshim_2_1 dshim_2_1 (2, 1) (i: u64, j: u64, a: f64),
    fshim_2_2 dshim_2_2 (2, 2) (i: u64, j: u64, a: f64, b: f64),
}

/// Bits of a float's exponent, and of a double's exponent within its high float: all ones
/// is an infinity or a NaN.
const FLOAT_EXP: u32 = 0x7f80_0000;
const DOUBLE_EXP_HI: u32 = 0x7ff0_0000;

fn c_param(a: &JitArg, out: &mut Vec<&'static str>) {
    match a {
        JitArg::Float => out.push("float"),
        JitArg::Double => out.push("double"),
        JitArg::Int => out.push("int32_t"),
        JitArg::UInt => out.push("uint32_t"),
        JitArg::Bool => out.push("bool"),
        JitArg::Struct { parts, .. } => {
            for p in parts {
                out.push(match (p.sse, p.size) {
                    (true, 8) => "double",
                    (true, _) => "float",
                    (false, 8) => "uint64_t",
                    (false, _) => "uint32_t",
                });
            }
        }
    }
}

/// The Lua source of every wrapper: a chunk called with `(ffi, planned, M, mirror)` (the
/// `ffi` library, the planned C functions by name, the struct metatable holding the cdata
/// constructors under `lua_cdata::ctor_key`, and a table whose `on` mirrors jit mode: tested
/// first, as a table field costs LuaJIT's interpreter far less than the mode byte read
/// through `ffi`; the mode byte decides, so a stale mirror only sends calls to the planned
/// path) returning the wrappers by name.
pub fn source(env: &JitEnv, funcs: &[JitFunction]) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"local ffi, planned, M, S = ...
local cast, typeof, istype = ffi.cast, ffi.typeof, ffi.istype
local band, floor = bit.band, math.floor
local type, select = type, select
local U8P, U32P, U64P = typeof("uint8_t *"), typeof("uint32_t *"), typeof("uint64_t *")
local FP, DP = typeof("float *"), typeof("double *")
local BITS = cast("const uint8_t *", {bits:#x}ULL)
local FFI_CALLS = cast(U64P, {ffi_calls:#x}ULL)
local W = {{}}
"#,
        bits = env.mode_bits as usize,
        ffi_calls = env.ffi_calls as usize,
    );
    for f in funcs {
        function_source(&mut s, env, f);
    }
    s.push_str("return W\n");
    s
}

fn function_source(s: &mut String, env: &JitEnv, f: &JitFunction) {
    let mut params = Vec::new();
    for a in &f.args {
        c_param(a, &mut params);
    }
    let params = params.join(", ");
    let shimmed = needs_shim(f.ret);
    let _ = writeln!(s, "do\nlocal fallback = planned[\"{}\"]", f.name);
    if shimmed {
        let Some(shim) = shim(&f.args, f.ret) else {
            return;
        };
        let ret = if matches!(f.ret, JitRet::Struct { .. }) {
            "uint64_t"
        } else {
            "double"
        };
        let sep = if params.is_empty() { "" } else { ", " };
        let _ = writeln!(
            s,
            "local fn = cast(\"void *\", {:#x}ULL)\nlocal f = cast(\"{ret} (*)(void *{sep}{params})\", {shim:#x}ULL)",
            f.fun.addr() as usize
        );
    } else {
        let ret = match f.ret {
            JitRet::Void => "void",
            JitRet::Bool => "bool",
            JitRet::Int => "int32_t",
            JitRet::UInt | JitRet::Struct { .. } => "uint32_t",
            JitRet::Float | JitRet::Double => unreachable!("returned through a shim"),
        };
        let params = if params.is_empty() { "void" } else { &params };
        let _ = writeln!(
            s,
            "local f = cast(\"{ret} (*)({params})\", {:#x}ULL)",
            f.fun.addr() as usize
        );
    }
    let _ = writeln!(s, "local calls = cast(U64P, {:#x}ULL)", f.calls as usize);
    let mut sids: Vec<u32> = f
        .args
        .iter()
        .filter_map(|a| match a {
            JitArg::Struct { sid, .. } => Some(*sid),
            _ => None,
        })
        .collect();
    if let JitRet::Struct { sid, .. } = f.ret {
        sids.push(sid);
    }
    sids.sort_unstable();
    sids.dedup();
    for sid in sids {
        let _ = writeln!(
            s,
            "local T{sid}, K{sid} = M[{}], M[{}]",
            ctor_key(sid, false),
            ctor_key(sid, true)
        );
    }
    let n = f.args.len();
    let names: Vec<String> = (1..=n).map(|i| format!("a{i}")).collect();
    let _ = writeln!(
        s,
        "W[\"{}\"] = function(...)\n  if S.on and select(\"#\", ...) == {n} and band(BITS[0], {}) == {} then",
        f.name, env.fast_mask, env.fast_value
    );
    if n > 0 {
        let _ = writeln!(s, "    local {} = ...", names.join(", "));
    }
    let mut conds = Vec::new();
    let mut call_args = Vec::new();
    for (i, a) in f.args.iter().enumerate() {
        let v = &names[i];
        match a {
            JitArg::Float | JitArg::Double => {
                conds.push(format!("type({v}) == \"number\""));
                call_args.push(v.clone());
            }
            JitArg::Int => {
                conds.push(format!(
                    "type({v}) == \"number\" and {v} >= -2147483648 and {v} <= 2147483647 and floor({v}) == {v}"
                ));
                call_args.push(v.clone());
            }
            JitArg::UInt => {
                conds.push(format!(
                    "type({v}) == \"number\" and {v} >= 0 and {v} <= 4294967295 and floor({v}) == {v}"
                ));
                call_args.push(v.clone());
            }
            JitArg::Bool => {
                conds.push(format!("type({v}) == \"boolean\""));
                call_args.push(v.clone());
            }
            JitArg::Struct { sid, parts } => {
                let _ = writeln!(
                    s,
                    "    local d{} = (istype(T{sid}, {v}) or istype(K{sid}, {v})) and cast(U8P, {v})",
                    i + 1
                );
                let d = format!("d{}", i + 1);
                conds.push(d.clone());
                for p in parts {
                    let at = if p.offset == 0 {
                        d.clone()
                    } else {
                        format!("{d} + {}", p.offset)
                    };
                    match (p.sse, p.size) {
                        (true, 8) => {
                            conds.push(format!(
                                "band(cast(U32P, {d} + {})[0], {DOUBLE_EXP_HI:#x}) ~= {DOUBLE_EXP_HI:#x}",
                                p.offset + 4
                            ));
                            call_args.push(format!("cast(DP, {at})[0]"));
                        }
                        (true, _) => {
                            conds.push(format!(
                                "band(cast(U32P, {at})[0], {FLOAT_EXP:#x}) ~= {FLOAT_EXP:#x}"
                            ));
                            call_args.push(format!("cast(FP, {at})[0]"));
                        }
                        (false, 8) => call_args.push(format!("cast(U64P, {at})[0]")),
                        (false, _) => call_args.push(format!("cast(U32P, {at})[0]")),
                    }
                }
            }
        }
    }
    let cond = if conds.is_empty() {
        "true".to_string()
    } else {
        conds.join("\n      and ")
    };
    let mut call_args = call_args.join(", ");
    if shimmed {
        call_args = if call_args.is_empty() {
            "fn".into()
        } else {
            format!("fn, {call_args}")
        };
    }
    let _ = writeln!(s, "    if {cond} then");
    let call = format!("f({call_args})");
    let count = "      calls[0] = calls[0] + 1\n      FFI_CALLS[0] = FFI_CALLS[0] + 1";
    match f.ret {
        JitRet::Void => {
            let _ = writeln!(s, "      {call}\n{count}\n      return");
        }
        JitRet::Bool | JitRet::Int | JitRet::UInt | JitRet::Float | JitRet::Double => {
            let _ = writeln!(s, "      local r = {call}\n{count}\n      return r");
        }
        JitRet::Struct { sse, sid } => {
            let ptr = if sse { "U64P" } else { "U32P" };
            let _ = writeln!(
                s,
                "      local r = {call}\n{count}\n      local v = T{sid}()\n      cast({ptr}, v)[0] = r\n      return v"
            );
        }
    }
    let _ = writeln!(s, "    end\n  end\n  return fallback(...)\nend\nend");
}

/// The tables the wrappers' chunk is called with (see [`source`]).
pub struct JitTables {
    pub planned: mlua::Table,
    /// The struct metatable, holding the cdata constructors.
    pub struct_mt: mlua::Table,
    pub mirror: mlua::Table,
}

/// Opens `ffi` for lunaray's own use (or finds the one opened already), loads the wrappers'
/// source and runs it; returns the wrappers by name.
///
/// The source must be [`source`]'s for functions the call plans described: each
/// [`JitFunction`]'s `fun` is the symbol of the function whose declaration its `args` and
/// `ret` were lowered from (plans are built with `CallPlan::new`'s contract), its struct
/// types are cdata types (`lua_cdata`), and the counters' and mode bits' addresses are
/// `Cell`s that live as long as the state (the bindings' context is leaked).
pub fn install(
    lua_state: &mlua::Lua,
    env: &JitEnv,
    funcs: &[JitFunction],
    tables: JitTables,
) -> mlua::Result<mlua::Table> {
    let JitTables {
        planned,
        struct_mt,
        mirror,
    } = tables;
    let (ffi, _) = private_ffi(lua_state, env.struct_mt)?;
    let src = source(env, funcs);
    let chunk = lua_state
        .load(src)
        .set_name("=lunaray jit wrappers")
        .into_function()?;
    chunk.call((ffi, planned, struct_mt, mirror))
}

/// The `ffi` library, kept out of `package.loaded` unless it was there already, and the
/// address of the struct values' metatable.
pub fn private_ffi(
    lua_state: &mlua::Lua,
    struct_mt: std::ffi::c_int,
) -> mlua::Result<(mlua::Table, usize)> {
    let mut mt_addr = 0usize;
    let ffi = {
        let mt_addr = &mut mt_addr;
        // SAFETY: `exec_raw` hands the live state and converts the one value pushed.
        // - Every call below has room (`lua_checkstack`) and operates on values this
        //   closure pushed, above the slots mlua owns.
        // - The closure runs under mlua's protected call and holds nothing with a destructor,
        //   so a Lua error (out of memory) raised in it unwinds no Rust value; `luaopen_ffi`
        //   runs under `lua_pcall` besides. It is called only when the state has no `ffi` yet
        //   (calling it twice would replace the C type state under live cdata).
        // - Taking `ffi` out of `package.loaded` is what keeps scripts from reaching it
        //   (LuaJIT would otherwise load it for a `1ULL` literal and register it there);
        //   the table returned goes only to the generated wrappers (this module's source).
        // - `lua_topointer` only reads the metatable's address (a registry reference).
        unsafe {
            lua_state.exec_raw::<mlua::Table>((), |l| {
                if lua::lua_checkstack(l, 4) == 0 {
                    lua::lua_pushnil(l);
                    return;
                }
                lua::lua_rawgeti(l, lua::LUA_REGISTRYINDEX, struct_mt as lua::lua_Integer);
                *mt_addr = lua::lua_topointer(l, -1) as usize;
                lua::lua_pop(l, 1);
                // Opened already (the cdata types are installed first).
                lua::lua_getfield(l, lua::LUA_REGISTRYINDEX, c"lunaray.ffi".as_ptr());
                if lua::lua_type(l, -1) == lua::LUA_TTABLE {
                    return;
                }
                lua::lua_pop(l, 1);
                lua::lua_getfield(l, lua::LUA_REGISTRYINDEX, c"_LOADED".as_ptr());
                let loaded = lua::lua_gettop(l);
                let had = lua::lua_type(l, loaded) == lua::LUA_TTABLE && {
                    lua::lua_getfield(l, loaded, c"ffi".as_ptr());
                    let t = lua::lua_type(l, -1) == lua::LUA_TTABLE;
                    if !t {
                        lua::lua_pop(l, 1);
                    }
                    t
                };
                if !had {
                    lua::lua_pushcfunction(l, lua::luaopen_ffi);
                    if lua::lua_pcall(l, 0, 1, 0) != 0 {
                        lua::lua_pop(l, 1);
                        lua::lua_pushnil(l);
                    }
                    if lua::lua_type(l, loaded) == lua::LUA_TTABLE {
                        lua::lua_pushnil(l);
                        lua::lua_setfield(l, loaded, c"ffi".as_ptr());
                    }
                }
                // The library must stay alive for the state's life, whatever scripts do to
                // `package.loaded`: its C type state keeps a table (`miscmap`) that only the
                // library's functions reference, and uses it after it is collected (found
                // as a crash in the JIT's recorder once `package.loaded.ffi` was cleared).
                lua::lua_pushvalue(l, -1);
                lua::lua_setfield(l, lua::LUA_REGISTRYINDEX, c"lunaray.ffi".as_ptr());
                lua::lua_remove(l, loaded);
            })?
        }
    };
    Ok((ffi, mt_addr))
}
