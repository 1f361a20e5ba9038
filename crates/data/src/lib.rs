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
mod error;
mod load;
mod maps;
pub mod schema;

use std::path::{Path, PathBuf};

pub use cells::TableText;
pub use error::DataError;
use fedsplit_core::graph::Graph;
use fedsplit_core::State;
pub use maps::{Counties, County, StatePath, StatePaths, COUNTY_VOTE_YEARS};

/// Per-state columns: one value per state in `Dataset::states` order.
pub type Column = Vec<f64>;

/// The dataset the ledger runs on.
#[derive(Debug, Clone)]
pub struct Dataset {
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
    /// Per-state spending amounts and indicators, in dollars.
    SpendingByState, SpendingRow {
        bea_social_security_usd,
        bea_medicare_usd,
        bea_medicaid_usd,
        bea_income_maintenance_usd,
        bea_other_transfers_usd,
        medicaid_chip_federal_usd,
        snap_benefits_usd,
        slgf_federal_revenue_usd,
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

/// The map and county tables, embedded beside the dataset. They load on
/// demand (`Dataset::counties`, `Dataset::state_paths`) through the same
/// reader, from the same place as the dataset.
pub const EMBEDDED_MAPS: [(&str, &str); 3] = [
    (
        schema::COUNTIES_FILE,
        include_str!("../../../data/counties.csv"),
    ),
    (
        schema::COUNTY_EDGES_FILE,
        include_str!("../../../data/county_edges.csv"),
    ),
    (
        schema::STATE_PATHS_FILE,
        include_str!("../../../data/state_paths.csv"),
    ),
];

/// Where a dataset's tables come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Compiled into the binary from `data/`.
    Embedded,
    /// A directory given with `--data`.
    Dir(PathBuf),
    /// Texts handed over in memory (tests, fuzzing): (file name, text).
    Memory {
        label: String,
        files: Vec<(String, String)>,
    },
}

impl Source {
    /// The text of table `name`, labelled for error messages.
    pub fn read(&self, name: &str) -> Result<TableText, DataError> {
        match self {
            Source::Embedded => EMBEDDED
                .iter()
                .chain(&EMBEDDED_MAPS)
                .find(|(n, _)| *n == name)
                .map(|(_, text)| TableText {
                    label: format!("data/{name} (embedded)"),
                    text: (*text).to_string(),
                })
                .ok_or_else(|| DataError::Unreadable {
                    file: format!("data/{name} (embedded)"),
                    message: "not embedded".into(),
                }),
            Source::Dir(dir) => {
                let path = dir.join(name);
                let label = path.display().to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| DataError::Unreadable {
                    file: label.clone(),
                    message: e.to_string(),
                })?;
                Ok(TableText { label, text })
            }
            Source::Memory { label, files } => {
                let file = format!("{label}/{name}");
                files
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, t)| TableText {
                        label: file.clone(),
                        text: t.clone(),
                    })
                    .ok_or(DataError::Unreadable {
                        file,
                        message: "missing".into(),
                    })
            }
        }
    }

    /// How outputs name the source: "embedded", the directory, or the label.
    pub fn origin(&self) -> String {
        match self {
            Source::Embedded => "embedded".into(),
            Source::Dir(dir) => dir.display().to_string(),
            Source::Memory { label, .. } => label.clone(),
        }
    }
}

impl Dataset {
    /// The dataset of `source`: every file of `schema::ALL_FILES`.
    pub fn load(source: Source) -> Result<Dataset, DataError> {
        let tables = schema::ALL_FILES
            .iter()
            .map(|name| source.read(name))
            .collect::<Result<Vec<_>, _>>()?;
        load::parse(source, tables)
    }

    /// The FY2022 dataset built from the public sources and embedded in the binary.
    pub fn embedded() -> Result<Dataset, DataError> {
        Dataset::load(Source::Embedded)
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

    /// A dataset of the same schema from a directory (e.g. another year).
    pub fn from_dir(dir: &Path) -> Result<Dataset, DataError> {
        Dataset::load(Source::Dir(dir.to_path_buf()))
    }

    /// The county graph's tables, from where the dataset came from.
    pub fn counties(&self) -> Result<Counties, DataError> {
        Counties::load(self)
    }

    /// The map's state outlines, from where the dataset came from.
    pub fn state_paths(&self) -> Result<StatePaths, DataError> {
        StatePaths::load(self)
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
