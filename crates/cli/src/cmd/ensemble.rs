//! `fedsplit ensemble`: ReCom ensembles of contiguous, population-balanced
//! plans of the state graph, the county graph or a grid, written as JSON
//! lines or CSV; `fedsplit ensemble merge` combines shards of one ensemble.
//! Method and output format: crates/alliance/README.md.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand, ValueEnum};
use fedsplit_alliance::attrs;
use fedsplit_alliance::chain::{self, EnsembleSpec, GraphSpec};
use fedsplit_alliance::output;
use fedsplit_alliance::recom::{Params, TreeMethod, Variant};
use fedsplit_alliance::Graph;
use fedsplit_ledger::Options;

use crate::args::DataArgs;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EnsembleCmd {
    #[command(subcommand)]
    pub action: Option<EnsembleAction>,
    #[command(flatten)]
    pub data: DataArgs,
    /// Graph (required): states (48 contiguous + DC), counties (contiguous US) or grid:WxH (unit populations)
    #[arg(long, value_name = "GRAPH", value_parser = GraphSpec::parse)]
    pub graph: Option<GraphSpec>,
    /// Number of blocs K ≥ 2 (required)
    #[arg(long, value_name = "K")]
    pub blocs: Option<usize>,
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
    #[arg(long, value_name = "PCT", default_value_t = 5.0, value_parser = parse_pct)]
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
    /// Worker threads [default: RAYON_NUM_THREADS or one per CPU]; the output does not depend on it
    #[arg(long, value_name = "T")]
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

fn parse_pct(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if (0.0..100.0).contains(&p) => Ok(p),
        _ => Err("expected a percentage in [0, 100)".into()),
    }
}

/// The graph a spec names, and the source units left out of it.
fn load_graph(spec: GraphSpec, data_args: &DataArgs) -> anyhow::Result<(Graph, Vec<String>)> {
    let excluded = || vec!["AK".to_string(), "HI".to_string()];
    Ok(match spec {
        GraphSpec::Grid(w, h) => (Graph::grid(w, h), Vec::new()),
        GraphSpec::States => {
            let data = data_args.load()?;
            (attrs::state_graph(&data)?.0, excluded())
        }
        GraphSpec::Counties => {
            let data = data_args.load()?;
            let graph = match &data_args.data {
                Some(dir) => {
                    let read = |name: &str| {
                        let path = dir.join(name);
                        std::fs::read_to_string(&path)
                            .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))
                    };
                    let nodes = read("counties.csv")?;
                    let edges = read("county_edges.csv")?;
                    attrs::county_graph(&nodes, &edges, &data)
                        .map_err(|e| anyhow::anyhow!("{}/{e}", dir.display()))?
                        .0
                }
                None => attrs::embedded_county_graph(&data, &Options::default())?.0,
            };
            (graph, excluded())
        }
    })
}

pub fn run(cmd: &EnsembleCmd) -> anyhow::Result<String> {
    if let Some(EnsembleAction::Merge(m)) = &cmd.action {
        return merge(m);
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
    let (graph, excluded) = load_graph(graph_spec, &cmd.data)?;
    let spec = EnsembleSpec {
        graph_label: graph_spec.label(),
        excluded,
        params: Params {
            k,
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
    let show_bar = !cmd.quiet && std::io::stderr().is_terminal();
    let started = Instant::now();
    let result = std::thread::scope(|scope| {
        if show_bar {
            scope.spawn(|| progress_bar(&progress, &done, total, started));
        }
        let r = chain::with_threads(cmd.threads, || {
            chain::run_ensemble(&graph, &spec, out, &progress)
        });
        done.store(true, Ordering::Relaxed);
        r
    });
    let summary = result??;
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

/// A one-line progress bar on stderr: percentage, steps, steps/s and ETA.
fn progress_bar(progress: &AtomicU64, done: &AtomicBool, total: u64, started: Instant) {
    let mut last_len: usize = 0;
    loop {
        let finished = done.load(Ordering::Relaxed);
        let n = progress.load(Ordering::Relaxed).min(total);
        let secs = started.elapsed().as_secs_f64();
        let rate = n as f64 / secs.max(1e-9);
        let eta = if n > 0 && rate > 0.0 {
            format_secs((total - n) as f64 / rate)
        } else {
            "--:--".into()
        };
        let frac = if total == 0 {
            1.0
        } else {
            n as f64 / total as f64
        };
        let width = 24;
        let filled = ((frac * width as f64) as usize).min(width);
        let line = format!(
            "[{}{}] {:>5.1}% {n}/{total} steps  {:.0} steps/s  ETA {eta}",
            "#".repeat(filled),
            ".".repeat(width - filled),
            frac * 100.0,
            rate
        );
        let pad = last_len.saturating_sub(line.len());
        eprint!("\r{line}{}", " ".repeat(pad));
        last_len = line.len();
        if finished {
            eprint!("\r{}\r", " ".repeat(last_len));
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn format_secs(s: f64) -> String {
    let s = s.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

fn merge(m: &MergeCmd) -> anyhow::Result<String> {
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
