//! Reads the raw public sources under `shared/data/raw` and produces the
//! project's compact tables under `data/`: a folder per fiscal year
//! (`years::YEARS`) beside the tables every year shares, with a manifest per
//! year that records, for every column, publisher, table, the year its
//! figures are of, units and the sha256 of each input.
//!
//! Each source module returns typed rows; `write` turns them into CSV files.
//! Every number is an integer (dollars, persons or votes), so the output is
//! byte-stable across machines.

pub mod error;
pub mod model;
pub mod sheet;

pub mod bea;
pub mod counties;
pub mod county_map;
pub mod elections;
pub mod federal_spending;
pub mod irs;
pub mod map;
pub mod omb;
pub mod population;
pub mod state_taxes;
pub mod write;
pub mod years;

pub use error::BuildError;
pub use model::{ControlRow, ElectionRow, Source, StateColumn};
pub mod geography;

use std::path::PathBuf;

/// The raw-data root: `$FEDSPLIT_RAW` if set, else `../shared/data/raw`
/// beside the workspace. `None` when it does not exist (tests then skip).
pub fn default_raw_root() -> Option<PathBuf> {
    let path = match std::env::var_os("FEDSPLIT_RAW") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/raw"),
    };
    path.is_dir().then_some(path)
}

/// The raw-data root for a test that needs it. Without it the test is
/// skipped, and says so on the terminal (written past libtest's capture, so
/// a skip is never silent); under `CI=true` a missing root fails the test,
/// since CI runs with `shared/` beside the clone.
pub fn raw_root_for_test(test: &str) -> Option<PathBuf> {
    if let Some(root) = default_raw_root() {
        return Some(root);
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "{test}: CI must have the raw sources (../shared/data/raw or $FEDSPLIT_RAW)"
    );
    skip_notice(
        test,
        "raw data not present (../shared/data/raw or $FEDSPLIT_RAW)",
    );
    None
}

/// Tells the terminal that a test skipped, bypassing the test harness's
/// capture of `eprintln!` so that the skip shows in `cargo test`'s output.
pub fn skip_notice(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}
