//! Each state's federal balance of payments (METHODOLOGY §1–3).
//!
//! Every national amount is a control total split among states by a key
//! whose shares sum to 1, so each line sums over states to its control.
//! `Ledger::new` prepares the keys once; `Ledger::compute_into` then fills a
//! reusable `LedgerTable` with plain arithmetic and no allocation, for hot
//! loops (sensitivity grids, scenario sweeps).

mod keys;
mod options;

use fedsplit_core::State;
use fedsplit_data::schema::control;
use fedsplit_data::Dataset;

pub use keys::{indicator, Key, KeyShares, SELF_EMPLOYMENT_TAX_RATE};
pub use options::{
    CorporateKey, Deficit, Interest, Method, Options, ProcurementKey, Residual, UnknownOption,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("key {key} sums to zero or less over the dataset's states")]
    EmptyKey { key: &'static str },
}

/// Quality of a line's attribution (METHODOLOGY §0.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grade {
    /// Per-state administrative amount.
    A,
    /// Close indicator.
    B,
    /// Proxy.
    C,
}

impl Grade {
    pub const fn letter(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
        }
    }
}

/// A receipt category. `DeficitShare` carries the deficit charged to states
/// under `scale-receipts` and `per-capita`; it is zero otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptLine {
    IndividualIncome,
    SocialInsurance,
    CorporateIncome,
    Excise,
    EstateGift,
    OtherReceipts,
    DeficitShare,
}

/// A spending channel. `NationalPublicGoods` is non-zero only under the
/// benefit method; `DeficitScaling` only under `scale-spending`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpendingLine {
    SocialSecurity,
    Medicare,
    MedicaidChip,
    Snap,
    OtherPayments,
    Grants,
    FederalWages,
    Procurement,
    NationalPublicGoods,
    NetInterest,
    Residual,
    DeficitScaling,
}

pub const RECEIPT_LINES: usize = 7;
pub const SPENDING_LINES: usize = 12;

impl ReceiptLine {
    pub const ALL: [ReceiptLine; RECEIPT_LINES] = [
        ReceiptLine::IndividualIncome,
        ReceiptLine::SocialInsurance,
        ReceiptLine::CorporateIncome,
        ReceiptLine::Excise,
        ReceiptLine::EstateGift,
        ReceiptLine::OtherReceipts,
        ReceiptLine::DeficitShare,
    ];

    /// Column name in outputs.
    pub const fn name(self) -> &'static str {
        match self {
            ReceiptLine::IndividualIncome => "individual_income_tax",
            ReceiptLine::SocialInsurance => "social_insurance",
            ReceiptLine::CorporateIncome => "corporate_income_tax",
            ReceiptLine::Excise => "excise",
            ReceiptLine::EstateGift => "estate_gift",
            ReceiptLine::OtherReceipts => "other_receipts",
            ReceiptLine::DeficitShare => "deficit_share",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            ReceiptLine::IndividualIncome => "Individual income tax",
            ReceiptLine::SocialInsurance => "Social insurance (payroll) taxes",
            ReceiptLine::CorporateIncome => "Corporate income tax",
            ReceiptLine::Excise => "Excise taxes",
            ReceiptLine::EstateGift => "Estate and gift taxes",
            ReceiptLine::OtherReceipts => "Other receipts (customs, Fed deposits, misc.)",
            ReceiptLine::DeficitShare => "Deficit charged to the state",
        }
    }

    /// The national control this line sums to (`None` for the adjustment).
    pub const fn control_id(self) -> Option<&'static str> {
        match self {
            ReceiptLine::IndividualIncome => Some(control::RECEIPTS_INDIVIDUAL_INCOME),
            ReceiptLine::SocialInsurance => Some(control::RECEIPTS_SOCIAL_INSURANCE),
            ReceiptLine::CorporateIncome => Some(control::RECEIPTS_CORPORATE_INCOME),
            ReceiptLine::Excise => Some(control::RECEIPTS_EXCISE),
            ReceiptLine::EstateGift => Some(control::RECEIPTS_ESTATE_GIFT),
            ReceiptLine::OtherReceipts => Some(control::RECEIPTS_OTHER_REST),
            ReceiptLine::DeficitShare => None,
        }
    }

    /// The key in force under `options` (`None` for the adjustment).
    pub fn key(self, options: &Options) -> Option<Key> {
        Some(match self {
            ReceiptLine::IndividualIncome => Key::IncomeTaxAfterCredits,
            ReceiptLine::SocialInsurance => Key::Earnings,
            ReceiptLine::CorporateIncome => match options.corporate_key {
                CorporateKey::Capital => Key::CapitalIncome,
                CorporateKey::Headquarters => Key::BusinessCollections,
                CorporateKey::Gdp => Key::Gdp,
            },
            ReceiptLine::Excise => Key::Pce,
            ReceiptLine::EstateGift => Key::EstateGiftCollections,
            ReceiptLine::OtherReceipts => Key::Pce,
            ReceiptLine::DeficitShare => return None,
        })
    }

    pub const fn grade(self) -> Grade {
        match self {
            ReceiptLine::IndividualIncome | ReceiptLine::SocialInsurance => Grade::B,
            ReceiptLine::EstateGift => Grade::B,
            ReceiptLine::CorporateIncome
            | ReceiptLine::Excise
            | ReceiptLine::OtherReceipts
            | ReceiptLine::DeficitShare => Grade::C,
        }
    }
}

impl SpendingLine {
    pub const ALL: [SpendingLine; SPENDING_LINES] = [
        SpendingLine::SocialSecurity,
        SpendingLine::Medicare,
        SpendingLine::MedicaidChip,
        SpendingLine::Snap,
        SpendingLine::OtherPayments,
        SpendingLine::Grants,
        SpendingLine::FederalWages,
        SpendingLine::Procurement,
        SpendingLine::NationalPublicGoods,
        SpendingLine::NetInterest,
        SpendingLine::Residual,
        SpendingLine::DeficitScaling,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            SpendingLine::SocialSecurity => "social_security",
            SpendingLine::Medicare => "medicare",
            SpendingLine::MedicaidChip => "medicaid_chip",
            SpendingLine::Snap => "snap",
            SpendingLine::OtherPayments => "other_payments",
            SpendingLine::Grants => "grants",
            SpendingLine::FederalWages => "federal_wages",
            SpendingLine::Procurement => "procurement",
            SpendingLine::NationalPublicGoods => "national_public_goods",
            SpendingLine::NetInterest => "net_interest",
            SpendingLine::Residual => "residual",
            SpendingLine::DeficitScaling => "deficit_scaling",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            SpendingLine::SocialSecurity => "Social Security",
            SpendingLine::Medicare => "Medicare",
            SpendingLine::MedicaidChip => "Medicaid + CHIP (federal share)",
            SpendingLine::Snap => "SNAP benefits",
            SpendingLine::OtherPayments => "Other payments to individuals",
            SpendingLine::Grants => "Grants to state & local govts (non-Medicaid)",
            SpendingLine::FederalWages => "Federal wages (civilian + military)",
            SpendingLine::Procurement => "Procurement",
            SpendingLine::NationalPublicGoods => "National public goods (defense, general govt)",
            SpendingLine::NetInterest => "Net interest",
            SpendingLine::Residual => "Residual (international, offsets, gaps)",
            SpendingLine::DeficitScaling => "Scaling of spending to receipts",
        }
    }

    /// The national control this line is drawn from (`None` for the adjustment).
    pub const fn control_id(self) -> Option<&'static str> {
        match self {
            SpendingLine::SocialSecurity => Some(control::OUTLAYS_SOCIAL_SECURITY),
            SpendingLine::Medicare => Some(control::OUTLAYS_MEDICARE),
            SpendingLine::MedicaidChip => Some(control::OUTLAYS_MEDICAID_CHIP),
            SpendingLine::Snap => Some(control::OUTLAYS_SNAP),
            SpendingLine::OtherPayments => Some(control::OUTLAYS_OTHER_PAYMENTS),
            SpendingLine::Grants => Some(control::OUTLAYS_GRANTS),
            SpendingLine::FederalWages => Some(control::OUTLAYS_FEDERAL_WAGES),
            SpendingLine::Procurement => Some(control::OUTLAYS_PROCUREMENT),
            SpendingLine::NationalPublicGoods => Some(control::NATIONAL_PUBLIC_GOODS),
            SpendingLine::NetInterest => Some(control::OUTLAYS_NET_INTEREST),
            SpendingLine::Residual => Some(control::OUTLAYS_RESIDUAL),
            SpendingLine::DeficitScaling => None,
        }
    }

    /// The key in force under `options`; `None` when the line is excluded
    /// or is the adjustment.
    pub fn key(self, options: &Options) -> Option<Key> {
        Some(match self {
            SpendingLine::SocialSecurity => Key::SocialSecurityBenefits,
            SpendingLine::Medicare => Key::MedicareBenefits,
            SpendingLine::MedicaidChip => Key::MedicaidChipFederal,
            SpendingLine::Snap => Key::SnapBenefits,
            SpendingLine::OtherPayments => Key::OtherPaymentsIndicator,
            SpendingLine::Grants => Key::NonMedicaidGrants,
            SpendingLine::FederalWages => Key::FederalGdp,
            SpendingLine::Procurement => match options.procurement_key {
                ProcurementKey::FederalGdp => Key::FederalGdp,
                ProcurementKey::Population => Key::Population,
                ProcurementKey::Gdp => Key::Gdp,
            },
            SpendingLine::NationalPublicGoods => match options.method {
                Method::Flow => return None,
                Method::Benefit => Key::Population,
            },
            SpendingLine::NetInterest => match options.interest() {
                Interest::Exclude => return None,
                Interest::Income => Key::PersonalIncome,
                Interest::PerCapita => Key::Population,
            },
            SpendingLine::Residual => match options.residual() {
                Residual::Exclude => return None,
                Residual::PerCapita => Key::Population,
            },
            SpendingLine::DeficitScaling => return None,
        })
    }

    /// Whether the line is each state's own amount (the key is the amount
    /// itself) rather than a control split by an indicator. Under the benefit
    /// method federal wages lose their public-goods part, so they are not.
    pub fn is_direct(self, options: &Options) -> bool {
        match self {
            SpendingLine::MedicaidChip | SpendingLine::Snap | SpendingLine::Grants => true,
            SpendingLine::FederalWages => options.method == Method::Flow,
            _ => false,
        }
    }

    pub const fn grade(self) -> Grade {
        match self {
            SpendingLine::MedicaidChip | SpendingLine::Snap => Grade::A,
            SpendingLine::SocialSecurity
            | SpendingLine::Medicare
            | SpendingLine::Grants
            | SpendingLine::FederalWages => Grade::B,
            SpendingLine::OtherPayments
            | SpendingLine::Procurement
            | SpendingLine::NationalPublicGoods
            | SpendingLine::NetInterest
            | SpendingLine::Residual
            | SpendingLine::DeficitScaling => Grade::C,
        }
    }
}

/// The controls the ledger uses, read from the dataset once.
#[derive(Debug, Clone, Copy)]
struct ControlAmounts {
    receipts: [f64; RECEIPT_LINES],
    spending: [f64; SPENDING_LINES],
}

/// A dataset prepared for repeated evaluation.
#[derive(Debug, Clone)]
pub struct Ledger<'a> {
    data: &'a Dataset,
    keys: KeyShares,
    controls: ControlAmounts,
    population_share: Vec<f64>,
}

/// One evaluation: every line for every state, in dollars, plus totals.
/// Columns follow `Dataset::states` order.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerTable {
    pub options: Options,
    pub receipts: [Vec<f64>; RECEIPT_LINES],
    pub spending: [Vec<f64>; SPENDING_LINES],
    pub receipts_total: Vec<f64>,
    pub spending_total: Vec<f64>,
    /// Spending − receipts: positive means the state receives more than it pays.
    pub net: Vec<f64>,
    pub net_per_capita: Vec<f64>,
}

impl LedgerTable {
    /// An empty table sized for `n` states, to be filled by `compute_into`.
    pub fn with_states(n: usize) -> LedgerTable {
        LedgerTable {
            options: Options::default(),
            receipts: std::array::from_fn(|_| vec![0.0; n]),
            spending: std::array::from_fn(|_| vec![0.0; n]),
            receipts_total: vec![0.0; n],
            spending_total: vec![0.0; n],
            net: vec![0.0; n],
            net_per_capita: vec![0.0; n],
        }
    }

    pub fn receipt(&self, line: ReceiptLine) -> &[f64] {
        &self.receipts[line as usize]
    }

    pub fn spend(&self, line: SpendingLine) -> &[f64] {
        &self.spending[line as usize]
    }

    /// National totals of receipts, spending and net.
    pub fn national(&self) -> (f64, f64, f64) {
        let r: f64 = self.receipts_total.iter().sum();
        let s: f64 = self.spending_total.iter().sum();
        (r, s, s - r)
    }

    /// Rank of each state by net per capita, 1 = largest net receiver.
    /// Ties keep dataset order.
    pub fn ranks(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.net.len()).collect();
        order.sort_by(|&a, &b| self.net_per_capita[b].total_cmp(&self.net_per_capita[a]));
        let mut rank = vec![0; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r + 1;
        }
        rank
    }
}

impl<'a> Ledger<'a> {
    pub fn new(data: &'a Dataset) -> Result<Ledger<'a>, LedgerError> {
        let keys = KeyShares::new(data)?;
        let c = &data.controls;
        let amount = |id: Option<&str>| id.map(|id| c.get(id)).unwrap_or(0.0);
        let controls = ControlAmounts {
            receipts: ReceiptLine::ALL.map(|l| amount(l.control_id())),
            spending: SpendingLine::ALL.map(|l| amount(l.control_id())),
        };
        let population_share = keys.get(Key::Population).to_vec();
        Ok(Ledger {
            data,
            keys,
            controls,
            population_share,
        })
    }

    pub fn data(&self) -> &'a Dataset {
        self.data
    }

    pub fn keys(&self) -> &KeyShares {
        &self.keys
    }

    /// Evaluates the ledger under `options` into a new table.
    pub fn compute(&self, options: &Options) -> LedgerTable {
        let mut table = LedgerTable::with_states(self.data.len());
        self.compute_into(options, &mut table);
        table
    }

    /// Evaluates the ledger under `options` into `table`, reusing its buffers.
    /// `table` must have been made for this dataset (`LedgerTable::with_states`).
    pub fn compute_into(&self, options: &Options, table: &mut LedgerTable) {
        let n = self.data.len();
        assert_eq!(table.net.len(), n, "table sized for another dataset");
        table.options = *options;

        for line in ReceiptLine::ALL {
            let out = &mut table.receipts[line as usize];
            match line.key(options) {
                Some(key) => scale_into(
                    out,
                    self.keys.get(key),
                    self.controls.receipts[line as usize],
                ),
                None => out.fill(0.0),
            }
        }

        // Under the benefit method national public goods are taken out of
        // wages and procurement pro rata, then spread per capita.
        let wages = self.controls.spending[SpendingLine::FederalWages as usize];
        let procurement = self.controls.spending[SpendingLine::Procurement as usize];
        let public_goods = self.controls.spending[SpendingLine::NationalPublicGoods as usize];
        let located_fraction = match options.method {
            Method::Flow => 1.0,
            Method::Benefit => 1.0 - public_goods / (wages + procurement),
        };
        for line in SpendingLine::ALL {
            let out = &mut table.spending[line as usize];
            let control = self.controls.spending[line as usize];
            let control = match line {
                SpendingLine::FederalWages | SpendingLine::Procurement => {
                    control * located_fraction
                }
                _ => control,
            };
            match line.key(options) {
                Some(key) => scale_into(out, self.keys.get(key), control),
                None => out.fill(0.0),
            }
        }

        sum_lines(&table.receipts, &mut table.receipts_total);
        sum_lines(&table.spending, &mut table.spending_total);
        let receipts: f64 = table.receipts_total.iter().sum();
        let spending: f64 = table.spending_total.iter().sum();
        let gap = spending - receipts;

        match options.deficit {
            Deficit::None => {}
            Deficit::ScaleSpending => {
                let factor = receipts / spending - 1.0;
                let adj = &mut table.spending[SpendingLine::DeficitScaling as usize];
                for (a, s) in adj.iter_mut().zip(&table.spending_total) {
                    *a = s * factor;
                }
                for (t, a) in table.spending_total.iter_mut().zip(adj.iter()) {
                    *t += a;
                }
            }
            Deficit::ScaleReceipts | Deficit::PerCapita => {
                let adj = &mut table.receipts[ReceiptLine::DeficitShare as usize];
                if options.deficit == Deficit::ScaleReceipts {
                    for (a, r) in adj.iter_mut().zip(&table.receipts_total) {
                        *a = gap * r / receipts;
                    }
                } else {
                    scale_into(adj, &self.population_share, gap);
                }
                for (t, a) in table.receipts_total.iter_mut().zip(adj.iter()) {
                    *t += a;
                }
            }
        }

        for i in 0..n {
            table.net[i] = table.spending_total[i] - table.receipts_total[i];
            table.net_per_capita[i] = table.net[i] / self.data.population[i];
        }
    }

    /// Position of a state in this ledger's tables.
    pub fn position(&self, state: State) -> Option<usize> {
        self.data.position(state)
    }
}

fn scale_into(out: &mut [f64], shares: &[f64], amount: f64) {
    for (o, s) in out.iter_mut().zip(shares) {
        *o = amount * s;
    }
}

fn sum_lines<const L: usize>(lines: &[Vec<f64>; L], out: &mut [f64]) {
    out.fill(0.0);
    for line in lines {
        for (o, v) in out.iter_mut().zip(line) {
            *o += v;
        }
    }
}
