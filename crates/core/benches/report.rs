//! The report over 1,000,000 judgements with 1,000 bootstrap rounds (issue target: < 2 s), and
//! the same with no bootstrap, in the same run, so the bootstrap's share shows.
//!
//! `cargo bench -p screening-core --bench report`

use criterion::{Criterion, criterion_group, criterion_main};
use screening_core::report::synthetic::{self, Shape};
use screening_core::report::{ReportOptions, build_report};

/// 100 personas × 50 reviewers × 4 candidates × 50 criteria = 1,000,000 ratings, plus 5,000
/// preferences and 20,000 flags.
pub const SHAPE: Shape = Shape { personas: 100, reviewers: 50, candidates: 4, criteria: 50 };

/// What `cargo test --all-targets` runs once, to check the bench still works: a small session.
const SMOKE: Shape = Shape { personas: 10, reviewers: 5, candidates: 4, criteria: 5 };

fn bench(c: &mut Criterion) {
    // criterion gets `--bench` from `cargo bench`, not from `cargo test`.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let events = synthetic::session(if benchmarking { SHAPE } else { SMOKE }, 7);
    let options = |rounds| ReportOptions {
        rounds,
        incumbent: Some(synthetic::candidate(0)),
        challenger: Some(synthetic::candidate(1)),
        ..ReportOptions::default()
    };
    let mut group = c.benchmark_group(format!("report/{}_events", events.len()));
    group.sample_size(10);
    group.bench_function("1000_rounds", |b| b.iter(|| build_report(&events, &options(1000))));
    group.bench_function("no_bootstrap", |b| b.iter(|| build_report(&events, &options(0))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
