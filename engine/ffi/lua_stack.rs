//! Raw access to the Lua stack for the C functions lunaray registers (`rl.*`, struct value
//! metamethods). mlua's own callbacks allocate and convert through `Value`; these read and
//! write stack slots directly, which is what makes a call cheap. Entering from Lua and
//! raising errors: `lua_entry`; lunaray's own userdata: `lua_userdata`.

use std::ffi::c_int;
use std::marker::PhantomData;
use std::ptr::NonNull;

use mlua::ffi as lua;

use super::memory::CMem;

use super::lua_entry::push_handler;
pub use super::lua_entry::LuaHandler;
pub use super::lua_userdata::{BufferSlot, PointerSlot, StructSlot};

/// The type of a stack slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LuaType {
    None,
    Nil,
    Boolean,
    LightUserdata,
    Number,
    String,
    Table,
    Function,
    Userdata,
    Thread,
    /// LuaJIT's FFI data (`1ULL`, lunaray's cdata struct values).
    CData,
}

impl LuaType {
    pub fn name(self) -> &'static str {
        match self {
            LuaType::None => "no value",
            LuaType::Nil => "nil",
            LuaType::Boolean => "boolean",
            LuaType::LightUserdata | LuaType::Userdata => "userdata",
            LuaType::Number => "number",
            LuaType::String => "string",
            LuaType::Table => "table",
            LuaType::Function => "function",
            LuaType::Thread => "thread",
            LuaType::CData => "cdata",
        }
    }
}

/// The Lua stack of the running C function. Only exists inside a call from Lua (or a
/// setup closure on the main state), for the call's lifetime `'call`.
///
/// Slots at or below the **floor** are never removed while the `Stack` lives: the call's
/// arguments, and values pinned with [`Stack::push_struct_pinned`]. Every operation that
/// removes slots asserts it stays above the floor. So memory spans into values below the
/// floor (`arg_struct_at`) are valid for all of `'call`; spans into other slots borrow the
/// `Stack`, so no slot can be removed while they are used.
pub struct Stack<'call> {
    pub(super) l: *mut lua::lua_State,
    floor: c_int,
    /// Slots at or below this are not removed either, but are no call-long values: an
    /// iteration's key and value while `for_each_pair`'s callback runs.
    guard: c_int,
    /// The top up to which the stack is known to have room (Lua guarantees `LUA_MINSTACK`
    /// slots to a C function; `ensure` grows it). Every push checks it.
    room: c_int,
    _call: PhantomData<&'call mut lua::lua_State>,
}

/// The registry's pseudo-index, for [`Stack::set_field`] on it.
pub const REGISTRY: c_int = lua::LUA_REGISTRYINDEX;

/// Slots Lua guarantees a C function above its arguments (`LUA_MINSTACK` in Lua 5.4 and
/// LuaJIT).
pub(super) const MIN_STACK: c_int = 20;

impl<'call> Stack<'call> {
    /// The stack of the running function, its present slots as the floor.
    ///
    /// # Safety
    /// `l` must be the running state for all of `'call`, and nothing else may remove its
    /// slots at or below the present top during `'call`; `guaranteed` free slots must exist
    /// above the top (`MIN_STACK` for a C function Lua called, else 0).
    pub(super) unsafe fn enter(l: *mut lua::lua_State, guaranteed: c_int) -> Stack<'call> {
        // SAFETY: `l` is live (contract); `lua_gettop` only reads.
        let floor = unsafe { lua::lua_gettop(l) };
        Stack {
            l,
            floor,
            guard: 0,
            room: floor + guaranteed,
            _call: PhantomData,
        }
    }

    /// `idx` if Lua accepts it: positive (beyond the top it reads as none), negative within
    /// the stack, or a pseudo-index (registry, upvalues). Panics otherwise, before Lua sees
    /// it: Lua does not check indices in release builds.
    #[inline(always)]
    pub(super) fn valid(&self, idx: c_int) -> c_int {
        if idx <= 0 && idx > lua::LUA_REGISTRYINDEX {
            assert!(idx != 0 && -idx <= self.top(), "a valid stack index");
        }
        idx
    }

    /// Makes sure `n` more slots can be pushed. Panics if Lua cannot grow the stack.
    #[inline(always)]
    pub(super) fn reserve(&mut self, n: c_int) {
        if self.top() + n > self.room && !self.ensure(n) {
            panic!("Lua stack overflow");
        }
    }

    /// The highest slot no operation may remove during the call.
    #[inline]
    pub fn floor(&self) -> c_int {
        self.floor
    }

    /// Makes every present slot part of the floor.
    pub(super) fn raise_floor(&mut self) {
        self.floor = self.top();
    }

    /// Asserts that removing slots down to `new_top` keeps every slot at or below the floor.
    #[inline]
    fn keep_floor(&self, new_top: c_int) {
        assert!(
            new_top >= self.floor.max(self.guard),
            "no slot below the floor is removed"
        );
    }
    #[inline]
    pub fn top(&self) -> c_int {
        // SAFETY: `self.l` is the running state for the life of this `Stack`.
        unsafe { lua::lua_gettop(self.l) }
    }

    /// Sets the top (a non-negative index), never below the floor.
    #[inline]
    pub fn set_top(&mut self, idx: c_int) {
        assert!(idx >= 0, "an absolute top");
        self.keep_floor(idx);
        if idx > self.top() && !self.ensure(idx - self.top()) {
            panic!("stack overflow growing the stack to {idx}");
        }
        // SAFETY: `idx` is a valid absolute top: at or above the floor, with room for the
        // slots it adds (checked).
        unsafe { lua::lua_settop(self.l, idx) }
    }

    /// KiB the Lua state uses now (Lua's own count, what a memory limit is checked on),
    /// rounded down.
    pub fn memory_kib(&self) -> usize {
        // SAFETY: `self.l` is the running state; LUA_GCCOUNT only reads the collector's
        // byte count (it neither allocates nor runs the collector).
        let kib = unsafe { lua::lua_gc(self.l, lua::LUA_GCCOUNT, 0) };
        kib.max(0) as usize
    }

    /// Makes room for `n` more slots; false if Lua cannot grow the stack.
    pub fn ensure(&mut self, n: c_int) -> bool {
        // SAFETY: `self.l` is the running state; `lua_checkstack` only grows the stack.
        let ok = unsafe { lua::lua_checkstack(self.l, n.max(0)) != 0 };
        if ok {
            self.room = self.room.max(self.top() + n);
        }
        ok
    }

    #[inline]
    pub fn type_of(&self, idx: c_int) -> LuaType {
        let idx = self.valid(idx);
        // SAFETY: `self.l` is the running state and `idx` an acceptable index (checked; none
        // beyond the top).
        match unsafe { lua::lua_type(self.l, idx) } {
            lua::LUA_TNIL => LuaType::Nil,
            lua::LUA_TBOOLEAN => LuaType::Boolean,
            lua::LUA_TLIGHTUSERDATA => LuaType::LightUserdata,
            lua::LUA_TNUMBER => LuaType::Number,
            lua::LUA_TSTRING => LuaType::String,
            lua::LUA_TTABLE => LuaType::Table,
            lua::LUA_TFUNCTION => LuaType::Function,
            lua::LUA_TUSERDATA => LuaType::Userdata,
            lua::LUA_TTHREAD => LuaType::Thread,
            #[cfg(feature = "luajit")]
            super::lua_cdata::LUA_TCDATA => LuaType::CData,
            _ => LuaType::None,
        }
    }

    /// The number in a slot, if it holds a number (strings are not converted).
    #[inline]
    pub fn number(&self, idx: c_int) -> Option<f64> {
        let mut isnum = 0;
        if self.type_of(idx) != LuaType::Number {
            return None;
        }
        // SAFETY: the slot holds a number (checked), so no conversion allocates or errors.
        let v = unsafe { lua::lua_tonumberx(self.l, idx, &mut isnum) };
        Some(v)
    }

    /// The integer in a slot if it is an integer-typed number (Lua 5.4 subtypes).
    #[cfg(not(feature = "luajit"))]
    #[inline]
    pub fn integer(&self, idx: c_int) -> Option<i64> {
        let idx = self.valid(idx);
        // SAFETY: `lua_isinteger` only inspects the slot (an acceptable index, checked).
        if unsafe { lua::lua_isinteger(self.l, idx) } == 0 {
            return None;
        }
        let mut isnum = 0;
        // SAFETY: the slot holds an integer (checked above).
        Some(unsafe { lua::lua_tointegerx(self.l, idx, &mut isnum) })
    }

    /// The integer in a slot if it holds an integral number in `i64`'s range. LuaJIT has only
    /// doubles, so every integral value counts (where Lua 5.4 tells `3` from `3.0`); `-0.0`
    /// does not, as in Lua 5.4 where `-0` is the integer 0 but `-0.0` stays a float.
    #[cfg(feature = "luajit")]
    #[inline]
    pub fn integer(&self, idx: c_int) -> Option<i64> {
        let n = self.number(idx)?;
        // 2^63 is exact as a double; the range is [-2^63, 2^63).
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        let integral = n.trunc() == n && (-LIMIT..LIMIT).contains(&n);
        (integral && !(n == 0.0 && n.is_sign_negative())).then_some(n as i64)
    }

    #[inline]
    pub fn boolean(&self, idx: c_int) -> bool {
        let idx = self.valid(idx);
        // SAFETY: reads the slot's truth value (an acceptable index, checked); never errors.
        unsafe { lua::lua_toboolean(self.l, idx) != 0 }
    }

    /// The bytes of a string slot, NUL-terminated by Lua, valid while the string stays on the
    /// stack. None unless the slot holds a string (numbers are not converted in place).
    #[inline]
    pub fn string(&self, idx: c_int) -> Option<CMem<'_>> {
        if self.type_of(idx) != LuaType::String {
            return None;
        }
        let mut len = 0usize;
        // SAFETY: the slot holds a string (checked): no conversion, no error; Lua strings are
        // followed by a NUL byte, included in the span so C may read it. The span borrows the
        // stack, so the slot cannot be removed while it is used.
        unsafe {
            let p = lua::lua_tolstring(self.l, idx, &mut len);
            Some(CMem::from_raw(NonNull::new(p as *mut u8)?, len + 1))
        }
    }

    /// A number argument converted to a string in place, as `luaL_checklstring` does
    /// (`DrawText(score, ...)`).
    pub fn number_as_string(&mut self, idx: c_int) -> Option<CMem<'_>> {
        if self.type_of(idx) != LuaType::Number {
            return None;
        }
        let mut len = 0usize;
        // SAFETY: the slot holds a number; converting an argument slot in place is allowed
        // for C functions (it is their own stack frame). The string stays in the slot.
        unsafe {
            let p = lua::lua_tolstring(self.l, idx, &mut len);
            Some(CMem::from_raw(NonNull::new(p as *mut u8)?, len + 1))
        }
    }

    /// The string at a slot, copied (for messages and names; not the hot path).
    pub fn string_lossy(&self, idx: c_int) -> Option<String> {
        let mem = self.string(idx)?;
        let bytes = mem.slice(0, mem.len() - 1).to_vec();
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The interned address of a short string (Lua 5.4 and LuaJIT intern them), for
    /// comparing field names by pointer.
    #[inline]
    pub fn string_addr(&self, idx: c_int) -> Option<*const u8> {
        self.string(idx).map(|m| m.as_ptr() as *const u8)
    }

    pub fn absolute(&self, idx: c_int) -> c_int {
        let idx = self.valid(idx);
        if idx < 0 && idx > lua::LUA_REGISTRYINDEX {
            self.top() + idx + 1
        } else {
            idx
        }
    }

    #[inline]
    pub fn push_nil(&mut self) {
        self.reserve(1);
        // SAFETY: pushes one value, with room for it (reserved).
        unsafe { lua::lua_pushnil(self.l) }
    }

    #[inline]
    pub fn push_number(&mut self, v: f64) {
        self.reserve(1);
        // SAFETY: as `push_nil`.
        unsafe { lua::lua_pushnumber(self.l, v) }
    }

    /// Pushes an integer: an integer-typed value in Lua 5.4, a number (a double, exact up to
    /// 2^53) in LuaJIT, which has no integers.
    #[cfg(not(feature = "luajit"))]
    #[inline]
    pub fn push_integer(&mut self, v: i64) {
        self.reserve(1);
        // SAFETY: as `push_nil`.
        unsafe { lua::lua_pushinteger(self.l, v as lua::lua_Integer) }
    }

    /// Pushes an integer: an integer-typed value in Lua 5.4, a number (a double, exact up to
    /// 2^53) in LuaJIT, which has no integers.
    #[cfg(feature = "luajit")]
    #[inline]
    pub fn push_integer(&mut self, v: i64) {
        self.push_number(v as f64)
    }

    #[inline]
    pub fn push_boolean(&mut self, v: bool) {
        self.reserve(1);
        // SAFETY: as `push_nil`.
        unsafe { lua::lua_pushboolean(self.l, v as c_int) }
    }

    pub fn push_bytes(&mut self, bytes: &[u8]) {
        self.reserve(1);
        // SAFETY: Lua copies the bytes; room for the string (reserved).
        unsafe { lua::lua_pushlstring(self.l, bytes.as_ptr().cast(), bytes.len()) };
    }

    /// Pushes a span's bytes as a Lua string (no Rust allocation).
    pub fn push_mem(&mut self, mem: CMem<'_>) {
        self.reserve(1);
        // SAFETY: the span is valid for `len` bytes of reads (CMem's invariant); Lua copies
        // them; room for the string (reserved).
        unsafe { lua::lua_pushlstring(self.l, mem.as_ptr().cast(), mem.len()) };
    }

    /// Pops `n` slots, never below the floor.
    pub fn pop(&mut self, n: c_int) {
        assert!(n >= 0 && n <= self.top(), "pops what is there");
        self.keep_floor(self.top() - n);
        // SAFETY: `n` slots exist (asserted) above the floor.
        unsafe { lua::lua_pop(self.l, n) }
    }

    /// Pushes `t[i]` (raw) for the table at `t`; returns its type. A slot that holds no
    /// table reads as an empty one (nil is pushed).
    #[cfg(not(feature = "luajit"))]
    #[inline]
    pub fn raw_get_index(&mut self, t: c_int, i: i64) -> LuaType {
        if self.type_of(t) != LuaType::Table {
            self.push_nil();
            return LuaType::Nil;
        }
        self.reserve(1);
        // SAFETY: `t` holds a table (checked); raw access runs no metamethods; room for the
        // value (reserved).
        unsafe { lua::lua_rawgeti(self.l, t, i as lua::lua_Integer) };
        self.type_of(-1)
    }

    /// Pushes `t[i]` (raw) for the table at `t`; returns its type. A slot that holds no
    /// table reads as an empty one (nil is pushed).
    #[cfg(feature = "luajit")]
    #[inline]
    pub fn raw_get_index(&mut self, t: c_int, i: i64) -> LuaType {
        if self.type_of(t) != LuaType::Table {
            self.push_nil();
            return LuaType::Nil;
        }
        self.reserve(1);
        match c_int::try_from(i) {
            // SAFETY: `t` holds a table (checked); raw access runs no metamethods.
            Ok(n) => unsafe { lua::lua_rawgeti_(self.l, t, n) },
            // LuaJIT's `lua_rawgeti` takes an `int`: wider indices are looked up as numbers.
            Err(_) => {
                let t = self.absolute(t);
                self.push_number(i as f64);
                // SAFETY: `t` holds a table (checked); the key is on top and is replaced by
                // the value.
                unsafe { lua::lua_rawget_(self.l, t) };
            }
        }
        self.type_of(-1)
    }

    /// Pushes `t[key]` (raw) where `key` is the value stored in the registry under `key_ref`.
    /// A slot that holds no table reads as an empty one (nil is pushed).
    #[inline]
    pub fn raw_get_ref_key(&mut self, t: c_int, key_ref: c_int) -> LuaType {
        let t = self.absolute(t);
        if self.type_of(t) != LuaType::Table {
            self.push_nil();
            return LuaType::Nil;
        }
        self.reserve(1);
        // SAFETY: `t` holds a table (checked); the registry is a table, and `lua_rawgeti`
        // on it pushes whatever the ref names (nil for an unknown ref); room (reserved).
        unsafe {
            lua::lua_rawgeti(self.l, lua::LUA_REGISTRYINDEX, key_ref as lua::lua_Integer);
            lua::lua_rawget(self.l, t);
        }
        self.type_of(-1)
    }

    /// Replaces the key on top with `t[key]` (raw). A slot that holds no table reads as an
    /// empty one (nil).
    pub fn raw_get(&mut self, t: c_int) -> LuaType {
        let t = self.absolute(t);
        assert!(self.top() >= 1, "a key on the stack");
        self.keep_floor(self.top() - 1);
        if self.type_of(t) != LuaType::Table {
            self.pop(1);
            self.push_nil();
            return LuaType::Nil;
        }
        // SAFETY: `t` holds a table (checked) and a key is on top, above the floor (kept);
        // a raw read calls no metamethod and raises no error, whatever the key.
        unsafe { lua::lua_rawget(self.l, t) };
        self.type_of(-1)
    }

    /// Whether the values at `a` and `b` are primitively equal (no `__eq`).
    pub fn raw_equal(&self, a: c_int, b: c_int) -> bool {
        let (a, b) = (self.valid(a), self.valid(b));
        // SAFETY: two valid indices (checked); a raw comparison calls no metamethod.
        unsafe { lua::lua_rawequal(self.l, a, b) != 0 }
    }

    /// Length of the table, string or userdata at `t` without metamethods; 0 for anything
    /// else (LuaJIT's `lua_objlen` would convert a number in place).
    pub fn raw_len(&self, t: c_int) -> usize {
        match self.type_of(t) {
            // SAFETY: an acceptable index (checked by `type_of`) holding a table, string or
            // userdata: only its length is read.
            LuaType::Table | LuaType::String | LuaType::Userdata => unsafe {
                lua::lua_rawlen(self.l, t)
            },
            _ => 0,
        }
    }

    /// Whether the table at `t` holds more than `n` entries (array and hash parts together);
    /// stops counting as soon as it does. A slot that holds no table holds none.
    pub fn has_more_entries_than(&mut self, t: c_int, n: usize) -> bool {
        let t = self.absolute(t);
        if self.type_of(t) != LuaType::Table {
            return false;
        }
        self.reserve(3);
        self.push_nil();
        let mut count = 0;
        loop {
            // SAFETY: `t` holds a table (checked); the iteration key is on top and nothing
            // else touches the stack during the loop; room for key and value (reserved).
            if unsafe { lua::lua_next(self.l, t) } == 0 {
                return false;
            }
            count += 1;
            if count > n {
                // The key and the value.
                self.pop(2);
                return true;
            }
            // The value; the key stays for `lua_next`.
            self.pop(1);
        }
    }

    /// Iterates the table at `t`: calls `f(stack)` with copies of each key at -2 and value
    /// at -1 (so nothing `f` does to them disturbs the iteration). A slot that holds no table
    /// has no pairs.
    pub fn for_each_pair<E>(
        &mut self,
        t: c_int,
        mut f: impl FnMut(&mut Stack<'call>) -> Result<(), E>,
    ) -> Result<(), E> {
        let t = self.absolute(t);
        if self.type_of(t) != LuaType::Table {
            return Ok(());
        }
        self.reserve(5);
        self.push_nil();
        let key_top = self.top();
        let guard = self.guard;
        loop {
            // SAFETY: `t` holds a table (checked); the iteration key is on top (the callback
            // only sees copies and cannot remove the originals: they are guarded while it
            // runs); room for the key, the value and their copies (reserved).
            if unsafe { lua::lua_next(self.l, t) } == 0 {
                break;
            }
            // SAFETY: the key and the value are the two top slots; two copies pushed (room
            // reserved above, and `lua_next` replaced the key with key and value).
            unsafe {
                lua::lua_pushvalue(self.l, -2);
                lua::lua_pushvalue(self.l, -2);
            }
            self.guard = key_top + 1;
            let r = f(self);
            self.guard = guard;
            assert_eq!(
                self.top(),
                key_top + 3,
                "for_each_pair's callback keeps the stack"
            );
            // The copies and the value; the key stays for `lua_next`.
            self.pop(3);
            if let Err(e) = r {
                self.pop(1);
                return Err(e);
            }
        }
        Ok(())
    }

    /// Stores the value at the top in the registry; returns its reference (pops it).
    pub fn reference(&mut self) -> c_int {
        assert!(self.top() >= 1, "a value to store");
        self.keep_floor(self.top() - 1);
        // SAFETY: a value is on top, above the floor (asserted).
        unsafe { mlua::ffi::luaL_ref(self.l, lua::LUA_REGISTRYINDEX) }
    }

    /// Drops a reference made by [`Stack::reference`]: the value may be collected.
    pub fn release(&mut self, r: c_int) {
        // SAFETY: removes key `r` from the registry table (a no-op for refs never made).
        unsafe { mlua::ffi::luaL_unref(self.l, lua::LUA_REGISTRYINDEX, r) }
    }

    /// Pushes a copy of the value at `idx`.
    pub fn push_copy(&mut self, idx: c_int) {
        let idx = self.valid(idx);
        self.reserve(1);
        // SAFETY: a valid index (checked) and room for the copy (reserved).
        unsafe { lua::lua_pushvalue(self.l, idx) };
    }

    pub fn push_ref(&mut self, r: c_int) {
        self.reserve(1);
        // SAFETY: reads the registry (a table) at an integer key: whatever is there, nil for
        // an unknown ref; room (reserved).
        unsafe { lua::lua_rawgeti(self.l, lua::LUA_REGISTRYINDEX, r as lua::lua_Integer) };
    }

    /// Pushes a C closure running `handler` (which lives as long as the process).
    pub fn push_handler<H: LuaHandler>(&mut self, handler: &'static H) {
        self.reserve(2);
        // SAFETY: `self.l` is the running state with room for the upvalue and the closure
        // (reserved); a `'static` handler outlives it.
        unsafe { push_handler(self.l, handler as *const H) };
    }

    /// Pushes a string key and a value pushed by `value`, and sets `t[key] = value` (raw).
    pub fn set_field(&mut self, t: c_int, key: &str, value: impl FnOnce(&mut Stack<'call>)) {
        let t = self.absolute(t);
        self.reserve(2);
        self.push_bytes(key.as_bytes());
        value(self);
        self.raw_set(t);
    }

    /// `chunk:line: ` of the Lua function `level` calls up from the running one (Lua's
    /// `luaL_where`: 1 is the caller of this C function), or "" where Lua knows no line.
    pub fn location(&mut self, level: c_int) -> String {
        self.reserve(1);
        // SAFETY: `self.l` is the running state; luaL_where pushes one string (room reserved).
        unsafe { mlua::ffi::luaL_where(self.l, level) };
        let s = self.string_lossy(-1).unwrap_or_default();
        self.pop(1);
        s
    }

    /// Creates a table and leaves it on top.
    pub fn new_table(&mut self) {
        self.reserve(1);
        // SAFETY: pushes one value, with room for it (reserved).
        unsafe { lua::lua_createtable(self.l, 0, 0) }
    }

    /// `t[k] = v` (raw), with key and value on top (both popped). `t` must hold a table and
    /// the key must not be nil or NaN (a panic otherwise, before Lua sees anything).
    pub fn raw_set(&mut self, t: c_int) {
        let t = self.absolute(t);
        assert_eq!(self.type_of(t), LuaType::Table, "raw_set on a table");
        assert!(self.top() >= 2, "key and value on the stack");
        self.keep_floor(self.top() - 2);
        let key_ok = match self.type_of(-2) {
            LuaType::Nil | LuaType::None => false,
            LuaType::Number => self.number(-2).is_some_and(|n| !n.is_nan()),
            _ => true,
        };
        assert!(key_ok, "raw_set with a valid key");
        // SAFETY: `t` holds a table and the key is valid (both asserted); key and value are
        // the two top slots.
        unsafe { lua::lua_rawset(self.l, t) }
    }
}

impl Stack<'_> {
    /// For the Lua function at `f` and, recursively, the Lua functions among its upvalues:
    /// every upvalue holding a table that is a key of the table at `map` is set to the value
    /// `map` gives it (hot reload points a new module's functions at the old module tables).
    /// C functions are never touched: their upvalues are lunaray's own. Returns how many
    /// upvalues were changed.
    pub fn rebind_upvalues(&mut self, f: c_int, map: c_int) -> usize {
        let (f, map) = (self.absolute(f), self.absolute(map));
        assert_eq!(self.type_of(map), LuaType::Table, "a map table");
        let mut seen = Vec::new();
        self.rebind(f, map, &mut seen, 0)
    }

    fn rebind(&mut self, f: c_int, map: c_int, seen: &mut Vec<usize>, depth: u32) -> usize {
        // SAFETY: `f` is a valid index (absolute, below the top); both calls only inspect it.
        let lua_function = unsafe {
            lua::lua_type(self.l, f) == lua::LUA_TFUNCTION && lua::lua_iscfunction(self.l, f) == 0
        };
        // SAFETY: as above; the pointer only identifies the function.
        let id = unsafe { lua::lua_topointer(self.l, f) } as usize;
        if !lua_function || seen.contains(&id) || depth > 64 {
            return 0;
        }
        seen.push(id);
        let mut changed = 0;
        for n in 1.. {
            self.reserve(3);
            // SAFETY: `f` holds a Lua function (checked); Lua pushes upvalue `n` and returns
            // its name, or pushes nothing and returns NULL past the last one; room reserved.
            if unsafe { lua::lua_getupvalue(self.l, f, n) }.is_null() {
                break;
            }
            let value = self.top();
            match self.type_of(value) {
                LuaType::Table => {
                    // SAFETY: copies the table and looks it up raw in `map` (a table,
                    // asserted), pushing one value; room reserved.
                    unsafe {
                        lua::lua_pushvalue(self.l, value);
                        lua::lua_rawget(self.l, map);
                    }
                    if self.type_of(-1) == LuaType::Nil {
                        self.pop(1);
                    } else {
                        // SAFETY: `f` is a Lua function with upvalue `n` (just read); Lua
                        // pops the replacement from the top.
                        unsafe { lua::lua_setupvalue(self.l, f, n) };
                        changed += 1;
                    }
                }
                LuaType::Function => changed += self.rebind(value, map, seen, depth + 1),
                _ => {}
            }
            self.pop(1);
        }
        changed
    }
}

/// Entry for setting things up outside a call: runs `f` with the stack of `lua`'s main state.
/// The stack is restored to its height afterwards.
pub fn with_main_stack<R>(lua: &mlua::Lua, f: impl FnOnce(&mut Stack<'_>) -> R) -> R {
    // SAFETY: `exec_raw_lua` hands out the live state of `lua`; `f` runs synchronously
    // and the stack height is restored before returning.
    lua.exec_raw_lua(|raw| {
        let l = raw.state();
        // SAFETY: `l` is the live main state for the closure's run; only `f` uses it, through
        // this `Stack`, which never removes the slots present at entry; no room is assumed.
        let mut stack = unsafe { Stack::enter(l, 0) };
        let top = stack.top();
        let r = f(&mut stack);
        // SAFETY: `f` has returned, so no span into this stack is alive (they borrow it or
        // live for `f`'s call); `top` is the height at entry, which is still there.
        unsafe { lua::lua_settop(l, top) };
        r
    })
}

/// Runs `f`, which must push exactly one value, and returns that value as an mlua value.
pub fn build_value<R: mlua::FromLua>(
    lua: &mlua::Lua,
    f: impl FnOnce(&mut Stack<'_>),
) -> mlua::Result<R> {
    // SAFETY: `exec_raw` gives the raw state and converts the one value `f` pushes.
    unsafe {
        lua.exec_raw::<R>((), |l| {
            // SAFETY: `l` is the live state for this closure, whose slots at entry belong to
            // mlua; the `Stack` never removes them; no room is assumed.
            let mut stack = Stack::enter(l, 0);
            let top = stack.top();
            f(&mut stack);
            debug_assert_eq!(stack.top(), top + 1, "build_value pushes one value");
        })
    }
}

/// A LuaJIT state with its `ffi` library: for the benchmark that compares lunaray's calls
/// with LuaJIT's own FFI on the same library, and for games run with `--ffi`. Games get
/// `Lua::new()` otherwise.
#[cfg(feature = "luajit")]
pub fn luajit_with_ffi() -> mlua::Lua {
    // SAFETY: the `ffi` library lets Lua code call arbitrary C, which nothing here can make
    // sound. The state runs the benchmark harness's own fixed code (runtime/bench.rs), or a
    // game whose player asked for ffi with `--ffi`, documented as giving up lunaray's
    // safety (README); no other state has the library.
    unsafe {
        mlua::Lua::unsafe_new_with(
            mlua::StdLib::ALL_SAFE | mlua::StdLib::FFI,
            mlua::LuaOptions::default(),
        )
    }
}
