//! The `meta` object at the top of every JSON answer: what produced it,
//! from which data, under which options.

use fedsplit_data::Dataset;
use fedsplit_ledger::Options;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Units of every amount in the answers.
pub const UNITS: &str = "amounts in US dollars (unrounded); per capita in dollars per resident";

/// Which tool and version, which dataset, which options.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Meta {
    pub tool: &'static str,
    pub version: &'static str,
    pub command: &'static str,
    pub dataset: String,
    /// The federal fiscal year of the figures.
    pub fiscal_year: u16,
    pub dataset_sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<OptionsMeta>,
    pub units: &'static str,
    /// Scenarios: the scenario's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Scenarios: the election whose votes give stranded voters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes_year: Option<u16>,
    /// Time series: every fiscal year covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<Vec<u16>>,
}

impl Meta {
    pub fn new(data: &Dataset, command: &'static str, options: Option<&Options>) -> Meta {
        Meta {
            tool: "fedsplit",
            version: env!("CARGO_PKG_VERSION"),
            command,
            dataset: data.origin.clone(),
            fiscal_year: data.fiscal_year,
            dataset_sha256: data.checksum.clone(),
            options: options.map(|o| OptionsMeta(*o)),
            units: UNITS,
            scenario: None,
            votes_year: None,
            years: None,
        }
    }
}

/// The options in force, as `{key: value}` in the options' order.
#[derive(Debug, Clone, Copy)]
pub struct OptionsMeta(pub Options);

impl Serialize for OptionsMeta {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let pairs = self.0.describe();
        let mut map = s.serialize_map(Some(pairs.len()))?;
        for (k, v) in pairs {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}
