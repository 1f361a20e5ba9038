//! Each state's federal balance of payments (METHODOLOGY §1–3).
//!
//! Every national amount is a control total split among states by a key
//! whose shares sum to 1, so each line sums over states to its control.
//! `Ledger::new` prepares the keys once; `Ledger::compute_into` then fills a
//! reusable `LedgerTable` with plain arithmetic and no allocation, for hot
//! loops (sensitivity grids, scenario sweeps).

mod keys;
mod options;
mod parts;
pub mod sensitivity;

use fedsplit_core::State;
use fedsplit_data::schema::control;
use fedsplit_data::Dataset;

pub use keys::{indicator, Key, KeyShares, SELF_EMPLOYMENT_TAX_RATE};
pub use options::{
    CorporateKey, Deficit, Interest, Method, OptionKey, Options, ProcurementKey, Residual,
    UnknownOption,
};
pub use parts::Parts;

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
    /// One letter lower (A → B → C; C stays C): the grade of a key carried
    /// from another year.
    pub const fn lowered(self) -> Grade {
        match self {
            Grade::A => Grade::B,
            Grade::B | Grade::C => Grade::C,
        }
    }

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
}

/// Where a line's key comes from under a choice of options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyRule {
    Fixed(Key),
    /// `--corporate-key`.
    Corporate,
    /// `--procurement-key`.
    Procurement,
    /// Population under the benefit method; nothing under flow.
    PublicGoods,
    /// `--interest`.
    Interest,
    /// `--residual`.
    Residual,
    /// The deficit treatment's adjustment: no key.
    Adjustment,
}

/// Whether a line is each state's own amount rather than a control split by
/// an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direct {
    Never,
    Always,
    /// Federal wages: under the benefit method they lose their public-goods
    /// part, so they are no longer each state's own amount.
    UnderFlow,
}

/// One ledger line, defined once.
struct LineSpec {
    /// Column name in outputs.
    name: &'static str,
    label: &'static str,
    /// The national control the line sums to (`None` for an adjustment).
    control: Option<&'static str>,
    key: KeyRule,
    grade: Grade,
    direct: Direct,
    budget: Budget,
}

/// Which part of the budget a line is (METHODOLOGY §9): mandatory programs,
/// discretionary spending, grants (split by the year's mandatory share), or
/// neither (net interest, the residual).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// A receipt.
    Receipt,
    /// Social Security, Medicare, Medicaid + CHIP, SNAP, other payments to
    /// individuals.
    Mandatory,
    /// Federal wages, procurement, national public goods (defense, general
    /// government).
    Discretionary,
    /// Non-Medicaid grants: mandatory in the share OMB's tables give, the
    /// rest discretionary.
    Grants,
    /// Net interest and the residual: neither.
    Neither,
    /// A deficit adjustment: spread over the parts in proportion.
    Adjustment,
}

#[allow(clippy::too_many_arguments)]
const fn line(
    name: &'static str,
    label: &'static str,
    control: Option<&'static str>,
    key: KeyRule,
    grade: Grade,
    direct: Direct,
    budget: Budget,
) -> LineSpec {
    LineSpec {
        name,
        label,
        control,
        key,
        grade,
        direct,
        budget,
    }
}

use Budget::{
    Adjustment as Adj, Discretionary as Disc, Grants as Gr, Mandatory as Mand, Neither,
    Receipt as Rec,
};
use Direct::{Always, Never, UnderFlow};
use Grade::{A, B, C};

/// The receipt lines, in `ReceiptLine` order.
#[rustfmt::skip]
const RECEIPT_SPECS: [LineSpec; RECEIPT_LINES] = [
    line("individual_income_tax", "Individual income tax", Some(control::RECEIPTS_INDIVIDUAL_INCOME), KeyRule::Fixed(Key::IncomeTaxAfterCredits), B, Never, Rec),
    line("social_insurance", "Social insurance (payroll) taxes", Some(control::RECEIPTS_SOCIAL_INSURANCE), KeyRule::Fixed(Key::Earnings), B, Never, Rec),
    line("corporate_income_tax", "Corporate income tax", Some(control::RECEIPTS_CORPORATE_INCOME), KeyRule::Corporate, C, Never, Rec),
    line("excise", "Excise taxes", Some(control::RECEIPTS_EXCISE), KeyRule::Fixed(Key::Pce), C, Never, Rec),
    line("estate_gift", "Estate and gift taxes", Some(control::RECEIPTS_ESTATE_GIFT), KeyRule::Fixed(Key::EstateGiftCollections), B, Never, Rec),
    line("other_receipts", "Other receipts (customs, Fed deposits, misc.)", Some(control::RECEIPTS_OTHER_REST), KeyRule::Fixed(Key::Pce), C, Never, Rec),
    line("deficit_share", "Deficit charged to the state", None, KeyRule::Adjustment, C, Never, Adj),
];

/// The spending lines, in `SpendingLine` order.
#[rustfmt::skip]
const SPENDING_SPECS: [LineSpec; SPENDING_LINES] = [
    line("social_security", "Social Security", Some(control::OUTLAYS_SOCIAL_SECURITY), KeyRule::Fixed(Key::SocialSecurityBenefits), B, Never, Mand),
    line("medicare", "Medicare", Some(control::OUTLAYS_MEDICARE), KeyRule::Fixed(Key::MedicareBenefits), B, Never, Mand),
    line("medicaid_chip", "Medicaid + CHIP (federal share)", Some(control::OUTLAYS_MEDICAID_CHIP), KeyRule::Fixed(Key::MedicaidChipFederal), A, Always, Mand),
    line("snap", "SNAP benefits", Some(control::OUTLAYS_SNAP), KeyRule::Fixed(Key::SnapBenefits), A, Always, Mand),
    line("other_payments", "Other payments to individuals", Some(control::OUTLAYS_OTHER_PAYMENTS), KeyRule::Fixed(Key::OtherPaymentsIndicator), C, Never, Mand),
    line("grants", "Grants to state & local govts (non-Medicaid)", Some(control::OUTLAYS_GRANTS), KeyRule::Fixed(Key::NonMedicaidGrants), B, Always, Gr),
    line("federal_wages", "Federal wages (civilian + military)", Some(control::OUTLAYS_FEDERAL_WAGES), KeyRule::Fixed(Key::FederalGdp), B, UnderFlow, Disc),
    line("procurement", "Procurement", Some(control::OUTLAYS_PROCUREMENT), KeyRule::Procurement, C, Never, Disc),
    line("national_public_goods", "National public goods (defense, general govt)", Some(control::NATIONAL_PUBLIC_GOODS), KeyRule::PublicGoods, C, Never, Disc),
    line("net_interest", "Net interest", Some(control::OUTLAYS_NET_INTEREST), KeyRule::Interest, C, Never, Neither),
    line("residual", "Residual (international, offsets, gaps)", Some(control::OUTLAYS_RESIDUAL), KeyRule::Residual, C, Never, Neither),
    line("deficit_scaling", "Scaling of spending to receipts", None, KeyRule::Adjustment, C, Never, Adj),
];

impl KeyRule {
    /// The key in force under `options`; `None` when the line is excluded
    /// or is an adjustment.
    fn key(self, options: &Options) -> Option<Key> {
        Some(match self {
            KeyRule::Fixed(key) => key,
            KeyRule::Corporate => match options.corporate_key {
                CorporateKey::Capital => Key::CapitalIncome,
                CorporateKey::Headquarters => Key::BusinessCollections,
                CorporateKey::Gdp => Key::Gdp,
            },
            KeyRule::Procurement => match options.procurement_key {
                ProcurementKey::FederalGdp => Key::FederalGdp,
                ProcurementKey::Population => Key::Population,
                ProcurementKey::Gdp => Key::Gdp,
            },
            KeyRule::PublicGoods => match options.method {
                Method::Flow => return None,
                Method::Benefit => Key::Population,
            },
            KeyRule::Interest => match options.interest() {
                Interest::Exclude => return None,
                Interest::Income => Key::PersonalIncome,
                Interest::PerCapita => Key::Population,
            },
            KeyRule::Residual => match options.residual() {
                Residual::Exclude => return None,
                Residual::PerCapita => Key::Population,
            },
            KeyRule::Adjustment => return None,
        })
    }
}

/// What receipt and spending lines have in common.
pub trait LedgerLine: Copy {
    fn name(self) -> &'static str;
    fn label(self) -> &'static str;
    fn control_id(self) -> Option<&'static str>;
    fn key(self, options: &Options) -> Option<Key>;
    fn grade(self) -> Grade;
    fn is_direct(self, options: &Options) -> bool;
    fn budget(self) -> Budget;
}

/// The accessors both kinds of line share, read from their spec.
macro_rules! line_accessors {
    ($line:ident, $specs:ident) => {
        impl LedgerLine for $line {
            fn name(self) -> &'static str {
                self.spec().name
            }
            fn label(self) -> &'static str {
                self.spec().label
            }
            fn control_id(self) -> Option<&'static str> {
                self.spec().control
            }
            fn key(self, options: &Options) -> Option<Key> {
                self.spec().key.key(options)
            }
            fn grade(self) -> Grade {
                self.spec().grade
            }
            fn is_direct(self, options: &Options) -> bool {
                $line::is_direct(self, options)
            }
            fn budget(self) -> Budget {
                self.spec().budget
            }
        }

        impl $line {
            const fn spec(self) -> &'static LineSpec {
                &$specs[self as usize]
            }

            /// The part of the budget the line belongs to.
            pub const fn budget(self) -> Budget {
                self.spec().budget
            }

            /// Column name in outputs.
            pub const fn name(self) -> &'static str {
                self.spec().name
            }

            pub const fn label(self) -> &'static str {
                self.spec().label
            }

            /// The national control this line sums to (`None` for the adjustment).
            pub const fn control_id(self) -> Option<&'static str> {
                self.spec().control
            }

            /// The key in force under `options`; `None` when the line is
            /// excluded or is the adjustment.
            pub fn key(self, options: &Options) -> Option<Key> {
                self.spec().key.key(options)
            }

            pub const fn grade(self) -> Grade {
                self.spec().grade
            }

            /// Whether the line is each state's own amount (the key is the
            /// amount itself) rather than a control split by an indicator.
            pub fn is_direct(self, options: &Options) -> bool {
                match self.spec().direct {
                    Never => false,
                    Always => true,
                    UnderFlow => options.method == Method::Flow,
                }
            }
        }
    };
}

line_accessors!(ReceiptLine, RECEIPT_SPECS);
line_accessors!(SpendingLine, SPENDING_SPECS);

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
    /// The federal deficit: total outlays − total receipts.
    deficit: f64,
    /// Per key (`Key::ALL` order): the year its figures come from when that
    /// is not the dataset's fiscal year.
    carried: [Option<u16>; Key::ALL.len()],
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
        let carried = Key::ALL.map(|key| {
            key.columns()
                .iter()
                .filter_map(|(table, column)| data.column_year(table, column))
                .find(|&y| y != data.fiscal_year)
        });
        Ok(Ledger {
            data,
            keys,
            controls,
            population_share,
            deficit: c.get(control::OUTLAYS_TOTAL) - c.get(control::RECEIPTS_TOTAL),
            carried,
        })
    }

    /// The year a key's figures come from when it is not the dataset's
    /// fiscal year (the key is carried from the nearest year that has it).
    pub fn carried(&self, key: Key) -> Option<u16> {
        self.carried[key as usize]
    }

    /// A line's grade under `options`: its base grade, one letter lower when
    /// its key is carried from another year (C stays C).
    pub fn grade(&self, line: &impl LedgerLine, options: &Options) -> Grade {
        match line.key(options).and_then(|k| self.carried(k)) {
            Some(_) => line.grade().lowered(),
            None => line.grade(),
        }
    }

    /// Whether a line is each state's own amount under `options`: a direct
    /// line whose figures are of the dataset's fiscal year (carried, they
    /// are a key scaled to the year's control).
    pub fn is_direct(&self, line: &impl LedgerLine, options: &Options) -> bool {
        line.is_direct(options) && line.key(options).and_then(|k| self.carried(k)).is_none()
    }

    /// A key's description with the year of its figures, and the fiscal year
    /// it is carried to when they are another year's.
    pub fn key_text(&self, key: Key) -> String {
        let year = key
            .columns()
            .first()
            .and_then(|(table, column)| {
                self.data
                    .manifest
                    .iter()
                    .find(|m| m.table == *table && m.column == *column)
            })
            .map(|m| m.year.clone())
            .unwrap_or_default();
        let mut text = key.describe().to_string();
        if !year.is_empty() {
            text.push_str(", ");
            text.push_str(&year);
        }
        if let Some(from) = self.carried(key) {
            text.push_str(&format!(
                " — carried from {from} to FY{}",
                self.data.fiscal_year
            ));
        }
        text
    }

    /// The federal deficit of the fiscal year (outlays − receipts).
    pub fn deficit(&self) -> f64 {
        self.deficit
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
            Deficit::ScaleReceipts | Deficit::PerCapita | Deficit::FullPerCapita => {
                let adj = &mut table.receipts[ReceiptLine::DeficitShare as usize];
                match options.deficit {
                    Deficit::ScaleReceipts => {
                        for (a, r) in adj.iter_mut().zip(&table.receipts_total) {
                            *a = gap * r / receipts;
                        }
                    }
                    Deficit::PerCapita => scale_into(adj, &self.population_share, gap),
                    _ => scale_into(adj, &self.population_share, self.deficit),
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
