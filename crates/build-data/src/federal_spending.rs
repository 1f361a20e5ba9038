//! Per-state federal spending keys and amounts:
//!
//! * BEA CAINC35 CY2022 personal current transfer receipts by recipient
//!   residence (Social Security, Medicare, Medicaid, income maintenance,
//!   other), summed here over the county file compiled by EIG. It is the
//!   only transfers-by-program source, so every fiscal year uses it;
//! * CMS National Health Expenditure Accounts, Medicare personal health
//!   care by state of residence (the FY2019 Medicare key);
//! * the Alaska Permanent Fund Dividend of 2022 (state money inside BEA
//!   "other transfers"), and the other-payments key built from the BEA
//!   lines less FNS SNAP FY2022 and that dividend;
//! * CMS-64 Medicaid + CHIP federal share (MAP + ADM + MCHIP + MCHIP 20% +
//!   CHIP) of a fiscal year, from the publisher's FMR workbooks;
//! * FNS SNAP benefit cost of a fiscal year (P-EBT excluded by the
//!   publisher);
//! * Census State & Local Government Finances, Table 1 line 4 "From Federal
//!   Government" (state-and-local column), and the non-Medicaid grants
//!   (line 4 less CMS-64 of the same year).
//!
//! Every column covers the 50 states and DC exactly once; territories,
//! national totals and regional totals are skipped.

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Reader};
use fedsplit_core::{State, STATE_COUNT};

use crate::sheet::{read_csv, read_sheet, to_units, Sheet};
use crate::years::{Cms64Spec, SlgfSpec, TRANSFERS_YEAR};
use crate::{BuildError, Source, StateColumn};

/// BEA CAINC35 county file (EIG compilation), relative to the raw root.
pub const BEA_COUNTY_FILE: &str = "eig-bea-transfers-county-2022/eig_county_2022_transfers.csv";
/// CMS NHE Medicare spending by state of residence, 1991–2020.
pub const NHE_MEDICARE_FILE: &str = "cms-nhe-state-residence/MEDICARE_AGGREGATE20.CSV";
/// Alaska Permanent Fund Dividend per person and recipients, 2018–2024.
pub const PFD_FILE: &str = "alaska-pfd/alaska_pfd_2018_2024.csv";

/// CMS-64 sheet parts that make up the Medicaid + CHIP federal share.
/// "MCHIP 20%" (a federal/state re-split of M-CHIP with total computable 0)
/// is included: with it the 51-area FY2022 federal share is $597,948M, the
/// METHODOLOGY control; without it $597,782M.
pub const CMS64_PARTS: [&str; 5] = ["MAP", "ADM", "MCHIP", "MCHIP 20%", "CHIP"];

/// Collects one value per area and reports missing or duplicate areas.
struct Filler {
    path: PathBuf,
    what: &'static str,
    values: [Option<i64>; STATE_COUNT],
}

impl Filler {
    fn new(path: &Path, what: &'static str) -> Self {
        Filler {
            path: path.to_path_buf(),
            what,
            values: [None; STATE_COUNT],
        }
    }

    fn set(&mut self, state: State, value: i64, location: &str) -> Result<(), BuildError> {
        let slot = &mut self.values[state.index()];
        if slot.is_some() {
            return Err(BuildError::Check(format!(
                "{}: {} for {} appears twice (again at {location})",
                self.path.display(),
                self.what,
                state.name()
            )));
        }
        *slot = Some(value);
        Ok(())
    }

    fn finish(self) -> Result<[i64; STATE_COUNT], BuildError> {
        let mut out = [0i64; STATE_COUNT];
        for state in State::ALL {
            out[state.index()] = self.values[state.index()].ok_or_else(|| BuildError::Missing {
                path: self.path.clone(),
                what: format!("{} for {}", self.what, state.name()),
            })?;
        }
        Ok(out)
    }
}

/// Collapses runs of whitespace (including the line breaks in workbook
/// headers) to single spaces.
fn normalise_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------
// BEA CAINC35 (county sums)
// ---------------------------------------------------------------------------

/// (output column, CSV header, CAINC35 line description)
const BEA_LINES: [(&str, &str, &str); 5] = [
    (
        "social_security_benefits_usd",
        "Social Security Transfers (2022 dollars)",
        "CAINC35 line 2110 Social Security benefits, sum of counties",
    ),
    (
        "medicare_benefits_usd",
        "Medicare Transfers (2022 dollars)",
        "CAINC35 line 2210 Medicare benefits, sum of counties",
    ),
    (
        "bea_medicaid_usd",
        "Medicaid Transfers (2022 dollars)",
        "CAINC35 line 2220 Public assistance medical care (Medicaid), sum of counties",
    ),
    (
        "bea_income_maintenance_usd",
        "Income Maintenance Transfers (2022 dollars)",
        "CAINC35 line 2300 Income maintenance benefits, sum of counties",
    ),
    (
        "bea_other_transfers_usd",
        "All Other Government Transfers (2022 dollars)",
        "CAINC35 line 2000 minus lines 2110, 2210, 2220, 2300 (all other transfers from governments), sum of counties",
    ),
];

/// BEA CAINC35 2022 transfers by program, per state (sums of the EIG county
/// file), in `BEA_LINES` order: Social Security, Medicare, Medicaid, income
/// maintenance, all other.
pub fn bea_transfers(raw: &Path) -> Result<Vec<StateColumn>, BuildError> {
    let path = raw.join(BEA_COUNTY_FILE);
    let csv = read_csv(&path, false)?;
    let year_col = csv.column("Year")?;
    let state_col = csv.column("State")?;
    let fips_col = csv.column("County FIPS Code")?;
    let value_cols = BEA_LINES
        .iter()
        .map(|(_, header, _)| csv.column(header))
        .collect::<Result<Vec<_>, _>>()?;

    let mut sums = [[0i64; STATE_COUNT]; 5];
    let mut counties = [0usize; STATE_COUNT];
    for (line, rec) in &csv.records {
        let year = rec.get(year_col).unwrap_or("");
        if year != TRANSFERS_YEAR.to_string() {
            return Err(BuildError::Parse {
                path: path.clone(),
                location: line.to_string(),
                field: "Year".into(),
                value: year.to_string(),
                message: "expected 2022".into(),
            });
        }
        let postal = rec.get(state_col).unwrap_or("");
        let state = State::parse(postal).map_err(|e| BuildError::Parse {
            path: path.clone(),
            location: line.to_string(),
            field: "State".into(),
            value: postal.to_string(),
            message: e.to_string(),
        })?;
        // Former Alaska county-equivalents (census areas and 1970s divisions
        // since redrawn) carry "NA" in every field: they hold no 2022 data.
        let all_na = value_cols.iter().all(|&c| rec.get(c) == Some("NA"));
        if all_na {
            if state != State::Ak {
                return Err(BuildError::Parse {
                    path: path.clone(),
                    location: line.to_string(),
                    field: "County FIPS Code".into(),
                    value: rec.get(fips_col).unwrap_or("").to_string(),
                    message: "county with no data outside Alaska".into(),
                });
            }
            continue;
        }
        for (k, &c) in value_cols.iter().enumerate() {
            let v = csv.number(*line, rec, c)?;
            sums[k][state.index()] += to_units(v, 1.0);
        }
        counties[state.index()] += 1;
    }
    if let Some(s) = State::ALL.iter().find(|s| counties[s.index()] == 0) {
        return Err(BuildError::Missing {
            path,
            what: format!("counties of {}", s.name()),
        });
    }

    Ok(BEA_LINES
        .iter()
        .zip(sums)
        .map(|((name, _, table), values)| StateColumn {
            name,
            source: Source {
                publisher: "U.S. Bureau of Economic Analysis (county data compiled by Economic Innovation Group)",
                table: table.to_string(),
                year: format!("CY{TRANSFERS_YEAR}"),
                units: "dollars",
                files: vec![BEA_COUNTY_FILE],
            },
            values,
        })
        .collect())
}

// ---------------------------------------------------------------------------
// CMS-64 Medicaid + CHIP federal share
// ---------------------------------------------------------------------------

/// A CMS-64 geography name (publisher spelling) as a state; `None` for
/// territories and "National Totals".
fn cms_geography(name: &str) -> Option<State> {
    match name {
        "Dist. Of Col." => Some(State::Dc),
        other => State::parse(other).ok(),
    }
}

/// The federal share on the first total row of one CMS-64 FMR sheet.
/// Labels: "Total Net Expenditures" (MAP, ADM), "C-Total Net" (MCHIP),
/// "T-Total Net Expenditures" (MCHIP 20%), "Total" (CHIP). MAP sheets hold
/// M-CHIP ("C-") and "T-" blocks below the first total row; they are not read.
pub fn cms64_first_total_federal(sheet: &Sheet) -> Result<f64, BuildError> {
    let header = sheet
        .find_row(0, 0, |t| t == "Service Category")
        .ok_or_else(|| BuildError::Missing {
            path: sheet.path.clone(),
            what: format!("sheet {:?}: header row \"Service Category\"", sheet.name),
        })?;
    let (_, end_col) = sheet.range.end().unwrap_or((0, 0));
    let fed_col = (0..=end_col as usize)
        .find(|&c| normalise_space(&sheet.text(header, c)) == "Federal Share")
        .ok_or_else(|| BuildError::Missing {
            path: sheet.path.clone(),
            what: format!("sheet {:?}: column \"Federal Share\"", sheet.name),
        })?;
    let total = sheet
        .find_row(0, header + 1, |t| {
            let t = t
                .strip_prefix("C-")
                .or_else(|| t.strip_prefix("T-"))
                .unwrap_or(t);
            t.starts_with("Total")
        })
        .ok_or_else(|| BuildError::Missing {
            path: sheet.path.clone(),
            what: format!("sheet {:?}: total row", sheet.name),
        })?;
    sheet.number(total, fed_col, "Federal Share")
}

/// The CMS-64 Medicaid + CHIP federal share of each state and DC in fiscal
/// year `spec.fy`: the first total row of every MAP, ADM, MCHIP, MCHIP 20%
/// and CHIP sheet. Each part must cover all 51 areas once.
pub fn medicaid_chip_federal(raw: &Path, spec: &Cms64Spec) -> Result<StateColumn, BuildError> {
    let mut total = [0i64; STATE_COUNT];
    let mut seen_parts: Vec<&str> = Vec::new();
    for file in [spec.medicaid_file, spec.chip_file] {
        let path = raw.join(file);
        let mut wb = open_workbook_auto(&path).map_err(|e| BuildError::Workbook {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let names = wb.sheet_names().to_vec();
        // Each part found in this workbook must cover every area once.
        let mut parts: Vec<(&str, Filler)> = Vec::new();
        for name in names {
            let Some((part, geography)) = name.split_once(" - ") else {
                continue;
            };
            let part = part.trim();
            let Some(part) = CMS64_PARTS.iter().copied().find(|p| *p == part) else {
                return Err(BuildError::Parse {
                    path: path.clone(),
                    location: name.clone(),
                    field: "sheet name".into(),
                    value: part.to_string(),
                    message: "unknown CMS-64 sheet part".into(),
                });
            };
            let Some(state) = cms_geography(geography.trim()) else {
                continue;
            };
            let range = wb
                .worksheet_range(&name)
                .map_err(|e| BuildError::Workbook {
                    path: path.clone(),
                    message: format!("sheet {name:?}: {e}"),
                })?;
            let sheet = Sheet {
                path: path.clone(),
                name: name.clone(),
                range,
            };
            let federal = to_units(cms64_first_total_federal(&sheet)?, 1.0);
            let idx = match parts.iter().position(|(p, _)| *p == part) {
                Some(i) => i,
                None => {
                    parts.push((part, Filler::new(&path, "CMS-64 sheet")));
                    parts.len() - 1
                }
            };
            parts[idx].1.set(state, federal, &name)?;
        }
        if parts.is_empty() {
            return Err(BuildError::Missing {
                path,
                what: "CMS-64 state sheets".into(),
            });
        }
        for (part, filler) in parts {
            seen_parts.push(part);
            for (t, v) in total.iter_mut().zip(filler.finish()?) {
                *t += v;
            }
        }
    }
    if let Some(missing) = CMS64_PARTS.iter().find(|p| !seen_parts.contains(p)) {
        return Err(BuildError::Missing {
            path: raw.join(spec.medicaid_file),
            what: format!(
                "CMS-64 FY{} sheets {missing:?} (in either workbook)",
                spec.fy
            ),
        });
    }
    Ok(StateColumn {
        name: "medicaid_chip_federal_usd",
        source: Source {
            publisher: "Centers for Medicare & Medicaid Services (CMS-64 Financial Management Report)",
            table: "FMR net expenditures, Federal Share, first total row of sheets MAP + ADM + MCHIP + MCHIP 20% + CHIP".into(),
            year: format!("FY{}", spec.fy),
            units: "dollars",
            files: vec![spec.medicaid_file, spec.chip_file],
        },
        values: total,
    })
}

// ---------------------------------------------------------------------------
// FNS SNAP benefits
// ---------------------------------------------------------------------------

/// FNS SNAP benefit cost of each state and DC in fiscal year `fy`: the
/// "Total" row of each state block, "Cost" column, of every region sheet of
/// `file` (`US Summary` is skipped). FY2019's workbook is a legacy .xls.
pub fn snap_benefits(raw: &Path, fy: u16, file: &'static str) -> Result<StateColumn, BuildError> {
    let path = raw.join(file);
    let mut filler = Filler::new(&path, "SNAP benefit cost");
    let mut wb = open_workbook_auto(&path).map_err(|e| BuildError::Workbook {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let names = wb.sheet_names().to_vec();
    for name in names.into_iter().filter(|n| n != "US Summary") {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| BuildError::Workbook {
                path: path.clone(),
                message: format!("sheet {name:?}: {e}"),
            })?;
        let sheet = Sheet {
            path: path.clone(),
            name,
            range,
        };
        let (_, end_col) = sheet.range.end().unwrap_or((0, 0));
        let cost_col = (0..10)
            .flat_map(|r| (0..=end_col as usize).map(move |c| (r, c)))
            .find(|&(r, c)| sheet.text(r, c) == "Cost")
            .map(|(_, c)| c)
            .ok_or_else(|| BuildError::Missing {
                path: path.clone(),
                what: format!("sheet {:?}: column \"Cost\"", sheet.name),
            })?;
        // A block starts with the area name alone in column A and ends with
        // its "Total" row (FY total cost).
        let mut area: Option<String> = None;
        for r in 0..sheet.height() {
            let label = sheet.text(r, 0);
            if label.is_empty() {
                continue;
            }
            if label == "Total" {
                let Some(name) = area.take() else {
                    return Err(BuildError::Parse {
                        path: path.clone(),
                        location: sheet.location(r, 0),
                        field: "area".into(),
                        value: label,
                        message: "Total row outside an area block".into(),
                    });
                };
                if let Ok(state) = State::parse(&name) {
                    let cost = sheet.number(r, cost_col, "Cost")?;
                    filler.set(state, to_units(cost, 1.0), &sheet.location(r, 0))?;
                }
            } else if sheet.text(r, 1).is_empty() {
                area = Some(label);
            }
        }
    }
    Ok(StateColumn {
        name: "snap_benefits_usd",
        source: Source {
            publisher: "USDA Food and Nutrition Service (National Data Bank)",
            table: "SNAP Monthly State Participation and Benefit Summary (P-EBT/Other Excluded), state Total row, Cost".into(),
            year: format!("FY{fy}"),
            units: "dollars",
            files: vec![file],
        },
        values: filler.finish()?,
    })
}

// ---------------------------------------------------------------------------
// Census State & Local Government Finances, Table 1
// ---------------------------------------------------------------------------

/// The state-and-local amount of one line of a Census State & Local
/// Government Finances Table 1 (`slgf`) for each of the 50 states and DC, in
/// dollars (the source is in thousands of dollars).
///
/// `line` is the Census line number (column A); the line's description
/// (column B, whitespace normalised) must equal `description`. The area
/// names are in the first row whose column B reads "Description" (row 9 in
/// 2022, row 11 in 2019). Checks that the 51 areas sum to the "United States
/// Total" column within `slgf.tolerance_thousands` (exactly in 2022; the
/// 2019 sample survey's US column differs from the sum by a few thousand
/// dollars).
pub fn slgf_table1_line(
    raw: &Path,
    slgf: &SlgfSpec,
    line: u32,
    description: &'static str,
) -> Result<[i64; STATE_COUNT], BuildError> {
    let path = raw.join(slgf.file);
    let sheet = read_sheet(&path, None)?;
    let header = sheet
        .find_row(1, 0, |t| t == "Description")
        .ok_or_else(|| BuildError::Missing {
            path: path.clone(),
            what: "header row with area names".into(),
        })?;
    let number = line.to_string();
    let row = sheet
        .find_row(0, header + 1, |t| t == number)
        .ok_or_else(|| BuildError::Missing {
            path: path.clone(),
            what: format!("line {line}"),
        })?;
    let found = normalise_space(&sheet.text(row, 1));
    if found != description {
        return Err(BuildError::Parse {
            path: path.clone(),
            location: sheet.location(row, 1),
            field: "Description".into(),
            value: found,
            message: format!("expected line {line} \"{description}\""),
        });
    }
    let (_, end_col) = sheet.range.end().unwrap_or((0, 0));
    let what = format!("line {line} {description}");
    let mut filler = Filler::new(&path, "Table 1 state & local amount");
    let mut us_total: Option<i64> = None;
    // The area name heads the first column of each 5-column group, which is
    // the state-and-local amount.
    for c in 2..=end_col as usize {
        let area = sheet.text(header, c);
        if area.is_empty() {
            continue;
        }
        let value = to_units(
            sheet.number(row, c, "State & local government amount")?,
            1000.0,
        );
        if area == "United States Total" {
            us_total = Some(value);
        } else {
            let state = State::parse(&area).map_err(|e| BuildError::Parse {
                path: path.clone(),
                location: sheet.location(header, c),
                field: "area".into(),
                value: area.clone(),
                message: e.to_string(),
            })?;
            filler.set(state, value, &sheet.location(row, c))?;
        }
    }
    let values = filler.finish().map_err(|e| match e {
        BuildError::Missing { path, what: w } => BuildError::Missing {
            path,
            what: format!("{what}: {w}"),
        },
        other => other,
    })?;
    let us_total = us_total.ok_or_else(|| BuildError::Missing {
        path: path.clone(),
        what: "United States Total column".into(),
    })?;
    let sum: i64 = values.iter().sum();
    if (sum - us_total).abs() > slgf.tolerance_thousands * 1000 {
        return Err(BuildError::Check(format!(
            "{}: {what}: sum over 51 areas {sum} differs from United States Total {us_total} \
             by more than {} thousand dollars",
            path.display(),
            slgf.tolerance_thousands
        )));
    }
    Ok(values)
}

/// Census SLGF Table 1 line 4 "From Federal Government", state-and-local
/// amount, of the survey `slgf`.
pub fn slgf_federal_revenue(raw: &Path, slgf: &SlgfSpec) -> Result<StateColumn, BuildError> {
    Ok(StateColumn {
        name: "slgf_federal_revenue_usd",
        source: Source {
            publisher: slgf.publisher,
            table: "State and Local Government Finances Table 1, line 4 From Federal Government, state & local amount".into(),
            year: format!("SFY{}", slgf.year),
            units: "thousands of dollars",
            files: vec![slgf.file],
        },
        values: slgf_table1_line(raw, slgf, 4, "From Federal Government")?,
    })
}

/// Non-Medicaid grants to state and local governments of each state and
/// DC: Census SLGF line 4 less the CMS-64 Medicaid + CHIP federal share, both
/// of the same year (`slgf` and `medicaid` must be). Checks that no state's
/// remainder is negative.
pub fn non_medicaid_grants(
    slgf: &StateColumn,
    medicaid: &StateColumn,
    year: u16,
) -> Result<StateColumn, BuildError> {
    let mut values = [0i64; STATE_COUNT];
    for s in State::ALL {
        let v = slgf.get(s) - medicaid.get(s);
        if v < 0 {
            return Err(BuildError::Check(format!(
                "{year}: {s}: Census federal revenue {} is below the CMS-64 federal share {}",
                slgf.get(s),
                medicaid.get(s)
            )));
        }
        values[s.index()] = v;
    }
    let mut files = slgf.source.files.clone();
    files.extend(medicaid.source.files.iter().copied());
    Ok(StateColumn {
        name: "non_medicaid_grants_usd",
        source: Source {
            publisher: "fedsplit, derived from U.S. Census Bureau SLGF and CMS-64",
            table: format!(
                "State and Local Government Finances {year} Table 1 line 4 From Federal Government \
                 (state & local amount) less CMS-64 FY{year} Medicaid + CHIP federal share"
            ),
            year: format!(
                "{} (Census); {} (CMS-64)",
                slgf.source.year, medicaid.source.year
            ),
            units: "dollars",
            files,
        },
        values,
    })
}

// ---------------------------------------------------------------------------
// CMS National Health Expenditure Accounts: Medicare by state of residence
// ---------------------------------------------------------------------------

/// Medicare personal health care spending by state of residence in calendar
/// year `year` (CMS NHE state estimates, `Code` 1, `Group` "State"), in
/// dollars (the source is in millions). Checks that the 51 areas are within
/// $5M of the United States row (each state is rounded to $1M).
pub fn nhe_medicare(raw: &Path, year: u16) -> Result<StateColumn, BuildError> {
    let file = read_csv(&raw.join(NHE_MEDICARE_FILE), false)?;
    let c_code = file.column("Code")?;
    let c_group = file.column("Group")?;
    let c_name = file.column("State_Name")?;
    let c_year = file.column(&format!("Y{year}"))?;
    let mut filler = Filler::new(&file.path, "Medicare personal health care");
    let mut us = None;
    for (line, rec) in &file.records {
        if rec.get(c_code).map(str::trim) != Some("1") {
            continue;
        }
        let millions = file.number(*line, rec, c_year)?;
        match rec.get(c_group).map(str::trim) {
            Some("United States") => us = Some(millions),
            Some("State") => {
                let name = rec.get(c_name).unwrap_or("");
                let state = State::parse(name).map_err(|e| BuildError::Parse {
                    path: file.path.clone(),
                    location: line.to_string(),
                    field: "State_Name".into(),
                    value: name.to_string(),
                    message: e.to_string(),
                })?;
                filler.set(state, to_units(millions, 1e6), &line.to_string())?;
            }
            _ => {}
        }
    }
    let values = filler.finish()?;
    let us = us.ok_or_else(|| BuildError::Missing {
        path: file.path.clone(),
        what: "Code 1, United States row".into(),
    })?;
    let sum: i64 = values.iter().sum();
    if (sum as f64 - us * 1e6).abs() > 5e6 {
        return Err(BuildError::Check(format!(
            "{NHE_MEDICARE_FILE}: Y{year} Medicare personal health care: 51 areas {sum} dollars, \
             United States row {us} million"
        )));
    }
    Ok(StateColumn {
        name: "medicare_benefits_usd",
        source: Source {
            publisher: "Centers for Medicare & Medicaid Services, Office of the Actuary (National Health Expenditure Accounts)",
            table: format!(
                "Health Expenditures by State of Residence (2020 release): Medicare/Personal Health Care (Code 1), State rows, Y{year}"
            ),
            year: format!("CY{year}"),
            units: "millions of dollars",
            files: vec![NHE_MEDICARE_FILE],
        },
        values,
    })
}

// ---------------------------------------------------------------------------
// Alaska Permanent Fund Dividend and the other-payments key
// ---------------------------------------------------------------------------

/// The Alaska Permanent Fund Dividend paid in calendar year
/// [`TRANSFERS_YEAR`] (dividend year 2022): amount per person × dividends
/// paid, an implied total from secondary sources (`alaska-pfd/PROVENANCE.md`).
/// Alaska gets it; every other state 0. BEA counts it in Alaska's "other
/// transfers", though it is state money.
///
/// Checks that the per-person amount is the dividend plus the energy relief.
pub fn alaska_pfd(raw: &Path) -> Result<StateColumn, BuildError> {
    let file = read_csv(&raw.join(PFD_FILE), false)?;
    let c_year = file.column("dividend_year")?;
    let c_amount = file.column("amount_per_person_usd")?;
    let c_dividend = file.column("of_which_dividend_usd")?;
    let c_energy = file.column("of_which_energy_relief_usd")?;
    let c_recipients = file.column("recipients")?;
    let year = TRANSFERS_YEAR.to_string();
    let mut found = None;
    for (line, rec) in &file.records {
        if rec.get(c_year).map(str::trim) != Some(year.as_str()) {
            continue;
        }
        let cents = |c| file.number(*line, rec, c).map(|v| to_units(v, 100.0));
        let (amount, dividend, energy) = (cents(c_amount)?, cents(c_dividend)?, cents(c_energy)?);
        if amount != dividend + energy {
            return Err(BuildError::Check(format!(
                "{PFD_FILE}:{line}: {year} amount per person {amount} cents is not dividend \
                 {dividend} + energy relief {energy}"
            )));
        }
        let recipients = to_units(file.number(*line, rec, c_recipients)?, 1.0);
        if found.replace((amount, recipients)).is_some() {
            return Err(BuildError::Check(format!(
                "{PFD_FILE}: two rows for {year}"
            )));
        }
    }
    let (cents, recipients) = found.ok_or_else(|| BuildError::Missing {
        path: file.path.clone(),
        what: format!("dividend year {year}"),
    })?;
    if cents % 100 != 0 {
        return Err(BuildError::Check(format!(
            "{PFD_FILE}: {year} amount per person {cents} cents is not whole dollars"
        )));
    }
    let mut values = [0i64; STATE_COUNT];
    values[State::Ak.index()] = cents / 100 * recipients;
    Ok(StateColumn {
        name: "alaska_pfd_usd",
        source: Source {
            publisher: "Alaska Permanent Fund Dividend Division, as reported by the Alaska Beacon and AP (secondary; transcribed)",
            table: format!(
                "Permanent Fund Dividend {year}: ${} per person (dividend + energy relief) × {} dividends paid (implied total; 0 outside Alaska)",
                fedsplit_core::group_digits(cents / 100),
                fedsplit_core::group_digits(recipients)
            ),
            year: format!("CY{year}"),
            units: "dollars per person; recipients",
            files: vec![PFD_FILE],
        },
        values,
    })
}

/// The key of other payments to individuals: BEA income maintenance + all
/// other transfers − FNS SNAP benefits − the Alaska PFD, floor 0. The BEA
/// lines are CY2022 in every fiscal year, so the SNAP and PFD subtracted are
/// 2022's too (`snap` must be FNS FY2022).
pub fn other_payments_key(
    income_maintenance: &StateColumn,
    other_transfers: &StateColumn,
    snap: &StateColumn,
    pfd: &StateColumn,
) -> StateColumn {
    let mut values = [0i64; STATE_COUNT];
    for s in State::ALL {
        values[s.index()] =
            (income_maintenance.get(s) + other_transfers.get(s) - snap.get(s) - pfd.get(s)).max(0);
    }
    let mut files: Vec<&'static str> = [income_maintenance, snap, pfd]
        .iter()
        .flat_map(|c| c.source.files.clone())
        .collect();
    files.dedup();
    StateColumn {
        name: "other_payments_key_usd",
        source: Source {
            publisher: "fedsplit, derived from BEA CAINC35 (EIG county sums), USDA FNS and the Alaska PFD",
            table: "CAINC35 line 2300 income maintenance + all other transfers from governments − FNS SNAP benefit cost − Alaska Permanent Fund Dividend, floor 0".into(),
            year: format!(
                "{} (BEA); {} (FNS SNAP); {} (Alaska PFD)",
                income_maintenance.source.year, snap.source.year, pfd.source.year
            ),
            units: "dollars",
            files,
        },
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::CsvFile;
    use crate::years::spec;

    fn column<'a>(cols: &'a [StateColumn], name: &str) -> &'a StateColumn {
        cols.iter().find(|c| c.name == name).expect(name)
    }

    fn csv_number(csv: &CsvFile, line: u64, rec: &csv::StringRecord, col: usize) -> i64 {
        to_units(csv.number(line, rec, col).unwrap(), 1.0)
    }

    #[test]
    fn bea_transfers_match_published_totals() {
        let Some(raw) = crate::raw_root_for_test("bea_transfers_match_published_totals") else {
            return;
        };
        let cols = bea_transfers(&raw).unwrap();
        assert_eq!(cols.len(), 5);
        // years-data.md §2.10 (= EIG nationwide 2022 row), dollars.
        let expected = [
            ("social_security_benefits_usd", 1_211_508_000_000),
            ("medicare_benefits_usd", 926_088_000_000),
            ("bea_medicaid_usd", 827_323_000_000),
            ("bea_income_maintenance_usd", 449_854_000_000),
            ("bea_other_transfers_usd", 431_880_000_000),
        ];
        for (name, total) in expected {
            let c = column(&cols, name);
            assert_eq!(c.total(), total, "{name}");
            assert_eq!(c.source.year, "CY2022");
            assert!(c.values.iter().all(|&v| v > 0), "{name}");
        }
    }

    #[test]
    fn medicaid_snap_and_slgf_of_every_year_match_published_totals() {
        let Some(raw) =
            crate::raw_root_for_test("medicaid_snap_and_slgf_of_every_year_match_published_totals")
        else {
            return;
        };
        // years-data.md §2.8, §2.9, §2.7 (Σ51, dollars).
        for (fy, medicaid, snap) in [
            (2019, 419_313_495_796, 55_477_097_393),
            (2022, 597_948_445_546, 113_742_031_160),
            (2023, 627_394_306_307, 106_744_001_279),
        ] {
            let y = spec(fy).unwrap();
            let m = medicaid_chip_federal(&raw, &y.cms64).unwrap();
            assert_eq!(m.total(), medicaid, "CMS-64 FY{fy}");
            assert_eq!(m.source.year, format!("FY{fy}"));
            let s = snap_benefits(&raw, fy, y.snap_file).unwrap();
            assert_eq!(s.total(), snap, "FNS FY{fy}");
            assert!(m.values.iter().chain(&s.values).all(|&v| v > 0));
        }
        let y = spec(2024).unwrap();
        assert_eq!(y.cms64.fy, 2023, "no FY2024 CMS-64: carried");
        assert_eq!(
            snap_benefits(&raw, 2024, y.snap_file).unwrap().total(),
            93_657_872_614
        );

        for (year, line4) in [(2019, 762_909_935_000), (2022, 1_257_878_688_000)] {
            let slgf = slgf_federal_revenue(&raw, &spec(year).unwrap().slgf).unwrap();
            assert_eq!(slgf.total(), line4, "SLGF {year}");
            assert!(slgf.values.iter().all(|&v| v > 0));
        }
        // The exact check fails on the 2019 sample survey (US − Σ51 = 4).
        let exact = SlgfSpec {
            tolerance_thousands: 0,
            ..spec(2019).unwrap().slgf
        };
        assert!(slgf_federal_revenue(&raw, &exact).is_err());

        // Non-Medicaid grants: Σ(line 4 − CMS-64) = the grants channel.
        for (year, grants) in [(2019, 343_596_439_204), (2022, 659_930_242_454)] {
            let y = spec(year).unwrap();
            let g = non_medicaid_grants(
                &slgf_federal_revenue(&raw, &y.slgf).unwrap(),
                &medicaid_chip_federal(&raw, &y.cms64).unwrap(),
                year,
            )
            .unwrap();
            assert_eq!(g.total(), grants, "{year}");
            assert_eq!(crate::write::first_year(&g.source.year), Some(year));
        }
    }

    #[test]
    fn nhe_medicare_2019_matches_published_total() {
        let Some(raw) = crate::raw_root_for_test("nhe_medicare_2019_matches_published_total")
        else {
            return;
        };
        let c = nhe_medicare(&raw, 2019).unwrap();
        // years-data.md §2.10: Σ51 744,922 $M (US row 744,924).
        assert_eq!(c.total(), 744_922_000_000);
        assert_eq!(c.source.year, "CY2019");
        assert!(c.values.iter().all(|&v| v > 0 && v % 1_000_000 == 0));
        assert!(c.get(State::Ca) > c.get(State::Fl));
    }

    #[test]
    fn alaska_pfd_and_other_payments_key() {
        let Some(raw) = crate::raw_root_for_test("alaska_pfd_and_other_payments_key") else {
            return;
        };
        let pfd = alaska_pfd(&raw).unwrap();
        assert_eq!(pfd.get(State::Ak), 3_284 * 625_912);
        assert_eq!(pfd.total(), 2_055_495_008);
        let bea = bea_transfers(&raw).unwrap();
        let snap = snap_benefits(&raw, 2022, spec(2022).unwrap().snap_file).unwrap();
        let key = other_payments_key(&bea[3], &bea[4], &snap, &pfd);
        // years-data.md §2.11: Σ51 765,936,473,832; AK 2,075,885,092.
        assert_eq!(key.total(), 765_936_473_832);
        assert_eq!(key.get(State::Ak), 2_075_885_092);
        assert!(key.values.iter().all(|&v| v > 0));
        assert_eq!(crate::write::first_year(&key.source.year), Some(2022));
    }

    #[test]
    fn bea_county_sums_match_derived_state_sums() {
        let Some(raw) = crate::raw_root_for_test("bea_county_sums_match_derived_state_sums") else {
            return;
        };
        let cols = bea_transfers(&raw).unwrap();
        let csv = read_csv(
            &raw.join("eig-bea-transfers-county-2022/state_sums_2022_from_counties.csv"),
            false,
        )
        .unwrap();
        let state_col = csv.column("state").unwrap();
        let pairs = [
            ("social_security_benefits_usd", "social_security_usd"),
            ("medicare_benefits_usd", "medicare_usd"),
            ("bea_medicaid_usd", "medicaid_public_assistance_medical_usd"),
            ("bea_income_maintenance_usd", "income_maintenance_usd"),
            ("bea_other_transfers_usd", "other_govt_transfers_usd"),
        ];
        let mut seen = 0;
        for (line, rec) in &csv.records {
            let state = State::parse(&rec[state_col]).unwrap();
            for (ours, theirs) in pairs {
                let c = csv.column(theirs).unwrap();
                assert_eq!(
                    column(&cols, ours).get(state),
                    csv_number(&csv, *line, rec, c),
                    "{ours} {state}"
                );
            }
            seen += 1;
        }
        assert_eq!(seen, 51);
    }

    #[test]
    fn cms64_sheets_match_derived_totals() {
        let Some(raw) = crate::raw_root_for_test("cms64_sheets_match_derived_totals") else {
            return;
        };
        let csv = read_csv(&raw.join("cms64-fmr/cms64_fmr_state_totals.csv"), false).unwrap();
        let (fy, part, geo, fed) = (
            csv.column("fiscal_year").unwrap(),
            csv.column("sheet_part").unwrap(),
            csv.column("geography").unwrap(),
            csv.column("federal_share_usd").unwrap(),
        );
        for year in [2019, 2022, 2023] {
            let col = medicaid_chip_federal(&raw, &spec(year).unwrap().cms64).unwrap();
            let mut expected = [0i64; STATE_COUNT];
            let mut without_20 = 0i64;
            for (line, rec) in &csv.records {
                if rec[fy] != year.to_string() {
                    continue;
                }
                let Some(state) = cms_geography(&rec[geo]) else {
                    continue;
                };
                assert!(CMS64_PARTS.contains(&&rec[part]));
                let v = csv_number(&csv, *line, rec, fed);
                expected[state.index()] += v;
                if &rec[part] != "MCHIP 20%" {
                    without_20 += v;
                }
            }
            assert_eq!(col.values, expected, "FY{year}");
            if year == 2022 {
                // The control is met only with the MCHIP 20% sheets.
                assert_eq!((without_20 as f64 / 1e6).round() as i64, 597_782);
                assert_eq!((col.total() as f64 / 1e6).round() as i64, 597_948);
            }
        }
    }

    #[test]
    fn snap_matches_derived_csv() {
        let Some(raw) = crate::raw_root_for_test("snap_matches_derived_csv") else {
            return;
        };
        let csv = read_csv(
            &raw.join("fns-snap-state/snap_state_fy2019_2024.csv"),
            false,
        )
        .unwrap();
        let (fy, st, cost, geo) = (
            csv.column("fiscal_year").unwrap(),
            csv.column("state").unwrap(),
            csv.column("benefit_cost_usd").unwrap(),
            csv.column("geo_type").unwrap(),
        );
        for y in crate::years::YEARS {
            let col = snap_benefits(&raw, y.fy, y.snap_file).unwrap();
            let mut n = 0;
            for (line, rec) in &csv.records {
                if rec[fy] != y.fy.to_string() || &rec[geo] != "state" {
                    continue;
                }
                let state = State::parse(&rec[st]).unwrap();
                assert_eq!(
                    col.get(state),
                    csv_number(&csv, *line, rec, cost),
                    "FY{} {state}",
                    y.fy
                );
                n += 1;
            }
            assert_eq!(n, 51, "FY{}", y.fy);
        }
    }
}
