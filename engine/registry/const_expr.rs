//! Constant expressions in headers: numeric literals, color literals and the small
//! arithmetic raylib's `#define`s and enum values use (`(PI/180.0f)`, `1 << 3`, `!false`).

use super::tokens::{tokenize, Tok};

/// `CLITERAL(Color){ 200, 200, 200, 255 }`
pub(super) fn parse_color_literal(body: &str) -> Option<[u8; 4]> {
    let rest = body.strip_prefix("CLITERAL(Color)")?.trim();
    let inner = rest.strip_prefix('{')?.strip_suffix('}')?;
    let parts: Vec<u8> = inner
        .split(',')
        .map(|p| p.trim().parse::<u8>().ok())
        .collect::<Option<_>>()?;
    parts.try_into().ok()
}

pub(super) fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim_end_matches(['u', 'U', 'l', 'L']);
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else {
        s.parse().ok()
    }
}

fn parse_number(s: &str) -> Option<f64> {
    if let Some(i) = parse_int(s) {
        return Some(i as f64);
    }
    s.trim_end_matches(['f', 'F']).parse().ok()
}

/// A small constant-expression evaluator: numbers, names (through `lookup`), unary `-` and
/// `!`, binary `* / + - << |`, parentheses. Enough for raylib's defines and enum values.
pub(super) fn eval_expr(text: &str, lookup: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    let toks = tokenize(text);
    let mut pos = 0;
    let v = expr_or(&toks, &mut pos, lookup)?;
    (pos == toks.len()).then_some(v)
}

fn expr_or(t: &[Tok], pos: &mut usize, l: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    let mut v = expr_shift(t, pos, l)?;
    while t.get(*pos) == Some(&Tok::Punct('|')) {
        *pos += 1;
        let r = expr_shift(t, pos, l)?;
        v = ((v as i64) | (r as i64)) as f64;
    }
    Some(v)
}

fn expr_shift(t: &[Tok], pos: &mut usize, l: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    let mut v = expr_add(t, pos, l)?;
    while t.get(*pos) == Some(&Tok::Punct('<')) && t.get(*pos + 1) == Some(&Tok::Punct('<')) {
        *pos += 2;
        let r = expr_add(t, pos, l)?;
        v = ((v as i64) << (r as i64)) as f64;
    }
    Some(v)
}

fn expr_add(t: &[Tok], pos: &mut usize, l: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    let mut v = expr_mul(t, pos, l)?;
    loop {
        match t.get(*pos) {
            Some(Tok::Punct('+')) => {
                *pos += 1;
                v += expr_mul(t, pos, l)?;
            }
            Some(Tok::Punct('-')) => {
                *pos += 1;
                v -= expr_mul(t, pos, l)?;
            }
            _ => return Some(v),
        }
    }
}

fn expr_mul(t: &[Tok], pos: &mut usize, l: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    let mut v = expr_unary(t, pos, l)?;
    loop {
        match t.get(*pos) {
            Some(Tok::Punct('*')) => {
                *pos += 1;
                v *= expr_unary(t, pos, l)?;
            }
            Some(Tok::Punct('/')) => {
                *pos += 1;
                v /= expr_unary(t, pos, l)?;
            }
            _ => return Some(v),
        }
    }
}

fn expr_unary(t: &[Tok], pos: &mut usize, l: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    let tok = t.get(*pos)?.clone();
    *pos += 1;
    match tok {
        Tok::Punct('-') => Some(-expr_unary(t, pos, l)?),
        Tok::Punct('!') => Some(if expr_unary(t, pos, l)? == 0.0 {
            1.0
        } else {
            0.0
        }),
        Tok::Punct('(') => {
            let v = expr_or(t, pos, l)?;
            (t.get(*pos) == Some(&Tok::Punct(')'))).then(|| *pos += 1)?;
            Some(v)
        }
        Tok::Num(n) => parse_number(&n),
        Tok::Ident(name) => l(&name),
        _ => None,
    }
}
