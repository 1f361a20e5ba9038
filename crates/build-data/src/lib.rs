//! Reads the raw public sources under `shared/data/raw` and produces the
//! project's compact tables under `data/`, with a manifest that records, for
//! every column, publisher, table, year, units and the sha256 of each input.
//!
//! Each source module returns typed rows; `write` turns them into CSV files.
//! Every number is an integer (dollars, persons or votes), so the output is
//! byte-stable across machines.

pub mod error;
pub mod model;
pub mod sheet;

pub mod bea;
pub mod counties;
pub mod elections;
pub mod federal_spending;
pub mod irs;
pub mod map;
pub mod omb;
pub mod population;
pub mod state_taxes;
pub mod write;

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
