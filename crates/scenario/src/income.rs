//! Who gains within a state: a scenario's tax changes spread over the IRS SOI
//! adjusted-gross-income classes of TY2022 (METHODOLOGY §6).
//!
//! For each state and AGI class the module computes the federal income tax
//! the class saves, the state tax it pays to replace withdrawn or devolved
//! spending, the net, the net per return, and whether the class is better
//! off; then, per state, the share of returns in better-off classes.
//!
//! * **Federal income tax saved** is the state's change in federal
//!   individual income tax, split by each class's share of the state's
//!   income tax after credits (SOI A06500).
//! * **Replacement tax** is the state's new taxes, split by the key of the
//!   state's instrument: `agi-flat` by adjusted gross income (the lowest
//!   class's negative AGI counted as 0); `state-income-tax` by state and
//!   local income taxes claimed as an itemized deduction (SOI A18425);
//!   `sales-tax` by general sales taxes claimed as an itemized deduction
//!   (SOI A18450). The last two are proxies drawn from itemizers only: in
//!   TY2022 about 1 return in 10 itemized (under 1 in 10 below $75k AGI,
//!   over half above $500k), yet non-itemizers pay state income and sales
//!   taxes too, so these keys tilt the replacement tax towards the upper
//!   classes. A18450 is moreover claimed only by itemizers who chose sales
//!   over income taxes, mostly in states without an income tax.
//! * **Fallback**: when a state's key sums to zero (e.g. a state with no
//!   itemized state income tax, or a dataset whose classes hold no income
//!   tax), its amount is split by AGI instead; if AGI is zero too, by
//!   returns; if there are no returns either, equally over the classes.
//! * **Better off** means a net gain of more than 50 cents per return, so
//!   that rounding noise around zero is not called a gain.
//! * **Share better off** counts every return of a better-off class as
//!   better off. This is a class-average approximation: returns inside a
//!   class differ, and some in a class that gains on average will lose.
//! * **Only taxes are distributed by class.** Withdrawn federal spending
//!   that the state does not replace (and any other change in spending) is
//!   not assigned to classes: who relied on a program is not in the SOI
//!   data. The class results are therefore the tax side of a scenario, not
//!   each class's full net gain.
//!
//! States with no rows in `income_classes.csv` are left out of both outputs.

use fedsplit_core::State;
use fedsplit_data::{Dataset, IncomeClass};

use crate::{Instrument, StateDeltas};

/// One state × AGI class result of a scenario. Amounts are dollars per year.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeClassResult {
    pub state: State,
    /// SOI AGI class, 1 (under $1) … 10 ($1M or more).
    pub agi_class: u8,
    /// e.g. "$50k–75k".
    pub agi_class_label: &'static str,
    /// Number of returns in the class.
    pub returns: f64,
    /// Federal income tax no longer paid by the class (negative if it rises).
    pub income_tax_saved_usd: f64,
    /// New state taxes paid by the class.
    pub replacement_tax_usd: f64,
    /// `income_tax_saved_usd − replacement_tax_usd`.
    pub net_usd: f64,
    /// `net_usd / returns` (0 when the class has no returns).
    pub net_per_return_usd: f64,
    /// `net_per_return_usd` exceeds 50 cents.
    pub better_off: bool,
}

/// Per state: how many returns are in classes that are better off.
#[derive(Debug, Clone, PartialEq)]
pub struct StateIncomeSummary {
    pub state: State,
    /// Returns over every class of the state.
    pub returns: f64,
    /// Returns in the classes that are better off.
    pub returns_better_off: f64,
    /// `returns_better_off / returns` (0 when the state has no returns).
    pub share_better_off: f64,
}

/// A net gain per return must exceed this to count as better off (dollars).
pub const BETTER_OFF_THRESHOLD_USD: f64 = 0.5;

/// The label of an SOI AGI class (1..=10); "?" outside that range.
pub const fn agi_class_label(class: u8) -> &'static str {
    match class {
        1 => "under $1",
        2 => "$1–10k",
        3 => "$10k–25k",
        4 => "$25k–50k",
        5 => "$50k–75k",
        6 => "$75k–100k",
        7 => "$100k–200k",
        8 => "$200k–500k",
        9 => "$500k–1M",
        10 => "$1M+",
        _ => "?",
    }
}

/// Each class's share of a state total: by `key` when it sums to more than
/// zero, else by the first of `fallbacks` that does, else equal shares.
fn shares(key: &[f64], fallbacks: &[&[f64]]) -> Vec<f64> {
    let n = key.len();
    for k in std::iter::once(key).chain(fallbacks.iter().copied()) {
        let total: f64 = k.iter().sum();
        if total > 0.0 {
            return k.iter().map(|v| v / total).collect();
        }
    }
    vec![1.0 / n as f64; n]
}

/// The scenario's tax changes by state and AGI class, and per state the
/// share of returns better off (see the module documentation for the rules).
///
/// Rows follow dataset state order, then AGI class.
///
/// # Panics
/// If a vector of `deltas` does not have one entry per state of `data`.
pub fn by_income_class(
    data: &Dataset,
    deltas: &StateDeltas,
) -> (Vec<IncomeClassResult>, Vec<StateIncomeSummary>) {
    let n = data.len();
    assert_eq!(deltas.federal_income_tax.len(), n, "federal_income_tax");
    assert_eq!(deltas.state_taxes.len(), n, "state_taxes");
    assert_eq!(deltas.instrument.len(), n, "instrument");

    let mut results = Vec::new();
    let mut summaries = Vec::new();
    for (i, &state) in data.states.iter().enumerate() {
        let mut classes: Vec<&IncomeClass> = data
            .income_classes
            .iter()
            .filter(|c| c.state == state)
            .collect();
        if classes.is_empty() {
            continue;
        }
        classes.sort_by_key(|c| c.agi_class);

        let returns: Vec<f64> = classes.iter().map(|c| c.returns).collect();
        // 1. AGI key: the lowest class's negative AGI (losses) counts as 0.
        let agi: Vec<f64> = classes.iter().map(|c| c.agi_usd.max(0.0)).collect();
        let fallbacks: [&[f64]; 2] = [&agi, &returns];

        // 2. Federal income tax saved: −Δ federal income tax × the class's
        //    share of income tax after credits (A06500).
        let income_tax: Vec<f64> = classes
            .iter()
            .map(|c| c.income_tax_after_credits_usd)
            .collect();
        let tax_share = shares(&income_tax, &fallbacks);

        // 3. Replacement tax: Δ state taxes × the class's share of the
        //    instrument's key (AGI; itemized state income tax A18425;
        //    itemized general sales tax A18450), falling back to AGI.
        let instrument_key: Vec<f64> = match deltas.instrument[i] {
            Instrument::AgiFlat => agi.clone(),
            Instrument::StateIncomeTax => classes
                .iter()
                .map(|c| c.state_local_income_tax_itemized_usd)
                .collect(),
            Instrument::SalesTax => classes
                .iter()
                .map(|c| c.general_sales_tax_itemized_usd)
                .collect(),
        };
        let replacement_share = shares(&instrument_key, &fallbacks);

        let mut state_returns = 0.0;
        let mut returns_better_off = 0.0;
        for (k, class) in classes.iter().enumerate() {
            // 0.0 − x, not −x: an unchanged tax is saved 0, not −0.
            let income_tax_saved_usd = 0.0 - deltas.federal_income_tax[i] * tax_share[k];
            let replacement_tax_usd = deltas.state_taxes[i] * replacement_share[k];
            // 4. Net and net per return (0 for a class without returns).
            let net_usd = income_tax_saved_usd - replacement_tax_usd;
            let net_per_return_usd = if class.returns > 0.0 {
                net_usd / class.returns
            } else {
                0.0
            };
            // 5. Better off: more than 50 cents per return.
            let better_off = net_per_return_usd > BETTER_OFF_THRESHOLD_USD;
            // 6. Every return of a better-off class counts as better off.
            state_returns += class.returns;
            if better_off {
                returns_better_off += class.returns;
            }
            results.push(IncomeClassResult {
                state,
                agi_class: class.agi_class,
                agi_class_label: agi_class_label(class.agi_class),
                returns: class.returns,
                income_tax_saved_usd,
                replacement_tax_usd,
                net_usd,
                net_per_return_usd,
                better_off,
            });
        }
        summaries.push(StateIncomeSummary {
            state,
            returns: state_returns,
            returns_better_off,
            share_better_off: if state_returns > 0.0 {
                returns_better_off / state_returns
            } else {
                0.0
            },
        });
    }
    (results, summaries)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn toy() -> Dataset {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/toy");
        Dataset::from_dir(&dir).expect("toy fixture loads")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn row(rows: &[IncomeClassResult], state: State, class: u8) -> &IncomeClassResult {
        rows.iter()
            .find(|r| r.state == state && r.agi_class == class)
            .unwrap_or_else(|| panic!("{state} class {class}"))
    }

    /// Toy classes (tests/fixtures/toy/income_classes.csv):
    /// NY 4: 30 returns, AGI 1000, tax 10, A18425 5, A18450 1
    /// NY 8: 20 returns, AGI 4000, tax 50, A18425 15, A18450 3
    /// TX 1: 10 returns, AGI −500, tax 0, A18425 0, A18450 0
    /// TX 5: 20 returns, AGI 3000, tax 30, A18425 0, A18450 4
    /// WY 3: 15 returns, AGI 300, tax 2, A18425 0, A18450 1
    /// WY 9: 5 returns, AGI 1200, tax 8, A18425 2, A18450 1
    fn toy_deltas(data: &Dataset) -> StateDeltas {
        let mut d = StateDeltas::zeros(data.len());
        let ny = data.position(State::Ny).unwrap();
        let tx = data.position(State::Tx).unwrap();
        let wy = data.position(State::Wy).unwrap();
        d.federal_income_tax[ny] = -60.0;
        d.state_taxes[ny] = 40.0;
        d.instrument[ny] = Instrument::StateIncomeTax;
        d.federal_income_tax[tx] = -30.0;
        d.state_taxes[tx] = 20.0;
        d.instrument[tx] = Instrument::StateIncomeTax;
        d.federal_income_tax[wy] = -10.0;
        d.state_taxes[wy] = 12.0;
        d.instrument[wy] = Instrument::SalesTax;
        d
    }

    #[test]
    fn toy_state_income_tax_and_sales_tax() {
        let data = toy();
        let (rows, summary) = by_income_class(&data, &toy_deltas(&data));
        assert_eq!(rows.len(), 6);

        // NY: saved 60 × 10/60 = 10 and 60 × 50/60 = 50; replacement by
        // A18425 40 × 5/20 = 10 and 40 × 15/20 = 30.
        let r = row(&rows, State::Ny, 4);
        assert_eq!(r.agi_class_label, "$25k–50k");
        assert!(close(r.income_tax_saved_usd, 10.0));
        assert!(close(r.replacement_tax_usd, 10.0));
        assert!(close(r.net_usd, 0.0));
        assert!(close(r.net_per_return_usd, 0.0));
        assert!(!r.better_off);
        let r = row(&rows, State::Ny, 8);
        assert_eq!(r.agi_class_label, "$200k–500k");
        assert!(close(r.income_tax_saved_usd, 50.0));
        assert!(close(r.replacement_tax_usd, 30.0));
        assert!(close(r.net_usd, 20.0));
        assert!(close(r.net_per_return_usd, 1.0));
        assert!(r.better_off);

        // TX: no itemized state income tax, so the replacement falls back to
        // AGI, with class 1's −500 counted as 0: all 20 on class 5.
        let r = row(&rows, State::Tx, 1);
        assert_eq!(r.agi_class_label, "under $1");
        assert!(close(r.income_tax_saved_usd, 0.0));
        assert!(close(r.replacement_tax_usd, 0.0));
        assert!(!r.better_off);
        let r = row(&rows, State::Tx, 5);
        assert!(close(r.income_tax_saved_usd, 30.0));
        assert!(close(r.replacement_tax_usd, 20.0));
        // 10 / 20 returns = exactly 50 cents: not more than 50 cents.
        assert!(close(r.net_per_return_usd, 0.5));
        assert!(!r.better_off);

        // WY: saved 10 × 2/10 = 2 and 8; replacement by A18450 12 × 1/2 = 6 each.
        let r = row(&rows, State::Wy, 3);
        assert!(close(r.income_tax_saved_usd, 2.0));
        assert!(close(r.replacement_tax_usd, 6.0));
        assert!(close(r.net_usd, -4.0));
        assert!(close(r.net_per_return_usd, -4.0 / 15.0));
        assert!(!r.better_off);
        let r = row(&rows, State::Wy, 9);
        assert!(close(r.income_tax_saved_usd, 8.0));
        assert!(close(r.replacement_tax_usd, 6.0));
        // A gain of 40 cents per return is below the threshold.
        assert!(close(r.net_per_return_usd, 0.4));
        assert!(!r.better_off);

        let s = |st: State| summary.iter().find(|s| s.state == st).unwrap();
        assert_eq!(summary.len(), 3);
        assert_eq!(s(State::Ny).returns, 50.0);
        assert_eq!(s(State::Ny).returns_better_off, 20.0);
        assert!(close(s(State::Ny).share_better_off, 0.4));
        assert_eq!(s(State::Tx).returns, 30.0);
        assert_eq!(s(State::Tx).returns_better_off, 0.0);
        assert_eq!(s(State::Wy).share_better_off, 0.0);
    }

    #[test]
    fn toy_agi_flat() {
        let data = toy();
        let mut d = toy_deltas(&data);
        d.instrument = vec![Instrument::AgiFlat; data.len()];
        let (rows, summary) = by_income_class(&data, &d);
        // NY: replacement 40 × 1000/5000 = 8 and 40 × 4000/5000 = 32.
        let r = row(&rows, State::Ny, 4);
        assert!(close(r.replacement_tax_usd, 8.0));
        assert!(close(r.net_usd, 2.0));
        assert!(close(r.net_per_return_usd, 2.0 / 30.0));
        assert!(!r.better_off);
        let r = row(&rows, State::Ny, 8);
        assert!(close(r.replacement_tax_usd, 32.0));
        assert!(close(r.net_per_return_usd, 0.9));
        assert!(r.better_off);
        // WY: 12 × 300/1500 = 2.4 and 12 × 1200/1500 = 9.6.
        let r = row(&rows, State::Wy, 3);
        assert!(close(r.replacement_tax_usd, 2.4));
        assert!(close(r.net_usd, -0.4));
        let r = row(&rows, State::Wy, 9);
        assert!(close(r.replacement_tax_usd, 9.6));
        assert!(close(r.net_per_return_usd, -1.6 / 5.0));
        let ny = summary.iter().find(|s| s.state == State::Ny).unwrap();
        assert!(close(ny.share_better_off, 0.4));
    }

    #[test]
    fn fallback_chain() {
        assert_eq!(shares(&[0.0, 0.0], &[&[1.0, 3.0]]), vec![0.25, 0.75]);
        assert_eq!(
            shares(&[0.0, 0.0], &[&[0.0, 0.0], &[2.0, 2.0]]),
            vec![0.5, 0.5]
        );
        assert_eq!(shares(&[0.0, 0.0, 0.0, 0.0], &[]), vec![0.25; 4]);
        assert_eq!(shares(&[3.0, 1.0], &[&[1.0, 0.0]]), vec![0.75, 0.25]);
    }

    #[test]
    fn zero_deltas_leave_nobody_better_off() {
        let data = toy();
        let (rows, summary) = by_income_class(&data, &StateDeltas::zeros(data.len()));
        assert!(rows.iter().all(|r| r.net_usd == 0.0 && !r.better_off));
        assert!(summary.iter().all(|s| s.share_better_off == 0.0));
    }

    /// On the embedded data: the classes add up to the state deltas, for
    /// every instrument.
    #[test]
    fn embedded_classes_add_up_to_the_state_deltas() {
        let data = Dataset::embedded().unwrap();
        let n = data.len();
        let mut d = StateDeltas::zeros(n);
        for i in 0..n {
            // Federal income tax abolished; the state replaces a third of it.
            d.federal_income_tax[i] = -data.receipt_keys.income_tax_after_credits_usd[i];
            d.state_taxes[i] = data.receipt_keys.income_tax_after_credits_usd[i] / 3.0;
            d.instrument[i] = Instrument::ALL[i % Instrument::ALL.len()];
        }
        let (rows, summary) = by_income_class(&data, &d);
        assert_eq!(rows.len(), n * 10);
        assert_eq!(summary.len(), n);

        let saved: f64 = rows.iter().map(|r| r.income_tax_saved_usd).sum();
        let replacement: f64 = rows.iter().map(|r| r.replacement_tax_usd).sum();
        let fit: f64 = d.federal_income_tax.iter().sum();
        let state: f64 = d.state_taxes.iter().sum();
        assert!((saved + fit).abs() < 1.0, "{saved} vs {}", -fit);
        assert!(
            (replacement - state).abs() < 1.0,
            "{replacement} vs {state}"
        );

        for (i, &st) in data.states.iter().enumerate() {
            let of_state = rows.iter().filter(|r| r.state == st);
            let saved: f64 = of_state.clone().map(|r| r.income_tax_saved_usd).sum();
            let repl: f64 = of_state.map(|r| r.replacement_tax_usd).sum();
            assert!((saved + d.federal_income_tax[i]).abs() < 1.0, "{st}");
            assert!((repl - d.state_taxes[i]).abs() < 1.0, "{st}");
        }
        for s in &summary {
            assert!((0.0..=1.0).contains(&s.share_better_off), "{}", s.state);
            assert!(s.returns > 0.0);
        }
        // Abolishing the federal income tax while replacing a third of it
        // leaves the top class better off everywhere.
        assert!(rows
            .iter()
            .filter(|r| r.agi_class == 10)
            .all(|r| r.better_off));
    }
}
