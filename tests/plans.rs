//! Every registered function gets a call plan against the real library: each one the loaded
//! libraylib exports, except the few documented as unsupported (variadic, C callbacks).

use std::sync::Arc;

use lunaray::registry::semantics::classify;
use lunaray::registry::Registry;
use lunaray::runtime::libraries::{load, Backend};

#[test]
fn every_supported_function_has_a_plan() {
    let lib = load(Backend::Headless, None).expect("headless libraylib");
    let lua = mlua::Lua::new();
    let reg = Registry::raylib();
    let expected_unsupported: Vec<String> = reg
        .functions
        .iter()
        .filter(|f| classify(&reg, f).is_err())
        .map(|f| f.name.clone())
        .collect();
    let total = reg.functions.len();
    let bindings = lunaray::marshal::bind(&lua, reg, Arc::clone(&lib));
    let skipped: Vec<String> = bindings.skipped.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(
        skipped, expected_unsupported,
        "only unsupported ones are skipped"
    );
    assert_eq!(bindings.plans.len() + skipped.len(), total);
    assert!(bindings.plans.len() * 100 >= total * 97);
    // The windowed build exports the same API.
    let windowed = load(Backend::Windowed, None).expect("windowed libraylib");
    for plan in bindings.plans {
        assert!(
            windowed.function(&plan.name).is_some(),
            "{} missing from the windowed library",
            plan.name
        );
    }
}

/// The Matrix operators call raymath through typed function pointers, given only to functions
/// declared exactly `S f(S, S)` over a struct of sixteen floats; the checks behind it.
#[test]
fn typed_matrix_pointers_only_for_sixteen_float_binaries() {
    let lib = load(Backend::Headless, None).expect("headless libraylib");
    let lua = mlua::Lua::new();
    let bindings = lunaray::marshal::bind(&lua, Registry::raylib(), lib);
    let reg = &bindings.ctx.registry;
    let sid = |n: &str| reg.struct_id(n).expect("a raylib struct");
    assert!(reg.is_floats(sid("Matrix"), 16));
    assert!(reg.is_floats(sid("Vector2"), 2));
    assert!(reg.is_floats(sid("Quaternion"), 4));
    assert!(reg.is_floats(sid("Rectangle"), 4));
    assert!(!reg.is_floats(sid("Color"), 1));
    assert!(!reg.is_floats(sid("Vector3"), 2));
    assert!(
        !reg.is_floats(sid("Camera2D"), 6),
        "a Camera2D has Vector2 fields"
    );
    let typed = |n: &str| {
        let plan = bindings.plans.iter().find(|p| p.name == n).expect(n);
        plan.as_floats16_binary().is_some()
    };
    for n in ["MatrixMultiply", "MatrixAdd", "MatrixSubtract"] {
        assert!(typed(n), "{n} gets a typed pointer");
    }
    for n in [
        "Vector2Add",
        "MatrixTranspose",
        "MatrixRotateZ",
        "QuaternionMultiply",
    ] {
        assert!(!typed(n), "{n} gets none");
    }
}
