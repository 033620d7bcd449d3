//! The lexical side of reading a C header: comments and preprocessor lines removed (object-like
//! `#define`s kept aside), the rest split into tokens.

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Num(String),
    Str(String),
    Punct(char),
}

/// An object-like `#define NAME body`, with the (0-based) line it ends on (where a trailing
/// comment is).
pub(super) struct RawDefine {
    pub name: String,
    pub body: String,
    pub line: usize,
}

/// Removes comments and preprocessor lines; returns the remaining code, line for line with
/// `text` (so a token's line finds its comment), and the object-like `#define NAME body`
/// lines (function-like macros are ignored). Blocks under `#if defined(M)` / `#ifdef M` for
/// a macro in `undefined` are left out up to their `#else` or `#endif` (raygui's standalone
/// copies of raylib's types); every other conditional is read as if true.
pub(super) fn split_preprocessor(text: &str, undefined: &[&str]) -> (String, Vec<RawDefine>) {
    let text = strip_comments(text);
    let mut code = String::with_capacity(text.len());
    let mut defines = Vec::new();
    let mut lines = text.lines().enumerate();
    // Nesting of open conditionals, each with whether its current branch is left out.
    let mut conditionals: Vec<bool> = Vec::new();
    while let Some((line_no, line)) = lines.next() {
        let trimmed = line.trim_start();
        let directive = trimmed.strip_prefix('#').map(str::trim_start);
        if let Some(d) = directive {
            let word = d.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
            match word {
                "if" | "ifdef" | "ifndef" => conditionals.push(names_undefined(d, undefined)),
                // The branch after one left out is read; so is every other branch, as before.
                "else" | "elif" => {
                    if let Some(top) = conditionals.last_mut() {
                        *top = false;
                    }
                }
                "endif" => {
                    conditionals.pop();
                }
                _ => {}
            }
        }
        if conditionals.iter().any(|&out| out) {
            code.push('\n');
            continue;
        }
        if let Some(directive) = trimmed.strip_prefix('#') {
            // Join continuation lines, keeping one newline each so lines still match.
            let mut full = directive.to_string();
            let mut last_line = line_no;
            while full.ends_with('\\') {
                full.pop();
                if let Some((n, l)) = lines.next() {
                    full.push_str(l);
                    last_line = n;
                }
                code.push('\n');
            }
            let d = full.trim_start();
            if let Some(rest) = d.strip_prefix("define") {
                let rest = rest.trim_start();
                let name_end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let name = &rest[..name_end];
                let after = &rest[name_end..];
                if !name.is_empty() && !after.starts_with('(') {
                    defines.push(RawDefine {
                        name: name.to_string(),
                        body: after.trim().to_string(),
                        line: last_line,
                    });
                }
            }
            code.push('\n');
        } else {
            code.push_str(line);
            code.push('\n');
        }
    }
    (code, defines)
}

/// Whether a conditional tests that one of `undefined` is defined (`#if defined(M)`,
/// `#ifdef M`), so its first branch is left out.
fn names_undefined(directive: &str, undefined: &[&str]) -> bool {
    let cond = directive
        .strip_prefix("ifdef")
        .or_else(|| directive.strip_prefix("if"))
        .unwrap_or("")
        .trim();
    let name = cond
        .strip_prefix("defined(")
        .and_then(|r| r.strip_suffix(')'))
        .or_else(|| directive.starts_with("ifdef").then_some(cond))
        .map(str::trim);
    name.is_some_and(|n| undefined.contains(&n))
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            out.push(c as char);
            if c == b'\\' && i + 1 < b.len() {
                out.push(b[i + 1] as char);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
        } else if c == b'"' {
            in_str = true;
            out.push('"');
            i += 1;
        } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                if b[i] == b'\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else {
            // Headers are ASCII outside comments and strings; keep bytes as they are.
            out.push(c as char);
            i += 1;
        }
    }
    out
}

pub(super) fn tokenize(code: &str) -> Vec<Tok> {
    tokenize_with_lines(code).0
}

/// The tokens of `code` and, for each, the (0-based) line it starts on.
pub(super) fn tokenize_with_lines(code: &str) -> (Vec<Tok>, Vec<usize>) {
    let chars: Vec<char> = code.chars().collect();
    let mut toks = Vec::new();
    let mut lines = Vec::new();
    let mut line = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // The token pushed last iteration started on `line`: only a newline moves it.
        lines.resize(toks.len(), line);
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            toks.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            toks.push(Tok::Num(chars[start..i].iter().collect()));
        } else if c == '"' {
            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            toks.push(Tok::Str(chars[start..i.min(chars.len())].iter().collect()));
            i += 1;
        } else {
            toks.push(Tok::Punct(c));
            i += 1;
        }
    }
    lines.resize(toks.len(), line);
    (toks, lines)
}
