//! Every example runs headless, ends after its frames, cleans up, and draws a real picture.

mod common;

use common::{lunaray, Pixels};

#[test]
fn every_example_runs_and_draws() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut ran = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.join("main.lua").is_file() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let shot =
            std::env::temp_dir().join(format!("lunaray-example-{}-{name}.png", std::process::id()));
        let out = lunaray(&[
            "run",
            dir.to_str().unwrap(),
            "--headless",
            "--frames",
            "3",
            "--screenshot",
            shot.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "example {name} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let px = Pixels::load(&shot);
        let _ = std::fs::remove_file(&shot);
        assert!(
            px.distinct_colors() >= 3,
            "example {name} drew a nearly uniform frame ({} colours)",
            px.distinct_colors()
        );
        ran.push(name);
    }
    for required in ["shapes", "textures", "text", "input", "camera3d"] {
        assert!(
            ran.iter().any(|n| n == required),
            "missing example {required}: {ran:?}"
        );
    }
}
