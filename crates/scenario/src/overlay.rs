//! Bluexit and devolution: changes to federal and state taxes and spending,
//! per state, against the baseline ledger (METHODOLOGY §5).
//!
//! `apply` fills reusable buffers and allocates nothing, so a sweep can
//! evaluate many parameter points per second.

use fedsplit_data::schema::control;
use fedsplit_data::Dataset;
use fedsplit_ledger::{LedgerTable, ReceiptLine};

use crate::spec::{FederalResponse, Pooling, Scenario};
use crate::{Channel, Instrument, StateDeltas};

/// The federal budget before and after the scenario, in dollars.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FederalBudget {
    pub receipts_before: f64,
    pub outlays_before: f64,
    pub receipts_after: f64,
    pub outlays_after: f64,
    /// Spending cut elsewhere under `federal_response = "cut-spending"` (positive).
    pub spending_cut: f64,
}

impl FederalBudget {
    pub fn deficit_before(&self) -> f64 {
        self.outlays_before - self.receipts_before
    }

    pub fn deficit_after(&self) -> f64 {
        self.outlays_after - self.receipts_after
    }
}

/// The per-state base of a replacement tax.
fn instrument_base(data: &Dataset, instrument: Instrument, i: usize) -> f64 {
    match instrument {
        Instrument::AgiFlat => data.receipt_keys.agi_usd[i].max(0.0),
        Instrument::StateIncomeTax => data.receipt_keys.state_local_income_tax_usd[i],
        Instrument::SalesTax => data.pce_usd[i],
    }
}

/// Fills `deltas` with the scenario's changes against `baseline` and returns
/// the federal budget after. `deltas` must be sized for the dataset.
pub fn apply(
    data: &Dataset,
    baseline: &LedgerTable,
    scenario: &Scenario,
    deltas: &mut StateDeltas,
) -> FederalBudget {
    let n = data.len();
    for v in [
        &mut deltas.federal_taxes,
        &mut deltas.federal_income_tax,
        &mut deltas.federal_spending,
        &mut deltas.state_taxes,
        &mut deltas.state_spending,
    ] {
        v.clear();
        v.resize(n, 0.0);
    }
    deltas.instrument.clear();
    deltas.instrument.resize(n, Instrument::default());
    let a = &scenario.assignment;
    let income_tax = baseline.receipt(ReceiptLine::IndividualIncome);

    if let Some(bluexit) = &scenario.bluexit {
        // 1. Each resident's federal income tax is scaled by their bloc's factor.
        // 2. Withdrawn channels stop; the bloc's states restore `replace_share`
        //    of them from their own taxes.
        for (i, &tax) in income_tax.iter().enumerate() {
            let p = &bluexit.blocs[a.bloc_of[i]];
            let d_tax = (p.income_tax_scale - 1.0) * tax;
            deltas.federal_income_tax[i] += d_tax;
            deltas.federal_taxes[i] += d_tax;
            let withdrawn: f64 = Channel::ALL
                .iter()
                .zip(p.withdraw)
                .filter(|(_, on)| *on)
                .map(|(c, _)| baseline.spend(c.line())[i])
                .sum();
            deltas.federal_spending[i] -= withdrawn;
            deltas.state_spending[i] += p.replace_share * withdrawn;
            deltas.instrument[i] = p.instrument;
            if p.pooling == Pooling::State {
                deltas.state_taxes[i] += p.replace_share * withdrawn;
            }
        }
        // 3. Under bloc pooling the bloc's replacement cost is shared among
        //    its states by the instrument's base.
        //    A bloc with no such base (e.g. no state income tax anywhere in
        //    it) falls back to AGI, so the replacement is always paid for.
        for (b, p) in bluexit.blocs.iter().enumerate() {
            if p.pooling != Pooling::Bloc {
                continue;
            }
            let (mut cost, mut base) = (0.0, 0.0);
            for i in a.members(b) {
                cost += deltas.state_spending[i];
                base += instrument_base(data, p.instrument, i);
            }
            let instrument = if base > 0.0 {
                p.instrument
            } else {
                base = a
                    .members(b)
                    .map(|i| instrument_base(data, Instrument::AgiFlat, i))
                    .sum();
                Instrument::AgiFlat
            };
            for i in a.members(b) {
                deltas.state_taxes[i] += cost * instrument_base(data, instrument, i) / base;
            }
        }
    }

    if let Some(devolution) = &scenario.devolution {
        // 1. Each devolved program leaves the federal budget and is run by the
        //    state at today's level, paid for by the state's own taxes.
        let mut devolved = 0.0;
        for i in 0..n {
            let p = &devolution.blocs[a.bloc_of[i]];
            let program: f64 = Channel::ALL
                .iter()
                .zip(p.programs)
                .filter(|(_, on)| *on)
                .map(|(c, _)| baseline.spend(c.line())[i])
                .sum();
            deltas.federal_spending[i] -= program;
            deltas.state_spending[i] += program;
            deltas.state_taxes[i] += program;
            if program > 0.0 {
                deltas.instrument[i] = p.instrument;
            }
            devolved += program;
        }
        // 2. The federal income tax is cut by the same national amount, in
        //    proportion to each state's income tax as it stands after any
        //    Bluexit change (so an abolished tax is not cut below zero):
        //    budget-neutral.
        let total_income_tax: f64 = income_tax
            .iter()
            .zip(&deltas.federal_income_tax)
            .map(|(t, d)| t + d)
            .sum();
        for (i, &tax) in income_tax.iter().enumerate() {
            let cut = devolved * (tax + deltas.federal_income_tax[i]) / total_income_tax;
            deltas.federal_income_tax[i] -= cut;
            deltas.federal_taxes[i] -= cut;
        }
    }

    let receipts_before = data.controls.get(control::RECEIPTS_TOTAL);
    let outlays_before = data.controls.get(control::OUTLAYS_TOTAL);
    let d_receipts: f64 = deltas.federal_taxes.iter().sum();
    let mut d_outlays: f64 = deltas.federal_spending.iter().sum();
    let mut spending_cut = 0.0;
    let response = scenario
        .bluexit
        .as_ref()
        .map_or(FederalResponse::Deficit, |b| b.federal_response);
    let worse_by = d_outlays - d_receipts;
    if response == FederalResponse::CutSpending && worse_by > 0.0 {
        // The federal government closes its new gap by cutting the spending
        // it still attributes to states, everywhere in proportion.
        let remaining: f64 = (0..n)
            .map(|i| baseline.spending_total[i] + deltas.federal_spending[i])
            .sum();
        for i in 0..n {
            let here = baseline.spending_total[i] + deltas.federal_spending[i];
            deltas.federal_spending[i] -= worse_by * here / remaining;
        }
        spending_cut = worse_by;
        d_outlays -= worse_by;
    }
    FederalBudget {
        receipts_before,
        outlays_before,
        receipts_after: receipts_before + d_receipts,
        outlays_after: outlays_before + d_outlays,
        spending_cut,
    }
}

/// A bloc's totals of the per-state changes.
#[derive(Debug, Clone, PartialEq)]
pub struct BlocDelta {
    pub name: String,
    pub population: f64,
    pub federal_taxes: f64,
    pub federal_income_tax: f64,
    pub federal_spending: f64,
    pub state_taxes: f64,
    pub state_spending: f64,
    /// Spending received less taxes paid, federal and state.
    pub net: f64,
    pub net_per_resident: f64,
    /// Federal taxes kept per dollar of federal spending lost ("dollar for
    /// dollar" holds at 1); `None` when no spending is lost.
    pub dollar_ratio: Option<f64>,
}

/// Sums the per-state changes by bloc.
pub fn by_bloc(data: &Dataset, scenario: &Scenario, deltas: &StateDeltas) -> Vec<BlocDelta> {
    let a = &scenario.assignment;
    (0..a.len())
        .map(|b| {
            let sum = |v: &[f64]| a.members(b).map(|i| v[i]).sum::<f64>();
            let population = sum(&data.population);
            let federal_taxes = sum(&deltas.federal_taxes);
            let federal_spending = sum(&deltas.federal_spending);
            let state_taxes = sum(&deltas.state_taxes);
            let state_spending = sum(&deltas.state_spending);
            let net = federal_spending + state_spending - federal_taxes - state_taxes;
            BlocDelta {
                name: a.names[b].clone(),
                population,
                federal_taxes,
                federal_income_tax: sum(&deltas.federal_income_tax),
                federal_spending,
                state_taxes,
                state_spending,
                net,
                net_per_resident: net / population,
                dollar_ratio: (federal_spending < 0.0).then(|| -federal_taxes / -federal_spending),
            }
        })
        .collect()
}
