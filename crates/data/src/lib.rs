//! fedsplit's dataset: the compact tables under `data/` (embedded in the
//! binary) or a user directory of the same schema, loaded and validated.
//!
//! Loading checks everything the ledger relies on, so that the ledger itself
//! can be pure arithmetic: each table has the expected header, every cell
//! parses, each state appears once, counts and amounts are not negative,
//! receipt categories add up to total receipts, spending channels add up to
//! total outlays, and channels given per state add up to their control.

/// Declares a per-state table once: its row (a postal code, then counts in
/// the header's order), its columns (one `Column` per field, in
/// `Dataset::states` order) and its header.
macro_rules! per_state_table {
    ($(#[$doc:meta])* $columns:ident, $row:ident { $( $(#[$fdoc:meta])* $field:ident ),+ $(,)? }) => {
        #[derive(Debug, serde::Deserialize)]
        struct $row {
            postal: cells::Postal,
            $( $field: cells::Count ),+
        }

        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $columns {
            $( $(#[$fdoc])* pub $field: Column ),+
        }

        impl $columns {
            /// The table's header: `postal`, then the columns.
            pub const HEADER: &'static [&'static str] = &["postal", $( stringify!($field) ),+];

            /// Columns from rows, each state exactly once.
            fn from_rows(rows: &cells::Rows<$row>, states: &[State]) -> Result<$columns, DataError> {
                let n = states.len();
                let mut out = $columns { $( $field: vec![f64::NAN; n] ),+ };
                let mut seen = vec![false; n];
                for (line, row) in &rows.rows {
                    let state = row.postal.0;
                    let Some(i) = states.iter().position(|s| *s == state) else {
                        return Err(rows.field_error(*line, "postal", state.postal(), "state not in states.csv"));
                    };
                    if seen[i] {
                        return Err(rows.field_error(*line, "postal", state.postal(), "duplicate state"));
                    }
                    seen[i] = true;
                    $( out.$field[i] = row.$field.f64(); )+
                }
                if let Some(missing) = seen.iter().position(|s| !s) {
                    return Err(rows.inconsistent(format!("no row for state {}", states[missing].postal())));
                }
                Ok(out)
            }
        }
    };
}

mod cells;
mod embedded;
mod error;
mod load;
mod maps;
pub mod schema;

use std::path::Path;

pub use cells::TableText;
pub use embedded::{Source, EMBEDDED_MAPS, EMBEDDED_YEARS};
pub use error::DataError;
use fedsplit_core::graph::Graph;
use fedsplit_core::State;
pub use maps::{
    Counties, County, CountyPath, CountyPaths, StatePath, StatePaths, COUNTY_VOTE_YEARS,
};

/// Per-state columns: one value per state in `Dataset::states` order.
pub type Column = Vec<f64>;

/// The dataset the ledger runs on: one fiscal year's tables, with the
/// tables every year shares (borders, elections).
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The federal fiscal year of the controls (e.g. 2024 for FY2024).
    pub fiscal_year: u16,
    /// Where the tables came from: "embedded" or a directory path.
    pub origin: String,
    /// The same, to read further tables (counties, map) from.
    pub source: Source,
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
    /// `borders` as a graph over `states` (see `state_graph`).
    state_graph: Graph,
    pub elections: Vec<ElectionResult>,
    pub income_classes: Vec<IncomeClass>,
    pub manifest: Vec<ManifestEntry>,
}

per_state_table! {
    /// Per-state indicators used to attribute receipts (IRS SOI TY2022 and IRS
    /// Data Book Table 5 FY2022) and to key states' own taxes (Census State &
    /// Local Government Finances 2022), in dollars except `returns`.
    ReceiptKeys, ReceiptKeyRow {
        returns,
        agi_usd,
        wages_usd,
        self_employment_tax_usd,
        dividends_usd,
        net_capital_gains_usd,
        income_tax_after_credits_usd,
        irs_total_collections_usd,
        irs_business_collections_usd,
        irs_individual_collections_usd,
        irs_withheld_fica_usd,
        irs_estate_tax_usd,
        irs_gift_tax_usd,
        /// State and local individual income taxes (Census SLGF 2022 Table 1
        /// line 18, state-and-local amount). Zero in states without one.
        state_local_income_tax_usd,
        /// State and local general sales taxes (Census SLGF 2022 Table 1
        /// line 11, state-and-local amount).
        state_local_sales_tax_usd,
    }
}

per_state_table! {
    /// Per-state spending amounts and indicators, in dollars. Each column's
    /// source and year are in the manifest; a column whose year is not the
    /// dataset's fiscal year is carried from the nearest year that has it.
    SpendingByState, SpendingRow {
        /// Social Security benefits by recipient residence (BEA CAINC35).
        social_security_benefits_usd,
        /// Medicare benefits by beneficiary residence (BEA CAINC35; CMS
        /// health expenditures by state of residence where that is the year's).
        medicare_benefits_usd,
        bea_medicaid_usd,
        bea_income_maintenance_usd,
        bea_other_transfers_usd,
        /// Alaska's Permanent Fund Dividend, state money inside BEA "other
        /// transfers" (0 elsewhere).
        alaska_pfd_usd,
        /// The key of other payments to individuals: income maintenance +
        /// other transfers − SNAP benefits of the same year − the Alaska PFD,
        /// floor 0.
        other_payments_key_usd,
        medicaid_chip_federal_usd,
        snap_benefits_usd,
        slgf_federal_revenue_usd,
        /// Federal revenue of state and local governments less the
        /// Medicaid/CHIP federal share of the same year: the grants channel's
        /// per-state amounts (or, carried, its key).
        non_medicaid_grants_usd,
        federal_civilian_gdp_usd,
        military_gdp_usd,
    }
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

/// The states joined by `borders`, in `states` order (see `Dataset::state_graph`).
fn border_graph(states: &[State], population: &[f64], borders: &[(State, State)]) -> Graph {
    let position = |s: State| states.iter().position(|x| *x == s);
    let edges: Vec<(usize, usize)> = borders
        .iter()
        .filter_map(|&(a, b)| Some((position(a)?, position(b)?)))
        .collect();
    let pops = population
        .iter()
        .map(|p| p.round().max(0.0) as u64)
        .collect();
    let names = states.iter().map(|s| s.postal().to_string()).collect();
    Graph::from_edges(pops, names, &edges).expect("loading checked the borders")
}

impl Dataset {
    /// The dataset of `source`: every file of `schema::ALL_FILES`.
    pub fn load(source: Source) -> Result<Dataset, DataError> {
        let tables = schema::ALL_FILES
            .iter()
            .map(|name| source.read(name))
            .collect::<Result<Vec<_>, _>>()?;
        let data = load::parse(source, tables)?;
        if let Some(year) = data.source.year() {
            if year != data.fiscal_year {
                return Err(DataError::Inconsistent {
                    file: data.source.read(schema::DATASET_FILE)?.label,
                    message: format!(
                        "fiscal_year is {} in the directory of FY{year}",
                        data.fiscal_year
                    ),
                });
            }
        }
        Ok(data)
    }

    /// The dataset of fiscal year `year` (the latest when `None`), from the
    /// embedded data or from `dir`: a directory of one year's tables, or one
    /// laid out like `data/` (a `fyYYYY/` folder per year beside the shared
    /// tables).
    pub fn open(dir: Option<&Path>, year: Option<u16>) -> Result<Dataset, DataError> {
        Dataset::load(Source::find(dir, year)?)
    }

    /// Every fiscal year `dir` (or the embedded data) holds, ascending.
    pub fn years(dir: Option<&Path>) -> Result<Vec<u16>, DataError> {
        Source::years(dir)
    }

    /// The latest embedded year's dataset, built from the public sources.
    pub fn embedded() -> Result<Dataset, DataError> {
        Dataset::open(None, None)
    }

    /// A dataset from in-memory tables, given as (file name, text) in any
    /// order; every file of `schema::ALL_FILES` must be present (the map and
    /// county tables only when asked for). Errors name `label/file`.
    pub fn from_tables(label: &str, files: &[(&str, &str)]) -> Result<Dataset, DataError> {
        Dataset::load(Source::Memory {
            label: label.to_string(),
            files: files
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        })
    }

    /// A dataset of one year's tables in a directory.
    pub fn from_dir(dir: &Path) -> Result<Dataset, DataError> {
        Dataset::load(Source::Dir {
            dir: dir.to_path_buf(),
            year: None,
        })
    }

    /// The year a column's figures are of: the first four-digit number of its
    /// manifest `year` ("TY2023" → 2023, "CY2022" → 2022). `None` when the
    /// manifest has no such column or no year for it.
    pub fn column_year(&self, table: &str, column: &str) -> Option<u16> {
        let entry = self
            .manifest
            .iter()
            .find(|m| m.table == table && m.column.split(',').any(|c| c == column))?;
        first_year(&entry.year)
    }

    /// The county graph's tables, from where the dataset came from.
    pub fn counties(&self) -> Result<Counties, DataError> {
        Counties::load(self)
    }

    /// The map's state outlines, from where the dataset came from.
    pub fn state_paths(&self) -> Result<StatePaths, DataError> {
        StatePaths::load(self)
    }

    /// The map's county outlines, from where the dataset came from, read
    /// against `counties` (`Dataset::counties`).
    pub fn county_paths(&self, counties: &Counties) -> Result<CountyPaths, DataError> {
        CountyPaths::load(self, counties)
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
    /// and Hawaii are nodes without neighbours. Built once at load.
    pub fn state_graph(&self) -> &Graph {
        &self.state_graph
    }

    /// Election years present, ascending.
    pub fn election_years(&self) -> Vec<u16> {
        let mut years: Vec<u16> = self.elections.iter().map(|e| e.year).collect();
        years.sort_unstable();
        years.dedup();
        years
    }
}

/// The first four-digit number in `text` that looks like a year: how a
/// manifest `year` ("TY2023", "CY2022") names the year of its figures.
pub fn first_year(text: &str) -> Option<u16> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let digits = &bytes[i..i + 4];
        let standalone_start = i == 0 || !bytes[i - 1].is_ascii_digit();
        let standalone_end = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        (digits.iter().all(u8::is_ascii_digit) && standalone_start && standalone_end)
            .then(|| text[i..i + 4].parse().ok())
            .flatten()
            .filter(|y| (1900..=2100).contains(y))
    })
}

#[cfg(test)]
mod year_tests {
    #[test]
    fn first_year_reads_manifest_years() {
        assert_eq!(super::first_year("TY2023"), Some(2023));
        assert_eq!(super::first_year("CY2022 (July 1)"), Some(2022));
        assert_eq!(super::first_year("FY2019"), Some(2019));
        assert_eq!(super::first_year("2016, 2020, 2024"), Some(2016));
        assert_eq!(super::first_year("12345"), None);
        assert_eq!(super::first_year(""), None);
    }
}
