//! Ensembles: many independent ReCom chains of one seed, run in parallel with
//! rayon and written in chain order.
//!
//! Chain `c` of seed `s` draws from its own ChaCha8 stream (`rng` module):
//! its starting plan (recursive tree bipartition) and every step depend only
//! on `(s, c)` and the parameters. Each chain streams its records to its own
//! part file next to the output; finished parts are appended to the output in
//! chain order (and deleted) as soon as every earlier chain is done. So the
//! output is the same bytes whatever the thread count or scheduling, a slice
//! of chains (`chain_range`) is exactly the corresponding slice of the full
//! run, and memory does not grow with the number of steps.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use serde_json::{json, Value};

pub use crate::attrs::GraphSpec;
use crate::bounds::Bounds;
use crate::output::{self, io_err, Format, OutputError, RecordWriter};
use crate::recom::{initial_plan, ChainStats, Params, RecomError, Sampler};
use crate::rng::{ChainRng, RNG_NAME};
use fedsplit_core::graph::Graph;

/// Why an ensemble could not run.
#[derive(Debug, thiserror::Error)]
pub enum EnsembleError {
    #[error(transparent)]
    Recom(#[from] RecomError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("{0}")]
    Spec(String),
    #[error("interrupted")]
    Interrupted,
}

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct EnsembleSpec {
    /// Name of the graph (`states`, `counties`, `grid:WxH`).
    pub graph_label: String,
    /// Units of the source left out of the graph (e.g. `["AK", "HI"]`).
    pub excluded: Vec<String>,
    /// The dataset's fiscal year (its populations weight the graph); none
    /// for a grid.
    pub fiscal_year: Option<u16>,
    pub params: Params,
    /// Steps per chain.
    pub steps: u64,
    /// Record every `every`-th step (and step 0).
    pub every: u64,
    pub seed: u64,
    /// Chains in the whole ensemble of this seed.
    pub chains: u64,
    /// The chains this run covers: `start..end` within `0..chains`.
    pub chain_range: (u64, u64),
}

impl EnsembleSpec {
    /// Checks the spec against the graph and returns the population bounds.
    pub fn check(&self, graph: &Graph) -> Result<Bounds, EnsembleError> {
        if self.every == 0 {
            return Err(EnsembleError::Spec("--every must be at least 1".into()));
        }
        if self.chains == 0 {
            return Err(EnsembleError::Spec("--chains must be at least 1".into()));
        }
        let (a, b) = self.chain_range;
        if a >= b || b > self.chains {
            return Err(EnsembleError::Spec(format!(
                "--chain-range {a}..{b} must be a non-empty range within 0..{} (the --chains)",
                self.chains
            )));
        }
        Ok(self.params.check(graph)?)
    }

    /// The meta record.
    pub fn meta(&self, graph: &Graph, bounds: &Bounds, format: Format) -> Value {
        let mut meta = json!({
            "type": "meta",
            "tool": "fedsplit ensemble",
            "version": env!("CARGO_PKG_VERSION"),
            "graph": self.graph_label,
            "graph_sha256": output::graph_sha256(graph),
            "nodes": graph.len(),
            "edges": graph.edge_count(),
            "excluded": self.excluded,
            "total_pop": bounds.total,
            "k": self.params.k,
            "tol": self.params.tol,
            "ideal_pop": bounds.ideal,
            "pop_bounds": [bounds.lo, bounds.hi],
            "variant": self.params.variant.name(),
            "tree": self.params.tree.name(),
            "steps": self.steps,
            "every": self.every,
            "seed": self.seed,
            "chains": self.chains,
            "chain_range": [self.chain_range.0, self.chain_range.1],
            "rng": RNG_NAME,
            "format": format.name(),
        });
        if let Some(year) = self.fiscal_year {
            meta["fiscal_year"] = json!(year);
        }
        meta
    }
}

/// Runs chain `chain` for `steps` steps, calling `visit(step, sampler)` at
/// step 0 (the starting plan) and every `every` steps after. `progress` is
/// advanced by the steps done (in batches); `stop` is polled as often.
#[allow(clippy::too_many_arguments)]
pub fn visit_chain<E>(
    graph: &Graph,
    params: Params,
    seed: u64,
    chain: u64,
    steps: u64,
    every: u64,
    progress: &AtomicU64,
    stop: &AtomicBool,
    mut visit: impl FnMut(u64, &Sampler) -> Result<(), E>,
) -> Result<ChainStats, E>
where
    E: From<RecomError> + From<Interrupted>,
{
    const BATCH: u64 = 256;
    let mut rng = ChainRng::new(seed, chain);
    let start = initial_plan(graph, &params, &mut rng)?;
    let mut sampler = Sampler::new(graph, params, &start)?;
    visit(0, &sampler)?;
    let every = every.max(1);
    let mut pending = 0;
    for step in 1..=steps {
        sampler.step(&mut rng);
        if step % every == 0 {
            visit(step, &sampler)?;
        }
        pending += 1;
        if pending == BATCH {
            progress.fetch_add(pending, Ordering::Relaxed);
            pending = 0;
            if stop.load(Ordering::Relaxed) {
                return Err(Interrupted.into());
            }
        }
    }
    progress.fetch_add(pending, Ordering::Relaxed);
    Ok(*sampler.stats())
}

/// A chain stopped because another failed or the run was cancelled.
#[derive(Debug, Clone, Copy)]
pub struct Interrupted;

impl From<Interrupted> for EnsembleError {
    fn from(_: Interrupted) -> Self {
        EnsembleError::Interrupted
    }
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct EnsembleSummary {
    /// Per chain of the range, in chain order.
    pub stats: Vec<ChainStats>,
    pub bounds: Bounds,
    pub format: Format,
}

/// `NAME.chainC.part` beside `out`: chain C's records until they are
/// copied into the output (visible, so that a killed run's leftovers are seen).
fn part_path(out: &Path, chain: u64) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ensemble".into());
    out.with_file_name(format!("{name}.chain{chain}.part"))
}

/// Writes one chain to its part file.
#[allow(clippy::too_many_arguments)]
fn write_chain(
    graph: &Graph,
    spec: &EnsembleSpec,
    bounds: &Bounds,
    format: Format,
    chain: u64,
    path: &Path,
    progress: &AtomicU64,
    stop: &AtomicBool,
) -> Result<ChainStats, EnsembleError> {
    let file = File::create(path).map_err(io_err(path))?;
    let mut w = BufWriter::with_capacity(1 << 18, file);
    let mut rec = RecordWriter::new(format, graph.len());
    let stats = visit_chain(
        graph,
        spec.params,
        spec.seed,
        chain,
        spec.steps,
        spec.every,
        progress,
        stop,
        |step, s: &Sampler| -> Result<(), EnsembleError> {
            rec.plan(
                &mut w,
                chain,
                step,
                s.cut_edges(),
                bounds,
                s.bloc_pops(),
                s.assignment(),
            )
            .map_err(io_err(path))?;
            Ok(())
        },
    )?;
    rec.chain_end(&mut w, chain, &stats).map_err(io_err(path))?;
    w.flush().map_err(io_err(path))?;
    Ok(stats)
}

/// In-order assembly of finished chains into the output.
struct Assembly {
    out: BufWriter<File>,
    next: u64,
    done: Vec<bool>,
    failed: bool,
}

/// Runs the chains of `spec.chain_range` on the current rayon pool and
/// writes the output to `out` (format from its extension). The file appears
/// under its name only when complete. Setting `stop` (e.g. on Ctrl-C)
/// cancels the run, which then removes its part files; a chain that fails
/// sets it to stop the others.
pub fn run_ensemble(
    graph: &Graph,
    spec: &EnsembleSpec,
    out: &Path,
    progress: &AtomicU64,
    stop: &AtomicBool,
) -> Result<EnsembleSummary, EnsembleError> {
    let format = Format::from_path(out).ok_or_else(|| {
        EnsembleError::Spec(format!(
            "{}: the output must end in .jsonl or .csv",
            out.display()
        ))
    })?;
    let bounds = spec.check(graph)?;
    let meta = spec.meta(graph, &bounds, format);
    let tmp = output::partial_path(out);
    let file = File::create(&tmp).map_err(io_err(&tmp))?;
    let mut head = BufWriter::with_capacity(1 << 20, file);
    writeln!(head, "{}", output::meta_line(&meta, format)).map_err(io_err(&tmp))?;
    if format == Format::Csv {
        writeln!(head, "{}", output::csv_header(graph, spec.params.k)).map_err(io_err(&tmp))?;
    }
    let (start, end) = spec.chain_range;
    let assembly = Mutex::new(Assembly {
        out: head,
        next: start,
        done: vec![false; (end - start) as usize],
        failed: false,
    });
    let results: Vec<Result<ChainStats, EnsembleError>> = (start..end)
        .into_par_iter()
        .map(|chain| {
            if stop.load(Ordering::Relaxed) {
                return Err(EnsembleError::Interrupted);
            }
            let part = part_path(out, chain);
            let r = write_chain(graph, spec, &bounds, format, chain, &part, progress, stop);
            let mut a = assembly.lock().unwrap_or_else(|e| e.into_inner());
            if r.is_err() || a.failed {
                a.failed = true;
                stop.store(true, Ordering::Relaxed);
                let _ = std::fs::remove_file(&part);
                return r;
            }
            a.done[(chain - start) as usize] = true;
            while a.next < end && a.done[(a.next - start) as usize] {
                let c = a.next;
                let p = part_path(out, c);
                let copied = File::open(&p)
                    .and_then(|mut f| std::io::copy(&mut f, &mut a.out))
                    .map_err(io_err(&p));
                let _ = std::fs::remove_file(&p);
                if let Err(e) = copied {
                    a.failed = true;
                    stop.store(true, Ordering::Relaxed);
                    return Err(e.into());
                }
                a.next += 1;
            }
            r
        })
        .collect();
    let assembly = assembly.into_inner().unwrap_or_else(|e| e.into_inner());
    let failure = results
        .iter()
        .position(|r| matches!(r, Err(e) if !matches!(e, EnsembleError::Interrupted)))
        .or_else(|| results.iter().position(Result::is_err));
    if let Some(i) = failure {
        drop(assembly);
        for c in start..end {
            let _ = std::fs::remove_file(part_path(out, c));
        }
        let _ = std::fs::remove_file(&tmp);
        let err = results.into_iter().nth(i).expect("index").unwrap_err();
        return Err(err);
    }
    let mut w = assembly.out;
    w.flush().map_err(io_err(&tmp))?;
    drop(w);
    std::fs::rename(&tmp, out).map_err(io_err(out))?;
    Ok(EnsembleSummary {
        stats: results.into_iter().map(|r| r.expect("checked")).collect(),
        bounds,
        format,
    })
}

/// Runs `f` on a rayon pool of `threads` threads (rayon's default — the
/// `RAYON_NUM_THREADS` variable or one per CPU — when `None`). The output of
/// [`run_ensemble`] does not depend on it.
pub fn with_threads<R: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> R + Send,
) -> Result<R, EnsembleError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        if t == 0 {
            return Err(EnsembleError::Spec("--threads must be at least 1".into()));
        }
        builder = builder.num_threads(t);
    }
    let pool = builder
        .build()
        .map_err(|e| EnsembleError::Spec(format!("thread pool: {e}")))?;
    Ok(pool.install(f))
}
