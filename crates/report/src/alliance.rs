//! The alliance commands' answers: `stability` (would a boundary unit rather
//! switch blocs?), `optimize` (a plan found by short bursts) and `ensemble
//! summarize` (where a plan sits among an ensemble's plans).

use std::path::Path;
use std::sync::atomic::AtomicU64;

use fedsplit_alliance::attrs::{self, GraphSpec, NodeAttrs};
use fedsplit_alliance::optimize::{self, OptimizeParams, OptimizeResult, Rank};
use fedsplit_alliance::plan::{plan_partition, PlanOnGraph};
use fedsplit_alliance::scores::{self, percentile, PlanScores, QUANTILE_LEVELS};
use fedsplit_alliance::stability::{self, Dynamics, Move, Outcome, StabilityOptions};
use fedsplit_alliance::summary::{self, EnsembleFile, METRICS};
use fedsplit_alliance::{output, Graph, Partition};
use fedsplit_data::Dataset;
use fedsplit_ledger::Options;
use fedsplit_scenario::examples::Source;
use fedsplit_scenario::spec::{self, Scenario};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::{Meta, OptionsMeta, ReportError};

// ---- shared pieces ----------------------------------------------------------

/// One bloc of a plan on a graph.
#[derive(Debug, Clone, Serialize)]
pub struct UnitBloc {
    pub bloc: String,
    /// Unit names (postal codes, county FIPS codes, grid cells).
    pub units: Vec<String>,
    pub population: u64,
    pub net_usd: f64,
    pub net_per_capita_usd: f64,
    pub dem_votes: u64,
    pub rep_votes: u64,
    pub total_votes: u64,
    pub winner: &'static str,
    pub stranded_voters: u64,
    pub homogeneity: f64,
    /// Connected pieces of the bloc on the graph.
    pub pieces: usize,
    /// Display labels of the units ("Name, ST" for a county).
    #[serde(skip)]
    pub labels: Vec<String>,
    /// The states the units lie in, sorted, once each.
    #[serde(skip)]
    pub states: Vec<&'static str>,
}

/// A plan's scores.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub max_pop_deviation: f64,
    pub stranded_total: u64,
    pub mean_homogeneity: f64,
    pub cut_edges: usize,
    pub max_abs_net_per_capita_usd: f64,
}

impl From<&PlanScores> for Scores {
    fn from(s: &PlanScores) -> Scores {
        Scores {
            max_pop_deviation: s.max_pop_deviation,
            stranded_total: s.stranded_total,
            mean_homogeneity: s.mean_homogeneity,
            cut_edges: s.cut_edges,
            max_abs_net_per_capita_usd: s.max_abs_net_per_capita,
        }
    }
}

fn winner(dem_won: bool) -> &'static str {
    if dem_won {
        "Democratic"
    } else {
        "Republican"
    }
}

/// Every bloc of `plan` with its scores.
pub fn unit_blocs(
    names: &[String],
    graph: &Graph,
    attrs: &NodeAttrs,
    plan: &Partition,
    s: &PlanScores,
) -> Vec<UnitBloc> {
    let pieces = plan.pieces(graph);
    names
        .iter()
        .zip(&s.blocs)
        .enumerate()
        .map(|(b, (name, bs))| {
            let members: Vec<usize> = (0..graph.len())
                .filter(|&u| plan.assignment[u] as usize == b)
                .collect();
            let mut states: Vec<&'static str> =
                members.iter().map(|&u| attrs.state[u].postal()).collect();
            states.sort_unstable();
            states.dedup();
            UnitBloc {
                bloc: name.clone(),
                units: members.iter().map(|&u| graph.names[u].clone()).collect(),
                population: bs.pop,
                net_usd: bs.net_usd,
                net_per_capita_usd: bs.net_per_capita,
                dem_votes: bs.dem,
                rep_votes: bs.rep,
                total_votes: bs.total,
                winner: winner(bs.dem_won),
                stranded_voters: bs.stranded,
                homogeneity: bs.homogeneity,
                pieces: pieces[b],
                labels: members.iter().map(|&u| attrs.labels[u].clone()).collect(),
                states,
            }
        })
        .collect()
}

/// What a graph is, in one line, for text outputs.
pub fn graph_description(spec: GraphSpec, graph: &Graph) -> String {
    let group = fedsplit_core::group_digits;
    match spec {
        GraphSpec::States => format!(
            "state graph: {} units (the 48 contiguous states + DC), {} land borders; Alaska and Hawaii left out",
            graph.len(),
            graph.edge_count()
        ),
        GraphSpec::Counties => format!(
            "county graph: {} counties of the 48 contiguous states + DC, {} adjacencies; fiscal figures are state figures apportioned by population (estimates)",
            group(graph.len() as i64),
            group(graph.edge_count() as i64)
        ),
        GraphSpec::Grid(w, h) => format!(
            "grid graph: {w} × {h} cells of population 1, {} adjacencies; no votes or fiscal figures",
            group(graph.edge_count() as i64)
        ),
    }
}

/// A plan's source: a scenario file or a shipped example.
pub fn plan_source(file: Option<&Path>, example: Option<&str>) -> Result<Source, ReportError> {
    match (file, example) {
        (_, Some(name)) => Source::example(name),
        (Some(path), None) => Source::file(path),
        (None, None) => {
            return Err(ReportError::Invalid(
                "a plan is needed: a scenario file or --example NAME".into(),
            ))
        }
    }
    .map_err(|e| ReportError::Invalid(e.to_string()))
}

// ---- stability --------------------------------------------------------------

/// One boundary unit's possible switch.
#[derive(Debug, Clone, Serialize)]
pub struct MoveRow {
    pub unit: String,
    pub label: String,
    pub from: String,
    pub to: String,
    pub fiscal_gain_per_capita_usd: f64,
    pub align_gain_share: f64,
    pub gain: f64,
    pub allowed: bool,
    pub blocked: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StabilityPlan {
    pub scenario: String,
    pub graph: &'static str,
    pub units: usize,
    pub fiscal_estimated: bool,
    pub year: u16,
    pub left_out_blocs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Weights {
    pub fiscal: f64,
    pub fiscal_scale_usd_per_capita: f64,
    pub align: f64,
    pub pop_tolerance: Option<f64>,
    pub epsilon: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cycle {
    pub first_seen_after_step: usize,
    pub length: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DynamicsRow {
    pub max_steps: u32,
    /// "stable", "cycle" or "step-limit".
    pub outcome: &'static str,
    pub cycle: Option<Cycle>,
    pub steps: Vec<MoveRow>,
    pub blocs: Vec<UnitBloc>,
    pub scores: Scores,
    /// How the dynamics ended, in words.
    #[serde(skip)]
    pub outcome_text: String,
}

/// The answer of `fedsplit stability`.
#[derive(Debug, Clone, Serialize)]
pub struct StabilityAnswer {
    pub meta: Meta,
    pub plan: StabilityPlan,
    pub weights: Weights,
    pub blocs: Vec<UnitBloc>,
    pub scores: Scores,
    /// Every (boundary unit, adjacent bloc) pair, by unit then bloc.
    pub moves: Vec<MoveRow>,
    pub stable: bool,
    pub best: Option<MoveRow>,
    pub dynamics: Option<DynamicsRow>,
    /// `moves` indices, largest gain first (ties: unit, then bloc).
    #[serde(skip)]
    pub ranked: Vec<usize>,
    /// Allowed switches with a gain above epsilon.
    #[serde(skip)]
    pub profitable: usize,
    #[serde(skip)]
    pub graph_spec: Option<GraphSpec>,
    #[serde(skip)]
    pub graph_text: String,
    /// Total population / number of blocs.
    #[serde(skip)]
    pub ideal_population: f64,
}

/// What `stability` is asked.
#[derive(Debug, Clone)]
pub struct StabilityRequest<'a> {
    pub plan: &'a Source,
    pub graph: GraphSpec,
    pub fiscal_weight: f64,
    pub align_weight: f64,
    /// `None`: the scenario's vote year.
    pub year: Option<u16>,
    /// Percent.
    pub tol: Option<f64>,
    /// `Some(limit)`: also run best-response dynamics.
    pub dynamics: Option<u32>,
}

fn move_row(names: &[String], graph: &Graph, attrs: &NodeAttrs, m: &Move) -> MoveRow {
    MoveRow {
        unit: graph.names[m.node].clone(),
        label: attrs.labels[m.node].clone(),
        from: names[m.from as usize].clone(),
        to: names[m.to as usize].clone(),
        fiscal_gain_per_capita_usd: m.fiscal_gain,
        align_gain_share: m.align_gain,
        gain: m.gain,
        allowed: m.allowed(),
        blocked: m.blocked.map(|b| b.name()),
    }
}

fn outcome_text(d: &Dynamics, max_steps: u32) -> String {
    let n = d.steps.len();
    let steps = |n: usize| format!("{n} step{}", if n == 1 { "" } else { "s" });
    match d.outcome {
        Outcome::Stable => format!("reached an individually stable plan after {}", steps(n)),
        Outcome::Cycle { first_seen, length } => format!(
            "cycles: the plan after step {} repeats the plan after step {first_seen} (a cycle of {})",
            first_seen + length,
            steps(length)
        ),
        Outcome::StepLimit => format!(
            "stopped at the limit of {} without settling",
            steps(max_steps as usize)
        ),
    }
}

pub fn stability(data: &Dataset, req: &StabilityRequest) -> Result<StabilityAnswer, ReportError> {
    if let GraphSpec::Grid(..) = req.graph {
        return Err(ReportError::Invalid(
            "--graph: a grid has no states, so a scenario's blocs cannot be drawn on it (use states or counties)".into(),
        ));
    }
    let scenario = spec::load_plan(&req.plan.label, &req.plan.text, data)?;
    let (graph, attrs) = attrs::load(req.graph, data, &scenario.options)?;
    let on_graph = plan_on_graph(data, &graph, &attrs, &scenario, req.graph, &req.plan.label)?;
    let names = on_graph.names;
    if names.len() < 2 {
        return Err(ReportError::Invalid(format!(
            "{}: the plan has {} bloc{} on the {} graph; stability needs at least 2",
            req.plan.label,
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            req.graph.label()
        )));
    }
    let plan = on_graph.partition;
    let year = req.year.unwrap_or(scenario.votes_year);
    let opts = StabilityOptions {
        fiscal_weight: req.fiscal_weight,
        align_weight: req.align_weight,
        year,
        pop_tolerance: req.tol.map(|p| p / 100.0),
        ..StabilityOptions::default()
    };
    let scores = scores::score(&graph, &attrs, &plan, year)
        .map_err(|e| ReportError::Invalid(format!("--year {year}: {e}")))?;
    let report = stability::analyse(&graph, &attrs, &plan, &opts)?;
    let row = |m: &Move| move_row(&names, &graph, &attrs, m);
    let dynamics = match req.dynamics {
        Some(max_steps) => {
            let d = stability::best_response(&graph, &attrs, &plan, &opts, max_steps as usize)?;
            let s = scores::score(&graph, &attrs, &d.plan, year)?;
            let (outcome, cycle) = match d.outcome {
                Outcome::Stable => ("stable", None),
                Outcome::Cycle { first_seen, length } => (
                    "cycle",
                    Some(Cycle {
                        first_seen_after_step: first_seen,
                        length,
                    }),
                ),
                Outcome::StepLimit => ("step-limit", None),
            };
            Some(DynamicsRow {
                max_steps,
                outcome,
                cycle,
                steps: d.steps.iter().map(row).collect(),
                blocs: unit_blocs(&names, &graph, &attrs, &d.plan, &s),
                scores: Scores::from(&s),
                outcome_text: outcome_text(&d, max_steps),
            })
        }
        None => None,
    };
    let mut ranked: Vec<usize> = (0..report.moves.len()).collect();
    ranked.sort_by(|&i, &j| {
        let (a, b) = (&report.moves[i], &report.moves[j]);
        b.gain
            .total_cmp(&a.gain)
            .then(a.node.cmp(&b.node))
            .then(a.to.cmp(&b.to))
    });
    Ok(StabilityAnswer {
        meta: Meta::new(data, "stability", Some(&attrs.options)),
        plan: StabilityPlan {
            scenario: scenario.name.clone(),
            graph: match req.graph {
                GraphSpec::Counties => "counties",
                _ => "states",
            },
            units: graph.len(),
            fiscal_estimated: attrs.fiscal_estimated,
            year,
            left_out_blocs: on_graph.dropped,
        },
        weights: Weights {
            fiscal: opts.fiscal_weight,
            fiscal_scale_usd_per_capita: opts.fiscal_scale,
            align: opts.align_weight,
            pop_tolerance: opts.pop_tolerance,
            epsilon: opts.epsilon,
        },
        blocs: unit_blocs(&names, &graph, &attrs, &plan, &scores),
        scores: Scores::from(&scores),
        moves: report.moves.iter().map(row).collect(),
        stable: report.stable,
        best: report.best.as_ref().map(row),
        dynamics,
        ranked,
        profitable: report.profitable(opts.epsilon).len(),
        graph_spec: Some(req.graph),
        graph_text: graph_description(req.graph, &graph),
        ideal_population: graph.total_pop() as f64 / plan.k() as f64,
    })
}

// ---- a scenario's blocs on a graph -------------------------------------------

/// `fedsplit scenario FILE --graph G`: the scenario's blocs drawn on the
/// states or counties graph (county moves applied on the counties graph),
/// with each bloc's population, fiscal figures, votes and pieces.
#[derive(Debug, Clone, Serialize)]
pub struct GraphPlan {
    pub meta: Meta,
    pub plan: StabilityPlan,
    pub blocs: Vec<UnitBloc>,
    pub scores: Scores,
    pub contiguous: bool,
    /// County moves in force (FIPS code, bloc), on the counties graph.
    pub county_moves: Vec<(String, String)>,
    pub notes: Vec<String>,
    #[serde(skip)]
    pub graph_text: String,
}

/// What every answer on the states or counties graph says about it: the
/// states left out and, on counties, the estimated fiscal figures.
fn graph_notes(spec: GraphSpec) -> Vec<String> {
    let mut notes = vec![
        "Alaska and Hawaii are not in the graph: their votes and fiscal figures are ignored"
            .to_string(),
    ];
    if spec == GraphSpec::Counties {
        notes.push(
            "county fiscal figures are their state's apportioned by population (estimates)"
                .to_string(),
        );
    }
    notes
}

/// The graph and its attributes a scenario's blocs are drawn on: built once
/// per graph and ledger options.
pub fn graph_for(
    data: &Dataset,
    spec: GraphSpec,
    options: &Options,
) -> Result<(Graph, NodeAttrs), ReportError> {
    if let GraphSpec::Grid(..) = spec {
        return Err(ReportError::Invalid(
            "--graph: a grid has no states, so a scenario's blocs cannot be drawn on it (use states or counties)".into(),
        ));
    }
    Ok(attrs::load(spec, data, options)?)
}

/// The scenario's blocs on `graph` (from `graph_for` with the scenario's
/// options), votes of the scenario's vote year; errors name `source`.
pub fn graph_plan(
    data: &Dataset,
    scenario: &Scenario,
    source: &str,
    spec: GraphSpec,
    graph: &Graph,
    attrs: &NodeAttrs,
) -> Result<GraphPlan, ReportError> {
    let on_graph = plan_on_graph(data, graph, attrs, scenario, spec, source)?;
    let year = scenario.votes_year;
    let s = scores::score(graph, attrs, &on_graph.partition, year)?;
    let mut notes = graph_notes(spec);
    if attrs.fiscal_estimated {
        let vintage = data
            .column_year("counties", "population")
            .map_or_else(|| "another year".to_string(), |y| format!("July 1, {y}"));
        notes.push(format!(
            "county populations are Census estimates for {vintage} (the county table, shared by every year), so bloc populations differ from the state graph's FY{}",
            data.fiscal_year
        ));
    }
    if spec != GraphSpec::Counties && !scenario.county_moves.is_empty() {
        notes.push(format!(
            "{} county move{} apply on the counties graph only (--graph counties)",
            scenario.county_moves.len(),
            if scenario.county_moves.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    if !on_graph.dropped.is_empty() {
        notes.push(format!(
            "blocs with no unit on the graph (left out): {}",
            on_graph.dropped.join(", ")
        ));
    }
    let county_moves = match spec {
        GraphSpec::Counties => scenario.county_moves.clone(),
        _ => Vec::new(),
    };
    Ok(GraphPlan {
        meta: Meta::new(data, "scenario", Some(&attrs.options)),
        plan: StabilityPlan {
            scenario: scenario.name.clone(),
            graph: match spec {
                GraphSpec::Counties => "counties",
                _ => "states",
            },
            units: graph.len(),
            fiscal_estimated: attrs.fiscal_estimated,
            year,
            left_out_blocs: on_graph.dropped.clone(),
        },
        blocs: unit_blocs(&on_graph.names, graph, attrs, &on_graph.partition, &s),
        scores: Scores::from(&s),
        contiguous: on_graph.partition.is_contiguous(graph),
        county_moves,
        notes,
        graph_text: graph_description(spec, graph),
    })
}

// ---- optimize ---------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Search {
    pub graph: String,
    pub units: usize,
    pub fiscal_estimated: bool,
    pub blocs: usize,
    pub objective: &'static str,
    pub bound: f64,
    pub tol: f64,
    pub ideal_population: f64,
    pub population_bounds: [u64; 2],
    pub year: u16,
    pub steps: u64,
    pub burst: u64,
    pub flips: u64,
    pub bursts: u64,
    pub improving_bursts: u64,
    pub seed: u64,
    pub rng: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankRow {
    pub feasible: bool,
    pub violation: f64,
    pub value: f64,
}

impl From<&Rank> for RankRow {
    fn from(r: &Rank) -> RankRow {
        RankRow {
            feasible: r.feasible(),
            violation: r.violation,
            value: r.value,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub rank: RankRow,
    pub scores: Scores,
    pub blocs: Vec<UnitBloc>,
}

/// The answer of `fedsplit optimize`.
#[derive(Debug, Clone, Serialize)]
pub struct OptimizeAnswer {
    pub meta: Meta,
    pub search: Search,
    pub start: PlanRow,
    pub best: PlanRow,
    #[serde(skip)]
    pub params: OptimizeParams,
    #[serde(skip)]
    pub graph_spec: Option<GraphSpec>,
    #[serde(skip)]
    pub graph_text: String,
    /// The net per capita over all units: no bloc's |average| can be below it.
    #[serde(skip)]
    pub overall_net_per_capita: f64,
}

impl OptimizeAnswer {
    /// Whether the best plan found meets the bound.
    pub fn feasible(&self) -> bool {
        self.best.rank.feasible
    }
}

/// Searches for a plan; `progress` counts the walk steps taken.
pub fn optimize(
    data: &Dataset,
    graph_spec: GraphSpec,
    options: &Options,
    params: OptimizeParams,
    progress: &AtomicU64,
) -> Result<OptimizeAnswer, ReportError> {
    let (graph, attrs) = attrs::load(graph_spec, data, options)?;
    let r: OptimizeResult =
        optimize::optimize_with_progress(&graph, &attrs, &params, None, progress)?;
    let names: Vec<String> = (1..=params.k).map(|b| format!("Bloc {b}")).collect();
    let plan_row = |plan: &Partition, scores: &PlanScores, rank: &Rank| PlanRow {
        rank: RankRow::from(rank),
        scores: Scores::from(scores),
        blocs: unit_blocs(&names, &graph, &attrs, plan, scores),
    };
    let net: f64 = attrs.net_usd.iter().sum();
    Ok(OptimizeAnswer {
        meta: Meta::new(data, "optimize", Some(&attrs.options)),
        search: Search {
            graph: graph_spec.label(),
            units: graph.len(),
            fiscal_estimated: attrs.fiscal_estimated,
            blocs: params.k,
            objective: params.objective.name(),
            bound: params.bound,
            tol: params.tol,
            ideal_population: r.bounds.ideal,
            population_bounds: [r.bounds.lo, r.bounds.hi],
            year: params.year,
            steps: r.steps,
            burst: params.burst,
            flips: r.flips,
            bursts: r.bursts,
            improving_bursts: r.improvements,
            seed: params.seed,
            rng: fedsplit_alliance::rng::RNG_NAME,
        },
        start: plan_row(&r.start, &r.start_scores, &r.start_rank),
        best: plan_row(&r.best, &r.best_scores, &r.best_rank),
        params,
        graph_spec: Some(graph_spec),
        graph_text: graph_description(graph_spec, &graph),
        overall_net_per_capita: net / graph.total_pop() as f64,
    })
}

// ---- ensemble summarize -----------------------------------------------------

/// The quantiles of a metric, as `{"0": …, "5": …, …, "100": …}`.
#[derive(Debug, Clone, Copy)]
pub struct Quantiles(pub [f64; 7]);

impl Serialize for Quantiles {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(QUANTILE_LEVELS.len()))?;
        for (level, x) in QUANTILE_LEVELS.iter().zip(self.0) {
            map.serialize_entry(&format!("{level}"), &x)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SummaryMeta {
    pub tool: &'static str,
    pub version: &'static str,
    pub command: &'static str,
    pub file: String,
    /// The ensemble file's own meta record.
    pub ensemble: serde_json::Value,
    pub year: u16,
    pub dataset_sha256: Option<String>,
    pub options: OptionsMeta,
    pub percentile: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricRow {
    pub name: &'static str,
    pub label: &'static str,
    pub quantiles: Quantiles,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<f64>,
    /// Share of plans below the plan's value, ties half (0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentile: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlacedPlan {
    pub name: String,
    pub source: String,
    pub blocs: Vec<String>,
    pub k: usize,
    pub same_k: bool,
    pub contiguous: bool,
    pub left_out: Vec<String>,
}

/// The answer of `fedsplit ensemble summarize`.
#[derive(Debug, Clone, Serialize)]
pub struct EnsembleSummary {
    pub meta: SummaryMeta,
    pub graph: String,
    pub k: usize,
    pub plans: u64,
    pub metrics: Vec<MetricRow>,
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlacedPlan>,
    /// Every plan's value of each metric (for histograms).
    #[serde(skip)]
    pub values: Vec<Vec<f64>>,
    #[serde(skip)]
    pub units: usize,
}

pub const PERCENTILE_NOTE: &str =
    "share of the ensemble's plans below the plan's value, ties counting half (0..1)";

/// The fiscal year an ensemble's populations come from (its meta's
/// `fiscal_year`; none for a grid or an older file).
pub fn drawn_on(meta: &serde_json::Value) -> Option<u16> {
    meta["fiscal_year"]
        .as_u64()
        .and_then(|y| u16::try_from(y).ok())
}

/// An ensemble's plans, scored: everything a summary needs but the plan to
/// place, so that many plans can be placed against one scoring.
pub struct ScoredEnsemble {
    meta: serde_json::Value,
    label: String,
    graph_label: String,
    spec: GraphSpec,
    k: usize,
    plans: u64,
    graph: Graph,
    attrs: NodeAttrs,
    /// Every plan's value of each metric.
    values: Vec<Vec<f64>>,
    notes: Vec<String>,
    /// The election year of the vote scores.
    year: u16,
    dataset_sha256: Option<String>,
}

impl ScoredEnsemble {
    /// Scores every plan of `file` (whose meta record is `meta`) with votes
    /// of election `year`. `data` is the dataset the ensemble was drawn on
    /// (none for a grid).
    pub fn score(
        file: &EnsembleFile,
        meta: serde_json::Value,
        data: Option<&Dataset>,
        year: u16,
    ) -> Result<ScoredEnsemble, ReportError> {
        let label = file.label.clone();
        let graph_label = meta["graph"].as_str().unwrap_or_default().to_string();
        let spec = GraphSpec::parse(&graph_label)
            .map_err(|e| ReportError::Invalid(format!("{label}: meta: graph {e}")))?;
        let k = meta["k"].as_u64().filter(|&k| k >= 1).ok_or_else(|| {
            ReportError::Invalid(format!("{label}: meta lacks the number of blocs k"))
        })? as usize;
        let mut notes = Vec::new();
        let (graph, attrs) = match (spec, data) {
            (GraphSpec::Grid(w, h), _) => {
                notes
                    .push("a grid has no votes or fiscal figures: those metrics are 0".to_string());
                attrs::grid(w, h)
            }
            (_, None) => {
                return Err(ReportError::Invalid(format!(
                    "{label}: a {graph_label} ensemble needs the dataset it was drawn on"
                )))
            }
            (_, Some(data)) => {
                if let Some(y) = drawn_on(&meta).filter(|&y| y != data.fiscal_year) {
                    return Err(ReportError::Invalid(format!(
                        "{label}: the ensemble was drawn on FY{y} populations, the data loaded is FY{} (use --year {y})",
                        data.fiscal_year
                    )));
                }
                notes.extend(graph_notes(spec));
                attrs::load(spec, data, &Options::default())?
            }
        };
        let sha = output::graph_sha256(&graph);
        let file_sha = meta["graph_sha256"].as_str().unwrap_or_default();
        if sha != file_sha {
            return Err(ReportError::Invalid(format!(
                "{label}: the ensemble was drawn on a different {graph_label} graph (graph_sha256 {}…) than the one rebuilt here ({}…); use the --data it was made with",
                file_sha.get(..12).unwrap_or(file_sha),
                &sha[..12]
            )));
        }

        let y = attrs::year_index(year)?;
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); METRICS.len()];
        let mut scored = PlanScores::default();
        let mut plan_buf = Partition {
            assignment: Vec::new(),
            pops: Vec::new(),
        };
        let plans = file.for_each_plan(k, graph.len(), |a| {
            plan_buf.assignment.clear();
            plan_buf.assignment.extend_from_slice(a);
            plan_buf.pops.clear();
            plan_buf.pops.resize(k, 0);
            for (v, &b) in a.iter().enumerate() {
                plan_buf.pops[b as usize] += graph.pops[v];
            }
            scores::score_year_into(&graph, &attrs, &plan_buf, y, &mut scored);
            for (m, x) in summary::metric_values(&scored).into_iter().enumerate() {
                values[m].push(x);
            }
        })?;
        if plans == 0 {
            return Err(ReportError::Invalid(format!("{label}: no plan records")));
        }
        Ok(ScoredEnsemble {
            meta,
            label,
            graph_label,
            spec,
            k,
            plans,
            graph,
            attrs,
            values,
            notes,
            year,
            dataset_sha256: data.map(|d| d.checksum.clone()),
        })
    }

    /// The number of blocs of the ensemble's plans.
    pub fn k(&self) -> usize {
        self.k
    }

    /// The summary, with `plan` (its source label and the compiled
    /// scenario, on `data`: the dataset it was scored with) placed among the
    /// plans.
    pub fn place(
        &self,
        data: Option<&Dataset>,
        plan: Option<(&str, &Scenario)>,
    ) -> Result<EnsembleSummary, ReportError> {
        let (label, graph_label, k) = (&self.label, &self.graph_label, self.k);
        let mut notes = self.notes.clone();
        let placed = match (data, plan) {
            (None, _) | (_, None) => None,
            (Some(data), Some((source, scenario))) => {
                let on_graph =
                    plan_on_graph(data, &self.graph, &self.attrs, scenario, self.spec, source)?;
                let s = scores::score(&self.graph, &self.attrs, &on_graph.partition, self.year)?;
                if !on_graph.dropped.is_empty() {
                    notes.push(format!(
                        "plan blocs with no unit on the graph (left out): {}",
                        on_graph.dropped.join(", ")
                    ));
                }
                let placed = PlacedPlan {
                    name: scenario.name.clone(),
                    source: source.to_string(),
                    k: on_graph.names.len(),
                    same_k: on_graph.names.len() == k,
                    contiguous: on_graph.partition.is_contiguous(&self.graph),
                    blocs: on_graph.names,
                    left_out: on_graph.dropped,
                };
                if placed.k != k {
                    notes.push(format!(
                        "the plan has {} blocs on this graph, the ensemble {k}: its percentiles compare unlike plans",
                        placed.k
                    ));
                }
                if !placed.contiguous {
                    notes.push(format!(
                        "the plan is not contiguous on the {graph_label} graph (the ensemble's plans all are): its percentiles are still computed"
                    ));
                }
                if scenario.options != Options::default() {
                    notes.push(
                        "the fiscal metrics use the ledger's default options for the plan as for the ensemble; the plan's [ledger] options are not applied here"
                            .to_string(),
                    );
                }
                Some((placed, summary::metric_values(&s)))
            }
        };
        let metrics = METRICS
            .iter()
            .enumerate()
            .map(|(i, m)| MetricRow {
                name: m.name,
                label: m.label,
                quantiles: Quantiles(scores::quantiles(&self.values[i])),
                plan: placed.as_ref().map(|(_, v)| v[i]),
                percentile: placed
                    .as_ref()
                    .map(|(_, v)| percentile(&self.values[i], v[i]) / 100.0),
            })
            .collect();
        Ok(EnsembleSummary {
            meta: SummaryMeta {
                tool: "fedsplit",
                version: env!("CARGO_PKG_VERSION"),
                command: "ensemble summarize",
                file: label.clone(),
                ensemble: self.meta.clone(),
                year: self.year,
                dataset_sha256: self.dataset_sha256.clone(),
                options: OptionsMeta(Options::default()),
                percentile: PERCENTILE_NOTE,
            },
            graph: graph_label.clone(),
            k,
            plans: self.plans,
            metrics,
            notes,
            plan: placed.map(|(p, _)| p),
            values: self.values.clone(),
            units: self.graph.len(),
        })
    }
}

/// A scenario's blocs on a states or counties graph, its county moves
/// applied on the county graph; a move naming no county is an error there,
/// which names `source` (the scenario's file).
pub fn plan_on_graph(
    data: &Dataset,
    graph: &Graph,
    attrs: &NodeAttrs,
    scenario: &Scenario,
    spec: GraphSpec,
    source: &str,
) -> Result<PlanOnGraph, ReportError> {
    let moves: &[(String, String)] = match spec {
        GraphSpec::Counties => &scenario.county_moves,
        _ => &[],
    };
    let on_graph = plan_partition(data, graph, attrs, &scenario.assignment, moves);
    if let Some(fips) = on_graph.unknown_moves.first() {
        return Err(ReportError::Invalid(format!(
            "{source}: blocs.counties: {fips} is not a county of the graph (Alaska and Hawaii are not in it)"
        )));
    }
    Ok(on_graph)
}

/// Scores every plan of an ensemble file and places `plan` among them.
/// `data` loads the dataset for the fiscal year the ensemble names, if any.
pub fn summarize(
    file: &EnsembleFile,
    data: impl FnOnce(Option<u16>) -> Result<Dataset, ReportError>,
    plan: Option<&Source>,
    year: u16,
) -> Result<EnsembleSummary, ReportError> {
    let meta = file.meta()?;
    let grid = matches!(
        GraphSpec::parse(meta["graph"].as_str().unwrap_or_default()),
        Ok(GraphSpec::Grid(..))
    );
    let data = if grid {
        None
    } else {
        Some(data(drawn_on(&meta))?)
    };
    let scored = ScoredEnsemble::score(file, meta, data.as_ref(), year)?;
    let scenario = match (plan, &data) {
        (Some(src), Some(d)) => Some(spec::load_plan(&src.label, &src.text, d)?),
        _ => None,
    };
    if plan.is_some() && grid {
        return Err(ReportError::Invalid(format!(
            "{}: a grid ensemble has no states: --plan and --example need a states or counties ensemble",
            file.label
        )));
    }
    let placed = plan
        .zip(scenario.as_ref())
        .map(|(src, s)| (src.label.as_str(), s));
    scored.place(data.as_ref(), placed)
}
