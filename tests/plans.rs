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
