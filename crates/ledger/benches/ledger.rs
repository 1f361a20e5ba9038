//! One full ledger evaluation on the embedded (latest year's) dataset, and
//! every year under every option set of the sensitivity grid.
//! Run: cargo bench -p fedsplit-ledger --bench ledger

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use fedsplit_data::Dataset;
use fedsplit_ledger::{Ledger, LedgerTable, Method, Options};

fn bench(c: &mut Criterion) {
    let data = Dataset::embedded().expect("embedded dataset loads");
    let ledger = Ledger::new(&data).expect("keys are valid");
    let mut table = LedgerTable::with_states(data.len());
    let flow = Options::default();
    let benefit = Options {
        method: Method::Benefit,
        ..Options::default()
    };
    c.bench_function("ledger compute_into (flow, default options)", |b| {
        b.iter(|| ledger.compute_into(black_box(&flow), &mut table))
    });
    c.bench_function("ledger compute_into (benefit)", |b| {
        b.iter(|| ledger.compute_into(black_box(&benefit), &mut table))
    });
    // What a series over every option set costs once the years are loaded:
    // four years × the 90 option sets of the sensitivity grid.
    let years: Vec<Dataset> = fedsplit_data::EMBEDDED_YEARS
        .iter()
        .map(|&y| Dataset::open(None, Some(y)).expect("embedded year loads"))
        .collect();
    let ledgers: Vec<Ledger> = years
        .iter()
        .map(|d| Ledger::new(d).expect("keys are valid"))
        .collect();
    let grid = Options::sensitivity_grid();
    c.bench_function(
        "every year × every option set (4 × 90 evaluations)",
        |b| {
            b.iter(|| {
                for ledger in &ledgers {
                    for options in &grid {
                        ledger.compute_into(black_box(options), &mut table);
                    }
                }
            })
        },
    );
    c.bench_function("dataset load + key shares (embedded)", |b| {
        b.iter(|| {
            let data = Dataset::embedded().expect("loads");
            black_box(
                Ledger::new(&data)
                    .map(|l| l.keys().get(fedsplit_ledger::Key::Population)[0])
                    .ok(),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
