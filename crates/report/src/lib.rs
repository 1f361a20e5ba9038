//! fedsplit's answers as typed values.
//!
//! Each command's answer is a `Serialize` struct built here from the
//! libraries (ledger, scenarios, alliances). The command line formats it as
//! a table, CSV or JSON; the web API serialises the same struct, so the
//! API's JSON is byte for byte the command line's `--format json`.

pub mod alliance;
pub mod blocs;
pub mod explain;
pub mod headline;
pub mod ledger;
pub mod map;
pub mod meta;
pub mod scenario;
pub mod sensitivity;
pub mod series;
pub mod sources;

use serde::ser::{Serialize, SerializeMap, Serializer};

pub use meta::{Meta, OptionsMeta};

/// Why an answer could not be built. Each message is one line.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Data(#[from] fedsplit_data::DataError),
    #[error(transparent)]
    Ledger(#[from] fedsplit_ledger::LedgerError),
    #[error(transparent)]
    Spec(#[from] fedsplit_scenario::spec::SpecError),
    #[error(transparent)]
    Attr(#[from] fedsplit_alliance::attrs::AttrError),
    #[error(transparent)]
    Bloc(#[from] fedsplit_scenario::blocs::BlocError),
    #[error(transparent)]
    Optimize(#[from] fedsplit_alliance::optimize::OptimizeError),
    #[error(transparent)]
    Output(#[from] fedsplit_alliance::output::OutputError),
    /// A request that does not fit the data (a state not in the dataset, an
    /// election year it lacks, …), said in full.
    #[error("{0}")]
    Invalid(String),
}

/// Pretty JSON with a trailing newline: the text of every JSON answer.
pub fn json_text<T: Serialize + ?Sized>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("answers serialise");
    s.push('\n');
    s
}

/// Amounts by line name, serialised as a JSON object in line order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Amounts(pub Vec<(&'static str, f64)>);

impl Serialize for Amounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Postal codes as a JSON array.
pub fn postal_codes(states: &[fedsplit_core::State]) -> Vec<&'static str> {
    states.iter().map(|s| s.postal()).collect()
}
