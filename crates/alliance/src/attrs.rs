//! Node attributes: population (on the graph), presidential votes for 2016,
//! 2020 and 2024, and fiscal figures from the ledger.
//!
//! Fiscal figures are the ledger's (default options unless told otherwise):
//! for a state, its receipts, attributed spending and net (spending −
//! receipts). Counties have no ledger of their own: a county's figures are
//! its state's **apportioned by population** (state figure × county
//! population / the population of the state's counties), so they are
//! estimates, flagged by `fiscal_estimated`, and every county of a state has
//! its state's net per capita.

use std::collections::HashMap;

use fedsplit_core::State;
use fedsplit_data::{Counties, DataError, Dataset};
use fedsplit_ledger::{Ledger, Options};

use fedsplit_core::graph::{Graph, GraphError};

/// The election years of `NodeAttrs` vote columns, in order.
pub const YEARS: [u16; 3] = fedsplit_data::COUNTY_VOTE_YEARS;

/// Why node attributes could not be built. One line each, naming the file,
/// line, field and value where there is one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AttrError {
    #[error("no votes for {0} (years: 2016, 2020, 2024)")]
    UnknownYear(u16),
    #[error("ledger: {0}")]
    Ledger(String),
    /// A county table that does not parse; the same messages as the
    /// dataset loader (file, line, field, value).
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error("{0}")]
    Inconsistent(String),
}

/// Per-node attributes, indexed like the graph's nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeAttrs {
    /// Democratic nominee's votes, per year of `YEARS`.
    pub dem: [Vec<u64>; 3],
    /// Republican nominee's votes, per year of `YEARS`.
    pub rep: [Vec<u64>; 3],
    /// All votes cast for president (every candidate), per year of `YEARS`.
    pub total: [Vec<u64>; 3],
    /// Federal spending − federal receipts, dollars (ledger; apportioned for counties).
    pub net_usd: Vec<f64>,
    /// Federal receipts attributed to the node's residents, dollars.
    pub receipts_usd: Vec<f64>,
    /// Federal spending attributed to the node, dollars.
    pub spending_usd: Vec<f64>,
    /// The fiscal figures are estimates apportioned by population (counties).
    pub fiscal_estimated: bool,
    /// Per node: some year's votes are an estimate (Connecticut's planning regions).
    pub votes_estimated: Vec<bool>,
    /// The state each node lies in (a state is its own state).
    pub state: Vec<State>,
    /// A display name per node: the postal code of a state, "Name, ST" for
    /// a county.
    pub labels: Vec<String>,
    /// The ledger options the fiscal figures were computed under.
    pub options: Options,
}

/// Index of `year` in `YEARS`.
pub fn year_index(year: u16) -> Result<usize, AttrError> {
    YEARS
        .iter()
        .position(|&y| y == year)
        .ok_or(AttrError::UnknownYear(year))
}

impl NodeAttrs {
    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.net_usd.len()
    }

    pub fn is_empty(&self) -> bool {
        self.net_usd.is_empty()
    }

    /// Attributes for a hand-built graph: the same votes in every year,
    /// spending = max(net, 0), receipts = max(−net, 0). Every node is put in
    /// Alabama (the field is only used for display).
    pub fn toy(dem: Vec<u64>, rep: Vec<u64>, total: Vec<u64>, net_usd: Vec<f64>) -> NodeAttrs {
        let n = net_usd.len();
        assert!(
            dem.len() == n && rep.len() == n && total.len() == n,
            "toy attributes of different lengths"
        );
        NodeAttrs {
            dem: [dem.clone(), dem.clone(), dem],
            rep: [rep.clone(), rep.clone(), rep],
            total: [total.clone(), total.clone(), total],
            receipts_usd: net_usd.iter().map(|x| (-x).max(0.0)).collect(),
            spending_usd: net_usd.iter().map(|x| x.max(0.0)).collect(),
            net_usd,
            fiscal_estimated: false,
            votes_estimated: vec![false; n],
            state: vec![State::Al; n],
            labels: (0..n).map(|v| v.to_string()).collect(),
            options: Options::default(),
        }
    }
}

/// The states left out of the graphs: no land border with the others.
pub fn excluded(state: State) -> bool {
    matches!(state, State::Ak | State::Hi)
}

/// The state graph under the ledger's default options: see `state_graph_with`.
pub fn state_graph(data: &Dataset) -> Result<(Graph, NodeAttrs), AttrError> {
    state_graph_with(data, &Options::default())
}

/// The graph of the 48 contiguous states and DC (the dataset's states in
/// dataset order, less Alaska and Hawaii), joined by the land borders of
/// `data.borders`; populations rounded to whole persons; names are postal
/// codes. Fiscal figures from the ledger under `options`; votes from the
/// dataset's elections (zero for a year the dataset lacks).
pub fn state_graph_with(
    data: &Dataset,
    options: &Options,
) -> Result<(Graph, NodeAttrs), AttrError> {
    let ledger = Ledger::new(data).map_err(|e| AttrError::Ledger(e.to_string()))?;
    let table = ledger.compute(options);
    let keep: Vec<usize> = (0..data.len())
        .filter(|&i| !excluded(data.states[i]))
        .collect();
    let mut node_of = HashMap::new();
    for (v, &i) in keep.iter().enumerate() {
        node_of.insert(data.states[i], v);
    }
    let graph = data.state_graph().induced(&keep);

    let n = keep.len();
    let mut dem: [Vec<u64>; 3] = std::array::from_fn(|_| vec![0; n]);
    let mut rep: [Vec<u64>; 3] = std::array::from_fn(|_| vec![0; n]);
    let mut total: [Vec<u64>; 3] = std::array::from_fn(|_| vec![0; n]);
    for (y, &year) in YEARS.iter().enumerate() {
        for r in data.elections.iter().filter(|r| r.year == year) {
            if let Some(&v) = node_of.get(&r.state) {
                dem[y][v] = r.dem_votes;
                rep[y][v] = r.rep_votes;
                total[y][v] = r.total_votes;
            }
        }
    }
    let attrs = NodeAttrs {
        dem,
        rep,
        total,
        net_usd: keep.iter().map(|&i| table.net[i]).collect(),
        receipts_usd: keep.iter().map(|&i| table.receipts_total[i]).collect(),
        spending_usd: keep.iter().map(|&i| table.spending_total[i]).collect(),
        fiscal_estimated: false,
        votes_estimated: vec![false; n],
        state: keep.iter().map(|&i| data.states[i]).collect(),
        labels: graph.names.clone(),
        options: *options,
    };
    Ok((graph, attrs))
}

/// The graphs `--graph` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphSpec {
    /// The 48 contiguous states and DC.
    States,
    /// The counties of the contiguous states.
    Counties,
    /// A `w × h` grid of unit-population nodes.
    Grid(usize, usize),
}

impl GraphSpec {
    /// `states`, `counties` or `grid:WxH`.
    pub fn parse(text: &str) -> Result<GraphSpec, String> {
        let t = text.trim();
        match t {
            "states" => return Ok(GraphSpec::States),
            "counties" => return Ok(GraphSpec::Counties),
            _ => {}
        }
        let bad = || format!("{t:?}: expected states, counties or grid:WxH (e.g. grid:56x56)");
        let dims = t.strip_prefix("grid:").ok_or_else(bad)?;
        let (w, h) = dims.split_once(['x', 'X']).ok_or_else(bad)?;
        let w: usize = w.parse().map_err(|_| bad())?;
        let h: usize = h.parse().map_err(|_| bad())?;
        if w == 0 || h == 0 || w.saturating_mul(h) > 50_000_000 {
            return Err(format!(
                "{t:?}: grid sides must be ≥ 1 and the grid at most 50,000,000 nodes"
            ));
        }
        Ok(GraphSpec::Grid(w, h))
    }

    /// The name written in output metadata.
    pub fn label(&self) -> String {
        match self {
            GraphSpec::States => "states".into(),
            GraphSpec::Counties => "counties".into(),
            GraphSpec::Grid(w, h) => format!("grid:{w}x{h}"),
        }
    }
}

/// The graph `spec` names with its attributes, fiscal figures under
/// `options`: the states from the dataset, the counties from the dataset's
/// county tables; a grid has unit populations and no votes or money.
pub fn load(
    spec: GraphSpec,
    data: &Dataset,
    options: &Options,
) -> Result<(Graph, NodeAttrs), AttrError> {
    match spec {
        GraphSpec::States => state_graph_with(data, options),
        GraphSpec::Counties => county_graph_with(&data.counties()?, data, options),
        GraphSpec::Grid(w, h) => Ok(grid(w, h)),
    }
}

/// A `w × h` grid of unit populations with no votes or money.
pub fn grid(w: usize, h: usize) -> (Graph, NodeAttrs) {
    let graph = Graph::grid(w, h);
    let n = graph.len();
    let attrs = NodeAttrs::toy(vec![0; n], vec![0; n], vec![0; n], vec![0.0; n]);
    (graph, attrs)
}

/// The units each graph leaves out of the source: Alaska and Hawaii have no
/// land border with the other states.
pub fn left_out(spec: GraphSpec) -> Vec<String> {
    match spec {
        GraphSpec::States | GraphSpec::Counties => vec!["AK".to_string(), "HI".to_string()],
        GraphSpec::Grid(..) => Vec::new(),
    }
}

/// The county graph: names are FIPS codes. Fiscal figures are each state's
/// ledger figures under `options` apportioned to its counties by population
/// (estimates: `fiscal_estimated` is set).
pub fn county_graph_with(
    counties: &Counties,
    data: &Dataset,
    options: &Options,
) -> Result<(Graph, NodeAttrs), AttrError> {
    let ledger = Ledger::new(data).map_err(|e| AttrError::Ledger(e.to_string()))?;
    let table = ledger.compute(options);
    let list = &counties.counties;
    let n = list.len();

    // Apportion each state's ledger figures to its counties by population.
    let mut state_pop: HashMap<State, u64> = HashMap::new();
    for c in list {
        *state_pop.entry(c.state).or_default() += c.population;
    }
    let column = |col: &[f64]| -> Vec<f64> {
        list.iter()
            .map(|c| {
                let i = data
                    .position(c.state)
                    .expect("the loader checked the state");
                let sp = state_pop[&c.state];
                let share = if sp == 0 {
                    0.0
                } else {
                    c.population as f64 / sp as f64
                };
                col[i] * share
            })
            .collect()
    };
    let votes = |party: usize| -> [Vec<u64>; 3] {
        std::array::from_fn(|y| list.iter().map(|c| c.votes[y][party]).collect())
    };
    let graph = Graph::from_edges(
        list.iter().map(|c| c.population).collect(),
        list.iter().map(|c| c.fips.clone()).collect(),
        &counties.edges,
    )?;
    let attrs = NodeAttrs {
        dem: votes(0),
        rep: votes(1),
        total: votes(2),
        net_usd: column(&table.net),
        receipts_usd: column(&table.receipts_total),
        spending_usd: column(&table.spending_total),
        fiscal_estimated: true,
        votes_estimated: list.iter().map(|c| c.votes_estimated).collect(),
        state: list.iter().map(|c| c.state).collect(),
        labels: list
            .iter()
            .map(|c| format!("{}, {}", c.name, c.state.postal()))
            .collect(),
        options: *options,
    };
    debug_assert_eq!(attrs.len(), n);
    Ok((graph, attrs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_graph_is_48_plus_dc_and_connected() {
        let data = Dataset::embedded().unwrap();
        let (g, a) = state_graph(&data).unwrap();
        assert_eq!(g.len(), 49);
        assert_eq!(a.len(), 49);
        assert!(!g.names.iter().any(|n| n == "AK" || n == "HI"));
        let p = fedsplit_core::graph::Partition::new(&g, vec![0; 49], 1);
        assert!(p.is_contiguous(&g));
        let y = year_index(2024).unwrap();
        assert!(a.total[y].iter().all(|&t| t > 0));
        let ny = g.names.iter().position(|n| n == "NY").unwrap();
        assert!(a.dem[y][ny] > a.rep[y][ny]);
        assert!(year_index(2012).is_err());
    }

    const NODES: &str = "fips,state,name,population,dem_2016,rep_2016,total_2016,dem_2020,rep_2020,total_2020,dem_2024,rep_2024,total_2024,votes_estimated\n\
        01001,AL,\"Autauga County, test\",300,10,20,35,11,21,34,12,22,36,0\n\
        01003,AL,Baldwin County,100,1,2,3,1,2,3,1,2,3,0\n\
        13001,GA,Appling County,50,5,5,10,5,5,10,5,5,10,1\n";
    const EDGES: &str = "a,b\n01001,01003\n01003,13001\n";

    fn toy_counties(data: &Dataset) -> Counties {
        let text = |label: &str, text: &str| fedsplit_data::TableText {
            label: label.into(),
            text: text.into(),
        };
        Counties::parse(
            &text("counties.csv", NODES),
            &text("county_edges.csv", EDGES),
            data,
        )
        .unwrap()
    }

    #[test]
    fn counties_apportion_state_figures_by_population() {
        let data = Dataset::embedded().unwrap();
        let (g, a) = county_graph_with(&toy_counties(&data), &data, &Options::default()).unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g.neighbors(1), &[0, 2]);
        assert!(a.fiscal_estimated);
        assert_eq!(a.votes_estimated, vec![false, false, true]);
        assert_eq!(a.dem[2][0], 12);
        assert_eq!(a.total[0][0], 35);
        let table = Ledger::new(&data).unwrap().compute(&Options::default());
        let al = data.position(State::Al).unwrap();
        let ga = data.position(State::Ga).unwrap();
        assert!((a.net_usd[0] - 0.75 * table.net[al]).abs() < 1e-3);
        assert!((a.net_usd[0] + a.net_usd[1] - table.net[al]).abs() < 1e-3);
        assert!((a.net_usd[2] - table.net[ga]).abs() < 1e-3);
        assert_eq!(a.labels[0], "Autauga County, test, AL");
    }

    #[test]
    fn embedded_county_graph_is_connected_and_adds_up() {
        let data = Dataset::embedded().unwrap();
        let (g, a) = load(GraphSpec::Counties, &data, &Options::default()).unwrap();
        assert!(g.len() > 3000);
        assert!(fedsplit_core::graph::Partition::new(&g, vec![0; g.len()], 1).is_contiguous(&g));
        // The apportioned nets add up to the 48 states + DC.
        let (sg, sa) = state_graph(&data).unwrap();
        let county_net: f64 = a.net_usd.iter().sum();
        let state_net: f64 = sa.net_usd.iter().sum();
        assert!(
            (county_net - state_net).abs() < 1.0,
            "{county_net} vs {state_net}"
        );
        assert_eq!(sg.len(), 49);
    }
}
