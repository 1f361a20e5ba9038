use fedsplit_core::{State, STATE_COUNT};

/// Where a figure comes from. `file` is relative to the raw-data root
/// (e.g. `bea-regional/SAGDP2__ALL_AREAS_1997_2024.csv`); its sha256 goes in
/// the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub publisher: &'static str,
    /// Publisher's table name and line, e.g. "SAGDP2 line 84 Federal civilian".
    pub table: String,
    /// Fiscal/tax/calendar year of the figures as the publisher states it,
    /// e.g. "FY2022", "TY2022", "CY2022". Its first four-digit number is
    /// the year the figures are of: the ledger compares it with the fiscal
    /// year to tell a carried key from a same-year one.
    pub year: String,
    /// Units of the source figure before conversion, e.g. "thousands of dollars".
    pub units: &'static str,
    /// Input files (relative to the raw root) this figure is read from.
    pub files: Vec<&'static str>,
}

/// One per-state column of a compact table: a value for each of the 51 areas,
/// in `State::ALL` (FIPS) order, as an integer in the column's unit
/// (dollars for `_usd` columns, persons for `population`).
#[derive(Debug, Clone)]
pub struct StateColumn {
    /// Column name in the compact table, e.g. `federal_civilian_gdp_usd`.
    pub name: &'static str,
    pub source: Source,
    pub values: [i64; STATE_COUNT],
}

impl StateColumn {
    pub fn get(&self, state: State) -> i64 {
        self.values[state.index()]
    }

    pub fn total(&self) -> i64 {
        self.values.iter().sum()
    }
}

/// A national control total or a component of one, in dollars.
#[derive(Debug, Clone)]
pub struct ControlRow {
    /// Stable identifier, e.g. `receipts.individual_income`.
    pub id: &'static str,
    pub amount_usd: i64,
    pub source: Source,
    /// How the figure is derived, in words, with the lines used,
    /// e.g. "Table 3.2 function 651 Social Security, FY2022 column".
    pub derivation: String,
}

/// A state's presidential result in one election year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectionRow {
    pub year: u16,
    pub state: State,
    pub dem_candidate: String,
    pub rep_candidate: String,
    pub dem_votes: i64,
    pub rep_votes: i64,
    pub other_votes: i64,
    pub total_votes: i64,
}
