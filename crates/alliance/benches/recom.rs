//! ReCom step throughput, one thread, no output.
//! Run: cargo bench -p fedsplit-alliance --bench recom
//!
//! * `recom grid 56x56 k=8 tol 5% mst`: plain ReCom on a 56×56 grid (goal
//!   ≥ 8,500 steps/s, i.e. ≤ 118 µs per step);
//! * `recom counties k=8 tol 5% mst`: plain ReCom on the county graph (goal
//!   ≥ 5,000 steps/s, ≤ 200 µs per step);
//! * `recom grid 56x56 k=8 tol 5% wilson` and `reversible grid 56x56 k=8 tol 5%`:
//!   uniform trees and the reversible chain, for comparison.
//!
//! Each iteration is one chain step; the chain keeps running across
//! iterations, so the figure is the stationary per-step cost.

use criterion::{criterion_group, criterion_main, Criterion};
use fedsplit_alliance::attrs;
use fedsplit_alliance::recom::{initial_plan, Params, Sampler, TreeMethod, Variant};
use fedsplit_alliance::rng::ChainRng;
use fedsplit_alliance::Graph;
use fedsplit_data::Dataset;
use fedsplit_ledger::Options;

fn bench_chain(c: &mut Criterion, name: &str, g: &Graph, params: Params) {
    let mut rng = ChainRng::new(1, 0);
    let start = initial_plan(g, &params, &mut rng).expect("initial plan");
    let mut s = Sampler::new(g, params, &start).expect("valid start");
    for _ in 0..1000 {
        s.step(&mut rng);
    }
    c.bench_function(name, |b| b.iter(|| s.step(&mut rng)));
}

fn bench(c: &mut Criterion) {
    let grid = Graph::grid(56, 56);
    let p = |variant, tree| Params {
        k: 8,
        tol: 0.05,
        variant,
        tree,
    };
    bench_chain(
        c,
        "recom grid 56x56 k=8 tol 5% mst",
        &grid,
        p(Variant::Recom, TreeMethod::Mst),
    );
    let data = Dataset::embedded().expect("embedded dataset");
    let (counties, _) =
        attrs::load(attrs::GraphSpec::Counties, &data, &Options::default()).expect("county graph");
    bench_chain(
        c,
        "recom counties k=8 tol 5% mst",
        &counties,
        p(Variant::Recom, TreeMethod::Mst),
    );
    bench_chain(
        c,
        "recom grid 56x56 k=8 tol 5% wilson",
        &grid,
        p(Variant::Recom, TreeMethod::Wilson),
    );
    bench_chain(
        c,
        "reversible grid 56x56 k=8 tol 5%",
        &grid,
        p(Variant::Reversible, TreeMethod::Wilson),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
