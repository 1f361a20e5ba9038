//! `fedsplit optimize`: search for a plan of K contiguous blocs that
//! minimises stranded voters with every bloc's fiscal balance within a
//! bound, or the reverse, by short bursts of single-unit boundary flips.
//! Exits 1 when no plan found meets the bound.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use clap::{Args, ValueEnum};
use fedsplit_alliance::attrs::GraphSpec;
use fedsplit_alliance::optimize::{self, Objective, OptimizeParams};
use fedsplit_ledger::Deficit;
use fedsplit_report::alliance::{self as report, OptimizeAnswer, PlanRow};

use crate::args::{
    parse_election_year, parse_graph, parse_tol, DataArgs, Format, FormatArgs, LedgerArgs,
};
use crate::output::{self, fixed, group, Align, Csv, TextTable};
use crate::progress;
use crate::CheckFailed;

#[derive(Args, Debug)]
pub struct OptimizeCmd {
    /// The units: states (48 contiguous + DC), counties (state figures apportioned by population) or grid:WxH
    #[arg(long, value_name = "GRAPH", default_value = "states", value_parser = parse_graph)]
    pub graph: GraphSpec,
    /// Number of blocs K, 2 to 100
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
    #[arg(long, value_name = "PCT", default_value_t = 5.0, value_parser = parse_tol)]
    pub tol: f64,
    /// Election whose votes are used
    #[arg(long, value_name = "YEAR", default_value_t = 2024, value_parser = parse_election_year)]
    pub election: u16,
    /// No progress bar on stderr
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub format: FormatArgs,
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
    let params = OptimizeParams {
        k: cmd.blocs as usize,
        tol: cmd.tol / 100.0,
        objective: match cmd.objective {
            ObjectiveArg::Stranded => Objective::Stranded,
            ObjectiveArg::Fiscal => Objective::Fiscal,
        },
        bound: cmd.bound,
        steps: cmd.steps,
        burst: cmd.burst,
        seed: cmd.seed,
        year: cmd.election,
    };
    let progress = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let show_bar = !cmd.quiet && std::io::stderr().is_terminal();
    let started = Instant::now();
    let a = std::thread::scope(|scope| {
        if show_bar {
            scope.spawn(|| progress::bar(&progress, &done, cmd.steps, started, "steps"));
        }
        let a = report::optimize(&data, cmd.graph, &cmd.ledger.options(), params, &progress);
        done.store(true, Ordering::Relaxed);
        a
    })?;
    let text = match cmd.format.format {
        Format::Table => table(&a),
        Format::Csv => csv(&a),
        Format::Json => output::json_text(&a),
    };
    if a.feasible() {
        Ok(text)
    } else {
        Err(CheckFailed { output: text }.into())
    }
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

fn status(plan: &PlanRow, p: &OptimizeParams) -> String {
    if plan.rank.feasible {
        "meets the bound".into()
    } else {
        let over = group(plan.rank.violation.round() as i64);
        match p.objective {
            Objective::Stranded => format!("over the bound by ${over} per capita"),
            Objective::Fiscal => format!("over the bound by {over} voters"),
        }
    }
}

fn scores_table(a: &OptimizeAnswer) -> String {
    let mut t = TextTable::new(&[
        ("plan", Align::Left),
        ("stranded voters", Align::Right),
        ("max |net/capita| $", Align::Right),
        ("max pop deviation %", Align::Right),
        ("mean homogeneity %", Align::Right),
        ("cut edges", Align::Right),
        ("constraint", Align::Left),
    ]);
    for (name, plan) in [("start", &a.start), ("best", &a.best)] {
        let s = &plan.scores;
        t.row(vec![
            name.to_string(),
            group(s.stranded_total as i64),
            group(s.max_abs_net_per_capita_usd.round() as i64),
            fixed(100.0 * s.max_pop_deviation, 2),
            fixed(100.0 * s.mean_homogeneity, 2),
            s.cut_edges.to_string(),
            status(plan, &a.params),
        ]);
    }
    t.render()
}

fn bloc_table(plan: &PlanRow) -> String {
    let mut t = TextTable::new(&[
        ("bloc", Align::Left),
        ("units", Align::Right),
        ("population", Align::Right),
        ("net/capita $", Align::Right),
        ("winner", Align::Left),
        ("stranded", Align::Right),
        ("homogeneity %", Align::Right),
    ]);
    for b in &plan.blocs {
        t.row(vec![
            b.bloc.clone(),
            b.units.len().to_string(),
            group(b.population as i64),
            output::signed_dollars(b.net_per_capita_usd),
            b.winner.to_string(),
            group(b.stranded_voters as i64),
            fixed(100.0 * b.homogeneity, 2),
        ]);
    }
    t.render()
}

fn table(a: &OptimizeAnswer) -> String {
    let p = &a.params;
    let s = &a.search;
    let options = a.meta.options.expect("optimize has options").0;
    let mut out = format!(
        "optimize: {} blocs; {}\n{}\ndataset: {}, FY{}\nledger: {}{}\nvotes: {}; population: every bloc within ±{}% of the ideal {} ([{}, {}])\n\
         search: short bursts of {} single-unit flips, {} steps ({} flips, {} bursts, {} improving), seed {} (ChaCha8)\n\n",
        p.k,
        objective_text(p),
        a.graph_text,
        a.meta.dataset,
        a.meta.fiscal_year,
        output::options_line(&options),
        if s.fiscal_estimated {
            " (county figures are estimates)"
        } else {
            ""
        },
        p.year,
        fixed(100.0 * p.tol, 1),
        group(s.ideal_population.round() as i64),
        group(s.population_bounds[0] as i64),
        group(s.population_bounds[1] as i64),
        p.burst,
        group(s.steps as i64),
        group(s.flips as i64),
        group(s.bursts as i64),
        s.improving_bursts,
        p.seed,
    );
    out.push_str(&scores_table(a));
    out.push_str("\nbest plan:\n");
    out.push_str(&bloc_table(&a.best));
    out.push('\n');
    for b in &a.best.blocs {
        match a.graph_spec {
            Some(GraphSpec::Counties) => out.push_str(&format!(
                "{}: {} counties in {}\n",
                b.bloc,
                b.labels.len(),
                b.states.join(" ")
            )),
            _ => out.push_str(&format!("{}: {}\n", b.bloc, b.labels.join(" "))),
        }
    }
    if !a.feasible() {
        out.push_str("\nno plan found meets the bound; the best shown is the closest to it.");
        if p.objective == Objective::Stranded {
            // Bloc averages weighted by population average to the overall
            // figure, so the largest |bloc average| is at least |overall|.
            let overall = a.overall_net_per_capita;
            out.push_str(&format!(
                " No plan can meet a bound below ${} per capita, the average over all units{}.",
                group(overall.abs().round() as i64),
                if overall > 0.0 && options.deficit == Deficit::None {
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

/// One row per bloc of the best plan.
fn csv(a: &OptimizeAnswer) -> String {
    let mut out = Csv::new([
        "bloc",
        "units",
        "population",
        "net_usd",
        "net_per_capita_usd",
        "winner",
        "stranded_voters",
        "homogeneity",
        "members",
    ]);
    for b in &a.best.blocs {
        out.row([
            b.bloc.clone(),
            b.units.len().to_string(),
            b.population.to_string(),
            output::round(b.net_usd).to_string(),
            fixed(b.net_per_capita_usd, 2),
            b.winner.to_string(),
            b.stranded_voters.to_string(),
            fixed(b.homogeneity, 6),
            b.units.join(" "),
        ]);
    }
    out.finish()
}
