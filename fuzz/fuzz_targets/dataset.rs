//! Fuzz target for the dataset parser: `Dataset::from_tables` must never
//! panic, whatever the table texts. Property: no panic (the Result is ignored).
//!
//! Input scheme (so each table's parser is explored while the others stay valid):
//!
//! * first byte `b`, `b % 9 = i`:
//!   - `i` in 0..8: the rest of the input replaces table `EMBEDDED[i]`
//!     (`states.csv`, `receipt_keys.csv`, `spending.csv`, `controls.csv`,
//!     `borders.csv`, `elections.csv`, `income_classes.csv`, `manifest.csv`);
//!     the other seven tables are the embedded defaults, so parsing and the
//!     cross-table checks get past the other tables.
//!   - `i == 8`: the rest is split on 0x00 into up to 8 texts that replace
//!     the tables in that order; missing pieces fall back to the embedded text
//!     (lets the fuzzer mutate several tables at once).
//! * empty input: all embedded tables (must load).
//!
//! Bytes are converted with `String::from_utf8_lossy`, so any input reaches the
//! CSV parser. Seed corpus: `fuzz/seed_corpus.sh` (writes fuzz/corpus/dataset/).
#![no_main]

use std::borrow::Cow;

use fedsplit_data::{Dataset, EMBEDDED};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let mut texts: [Cow<'_, str>; 8] = EMBEDDED.map(|(_, t)| Cow::Borrowed(t));
    if let Some((&selector, rest)) = input.split_first() {
        let i = usize::from(selector % 9);
        if i < 8 {
            texts[i] = String::from_utf8_lossy(rest);
        } else {
            for (slot, piece) in texts.iter_mut().zip(rest.split(|&b| b == 0)) {
                *slot = String::from_utf8_lossy(piece);
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
