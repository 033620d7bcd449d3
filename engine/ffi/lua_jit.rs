//! LuaJIT only: raylib calls LuaJIT's JIT compiles (`lunaray.mode{marshal = "jit"}`).
//!
//! A `lua_CFunction` ends LuaJIT's trace, and LuaJIT's own FFI never compiles a call that
//! passes or returns a struct by value. A call through LuaJIT's FFI to a C function taking
//! only pointers is compiled. So each wrapper generated here ([`source`], from descriptions
//! the call plans make: [`JitFunction`]) writes its arguments into a call frame of its own
//! (a static `uint64_t` array, laid out as the call plan's executor lays out its frame:
//! INTEGER registers, SSE registers, memory words, from the same `abi::CallShape`) and calls
//! [`call_regs`] or [`call_memory`], which hand that frame to the function's direct invoker
//! (`ffi::direct`) and store the returned registers in a static `out` array; the result is
//! read back from there. Struct bytes go from a cdata value's members to the frame and from
//! `out` to a new cdata value's members as integers, so no struct bits ever become a Lua
//! number (LuaJIT does not canonicalise a float or double it reads from C memory: some NaN
//! payloads would read back as other Lua types), and a struct made by one wrapper and
//! passed straight to another is never materialised (LuaJIT sinks the allocation).
//!
//! Each wrapper:
//! - takes its fast case only in jit mode (the mode bits, read through a pointer: jit on,
//!   naive and libffi off, and the window or audio device open where the plan needs it)
//!   and for exactly its declared argument count;
//! - accepts a number where the plan takes a float, double or 32-bit integer (integers in
//!   range, integral), a boolean for a `bool`, and a struct only as a cdata value of the
//!   parameter's type (`ffi::lua_cdata`: `ffi.istype`, one guard in a trace), and a Lua
//!   string for a `const char *` (its bytes' address; numbers, nil and raylib's own texts
//!   take the planned path); views (`cam.target`, userdata) take the planned path;
//! - reads a returned `float` or `double` only when its bits are no NaN (a NaN comes back as
//!   the canonical one, what `lua_pushnumber` gives the planned path);
//! - calls the planned C function (the checked path, its exact errors) for everything else,
//!   with the arguments as given.
//!
//! A function of numbers and bools whose result is void, a bool or a 32-bit integer
//! (`GetRandomValue`, `IsKeyDown`) skips the frame: LuaJIT's FFI calls it directly through
//! its C declaration, which it compiles as it does any scalar call (`direct_signature`).
//!
//! The frames are static per wrapper: an invoker reads the whole frame before the C call,
//! so a Lua callback run by raylib during the call may reuse it; `out` is read right after.
//!
//! Scripts never see `ffi`: opening it here (LuaJIT otherwise loads it on demand, for a
//! `1ULL` literal, and registers it in `package.loaded`) takes it out of `package.loaded`
//! again, unless the state was made with `ffi` for the game (`--ffi`).

use std::ffi::c_void;
use std::fmt::Write;

use mlua::ffi as lua;

use super::direct::{MemoryInvoker, RegInvoker, REG_WORDS};
use super::library::FnPtr;
use super::lua_cdata::ctor_key;
use crate::abi::FRAME_WORDS;

/// A C integer member of a cdata struct, by its width: the typed view of a frame it is
/// stored through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    W8,
    W16,
    W32,
}

/// One member of a cdata struct value and where its bytes go in a frame, or come from in
/// `out` (a byte offset, a multiple of the width).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The member's name in the cdata type (`lr_x`).
    pub name: String,
    pub width: Width,
    pub byte: usize,
}

/// A parameter the fast case can take, and the frame slot (a `uint64_t` index) it goes to.
#[derive(Clone, Debug, PartialEq)]
pub enum JitArg {
    /// A `float` from `min` to `max` (the whole line unless a precondition bounds it; NaN is
    /// in no bounded range).
    Float {
        slot: usize,
        min: f64,
        max: f64,
    },
    Double(usize),
    /// A 32-bit integer from `min` to `max` (its type's range, or a precondition's).
    Int {
        slot: usize,
        min: i64,
        max: i64,
        unsigned: bool,
    },
    Bool(usize),
    /// `const char *`: a Lua string (of at most `max` bytes where given), its address in the
    /// frame; the string is an argument of the wrapper, so it lives through the call.
    Text {
        slot: usize,
        max: Option<usize>,
    },
    /// A cdata struct value of type `sid`, its members' bytes placed in the frame.
    Struct {
        sid: u32,
        members: Vec<Member>,
    },
}

/// A return value the fast case can give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JitRet {
    Void,
    Bool,
    Int,
    UInt,
    Float,
    Double,
    /// `const char *`: copied into a Lua string at once; NULL is nil.
    Text,
    /// A new cdata struct value of type `sid` with these members, in the type's member order,
    /// read from `out` (registers) or from the memory-return buffer of `size` bytes.
    Struct {
        sid: u32,
        members: Vec<Member>,
        memory: Option<usize>,
    },
}

/// Which direct invoker a function has.
#[derive(Clone, Copy)]
pub enum JitInvoker {
    Regs(RegInvoker),
    Memory(MemoryInvoker),
}

impl std::fmt::Debug for JitInvoker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JitInvoker::Regs(_) => "Regs",
            JitInvoker::Memory(_) => "Memory",
        })
    }
}

/// A function with a JIT-compiled fast case.
#[derive(Clone, Debug)]
pub struct JitFunction {
    pub name: String,
    pub fun: FnPtr,
    pub invoker: JitInvoker,
    pub args: Vec<JitArg>,
    pub ret: JitRet,
    /// The mode bits that matter to its fast case, and the value they must have.
    pub fast_mask: u8,
    pub fast_value: u8,
    /// The plan's call counter (a `Cell<u64>`'s address), counted as a planned call is.
    pub calls: *const u64,
    /// Also a raw fast case, with no mode test and not counted, for the struct operators
    /// ([`operator_source`]).
    pub raw: bool,
}

/// What every wrapper shares.
#[derive(Clone, Debug)]
pub struct JitEnv {
    /// The mode bits (a `Cell<u8>`'s address).
    pub mode_bits: *const u8,
    /// The runtime's count of calls into C (a `Cell<u64>`'s address).
    pub ffi_calls: *const u64,
}

/// Calls `invoker`, a [`RegInvoker`], with `fun` and the first `REG_WORDS` words of
/// `frame`, and stores the two returned words in `out`.
///
/// # Safety
/// `invoker` must be the register invoker of `fun`'s call shape, `fun` a function the
/// registry declares with that shape, and the frame's words the arguments as that shape
/// places them (what the generated wrappers write, from the same `abi::CallShape` the call
/// plan's executor uses); `frame` valid for `REG_WORDS` reads, `out` for two writes.
unsafe extern "C" fn call_regs(
    invoker: *const c_void,
    fun: *const c_void,
    frame: *const [u64; REG_WORDS],
    out: *mut [u64; 2],
) {
    // SAFETY: `invoker` is a `RegInvoker` cast to a pointer by `source` (contract; a Rust
    // function pointer and a data pointer have the same size here), `fun` the plan's bound
    // symbol, both as `source` wrote them; the frame and `out` are the wrapper's static
    // arrays of these sizes.
    unsafe {
        let f = std::mem::transmute::<*const c_void, RegInvoker>(invoker);
        *out = f(FnPtr::from_addr(fun), &*frame);
    }
}

/// As [`call_regs`], for a [`MemoryInvoker`] and all `FRAME_WORDS` words (a memory return's
/// destination in word 0).
///
/// # Safety
/// As [`call_regs`], the frame valid for `FRAME_WORDS` reads, and word 0 a buffer of the
/// returned struct's size when it is returned in memory.
unsafe extern "C" fn call_memory(
    invoker: *const c_void,
    fun: *const c_void,
    frame: *const [u64; FRAME_WORDS],
    out: *mut [u64; 2],
) {
    // SAFETY: as in `call_regs`.
    unsafe {
        let f = std::mem::transmute::<*const c_void, MemoryInvoker>(invoker);
        *out = f(FnPtr::from_addr(fun), &*frame);
    }
}

/// The typed view of a frame a member of this width is stored through.
fn view(w: Width) -> (&'static str, usize) {
    match w {
        Width::W8 => ("8", 1),
        Width::W16 => ("16", 2),
        Width::W32 => ("32", 4),
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
local cast, typeof, istype, new = ffi.cast, ffi.typeof, ffi.istype, ffi.new
local band, floor = bit.band, math.floor
local type, select = type, select
local U8P, U16P, U32P, I32P, U64P = typeof("uint8_t *"), typeof("uint16_t *"), typeof("uint32_t *"), typeof("int32_t *"), typeof("uint64_t *")
local FP, DP, CPP = typeof("float *"), typeof("double *"), typeof("const char **")
local string_at = ffi.string
local BITS = cast("const uint8_t *", {bits:#x}ULL)
local FFI_CALLS = cast(U64P, {ffi_calls:#x}ULL)
local CALL_REGS = cast("void (*)(void *, void *, uint64_t *, uint64_t *)", {regs:#x}ULL)
local CALL_MEMORY = cast("void (*)(void *, void *, uint64_t *, uint64_t *)", {memory:#x}ULL)
local NAN = 0 / 0
local W, RAW = {{}}, {{}}
"#,
        bits = env.mode_bits as usize,
        ffi_calls = env.ffi_calls as usize,
        regs = call_regs as *const () as usize,
        memory = call_memory as *const () as usize,
    );
    for f in funcs {
        function_source(&mut s, f);
    }
    s.push_str("return W, RAW\n");
    s
}

fn function_source(s: &mut String, f: &JitFunction) {
    let (words, call, inv) = match f.invoker {
        JitInvoker::Regs(i) => (REG_WORDS, "CALL_REGS", i as *const () as usize),
        JitInvoker::Memory(i) => (FRAME_WORDS, "CALL_MEMORY", i as *const () as usize),
    };
    let _ = writeln!(
        s,
        "do\nlocal fallback = planned[\"{name}\"]\n\
         local F, O = new(\"uint64_t[{words}]\"), new(\"uint64_t[2]\")\n\
         local F8, F16, F32, FI, FF, FD = cast(U8P, F), cast(U16P, F), cast(U32P, F), cast(I32P, F), cast(FP, F), cast(DP, F)\n\
         local O8, O16, O32, OI, OF, OD = cast(U8P, O), cast(U16P, O), cast(U32P, O), cast(I32P, O), cast(FP, O), cast(DP, O)\n\
         local INV, FUN = cast(\"void *\", {inv:#x}ULL), cast(\"void *\", {fun:#x}ULL)\n\
         local calls = cast(U64P, {calls:#x}ULL)",
        name = f.name,
        fun = f.fun.addr() as usize,
        calls = f.calls as usize,
    );
    if let Some(sig) = direct_signature(f) {
        let _ = writeln!(
            s,
            "local DIRECT = cast(\"{sig}\", {fun:#x}ULL)",
            fun = f.fun.addr() as usize
        );
    }
    let texts = f.args.iter().any(|a| matches!(a, JitArg::Text { .. })) || f.ret == JitRet::Text;
    if texts {
        s.push_str("local FS, OS = cast(CPP, F), cast(CPP, O)\n");
    }
    // A struct returned in memory is written into this buffer (frame word 0), then copied
    // member by member into the new value.
    if let JitRet::Struct {
        memory: Some(size), ..
    } = &f.ret
    {
        let _ = writeln!(
            s,
            "local R = new(\"uint64_t[{}]\")\nF[0] = cast(\"uint64_t\", cast(\"uintptr_t\", R))\n\
             local R8, R16, R32 = cast(U8P, R), cast(U16P, R), cast(U32P, R)",
            size.div_ceil(8).max(1)
        );
    }
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
        f.name, f.fast_mask, f.fast_value
    );
    if n > 0 {
        let _ = writeln!(s, "    local {} = ...", names.join(", "));
    }
    let mut conds = Vec::new();
    let mut stores = Vec::new();
    for (a, v) in f.args.iter().zip(&names) {
        match a {
            JitArg::Float { slot, min, max } => {
                let mut c = format!("type({v}) == \"number\"");
                if min.is_finite() {
                    let _ = write!(c, " and {v} >= {min:?}");
                }
                if max.is_finite() {
                    let _ = write!(c, " and {v} <= {max:?}");
                }
                conds.push(c);
                stores.push(format!("FF[{}] = {v}", 2 * slot));
            }
            JitArg::Double(slot) => {
                conds.push(format!("type({v}) == \"number\""));
                stores.push(format!("FD[{slot}] = {v}"));
            }
            JitArg::Int {
                slot,
                min,
                max,
                unsigned,
            } => {
                conds.push(format!(
                    "type({v}) == \"number\" and {v} >= {min} and {v} <= {max} and floor({v}) == {v}"
                ));
                let view = if *unsigned { "F32" } else { "FI" };
                stores.push(format!("{view}[{}] = {v}", 2 * slot));
            }
            JitArg::Bool(slot) => {
                conds.push(format!("type({v}) == \"boolean\""));
                stores.push(format!("F32[{}] = {v} and 1 or 0", 2 * slot));
            }
            JitArg::Text { slot, max } => {
                conds.push(match max {
                    Some(max) => format!("type({v}) == \"string\" and #{v} <= {max}"),
                    None => format!("type({v}) == \"string\""),
                });
                // LuaJIT converts a string to `const char *` as the address of its bytes.
                stores.push(format!("FS[{slot}] = {v}"));
            }
            JitArg::Struct { sid, members } => {
                conds.push(format!("(istype(T{sid}, {v}) or istype(K{sid}, {v}))"));
                for m in members {
                    let (bits, size) = view(m.width);
                    stores.push(format!("F{bits}[{}] = {v}.{}", m.byte / size, m.name));
                }
            }
        }
    }
    let cond = if conds.is_empty() {
        "true".to_string()
    } else {
        conds.join("\n      and ")
    };
    let _ = writeln!(s, "    if {cond} then");
    let counted = "      calls[0] = calls[0] + 1\n      FFI_CALLS[0] = FFI_CALLS[0] + 1\n";
    call_and_return(s, f, &stores, call, counted);
    let _ = writeln!(s, "    end\n  end\n  return fallback(...)\nend");
    if f.raw {
        // The same fast case for operators: arguments checked, no mode, not counted; nil
        // for anything else.
        let _ = writeln!(s, "RAW[\"{}\"] = function({})", f.name, names.join(", "));
        let _ = writeln!(s, "    if {cond} then");
        call_and_return(s, f, &stores, call, "");
        s.push_str("    end\nend\n");
    }
    s.push_str("end\n");
}

/// The C declaration a function of numbers and bools is called through directly by LuaJIT's
/// FFI (compiled, no frame: a scalar call needs no struct lowering), if `f` is one: every
/// argument a number or bool, the result void, a bool or a 32-bit integer (a `float` or
/// `double` result would become a Lua number unguarded, so those keep the frame, whose
/// result is read through its bits).
fn direct_signature(f: &JitFunction) -> Option<String> {
    let ret = match f.ret {
        JitRet::Void => "void",
        JitRet::Bool => "bool",
        JitRet::Int => "int32_t",
        JitRet::UInt => "uint32_t",
        _ => return None,
    };
    let mut params = Vec::with_capacity(f.args.len());
    for a in &f.args {
        params.push(match a {
            JitArg::Float { .. } => "float",
            JitArg::Double(_) => "double",
            JitArg::Int {
                unsigned: false, ..
            } => "int32_t",
            JitArg::Int { unsigned: true, .. } => "uint32_t",
            JitArg::Bool(_) => "bool",
            JitArg::Text { .. } | JitArg::Struct { .. } => return None,
        });
    }
    let params = if params.is_empty() {
        "void".to_string()
    } else {
        params.join(", ")
    };
    Some(format!("{ret} (*)({params})"))
}

/// The stores of the arguments, the call, `after` (the counters), and the return of the
/// result, inside a wrapper's fast case. A function of numbers and bools
/// ([`direct_signature`]) is called straight through its declaration (`DIRECT`).
fn call_and_return(s: &mut String, f: &JitFunction, stores: &[String], call: &str, after: &str) {
    if direct_signature(f).is_some() {
        let args: Vec<String> = (1..=f.args.len()).map(|i| format!("a{i}")).collect();
        s.push_str(after);
        let call = format!("DIRECT({})", args.join(", "));
        let _ = match f.ret {
            JitRet::Void => writeln!(s, "      {call}\n      return"),
            _ => writeln!(s, "      return {call}"),
        };
        return;
    }
    for st in stores {
        let _ = writeln!(s, "      {st}");
    }
    let _ = writeln!(s, "      {call}(INV, FUN, F, O)");
    s.push_str(after);
    match &f.ret {
        JitRet::Void => s.push_str("      return\n"),
        JitRet::Bool => s.push_str("      return O8[0] ~= 0\n"),
        JitRet::Int => s.push_str("      return OI[0]\n"),
        JitRet::UInt => s.push_str("      return O32[0]\n"),
        // A NaN's payload could read back as another Lua type: the canonical NaN instead.
        JitRet::Float => s.push_str(
            "      if band(O32[0], 0x7fffffff) > 0x7f800000 then return NAN end\n      return OF[0]\n",
        ),
        JitRet::Double => s.push_str(
            "      local hi = band(O32[1], 0x7fffffff)\n      if hi > 0x7ff00000 or (hi == 0x7ff00000 and O32[0] ~= 0) then return NAN end\n      return OD[0]\n",
        ),
        // A pointer compares equal to nil when it is NULL.
        JitRet::Text => s.push_str(
            "      local p = OS[0]\n      if p == nil then return nil end\n      return string_at(p)\n",
        ),
        JitRet::Struct {
            sid,
            members,
            memory,
        } => {
            // `R` itself is named so that the wrapper holds it: frame word 0 and the views
            // are only its address, which would not keep it from being collected.
            if memory.is_some() {
                s.push_str("      local _ = R\n");
            }
            let src = if memory.is_some() { "R" } else { "O" };
            let loads: Vec<String> = members
                .iter()
                .map(|m| {
                    let (bits, size) = view(m.width);
                    format!("{src}{bits}[{}]", m.byte / size)
                })
                .collect();
            let _ = writeln!(s, "      return T{sid}({})", loads.join(", "));
        }
    }
}

/// A struct type whose arithmetic operators get compiled fast cases, through the raw fast
/// cases of raymath's functions for it: what lunaray's C operators (`lua::operators`) compute
/// (raymath's results, bit for bit), so either gives the same values.
#[derive(Clone, Copy, Debug)]
pub enum OpType {
    /// `Vector2`, `Vector3`, `Vector4` (their raymath prefix): `+ - * /` of two, `+ *` with
    /// a number on either side, `-` with one on the right, unary `-`, `#` (the length).
    Vector { sid: u32, prefix: &'static str },
    /// `Matrix`: `* + -` of two, `m * v` of a `Vector3`.
    Matrix { sid: u32, vector3: u32 },
}

/// The Lua source setting the operator tables (`lua_cdata::ops_key`) of `types`: a chunk
/// called with `(R, M, ffi)` (the raw fast cases by name, the struct metatable). Each case
/// falls back to the C operator (its errors, and the combinations left out here). A result is
/// tested by truth, never `~= nil`: comparing a cdata calls its `__eq`, a C function.
pub fn operator_source(types: &[OpType]) -> String {
    let mut s = String::from("local R, M, ffi = ...\nlocal istype, type = ffi.istype, type\n");
    for t in types {
        match *t {
            OpType::Vector { sid, prefix } => {
                let _ = writeln!(
                    s,
                    "do\nlocal ops, T, K = M[{ops}], M[{t}], M[{k}]\n\
                     local function isv(x) return istype(T, x) or istype(K, x) end\n\
                     local ADD, SUB, MUL, DIV = R.{p}Add, R.{p}Subtract, R.{p}Multiply, R.{p}Divide\n\
                     local SCALE, ADDV, SUBV, NEG, LEN = R.{p}Scale, R.{p}AddValue, R.{p}SubtractValue, R.{p}Negate, R.{p}Length\n\
                     local cadd, csub, cmul, cdiv, cunm, clen = ops.__add, ops.__sub, ops.__mul, ops.__div, ops.__unm, ops.__len\n\
                     if ADD and ADDV then ops.__add = function(a, b)\n\
                     \x20 local r\n\
                     \x20 if isv(a) then if isv(b) then r = ADD(a, b) elseif type(b) == \"number\" then r = ADDV(a, b) end\n\
                     \x20 elseif type(a) == \"number\" and isv(b) then r = ADDV(b, a) end\n\
                     \x20 if r then return r end\n\
                     \x20 return cadd(a, b)\n\
                     end end\n\
                     if SUB and SUBV and NEG then ops.__sub = function(a, b)\n\
                     \x20 local r\n\
                     \x20 if isv(a) then if isv(b) then r = SUB(a, b) elseif type(b) == \"number\" then r = SUBV(a, b) end\n\
                     \x20 end\n\
                     \x20 if r then return r end\n\
                     \x20 return csub(a, b)\n\
                     end end\n\
                     if MUL and SCALE then ops.__mul = function(a, b)\n\
                     \x20 local r\n\
                     \x20 if isv(a) then if isv(b) then r = MUL(a, b) elseif type(b) == \"number\" then r = SCALE(a, b) end\n\
                     \x20 elseif type(a) == \"number\" and isv(b) then r = SCALE(b, a) end\n\
                     \x20 if r then return r end\n\
                     \x20 return cmul(a, b)\n\
                     end end\n\
                     if DIV then ops.__div = function(a, b)\n\
                     \x20 local r = isv(a) and isv(b) and DIV(a, b) or nil\n\
                     \x20 if r then return r end\n\
                     \x20 return cdiv(a, b)\n\
                     end end\n\
                     if NEG then ops.__unm = function(a, b)\n\
                     \x20 local r = isv(a) and NEG(a) or nil\n\
                     \x20 if r then return r end\n\
                     \x20 return cunm(a, b)\n\
                     end end\n\
                     if LEN then ops.__len = function(a, b)\n\
                     \x20 local r = isv(a) and LEN(a) or nil\n\
                     \x20 if r then return r end\n\
                     \x20 return clen(a, b)\n\
                     end end\n\
                     end",
                    ops = super::lua_cdata::ops_key(sid),
                    t = ctor_key(sid, false),
                    k = ctor_key(sid, true),
                    p = prefix,
                );
            }
            OpType::Matrix { sid, vector3 } => {
                let _ = writeln!(
                    s,
                    "do\nlocal ops, T, K, V, VK = M[{ops}], M[{t}], M[{k}], M[{v}], M[{vk}]\n\
                     local function ism(x) return istype(T, x) or istype(K, x) end\n\
                     local MUL, ADD, SUB, XF = R.MatrixMultiply, R.MatrixAdd, R.MatrixSubtract, R.Vector3Transform\n\
                     local cadd, csub, cmul = ops.__add, ops.__sub, ops.__mul\n\
                     if MUL and XF then ops.__mul = function(a, b)\n\
                     \x20 local r\n\
                     \x20 if ism(a) then if ism(b) then r = MUL(a, b) elseif istype(V, b) or istype(VK, b) then r = XF(b, a) end end\n\
                     \x20 if r then return r end\n\
                     \x20 return cmul(a, b)\n\
                     end end\n\
                     if ADD then ops.__add = function(a, b)\n\
                     \x20 local r = ism(a) and ism(b) and ADD(a, b) or nil\n\
                     \x20 if r then return r end\n\
                     \x20 return cadd(a, b)\n\
                     end end\n\
                     if SUB then ops.__sub = function(a, b)\n\
                     \x20 local r = ism(a) and ism(b) and SUB(a, b) or nil\n\
                     \x20 if r then return r end\n\
                     \x20 return csub(a, b)\n\
                     end end\n\
                     end",
                    ops = super::lua_cdata::ops_key(sid),
                    t = ctor_key(sid, false),
                    k = ctor_key(sid, true),
                    v = ctor_key(vector3, false),
                    vk = ctor_key(vector3, true),
                );
            }
        }
    }
    s
}

/// The tables the wrappers' chunk is called with (see [`source`]).
pub struct JitTables {
    pub planned: mlua::Table,
    /// The struct metatable, holding the cdata constructors.
    pub struct_mt: mlua::Table,
    pub mirror: mlua::Table,
}

/// Opens `ffi` for lunaray's own use (or finds the one opened already), loads the wrappers'
/// source and runs it, then sets the operators of `ops` from the raw fast cases; returns the
/// wrappers by name.
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
    ops: &[OpType],
    tables: JitTables,
) -> mlua::Result<mlua::Table> {
    let JitTables {
        planned,
        struct_mt,
        mirror,
    } = tables;
    let ffi = private_ffi(lua_state)?;
    let src = source(env, funcs);
    let chunk = lua_state
        .load(src)
        .set_name("=lunaray jit wrappers")
        .into_function()?;
    let (wrappers, raw): (mlua::Table, mlua::Table) =
        chunk.call((ffi.clone(), planned, struct_mt.clone(), mirror))?;
    lua_state
        .load(operator_source(ops))
        .set_name("=lunaray jit operators")
        .call::<()>((raw, struct_mt, ffi))?;
    Ok(wrappers)
}

/// The `ffi` library for lunaray's own use: opened once per state (anchored in the registry
/// as `lunaray.ffi`), kept out of `package.loaded` unless it was there already (`--ffi`).
pub fn private_ffi(lua_state: &mlua::Lua) -> mlua::Result<mlua::Table> {
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
    unsafe {
        lua_state.exec_raw::<mlua::Table>((), |l| {
            if lua::lua_checkstack(l, 4) == 0 {
                lua::lua_pushnil(l);
                return;
            }
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
        })
    }
}
