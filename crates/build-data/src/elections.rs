//! State presidential results for 2016, 2020 and 2024 (MEDSL).
//!
//! Votes are summed by candidate, not by `party_simplified`, so fusion lines
//! (New York's Working Families, Conservative, ...) count for the nominee.
//! Rows that are not votes for anyone (blank, over-, under-, void and
//! spoiled ballots) are dropped in every year; the total is the sum of the
//! remaining candidate rows, not the file's `totalvotes` column.

use std::collections::BTreeSet;
use std::path::Path;

use fedsplit_core::{State, STATE_COUNT};

use crate::sheet::{read_csv, to_units, CsvFile};
use crate::{BuildError, ElectionRow};

/// MEDSL 1976–2020 state returns, relative to the raw root.
pub const MEDSL_1976_2020_FILE: &str = "medsl-state-pres/1976-2020-president.csv";
/// MEDSL 2024 state returns, relative to the raw root.
pub const MEDSL_2024_FILE: &str = "medsl-state-pres/2024-president-state.csv";

/// Election years produced.
pub const YEARS: [u16; 3] = [2016, 2020, 2024];

/// Candidate rows that record ballots without a vote for anyone, as spelled
/// across the MEDSL files.
const NON_VOTES: [&str; 9] = [
    "UNDERVOTES",
    "UNDERVOTE",
    "OVERVOTES",
    "OVER VOTE",
    "BLANK VOTE",
    "BLANK VOTES",
    "VOID",
    "VOID VOTE",
    "SPOILED",
];

/// A major-party nominee: display name and the name tokens that identify
/// the candidate in every spelling ("TRUMP, DONALD J.", "BIDEN, JOSEPH R. JR").
struct Nominee {
    display: &'static str,
    surname: &'static str,
    given: &'static [&'static str],
}

const CLINTON: Nominee = Nominee {
    display: "Hillary Clinton",
    surname: "CLINTON",
    given: &["HILLARY"],
};
const TRUMP: Nominee = Nominee {
    display: "Donald Trump",
    surname: "TRUMP",
    given: &["DONALD"],
};
const BIDEN: Nominee = Nominee {
    display: "Joe Biden",
    surname: "BIDEN",
    given: &["JOSEPH", "JOE"],
};
const HARRIS: Nominee = Nominee {
    display: "Kamala Harris",
    surname: "HARRIS",
    given: &["KAMALA"],
};

impl Nominee {
    fn matches(&self, candidate: &str) -> bool {
        let tokens: Vec<String> = candidate
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(|t| t.to_uppercase())
            .collect();
        tokens.iter().any(|t| t == self.surname)
            && tokens.iter().any(|t| self.given.contains(&t.as_str()))
    }
}

/// (year, Democratic nominee, Republican nominee, published national
/// Democratic votes, published national Republican votes). 2020 and 2024
/// from METHODOLOGY §8; 2016 from medsl-state-pres/PROVENANCE.md.
const CONTESTS: [(u16, Nominee, Nominee, i64, i64); 3] = [
    (2016, CLINTON, TRUMP, 65_853_581, 62_985_062),
    (2020, BIDEN, TRUMP, 81_268_908, 74_216_146),
    (2024, HARRIS, TRUMP, 75_017_613, 77_302_580),
];

/// One candidate row after filtering.
struct VoteRow<'a> {
    state: State,
    candidate: &'a str,
    votes: i64,
}

/// State results for 2016, 2020 and 2024, sorted by (year, `State::ALL` order).
/// Fails with `BuildError::Check` when the national nominee totals differ
/// from the published figures.
pub fn state_results(raw: &Path) -> Result<Vec<ElectionRow>, BuildError> {
    let old = read_csv(&raw.join(MEDSL_1976_2020_FILE), false)?;
    let new = read_csv(&raw.join(MEDSL_2024_FILE), false)?;
    let mut out = Vec::new();
    for (year, dem, rep, dem_national, rep_national) in &CONTESTS {
        let rows = if *year == 2024 {
            rows_2024(&new)?
        } else {
            rows_1976_2020(&old, *year)?
        };
        let file = if *year == 2024 { &new } else { &old };
        let results = tally(file, *year, &rows, dem, rep)?;
        let dem_sum: i64 = results.iter().map(|r| r.dem_votes).sum();
        let rep_sum: i64 = results.iter().map(|r| r.rep_votes).sum();
        if dem_sum != *dem_national || rep_sum != *rep_national {
            return Err(BuildError::Check(format!(
                "{year}: national votes {} {dem_sum} / {} {rep_sum} differ from published {dem_national} / {rep_national}",
                dem.display, rep.display
            )));
        }
        out.extend(results);
    }
    Ok(out)
}

fn parse_state(file: &CsvFile, line: u64, field: &str, text: &str) -> Result<State, BuildError> {
    State::parse(text).map_err(|e| BuildError::Parse {
        path: file.path.clone(),
        location: line.to_string(),
        field: field.into(),
        value: text.to_string(),
        message: e.to_string(),
    })
}

fn check_office(file: &CsvFile, line: u64, office: &str) -> Result<(), BuildError> {
    if office == "US PRESIDENT" {
        Ok(())
    } else {
        Err(BuildError::Parse {
            path: file.path.clone(),
            location: line.to_string(),
            field: "office".into(),
            value: office.to_string(),
            message: "expected US PRESIDENT".into(),
        })
    }
}

fn is_non_vote(candidate: &str) -> bool {
    let c = candidate.trim().to_uppercase();
    NON_VOTES.contains(&c.as_str())
}

fn rows_1976_2020(file: &CsvFile, year: u16) -> Result<Vec<VoteRow<'_>>, BuildError> {
    let year_col = file.column("year")?;
    let state_col = file.column("state_po")?;
    let office_col = file.column("office")?;
    let cand_col = file.column("candidate")?;
    let votes_col = file.column("candidatevotes")?;
    let year_text = year.to_string();
    let mut rows = Vec::new();
    for (line, rec) in &file.records {
        if rec.get(year_col) != Some(year_text.as_str()) {
            continue;
        }
        check_office(file, *line, rec.get(office_col).unwrap_or(""))?;
        let candidate = rec.get(cand_col).unwrap_or("");
        if is_non_vote(candidate) {
            continue;
        }
        rows.push(VoteRow {
            state: parse_state(file, *line, "state_po", rec.get(state_col).unwrap_or(""))?,
            candidate,
            votes: to_units(file.number(*line, rec, votes_col)?, 1.0),
        });
    }
    Ok(rows)
}

/// 2024 rows: per state, the `TOTAL` mode rows when the state reports a
/// TOTAL, else the rows of its single mode (Arizona reports only "NA").
fn rows_2024(file: &CsvFile) -> Result<Vec<VoteRow<'_>>, BuildError> {
    let year_col = file.column("year")?;
    let state_col = file.column("state_po")?;
    let office_col = file.column("office")?;
    let cand_col = file.column("candidate")?;
    let mode_col = file.column("mode")?;
    let votes_col = file.column("votes")?;

    let mut modes: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); STATE_COUNT];
    let mut parsed = Vec::new();
    for (line, rec) in &file.records {
        let year = rec.get(year_col).unwrap_or("");
        if year != "2024" {
            return Err(BuildError::Parse {
                path: file.path.clone(),
                location: line.to_string(),
                field: "year".into(),
                value: year.to_string(),
                message: "expected 2024".into(),
            });
        }
        check_office(file, *line, rec.get(office_col).unwrap_or(""))?;
        let state = parse_state(file, *line, "state_po", rec.get(state_col).unwrap_or(""))?;
        let mode = rec.get(mode_col).unwrap_or("");
        modes[state.index()].insert(mode);
        parsed.push((*line, rec, state, mode));
    }
    for state in State::ALL {
        let m = &modes[state.index()];
        if m.len() > 1 && !m.contains("TOTAL") {
            return Err(BuildError::Check(format!(
                "{}: {} reports modes {m:?} and no TOTAL",
                file.path.display(),
                state.name()
            )));
        }
    }
    let mut rows = Vec::new();
    for (line, rec, state, mode) in parsed {
        let m = &modes[state.index()];
        if m.len() > 1 && mode != "TOTAL" {
            continue;
        }
        let candidate = rec.get(cand_col).unwrap_or("");
        if is_non_vote(candidate) {
            continue;
        }
        rows.push(VoteRow {
            state,
            candidate,
            votes: to_units(file.number(line, rec, votes_col)?, 1.0),
        });
    }
    Ok(rows)
}

fn tally(
    file: &CsvFile,
    year: u16,
    rows: &[VoteRow<'_>],
    dem: &Nominee,
    rep: &Nominee,
) -> Result<Vec<ElectionRow>, BuildError> {
    let mut dem_votes = [0i64; STATE_COUNT];
    let mut rep_votes = [0i64; STATE_COUNT];
    let mut total = [0i64; STATE_COUNT];
    let mut n_rows = [0usize; STATE_COUNT];
    for r in rows {
        let i = r.state.index();
        let is_dem = dem.matches(r.candidate);
        let is_rep = rep.matches(r.candidate);
        if is_dem && is_rep {
            return Err(BuildError::Check(format!(
                "{}: {year} {}: candidate {:?} matches both nominees",
                file.path.display(),
                r.state,
                r.candidate
            )));
        }
        if is_dem {
            dem_votes[i] += r.votes;
        }
        if is_rep {
            rep_votes[i] += r.votes;
        }
        total[i] += r.votes;
        n_rows[i] += 1;
    }
    let mut out = Vec::with_capacity(STATE_COUNT);
    for state in State::ALL {
        let i = state.index();
        if n_rows[i] == 0 {
            return Err(BuildError::Missing {
                path: file.path.clone(),
                what: format!("{year} results for {}", state.name()),
            });
        }
        if dem_votes[i] <= 0 || rep_votes[i] <= 0 {
            return Err(BuildError::Check(format!(
                "{}: {year} {}: no votes found for {} or {}",
                file.path.display(),
                state.name(),
                dem.display,
                rep.display
            )));
        }
        out.push(ElectionRow {
            year,
            state,
            dem_candidate: dem.display.to_string(),
            rep_candidate: rep.display.to_string(),
            dem_votes: dem_votes[i],
            rep_votes: rep_votes[i],
            other_votes: total[i] - dem_votes[i] - rep_votes[i],
            total_votes: total[i],
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nominee_matching() {
        assert!(TRUMP.matches("TRUMP, DONALD J."));
        assert!(BIDEN.matches("BIDEN, JOSEPH R. JR"));
        assert!(CLINTON.matches("CLINTON, HILLARY"));
        assert!(HARRIS.matches("HARRIS, KAMALA D."));
        assert!(HARRIS.matches("Kamala Harris"));
        assert!(!HARRIS.matches("SHARON E HARRIS"));
    }

    #[test]
    fn state_results_match_national_totals() {
        let Some(raw) = crate::raw_root_for_test("state_results_match_national_totals") else {
            return;
        };
        let rows = state_results(&raw).unwrap();
        assert_eq!(rows.len(), 3 * 51);
        let mut sorted = rows.clone();
        sorted.sort_by_key(|r| (r.year, r.state));
        assert_eq!(rows, sorted);

        let national = |year: u16| {
            let it = rows.iter().filter(move |r| r.year == year);
            (
                it.clone().map(|r| r.dem_votes).sum::<i64>(),
                it.clone().map(|r| r.rep_votes).sum::<i64>(),
                it.clone().map(|r| r.other_votes).sum::<i64>(),
                it.map(|r| r.total_votes).sum::<i64>(),
            )
        };
        for year in YEARS {
            println!("{year}: {:?}", national(year));
        }
        assert_eq!(national(2016).0, 65_853_581);
        assert_eq!(national(2016).1, 62_985_062);
        assert_eq!(national(2020).0, 81_268_908);
        assert_eq!(national(2020).1, 74_216_146);
        assert_eq!(national(2024).0, 75_017_613);
        assert_eq!(national(2024).1, 77_302_580);
        // Non-vote rows (blank/over/under/void/spoiled) excluded in every year:
        // PROVENANCE's 2016 136,787,187 and 2020 158,528,503 include them;
        // its 2024 155,193,090 excludes them and also Nevada's 19,625
        // "NONE OF THESE CANDIDATES", which is a ballot choice and counts here
        // (as Nevada's 2016 "NONE OF THE ABOVE" does in both).
        assert_eq!(national(2016).3, 136_787_187 - 176_744);
        assert_eq!(national(2020).3, 158_528_503 - 122_208);
        assert_eq!(national(2024).3, 155_193_090 + 19_625);

        for r in &rows {
            assert!(r.other_votes >= 0, "{} {}", r.year, r.state);
            assert_eq!(r.total_votes, r.dem_votes + r.rep_votes + r.other_votes);
        }
        let ny2016 = rows
            .iter()
            .find(|r| r.year == 2016 && r.state == State::Ny)
            .unwrap();
        // Fusion lines: Democratic + Working Families + Women's Equality.
        assert_eq!(ny2016.dem_votes, 4_379_789 + 140_041 + 36_294);
        assert_eq!(ny2016.rep_votes, 2_527_142 + 292_392);
        let az2024 = rows
            .iter()
            .find(|r| r.year == 2024 && r.state == State::Az)
            .unwrap();
        assert_eq!((az2024.dem_votes, az2024.rep_votes), (1_582_860, 1_770_242));
        assert_eq!(rows[0].dem_candidate, "Hillary Clinton");
        assert_eq!(rows[51].dem_candidate, "Joe Biden");
        assert_eq!(rows[102].dem_candidate, "Kamala Harris");
        assert_eq!(rows[102].rep_candidate, "Donald Trump");
    }
}
