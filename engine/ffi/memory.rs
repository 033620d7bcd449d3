//! Bounds-checked reads and writes of C memory: struct values' bytes, frame-arena buffers and
//! return buffers. A [`CMem`] is a pointer and a length, never a Rust reference, so two views
//! of the same bytes (a struct passed both by reference and by value) never alias a `&mut`.

use std::ffi::c_void;
use std::ptr::NonNull;

/// A span of C memory that is valid for reads and writes of `len` bytes for as long as its
/// owner lives: a struct value on the Lua stack, the frame arena until it is reset, or a
/// return buffer on the stack. Constructed only inside `ffi`, from those owners.
#[derive(Clone, Copy, Debug)]
pub struct CMem {
    ptr: NonNull<u8>,
    len: usize,
}

/// Plain C scalars that may be read from any bit pattern.
pub trait Scalar: Copy + Default {}
impl Scalar for u8 {}
impl Scalar for i8 {}
impl Scalar for u16 {}
impl Scalar for i16 {}
impl Scalar for u32 {}
impl Scalar for i32 {}
impl Scalar for u64 {}
impl Scalar for i64 {}
impl Scalar for f32 {}
impl Scalar for f64 {}
impl Scalar for usize {}

impl CMem {
    /// # Safety
    /// `ptr` must be valid for reads and writes of `len` bytes for as long as this `CMem`
    /// (and every copy of it) is used.
    pub(crate) unsafe fn from_raw(ptr: NonNull<u8>, len: usize) -> CMem {
        CMem { ptr, len }
    }

    /// Memory from the frame arena: bumpalo hands out exclusive, live allocations.
    pub fn from_arena(ptr: NonNull<u8>, len: usize) -> CMem {
        // SAFETY: an arena allocation is valid for `len` bytes until the arena is reset, which
        // happens only between calls (the arena's depth counter refuses resets during one).
        unsafe { CMem::from_raw(ptr, len) }
    }

    /// A span over a local buffer of words, for one call's return value.
    pub fn from_words(buf: &mut [u64]) -> CMem {
        let len = std::mem::size_of_val(buf);
        let ptr = NonNull::from(buf).cast::<u8>();
        // SAFETY: the buffer is exclusively borrowed by the caller for as long as it uses the
        // span (a local it reads back right after the call), `len` bytes long.
        unsafe { CMem::from_raw(ptr, len) }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    /// A sub-span, for a field or element.
    #[inline]
    pub fn slice(&self, offset: usize, len: usize) -> CMem {
        assert!(offset + len <= self.len, "field outside its struct");
        // SAFETY: the sub-span lies inside this one (asserted), which is valid by invariant.
        unsafe { CMem::from_raw(NonNull::new_unchecked(self.ptr.as_ptr().add(offset)), len) }
    }

    #[inline]
    pub fn read<T: Scalar>(&self, offset: usize) -> T {
        assert!(offset + std::mem::size_of::<T>() <= self.len);
        // SAFETY: in bounds (asserted); `T` is a plain scalar valid for any bit pattern;
        // unaligned read because C structs may be packed differently from `T`'s alignment.
        unsafe { self.ptr.as_ptr().add(offset).cast::<T>().read_unaligned() }
    }

    #[inline]
    pub fn write<T: Scalar>(&self, offset: usize, value: T) {
        assert!(offset + std::mem::size_of::<T>() <= self.len);
        // SAFETY: in bounds (asserted) of memory valid for writes by invariant.
        unsafe {
            self.ptr
                .as_ptr()
                .add(offset)
                .cast::<T>()
                .write_unaligned(value)
        }
    }

    /// `len` (1 to 8) bytes at `offset` as the low bytes of a u64, the rest zero.
    #[inline]
    pub fn read_bits(&self, offset: usize, len: usize) -> u64 {
        match len {
            8 => self.read::<u64>(offset),
            4 => self.read::<u32>(offset) as u64,
            _ => (0..len.min(8)).fold(0u64, |acc, i| {
                acc | (self.read::<u8>(offset + i) as u64) << (8 * i)
            }),
        }
    }

    /// Copies all of this span into `words` (as many as it fills; a partial last word is
    /// zero-extended): a struct's bytes into stack words.
    #[inline]
    pub fn read_words(&self, words: &mut [u64]) {
        let full = self.len / 8;
        assert!(words.len() >= self.len.div_ceil(8), "room for every word");
        // SAFETY: `full * 8 <= self.len` bytes are read from this span (valid by invariant)
        // into `words`, a distinct Rust slice with room for them (asserted); u64 accepts any
        // bit pattern; the source may be unaligned, the destination is aligned.
        unsafe {
            std::ptr::copy_nonoverlapping(
                self.ptr.as_ptr(),
                words.as_mut_ptr().cast::<u8>(),
                full * 8,
            )
        };
        if self.len % 8 != 0 {
            words[full] = self.read_bits(full * 8, self.len % 8);
        }
    }

    /// Writes the low `len` (1 to 8) bytes of `bits` at `offset`.
    #[inline]
    pub fn write_bits(&self, offset: usize, bits: u64, len: usize) {
        match len {
            8 => self.write::<u64>(offset, bits),
            4 => self.write::<u32>(offset, bits as u32),
            _ => {
                for i in 0..len.min(8) {
                    self.write::<u8>(offset + i, (bits >> (8 * i)) as u8);
                }
            }
        }
    }

    /// Copies all of `src` to `offset`. The spans may overlap.
    #[inline]
    pub fn copy_from(&self, offset: usize, src: CMem) {
        assert!(offset + src.len <= self.len);
        // SAFETY: both spans are valid by invariant and in bounds (asserted); `copy` allows
        // overlap.
        unsafe { std::ptr::copy(src.ptr.as_ptr(), self.ptr.as_ptr().add(offset), src.len) }
    }

    pub fn copy_from_bytes(&self, offset: usize, src: &[u8]) {
        assert!(offset + src.len() <= self.len);
        // SAFETY: in bounds (asserted); `src` is a Rust slice, which never overlaps C memory
        // that is only reachable through raw pointers.
        unsafe {
            std::ptr::copy_nonoverlapping(src.as_ptr(), self.ptr.as_ptr().add(offset), src.len())
        }
    }

    pub fn fill_zero(&self) {
        // SAFETY: valid for `len` bytes of writes by invariant.
        unsafe { std::ptr::write_bytes(self.ptr.as_ptr(), 0, self.len) }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        (0..self.len).map(|i| self.read::<u8>(i)).collect()
    }
}

/// Reads a NUL-terminated C string returned by C, copying it. None for NULL.
pub fn c_string_at(ptr: *const c_void) -> Option<Vec<u8>> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: a non-NULL `const char *` returned by a raylib function points to a
    // NUL-terminated string that stays valid until the next call into raylib; it is copied
    // here before any other call.
    Some(
        unsafe { std::ffi::CStr::from_ptr(ptr.cast()) }
            .to_bytes()
            .to_vec(),
    )
}

/// Reads process memory without trusting the address: through `/proc/self/mem`, so an
/// unmapped page is an error instead of a crash. For `lunaray.string`, where the script
/// names the length. No unsafe code: the kernel does the reading.
pub fn read_checked(ptr: *const c_void, len: usize) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mem = std::fs::File::open("/proc/self/mem")?;
    let mut buf = vec![0u8; len];
    mem.read_exact_at(&mut buf, ptr as u64)?;
    Ok(buf)
}

/// A NUL-terminated string at an address, read as [`read_checked`] does, in pieces (at most
/// `limit` bytes).
pub fn c_string_checked(ptr: *const c_void, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mem = std::fs::File::open("/proc/self/mem")?;
    let mut out = Vec::new();
    let mut chunk = [0u8; 256];
    while out.len() < limit {
        // Stop pieces at page ends, so a readable string before an unmapped page is found.
        let addr = ptr as u64 + out.len() as u64;
        let to_page_end = 4096 - (addr % 4096) as usize;
        let n = chunk.len().min(to_page_end);
        mem.read_exact_at(&mut chunk[..n], addr)?;
        if let Some(end) = chunk[..n].iter().position(|&b| b == 0) {
            out.extend_from_slice(&chunk[..end]);
            return Ok(out);
        }
        out.extend_from_slice(&chunk[..n]);
    }
    out.truncate(limit);
    Ok(out)
}

/// Reads `len` bytes at a pointer raylib returned, for `lunaray.string(ptr, len)`.
///
/// The caller vouches for the length, as with LuaJIT's `ffi.string`; the runtime only exposes
/// it for pointer values raylib itself returned.
pub fn bytes_at(ptr: *const c_void, len: usize) -> Vec<u8> {
    if ptr.is_null() || len == 0 {
        return Vec::new();
    }
    // SAFETY: `ptr` came from raylib as a buffer pointer and the script asserts it holds at
    // least `len` bytes (documented as the contract of `lunaray.string`).
    unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) }.to_vec()
}
