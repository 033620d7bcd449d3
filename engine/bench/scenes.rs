//! `lunaray bench --scenes`: every benchmark scene, headless, at a fixed load for a fixed
//! number of frames, in each call path, each in its own process (`lunaray run --report`);
//! and for bunnymark and structstorm the native C implementation, the floor.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::runtime::libraries::Backend;

/// A scene and the load it is measured at.
pub struct Scene {
    pub name: &'static str,
    pub load: u32,
    /// Its native C implementation's program name, if it has one.
    pub native: Option<&'static str>,
}

pub const SCENES: &[Scene] = &[
    Scene {
        name: "bunnymark",
        load: 2000,
        native: Some("bunnymark_c"),
    },
    Scene {
        name: "structstorm",
        load: 5000,
        native: Some("structstorm_c"),
    },
    Scene {
        name: "text",
        load: 400,
        native: None,
    },
    Scene {
        name: "cubes3d",
        load: 400,
        native: None,
    },
];

/// The call paths each scene runs in: (label, --marshal, --arena).
pub const PATHS: &[(&str, &str, &str)] = &[
    ("planned", "planned", "frame"),
    ("naive-heap", "naive", "heap"),
];

pub const FRAMES: u32 = 120;
pub const SEED: u32 = 1;

/// Where the scenes are: `scripts/bench/` of the checkout lunaray was built from.
pub fn scenes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join("bench")
}

/// The native floor `name` for a backend, built by build.rs next to that backend's library.
pub fn native_program_for(name: &str, backend: Backend) -> Option<PathBuf> {
    let exe_dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
    [
        exe_dir.join("raylib").join(backend.name()).join(name),
        PathBuf::from(env!("LUNARAY_NATIVE_DIR"))
            .join(backend.name())
            .join(name),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// The headless native floor `name`.
pub fn native_program(name: &str) -> Option<PathBuf> {
    native_program_for(name, Backend::Headless)
}

#[derive(Debug, serde::Serialize)]
pub struct SceneResult {
    pub scene: String,
    pub mode: String,
    pub report: Value,
}

fn read_report(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs one scene in one path; returns its report.
fn run_lua(
    scene: &Scene,
    marshal: &str,
    arena: &str,
    backend: Backend,
    tmp: &Path,
) -> Result<Value, String> {
    let report = tmp.join(format!("{}-{marshal}-{arena}.json", scene.name));
    let script = scenes_dir().join(format!("{}.lua", scene.name));
    let out = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .arg("run")
        .arg(&script)
        .arg(match backend {
            Backend::Headless => "--headless",
            Backend::Windowed => "--window",
        })
        .args(["--uncapped", "--frames", &FRAMES.to_string()])
        .args(["--marshal", marshal, "--arena", arena])
        .arg("--report")
        .arg(&report)
        .arg("--")
        .arg(format!("load={}", scene.load))
        .arg(format!("seed={SEED}"))
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "{} ({marshal}/{arena}) failed:\n{}",
            scene.name,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    read_report(&report)
}

fn run_native(scene: &Scene, program: &Path, tmp: &Path) -> Result<Value, String> {
    let report = tmp.join(format!("{}-c.json", scene.name));
    let out = Command::new(program)
        .args(["--frames", &FRAMES.to_string()])
        .args(["--load", &scene.load.to_string()])
        .args(["--seed", &SEED.to_string()])
        .arg("--report")
        .arg(&report)
        .output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed:\n{}",
            program.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    read_report(&report)
}

/// Runs every scene in every path on `backend` (the windowed one needs a display).
pub fn run_all(backend: Backend) -> Result<Vec<SceneResult>, String> {
    let tmp = std::env::temp_dir().join(format!("lunaray-scenes-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    for scene in SCENES {
        for (label, marshal, arena) in PATHS {
            let report = run_lua(scene, marshal, arena, backend, &tmp)?;
            results.push(SceneResult {
                scene: scene.name.into(),
                mode: (*label).into(),
                report,
            });
        }
        if let Some(native) = scene.native {
            let program = native_program_for(native, backend)
                .ok_or_else(|| format!("the native {native} was not built (see build.rs)"))?;
            results.push(SceneResult {
                scene: scene.name.into(),
                mode: "c".into(),
                report: run_native(scene, &program, &tmp)?,
            });
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(results)
}

fn field(r: &SceneResult, key: &str) -> f64 {
    r.report
        .get(key)
        .and_then(Value::as_f64)
        .unwrap_or(f64::NAN)
}

pub fn table(results: &[SceneResult], backend: Backend) -> String {
    let mut out = format!(
        "{:<12} {:>7} {:>12} {:>12} {:>9} {:>12} {:>10} {:>12} {:>10}\n",
        "scene",
        "load",
        "planned FPS",
        "naive FPS",
        "ratio",
        "calls/frame",
        "ns/call",
        "C FPS",
        "Lua/C"
    );
    for scene in SCENES {
        let get = |mode: &str| {
            results
                .iter()
                .find(|r| r.scene == scene.name && r.mode == mode)
        };
        let (Some(p), Some(n)) = (get("planned"), get("naive-heap")) else {
            continue;
        };
        let c = get("c");
        out.push_str(&format!(
            "{:<12} {:>7} {:>12.1} {:>12.1} {:>8.2}x {:>12.0} {:>10.1} {:>12} {:>10}\n",
            scene.name,
            scene.load,
            field(p, "fps_mean"),
            field(n, "fps_mean"),
            field(p, "fps_mean") / field(n, "fps_mean"),
            field(p, "ffi_calls_per_frame"),
            field(p, "ffi_ns_per_call"),
            c.map_or("-".into(), |c| format!("{:.1}", field(c, "fps_mean"))),
            c.map_or("-".into(), |c| format!(
                "{:.2}",
                field(p, "frame_ms_median") / field(c, "frame_ms_median")
            )),
        ));
    }
    out.push_str(&format!(
        "{} backend, {FRAMES} frames each, seed {SEED}; ratio = planned FPS / naive+heap FPS; Lua/C = median frame time ratio\n",
        backend.name()
    ));
    out
}
