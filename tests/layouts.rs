//! The registry against the C compiler and its own documentation.
//!
//! `struct_layouts_match_c` generates a C program from the registry (no number in it is
//! copied from C), compiles it with the system `cc` against the very headers the registry was
//! parsed from, and compares every struct's size, alignment and field offset (and each
//! field's size) with what the registry computed.
//!
//! `functions_parse_and_classify` checks that every function declared in raylib.h and
//! raymath.h and rlgl.h's API part is registered, that at least 97% of them get a Lua meaning, and that the ones
//! left out are exactly the table in `docs/registry.md`, with the same reasons.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use lunaray::registry::semantics::classify;
use lunaray::registry::{Registry, Source, INCLUDE_DIR, RAYLIB_H, RAYMATH_H, RLGL_H};

/// The number of `typedef struct ... { ... }` definitions in raylib 6.0's raylib.h.
const RAYLIB_STRUCTS: usize = 35;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("lunaray-{tag}-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The C program: one `S name size align` line per struct and one
/// `F struct field offset size` line per field, every number from the compiler.
fn c_program(reg: &Registry) -> String {
    let mut c = String::from(
        "#include <stdio.h>\n\
         #include <stddef.h>\n\
         #include \"raylib.h\"\n\
         #include \"raymath.h\"\n\
         #include \"rlgl.h\"\n\
         \n\
         int main(void) {\n",
    );
    for s in &reg.structs {
        let n = &s.name;
        writeln!(
            c,
            "    printf(\"S %s %zu %zu\\n\", \"{n}\", sizeof({n}), (size_t)_Alignof({n}));"
        )
        .unwrap();
        for f in &s.fields {
            let fname = &f.name;
            writeln!(
                c,
                "    printf(\"F %s %s %zu %zu\\n\", \"{n}\", \"{fname}\", \
                 offsetof({n}, {fname}), sizeof((({n} *)0)->{fname}));"
            )
            .unwrap();
        }
    }
    c.push_str("    return 0;\n}\n");
    c
}

fn run_c(program: &str) -> String {
    let dir = TempDir::new("layouts");
    let src = dir.path().join("prog.c");
    let exe = dir.path().join("prog");
    fs::write(&src, program).expect("write prog.c");
    let out = Command::new("cc")
        .arg("-std=c99")
        .arg("-I")
        .arg(INCLUDE_DIR)
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("run the system C compiler `cc`");
    assert!(
        out.status.success(),
        "cc failed on the generated program:\n{}\n--- program ---\n{program}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe)
        .output()
        .expect("run the compiled program");
    assert!(
        run.status.success(),
        "generated program failed: {:?}",
        run.status
    );
    String::from_utf8(run.stdout).expect("program output is UTF-8")
}

fn num(word: Option<&str>, line: &str) -> usize {
    word.and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("bad line from the C program: {line}"))
}

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

    let output = run_c(&c_program(&reg));

    // (size, align) per struct; (offset, size) per (struct, field).
    let mut c_structs: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut c_fields: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for line in output.lines() {
        let mut w = line.split_whitespace();
        match w.next() {
            Some("S") => {
                let name = w.next().expect("struct name").to_string();
                let size = num(w.next(), line);
                let align = num(w.next(), line);
                c_structs.insert(name, (size, align));
            }
            Some("F") => {
                let s = w.next().expect("struct name").to_string();
                let f = w.next().expect("field name").to_string();
                let offset = num(w.next(), line);
                let size = num(w.next(), line);
                c_fields.insert((s, f), (offset, size));
            }
            _ => panic!("unexpected line from the C program: {line}"),
        }
    }

    let mut mismatches = Vec::new();
    let mut fields_checked = 0;
    for s in &reg.structs {
        let Some(&(size, align)) = c_structs.get(&s.name) else {
            mismatches.push(format!("{}: not reported by the C program", s.name));
            continue;
        };
        if s.layout.size != size {
            mismatches.push(format!(
                "{}: size {} in the registry, {size} in C",
                s.name, s.layout.size
            ));
        }
        if s.layout.align != align {
            mismatches.push(format!(
                "{}: align {} in the registry, {align} in C",
                s.name, s.layout.align
            ));
        }
        for f in &s.fields {
            let key = (s.name.clone(), f.name.clone());
            let Some(&(offset, fsize)) = c_fields.get(&key) else {
                mismatches.push(format!(
                    "{}.{}: not reported by the C program",
                    s.name, f.name
                ));
                continue;
            };
            fields_checked += 1;
            if f.offset != offset {
                mismatches.push(format!(
                    "{}.{}: offset {} in the registry, {offset} in C",
                    s.name, f.name, f.offset
                ));
            }
            let reg_size = reg.layout_of(&f.ty).size;
            if reg_size != fsize {
                mismatches.push(format!(
                    "{}.{} ({}): size {reg_size} in the registry, {fsize} in C",
                    s.name,
                    f.name,
                    reg.type_name(&f.ty)
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} layout mismatches between the registry and C:\n  {}",
        mismatches.len(),
        mismatches.join("\n  ")
    );

    // Coverage: every struct and every field of the registry was checked, nothing else.
    let total_fields: usize = reg.structs.iter().map(|s| s.fields.len()).sum();
    assert_eq!(c_structs.len(), reg.structs.len(), "structs checked");
    assert_eq!(fields_checked, total_fields, "fields checked");
    assert_eq!(c_fields.len(), total_fields, "fields reported by C");
    eprintln!(
        "layouts: {} structs ({} from raylib.h), {} fields: all match C",
        reg.structs.len(),
        raylib_structs,
        total_fields
    );
}

/// Names of the functions a header declares with `marker` (`RLAPI`, `RMAPI`), read from the
/// header's text line by line, independently of the registry's parser.
fn declared(header: &str, marker: &str) -> BTreeSet<String> {
    header
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix(marker))
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .filter_map(|rest| {
            let before = &rest[..rest.find('(')?];
            let name = before
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()?;
            (!name.is_empty()).then(|| name.to_string())
        })
        .collect()
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
    let rlgl_api = RLGL_H
        .split("#if defined(RLGL_IMPLEMENTATION)")
        .next()
        .unwrap_or_default();

    // Every declaration in the headers made it into the registry.
    for (header, marker, source) in [
        (RAYLIB_H, "RLAPI", Source::Raylib),
        (RAYMATH_H, "RMAPI", Source::Raymath),
        (rlgl_api, "RLAPI", Source::Rlgl),
    ] {
        let names = declared(header, marker);
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
