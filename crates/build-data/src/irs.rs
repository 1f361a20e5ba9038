//! IRS Statistics of Income: Historic Table 2 (TY2022, by state of the
//! filer's address and AGI class) and Data Book Table 5 (FY2022 gross
//! collections by state), plus the national estate and gift control.

use std::path::Path;

use fedsplit_core::{State, STATE_COUNT};

use crate::sheet::{read_csv, to_units, CsvFile};
use crate::{BuildError, ControlRow, Source, StateColumn};

const SOI_FILE: &str = "irs-soi-historic-table2/22in55cmcsv.csv";
const T5_STATES_FILE: &str =
    "irs-soi-databook-table5/irs_databook_t5_gross_collections_by_state_fy2022_fy2023_billions.csv";
const T5_US_FILE: &str =
    "irs-soi-databook-table5/irs_databook_t5_us_total_and_undistributed_fy2019_2025_thousands.csv";

const THOUSANDS: f64 = 1e3;
const BILLIONS: f64 = 1e9;

/// SOI Historic Table 2 TY2022 fields taken per state (AGI_STUB 0):
/// (column name, SOI field, description, is an amount in thousands of dollars).
const SOI_FIELDS: [(&str, &str, &str, bool); 7] = [
    (
        "returns",
        "N1",
        "Historic Table 2, AGI_STUB 0, N1 number of returns",
        false,
    ),
    (
        "agi_usd",
        "A00100",
        "Historic Table 2, AGI_STUB 0, A00100 adjusted gross income",
        true,
    ),
    (
        "wages_usd",
        "A00200",
        "Historic Table 2, AGI_STUB 0, A00200 salaries and wages",
        true,
    ),
    (
        "self_employment_tax_usd",
        "A09400",
        "Historic Table 2, AGI_STUB 0, A09400 self-employment tax",
        true,
    ),
    (
        "dividends_usd",
        "A00600",
        "Historic Table 2, AGI_STUB 0, A00600 ordinary dividends",
        true,
    ),
    (
        "net_capital_gains_usd",
        "A01000",
        "Historic Table 2, AGI_STUB 0, A01000 net capital gain (less loss)",
        true,
    ),
    (
        "income_tax_after_credits_usd",
        "A06500",
        "Historic Table 2, AGI_STUB 0, A06500 income tax after credits",
        true,
    ),
];

/// The SOI `STATE` code of a row: `Ok(None)` for the US total, other areas
/// (OA) and Puerto Rico; an error for anything else that is not a state.
fn soi_state(file: &CsvFile, line: u64, code: &str) -> Result<Option<State>, BuildError> {
    match code.trim() {
        "US" | "OA" | "PR" => Ok(None),
        c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            State::parse(c).map(Some).map_err(|e| BuildError::Parse {
                path: file.path.clone(),
                location: line.to_string(),
                field: "STATE".into(),
                value: code.to_string(),
                message: e.to_string(),
            })
        }
        _ => Err(BuildError::Parse {
            path: file.path.clone(),
            location: line.to_string(),
            field: "STATE".into(),
            value: code.to_string(),
            message: "not a two-letter state code".into(),
        }),
    }
}

fn agi_stub(
    file: &CsvFile,
    line: u64,
    rec: &csv::StringRecord,
    col: usize,
) -> Result<u8, BuildError> {
    let v = file.number(line, rec, col)?;
    if v.fract() != 0.0 || !(0.0..=10.0).contains(&v) {
        return Err(BuildError::Parse {
            path: file.path.clone(),
            location: line.to_string(),
            field: "AGI_STUB".into(),
            value: rec.get(col).unwrap_or("").to_string(),
            message: "expected an integer 0..=10".into(),
        });
    }
    Ok(v as u8)
}

fn duplicate(path: &Path, what: String) -> BuildError {
    BuildError::Check(format!("{}: duplicated row for {what}", path.display()))
}

fn missing_states(path: &Path, filled: &[bool; STATE_COUNT], what: &str) -> Result<(), BuildError> {
    let missing: Vec<&str> = State::ALL
        .iter()
        .filter(|s| !filled[s.index()])
        .map(|s| s.postal())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(BuildError::Missing {
            path: path.to_path_buf(),
            what: format!("{what} for {}", missing.join(", ")),
        })
    }
}

fn soi_source(table: &'static str, units: &'static str) -> Source {
    Source {
        publisher: "IRS Statistics of Income",
        table,
        year: "TY2022",
        units,
        files: vec![SOI_FILE],
    }
}

/// Per-state columns from SOI Historic Table 2, TY2022, all returns
/// (AGI_STUB 0). Amounts are converted from thousands of dollars to dollars.
///
/// Checks that, for every amount field, the US row equals the sum of the
/// 50 states, DC, other areas (OA) and Puerto Rico exactly.
pub fn soi_state_columns(raw: &Path) -> Result<Vec<StateColumn>, BuildError> {
    let file = read_csv(&raw.join(SOI_FILE), false)?;
    let c_state = file.column("STATE")?;
    let c_stub = file.column("AGI_STUB")?;
    let cols = SOI_FIELDS
        .iter()
        .map(|f| file.column(f.1))
        .collect::<Result<Vec<_>, _>>()?;

    let mut values = [[0i64; STATE_COUNT]; SOI_FIELDS.len()];
    let mut filled = [false; STATE_COUNT];
    let mut us: Option<Vec<f64>> = None;
    // Sum over every non-US row (states, DC, OA, PR), in source units.
    let mut parts = vec![0f64; SOI_FIELDS.len()];

    for (line, rec) in &file.records {
        if agi_stub(&file, *line, rec, c_stub)? != 0 {
            continue;
        }
        let code = rec.get(c_state).unwrap_or("").trim();
        let nums = cols
            .iter()
            .map(|&c| file.number(*line, rec, c))
            .collect::<Result<Vec<_>, _>>()?;
        if code == "US" {
            if us.replace(nums).is_some() {
                return Err(duplicate(&file.path, "US, AGI_STUB 0".into()));
            }
            continue;
        }
        for (p, v) in parts.iter_mut().zip(&nums) {
            *p += v;
        }
        let Some(state) = soi_state(&file, *line, code)? else {
            continue;
        };
        let i = state.index();
        if filled[i] {
            return Err(duplicate(&file.path, format!("{state}, AGI_STUB 0")));
        }
        filled[i] = true;
        for (k, (field, v)) in SOI_FIELDS.iter().zip(&nums).enumerate() {
            let scale = if field.3 { THOUSANDS } else { 1.0 };
            values[k][i] = to_units(*v, scale);
        }
    }
    missing_states(&file.path, &filled, "AGI_STUB 0 row")?;
    let us = us.ok_or_else(|| BuildError::Missing {
        path: file.path.clone(),
        what: "US row, AGI_STUB 0".into(),
    })?;
    for (k, field) in SOI_FIELDS.iter().enumerate() {
        // Counts are rounded independently by SOI; amounts add up exactly.
        if field.3 && us[k] != parts[k] {
            return Err(BuildError::Check(format!(
                "{SOI_FILE}: {} US row {} != sum of states+DC+OA+PR {}",
                field.1, us[k], parts[k]
            )));
        }
    }

    Ok(SOI_FIELDS
        .iter()
        .zip(values)
        .map(|(field, values)| StateColumn {
            name: field.0,
            source: soi_source(
                field.2,
                if field.3 {
                    "thousands of dollars"
                } else {
                    "number of returns"
                },
            ),
            values,
        })
        .collect())
}

/// One state × AGI class row of SOI Historic Table 2, TY2022.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoiClassRow {
    pub state: State,
    /// SOI AGI_STUB 1..=10: 1 = AGI < $1, 2 = $1–10k, 3 = $10–25k, 4 = $25–50k,
    /// 5 = $50–75k, 6 = $75–100k, 7 = $100–200k, 8 = $200–500k, 9 = $500k–1M,
    /// 10 = $1M or more.
    pub agi_class: u8,
    pub returns: i64,
    pub agi_usd: i64,
    pub income_tax_after_credits_usd: i64,
    pub wages_usd: i64,
    /// A18425: state and local income taxes claimed as an itemized deduction
    /// (itemizers only; before the $10,000 SALT cap).
    pub state_local_income_tax_itemized_usd: i64,
    /// A18450: state and local general sales taxes claimed as an itemized
    /// deduction (itemizers who chose sales over income taxes).
    pub general_sales_tax_itemized_usd: i64,
}

/// Per-state × AGI class rows (AGI_STUB 1..=10) of SOI Historic Table 2,
/// TY2022, in `State::ALL` order then by class. Amounts in dollars.
///
/// Checks that each state's classes add up to its all-returns row exactly
/// for AGI, income tax after credits, wages and the two itemized state and
/// local tax deductions (A18425, A18450).
pub fn soi_income_classes(raw: &Path) -> Result<Vec<SoiClassRow>, BuildError> {
    let file = read_csv(&raw.join(SOI_FILE), false)?;
    let c_state = file.column("STATE")?;
    let c_stub = file.column("AGI_STUB")?;
    let c_n1 = file.column("N1")?;
    let c_agi = file.column("A00100")?;
    let c_tax = file.column("A06500")?;
    let c_wages = file.column("A00200")?;
    let c_income_tax = file.column("A18425")?;
    let c_sales_tax = file.column("A18450")?;

    let mut slots: Vec<Option<SoiClassRow>> = vec![None; STATE_COUNT * 10];
    // Per state: [AGI, tax, wages, A18425, A18450] from AGI_STUB 0 and the
    // sum over classes.
    let mut totals = [[0i64; 5]; STATE_COUNT];
    let mut class_sums = [[0i64; 5]; STATE_COUNT];
    for (line, rec) in &file.records {
        let Some(state) = soi_state(&file, *line, rec.get(c_state).unwrap_or(""))? else {
            continue;
        };
        let stub = agi_stub(&file, *line, rec, c_stub)?;
        let amount = |c| file.number(*line, rec, c).map(|v| to_units(v, THOUSANDS));
        let (agi, tax, wages) = (amount(c_agi)?, amount(c_tax)?, amount(c_wages)?);
        let (income_tax, sales_tax) = (amount(c_income_tax)?, amount(c_sales_tax)?);
        let amounts = [agi, tax, wages, income_tax, sales_tax];
        let i = state.index();
        if stub == 0 {
            totals[i] = amounts;
            continue;
        }
        let slot = &mut slots[i * 10 + usize::from(stub - 1)];
        if slot.is_some() {
            return Err(duplicate(&file.path, format!("{state}, AGI_STUB {stub}")));
        }
        for (s, v) in class_sums[i].iter_mut().zip(amounts) {
            *s += v;
        }
        *slot = Some(SoiClassRow {
            state,
            agi_class: stub,
            returns: to_units(file.number(*line, rec, c_n1)?, 1.0),
            agi_usd: agi,
            income_tax_after_credits_usd: tax,
            wages_usd: wages,
            state_local_income_tax_itemized_usd: income_tax,
            general_sales_tax_itemized_usd: sales_tax,
        });
    }
    let mut rows = Vec::with_capacity(slots.len());
    for (k, slot) in slots.into_iter().enumerate() {
        let state = State::ALL[k / 10];
        rows.push(slot.ok_or_else(|| BuildError::Missing {
            path: file.path.clone(),
            what: format!("{state}, AGI_STUB {}", k % 10 + 1),
        })?);
    }
    for s in State::ALL {
        if totals[s.index()] != class_sums[s.index()] {
            return Err(BuildError::Check(format!(
                "{SOI_FILE}: {s}: AGI classes 1..10 sum to [AGI, tax, wages, A18425, A18450] {:?}, \
                 all-returns row has {:?}",
                class_sums[s.index()],
                totals[s.index()]
            )));
        }
    }
    Ok(rows)
}

/// Data Book Table 5 FY2022 columns: (column name, CSV field, table description).
const T5_FIELDS: [(&str, &str, &str); 7] = [
    (
        "irs_total_collections_usd",
        "total_collections",
        "Data Book Table 5, gross collections, total",
    ),
    (
        "irs_business_collections_usd",
        "business_income_taxes",
        "Data Book Table 5, business income taxes",
    ),
    (
        "irs_individual_collections_usd",
        "individual_employment_total",
        "Data Book Table 5, individual income and employment taxes, total",
    ),
    (
        "irs_withheld_fica_usd",
        "individual_income_tax_withheld_fica",
        "Data Book Table 5, individual income tax withheld and FICA",
    ),
    (
        "irs_not_withheld_seca_usd",
        "individual_income_tax_not_withheld_seca",
        "Data Book Table 5, individual income tax not withheld and SECA",
    ),
    (
        "irs_estate_tax_usd",
        "estate_tax",
        "Data Book Table 5, estate tax",
    ),
    (
        "irs_gift_tax_usd",
        "gift_tax",
        "Data Book Table 5, gift tax",
    ),
];

/// Per-state FY2022 gross collections from IRS Data Book Table 5 (by the
/// taxpayer's filing address; businesses at their principal office).
/// Source figures are billions of dollars with 6 significant digits.
///
/// Checks each state's identity total = business + individual + estate +
/// gift + excise (within rounding), and that the 51-area total lies below the
/// US total less undistributed by no more than the territories and
/// international rows could explain.
pub fn databook_state_columns(raw: &Path) -> Result<Vec<StateColumn>, BuildError> {
    let file = read_csv(&raw.join(T5_STATES_FILE), false)?;
    let c_state = file.column("state_abbr")?;
    let c_year = file.column("fiscal_year")?;
    let cols = T5_FIELDS
        .iter()
        .map(|f| file.column(f.1))
        .collect::<Result<Vec<_>, _>>()?;
    let c_excise = file.column("excise_taxes")?;

    let mut values = [[0i64; STATE_COUNT]; T5_FIELDS.len()];
    let mut filled = [false; STATE_COUNT];
    for (line, rec) in &file.records {
        if file.number(*line, rec, c_year)? != 2022.0 {
            continue;
        }
        let code = rec.get(c_state).unwrap_or("");
        let state = State::parse(code).map_err(|e| BuildError::Parse {
            path: file.path.clone(),
            location: line.to_string(),
            field: "state_abbr".into(),
            value: code.to_string(),
            message: e.to_string(),
        })?;
        let i = state.index();
        if filled[i] {
            return Err(duplicate(&file.path, format!("{state}, FY2022")));
        }
        filled[i] = true;
        let nums = cols
            .iter()
            .map(|&c| file.number(*line, rec, c))
            .collect::<Result<Vec<_>, _>>()?;
        let excise = file.number(*line, rec, c_excise)?;
        // total = business + individual total + estate + gift + excise ($B).
        let residual = nums[0] - (nums[1] + nums[2] + nums[5] + nums[6] + excise);
        if residual.abs() > 0.002 {
            return Err(BuildError::Check(format!(
                "{T5_STATES_FILE}:{line}: {state} FY2022 total collections differ from the sum \
                 of their parts by {residual} billion"
            )));
        }
        for (k, v) in nums.iter().enumerate() {
            values[k][i] = to_units(*v, BILLIONS);
        }
    }
    missing_states(&file.path, &filled, "FY2022 row")?;

    let us = read_csv(&raw.join(T5_US_FILE), false)?;
    let total_col = us.column("total_collections")?;
    let us_total = t5_us_row(&us, "United States total", 2022, total_col)? * THOUSANDS;
    let undistributed = t5_us_row(&us, "Undistributed", 2022, total_col)? * THOUSANDS;
    let states_total: i64 = values[0].iter().sum();
    // International, Puerto Rico and Armed Services overseas: ≈ $23B in FY2022.
    let rest = us_total - undistributed - states_total as f64;
    if !(0.0..=50e9).contains(&rest) {
        return Err(BuildError::Check(format!(
            "{T5_STATES_FILE}: FY2022 51-area total {states_total} vs US total {us_total} less \
             undistributed {undistributed}: remainder {rest} outside 0..$50B"
        )));
    }

    Ok(T5_FIELDS
        .iter()
        .zip(values)
        .map(|(field, values)| StateColumn {
            name: field.0,
            source: Source {
                publisher: "IRS Statistics of Income (IRS Data Book, via The Budget Lab at Yale)",
                table: field.2,
                year: "FY2022",
                units: "billions of dollars (6 significant digits)",
                files: vec![T5_STATES_FILE, T5_US_FILE],
            },
            values,
        })
        .collect())
}

/// The value of `col` in the row named `row` for `year` of the Table 5
/// US-total file, in thousands of dollars.
fn t5_us_row(file: &CsvFile, row: &str, year: u16, col: usize) -> Result<f64, BuildError> {
    let c_row = file.column("row")?;
    let c_year = file.column("fiscal_year")?;
    let mut found = None;
    for (line, rec) in &file.records {
        if rec.get(c_row).map(str::trim) != Some(row)
            || file.number(*line, rec, c_year)? != f64::from(year)
        {
            continue;
        }
        if found.replace(file.number(*line, rec, col)?).is_some() {
            return Err(duplicate(&file.path, format!("{row}, FY{year}")));
        }
    }
    found.ok_or_else(|| BuildError::Missing {
        path: file.path.clone(),
        what: format!("row {row:?}, FY{year}"),
    })
}

/// National FY2022 estate + gift tax gross collections (IRS Data Book
/// Table 5, "United States total" row), the size of the estate-and-gift part
/// of "other" receipts. Checks the published $33,355M.
pub fn estate_gift_control(raw: &Path) -> Result<ControlRow, BuildError> {
    let file = read_csv(&raw.join(T5_US_FILE), false)?;
    let estate = t5_us_row(
        &file,
        "United States total",
        2022,
        file.column("estate_tax")?,
    )?;
    let gift = t5_us_row(&file, "United States total", 2022, file.column("gift_tax")?)?;
    let amount_usd = to_units(estate + gift, THOUSANDS);
    if (amount_usd as f64 / 1e6).round() != 33_355.0 {
        return Err(BuildError::Check(format!(
            "{T5_US_FILE}: FY2022 estate + gift = {amount_usd} dollars, expected $33,355M"
        )));
    }
    Ok(ControlRow {
        id: "receipts.estate_gift_irs",
        amount_usd,
        source: Source {
            publisher: "IRS Statistics of Income (IRS Data Book, via The Budget Lab at Yale)",
            table: "Data Book Table 5, United States total row, estate tax + gift tax",
            year: "FY2022",
            units: "thousands of dollars",
            files: vec![T5_US_FILE],
        },
        derivation: format!(
            "IRS Data Book Table 5, \"United States total\" row, FY2022: estate tax {estate} + \
             gift tax {gift} thousand dollars (gross collections, before refunds)"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column<'a>(cols: &'a [StateColumn], name: &str) -> &'a StateColumn {
        cols.iter().find(|c| c.name == name).expect(name)
    }

    #[test]
    fn soi_columns_match_published_totals() {
        let Some(raw) = crate::raw_root_for_test("soi_columns_match_published_totals") else {
            return;
        };
        let cols = soi_state_columns(&raw).unwrap();
        assert_eq!(cols.len(), 7);
        for c in &cols {
            println!("{:32} {:>18}", c.name, c.total());
            assert!(c.values.iter().all(|&v| v > 0), "{}", c.name);
        }
        // 51 areas only (OA and PR excluded).
        assert_eq!(column(&cols, "returns").total(), 158_710_000);
        assert_eq!(
            column(&cols, "income_tax_after_credits_usd").total(),
            2_094_846_230_000
        );
        assert_eq!(column(&cols, "agi_usd").total(), 14_675_623_299_000);

        // US row = states + DC + OA + PR for A06500, and the published totals.
        let file = read_csv(&raw.join(SOI_FILE), false).unwrap();
        let (cs, cst, cn, ct) = (
            file.column("STATE").unwrap(),
            file.column("AGI_STUB").unwrap(),
            file.column("N1").unwrap(),
            file.column("A06500").unwrap(),
        );
        let (mut us_n, mut us_t, mut parts_t) = (0.0, 0.0, 0.0);
        for (line, rec) in &file.records {
            if &rec[cst] != "0" {
                continue;
            }
            let t = file.number(*line, rec, ct).unwrap();
            if &rec[cs] == "US" {
                us_n = file.number(*line, rec, cn).unwrap();
                us_t = t;
            } else {
                parts_t += t;
            }
        }
        assert_eq!(us_t, parts_t);
        assert_eq!((us_n / 1e4).round(), 15_965.0); // 159.65 M returns
        assert_eq!((us_t / 1e6).round(), 2_105.0); // $2.105 T
    }

    #[test]
    fn soi_classes_cover_every_state_and_class() {
        let Some(raw) = crate::raw_root_for_test("soi_classes_cover_every_state_and_class") else {
            return;
        };
        let rows = soi_income_classes(&raw).unwrap();
        assert_eq!(rows.len(), 510);
        assert_eq!(rows[0].state, State::Al);
        assert_eq!(rows[0].agi_class, 1);
        assert_eq!(rows[509].state, State::Wy);
        assert_eq!(rows[509].agi_class, 10);
        let tax: i64 = rows.iter().map(|r| r.income_tax_after_credits_usd).sum();
        assert_eq!(tax, 2_094_846_230_000);
        let sum = |f: fn(&SoiClassRow) -> i64| -> i64 { rows.iter().map(f).sum() };
        let income_tax = sum(|r| r.state_local_income_tax_itemized_usd);
        let sales_tax = sum(|r| r.general_sales_tax_itemized_usd);
        println!("A18425 51 areas {income_tax}; A18450 51 areas {sales_tax}");
        assert!(rows
            .iter()
            .all(|r| r.state_local_income_tax_itemized_usd >= 0
                && r.general_sales_tax_itemized_usd >= 0));
        // 51 areas; the US rows (259,274,381 and 8,841,255 thousand dollars)
        // also hold other areas and Puerto Rico.
        assert_eq!(income_tax, 258_589_128_000);
        assert_eq!(sales_tax, 8_744_331_000);
    }

    #[test]
    fn databook_columns_match_published_totals() {
        let Some(raw) = crate::raw_root_for_test("databook_columns_match_published_totals") else {
            return;
        };
        let cols = databook_state_columns(&raw).unwrap();
        for c in &cols {
            println!("{:32} {:>18}", c.name, c.total());
        }
        let total = column(&cols, "irs_total_collections_usd").total();
        // Published: $4,860.8B for the 51 areas.
        assert_eq!((total as f64 / 1e8).round(), 48_608.0, "{total}");
        let parts = column(&cols, "irs_withheld_fica_usd").total()
            + column(&cols, "irs_not_withheld_seca_usd").total();
        assert!(parts < column(&cols, "irs_individual_collections_usd").total());
    }

    #[test]
    fn estate_gift_is_33355m() {
        let Some(raw) = crate::raw_root_for_test("estate_gift_is_33355m") else {
            return;
        };
        let c = estate_gift_control(&raw).unwrap();
        assert_eq!(c.id, "receipts.estate_gift_irs");
        assert_eq!(c.amount_usd, 33_355_276_000);
    }
}
