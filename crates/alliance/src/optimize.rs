//! Searching for good plans: short bursts (Cannon, Goldbloom-Helzner, Gupta,
//! Matthews & Suwal 2023, "Voting rights, Markov chains, and optimization by
//! short bursts") over single-unit boundary flips.
//!
//! The walk: from the current plan, draw a cut edge uniformly and one of its
//! two ends (a fair coin); that unit moves to the other end's bloc if the
//! move keeps its bloc non-empty and unsplit (so plans stay contiguous) and
//! both blocs within the population bounds; otherwise the step stays put.
//! Short bursts: walk `burst` steps, remember the best plan seen (the latest
//! among equals, so the search drifts along plateaus), start the next burst
//! from the best plan so far.
//!
//! Objectives, each a constrained minimisation compared lexicographically
//! as (constraint violation, objective), so that an infeasible search first
//! moves toward feasibility:
//! - [`Objective::Stranded`]: minimise stranded voters subject to every
//!   bloc's |net per capita| ≤ `bound` dollars;
//! - [`Objective::Fiscal`]: minimise the largest |net per capita| of a bloc
//!   subject to stranded voters ≤ `bound`.
//!
//! Deterministic: every random number comes from `ChainRng::new(seed, 0)`
//! (ChaCha8), the start included (recursive tree bipartition, as the
//! sampler's initial plan) unless a start is given.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::attrs::{year_index, AttrError, NodeAttrs};
use crate::bounds::Bounds;
use crate::recom::{self, Params, RecomError, TreeMethod, Variant};
use crate::rng::ChainRng;
use crate::scores::{score_year_into, PlanScores};
use crate::stability::SplitTest;
use fedsplit_core::graph::{Graph, Partition};

/// Burst length used by default (Cannon et al. found short bursts of about
/// ten steps work well).
pub const DEFAULT_BURST: u64 = 10;

/// What to minimise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Stranded voters, subject to every bloc's |net per capita| ≤ bound ($).
    Stranded,
    /// The largest |net per capita| of a bloc, subject to stranded ≤ bound (voters).
    Fiscal,
}

impl Objective {
    pub const fn name(self) -> &'static str {
        match self {
            Objective::Stranded => "stranded",
            Objective::Fiscal => "fiscal",
        }
    }
}

/// The search's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptimizeParams {
    /// Number of blocs.
    pub k: usize,
    /// Population tolerance, a fraction of the ideal (0.1 = ±10%).
    pub tol: f64,
    pub objective: Objective,
    /// The constraint's bound: dollars per capita (`Stranded`) or voters (`Fiscal`).
    pub bound: f64,
    /// Walk steps in all.
    pub steps: u64,
    /// Steps per burst.
    pub burst: u64,
    pub seed: u64,
    /// Election year of the votes.
    pub year: u16,
}

/// Why a search cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptimizeError {
    #[error(transparent)]
    Recom(#[from] RecomError),
    #[error(transparent)]
    Attr(#[from] AttrError),
    #[error("--bound must be a finite number ≥ 0 (got {0})")]
    BadBound(f64),
    #[error("--burst must be at least 1")]
    BadBurst,
    #[error("starting plan: {0}")]
    BadStart(String),
}

/// A plan's rank under an objective: smaller is better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rank {
    /// How far the constraint is exceeded (0 when feasible).
    pub violation: f64,
    /// The objective's value.
    pub value: f64,
}

impl Rank {
    pub fn feasible(&self) -> bool {
        self.violation == 0.0
    }

    fn cmp(&self, other: &Rank) -> std::cmp::Ordering {
        self.violation
            .total_cmp(&other.violation)
            .then(self.value.total_cmp(&other.value))
    }
}

/// The rank of scores under an objective and bound.
pub fn rank(objective: Objective, bound: f64, s: &PlanScores) -> Rank {
    match objective {
        Objective::Stranded => Rank {
            violation: (s.max_abs_net_per_capita - bound).max(0.0),
            value: s.stranded_total as f64,
        },
        Objective::Fiscal => Rank {
            violation: (s.stranded_total as f64 - bound).max(0.0),
            value: s.max_abs_net_per_capita,
        },
    }
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizeResult {
    pub start: Partition,
    pub start_scores: PlanScores,
    pub start_rank: Rank,
    pub best: Partition,
    pub best_scores: PlanScores,
    pub best_rank: Rank,
    pub bounds: Bounds,
    /// Walk steps taken.
    pub steps: u64,
    /// Steps that moved a unit.
    pub flips: u64,
    pub bursts: u64,
    /// Bursts that ended on a strictly better plan than they started from.
    pub improvements: u64,
}

/// Runs short bursts from `start` (or, when `None`, from a random plan
/// within the bounds drawn with the seed).
pub fn optimize(
    graph: &Graph,
    attrs: &NodeAttrs,
    params: &OptimizeParams,
    start: Option<&Partition>,
) -> Result<OptimizeResult, OptimizeError> {
    optimize_with_progress(graph, attrs, params, start, &AtomicU64::new(0))
}

/// As [`optimize`], counting the walk steps taken in `progress` (after each
/// burst), for a progress bar.
pub fn optimize_with_progress(
    graph: &Graph,
    attrs: &NodeAttrs,
    params: &OptimizeParams,
    start: Option<&Partition>,
    progress: &AtomicU64,
) -> Result<OptimizeResult, OptimizeError> {
    if !params.bound.is_finite() || params.bound < 0.0 {
        return Err(OptimizeError::BadBound(params.bound));
    }
    if params.burst == 0 {
        return Err(OptimizeError::BadBurst);
    }
    let y = year_index(params.year)?;
    if attrs.len() != graph.len() {
        return Err(AttrError::Inconsistent(format!(
            "{} nodes and {} attribute rows",
            graph.len(),
            attrs.len()
        ))
        .into());
    }
    let recom_params = Params {
        k: params.k,
        tol: params.tol,
        variant: Variant::Recom,
        tree: TreeMethod::Mst,
    };
    let bounds = recom_params.check(graph)?;
    let mut rng = ChainRng::new(params.seed, 0);
    let start = match start {
        Some(p) => {
            if p.assignment.len() != graph.len() || p.k() != params.k {
                return Err(OptimizeError::BadStart(format!(
                    "{} units in {} blocs, expected {} in {}",
                    p.assignment.len(),
                    p.k(),
                    graph.len(),
                    params.k
                )));
            }
            if !p.is_contiguous(graph) {
                return Err(OptimizeError::BadStart(
                    "a bloc is empty or in pieces".into(),
                ));
            }
            if let Some(b) = p.pops.iter().position(|&x| !bounds.contains(x)) {
                return Err(OptimizeError::BadStart(format!(
                    "bloc {} has population {}, outside [{}, {}]",
                    b + 1,
                    p.pops[b],
                    bounds.lo,
                    bounds.hi
                )));
            }
            p.clone()
        }
        None => recom::initial_plan(graph, &recom_params, &mut rng)?,
    };

    let ranked = |p: &Partition, s: &mut PlanScores| {
        score_year_into(graph, attrs, p, y, s);
        rank(params.objective, params.bound, s)
    };
    let mut start_scores = PlanScores::default();
    let start_rank = ranked(&start, &mut start_scores);

    let mut best = start.clone();
    let mut best_scores = start_scores.clone();
    let mut best_rank = start_rank;
    let mut current = start.clone();
    let mut scores = PlanScores::default();
    let mut burst_best = start.clone();
    let mut burst_scores = start_scores.clone();
    let mut split = SplitTest::new(graph.len());
    let mut cut: Vec<(u32, u32)> = Vec::new();
    let mut members = vec![0usize; params.k];
    let (mut steps, mut flips, mut bursts, mut improvements) = (0u64, 0u64, 0u64, 0u64);

    while steps < params.steps {
        bursts += 1;
        progress.store(steps, Ordering::Relaxed);
        current.clone_from(&best);
        burst_best.clone_from(&best);
        burst_scores.clone_from(&best_scores);
        let mut burst_rank = best_rank;
        members.fill(0);
        for &b in &current.assignment {
            members[b as usize] += 1;
        }
        let end = (steps + params.burst).min(params.steps);
        while steps < end {
            steps += 1;
            cut.clear();
            for v in 0..graph.len() {
                let b = current.assignment[v];
                for &u in graph.neighbors(v) {
                    if u as usize > v && current.assignment[u as usize] != b {
                        cut.push((v as u32, u));
                    }
                }
            }
            if cut.is_empty() {
                break;
            }
            let (a, b) = cut[rng.index(cut.len())];
            let (v, w) = if rng.coin() { (a, b) } else { (b, a) };
            let (v, w) = (v as usize, w as usize);
            let from = current.assignment[v];
            let to = current.assignment[w];
            let pv = graph.pops[v];
            if members[from as usize] < 2
                || !bounds.contains(current.pops[from as usize] - pv)
                || !bounds.contains(current.pops[to as usize] + pv)
                || split.splits(graph, &current.assignment, v)
            {
                continue;
            }
            current.assignment[v] = to;
            current.pops[from as usize] -= pv;
            current.pops[to as usize] += pv;
            members[from as usize] -= 1;
            members[to as usize] += 1;
            flips += 1;
            let r = ranked(&current, &mut scores);
            if r.cmp(&burst_rank).is_le() {
                burst_best.clone_from(&current);
                burst_scores.clone_from(&scores);
                burst_rank = r;
            }
        }
        if burst_rank.cmp(&best_rank).is_lt() {
            improvements += 1;
        }
        if burst_rank.cmp(&best_rank).is_le() {
            best.clone_from(&burst_best);
            best_scores.clone_from(&burst_scores);
            best_rank = burst_rank;
        }
    }
    Ok(OptimizeResult {
        start,
        start_scores,
        start_rank,
        best,
        best_scores,
        best_rank,
        bounds,
        steps,
        flips,
        bursts,
        improvements,
    })
}
