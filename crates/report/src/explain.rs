//! `fedsplit explain XX`: one state's breakdown, line by line, with each
//! line's key, share, national total, control and grade.

use fedsplit_core::State;
use fedsplit_ledger::{Ledger, Options, ReceiptLine, SpendingLine};
use serde::Serialize;

use crate::{Meta, ReportError};

/// One line of the breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// "receipts" or "spending".
    pub side: &'static str,
    pub line: &'static str,
    pub label: &'static str,
    /// The key (with its source), "per-state amount: …", or why there is none.
    pub key: String,
    /// The state's share of the key (`None` without a key).
    pub share: Option<f64>,
    pub amount_usd: f64,
    pub national_usd: f64,
    pub control: Option<&'static str>,
    pub grade: &'static str,
}

/// One state's breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct Explain {
    pub meta: Meta,
    pub state: &'static str,
    pub name: &'static str,
    pub population: f64,
    pub gdp_usd: f64,
    pub lines: Vec<Line>,
    pub receipts_usd: f64,
    pub spending_usd: f64,
    pub net_usd: f64,
    pub net_per_capita_usd: f64,
    pub net_pct_gdp: f64,
    pub rank: usize,
    /// Spending per dollar of receipts.
    #[serde(skip)]
    pub ratio: f64,
}

fn adjustment_key(deficit: &str) -> String {
    format!("deficit treatment {deficit}")
}

/// One state's breakdown under `options`.
pub fn build(ledger: &Ledger, state: State, options: &Options) -> Result<Explain, ReportError> {
    let data = ledger.data();
    let Some(i) = data.position(state) else {
        return Err(ReportError::Invalid(format!(
            "state {} is not in the dataset ({})",
            state.postal(),
            data.origin
        )));
    };
    let table = ledger.compute(options);
    let mut lines = Vec::new();
    for l in ReceiptLine::ALL {
        let key = l.key(options);
        lines.push(Line {
            side: "receipts",
            line: l.name(),
            label: l.label(),
            key: key.map_or_else(
                || adjustment_key(options.deficit.name()),
                |k| k.describe().to_string(),
            ),
            share: key.map(|k| ledger.keys().get(k)[i]),
            amount_usd: table.receipt(l)[i],
            national_usd: table.receipt(l).iter().sum(),
            control: l.control_id(),
            grade: l.grade().letter(),
        });
    }
    for l in SpendingLine::ALL {
        let key = l.key(options);
        lines.push(Line {
            side: "spending",
            line: l.name(),
            label: l.label(),
            key: match (key, l) {
                (Some(k), l) if l.is_direct(options) => {
                    format!("per-state amount: {}", k.describe())
                }
                (Some(k), _) => k.describe().to_string(),
                (None, SpendingLine::DeficitScaling) => adjustment_key(options.deficit.name()),
                (None, _) => "excluded under these options".to_string(),
            },
            share: key.map(|k| ledger.keys().get(k)[i]),
            amount_usd: table.spend(l)[i],
            national_usd: table.spend(l).iter().sum(),
            control: l.control_id(),
            grade: l.grade().letter(),
        });
    }
    let ranks = table.ranks();
    Ok(Explain {
        meta: Meta::new(data, "explain", Some(options)),
        state: state.postal(),
        name: state.name(),
        population: data.population[i],
        gdp_usd: data.gdp_usd[i],
        lines,
        receipts_usd: table.receipts_total[i],
        spending_usd: table.spending_total[i],
        net_usd: table.net[i],
        net_per_capita_usd: table.net_per_capita[i],
        net_pct_gdp: 100.0 * table.net[i] / data.gdp_usd[i],
        rank: ranks[i],
        ratio: table.spending_total[i] / table.receipts_total[i],
    })
}
