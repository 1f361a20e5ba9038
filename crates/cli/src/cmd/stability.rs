//! `fedsplit stability PLAN`: would any boundary unit of a plan rather be in
//! an adjacent bloc? Each unit's fiscal and alignment gain from switching,
//! whether the plan is individually stable, and optionally best-response
//! dynamics toward a stable plan.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fedsplit_alliance::attrs::{self, NodeAttrs, YEARS};
use fedsplit_alliance::scores::{self, PlanScores};
use fedsplit_alliance::stability::{self, Dynamics, Move, Outcome, StabilityOptions};
use fedsplit_alliance::{Graph, Partition};
use fedsplit_data::Dataset;
use fedsplit_ledger::Options;
use fedsplit_scenario::spec::{self, Scenario};
use fedsplit_scenario::Assignment;
use serde_json::{json, Value};

use crate::args::DataArgs;
use crate::cmd::scenario as scenario_cmd;
use crate::output::{self, fixed, group, Align, TextTable};

#[derive(Args, Debug)]
pub struct StabilityCmd {
    /// The plan: a scenario file (TOML) whose blocs (and ledger options) are used; policies are ignored and optional
    #[arg(value_name = "PLAN", required_unless_present = "example")]
    pub plan: Option<PathBuf>,
    /// Use a shipped example scenario's blocs instead of a file (see `fedsplit scenario --list`)
    #[arg(long, value_name = "NAME", conflicts_with = "plan")]
    pub example: Option<String>,
    /// The units: the 48 contiguous states + DC, or their counties (state figures apportioned by population)
    #[arg(long, value_enum, default_value_t = GraphKind::States)]
    pub graph: GraphKind,
    /// Weight of the fiscal gain, per $1,000 of net federal flow per capita
    #[arg(long, value_name = "W", default_value_t = 1.0, value_parser = parse_weight, allow_negative_numbers = true)]
    pub fiscal_weight: f64,
    /// Weight of the alignment gain, per unit share (0–1) of the bloc's voters
    #[arg(long, value_name = "W", default_value_t = 1.0, value_parser = parse_weight, allow_negative_numbers = true)]
    pub align_weight: f64,
    /// Election whose votes are used [default: the scenario's vote year]
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub year: Option<u16>,
    /// Only allow switches that leave both blocs within PCT percent of the ideal population
    #[arg(long, value_name = "PCT", value_parser = parse_pct)]
    pub tol: Option<f64>,
    /// Also run best-response dynamics toward a stable plan
    #[arg(long)]
    pub dynamics: bool,
    /// Step limit of the dynamics
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_steps: u32,
    /// Rows of the table of moves [default: all for states, 20 for counties]
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
}

/// Which units the plan is drawn on.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphKind {
    /// The 48 contiguous states and DC
    States,
    /// The 3,109 counties of the 48 contiguous states and DC
    Counties,
}

impl GraphKind {
    pub fn name(self) -> &'static str {
        match self {
            GraphKind::States => "states",
            GraphKind::Counties => "counties",
        }
    }
}

/// Output format of the alliance commands.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// Aligned columns for a terminal
    Table,
    /// JSON with a `meta` object
    Json,
}

fn parse_weight(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(w) if w.is_finite() => Ok(w),
        _ => Err("not a finite number".into()),
    }
}

pub fn parse_year(text: &str) -> Result<u16, String> {
    let year: u16 = text
        .trim()
        .parse()
        .map_err(|_| "not a year (expected 2016, 2020 or 2024)".to_string())?;
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err("no votes for that year (expected 2016, 2020 or 2024)".into())
    }
}

/// Parses a percentage in (0, 100).
pub fn parse_pct(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p < 100.0 => Ok(p),
        Ok(_) => Err("must be a percentage strictly between 0 and 100".into()),
        Err(_) => Err("not a number (expected a percentage strictly between 0 and 100)".into()),
    }
}

/// Builds the chosen graph with fiscal figures under `options`.
pub fn load_graph(
    kind: GraphKind,
    data: &Dataset,
    options: &Options,
) -> anyhow::Result<(Graph, NodeAttrs)> {
    let units = match kind {
        GraphKind::States => attrs::Units::States,
        GraphKind::Counties => attrs::Units::Counties,
    };
    Ok(attrs::load(units, data, options)?)
}

/// Loads a plan: a scenario file of which only the name, ledger options and
/// blocs are used, so a file with blocs and no policy table is accepted.
pub fn load_plan(src: &scenario_cmd::Source, data: &Dataset) -> anyhow::Result<Scenario> {
    let mut file = spec::parse(&src.label, &src.text)?;
    if file.bluexit.is_none() && file.devolution.is_none() && file.partition.is_none() {
        file.partition = Some(spec::PartitionSpec::default());
    }
    Ok(spec::compile(&file, data).map_err(|e| e.locate(&src.label, Some(&src.text)))?)
}

/// A scenario's blocs mapped onto the graph's units: each unit takes its
/// state's bloc. Blocs with no unit on the graph (only Alaska or Hawaii) are
/// dropped; returns the partition, the kept blocs' names and the dropped ones.
pub fn plan_partition(
    data: &Dataset,
    graph: &Graph,
    attrs: &NodeAttrs,
    assignment: &Assignment,
) -> (Partition, Vec<String>, Vec<String>) {
    let bloc_of_unit: Vec<usize> = attrs
        .state
        .iter()
        .map(|s| {
            let i = data
                .position(*s)
                .expect("graph units lie in the dataset's states");
            assignment.bloc_of[i]
        })
        .collect();
    let mut used = vec![false; assignment.len()];
    for &b in &bloc_of_unit {
        used[b] = true;
    }
    let mut new_index = vec![u32::MAX; assignment.len()];
    let mut names = Vec::new();
    let mut dropped = Vec::new();
    for (b, name) in assignment.names.iter().enumerate() {
        if used[b] {
            new_index[b] = names.len() as u32;
            names.push(name.clone());
        } else {
            dropped.push(name.clone());
        }
    }
    let assignment: Vec<u32> = bloc_of_unit.iter().map(|&b| new_index[b]).collect();
    let k = names.len();
    (Partition::new(graph, assignment, k), names, dropped)
}

/// Everything the renderers need.
struct View<'a> {
    data: &'a Dataset,
    scenario_name: String,
    kind: GraphKind,
    graph: &'a Graph,
    attrs: &'a NodeAttrs,
    names: Vec<String>,
    dropped: Vec<String>,
    plan: Partition,
    opts: StabilityOptions,
    scores: PlanScores,
    report: stability::StabilityReport,
    dynamics: Option<(Dynamics, PlanScores)>,
    max_steps: u32,
    top: Option<usize>,
}

pub fn run(cmd: &StabilityCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let src = scenario_cmd::source(cmd.plan.as_ref(), cmd.example.as_deref())?;
    let scenario = load_plan(&src, &data)?;
    let (graph, attrs) = load_graph(cmd.graph, &data, &scenario.options)?;
    let (plan, names, dropped) = plan_partition(&data, &graph, &attrs, &scenario.assignment);
    if names.len() < 2 {
        anyhow::bail!(
            "{}: the plan has {} bloc{} on the {} graph; stability needs at least 2",
            src.label,
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            cmd.graph.name()
        );
    }
    let year = cmd.year.unwrap_or(scenario.votes_year);
    let opts = StabilityOptions {
        fiscal_weight: cmd.fiscal_weight,
        align_weight: cmd.align_weight,
        year,
        pop_tolerance: cmd.tol.map(|p| p / 100.0),
        ..StabilityOptions::default()
    };
    let scores = scores::score(&graph, &attrs, &plan, year)
        .map_err(|e| anyhow::anyhow!("--year {year}: {e}"))?;
    let report = stability::analyse(&graph, &attrs, &plan, &opts)?;
    let dynamics = if cmd.dynamics {
        let d = stability::best_response(&graph, &attrs, &plan, &opts, cmd.max_steps as usize)?;
        let s = scores::score(&graph, &attrs, &d.plan, year)?;
        Some((d, s))
    } else {
        None
    };
    let view = View {
        data: &data,
        scenario_name: scenario.name.clone(),
        kind: cmd.graph,
        graph: &graph,
        attrs: &attrs,
        names,
        dropped,
        plan,
        opts,
        scores,
        report,
        dynamics,
        max_steps: cmd.max_steps,
        top: cmd.top,
    };
    Ok(match cmd.format {
        TextFormat::Table => table(&view),
        TextFormat::Json => output::json_text(&to_json(&view)),
    })
}

/// A signed number with fixed decimals.
fn signed(x: f64, decimals: usize) -> String {
    let s = fixed(x, decimals);
    if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// Whole dollars with a sign and thousands separators.
fn signed_group(x: f64) -> String {
    let r = x.round() as i64;
    if r > 0 {
        format!("+{}", group(r))
    } else {
        group(r)
    }
}

pub fn graph_description(kind: GraphKind, graph: &Graph) -> String {
    match kind {
        GraphKind::States => format!(
            "state graph: {} units (the 48 contiguous states + DC), {} land borders; Alaska and Hawaii left out",
            graph.len(),
            graph.edge_count()
        ),
        GraphKind::Counties => format!(
            "county graph: {} counties of the 48 contiguous states + DC, {} adjacencies; fiscal figures are state figures apportioned by population (estimates)",
            group(graph.len() as i64),
            group(graph.edge_count() as i64)
        ),
    }
}

fn gain_formula(opts: &StabilityOptions) -> String {
    format!(
        "gain = {} × fiscal gain / $1,000 per capita + {} × alignment gain / 100 points",
        opts.fiscal_weight, opts.align_weight
    )
}

/// Per-bloc rows shared by the plan and the dynamics' end.
fn bloc_table(names: &[String], plan: &Partition, graph: &Graph, s: &PlanScores) -> String {
    let mut t = TextTable::new(&[
        ("bloc", Align::Left),
        ("units", Align::Right),
        ("population", Align::Right),
        ("net/capita $", Align::Right),
        ("Dem %", Align::Right),
        ("Rep %", Align::Right),
        ("winner", Align::Left),
        ("stranded", Align::Right),
        ("pieces", Align::Right),
    ]);
    let pieces = plan.pieces(graph);
    for (b, (name, bs)) in names.iter().zip(&s.blocs).enumerate() {
        let units = plan.assignment.iter().filter(|&&x| x as usize == b).count();
        t.row(vec![
            name.clone(),
            units.to_string(),
            group(bs.pop as i64),
            signed_group(bs.net_per_capita),
            fixed(pct(bs.dem, bs.total), 1),
            fixed(pct(bs.rep, bs.total), 1),
            if bs.dem_won {
                "Democratic"
            } else {
                "Republican"
            }
            .to_string(),
            group(bs.stranded as i64),
            pieces[b].to_string(),
        ]);
    }
    t.render()
}

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn move_cells(v: &View, m: &Move) -> Vec<String> {
    vec![
        v.attrs.labels[m.node].clone(),
        v.names[m.from as usize].clone(),
        v.names[m.to as usize].clone(),
        signed_group(m.fiscal_gain),
        signed(100.0 * m.align_gain, 2),
        signed(m.gain, 4),
        match m.blocked {
            None => "yes".to_string(),
            Some(b) => format!("no: {}", b.name()),
        },
    ]
}

fn moves_table(v: &View, moves: &[Move]) -> TextTable {
    let mut t = TextTable::new(&[
        ("unit", Align::Left),
        ("from", Align::Left),
        ("to", Align::Left),
        ("fiscal $/capita", Align::Right),
        ("alignment pts", Align::Right),
        ("gain", Align::Right),
        ("allowed", Align::Left),
    ]);
    for m in moves {
        t.row(move_cells(v, m));
    }
    t
}

/// The moves sorted by gain, largest first (ties: node, then bloc).
fn sorted_moves(moves: &[Move]) -> Vec<Move> {
    let mut out = moves.to_vec();
    out.sort_by(|a, b| {
        b.gain
            .total_cmp(&a.gain)
            .then(a.node.cmp(&b.node))
            .then(a.to.cmp(&b.to))
    });
    out
}

fn verdict(v: &View) -> String {
    let profitable = v.report.profitable(v.opts.epsilon);
    match v.report.best {
        None => "verdict: individually stable — no allowed switch gains\n".to_string(),
        Some(best) => format!(
            "verdict: not individually stable — {} allowed switch{} gain{}; the largest: {} from {} to {} ({})\n",
            profitable.len(),
            if profitable.len() == 1 { "" } else { "es" },
            if profitable.len() == 1 { "s" } else { "" },
            v.attrs.labels[best.node],
            v.names[best.from as usize],
            v.names[best.to as usize],
            signed(best.gain, 4)
        ),
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
        Outcome::StepLimit => format!("stopped at the limit of {} without settling", steps(max_steps as usize)),
    }
}

fn members_text(v: &View, plan: &Partition) -> String {
    let mut out = String::new();
    for (b, name) in v.names.iter().enumerate() {
        let units: Vec<&str> = (0..v.graph.len())
            .filter(|&u| plan.assignment[u] as usize == b)
            .map(|u| v.attrs.labels[u].as_str())
            .collect();
        match v.kind {
            GraphKind::States => out.push_str(&format!("  {name}: {}\n", units.join(" "))),
            GraphKind::Counties => out.push_str(&format!("  {name}: {} counties\n", units.len())),
        }
    }
    out
}

fn table(v: &View) -> String {
    let mut out = format!(
        "stability of {:?}\n{}\ndataset: {}\nledger: {}{}\nvotes: {}\n{}\n",
        v.scenario_name,
        graph_description(v.kind, v.graph),
        v.data.origin,
        output::options_line(&v.attrs.options),
        if v.attrs.fiscal_estimated {
            " (county figures are estimates)"
        } else {
            ""
        },
        v.opts.year,
        gain_formula(&v.opts),
    );
    if let Some(t) = v.opts.pop_tolerance {
        out.push_str(&format!(
            "population tolerance: ±{}% of the ideal {}\n",
            fixed(100.0 * t, 1),
            group((v.graph.total_pop() as f64 / v.plan.k() as f64).round() as i64)
        ));
    }
    if !v.dropped.is_empty() {
        out.push_str(&format!(
            "left out (no unit on the graph): {}\n",
            v.dropped.join(", ")
        ));
    }
    out.push('\n');
    out.push_str(&bloc_table(&v.names, &v.plan, v.graph, &v.scores));
    out.push('\n');
    let moves = sorted_moves(&v.report.moves);
    let limit = v.top.unwrap_or(match v.kind {
        GraphKind::States => usize::MAX,
        GraphKind::Counties => 20,
    });
    let shown = &moves[..moves.len().min(limit)];
    out.push_str(&format!(
        "switches open to boundary units ({}{}), largest gain first:\n",
        group(moves.len() as i64),
        if shown.len() < moves.len() {
            format!("; the first {}", shown.len())
        } else {
            String::new()
        }
    ));
    out.push_str(&moves_table(v, shown).render());
    out.push_str(
        "\nfiscal: net federal flow per capita of the bloc the unit would join (with it) minus its own bloc's;\n\
         alignment: the share of the bloc's voters who voted like the unit's majority, there minus here.\n\n",
    );
    out.push_str(&verdict(v));
    if let Some((d, s)) = &v.dynamics {
        out.push_str(&format!(
            "\nbest-response dynamics (the largest allowed gain first, at most {} steps): {}\n",
            v.max_steps,
            outcome_text(d, v.max_steps)
        ));
        if !d.steps.is_empty() {
            let mut t = TextTable::new(&[
                ("step", Align::Right),
                ("unit", Align::Left),
                ("from", Align::Left),
                ("to", Align::Left),
                ("fiscal $/capita", Align::Right),
                ("alignment pts", Align::Right),
                ("gain", Align::Right),
            ]);
            for (i, m) in d.steps.iter().enumerate() {
                let mut cells = move_cells(v, m);
                cells.pop();
                cells.insert(0, (i + 1).to_string());
                t.row(cells);
            }
            out.push_str(&t.render());
            out.push_str("\nplan at the end:\n");
            out.push_str(&bloc_table(&v.names, &d.plan, v.graph, s));
            out.push_str(&members_text(v, &d.plan));
        }
    }
    out
}

fn move_json(v: &View, m: &Move) -> Value {
    json!({
        "unit": v.graph.names[m.node],
        "label": v.attrs.labels[m.node],
        "from": v.names[m.from as usize],
        "to": v.names[m.to as usize],
        "fiscal_gain_per_capita_usd": m.fiscal_gain,
        "align_gain_share": m.align_gain,
        "gain": m.gain,
        "allowed": m.allowed(),
        "blocked": m.blocked.map(|b| b.name()),
    })
}

pub fn blocs_json(names: &[String], graph: &Graph, plan: &Partition, s: &PlanScores) -> Vec<Value> {
    let pieces = plan.pieces(graph);
    names
        .iter()
        .zip(&s.blocs)
        .enumerate()
        .map(|(b, (name, bs))| {
            let units: Vec<&str> = (0..graph.len())
                .filter(|&u| plan.assignment[u] as usize == b)
                .map(|u| graph.names[u].as_str())
                .collect();
            json!({
                "bloc": name,
                "units": units,
                "population": bs.pop,
                "net_usd": bs.net_usd,
                "net_per_capita_usd": bs.net_per_capita,
                "dem_votes": bs.dem,
                "rep_votes": bs.rep,
                "total_votes": bs.total,
                "winner": if bs.dem_won { "Democratic" } else { "Republican" },
                "stranded_voters": bs.stranded,
                "homogeneity": bs.homogeneity,
                "pieces": pieces[b],
            })
        })
        .collect()
}

pub fn plan_scores_json(s: &PlanScores) -> Value {
    json!({
        "max_pop_deviation": s.max_pop_deviation,
        "stranded_total": s.stranded_total,
        "mean_homogeneity": s.mean_homogeneity,
        "cut_edges": s.cut_edges,
        "max_abs_net_per_capita_usd": s.max_abs_net_per_capita,
    })
}

fn to_json(v: &View) -> Value {
    let moves: Vec<Value> = v.report.moves.iter().map(|m| move_json(v, m)).collect();
    let dynamics = v.dynamics.as_ref().map(|(d, s)| {
        let (outcome, cycle) = match d.outcome {
            Outcome::Stable => ("stable", Value::Null),
            Outcome::Cycle { first_seen, length } => (
                "cycle",
                json!({ "first_seen_after_step": first_seen, "length": length }),
            ),
            Outcome::StepLimit => ("step-limit", Value::Null),
        };
        json!({
            "max_steps": v.max_steps,
            "outcome": outcome,
            "cycle": cycle,
            "steps": d.steps.iter().map(|m| move_json(v, m)).collect::<Vec<_>>(),
            "blocs": blocs_json(&v.names, v.graph, &d.plan, s),
            "scores": plan_scores_json(s),
        })
    });
    json!({
        "meta": output::meta(v.data, "stability", Some(&v.attrs.options)),
        "plan": {
            "scenario": v.scenario_name,
            "graph": v.kind.name(),
            "units": v.graph.len(),
            "fiscal_estimated": v.attrs.fiscal_estimated,
            "year": v.opts.year,
            "left_out_blocs": v.dropped,
        },
        "weights": {
            "fiscal": v.opts.fiscal_weight,
            "fiscal_scale_usd_per_capita": v.opts.fiscal_scale,
            "align": v.opts.align_weight,
            "pop_tolerance": v.opts.pop_tolerance,
            "epsilon": v.opts.epsilon,
        },
        "blocs": blocs_json(&v.names, v.graph, &v.plan, &v.scores),
        "scores": plan_scores_json(&v.scores),
        "moves": moves,
        "stable": v.report.stable,
        "best": v.report.best.map(|m| move_json(v, &m)),
        "dynamics": dynamics,
    })
}
