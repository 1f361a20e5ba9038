//! State land borders (50 states + DC), for bloc contiguity.

use std::path::Path;

use fedsplit_core::State;

use crate::sheet::read_csv;
use crate::{BuildError, Source};

const ADJACENCY_FILE: &str = "state-adjacency/state_adjacency_derived.csv";

/// Number of land-border pairs among the 51 areas (shared us-atlas arcs).
pub const LAND_BORDER_COUNT: usize = 107;

/// The undirected land-border pairs (`kind == "land"`), each ordered with
/// the lower FIPS code first, sorted. Four Corners point contacts, water
/// links and the artificial AK–WA / CA–HI links are left out.
///
/// Checks: no self or duplicated pair, 107 pairs, AK and HI have none.
pub fn land_borders(raw: &Path) -> Result<(Source, Vec<(State, State)>), BuildError> {
    let file = read_csv(&raw.join(ADJACENCY_FILE), false)?;
    let c_a = file.column("state_fips_a")?;
    let c_b = file.column("state_fips_b")?;
    let c_kind = file.column("kind")?;

    let mut pairs = Vec::new();
    for (line, rec) in &file.records {
        if rec.get(c_kind).map(str::trim) != Some("land") {
            continue;
        }
        let state = |col: usize| {
            let code = rec.get(col).unwrap_or("");
            State::parse(code).map_err(|e| BuildError::Parse {
                path: file.path.clone(),
                location: line.to_string(),
                field: file.header[col].clone(),
                value: code.to_string(),
                message: e.to_string(),
            })
        };
        let (a, b) = (state(c_a)?, state(c_b)?);
        if a == b {
            return Err(BuildError::Check(format!(
                "{ADJACENCY_FILE}:{line}: {a} borders itself"
            )));
        }
        pairs.push((a.min(b), a.max(b)));
    }
    pairs.sort();
    if let Some(w) = pairs.windows(2).find(|w| w[0] == w[1]) {
        return Err(BuildError::Check(format!(
            "{ADJACENCY_FILE}: duplicated land border {}–{}",
            w[0].0, w[0].1
        )));
    }
    if pairs.len() != LAND_BORDER_COUNT {
        return Err(BuildError::Check(format!(
            "{ADJACENCY_FILE}: {} land borders, expected {LAND_BORDER_COUNT}",
            pairs.len()
        )));
    }
    for s in [State::Ak, State::Hi] {
        if let Some(p) = pairs.iter().find(|p| p.0 == s || p.1 == s) {
            return Err(BuildError::Check(format!(
                "{ADJACENCY_FILE}: {s} should have no land border, found {}–{}",
                p.0, p.1
            )));
        }
    }

    let source = Source {
        publisher: "fedsplit, derived from us-atlas 3.0.1 (shared state arcs) \
                    and Census county adjacency 2024",
        table: "state_adjacency_derived.csv, rows with kind = land".into(),
        year: "2024".into(),
        units: "pairs of states",
        files: vec![ADJACENCY_FILE],
    };
    Ok((source, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn land_borders_are_107_and_exclude_ak_hi_and_four_corners() {
        let Some(raw) =
            crate::raw_root_for_test("land_borders_are_107_and_exclude_ak_hi_and_four_corners")
        else {
            return;
        };
        let (_, pairs) = land_borders(&raw).unwrap();
        assert_eq!(pairs.len(), 107);
        assert!(pairs.iter().all(|(a, b)| a < b));
        assert!(pairs.contains(&(State::Al, State::Fl)));
        assert!(!pairs.contains(&(State::Az, State::Co)));
        assert!(!pairs.contains(&(State::Ny, State::Ri)));
        let degree = |s: State| pairs.iter().filter(|p| p.0 == s || p.1 == s).count();
        assert_eq!(degree(State::Tn), 8);
        assert_eq!(degree(State::Mo), 8);
        assert_eq!(degree(State::Ak), 0);
        assert_eq!(degree(State::Hi), 0);
    }
}
