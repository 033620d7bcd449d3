//! raylib's log, routed to Rust: `SetTraceLogCallback` gets the C shim in `trace_log.c`, which
//! formats raylib's printf-style message and passes the text to [`sink`], which hands it to the
//! handler installed on this thread ([`set_handler`]).
//!
//! Contract: the handler runs on the thread that installed it, never re-entered (a message
//! logged while the handler runs, or from another thread such as raylib's audio thread, is
//! printed on stderr as raylib would print it), and a panic in it never reaches C.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void, CStr};

use crate::ffi::library::Library;

extern "C" {
    fn lunaray_set_log_sink(sink: Option<unsafe extern "C" fn(c_int, *const c_char)>);
    fn lunaray_trace_log_callback(level: c_int, format: *const c_char, args: *mut c_void);
}

type Handler = Box<dyn Fn(i32, &str)>;

thread_local! {
    static HANDLER: RefCell<Option<Handler>> = const { RefCell::new(None) };
}

/// raylib's own rendering of a message, for when no handler can take it.
pub fn level_name(level: i32) -> &'static str {
    match level {
        1 => "TRACE",
        2 => "DEBUG",
        3 => "INFO",
        4 => "WARNING",
        5 => "ERROR",
        6 => "FATAL",
        _ => "LOG",
    }
}

/// Called by the C shim with each finished message.
///
/// # Safety
/// `text` is NULL or a NUL-terminated string valid for the call (the shim's stack buffer).
unsafe extern "C" fn sink(level: c_int, text: *const c_char) {
    if text.is_null() {
        return;
    }
    // SAFETY: non-null, NUL-terminated and alive for this call (the function's contract).
    let text = unsafe { CStr::from_ptr(text) }.to_string_lossy();
    let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        HANDLER
            .try_with(|h| match h.try_borrow() {
                Ok(h) => match h.as_ref() {
                    Some(handler) => {
                        handler(level, &text);
                        true
                    }
                    None => false,
                },
                // A message logged by the handler itself.
                Err(_) => false,
            })
            .unwrap_or(false)
    }));
    if !matches!(handled, Ok(true)) {
        eprintln!("{}: {text}", level_name(level));
    }
}

/// Sends raylib's log to `handler` on this thread, from now on.
pub fn set_handler(handler: impl Fn(i32, &str) + 'static) {
    HANDLER.with(|h| *h.borrow_mut() = Some(Box::new(handler)));
}

/// Points raylib's `SetTraceLogCallback` at the shim. Returns false when the library does
/// not export it (then raylib keeps printing its log itself).
pub fn install(lib: &Library) -> bool {
    let Some(set_callback) = lib.function("SetTraceLogCallback") else {
        return false;
    };
    type SetCallback =
        unsafe extern "C" fn(Option<unsafe extern "C" fn(c_int, *const c_char, *mut c_void)>);
    // SAFETY: `lunaray_set_log_sink` only stores the pointer; `sink` matches the sink type
    // the shim declares (`void (*)(int, const char *)`).
    unsafe { lunaray_set_log_sink(Some(sink)) };
    // SAFETY: raylib.h declares `void SetTraceLogCallback(TraceLogCallback callback)`, with
    // `TraceLogCallback` = `void (*)(int, const char *, va_list)`; a `va_list` parameter is
    // passed as a pointer on the targets lunaray supports (x86-64 System V: an array that
    // decays to a pointer; AAPCS64: a 32-byte struct, passed by reference), and the shim takes
    // it as the C `va_list` it is. The shim stays valid for the process (linked in).
    unsafe {
        let f: SetCallback = std::mem::transmute(set_callback.addr());
        f(Some(lunaray_trace_log_callback));
    }
    true
}

/// raylib's `SetTraceLogLevel`, which filters messages before the callback sees them.
pub fn set_raylib_level(lib: &Library, level: i32) {
    if let Some(f) = lib.function("SetTraceLogLevel") {
        // SAFETY: raylib.h declares `void SetTraceLogLevel(int logLevel)`; any int is accepted
        // (raylib compares it with the message levels).
        unsafe {
            let f: unsafe extern "C" fn(c_int) = std::mem::transmute(f.addr());
            f(level);
        }
    }
}

/// Drops this thread's handler; messages are printed on stderr as raylib would print them.
pub fn clear_handler() {
    let _ = HANDLER.try_with(|h| {
        if let Ok(mut h) = h.try_borrow_mut() {
            *h = None;
        }
    });
}
