//! Heap allocations per call, counted by a counting global allocator (Lua's own allocations
//! go through it too). On the planned path a call whose result needs no new Lua value makes
//! none in steady state; the naive path allocates on every call.

use std::sync::Arc;

use lunaray::bench::counting_alloc::{allocations, CountingAlloc};
use lunaray::registry::Registry;
use lunaray::runtime::libraries::{load, Backend};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const SETUP: &str = r#"
rl.SetTraceLogLevel(rl.LOG_WARNING)
rl.InitWindow(64, 64, "allocations")
local v, red = rl.Vector2(10, 10), rl.Color(230, 41, 55, 255)
local vt, redt = {10, 10}, {r = 230, g = 41, b = 55, a = 255}
local r1, r2 = rl.Rectangle(0, 0, 10, 10), rl.Rectangle(5, 5, 10, 10)
local tex = rl.LoadTextureFromImage(rl.GenImageColor(4, 4, red))
local points = {rl.Vector2(0, 0), rl.Vector2(10, 10), {20, 0}}
local img = rl.GenImageColor(8, 8, red)
local x
return {
  {"DrawCircleV (struct values)", function() rl.DrawCircleV(v, 4, red) end},
  {"DrawCircleV (tables)", function() rl.DrawCircleV(vt, 4, redt) end},
  {"CheckCollisionRecs", function() rl.CheckCollisionRecs(r1, r2) end},
  {"GetRandomValue", function() rl.GetRandomValue(1, 100) end},
  {"DrawText", function() rl.DrawText("lunaray", 1, 2, 10, red) end},
  {"DrawTexture (libffi, 20-byte struct)", function() rl.DrawTexture(tex, 1, 2, red) end},
  {"DrawLineStrip (array)", function() rl.DrawLineStrip(points, nil, red) end},
  {"ImageDrawPixel (by reference)", function() rl.ImageDrawPixel(img, 1, 1, red) end},
  {"field get", function() x = v.x end},
  {"field set", function() v.x = 3 end},
}
"#;

fn allocations_per_call(f: &mlua::Function, frames: u32, calls: u32) -> f64 {
    let batch = |n: u32| {
        for _ in 0..n {
            f.call::<()>(()).unwrap();
        }
        // A frame ends: the arena resets.
        lunaray::arena::end_frame();
    };
    // Warm up: the arena grows to its working size, Lua's stack and strings settle.
    for _ in 0..3 {
        batch(calls);
    }
    let before = allocations();
    for _ in 0..frames {
        batch(calls);
    }
    (allocations() - before) as f64 / (frames * calls) as f64
}

#[test]
fn planned_calls_allocate_nothing_and_naive_ones_do() {
    let lib = load(Backend::Headless, None).unwrap();
    let lua = mlua::Lua::new();
    let bindings = lunaray::marshal::bind(&lua, Registry::raylib(), Arc::clone(&lib));
    let rl = lunaray::lua::build_rl_table(&lua, &bindings).unwrap();
    lua.globals().set("rl", rl).unwrap();
    let cases: mlua::Table = lua.load(SETUP).eval().unwrap();
    let modes = &bindings.ctx.modes;
    let mut report = Vec::new();
    for case in cases.sequence_values::<mlua::Table>() {
        let case = case.unwrap();
        let name: String = case.get(1).unwrap();
        let f: mlua::Function = case.get(2).unwrap();
        // Calls are wrapped in a Lua function; calling that from Rust allocates nothing per
        // call in mlua, which the `field` cases (no C call at all) confirm.
        modes.set_naive(false);
        modes.set_heap(false);
        let planned = allocations_per_call(&f, 5, 200);
        modes.set_naive(true);
        modes.set_heap(true);
        let naive = allocations_per_call(&f, 2, 200);
        modes.set_naive(false);
        modes.set_heap(false);
        report.push(format!("{name}: planned {planned:.3}, naive {naive:.3}"));
        assert_eq!(
            planned, 0.0,
            "{name} allocated on the planned path: {planned} per call"
        );
        if !name.starts_with("field") {
            assert!(
                naive >= 1.0,
                "{name}: the naive path should allocate, got {naive}"
            );
        }
    }
    eprintln!("{}", report.join("\n"));
}
