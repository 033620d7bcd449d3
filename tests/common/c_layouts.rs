//! Struct layouts against the C compiler: a C program generated from a registry prints what
//! the compiler computes for every struct and field (no number is copied from C), and the
//! registry's layouts are compared with it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use lunaray::registry::Registry;

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("lunaray-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the system C compiler; panics with its output on failure.
pub fn run_cc(args: &[&std::ffi::OsStr], what: &str) {
    let out = Command::new("cc")
        .args(args)
        .output()
        .expect("run the system C compiler `cc`");
    assert!(
        out.status.success(),
        "cc failed on {what}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The C program: one `S name size align` line per struct and one
/// `F struct field offset size` line per field, every number from the compiler.
fn program(reg: &Registry, headers: &[&str]) -> String {
    let mut c = String::from("#include <stdio.h>\n#include <stddef.h>\n");
    for h in headers {
        writeln!(c, "#include \"{h}\"").unwrap();
    }
    c.push_str("\nint main(void) {\n");
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

fn num(word: Option<&str>, line: &str) -> usize {
    word.and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("bad line from the C program: {line}"))
}

/// What the comparison covered.
pub struct Checked {
    pub structs: usize,
    pub fields: usize,
}

/// Compiles and runs the layout program for `reg` (its headers found in `include`), and
/// asserts that every struct's size and alignment and every field's offset and size equal
/// the compiler's, and that every struct and field was checked.
pub fn assert_layouts_match_c(reg: &Registry, include: &Path, headers: &[&str]) -> Checked {
    let dir = TempDir::new("layouts");
    let src = dir.path().join("prog.c");
    let exe = dir.path().join("prog");
    std::fs::write(&src, program(reg, headers)).expect("write prog.c");
    run_cc(
        &[
            "-std=c11".as_ref(),
            "-I".as_ref(),
            include.as_os_str(),
            src.as_os_str(),
            "-o".as_ref(),
            exe.as_os_str(),
        ],
        "the generated layout program",
    );
    let run = Command::new(&exe).output().expect("run the layout program");
    assert!(
        run.status.success(),
        "layout program failed: {:?}",
        run.status
    );
    let output = String::from_utf8(run.stdout).expect("program output is UTF-8");

    let mut c_structs = std::collections::BTreeMap::new();
    let mut c_fields = std::collections::BTreeMap::new();
    for line in output.lines() {
        let mut w = line.split_whitespace();
        match w.next() {
            Some("S") => {
                let name = w.next().expect("struct name").to_string();
                c_structs.insert(name, (num(w.next(), line), num(w.next(), line)));
            }
            Some("F") => {
                let s = w.next().expect("struct name").to_string();
                let f = w.next().expect("field name").to_string();
                c_fields.insert((s, f), (num(w.next(), line), num(w.next(), line)));
            }
            _ => panic!("unexpected line from the C program: {line}"),
        }
    }

    let mut mismatches = Vec::new();
    let mut fields = 0;
    for s in &reg.structs {
        let Some(&(size, align)) = c_structs.get(&s.name) else {
            mismatches.push(format!("{}: not reported by the C program", s.name));
            continue;
        };
        if (s.layout.size, s.layout.align) != (size, align) {
            mismatches.push(format!(
                "{}: size {} align {} in the registry, size {size} align {align} in C",
                s.name, s.layout.size, s.layout.align
            ));
        }
        for f in &s.fields {
            let key = (s.name.clone(), f.name.clone());
            let Some(&(offset, fsize)) = c_fields.get(&key) else {
                mismatches.push(format!("{}.{}: not reported by C", s.name, f.name));
                continue;
            };
            fields += 1;
            let reg_size = reg.layout_of(&f.ty).size;
            if (f.offset, reg_size) != (offset, fsize) {
                mismatches.push(format!(
                    "{}.{} ({}): offset {} size {reg_size} in the registry, offset {offset} \
                     size {fsize} in C",
                    s.name,
                    f.name,
                    reg.type_name(&f.ty),
                    f.offset
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
    let total_fields: usize = reg.structs.iter().map(|s| s.fields.len()).sum();
    assert_eq!(c_structs.len(), reg.structs.len(), "structs checked");
    assert_eq!(fields, total_fields, "fields checked");
    assert_eq!(c_fields.len(), total_fields, "fields reported by C");
    Checked {
        structs: c_structs.len(),
        fields,
    }
}

/// Names of the functions a header declares with `marker` (`RLAPI`, `RMAPI`), read from the
/// header's text line by line, independently of the registry's parser.
pub fn declared(header: &str, marker: &str) -> std::collections::BTreeSet<String> {
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
