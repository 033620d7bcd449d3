//! Builds the two raylib shared libraries lunaray loads at run time, from the raylib-sys 6.0.0
//! crate's C sources (../shared/FACTS.md records why it is done this way):
//!
//! - windowed (GLFW/X11 + OpenGL): raylib-sys's own static `WITH_PIC` build, relinked as a
//!   shared library (its `BUILD_SHARED_LIBS` feature is broken);
//! - headless (`PLATFORM=Memory`, the rlsw software renderer): the same source tree built again
//!   with the `cmake` crate, since one cargo graph gets one raylib-sys platform.
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

    let source = raylib_source_dir(&sys_out);
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
