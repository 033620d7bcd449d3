//! lunaray's userdata: struct values (a header, then the C bytes, or a view into a parent's)
//! and pointer values (an address and its pointee tag), created and recognized on the stack.

use std::ffi::{c_int, c_void};
use std::ptr::NonNull;

use mlua::ffi as lua;

use super::lua_stack::Stack;
use super::memory::CMem;

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

/// A struct value found on the stack. Its bytes are valid while the value stays on the
/// stack of the running call (arguments do for the whole call).
#[derive(Clone, Copy, Debug)]
pub struct StructSlot {
    pub ty: u32,
    pub mem: CMem<'static>,
}

impl Stack {
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
    pub fn push_struct(&mut self, ty: u32, len: usize, metatable_ref: c_int) -> CMem<'static> {
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
    pub fn push_struct_view(
        &mut self,
        parent: c_int,
        ty: u32,
        mem: CMem<'_>,
        metatable_ref: c_int,
    ) {
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
