//! Builds the two raylib shared libraries lunaray loads at run time, from the raylib-sys 6.0.0
//! crate's C sources (../shared/FACTS.md records why it is done this way):
//!
//! - windowed (GLFW/X11 + OpenGL): raylib-sys's own static `WITH_PIC` build, relinked as a
//!   shared library (its `BUILD_SHARED_LIBS` feature is broken);
//! - headless (`PLATFORM=Memory`, the rlsw software renderer): the same source tree built again
//!   with the `cmake` crate, since one cargo graph gets one raylib-sys platform, from a copy
//!   with the software renderer's crash fixes applied (`RLSW_PATCHES`).
//!
//! It also compiles the one C file of lunaray's own (engine/ffi/trace_log.c, raylib's log
//! callback), hands the headers to the registry (`LUNARAY_RAYLIB_INCLUDE`) and the library paths to
//! the loader (`LUNARAY_LIB_WINDOWED`, `LUNARAY_LIB_HEADLESS`), and copies both libraries next to
//! the binary (`target/<profile>/raylib/<backend>/libraylib.so`).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // raylib's log callback takes a va_list: formatted in C (engine/ffi/trace_log.rs).
    println!("cargo:rerun-if-changed=engine/ffi/trace_log.c");
    cc::Build::new()
        .file("engine/ffi/trace_log.c")
        .warnings(true)
        .compile("lunaray_trace_log");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let include = PathBuf::from(env::var("DEP_RAYLIB_INCLUDE").expect(
        "raylib-sys did not report its include directory (DEP_RAYLIB_INCLUDE); \
         is it a direct dependency?",
    ));
    let sys_out = include
        .parent()
        .expect("include dir has a parent")
        .to_path_buf();

    let windowed_static = find_static_lib(&sys_out);
    let windowed = out_dir.join("windowed").join("libraylib.so");
    relink_shared(&windowed_static, &windowed, &["-lX11"]);

    let source = patched_source(&raylib_source_dir(&sys_out), &out_dir);
    let headless_static = build_headless(&source, &out_dir);
    let headless = out_dir.join("headless").join("libraylib.so");
    relink_shared(&headless_static, &headless, &[]);

    copy_next_to_binary(&out_dir, &windowed, "windowed");
    copy_next_to_binary(&out_dir, &headless, "headless");

    // The benchmark scenes' native C floors, linked against each backend's library.
    let native_dir = out_dir.join("native");
    for (backend, lib) in [("headless", &headless), ("windowed", &windowed)] {
        let dir = native_dir.join(backend);
        build_native_floors(&include, lib, &dir);
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            copy_next_to_binary(&out_dir, &entry.path(), backend);
        }
    }
    println!(
        "cargo:rustc-env=LUNARAY_NATIVE_DIR={}",
        native_dir.display()
    );

    println!(
        "cargo:rustc-env=LUNARAY_RAYLIB_INCLUDE={}",
        include.display()
    );
    println!(
        "cargo:rustc-env=LUNARAY_LIB_WINDOWED={}",
        windowed.display()
    );
    println!(
        "cargo:rustc-env=LUNARAY_LIB_HEADLESS={}",
        headless.display()
    );
}

/// cmake puts the archive in lib/, lib64/ or lib32/ depending on the system.
fn find_static_lib(prefix: &Path) -> PathBuf {
    ["lib", "lib64", "lib32"]
        .iter()
        .map(|dir| prefix.join(dir).join("libraylib.a"))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no libraylib.a under {}", prefix.display()))
}

/// raylib-sys's CMake cache records where its copy of raylib's sources lives.
fn raylib_source_dir(sys_out: &Path) -> PathBuf {
    let cache = sys_out.join("build").join("CMakeCache.txt");
    let text = fs::read_to_string(&cache)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", cache.display()));
    let src = text
        .lines()
        .find_map(|l| l.strip_prefix("raylib_SOURCE_DIR:STATIC="))
        .unwrap_or_else(|| panic!("raylib_SOURCE_DIR missing from {}", cache.display()));
    // raylib_SOURCE_DIR is raylib/src's parent project dir or src itself; we want the top.
    let src = PathBuf::from(src.trim());
    if src.join("CMakeLists.txt").exists() && src.join("src").exists() {
        src
    } else {
        src.parent().expect("source dir has a parent").to_path_buf()
    }
}

/// Fixes to the software renderer (rlsw, the headless backend only) for crashes `lunaray
/// fuzz` found in raylib 6.0's own code, where no argument check in lunaray can prevent them:
/// file, the exact text replaced, its replacement, and why. A replacement whose text is not
/// found fails the build, so a raylib upgrade re-examines every one.
const RLSW_PATCHES: &[(&str, &str, &str, &str)] = &[
    (
        "src/external/rlsw.h",
        "#define SW_SUPPORT_LOG_INFO\n",
        "\n",
        "its one INFO line went to stdout with printf, outside raylib's log callback, into a \
         game's output (and after `lunaray bench --json`'s JSON, when C flushed at exit)",
    ),
    (
        "src/external/rlsw.h",
        "if (RLSW.stackProjectionCounter <= 0)",
        "if (RLSW.stackProjectionCounter <= 1)",
        "the stack's base matrix is element 0 (counter 1): popping it pointed the current \
         matrix at element -1 (rlPopMatrix or EndMode3D with nothing pushed)",
    ),
    (
        "src/external/rlsw.h",
        "if (RLSW.stackModelviewCounter <= 0)",
        "if (RLSW.stackModelviewCounter <= 1)",
        "as above, for the modelview stack",
    ),
    (
        "src/external/rlsw.h",
        "if (RLSW.stackTextureCounter <= 0)",
        "if (RLSW.stackTextureCounter <= 1)",
        "as above, for the texture stack",
    ),
    (
        "src/external/rlsw.h",
        "if ((int)handle >= pool->capacity) return NULL;",
        "if (handle >= (sw_handle_t)pool->capacity) return NULL;",
        "a handle of 2^31 or more became negative and passed the bound (rlSetTexture(2^31), \
         rlBindFramebuffer(..., 2^31)): an index far outside the pool",
    ),
    (
        "src/external/rlsw.h",
        "    if (v < min) return min;\n    if (v > max) return max;\n    return v;",
        "    if (!(v >= min)) return min;\n    if (v > max) return max;\n    return v;",
        "NaN passed the clamp (and became INT_MIN as an int): a line with a NaN end wrote \
         outside the framebuffer",
    ),
    (
        "src/external/rlsw.h",
        "            sw_project_ndc_to_screen(v->position);\n        }",
        "            sw_project_ndc_to_screen(v->position);\n            \
         if (!(v->position[0] >= 0.0f)) v->position[0] = 0.0f;\n            \
         if (!(v->position[0] <= RLSW.colorBuffer->width + 0.5f)) v->position[0] = RLSW.colorBuffer->width + 0.5f;\n            \
         if (!(v->position[1] >= 0.0f)) v->position[1] = 0.0f;\n            \
         if (!(v->position[1] <= RLSW.colorBuffer->height + 0.5f)) v->position[1] = RLSW.colorBuffer->height + 0.5f;\n        }",
        "triangles and quads are clipped in clip space, then mapped by the viewport, which may be \
         larger than the framebuffer (rlViewport), and non-finite coordinates pass the clipper: \
         their vertices are kept on the framebuffer (where clipped ones already are), NaN at 0",
    ),
    (
        "src/external/rlsw.h",
        "    return (tex != NULL) && (tex->pixels != NULL);\n}\n",
        "    return (tex != NULL) && (tex->pixels != NULL);\n}\n\n\
         // lunaray: draw, clear and read only through complete attachments of the framebuffer's\n\
         // formats and sizes; otherwise the default framebuffer (and no depth buffer).\n\
         static void sw_framebuffer_sanitize(void)\n{\n    \
         if (!sw_is_texture_complete(RLSW.colorBuffer) || (RLSW.colorBuffer->format != SW_FRAMEBUFFER_COLOR_FORMAT)) \
         { RLSW.colorBuffer = &RLSW.framebuffer.color; RLSW.depthBuffer = &RLSW.framebuffer.depth; }\n    \
         if ((RLSW.depthBuffer != NULL) && ((RLSW.depthBuffer->format != SW_FRAMEBUFFER_DEPTH_FORMAT) || \
         (RLSW.depthBuffer->width != RLSW.colorBuffer->width) || (RLSW.depthBuffer->height != RLSW.colorBuffer->height))) \
         RLSW.depthBuffer = NULL;\n}\n",
        "a framebuffer whose colour texture was unloaded, never attached, or of another format or \
         size left the rasterizer writing through NULL or past a smaller texture (UnloadTexture \
         of a render texture's copy, rlFramebufferAttach of any texture)",
    ),
    (
        "src/external/rlsw.h",
        "    uint32_t state = RLSW.userState;",
        "    sw_framebuffer_sanitize();\n    uint32_t state = RLSW.userState;",
        "every primitive is drawn through a sanitized framebuffer",
    ),
    (
        "src/external/rlsw.h",
        "    if (w > RLSW.colorBuffer->width) w = RLSW.colorBuffer->width;",
        "    sw_framebuffer_sanitize();\n    if (w > RLSW.colorBuffer->width) w = RLSW.colorBuffer->width;",
        "reading pixels too (rlReadScreenPixels, LoadImageFromScreen)",
    ),
    (
        "src/external/rlsw.h",
        "    if (wSrc > RLSW.colorBuffer->width) wSrc = RLSW.colorBuffer->width;",
        "    sw_framebuffer_sanitize();\n    if (wSrc > RLSW.colorBuffer->width) wSrc = RLSW.colorBuffer->width;",
        "blitting too",
    ),
    (
        "src/external/rlsw.h",
        "    if ((bitmask & (SW_COLOR_BUFFER_BIT)) && (RLSW.colorBuffer != NULL)",
        "    sw_framebuffer_sanitize();\n    if ((bitmask & (SW_COLOR_BUFFER_BIT)) && (RLSW.colorBuffer != NULL)",
        "clearing too",
    ),
    (
        "src/external/rlsw.h",
        "    int offset = y*RLSW.colorBuffer->width + x;\n",
        "    if ((x < 0) || (y < 0) || (x >= RLSW.colorBuffer->width) || (y >= RLSW.colorBuffer->height)) return;\n    \
         int offset = y*RLSW.colorBuffer->width + x;\n",
        "a point's square is not clipped to the framebuffer: a point near its edge (or any, with \
         rlSetPointSize) wrote outside it",
    ),
    (
        "src/external/rlsw.h",
        "        int px = x;\n        int py = y;\n",
        "        int px = x;\n        int py = y;\n        \
         if ((px < 0) || (py < 0) || (px >= fbWidth) || (py >= RLSW.colorBuffer->height)) goto discard;\n",
        "thick lines (rlSetLineWidth) are drawn as lines shifted sideways, past the clipped ends: \
         their pixels wrote outside the framebuffer",
    ),
];

/// A copy of raylib's source tree with [`RLSW_PATCHES`] applied, for the headless build.
fn patched_source(source: &Path, out_dir: &Path) -> PathBuf {
    let dst = out_dir.join("raylib-patched");
    let _ = fs::remove_dir_all(&dst);
    copy_tree(source, &dst);
    for (file, from, to, why) in RLSW_PATCHES {
        let path = dst.join(file);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        assert!(
            text.contains(from),
            "{file}: `{from}` not found: re-examine this patch for the new raylib ({why})"
        );
        fs::write(&path, text.replace(from, to))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    dst
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
        }
    }
}

fn build_headless(source: &Path, out_dir: &Path) -> PathBuf {
    let dst = cmake::Config::new(source)
        .out_dir(out_dir.join("headless-build"))
        .profile("Release")
        .define("PLATFORM", "Memory")
        .define("BUILD_EXAMPLES", "OFF")
        .define("WITH_PIC", "ON")
        .define("BUILD_SHARED_LIBS", "OFF")
        // raylib's config.h defaults: every module and the usual file formats.
        .define("CUSTOMIZE_BUILD", "OFF")
        .build();
    find_static_lib(&dst)
}

fn relink_shared(archive: &Path, output: &Path, extra: &[&str]) {
    fs::create_dir_all(output.parent().expect("output has a parent")).expect("mkdir");
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let status = Command::new(&cc)
        .arg("-shared")
        .arg("-o")
        .arg(output)
        .arg("-Wl,--whole-archive")
        .arg(archive)
        .arg("-Wl,--no-whole-archive")
        .args(extra)
        .args(["-lm", "-lpthread", "-ldl"])
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cc}: {e}"));
    assert!(status.success(), "linking {} failed", output.display());
}

/// Compiles each `scripts/bench/native/<scene>.c` into `<scene>_c`, linked against `lib`
/// with an rpath to it, so the scene benchmark can run the C floor of the same scene.
fn build_native_floors(include: &Path, lib: &Path, dest: &Path) {
    let src_dir = Path::new("scripts/bench/native");
    println!("cargo:rerun-if-changed={}", src_dir.display());
    fs::create_dir_all(dest).expect("mkdir native");
    let lib_dir = lib.parent().expect("library has a folder");
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    for entry in fs::read_dir(src_dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("c") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path.file_stem().expect("file name").to_string_lossy();
        let output = dest.join(format!("{stem}_c"));
        let status = Command::new(&cc)
            .args(["-O2", "-std=c99"])
            .arg("-I")
            .arg(include)
            .arg(&path)
            .arg("-o")
            .arg(&output)
            .arg("-L")
            .arg(lib_dir)
            .args(["-lraylib", "-lm"])
            // Beside itself first (lunaray bench extracts a floor next to the raylib copy it
            // extracted), then the build's library.
            .arg("-Wl,-rpath,$ORIGIN")
            .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
            .status()
            .unwrap_or_else(|e| panic!("cannot run {cc}: {e}"));
        assert!(status.success(), "compiling {} failed", path.display());
    }
}

/// OUT_DIR is `target/<profile>/build/<pkg>-<hash>/out`; the binary lives in `target/<profile>`.
fn copy_next_to_binary(out_dir: &Path, file: &Path, backend: &str) {
    let Some(profile_dir) = out_dir.ancestors().nth(3) else {
        return;
    };
    let dest_dir = profile_dir.join("raylib").join(backend);
    if let (Ok(()), Some(name)) = (fs::create_dir_all(&dest_dir), file.file_name()) {
        let _ = fs::copy(file, dest_dir.join(name));
    }
}
