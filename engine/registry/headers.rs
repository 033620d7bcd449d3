//! The C headers the registry is read from, as data: one entry per library, with the words
//! that mark its API functions, where its API ends, and the configuration macros it is read
//! without. Binding another raylib-style library is one more entry here (its sources linked
//! into libraylib by build.rs).

use super::Source;

/// One header and how to read it.
#[derive(Clone, Copy, Debug)]
pub struct HeaderSpec {
    /// The library's name, as `lunaray api` shows it.
    pub library: &'static str,
    pub source: Source,
    pub text: &'static str,
    /// Words that start one of its function declarations (`RLAPI`).
    pub api_words: &'static [&'static str],
    /// The API ends where this text begins (the implementation below it is not read).
    pub api_end: Option<&'static str>,
    /// Macros read as undefined: their `#if defined(..)` blocks are left out.
    pub undefined: &'static [&'static str],
}

impl HeaderSpec {
    /// The part of the header that declares the API.
    pub fn api_text(&self) -> &'static str {
        match self.api_end {
            Some(end) => self.text.split(end).next().unwrap_or_default(),
            None => self.text,
        }
    }
}

/// raylib's headers, as shipped in the raylib-sys crate lunaray was built from, and raygui
/// from the same crate (`binding/raygui.h`). Read in this order; a name declared twice keeps
/// its first declaration.
pub const HEADERS: &[HeaderSpec] = &[
    HeaderSpec {
        library: "raylib",
        source: Source::Raylib,
        text: RAYLIB_H,
        api_words: &["RLAPI"],
        api_end: None,
        undefined: &[],
    },
    HeaderSpec {
        library: "raymath",
        source: Source::Raymath,
        text: RAYMATH_H,
        // raymath's functions are defined in the header (`RMAPI` is `static inline` or
        // `extern`); their bodies are skipped.
        api_words: &["RMAPI"],
        api_end: None,
        undefined: &[],
    },
    HeaderSpec {
        library: "rlgl",
        source: Source::Rlgl,
        text: RLGL_H,
        api_words: &["RLAPI"],
        // rlgl.h carries its implementation below the API.
        api_end: Some("#if defined(RLGL_IMPLEMENTATION)"),
        undefined: &[],
    },
    HeaderSpec {
        library: "raygui",
        source: Source::Raygui,
        text: RAYGUI_H,
        api_words: &["RAYGUIAPI"],
        api_end: Some("#if defined(RAYGUI_IMPLEMENTATION)"),
        // Standalone raygui declares its own copies of raylib's types (Vector2, Font...).
        undefined: &["RAYGUI_STANDALONE"],
    },
];

pub const RAYLIB_H: &str = include_str!(concat!(env!("LUNARAY_RAYLIB_INCLUDE"), "/raylib.h"));
pub const RAYMATH_H: &str = include_str!(concat!(env!("LUNARAY_RAYLIB_INCLUDE"), "/raymath.h"));
pub const RLGL_H: &str = include_str!(concat!(env!("LUNARAY_RAYLIB_INCLUDE"), "/rlgl.h"));
pub const RAYGUI_H: &str = include_str!(env!("LUNARAY_RAYGUI_H"));
/// Where raygui.h is (it includes raylib.h by a path relative to itself).
pub const RAYGUI_H_PATH: &str = env!("LUNARAY_RAYGUI_H");

/// The directory holding raylib's headers (raylib-sys's build output), for tools and tests
/// that compile C against the same declarations.
pub const INCLUDE_DIR: &str = env!("LUNARAY_RAYLIB_INCLUDE");
