//! Fuzz target for the table reader: `Dataset::from_tables` and the county
//! and map tables (`Counties::parse`, `StatePaths::parse`,
//! `CountyPaths::parse`) must never panic, whatever the texts. Property: no
//! panic (the Results are ignored).
//!
//! Input scheme (so each table's parser is explored while the others stay valid):
//!
//! * first byte `b`, `b % 14 = i`:
//!   - `i` in 0..9: the rest of the input replaces table `schema::ALL_FILES[i]`
//!     (`dataset.csv`, `states.csv`, `receipt_keys.csv`, `spending.csv`,
//!     `controls.csv`, `borders.csv`, `elections.csv`, `income_classes.csv`,
//!     `manifest.csv`) of the latest embedded year; the others are the
//!     embedded texts, so parsing and the cross-table checks get past them.
//!   - `i` in 9..13: the rest replaces `EMBEDDED_MAPS[i - 9]` (`counties.csv`,
//!     `county_edges.csv`, `state_paths.csv`, `county_paths.csv`), read
//!     against the embedded dataset (the county paths against its counties).
//!   - `i == 13`: the rest is split on 0x00 into up to 9 texts that replace
//!     the dataset's tables in that order; missing pieces fall back to the
//!     embedded text (lets the fuzzer mutate several tables at once).
//! * empty input: all embedded tables (must load).
//!
//! Bytes are converted with `String::from_utf8_lossy`, so any input reaches the
//! CSV parser. Seed corpus: `fuzz/seed_corpus.sh` (writes fuzz/corpus/dataset/).
#![no_main]

use std::sync::OnceLock;

use fedsplit_data::schema::ALL_FILES;
use fedsplit_data::{
    Counties, CountyPaths, Dataset, Source, StatePaths, TableText, EMBEDDED_MAPS, EMBEDDED_YEARS,
};
use libfuzzer_sys::fuzz_target;

static DATA: OnceLock<Dataset> = OnceLock::new();
static COUNTIES: OnceLock<Counties> = OnceLock::new();
static TEXTS: OnceLock<Vec<String>> = OnceLock::new();

/// The latest embedded year's tables, in `ALL_FILES` order.
fn embedded_texts() -> &'static [String] {
    TEXTS.get_or_init(|| {
        let source = Source::Embedded {
            year: *EMBEDDED_YEARS.last().expect("a year is embedded"),
        };
        ALL_FILES
            .iter()
            .map(|name| source.read(name).expect("embedded table").text)
            .collect()
    })
}

fn table(name: &str, text: &str) -> TableText {
    TableText {
        label: name.to_string(),
        text: text.to_string(),
    }
}

fuzz_target!(|input: &[u8]| {
    let mut texts: Vec<String> = embedded_texts().to_vec();
    if let Some((&selector, rest)) = input.split_first() {
        let i = usize::from(selector % 14);
        match i {
            0..=8 => texts[i] = String::from_utf8_lossy(rest).into_owned(),
            9..=12 => {
                let data = DATA.get_or_init(|| Dataset::embedded().expect("embedded data loads"));
                let fuzzed = String::from_utf8_lossy(rest);
                let [(nodes, nodes_text), (edges, edges_text), (paths, _), (county_paths, _)] =
                    EMBEDDED_MAPS;
                let _ = match i {
                    9 => Counties::parse(&table(nodes, &fuzzed), &table(edges, edges_text), data)
                        .map(|_| ()),
                    10 => Counties::parse(&table(nodes, nodes_text), &table(edges, &fuzzed), data)
                        .map(|_| ()),
                    11 => StatePaths::parse(&table(paths, &fuzzed)).map(|_| ()),
                    _ => {
                        let counties = COUNTIES
                            .get_or_init(|| data.counties().expect("embedded counties load"));
                        CountyPaths::parse(&table(county_paths, &fuzzed), counties).map(|_| ())
                    }
                };
                return;
            }
            _ => {
                for (slot, piece) in texts.iter_mut().zip(rest.split(|&b| b == 0)) {
                    *slot = String::from_utf8_lossy(piece).into_owned();
                }
            }
        }
    }
    let files: Vec<(&str, &str)> = ALL_FILES
        .iter()
        .zip(texts.iter())
        .map(|(name, text)| (*name, text.as_str()))
        .collect();
    let _ = Dataset::from_tables("fuzz", &files);
});
