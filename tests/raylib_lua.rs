//! A corpus of scripts written the way raylib-lua (LuaJIT FFI) users write them
//! (`tests/raylib_lua/*.lua`, lunaray's own): bare globals, struct initialisers with old field
//! names, operators, typed pixel buffers, colour constants, easings, C-style pointers and
//! raygui state by pointer. Each runs headless for three frames on the Lua build under test;
//! its output and its pixels are checked.

mod common;

use common::{Game, Pixels, BLUE, DARKGREEN, RAYWHITE, RED};

const MAROON: [u8; 4] = [190, 33, 55, 255];
/// raygui's default text colour: a checked check box is filled with it.
const GUI_TEXT: [u8; 4] = [0x68, 0x68, 0x68, 0xff];

/// Runs `tests/raylib_lua/<name>.lua` as a game's main.lua; returns its output lines (whole
/// floats as LuaJIT prints them, `45`: Lua 5.4's `45.0` is normalised), its stderr and the
/// last frame's pixels.
fn run(name: &str) -> (Vec<String>, String, Pixels) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/raylib_lua")
        .join(format!("{name}.lua"));
    let script = std::fs::read_to_string(&path).unwrap();
    let game = Game::new(&script);
    let shot = game.path("shot.png");
    let out = game.run(&["--frames", "3", "--screenshot", shot.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{name} failed:\n{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines = common::script_lines(&stdout)
        .into_iter()
        .map(|l| {
            if cfg!(feature = "luajit") {
                l
            } else {
                l.replace(".0\t", "\t")
            }
        })
        .map(|l| match l.strip_suffix(".0") {
            Some(s) if !cfg!(feature = "luajit") => s.to_string(),
            _ => l,
        })
        .collect();
    (lines, stderr, Pixels::load(&shot))
}

#[test]
fn bare_globals_through_setmetatable() {
    let (lines, _, px) = run("bare_globals");
    assert_eq!(lines, ["frames\t3"]);
    assert_eq!(px.at(20, 20), RED);
    assert_eq!(px.at(120, 80), BLUE);
    assert_eq!(px.at(100, 20), RAYWHITE);
}

#[test]
fn struct_initialisers_views_and_old_field_names() {
    let (lines, stderr, px) = run("struct_values");
    assert_eq!(
        lines,
        ["copy\t4\t40"],
        "a copy's nested view changes the copy only"
    );
    assert!(
        stderr.contains("Camera3D") && stderr.contains("'type'") && stderr.contains("main.lua:3"),
        "one warning for the unknown key, naming the line: {stderr}"
    );
    // The software renderer interpolates the cube's vertex colours: within one step of red.
    let centre = px.at(80, 60);
    assert!(
        centre.iter().zip(RED).all(|(&c, r)| c.abs_diff(r) <= 2),
        "the cube at the camera's target: {centre:?}"
    );
    assert_eq!(px.at(2, 2), RAYWHITE);
}

#[test]
fn operators_map_to_raymath() {
    let (lines, _, px) = run("operators");
    assert_eq!(
        lines,
        [
            "ops\t40\t30\t28.2843\t60\t-40\tVector2(x=30, y=40)",
            // Translate then scale (raymath's MatrixMultiply order): (10 + 100) * 2, 20 * 2.
            "matrix\t220\t40",
            "unchanged\t30\t40\t50\t20",
        ]
    );
    assert_eq!(px.at(80, 60), DARKGREEN, "drawn at (a + b) / 2 * 2");
}

#[test]
fn typed_pixel_buffers_fill_textures() {
    let (lines, _, px) = run("pixel_buffer");
    assert_eq!(
        lines,
        [
            "buffer\t1024\t230\t241",
            "bounds\tfalse\tindex 1024 out of range for Color[1024] (0 to 1023)",
        ]
    );
    assert_eq!(px.at(12, 20), RED, "left half of the texture");
    assert_eq!(px.at(38, 20), BLUE, "right half");
    assert_eq!(px.at(60, 20), RAYWHITE, "beside it");
}

#[test]
fn colour_constants_stay_constant() {
    let (lines, _, px) = run("constants");
    assert_eq!(lines, ["constant\tfalse\t255", "copy\t100\t255"]);
    assert_eq!(px.at(40, 60), RED, "rl.RED still draws opaque red");
}

#[test]
fn easings_with_raylib_lua_names() {
    let (lines, _, px) = run("easings");
    assert_eq!(lines, ["ease\t50\t25\t100\t10"]);
    assert_eq!(px.at(148, 60), MAROON, "the eased bar reaches 150 pixels");
    assert_eq!(px.at(155, 60), RAYWHITE);
}

#[test]
fn c_style_pointers_buffers_and_raygui_state() {
    let (lines, _, px) = run("c_pointers");
    assert_eq!(
        lines,
        [
            "lines\ttrue\t50\t50",
            "size\t3",
            "text\t3\tABC",
            "freed\tfalse\tbad argument #1 to 'TextLength' (string expected, got char pointer freed by UnloadFileText)",
            "state\ttrue\t25",
        ]
    );
    assert_eq!(
        px.at(25, 25),
        GUI_TEXT,
        "the check box drawn checked from its bool[1]"
    );
    assert_ne!(
        px.at(20, 70),
        px.at(140, 70),
        "the slider bar filled to 25% from its float[1]"
    );
}
