//! Scenario evaluation on the embedded FY2022 dataset, with the shipped
//! `bluexit-2024` example.
//! Run: cargo bench -p fedsplit-scenario --bench scenario
//!
//! * `bluexit-2024 overlay`: `overlay::apply` against a precomputed baseline
//!   ledger into reused `StateDeltas`, the work a sweep does per point;
//! * `bluexit-2024 full evaluation`: `fedsplit_scenario::evaluate` (baseline
//!   ledger, overlay, bloc totals, bloc statistics, income classes);
//! * `spec::load bluexit-2024`: parse the TOML and compile it against the dataset.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use fedsplit_data::Dataset;
use fedsplit_ledger::Ledger;
use fedsplit_scenario::{examples, overlay, spec, StateDeltas};

fn bench(c: &mut Criterion) {
    let data = Dataset::embedded().expect("embedded dataset loads");
    let ledger = Ledger::new(&data).expect("keys are valid");
    let text = examples::example("bluexit-2024").expect("shipped example");
    let scenario = spec::load("bluexit-2024.toml", text, &data).expect("example compiles");
    let baseline = ledger.compute(&scenario.options);
    let mut deltas = StateDeltas::zeros(data.len());

    c.bench_function("bluexit-2024 overlay", |b| {
        b.iter(|| overlay::apply(&data, &baseline, black_box(&scenario), &mut deltas))
    });
    c.bench_function("bluexit-2024 full evaluation", |b| {
        b.iter(|| fedsplit_scenario::evaluate(&ledger, black_box(&scenario)).expect("evaluates"))
    });
    c.bench_function("spec::load bluexit-2024", |b| {
        b.iter(|| spec::load("bluexit-2024.toml", black_box(text), &data).expect("compiles"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
