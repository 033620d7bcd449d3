//! lunaray's userdata: struct values (a header, then the C bytes, or a view into a parent's)
//! and pointer values (an address and its pointee tag), created and recognized on the stack.

use std::ffi::{c_int, c_void};
use std::ptr::NonNull;

use mlua::ffi as lua;

use super::lua_stack::Stack;
use super::memory::{CMem, Scalar};

/// Marks lunaray's own userdata. Non-canonical as an x86-64/AArch64 address, so it never
/// equals a pointer stored first in anyone else's userdata.
pub const STRUCT_MAGIC: u64 = 0xA5A5_1A7A_0000_0051;
const POINTER_MAGIC: u64 = 0xA5A5_1A7A_0000_0052;
const BUFFER_MAGIC: u64 = 0xA5A5_1A7A_0000_0053;
/// A pointer view (`model.materials`): a [`BufferHeader`] over raylib's memory, then a
/// [`ViewTail`] saying where its parent holds the pointer and the count.
const VIEW_MAGIC: u64 = 0xA5A5_1A7A_0000_0054;

/// Header of a typed buffer (`rl.new("Color[?]", n)`): `count` elements of type `elem` (an
/// index into the bindings' buffer element table), their bytes right after the header.
#[repr(C)]
struct BufferHeader {
    magic: u64,
    elem: u32,
    count: u32,
    data: *mut u8,
    len: usize,
}

const _: () = assert!(std::mem::size_of::<BufferHeader>() <= STRUCT_DATA_OFFSET);

/// A typed buffer found on the stack, its bytes valid for `'a`.
#[derive(Clone, Copy, Debug)]
pub struct BufferSlot<'a> {
    pub elem: u32,
    pub count: usize,
    pub mem: CMem<'a>,
}

/// Header of a struct value userdata: 16 bytes. Owned values keep their C bytes right after
/// it (a `Vector2` is then 56 bytes with Lua's own header: one 64-byte block of the small
/// block pool, `ffi::lua_alloc`, instead of two cache lines); views (`cam.position`) keep
/// there the address of their bytes in their parent's, and hold the parent in a user value.
#[repr(C)]
struct StructHeader {
    magic: u64,
    /// The struct id and the byte length (both under 2^16: `fit16`).
    ty: u16,
    len: u16,
    /// [`VIEW`], [`READ_ONLY`], [`UNLOADED`], [`BORROWED`] and who unloaded it.
    flags: u32,
}

/// Owned bytes, or a view's address of its bytes, start here: a multiple of every C
/// alignment raylib uses.
const OWNED_DATA_OFFSET: usize = 16;
const _: () = assert!(std::mem::size_of::<StructHeader>() == OWNED_DATA_OFFSET);

/// A struct id or length in a header's 16 bits. Struct ids are indices into raylib's ~100
/// structs and lengths their sizes (at most a few hundred bytes): a larger one is a bug.
fn fit16(n: usize) -> u16 {
    u16::try_from(n).expect("struct ids and sizes fit in 16 bits")
}

/// The address of the bytes of the struct value `p` heads.
///
/// # Safety
/// `p` must be one of our struct value userdata (STRUCT_MAGIC), its header written by its
/// constructor: a view's has its bytes' address after the header.
#[inline(always)]
unsafe fn struct_data(p: *const u8) -> *mut u8 {
    // SAFETY: our header is at `p` (contract); a view (VIEW) stores its bytes' address at
    // OWNED_DATA_OFFSET, inside its allocation (STRUCT_DATA_OFFSET bytes or more), an owned
    // value its bytes there.
    unsafe {
        let h = &*(p as *const StructHeader);
        if h.flags & VIEW != 0 {
            *(p.add(OWNED_DATA_OFFSET) as *const *mut u8)
        } else {
            p.add(OWNED_DATA_OFFSET) as *mut u8
        }
    }
}

/// A view into a parent's bytes.
const VIEW: u32 = 1;
/// A constant (`rl.RED`): no field write and no C function changes its bytes.
const READ_ONLY: u32 = 2;
/// Unloaded (`UnloadImage(img)`): no longer a struct value to anything; the bits from
/// [`UNLOADED_BY_SHIFT`] up say which function unloaded it.
pub const UNLOADED: u32 = 4;
/// A view whose bytes are raylib's memory behind a pointer view (`model.materials[0]`, and
/// views of its fields): a [`BorrowTail`] follows the header, and every access checks the
/// chain up to the struct value that holds the pointer.
pub const BORROWED: u32 = 16;
const UNLOADED_BY_SHIFT: u32 = 8;

/// The bytes of buffers and the tails of views and pointer values start here: 32 bytes, a
/// multiple of every C alignment raylib uses.
const STRUCT_DATA_OFFSET: usize = 32;
const _: () = assert!(std::mem::size_of::<StructHeader>() + 8 <= STRUCT_DATA_OFFSET);

/// Answers, for pointer views, whether the struct value that holds their pointer is still
/// one raylib made (its describing bytes a recorded set): implemented above this layer by
/// the records (`marshal::vouch`), which this layer does not know.
pub trait ViewGuard {
    /// Whether the bytes `mem` of a struct value of type `ty` are a set raylib made.
    fn made_by_raylib(&self, ty: u32, mem: CMem<'_>) -> bool;
    /// How many bytes the pointer field at `field_off` of the struct value `mem` of type
    /// `ty` points to, if its other fields say (`Image.data`: the pixels of its width,
    /// height and format). Asked only of values raylib made.
    fn field_len(&self, _ty: u32, _field_off: u32, _mem: CMem<'_>) -> Option<usize> {
        None
    }
}

/// After a pointer view's [`BufferHeader`], at `STRUCT_DATA_OFFSET`.
#[repr(C)]
struct ViewTail {
    /// The userdata of the struct value holding the pointer (kept alive by the view's user
    /// value, and never moved: Lua's collectors do not move userdata).
    parent: *const u8,
    guard: &'static dyn ViewGuard,
    /// Where the parent holds the pointer; where its count is (`u32::MAX`: fixed).
    field_off: u32,
    count_off: u32,
    /// Elements per count unit, or the fixed count.
    times: u32,
    /// The rule (registry `pointer_lengths`) the view was made by.
    rule: u32,
    read_only: bool,
    count_signed: bool,
}

/// After a borrowed struct view's header, at `STRUCT_DATA_OFFSET`.
#[repr(C)]
struct BorrowTail {
    /// The userdata of its parent: a pointer view or a borrowed struct view (kept alive by
    /// the user value, never moved).
    parent: *const u8,
    guard: &'static dyn ViewGuard,
}

/// Where a pointer view's length comes from, as its creator resolved it.
#[derive(Clone, Copy, Debug)]
pub struct ViewSpec {
    pub field_off: u32,
    /// None for a fixed count.
    pub count_off: Option<u32>,
    pub times: u32,
    pub rule: u32,
    pub read_only: bool,
    /// The count field is an `int` (else `unsigned int`).
    pub count_signed: bool,
}

/// What `push_pointer_view` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewMade {
    Pushed,
    /// The pointer is NULL: nothing pushed.
    Null,
    /// The count field says a negative or impossible number of elements.
    BadCount(i64),
    Dead(ViewDeath),
    /// The parent is no (live) struct value, or the offsets lie outside it.
    NotAStruct,
}

/// Why a view can no longer be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewDeath {
    /// The struct value holding the pointer was unloaded (type, unloading function).
    Unloaded { ty: u32, by: u32 },
    /// It no longer holds this pointer or this count.
    Changed { ty: u32 },
    /// It is no longer one raylib made (a copy of an unloaded value).
    NotMade { ty: u32 },
    /// The array raylib returned that it points into was freed (pointee tag, freeing
    /// function).
    Freed { tag: u32, by: u32 },
}

/// What a view says about itself: the rule of the nearest pointer view ([`NO_RULE`] for an
/// element view into an array raylib returned), read-only or not, and why it is dead, if it
/// is.
#[derive(Clone, Copy, Debug)]
pub struct ViewState {
    pub rule: u32,
    pub read_only: bool,
    pub dead: Option<ViewDeath>,
}

/// A pointer value returned by C (`Image.data`, `LoadImageColors`). `tag` names its pointee
/// type so a `Color *` is not accepted where a `Matrix *` is wanted; `flags` say whether
/// raylib allocated it for the caller and whether it has been freed (and by which function,
/// from [`FREED_BY_SHIFT`] up); `len` is how many bytes raylib said are behind it (0: not
/// known), which makes its elements indexable while it is alive.
#[repr(C)]
struct PointerBox {
    magic: u64,
    tag: u32,
    flags: u32,
    ptr: *mut c_void,
    len: usize,
}

/// The rule of views whose chain ends at a pointer value, not a pointer view.
pub const NO_RULE: u32 = u32::MAX;

const OWNED: u32 = 1;
const FREED: u32 = 2;
/// Read from a struct value's pointer field (`img.data`): a [`FieldTail`] follows the box,
/// and the value is alive while that struct value is, still holds this pointer, and is one
/// raylib made; its length is what the struct's other fields say.
const FIELD: u32 = 4;

/// After a field pointer's box, at `STRUCT_DATA_OFFSET`.
#[repr(C)]
struct FieldTail {
    /// The userdata of the struct value it was read from (kept alive by the pointer value's
    /// user value, never moved).
    parent: *const u8,
    guard: &'static dyn ViewGuard,
    field_off: u32,
}
// An element view's parent may be a pointer value: it is read as long as a struct header.
const _: () = assert!(std::mem::size_of::<PointerBox>() >= std::mem::size_of::<StructHeader>());
const FREED_BY_SHIFT: u32 = 8;

/// The guard of element views into an array raylib returned: their chain ends at the pointer
/// value, whose standing is its FREED flag, so this is never asked.
struct PointerRoot;

impl ViewGuard for PointerRoot {
    fn made_by_raylib(&self, _: u32, _: CMem<'_>) -> bool {
        false
    }
}

/// A pointer value found on the stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PointerSlot {
    /// Its pointee type's tag (0 is `void`).
    pub tag: u32,
    /// The address; NULL once freed.
    pub ptr: *mut c_void,
    /// Memory raylib allocated for the caller (from `Load*`, `MemAlloc`...), which an
    /// `Unload*` or `MemFree` may free.
    pub owned: bool,
    /// Freed by an `Unload*` or `MemFree` call through lunaray.
    pub freed: bool,
    /// The function that freed it (its registry index), if it was.
    pub freed_by: u32,
    /// The bytes raylib said are behind it (0: not known).
    pub len: usize,
}

/// A struct value found on the stack, its bytes valid for `'a` (the stack borrow, or the
/// whole call for values below the floor).
#[derive(Clone, Copy, Debug)]
pub struct StructSlot<'a> {
    pub ty: u32,
    pub mem: CMem<'a>,
    /// A constant: its bytes are only read.
    pub read_only: bool,
}

impl<'call> Stack<'call> {
    /// Whether `idx` names a slot at or below the floor (an argument or a pinned value).
    #[inline]
    fn below_floor(&self, idx: c_int) -> bool {
        let abs = self.absolute(idx);
        abs >= 1 && abs <= self.floor()
    }
    #[inline]
    fn userdata(&self, idx: c_int, min_len: usize) -> Option<*mut u8> {
        let idx = self.absolute(idx);
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

    /// A struct value at `idx`, if the slot holds one; its bytes borrow the stack, so the
    /// slot stays while they are used.
    #[inline]
    pub fn struct_at(&self, idx: c_int) -> Option<StructSlot<'_>> {
        self.struct_slot(idx)
    }

    /// A struct value at or below the floor (an argument, a pinned value): its bytes are
    /// valid for the whole call. None for other slots.
    #[inline]
    pub fn arg_struct_at(&self, idx: c_int) -> Option<StructSlot<'call>> {
        if !self.below_floor(idx) {
            return None;
        }
        self.struct_slot(idx)
    }

    /// # Lifetime
    /// The caller picks `'a`: the stack borrow, or `'call` for slots below the floor (which
    /// no safe operation removes during the call).
    #[inline]
    fn struct_slot<'a>(&self, idx: c_int) -> Option<StructSlot<'a>> {
        #[cfg(feature = "luajit")]
        if let Some(s) = self.cdata_slot(idx) {
            return Some(s);
        }
        let p = self.userdata(idx, std::mem::size_of::<StructHeader>())?;
        // SAFETY: the userdata is at least a header long (checked); only our struct values
        // carry STRUCT_MAGIC, and their header fields are set when they are created. Its
        // bytes (owned, or a view's parent's, which the view keeps alive) live as long as the
        // value stays in its slot: for `'a` (see the callers). A borrowed view's bytes are
        // raylib's, alive while its chain is (checked here); nothing unloads them while a
        // slot is used: only a C call or Lua code can, and a metamethod runs neither while it
        // holds one, and a call converts its arguments (checking each) before calling C,
        // whose one struct an `Unload*` frees is never also a view's parent in that call.
        unsafe {
            let h = &*(p as *const StructHeader);
            // Unloaded values are none; borrowed ones only while their chain is alive (one
            // test of the flags for every other value, as before views).
            if h.magic != STRUCT_MAGIC
                || (h.flags & (UNLOADED | BORROWED) != 0 && !borrowed_alive(p))
            {
                return None;
            }
            Some(StructSlot {
                ty: u32::from(h.ty),
                mem: CMem::from_raw(NonNull::new(struct_data(p))?, usize::from(h.len)),
                read_only: h.flags & READ_ONLY != 0,
            })
        }
    }

    /// A cdata struct value (LuaJIT: `ffi::lua_cdata`) at `idx`.
    ///
    /// # Lifetime
    /// As `struct_slot`.
    #[cfg(feature = "luajit")]
    #[inline]
    fn cdata_slot<'a>(&self, idx: c_int) -> Option<StructSlot<'a>> {
        let idx = self.valid(idx);
        // SAFETY: `self.l` is the running state and `idx` a valid index. The bytes are the
        // cdata's own, which LuaJIT never moves, alive while the value stays in its slot:
        // for `'a` (see the callers of `struct_slot`).
        unsafe {
            let (ty, p, len, read_only) = super::lua_cdata::cdata_struct(self.l, idx)?;
            Some(StructSlot {
                ty,
                mem: CMem::from_raw(NonNull::new(p)?, len),
                read_only,
            })
        }
    }

    #[cfg(not(feature = "luajit"))]
    #[inline(always)]
    fn cdata_slot<'a>(&self, _idx: c_int) -> Option<StructSlot<'a>> {
        None
    }

    /// A new cdata struct value (LuaJIT) of type `ty`, zeroed, pushed; None (nothing pushed)
    /// if `ty` is made as userdata.
    #[cfg(feature = "luajit")]
    #[inline]
    fn push_cdata<'a>(
        &mut self,
        ty: u32,
        len: usize,
        read_only: bool,
        metatable_ref: c_int,
    ) -> Option<CMem<'a>> {
        if !super::lua_cdata::is_cdata_struct(ty) {
            return None;
        }
        self.reserve(4);
        // SAFETY: four free slots (reserved); `ty` is a cdata type (checked); `metatable_ref`
        // is the struct metatable, which `lua_cdata::install` filled with the constructors. The payload is the new value's
        // `len` bytes (its type is `ty`'s layout), valid while it stays on the stack: the
        // callers' contract, as for userdata.
        unsafe {
            let p = super::lua_cdata::push_cdata(self.l, ty, read_only, metatable_ref)?;
            Some(CMem::from_raw(NonNull::new(p)?, len))
        }
    }

    #[cfg(not(feature = "luajit"))]
    #[inline(always)]
    fn push_cdata<'a>(&mut self, _: u32, _: usize, _: bool, _: c_int) -> Option<CMem<'a>> {
        None
    }

    /// Pushes a new constant (`rl.RED`) of type `ty` holding `bytes`: no field write and no
    /// C function changes it.
    pub fn push_constant(&mut self, ty: u32, bytes: &[u8], metatable_ref: c_int) {
        if let Some(mem) = self.push_cdata(ty, bytes.len(), true, metatable_ref) {
            mem.copy_from_bytes(0, bytes);
            return;
        }
        let mem = self.new_struct(ty, bytes.len(), metatable_ref);
        mem.copy_from_bytes(0, bytes);
        self.set_struct_flags(-1, READ_ONLY);
    }

    /// The struct value a struct metamethod (`__index`, `__newindex`) was invoked on (its
    /// first argument, so valid for the call).
    #[inline]
    pub fn struct_self(&self, idx: c_int) -> Option<StructSlot<'call>> {
        self.arg_struct_at(idx)
    }

    /// The interned address of the key string of a metamethod call, with one API call: a
    /// number key is converted in place (the slot is the metamethod's own argument), anything
    /// else gives None.
    #[inline]
    pub fn key_addr(&mut self, idx: c_int) -> Option<*const u8> {
        let idx = self.absolute(idx);
        let mut len = 0usize;
        // SAFETY: `lua_tolstring` returns NULL for values that are neither strings nor
        // numbers; converting a number argument slot in place is allowed for C functions.
        let p = unsafe { lua::lua_tolstring(self.l, idx, &mut len) };
        (!p.is_null()).then_some(p as *const u8)
    }

    /// A typed buffer at `idx`; its bytes borrow the stack.
    #[inline]
    pub fn buffer_at(&self, idx: c_int) -> Option<BufferSlot<'_>> {
        self.buffer_slot(idx)
    }

    /// A typed buffer at or below the floor: its bytes are valid for the whole call.
    #[inline]
    pub fn arg_buffer_at(&self, idx: c_int) -> Option<BufferSlot<'call>> {
        if !self.below_floor(idx) {
            return None;
        }
        self.buffer_slot(idx)
    }

    /// # Lifetime
    /// As `struct_slot`: the caller picks the stack borrow, or `'call` below the floor.
    #[inline]
    fn buffer_slot<'a>(&self, idx: c_int) -> Option<BufferSlot<'a>> {
        let p = self.userdata(idx, std::mem::size_of::<BufferHeader>())?;
        // SAFETY: the userdata is at least a header long (checked); only our buffers carry
        // BUFFER_MAGIC, and our pointer views VIEW_MAGIC, their headers written in full at
        // creation; a buffer's bytes live as long as the value stays in its slot (for `'a`,
        // see the callers), a view's (raylib's) while its chain is alive, checked here and
        // unchangeable during the borrow, since only C calls and Lua code can unload.
        unsafe {
            let h = &*(p as *const BufferHeader);
            // A pointer view has a buffer's header, and is one while its chain is alive.
            if h.magic != BUFFER_MAGIC && !view_alive(p) {
                return None;
            }
            Some(BufferSlot {
                elem: h.elem,
                count: h.count as usize,
                mem: CMem::from_raw(NonNull::new(h.data)?, h.len),
            })
        }
    }

    /// Pushes a new zeroed buffer of `count` elements of `elem_size` bytes, pinned (it stays
    /// for the call, as `push_struct_pinned`); returns its bytes. None if the count does not
    /// fit in 32 bits or the size overflows.
    pub fn push_buffer_pinned(
        &mut self,
        elem: u32,
        count: usize,
        elem_size: usize,
        metatable_ref: c_int,
    ) -> Option<CMem<'call>> {
        let count32 = u32::try_from(count).ok()?;
        let len = count.checked_mul(elem_size)?;
        let total = STRUCT_DATA_OFFSET.checked_add(len.max(1))?;
        self.reserve(2);
        // SAFETY:
        // - The userdata has room for the header and `len` bytes, aligned for every raylib
        //   type (see `new_userdata`); STRUCT_DATA_OFFSET keeps that alignment.
        // - Header and bytes are fully written before Lua can see the value; two free slots
        //   (reserved) for the value and its metatable.
        let mem = unsafe {
            let p = new_userdata(self.l, total);
            let data = p.add(STRUCT_DATA_OFFSET);
            std::ptr::write_bytes(data, 0, len);
            (p as *mut BufferHeader).write(BufferHeader {
                magic: BUFFER_MAGIC,
                elem,
                count: count32,
                data,
                len,
            });
            self.set_metatable_from_ref(metatable_ref);
            CMem::from_raw(NonNull::new_unchecked(data), len)
        };
        self.raise_floor();
        Some(mem)
    }

    /// Pushes a one-element typed buffer (`elem`) over the bytes of the struct value at
    /// `parent` (`rl.ref(v)`, C's `&v`): C writing through it changes the value. The buffer
    /// holds the value in its user value, so the bytes live as long as it does. None unless
    /// `parent` is a struct value.
    pub fn push_buffer_view(
        &mut self,
        parent: c_int,
        elem: u32,
        metatable_ref: c_int,
    ) -> Option<()> {
        let parent = self.absolute(parent);
        let (data, len) = self
            .struct_at(parent)
            .map(|s| (s.mem.as_ptr(), s.mem.len()))?;
        if !self.ensure(2) {
            return None;
        }
        // SAFETY: `mem` is the parent's bytes, which the buffer keeps alive through its user
        // value from its creation for as long as it lives; the header is fully written before
        // Lua can see it; two free slots (ensured).
        unsafe {
            let p = new_userdata_keeping(self.l, STRUCT_DATA_OFFSET, parent);
            (p as *mut BufferHeader).write(BufferHeader {
                magic: BUFFER_MAGIC,
                elem,
                count: 1,
                data,
                len,
            });
            self.set_metatable_from_ref(metatable_ref);
        }
        Some(())
    }

    /// A pointer value at `idx`.
    #[inline]
    pub fn pointer_at(&self, idx: c_int) -> Option<PointerSlot> {
        let p = self.userdata(idx, std::mem::size_of::<PointerBox>())?;
        // SAFETY: at least a PointerBox long (checked); only ours carry POINTER_MAGIC, and a
        // FIELD one its tail (written at creation).
        unsafe {
            let b = &*(p as *const PointerBox);
            if b.magic != POINTER_MAGIC {
                return None;
            }
            let slot = PointerSlot {
                tag: b.tag,
                ptr: b.ptr,
                owned: b.flags & OWNED != 0,
                freed: b.flags & FREED != 0,
                freed_by: b.flags >> FREED_BY_SHIFT,
                len: b.len,
            };
            if b.flags & FIELD != 0 {
                // A field pointer whose struct value is gone, changed or no longer one
                // raylib made is as good as freed (by whatever unloaded it).
                if let Err(by) = field_alive(p) {
                    return Some(PointerSlot {
                        ptr: std::ptr::null_mut(),
                        freed: true,
                        freed_by: by,
                        ..slot
                    });
                }
            }
            Some(slot)
        }
    }

    /// The bytes behind the live pointer value at `idx`, if lunaray knows them: the length
    /// raylib returned it with, or for a field pointer what its struct's fields say now.
    pub fn pointer_len(&self, idx: c_int) -> Option<usize> {
        let slot = self.pointer_at(idx).filter(|p| !p.freed)?;
        if slot.len > 0 {
            return Some(slot.len);
        }
        let p = self.userdata(idx, std::mem::size_of::<PointerBox>())?;
        // SAFETY: our pointer box (found above), alive; a FIELD one carries its tail, and its
        // parent (kept alive by the user value) was checked alive just now, so its header
        // and bytes are valid to read.
        unsafe {
            if (*(p as *const PointerBox)).flags & FIELD == 0 {
                return None;
            }
            let t = &*(p.add(STRUCT_DATA_OFFSET) as *const FieldTail);
            let ph = &*(t.parent as *const StructHeader);
            let mem = CMem::from_raw(NonNull::new(struct_data(t.parent))?, usize::from(ph.len));
            t.guard.field_len(u32::from(ph.ty), t.field_off, mem)
        }
    }

    /// Pushes the pointer field at byte `field_off` of the struct value at `parent` as a
    /// pointer value that stays alive only while that struct value does (nil for NULL):
    /// `local d = img.data; rl.UnloadImage(img)` leaves `d` dead. Panics unless `parent` is
    /// a struct value with the field inside it.
    pub fn push_field_pointer(
        &mut self,
        parent: c_int,
        tag: u32,
        field_off: u32,
        guard: &'static dyn ViewGuard,
        metatable_ref: c_int,
    ) {
        let parent = self.absolute(parent);
        let s = self
            .struct_at(parent)
            .expect("a field pointer's parent is a struct value");
        let ptr = s.mem.read::<usize>(field_off as usize) as *mut c_void;
        if ptr.is_null() {
            self.push_nil();
            return;
        }
        if !self.ensure(2) {
            panic!("stack overflow pushing a field pointer");
        }
        let parent_ud = self
            .userdata(parent, std::mem::size_of::<StructHeader>())
            .expect("a struct value is userdata");
        let size = STRUCT_DATA_OFFSET + std::mem::size_of::<FieldTail>();
        // SAFETY: box and tail are written in full (inside `size` bytes) before Lua can see
        // the value, which holds its parent from its creation (user value); two free slots
        // (ensured).
        unsafe {
            let p = new_userdata_keeping(self.l, size, parent);
            (p as *mut PointerBox).write(PointerBox {
                magic: POINTER_MAGIC,
                tag,
                flags: FIELD,
                ptr,
                len: 0,
            });
            (p.add(STRUCT_DATA_OFFSET) as *mut FieldTail).write(FieldTail {
                parent: parent_ud,
                guard,
                field_off,
            });
            self.set_metatable_from_ref(metatable_ref);
        }
    }

    /// The bytes behind the live pointer value of known length at or below the floor (a
    /// metamethod's own argument): valid for the whole call. None for any other value.
    pub fn arg_pointer_bytes(&self, idx: c_int) -> Option<CMem<'call>> {
        if !self.below_floor(idx) {
            return None;
        }
        let p = self.pointer_at(idx)?;
        if p.freed || p.len == 0 {
            return None;
        }
        // SAFETY: raylib returned `ptr` with `len` bytes behind it (the call's declared
        // return length, `marshal::ret_len`): memory it allocated for the caller, which
        // only an `Unload*`/`MemFree`/`MemRealloc` call through lunaray frees, marking this
        // value freed (checked above; no C call runs while the span is used, see
        // `struct_slot`), or static storage of that size.
        Some(unsafe { CMem::from_raw(NonNull::new(p.ptr as *mut u8)?, p.len) })
    }

    /// Marks the pointer value at `idx` freed by function `by`: its address is forgotten, so
    /// every reference to the value, and every element view into it, sees a dead pointer.
    /// Does nothing to other values.
    pub fn free_pointer(&mut self, idx: c_int, by: u32) {
        let Some(p) = self.userdata(idx, std::mem::size_of::<PointerBox>()) else {
            return;
        };
        // SAFETY: at least a PointerBox long (checked); only ours carry POINTER_MAGIC, and
        // nothing holds a Rust reference into a box across this write.
        unsafe {
            let b = p as *mut PointerBox;
            if (*b).magic == POINTER_MAGIC {
                (*b).ptr = std::ptr::null_mut();
                (*b).flags = FREED | by << FREED_BY_SHIFT;
            }
        }
    }

    /// Pushes a new owned struct value of type `ty` with `len` zeroed bytes, using the
    /// metatable stored in the registry under `metatable_ref`; returns its bytes, which
    /// borrow the stack (the value stays on top while they are used).
    pub fn push_struct(&mut self, ty: u32, len: usize, metatable_ref: c_int) -> CMem<'_> {
        self.new_struct(ty, len, metatable_ref)
    }

    /// As [`Stack::push_struct`], and the new value joins the floor: it stays for the whole
    /// call (it must be the call's last result, or below its results), so its bytes are
    /// valid for `'call` while the stack is used for other things.
    pub fn push_struct_pinned(&mut self, ty: u32, len: usize, metatable_ref: c_int) -> CMem<'call> {
        let mem = self.new_struct(ty, len, metatable_ref);
        self.raise_floor();
        mem
    }

    /// Pushes a new owned struct value of type `ty` whose bytes are `value`'s, written once
    /// (no zeroing first): for results computed in Rust, such as operators on vectors. The
    /// size of `T` must be the struct's C size (the caller's to know, as `push_struct`'s
    /// `len` is).
    #[inline]
    pub fn push_struct_value<T: Scalar>(&mut self, ty: u32, value: T, metatable_ref: c_int) {
        let len = std::mem::size_of::<T>();
        if let Some(mem) = self.push_cdata(ty, len, false, metatable_ref) {
            mem.write(0, value);
            return;
        }
        self.reserve(2);
        // SAFETY:
        // - Two free slots (reserved): the value and its metatable.
        // - The userdata has room for the header and `len` bytes, aligned as in `new_struct`.
        // - Every byte is written before Lua can see the value: the header in full, and
        //   `value`, which has no padding (`Scalar`), over all `len` bytes.
        unsafe {
            let p = new_userdata(self.l, OWNED_DATA_OFFSET + len.max(1));
            let data = p.add(OWNED_DATA_OFFSET);
            data.cast::<T>().write_unaligned(value);
            (p as *mut StructHeader).write(StructHeader {
                magic: STRUCT_MAGIC,
                ty: fit16(ty as usize),
                len: fit16(len),
                flags: 0,
            });
            self.set_metatable_from_ref(metatable_ref);
        }
    }

    fn new_struct<'a>(&mut self, ty: u32, len: usize, metatable_ref: c_int) -> CMem<'a> {
        if let Some(mem) = self.push_cdata(ty, len, false, metatable_ref) {
            return mem;
        }
        self.reserve(2);
        // SAFETY:
        // - Two free slots (reserved): the value and its metatable.
        // - The userdata is allocated with room for the header and `len` bytes; its memory is
        //   aligned for every raylib type (see `new_userdata`), and STRUCT_DATA_OFFSET keeps
        //   that alignment.
        // - Header and bytes are fully written before Lua can see the value.
        unsafe {
            let p = new_userdata(self.l, OWNED_DATA_OFFSET + len.max(1));
            let data = p.add(OWNED_DATA_OFFSET);
            std::ptr::write_bytes(data, 0, len);
            (p as *mut StructHeader).write(StructHeader {
                magic: STRUCT_MAGIC,
                ty: fit16(ty as usize),
                len: fit16(len),
                flags: 0,
            });
            self.set_metatable_from_ref(metatable_ref);
            CMem::from_raw(NonNull::new_unchecked(data), len)
        }
    }

    /// Sets `flags` in the header of the struct value at `idx` (unloaded ones included);
    /// false if it holds none.
    fn set_struct_flags(&mut self, idx: c_int, flags: u32) -> bool {
        let Some(p) = self.userdata(idx, std::mem::size_of::<StructHeader>()) else {
            return false;
        };
        // SAFETY: at least a header long (checked); only our struct values carry
        // STRUCT_MAGIC; the flags word is ours to set.
        unsafe {
            let h = &mut *(p as *mut StructHeader);
            if h.magic != STRUCT_MAGIC {
                return false;
            }
            h.flags |= flags;
        }
        true
    }

    /// Marks the struct value at `idx` unloaded by function `by` (a registry index): from now
    /// on it is no struct value to [`Stack::struct_at`], so nothing reads or passes its
    /// (zeroed) bytes, and [`Stack::unloaded_struct_at`] says who unloaded it.
    pub fn mark_unloaded(&mut self, idx: c_int, by: u32) -> bool {
        self.set_struct_flags(idx, UNLOADED | (by << UNLOADED_BY_SHIFT))
    }

    /// An unloaded struct value at `idx`: its type and the function that unloaded it.
    pub fn unloaded_struct_at(&self, idx: c_int) -> Option<(u32, u32)> {
        let p = self.userdata(idx, std::mem::size_of::<StructHeader>())?;
        // SAFETY: at least a header long (checked); only our struct values carry
        // STRUCT_MAGIC.
        unsafe {
            let h = &*(p as *const StructHeader);
            (h.magic == STRUCT_MAGIC && h.flags & UNLOADED != 0)
                .then_some((u32::from(h.ty), h.flags >> UNLOADED_BY_SHIFT))
        }
    }

    /// Pushes a view of `mem` (a field of the struct value at `parent`, or an element of the
    /// buffer or pointer view at `parent`), typed `ty`. The view keeps its parent alive
    /// through its user value, so `mem` stays valid while the parent's bytes are its own; a
    /// view into raylib's memory (its parent a pointer view or such a view) is borrowed and
    /// re-checks its chain on every access. Panics unless `mem` lies inside the parent's
    /// bytes.
    pub fn push_struct_view(
        &mut self,
        parent: c_int,
        ty: u32,
        mem: CMem<'_>,
        metatable_ref: c_int,
    ) {
        let parent = self.absolute(parent);
        // A view of a constant is constant too; one into an array raylib returned is
        // borrowed, its chain ending at the pointer value.
        let mut root = None;
        let (outer, flags) = match (self.struct_at(parent), self.buffer_at(parent)) {
            (Some(s), _) => (s.mem, VIEW | if s.read_only { READ_ONLY } else { 0 }),
            (_, Some(b)) => (b.mem, VIEW),
            _ => match self.pointer_at(parent) {
                Some(p) if !p.freed && p.len > 0 => {
                    root = Some(&PointerRoot as &'static dyn ViewGuard);
                    // Only the address range is compared below, never read.
                    let base = p.ptr as *const u8;
                    let inside = (mem.as_ptr() as usize)
                        .checked_sub(base as usize)
                        .is_some_and(|off| off + mem.len() <= p.len);
                    assert!(inside, "a view lies inside its parent");
                    (mem, VIEW)
                }
                _ => panic!("a view's parent is a struct value, a buffer or a pointer value"),
            },
        };
        let (base, start) = (outer.as_ptr() as usize, mem.as_ptr() as usize);
        assert!(
            start >= base && start + mem.len() <= base + outer.len(),
            "a view lies inside its parent"
        );
        if !self.ensure(2) {
            panic!("stack overflow pushing a struct view");
        }
        let parent_ud = self
            .userdata(parent, std::mem::size_of::<StructHeader>())
            .expect("a view's parent is userdata");
        // SAFETY: the parent is one of our struct values or buffers (found above), so its
        // header is ours, and a borrowed one or a pointer view carries its tail; a pointer
        // value (`root`) is not read here.
        let guard = root.or_else(|| unsafe { borrow_guard(parent_ud) });
        let (size, flags) = match guard {
            Some(_) => (
                STRUCT_DATA_OFFSET + std::mem::size_of::<BorrowTail>(),
                flags | BORROWED,
            ),
            None => (STRUCT_DATA_OFFSET, flags),
        };
        // SAFETY: `mem` lies inside the parent's bytes (asserted); the view holds the parent
        // from its creation for as long as it lives, so `mem` stays valid while the view can
        // be used (a borrowed one checks its chain first). The tail, when there is one, is
        // inside the `size` bytes allocated. Two free slots (ensured).
        unsafe {
            let p = new_userdata_keeping(self.l, size, parent);
            debug_assert!(flags & VIEW != 0, "a view carries VIEW");
            (p as *mut StructHeader).write(StructHeader {
                magic: STRUCT_MAGIC,
                ty: fit16(ty as usize),
                len: fit16(mem.len()),
                flags: flags | VIEW,
            });
            (p.add(OWNED_DATA_OFFSET) as *mut *mut u8).write(mem.as_ptr());
            if let Some(guard) = guard {
                (p.add(STRUCT_DATA_OFFSET) as *mut BorrowTail).write(BorrowTail {
                    parent: parent_ud,
                    guard,
                });
            }
            self.set_metatable_from_ref(metatable_ref);
        }
    }

    /// Pushes a pointer view of the pointer field at `spec.field_off` of the live struct
    /// value at `parent` (`model.materials`): `elem` elements of `elem_size` bytes, as many
    /// as its count field says (`spec`). The view holds the parent, and on every access
    /// checks that the parent is alive, still holds this pointer and count, and (at the top
    /// of the chain) is still one raylib made (`guard`).
    pub fn push_pointer_view(
        &mut self,
        parent: c_int,
        elem: u32,
        elem_size: usize,
        spec: ViewSpec,
        guard: &'static dyn ViewGuard,
        metatable_ref: c_int,
    ) -> ViewMade {
        let parent = self.absolute(parent);
        let Some(s) = self.struct_at(parent) else {
            return ViewMade::NotAStruct;
        };
        let field = spec.field_off as usize;
        if field + 8 > s.mem.len() || spec.count_off.is_some_and(|c| c as usize + 4 > s.mem.len()) {
            return ViewMade::NotAStruct;
        }
        let data = s.mem.read::<usize>(field) as *mut u8;
        let count = match spec.count_off {
            None => spec.times as i64,
            Some(c) => read_count(s.mem, c, spec.count_signed) * spec.times as i64,
        };
        let Some(len) = usize::try_from(count)
            .ok()
            .filter(|&n| n <= u32::MAX as usize)
            .and_then(|n| n.checked_mul(elem_size))
        else {
            return ViewMade::BadCount(count);
        };
        if data.is_null() {
            return ViewMade::Null;
        }
        if !self.ensure(2) {
            return ViewMade::NotAStruct;
        }
        let parent_ud = self
            .userdata(parent, std::mem::size_of::<StructHeader>())
            .expect("a struct value is userdata");
        let size = STRUCT_DATA_OFFSET + std::mem::size_of::<ViewTail>();
        // SAFETY: the header and tail are written in full (inside `size` bytes) before Lua
        // can see the view; `data` is not read here: every access checks the chain first
        // (`view_chain`), which this call also does before handing the view out. Two free
        // slots (ensured).
        let made = unsafe {
            let p = new_userdata_keeping(self.l, size, parent);
            (p as *mut BufferHeader).write(BufferHeader {
                magic: VIEW_MAGIC,
                elem,
                count: count as u32,
                data,
                len,
            });
            (p.add(STRUCT_DATA_OFFSET) as *mut ViewTail).write(ViewTail {
                parent: parent_ud,
                guard,
                field_off: spec.field_off,
                count_off: spec.count_off.unwrap_or(u32::MAX),
                times: spec.times,
                rule: spec.rule,
                read_only: spec.read_only,
                count_signed: spec.count_signed,
            });
            self.set_metatable_from_ref(metatable_ref);
            view_chain(p)
        };
        match made {
            Ok(()) => ViewMade::Pushed,
            Err(d) => {
                self.pop(1);
                ViewMade::Dead(d)
            }
        }
    }

    /// Whether the value at `idx` is a pointer view or a view into raylib's memory behind one.
    pub fn is_borrowed(&self, idx: c_int) -> bool {
        let Some(p) = self.userdata(idx, std::mem::size_of::<StructHeader>()) else {
            return false;
        };
        // SAFETY: at least a header long (checked); the magic says whose it is.
        unsafe { borrow_guard(p).is_some() }
    }

    /// Whether the value at `idx` is a struct value with bytes of its own (not a view into
    /// another value's).
    pub fn owns_its_bytes(&self, idx: c_int) -> bool {
        if self.cdata_slot(idx).is_some() {
            return true;
        }
        self.userdata(idx, std::mem::size_of::<StructHeader>())
            // SAFETY: at least a header long (checked); only our struct values carry
            // STRUCT_MAGIC, their flags set at creation.
            .is_some_and(|p| unsafe {
                let h = &*(p as *const StructHeader);
                h.magic == STRUCT_MAGIC && h.flags & VIEW == 0
            })
    }

    /// Whether the value at `idx` is a pointer view (dead or alive).
    pub fn is_pointer_view(&self, idx: c_int) -> bool {
        self.userdata(idx, std::mem::size_of::<BufferHeader>())
            // SAFETY: at least a header long (checked).
            .is_some_and(|p| unsafe { magic_of(p) } == VIEW_MAGIC)
    }

    /// A pointer view's, or a borrowed struct view's, rule, writability and standing.
    #[cold]
    pub fn view_state(&self, idx: c_int) -> Option<ViewState> {
        let p = self.userdata(idx, std::mem::size_of::<StructHeader>())?;
        // SAFETY: at least a header long (checked); `borrow_guard` says it is one of ours
        // with a tail; the chain's userdata are ours and alive (each holds its parent).
        unsafe {
            borrow_guard(p)?;
            let mut v = p as *const u8;
            while magic_of(v) != VIEW_MAGIC && magic_of(v) != POINTER_MAGIC {
                v = (*(v.add(STRUCT_DATA_OFFSET) as *const BorrowTail)).parent;
            }
            let (rule, read_only) = if magic_of(v) == VIEW_MAGIC {
                let t = &*(v.add(STRUCT_DATA_OFFSET) as *const ViewTail);
                (t.rule, t.read_only)
            } else {
                (NO_RULE, false)
            };
            let dead = if magic_of(p) == VIEW_MAGIC {
                view_chain(p).err()
            } else {
                struct_chain(p).err()
            };
            Some(ViewState {
                rule,
                read_only,
                dead,
            })
        }
    }

    /// Pushes a pointer value (nil for NULL); `owned` if raylib allocated it for the caller;
    /// `len` the bytes raylib said are behind it (0: not known).
    ///
    /// # Safety
    /// A non-zero `len` must be the number of bytes readable and writable at `ptr` until
    /// lunaray frees it (memory raylib allocated for the caller) or for the process (static
    /// storage): the value hands them out as elements.
    pub unsafe fn push_pointer_sized(
        &mut self,
        tag: u32,
        ptr: *mut c_void,
        owned: bool,
        len: usize,
        metatable_ref: c_int,
    ) {
        self.push_pointer_box(tag, ptr, owned, len, metatable_ref)
    }

    /// Pushes a pointer value of unknown length (nil for NULL); `owned` if raylib allocated
    /// it for the caller.
    pub fn push_pointer(&mut self, tag: u32, ptr: *mut c_void, owned: bool, metatable_ref: c_int) {
        self.push_pointer_box(tag, ptr, owned, 0, metatable_ref)
    }

    /// The box behind both: `ptr` is stored, never read here.
    fn push_pointer_box(
        &mut self,
        tag: u32,
        ptr: *mut c_void,
        owned: bool,
        len: usize,
        metatable_ref: c_int,
    ) {
        if ptr.is_null() {
            self.push_nil();
            return;
        }
        self.reserve(2);
        // SAFETY: the box is fully written before Lua can see it; two free slots (reserved)
        // for the value and its metatable.
        unsafe {
            let p = new_userdata(self.l, std::mem::size_of::<PointerBox>());
            (p as *mut PointerBox).write(PointerBox {
                magic: POINTER_MAGIC,
                tag,
                flags: if owned { OWNED } else { 0 },
                ptr,
                len,
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

/// The count at byte `off` of `mem`, an `int` or an `unsigned int`.
fn read_count(mem: CMem<'_>, off: u32, signed: bool) -> i64 {
    let raw = mem.read::<u32>(off as usize);
    if signed {
        raw as i32 as i64
    } else {
        raw as i64
    }
}

/// The first word of one of our userdata.
///
/// # Safety
/// `p` must point to a live userdata at least 8 bytes long.
#[inline]
unsafe fn magic_of(p: *const u8) -> u64 {
    // SAFETY: 8 readable bytes (contract); userdata are 8-aligned.
    unsafe { *(p as *const u64) }
}

/// The guard of a pointer view or a borrowed struct view; None for any other value.
///
/// # Safety
/// `p` must point to a live userdata at least a `StructHeader` long.
unsafe fn borrow_guard(p: *const u8) -> Option<&'static dyn ViewGuard> {
    // SAFETY: a header long (contract); only our pointer views carry VIEW_MAGIC, and only
    // our struct values STRUCT_MAGIC; both carry their tails when so marked (written at
    // creation, before Lua saw them).
    unsafe {
        match magic_of(p) {
            VIEW_MAGIC => Some((*(p.add(STRUCT_DATA_OFFSET) as *const ViewTail)).guard),
            STRUCT_MAGIC if (*(p as *const StructHeader)).flags & BORROWED != 0 => {
                Some((*(p.add(STRUCT_DATA_OFFSET) as *const BorrowTail)).guard)
            }
            _ => None,
        }
    }
}

/// Whether a struct value marked unloaded or borrowed is usable: an unloaded one never, a
/// borrowed one while its chain is alive.
///
/// # Safety
/// `p` must be one of our struct values (STRUCT_MAGIC checked).
#[cold]
#[inline(never)]
unsafe fn borrowed_alive(p: *const u8) -> bool {
    // SAFETY: a struct value's header (contract); one marked BORROWED carries its tail.
    unsafe { (*(p as *const StructHeader)).flags & UNLOADED == 0 && struct_chain(p).is_ok() }
}

/// Whether the userdata at `p` (not a typed buffer) is a pointer view whose chain is alive.
///
/// # Safety
/// `p` must point to a live userdata at least a `BufferHeader` long.
#[cold]
#[inline(never)]
unsafe fn view_alive(p: *const u8) -> bool {
    // SAFETY: a header long (contract); VIEW_MAGIC marks our pointer views, whose header and
    // tail are fully written.
    unsafe { magic_of(p) == VIEW_MAGIC && view_chain(p).is_ok() }
}

/// Checks a borrowed struct view's chain: its parents alive up to the pointer view, and that
/// view's own chain.
///
/// # Safety
/// `p` must be one of our struct values carrying BORROWED (and so its tail).
unsafe fn struct_chain(p: *const u8) -> Result<(), ViewDeath> {
    // SAFETY: the tail is there (contract); each parent is our userdata, kept alive by its
    // child's user value and never moved.
    unsafe {
        let parent = (*(p.add(STRUCT_DATA_OFFSET) as *const BorrowTail)).parent;
        match magic_of(parent) {
            VIEW_MAGIC => return view_chain(parent),
            POINTER_MAGIC => {
                let b = &*(parent as *const PointerBox);
                return match b.flags & FREED {
                    0 => Ok(()),
                    _ => Err(ViewDeath::Freed {
                        tag: b.tag,
                        by: b.flags >> FREED_BY_SHIFT,
                    }),
                };
            }
            _ => {}
        }
        let ph = &*(parent as *const StructHeader);
        if ph.flags & UNLOADED != 0 {
            return Err(ViewDeath::Unloaded {
                ty: u32::from(ph.ty),
                by: ph.flags >> UNLOADED_BY_SHIFT,
            });
        }
        struct_chain(parent)
    }
}

/// Checks a field pointer: the struct value it was read from is alive (unloaded: no;
/// borrowed: its chain; otherwise still one raylib made) and still holds this pointer. The
/// error is the function that unloaded it, where one did (`u32::MAX` otherwise).
///
/// # Safety
/// `p` must be one of our pointer boxes carrying FIELD (and so its tail).
#[cold]
#[inline(never)]
unsafe fn field_alive(p: *const u8) -> Result<(), u32> {
    // SAFETY: box and tail are ours (contract); the parent is our struct value, kept alive
    // by the pointer value's user value and never moved; its bytes are its own (owned, or a
    // plain view's parent's) or raylib's behind a borrowed chain checked before they are
    // read; the field offset was inside it at creation, and a struct's length never changes.
    unsafe {
        let b = &*(p as *const PointerBox);
        let t = &*(p.add(STRUCT_DATA_OFFSET) as *const FieldTail);
        let ph = &*(t.parent as *const StructHeader);
        if ph.flags & UNLOADED != 0 {
            return Err(ph.flags >> UNLOADED_BY_SHIFT);
        }
        let data = NonNull::new(struct_data(t.parent)).ok_or(u32::MAX)?;
        let mem = CMem::from_raw(data, usize::from(ph.len));
        if ph.flags & BORROWED != 0 {
            struct_chain(t.parent).map_err(|_| u32::MAX)?;
        } else if !t.guard.made_by_raylib(u32::from(ph.ty), mem) {
            return Err(u32::MAX);
        }
        if mem.read::<usize>(t.field_off as usize) != b.ptr as usize {
            return Err(u32::MAX);
        }
        Ok(())
    }
}

/// Checks a pointer view: the struct value holding it is alive (unloaded: no; borrowed: its
/// own chain; otherwise still one raylib made), and still holds the view's pointer and
/// count.
///
/// # Safety
/// `v` must be one of our pointer views (VIEW_MAGIC, header and tail written).
unsafe fn view_chain(v: *const u8) -> Result<(), ViewDeath> {
    // SAFETY: header and tail are ours (contract); the parent is our struct value, kept
    // alive by the view's user value and never moved; its bytes are its own (owned or a
    // plain view's parent's) or raylib's behind a borrowed chain checked before they are
    // read; the offsets were checked against its length when the view was made, and a
    // struct value's length never changes.
    unsafe {
        let h = &*(v as *const BufferHeader);
        let t = &*(v.add(STRUCT_DATA_OFFSET) as *const ViewTail);
        let ph = &*(t.parent as *const StructHeader);
        let ty = u32::from(ph.ty);
        if ph.flags & UNLOADED != 0 {
            return Err(ViewDeath::Unloaded {
                ty,
                by: ph.flags >> UNLOADED_BY_SHIFT,
            });
        }
        let Some(data) = NonNull::new(struct_data(t.parent)) else {
            return Err(ViewDeath::Changed { ty });
        };
        let mem = CMem::from_raw(data, usize::from(ph.len));
        if ph.flags & BORROWED != 0 {
            struct_chain(t.parent)?;
        } else if !t.guard.made_by_raylib(ty, mem) {
            return Err(ViewDeath::NotMade { ty });
        }
        let count = match t.count_off {
            u32::MAX => t.times as i64,
            c => read_count(mem, c, t.count_signed) * t.times as i64,
        };
        if mem.read::<usize>(t.field_off as usize) != h.data as usize || count != h.count as i64 {
            return Err(ViewDeath::Changed { ty });
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use crate::ffi::lua_stack::with_main_stack;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    #[test]
    fn pinned_values_cannot_be_removed_during_the_call() {
        let lua = mlua::Lua::new();
        with_main_stack(&lua, |st| {
            st.new_table();
            let mt = st.reference();
            let floor = st.floor();
            let pinned = st.push_struct_pinned(0, 8, mt);
            assert_eq!(st.floor(), floor + 1);
            st.push_bytes(b"temporary");
            st.pop(1);
            // Removing the pinned value (or anything below it) is refused before Lua sees it.
            let pop = catch_unwind(AssertUnwindSafe(|| st.pop(1)));
            assert!(pop.is_err(), "popping a pinned value panics");
            let set_top = catch_unwind(AssertUnwindSafe(|| st.set_top(floor)));
            assert!(set_top.is_err(), "set_top below the floor panics");
            // The span stays usable: the value is still there.
            pinned.write::<u64>(0, 7);
            assert_eq!(st.arg_struct_at(-1).map(|s| s.mem.read::<u64>(0)), Some(7));
            // A temporary above the floor is not an argument: no call-long span for it.
            st.push_struct(0, 8, mt);
            assert!(st.arg_struct_at(-1).is_none());
            assert!(st.struct_at(-1).is_some());
            st.pop(1);
        });
    }
}
