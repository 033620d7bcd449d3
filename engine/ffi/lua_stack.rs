//! Raw access to the Lua stack for the C functions lunaray registers (`rl.*`, struct value
//! metamethods). mlua's own callbacks allocate and convert through `Value`; these read and
//! write stack slots directly, which is what makes a call cheap.
//!
//! Errors: a handler returns `Err(message)`; the trampoline drops every Rust value first and
//! only then raises the Lua error (a longjmp, or LuaJIT's unwinder), so no destructor is ever
//! skipped. Panics are caught before they reach a C frame and become Lua errors too.

use std::ffi::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

use mlua::ffi as lua;

use super::memory::CMem;

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
        }
    }
}

/// Marks lunaray's own userdata. Non-canonical as an x86-64/AArch64 address, so it never
/// equals a pointer stored first in anyone else's userdata.
const STRUCT_MAGIC: u64 = 0xA5A5_1A7A_0000_0051;
const POINTER_MAGIC: u64 = 0xA5A5_1A7A_0000_0052;

/// Header of a struct value userdata. Owned values keep their C bytes right after it; views
/// (`cam.position`) point into their parent's bytes and hold the parent in a user value.
#[repr(C)]
struct StructHeader {
    magic: u64,
    ty: u32,
    is_view: u32,
    data: *mut u8,
    len: usize,
}

/// Owned bytes start here: 32 bytes, a multiple of every C alignment raylib uses.
const STRUCT_DATA_OFFSET: usize = 32;
const _: () = assert!(std::mem::size_of::<StructHeader>() <= STRUCT_DATA_OFFSET);

/// An opaque pointer value returned by C (`Image.data`, `LoadImageColors`). `tag` names its
/// pointee type so a `Color *` is not accepted where a `Matrix *` is wanted.
#[repr(C)]
struct PointerBox {
    magic: u64,
    tag: u32,
    _pad: u32,
    ptr: *mut c_void,
}

/// A struct value found on the stack.
#[derive(Clone, Copy, Debug)]
pub struct StructSlot {
    pub ty: u32,
    pub mem: CMem,
}

/// The Lua stack of the running C function. Only exists inside a call from Lua.
pub struct Stack {
    l: *mut lua::lua_State,
}

/// What a registered C function does: reads arguments, pushes results, returns their count.
pub trait LuaHandler {
    fn call(&self, stack: &mut Stack) -> Result<c_int, String>;
}

/// Pushes a C closure that runs `handler` when called.
///
/// # Safety
/// `l` must be a live state, and `handler` must outlive it (handlers are leaked, so they live
/// as long as the process).
unsafe fn push_handler<H: LuaHandler>(l: *mut lua::lua_State, handler: *const H) {
    // SAFETY:
    // - `l` is live and `handler` outlives it (contract).
    // - The light userdata only stores the address; `trampoline::<H>` reads it back as `H`.
    unsafe {
        lua::lua_pushlightuserdata(l, handler as *mut c_void);
        lua::lua_pushcclosure(l, as_lua_cfunction(trampoline::<H>), 1);
    }
}

/// What `trampoline` returns to Lua: the number of results, a C `int`.
#[cfg(not(feature = "luajit"))]
type ResultCount = c_int;

/// LuaJIT's x86-64 interpreter reads a C function's result count from the whole of `rax`
/// (`lea RA, [BASE+RD*8]` in `vm_x64.dasc`), while the C ABI leaves the upper half of an
/// `int` return undefined, and rustc does leave garbage there (a 64-bit load of a 32-bit
/// value): the VM then crashes in `lj_cont_dispatch`. So under LuaJIT the trampoline returns
/// a full register, the count zero-extended.
#[cfg(feature = "luajit")]
type ResultCount = usize;

#[cfg(not(feature = "luajit"))]
#[inline]
fn as_lua_cfunction(
    f: unsafe extern "C-unwind" fn(*mut lua::lua_State) -> ResultCount,
) -> lua::lua_CFunction {
    f
}

/// The trampoline as Lua's function type, which returns `int`.
#[cfg(feature = "luajit")]
#[inline]
fn as_lua_cfunction(
    f: unsafe extern "C-unwind" fn(*mut lua::lua_State) -> ResultCount,
) -> lua::lua_CFunction {
    // SAFETY: only Lua calls the result (never Rust), so what matters is the platform C ABI:
    // an integer return of pointer width comes back in the same register as an `int` return
    // (rax/eax on x86-64, x0/w0 on AArch64, the one return register on 32-bit targets, where
    // `usize` is as wide as `int`), so a caller expecting `int` reads the count from its low
    // bits, and LuaJIT reading the whole register sees the count too. Arguments and unwinding
    // ("C-unwind") are the same in both types.
    unsafe {
        std::mem::transmute::<
            unsafe extern "C-unwind" fn(*mut lua::lua_State) -> ResultCount,
            lua::lua_CFunction,
        >(f)
    }
}

unsafe extern "C-unwind" fn trampoline<H: LuaHandler>(l: *mut lua::lua_State) -> ResultCount {
    // SAFETY: upvalue 1 was set by `push_handler::<H>` to a handler that outlives the state.
    let handler = unsafe { &*(lua::lua_touserdata(l, lua::lua_upvalueindex(1)) as *const H) };
    let mut stack = Stack { l };
    let outcome = catch_unwind(AssertUnwindSafe(|| handler.call(&mut stack)));
    let message = match outcome {
        // Counts are never negative, so zero-extending is value-preserving.
        #[allow(clippy::unnecessary_cast)]
        Ok(Ok(n)) => return n as u32 as ResultCount,
        Ok(Err(message)) => message,
        Err(payload) => {
            // Dropped here, not left in `outcome` across the error jump below.
            drop(payload);
            "internal error in lunaray (a bug: please report it)".to_string()
        }
    };
    // SAFETY: `l` is the running state. Everything in this frame with a destructor has been
    // moved out or dropped: `outcome` is fully moved (its payload or message taken), `handler`
    // is a reference and `stack` has no destructor; `raise` drops `message` before it jumps.
    unsafe { raise(l, message) }
}

/// Raises `message` as a Lua error with the caller's position (`main.lua:12: ...`).
///
/// Lua 5.4 (built as C) raises with `longjmp`, which skips the destructors of the Rust
/// frames it crosses; LuaJIT on x86-64 raises with the system unwinder (a foreign exception,
/// allowed through these `C-unwind` frames), which would run them. Either way nothing is left
/// to destroy: the message is dropped before `lua_error`, and the caller promises the same for
/// its own frames.
///
/// # Safety
/// `l` must be the state of the running C function, and no Rust value with a destructor may
/// be alive in the calling frames up to the Lua boundary.
unsafe fn raise(l: *mut lua::lua_State, message: String) -> ! {
    // SAFETY: `l` is live (contract). The message is copied into Lua first and dropped at
    // once: only `lua_pushlstring` runs while it is alive, and that fails only when Lua is
    // out of memory (the `String` then leaks under Lua 5.4 and is dropped by LuaJIT's
    // unwinder). The error is raised only after it is gone. `luaL_where` + `lua_insert` put
    // the position before the message.
    unsafe {
        lua::lua_pushlstring(l, message.as_ptr().cast(), message.len());
        drop(message);
        lua::luaL_where(l, 1);
        lua::lua_insert(l, -2);
        lua::lua_concat(l, 2);
        lua::lua_error(l)
    }
}

impl Stack {
    #[inline]
    pub fn top(&self) -> c_int {
        // SAFETY: `self.l` is the running state for the life of this `Stack`.
        unsafe { lua::lua_gettop(self.l) }
    }

    #[inline]
    pub fn set_top(&mut self, idx: c_int) {
        // SAFETY: as above; Lua checks the index against the stack.
        unsafe { lua::lua_settop(self.l, idx) }
    }

    /// Makes room for `n` more slots; false if Lua cannot grow the stack.
    pub fn ensure(&mut self, n: c_int) -> bool {
        // SAFETY: as above.
        unsafe { lua::lua_checkstack(self.l, n) != 0 }
    }

    #[inline]
    pub fn type_of(&self, idx: c_int) -> LuaType {
        // SAFETY: as above; any index is accepted (LUA_TNONE beyond the top).
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
        // SAFETY: `lua_isinteger` only inspects the slot.
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
        // SAFETY: reads the slot's truth value; never errors.
        unsafe { lua::lua_toboolean(self.l, idx) != 0 }
    }

    /// The bytes of a string slot, NUL-terminated by Lua, valid while the string stays on the
    /// stack. None unless the slot holds a string (numbers are not converted in place).
    #[inline]
    pub fn string(&self, idx: c_int) -> Option<CMem> {
        if self.type_of(idx) != LuaType::String {
            return None;
        }
        let mut len = 0usize;
        // SAFETY: the slot holds a string (checked): no conversion, no error; Lua strings are
        // followed by a NUL byte, included in the span so C may read it.
        unsafe {
            let p = lua::lua_tolstring(self.l, idx, &mut len);
            Some(CMem::from_raw(NonNull::new(p as *mut u8)?, len + 1))
        }
    }

    /// A number argument converted to a string in place, as `luaL_checklstring` does
    /// (`DrawText(score, ...)`).
    pub fn number_as_string(&mut self, idx: c_int) -> Option<CMem> {
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

    #[inline]
    fn userdata(&self, idx: c_int, min_len: usize) -> Option<*mut u8> {
        // SAFETY: both calls only inspect the slot. `lua_touserdata` is NULL unless the slot
        // holds userdata; `lua_rawlen` is a full userdata's size and 0 for light userdata, so
        // a non-NULL pointer with `min_len` bytes is a full userdata at least that long.
        unsafe {
            let p = lua::lua_touserdata(self.l, idx) as *mut u8;
            if p.is_null() || lua::lua_rawlen(self.l, idx) < min_len {
                return None;
            }
            Some(p)
        }
    }

    /// A struct value at `idx`, if the slot holds one.
    #[inline]
    pub fn struct_at(&self, idx: c_int) -> Option<StructSlot> {
        let p = self.userdata(idx, std::mem::size_of::<StructHeader>())?;
        // SAFETY: the userdata is at least a header long (checked); only our struct values
        // carry STRUCT_MAGIC, and their header fields are set when they are created.
        unsafe {
            let h = &*(p as *const StructHeader);
            if h.magic != STRUCT_MAGIC {
                return None;
            }
            Some(StructSlot {
                ty: h.ty,
                mem: CMem::from_raw(NonNull::new(h.data)?, h.len),
            })
        }
    }

    /// The struct value a struct metamethod (`__index`, `__newindex`) was invoked on: one API
    /// call instead of `struct_at`'s three. Only the VM invokes these metamethods, and only on
    /// values carrying the struct metatable (scripts cannot reach the metatable: it is hidden
    /// by `__metatable`, and there is no debug library), so the slot holds one of our struct
    /// userdata; a NULL (any non-userdata) is still refused.
    #[inline]
    pub fn struct_self(&self, idx: c_int) -> Option<StructSlot> {
        // SAFETY:
        // - `lua_touserdata` only reads the slot; it is NULL unless the slot holds userdata.
        // - A non-NULL result here is one of our struct values (see above), whose header was
        //   fully written at creation and is at least `StructHeader` long.
        unsafe {
            let p = lua::lua_touserdata(self.l, idx) as *const StructHeader;
            if p.is_null() || (*p).magic != STRUCT_MAGIC {
                return None;
            }
            let h = &*p;
            Some(StructSlot {
                ty: h.ty,
                mem: CMem::from_raw(NonNull::new(h.data)?, h.len),
            })
        }
    }

    /// The interned address of the key string of a metamethod call, with one API call: a
    /// number key is converted in place (the slot is the metamethod's own argument), anything
    /// else gives None.
    #[inline]
    pub fn key_addr(&mut self, idx: c_int) -> Option<*const u8> {
        let mut len = 0usize;
        // SAFETY: `lua_tolstring` returns NULL for values that are neither strings nor
        // numbers; converting a number argument slot in place is allowed for C functions.
        let p = unsafe { lua::lua_tolstring(self.l, idx, &mut len) };
        (!p.is_null()).then_some(p as *const u8)
    }

    /// A pointer value at `idx`: its pointee tag and address.
    #[inline]
    pub fn pointer_at(&self, idx: c_int) -> Option<(u32, *mut c_void)> {
        let p = self.userdata(idx, std::mem::size_of::<PointerBox>())?;
        // SAFETY: at least a PointerBox long (checked); only ours carry POINTER_MAGIC.
        unsafe {
            let b = &*(p as *const PointerBox);
            (b.magic == POINTER_MAGIC).then_some((b.tag, b.ptr))
        }
    }

    /// Pushes a new owned struct value of type `ty` with `len` zeroed bytes, using the
    /// metatable stored in the registry under `metatable_ref`; returns its bytes.
    pub fn push_struct(&mut self, ty: u32, len: usize, metatable_ref: c_int) -> CMem {
        // SAFETY:
        // - The userdata is allocated with room for the header and `len` bytes; its memory is
        //   aligned for every raylib type (see `new_userdata`), and STRUCT_DATA_OFFSET keeps
        //   that alignment.
        // - Header and bytes are fully written before Lua can see the value.
        unsafe {
            let p = new_userdata(self.l, STRUCT_DATA_OFFSET + len.max(1));
            let data = p.add(STRUCT_DATA_OFFSET);
            std::ptr::write_bytes(data, 0, len);
            (p as *mut StructHeader).write(StructHeader {
                magic: STRUCT_MAGIC,
                ty,
                is_view: 0,
                data,
                len,
            });
            self.set_metatable_from_ref(metatable_ref);
            CMem::from_raw(NonNull::new_unchecked(data), len)
        }
    }

    /// Pushes a view of `mem` (a field of the struct value at `parent`), typed `ty`. The view
    /// keeps its parent alive through its user value, so `mem` stays valid.
    pub fn push_struct_view(&mut self, parent: c_int, ty: u32, mem: CMem, metatable_ref: c_int) {
        let parent = self.absolute(parent);
        // SAFETY: `mem` lies inside the parent's bytes (caller takes it from the parent's
        // slot); the view holds the parent from its creation for as long as it lives, so
        // `mem` stays valid while the view can be used. Two slots, as the parent push and
        // the view took before.
        unsafe {
            let p = new_userdata_keeping(self.l, STRUCT_DATA_OFFSET, parent);
            (p as *mut StructHeader).write(StructHeader {
                magic: STRUCT_MAGIC,
                ty,
                is_view: 1,
                data: mem.as_ptr(),
                len: mem.len(),
            });
            self.set_metatable_from_ref(metatable_ref);
        }
    }

    /// Pushes a pointer value (nil for NULL).
    pub fn push_pointer(&mut self, tag: u32, ptr: *mut c_void, metatable_ref: c_int) {
        if ptr.is_null() {
            self.push_nil();
            return;
        }
        // SAFETY: the box is fully written before Lua can see it.
        unsafe {
            let p = new_userdata(self.l, std::mem::size_of::<PointerBox>());
            (p as *mut PointerBox).write(PointerBox {
                magic: POINTER_MAGIC,
                tag,
                _pad: 0,
                ptr,
            });
            self.set_metatable_from_ref(metatable_ref);
        }
    }

    fn set_metatable_from_ref(&mut self, metatable_ref: c_int) {
        // SAFETY: the ref names a table stored in the registry by `Stack::reference`.
        unsafe {
            lua::lua_rawgeti(
                self.l,
                lua::LUA_REGISTRYINDEX,
                metatable_ref as lua::lua_Integer,
            );
            lua::lua_setmetatable(self.l, -2);
        }
    }

    pub fn absolute(&self, idx: c_int) -> c_int {
        if idx < 0 && idx > lua::LUA_REGISTRYINDEX {
            self.top() + idx + 1
        } else {
            idx
        }
    }

    #[inline]
    pub fn push_nil(&mut self) {
        // SAFETY: pushes one value; callers stay within LUA_MINSTACK or call `ensure`.
        unsafe { lua::lua_pushnil(self.l) }
    }

    #[inline]
    pub fn push_number(&mut self, v: f64) {
        // SAFETY: as `push_nil`.
        unsafe { lua::lua_pushnumber(self.l, v) }
    }

    /// Pushes an integer: an integer-typed value in Lua 5.4, a number (a double, exact up to
    /// 2^53) in LuaJIT, which has no integers.
    #[cfg(not(feature = "luajit"))]
    #[inline]
    pub fn push_integer(&mut self, v: i64) {
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
        // SAFETY: as `push_nil`.
        unsafe { lua::lua_pushboolean(self.l, v as c_int) }
    }

    pub fn push_bytes(&mut self, bytes: &[u8]) {
        // SAFETY: Lua copies the bytes.
        unsafe { lua::lua_pushlstring(self.l, bytes.as_ptr().cast(), bytes.len()) };
    }

    pub fn push_value(&mut self, idx: c_int) {
        // SAFETY: as `push_nil`.
        unsafe { lua::lua_pushvalue(self.l, idx) }
    }

    pub fn pop(&mut self, n: c_int) {
        // SAFETY: callers pop only what they pushed.
        unsafe { lua::lua_pop(self.l, n) }
    }

    /// Pushes `t[i]` (raw) for the table at `t`; returns its type.
    #[cfg(not(feature = "luajit"))]
    #[inline]
    pub fn raw_get_index(&mut self, t: c_int, i: i64) -> LuaType {
        // SAFETY: `t` holds a table (callers check); raw access runs no metamethods.
        unsafe { lua::lua_rawgeti(self.l, t, i as lua::lua_Integer) };
        self.type_of(-1)
    }

    /// Pushes `t[i]` (raw) for the table at `t`; returns its type.
    #[cfg(feature = "luajit")]
    #[inline]
    pub fn raw_get_index(&mut self, t: c_int, i: i64) -> LuaType {
        match c_int::try_from(i) {
            // SAFETY: `t` holds a table (callers check); raw access runs no metamethods.
            Ok(n) => unsafe { lua::lua_rawgeti_(self.l, t, n) },
            // LuaJIT's `lua_rawgeti` takes an `int`: wider indices are looked up as numbers.
            Err(_) => {
                let t = self.absolute(t);
                self.push_number(i as f64);
                // SAFETY: as above; the key is on top and is replaced by the value.
                unsafe { lua::lua_rawget_(self.l, t) };
            }
        }
        self.type_of(-1)
    }

    /// Pushes `t[key]` (raw) where `key` is the value stored in the registry under `key_ref`.
    #[inline]
    pub fn raw_get_ref_key(&mut self, t: c_int, key_ref: c_int) -> LuaType {
        let t = self.absolute(t);
        // SAFETY: `t` holds a table (callers check); the key ref was made by `reference`.
        unsafe {
            lua::lua_rawgeti(self.l, lua::LUA_REGISTRYINDEX, key_ref as lua::lua_Integer);
            lua::lua_rawget(self.l, t);
        }
        self.type_of(-1)
    }

    /// Length of the table at `t` without metamethods.
    pub fn raw_len(&self, t: c_int) -> usize {
        // SAFETY: any slot is accepted.
        unsafe { lua::lua_rawlen(self.l, t) }
    }

    /// Iterates the table at `t`: calls `f(stack)` with key at -2 and value at -1.
    pub fn for_each_pair(
        &mut self,
        t: c_int,
        mut f: impl FnMut(&mut Stack) -> Result<(), String>,
    ) -> Result<(), String> {
        let t = self.absolute(t);
        self.push_nil();
        // SAFETY: `t` holds a table (callers check); `f` leaves the stack balanced, so the key
        // is at -2 for `lua_next`.
        while unsafe { lua::lua_next(self.l, t) } != 0 {
            let r = f(self);
            self.pop(1);
            if let Err(e) = r {
                self.pop(1);
                return Err(e);
            }
        }
        Ok(())
    }

    /// Stores the value at the top in the registry; returns its reference (pops it).
    pub fn reference(&mut self) -> c_int {
        // SAFETY: a value is on top (callers push one).
        unsafe { mlua::ffi::luaL_ref(self.l, lua::LUA_REGISTRYINDEX) }
    }

    pub fn push_ref(&mut self, r: c_int) {
        // SAFETY: the ref was made by `reference`.
        unsafe { lua::lua_rawgeti(self.l, lua::LUA_REGISTRYINDEX, r as lua::lua_Integer) };
    }

    /// Pushes a C closure running `handler` (which lives as long as the process).
    pub fn push_handler<H: LuaHandler>(&mut self, handler: &'static H) {
        // SAFETY: `self.l` is the running state; a `'static` handler outlives it.
        unsafe { push_handler(self.l, handler as *const H) };
    }

    /// Pushes a string key and a value pushed by `value`, and sets `t[key] = value` (raw).
    pub fn set_field(&mut self, t: c_int, key: &str, value: impl FnOnce(&mut Stack)) {
        let t = self.absolute(t);
        self.push_bytes(key.as_bytes());
        value(self);
        self.raw_set(t);
    }

    /// Creates a table and leaves it on top.
    pub fn new_table(&mut self) {
        // SAFETY: pushes one value.
        unsafe { lua::lua_createtable(self.l, 0, 0) }
    }

    /// `t[k] = v` (raw), with key and value on top (both popped).
    pub fn raw_set(&mut self, t: c_int) {
        let t = self.absolute(t);
        // SAFETY: `t` holds a table; key and value are the two top slots.
        unsafe { lua::lua_rawset(self.l, t) }
    }
}

/// Allocates a full userdata of `size` bytes (no user values) and pushes it. Its memory is
/// aligned for every raylib type: Lua 5.4 aligns userdata to `LUAI_MAXALIGN` (`double`,
/// pointers, `lua_Integer`: 8 bytes on 64-bit targets), LuaJIT to 8 bytes (its `GCudata`
/// header is padded for it), and 8 is the largest alignment in raylib's headers.
///
/// # Safety
/// `l` must be a live state with a free stack slot.
#[inline]
unsafe fn new_userdata(l: *mut lua::lua_State, size: usize) -> *mut u8 {
    // SAFETY: `l` is live with room for the new value (contract).
    unsafe {
        #[cfg(not(feature = "luajit"))]
        let p = lua::lua_newuserdatauv(l, size, 0);
        #[cfg(feature = "luajit")]
        let p = lua::lua_newuserdata(l, size);
        p as *mut u8
    }
}

/// As `new_userdata`, and the new userdata holds a reference to the value at `keep` for as
/// long as it lives, exactly: Lua 5.4 stores it as the userdata's one user value. Uses at
/// most two stack slots at once and leaves only the userdata.
///
/// # Safety
/// `l` must be a live state with two free stack slots; `keep` must be an absolute index.
#[cfg(not(feature = "luajit"))]
#[inline]
unsafe fn new_userdata_keeping(l: *mut lua::lua_State, size: usize, keep: c_int) -> *mut u8 {
    // SAFETY: `l` is live with two free slots (contract): the userdata, made with one user
    // value, then the value, which `lua_setiuservalue` pops into user value 1 of the userdata
    // at -2.
    unsafe {
        let p = lua::lua_newuserdatauv(l, size, 1) as *mut u8;
        lua::lua_pushvalue(l, keep);
        lua::lua_setiuservalue(l, -2, 1);
        p
    }
}

/// LuaJIT has no user values: the value goes into a one-element table that becomes the
/// userdata's environment (every LuaJIT userdata has one) and that nothing else references,
/// so the value is kept exactly as long as the userdata. Same stack use as the Lua 5.4
/// version: at most two slots, leaving only the userdata.
///
/// # Safety
/// `l` must be a live state with two free stack slots; `keep` must be an absolute index.
#[cfg(feature = "luajit")]
#[inline]
unsafe fn new_userdata_keeping(l: *mut lua::lua_State, size: usize, keep: c_int) -> *mut u8 {
    // SAFETY: `l` is live with two free slots (contract): the table, then the value, which
    // `lua_rawseti_` pops into the table's slot 1; then the userdata above the table, which
    // `lua_insert` moves below it, so `lua_setfenv` pops the table into the userdata at -2.
    unsafe {
        lua::lua_createtable(l, 1, 0);
        lua::lua_pushvalue(l, keep);
        lua::lua_rawseti_(l, -2, 1);
        let p = lua::lua_newuserdata(l, size) as *mut u8;
        lua::lua_insert(l, -2);
        lua::lua_setfenv(l, -2);
        p
    }
}

/// Entry for setting things up outside a call: runs `f` with the stack of `lua`'s main state.
/// The stack is restored to its height afterwards.
pub fn with_main_stack<R>(lua: &mlua::Lua, f: impl FnOnce(&mut Stack) -> R) -> R {
    // SAFETY: `exec_raw_lua` hands out the live state of `lua`; `f` runs synchronously
    // and the stack height is restored before returning.
    lua.exec_raw_lua(|raw| {
        let l = raw.state();
        let mut stack = Stack { l };
        let top = stack.top();
        let r = f(&mut stack);
        stack.set_top(top);
        r
    })
}

/// Runs `f`, which must push exactly one value, and returns that value as an mlua value.
pub fn build_value<R: mlua::FromLua>(
    lua: &mlua::Lua,
    f: impl FnOnce(&mut Stack),
) -> mlua::Result<R> {
    // SAFETY: `exec_raw` gives the raw state and converts the one value `f` pushes.
    unsafe {
        lua.exec_raw::<R>((), |l| {
            let mut stack = Stack { l };
            let top = stack.top();
            f(&mut stack);
            debug_assert_eq!(stack.top(), top + 1, "build_value pushes one value");
        })
    }
}

/// A LuaJIT state with its `ffi` library, for the benchmark that compares lunaray's calls with
/// LuaJIT's own FFI on the same library. Never used to run games: scripts get `Lua::new()`.
#[cfg(feature = "luajit")]
pub fn luajit_with_ffi() -> mlua::Lua {
    // SAFETY: the `ffi` library lets Lua code call arbitrary C; this state only runs the
    // benchmark harness's own fixed code (runtime/bench.rs), never a user's script.
    unsafe {
        mlua::Lua::unsafe_new_with(
            mlua::StdLib::ALL_SAFE | mlua::StdLib::FFI,
            mlua::LuaOptions::default(),
        )
    }
}
