//! `fedsplit blocs`: blocs of states by presidential winner (optionally with
//! a swing bloc): population, GDP, votes, stranded voters and contiguity, by
//! bloc or by state.

use fedsplit_data::{Dataset, Party};
use fedsplit_scenario::blocs::{self, BlocStats};
use serde::Serialize;

use crate::{postal_codes, Meta, ReportError};

/// One row per bloc, or one row per state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Bloc,
    State,
}

pub fn party_name(p: Option<Party>) -> &'static str {
    match p {
        Some(Party::Democratic) => "Democratic",
        Some(Party::Republican) => "Republican",
        None => "tie",
    }
}

/// `part` as a percentage of `whole` (0 when `whole` is 0).
pub fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Election {
    pub year: u16,
    pub dem_candidate: String,
    pub rep_candidate: String,
    pub swing_margin_pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlocRow {
    pub bloc: String,
    pub states: Vec<&'static str>,
    pub population: f64,
    pub gdp_usd: f64,
    pub dem_votes: u64,
    pub rep_votes: u64,
    pub other_votes: u64,
    pub total_votes: u64,
    pub winner: Option<&'static str>,
    pub stranded_voters: u64,
    pub stranded_pct: f64,
    pub state_stranded_voters: u64,
    pub state_stranded_pct: f64,
    pub contiguous: bool,
    pub components: Vec<Vec<&'static str>>,
    pub exclaves: Vec<&'static str>,
    /// For the table: the exclaves' names.
    #[serde(skip)]
    pub exclave_names: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StateRow {
    pub state: &'static str,
    pub name: &'static str,
    pub bloc: String,
    pub winner: &'static str,
    pub dem_votes: u64,
    pub rep_votes: u64,
    pub other_votes: u64,
    pub total_votes: u64,
    pub margin_pct: f64,
    pub voters_against_winner: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlocsReport {
    pub meta: Meta,
    pub election: Election,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocs: Option<Vec<BlocRow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub states: Option<Vec<StateRow>>,
}

fn bloc_row(s: &BlocStats) -> BlocRow {
    BlocRow {
        bloc: s.name.clone(),
        states: postal_codes(&s.states),
        population: s.population,
        gdp_usd: s.gdp_usd,
        dem_votes: s.dem_votes,
        rep_votes: s.rep_votes,
        other_votes: s.other_votes,
        total_votes: s.total_votes,
        winner: s.winner.map(|p| party_name(Some(p))),
        stranded_voters: s.stranded_voters,
        stranded_pct: pct(s.stranded_voters, s.total_votes),
        state_stranded_voters: s.state_stranded_voters,
        state_stranded_pct: pct(s.state_stranded_voters, s.total_votes),
        contiguous: s.contiguous,
        components: s.components.iter().map(|c| postal_codes(c)).collect(),
        exclaves: postal_codes(&s.exclaves),
        exclave_names: s.exclaves.iter().map(|x| x.name()).collect(),
    }
}

/// Blocs by the winner of `year`, optionally with a swing margin.
pub fn build(
    data: &Dataset,
    year: Option<u16>,
    margin: Option<f64>,
    by: By,
) -> Result<BlocsReport, ReportError> {
    let Some(year) = year else {
        let years: Vec<String> = data.election_years().iter().map(u16::to_string).collect();
        return Err(ReportError::Invalid(format!(
            "--election YEAR is required (elections in the dataset: {})",
            years.join(", ")
        )));
    };
    let invalid = |e: blocs::BlocError| match e {
        blocs::BlocError::BadMargin { .. } => ReportError::Invalid(format!("--margin: {e}")),
        e => ReportError::Invalid(format!("--election {year}: {e}")),
    };
    let assignment = blocs::election_assignment(data, year, margin).map_err(invalid)?;
    let stats = blocs::bloc_stats(data, &assignment, year).map_err(invalid)?;
    let results = blocs::election_results(data, year).map_err(invalid)?;
    let first = results[0];
    let election = Election {
        year,
        dem_candidate: first.dem_candidate.clone(),
        rep_candidate: first.rep_candidate.clone(),
        swing_margin_pct: margin,
    };
    let meta = Meta::new(data, "blocs", None);
    Ok(match by {
        By::Bloc => BlocsReport {
            meta,
            election,
            blocs: Some(stats.iter().map(bloc_row).collect()),
            states: None,
        },
        By::State => BlocsReport {
            meta,
            election,
            blocs: None,
            states: Some(
                results
                    .iter()
                    .enumerate()
                    .map(|(i, r)| StateRow {
                        state: r.state.postal(),
                        name: r.state.name(),
                        bloc: assignment.names[assignment.bloc_of[i]].clone(),
                        winner: party_name(Some(r.winner())),
                        dem_votes: r.dem_votes,
                        rep_votes: r.rep_votes,
                        other_votes: r.other_votes,
                        total_votes: r.total_votes,
                        margin_pct: blocs::margin_pct(r),
                        voters_against_winner: blocs::state_stranded_voters(r),
                    })
                    .collect(),
            ),
        },
    })
}
