//! Bounds-checked reads and writes of C memory: struct values' bytes, frame-arena buffers and
//! return buffers. A [`CMem`] is a pointer and a length, never a Rust reference, so two views
//! of the same bytes (a struct passed both by reference and by value) never alias a `&mut`.
//!
//! Contract: a `CMem<'a>` is valid for reads and writes of its bytes for `'a`. Safe code gets
//! one only from an owner that proves it: a Rust buffer it borrows (`from_words`,
//! `from_u128s`, which the frame arena's scopes use, so arena spans cannot outlive their
//! scope), or the `ffi` layer's Lua stack access (struct values, valid while the value is on
//! the stack of the running call).

use std::ffi::c_void;
use std::marker::PhantomData;
use std::ptr::NonNull;

/// A span of C memory that is valid for reads and writes of `len` bytes for `'a`: a struct
/// value on the Lua stack, a frame-arena allocation within its call scope, or a return
/// buffer on the Rust stack.
#[derive(Clone, Copy, Debug)]
pub struct CMem<'a> {
    ptr: NonNull<u8>,
    len: usize,
    _life: PhantomData<&'a [std::cell::Cell<u8>]>,
}

/// Plain C scalars (and arrays of them) that may be read from any bit pattern and have no
/// padding: every byte of one is written when it is written.
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
// Float vectors read and written whole (operators on Vector2/3/4 and Matrix): no padding, any
// bit pattern is a value.
impl Scalar for [f32; 2] {}
impl Scalar for [f32; 3] {}
impl Scalar for [f32; 4] {}
impl Scalar for [f32; 16] {}

impl<'a> CMem<'a> {
    /// # Safety
    /// `ptr` must be valid for reads and writes of `len` bytes for `'a`, and nothing may
    /// hold a Rust reference to those bytes meanwhile.
    pub(crate) unsafe fn from_raw(ptr: NonNull<u8>, len: usize) -> CMem<'a> {
        CMem {
            ptr,
            len,
            _life: PhantomData,
        }
    }

    /// A span over a borrowed buffer of words (a return buffer, a call frame).
    pub fn from_words(buf: &'a mut [u64]) -> CMem<'a> {
        let len = std::mem::size_of_val(buf);
        let ptr = NonNull::from(buf).cast::<u8>();
        // SAFETY: the buffer is exclusively borrowed for `'a`, `len` bytes long.
        unsafe { CMem::from_raw(ptr, len) }
    }

    /// The first `len` bytes of a borrowed, 16-byte aligned buffer (frame-arena blocks).
    pub fn from_u128s(buf: &'a mut [u128], len: usize) -> CMem<'a> {
        assert!(len <= std::mem::size_of_val(buf), "span inside its buffer");
        let ptr = NonNull::from(buf).cast::<u8>();
        // SAFETY: the buffer is exclusively borrowed for `'a` and at least `len` bytes long
        // (asserted).
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
    pub fn slice(&self, offset: usize, len: usize) -> CMem<'a> {
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

    /// All of a span of at most 16 bytes as two words, zero-extended: a struct passed in
    /// registers. Fixed-size reads for raylib's common sizes.
    #[inline(always)]
    pub fn read_two_words(&self) -> [u64; 2] {
        match self.len {
            16 => {
                // SAFETY: the span is exactly 16 bytes (matched), valid for reads by
                // invariant; u64 accepts any bit pattern; unaligned reads.
                unsafe {
                    let p = self.ptr.as_ptr().cast::<[u64; 2]>();
                    p.read_unaligned()
                }
            }
            12 => [self.read::<u64>(0), self.read::<u32>(8) as u64],
            8 => {
                // SAFETY: the span is exactly 8 bytes (matched), valid for reads by invariant.
                [
                    unsafe { self.ptr.as_ptr().cast::<u64>().read_unaligned() },
                    0,
                ]
            }
            4 => [self.read::<u32>(0) as u64, 0],
            n => {
                assert!(n <= 16, "at most two words");
                let low = self.read_bits(0, n.min(8));
                let high = if n > 8 { self.read_bits(8, n - 8) } else { 0 };
                [low, high]
            }
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
    pub fn copy_from(&self, offset: usize, src: CMem<'_>) {
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

    /// Whether both spans hold the same bytes (no allocation).
    pub fn bytes_eq(&self, other: CMem<'_>) -> bool {
        self.len == other.len && (0..self.len).all(|i| self.read::<u8>(i) == other.read::<u8>(i))
    }

    pub fn to_vec(&self) -> Vec<u8> {
        (0..self.len).map(|i| self.read::<u8>(i)).collect()
    }
}

/// Reads a NUL-terminated C string, copying it. None for NULL.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string readable up to its NUL (a
/// `const char *` a raylib function just returned, before any other call into raylib).
pub unsafe fn c_string_at(ptr: *const c_void) -> Option<Vec<u8>> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: non-NULL, NUL-terminated and readable (caller's contract); copied at once.
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
