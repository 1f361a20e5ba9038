//! IRS Statistics of Income: Historic Table 2 (one tax year, by state of the
//! filer's address and AGI class) and Data Book Table 5 (gross collections
//! by state, one fiscal year), plus the national estate and gift control.
//!
//! Historic Table 2 comes in two layouts: the long CSV of TY2020 onward
//! (`STATE` × `AGI_STUB` rows, fields across) and the printed workbook of
//! TY2019 (`19in55cm.xlsx`: areas across in blocks of 11 columns, "All
//! returns" then the ten AGI classes; fields down, an "Amount" row under
//! each "…: Number" row). Both are read into the same rows here, so the
//! checks and the columns do not depend on the layout.

use std::path::{Path, PathBuf};

use fedsplit_core::{State, STATE_COUNT};

use crate::sheet::{read_csv, read_sheet, to_units, CsvFile};
use crate::years::{SoiLayout, SoiSpec};
use crate::{BuildError, ControlRow, Source, StateColumn};

/// Data Book Table 5, every fiscal year FY1998–FY2025, every row, thousands
/// of dollars as printed (long: `row, year, value, measure`).
pub const T5_ALL_YEARS_FILE: &str = "irs-soi-databook-table5-all-years/irs_databook_t5_gross_collections_by_state_fy1998_2025_thousands.csv";
/// Data Book Table 5, rows "United States total" and "Undistributed",
/// FY2019–FY2025, thousands of dollars.
pub const T5_US_FILE: &str =
    "irs-soi-databook-table5/irs_databook_t5_us_total_and_undistributed_fy2019_2025_thousands.csv";

const THOUSANDS: f64 = 1e3;

const T5_PUBLISHER: &str = "IRS Statistics of Income (IRS Data Book, via The Budget Lab at Yale)";

// ------------------------------------------------------------ Historic Table 2

/// The SOI fields read for every area and AGI class, in this order.
const SOI_READ: [&str; 9] = [
    "N1", "A00100", "A00200", "A09400", "A00600", "A01000", "A06500", "A18425", "A18450",
];

/// Index of a field in [`SOI_READ`].
fn field(name: &str) -> usize {
    SOI_READ
        .iter()
        .position(|f| *f == name)
        .expect("field in SOI_READ")
}

/// Where each field sits in the printed TY2019 workbook: the column-A label
/// of its row (footnote markers such as "[6]" removed, whitespace
/// collapsed), and whether the figure is in the "Amount" row that follows.
const SOI_PRINT_ROWS: [(&str, &str, bool); 9] = [
    ("N1", "Number of returns", false),
    ("A00100", "Adjusted gross income (AGI)", false),
    ("A00200", "Salaries and wages in AGI: Number", true),
    ("A09400", "Self-employment tax: Number", true),
    ("A00600", "Ordinary dividends: Number", true),
    ("A01000", "Net capital gain (less loss): Number", true),
    ("A06500", "Income tax after credits: Number", true),
    ("A18425", "State and local income taxes: Number", true),
    (
        "A18450",
        "State and local general sales taxes: Number",
        true,
    ),
];

/// The ten AGI classes' headings in the printed workbook (whitespace
/// collapsed), in AGI_STUB order 1..=10.
const SOI_PRINT_CLASSES: [&str; 10] = [
    "Under $1",
    "$1 under $10,000",
    "$10,000 under $25,000",
    "$25,000 under $50,000",
    "$50,000 under $75,000",
    "$75,000 under $100,000",
    "$100,000 under $200,000",
    "$200,000 under $500,000",
    "$500,000 under $1,000,000",
    "$1,000,000 or more",
];

/// SOI Historic Table 2 fields taken per state (all returns):
/// (column name, SOI field, description, is an amount in thousands of dollars).
const SOI_FIELDS: [(&str, &str, &str, bool); 7] = [
    ("returns", "N1", "N1 number of returns", false),
    ("agi_usd", "A00100", "A00100 adjusted gross income", true),
    ("wages_usd", "A00200", "A00200 salaries and wages", true),
    (
        "self_employment_tax_usd",
        "A09400",
        "A09400 self-employment tax",
        true,
    ),
    ("dividends_usd", "A00600", "A00600 ordinary dividends", true),
    (
        "net_capital_gains_usd",
        "A01000",
        "A01000 net capital gain (less loss)",
        true,
    ),
    (
        "income_tax_after_credits_usd",
        "A06500",
        "A06500 income tax after credits",
        true,
    ),
];

/// An area of Historic Table 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SoiArea {
    Us,
    State(State),
    /// Other areas (APO/FPO, abroad) and Puerto Rico: in the US row, not a
    /// state.
    Outside,
}

/// One area × AGI class of Historic Table 2, fields in [`SOI_READ`] order,
/// in source units (returns; thousands of dollars).
struct SoiRow {
    area: SoiArea,
    stub: u8,
    values: [f64; SOI_READ.len()],
    /// Line or cell, for errors.
    at: String,
}

struct SoiData {
    path: PathBuf,
    rows: Vec<SoiRow>,
}

/// Reads every area × AGI class row of a Historic Table 2 file.
fn read_soi(raw: &Path, spec: &SoiSpec) -> Result<SoiData, BuildError> {
    match spec.layout {
        SoiLayout::Csv => read_soi_csv(raw, spec),
        SoiLayout::Print => read_soi_print(raw, spec),
    }
}

/// The SOI `STATE` code of a CSV row.
fn soi_csv_area(file: &CsvFile, line: u64, code: &str) -> Result<SoiArea, BuildError> {
    let bad = |message: String| BuildError::Parse {
        path: file.path.clone(),
        location: line.to_string(),
        field: "STATE".into(),
        value: code.to_string(),
        message,
    };
    match code.trim() {
        "US" => Ok(SoiArea::Us),
        "OA" | "PR" => Ok(SoiArea::Outside),
        c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => State::parse(c)
            .map(SoiArea::State)
            .map_err(|e| bad(e.to_string())),
        _ => Err(bad("not a two-letter state code".into())),
    }
}

fn read_soi_csv(raw: &Path, spec: &SoiSpec) -> Result<SoiData, BuildError> {
    let file = read_csv(&raw.join(spec.file), false)?;
    let c_state = file.column("STATE")?;
    let c_stub = file.column("AGI_STUB")?;
    let cols = SOI_READ
        .iter()
        .map(|f| file.column(f))
        .collect::<Result<Vec<_>, _>>()?;
    let mut rows = Vec::with_capacity(file.records.len());
    for (line, rec) in &file.records {
        let area = soi_csv_area(&file, *line, rec.get(c_state).unwrap_or(""))?;
        let stub = file.number(*line, rec, c_stub)?;
        if stub.fract() != 0.0 || !(0.0..=10.0).contains(&stub) {
            return Err(BuildError::Parse {
                path: file.path.clone(),
                location: line.to_string(),
                field: "AGI_STUB".into(),
                value: rec.get(c_stub).unwrap_or("").to_string(),
                message: "expected an integer 0..=10".into(),
            });
        }
        let mut values = [0f64; SOI_READ.len()];
        for (v, &c) in values.iter_mut().zip(&cols) {
            *v = file.number(*line, rec, c)?;
        }
        rows.push(SoiRow {
            area,
            stub: stub as u8,
            values,
            at: line.to_string(),
        });
    }
    Ok(SoiData {
        path: file.path,
        rows,
    })
}

/// A printed-workbook label without footnote markers ("[13]") and with
/// whitespace collapsed: "Total tax liability:  [13] Number" →
/// "Total tax liability: Number".
fn soi_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').map(|c| open + c);
        match close {
            Some(close) if rest[open + 1..close].bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str(&rest[..open]);
                out.push(' ');
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read_soi_print(raw: &Path, spec: &SoiSpec) -> Result<SoiData, BuildError> {
    let sheet = read_sheet(&raw.join(spec.file), None)?;
    let missing = |what: String| BuildError::Missing {
        path: sheet.path.clone(),
        what,
    };
    let header = sheet
        .find_row(0, 0, |t| t == "Item")
        .ok_or_else(|| missing("header row \"Item\" (area names)".into()))?;

    // The row of each field's figures.
    let mut field_rows = [0usize; SOI_READ.len()];
    for (name, label, amount_below) in SOI_PRINT_ROWS {
        let matches: Vec<usize> = (header + 1..sheet.height())
            .filter(|&r| soi_label(&sheet.text(r, 0)) == label)
            .collect();
        let [row] = matches[..] else {
            return Err(BuildError::Check(format!(
                "{}: {} rows labelled {label:?} (expected one)",
                spec.file,
                matches.len()
            )));
        };
        let row = if amount_below {
            let below = soi_label(&sheet.text(row + 1, 0));
            if below != "Amount" {
                return Err(BuildError::Parse {
                    path: sheet.path.clone(),
                    location: sheet.location(row + 1, 0),
                    field: name.into(),
                    value: below,
                    message: format!("expected \"Amount\" under {label:?}"),
                });
            }
            row + 1
        } else {
            row
        };
        field_rows[field(name)] = row;
    }

    let (_, end_col) = sheet.range.end().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for c in 1..=end_col as usize {
        let name = soi_label(&sheet.text(header, c));
        if name.is_empty() {
            continue;
        }
        let area = match name.as_str() {
            "UNITED STATES" => SoiArea::Us,
            "PUERTO RICO" | "OTHER AREAS" => SoiArea::Outside,
            other => State::parse(other)
                .map(SoiArea::State)
                .map_err(|e| BuildError::Parse {
                    path: sheet.path.clone(),
                    location: sheet.location(header, c),
                    field: "area".into(),
                    value: name.clone(),
                    message: e.to_string(),
                })?,
        };
        // The area's block: "All returns", then the ten AGI classes.
        let heading = sheet.text(header + 1, c);
        if heading != "All returns" {
            return Err(BuildError::Parse {
                path: sheet.path.clone(),
                location: sheet.location(header + 1, c),
                field: "All returns".into(),
                value: heading,
                message: format!("expected \"All returns\" under {name}"),
            });
        }
        for (k, class) in SOI_PRINT_CLASSES.iter().enumerate() {
            let got = soi_label(&sheet.text(header + 2, c + 1 + k));
            if got != *class {
                return Err(BuildError::Parse {
                    path: sheet.path.clone(),
                    location: sheet.location(header + 2, c + 1 + k),
                    field: "AGI class".into(),
                    value: got,
                    message: format!("expected {class:?} for {name}"),
                });
            }
        }
        for stub in 0..=10u8 {
            let col = c + usize::from(stub);
            let mut values = [0f64; SOI_READ.len()];
            for (v, (&row, f)) in values.iter_mut().zip(field_rows.iter().zip(SOI_READ)) {
                *v = sheet.number(row, col, f)?;
            }
            rows.push(SoiRow {
                area,
                stub,
                values,
                at: format!("{name}, column {}", sheet.location(header, col)),
            });
        }
    }
    Ok(SoiData {
        path: sheet.path,
        rows,
    })
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

fn soi_source(spec: &SoiSpec, table: String, units: &'static str) -> Source {
    Source {
        publisher: "IRS Statistics of Income",
        table,
        year: format!("TY{}", spec.ty),
        units,
        files: vec![spec.file],
    }
}

/// Per-state columns from SOI Historic Table 2 of tax year `spec.ty`, all
/// returns (AGI_STUB 0). Amounts are converted from thousands of dollars to
/// dollars.
///
/// Checks that, for every amount field, the US row equals the sum of the
/// 50 states, DC, other areas (OA) and Puerto Rico exactly.
pub fn soi_state_columns(raw: &Path, spec: &SoiSpec) -> Result<Vec<StateColumn>, BuildError> {
    let data = read_soi(raw, spec)?;
    let idx: Vec<usize> = SOI_FIELDS.iter().map(|f| field(f.1)).collect();

    let mut values = [[0i64; STATE_COUNT]; SOI_FIELDS.len()];
    let mut filled = [false; STATE_COUNT];
    let mut us: Option<[f64; SOI_READ.len()]> = None;
    // Sum over every non-US row (states, DC, OA, PR), in source units.
    let mut parts = [0f64; SOI_READ.len()];
    for row in data.rows.iter().filter(|r| r.stub == 0) {
        let state = match row.area {
            SoiArea::Us => {
                if us.replace(row.values).is_some() {
                    return Err(duplicate(&data.path, "US, all returns".into()));
                }
                continue;
            }
            SoiArea::Outside => None,
            SoiArea::State(s) => Some(s),
        };
        for (p, v) in parts.iter_mut().zip(&row.values) {
            *p += v;
        }
        let Some(state) = state else {
            continue;
        };
        let i = state.index();
        if filled[i] {
            return Err(duplicate(&data.path, format!("{state}, all returns")));
        }
        filled[i] = true;
        for (k, (f, &j)) in SOI_FIELDS.iter().zip(&idx).enumerate() {
            let scale = if f.3 { THOUSANDS } else { 1.0 };
            values[k][i] = to_units(row.values[j], scale);
        }
    }
    missing_states(&data.path, &filled, "all-returns row")?;
    let us = us.ok_or_else(|| BuildError::Missing {
        path: data.path.clone(),
        what: "US row, all returns".into(),
    })?;
    for (f, &j) in SOI_FIELDS.iter().zip(&idx) {
        // Counts are rounded independently by SOI; amounts add up exactly.
        if f.3 && us[j] != parts[j] {
            return Err(BuildError::Check(format!(
                "{}: {} US row {} != sum of states+DC+OA+PR {}",
                spec.file, f.1, us[j], parts[j]
            )));
        }
    }

    Ok(SOI_FIELDS
        .iter()
        .zip(values)
        .map(|(f, values)| StateColumn {
            name: f.0,
            source: soi_source(
                spec,
                format!(
                    "Historic Table 2 ({}), all returns (AGI_STUB 0), {}",
                    spec.name, f.2
                ),
                if f.3 {
                    "thousands of dollars"
                } else {
                    "number of returns"
                },
            ),
            values,
        })
        .collect())
}

/// One state × AGI class row of SOI Historic Table 2.
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

/// Per-state × AGI class rows (AGI_STUB 1..=10) of SOI Historic Table 2 of
/// tax year `spec.ty`, in `State::ALL` order then by class. Amounts in
/// dollars.
///
/// Checks that each state's classes add up to its all-returns row exactly
/// for AGI, income tax after credits, wages and the two itemized state and
/// local tax deductions (A18425, A18450).
pub fn soi_income_classes(raw: &Path, spec: &SoiSpec) -> Result<Vec<SoiClassRow>, BuildError> {
    let data = read_soi(raw, spec)?;
    let amount_fields = ["A00100", "A06500", "A00200", "A18425", "A18450"].map(field);
    let n1 = field("N1");

    let mut slots: Vec<Option<SoiClassRow>> = vec![None; STATE_COUNT * 10];
    // Per state: [AGI, tax, wages, A18425, A18450] from all returns and the
    // sum over classes.
    let mut totals = [[0i64; 5]; STATE_COUNT];
    let mut class_sums = [[0i64; 5]; STATE_COUNT];
    for row in &data.rows {
        let SoiArea::State(state) = row.area else {
            continue;
        };
        let amounts = amount_fields.map(|j| to_units(row.values[j], THOUSANDS));
        let i = state.index();
        if row.stub == 0 {
            totals[i] = amounts;
            continue;
        }
        let slot = &mut slots[i * 10 + usize::from(row.stub - 1)];
        if slot.is_some() {
            return Err(duplicate(
                &data.path,
                format!("{state}, AGI_STUB {} ({})", row.stub, row.at),
            ));
        }
        for (s, v) in class_sums[i].iter_mut().zip(amounts) {
            *s += v;
        }
        let [agi, tax, wages, income_tax, sales_tax] = amounts;
        *slot = Some(SoiClassRow {
            state,
            agi_class: row.stub,
            returns: to_units(row.values[n1], 1.0),
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
            path: data.path.clone(),
            what: format!("{state}, AGI_STUB {}", k % 10 + 1),
        })?);
    }
    for s in State::ALL {
        if totals[s.index()] != class_sums[s.index()] {
            return Err(BuildError::Check(format!(
                "{}: {s}: AGI classes 1..10 sum to [AGI, tax, wages, A18425, A18450] {:?}, \
                 all-returns row has {:?}",
                spec.file,
                class_sums[s.index()],
                totals[s.index()]
            )));
        }
    }
    Ok(rows)
}

/// Manifest sources of `income_classes.csv`: (columns, source).
pub fn soi_class_sources(spec: &SoiSpec) -> Vec<(&'static str, Source)> {
    let table = |what: &str| format!("Historic Table 2 ({}), AGI_STUB 1-10: {what}", spec.name);
    vec![
        (
            "returns,agi_usd,wages_usd,income_tax_after_credits_usd",
            soi_source(
                spec,
                table("N1, A00100, A00200, A06500"),
                "returns; thousands of dollars",
            ),
        ),
        (
            "state_local_income_tax_itemized_usd",
            soi_source(
                spec,
                table("A18425 state and local income taxes (itemized deduction; itemizers only)"),
                "thousands of dollars",
            ),
        ),
        (
            "general_sales_tax_itemized_usd",
            soi_source(
                spec,
                table("A18450 state and local general sales taxes (itemized deduction; itemizers only)"),
                "thousands of dollars",
            ),
        ),
    ]
}

// ------------------------------------------------------ Data Book Table 5

/// Data Book Table 5 columns: (column name, measure, table description).
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

/// Rows of Table 5 that are not a state. Their total collections, with the
/// 51 areas', make the United States total.
const T5_OTHER_ROWS: [&str; 5] = [
    "United States total",
    "Undistributed",
    "International",
    "Puerto Rico",
    "U.S. Armed Services overseas and territories other than Puerto Rico",
];

/// Per-state gross collections of fiscal year `fy` from IRS Data Book
/// Table 5 (by the taxpayer's filing address; businesses at their principal
/// office), from the all-years table in thousands of dollars as printed.
/// Some cells carry fractional thousands (FY2019); every value is rounded to
/// whole dollars.
///
/// Checks each state's identity total = business + individual + estate +
/// gift + excise (within 2 thousand dollars), that no row other than the
/// states and the five known others appears, and that the 51-area total lies
/// below the US total less undistributed by no more than the territories and
/// international rows could explain.
pub fn databook_state_columns(raw: &Path, fy: u16) -> Result<Vec<StateColumn>, BuildError> {
    let file = read_csv(&raw.join(T5_ALL_YEARS_FILE), false)?;
    let c_row = file.column("row")?;
    let c_year = file.column("year")?;
    let c_value = file.column("value")?;
    let c_measure = file.column("measure")?;
    // The measures read: T5_FIELDS, then excise (for the identity).
    let measures: Vec<&str> = T5_FIELDS
        .iter()
        .map(|f| f.1)
        .chain(["excise_taxes"])
        .collect();
    let year = format!("FY{fy}");

    let mut cells = vec![[None::<f64>; STATE_COUNT]; measures.len()];
    let mut us_total = None;
    let mut undistributed = None;
    for (line, rec) in &file.records {
        if rec.get(c_year).map(str::trim) != Some(year.as_str()) {
            continue;
        }
        let Some(m) = measures
            .iter()
            .position(|m| Some(*m) == rec.get(c_measure).map(str::trim))
        else {
            continue;
        };
        let name = rec.get(c_row).unwrap_or("").trim();
        let value = file.number(*line, rec, c_value)?;
        if T5_OTHER_ROWS.contains(&name) {
            if m == 0 {
                match name {
                    "United States total" => us_total = Some(value),
                    "Undistributed" => undistributed = Some(value),
                    _ => {}
                }
            }
            continue;
        }
        let state = State::parse(name).map_err(|e| BuildError::Parse {
            path: file.path.clone(),
            location: line.to_string(),
            field: "row".into(),
            value: name.to_string(),
            message: e.to_string(),
        })?;
        if cells[m][state.index()].replace(value).is_some() {
            return Err(duplicate(
                &file.path,
                format!("{state}, {year}, {}", measures[m]),
            ));
        }
    }

    let mut values = [[0i64; STATE_COUNT]; T5_FIELDS.len()];
    for s in State::ALL {
        let get = |m: usize| {
            cells[m][s.index()].ok_or_else(|| BuildError::Missing {
                path: file.path.clone(),
                what: format!("{s}, {year}, {}", measures[m]),
            })
        };
        let nums = (0..measures.len())
            .map(get)
            .collect::<Result<Vec<_>, _>>()?;
        // total = business + individual total + estate + gift + excise.
        let residual = nums[0] - (nums[1] + nums[2] + nums[5] + nums[6] + nums[7]);
        if residual.abs() > 2.0 {
            return Err(BuildError::Check(format!(
                "{T5_ALL_YEARS_FILE}: {s} {year} total collections differ from the sum of \
                 their parts by {residual} thousand dollars"
            )));
        }
        for (k, v) in nums.iter().take(T5_FIELDS.len()).enumerate() {
            values[k][s.index()] = to_units(*v, THOUSANDS);
        }
    }

    let missing_row = |row: &str| BuildError::Missing {
        path: file.path.clone(),
        what: format!("row {row:?}, {year}, total_collections"),
    };
    let us_total = us_total.ok_or_else(|| missing_row("United States total"))? * THOUSANDS;
    let undistributed = undistributed.ok_or_else(|| missing_row("Undistributed"))? * THOUSANDS;
    let states_total: i64 = values[0].iter().sum();
    // International, Puerto Rico and Armed Services overseas: ≈ $17–23B.
    let rest = us_total - undistributed - states_total as f64;
    if !(0.0..=50e9).contains(&rest) {
        return Err(BuildError::Check(format!(
            "{T5_ALL_YEARS_FILE}: {year} 51-area total {states_total} vs US total {us_total} less \
             undistributed {undistributed}: remainder {rest} outside 0..$50B"
        )));
    }

    Ok(T5_FIELDS
        .iter()
        .zip(values)
        .map(|(f, values)| StateColumn {
            name: f.0,
            source: Source {
                publisher: T5_PUBLISHER,
                table: format!("{} (all-years table, as printed)", f.2),
                year: year.clone(),
                units: "thousands of dollars",
                files: vec![T5_ALL_YEARS_FILE],
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

/// National estate + gift tax gross collections of fiscal year `fy` (IRS
/// Data Book Table 5, "United States total" row), the size of the
/// estate-and-gift part of "other" receipts. Checks the published amount,
/// `expected_musd` ($M, rounded).
pub fn estate_gift_control(
    raw: &Path,
    fy: u16,
    expected_musd: i64,
) -> Result<ControlRow, BuildError> {
    let file = read_csv(&raw.join(T5_US_FILE), false)?;
    let estate = t5_us_row(&file, "United States total", fy, file.column("estate_tax")?)?;
    let gift = t5_us_row(&file, "United States total", fy, file.column("gift_tax")?)?;
    let amount_usd = to_units(estate + gift, THOUSANDS);
    if (amount_usd as f64 / 1e6).round() != expected_musd as f64 {
        return Err(BuildError::Check(format!(
            "{T5_US_FILE}: FY{fy} estate + gift = {amount_usd} dollars, expected ${expected_musd}M"
        )));
    }
    Ok(ControlRow {
        id: "receipts.estate_gift_irs",
        amount_usd,
        source: Source {
            publisher: T5_PUBLISHER,
            table: "Data Book Table 5, United States total row, estate tax + gift tax".into(),
            year: format!("FY{fy}"),
            units: "thousands of dollars",
            files: vec![T5_US_FILE],
        },
        derivation: format!(
            "IRS Data Book Table 5, \"United States total\" row, FY{fy}: estate tax {estate} + \
             gift tax {gift} thousand dollars (gross collections, before refunds)"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::years::spec;

    fn column<'a>(cols: &'a [StateColumn], name: &str) -> &'a StateColumn {
        cols.iter().find(|c| c.name == name).expect(name)
    }

    #[test]
    fn soi_labels_lose_footnotes_and_spaces() {
        assert_eq!(
            soi_label("Total tax liability:  [13] Number"),
            "Total tax liability: Number"
        );
        assert_eq!(soi_label("Number of returns [1]"), "Number of returns");
        assert_eq!(soi_label("OTHER AREAS [16]"), "OTHER AREAS");
        assert_eq!(soi_label("    Amount"), "Amount");
        assert_eq!(soi_label("UNITED STATES "), "UNITED STATES");
        assert_eq!(soi_label("a [b] c"), "a [b] c");
    }

    #[test]
    fn soi_columns_of_every_tax_year_match_published_totals() {
        let Some(raw) =
            crate::raw_root_for_test("soi_columns_of_every_tax_year_match_published_totals")
        else {
            return;
        };
        // years-data.md §2.5, Σ51 (OA and PR excluded): returns; then
        // thousands of dollars: AGI, wages, SE tax, dividends, capital gains,
        // income tax after credits.
        let expected: [(u16, [i64; 7]); 3] = [
            (
                2019,
                [
                    156_834_350,
                    11_870_288_658,
                    8_189_296_921,
                    66_369_916,
                    323_813_681,
                    853_197_297,
                    1_552_589_272,
                ],
            ),
            (
                2022,
                [
                    158_710_000,
                    14_675_623_299,
                    9_631_750_313,
                    80_851_129,
                    400_466_355,
                    1_226_309_524,
                    2_094_846_230,
                ],
            ),
            (
                2023,
                [
                    159_024_640,
                    15_139_922_033,
                    10_095_478_899,
                    80_472_901,
                    490_522_456,
                    930_806_526,
                    2_107_347_449,
                ],
            ),
        ];
        for (fy, totals) in expected {
            let spec = &spec(fy).unwrap().soi;
            assert_eq!(spec.ty, fy);
            let cols = soi_state_columns(&raw, spec).unwrap();
            assert_eq!(cols.len(), 7);
            for (c, (f, total)) in cols.iter().zip(SOI_FIELDS.iter().zip(totals)) {
                assert_eq!(c.name, f.0);
                let scale = if f.3 { 1000 } else { 1 };
                assert_eq!(c.total(), total * scale, "TY{fy} {}", c.name);
                assert!(c.values.iter().all(|&v| v > 0), "TY{fy} {}", c.name);
                assert_eq!(c.source.year, format!("TY{fy}"));
            }
        }
        // FY2024 carries TY2023.
        assert_eq!(spec(2024).unwrap().soi.ty, 2023);
    }

    #[test]
    fn soi_print_layout_reads_published_cells() {
        let Some(raw) = crate::raw_root_for_test("soi_print_layout_reads_published_cells") else {
            return;
        };
        let data = read_soi(&raw, &spec(2019).unwrap().soi).unwrap();
        // 54 areas (US, 51, PR, OA) × 11 columns.
        assert_eq!(data.rows.len(), 54 * 11);
        let us = data
            .rows
            .iter()
            .find(|r| r.area == SoiArea::Us && r.stub == 0)
            .unwrap();
        // Sheet1!B142 = 1,559,075,727; B9 = 157,705,360.
        assert_eq!(us.values[field("A06500")], 1_559_075_727.0);
        assert_eq!(us.values[field("N1")], 157_705_360.0);
        // The classes of the US block, under $1: B9's neighbour C9.
        let us1 = data
            .rows
            .iter()
            .find(|r| r.area == SoiArea::Us && r.stub == 1)
            .unwrap();
        assert_eq!(us1.values[field("N1")], 2_391_150.0);
    }

    #[test]
    fn soi_classes_cover_every_state_and_class() {
        let Some(raw) = crate::raw_root_for_test("soi_classes_cover_every_state_and_class") else {
            return;
        };
        // (TY, Σ A06500, Σ A18425, Σ A18450) in thousands (years-data.md §2.5).
        for (ty, tax, income_tax, sales_tax) in [
            (2019, 1_552_589_272, 211_997_995, 8_915_449),
            (2022, 2_094_846_230, 258_589_128, 8_744_331),
            (2023, 2_107_347_449, 208_060_504, 9_357_210),
        ] {
            let rows = soi_income_classes(&raw, &spec(ty).unwrap().soi).unwrap();
            assert_eq!(rows.len(), 510);
            assert_eq!((rows[0].state, rows[0].agi_class), (State::Al, 1));
            assert_eq!((rows[509].state, rows[509].agi_class), (State::Wy, 10));
            let sum = |f: fn(&SoiClassRow) -> i64| -> i64 { rows.iter().map(f).sum() };
            assert_eq!(
                sum(|r| r.income_tax_after_credits_usd),
                tax * 1000,
                "TY{ty}"
            );
            assert_eq!(
                sum(|r| r.state_local_income_tax_itemized_usd),
                income_tax * 1000,
                "TY{ty}"
            );
            assert_eq!(
                sum(|r| r.general_sales_tax_itemized_usd),
                sales_tax * 1000,
                "TY{ty}"
            );
            assert!(rows
                .iter()
                .all(|r| r.state_local_income_tax_itemized_usd >= 0
                    && r.general_sales_tax_itemized_usd >= 0
                    && r.returns >= 0));
        }
    }

    #[test]
    fn databook_columns_of_every_year_match_published_totals() {
        let Some(raw) =
            crate::raw_root_for_test("databook_columns_of_every_year_match_published_totals")
        else {
            return;
        };
        // years-data.md §2.6, Σ51 in dollars: total collections, business,
        // estate, gift (fractional thousands in FY2019 rounded per state).
        for (fy, total, business, estate, gift) in [
            (
                2019,
                3_544_993_182_000,
                274_454_529_480,
                15_405_121_050,
                1_509_371_960,
            ),
            (
                2022,
                4_860_808_092_000,
                466_042_877_000,
                27_115_917_000,
                4_182_522_000,
            ),
            (
                2023,
                4_665_832_665_000,
                450_282_036_000,
                33_207_115_000,
                1_850_180_000,
            ),
            (
                2024,
                5_072_154_742_000,
                559_917_722_000,
                28_853_882_000,
                3_342_459_000,
            ),
        ] {
            let cols = databook_state_columns(&raw, fy).unwrap();
            assert_eq!(
                column(&cols, "irs_total_collections_usd").total(),
                total,
                "FY{fy}"
            );
            assert_eq!(
                column(&cols, "irs_business_collections_usd").total(),
                business,
                "FY{fy}"
            );
            assert_eq!(
                column(&cols, "irs_estate_tax_usd").total(),
                estate,
                "FY{fy}"
            );
            assert_eq!(column(&cols, "irs_gift_tax_usd").total(), gift, "FY{fy}");
            let parts = column(&cols, "irs_withheld_fica_usd").total()
                + column(&cols, "irs_not_withheld_seca_usd").total();
            assert!(parts < column(&cols, "irs_individual_collections_usd").total());
            assert!(cols.iter().all(|c| c.source.year == format!("FY{fy}")));
        }
        // Iowa's FY2019 business taxes are printed as 886,122.25 thousand.
        let cols = databook_state_columns(&raw, 2019).unwrap();
        assert_eq!(
            column(&cols, "irs_business_collections_usd").get(State::Ia),
            886_122_250
        );
    }

    #[test]
    fn databook_states_agree_with_the_billions_file() {
        let Some(raw) = crate::raw_root_for_test("databook_states_agree_with_the_billions_file")
        else {
            return;
        };
        // The FY2022–23 copy in billions (6 significant digits) differs from
        // the thousands table by rounding only: ≤ $0.5M per state.
        let file = read_csv(
            &raw.join("irs-soi-databook-table5/irs_databook_t5_gross_collections_by_state_fy2022_fy2023_billions.csv"),
            false,
        )
        .unwrap();
        let (c_state, c_year, c_total) = (
            file.column("state_abbr").unwrap(),
            file.column("fiscal_year").unwrap(),
            file.column("total_collections").unwrap(),
        );
        for fy in [2022u16, 2023] {
            let cols = databook_state_columns(&raw, fy).unwrap();
            let total = column(&cols, "irs_total_collections_usd");
            let mut n = 0;
            for (line, rec) in &file.records {
                if file.number(*line, rec, c_year).unwrap() != f64::from(fy) {
                    continue;
                }
                let s = State::parse(&rec[c_state]).unwrap();
                let billions = file.number(*line, rec, c_total).unwrap();
                let gap = (total.get(s) as f64 - billions * 1e9).abs();
                assert!(gap <= 500_000.0, "FY{fy} {s}: {gap}");
                n += 1;
            }
            assert_eq!(n, 51);
        }
    }

    #[test]
    fn estate_gift_of_every_year() {
        let Some(raw) = crate::raw_root_for_test("estate_gift_of_every_year") else {
            return;
        };
        // years-data.md §1.5.
        for (fy, usd) in [
            (2019, 17_565_044_000),
            (2022, 33_355_276_000),
            (2023, 35_434_261_000),
            (2024, 32_867_889_000),
        ] {
            let c = estate_gift_control(&raw, fy, spec(fy).unwrap().estate_gift_musd).unwrap();
            assert_eq!(c.id, "receipts.estate_gift_irs");
            assert_eq!(c.amount_usd, usd, "FY{fy}");
        }
        assert!(estate_gift_control(&raw, 2022, 33_356).is_err());
    }
}
