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
