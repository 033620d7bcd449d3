//! Criterion: the cost of one call from Lua into raylib, per case and call path (the same
//! cases and modes as `lunaray bench`, through the same harness). Each measurement is a Lua
//! loop of calls; criterion reports time per call (one "element" = one call).
//!
//!     cargo bench --bench calls
//!     cargo bench --bench calls -- Vector2Add     # one case

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lunaray::bench::calls::{Harness, Mode, CASES};

fn calls(c: &mut Criterion) {
    let harness = Harness::new(None).expect("headless libraylib loads");
    for case in CASES {
        let mut group = c.benchmark_group(case.name);
        group.throughput(Throughput::Elements(1));
        for &mode in Mode::ALL {
            if case.name.starts_with("field")
                && !matches!(mode, Mode::Static | Mode::Planned | Mode::LuajitFfi)
            {
                continue;
            }
            group.bench_function(mode.name(), |b| {
                b.iter_custom(|iters| harness.time(case, mode, iters))
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1))
        .sample_size(20);
    targets = calls
}
criterion_main!(benches);
