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
#[cfg(not(feature = "luajit"))]
pub const PATHS: &[(&str, &str, &str)] = &[
    ("planned", "planned", "frame"),
    ("naive-heap", "naive", "heap"),
];
/// LuaJIT builds add the jit mode (`marshal::jit`) and the peer, LuaJIT's own FFI as
/// raylib-lua uses it (`marshal::peer`, run with `--ffi`).
#[cfg(feature = "luajit")]
pub const PATHS: &[(&str, &str, &str)] = &[
    ("planned", "planned", "frame"),
    ("naive-heap", "naive", "heap"),
    ("jit", "jit", "frame"),
    ("luajit-ffi", "luajit-ffi", "frame"),
];

pub const FRAMES: u32 = 120;
pub const SEED: u32 = 1;

/// The scenes in the checkout lunaray was built from (for tests and development; `run_all`
/// runs the copies carried in the binary, `scene_files`).
pub fn scenes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join("bench")
}

/// The native floor `name` for a backend: built by build.rs next to that backend's library,
/// or else the copy carried in the binary, extracted next to the extracted raylib.
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
    .or_else(|| crate::bench::scene_files::extract_native(name, backend).ok())
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

/// Runs one scene (from `scenes`) in one path; returns its report.
fn run_lua(
    scene: &Scene,
    (marshal, arena): (&str, &str),
    backend: Backend,
    scenes: &Path,
    tmp: &Path,
) -> Result<Value, String> {
    let report = tmp.join(format!("{}-{marshal}-{arena}.json", scene.name));
    let script = scenes.join(format!("{}.lua", scene.name));
    let out = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .arg("run")
        .arg(&script)
        .arg(match backend {
            Backend::Headless => "--headless",
            Backend::Windowed => "--window",
        })
        .args(["--uncapped", "--frames", &FRAMES.to_string()])
        .args(["--marshal", marshal, "--arena", arena])
        // The peer is LuaJIT's FFI, which a game gets only when it asks for it.
        .args((marshal == "luajit-ffi").then_some("--ffi"))
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

/// Runs a native floor in `root` (the unpacked scenes' root, where it finds
/// `assets/wabbit_alpha.png`).
fn run_native(scene: &Scene, program: &Path, root: &Path, tmp: &Path) -> Result<Value, String> {
    let report = tmp.join(format!("{}-c.json", scene.name));
    let out = Command::new(program)
        .current_dir(root)
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

/// How many runs `run_all` makes (for a progress bar).
pub fn run_count() -> usize {
    SCENES
        .iter()
        .map(|s| PATHS.len() + usize::from(s.native.is_some()))
        .sum()
}

/// Runs every scene in every path on `backend` (the windowed one needs a display), calling
/// `progress(what)` before each run.
pub fn run_all(backend: Backend, progress: &dyn Fn(&str)) -> Result<Vec<SceneResult>, String> {
    let tmp = std::env::temp_dir().join(format!("lunaray-scenes-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let result = run_all_in(backend, progress, &tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn run_all_in(
    backend: Backend,
    progress: &dyn Fn(&str),
    tmp: &Path,
) -> Result<Vec<SceneResult>, String> {
    let root = tmp.join("game");
    let scenes = crate::bench::scene_files::unpack(&root)
        .map_err(|e| format!("cannot write the scenes to {}: {e}", tmp.display()))?;
    let mut results = Vec::new();
    for scene in SCENES {
        for (label, marshal, arena) in PATHS {
            progress(&format!("{} {label}", scene.name));
            let report = run_lua(scene, (marshal, arena), backend, &scenes, tmp)?;
            results.push(SceneResult {
                scene: scene.name.into(),
                mode: (*label).into(),
                report,
            });
        }
        if let Some(native) = scene.native {
            progress(&format!("{} C floor", scene.name));
            let program = native_program_for(native, backend)
                .ok_or_else(|| format!("the native {native} could not be extracted"))?;
            results.push(SceneResult {
                scene: scene.name.into(),
                mode: "c".into(),
                report: run_native(scene, &program, &root, tmp)?,
            });
        }
    }
    Ok(results)
}

fn field(r: &SceneResult, key: &str) -> f64 {
    r.report
        .get(key)
        .and_then(Value::as_f64)
        .unwrap_or(f64::NAN)
}

pub fn table(results: &[SceneResult], backend: Backend) -> String {
    let jit = results.iter().any(|r| r.mode == "jit");
    let mut out = format!(
        "{:<12} {:>7} {:>12} {:>12} {:>9} {:>12} {:>10} {:>12} {:>10}{}\n",
        "scene",
        "load",
        "planned FPS",
        "naive FPS",
        "ratio",
        "calls/frame",
        "ns/call",
        "C FPS",
        "Lua/C",
        if jit {
            format!(
                " {:>10} {:>10} {:>10} {:>10}",
                "jit FPS", "jit Lua/C", "ffi FPS", "jit/ffi"
            )
        } else {
            String::new()
        }
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
        let jit_cells = match get("jit") {
            Some(j) => {
                let peer = get("luajit-ffi");
                format!(
                    " {:>10.1} {:>10} {:>10} {:>10}",
                    field(j, "fps_mean"),
                    c.map_or("-".into(), |c| format!(
                        "{:.2}",
                        field(j, "frame_ms_median") / field(c, "frame_ms_median")
                    )),
                    peer.map_or("-".into(), |f| format!("{:.1}", field(f, "fps_mean"))),
                    peer.map_or("-".into(), |f| format!(
                        "{:.2}",
                        field(j, "frame_ms_median") / field(f, "frame_ms_median")
                    )),
                )
            }
            None => String::new(),
        };
        out.push_str(&format!(
            "{:<12} {:>7} {:>12.1} {:>12.1} {:>8.2}x {:>12.0} {:>10.1} {:>12} {:>10}{}\n",
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
            jit_cells,
        ));
    }
    out.push_str(&format!(
        "\n{} backend, {FRAMES} frames each at the load shown, seed {SEED}, SetTargetFPS ignored.\n\
         planned FPS   mean FPS on lunaray's call plans (direct invokers, frame arena)\n\
         naive FPS     the same scene on the naive path with heap temporaries (the \"before\")\n\
         ratio         planned FPS / naive FPS: what the call plans buy\n\
         calls/frame   calls from Lua into raylib per frame\n\
         ns/call       sampled time per call (the call's work in raylib included)\n\
         C FPS         the same scene written in C against the same raylib: the floor\n\
         Lua/C         planned median frame time / C median frame time (1.00 = C speed)\n\
         jit FPS       (LuaJIT build) mean FPS in jit mode (--marshal jit); jit Lua/C as Lua/C\n\
         ffi FPS       (LuaJIT build) mean FPS on LuaJIT's own FFI, raylib-lua's way (--ffi\n\
         \x20             --marshal luajit-ffi): the peer, which checks nothing\n\
         jit/ffi       jit median frame time / ffi median frame time (below 1: jit is faster)\n",
        backend.name()
    ));
    out
}

/// The results as an SVG chart: per scene, a bar per call path (FPS) and the C floor as a
/// line, each scene on its own scale (their FPS differ by orders of magnitude).
pub fn svg(results: &[SceneResult], backend: Backend) -> String {
    /// One bar per call path the build has, then room for the C floor's label.
    const BAR: f64 = 24.0;
    const LEFT: f64 = 170.0;
    const WIDTH: f64 = 520.0;
    let rows: Vec<&Scene> = SCENES
        .iter()
        .filter(|s| results.iter().any(|r| r.scene == s.name))
        .collect();
    let colors: Vec<(&str, &str)> = [
        ("planned", "#2a7ae2"),
        ("naive-heap", "#e2712a"),
        ("jit", "#2aa84a"),
        ("luajit-ffi", "#8a5ac2"),
    ]
    .into_iter()
    .filter(|(m, _)| PATHS.iter().any(|(label, _, _)| label == m))
    .collect();
    let row = BAR * colors.len() as f64 + 22.0;
    let height = 60.0 + row * rows.len() as f64 + 30.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"10\" y=\"22\" font-size=\"15\">lunaray bench --scenes: FPS per call path \
         ({} backend, {FRAMES} frames)</text>\n",
        backend.name(),
        w = LEFT + WIDTH + 120.0,
    );
    for (i, scene) in rows.iter().enumerate() {
        let top = 50.0 + row * i as f64;
        let fps = |mode: &str| {
            results
                .iter()
                .find(|r| r.scene == scene.name && r.mode == mode)
                .map(|r| field(r, "fps_mean"))
                .filter(|v| v.is_finite())
        };
        let c = fps("c");
        let max = colors
            .iter()
            .filter_map(|(m, _)| fps(m))
            .chain(c)
            .fold(1.0f64, f64::max);
        let scale = WIDTH / (max * 1.05);
        out.push_str(&format!(
            "<text x=\"10\" y=\"{}\">{} (load {})</text>\n",
            top + 24.0,
            scene.name,
            scene.load
        ));
        for (j, (mode, color)) in colors.iter().enumerate() {
            let Some(v) = fps(mode) else { continue };
            let y = top + 6.0 + BAR * j as f64;
            out.push_str(&format!(
                "<rect x=\"{LEFT}\" y=\"{y}\" width=\"{:.1}\" height=\"18\" fill=\"{color}\"/>\n\
                 <text x=\"{:.1}\" y=\"{:.1}\">{mode} {v:.1}</text>\n",
                v * scale,
                LEFT + v * scale + 6.0,
                y + 13.0,
            ));
        }
        if let Some(v) = c {
            let x = LEFT + v * scale;
            out.push_str(&format!(
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"black\" \
                 stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n\
                 <text x=\"{:.1}\" y=\"{:.1}\">C {v:.1}</text>\n",
                top + 2.0,
                top + row - 14.0,
                x + 4.0,
                top + row - 6.0,
            ));
        }
    }
    out.push_str(&format!(
        "<text x=\"10\" y=\"{:.1}\" fill=\"#555\">Bars: mean FPS (longer is faster); dashed \
         line: the same scene in C, the floor. Each scene has its own scale.</text>\n</svg>\n",
        height - 12.0
    ));
    out
}
