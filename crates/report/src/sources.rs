//! `fedsplit sources`: every column of every table with its provenance and
//! input checksums, and every national control with its derivation.

use fedsplit_data::Dataset;
use serde::Serialize;

use crate::Meta;

/// One column's provenance (a control's, with its amount and derivation).
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub table: String,
    pub column: String,
    pub publisher: String,
    pub source_table: String,
    pub year: String,
    pub units: String,
    pub input_files: Vec<String>,
    pub input_sha256: Vec<String>,
    pub derivation: Option<String>,
    pub amount_usd: Option<f64>,
    /// For a column of the year's tables whose figures are another year's:
    /// that year (the key is carried to the dataset's fiscal year).
    pub carried_from: Option<u16>,
}

/// The tables of one fiscal year (the others every year shares).
const YEAR_TABLES: [&str; 4] = ["states", "receipt_keys", "spending", "income_classes"];

#[derive(Debug, Clone, Serialize)]
pub struct Sources {
    pub meta: Meta,
    pub columns: Vec<Column>,
}

fn list(text: &str) -> Vec<String> {
    text.split(';')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub fn build(data: &Dataset) -> Sources {
    let columns = data
        .manifest
        .iter()
        .map(|m| {
            let control = (m.table == "controls")
                .then(|| data.controls.item(&m.column))
                .flatten();
            Column {
                table: m.table.clone(),
                column: m.column.clone(),
                publisher: m.publisher.clone(),
                source_table: m.source_table.clone(),
                year: m.year.clone(),
                units: m.units.clone(),
                input_files: list(&m.input_files),
                input_sha256: list(&m.input_sha256),
                derivation: control.map(|c| c.derivation.clone()),
                amount_usd: control.map(|c| c.amount_usd),
                carried_from: YEAR_TABLES
                    .contains(&m.table.as_str())
                    .then(|| fedsplit_data::first_year(&m.year))
                    .flatten()
                    .filter(|&y| y != data.fiscal_year),
            }
        })
        .collect();
    Sources {
        meta: Meta::new(data, "sources", None),
        columns,
    }
}
