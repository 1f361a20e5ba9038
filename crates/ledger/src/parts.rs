//! Each state's net in parts (METHODOLOGY §9): mandatory vs discretionary
//! spending, and the earned-benefit view that nets Social Security and
//! Medicare against the payroll taxes that fund them.
//!
//! **Mandatory vs discretionary.** Every spending line is tagged
//! ([`Budget`]): Social Security, Medicare, Medicaid + CHIP, SNAP and other
//! payments to individuals are mandatory; wages, procurement and national
//! public goods discretionary; non-Medicaid grants are split by the year's
//! mandatory share (`outlays.grants_mandatory` ÷ `outlays.grants`, the same
//! for every state: no source splits grants by state); net interest and the
//! residual are neither. A deficit scaling of spending is spread over a
//! state's parts in proportion. A state's receipts (with any deficit charged
//! to it) are split over the parts in the nation's proportions of attributed
//! spending — its taxes fund the national mix — so the parts of its net add
//! up to its net.

use fedsplit_data::schema::control;

use crate::{Budget, Ledger, LedgerTable, ReceiptLine, SpendingLine};

/// Each state's spending and net by part, in dollars, in dataset order.
#[derive(Debug, Clone, PartialEq)]
pub struct Parts {
    pub mandatory_spending: Vec<f64>,
    pub discretionary_spending: Vec<f64>,
    /// Net interest and the residual, where attributed.
    pub neither_spending: Vec<f64>,
    pub mandatory_net: Vec<f64>,
    pub discretionary_net: Vec<f64>,
    pub neither_net: Vec<f64>,
    /// Earned-benefit view: Social Security + Medicare − social insurance
    /// (payroll) receipts.
    pub insurance_net: Vec<f64>,
    /// Earned-benefit view: the rest of the net.
    pub rest_net: Vec<f64>,
    /// The share of non-Medicaid grants counted as mandatory.
    pub grants_mandatory_share: f64,
}

impl Ledger<'_> {
    /// The parts of every state's net in `table` (computed by this ledger).
    pub fn parts(&self, table: &LedgerTable) -> Parts {
        let n = table.net.len();
        let c = &self.data().controls;
        let share = c.get(control::OUTLAYS_GRANTS_MANDATORY) / c.get(control::OUTLAYS_GRANTS);
        let share = if share.is_finite() { share } else { 0.0 };
        let mut m = vec![0.0; n];
        let mut d = vec![0.0; n];
        let mut o = vec![0.0; n];
        for line in SpendingLine::ALL {
            let col = table.spend(line);
            for i in 0..n {
                let v = col[i];
                match line.budget() {
                    Budget::Mandatory => m[i] += v,
                    Budget::Discretionary => d[i] += v,
                    Budget::Grants => {
                        m[i] += share * v;
                        d[i] += (1.0 - share) * v;
                    }
                    Budget::Neither => o[i] += v,
                    Budget::Adjustment | Budget::Receipt => {}
                }
            }
        }
        // A scaling of spending to receipts scales every part alike.
        let scaling = table.spend(SpendingLine::DeficitScaling);
        for i in 0..n {
            let before = m[i] + d[i] + o[i];
            if before != 0.0 {
                let f = (before + scaling[i]) / before;
                m[i] *= f;
                d[i] *= f;
                o[i] *= f;
            }
        }
        let total: f64 = table.spending_total.iter().sum();
        let fraction = |part: &[f64]| part.iter().sum::<f64>() / total;
        let (fm, fd, fo) = (fraction(&m), fraction(&d), fraction(&o));
        let net = |part: &[f64], f: f64| -> Vec<f64> {
            part.iter()
                .zip(&table.receipts_total)
                .map(|(s, r)| s - r * f)
                .collect()
        };
        let insurance_net: Vec<f64> = (0..n)
            .map(|i| {
                table.spend(SpendingLine::SocialSecurity)[i]
                    + table.spend(SpendingLine::Medicare)[i]
                    - table.receipt(ReceiptLine::SocialInsurance)[i]
            })
            .collect();
        let rest_net = table
            .net
            .iter()
            .zip(&insurance_net)
            .map(|(net, ins)| net - ins)
            .collect();
        Parts {
            mandatory_net: net(&m, fm),
            discretionary_net: net(&d, fd),
            neither_net: net(&o, fo),
            mandatory_spending: m,
            discretionary_spending: d,
            neither_spending: o,
            insurance_net,
            rest_net,
            grants_mandatory_share: share,
        }
    }
}
