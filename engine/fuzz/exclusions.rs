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
        "StartAutomationEventRecording",
        "crash class left: recording without a list set writes through NULL at the next frame, and raylib keeps the list pointer SetAutomationEventList was given beyond the call (lunaray cannot keep that Lua value alive for it)",
    ),
    (
        "SetAutomationEventList",
        "crash class left: raylib keeps the pointer to the list (a Lua value) beyond the call and writes through it while recording",
    ),
    (
        "PlayAutomationEvent",
        "crash class left: an event's params index raylib's input arrays unchecked (an AutomationEvent has no pointer lunaray could vouch for)",
    ),
    (
        "LoadFont",
        "crash class left: stb_truetype trusts the font file; a malformed TTF/OTF reads and writes outside its buffer",
    ),
    (
        "LoadFontEx",
        "crash class left: stb_truetype trusts the font file; a malformed TTF/OTF reads and writes outside its buffer",
    ),
    (
        "LoadFontFromMemory",
        "crash class left: stb_truetype trusts the font data; malformed TTF/OTF bytes read and write outside the buffer",
    ),
    (
        "LoadFontData",
        "crash class left: stb_truetype trusts the font data; malformed TTF/OTF bytes read and write outside the buffer",
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
