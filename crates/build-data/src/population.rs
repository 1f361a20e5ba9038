//! Resident population, July 1 of the calendar year in which the fiscal year
//! ends: Census Bureau estimates, one vintage per fiscal year (V2019 for
//! FY2019, V2023 for FY2022, V2024 for FY2023 and FY2024; METHODOLOGY §9).

use std::path::Path;

use fedsplit_core::{State, STATE_COUNT};

use crate::sheet::{read_csv, to_units};
use crate::years::PopulationSpec;
use crate::{BuildError, Source, StateColumn};

/// Published 51-area total of POPESTIMATE2022, vintage 2023 (METHODOLOGY §3).
pub const US_POPULATION_2022: i64 = 333_271_411;

/// Puerto Rico's FIPS code: the V2019 state file has a row for it (not part
/// of the US row).
const PUERTO_RICO: &str = "72";

/// July 1 resident population of each state and DC (persons), from the state
/// rows (SUMLEV 040) of a Census estimates file, column
/// `POPESTIMATE{spec.year}`.
///
/// Checks that the 51 areas sum to the published total `spec.total`; that
/// the county rows (SUMLEV 050) of each state sum to its state row, where
/// the file has counties; and that the US row (SUMLEV 010), where there is
/// one, equals the 51 areas.
pub fn population(raw: &Path, spec: &PopulationSpec) -> Result<StateColumn, BuildError> {
    let file = read_csv(&raw.join(spec.file), false)?;
    let c_sumlev = file.column("SUMLEV")?;
    let c_state = file.column("STATE")?;
    let column = format!("POPESTIMATE{}", spec.year);
    let c_pop = file.column(&column)?;

    let mut states = [None::<i64>; STATE_COUNT];
    let mut counties = [0i64; STATE_COUNT];
    let mut county_rows = 0usize;
    let mut us = None::<i64>;
    for (line, rec) in &file.records {
        // Codes are zero-padded in some copies ("040", "01") and not in
        // others ("40", "1"); compare numbers.
        let sumlev = file.number(*line, rec, c_sumlev)?;
        let pop = || file.number(*line, rec, c_pop).map(|v| to_units(v, 1.0));
        if sumlev == 10.0 {
            if us.replace(pop()?).is_some() {
                return Err(BuildError::Check(format!(
                    "{}: duplicated US row (SUMLEV 010)",
                    spec.file
                )));
            }
            continue;
        }
        if sumlev != 40.0 && sumlev != 50.0 {
            continue;
        }
        let code = format!("{:0>2}", rec.get(c_state).unwrap_or("").trim());
        if code == PUERTO_RICO {
            continue;
        }
        let state = State::parse(&code).map_err(|e| BuildError::Parse {
            path: file.path.clone(),
            location: line.to_string(),
            field: "STATE".into(),
            value: code.clone(),
            message: e.to_string(),
        })?;
        let pop = pop()?;
        if sumlev == 50.0 {
            counties[state.index()] += pop;
            county_rows += 1;
        } else if states[state.index()].replace(pop).is_some() {
            return Err(BuildError::Check(format!(
                "{}: duplicated state row for {state}",
                spec.file
            )));
        }
    }
    if spec.county_rows != (county_rows > 0) {
        return Err(BuildError::Check(format!(
            "{}: {county_rows} county rows, expected {}",
            spec.file,
            if spec.county_rows { "some" } else { "none" }
        )));
    }

    let mut values = [0i64; STATE_COUNT];
    for s in State::ALL {
        let v = states[s.index()].ok_or_else(|| BuildError::Missing {
            path: file.path.clone(),
            what: format!("state row (SUMLEV 040) for {s}"),
        })?;
        if spec.county_rows && counties[s.index()] != v {
            return Err(BuildError::Check(format!(
                "{}: {s} counties sum to {} but the state row has {v}",
                spec.file,
                counties[s.index()]
            )));
        }
        values[s.index()] = v;
    }
    let total: i64 = values.iter().sum();
    if total != spec.total {
        return Err(BuildError::Check(format!(
            "{}: {column} of the 51 areas sums to {total}, expected {}",
            spec.file, spec.total
        )));
    }
    if let Some(us) = us.filter(|&us| us != total) {
        return Err(BuildError::Check(format!(
            "{}: {column} US row {us} differs from the 51 areas {total}",
            spec.file
        )));
    }

    Ok(StateColumn {
        name: "population",
        source: Source {
            publisher: "U.S. Census Bureau, Population Estimates Program",
            table: format!(
                "{}, state rows (SUMLEV 040), {column} (July 1 resident population, vintage {})",
                spec.name, spec.vintage
            ),
            year: format!("CY{}", spec.year),
            units: "persons",
            files: vec![spec.file],
        },
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `"2022": { "AK": 733583, ... }` block of the PSL JSON, parsed by hand
    /// (this crate has no JSON dependency).
    fn psl_2022(text: &str) -> Vec<(String, i64)> {
        // The last "2022" is the data block's key (the first is in "_notes").
        let start = text.rfind("\"2022\"").expect("2022 key");
        let body = &text[start..];
        let body = &body[body.find('{').unwrap() + 1..];
        let body = &body[..body.find('}').unwrap()];
        body.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once(':').expect("key: value");
                (
                    k.trim().trim_matches('"').to_string(),
                    v.trim().parse::<i64>().expect("integer"),
                )
            })
            .collect()
    }

    #[test]
    fn population_matches_published_total_and_psl_extract() {
        let Some(raw) =
            crate::raw_root_for_test("population_matches_published_total_and_psl_extract")
        else {
            return;
        };
        let pop = population(&raw, &crate::years::spec(2022).unwrap().population).unwrap();
        assert_eq!(pop.total(), US_POPULATION_2022);
        assert_eq!(pop.get(State::Al), 5_073_903);

        let text = std::fs::read_to_string(
            raw.join("census-pop-pep/state_populations_2021_2022_psl.json"),
        )
        .unwrap();
        let psl = psl_2022(&text);
        // The extract also holds "US" (the 51-area total) and "PR".
        assert_eq!(psl.len(), 53);
        let mut differences = Vec::new();
        let mut seen = 0;
        for (code, v) in &psl {
            match code.as_str() {
                "US" => assert_eq!(*v, 333_271_411),
                "PR" => {}
                _ => {
                    let s = State::parse(code).unwrap();
                    seen += 1;
                    if pop.get(s) != *v {
                        differences.push(format!("{s}: popest {} vs PSL {v}", pop.get(s)));
                    }
                }
            }
        }
        assert_eq!(seen, 51);
        println!("PSL 2022 differences: {differences:?}");
        assert!(differences.is_empty(), "{differences:?}");
    }

    #[test]
    fn population_of_every_year_matches_published_totals() {
        let Some(raw) =
            crate::raw_root_for_test("population_of_every_year_matches_published_totals")
        else {
            return;
        };
        // years-data.md §2.3: (fiscal year, Σ51, AL, CA, AK).
        let expected = [
            (2019, 328_239_523, 4_903_185, 39_512_223, 731_545),
            (2022, 333_271_411, 5_073_903, 39_040_616, 733_276),
            (2023, 336_806_231, 5_117_673, 39_198_693, 736_510),
            (2024, 340_110_988, 5_157_699, 39_431_263, 740_133),
        ];
        for (fy, total, al, ca, ak) in expected {
            let spec = crate::years::spec(fy).unwrap();
            let pop = population(&raw, &spec.population).unwrap();
            assert_eq!(pop.total(), total, "FY{fy}");
            assert_eq!(
                (pop.get(State::Al), pop.get(State::Ca), pop.get(State::Ak)),
                (al, ca, ak),
                "FY{fy}"
            );
            assert_eq!(pop.source.year, format!("CY{fy}"));
        }
    }
}
