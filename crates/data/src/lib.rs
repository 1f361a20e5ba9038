//! fedsplit's dataset: the compact tables under `data/` (embedded in the
//! binary) or a user directory of the same schema, loaded and validated.
//!
//! Loading checks everything the ledger relies on, so that the ledger itself
//! can be pure arithmetic: each table has the expected header, every cell
//! parses, each state appears once, counts and amounts are not negative,
//! receipt categories add up to total receipts, spending channels add up to
//! total outlays, and channels given per state add up to their control.

mod error;
mod load;
pub mod schema;

use std::path::Path;

pub use error::DataError;
use fedsplit_core::graph::Graph;
use fedsplit_core::State;
pub use load::TableText;

/// Per-state columns: one value per state in `Dataset::states` order.
pub type Column = Vec<f64>;

/// The dataset the ledger runs on.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Where the tables came from: "embedded" or a directory path.
    pub origin: String,
    /// sha256 over every table file, in `schema::ALL_FILES` order.
    pub checksum: String,
    /// States covered, in the order of `states.csv` (FIPS order for the default data).
    pub states: Vec<State>,
    pub population: Column,
    pub personal_income_usd: Column,
    pub gdp_usd: Column,
    pub pce_usd: Column,
    pub receipt_keys: ReceiptKeys,
    pub spending: SpendingByState,
    pub controls: Controls,
    pub borders: Vec<(State, State)>,
    pub elections: Vec<ElectionResult>,
    pub income_classes: Vec<IncomeClass>,
    pub manifest: Vec<ManifestEntry>,
}

/// Per-state indicators used to attribute receipts (IRS SOI TY2022 and IRS
/// Data Book Table 5 FY2022) and to key states' own taxes (Census State &
/// Local Government Finances 2022), in dollars except `returns`.
#[derive(Debug, Clone, Default)]
pub struct ReceiptKeys {
    pub returns: Column,
    pub agi_usd: Column,
    pub wages_usd: Column,
    pub self_employment_tax_usd: Column,
    pub dividends_usd: Column,
    pub net_capital_gains_usd: Column,
    pub income_tax_after_credits_usd: Column,
    pub irs_total_collections_usd: Column,
    pub irs_business_collections_usd: Column,
    pub irs_individual_collections_usd: Column,
    pub irs_withheld_fica_usd: Column,
    pub irs_estate_tax_usd: Column,
    pub irs_gift_tax_usd: Column,
    /// State and local individual income taxes (Census SLGF 2022 Table 1
    /// line 18, state-and-local amount). Zero in states without one.
    pub state_local_income_tax_usd: Column,
    /// State and local general sales taxes (Census SLGF 2022 Table 1
    /// line 11, state-and-local amount).
    pub state_local_sales_tax_usd: Column,
}

/// Per-state spending amounts and indicators, in dollars.
#[derive(Debug, Clone, Default)]
pub struct SpendingByState {
    pub bea_social_security_usd: Column,
    pub bea_medicare_usd: Column,
    pub bea_medicaid_usd: Column,
    pub bea_income_maintenance_usd: Column,
    pub bea_other_transfers_usd: Column,
    pub medicaid_chip_federal_usd: Column,
    pub snap_benefits_usd: Column,
    pub slgf_federal_revenue_usd: Column,
    pub federal_civilian_gdp_usd: Column,
    pub military_gdp_usd: Column,
}

/// National control totals and their components, in dollars.
#[derive(Debug, Clone, Default)]
pub struct Controls {
    pub items: Vec<ControlItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ControlItem {
    pub id: String,
    pub amount_usd: f64,
    pub derivation: String,
}

impl Controls {
    /// The amount of a control. Loading guarantees every id in
    /// `schema::control::REQUIRED` is present.
    pub fn get(&self, id: &str) -> f64 {
        self.item(id).map(|c| c.amount_usd).unwrap_or(f64::NAN)
    }

    pub fn item(&self, id: &str) -> Option<&ControlItem> {
        self.items.iter().find(|c| c.id == id)
    }
}

/// One state's presidential result.
#[derive(Debug, Clone, PartialEq)]
pub struct ElectionResult {
    pub year: u16,
    pub state: State,
    pub dem_candidate: String,
    pub rep_candidate: String,
    pub dem_votes: u64,
    pub rep_votes: u64,
    pub other_votes: u64,
    pub total_votes: u64,
}

/// Which major party carried a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Democratic,
    Republican,
}

impl ElectionResult {
    /// The party whose nominee won the state's popular vote.
    pub fn winner(&self) -> Party {
        if self.dem_votes >= self.rep_votes {
            Party::Democratic
        } else {
            Party::Republican
        }
    }

    /// Winner's lead over the runner-up, as a share of all votes cast (0..1).
    pub fn margin_share(&self) -> f64 {
        self.dem_votes.abs_diff(self.rep_votes) as f64 / self.total_votes as f64
    }
}

/// IRS SOI TY2022 figures for one state and AGI class (1 = under $1 … 10 = $1M+).
#[derive(Debug, Clone, PartialEq)]
pub struct IncomeClass {
    pub state: State,
    pub agi_class: u8,
    pub returns: f64,
    pub agi_usd: f64,
    pub wages_usd: f64,
    pub income_tax_after_credits_usd: f64,
    /// State and local income taxes deducted by itemizers (SOI A18425).
    pub state_local_income_tax_itemized_usd: f64,
    /// State and local general sales taxes deducted by itemizers (SOI A18450).
    pub general_sales_tax_itemized_usd: f64,
}

/// Provenance of one column of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestEntry {
    pub table: String,
    pub column: String,
    pub publisher: String,
    pub source_table: String,
    pub year: String,
    pub units: String,
    pub input_files: String,
    pub input_sha256: String,
}

/// The default dataset's files, embedded at compile time.
pub const EMBEDDED: [(&str, &str); 8] = [
    (
        schema::STATES_FILE,
        include_str!("../../../data/states.csv"),
    ),
    (
        schema::RECEIPT_KEYS_FILE,
        include_str!("../../../data/receipt_keys.csv"),
    ),
    (
        schema::SPENDING_FILE,
        include_str!("../../../data/spending.csv"),
    ),
    (
        schema::CONTROLS_FILE,
        include_str!("../../../data/controls.csv"),
    ),
    (
        schema::BORDERS_FILE,
        include_str!("../../../data/borders.csv"),
    ),
    (
        schema::ELECTIONS_FILE,
        include_str!("../../../data/elections.csv"),
    ),
    (
        schema::INCOME_CLASSES_FILE,
        include_str!("../../../data/income_classes.csv"),
    ),
    (
        schema::MANIFEST_FILE,
        include_str!("../../../data/manifest.csv"),
    ),
];

impl Dataset {
    /// The FY2022 dataset built from the public sources and embedded in the binary.
    pub fn embedded() -> Result<Dataset, DataError> {
        let tables = EMBEDDED
            .iter()
            .map(|(name, text)| TableText {
                label: format!("data/{name} (embedded)"),
                text: (*text).to_string(),
            })
            .collect();
        load::parse("embedded".into(), tables)
    }

    /// A dataset from in-memory tables, given as (file name, text) in any
    /// order; every file of `schema::ALL_FILES` must be present. Errors name
    /// `label/file`.
    pub fn from_tables(label: &str, files: &[(&str, &str)]) -> Result<Dataset, DataError> {
        let mut tables = Vec::with_capacity(schema::ALL_FILES.len());
        for name in schema::ALL_FILES {
            let file = format!("{label}/{name}");
            let text = files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| (*t).to_string())
                .ok_or_else(|| DataError::Unreadable {
                    file: file.clone(),
                    message: "missing".into(),
                })?;
            tables.push(TableText { label: file, text });
        }
        load::parse(label.to_string(), tables)
    }

    /// A dataset of the same schema from a directory (e.g. another year).
    pub fn from_dir(dir: &Path) -> Result<Dataset, DataError> {
        let mut tables = Vec::with_capacity(schema::ALL_FILES.len());
        for name in schema::ALL_FILES {
            let path = dir.join(name);
            let label = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| DataError::Unreadable {
                file: label.clone(),
                message: e.to_string(),
            })?;
            tables.push(TableText { label, text });
        }
        load::parse(dir.display().to_string(), tables)
    }

    /// Number of states covered.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// Position of a state in this dataset's columns.
    pub fn position(&self, state: State) -> Option<usize> {
        self.states.iter().position(|s| *s == state)
    }

    /// Total population of the covered states.
    pub fn total_population(&self) -> f64 {
        self.population.iter().sum()
    }

    /// Results of one election year, in `states` order (empty if the year is absent).
    pub fn election(&self, year: u16) -> Vec<&ElectionResult> {
        self.states
            .iter()
            .filter_map(|s| {
                self.elections
                    .iter()
                    .find(|e| e.year == year && e.state == *s)
            })
            .collect()
    }

    /// The states as a graph joined by their land borders, in dataset order:
    /// names are postal codes, populations rounded to whole persons. Alaska
    /// and Hawaii are nodes without neighbours.
    pub fn state_graph(&self) -> Graph {
        let position = |s: State| self.position(s);
        let edges: Vec<(usize, usize)> = self
            .borders
            .iter()
            .filter_map(|&(a, b)| Some((position(a)?, position(b)?)))
            .collect();
        let pops = self
            .population
            .iter()
            .map(|p| p.round().max(0.0) as u64)
            .collect();
        let names = self.states.iter().map(|s| s.postal().to_string()).collect();
        Graph::from_edges(pops, names, &edges).expect("loading checked the borders")
    }

    /// Election years present, ascending.
    pub fn election_years(&self) -> Vec<u16> {
        let mut years: Vec<u16> = self.elections.iter().map(|e| e.year).collect();
        years.sort_unstable();
        years.dedup();
        years
    }
}
