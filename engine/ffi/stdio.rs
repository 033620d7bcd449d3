//! Keeping C's stray `printf`s off the game's stdout. raylib sends its log through the trace
//! log callback (trace_log.rs), but its software renderer prints one line of its own with
//! `printf` when the window opens, which would land in the middle of a game's output (and
//! after `lunaray bench --json`'s JSON, since C flushes its buffer at exit).

/// Runs `f` with file descriptor 1 pointed at /dev/null; C's and Rust's buffered output is
/// flushed before and after, so nothing written before or after `f` is lost or reordered.
/// If the descriptors cannot be juggled, `f` runs with stdout as it was.
pub fn without_stdout<R>(f: impl FnOnce() -> R) -> R {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    // SAFETY: `fflush(NULL)` flushes every C stream; `dup` only creates a descriptor.
    let saved = unsafe {
        libc::fflush(std::ptr::null_mut());
        libc::dup(1)
    };
    if saved < 0 {
        return f();
    }
    // SAFETY: opening /dev/null and pointing descriptor 1 at it; the new descriptor is
    // closed right after (1 keeps the file open).
    let redirected = unsafe {
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        let ok = null >= 0 && libc::dup2(null, 1) >= 0;
        if null >= 0 {
            libc::close(null);
        }
        ok
    };
    let r = f();
    // SAFETY: flushes what C buffered while 1 was /dev/null (so it goes there), then puts the
    // saved descriptor back as 1 and closes the copy.
    unsafe {
        libc::fflush(std::ptr::null_mut());
        if redirected {
            libc::dup2(saved, 1);
        }
        libc::close(saved);
    }
    r
}
