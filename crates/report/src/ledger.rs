//! `fedsplit ledger`: every state's balance of payments under one choice of
//! options, with the national row.

use fedsplit_core::State;
use fedsplit_ledger::{Ledger, LedgerTable, Options, Parts, ReceiptLine, SpendingLine};
use serde::Serialize;

pub use crate::explain::NetParts;
use crate::{Amounts, Meta, ReportError};

/// One state's figures.
#[derive(Debug, Clone, Serialize)]
pub struct StateRow {
    pub state: &'static str,
    pub name: &'static str,
    pub population: f64,
    pub receipts_by_category_usd: Amounts,
    pub spending_by_channel_usd: Amounts,
    #[serde(flatten)]
    pub totals: Totals,
    /// 1 = largest net receiver per capita.
    pub rank: usize,
    /// The net in parts: mandatory vs discretionary, and the earned-benefit view.
    pub parts: NetParts,
}

/// The figures every row has.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Totals {
    pub receipts_usd: f64,
    pub spending_usd: f64,
    /// Spending − receipts: positive means more is received than paid.
    pub net_usd: f64,
    pub net_per_capita_usd: f64,
    /// Net as a percentage of GDP.
    pub net_pct_gdp: f64,
    pub spending_per_receipt_dollar: f64,
}

/// The 50 states + DC together.
#[derive(Debug, Clone, Serialize)]
pub struct NationalRow {
    pub population: f64,
    /// Each line summed over every state (for the CSV's national row).
    #[serde(skip)]
    pub receipts_by_category_usd: Amounts,
    #[serde(skip)]
    pub spending_by_channel_usd: Amounts,
    #[serde(flatten)]
    pub totals: Totals,
    /// The states' parts summed.
    pub parts: NetParts,
}

/// The ledger: rows sorted as asked, and the national row (always every state).
#[derive(Debug, Clone, Serialize)]
pub struct LedgerReport {
    pub meta: Meta,
    pub states: Vec<StateRow>,
    pub national: NationalRow,
}

/// A column to sort the rows by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Rank,
    State,
    Population,
    Receipts,
    Spending,
    Net,
    PerCapita,
    PctGdp,
    Ratio,
}

/// Every receipt line, then every spending line, of state `i` (or of the
/// nation with `i = None`).
fn lines(table: &LedgerTable, i: Option<usize>) -> (Amounts, Amounts) {
    let value = |col: &[f64]| match i {
        Some(i) => col[i],
        None => col.iter().sum(),
    };
    (
        Amounts(
            ReceiptLine::ALL
                .iter()
                .map(|&l| (l.name(), value(table.receipt(l))))
                .collect(),
        ),
        Amounts(
            SpendingLine::ALL
                .iter()
                .map(|&l| (l.name(), value(table.spend(l))))
                .collect(),
        ),
    )
}

/// State `i`'s parts.
pub fn net_parts(p: &Parts, i: usize) -> NetParts {
    NetParts {
        mandatory_spending_usd: p.mandatory_spending[i],
        discretionary_spending_usd: p.discretionary_spending[i],
        neither_spending_usd: p.neither_spending[i],
        mandatory_net_usd: p.mandatory_net[i],
        discretionary_net_usd: p.discretionary_net[i],
        neither_net_usd: p.neither_net[i],
        insurance_net_usd: p.insurance_net[i],
        rest_net_usd: p.rest_net[i],
        grants_mandatory_share: p.grants_mandatory_share,
    }
}

/// Every state's row, in dataset order, and the national row.
pub fn rows(ledger: &Ledger, table: &LedgerTable) -> (Vec<StateRow>, NationalRow) {
    let data = ledger.data();
    let parts = ledger.parts(table);
    let ranks = table.ranks();
    let states: Vec<StateRow> = data
        .states
        .iter()
        .enumerate()
        .map(|(i, &state)| {
            let (receipts, spending) = lines(table, Some(i));
            StateRow {
                state: state.postal(),
                name: state.name(),
                population: data.population[i],
                receipts_by_category_usd: receipts,
                spending_by_channel_usd: spending,
                totals: Totals {
                    receipts_usd: table.receipts_total[i],
                    spending_usd: table.spending_total[i],
                    net_usd: table.net[i],
                    net_per_capita_usd: table.net_per_capita[i],
                    net_pct_gdp: 100.0 * table.net[i] / data.gdp_usd[i],
                    spending_per_receipt_dollar: table.spending_total[i] / table.receipts_total[i],
                },
                rank: ranks[i],
                parts: net_parts(&parts, i),
            }
        })
        .collect();
    let (r, s, net) = table.national();
    let population = data.total_population();
    let gdp: f64 = data.gdp_usd.iter().sum();
    let (receipts, spending) = lines(table, None);
    let mut national_parts = NetParts::default();
    for s in &states {
        national_parts.add(&s.parts);
    }
    let national = NationalRow {
        parts: national_parts,
        population,
        receipts_by_category_usd: receipts,
        spending_by_channel_usd: spending,
        totals: Totals {
            receipts_usd: r,
            spending_usd: s,
            net_usd: net,
            net_per_capita_usd: net / population,
            net_pct_gdp: 100.0 * net / gdp,
            spending_per_receipt_dollar: s / r,
        },
    };
    (states, national)
}

fn sort(rows: &mut [StateRow], by: SortColumn) {
    let desc = |f: fn(&StateRow) -> f64| move |a: &StateRow, b: &StateRow| f(b).total_cmp(&f(a));
    match by {
        SortColumn::Rank => rows.sort_by_key(|r| r.rank),
        SortColumn::State => rows.sort_by_key(|r| r.state),
        SortColumn::Population => rows.sort_by(desc(|r| r.population)),
        SortColumn::Receipts => rows.sort_by(desc(|r| r.totals.receipts_usd)),
        SortColumn::Spending => rows.sort_by(desc(|r| r.totals.spending_usd)),
        SortColumn::Net => rows.sort_by(desc(|r| r.totals.net_usd)),
        SortColumn::PerCapita => rows.sort_by(desc(|r| r.totals.net_per_capita_usd)),
        SortColumn::PctGdp => rows.sort_by(desc(|r| r.totals.net_pct_gdp)),
        SortColumn::Ratio => rows.sort_by(desc(|r| r.totals.spending_per_receipt_dollar)),
    }
}

/// The ledger under `options`, rows sorted by `sort`, optionally only `only`.
pub fn build(
    ledger: &Ledger,
    options: &Options,
    sort_by: SortColumn,
    only: Option<&[State]>,
) -> Result<LedgerReport, ReportError> {
    let data = ledger.data();
    let table = ledger.compute(options);
    let (mut rows, national) = rows(ledger, &table);
    if let Some(only) = only {
        if let Some(missing) = only.iter().find(|s| data.position(**s).is_none()) {
            return Err(ReportError::Invalid(format!(
                "--state: {} is not in the dataset ({})",
                missing.postal(),
                data.origin
            )));
        }
        rows.retain(|r| only.iter().any(|s| s.postal() == r.state));
    }
    sort(&mut rows, sort_by);
    Ok(LedgerReport {
        meta: Meta::new(data, "ledger", Some(options)),
        states: rows,
        national,
    })
}
