//! Per-state federal spending keys and amounts:
//!
//! * BEA CAINC35 CY2022 personal current transfer receipts by recipient
//!   residence (Social Security, Medicare, Medicaid, income maintenance,
//!   other), summed here over the county file compiled by EIG;
//! * CMS-64 FY2022 Medicaid + CHIP federal share (MAP + ADM + MCHIP +
//!   MCHIP 20% + CHIP), from the publisher's FMR workbooks;
//! * FNS FY2022 SNAP benefit cost (P-EBT excluded by the publisher);
//! * Census 2022 State & Local Government Finances, Table 1 line 4
//!   "From Federal Government" (state-and-local column).
//!
//! Every column covers the 50 states and DC exactly once; territories,
//! national totals and regional totals are skipped.

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Reader};
use fedsplit_core::{State, STATE_COUNT};

use crate::sheet::{read_csv, read_sheet, to_units, Sheet};
use crate::{BuildError, Source, StateColumn};

/// BEA CAINC35 county file (EIG compilation), relative to the raw root.
pub const BEA_COUNTY_FILE: &str = "eig-bea-transfers-county-2022/eig_county_2022_transfers.csv";
/// CMS-64 FMR FY2022 Medicaid workbook (MAP and ADM sheets).
pub const CMS64_MEDICAID_FILE: &str = "cms64-fmr/FY 2022 FMR NET EXPENDITURES.xlsx";
/// CMS-64 FMR FY2022 CHIP workbook (MCHIP, MCHIP 20% and CHIP sheets).
pub const CMS64_CHIP_FILE: &str = "cms64-fmr/FY 2022 CHIP FMR NET EXPENDITURES.xlsx";
/// FNS SNAP FY2022 state participation and benefit summary.
pub const SNAP_FILE: &str = "fns-snap-state/FY22.xlsx";
/// Census 2022 State & Local Government Finances, Table 1.
pub const SLGF_FILE: &str = "census-slgf-2022/census_2022_state_local_finance_table1.xlsx";

/// CMS-64 sheet parts that make up the Medicaid + CHIP federal share.
/// "MCHIP 20%" (a federal/state re-split of M-CHIP with total computable 0)
/// is included: with it the 51-area federal share is $597,948M, the
/// METHODOLOGY control; without it $597,782M.
pub const CMS64_PARTS: [&str; 5] = ["MAP", "ADM", "MCHIP", "MCHIP 20%", "CHIP"];

/// All per-state federal spending columns, in a fixed order.
pub fn state_columns(raw: &Path) -> Result<Vec<StateColumn>, BuildError> {
    let mut columns = bea_transfers(raw)?;
    let medicaid = medicaid_chip_federal(raw)?;
    let snap = snap_benefits(raw)?;
    let slgf = slgf_federal_revenue(raw)?;
    columns.push(medicaid);
    columns.push(snap);
    columns.push(slgf);
    Ok(columns)
}

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
        "bea_social_security_usd",
        "Social Security Transfers (2022 dollars)",
        "CAINC35 line 2110 Social Security benefits, sum of counties",
    ),
    (
        "bea_medicare_usd",
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

fn bea_transfers(raw: &Path) -> Result<Vec<StateColumn>, BuildError> {
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
        if year != "2022" {
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
                table,
                year: "CY2022",
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

fn medicaid_chip_federal(raw: &Path) -> Result<StateColumn, BuildError> {
    let mut total = [0i64; STATE_COUNT];
    for file in [CMS64_MEDICAID_FILE, CMS64_CHIP_FILE] {
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
        for (_, filler) in parts {
            for (t, v) in total.iter_mut().zip(filler.finish()?) {
                *t += v;
            }
        }
    }
    Ok(StateColumn {
        name: "medicaid_chip_federal_usd",
        source: Source {
            publisher: "Centers for Medicare & Medicaid Services (CMS-64 Financial Management Report)",
            table: "FMR net expenditures, Federal Share, first total row of sheets MAP + ADM + MCHIP + MCHIP 20% + CHIP",
            year: "FY2022",
            units: "dollars",
            files: vec![CMS64_MEDICAID_FILE, CMS64_CHIP_FILE],
        },
        values: total,
    })
}

// ---------------------------------------------------------------------------
// FNS SNAP benefits
// ---------------------------------------------------------------------------

fn snap_benefits(raw: &Path) -> Result<StateColumn, BuildError> {
    let path = raw.join(SNAP_FILE);
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
            table: "SNAP Monthly State Participation and Benefit Summary (P-EBT/Other Excluded), state Total row, Cost",
            year: "FY2022",
            units: "dollars",
            files: vec![SNAP_FILE],
        },
        values: filler.finish()?,
    })
}

// ---------------------------------------------------------------------------
// Census State & Local Government Finances, Table 1
// ---------------------------------------------------------------------------

/// The state-and-local amount of one line of Census 2022 State & Local
/// Government Finances Table 1 for each of the 50 states and DC, in dollars
/// (the source is in thousands of dollars).
///
/// `line` is the Census line number (column A); the line's description
/// (column B, whitespace normalised) must equal `description`. Checks that
/// the 51 areas sum exactly to the "United States Total" column.
pub fn slgf_table1_line(
    raw: &Path,
    line: u32,
    description: &'static str,
) -> Result<[i64; STATE_COUNT], BuildError> {
    let path = raw.join(SLGF_FILE);
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
    if sum != us_total {
        return Err(BuildError::Check(format!(
            "{}: {what}: sum over 51 areas {sum} differs from United States Total {us_total}",
            path.display()
        )));
    }
    Ok(values)
}

fn slgf_federal_revenue(raw: &Path) -> Result<StateColumn, BuildError> {
    Ok(StateColumn {
        name: "slgf_federal_revenue_usd",
        source: Source {
            publisher: "U.S. Census Bureau (2022 Census of Governments: Finance)",
            table: "State and Local Government Finances Table 1, line 4 From Federal Government, state & local amount",
            year: "SFY2022",
            units: "thousands of dollars",
            files: vec![SLGF_FILE],
        },
        values: slgf_table1_line(raw, 4, "From Federal Government")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::CsvFile;

    fn column<'a>(cols: &'a [StateColumn], name: &str) -> &'a StateColumn {
        cols.iter().find(|c| c.name == name).expect(name)
    }

    fn csv_number(csv: &CsvFile, line: u64, rec: &csv::StringRecord, col: usize) -> i64 {
        to_units(csv.number(line, rec, col).unwrap(), 1.0)
    }

    #[test]
    fn federal_spending_columns_match_published_totals() {
        let Some(raw) = crate::raw_root_for_test("federal_spending_columns_match_published_totals")
        else {
            return;
        };
        let cols = state_columns(&raw).unwrap();
        assert_eq!(cols.len(), 8);
        for c in &cols {
            println!("{:<32} {:>16}", c.name, c.total());
        }

        // BEA: PROVENANCE (= EIG nationwide 2022 row), in $B to one decimal.
        let bn = |name: &str| (column(&cols, name).total() as f64 / 1e8).round() / 10.0;
        assert_eq!(bn("bea_social_security_usd"), 1211.5);
        assert_eq!(bn("bea_medicare_usd"), 926.1);
        assert_eq!(bn("bea_medicaid_usd"), 827.3);
        assert_eq!(bn("bea_income_maintenance_usd"), 449.9);
        assert_eq!(bn("bea_other_transfers_usd"), 431.9);

        // METHODOLOGY controls ($M).
        let m = |name: &str| (column(&cols, name).total() as f64 / 1e6).round() as i64;
        assert_eq!(m("medicaid_chip_federal_usd"), 597_948);
        assert_eq!(m("snap_benefits_usd"), 113_742);
        assert_eq!(m("slgf_federal_revenue_usd"), 1_257_879);

        // Non-Medicaid grants: Σ(line 4 − CMS-64 federal share) ≈ 659,930M.
        let grants = column(&cols, "slgf_federal_revenue_usd").total()
            - column(&cols, "medicaid_chip_federal_usd").total();
        println!("grants non-Medicaid (line 4 - CMS-64) = {grants}");
        assert_eq!((grants as f64 / 1e6).round() as i64, 659_930);

        for c in &cols {
            assert!(
                c.values.iter().all(|&v| v > 0),
                "{} has a non-positive value",
                c.name
            );
        }
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
            ("bea_social_security_usd", "social_security_usd"),
            ("bea_medicare_usd", "medicare_usd"),
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
        let col = medicaid_chip_federal(&raw).unwrap();
        let csv = read_csv(&raw.join("cms64-fmr/cms64_fmr_state_totals.csv"), false).unwrap();
        let (fy, part, geo, fed) = (
            csv.column("fiscal_year").unwrap(),
            csv.column("sheet_part").unwrap(),
            csv.column("geography").unwrap(),
            csv.column("federal_share_usd").unwrap(),
        );
        let mut expected = [0i64; STATE_COUNT];
        let mut without_20 = 0i64;
        for (line, rec) in &csv.records {
            if &rec[fy] != "2022" {
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
        assert_eq!(col.values, expected);
        // The control is met only with the MCHIP 20% sheets.
        assert_eq!((without_20 as f64 / 1e6).round() as i64, 597_782);
        assert_eq!((col.total() as f64 / 1e6).round() as i64, 597_948);
    }

    #[test]
    fn snap_matches_derived_csv() {
        let Some(raw) = crate::raw_root_for_test("snap_matches_derived_csv") else {
            return;
        };
        let col = snap_benefits(&raw).unwrap();
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
        let mut n = 0;
        for (line, rec) in &csv.records {
            if &rec[fy] != "2022" || &rec[geo] != "state" {
                continue;
            }
            let state = State::parse(&rec[st]).unwrap();
            assert_eq!(
                col.get(state),
                csv_number(&csv, *line, rec, cost),
                "{state}"
            );
            n += 1;
        }
        assert_eq!(n, 51);
    }
}
