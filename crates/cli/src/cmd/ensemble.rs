//! `fedsplit ensemble`: ReCom ensembles of contiguous, population-balanced
//! plans of the state graph, the county graph or a grid, written as JSON
//! lines or CSV; `fedsplit ensemble merge` combines shards of one ensemble.
//! Method and output format: crates/alliance/README.md.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};
use fedsplit_alliance::attrs::{self, GraphSpec};
use fedsplit_alliance::chain::{self, EnsembleError, EnsembleSpec};
use fedsplit_alliance::output;
use fedsplit_alliance::recom::{Params, TreeMethod, Variant};
use fedsplit_alliance::scores::{percentile, QUANTILE_LEVELS};
use fedsplit_alliance::shipped::{self, Shipped};
use fedsplit_alliance::summary::{EnsembleFile, METRICS};
use fedsplit_ledger::Options;
use fedsplit_report::alliance::{self as report, EnsembleSummary};

use crate::args::{
    parse_election_year, parse_graph, parse_threads, parse_tol, DataArgs, Format, FormatArgs,
};
use crate::files::{refuse_overwriting_inputs, stop_flag};
use crate::output::{fixed, group, Align, Csv, TextTable};
use crate::progress;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EnsembleCmd {
    #[command(subcommand)]
    pub action: Option<EnsembleAction>,
    #[command(flatten)]
    pub data: DataArgs,
    /// Graph (required): states (48 contiguous + DC), counties (contiguous US) or grid:WxH (unit populations)
    #[arg(long, value_name = "GRAPH", value_parser = parse_graph)]
    pub graph: Option<GraphSpec>,
    /// Number of blocs K, 2 to 100 (required)
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(2..=100))]
    pub blocs: Option<u32>,
    /// Steps per chain (required)
    #[arg(long, value_name = "N")]
    pub steps: Option<u64>,
    /// Seed of the ensemble (required): chain c draws from ChaCha8 stream c of this seed
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Chains in the ensemble
    #[arg(long, value_name = "C", default_value_t = 1)]
    pub chains: u64,
    /// Run only chains I..J (0-based, J exclusive) of the ensemble: a shard, for `ensemble merge`
    #[arg(long, value_name = "I..J", value_parser = parse_range)]
    pub chain_range: Option<(u64, u64)>,
    /// Population tolerance: every bloc within PCT percent of total/K
    #[arg(long, value_name = "PCT", default_value_t = 5.0, value_parser = parse_tol)]
    pub tol: f64,
    /// recom (plain ReCom) or reversible (reversible ReCom; samples ∏ spanning trees exactly)
    #[arg(long, value_enum, default_value_t = VariantArg::Recom)]
    pub variant: VariantArg,
    /// Spanning trees: mst (minimum spanning tree over random weights) or wilson (uniform) [default: mst for recom, wilson for reversible]
    #[arg(long, value_enum)]
    pub tree: Option<TreeArg>,
    /// Record every N-th step (and step 0)
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub every: u64,
    /// Worker threads, 1 to 4 × the logical CPUs [default: RAYON_NUM_THREADS or one per CPU]; the output does not depend on it
    #[arg(long, value_name = "T", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// No progress bar or summary on stderr
    #[arg(long, short)]
    pub quiet: bool,
    /// Output file (required): .jsonl or .csv
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum EnsembleAction {
    /// Combine shards (runs with --chain-range) of one ensemble into the output of a single run
    Merge(MergeCmd),
    /// Score every plan of an ensemble file: quantiles of each metric, and where a plan falls among them
    Summarize(SummarizeCmd),
}

#[derive(Args, Debug)]
pub struct SummarizeCmd {
    /// The ensemble file (.jsonl or .csv written by `fedsplit ensemble` or `ensemble merge`, optionally .gz), or a shipped one: shipped:states-k2 … shipped:states-k6, shipped:counties-k2 … shipped:counties-k4
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A plan to place in the ensemble: a scenario file (TOML) whose blocs are used
    #[arg(long, value_name = "PLAN", conflicts_with = "example")]
    pub plan: Option<PathBuf>,
    /// Use a shipped example scenario's blocs as the plan (see `fedsplit scenario --list`)
    #[arg(long, value_name = "NAME")]
    pub example: Option<String>,
    /// Election whose votes give stranded voters and homogeneity
    #[arg(long, value_name = "YEAR", default_value_t = 2024, value_parser = parse_election_year)]
    pub election: u16,
    /// Write one histogram SVG per metric into DIR (with the plan's marker when given)
    #[arg(long, value_name = "DIR")]
    pub svg: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Args, Debug)]
pub struct MergeCmd {
    /// Shard files, in any order; their chain ranges must join up
    #[arg(value_name = "SHARD", required = true)]
    pub shards: Vec<PathBuf>,
    /// Output file (same format as the shards)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// No summary on stderr
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantArg {
    /// Plain ReCom
    Recom,
    /// Reversible ReCom (Cannon et al. 2022)
    Reversible,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeArg {
    /// Minimum spanning tree under random edge weights
    Mst,
    /// Uniform spanning tree (Wilson's algorithm)
    Wilson,
}

fn parse_range(text: &str) -> Result<(u64, u64), String> {
    let bad = || format!("{text:?}: expected I..J with I < J, e.g. 0..8");
    let (a, b) = text.trim().split_once("..").ok_or_else(bad)?;
    let a: u64 = a.trim().parse().map_err(|_| bad())?;
    let b: u64 = b.trim().parse().map_err(|_| bad())?;
    if a >= b {
        return Err(bad());
    }
    Ok((a, b))
}

pub fn run(cmd: &EnsembleCmd) -> anyhow::Result<String> {
    match &cmd.action {
        Some(EnsembleAction::Merge(m)) => return merge(m),
        Some(EnsembleAction::Summarize(c)) => return summarize(c, &cmd.data),
        None => {}
    }
    let (Some(graph_spec), Some(k), Some(steps), Some(seed), Some(out)) =
        (cmd.graph, cmd.blocs, cmd.steps, cmd.seed, cmd.out.as_ref())
    else {
        let missing: Vec<&str> = [
            ("--graph", cmd.graph.is_none()),
            ("--blocs", cmd.blocs.is_none()),
            ("--steps", cmd.steps.is_none()),
            ("--seed", cmd.seed.is_none()),
            ("--out", cmd.out.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(name, _)| *name)
        .collect();
        anyhow::bail!(
            "ensemble: missing {} (required: --graph, --blocs, --steps, --seed, --out; or `ensemble merge`)",
            missing.join(", ")
        );
    };
    let variant = match cmd.variant {
        VariantArg::Recom => Variant::Recom,
        VariantArg::Reversible => Variant::Reversible,
    };
    let tree = match (cmd.tree, variant) {
        (Some(TreeArg::Mst), _) => TreeMethod::Mst,
        (Some(TreeArg::Wilson), _) => TreeMethod::Wilson,
        (None, Variant::Recom) => TreeMethod::Mst,
        (None, Variant::Reversible) => TreeMethod::Wilson,
    };
    let (graph, fiscal_year) = match graph_spec {
        GraphSpec::Grid(w, h) => (attrs::grid(w, h).0, None),
        _ => {
            let data = cmd.data.load()?;
            let (graph, _) = attrs::load(graph_spec, &data, &Options::default())?;
            (graph, Some(data.fiscal_year))
        }
    };
    let spec = EnsembleSpec {
        graph_label: graph_spec.label(),
        excluded: attrs::left_out(graph_spec),
        fiscal_year,
        params: Params {
            k: k as usize,
            tol: cmd.tol / 100.0,
            variant,
            tree,
        },
        steps,
        every: cmd.every,
        seed,
        chains: cmd.chains,
        chain_range: cmd.chain_range.unwrap_or((0, cmd.chains)),
    };
    spec.check(&graph)?;
    let (a, b) = spec.chain_range;
    let total = steps.saturating_mul(b - a);
    let progress = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let stop = stop_flag();
    let show_bar = !cmd.quiet && std::io::stderr().is_terminal();
    let started = Instant::now();
    let result = std::thread::scope(|scope| {
        if show_bar {
            scope.spawn(|| progress::bar(&progress, &done, total, started, "steps"));
        }
        let r = chain::with_threads(cmd.threads, || {
            chain::run_ensemble(&graph, &spec, out, &progress, &stop)
        });
        done.store(true, Ordering::Relaxed);
        r
    });
    let summary = match result? {
        Err(EnsembleError::Interrupted) if stop.load(Ordering::Relaxed) => anyhow::bail!(
            "interrupted: {} was not written and the chains' part files were removed",
            out.display()
        ),
        r => r?,
    };
    if !cmd.quiet {
        let secs = started.elapsed().as_secs_f64();
        let moves: u64 = summary.stats.iter().map(|s| s.moves).sum();
        let trees: u64 = summary.stats.iter().map(|s| s.trees).sum();
        let steps_done: u64 = summary.stats.iter().map(|s| s.steps).sum();
        eprintln!(
            "fedsplit: wrote {}: {} chain{} × {steps} steps of {} ({} units, k = {k}, bloc population {}..{}), \
             {:.0} steps/s, {:.1}% moved, {:.2} trees/step",
            out.display(),
            b - a,
            if b - a == 1 { "" } else { "s" },
            spec.graph_label,
            graph.len(),
            summary.bounds.lo,
            summary.bounds.hi,
            steps_done as f64 / secs.max(1e-9),
            100.0 * moves as f64 / steps_done.max(1) as f64,
            trees as f64 / steps_done.max(1) as f64,
        );
    }
    Ok(String::new())
}

fn merge(m: &MergeCmd) -> anyhow::Result<String> {
    let inputs: Vec<&std::path::Path> = m.shards.iter().map(PathBuf::as_path).collect();
    refuse_overwriting_inputs(&m.out, &inputs)?;
    let summary = output::merge(&m.shards, &m.out)?;
    if !m.quiet {
        eprintln!(
            "fedsplit: merged {} shard{} into {} (chains {}..{}, {})",
            summary.shards,
            if summary.shards == 1 { "" } else { "s" },
            m.out.display(),
            summary.chain_range.0,
            summary.chain_range.1,
            summary.format.name()
        );
    }
    Ok(String::new())
}

// ---- summarize ------------------------------------------------------------

fn summarize(c: &SummarizeCmd, data_args: &DataArgs) -> anyhow::Result<String> {
    let plan = match (&c.plan, &c.example) {
        (None, None) => None,
        (p, e) => Some(report::plan_source(p.as_deref(), e.as_deref())?),
    };
    let year = match &plan {
        Some(p) => fedsplit_scenario::spec::parse(&p.label, &p.text)?.year,
        None => None,
    };
    // The year: --year, else the plan's, else the one the ensemble was drawn on.
    let data =
        |drawn_on: Option<u16>| -> Result<fedsplit_data::Dataset, fedsplit_report::ReportError> {
            let implied = match data_args.year {
                Some(_) => year,
                None => year.or(drawn_on),
            };
            data_args
                .load_for_scenario(implied)
                .map_err(|e| fedsplit_report::ReportError::Invalid(format!("{e:#}")))
        };
    let file = match c
        .file
        .to_str()
        .and_then(|f| f.strip_prefix(shipped::PREFIX))
    {
        Some(name) => Shipped::find(name)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: no such shipped ensemble (shipped: {})",
                    c.file.display(),
                    Shipped::names()
                )
            })?
            .file(),
        None => EnsembleFile::path(&c.file)?,
    };
    let s = report::summarize(&file, data, plan.as_ref(), c.election)?;
    if let Some(dir) = &c.svg {
        write_svgs(&s, dir)?;
    }
    Ok(match c.format.format {
        Format::Table => summary_table(&s),
        Format::Csv => summary_csv(&s),
        Format::Json => crate::output::json_text(&s),
    })
}

/// One value of metric `m` for display.
fn show(m: usize, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    match METRICS[m].name {
        "stranded_total" => group(x.round() as i64),
        "mean_homogeneity" => fixed(x, 4),
        "cut_edges" => {
            if x.fract() == 0.0 {
                group(x as i64)
            } else {
                fixed(x, 1)
            }
        }
        "max_pop_deviation" => format!("{}%", fixed(100.0 * x, 2)),
        _ => {
            let r = x.round() as i64;
            if r > 0 {
                format!("+{}", group(r))
            } else {
                group(r)
            }
        }
    }
}

fn summary_table(s: &EnsembleSummary) -> String {
    let m = &s.meta.ensemble;
    let mut out = format!(
        "ensemble {}: {} plans of the {} graph ({} units), k = {}, tol ±{}%, {} / {}, seed {}, chains {}..{} of {}, {} steps, every {}\n",
        s.meta.file,
        group(s.plans as i64),
        s.graph,
        group(s.units as i64),
        s.k,
        fixed(100.0 * m["tol"].as_f64().unwrap_or(f64::NAN), 1),
        m["variant"].as_str().unwrap_or("?"),
        m["tree"].as_str().unwrap_or("?"),
        m["seed"],
        m["chain_range"][0],
        m["chain_range"][1],
        m["chains"],
        m["steps"],
        m["every"],
    );
    out.push_str(&format!(
        "votes {}; fiscal figures: the ledger under default options ({})\n",
        s.meta.year,
        crate::output::options_line(&s.meta.options.0)
    ));
    if let Some(p) = &s.plan {
        out.push_str(&format!(
            "plan {} ({}): {} bloc{} on this graph ({}), {}\n",
            p.name,
            p.source,
            p.blocs.len(),
            if p.blocs.len() == 1 { "" } else { "s" },
            p.blocs.join(", "),
            if p.contiguous {
                "contiguous"
            } else {
                "not contiguous"
            }
        ));
    }
    out.push('\n');
    let mut cols: Vec<(&str, Align)> = vec![
        ("metric", Align::Left),
        ("min", Align::Right),
        ("5%", Align::Right),
        ("25%", Align::Right),
        ("median", Align::Right),
        ("75%", Align::Right),
        ("95%", Align::Right),
        ("max", Align::Right),
    ];
    if s.plan.is_some() {
        cols.push(("plan", Align::Right));
        cols.push(("percentile", Align::Right));
    }
    let mut t = TextTable::new(&cols);
    for (i, metric) in s.metrics.iter().enumerate() {
        let mut row = vec![metric.label.to_string()];
        row.extend(metric.quantiles.0.iter().map(|&x| show(i, x)));
        if let Some(value) = metric.plan {
            row.push(show(i, value));
            let pct = percentile(&s.values[i], value);
            row.push(format!("{}%", fixed(pct, 1)));
        }
        t.row(row);
    }
    out.push_str(&t.render());
    if s.plan.is_some() {
        out.push_str(
            "\npercentile: share of the ensemble's plans below the plan's value (ties count half)\n",
        );
    }
    if !s.notes.is_empty() {
        out.push('\n');
        for n in &s.notes {
            out.push_str(&format!("note: {n}\n"));
        }
    }
    out
}

/// One row per metric: its quantiles, and the plan's value and percentile.
fn summary_csv(s: &EnsembleSummary) -> String {
    let mut header: Vec<String> = vec!["metric".into()];
    header.extend(QUANTILE_LEVELS.iter().map(|l| format!("p{l}")));
    header.extend(["plan".into(), "plan_percentile".into()]);
    let mut out = Csv::new(&header);
    for m in &s.metrics {
        let mut row = vec![m.name.to_string()];
        row.extend(m.quantiles.0.iter().map(|x| x.to_string()));
        row.push(m.plan.map(|x| x.to_string()).unwrap_or_default());
        row.push(m.percentile.map(|x| x.to_string()).unwrap_or_default());
        out.row(row);
    }
    out.finish()
}

fn write_svgs(s: &EnsembleSummary, dir: &std::path::Path) -> anyhow::Result<()> {
    use fedsplit_alliance::scores::histogram_svg;
    std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    for (i, m) in METRICS.iter().enumerate() {
        let title = format!(
            "{} — {} plans, {} graph, k = {}",
            m.label, s.plans, s.graph, s.k
        );
        let marker = s
            .plan
            .as_ref()
            .zip(s.metrics[i].plan)
            .map(|(p, value)| (value, p.name.as_str()));
        let svg = histogram_svg(&s.values[i], 40, &title, m.label, marker);
        let path = dir.join(format!("{}.svg", m.name));
        std::fs::write(&path, svg).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    Ok(())
}
