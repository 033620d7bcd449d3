//! The one table of functions the generator never calls, with why. `lunaray fuzz` prints
//! it; a crash class that is not fixed yet belongs here, named, never silently skipped.

/// Function name and reason.
pub const EXCLUDED: &[(&str, &str)] = &[
    (
        "InitWindow",
        "window churn: the worker opens its window once, at its start; another would lose the pool's GPU values",
    ),
    (
        "CloseWindow",
        "window churn: every later call of the worker would be a 'needs an open window' error",
    ),
    (
        "WaitTime",
        "sleeps as long as asked (WaitTime(1e9) is a 30-year sleep, not a bug): the watchdog would call it a hang",
    ),
    (
        "SetTargetFPS",
        "paces EndDrawing: a low target makes every frame sleep up to a second, so the run would crawl",
    ),
    (
        "LoadImageRaw",
        "crash class left: raylib copies the pixels from the file's data + headerSize without checking headerSize against the file's size",
    ),
    (
        "GenImageFontAtlas",
        "crash class left: glyphCount is not checked against the glyphs array (no count parameter follows it)",
    ),
    (
        "TextAppend",
        "crash class left: appends into a raylib pointer whose size lunaray does not track",
    ),
    (
        "TextReplaceBetween",
        "crash class left: found by the fuzzer with long replacements, not analysed yet",
    ),
    (
        "ImageText",
        "crash class left: raylib scales the text image with ImageResizeNN to (int)(width*scale) and divides by it when that is 0 (a text of newlines, or a font size below the font's base size)",
    ),
    (
        "ImageTextEx",
        "crash class left: raylib scales the text image with ImageResizeNN to (int)(width*scale) and divides by it when that is 0 (a text of newlines, or a font size below the font's base size)",
    ),
    (
        "ImageDrawText",
        "crash class left: raylib scales the text image with ImageResizeNN to (int)(width*scale) and divides by it when that is 0 (a text of newlines, or a font size below the font's base size)",
    ),
    (
        "ImageDrawTextEx",
        "crash class left: raylib scales the text image with ImageResizeNN to (int)(width*scale) and divides by it when that is 0 (a text of newlines, or a font size below the font's base size)",
    ),
    (
        "TextJoin",
        "crash class left: raylib joins into a static buffer and does not count the delimiters against its size",
    ),
];

/// Why `function` is never called by the generator, if it is not.
pub fn reason(function: &str) -> Option<&'static str> {
    EXCLUDED
        .iter()
        .find(|(f, _)| *f == function)
        .map(|(_, r)| *r)
}

/// The table in words, for `lunaray fuzz`'s report.
pub fn table() -> String {
    let width = EXCLUDED.iter().map(|(f, _)| f.len()).max().unwrap_or(0);
    let mut s = format!(
        "functions the generator never calls ({}):\n",
        EXCLUDED.len()
    );
    for (f, r) in EXCLUDED {
        s.push_str(&format!("  {f:width$}  {r}\n"));
    }
    s
}
