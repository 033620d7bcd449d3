//! raylib's own file reads, under the sandbox: raylib's loaders read files that other files
//! name (a glTF model's buffers and images, an OBJ model's textures) through its
//! `LoadFileData` and `LoadFileText`, which `SetLoadFileDataCallback` and
//! `SetLoadFileTextCallback` can take over. These callbacks check each path with the
//! sandbox's rule before reading it, so a model cannot name `/etc/passwd` for a texture.
//! Memory they return comes from raylib's `MemAlloc`, since raylib frees it (`UnloadFileData`,
//! `UnloadFileText`: `RL_FREE`).

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_uchar, c_uint, c_void, CStr};
use std::sync::OnceLock;

use super::library::Library;

type Check = Box<dyn Fn(&[u8]) -> Result<(), String>>;
type MemAlloc = unsafe extern "C" fn(c_uint) -> *mut c_void;

thread_local! {
    /// The sandbox's check, on the thread that runs the game (raylib loads on the calling
    /// thread); on any other thread every read is refused.
    static CHECK: RefCell<Option<Check>> = const { RefCell::new(None) };
}

/// raylib's `MemAlloc` (`RL_CALLOC`), set once by [`install`].
static MEM_ALLOC: OnceLock<MemAlloc> = OnceLock::new();

/// Routes raylib's `LoadFileData`/`LoadFileText` through `check` (on this thread) from now
/// on. Returns false if the library lacks the functions needed (then nothing changed).
pub fn install(lib: &Library, check: impl Fn(&[u8]) -> Result<(), String> + 'static) -> bool {
    let (Some(alloc), Some(set_data), Some(set_text)) = (
        lib.function("MemAlloc"),
        lib.function("SetLoadFileDataCallback"),
        lib.function("SetLoadFileTextCallback"),
    ) else {
        return false;
    };
    // SAFETY: raylib.h declares `void *MemAlloc(unsigned int size)`; the library stays
    // loaded for the process (the bindings hold it).
    let alloc: MemAlloc = unsafe { std::mem::transmute(alloc.addr()) };
    if *MEM_ALLOC.get_or_init(|| alloc) as usize != alloc as usize {
        // A second library: its memory must come from its own allocator.
        return false;
    }
    CHECK.with(|c| *c.borrow_mut() = Some(Box::new(check)));
    type SetData = unsafe extern "C" fn(
        Option<unsafe extern "C" fn(*const c_char, *mut c_int) -> *mut c_uchar>,
    );
    type SetText = unsafe extern "C" fn(Option<unsafe extern "C" fn(*const c_char) -> *mut c_char>);
    // SAFETY: raylib.h declares `void SetLoadFileDataCallback(LoadFileDataCallback)` with
    // `unsigned char *(*)(const char *fileName, int *dataSize)` and
    // `void SetLoadFileTextCallback(LoadFileTextCallback)` with `char *(*)(const char *)`;
    // the callbacks below have those types and live for the process.
    unsafe {
        let f: SetData = std::mem::transmute(set_data.addr());
        f(Some(load_data));
        let f: SetText = std::mem::transmute(set_text.addr());
        f(Some(load_text));
    }
    true
}

/// Whether the sandbox's check (if one is installed on this thread) lets raylib read `path`.
pub fn allows(path: &[u8]) -> bool {
    CHECK
        .try_with(|c| match c.try_borrow().as_deref() {
            Ok(Some(check)) => check(path).is_ok(),
            Ok(None) => true,
            Err(_) => false,
        })
        .unwrap_or(false)
}

/// The file's bytes if the check lets it through, else None (with a warning on stderr).
fn read_checked(path: &[u8]) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    let verdict = CHECK
        .try_with(|c| match c.try_borrow().as_deref() {
            Ok(Some(check)) => check(path),
            _ => Err("not on the game's thread".into()),
        })
        .unwrap_or_else(|_| Err("not on the game's thread".into()));
    if let Err(why) = verdict {
        eprintln!(
            "WARNING: the sandbox refused raylib's read of '{}': {why}",
            String::from_utf8_lossy(path)
        );
        return None;
    }
    std::fs::read(std::ffi::OsStr::from_bytes(path)).ok()
}

/// `size` bytes from raylib's allocator with `bytes` copied in (the rest zeroed), or NULL.
fn raylib_copy(bytes: &[u8], size: usize) -> *mut c_void {
    let (Some(alloc), Ok(n)) = (MEM_ALLOC.get(), c_uint::try_from(size)) else {
        return std::ptr::null_mut();
    };
    // SAFETY: `MemAlloc` is raylib's `calloc` wrapper: it returns `n` zeroed bytes or NULL.
    let p = unsafe { alloc(n) };
    if !p.is_null() {
        // SAFETY: `p` holds `n` ≥ `bytes.len()` bytes (callers ask for at least that many)
        // and is fresh, so it cannot overlap `bytes`.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), p.cast::<u8>(), bytes.len()) };
    }
    p
}

unsafe extern "C" fn load_data(file_name: *const c_char, size: *mut c_int) -> *mut c_uchar {
    let result = std::panic::catch_unwind(|| {
        if !size.is_null() {
            // SAFETY: raylib passes its `int *dataSize`, valid for the call.
            unsafe { *size = 0 };
        }
        if file_name.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: raylib passes the NUL-terminated path it was given, valid for the call.
        let path = unsafe { CStr::from_ptr(file_name) }.to_bytes();
        let Some(bytes) = read_checked(path) else {
            return std::ptr::null_mut();
        };
        let Ok(len) = c_int::try_from(bytes.len()) else {
            return std::ptr::null_mut();
        };
        if len == 0 {
            return std::ptr::null_mut();
        }
        let p = raylib_copy(&bytes, bytes.len());
        if !p.is_null() && !size.is_null() {
            // SAFETY: as above.
            unsafe { *size = len };
        }
        p.cast::<c_uchar>()
    });
    result.unwrap_or(std::ptr::null_mut())
}

unsafe extern "C" fn load_text(file_name: *const c_char) -> *mut c_char {
    let result = std::panic::catch_unwind(|| {
        if file_name.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: raylib passes the NUL-terminated path it was given, valid for the call.
        let path = unsafe { CStr::from_ptr(file_name) }.to_bytes();
        match read_checked(path) {
            // One byte more, zeroed: the text's NUL.
            Some(bytes) => raylib_copy(&bytes, bytes.len() + 1).cast::<c_char>(),
            None => std::ptr::null_mut(),
        }
    });
    result.unwrap_or(std::ptr::null_mut())
}
