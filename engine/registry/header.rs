//! Reads raylib-style C headers into the registry: `typedef struct`, `typedef enum`, plain
//! typedef aliases, function-pointer typedefs, `#define` constants and colors, and function
//! declarations marked by the library's API word (`RLAPI`, `RMAPI`, `RAYGUIAPI`; raymath's
//! bodies are skipped). It understands the subset of
//! C those headers are written in, which raylib keeps deliberately regular (one declaration a
//! line, no macros in signatures); anything else at top level is skipped to its `;`.

use super::layout::place_fields;
use super::{
    CType, CallbackDecl, Define, DefineValue, EnumDecl, Field, FuncDecl, Param, Prim, Registry,
    Source, StructDecl,
};

#[derive(Debug, thiserror::Error)]
#[error("header parse error near `{near}`: {message}")]
pub struct ParseError {
    pub near: String,
    pub message: String,
}

use super::comments::Comments;
use super::const_expr::{eval_expr, parse_color_literal, parse_int};
use super::tokens::{split_preprocessor, tokenize_with_lines, Tok};

/// Reads one library's header as its spec says.
pub fn parse_header(
    reg: &mut Registry,
    spec: &super::headers::HeaderSpec,
) -> Result<(), ParseError> {
    parse_with(
        reg,
        spec.api_text(),
        spec.source,
        spec.api_words,
        spec.undefined,
    )
}

/// Reads a raylib-style header (functions marked `RLAPI` or `RMAPI`), for tests and C
/// libraries of lunaray's own.
pub fn parse_into(reg: &mut Registry, text: &str, source: Source) -> Result<(), ParseError> {
    parse_with(reg, text, source, &["RLAPI", "RMAPI"], &[])
}

fn parse_with(
    reg: &mut Registry,
    text: &str,
    source: Source,
    api_words: &'static [&'static str],
    undefined: &[&str],
) -> Result<(), ParseError> {
    let (code, defines) = split_preprocessor(text, undefined);
    let (toks, lines) = tokenize_with_lines(&code);
    let mut p = Parser {
        toks,
        lines,
        comments: Comments::new(text),
        pos: 0,
        reg,
        source,
        api_words,
    };
    p.parse_all()?;
    for d in defines {
        if p.add_define(&d.name, &d.body) {
            p.doc(&d.name, d.line);
        }
    }
    Ok(())
}

struct Parser<'r> {
    toks: Vec<Tok>,
    /// The line each token starts on, for finding its comment.
    lines: Vec<usize>,
    comments: Comments,
    pos: usize,
    reg: &'r mut Registry,
    source: Source,
    /// Words that start a function declaration of the API.
    api_words: &'static [&'static str],
}

/// Words that qualify a declaration but do not change its type for our purposes.
const IGNORED_WORDS: &[&str] = &[
    "RLAPI",
    "RMAPI",
    "RAYGUIAPI",
    "extern",
    "static",
    "inline",
    "volatile",
];

impl Parser<'_> {
    /// The line of the token at `pos`.
    fn line_of(&self, pos: usize) -> usize {
        self.lines.get(pos).copied().unwrap_or(usize::MAX)
    }

    /// Keeps raylib's comment for `key` (the first declaration of a name wins).
    fn doc(&mut self, key: &str, line: usize) {
        if let Some(doc) = self.comments.doc_at(line) {
            self.reg.docs.entry(key.to_string()).or_insert(doc);
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_is(&self, c: char) -> bool {
        self.peek() == Some(&Tok::Punct(c))
    }

    fn peek_ident(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Ident(s)) => Some(s),
            _ => None,
        }
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        let near = self.toks[self.pos.saturating_sub(3)..(self.pos + 3).min(self.toks.len())]
            .iter()
            .map(|t| match t {
                Tok::Ident(s) | Tok::Num(s) => s.clone(),
                Tok::Str(s) => format!("\"{s}\""),
                Tok::Punct(c) => c.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        Err(ParseError {
            near,
            message: message.into(),
        })
    }

    fn expect_punct(&mut self, c: char) -> Result<(), ParseError> {
        if self.peek_is(c) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(format!("expected `{c}`"))
        }
    }

    fn expect_ident(&mut self) -> Result<String, ParseError> {
        match self.next() {
            Some(Tok::Ident(s)) => Ok(s),
            _ => {
                self.pos -= 1;
                self.err("expected a name")
            }
        }
    }

    fn parse_all(&mut self) -> Result<(), ParseError> {
        while self.pos < self.toks.len() {
            match self.peek() {
                Some(Tok::Ident(w)) if w == "typedef" => {
                    self.pos += 1;
                    self.parse_typedef()?;
                }
                Some(Tok::Ident(w)) if self.api_words.contains(&w.as_str()) => {
                    self.pos += 1;
                    self.parse_function()?;
                }
                Some(Tok::Ident(w)) if w == "extern" => {
                    // `extern "C" {` around the API: skip the wrapper, keep its contents.
                    self.pos += 1;
                    if matches!(self.peek(), Some(Tok::Str(_))) {
                        self.pos += 1;
                        if self.peek_is('{') {
                            self.pos += 1;
                        }
                    }
                }
                Some(Tok::Punct('}')) | Some(Tok::Punct(';')) => self.pos += 1,
                _ => self.skip_statement(),
            }
        }
        Ok(())
    }

    /// Skips to the end of the current statement or braced block.
    fn skip_statement(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.next() {
            match t {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        if self.peek_is(';') {
                            self.pos += 1;
                        }
                        return;
                    }
                }
                Tok::Punct(';') if depth == 0 => return,
                _ => {}
            }
        }
    }

    fn skip_block(&mut self) -> Result<(), ParseError> {
        self.expect_punct('{')?;
        let mut depth = 1usize;
        while depth > 0 {
            match self.next() {
                Some(Tok::Punct('{')) => depth += 1,
                Some(Tok::Punct('}')) => depth -= 1,
                Some(_) => {}
                None => return self.err("unterminated block"),
            }
        }
        Ok(())
    }

    fn parse_typedef(&mut self) -> Result<(), ParseError> {
        // The `typedef` token, whose line (or the lines above it) holds the doc.
        let line = self.line_of(self.pos.saturating_sub(1));
        match self.peek_ident() {
            Some("struct") => {
                self.pos += 1;
                let tag = self.expect_ident()?;
                if self.peek_is('{') {
                    let fields = self.parse_fields()?;
                    let name = self.expect_ident()?;
                    self.expect_punct(';')?;
                    if self.reg.struct_id(&name).is_none() {
                        self.doc(&name, line);
                        for (field, _, field_line) in &fields {
                            self.doc(&format!("{name}.{field}"), *field_line);
                        }
                        self.add_struct(name, fields);
                    }
                } else {
                    // `typedef struct rAudioBuffer rAudioBuffer;`: declared, never defined.
                    let name = self.expect_ident()?;
                    self.expect_punct(';')?;
                    if self.reg.struct_id(&name).is_none() && !self.has_alias(&name) {
                        self.reg.aliases.push((name, CType::Opaque(tag)));
                    }
                }
                Ok(())
            }
            Some("enum") => {
                self.pos += 1;
                let tag = self.peek_ident().map(str::to_string);
                if tag.is_some() {
                    self.pos += 1;
                }
                let values = self.parse_enum_body()?;
                let name = self.expect_ident()?;
                self.expect_punct(';')?;
                // `typedef enum bool { false, true } bool;` is C's bool for old compilers.
                if name != "bool" {
                    self.doc(&name, line);
                    let values = values
                        .into_iter()
                        .map(|(value, v, value_line)| {
                            self.doc(&value, value_line);
                            (value, v)
                        })
                        .collect();
                    self.reg.enums.push(EnumDecl { name, values });
                }
                Ok(())
            }
            _ => {
                let base = self.parse_base_type()?;
                let ty = self.parse_pointers(base);
                if self.peek_is('(') {
                    return self.parse_callback_typedef(ty, line);
                }
                let name = self.expect_ident()?;
                self.expect_punct(';')?;
                if !self.has_alias(&name) && self.reg.struct_id(&name).is_none() {
                    self.doc(&name, line);
                    self.reg.aliases.push((name, ty));
                }
                Ok(())
            }
        }
    }

    fn has_alias(&self, name: &str) -> bool {
        self.reg.aliases.iter().any(|(n, _)| n == name)
    }

    fn add_struct(&mut self, name: String, fields: Vec<(String, CType, usize)>) {
        let types: Vec<CType> = fields.iter().map(|(_, t, _)| t.clone()).collect();
        let (offsets, layout) = place_fields(self.reg, &types);
        let fields = fields
            .into_iter()
            .zip(offsets)
            .map(|((name, ty, _), offset)| Field { name, ty, offset })
            .collect();
        self.reg.add_struct(StructDecl {
            name,
            fields,
            layout,
            source: self.source,
        });
    }

    /// `{ float x; float y; unsigned char r, g; char name[32]; }`: names, types and the line
    /// each name is on.
    fn parse_fields(&mut self) -> Result<Vec<(String, CType, usize)>, ParseError> {
        self.expect_punct('{')?;
        let mut fields = Vec::new();
        while !self.peek_is('}') {
            let base = self.parse_base_type()?;
            loop {
                let ty = self.parse_pointers(base.clone());
                let line = self.line_of(self.pos);
                let name = self.expect_ident()?;
                let ty = self.parse_array_suffix(ty)?;
                // rlgl declares `indices` twice under exclusive `#if`s (both pointers, same
                // layout): the first declaration stands for all.
                if !fields.iter().any(|(n, _, _)| *n == name) {
                    fields.push((name, ty, line));
                }
                if self.peek_is(',') {
                    self.pos += 1;
                    continue;
                }
                break;
            }
            self.expect_punct(';')?;
        }
        self.expect_punct('}')?;
        Ok(fields)
    }

    fn parse_array_suffix(&mut self, ty: CType) -> Result<CType, ParseError> {
        if !self.peek_is('[') {
            return Ok(ty);
        }
        self.pos += 1;
        let len = match self.next() {
            Some(Tok::Num(n)) => parse_int(&n).and_then(|v| usize::try_from(v).ok()),
            _ => None,
        };
        let Some(len) = len else {
            return self.err("array length must be a number");
        };
        self.expect_punct(']')?;
        let inner = self.parse_array_suffix(ty)?;
        Ok(CType::Array {
            of: Box::new(inner),
            len,
        })
    }

    /// Each value's name, value and line.
    fn parse_enum_body(&mut self) -> Result<Vec<(String, i64, usize)>, ParseError> {
        self.expect_punct('{')?;
        let mut values: Vec<(String, i64)> = Vec::new();
        let mut lines = Vec::new();
        let mut next_value = 0i64;
        while !self.peek_is('}') {
            lines.push(self.line_of(self.pos));
            let name = self.expect_ident()?;
            let value = if self.peek_is('=') {
                self.pos += 1;
                let start = self.pos;
                while !self.peek_is(',') && !self.peek_is('}') {
                    self.pos += 1;
                }
                let expr = &self.toks[start..self.pos];
                match self.eval_int(expr, &values) {
                    Some(v) => v,
                    None => return self.err(format!("cannot evaluate value of {name}")),
                }
            } else {
                next_value
            };
            values.push((name, value));
            next_value = value + 1;
            if self.peek_is(',') {
                self.pos += 1;
            }
        }
        self.expect_punct('}')?;
        Ok(values
            .into_iter()
            .zip(lines)
            .map(|((n, v), l)| (n, v, l))
            .collect())
    }

    /// Integer constant expressions of enum values: literals, earlier names, `!`, `-`, `|`,
    /// `<<`, parentheses (`!false`, `1 << 3`).
    fn eval_int(&self, expr: &[Tok], local: &[(String, i64)]) -> Option<i64> {
        let text: String = expr
            .iter()
            .map(|t| match t {
                Tok::Ident(s) | Tok::Num(s) => format!(" {s} "),
                Tok::Punct(c) => c.to_string(),
                Tok::Str(_) => String::new(),
            })
            .collect();
        let lookup = |name: &str| -> Option<f64> {
            local
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| *v as f64)
                .or_else(|| self.reg.enum_value(name).map(|v| v as f64))
                .or(match name {
                    "false" => Some(0.0),
                    "true" => Some(1.0),
                    _ => None,
                })
        };
        let v = eval_expr(&text, &lookup)?;
        (v.fract() == 0.0).then_some(v as i64)
    }

    /// `const unsigned char`, `Vector2`, `Texture2D` (alias), `struct rAudioBuffer`.
    fn parse_base_type(&mut self) -> Result<CType, ParseError> {
        let mut words: Vec<String> = Vec::new();
        let mut is_const = false;
        loop {
            match self.peek_ident() {
                Some("const") => {
                    is_const = true;
                    self.pos += 1;
                }
                Some(w) if IGNORED_WORDS.contains(&w) => self.pos += 1,
                Some("struct") => self.pos += 1,
                Some(
                    w @ ("unsigned" | "signed" | "short" | "long" | "int" | "char" | "float"
                    | "double" | "void" | "bool"),
                ) => {
                    words.push(w.to_string());
                    self.pos += 1;
                }
                Some(w) if words.is_empty() => {
                    let w = w.to_string();
                    self.pos += 1;
                    // A trailing `const` (`Vector2 const`) is allowed too.
                    if self.peek_ident() == Some("const") {
                        self.pos += 1;
                        is_const = true;
                    }
                    let _ = is_const;
                    return self.named_type(&w);
                }
                _ => break,
            }
        }
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        match Prim::from_words(&refs) {
            Some(p) => Ok(CType::Prim(p)),
            None => self.err(format!("unknown type `{}`", words.join(" "))),
        }
    }

    fn named_type(&self, name: &str) -> Result<CType, ParseError> {
        if let Some(id) = self.reg.struct_id(name) {
            return Ok(CType::Struct(id));
        }
        if let Some((_, ty)) = self.reg.aliases.iter().find(|(n, _)| n == name) {
            return Ok(ty.clone());
        }
        if self.reg.callbacks.iter().any(|c| c.name == name) {
            return Ok(CType::Callback(name.to_string()));
        }
        if self.reg.enums.iter().any(|e| e.name == name) {
            return Ok(CType::Prim(Prim::Int));
        }
        match name {
            "va_list" => Ok(CType::Opaque("va_list".into())),
            "size_t" => Ok(CType::Prim(Prim::ULong)),
            _ => self.err(format!("unknown type `{name}`")),
        }
    }

    /// `*`, `* const`, `**` after a base type. The `const` of the base applies to the pointee.
    fn parse_pointers(&mut self, base: CType) -> CType {
        let base_const = self.toks[..self.pos]
            .iter()
            .rev()
            .take_while(|t| !matches!(t, Tok::Punct(';' | ',' | '(' | '{' | '}')))
            .any(|t| *t == Tok::Ident("const".into()));
        let mut ty = base;
        let mut first = true;
        while self.peek_is('*') {
            self.pos += 1;
            ty = CType::ptr(ty, first && base_const);
            first = false;
            if self.peek_ident() == Some("const") {
                self.pos += 1;
            }
        }
        ty
    }

    /// `typedef void (*AudioCallback)(void *bufferData, unsigned int frames);`
    fn parse_callback_typedef(&mut self, ret_base: CType, line: usize) -> Result<(), ParseError> {
        self.expect_punct('(')?;
        self.expect_punct('*')?;
        let name = self.expect_ident()?;
        self.doc(&name, line);
        self.expect_punct(')')?;
        let (params, variadic) = self.parse_params()?;
        self.expect_punct(';')?;
        let variadic_list = variadic
            || params
                .iter()
                .any(|p| matches!(&p.ty, CType::Opaque(n) if n == "va_list"));
        self.reg.callbacks.push(CallbackDecl {
            name,
            ret: ret_base,
            params,
            variadic_list,
        });
        Ok(())
    }

    fn parse_function(&mut self) -> Result<(), ParseError> {
        let base = self.parse_base_type()?;
        let ret = self.parse_pointers(base);
        let line = self.line_of(self.pos);
        let name = self.expect_ident()?;
        if self.reg.function(&name).is_none() {
            self.doc(&name, line);
        }
        let (params, variadic) = self.parse_params()?;
        if self.peek_is('{') {
            self.skip_block()?;
        } else {
            self.expect_punct(';')?;
        }
        self.reg.add_function(FuncDecl {
            name,
            ret,
            params,
            variadic,
            source: self.source,
        });
        Ok(())
    }

    /// `(void)`, `(Vector2 a, const char *text, ...)`
    fn parse_params(&mut self) -> Result<(Vec<Param>, bool), ParseError> {
        self.expect_punct('(')?;
        let mut params = Vec::new();
        let mut variadic = false;
        if self.peek_ident() == Some("void")
            && self.toks.get(self.pos + 1) == Some(&Tok::Punct(')'))
        {
            self.pos += 2;
            return Ok((params, false));
        }
        while !self.peek_is(')') {
            if self.peek_is('.') {
                while self.peek_is('.') {
                    self.pos += 1;
                }
                variadic = true;
                continue;
            }
            let base = self.parse_base_type()?;
            let ty = self.parse_pointers(base);
            let name = match self.peek_ident() {
                Some(_) => self.expect_ident()?,
                None => format!("arg{}", params.len() + 1),
            };
            let ty = self.parse_array_suffix(ty)?;
            // An array parameter is a pointer in C.
            let ty = match ty {
                CType::Array { of, .. } => CType::ptr(*of, false),
                t => t,
            };
            params.push(Param { name, ty });
            if self.peek_is(',') {
                self.pos += 1;
            }
        }
        self.expect_punct(')')?;
        Ok((params, variadic))
    }

    /// Adds a constant or a function alias; false when `name` means nothing new.
    fn add_define(&mut self, name: &str, body: &str) -> bool {
        if body.is_empty() || self.reg.defines.iter().any(|d| d.name == name) {
            return false;
        }
        let value = if let Some(color) = parse_color_literal(body) {
            Some(DefineValue::Color(color))
        } else if let Some(s) = body.strip_prefix('"').and_then(|b| b.strip_suffix('"')) {
            Some(DefineValue::Str(s.to_string()))
        } else if self.reg.function(body).is_some() {
            // `#define GetMouseRay GetScreenToWorldRay`: a function under an old name.
            self.reg
                .function_aliases
                .push((name.to_string(), body.to_string()));
            None
        } else {
            let is_float = body.contains('.') && !body.contains('"');
            let lookup = |n: &str| -> Option<f64> {
                self.reg
                    .enum_value(n)
                    .map(|v| v as f64)
                    .or_else(|| match self.reg.define(n) {
                        Some(DefineValue::Int(i)) => Some(*i as f64),
                        Some(DefineValue::Float(f)) => Some(*f),
                        _ => None,
                    })
            };
            eval_expr(body, &lookup).map(|v| {
                if is_float || v.fract() != 0.0 {
                    DefineValue::Float(v)
                } else {
                    DefineValue::Int(v as i64)
                }
            })
        };
        if let Some(value) = value {
            self.reg.defines.push(Define {
                name: name.to_string(),
                value,
            });
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Registry {
        let mut reg = Registry::default();
        parse_into(&mut reg, text, Source::Custom).unwrap();
        reg
    }

    #[test]
    fn structs_aliases_and_arrays() {
        let reg = parse(
            "typedef struct V2 { float x; float y; } V2;\n\
             typedef struct Glyph { int value; unsigned char r, g; char name[32]; V2 *pts; } Glyph;\n\
             typedef V2 Point;",
        );
        let g = &reg.structs[reg.struct_id("Glyph").unwrap()];
        let names: Vec<_> = g.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["value", "r", "g", "name", "pts"]);
        assert_eq!(
            g.fields.iter().map(|f| f.offset).collect::<Vec<_>>(),
            [0, 4, 5, 6, 40]
        );
        assert_eq!(g.layout.size, 48);
        assert_eq!(reg.struct_id("Point"), reg.struct_id("V2"));
    }

    #[test]
    fn enums_defines_and_functions() {
        let reg = parse(
            "#define PI 3.14159265358979323846f\n#define DEG2RAD (PI/180.0f)\n\
             #define RED CLITERAL(Color){ 230, 41, 55, 255 }\n#define VERSION \"6.0\"\n\
             #define FOO(x) (x)\n\
             typedef enum { A = 0x10, B, C = 1 << 3 } E;\n\
             #define OLD_B B\n\
             RLAPI const char *Name(int key, ...);  // doc\n\
             RMAPI float Twice(float v) { return v*2; }\n\
             #define OldTwice Twice\n",
        );
        assert_eq!(reg.enum_value("B"), Some(17));
        assert_eq!(reg.enum_value("C"), Some(8));
        assert_eq!(reg.define("OLD_B"), Some(&DefineValue::Int(17)));
        assert_eq!(
            reg.define("RED"),
            Some(&DefineValue::Color([230, 41, 55, 255]))
        );
        assert_eq!(reg.define("VERSION"), Some(&DefineValue::Str("6.0".into())));
        match reg.define("DEG2RAD") {
            Some(DefineValue::Float(v)) => assert!((v - std::f64::consts::PI / 180.0).abs() < 1e-9),
            other => panic!("{other:?}"),
        }
        assert!(reg.define("FOO").is_none());
        let name = reg.function("Name").unwrap();
        assert!(name.variadic);
        assert_eq!(reg.type_name(&name.ret), "const char *");
        assert!(reg.function("Twice").is_some());
        assert_eq!(reg.doc("Name"), Some("doc"));
        assert_eq!(reg.doc("RED"), None);
        assert_eq!(reg.doc("B"), None);
        assert_eq!(reg.function_aliases, [("OldTwice".into(), "Twice".into())]);
    }

    #[test]
    fn docs_stay_on_their_lines_after_continued_defines_and_block_comments() {
        let reg = parse(
            "/* a\n block */\n#define LONG (1 + \\\n 2)   // three\n\
             // A pair\n\
             typedef struct P {\n int a; /* no */ int b; // the b\n} P;\n\
             typedef enum { K_A = 1, // first\n K_B } K;\n\
             RLAPI void Go(void);  // go\n\
             RLAPI void Stay(void);\n",
        );
        assert_eq!(reg.define("LONG"), Some(&DefineValue::Int(3)));
        assert_eq!(reg.doc("LONG"), Some("three"));
        assert_eq!(reg.doc("P"), Some("A pair"));
        assert_eq!(reg.doc("P.b"), Some("the b"));
        assert_eq!(reg.doc("P.a"), Some("the b"), "a shares b's line");
        assert_eq!(reg.doc("K_A"), Some("first"));
        assert_eq!(reg.doc("K_B"), None);
        assert_eq!(reg.doc("Go"), Some("go"));
        assert_eq!(reg.doc("Stay"), None);
    }
}
