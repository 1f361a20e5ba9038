//! Blocs of states (METHODOLOGY §4): assignments built from a presidential
//! election, and each bloc's population, GDP, votes, stranded voters and
//! contiguity over land borders.
//!
//! Definitions:
//! - A state's **winner** is `ElectionResult::winner()`: the party whose
//!   nominee won the state's popular vote (an exact tie counts as Democratic,
//!   as everywhere in fedsplit; no state in the embedded data is tied).
//! - A state's **margin** is |D − R| ÷ all votes cast × 100.
//! - A bloc's **winner** is the party (D or R) with more votes summed over the
//!   bloc's states; `None` on an exact tie (or for an empty bloc).
//! - **Stranded voters** of a bloc: its voters who did not vote for the bloc's
//!   winner, i.e. all votes − the winner's votes, third-party voters included
//!   (on a tie, all votes − either party's votes).
//! - **State-level stranded voters**: Σ over the bloc's states of the voters who
//!   did not vote for their own state's winner.
//! - **Contiguity** uses land borders only (`borders.csv`; Alaska and Hawaii
//!   have none). Components are listed largest population first; states in a
//!   component are in dataset (FIPS) order. **Exclaves** are the states outside
//!   the most populous component, in dataset order. So Alaska and Hawaii are
//!   exclaves of any bloc whose other states outnumber them in population,
//!   and a bloc of one state is contiguous.

use std::cmp::Ordering;

use fedsplit_core::State;
use fedsplit_data::{Dataset, ElectionResult, Party};

use crate::Assignment;

/// Name of the bloc of states the Democratic nominee won.
pub const DEMOCRATIC: &str = "Democratic";
/// Name of the bloc of states the Republican nominee won.
pub const REPUBLICAN: &str = "Republican";
/// Name of the bloc of states won by less than the swing margin.
pub const SWING: &str = "Swing";

/// Why blocs could not be built or described.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BlocError {
    #[error("no {year} presidential election in the dataset ({origin}); elections available: {available}")]
    UnknownElection {
        year: u16,
        origin: String,
        available: String,
    },
    #[error("the {year} presidential election has no result for {missing} in the dataset ({origin}); every state needs one")]
    IncompleteElection {
        year: u16,
        origin: String,
        missing: String,
    },
    #[error(
        "swing margin {margin} is out of range: expected a percentage strictly between 0 and 100"
    )]
    BadMargin { margin: f64 },
    #[error("the assignment covers {assigned} states but the dataset ({origin}) has {states}")]
    AssignmentSize {
        assigned: usize,
        states: usize,
        origin: String,
    },
    #[error("{state} is assigned to bloc {bloc}, but the assignment has only {blocs} blocs")]
    UnknownBloc {
        state: State,
        bloc: usize,
        blocs: usize,
    },
}

/// One bloc's figures. Votes are those of the election year asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct BlocStats {
    pub name: String,
    /// Member states, in dataset order.
    pub states: Vec<State>,
    pub population: f64,
    pub gdp_usd: f64,
    pub dem_votes: u64,
    pub rep_votes: u64,
    pub other_votes: u64,
    pub total_votes: u64,
    /// The bloc's popular-vote winner between D and R; `None` on a tie.
    pub winner: Option<Party>,
    /// Voters who did not vote for the bloc's winner (third parties included).
    pub stranded_voters: u64,
    /// Σ over member states of the voters who did not vote for their state's winner.
    pub state_stranded_voters: u64,
    /// True when the members form at most one land-connected component.
    pub contiguous: bool,
    /// Connected components over land borders, most populous first.
    pub components: Vec<Vec<State>>,
    /// Members outside the most populous component, in dataset order.
    pub exclaves: Vec<State>,
}

/// A state's winning margin in percent of all votes cast: |D − R| ÷ total × 100.
pub fn margin_pct(r: &ElectionResult) -> f64 {
    // diff × 100 is exact in u64; one rounding in the division.
    (r.dem_votes.abs_diff(r.rep_votes) * 100) as f64 / r.total_votes as f64
}

/// Voters in a state who did not vote for the state's winner.
pub fn state_stranded_voters(r: &ElectionResult) -> u64 {
    let winner_votes = match r.winner() {
        Party::Democratic => r.dem_votes,
        Party::Republican => r.rep_votes,
    };
    r.total_votes - winner_votes
}

/// The results of one election for every state of the dataset, in dataset
/// order. Errors if the year is absent or any state lacks a result.
pub fn election_results(data: &Dataset, year: u16) -> Result<Vec<&ElectionResult>, BlocError> {
    let years = data.election_years();
    if !years.contains(&year) {
        let available = if years.is_empty() {
            "none".to_string()
        } else {
            years
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(BlocError::UnknownElection {
            year,
            origin: data.origin.clone(),
            available,
        });
    }
    let results = data.election(year);
    if results.len() != data.len() {
        let missing: Vec<&str> = data
            .states
            .iter()
            .filter(|s| !results.iter().any(|r| r.state == **s))
            .map(|s| s.postal())
            .collect();
        return Err(BlocError::IncompleteElection {
            year,
            origin: data.origin.clone(),
            missing: missing.join(", "),
        });
    }
    Ok(results)
}

/// Blocs by the presidential winner of each state in `year`: "Democratic",
/// "Republican" and, when `margin_pct` is `Some(m)` (0 < m < 100), "Swing":
/// the states whose winner's margin is below m percent (those states leave
/// the other two blocs). Blocs keep this order; a bloc with no state is
/// left out (e.g. no "Swing" when no state is that close, or only "Swing"
/// when m exceeds every margin).
pub fn election_assignment(
    data: &Dataset,
    year: u16,
    margin_pct: Option<f64>,
) -> Result<Assignment, BlocError> {
    if let Some(m) = margin_pct {
        // Also rejects NaN.
        if !(m > 0.0 && m < 100.0) {
            return Err(BlocError::BadMargin { margin: m });
        }
    }
    let results = election_results(data, year)?;
    const NAMES: [&str; 3] = [DEMOCRATIC, REPUBLICAN, SWING];
    let provisional: Vec<usize> = results
        .iter()
        .map(|r| match margin_pct {
            Some(m) if self::margin_pct(r) < m => 2,
            _ => match r.winner() {
                Party::Democratic => 0,
                Party::Republican => 1,
            },
        })
        .collect();
    let mut remap = [usize::MAX; NAMES.len()];
    let mut names = Vec::with_capacity(NAMES.len());
    for (k, name) in NAMES.iter().enumerate() {
        if provisional.contains(&k) {
            remap[k] = names.len();
            names.push((*name).to_string());
        }
    }
    Ok(Assignment {
        names,
        bloc_of: provisional.iter().map(|&k| remap[k]).collect(),
    })
}

/// The states each major-party nominee carried in `year`, named after the
/// nominee ("States Kamala Harris won"): the red/blue blocs of the report.
pub fn nominee_blocs(data: &Dataset, year: u16) -> Result<Assignment, BlocError> {
    let mut a = election_assignment(data, year, None)?;
    let results = election_results(data, year)?;
    for name in &mut a.names {
        let party = if name == DEMOCRATIC {
            Party::Democratic
        } else {
            Party::Republican
        };
        if let Some(r) = results.iter().find(|r| r.winner() == party) {
            let nominee = match party {
                Party::Democratic => &r.dem_candidate,
                Party::Republican => &r.rep_candidate,
            };
            *name = format!("States {nominee} won");
        }
    }
    Ok(a)
}

fn check_assignment(data: &Dataset, a: &Assignment) -> Result<(), BlocError> {
    if a.bloc_of.len() != data.len() {
        return Err(BlocError::AssignmentSize {
            assigned: a.bloc_of.len(),
            states: data.len(),
            origin: data.origin.clone(),
        });
    }
    if let Some(i) = a.bloc_of.iter().position(|&b| b >= a.len()) {
        return Err(BlocError::UnknownBloc {
            state: data.states[i],
            bloc: a.bloc_of[i],
            blocs: a.len(),
        });
    }
    Ok(())
}

/// Figures for every bloc of `a`, in bloc order, with the votes of `year`.
pub fn bloc_stats(data: &Dataset, a: &Assignment, year: u16) -> Result<Vec<BlocStats>, BlocError> {
    check_assignment(data, a)?;
    let results = election_results(data, year)?;
    let components = data.state_graph().bloc_components(&a.bloc_of, a.len());
    let mut out = Vec::with_capacity(a.len());
    for (b, mut comps) in components.into_iter().enumerate() {
        let mut s = BlocStats {
            name: a.names[b].clone(),
            states: Vec::new(),
            population: 0.0,
            gdp_usd: 0.0,
            dem_votes: 0,
            rep_votes: 0,
            other_votes: 0,
            total_votes: 0,
            winner: None,
            stranded_voters: 0,
            state_stranded_voters: 0,
            contiguous: comps.len() <= 1,
            components: Vec::new(),
            exclaves: Vec::new(),
        };
        for i in a.members(b) {
            let r = results[i];
            s.states.push(data.states[i]);
            s.population += data.population[i];
            s.gdp_usd += data.gdp_usd[i];
            s.dem_votes += r.dem_votes;
            s.rep_votes += r.rep_votes;
            s.other_votes += r.other_votes;
            s.total_votes += r.total_votes;
            s.state_stranded_voters += state_stranded_voters(r);
        }
        s.winner = match s.dem_votes.cmp(&s.rep_votes) {
            Ordering::Greater => Some(Party::Democratic),
            Ordering::Less => Some(Party::Republican),
            Ordering::Equal => None,
        };
        s.stranded_voters = s.total_votes - s.dem_votes.max(s.rep_votes);
        let population = |c: &Vec<usize>| c.iter().map(|&i| data.population[i]).sum::<f64>();
        // Stable: equal populations keep discovery (dataset) order.
        comps.sort_by(|x, y| population(y).total_cmp(&population(x)));
        let mut exclaves: Vec<usize> = comps.iter().skip(1).flatten().copied().collect();
        exclaves.sort_unstable();
        s.exclaves = exclaves.into_iter().map(|i| data.states[i]).collect();
        s.components = comps
            .into_iter()
            .map(|c| c.into_iter().map(|i| data.states[i]).collect())
            .collect();
        out.push(s);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fedsplit_data::schema;
    use State::*;

    /// FY2022: the populations the hand sums below are taken from.
    fn embedded() -> Dataset {
        Dataset::open(None, Some(2022)).unwrap()
    }

    /// The listed blocs, then every other state in a bloc "rest".
    fn assign(data: &Dataset, blocs: &[(&str, &[State])]) -> Assignment {
        let mut names: Vec<String> = blocs.iter().map(|(n, _)| n.to_string()).collect();
        names.push("rest".into());
        let bloc_of = data
            .states
            .iter()
            .map(|s| {
                blocs
                    .iter()
                    .position(|(_, m)| m.contains(s))
                    .unwrap_or(blocs.len())
            })
            .collect();
        Assignment { names, bloc_of }
    }

    const TOY: [(&str, &str); 9] = [
        (
            schema::DATASET_FILE,
            include_str!("../../../tests/fixtures/toy/dataset.csv"),
        ),
        (
            schema::STATES_FILE,
            include_str!("../../../tests/fixtures/toy/states.csv"),
        ),
        (
            schema::RECEIPT_KEYS_FILE,
            include_str!("../../../tests/fixtures/toy/receipt_keys.csv"),
        ),
        (
            schema::SPENDING_FILE,
            include_str!("../../../tests/fixtures/toy/spending.csv"),
        ),
        (
            schema::CONTROLS_FILE,
            include_str!("../../../tests/fixtures/toy/controls.csv"),
        ),
        (
            schema::BORDERS_FILE,
            include_str!("../../../tests/fixtures/toy/borders.csv"),
        ),
        (
            schema::ELECTIONS_FILE,
            include_str!("../../../tests/fixtures/toy/elections.csv"),
        ),
        (
            schema::INCOME_CLASSES_FILE,
            include_str!("../../../tests/fixtures/toy/income_classes.csv"),
        ),
        (
            schema::MANIFEST_FILE,
            include_str!("../../../tests/fixtures/toy/manifest.csv"),
        ),
    ];

    /// The toy dataset (NY, TX, WY; no borders), with its files edited.
    fn toy(edit: impl Fn(&str, &str) -> String) -> Dataset {
        let files: Vec<(&str, String)> = TOY.iter().map(|(n, t)| (*n, edit(n, t))).collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        Dataset::from_tables("toy", &refs).unwrap()
    }

    fn toy_plain() -> Dataset {
        toy(|_, t| t.to_string())
    }

    #[test]
    fn northeast_plus_hawaii_has_hawaii_as_exclave() {
        let data = embedded();
        let a = assign(&data, &[("NE+HI", &[Ny, Nj, Ct, Hi])]);
        let stats = bloc_stats(&data, &a, 2024).unwrap();
        let s = &stats[0];
        assert_eq!(s.name, "NE+HI");
        assert_eq!(s.states, [Ct, Hi, Nj, Ny]);
        assert_eq!(s.components, vec![vec![Ct, Nj, Ny], vec![Hi]]);
        assert_eq!(s.exclaves, [Hi]);
        assert!(!s.contiguous);
        // Population: 19,673,200 + 9,260,817 + 3,608,706 + 1,439,399.
        assert_eq!(s.population, 33_982_122.0);
        // 2024 votes from data/elections.csv, summed by hand.
        assert_eq!(s.dem_votes, 8_145_005);
        assert_eq!(s.rep_votes, 6_477_693);
        assert_eq!(s.other_votes, 188_338);
        assert_eq!(s.total_votes, 14_811_036);
        assert_eq!(s.winner, Some(Party::Democratic));
        assert_eq!(s.stranded_voters, 14_811_036 - 8_145_005);
        // Harris carried all four, so the state-level count is the same.
        assert_eq!(s.state_stranded_voters, 6_666_031);
    }

    #[test]
    fn removing_ny_and_ct_cuts_off_new_england() {
        // Without NY, NJ, CT and HI the rest splits: the mainland, New England
        // north of CT (ME, NH, VT, MA, RI), and Alaska.
        let data = embedded();
        let a = assign(&data, &[("NE+HI", &[Ny, Nj, Ct, Hi])]);
        let rest = &bloc_stats(&data, &a, 2024).unwrap()[1];
        assert_eq!(rest.states.len(), 47);
        assert_eq!(rest.components.len(), 3);
        assert_eq!(rest.components[1], [Me, Ma, Nh, Ri, Vt]);
        assert_eq!(rest.components[2], [Ak]);
        assert_eq!(rest.exclaves, [Ak, Me, Ma, Nh, Ri, Vt]);
        assert_eq!(rest.components[0].len(), 41);
    }

    #[test]
    fn single_state_bloc_is_contiguous() {
        let data = embedded();
        let a = assign(&data, &[("AK", &[Ak])]);
        let s = &bloc_stats(&data, &a, 2024).unwrap()[0];
        assert!(s.contiguous);
        assert_eq!(s.components, vec![vec![Ak]]);
        assert!(s.exclaves.is_empty());
        // 338,177 votes, Trump 184,458.
        assert_eq!(s.winner, Some(Party::Republican));
        assert_eq!(s.stranded_voters, 338_177 - 184_458);
    }

    #[test]
    fn bloc_and_state_level_stranded_voters_differ_in_a_mixed_bloc() {
        // NY (Harris) + AK (Trump), 2024. Bloc: D 4,759,221, R 3,763,357,
        // total 8,600,777. States: NY 8,262,600 − 4,619,195; AK 338,177 − 184,458.
        let data = embedded();
        let a = assign(&data, &[("NY+AK", &[Ny, Ak])]);
        let s = &bloc_stats(&data, &a, 2024).unwrap()[0];
        assert_eq!(s.winner, Some(Party::Democratic));
        assert_eq!(s.stranded_voters, 3_841_556);
        assert_eq!(s.state_stranded_voters, 3_643_405 + 153_719);
        assert_eq!(s.components, vec![vec![Ny], vec![Ak]]);
        assert_eq!(s.exclaves, [Ak]);
    }

    #[test]
    fn red_blue_2024_partition_is_exact() {
        let data = embedded();
        let a = election_assignment(&data, 2024, None).unwrap();
        assert_eq!(a.names, [DEMOCRATIC, REPUBLICAN]);
        let stats = bloc_stats(&data, &a, 2024).unwrap();
        assert_eq!(stats[0].states.len(), 20);
        assert_eq!(stats[1].states.len(), 31);
        // §8 national totals: Harris 75,017,613, Trump 77,302,580.
        assert_eq!(stats[0].dem_votes + stats[1].dem_votes, 75_017_613);
        assert_eq!(stats[0].rep_votes + stats[1].rep_votes, 77_302_580);
        assert_eq!(
            stats[0].population + stats[1].population,
            data.total_population()
        );
        // Each bloc is won by the party that names it, so stranded voters are
        // everyone else, and the state-level count is the same.
        for (s, party) in stats.iter().zip([Party::Democratic, Party::Republican]) {
            assert_eq!(s.winner, Some(party));
            let winner_votes = if party == Party::Democratic {
                s.dem_votes
            } else {
                s.rep_votes
            };
            assert_eq!(s.stranded_voters, s.total_votes - winner_votes);
            assert_eq!(s.state_stranded_voters, s.stranded_voters);
            assert!(s.exclaves.len() + s.components[0].len() == s.states.len());
        }
        // Harris won Hawaii; Trump won Alaska.
        assert!(stats[0].exclaves.contains(&Hi));
        assert!(stats[1].exclaves.contains(&Ak));
    }

    #[test]
    fn swing_margin_2024() {
        // Margins under 5%: WI 0.86, MI 1.41, PA 1.71, GA 2.19, NH 2.78,
        // NV 3.10, NC 3.21, MN 4.24.
        let data = embedded();
        let a = election_assignment(&data, 2024, Some(5.0)).unwrap();
        assert_eq!(a.names, [DEMOCRATIC, REPUBLICAN, SWING]);
        let swing = a.states(&data, 2);
        assert_eq!(swing, [Ga, Mi, Mn, Nv, Nh, Nc, Pa, Wi]);
        assert_eq!(a.states(&data, 0).len(), 20 - 2);
        assert_eq!(a.states(&data, 1).len(), 31 - 6);
        // Wisconsin 0.858829…%: in the swing bloc at 0.86, not at 0.85.
        let wi = data.election(2024)[data.position(Wi).unwrap()];
        assert!((margin_pct(wi) - 0.8588).abs() < 1e-4);
        let a = election_assignment(&data, 2024, Some(0.85)).unwrap();
        assert_eq!(a.names, [DEMOCRATIC, REPUBLICAN]);
        let a = election_assignment(&data, 2024, Some(0.86)).unwrap();
        assert_eq!(a.states(&data, 2), [Wi]);
    }

    #[test]
    fn toy_hand_computed() {
        // NY 60/40/0, TX 40/55/5, WY 20/75/5 of 100 votes each; no borders.
        let data = toy_plain();
        let a = election_assignment(&data, 2024, None).unwrap();
        assert_eq!(a.names, [DEMOCRATIC, REPUBLICAN]);
        assert_eq!(a.bloc_of, [0, 1, 1]);
        let stats = bloc_stats(&data, &a, 2024).unwrap();
        let r = &stats[1];
        assert_eq!((r.dem_votes, r.rep_votes, r.other_votes), (60, 130, 10));
        assert_eq!(r.stranded_voters, 70);
        assert_eq!(r.state_stranded_voters, 45 + 25);
        assert_eq!(r.population, 500.0);
        assert_eq!(r.gdp_usd, 10_000.0);
        // No land border: TX (300 residents) is the main piece, WY an exclave.
        assert_eq!(r.components, vec![vec![Tx], vec![Wy]]);
        assert_eq!(r.exclaves, [Wy]);

        // Margins: NY 20, TX 15, WY 55. At 30 NY and TX swing, the
        // Democratic bloc is empty and left out.
        let a = election_assignment(&data, 2024, Some(30.0)).unwrap();
        assert_eq!(a.names, [REPUBLICAN, SWING]);
        assert_eq!(a.bloc_of, [1, 1, 0]);
        let stats = bloc_stats(&data, &a, 2024).unwrap();
        let swing = &stats[1];
        assert_eq!((swing.dem_votes, swing.rep_votes), (100, 95));
        assert_eq!(swing.winner, Some(Party::Democratic));
        assert_eq!(swing.stranded_voters, 200 - 100);
        assert_eq!(swing.state_stranded_voters, 40 + 45);
        // A margin of exactly 20 is not below 20.
        let a = election_assignment(&data, 2024, Some(20.0)).unwrap();
        assert_eq!(a.bloc_of, [0, 2, 1]);
        // Everything swings at 99.
        let a = election_assignment(&data, 2024, Some(99.0)).unwrap();
        assert_eq!(a.names, [SWING]);
    }

    #[test]
    fn tied_bloc_has_no_winner() {
        let data = toy(|name, t| {
            if name == schema::ELECTIONS_FILE {
                t.replace("2024,NY,D,R,60,40,0,100", "2024,NY,D,R,45,45,10,100")
            } else {
                t.to_string()
            }
        });
        let a = Assignment {
            names: vec!["all".into()],
            bloc_of: vec![0, 0, 0],
        };
        // D 45+40+20 = 105, R 45+55+75 = 175: R wins the bloc.
        let s = &bloc_stats(&data, &a, 2024).unwrap()[0];
        assert_eq!(s.winner, Some(Party::Republican));
        let a = Assignment {
            names: vec!["NY".into(), "rest".into()],
            bloc_of: vec![0, 1, 1],
        };
        let s = &bloc_stats(&data, &a, 2024).unwrap()[0];
        assert_eq!(s.winner, None);
        assert_eq!(s.stranded_voters, 55);
        // The state's own winner is D on a tie: 100 − 45.
        assert_eq!(s.state_stranded_voters, 55);
        assert!(s.contiguous);
    }

    #[test]
    fn empty_bloc_is_allowed_in_a_hand_built_assignment() {
        let data = toy_plain();
        let a = Assignment {
            names: vec!["all".into(), "none".into()],
            bloc_of: vec![0, 0, 0],
        };
        let stats = bloc_stats(&data, &a, 2024).unwrap();
        let none = &stats[1];
        assert!(none.states.is_empty() && none.components.is_empty());
        assert_eq!(
            (none.winner, none.stranded_voters, none.contiguous),
            (None, 0, true)
        );
        assert_eq!(stats[0].components.len(), 3);
        assert_eq!(stats[0].exclaves, [Tx, Wy]);
    }

    #[test]
    fn adjacency_is_symmetric_and_alaska_hawaii_have_none() {
        let data = embedded();
        let adj = data.state_graph();
        assert_eq!(adj.len(), 51);
        assert_eq!(adj.edge_count(), data.borders.len());
        for i in 0..adj.len() {
            for &j in adj.neighbors(i) {
                assert!(adj.neighbors(j as usize).contains(&(i as u32)));
            }
        }
        for s in [Ak, Hi] {
            assert!(adj.neighbors(data.position(s).unwrap()).is_empty());
        }
        // Everything but AK and HI is one land mass.
        let a = Assignment {
            names: vec!["all".into()],
            bloc_of: vec![0; 51],
        };
        let s = &bloc_stats(&data, &a, 2020).unwrap()[0];
        assert_eq!(s.components.len(), 3);
        assert_eq!(s.components[0].len(), 49);
        assert_eq!(s.exclaves, [Ak, Hi]);
    }

    #[test]
    fn errors() {
        let data = embedded();
        let e = election_assignment(&data, 2012, None).unwrap_err();
        assert!(matches!(e, BlocError::UnknownElection { year: 2012, .. }));
        assert!(e.to_string().contains("2016, 2020, 2024"), "{e}");
        assert!(bloc_stats(&data, &assign(&data, &[]), 2018).is_err());
        for m in [0.0, 100.0, 150.0, -1.0, f64::NAN, f64::INFINITY] {
            let e = election_assignment(&data, 2024, Some(m)).unwrap_err();
            assert!(matches!(e, BlocError::BadMargin { .. }), "{m}: {e}");
            assert!(e.to_string().contains("strictly between 0 and 100"));
        }

        let a = Assignment {
            names: vec!["x".into()],
            bloc_of: vec![0; 50],
        };
        let e = bloc_stats(&data, &a, 2024).unwrap_err();
        assert!(matches!(
            e,
            BlocError::AssignmentSize {
                assigned: 50,
                states: 51,
                ..
            }
        ));
        let mut a = assign(&data, &[]);
        a.bloc_of[data.position(Ny).unwrap()] = 3;
        let e = bloc_stats(&data, &a, 2024).unwrap_err();
        assert_eq!(
            e.to_string(),
            "NY is assigned to bloc 3, but the assignment has only 1 blocs"
        );

        // A year where one state has no result.
        let data = toy(|name, t| {
            if name == schema::ELECTIONS_FILE {
                format!("{t}2020,NY,D,R,1,2,0,3\n2020,WY,D,R,1,2,0,3\n")
            } else {
                t.to_string()
            }
        });
        let e = election_assignment(&data, 2020, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the 2020 presidential election has no result for TX in the dataset (toy); every state needs one"
        );
        assert!(election_assignment(&data, 2024, None).is_ok());
    }
}
