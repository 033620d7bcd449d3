//! The font loaders whose TrueType bytes stb_truetype parses unchecked, with the parameters
//! that say what it parses: the file (or bytes), the font size, the codepoints and their count,
//! the glyph type. The executor checks the bytes with `marshal::font_check` before the call
//! (`contracts::check_font`), only on these plans, and only where raylib takes the TrueType
//! path (a `.ttf`/`.otf` extension or file type; other fonts go elsewhere in raylib).

/// Where the font's bytes come from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Source {
    /// A file name parameter, the format picked by its extension.
    File(&'static str),
    /// Bytes and their count, with the file type parameter that picks the format (none: always
    /// TrueType, `LoadFontData`).
    Memory {
        file_type: Option<&'static str>,
        data: &'static str,
        size: &'static str,
    },
}

/// One loader: its source, and its size, codepoints, count and type parameters (None: raylib's
/// own value, as `LoadFont` passes 32 and the default 95 codepoints).
#[derive(Debug)]
pub struct FontLoader {
    pub function: &'static str,
    pub source: Source,
    pub size: Option<&'static str>,
    pub codepoints: Option<(&'static str, &'static str)>,
    pub kind: Option<&'static str>,
    /// Whether raylib packs an atlas from the glyphs (all but `LoadFontData`).
    pub atlas: bool,
}

/// `LoadFont`'s TrueType size and codepoint count (rtext.c `FONT_TTF_DEFAULT_SIZE`,
/// `FONT_TTF_DEFAULT_NUMCHARS`): also raylib's count for a count of 0.
pub const DEFAULT_SIZE: i32 = 32;
pub const DEFAULT_COUNT: u32 = 95;

pub const FONT_LOADERS: &[FontLoader] = &[
    FontLoader {
        function: "LoadFont",
        source: Source::File("fileName"),
        size: None,
        codepoints: None,
        kind: None,
        atlas: true,
    },
    FontLoader {
        function: "LoadFontEx",
        source: Source::File("fileName"),
        size: Some("fontSize"),
        codepoints: Some(("codepoints", "codepointCount")),
        kind: None,
        atlas: true,
    },
    FontLoader {
        function: "LoadFontFromMemory",
        source: Source::Memory {
            file_type: Some("fileType"),
            data: "fileData",
            size: "dataSize",
        },
        size: Some("fontSize"),
        codepoints: Some(("codepoints", "codepointCount")),
        kind: None,
        atlas: true,
    },
    FontLoader {
        function: "LoadFontData",
        source: Source::Memory {
            file_type: None,
            data: "fileData",
            size: "dataSize",
        },
        size: Some("fontSize"),
        codepoints: Some(("codepoints", "codepointCount")),
        kind: Some("type"),
        atlas: false,
    },
];

/// The font loader entry of `function`, if it is one.
pub fn for_function(function: &str) -> Option<&'static FontLoader> {
    FONT_LOADERS.iter().find(|l| l.function == function)
}

/// Whether raylib takes the TrueType path for this extension or file type (`GetFileExtension`
/// of a path, lowered and cut to 15 bytes as `LoadFontFromMemory` does).
pub fn is_truetype(ext: &[u8]) -> bool {
    let ext = &ext[..ext.len().min(15)];
    ext.eq_ignore_ascii_case(b".ttf") || ext.eq_ignore_ascii_case(b".otf")
}

/// raylib's `GetFileExtension`: from the last '.' of the path, unless it starts the path.
pub fn extension(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'.') {
        Some(dot) if dot > 0 => &path[dot..],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

    #[test]
    fn every_loader_names_parameters_of_raylib() {
        let reg = Registry::raylib();
        for l in FONT_LOADERS {
            let f = reg.function(l.function).unwrap();
            let has = |p: &str| f.params.iter().any(|q| q.name == p);
            let mut names = vec![];
            match l.source {
                Source::File(p) => names.push(p),
                Source::Memory {
                    file_type,
                    data,
                    size,
                } => names.extend(file_type.into_iter().chain([data, size])),
            }
            names.extend(l.size);
            names.extend(l.codepoints.into_iter().flat_map(|(a, b)| [a, b]));
            names.extend(l.kind);
            for p in names {
                assert!(has(p), "{}.{p}", l.function);
            }
        }
        assert!(is_truetype(b".TTF") && !is_truetype(b".fnt") && !is_truetype(b""));
        assert_eq!(extension(b"a/b.c/font.Otf"), b".Otf");
        assert_eq!(extension(b".ttf"), b"");
    }
}
