//! BEA Regional Economic Accounts, one calendar year: state personal income
//! (SAINC1), GDP (SAGDP1), personal consumption expenditures (SASUMMARY) and
//! federal civilian and military value added (SAGDP2). The calendar year is
//! the fiscal year's (METHODOLOGY §9), except PCE for FY2024: SASUMMARY has
//! no 2024 PCE ("(NA)" in every area), so it carries 2023.

use std::path::Path;

use fedsplit_core::{State, STATE_COUNT};

use crate::sheet::{read_csv, to_units, CsvFile};
use crate::{BuildError, Source, StateColumn};

const SAINC1: &str = "bea-regional/SAINC1__ALL_AREAS_1929_2024.csv";
const SAGDP1: &str = "bea-regional/SAGDP1__ALL_AREAS_1997_2024.csv";
const SAGDP2: &str = "bea-regional/SAGDP2__ALL_AREAS_1997_2024.csv";
const SASUMMARY: &str = "bea-regional/SASUMMARY__ALL_AREAS_1998_2024.csv";

const MILLIONS: f64 = 1e6;

/// One BEA line for the year: the 51 areas and the United States row, in
/// millions of dollars as published.
struct Line {
    states: [f64; STATE_COUNT],
    us: f64,
}

/// A BEA bulk CSV with the columns this module needs located.
struct BeaFile {
    rel: &'static str,
    file: CsvFile,
    fips: usize,
    table: usize,
    line: usize,
    desc: usize,
    unit: usize,
    year: usize,
}

impl BeaFile {
    /// Opens a BEA file to read the column of calendar year `year`.
    fn open(raw: &Path, rel: &'static str, year: u16) -> Result<BeaFile, BuildError> {
        // Flexible: the last lines are one-field notes.
        let file = read_csv(&raw.join(rel), true)?;
        Ok(BeaFile {
            rel,
            fips: file.column("GeoFIPS")?,
            table: file.column("TableName")?,
            line: file.column("LineCode")?,
            desc: file.column("Description")?,
            unit: file.column("Unit")?,
            year: file.column(&year.to_string())?,
            file,
        })
    }

    /// The "Last updated: ..." footer, e.g. for the vintage check.
    fn vintage(&self) -> Option<&str> {
        self.file
            .records
            .iter()
            .filter_map(|(_, r)| r.get(0))
            .find(|f| f.trim_start().starts_with("Last updated"))
    }

    /// Reads line `code` of table `table`, checking that its description
    /// contains every word in `words` and that it is in millions of dollars.
    /// With `need_states`, every one of the 51 areas must appear exactly once.
    fn line(
        &self,
        table: &str,
        code: u32,
        words: &[&str],
        need_states: bool,
    ) -> Result<Line, BuildError> {
        let f = &self.file;
        let mut states = [None::<f64>; STATE_COUNT];
        let mut us = None;
        for (ln, rec) in &f.records {
            if rec.len() <= self.year || rec.get(self.table).map(str::trim) != Some(table) {
                continue;
            }
            if rec.get(self.line).map(str::trim) != Some(code.to_string().as_str()) {
                continue;
            }
            let desc = rec.get(self.desc).unwrap_or("");
            if let Some(w) = words.iter().find(|w| !desc.contains(*w)) {
                return Err(BuildError::Check(format!(
                    "{}:{ln}: {table} line {code} description {desc:?} lacks {w:?}",
                    self.rel
                )));
            }
            let unit = rec.get(self.unit).unwrap_or("");
            if !unit.starts_with("Millions of") || unit.contains("chained") {
                return Err(BuildError::Check(format!(
                    "{}:{ln}: {table} line {code} unit {unit:?} is not millions of current dollars",
                    self.rel
                )));
            }
            let raw_fips = rec.get(self.fips).unwrap_or("");
            let geo = raw_fips.trim().trim_matches('"').trim();
            let bad = |message: &str| BuildError::Parse {
                path: f.path.clone(),
                location: ln.to_string(),
                field: "GeoFIPS".into(),
                value: raw_fips.to_string(),
                message: message.into(),
            };
            if geo.len() != 5 || !geo.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("expected a five-digit code"));
            }
            if geo == "00000" {
                if us.replace(f.number(*ln, rec, self.year)?).is_some() {
                    return Err(BuildError::Check(format!(
                        "{}: {table} line {code}: duplicated United States row",
                        self.rel
                    )));
                }
                continue;
            }
            // BEA regions (91000–98000) and anything not at state level.
            if geo.starts_with('9') || !geo.ends_with("000") {
                continue;
            }
            let state = State::parse(&geo[..2]).map_err(|e| bad(&e.to_string()))?;
            let slot = &mut states[state.index()];
            if slot.replace(f.number(*ln, rec, self.year)?).is_some() {
                return Err(BuildError::Check(format!(
                    "{}: {table} line {code}: duplicated row for {state}",
                    self.rel
                )));
            }
        }
        let us = us.ok_or_else(|| BuildError::Missing {
            path: f.path.clone(),
            what: format!("{table} line {code}, United States row"),
        })?;
        let missing: Vec<&str> = State::ALL
            .iter()
            .filter(|s| states[s.index()].is_none())
            .map(|s| s.postal())
            .collect();
        if need_states && !missing.is_empty() {
            return Err(BuildError::Missing {
                path: f.path.clone(),
                what: format!("{table} line {code} for {}", missing.join(", ")),
            });
        }
        Ok(Line {
            states: states.map(|v| v.unwrap_or(0.0)),
            us,
        })
    }
}

impl Line {
    fn sum(&self) -> f64 {
        self.states.iter().sum()
    }

    fn dollars(&self) -> [i64; STATE_COUNT] {
        self.states.map(|v| to_units(v, MILLIONS))
    }
}

/// Checks |US − overseas − Σ51| ≤ tolerance (all in millions).
fn check_adds_up(what: &str, line: &Line, overseas: f64, tolerance: f64) -> Result<(), BuildError> {
    let gap = line.us - overseas - line.sum();
    if gap.abs() > tolerance {
        return Err(BuildError::Check(format!(
            "{what}: United States {} − overseas {overseas} − sum of 51 areas {} = {gap} million \
             (tolerance {tolerance})",
            line.us,
            line.sum()
        )));
    }
    Ok(())
}

fn source(table: &str, file: &'static str, year: u16) -> Source {
    Source {
        publisher: "U.S. Bureau of Economic Analysis, Regional Economic Accounts",
        table: table.to_string(),
        year: format!("CY{year}"),
        units: "millions of current dollars",
        files: vec![file],
    }
}

/// Per-state columns from the BEA regional accounts, in dollars: personal
/// income, GDP and federal civilian and military value added of calendar
/// year `year`, PCE of calendar year `pce_year`.
///
/// Checks: personal income adds up to the US row; GDP (SAGDP1, September
/// 2025 vintage) and federal civilian / military value added add up to the US
/// row less the overseas activity lines of SAGDP2 (100, 102, 103); PCE of the
/// 51 areas is at most the US row and within 0.2% of it.
pub fn state_columns(raw: &Path, year: u16, pce_year: u16) -> Result<Vec<StateColumn>, BuildError> {
    // 51 values rounded to 0.1 million each: the sum may drift by ≤ 2.55.
    const ROUNDING: f64 = 3.0;

    let inc = BeaFile::open(raw, SAINC1, year)?;
    let pi = inc.line("SAINC1", 1, &["Personal income"], true)?;
    check_adds_up(
        &format!("SAINC1 line 1 personal income {year}"),
        &pi,
        0.0,
        ROUNDING,
    )?;

    let gdp1 = BeaFile::open(raw, SAGDP1, year)?;
    let vintage = gdp1.vintage().unwrap_or("");
    if !vintage.contains("September 26, 2025") {
        return Err(BuildError::Check(format!(
            "{SAGDP1}: expected the September 26, 2025 vintage, found {vintage:?}"
        )));
    }
    let gdp = gdp1.line("SAGDP1", 3, &["Current-dollar GDP"], true)?;

    let gdp2 = BeaFile::open(raw, SAGDP2, year)?;
    let civ = gdp2.line("SAGDP2", 84, &["Federal civilian"], true)?;
    let mil = gdp2.line("SAGDP2", 85, &["Military"], true)?;
    let all_overseas = gdp2.line("SAGDP2", 100, &["All industry total", "overseas"], false)?;
    let civ_overseas = gdp2.line("SAGDP2", 102, &["Federal civilian", "overseas"], false)?;
    let mil_overseas = gdp2.line("SAGDP2", 103, &["Military", "overseas"], false)?;
    // The US GDP total is not exactly additive (2019–2024: up to 5 million off).
    check_adds_up(
        &format!("SAGDP1 line 3 GDP {year}"),
        &gdp,
        all_overseas.us,
        10.0,
    )?;
    check_adds_up(
        &format!("SAGDP2 line 84 federal civilian {year}"),
        &civ,
        civ_overseas.us,
        ROUNDING,
    )?;
    check_adds_up(
        &format!("SAGDP2 line 85 military {year}"),
        &mil,
        mil_overseas.us,
        ROUNDING,
    )?;

    let summary = BeaFile::open(raw, SASUMMARY, pce_year)?;
    let pce = summary.line("SASUMMARY", 7, &["Personal consumption expenditures"], true)?;
    let pce_gap = pce.us - pce.sum();
    if !(0.0..=0.002 * pce.us).contains(&pce_gap) {
        return Err(BuildError::Check(format!(
            "SASUMMARY line 7 PCE {pce_year}: United States {} vs sum of 51 areas {}",
            pce.us,
            pce.sum()
        )));
    }

    Ok(vec![
        StateColumn {
            name: "personal_income_usd",
            source: source(
                "SAINC1 line 1 Personal income (vintage March 28, 2025)",
                SAINC1,
                year,
            ),
            values: pi.dollars(),
        },
        StateColumn {
            name: "gdp_usd",
            source: source(
                "SAGDP1 line 3 Current-dollar GDP (vintage September 26, 2025)",
                SAGDP1,
                year,
            ),
            values: gdp.dollars(),
        },
        StateColumn {
            name: "pce_usd",
            source: source(
                "SASUMMARY line 7 Personal consumption expenditures (vintage March 28, 2025)",
                SASUMMARY,
                pce_year,
            ),
            values: pce.dollars(),
        },
        StateColumn {
            name: "federal_civilian_gdp_usd",
            source: source(
                "SAGDP2 line 84 Federal civilian (GDP by industry, vintage September 26, 2025)",
                SAGDP2,
                year,
            ),
            values: civ.dollars(),
        },
        StateColumn {
            name: "military_gdp_usd",
            source: source(
                "SAGDP2 line 85 Military (GDP by industry, vintage September 26, 2025)",
                SAGDP2,
                year,
            ),
            values: mil.dollars(),
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column<'a>(cols: &'a [StateColumn], name: &str) -> &'a StateColumn {
        cols.iter().find(|c| c.name == name).expect(name)
    }

    #[test]
    fn bea_columns_match_published_totals() {
        let Some(raw) = crate::raw_root_for_test("bea_columns_match_published_totals") else {
            return;
        };
        let cols = state_columns(&raw, 2022, 2022).unwrap();
        for c in &cols {
            println!("{:28} {:>20}", c.name, c.total());
            assert!(c.values.iter().all(|&v| v > 0), "{}", c.name);
        }
        let federal = column(&cols, "federal_civilian_gdp_usd").total()
            + column(&cols, "military_gdp_usd").total();
        // METHODOLOGY §2: $797,923M (rounded); exactly 556,548.1 + 241,374.8 million.
        assert_eq!(federal, 797_922_900_000);
        assert_eq!((federal as f64 / 1e6).round(), 797_923.0);

        // Personal income: US $22,077B, additive.
        let pi = column(&cols, "personal_income_usd").total();
        assert_eq!(pi, 22_077_232_100_000);

        // GDP: US row $26,054.6B = Σ51 + overseas activity $147.6B (within 3.3M).
        let gdp = column(&cols, "gdp_usd").total();
        assert_eq!(gdp, 25_907_032_300_000);
        let f = BeaFile::open(&raw, SAGDP1, 2022).unwrap();
        let us = f.line("SAGDP1", 3, &["GDP"], true).unwrap().us;
        assert_eq!((us / 100.0).round(), 260_546.0);
        let gap = us * 1e6 - gdp as f64 - 147_585e6;
        assert!(gap.abs() < 10e6, "{gap}");

        // CA is the largest economy.
        assert!(column(&cols, "gdp_usd").get(State::Ca) > column(&cols, "gdp_usd").get(State::Tx));
    }

    #[test]
    fn bea_columns_of_every_year_match_published_totals() {
        let Some(raw) =
            crate::raw_root_for_test("bea_columns_of_every_year_match_published_totals")
        else {
            return;
        };
        // years-data.md §2.4, Σ51 in $0.1M: (CY, personal income, GDP,
        // federal civilian, military); PCE by its own year.
        let expected = [
            (2019, 183_495_841, 214_140_185, 4_795_746, 2_118_430),
            (2022, 220_772_321, 259_070_323, 5_565_481, 2_413_748),
            (2023, 233_802_694, 276_583_150, 5_928_721, 2_537_109),
            (2024, 246_326_795, 291_377_910, 6_354_639, 2_691_757),
        ];
        let tenths = |c: &StateColumn| {
            assert_eq!(c.total() % 100_000, 0, "{}", c.name);
            c.total() / 100_000
        };
        for (year, pi, gdp, civ, mil) in expected {
            let pce_year = year.min(2023);
            let cols = state_columns(&raw, year, pce_year).unwrap();
            assert_eq!(tenths(column(&cols, "personal_income_usd")), pi, "{year}");
            assert_eq!(tenths(column(&cols, "gdp_usd")), gdp, "{year}");
            assert_eq!(
                tenths(column(&cols, "federal_civilian_gdp_usd")),
                civ,
                "{year}"
            );
            assert_eq!(tenths(column(&cols, "military_gdp_usd")), mil, "{year}");
            let pce = column(&cols, "pce_usd");
            assert_eq!(pce.source.year, format!("CY{pce_year}"));
            assert_eq!(
                tenths(pce),
                match pce_year {
                    2019 => 144_260_922,
                    2022 => 176_793_962,
                    _ => 188_108_677,
                }
            );
        }
        // 2024 PCE is "(NA)": reading it fails.
        assert!(state_columns(&raw, 2024, 2024).is_err());
    }
}
