//! The benchmark scenes: each runs headless in every call path and writes a well-formed
//! report; the native C floors draw the same pictures as the Lua scenes for the same seed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{lunaray, Pixels};
use lunaray::bench::scenes::{native_program, scenes_dir, SCENES};

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("lunaray-scenes-{}-{name}", std::process::id()))
}

fn scene_path(name: &str) -> PathBuf {
    scenes_dir().join(format!("{name}.lua"))
}

#[test]
fn every_scene_runs_in_every_mode_and_reports() {
    // LuaJIT builds add the jit mode and the luajit-ffi peer (which needs --ffi).
    let mut paths = vec![
        ("planned", "frame"),
        ("planned", "heap"),
        ("naive", "frame"),
        ("naive", "heap"),
    ];
    if cfg!(feature = "luajit") {
        paths.extend([("jit", "frame"), ("luajit-ffi", "frame")]);
    }
    for scene in SCENES {
        for &(marshal, arena) in &paths {
            {
                let report = tmp(&format!("{}-{marshal}-{arena}.json", scene.name));
                let script = scene_path(scene.name);
                let mut args = vec![
                    "run",
                    script.to_str().unwrap(),
                    "--headless",
                    "--uncapped",
                    "--frames",
                    "4",
                    "--marshal",
                    marshal,
                    "--arena",
                    arena,
                    "--report",
                    report.to_str().unwrap(),
                ];
                if marshal == "luajit-ffi" {
                    args.push("--ffi");
                }
                args.extend(["--", "load=40", "seed=3"]);
                let out = lunaray(&args);
                assert!(
                    out.status.success(),
                    "{} ({marshal}/{arena}) failed:\n{}",
                    scene.name,
                    String::from_utf8_lossy(&out.stderr)
                );
                let text = std::fs::read_to_string(&report).unwrap();
                let _ = std::fs::remove_file(&report);
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["scene"], scene.name, "{text}");
                assert_eq!(v["backend"], "headless");
                assert_eq!(v["frames"], 4);
                assert_eq!(v["marshal"], marshal);
                assert_eq!(v["arena"], arena);
                assert!(v["lua"].as_str().unwrap().contains("Lua"), "{text}");
                for key in [
                    "fps_mean",
                    "frame_ms_median",
                    "frame_ms_p95",
                    "ffi_calls_per_frame",
                    "ffi_ns_per_call",
                    "arena_peak_bytes",
                ] {
                    let x = v[key].as_f64().unwrap_or(-1.0);
                    assert!(x.is_finite() && x >= 0.0, "{key} = {} in {text}", v[key]);
                }
                assert!(v["fps_mean"].as_f64().unwrap() > 0.0);
                // The peer's calls go through LuaJIT's FFI: lunaray counts none of them.
                if marshal != "luajit-ffi" {
                    assert!(v["ffi_calls_per_frame"].as_f64().unwrap() >= 10.0, "{text}");
                }
            }
        }
    }
}

/// The same seed, load and fixed frame time: the Lua scene and its C floor draw the same
/// frame, pixel for pixel.
fn same_picture(scene: &str, native: &str, load: &str) {
    same_picture_in(scene, native, load, &[])
}

/// [`same_picture`] with the Lua scene run with `flags` besides.
fn same_picture_in(scene: &str, native: &str, load: &str, flags: &[&str]) {
    let program = native_program(native).expect("build.rs builds the native floors");
    let c_png = tmp(&format!("{scene}-c.png"));
    let lua_png = tmp(&format!("{scene}-lua.png"));
    let out = Command::new(&program)
        .args([
            "--frames", "5", "--load", load, "--seed", "7", "--dt", "0.016666",
        ])
        .arg("--software")
        .arg("--screenshot")
        .arg(&c_png)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let scene_file = scene_path(scene);
    let load_arg = format!("load={load}");
    let mut args = vec![
        "run",
        scene_file.to_str().unwrap(),
        "--headless",
        "--frames",
        "5",
        "--screenshot",
        lua_png.to_str().unwrap(),
    ];
    args.extend_from_slice(flags);
    args.extend(["--", &load_arg, "seed=7", "dt=0.016666"]);
    let out = lunaray(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (c, l) = (Pixels::load(&c_png), Pixels::load(&lua_png));
    let _ = (std::fs::remove_file(&c_png), std::fs::remove_file(&lua_png));
    assert_eq!((c.width, c.height), (l.width, l.height));
    assert!(
        c.distinct_colors() > 4,
        "the C floor drew a nearly empty frame"
    );
    let differing = c
        .rgba
        .chunks_exact(4)
        .zip(l.rgba.chunks_exact(4))
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(
        differing, 0,
        "{scene}: {differing} pixels differ between C and Lua"
    );
}

/// The peer calls raylib through LuaJIT's own FFI with its own struct values: the same
/// frame as C, so its FPS are for the same work.
#[cfg(feature = "luajit")]
#[test]
fn structstorm_and_bunnymark_in_the_luajit_ffi_peer_draw_the_c_frame() {
    let peer = ["--ffi", "--marshal", "luajit-ffi"];
    same_picture_in("structstorm", "structstorm_c", "300", &peer);
    same_picture_in("bunnymark", "bunnymark_c", "300", &peer);
}

#[test]
fn bunnymark_in_c_and_lua_draw_the_same_frame() {
    same_picture("bunnymark", "bunnymark_c", "300");
}

#[test]
fn structstorm_in_c_and_lua_draw_the_same_frame() {
    same_picture("structstorm", "structstorm_c", "500");
}

#[test]
fn scenes_exist_where_the_bench_looks() {
    for scene in SCENES {
        assert!(
            Path::new(&scene_path(scene.name)).is_file(),
            "{}",
            scene.name
        );
    }
}

/// `lunaray bench --scenes` runs the copies carried in the binary, from any folder: unpacked
/// into an empty folder, every scene runs there and bunnymark finds its texture; the C
/// floors extracted next to the extracted raylib run too (no checkout paths involved).
#[test]
fn the_bench_runs_its_own_copies_from_an_empty_folder() {
    let root = tmp("unpacked");
    let _ = std::fs::remove_dir_all(&root);
    let scenes = lunaray::bench::scene_files::unpack(&root).unwrap();
    for scene in SCENES {
        let out = Command::new(env!("CARGO_BIN_EXE_lunaray"))
            .arg("run")
            .arg(scenes.join(format!("{}.lua", scene.name)))
            .args(["--headless", "--frames", "2", "--", "load=20"])
            .current_dir(std::env::temp_dir())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            scene.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let Some(native) = scene.native else { continue };
        // The floor carried in the binary, extracted beside the extracted raylib (the cache),
        // runs there.
        let floor = lunaray::bench::scene_files::extract_native(
            native,
            lunaray::runtime::libraries::Backend::Headless,
        )
        .unwrap();
        assert!(floor.parent().unwrap().join("libraylib.so").is_file());
        let out = Command::new(&floor)
            .args(["--frames", "2", "--load", "20"])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{native}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_scene_chart_is_an_svg_with_a_bar_per_path_and_the_c_floor() {
    use lunaray::bench::scenes::{svg, SceneResult};
    let result = |scene: &str, mode: &str, fps: f64| SceneResult {
        scene: scene.into(),
        mode: mode.into(),
        report: serde_json::json!({ "fps_mean": fps }),
    };
    let results = [
        result("bunnymark", "planned", 120.0),
        result("bunnymark", "naive-heap", 40.0),
        result("bunnymark", "c", 200.0),
        result("text", "planned", 300.0),
        result("text", "naive-heap", 200.0),
    ];
    let chart = svg(&results, lunaray::runtime::libraries::Backend::Headless);
    assert!(chart.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(chart.trim_end().ends_with("</svg>"));
    assert_eq!(
        chart.matches("<rect x=").count(),
        4,
        "a bar per scene and path"
    );
    assert_eq!(
        chart.matches("<line ").count(),
        1,
        "the C floor where there is one"
    );
    assert!(chart.contains(">planned 120.0<") && chart.contains(">C 200.0<"));
    assert!(!chart.contains("structstorm"), "only the scenes measured");
}
