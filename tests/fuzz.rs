//! `lunaray fuzz` in the suite: a bounded run of generated hostile calls to every registered
//! function, with a fixed seed, makes no call crash or hang the process (each worker is a
//! child process, so a crash is reported, not suffered).

mod common;

#[test]
fn twenty_thousand_hostile_calls_neither_crash_nor_hang() {
    let out = common::lunaray(&["fuzz", "--calls", "20000", "--seed", "1"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = format!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("functions the generator never calls"),
        "{report}"
    );
    assert!(stdout.contains(": 20000 calls in "), "{report}");
    assert!(stdout.contains("  crashes: 0\n"), "{report}");
    assert!(stdout.contains("  hangs: 0\n"), "{report}");
    assert!(out.status.success(), "{report}");
}

#[test]
fn the_same_seed_lists_the_same_calls() {
    let list = || common::lunaray(&["fuzz", "--list", "--calls", "300", "--seed", "7"]).stdout;
    let (a, b) = (list(), list());
    assert_eq!(a, b);
    let text = String::from_utf8_lossy(&a);
    assert_eq!(text.lines().count(), 300);
    // Calls, and accesses to pool values (indexing, writes, lengths, fields).
    assert!(
        text.lines().all(|l| l.contains("rl.") || l.contains("P[")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("local v = P[")),
        "{text}"
    );
}
