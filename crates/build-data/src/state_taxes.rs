//! Per-state taxes of state and local governments: Census State & Local
//! Government Finances (2019 for FY2019, 2022 for FY2022 and, carried, for
//! FY2023–24), Table 1 (state-and-local column), line 18
//! "Individual income" and line 11 "General sales". They key the taxes a
//! state raises to replace withdrawn federal spending (METHODOLOGY §5–6).
//!
//! States without an individual income tax (e.g. Texas, Florida) have zero
//! or near-zero amounts, which are valid. Oregon has no retail sales tax, but
//! the Census classes its gross-receipts Corporate Activity Tax as general
//! sales in 2022, so its sales amount is small but not zero (in 2019 it is
//! zero).

use std::path::Path;

use crate::federal_spending::slgf_table1_line;
use crate::years::SlgfSpec;
use crate::{BuildError, Source, StateColumn};

/// (output column, Table 1 line number, line description, manifest table text)
const SLGF_TAX_LINES: [(&str, u32, &str, &str); 2] = [
    (
        "state_local_income_tax_usd",
        18,
        "Individual income",
        "State and Local Government Finances Table 1, line 18 Individual income (taxes), state & local amount",
    ),
    (
        "state_local_sales_tax_usd",
        11,
        "General sales",
        "State and Local Government Finances Table 1, line 11 General sales (taxes), state & local amount",
    ),
];

/// The state-and-local individual income tax and general sales tax columns
/// of the survey `slgf`.
pub fn state_columns(raw: &Path, slgf: &SlgfSpec) -> Result<Vec<StateColumn>, BuildError> {
    SLGF_TAX_LINES
        .iter()
        .map(|&(name, line, description, table)| {
            Ok(StateColumn {
                name,
                source: Source {
                    publisher: slgf.publisher,
                    table: table.to_string(),
                    year: format!("SFY{}", slgf.year),
                    units: "thousands of dollars",
                    files: vec![slgf.file],
                },
                values: slgf_table1_line(raw, slgf, line, description)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use fedsplit_core::State;

    use super::*;

    #[test]
    fn state_local_taxes_sum_to_the_us_column() {
        let Some(raw) = crate::raw_root_for_test("state_local_taxes_sum_to_the_us_column") else {
            return;
        };
        // slgf_table1_line checks the 51 areas against the US column.
        let cols = state_columns(&raw, &crate::years::spec(2022).unwrap().slgf).unwrap();
        assert_eq!(cols.len(), 2);
        for c in &cols {
            println!("{:<32} {:>18}", c.name, c.total());
            assert!(c.values.iter().all(|&v| v >= 0), "{}", c.name);
        }
        let income = &cols[0];
        let sales = &cols[1];
        // 51-area totals, $M (= the US column, checked by the reader).
        let m = |c: &StateColumn| (c.total() as f64 / 1e6).round() as i64;
        assert_eq!(m(income), 600_617);
        assert_eq!(m(sales), 557_176);
        // No individual income tax in Texas or Florida.
        assert_eq!(income.get(State::Tx), 0);
        assert_eq!(income.get(State::Fl), 0);
        // Oregon has no retail sales tax; its gross-receipts Corporate
        // Activity Tax is classed as general sales by the Census (< 1%).
        assert!((sales.get(State::Or) as f64) < 0.01 * sales.total() as f64);
        // New York and California have the largest income tax collections.
        assert!(income.get(State::Ca) > income.get(State::Ny));
        assert!(income.get(State::Ny) > income.get(State::Il));
    }

    #[test]
    fn state_local_taxes_2019_sum_to_the_us_column() {
        let Some(raw) = crate::raw_root_for_test("state_local_taxes_2019_sum_to_the_us_column")
        else {
            return;
        };
        let cols = state_columns(&raw, &crate::years::spec(2019).unwrap().slgf).unwrap();
        // years-data.md §2.7: Σ51 line 18 446,770,064; line 11 436,393,937
        // (thousands); the US column differs by −1 and 0.
        assert_eq!(cols[0].total(), 446_770_064_000);
        assert_eq!(cols[1].total(), 436_393_937_000);
        assert_eq!(cols[0].source.year, "SFY2019");
        assert_eq!(cols[0].get(State::Tx), 0);
        // Oregon's Corporate Activity Tax is classed as general sales only
        // from 2022.
        assert_eq!(cols[1].get(State::Or), 0);
    }
}
