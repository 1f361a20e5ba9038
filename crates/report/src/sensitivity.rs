//! `fedsplit sensitivity`: each state's net per capita across every
//! combination of method × deficit × corporate key × procurement key.

use fedsplit_ledger::sensitivity::{self, short};
use fedsplit_ledger::{Ledger, OptionKey};
use serde::Serialize;

use crate::Meta;

/// The grid's shape.
#[derive(Debug, Clone, Serialize)]
pub struct Grid {
    pub combinations: usize,
    pub axes: [&'static str; 4],
    pub interest_and_residual: &'static str,
}

/// One state's range.
#[derive(Debug, Clone, Serialize)]
pub struct StateRange {
    pub state: &'static str,
    pub default_net_per_capita_usd: f64,
    pub min_net_per_capita_usd: f64,
    pub min_at: String,
    pub max_net_per_capita_usd: f64,
    pub max_at: String,
    pub receiver_in: usize,
    pub sign: &'static str,
    /// For the table: the state's name.
    #[serde(skip)]
    pub name: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    pub meta: Meta,
    pub grid: Grid,
    pub states: Vec<StateRange>,
}

pub fn build(ledger: &Ledger) -> Sensitivity {
    let (ranges, n) = sensitivity::ranges(ledger);
    Sensitivity {
        meta: Meta::new(ledger.data(), "sensitivity", None),
        grid: Grid {
            combinations: n,
            axes: [
                OptionKey::Method.key(),
                OptionKey::Deficit.key(),
                OptionKey::CorporateKey.key(),
                OptionKey::ProcurementKey.key(),
            ],
            interest_and_residual: "each method's default",
        },
        states: ranges
            .iter()
            .map(|r| StateRange {
                state: r.state.postal(),
                default_net_per_capita_usd: r.default,
                min_net_per_capita_usd: r.min,
                min_at: short(&r.min_options),
                max_net_per_capita_usd: r.max,
                max_at: short(&r.max_options),
                receiver_in: r.receiver_count,
                sign: r.sign.label(),
                name: r.state.name(),
            })
            .collect(),
    }
}
