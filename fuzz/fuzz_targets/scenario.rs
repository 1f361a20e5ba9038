//! Fuzz target for scenario files: `spec::load` (TOML parse + compile against
//! the embedded dataset) and, when the scenario compiles, `evaluate` must
//! never panic, whatever the text. Property: no panic (errors are fine).
//!
//! Input scheme: the bytes, through `String::from_utf8_lossy`, are the TOML
//! text of the scenario file. The embedded FY2022 dataset and its `Ledger`
//! are built once (`OnceLock`) and shared by every execution.
//!
//! Seed corpus: `fuzz/seed_corpus.sh scenario` (the shipped `scenarios/*.toml`
//! plus variants, into fuzz/corpus/scenario/); dictionary: `fuzz/scenario.dict`.
#![no_main]

use std::hint::black_box;
use std::sync::OnceLock;

use fedsplit_data::Dataset;
use fedsplit_ledger::Ledger;
use fedsplit_scenario::spec;
use libfuzzer_sys::fuzz_target;

static DATA: OnceLock<Dataset> = OnceLock::new();
static LEDGER: OnceLock<Ledger<'static>> = OnceLock::new();

fn ledger() -> &'static Ledger<'static> {
    LEDGER.get_or_init(|| {
        let data = DATA.get_or_init(|| Dataset::embedded().expect("embedded dataset loads"));
        Ledger::new(data).expect("embedded keys are valid")
    })
}

fuzz_target!(|input: &[u8]| {
    let ledger = ledger();
    let text = String::from_utf8_lossy(input);
    let scenario = match spec::load("fuzz.toml", &text, ledger.data()) {
        Ok(s) => s,
        Err(e) => {
            // Formatting the error is part of what a user sees.
            black_box(e.to_string());
            return;
        }
    };
    match fedsplit_scenario::evaluate(ledger, &scenario) {
        Ok(ev) => {
            let mut touch = ev.budget.deficit_after() + ev.budget.spending_cut;
            for i in 0..ev.deltas.federal_taxes.len() {
                touch += ev.deltas.net(i);
            }
            for b in &ev.blocs {
                touch += b.net + b.net_per_resident + b.dollar_ratio.unwrap_or(0.0);
            }
            touch += ev.bloc_stats.len() as f64;
            touch += ev.countries.as_ref().map_or(0, |c| c.len()) as f64;
            touch += (ev.income.len() + ev.income_summary.len()) as f64;
            black_box(touch);
        }
        Err(e) => {
            black_box(e.to_string());
        }
    }
});
