//! The registry against the C compiler and its own documentation.
//!
//! `struct_layouts_match_c` generates a C program from the registry (no number in it is
//! copied from C), compiles it with the system `cc` against the very headers the registry was
//! parsed from, and compares every struct's size, alignment and field offset (and each
//! field's size) with what the registry computed.
//!
//! `functions_parse_and_classify` checks that every function declared in the API part of
//! each header (raylib.h, raymath.h, rlgl.h, raygui.h) is registered, that at least 97% of them get a Lua meaning, and that the ones
//! left out are exactly the table in `docs/registry.md`, with the same reasons.

mod common;

use common::c_layouts::declared;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use lunaray::registry::headers::HEADERS;
use lunaray::registry::semantics::classify;
use lunaray::registry::{Registry, Source, INCLUDE_DIR, RAYGUI_H_PATH};

/// The number of `typedef struct ... { ... }` definitions in raylib 6.0's raylib.h.
const RAYLIB_STRUCTS: usize = 35;

#[test]
fn struct_layouts_match_c() {
    let reg = Registry::raylib();
    let raylib_structs = reg
        .structs
        .iter()
        .filter(|s| s.source == Source::Raylib)
        .count();
    assert_eq!(
        raylib_structs, RAYLIB_STRUCTS,
        "structs registered from raylib.h"
    );

    let checked = common::c_layouts::assert_layouts_match_c(
        &reg,
        Path::new(INCLUDE_DIR),
        &["raylib.h", "raymath.h", "rlgl.h", RAYGUI_H_PATH],
    );
    assert_eq!(checked.structs, reg.structs.len());
    let total_fields = checked.fields;
    eprintln!(
        "layouts: {} structs ({} from raylib.h), {} fields: all match C",
        reg.structs.len(),
        raylib_structs,
        total_fields
    );
}

/// The `| function | reason |` table of docs/registry.md: function name -> reason.
fn documented_unsupported() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/registry.md");
    let doc =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let cells = |line: &str| -> Vec<String> {
        let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
        inner.split('|').map(|c| c.trim().to_string()).collect()
    };
    let mut lines = doc.lines().skip_while(|l| {
        let c = cells(l);
        !(l.trim_start().starts_with('|') && c.len() == 2 && c[0] == "function" && c[1] == "reason")
    });
    assert!(
        lines.next().is_some(),
        "docs/registry.md has no `| function | reason |` table"
    );
    let separator = lines.next().unwrap_or("");
    assert!(
        separator.contains("---"),
        "the `| function | reason |` table needs its separator row"
    );
    let mut table = BTreeMap::new();
    for line in lines.take_while(|l| l.trim_start().starts_with('|')) {
        let c = cells(line);
        assert_eq!(c.len(), 2, "table row with other than two cells: {line}");
        let name = c[0].trim_matches('`').to_string();
        assert!(
            table.insert(name.clone(), c[1].clone()).is_none(),
            "{name} is listed twice in docs/registry.md"
        );
    }
    table
}

#[test]
fn functions_parse_and_classify() {
    let reg = Registry::raylib();

    // Every declaration in the headers made it into the registry.
    for spec in HEADERS {
        let (header, marker, source) = (spec.api_text(), spec.api_words[0], spec.source);
        let names = declared(header, marker);
        assert!(
            !names.is_empty(),
            "no {marker} functions in {}",
            spec.library
        );
        let registered: BTreeSet<String> = reg
            .functions
            .iter()
            .filter(|f| f.source == source)
            .map(|f| f.name.clone())
            .collect();
        let missing: Vec<_> = names.difference(&registered).collect();
        let extra: Vec<_> = registered.difference(&names).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{marker} functions: missing from the registry {missing:?}, not in the header {extra:?}"
        );
    }

    let total = reg.functions.len();
    let mut unsupported = BTreeMap::new();
    for f in &reg.functions {
        if let Err(why) = classify(&reg, f) {
            unsupported.insert(f.name.clone(), why.to_string());
        }
    }
    let supported = total - unsupported.len();
    eprintln!(
        "functions: {total} registered, {supported} supported, {} left out",
        unsupported.len()
    );
    assert!(
        supported * 100 >= total * 97,
        "only {supported} of {total} functions are supported (< 97%)"
    );

    let documented = documented_unsupported();
    let mut drift = Vec::new();
    for (name, why) in &unsupported {
        match documented.get(name) {
            None => drift.push(format!(
                "{name}: left out ({why}) but not in docs/registry.md"
            )),
            Some(doc) if doc != why => drift.push(format!(
                "{name}: reason is `{why}`, docs/registry.md says `{doc}`"
            )),
            Some(_) => {}
        }
    }
    for name in documented.keys() {
        if !unsupported.contains_key(name) {
            drift.push(format!(
                "{name}: listed in docs/registry.md but {}",
                if reg.function(name).is_some() {
                    "supported"
                } else {
                    "not a registered function"
                }
            ));
        }
    }
    assert!(
        drift.is_empty(),
        "docs/registry.md and semantics::classify disagree:\n  {}",
        drift.join("\n  ")
    );
}
