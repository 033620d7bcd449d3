//! OBJ files checked before raylib's loader (tinyobj) reads them, for what tinyobj and
//! raylib's `LoadOBJ` trust the file with: a line is copied into a 4096-byte stack buffer, a
//! face's vertices into arrays of 16 (7 vertices at most, triangulated), a material name into
//! a 4096-byte buffer (`sscanf("%s")`), and raylib reads each face's vertex, normal and
//! texture coordinate by its index without checking it. Lines are split, and faces parsed, as
//! tinyobj does (`tinyobj_loader_c.h`: `is_line_ending`, `parseLine`, `parseRawTriple`,
//! `fixIndex`). No unsafe code.

use std::path::Path;

/// tinyobj's `parseLine` copies a line of `p_len < 4095` bytes into `char linebuf[4096]`.
pub const MAX_LINE: usize = 4094;
/// A triangulated face of n vertices fills 3(n - 2) of the 16 `Command.f` entries.
pub const MAX_FACE_VERTICES: usize = 7;
/// `newmtl` names go through `sscanf(token, "%s", namebuf)` into `char namebuf[4096]`.
pub const MAX_MTL_LINE: usize = 4095;

/// Why the OBJ file at `obj` would overflow tinyobj or make raylib read outside its arrays,
/// if it would (None too where it cannot be read: the loader fails on its own).
pub fn obj_problem(obj: &Path) -> Option<String> {
    let bytes = std::fs::read(obj).ok()?;
    // raylib parses the text up to its first NUL (`strlen` of `LoadFileText`).
    let text = &bytes[..bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len())];
    let lines = split_lines(text);
    let (mut v, mut vt, mut vn) = (0i64, 0i64, 0i64);
    // Faces' indices, fixed as tinyobj fixes them (relative ones against the counts so far).
    let mut faces: Vec<(usize, i64, i64, i64)> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let n = n + 1;
        if line.len() > MAX_LINE {
            return Some(format!(
                "line {n} is {} bytes: tinyobj copies each line into a buffer of {} bytes",
                line.len(),
                MAX_LINE + 2
            ));
        }
        let start = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        let t = &line[start..];
        let at = |i: usize| t.get(i).copied().unwrap_or(0);
        let space = |b: u8| b == b' ' || b == b'\t';
        if at(0) == b'v' && space(at(1)) {
            v += 1;
        } else if at(0) == b'v' && at(1) == b'n' && space(at(2)) {
            vn += 1;
        } else if at(0) == b'v' && at(1) == b't' && space(at(2)) {
            vt += 1;
        } else if at(0) == b'f' && space(at(1)) {
            let triples = face_triples(&t[2..]);
            if triples.len() > MAX_FACE_VERTICES {
                return Some(format!(
                    "line {n} is a face of {} vertices: tinyobj triangulates at most \
                     {MAX_FACE_VERTICES} into its fixed arrays",
                    triples.len()
                ));
            }
            if triples.len() >= 3 {
                for (iv, it, inn) in triples {
                    faces.push((n, fix(iv, v), fix(it, vt), fix(inn, vn)));
                }
            }
        }
    }
    for (n, iv, it, inn) in faces {
        // raylib reads the vertex unchecked, and a normal or texture coordinate whenever its
        // index is not negative.
        let bad = !(0..v).contains(&iv) || (inn >= 0 && inn >= vn) || (it >= 0 && it >= vt);
        if bad {
            return Some(format!(
                "line {n} is a face whose index names no vertex, normal or texture coordinate \
                 of the file ({v} vertices, {vn} normals, {vt} texture coordinates): raylib \
                 reads them by index unchecked"
            ));
        }
    }
    None
}

/// Why a material library (`.mtl`) at `mtl` would overflow tinyobj, if it would.
pub fn mtl_problem(mtl: &Path) -> Option<String> {
    let bytes = std::fs::read(mtl).ok()?;
    bytes
        .split(|&b| b == b'\n')
        .position(|line| line.len() > MAX_MTL_LINE)
        .map(|i| {
            format!(
                "material library line {} is longer than {MAX_MTL_LINE} bytes: tinyobj reads \
                 material names into a buffer of {} bytes",
                i + 1,
                MAX_MTL_LINE + 1
            )
        })
}

/// The material libraries an OBJ file's `mtllib` lines name, as written and trimmed (tinyobj
/// takes the rest of the line), from the model's folder.
pub fn mtl_candidates(obj: &Path) -> Vec<std::path::PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let Ok(text) = std::fs::read(obj) else {
        return Vec::new();
    };
    let dir = obj.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let rest = line.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"mtllib") else {
            continue;
        };
        if !rest.first().is_some_and(|b| matches!(b, b' ' | b'\t')) {
            continue;
        }
        let name = rest.trim_ascii_start();
        for candidate in [name, name.trim_ascii_end()] {
            if !candidate.is_empty() {
                out.push(dir.join(std::ffi::OsStr::from_bytes(candidate)));
            }
        }
    }
    out
}

/// The lines tinyobj parses: ended by `\n` (a `\r` before it dropped) or a lone `\r`.
fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    for i in 0..text.len() {
        let end = match text[i] {
            b'\n' => true,
            b'\r' => i + 1 < text.len() && text[i + 1] != b'\n',
            _ => false,
        };
        if end {
            let mut line = &text[start..i];
            if text[i] == b'\n' {
                line = line.strip_suffix(b"\r").unwrap_or(line);
            }
            lines.push(line);
            start = i + 1;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// tinyobj's missing index (`0x80000000`).
const INVALID: i32 = i32::MIN;

/// The raw (v, vt, vn) triples of a face line after `f `, as tinyobj's loop reads them.
fn face_triples(s: &[u8]) -> Vec<(i32, i32, i32)> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut p = 0;
    while matches!(at(p), b' ' | b'\t') {
        p += 1;
    }
    let mut out = Vec::new();
    // `IS_NEW_LINE`: the line's end ('\0'), '\r' or '\n'.
    while !matches!(at(p), 0 | b'\r' | b'\n') {
        let stop = |b: u8| matches!(b, 0 | b'/' | b' ' | b'\t' | b'\r');
        let skip = |p: &mut usize| {
            while !stop(at(*p)) {
                *p += 1;
            }
        };
        let (mut vt, mut vn) = (INVALID, INVALID);
        let v = atoi(&s[p.min(s.len())..]);
        skip(&mut p);
        if at(p) == b'/' {
            p += 1;
            if at(p) == b'/' {
                p += 1;
                vn = atoi(&s[p.min(s.len())..]);
                skip(&mut p);
            } else {
                vt = atoi(&s[p.min(s.len())..]);
                skip(&mut p);
                if at(p) == b'/' {
                    p += 1;
                    vn = atoi(&s[p.min(s.len())..]);
                    skip(&mut p);
                }
            }
        }
        while matches!(at(p), b' ' | b'\t' | b'\r') {
            p += 1;
        }
        out.push((v, vt, vn));
    }
    out
}

/// tinyobj's `my_atoi`, in its int arithmetic (wrapping where C's overflows).
fn atoi(s: &[u8]) -> i32 {
    let (sign, digits) = match s.first() {
        Some(b'-') => (-1i32, &s[1..]),
        Some(b'+') => (1, &s[1..]),
        _ => (1, s),
    };
    let mut value = 0i32;
    for &b in digits.iter().take_while(|b| b.is_ascii_digit()) {
        value = value.wrapping_mul(10).wrapping_add((b - b'0') as i32);
    }
    value.wrapping_mul(sign)
}

/// tinyobj's `fixIndex`: 1-based to 0-based, negative relative to the `n` so far.
fn fix(idx: i32, n: i64) -> i64 {
    match idx {
        i if i > 0 => i as i64 - 1,
        0 => 0,
        i => (n as i32).wrapping_add(i) as i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> Option<String> {
        let dir = std::env::temp_dir().join(format!("lunaray-obj-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("m.obj");
        std::fs::write(&path, text).unwrap();
        obj_problem(&path)
    }

    #[test]
    fn obj_files_tinyobj_would_overflow_are_found() {
        let cube = "v 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 1\nf 1//1 2//1 3//1\nf -1 -2 -3\n";
        assert_eq!(problem(cube), None);
        assert!(problem(&format!("# {}\n", "x".repeat(80000)))
            .unwrap()
            .starts_with("line 1 is 80002 bytes"));
        assert!(problem("v 0 0 0\nf 1 1 1 1 1 1 1 1\n")
            .unwrap()
            .contains("8 vertices"));
        assert_eq!(problem("v 0 0 0\nf 1 1 1 1 1 1 1\n"), None);
        for bad in [
            "f 1 2 3\n",
            "v 0 0 0\nf 1 1 2\n",
            "v 0 0 0\nf 1/1 1 1\n",
            "v 0 0 0\nf -2 1 1\n",
        ] {
            assert!(problem(bad).unwrap().contains("names no vertex"), "{bad}");
        }
        assert_eq!(
            face_triples(b"1/2/3 4//5 6/7"),
            [(1, 2, 3), (4, INVALID, 5), (6, 7, INVALID)]
        );
    }
}
