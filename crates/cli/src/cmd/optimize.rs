//! `fedsplit optimize`: search for a plan of K contiguous blocs that
//! minimises stranded voters with every bloc's fiscal balance within a
//! bound, or the reverse, by short bursts of single-unit boundary flips.

use clap::{Args, ValueEnum};
use fedsplit_alliance::optimize::{self, Objective, OptimizeParams, OptimizeResult, Rank};
use fedsplit_alliance::scores::PlanScores;
use fedsplit_alliance::{attrs::NodeAttrs, Graph, Partition};
use fedsplit_data::Dataset;
use serde_json::{json, Value};

use crate::args::{DataArgs, LedgerArgs};
use crate::cmd::stability::{
    blocs_json, graph_description, load_graph, parse_pct, parse_year, plan_scores_json, GraphKind,
    TextFormat,
};
use crate::output::{self, fixed, group, Align, TextTable};

#[derive(Args, Debug)]
pub struct OptimizeCmd {
    /// The units: the 48 contiguous states + DC, or their counties (state figures apportioned by population)
    #[arg(long, value_enum, default_value_t = GraphKind::States)]
    pub graph: GraphKind,
    /// Number of blocs
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(2..=100))]
    pub blocs: u32,
    /// stranded: minimise stranded voters with every bloc's |net per capita| ≤ BOUND dollars;
    /// fiscal: minimise the largest |net per capita| with stranded voters ≤ BOUND
    #[arg(long, value_enum)]
    pub objective: ObjectiveArg,
    /// The constraint's bound: dollars per capita (--objective stranded) or voters (--objective fiscal)
    #[arg(long, value_name = "X", value_parser = parse_bound, allow_negative_numbers = true)]
    pub bound: f64,
    /// Walk steps in all
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub steps: u64,
    /// Steps per short burst
    #[arg(long, value_name = "N", default_value_t = optimize::DEFAULT_BURST, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub burst: u64,
    /// Seed of the random numbers (ChaCha8)
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Population tolerance: every bloc within PCT percent of the ideal
    #[arg(long, value_name = "PCT", default_value_t = 10.0, value_parser = parse_pct)]
    pub tol: f64,
    /// Election whose votes are used
    #[arg(long, value_name = "YEAR", default_value_t = 2024, value_parser = parse_year)]
    pub year: u16,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectiveArg {
    /// Minimise stranded voters; bound: every bloc's |net per capita| in dollars
    Stranded,
    /// Minimise the largest |net per capita|; bound: stranded voters
    Fiscal,
}

fn parse_bound(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err("not a finite number ≥ 0".into()),
    }
}

pub fn run(cmd: &OptimizeCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let options = cmd.ledger.options();
    let (graph, attrs) = load_graph(cmd.graph, &data, &options)?;
    let objective = match cmd.objective {
        ObjectiveArg::Stranded => Objective::Stranded,
        ObjectiveArg::Fiscal => Objective::Fiscal,
    };
    let params = OptimizeParams {
        k: cmd.blocs as usize,
        tol: cmd.tol / 100.0,
        objective,
        bound: cmd.bound,
        steps: cmd.steps,
        burst: cmd.burst,
        seed: cmd.seed,
        year: cmd.year,
    };
    let result = optimize::optimize(&graph, &attrs, &params, None)?;
    let view = View {
        data: &data,
        kind: cmd.graph,
        graph: &graph,
        attrs: &attrs,
        params,
        result,
        names: (1..=cmd.blocs).map(|b| format!("Bloc {b}")).collect(),
    };
    Ok(match cmd.format {
        TextFormat::Table => table(&view),
        TextFormat::Json => output::json_text(&to_json(&view)),
    })
}

struct View<'a> {
    data: &'a Dataset,
    kind: GraphKind,
    graph: &'a Graph,
    attrs: &'a NodeAttrs,
    params: OptimizeParams,
    result: OptimizeResult,
    names: Vec<String>,
}

fn objective_text(p: &OptimizeParams) -> String {
    match p.objective {
        Objective::Stranded => format!(
            "minimise stranded voters subject to every bloc's |net per capita| ≤ ${}",
            group(p.bound.round() as i64)
        ),
        Objective::Fiscal => format!(
            "minimise the largest |net per capita| of a bloc subject to stranded voters ≤ {}",
            group(p.bound.round() as i64)
        ),
    }
}

fn status(r: &Rank, p: &OptimizeParams) -> String {
    if r.feasible() {
        "meets the bound".into()
    } else {
        match p.objective {
            Objective::Stranded => format!(
                "over the bound by ${} per capita",
                group(r.violation.round() as i64)
            ),
            Objective::Fiscal => format!(
                "over the bound by {} voters",
                group(r.violation.round() as i64)
            ),
        }
    }
}

fn scores_table(v: &View) -> String {
    let r = &v.result;
    let mut t = TextTable::new(&[
        ("plan", Align::Left),
        ("stranded voters", Align::Right),
        ("max |net/capita| $", Align::Right),
        ("max pop deviation %", Align::Right),
        ("mean homogeneity %", Align::Right),
        ("cut edges", Align::Right),
        ("constraint", Align::Left),
    ]);
    let row = |name: &str, s: &PlanScores, rank: &Rank| {
        vec![
            name.to_string(),
            group(s.stranded_total as i64),
            group(s.max_abs_net_per_capita.round() as i64),
            fixed(100.0 * s.max_pop_deviation, 2),
            fixed(100.0 * s.mean_homogeneity, 2),
            s.cut_edges.to_string(),
            status(rank, &v.params),
        ]
    };
    t.row(row("start", &r.start_scores, &r.start_rank));
    t.row(row("best", &r.best_scores, &r.best_rank));
    t.render()
}

fn bloc_table(v: &View, plan: &Partition, s: &PlanScores) -> String {
    let mut t = TextTable::new(&[
        ("bloc", Align::Left),
        ("units", Align::Right),
        ("population", Align::Right),
        ("net/capita $", Align::Right),
        ("winner", Align::Left),
        ("stranded", Align::Right),
        ("homogeneity %", Align::Right),
    ]);
    for (b, bs) in s.blocs.iter().enumerate() {
        let units = plan.assignment.iter().filter(|&&x| x as usize == b).count();
        let npc = bs.net_per_capita.round() as i64;
        t.row(vec![
            v.names[b].clone(),
            units.to_string(),
            group(bs.pop as i64),
            if npc > 0 {
                format!("+{}", group(npc))
            } else {
                group(npc)
            },
            if bs.dem_won {
                "Democratic"
            } else {
                "Republican"
            }
            .to_string(),
            group(bs.stranded as i64),
            fixed(100.0 * bs.homogeneity, 2),
        ]);
    }
    t.render()
}

fn table(v: &View) -> String {
    let p = &v.params;
    let r = &v.result;
    let mut out = format!(
        "optimize: {} blocs; {}\n{}\ndataset: {}\nledger: {}{}\nvotes: {}; population: every bloc within ±{}% of the ideal {} ([{}, {}])\n\
         search: short bursts of {} single-unit flips, {} steps ({} flips, {} bursts, {} improving), seed {} (ChaCha8)\n\n",
        p.k,
        objective_text(p),
        graph_description(v.kind, v.graph),
        v.data.origin,
        output::options_line(&v.attrs.options),
        if v.attrs.fiscal_estimated {
            " (county figures are estimates)"
        } else {
            ""
        },
        p.year,
        fixed(100.0 * p.tol, 1),
        group(r.bounds.ideal.round() as i64),
        group(r.bounds.lo as i64),
        group(r.bounds.hi as i64),
        p.burst,
        group(r.steps as i64),
        group(r.flips as i64),
        group(r.bursts as i64),
        r.improvements,
        p.seed,
    );
    out.push_str(&scores_table(v));
    out.push_str("\nbest plan:\n");
    out.push_str(&bloc_table(v, &r.best, &r.best_scores));
    out.push('\n');
    for (b, name) in v.names.iter().enumerate() {
        let units: Vec<&str> = (0..v.graph.len())
            .filter(|&u| r.best.assignment[u] as usize == b)
            .map(|u| v.attrs.labels[u].as_str())
            .collect();
        match v.kind {
            GraphKind::States => out.push_str(&format!("{name}: {}\n", units.join(" "))),
            GraphKind::Counties => {
                let mut states: Vec<&str> = (0..v.graph.len())
                    .filter(|&u| r.best.assignment[u] as usize == b)
                    .map(|u| v.attrs.state[u].postal())
                    .collect();
                states.sort_unstable();
                states.dedup();
                out.push_str(&format!(
                    "{name}: {} counties in {}\n",
                    units.len(),
                    states.join(" ")
                ));
            }
        }
    }
    if !r.best_rank.feasible() {
        out.push_str("\nno plan found meets the bound; the best shown is the closest to it.");
        if p.objective == Objective::Stranded {
            // Bloc averages weighted by population average to the overall
            // figure, so the largest |bloc average| is at least |overall|.
            let net: f64 = v.attrs.net_usd.iter().sum();
            let overall = net / v.graph.total_pop() as f64;
            out.push_str(&format!(
                " No plan can meet a bound below ${} per capita, the average over all units{}.",
                group(overall.abs().round() as i64),
                if overall > 0.0 && v.attrs.options.deficit == fedsplit_ledger::Deficit::None {
                    " (under --deficit none the nation is a net receiver: the deficit)"
                } else {
                    ""
                }
            ));
        }
        out.push('\n');
    }
    out
}

fn to_json(v: &View) -> Value {
    let p = &v.params;
    let r = &v.result;
    let rank =
        |x: &Rank| json!({ "feasible": x.feasible(), "violation": x.violation, "value": x.value });
    json!({
        "meta": output::meta(v.data, "optimize", Some(&v.attrs.options)),
        "search": {
            "graph": v.kind.name(),
            "units": v.graph.len(),
            "fiscal_estimated": v.attrs.fiscal_estimated,
            "blocs": p.k,
            "objective": p.objective.name(),
            "bound": p.bound,
            "tol": p.tol,
            "ideal_population": r.bounds.ideal,
            "population_bounds": [r.bounds.lo, r.bounds.hi],
            "year": p.year,
            "steps": r.steps,
            "burst": p.burst,
            "flips": r.flips,
            "bursts": r.bursts,
            "improving_bursts": r.improvements,
            "seed": p.seed,
            "rng": fedsplit_alliance::rng::RNG_NAME,
        },
        "start": {
            "rank": rank(&r.start_rank),
            "scores": plan_scores_json(&r.start_scores),
            "blocs": blocs_json(&v.names, v.graph, &r.start, &r.start_scores),
        },
        "best": {
            "rank": rank(&r.best_rank),
            "scores": plan_scores_json(&r.best_scores),
            "blocs": blocs_json(&v.names, v.graph, &r.best, &r.best_scores),
        },
    })
}
