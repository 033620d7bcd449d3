//! `lunaray run --ffi`: LuaJIT's own ffi library for scripts written against it, off by
//! default; on Lua 5.4 the flag is refused with a reason.

mod common;

use common::Game;

const SCRIPT: &str = r#"
local ok, ffi = pcall(require, "ffi")
if not ok then print("no ffi") return end
ffi.cdef("typedef struct { float x, y; } Particle;")
local ps = ffi.new("Particle[?]", 3)
for i = 0, 2 do ps[i].x, ps[i].y = i, i * 2 end
print("ffi", ps[2].x + ps[2].y)
-- lunaray's own values are unchanged beside it.
print("rl", rl.Vector2Add({1, 2}, {3, 4}).x == 4)
"#;

#[test]
fn ffi_is_off_by_default() {
    let out = Game::new(SCRIPT).run_ok(&[]);
    assert_eq!(common::script_lines(&out), ["no ffi"]);
}

#[cfg(feature = "luajit")]
#[test]
fn ffi_flag_gives_luajit_ffi() {
    let out = Game::new(SCRIPT).run_ok(&["--ffi"]);
    assert_eq!(common::script_lines(&out), ["ffi\t6", "rl\ttrue"]);
}

#[cfg(not(feature = "luajit"))]
#[test]
fn ffi_flag_needs_luajit() {
    let out = Game::new(SCRIPT).run(&["--ffi"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--ffi needs the LuaJIT build of lunaray"),
        "{err}"
    );
}
