//! `fedsplit explain XX`: one state's breakdown, line by line, with each
//! line's key, share, national total, control and grade.

use fedsplit_core::State;
use fedsplit_ledger::{Budget, Ledger, Options, ReceiptLine, SpendingLine};
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
    /// The year the key's figures come from when it is not the fiscal year.
    pub key_year: Option<u16>,
    /// "mandatory", "discretionary", "grants" (split), "neither", or
    /// "receipt" / "adjustment".
    pub budget: &'static str,
}

/// One state's net in parts (see `fedsplit_ledger::Parts`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NetParts {
    pub mandatory_spending_usd: f64,
    pub discretionary_spending_usd: f64,
    pub neither_spending_usd: f64,
    /// Mandatory spending − the state's receipts × the nation's mandatory
    /// share of attributed spending.
    pub mandatory_net_usd: f64,
    pub discretionary_net_usd: f64,
    /// Net interest and the residual, where attributed.
    pub neither_net_usd: f64,
    /// Earned-benefit view: Social Security + Medicare − payroll taxes.
    pub insurance_net_usd: f64,
    /// Earned-benefit view: the rest of the net.
    pub rest_net_usd: f64,
    /// The share of non-Medicaid grants counted as mandatory (national).
    pub grants_mandatory_share: f64,
}

impl NetParts {
    /// Adds another's amounts (the share is national: kept).
    pub fn add(&mut self, o: &NetParts) {
        self.mandatory_spending_usd += o.mandatory_spending_usd;
        self.discretionary_spending_usd += o.discretionary_spending_usd;
        self.neither_spending_usd += o.neither_spending_usd;
        self.mandatory_net_usd += o.mandatory_net_usd;
        self.discretionary_net_usd += o.discretionary_net_usd;
        self.neither_net_usd += o.neither_net_usd;
        self.insurance_net_usd += o.insurance_net_usd;
        self.rest_net_usd += o.rest_net_usd;
        self.grants_mandatory_share = o.grants_mandatory_share;
    }
}

/// The name of a budget part in outputs.
pub fn budget_name(b: Budget) -> &'static str {
    match b {
        Budget::Receipt => "receipt",
        Budget::Mandatory => "mandatory",
        Budget::Discretionary => "discretionary",
        Budget::Grants => "grants (split)",
        Budget::Neither => "neither",
        Budget::Adjustment => "adjustment",
    }
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
    pub parts: NetParts,
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
                |k| ledger.key_text(k),
            ),
            share: key.map(|k| ledger.keys().get(k)[i]),
            amount_usd: table.receipt(l)[i],
            national_usd: table.receipt(l).iter().sum(),
            control: l.control_id(),
            grade: ledger.grade(&l, options).letter(),
            key_year: key.and_then(|k| ledger.carried(k)),
            budget: budget_name(l.budget()),
        });
    }
    for l in SpendingLine::ALL {
        let key = l.key(options);
        lines.push(Line {
            side: "spending",
            line: l.name(),
            label: l.label(),
            key: match (key, l) {
                (Some(k), l) if ledger.is_direct(&l, options) => {
                    format!("per-state amount: {}", ledger.key_text(k))
                }
                (Some(k), _) => ledger.key_text(k),
                (None, SpendingLine::DeficitScaling) => adjustment_key(options.deficit.name()),
                (None, _) => "excluded under these options".to_string(),
            },
            share: key.map(|k| ledger.keys().get(k)[i]),
            amount_usd: table.spend(l)[i],
            national_usd: table.spend(l).iter().sum(),
            control: l.control_id(),
            grade: ledger.grade(&l, options).letter(),
            key_year: key.and_then(|k| ledger.carried(k)),
            budget: budget_name(l.budget()),
        });
    }
    let ranks = table.ranks();
    let p = ledger.parts(&table);
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
        parts: crate::ledger::net_parts(&p, i),
        ratio: table.spending_total[i] / table.receipts_total[i],
    })
}
