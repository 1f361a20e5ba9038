//! The county graph of the contiguous United States (48 states + DC), for
//! the partition sampler: one node per county-equivalent of the Census 2024
//! county adjacency file, with population and presidential votes for 2016,
//! 2020 and 2024, and the adjacency pairs among them.
//!
//! Alaska and Hawaii are left out: neither has a land link to the other
//! states (Alaska's boroughs form their own component of the Census file and
//! Hawaii's islands are not linked at all), and Alaska reports votes by State
//! House district, not by borough.
//!
//! Sources and joins (docs/METHODOLOGY.md, "County graph"):
//! - nodes, names and edges: `census-county-adjacency/county_adjacency2024.txt`
//!   (Connecticut as its nine planning regions 09110–09190);
//! - population: `census-popest/co-est2023-alldata.csv`, POPESTIMATE2023;
//! - 2016 and 2020 votes: `medsl-county-pres/countypres_2016_2020.csv`, per
//!   reporting unit the `TOTAL` mode rows when the unit has any, else every
//!   mode summed; votes summed by candidate; total = every remaining row;
//! - 2024 votes: `tonmcg-county-pres/2024_US_County_Level_Presidential_Results.csv`
//!   (votes_dem, votes_gop, total_votes).
//!
//! Reporting units that are not 2024 county-equivalents are mapped
//! explicitly (see `medsl_unit`); Connecticut's 2016 and 2020 votes, reported
//! by the eight historic counties, are allocated to the planning regions in
//! proportion to POPESTIMATE2020 and flagged `votes_estimated`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::Path;

use fedsplit_core::{State, STATE_COUNT};

use crate::elections;
use crate::sheet::{read_csv, to_units, CsvFile};
use crate::{BuildError, ElectionRow, Source};

/// Census 2024 county adjacency, relative to the raw root.
pub const ADJACENCY_FILE: &str = "census-county-adjacency/county_adjacency2024.txt";
/// Census PEP vintage 2023 county estimates, relative to the raw root.
pub const POPEST_FILE: &str = "census-popest/co-est2023-alldata.csv";
/// MEDSL county returns 2016 and 2020, relative to the raw root.
pub const MEDSL_COUNTY_FILE: &str = "medsl-county-pres/countypres_2016_2020.csv";
/// tonmcg county returns 2024, relative to the raw root.
pub const TONMCG_2024_FILE: &str =
    "tonmcg-county-pres/2024_US_County_Level_Presidential_Results.csv";

/// Election years, in the order of `County::votes`.
pub const YEARS: [u16; 3] = [2016, 2020, 2024];

/// Header of `counties.csv`.
pub const COUNTIES_HEADER: &str = "fips,state,name,population,dem_2016,rep_2016,total_2016,\
dem_2020,rep_2020,total_2020,dem_2024,rep_2024,total_2024,votes_estimated";

/// Header of `county_edges.csv`.
pub const EDGES_HEADER: &str = "a,b";

/// Largest relative difference allowed between a state's county sum of the
/// Democratic or Republican nominee's votes and the MEDSL state result. The
/// largest in the inputs are Maine 2020 (UOCAVA ballots missing from the
/// MEDSL county file, 1.06% of Biden's votes) and Oregon 2024 (tonmcg, 0.98%
/// of Harris's votes).
pub const STATE_TOLERANCE: f64 = 0.015;

/// Largest relative difference allowed between the national (48 + DC)
/// county sums and the MEDSL state results summed over the same areas.
pub const NATIONAL_TOLERANCE: f64 = 0.005;

/// The two areas with no land link to the rest.
pub fn excluded(state: State) -> bool {
    matches!(state, State::Ak | State::Hi)
}

/// One year's votes in a county.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Votes {
    pub dem: i64,
    pub rep: i64,
    /// Every candidate row, including the two nominees.
    pub total: i64,
}

impl Votes {
    fn add(&mut self, other: Votes) {
        self.dem += other.dem;
        self.rep += other.rep;
        self.total += other.total;
    }
}

/// One county-equivalent of the contiguous United States.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct County {
    /// Five-digit FIPS code, e.g. "01001".
    pub fips: String,
    pub state: State,
    /// Census name without the state suffix, e.g. "Autauga County".
    pub name: String,
    /// July 1 2023 resident population (PEP vintage 2023).
    pub population: i64,
    /// Votes for 2016, 2020, 2024 (`YEARS` order).
    pub votes: [Votes; 3],
    /// Some year's votes are an estimate, not a reported count (Connecticut
    /// planning regions in 2016 and 2020).
    pub votes_estimated: bool,
}

/// The county graph: counties sorted by FIPS, and undirected edges as
/// pairs of indices into `counties` (a < b), sorted.
#[derive(Debug, Clone)]
pub struct CountyGraph {
    pub counties: Vec<County>,
    pub edges: Vec<(usize, usize)>,
    /// Votes in the MEDSL county file that belong to no county (Maine
    /// UOCAVA 2016, Rhode Island federal precinct 2016 and 2020): left out.
    pub unassigned: Unassigned,
}

/// (year, reporting unit, votes) of votes that belong to no county.
pub type Unassigned = Vec<(u16, String, Votes)>;

/// Builds and checks the county graph. Fails with a `BuildError` naming the
/// file and the unit when a reporting unit maps to no county, when a county
/// lacks population or votes in any year, when populations do not sum to
/// the state rows, when state or national vote sums are off by more than
/// the tolerances, or when the graph is not connected.
pub fn county_graph(raw: &Path) -> Result<CountyGraph, BuildError> {
    let (nodes, pairs) = read_adjacency(raw)?;
    let index: BTreeMap<String, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, (fips, _, _))| (fips.clone(), i))
        .collect();

    let pop = read_population(raw, &nodes)?;
    let (mut medsl, unassigned) = medsl_votes(raw, &index)?;
    let ct_estimated = allocate_connecticut(&nodes, &pop, &mut medsl)?;
    let v2024 = tonmcg_2024(raw, &index)?;

    let mut counties = Vec::with_capacity(nodes.len());
    let mut missing = Vec::new();
    for (i, (fips, state, name)) in nodes.iter().enumerate() {
        let mut votes = [Votes::default(); 3];
        for (y, year) in YEARS.iter().enumerate() {
            let v = if *year == 2024 {
                v2024[i]
            } else {
                medsl.years[y][i]
            };
            match v {
                Some(v) if v.total > 0 && v.dem >= 0 && v.rep >= 0 && v.dem + v.rep <= v.total => {
                    votes[y] = v
                }
                Some(v) => {
                    return Err(BuildError::Check(format!(
                        "{fips} {name}: {year} votes inconsistent: {v:?}"
                    )))
                }
                None => missing.push(format!("{fips} {name} {year}")),
            }
        }
        counties.push(County {
            fips: fips.clone(),
            state: *state,
            name: name.clone(),
            population: pop[i].1,
            votes,
            votes_estimated: ct_estimated.contains(&i),
        });
    }
    if !missing.is_empty() {
        return Err(BuildError::Check(format!(
            "{} county-years have no votes: {}",
            missing.len(),
            missing.join(", ")
        )));
    }

    let edges = undirected_edges(&index, &pairs)?;
    let components = components(counties.len(), &edges);
    if components.len() != 1 {
        let list: Vec<String> = components
            .iter()
            .map(|c| format!("{} counties from {}", c.len(), counties[c[0]].fips))
            .collect();
        return Err(BuildError::Check(format!(
            "{ADJACENCY_FILE}: county graph has {} components: {}",
            components.len(),
            list.join("; ")
        )));
    }

    let graph = CountyGraph {
        counties,
        edges,
        unassigned,
    };
    check_state_totals(&graph, &elections::state_results(raw)?)?;
    Ok(graph)
}

// ---- adjacency ----------------------------------------------------------

/// (fips, state, name) of every county-equivalent of the 48 states + DC, in
/// FIPS order, and every directed (county, neighbour) pair of the file.
type Nodes = Vec<(String, State, String)>;

fn read_adjacency(raw: &Path) -> Result<(Nodes, Vec<(String, String)>), BuildError> {
    let path = raw.join(ADJACENCY_FILE);
    let text = std::fs::read_to_string(&path).map_err(|source| BuildError::Io {
        path: path.clone(),
        source,
    })?;
    let bad = |line: usize, field: &str, value: &str, message: &str| BuildError::Parse {
        path: path.clone(),
        location: line.to_string(),
        field: field.into(),
        value: value.into(),
        message: message.into(),
    };
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, h)| h.trim_start_matches('\u{feff}'));
    if header != Some("County Name|County GEOID|Neighbor Name|Neighbor GEOID") {
        return Err(bad(
            1,
            "(header)",
            header.unwrap_or(""),
            "unexpected header",
        ));
    }
    let mut names: BTreeMap<String, (State, String)> = BTreeMap::new();
    let mut pairs = Vec::new();
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        if fields.len() != 4 {
            return Err(bad(n, "(row)", line, "expected 4 fields separated by |"));
        }
        for (name_col, id_col) in [(0, 1), (2, 3)] {
            let id = fields[id_col];
            if id.len() != 5 || !id.bytes().all(|b| b.is_ascii_digit()) {
                let field = if id_col == 1 {
                    "County GEOID"
                } else {
                    "Neighbor GEOID"
                };
                return Err(bad(n, field, id, "expected a 5-digit county GEOID"));
            }
            // Puerto Rico and the island areas (FIPS > 56) are not states.
            let Ok(state) = State::parse(&id[..2]) else {
                continue;
            };
            if excluded(state) {
                continue;
            }
            let full = fields[name_col];
            let suffix = format!(", {}", state.postal());
            let Some(name) = full.strip_suffix(&suffix) else {
                return Err(bad(
                    n,
                    "County Name",
                    full,
                    "name does not end with its state",
                ));
            };
            match names.get(id) {
                Some((_, known)) if known != name => {
                    return Err(bad(n, "County Name", full, "GEOID listed with two names"))
                }
                Some(_) => {}
                None => {
                    names.insert(id.to_string(), (state, name.to_string()));
                }
            }
        }
        pairs.push((fields[1].to_string(), fields[3].to_string()));
    }
    let nodes = names
        .into_iter()
        .map(|(fips, (state, name))| (fips, state, name))
        .collect();
    Ok((nodes, pairs))
}

/// The undirected pairs among the counties, self-pairs and pairs with a
/// county outside the graph left out. Fails if the file is not symmetric.
fn undirected_edges(
    index: &BTreeMap<String, usize>,
    pairs: &[(String, String)],
) -> Result<Vec<(usize, usize)>, BuildError> {
    let directed: BTreeSet<(usize, usize)> = pairs
        .iter()
        .filter_map(|(a, b)| Some((*index.get(a)?, *index.get(b)?)))
        .filter(|(a, b)| a != b)
        .collect();
    if let Some((a, b)) = directed.iter().find(|(a, b)| !directed.contains(&(*b, *a))) {
        let fips = |i: usize| index.iter().find(|(_, &j)| j == i).map(|(f, _)| f.clone());
        return Err(BuildError::Check(format!(
            "{ADJACENCY_FILE}: {:?} lists {:?} as a neighbour but not the reverse",
            fips(*a),
            fips(*b)
        )));
    }
    Ok(directed.into_iter().filter(|(a, b)| a < b).collect())
}

/// Connected components (lists of node indices, each sorted, in order of
/// their smallest node).
pub fn components(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut adjacent = vec![Vec::new(); n];
    for &(a, b) in edges {
        adjacent[a].push(b);
        adjacent[b].push(a);
    }
    let mut seen = vec![false; n];
    let mut out = Vec::new();
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut comp = vec![start];
        let mut queue = VecDeque::from([start]);
        while let Some(x) = queue.pop_front() {
            for &y in &adjacent[x] {
                if !seen[y] {
                    seen[y] = true;
                    comp.push(y);
                    queue.push_back(y);
                }
            }
        }
        comp.sort_unstable();
        out.push(comp);
    }
    out
}

// ---- population ---------------------------------------------------------

/// (POPESTIMATE2020, POPESTIMATE2023) of each node. Checks that the county
/// rows of the 48 states + DC are exactly the adjacency nodes and that they
/// sum to their state rows in both years.
fn read_population(raw: &Path, nodes: &Nodes) -> Result<Vec<(i64, i64)>, BuildError> {
    let file = read_csv(&raw.join(POPEST_FILE), false)?;
    let c_sumlev = file.column("SUMLEV")?;
    let c_state = file.column("STATE")?;
    let c_county = file.column("COUNTY")?;
    let c_2020 = file.column("POPESTIMATE2020")?;
    let c_2023 = file.column("POPESTIMATE2023")?;

    let mut counties: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut states = [None::<(i64, i64)>; STATE_COUNT];
    for (line, rec) in &file.records {
        // Leading zeros were dropped in this copy ("50", "1", "1"): pad.
        let sumlev = file.number(*line, rec, c_sumlev)?;
        if sumlev != 40.0 && sumlev != 50.0 {
            continue;
        }
        let st = rec.get(c_state).unwrap_or("").trim();
        let state = State::parse(&format!("{st:0>2}")).map_err(|e| BuildError::Parse {
            path: file.path.clone(),
            location: line.to_string(),
            field: "STATE".into(),
            value: st.to_string(),
            message: e.to_string(),
        })?;
        if excluded(state) {
            continue;
        }
        let values = (
            to_units(file.number(*line, rec, c_2020)?, 1.0),
            to_units(file.number(*line, rec, c_2023)?, 1.0),
        );
        if sumlev == 40.0 {
            if states[state.index()].replace(values).is_some() {
                return Err(BuildError::Check(format!(
                    "{POPEST_FILE}: duplicated state row for {state}"
                )));
            }
            continue;
        }
        let co = rec.get(c_county).unwrap_or("").trim();
        let fips = format!("{}{co:0>3}", state.fips());
        if fips.len() != 5 || counties.insert(fips.clone(), values).is_some() {
            return Err(BuildError::Parse {
                path: file.path.clone(),
                location: line.to_string(),
                field: "COUNTY".into(),
                value: co.to_string(),
                message: "bad or duplicated county code".into(),
            });
        }
    }

    let node_ids: BTreeSet<&String> = nodes.iter().map(|(f, _, _)| f).collect();
    let pop_ids: BTreeSet<&String> = counties.keys().collect();
    if node_ids != pop_ids {
        let only_adj: Vec<_> = node_ids.difference(&pop_ids).collect();
        let only_pop: Vec<_> = pop_ids.difference(&node_ids).collect();
        return Err(BuildError::Check(format!(
            "{ADJACENCY_FILE} and {POPEST_FILE} differ: only in adjacency {only_adj:?}, only in estimates {only_pop:?}"
        )));
    }
    for s in State::ALL.into_iter().filter(|s| !excluded(*s)) {
        let row = states[s.index()].ok_or_else(|| BuildError::Missing {
            path: file.path.clone(),
            what: format!("state row (SUMLEV 40) for {s}"),
        })?;
        let sum = counties
            .iter()
            .filter(|(f, _)| f.starts_with(s.fips()))
            .fold((0, 0), |acc, (_, v)| (acc.0 + v.0, acc.1 + v.1));
        if sum != row {
            return Err(BuildError::Check(format!(
                "{POPEST_FILE}: {s} counties sum to {sum:?} (2020, 2023), state row {row:?}"
            )));
        }
    }
    Ok(nodes.iter().map(|(f, _, _)| counties[f]).collect())
}

// ---- MEDSL 2016 and 2020 ------------------------------------------------

/// Where a MEDSL reporting unit's votes go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unit {
    /// A 2024 county-equivalent (FIPS).
    County(String),
    /// One of Connecticut's eight historic counties: pooled statewide, then
    /// allocated to the planning regions.
    ConnecticutPool,
    /// Alaska (House districts) or Hawaii: not in the graph.
    Excluded,
    /// Votes reported for no county (statewide write-ins, Maine UOCAVA,
    /// Rhode Island federal precinct).
    NoCounty,
}

/// Maps a MEDSL (state_po, county_fips) to its unit. FIPS are padded to five
/// digits ("1001" → "01001"). The special cases:
/// - `NA` FIPS with state DC (2020) → 11001;
/// - `NA` FIPS elsewhere → no county;
/// - 36000 Kansas City, MO (its own election authority, the part of the
///   city in Jackson County) → Jackson County 29095;
/// - 46113 (Shannon County, renamed Oglala Lakota in 2015) → 46102;
/// - 51515 Bedford city, VA (merged into Bedford County in 2013; its 2016
///   rows have no votes) → 51019;
/// - 09001–09015 (Connecticut's historic counties) → the Connecticut pool.
fn medsl_unit(state_po: &str, fips: &str) -> Unit {
    if fips == "NA" || fips.is_empty() {
        return if state_po == "DC" {
            Unit::County("11001".into())
        } else {
            Unit::NoCounty
        };
    }
    let padded = format!("{fips:0>5}");
    let mapped = match padded.as_str() {
        "36000" if state_po == "MO" => "29095".to_string(),
        "46113" => "46102".to_string(),
        "51515" => "51019".to_string(),
        _ => padded,
    };
    match State::parse(mapped.get(..2).unwrap_or("")) {
        Ok(s) if excluded(s) => Unit::Excluded,
        Ok(State::Ct) if mapped.as_str() < "09100" => Unit::ConnecticutPool,
        _ => Unit::County(mapped),
    }
}

/// Per-year (2016, 2020) votes of each node, and the Connecticut pool.
struct MedslVotes {
    years: [Vec<Option<Votes>>; 2],
    connecticut: [Votes; 2],
}

/// Nominee surname and given names as spelled in the MEDSL county file.
const NOMINEES: [(u16, [&str; 2], [&str; 2]); 2] = [
    (2016, ["CLINTON", "HILLARY"], ["TRUMP", "DONALD"]),
    (2020, ["BIDEN", "JOSEPH"], ["TRUMP", "DONALD"]),
];

fn is_nominee(candidate: &str, [surname, given]: [&str; 2]) -> bool {
    let tokens: Vec<&str> = candidate
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    tokens.iter().any(|t| t.eq_ignore_ascii_case(surname))
        && tokens.iter().any(|t| t.eq_ignore_ascii_case(given))
}

fn medsl_votes(
    raw: &Path,
    index: &BTreeMap<String, usize>,
) -> Result<(MedslVotes, Unassigned), BuildError> {
    let file = read_csv(&raw.join(MEDSL_COUNTY_FILE), false)?;
    let c_year = file.column("year")?;
    let c_state = file.column("state_po")?;
    let c_name = file.column("county_name")?;
    let c_fips = file.column("county_fips")?;
    let c_office = file.column("office")?;
    let c_cand = file.column("candidate")?;
    let c_votes = file.column("candidatevotes")?;
    let c_mode = file.column("mode")?;
    let get = |rec: &csv::StringRecord, c: usize| rec.get(c).unwrap_or("").trim().to_string();

    // Reporting units (year, state, fips, name) that have TOTAL rows.
    let unit_key = |rec: &csv::StringRecord| {
        (
            get(rec, c_year),
            get(rec, c_state),
            get(rec, c_fips),
            get(rec, c_name),
        )
    };
    let with_total: BTreeSet<_> = file
        .records
        .iter()
        .filter(|(_, rec)| get(rec, c_mode) == "TOTAL")
        .map(|(_, rec)| unit_key(rec))
        .collect();

    let n = index.len();
    let mut out = MedslVotes {
        years: [vec![None; n], vec![None; n]],
        connecticut: [Votes::default(); 2],
    };
    let mut unassigned: BTreeMap<(u16, String), Votes> = BTreeMap::new();
    for (line, rec) in &file.records {
        let year_text = get(rec, c_year);
        let Some((y, (year, dem, rep))) = NOMINEES
            .iter()
            .enumerate()
            .find(|(_, (yr, _, _))| yr.to_string() == year_text)
        else {
            return Err(parse_error(
                &file,
                *line,
                "year",
                &year_text,
                "expected 2016 or 2020",
            ));
        };
        let office = get(rec, c_office);
        // 2020 rows spell the office both ways.
        if office != "PRESIDENT" && office != "US PRESIDENT" {
            return Err(parse_error(
                &file,
                *line,
                "office",
                &office,
                "expected PRESIDENT",
            ));
        }
        if with_total.contains(&unit_key(rec)) && get(rec, c_mode) != "TOTAL" {
            continue;
        }
        let votes_text = get(rec, c_votes);
        // NA vote cells: Bedford city 2016 (no votes, merged), San Joaquin
        // 2020 "OTHER" (one of two other rows), statewide write-ins 2016.
        if votes_text == "NA" {
            continue;
        }
        let votes = to_units(file.number(*line, rec, c_votes)?, 1.0);
        let candidate = get(rec, c_cand);
        let v = Votes {
            dem: if is_nominee(&candidate, *dem) {
                votes
            } else {
                0
            },
            rep: if is_nominee(&candidate, *rep) {
                votes
            } else {
                0
            },
            total: votes,
        };
        let state_po = get(rec, c_state);
        let fips = get(rec, c_fips);
        match medsl_unit(&state_po, &fips) {
            Unit::County(f) => {
                let Some(&i) = index.get(&f) else {
                    return Err(parse_error(
                        &file,
                        *line,
                        "county_fips",
                        &fips,
                        "not a county-equivalent of the 2024 adjacency file and no mapping known",
                    ));
                };
                if state_po != "NA"
                    && f[..2] != *State::parse(&state_po).map(|s| s.fips()).unwrap_or("")
                {
                    return Err(parse_error(
                        &file,
                        *line,
                        "state_po",
                        &state_po,
                        "state differs from the county's FIPS",
                    ));
                }
                out.years[y][i].get_or_insert_with(Votes::default).add(v);
            }
            Unit::ConnecticutPool => out.connecticut[y].add(v),
            Unit::Excluded => {}
            Unit::NoCounty => {
                let label = format!("{state_po} {}", get(rec, c_name));
                unassigned.entry((*year, label)).or_default().add(v);
            }
        }
    }
    let unassigned = unassigned
        .into_iter()
        .map(|((year, label), v)| (year, label, v))
        .collect();
    Ok((out, unassigned))
}

fn parse_error(file: &CsvFile, line: u64, field: &str, value: &str, message: &str) -> BuildError {
    BuildError::Parse {
        path: file.path.clone(),
        location: line.to_string(),
        field: field.into(),
        value: value.into(),
        message: message.into(),
    }
}

/// Allocates Connecticut's pooled 2016 and 2020 votes to the planning
/// regions in proportion to POPESTIMATE2020, each of dem, rep and total by
/// largest remainder (ties to the lower FIPS), so the regions sum exactly to
/// the state. Returns the indices of the regions (all flagged estimated).
fn allocate_connecticut(
    nodes: &Nodes,
    pop: &[(i64, i64)],
    medsl: &mut MedslVotes,
) -> Result<BTreeSet<usize>, BuildError> {
    let regions: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].1 == State::Ct)
        .collect();
    if regions.iter().any(|&i| nodes[i].0.as_str() < "09100") {
        return Err(BuildError::Check(format!(
            "{ADJACENCY_FILE}: Connecticut nodes are not all planning regions (091xx)"
        )));
    }
    let weights: Vec<i64> = regions.iter().map(|&i| pop[i].0).collect();
    for (y, year) in YEARS[..2].iter().enumerate() {
        let pool = medsl.connecticut[y];
        if pool.total == 0 {
            return Err(BuildError::Check(format!(
                "{MEDSL_COUNTY_FILE}: no Connecticut votes in {year}"
            )));
        }
        if let Some(&i) = regions.iter().find(|&&i| medsl.years[y][i].is_some()) {
            return Err(BuildError::Check(format!(
                "{MEDSL_COUNTY_FILE}: {year} has votes for planning region {} as well as the historic counties",
                nodes[i].0
            )));
        }
        let dem = largest_remainder(pool.dem, &weights);
        let rep = largest_remainder(pool.rep, &weights);
        let total = largest_remainder(pool.total, &weights);
        for (k, &i) in regions.iter().enumerate() {
            medsl.years[y][i] = Some(Votes {
                dem: dem[k],
                rep: rep[k],
                total: total[k],
            });
        }
    }
    Ok(regions.into_iter().collect())
}

/// Splits `amount` (≥ 0) in proportion to `weights` (≥ 0, not all zero) into
/// integers summing exactly to `amount`: floors first, then one more to the
/// largest remainders, ties to the earlier weight.
pub fn largest_remainder(amount: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|&w| w as i128).sum();
    let mut parts: Vec<(i64, i128)> = weights
        .iter()
        .map(|&w| {
            let x = amount as i128 * w as i128;
            ((x / sum) as i64, x % sum)
        })
        .collect();
    let short = amount - parts.iter().map(|p| p.0).sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
    for &k in order.iter().take(short as usize) {
        parts[k].0 += 1;
    }
    parts.into_iter().map(|p| p.0).collect()
}

// ---- tonmcg 2024 ----------------------------------------------------------

/// 2024 votes of each node. District of Columbia is reported by ward
/// (11001–11008, where 11001 is Ward 1 only): the eight rows are summed into
/// 11001. Connecticut is reported by planning region, as in the graph.
fn tonmcg_2024(
    raw: &Path,
    index: &BTreeMap<String, usize>,
) -> Result<Vec<Option<Votes>>, BuildError> {
    let file = read_csv(&raw.join(TONMCG_2024_FILE), false)?;
    let c_fips = file.column("county_fips")?;
    let c_dem = file.column("votes_dem")?;
    let c_rep = file.column("votes_gop")?;
    let c_total = file.column("total_votes")?;
    let mut out = vec![None::<Votes>; index.len()];
    for (line, rec) in &file.records {
        let raw_fips = rec.get(c_fips).unwrap_or("").trim();
        let fips = format!("{raw_fips:0>5}");
        let state = State::parse(&fips[..2])
            .map_err(|e| parse_error(&file, *line, "county_fips", raw_fips, &e.to_string()))?;
        if excluded(state) {
            continue;
        }
        let dc_ward = state == State::Dc && ("11001".."11009").contains(&fips.as_str());
        let target = if dc_ward { "11001".to_string() } else { fips };
        let Some(&i) = index.get(&target) else {
            return Err(parse_error(
                &file,
                *line,
                "county_fips",
                raw_fips,
                "not a county-equivalent of the 2024 adjacency file",
            ));
        };
        if out[i].is_some() && !dc_ward {
            return Err(parse_error(
                &file,
                *line,
                "county_fips",
                raw_fips,
                "duplicated county",
            ));
        }
        let n = |c| file.number(*line, rec, c).map(|v| to_units(v, 1.0));
        out[i].get_or_insert_with(Votes::default).add(Votes {
            dem: n(c_dem)?,
            rep: n(c_rep)?,
            total: n(c_total)?,
        });
    }
    Ok(out)
}

// ---- checks against the state results -------------------------------------

/// A state's county sums against the MEDSL state result, one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateDifference {
    pub year: u16,
    pub state: State,
    pub county_dem: i64,
    pub state_dem: i64,
    pub county_rep: i64,
    pub state_rep: i64,
}

impl StateDifference {
    /// Largest of the D and R relative differences (county − state) / state.
    pub fn worst(&self) -> f64 {
        let d = (self.county_dem - self.state_dem) as f64 / self.state_dem as f64;
        let r = (self.county_rep - self.state_rep) as f64 / self.state_rep as f64;
        if d.abs() >= r.abs() {
            d
        } else {
            r
        }
    }
}

/// County sums vs state results for every year and each of the 48 states +
/// DC, in (year, FIPS) order.
pub fn state_differences(graph: &CountyGraph, states: &[ElectionRow]) -> Vec<StateDifference> {
    let mut out = Vec::new();
    for (y, year) in YEARS.iter().enumerate() {
        for s in State::ALL.into_iter().filter(|s| !excluded(*s)) {
            let (mut dem, mut rep) = (0, 0);
            for c in graph.counties.iter().filter(|c| c.state == s) {
                dem += c.votes[y].dem;
                rep += c.votes[y].rep;
            }
            let Some(row) = states.iter().find(|r| r.year == *year && r.state == s) else {
                continue;
            };
            out.push(StateDifference {
                year: *year,
                state: s,
                county_dem: dem,
                state_dem: row.dem_votes,
                county_rep: rep,
                state_rep: row.rep_votes,
            });
        }
    }
    out
}

fn check_state_totals(graph: &CountyGraph, states: &[ElectionRow]) -> Result<(), BuildError> {
    let diffs = state_differences(graph, states);
    if diffs.len() != YEARS.len() * (STATE_COUNT - 2) {
        return Err(BuildError::Check(format!(
            "state results missing: {} of {} state-years",
            diffs.len(),
            YEARS.len() * (STATE_COUNT - 2)
        )));
    }
    if let Some(d) = diffs.iter().find(|d| d.worst().abs() > STATE_TOLERANCE) {
        return Err(BuildError::Check(format!(
            "{} {}: county sums D {} R {} differ from the state result D {} R {} by more than {}%",
            d.year,
            d.state,
            d.county_dem,
            d.county_rep,
            d.state_dem,
            d.state_rep,
            STATE_TOLERANCE * 100.0
        )));
    }
    for year in YEARS {
        let sum = |f: fn(&StateDifference) -> i64| -> i64 {
            diffs.iter().filter(|d| d.year == year).map(f).sum()
        };
        for (party, county, state) in [
            ("D", sum(|d| d.county_dem), sum(|d| d.state_dem)),
            ("R", sum(|d| d.county_rep), sum(|d| d.state_rep)),
        ] {
            let rel = (county - state) as f64 / state as f64;
            if rel.abs() > NATIONAL_TOLERANCE {
                return Err(BuildError::Check(format!(
                    "{year} {party}: county sum {county} differs from the 48 + DC state sum {state} by {:.3}%",
                    rel * 100.0
                )));
            }
        }
    }
    Ok(())
}

// ---- output --------------------------------------------------------------

/// `counties.csv`: one row per county, FIPS order.
pub fn counties_text(graph: &CountyGraph) -> String {
    let mut text = format!("{COUNTIES_HEADER}\n");
    for c in &graph.counties {
        let name = if c.name.contains([',', '"', '\n']) {
            format!("\"{}\"", c.name.replace('"', "\"\""))
        } else {
            c.name.clone()
        };
        write!(
            text,
            "{},{},{},{}",
            c.fips,
            c.state.postal(),
            name,
            c.population
        )
        .unwrap();
        for v in &c.votes {
            write!(text, ",{},{},{}", v.dem, v.rep, v.total).unwrap();
        }
        writeln!(text, ",{}", u8::from(c.votes_estimated)).unwrap();
    }
    text
}

/// `county_edges.csv`: one row per undirected pair, a < b, sorted.
pub fn edges_text(graph: &CountyGraph) -> String {
    let mut text = format!("{EDGES_HEADER}\n");
    for &(a, b) in &graph.edges {
        writeln!(
            text,
            "{},{}",
            graph.counties[a].fips, graph.counties[b].fips
        )
        .unwrap();
    }
    text
}

/// Manifest sources: (table, columns, source) for every column of the two
/// tables.
pub fn sources() -> Vec<(&'static str, &'static str, Source)> {
    let census_adjacency = |table: &'static str, units: &'static str| Source {
        publisher: "U.S. Census Bureau, Geography Division",
        table: table.into(),
        year: "2024".into(),
        units,
        files: vec![ADJACENCY_FILE],
    };
    let medsl = |table: &'static str, year: &'static str| Source {
        publisher: "MIT Election Data and Science Lab (MEDSL); fedsplit allocation for Connecticut",
        table: table.into(),
        year: year.into(),
        units: "votes",
        files: vec![MEDSL_COUNTY_FILE, POPEST_FILE],
    };
    vec![
        (
            "counties",
            "fips,state,name",
            census_adjacency(
                "County Adjacency File 2024: County GEOID and County Name (state suffix removed); 48 states + DC",
                "code",
            ),
        ),
        (
            "counties",
            "population",
            Source {
                publisher: "U.S. Census Bureau, Population Estimates Program",
                table: "co-est2023-alldata (Vintage 2023), SUMLEV 50: POPESTIMATE2023".into(),
                year: "July 1 2023".into(),
                units: "persons",
                files: vec![POPEST_FILE],
            },
        ),
        (
            "counties",
            "dem_2016,rep_2016,total_2016",
            medsl("County Presidential Election Returns 2000-2020: candidatevotes summed by candidate (Clinton, Trump; total = all rows); CT planning regions allocated by POPESTIMATE2020", "2016"),
        ),
        (
            "counties",
            "dem_2020,rep_2020,total_2020",
            medsl("County Presidential Election Returns 2000-2020: candidatevotes, TOTAL mode else all modes, summed by candidate (Biden, Trump; total = all rows); CT planning regions allocated by POPESTIMATE2020", "2020"),
        ),
        (
            "counties",
            "dem_2024,rep_2024,total_2024",
            Source {
                publisher: "Tony McGovern (tonmcg), US County Level Election Results 08-24",
                table: "2024_US_County_Level_Presidential_Results: votes_dem, votes_gop, total_votes (DC wards summed)".into(),
                year: "2024".into(),
                units: "votes",
                files: vec![TONMCG_2024_FILE],
            },
        ),
        (
            "counties",
            "votes_estimated",
            Source {
                publisher: "fedsplit, derived",
                table: "1 where a year's votes are allocated, not reported (CT planning regions 2016, 2020)".into(),
                year: "2016, 2020".into(),
                units: "flag",
                files: vec![MEDSL_COUNTY_FILE, POPEST_FILE],
            },
        ),
        (
            "county_edges",
            "a,b",
            census_adjacency(
                "County Adjacency File 2024: County GEOID-Neighbor GEOID pairs among the 48 states + DC, self-pairs removed (includes point and water contacts)",
                "pairs of counties",
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_sums_exactly() {
        assert_eq!(largest_remainder(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(largest_remainder(0, &[5, 7]), vec![0, 0]);
        assert_eq!(largest_remainder(7, &[2, 0, 5]), vec![2, 0, 5]);
        let parts = largest_remainder(1_000_003, &[17, 29, 31, 101]);
        assert_eq!(parts.iter().sum::<i64>(), 1_000_003);
    }

    #[test]
    fn medsl_units() {
        assert_eq!(medsl_unit("AL", "1001"), Unit::County("01001".into()));
        assert_eq!(medsl_unit("CA", "06077"), Unit::County("06077".into()));
        assert_eq!(medsl_unit("DC", "NA"), Unit::County("11001".into()));
        assert_eq!(medsl_unit("MO", "36000"), Unit::County("29095".into()));
        assert_eq!(medsl_unit("SD", "46113"), Unit::County("46102".into()));
        assert_eq!(medsl_unit("VA", "51515"), Unit::County("51019".into()));
        assert_eq!(medsl_unit("CT", "9003"), Unit::ConnecticutPool);
        assert_eq!(medsl_unit("AK", "2001"), Unit::Excluded);
        assert_eq!(medsl_unit("NA", "2099"), Unit::Excluded);
        assert_eq!(medsl_unit("HI", "15001"), Unit::Excluded);
        assert_eq!(medsl_unit("NA", "NA"), Unit::NoCounty);
        assert_eq!(medsl_unit("RI", "NA"), Unit::NoCounty);
    }

    fn graph() -> Option<(std::path::PathBuf, CountyGraph)> {
        let raw = crate::raw_root_for_test("county graph tests")?;
        let g = county_graph(&raw).expect("county graph builds");
        Some((raw, g))
    }

    #[test]
    fn counts_connectivity_and_population() {
        let Some((raw, g)) = graph() else { return };
        assert_eq!(g.counties.len(), 3109);
        assert_eq!(g.edges.len(), 9231);
        assert!(g.counties.windows(2).all(|w| w[0].fips < w[1].fips));
        assert!(g.edges.windows(2).all(|w| w[0] < w[1]));
        assert!(g.edges.iter().all(|(a, b)| a < b));
        assert_eq!(components(g.counties.len(), &g.edges).len(), 1);
        let states: BTreeSet<State> = g.counties.iter().map(|c| c.state).collect();
        assert_eq!(states.len(), 49);
        assert!(!states.contains(&State::Ak) && !states.contains(&State::Hi));
        let ct: Vec<&str> = g
            .counties
            .iter()
            .filter(|c| c.state == State::Ct)
            .map(|c| c.fips.as_str())
            .collect();
        assert_eq!(
            ct,
            ["09110", "09120", "09130", "09140", "09150", "09160", "09170", "09180", "09190"]
        );

        // Population: the sum of the V2023 state rows over the 48 + DC.
        let file = read_csv(&raw.join(POPEST_FILE), false).unwrap();
        let (c_sumlev, c_state, c_pop) = (
            file.column("SUMLEV").unwrap(),
            file.column("STATE").unwrap(),
            file.column("POPESTIMATE2023").unwrap(),
        );
        let states_sum: i64 = file
            .records
            .iter()
            .filter(|(_, r)| r.get(c_sumlev) == Some("40"))
            .filter(|(_, r)| !matches!(r.get(c_state), Some("2") | Some("15")))
            .map(|(_, r)| r.get(c_pop).unwrap().parse::<i64>().unwrap())
            .sum();
        let pop: i64 = g.counties.iter().map(|c| c.population).sum();
        println!("population 2023, 48 + DC: {pop}");
        assert_eq!(pop, states_sum);
        assert!(g.counties.iter().all(|c| c.population > 0));

        // Islands are attached by the Census listing (across water).
        let idx = |f: &str| g.counties.iter().position(|c| c.fips == f).unwrap();
        let has = |a: &str, b: &str| {
            let (a, b) = (idx(a).min(idx(b)), idx(a).max(idx(b)));
            g.edges.binary_search(&(a, b)).is_ok()
        };
        assert!(has("25007", "25019")); // Dukes–Nantucket
        assert!(has("53055", "53057")); // San Juan–Skagit WA
        assert!(has("04001", "08083")); // Four Corners point: Apache AZ–Montezuma CO
        assert!(has("35045", "49037")); // Four Corners point: San Juan NM–San Juan UT
        assert!(has("17031", "26021")); // Lake Michigan: Cook IL–Berrien MI
        assert!(has("27031", "26083")); // Lake Superior: Cook MN–Keweenaw MI
        let degree = |f: &str| {
            let i = idx(f);
            g.edges.iter().filter(|(a, b)| *a == i || *b == i).count()
        };
        assert_eq!(degree("25019"), 1);

        // No county of the graph is listed beside one outside it (AK, HI, PR).
        let (nodes, pairs) = read_adjacency(&raw).unwrap();
        let ids: BTreeSet<&str> = nodes.iter().map(|n| n.0.as_str()).collect();
        let crossing = pairs
            .iter()
            .filter(|(a, b)| ids.contains(a.as_str()) != ids.contains(b.as_str()))
            .count();
        assert_eq!(crossing, 0);
    }

    #[test]
    fn cross_state_edges_by_kind() {
        // How many edges cross a state pair that has no shared land arc
        // (state-adjacency kind point or water).
        let Some((raw, g)) = graph() else { return };
        let file = read_csv(
            &raw.join("state-adjacency/state_adjacency_derived.csv"),
            false,
        )
        .unwrap();
        let (ca, cb, ck) = (
            file.column("state_po_a").unwrap(),
            file.column("state_po_b").unwrap(),
            file.column("kind").unwrap(),
        );
        let mut kinds = BTreeMap::new();
        for (_, r) in &file.records {
            let a = State::parse(r.get(ca).unwrap()).unwrap();
            let b = State::parse(r.get(cb).unwrap()).unwrap();
            kinds.insert((a.min(b), a.max(b)), r.get(ck).unwrap().to_string());
        }
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for &(a, b) in &g.edges {
            let (sa, sb) = (g.counties[a].state, g.counties[b].state);
            let kind = if sa == sb {
                "same state".to_string()
            } else {
                kinds
                    .get(&(sa.min(sb), sa.max(sb)))
                    .cloned()
                    .unwrap_or("unknown".into())
            };
            if kind == "point" || kind == "water" {
                println!(
                    "{kind}: {} {} – {} {}",
                    g.counties[a].fips, g.counties[a].name, g.counties[b].fips, g.counties[b].name
                );
            }
            *counts.entry(kind).or_default() += 1;
        }
        println!("{counts:?}");
        assert_eq!(counts.get("unknown"), None);
        assert_eq!(counts.get("none"), None);
        assert_eq!(counts["point"], 2);
    }

    #[test]
    fn votes_match_state_results() {
        let Some((raw, g)) = graph() else { return };
        // The state results as committed in data/elections.csv.
        let data =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/elections.csv");
        let committed = read_csv(&data, false).unwrap();
        let col = |n: &str| committed.column(n).unwrap();
        let (cy, cp, cd, cr) = (
            col("year"),
            col("postal"),
            col("dem_votes"),
            col("rep_votes"),
        );
        let rows: Vec<ElectionRow> = committed
            .records
            .iter()
            .map(|(_, r)| ElectionRow {
                year: r.get(cy).unwrap().parse().unwrap(),
                state: State::parse(r.get(cp).unwrap()).unwrap(),
                dem_candidate: String::new(),
                rep_candidate: String::new(),
                dem_votes: r.get(cd).unwrap().parse().unwrap(),
                rep_votes: r.get(cr).unwrap().parse().unwrap(),
                other_votes: 0,
                total_votes: 0,
            })
            .collect();
        let diffs = state_differences(&g, &rows);
        assert_eq!(diffs.len(), 3 * 49);
        for d in diffs.iter().filter(|d| d.worst().abs() > 0.001) {
            println!(
                "{} {}: D {} vs {} ({:+}), R {} vs {} ({:+})",
                d.year,
                d.state,
                d.county_dem,
                d.state_dem,
                d.county_dem - d.state_dem,
                d.county_rep,
                d.state_rep,
                d.county_rep - d.state_rep
            );
        }
        for (y, year) in YEARS.iter().enumerate() {
            let sum = |f: fn(&StateDifference) -> i64| -> i64 {
                diffs.iter().filter(|d| d.year == *year).map(f).sum()
            };
            let (cd, sd, cr, sr) = (
                sum(|d| d.county_dem),
                sum(|d| d.state_dem),
                sum(|d| d.county_rep),
                sum(|d| d.state_rep),
            );
            let total: i64 = g.counties.iter().map(|c| c.votes[y].total).sum();
            println!(
                "{year}: counties D {cd} R {cr} total {total}; states (48 + DC) D {sd} R {sr}; diff D {:+} ({:+.3}%) R {:+} ({:+.3}%)",
                cd - sd,
                (cd - sd) as f64 / sd as f64 * 100.0,
                cr - sr,
                (cr - sr) as f64 / sr as f64 * 100.0
            );
            assert!(((cd - sd) as f64 / sd as f64).abs() < 0.005);
            assert!(((cr - sr) as f64 / sr as f64).abs() < 0.005);
        }
        // The committed elections table is what the builder produces.
        assert_eq!(
            diffs,
            state_differences(&g, &elections::state_results(&raw).unwrap())
        );
        for u in &g.unassigned {
            println!("not in any county: {u:?}");
        }
    }

    #[test]
    fn special_cases() {
        let Some((raw, g)) = graph() else { return };
        let c = |f: &str| g.counties.iter().find(|c| c.fips == f).unwrap();
        // Connecticut: every planning region estimated, nothing else.
        let estimated: Vec<&str> = g
            .counties
            .iter()
            .filter(|c| c.votes_estimated)
            .map(|c| c.fips.as_str())
            .collect();
        assert_eq!(estimated.len(), 9);
        assert!(estimated.iter().all(|f| f.starts_with("091")));
        // 2024 Connecticut as reported by planning region (tonmcg).
        assert_eq!(
            c("09110").votes[2],
            Votes {
                dem: 285_105,
                rep: 181_038,
                total: 474_268
            }
        );
        // DC 2024 = the eight wards.
        assert_eq!(
            c("11001").votes[2].dem,
            36_882 + 33_571 + 39_521 + 38_628 + 41_413 + 43_262 + 33_972 + 26_936
        );
        // Kansas City, MO (36000) is added to Jackson County; tonmcg 2020
        // (which includes the city in Jackson) agrees exactly.
        assert_eq!(
            (c("29095").votes[1].dem, c("29095").votes[1].rep),
            (92_182 + 107_660, 100_142 + 26_393)
        );
        let t2020 = read_csv(
            &raw.join("tonmcg-county-pres/2020_US_County_Level_Presidential_Results.csv"),
            false,
        )
        .unwrap();
        let (cf, cd, cr) = (
            t2020.column("county_fips").unwrap(),
            t2020.column("votes_dem").unwrap(),
            t2020.column("votes_gop").unwrap(),
        );
        for f in ["29037", "29047", "29095", "29165"] {
            let r = &t2020
                .records
                .iter()
                .find(|(_, r)| r.get(cf) == Some(f))
                .unwrap()
                .1;
            let tm = (
                r.get(cd).unwrap().parse::<i64>().unwrap(),
                r.get(cr).unwrap().parse::<i64>().unwrap(),
            );
            assert_eq!(tm, (c(f).votes[1].dem, c(f).votes[1].rep), "{f}");
        }
        // Oglala Lakota (MEDSL 46113) has votes in every year.
        assert!(c("46102").votes.iter().all(|v| v.dem > 0));
        // Bedford County 2016 (Bedford city rows are NA).
        assert!(c("51019").votes[0].total > 30_000);
        // Statewide-only votes left out.
        let labels: Vec<String> = g
            .unassigned
            .iter()
            .map(|u| format!("{} {}", u.0, u.1))
            .collect();
        assert_eq!(
            labels,
            [
                "2016 NA FEDERAL PRECINCT",
                "2016 NA MAINE UOCAVA",
                "2020 RI FEDERAL PRECINCT"
            ]
        );
    }
}
