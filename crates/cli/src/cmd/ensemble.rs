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
use crate::cmd::scenario as scenario_cmd;
use crate::cmd::stability::{self as stability_cmd, GraphKind, TextFormat};
use crate::output::{fixed, group, Align, TextTable};

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
    /// Score every plan of an ensemble file: quantiles of each metric, and where a plan falls among them
    Summarize(SummarizeCmd),
}

#[derive(Args, Debug)]
pub struct SummarizeCmd {
    /// The ensemble file (.jsonl or .csv written by `fedsplit ensemble` or `ensemble merge`)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A plan to place in the ensemble: a scenario file (TOML) whose blocs are used
    #[arg(long, value_name = "SCENARIO", conflicts_with = "example")]
    pub plan: Option<PathBuf>,
    /// Use a shipped example scenario's blocs as the plan (see `fedsplit scenario --list`)
    #[arg(long, value_name = "NAME")]
    pub example: Option<String>,
    /// Election whose votes give stranded voters and homogeneity
    #[arg(long, value_name = "YEAR", default_value_t = 2024, value_parser = stability_cmd::parse_year)]
    pub year: u16,
    /// Write one histogram SVG per metric into DIR (with the plan's marker when given)
    #[arg(long, value_name = "DIR")]
    pub svg: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
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

/// The graph a spec names, and the source units left out of it. States and
/// counties come from the same loader as `stability` and `optimize`.
fn load_graph(spec: GraphSpec, data_args: &DataArgs) -> anyhow::Result<(Graph, Vec<String>)> {
    let kind = match spec {
        GraphSpec::Grid(w, h) => return Ok((Graph::grid(w, h), Vec::new())),
        GraphSpec::States => GraphKind::States,
        GraphSpec::Counties => GraphKind::Counties,
    };
    let data = data_args.load()?;
    let (graph, _) = stability_cmd::load_graph(kind, &data, &Options::default())?;
    Ok((graph, vec!["AK".to_string(), "HI".to_string()]))
}

pub fn run(cmd: &EnsembleCmd) -> anyhow::Result<String> {
    if let Some(EnsembleAction::Merge(m)) = &cmd.action {
        return merge(m);
    }
    if let Some(EnsembleAction::Summarize(c)) = &cmd.action {
        return summarize(c, &cmd.data);
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

// ---- summarize ------------------------------------------------------------

/// A plan placed in the ensemble.
struct PlacedPlan {
    name: String,
    source: String,
    blocs: Vec<String>,
    dropped: Vec<String>,
    contiguous: bool,
    values: [f64; 7],
}

/// Everything the summary renderers need.
struct Summary {
    file: PathBuf,
    meta: serde_json::Value,
    graph_label: String,
    units: usize,
    k: usize,
    year: u16,
    plans: u64,
    values: Vec<Vec<f64>>,
    quantiles: Vec<[f64; 7]>,
    plan: Option<PlacedPlan>,
    notes: Vec<String>,
    dataset_sha256: Option<String>,
}

fn summarize(c: &SummarizeCmd, data_args: &DataArgs) -> anyhow::Result<String> {
    use fedsplit_alliance::attrs::NodeAttrs;
    use fedsplit_alliance::scores::{self, PlanScores};
    use fedsplit_alliance::summary::{self, METRICS};
    use fedsplit_alliance::Partition;

    let (meta, format) = summary::read_meta(&c.file)?;
    let file = c.file.display().to_string();
    let graph_label = meta["graph"].as_str().unwrap_or_default().to_string();
    let spec =
        GraphSpec::parse(&graph_label).map_err(|e| anyhow::anyhow!("{file}: meta: graph {e}"))?;
    let k = meta["k"]
        .as_u64()
        .filter(|&k| k >= 1)
        .ok_or_else(|| anyhow::anyhow!("{file}: meta lacks the number of blocs k"))?
        as usize;
    let mut notes = Vec::new();
    let (graph, attrs, data) = match spec {
        GraphSpec::Grid(w, h) => {
            if c.plan.is_some() || c.example.is_some() {
                anyhow::bail!(
                    "{file}: a grid ensemble has no states: --plan and --example need a states or counties ensemble"
                );
            }
            let g = Graph::grid(w, h);
            let n = g.len();
            notes.push("a grid has no votes or fiscal figures: those metrics are 0".to_string());
            (
                g,
                NodeAttrs::toy(vec![0; n], vec![0; n], vec![0; n], vec![0.0; n]),
                None,
            )
        }
        GraphSpec::States | GraphSpec::Counties => {
            let kind = if spec == GraphSpec::States {
                GraphKind::States
            } else {
                GraphKind::Counties
            };
            let data = data_args.load()?;
            let (g, a) = stability_cmd::load_graph(kind, &data, &Options::default())?;
            notes.push(
                "Alaska and Hawaii are not in the graph: their votes and fiscal figures are ignored"
                    .to_string(),
            );
            if spec == GraphSpec::Counties {
                notes.push(
                    "county fiscal figures are their state's apportioned by population (estimates)"
                        .to_string(),
                );
            }
            (g, a, Some(data))
        }
    };
    let sha = output::graph_sha256(&graph);
    let file_sha = meta["graph_sha256"].as_str().unwrap_or_default();
    if sha != file_sha {
        anyhow::bail!(
            "{file}: the ensemble was drawn on a different {graph_label} graph (graph_sha256 {}…) than the one rebuilt here ({}…); use the --data it was made with",
            file_sha.get(..12).unwrap_or(file_sha),
            &sha[..12]
        );
    }

    let y = attrs::year_index(c.year)?;
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); METRICS.len()];
    let mut scored = PlanScores::default();
    let mut plan_buf = Partition {
        assignment: Vec::new(),
        pops: Vec::new(),
    };
    let plans = summary::for_each_plan(&c.file, format, k, graph.len(), |a| {
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
        anyhow::bail!("{file}: no plan records");
    }
    let quantiles: Vec<[f64; 7]> = values.iter().map(|v| scores::quantiles(v)).collect();

    let plan = match (&data, c.plan.as_ref(), c.example.as_deref()) {
        (Some(data), p, e) if p.is_some() || e.is_some() => {
            let src = scenario_cmd::source(p, e)?;
            let scenario = stability_cmd::load_plan(&src, data)?;
            let (partition, blocs, dropped) =
                stability_cmd::plan_partition(data, &graph, &attrs, &scenario.assignment);
            let s = scores::score(&graph, &attrs, &partition, c.year)?;
            Some(PlacedPlan {
                name: scenario.name.clone(),
                source: src.label,
                contiguous: partition.is_contiguous(&graph),
                blocs,
                dropped,
                values: summary::metric_values(&s),
            })
        }
        _ => None,
    };
    if let Some(p) = &plan {
        if !p.dropped.is_empty() {
            notes.push(format!(
                "plan blocs with no unit on the graph (left out): {}",
                p.dropped.join(", ")
            ));
        }
        if p.blocs.len() != k {
            notes.push(format!(
                "the plan has {} blocs on this graph, the ensemble {k}: its percentiles compare unlike plans",
                p.blocs.len()
            ));
        }
        if !p.contiguous {
            notes.push(format!(
                "the plan is not contiguous on the {graph_label} graph (the ensemble's plans all are): its percentiles are still computed"
            ));
        }
    }

    let s = Summary {
        file: c.file.clone(),
        meta,
        graph_label,
        units: graph.len(),
        k,
        year: c.year,
        plans,
        values,
        quantiles,
        plan,
        notes,
        dataset_sha256: data.as_ref().map(|d| d.checksum.clone()),
    };
    if let Some(dir) = &c.svg {
        write_svgs(&s, dir)?;
    }
    Ok(match c.format {
        TextFormat::Table => summary_table(&s),
        TextFormat::Json => crate::output::json_text(&summary_json(&s)),
    })
}

/// One value of metric `m` for display.
fn show(m: usize, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    match fedsplit_alliance::summary::METRICS[m].name {
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

fn summary_table(s: &Summary) -> String {
    use fedsplit_alliance::summary::METRICS;
    let m = &s.meta;
    let mut out = format!(
        "ensemble {}: {} plans of the {} graph ({} units), k = {}, tol ±{}%, {} / {}, seed {}, chains {}..{} of {}, {} steps, every {}\n",
        s.file.display(),
        group(s.plans as i64),
        s.graph_label,
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
        s.year,
        crate::output::options_line(&Options::default())
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
    for (i, metric) in METRICS.iter().enumerate() {
        let mut row = vec![metric.label.to_string()];
        row.extend(s.quantiles[i].iter().map(|&x| show(i, x)));
        if let Some(p) = &s.plan {
            row.push(show(i, p.values[i]));
            let pct = fedsplit_alliance::scores::percentile(&s.values[i], p.values[i]);
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

fn summary_json(s: &Summary) -> serde_json::Value {
    use fedsplit_alliance::scores::{percentile, QUANTILE_LEVELS};
    use fedsplit_alliance::summary::METRICS;
    use serde_json::json;
    let options: serde_json::Map<String, serde_json::Value> = Options::default()
        .describe()
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let metrics: Vec<serde_json::Value> = METRICS
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let q: serde_json::Map<String, serde_json::Value> = QUANTILE_LEVELS
                .iter()
                .zip(s.quantiles[i])
                .map(|(l, x)| (format!("{l}"), json!(x)))
                .collect();
            let mut o = json!({"name": m.name, "label": m.label, "quantiles": q});
            if let Some(p) = &s.plan {
                o["plan"] = json!(p.values[i]);
                o["percentile"] = json!(percentile(&s.values[i], p.values[i]) / 100.0);
            }
            o
        })
        .collect();
    let mut v = json!({
        "meta": {
            "tool": "fedsplit",
            "version": env!("CARGO_PKG_VERSION"),
            "command": "ensemble summarize",
            "file": s.file.display().to_string(),
            "ensemble": s.meta,
            "year": s.year,
            "dataset_sha256": s.dataset_sha256,
            "options": options,
            "percentile": "share of the ensemble's plans below the plan's value, ties counting half (0..1)",
        },
        "graph": s.graph_label,
        "k": s.k,
        "plans": s.plans,
        "metrics": metrics,
        "notes": s.notes,
    });
    if let Some(p) = &s.plan {
        v["plan"] = json!({
            "name": p.name,
            "source": p.source,
            "blocs": p.blocs,
            "k": p.blocs.len(),
            "same_k": p.blocs.len() == s.k,
            "contiguous": p.contiguous,
            "left_out": p.dropped,
        });
    }
    v
}

fn write_svgs(s: &Summary, dir: &std::path::Path) -> anyhow::Result<()> {
    use fedsplit_alliance::scores::histogram_svg;
    use fedsplit_alliance::summary::METRICS;
    std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    for (i, m) in METRICS.iter().enumerate() {
        let title = format!(
            "{} — {} plans, {} graph, k = {}",
            m.label, s.plans, s.graph_label, s.k
        );
        let marker = s.plan.as_ref().map(|p| (p.values[i], p.name.as_str()));
        let svg = histogram_svg(&s.values[i], 40, &title, m.label, marker);
        let path = dir.join(format!("{}.svg", m.name));
        std::fs::write(&path, svg).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    Ok(())
}
