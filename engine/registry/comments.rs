//! raylib's own documentation: the `//` comments of its headers, found by line. A
//! declaration's doc is the comment at the end of its line (`RLAPI void InitWindow(...); //
//! Initialize window and OpenGL context`), else the `//` lines right above it (`// Vector2, 2
//! components` over `typedef struct Vector2 {`). Block comments are licence and overview
//! text, never a declaration's doc.

/// What one line of a header holds outside block comments.
#[derive(Default)]
struct Line {
    /// Anything but whitespace and comments.
    has_code: bool,
    /// The text of its `//` comment, trimmed.
    comment: Option<String>,
}

pub(super) struct Comments {
    lines: Vec<Line>,
}

impl Comments {
    pub(super) fn new(text: &str) -> Comments {
        let mut lines = Vec::new();
        let mut in_block = false;
        for raw in text.lines() {
            let b = raw.as_bytes();
            let mut line = Line::default();
            let mut in_str = false;
            let mut i = 0;
            while i < b.len() {
                let c = b[i];
                if in_block {
                    if c == b'*' && b.get(i + 1) == Some(&b'/') {
                        in_block = false;
                        i += 1;
                    }
                } else if in_str {
                    if c == b'\\' {
                        i += 1;
                    } else if c == b'"' {
                        in_str = false;
                    }
                } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
                    line.comment = Some(raw[i + 2..].trim().to_string());
                    break;
                } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
                    in_block = true;
                    i += 1;
                } else if !c.is_ascii_whitespace() {
                    line.has_code = true;
                    in_str = c == b'"';
                }
                i += 1;
            }
            lines.push(line);
        }
        Comments { lines }
    }

    /// The doc of a declaration on (0-based) `line`, if raylib wrote one.
    pub(super) fn doc_at(&self, line: usize) -> Option<String> {
        let here = self.lines.get(line)?;
        if let Some(c) = here.comment.as_deref().filter(|c| is_text(c)) {
            return Some(c.to_string());
        }
        // The comment lines right above, up to a blank line, code or a `//----` rule.
        let mut above = Vec::new();
        for l in self.lines[..line].iter().rev() {
            match &l.comment {
                Some(c) if !l.has_code && is_text(c) => above.push(c.as_str()),
                _ => break,
            }
        }
        above.reverse();
        (!above.is_empty()).then(|| above.join("\n"))
    }
}

/// Not empty and not a ruler line (`//------`).
fn is_text(comment: &str) -> bool {
    comment.chars().any(|c| c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::Comments;

    #[test]
    fn trailing_comment_then_the_lines_above() {
        let c = Comments::new(
            "/* licence\n// not a doc */\n//----\n// Vector2, 2 components\n\
             typedef struct Vector2 {\n    float x; // x \"component\"\n    float y;\n} Vector2;\n\
             \n// Clamp\n// a value\nRMAPI float Clamp(float v)\n",
        );
        assert_eq!(c.doc_at(1), None);
        assert_eq!(c.doc_at(4).as_deref(), Some("Vector2, 2 components"));
        assert_eq!(c.doc_at(5).as_deref(), Some("x \"component\""));
        assert_eq!(c.doc_at(6), None);
        assert_eq!(c.doc_at(11).as_deref(), Some("Clamp\na value"));
        assert_eq!(c.doc_at(99), None);
    }
}
