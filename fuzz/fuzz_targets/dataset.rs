//! Fuzz target for the table reader: `Dataset::from_tables` and the county
//! and map tables (`Counties::parse`, `StatePaths::parse`) must never panic,
//! whatever the texts. Property: no panic (the Results are ignored).
//!
//! Input scheme (so each table's parser is explored while the others stay valid):
//!
//! * first byte `b`, `b % 12 = i`:
//!   - `i` in 0..8: the rest of the input replaces table `EMBEDDED[i]`
//!     (`states.csv`, `receipt_keys.csv`, `spending.csv`, `controls.csv`,
//!     `borders.csv`, `elections.csv`, `income_classes.csv`, `manifest.csv`);
//!     the other seven tables are the embedded defaults, so parsing and the
//!     cross-table checks get past the other tables.
//!   - `i` in 8..11: the rest replaces `EMBEDDED_MAPS[i - 8]` (`counties.csv`,
//!     `county_edges.csv`, `state_paths.csv`), read against the embedded dataset.
//!   - `i == 11`: the rest is split on 0x00 into up to 8 texts that replace
//!     the dataset's tables in that order; missing pieces fall back to the
//!     embedded text (lets the fuzzer mutate several tables at once).
//! * empty input: all embedded tables (must load).
//!
//! Bytes are converted with `String::from_utf8_lossy`, so any input reaches the
//! CSV parser. Seed corpus: `fuzz/seed_corpus.sh` (writes fuzz/corpus/dataset/).
#![no_main]

use std::borrow::Cow;
use std::sync::OnceLock;

use fedsplit_data::{Counties, Dataset, StatePaths, TableText, EMBEDDED, EMBEDDED_MAPS};
use libfuzzer_sys::fuzz_target;

static DATA: OnceLock<Dataset> = OnceLock::new();

fn table(name: &str, text: &str) -> TableText {
    TableText {
        label: name.to_string(),
        text: text.to_string(),
    }
}

fuzz_target!(|input: &[u8]| {
    let mut texts: [Cow<'_, str>; 8] = EMBEDDED.map(|(_, t)| Cow::Borrowed(t));
    if let Some((&selector, rest)) = input.split_first() {
        let i = usize::from(selector % 12);
        match i {
            0..=7 => texts[i] = String::from_utf8_lossy(rest),
            8..=10 => {
                let data = DATA.get_or_init(|| Dataset::embedded().expect("embedded data loads"));
                let fuzzed = String::from_utf8_lossy(rest);
                let [(nodes, nodes_text), (edges, edges_text), (paths, _)] = EMBEDDED_MAPS;
                let _ = match i {
                    8 => Counties::parse(&table(nodes, &fuzzed), &table(edges, edges_text), data)
                        .map(|_| ()),
                    9 => Counties::parse(&table(nodes, nodes_text), &table(edges, &fuzzed), data)
                        .map(|_| ()),
                    _ => StatePaths::parse(&table(paths, &fuzzed)).map(|_| ()),
                };
                return;
            }
            _ => {
                for (slot, piece) in texts.iter_mut().zip(rest.split(|&b| b == 0)) {
                    *slot = String::from_utf8_lossy(piece);
                }
            }
        }
    }
    let files: Vec<(&str, &str)> = EMBEDDED
        .iter()
        .zip(texts.iter())
        .map(|((name, _), text)| (*name, text.as_ref()))
        .collect();
    let _ = Dataset::from_tables("fuzz", &files);
});
