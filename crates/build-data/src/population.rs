//! Resident population, July 1 2022: Census Bureau vintage-2023 estimates.

use std::path::Path;

use fedsplit_core::{State, STATE_COUNT};

use crate::sheet::{read_csv, to_units};
use crate::{BuildError, Source, StateColumn};

const POPEST_FILE: &str = "census-popest/co-est2023-alldata.csv";

/// Published 51-area total of POPESTIMATE2022, vintage 2023 (METHODOLOGY §3).
pub const US_POPULATION_2022: i64 = 333_271_411;

/// July 1 2022 resident population of each state and DC (persons), from the
/// state rows (SUMLEV 40) of `co-est2023-alldata.csv`, POPESTIMATE2022.
///
/// Checks that the county rows of each state sum to its state row and that
/// the 51 areas sum to 333,271,411.
pub fn population_2022(raw: &Path) -> Result<StateColumn, BuildError> {
    let file = read_csv(&raw.join(POPEST_FILE), false)?;
    let c_sumlev = file.column("SUMLEV")?;
    let c_state = file.column("STATE")?;
    let c_pop = file.column("POPESTIMATE2022")?;

    let mut states = [None::<i64>; STATE_COUNT];
    let mut counties = [0i64; STATE_COUNT];
    for (line, rec) in &file.records {
        // Leading zeros were dropped in this copy ("40", "1"); compare numbers.
        let sumlev = file.number(*line, rec, c_sumlev)?;
        if sumlev != 40.0 && sumlev != 50.0 {
            continue;
        }
        let code = rec.get(c_state).unwrap_or("");
        let state =
            State::parse(&format!("{:0>2}", code.trim())).map_err(|e| BuildError::Parse {
                path: file.path.clone(),
                location: line.to_string(),
                field: "STATE".into(),
                value: code.to_string(),
                message: e.to_string(),
            })?;
        let pop = to_units(file.number(*line, rec, c_pop)?, 1.0);
        if sumlev == 50.0 {
            counties[state.index()] += pop;
        } else if states[state.index()].replace(pop).is_some() {
            return Err(BuildError::Check(format!(
                "{POPEST_FILE}: duplicated state row for {state}"
            )));
        }
    }

    let mut values = [0i64; STATE_COUNT];
    for s in State::ALL {
        let v = states[s.index()].ok_or_else(|| BuildError::Missing {
            path: file.path.clone(),
            what: format!("state row (SUMLEV 40) for {s}"),
        })?;
        if counties[s.index()] != v {
            return Err(BuildError::Check(format!(
                "{POPEST_FILE}: {s} counties sum to {} but the state row has {v}",
                counties[s.index()]
            )));
        }
        values[s.index()] = v;
    }
    let total: i64 = values.iter().sum();
    if total != US_POPULATION_2022 {
        return Err(BuildError::Check(format!(
            "{POPEST_FILE}: POPESTIMATE2022 of the 51 areas sums to {total}, \
             expected {US_POPULATION_2022}"
        )));
    }

    Ok(StateColumn {
        name: "population",
        source: Source {
            publisher: "U.S. Census Bureau, Population Estimates Program",
            table: "co-est2023-alldata, state rows (SUMLEV 040), POPESTIMATE2022 \
                    (July 1 resident population, vintage 2023)",
            year: "CY2022",
            units: "persons",
            files: vec![POPEST_FILE],
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
        let pop = population_2022(&raw).unwrap();
        assert_eq!(pop.total(), 333_271_411);
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
}
