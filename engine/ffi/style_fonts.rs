//! The font check for raygui's text styles: `GuiLoadStyle` loads the TrueType font a style
//! names (`f <size> <charmap> <font file>`) with raylib's `LoadFontEx`, out of lunaray's reach.
//! raygui (patched in build.rs `RAYGUI_PATCHES`) asks `lunarayStyleFontCheck` first, which
//! [`install`] points at [`check`]: the same `marshal::font_check` as the font loaders'
//! (sandboxed games: only for a file the sandbox lets raylib read). Until it is installed, or
//! in a library without the hook, raygui keeps its default font for every such style.

use std::ffi::{c_char, c_int, CStr};

use super::library::Library;

type Check = unsafe extern "C" fn(*const c_char, c_int, *const c_int, c_int) -> bool;
type SetCheck = unsafe extern "C" fn(Option<Check>);

/// Points raygui's style font check at [`check`]; false if the library has no such hook.
pub fn install(lib: &Library) -> bool {
    let Some(set) = lib.function("LunaraySetStyleFontCheck") else {
        return false;
    };
    // SAFETY: engine/ffi/raygui.c defines `void LunaraySetStyleFontCheck(bool (*)(const char *,
    // int, const int *, int))`; `check` has that type and lives for the process.
    unsafe {
        let set: SetCheck = std::mem::transmute(set.addr());
        set(Some(check));
    }
    true
}

/// Whether raygui may load the font at `file_name` with these arguments (its `LoadFontEx`
/// call's).
unsafe extern "C" fn check(
    file_name: *const c_char,
    size: c_int,
    codepoints: *const c_int,
    count: c_int,
) -> bool {
    use crate::marshal::font_check::{self, Codepoints, Request};
    use crate::registry::font_loaders::{extension, is_truetype, DEFAULT_COUNT};
    let result = std::panic::catch_unwind(|| {
        if file_name.is_null() {
            return false;
        }
        // SAFETY: raygui passes the NUL-terminated path it built, valid for the call.
        let path = unsafe { CStr::from_ptr(file_name) }.to_bytes();
        if !is_truetype(extension(path)) {
            // Not stb's to parse: raylib loads no TrueType font from it.
            return true;
        }
        if !super::file_hooks::allows(path) {
            return false;
        }
        use std::os::unix::ffi::OsStrExt;
        let Ok(bytes) = std::fs::read(std::ffi::OsStr::from_bytes(path)) else {
            return false;
        };
        let list: &[c_int] = if codepoints.is_null() || count <= 0 {
            &[]
        } else {
            // SAFETY: raygui passes the array `LoadCodepoints` returned with its count.
            unsafe { std::slice::from_raw_parts(codepoints, count as usize) }
        };
        let req = Request {
            size,
            codepoints: if list.is_empty() {
                Codepoints::From32(DEFAULT_COUNT)
            } else {
                Codepoints::List(list)
            },
            kind: 0,
            atlas: true,
        };
        match font_check::check(&bytes, &req) {
            Ok(()) => true,
            Err(why) => {
                eprintln!(
                    "WARNING: GuiLoadStyle: not loading '{}': not a font stb_truetype can read \
                     safely: {why}",
                    String::from_utf8_lossy(path)
                );
                false
            }
        }
    });
    result.unwrap_or(false)
}
