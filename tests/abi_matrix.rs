//! A struct-by-value ABI matrix: proof that the registry, the call plans and libffi call C
//! correctly for every struct shape raylib passes or returns by value.
//!
//! `tests/abi/abi_matrix.c` is a small C library (compiled here, at test time, with the system
//! `cc`) with one struct per shape: 4 bytes of bytes (Color), 8 of floats (Vector2) and of
//! bytes, 12 (Vector3), 16 of floats (Vector4), of mixed float/int, of char/short/float/double
//! and with bools, an int with a float array, a char array with an int, 20 (Texture, and its
//! Texture2D-style alias), 24 with a pointer (Image), of nested vectors (Camera2D) and with an
//! opaque pointer (AudioStream), 40 (GlyphInfo), 44 (RenderTexture), 64 (Matrix) and 140 with
//! an array of structs (VrStereoConfig). Its header, `tests/abi/abi_matrix.h`, is in raylib's
//! style and is read by lunaray's own header parser as a [`Source::Custom`] header.
//!
//! - `header_registers_every_declaration`: every declaration is registered and gets the Lua
//!   meaning it is written for (by value, by reference, out-parameter, string).
//! - `layouts_match_c`: every struct's size, alignment and field offsets in the registry are
//!   the C compiler's, for this header (the approach of `tests/layouts.rs`).
//! - `lua_calls_match_c`: binds the library and runs `tests/abi/abi_matrix.lua`, which calls
//!   every function with known values, passing structs as struct values, positional tables and
//!   named tables, and checks every field of every result, checksums computed in Lua, in-place
//!   changes through references, out-parameters and strings. Every failing case is reported.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::c_layouts::{assert_layouts_match_c, declared, run_cc, TempDir};
use lunaray::registry::semantics::classify;
use lunaray::registry::{CType, ParamKind, Prim, Registry, ReturnKind, Source};

const HEADER: &str = include_str!("abi/abi_matrix.h");
const LUA_CASES: &str = include_str!("abi/abi_matrix.lua");

/// Every struct of the header with the size the C compiler gives it (also asserted by
/// `_Static_assert`s in abi_matrix.c).
const SHAPES: &[(&str, usize)] = &[
    ("ColorLike", 4),
    ("Vec2Like", 8),
    ("Bytes8Like", 8),
    ("Vec3Like", 12),
    ("Vec4Like", 16),
    ("MixedFI", 16),
    ("MixedCSFD", 16),
    ("FlagsLike", 16),
    ("ArrLike", 16),
    ("NamedLike", 12),
    ("TexLike", 20),
    ("ImgLike", 24),
    ("Cam2DLike", 24),
    ("StreamLike", 24),
    ("GlyphLike", 40),
    ("RTLike", 44),
    ("MatLike", 64),
    ("StereoLike", 140),
];

fn abi_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/abi")
}

fn registry() -> Registry {
    let mut reg = Registry::default();
    lunaray::registry::header::parse_into(&mut reg, HEADER, Source::Custom)
        .expect("abi_matrix.h parses");
    reg
}

/// Compiles abi_matrix.c into `dir/libabi_matrix.so`.
fn build_library(dir: &Path) -> PathBuf {
    let lib = dir.join("libabi_matrix.so");
    let src = abi_dir().join("abi_matrix.c");
    run_cc(
        &[
            "-shared".as_ref(),
            "-fPIC".as_ref(),
            "-O1".as_ref(),
            "-Wall".as_ref(),
            "-o".as_ref(),
            lib.as_os_str(),
            src.as_os_str(),
        ],
        "tests/abi/abi_matrix.c",
    );
    lib
}

#[test]
fn header_registers_every_declaration() {
    let reg = registry();

    let names: BTreeSet<String> = reg.structs.iter().map(|s| s.name.clone()).collect();
    let expected: BTreeSet<String> = SHAPES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(names, expected, "structs registered from abi_matrix.h");
    for (name, size) in SHAPES {
        let id = reg.struct_id(name).expect("registered");
        assert_eq!(reg.structs[id].layout.size, *size, "size of {name}");
        assert_eq!(reg.structs[id].source, Source::Custom, "source of {name}");
    }
    assert_eq!(
        reg.struct_id("Tex2DLike"),
        reg.struct_id("TexLike"),
        "Tex2DLike is an alias of TexLike"
    );

    let declared = declared(HEADER, "RLAPI");
    let registered: BTreeSet<String> = reg.functions.iter().map(|f| f.name.clone()).collect();
    assert_eq!(
        registered, declared,
        "functions registered from abi_matrix.h"
    );
    assert_eq!(declared.len(), 67, "declarations in abi_matrix.h");

    let mut unsupported = Vec::new();
    for f in &reg.functions {
        assert_eq!(f.source, Source::Custom);
        if let Err(e) = classify(&reg, f) {
            unsupported.push(format!("{}: {e}", f.name));
        }
    }
    assert!(unsupported.is_empty(), "left out: {unsupported:?}");

    let sem = |name: &str| classify(&reg, reg.function(name).expect(name)).expect(name);
    let sid = |name: &str| reg.struct_id(name).expect(name);
    for (shape, fn_name) in [
        ("TexLike", "tex"),
        ("MatLike", "mat"),
        ("StereoLike", "stereo"),
        ("ColorLike", "color"),
    ] {
        let echo = sem(&format!("abi_echo_{fn_name}"));
        assert_eq!(echo.params, vec![ParamKind::Struct(sid(shape))]);
        assert_eq!(echo.ret, ReturnKind::Struct(sid(shape)));
        let sum = sem(&format!("abi_sum_{fn_name}"));
        assert_eq!(sum.ret, ReturnKind::Scalar(Prim::UInt));
    }
    for (fn_name, shape) in [
        ("abi_ref_tex", "TexLike"),
        ("abi_ref_flags", "FlagsLike"),
        ("abi_ref_mat", "MatLike"),
        ("abi_ref_img", "ImgLike"),
    ] {
        assert_eq!(
            sem(fn_name).params,
            vec![ParamKind::StructRef(sid(shape))],
            "{fn_name}"
        );
    }
    assert_eq!(
        sem("abi_divide").params,
        vec![
            ParamKind::Scalar(Prim::Int),
            ParamKind::Scalar(Prim::Int),
            ParamKind::Out(CType::Prim(Prim::Int)),
        ]
    );
    assert_eq!(
        sem("abi_out_tex").params[1],
        ParamKind::Out(CType::Struct(sid("TexLike")))
    );
    assert_eq!(sem("abi_describe_color").ret, ReturnKind::CString);
    assert_eq!(sem("abi_echo_text").params, vec![ParamKind::CString]);
    assert_eq!(
        sem("abi_ptr").ret,
        ReturnKind::Pointer {
            to: CType::Prim(Prim::Void),
            owned: false
        }
    );
    assert_eq!(sem("abi_mix").lua_arity(), 6);
    assert_eq!(sem("abi_mix_int").lua_arity(), 8);
}

#[test]
fn layouts_match_c() {
    let reg = registry();
    let checked = assert_layouts_match_c(&reg, &abi_dir(), &["abi_matrix.h"]);
    assert_eq!(checked.structs, SHAPES.len(), "structs checked");
    eprintln!(
        "abi layouts: {} structs, {} fields: all match C",
        checked.structs, checked.fields
    );
}

#[test]
fn lua_calls_match_c() {
    let dir = TempDir::new("abi-matrix");
    let lib_path = build_library(dir.path());
    let library =
        Arc::new(lunaray::ffi::library::Library::open(&lib_path).expect("dlopen libabi_matrix.so"));
    let reg = registry();
    let function_count = reg.functions.len();

    let lua = mlua::Lua::new();
    let bindings = lunaray::marshal::bind(&lua, reg, library);
    assert!(
        bindings.skipped.is_empty(),
        "functions not bound: {:?}",
        bindings.skipped
    );
    assert_eq!(
        bindings.plans.len(),
        function_count,
        "one plan per function"
    );
    let rl = lunaray::lua::build_rl_table(&lua, &bindings).expect("build the rl table");
    lua.globals().set("rl", rl).expect("set rl");

    let cases: mlua::Table = lua
        .load(LUA_CASES)
        .set_name("@tests/abi/abi_matrix.lua")
        .eval()
        .expect("abi_matrix.lua loads");
    let mut failures = Vec::new();
    let mut passed = 0;
    // Every case through each call path: direct invokers (register shapes), libffi only, and
    // the naive path with heap temporaries. All must give C's results.
    let modes = &bindings.ctx.modes;
    for (mode, direct, naive) in [
        ("direct", true, false),
        ("libffi", false, false),
        ("naive", false, true),
    ] {
        modes.set_direct(direct);
        modes.set_naive(naive);
        modes.set_heap(naive);
        for case in cases.clone().sequence_values::<mlua::Table>() {
            let case = case.expect("a case table");
            let name: String = case.get(1).expect("case name");
            let run: mlua::Function = case.get(2).expect("case function");
            match run.call::<()>(()) {
                Ok(()) => passed += 1,
                Err(e) => failures.push(format!("[{mode}] {name}:\n    {e}")),
            }
        }
    }
    let direct = bindings
        .plans
        .iter()
        .filter(|p| p.has_direct_invoker())
        .count();
    assert!(
        direct >= 20,
        "only {direct} ABI functions have a direct invoker"
    );

    // Every function of the header was called at least once.
    let uncalled: Vec<&str> = bindings
        .plans
        .iter()
        .filter(|p| p.calls.get() == 0)
        .map(|p| p.name.as_str())
        .collect();

    eprintln!(
        "abi matrix: {passed} cases passed, {} failed; {} functions bound, {} never called",
        failures.len(),
        bindings.plans.len(),
        uncalled.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} ABI cases failed:\n  {}",
        failures.len(),
        passed + failures.len(),
        failures.join("\n  ")
    );
    assert!(uncalled.is_empty(), "functions never called: {uncalled:?}");
    drop(dir);
}
