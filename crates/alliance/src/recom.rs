//! ReCom: the recombination Markov chain on contiguous, population-balanced
//! partitions (DeFord, Duchin & Solomon 2021), plain and reversible (Cannon,
//! Duchin, Randall & Rule 2022).
//!
//! One step merges two adjacent blocs into a region `R`, draws a spanning tree
//! of `R`, and cuts a tree edge whose two sides both have a population within
//! the bounds `[lo, hi]` (a *balanced* edge); the two sides become the two
//! blocs. Each side of a tree edge is connected, so every plan the chain
//! visits is contiguous, and every bloc stays within the bounds.
//!
//! * **Plain ReCom** ([`Variant::Recom`]): the pair is the two blocs of a cut
//!   edge drawn uniformly among all cut edges; trees are redrawn for that pair
//!   until one has a balanced edge (at most [`TREES_PER_PAIR`], after which a
//!   new cut edge is drawn); the edge is uniform among the tree's balanced
//!   edges. Every step moves (possibly back to the same plan). Its stationary
//!   distribution has no closed form.
//! * **Reversible ReCom** ([`Variant::Reversible`], uniform trees only): the
//!   pair is uniform among the `k(k−1)/2` pairs of blocs (a non-adjacent pair
//!   is a self-loop); with `s` balanced edges in a uniform spanning tree, each
//!   is taken with probability `1/M(R)` (nothing with `1 − s/M(R)`), where
//!   `M(R) ≥ s` bounds the balanced edges of every spanning tree of `R`; the
//!   move is accepted with probability `1/|∂(A,B)|`, the number of graph edges
//!   between the two new blocs. The transition probability to a plan that
//!   splits `R` into `A, B` is then `2·τ(A)·τ(B) / (k(k−1)·τ(R)·M(R))`, the
//!   same expression in both directions up to the factor `τ(A)τ(B)` vs
//!   `τ(old blocs)`, so the chain is reversible with stationary distribution
//!   `π(P) ∝ ∏ τ(P_i)` — the product of the spanning-tree counts of the blocs —
//!   on balanced contiguous plans (labelled; the two new labels are assigned
//!   by a fair coin so that labelled moves are symmetric).
//!
//! `M(R)`: if `3·lo > 2·hi` (tolerance below 20 %) the balanced edges of any
//! spanning tree lie on one path (three off a common path would cut off three
//! disjoint balanced pieces, more than `2·hi ≥ pop(R)`), and the piece between
//! the two outermost has population at most `hi − lo`; with every node of
//! population at least `p_min > 0`, at most `⌊(hi − lo)/p_min⌋ + 1` edges are
//! balanced. Otherwise, or if that is larger, `M(R) = |R| − 1`. It depends on
//! `R` only, which both directions of a move share.
//!
//! The step does not allocate: every buffer is sized once for the graph.

use fedsplit_core::graph::{Graph, Partition};

use crate::bounds::Bounds;
use crate::feasible;
use crate::rng::ChainRng;

/// Trees drawn for one pair of blocs in plain ReCom before another pair is drawn.
pub const TREES_PER_PAIR: u32 = 1000;
/// Trees drawn for one split while building an initial plan before restarting.
pub const TREES_PER_SPLIT: u32 = 200;
/// Wide plans tightened before the initial-plan construction gives up.
pub const TIGHTEN_ROUNDS: u32 = 5;

/// Which chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Recom,
    Reversible,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Variant::Recom => "recom",
            Variant::Reversible => "reversible",
        }
    }
}

/// How spanning trees are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeMethod {
    /// Minimum spanning tree under i.i.d. random edge weights (Kruskal over a
    /// uniformly shuffled edge list, which is the same thing). Not uniform.
    Mst,
    /// Uniform spanning tree by Wilson's loop-erased random walks.
    Wilson,
}

impl TreeMethod {
    pub fn name(self) -> &'static str {
        match self {
            TreeMethod::Mst => "mst",
            TreeMethod::Wilson => "wilson",
        }
    }
}

/// Why a chain cannot start.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecomError {
    #[error("--blocs must be at least 2 (got {0})")]
    TooFewBlocs(usize),
    #[error("{k} blocs but the graph has only {n} units")]
    TooManyBlocs { k: usize, n: usize },
    #[error("tolerance must be a fraction in [0, 1) (got {0})")]
    BadTolerance(f64),
    #[error("the graph is not connected ({0} pieces): no contiguous plan exists")]
    Disconnected(usize),
    #[error(
        "{name} alone has population {pop}, more than the largest bloc allowed at k = {k}: \
         (1 + {tol_pct}%) × ideal {ideal:.0} = {hi}; the smallest tolerance with a plan is \
         {min_tol_pct:.1}% (use --tol {min_tol_pct:.1}), or use fewer blocs"
    )]
    UnitTooLarge {
        name: String,
        pop: u64,
        k: usize,
        tol_pct: f64,
        ideal: f64,
        hi: u64,
        min_tol_pct: f64,
    },
    #[error(
        "no integer population lies within {tol_pct}% of the ideal {ideal}; use a larger --tol"
    )]
    EmptyBounds { tol_pct: f64, ideal: f64 },
    #[error("reversible ReCom needs uniform spanning trees (--tree wilson)")]
    ReversibleNeedsWilson,
    #[error(
        "no starting plan found: recursive tree bipartition, then {rounds} rounds of \
         tightening, failed, and {exact}; feasibility is unknown: use a larger --tol"
    )]
    NoInitialPlan { rounds: u32, exact: String },
    #[error(
        "no plan of the {n} units into {k} contiguous blocs within ±{tol_pct}% of the ideal \
         population exists (exhaustive search); {hint}"
    )]
    Infeasible {
        n: usize,
        k: usize,
        tol_pct: f64,
        hint: String,
    },
    #[error("invalid starting plan: {0}")]
    BadPlan(String),
}

/// The chain's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub k: usize,
    /// Population tolerance as a fraction (0.05 = ±5 % of total/k).
    pub tol: f64,
    pub variant: Variant,
    pub tree: TreeMethod,
}

impl Params {
    /// Checks that the parameters make sense on `graph` and returns the
    /// bounds. A unit whose population alone exceeds the upper bound makes
    /// every plan infeasible (California is about 12 % of the contiguous
    /// population, so at k ≥ 9 it needs a tolerance above 5 %): refused, with
    /// the smallest tolerance that would admit it.
    pub fn check(&self, graph: &Graph) -> Result<Bounds, RecomError> {
        let n = graph.len();
        if self.k < 2 {
            return Err(RecomError::TooFewBlocs(self.k));
        }
        if self.k > n {
            return Err(RecomError::TooManyBlocs { k: self.k, n });
        }
        if !(0.0..1.0).contains(&self.tol) || self.tol.is_nan() {
            return Err(RecomError::BadTolerance(self.tol));
        }
        if self.variant == Variant::Reversible && self.tree != TreeMethod::Wilson {
            return Err(RecomError::ReversibleNeedsWilson);
        }
        let pieces = graph.component_count();
        if pieces != 1 {
            return Err(RecomError::Disconnected(pieces));
        }
        let b = Bounds::new(graph.total_pop(), self.k, self.tol);
        let k = self.k as u64;
        if b.lo > b.hi || k * b.hi < b.total || k * b.lo > b.total {
            return Err(RecomError::EmptyBounds {
                tol_pct: self.tol * 100.0,
                ideal: b.ideal,
            });
        }
        let (v, &pop) = graph
            .pops
            .iter()
            .enumerate()
            .max_by_key(|&(i, p)| (*p, std::cmp::Reverse(i)))
            .expect("graph has nodes");
        if pop > b.hi {
            // The unit's own bound, to a tenth of a percent; on a small graph
            // the exact search then finds the smallest tolerance at which a
            // plan exists (it may be larger), so the advice works for every seed.
            let unit_min = pop as f64 / b.ideal - 1.0;
            let mut min_tol_pct = (unit_min * 1000.0).floor() / 10.0 + 0.1;
            if n <= feasible::MAX_NODES {
                if let Some(t) =
                    feasible::min_feasible_tol(graph, self.k, unit_min, feasible::BUDGET)
                {
                    min_tol_pct = min_tol_pct.max((t * 1000.0).round() / 10.0);
                }
            }
            return Err(RecomError::UnitTooLarge {
                name: graph.names[v].clone(),
                pop,
                k: self.k,
                tol_pct: self.tol * 100.0,
                ideal: b.ideal,
                hi: b.hi,
                min_tol_pct,
            });
        }
        Ok(b)
    }
}

/// Counters of one chain (deterministic given seed and chain).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChainStats {
    /// Chain steps taken.
    pub steps: u64,
    /// Steps that replaced the two blocs (plain ReCom: every step).
    pub moves: u64,
    /// Spanning trees drawn.
    pub trees: u64,
    /// Plain ReCom: pairs given up after [`TREES_PER_PAIR`] trees.
    /// Reversible: proposals whose pair was not adjacent.
    pub pairs_dropped: u64,
}

/// Buffers for drawing a spanning tree of a region and cutting it.
#[derive(Debug, Clone)]
struct TreeWork {
    // Indexed by global node.
    stamp: Vec<u32>,
    epoch: u32,
    local: Vec<u32>,
    // Indexed by local node 0..m.
    nodes: Vec<u32>,
    pops: Vec<u64>,
    /// Local adjacency (CSR), built for Wilson's algorithm only.
    adj_start: Vec<u32>,
    adj: Vec<u32>,
    /// Local edges (i < j), built for Kruskal only.
    edges: Vec<(u32, u32)>,
    uf: Vec<u32>,
    uf_size: Vec<u32>,
    in_tree: Vec<bool>,
    next: Vec<u32>,
    tree_edges: Vec<(u32, u32)>,
    deg: Vec<u32>,
    xor: Vec<u32>,
    parent: Vec<u32>,
    /// Non-root nodes in leaf-peeling order: every node before its parent.
    order: Vec<u32>,
    root: u32,
    /// Population of the subtree below each node.
    sub: Vec<u64>,
    stack: Vec<u32>,
    side: Vec<bool>,
    /// Local nodes whose edge to their parent is a valid cut.
    cuts: Vec<u32>,
    total: u64,
    min_pop: u64,
}

impl TreeWork {
    fn new(graph: &Graph) -> TreeWork {
        let n = graph.len();
        let directed = graph.neighbors.len();
        TreeWork {
            stamp: vec![0; n],
            epoch: 0,
            local: vec![0; n],
            nodes: Vec::with_capacity(n),
            pops: Vec::with_capacity(n),
            adj_start: Vec::with_capacity(n + 1),
            adj: Vec::with_capacity(directed),
            edges: Vec::with_capacity(directed / 2),
            uf: Vec::with_capacity(n),
            uf_size: Vec::with_capacity(n),
            in_tree: Vec::with_capacity(n),
            next: Vec::with_capacity(n),
            tree_edges: Vec::with_capacity(n),
            deg: Vec::with_capacity(n),
            xor: Vec::with_capacity(n),
            parent: Vec::with_capacity(n),
            order: Vec::with_capacity(n),
            root: 0,
            sub: Vec::with_capacity(n),
            stack: Vec::with_capacity(n),
            side: Vec::with_capacity(n),
            cuts: Vec::with_capacity(n),
            total: 0,
            min_pop: 0,
        }
    }

    /// Makes the region: the nodes yielded, which must induce a connected
    /// subgraph; prepares what `method` needs.
    fn load(&mut self, graph: &Graph, nodes: impl Iterator<Item = u32>, method: TreeMethod) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.fill(0);
            self.epoch = 1;
        }
        self.nodes.clear();
        self.pops.clear();
        self.total = 0;
        self.min_pop = u64::MAX;
        for v in nodes {
            self.stamp[v as usize] = self.epoch;
            self.local[v as usize] = self.nodes.len() as u32;
            self.nodes.push(v);
            let p = graph.pops[v as usize];
            self.pops.push(p);
            self.total += p;
            self.min_pop = self.min_pop.min(p);
        }
        match method {
            TreeMethod::Mst => {
                self.edges.clear();
                for (i, &v) in self.nodes.iter().enumerate() {
                    for &u in graph.neighbors(v as usize) {
                        if u > v && self.stamp[u as usize] == self.epoch {
                            self.edges.push((i as u32, self.local[u as usize]));
                        }
                    }
                }
            }
            TreeMethod::Wilson => {
                self.adj_start.clear();
                self.adj.clear();
                self.adj_start.push(0);
                for &v in &self.nodes {
                    for &u in graph.neighbors(v as usize) {
                        if self.stamp[u as usize] == self.epoch {
                            self.adj.push(self.local[u as usize]);
                        }
                    }
                    self.adj_start.push(self.adj.len() as u32);
                }
            }
        }
    }

    #[inline]
    fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether global node `v` is in the region.
    #[inline]
    fn contains(&self, v: u32) -> bool {
        self.stamp[v as usize] == self.epoch
    }

    /// Draws a spanning tree (by the method the region was loaded for) and
    /// roots it.
    fn draw(&mut self, method: TreeMethod, rng: &mut ChainRng) {
        match method {
            TreeMethod::Mst => self.kruskal_random(rng),
            TreeMethod::Wilson => self.wilson(rng),
        }
        self.root_tree();
    }

    /// Kruskal over the edges in uniformly random order (a lazy Fisher–Yates
    /// shuffle): the minimum spanning tree under i.i.d. continuous weights.
    fn kruskal_random(&mut self, rng: &mut ChainRng) {
        let m = self.len();
        self.uf.clear();
        self.uf.extend(0..m as u32);
        self.uf_size.clear();
        self.uf_size.resize(m, 1);
        self.tree_edges.clear();
        let e = self.edges.len();
        let mut i = 0;
        while self.tree_edges.len() + 1 < m {
            assert!(i < e, "region is not connected");
            let j = i + rng.index(e - i);
            self.edges.swap(i, j);
            let (a, b) = self.edges[i];
            i += 1;
            let ra = find(&mut self.uf, a);
            let rb = find(&mut self.uf, b);
            if ra != rb {
                let (big, small) = if self.uf_size[ra as usize] >= self.uf_size[rb as usize] {
                    (ra, rb)
                } else {
                    (rb, ra)
                };
                self.uf[small as usize] = big;
                self.uf_size[big as usize] += self.uf_size[small as usize];
                self.tree_edges.push((a, b));
            }
        }
    }

    /// Wilson's algorithm: a uniform spanning tree (loop-erased random walks
    /// into the tree grown from local node 0).
    fn wilson(&mut self, rng: &mut ChainRng) {
        let m = self.len();
        self.in_tree.clear();
        self.in_tree.resize(m, false);
        self.next.clear();
        self.next.resize(m, u32::MAX);
        self.in_tree[0] = true;
        for start in 1..m {
            let mut u = start;
            while !self.in_tree[u] {
                let s = self.adj_start[u] as usize;
                let d = self.adj_start[u + 1] as usize - s;
                let w = self.adj[s + rng.index(d)];
                self.next[u] = w;
                u = w as usize;
            }
            let mut u = start;
            while !self.in_tree[u] {
                self.in_tree[u] = true;
                u = self.next[u] as usize;
            }
        }
        self.tree_edges.clear();
        for v in 1..m {
            self.tree_edges.push((v as u32, self.next[v]));
        }
    }

    /// Roots the tree by peeling leaves (a leaf's one neighbour is the XOR of
    /// its neighbours): parents, peeling order and subtree populations, with
    /// no adjacency lists.
    fn root_tree(&mut self) {
        let m = self.len();
        self.deg.clear();
        self.deg.resize(m, 0);
        self.xor.clear();
        self.xor.resize(m, 0);
        for &(a, b) in &self.tree_edges {
            self.deg[a as usize] += 1;
            self.deg[b as usize] += 1;
            self.xor[a as usize] ^= b;
            self.xor[b as usize] ^= a;
        }
        self.sub.clear();
        self.sub.extend_from_slice(&self.pops);
        self.parent.clear();
        self.parent.resize(m, u32::MAX);
        self.order.clear();
        self.stack.clear();
        self.root = 0;
        if m == 1 {
            return;
        }
        for i in 0..m {
            if self.deg[i] == 1 {
                self.stack.push(i as u32);
            }
        }
        while let Some(v) = self.stack.pop() {
            let vi = v as usize;
            if self.deg[vi] != 1 {
                continue;
            }
            let p = self.xor[vi];
            let pi = p as usize;
            self.parent[vi] = p;
            self.order.push(v);
            self.deg[vi] = 0;
            self.sub[pi] += self.sub[vi];
            self.xor[pi] ^= v;
            self.deg[pi] -= 1;
            if self.order.len() + 1 == m {
                self.root = p;
                break;
            }
            if self.deg[pi] == 1 {
                self.stack.push(p);
            }
        }
        debug_assert_eq!(self.order.len() + 1, m, "tree does not span the region");
    }

    /// Fills `cuts` with the non-root local nodes `v` such that cutting the
    /// edge above `v` leaves the subtree's population in `a` and the rest in `b`
    /// (inclusive ranges).
    fn find_cuts(&mut self, a: (u64, u64), b: (u64, u64)) {
        let mut cuts = std::mem::take(&mut self.cuts);
        self.find_cuts_into(a, b, &mut cuts);
        self.cuts = cuts;
    }

    fn find_cuts_into(&self, a: (u64, u64), b: (u64, u64), out: &mut Vec<u32>) {
        out.clear();
        let total = self.total;
        // In peeling order, so the cut chosen is a deterministic function of the tree.
        for &v in &self.order {
            let s = self.sub[v as usize];
            let r = total - s;
            if a.0 <= s && s <= a.1 && b.0 <= r && r <= b.1 {
                out.push(v);
            }
        }
    }

    /// Sets `side[i]` for the local nodes of the subtree below local node `v`.
    fn mark_subtree(&mut self, v: u32) {
        let m = self.len();
        self.side.clear();
        self.side.resize(m, false);
        self.side[v as usize] = true;
        // Reverse peeling order visits every parent before its children.
        for &u in self.order.iter().rev() {
            let p = self.parent[u as usize];
            if self.side[p as usize] {
                self.side[u as usize] = true;
            }
        }
    }
}

#[inline]
fn find(uf: &mut [u32], mut x: u32) -> u32 {
    while uf[x as usize] != x {
        let p = uf[x as usize];
        uf[x as usize] = uf[p as usize];
        x = uf[x as usize];
    }
    x
}

/// A contiguous plan within the bounds, seeded by `rng`.
///
/// 1. Recursive tree bipartition: draw a spanning tree of the unassigned
///    region, cut an edge that splits off one side with a population within
///    the bounds and leaves the rest able to hold the remaining blocs on
///    population alone, repeat; a split that finds no such edge in
///    [`TREES_PER_SPLIT`] trees restarts the plan ([`QUICK_RESTARTS`] times).
/// 2. On coarse graphs (the 49 states at k = 8, ±5 %) that rarely succeeds,
///    so the tolerance is doubled until bipartition succeeds, and the plan is
///    then *tightened*: ReCom steps on the worst bloc and a neighbour, each
///    keeping every bloc within the current worst deviation (strictly better
///    when a tree allows), until all blocs are within the bounds or
///    [`TIGHTEN_STEPS`] steps have passed ([`TIGHTEN_ROUNDS`] wide plans).
///
/// Between the two, a graph of at most 64 nodes gets the exact search of
/// [`feasible`]: it finds a plan (candidates in random order) or proves that
/// none exists, and then the error names the smallest feasible tolerance.
pub fn initial_plan(
    graph: &Graph,
    params: &Params,
    rng: &mut ChainRng,
) -> Result<Partition, RecomError> {
    let bounds = params.check(graph)?;
    let mut work = TreeWork::new(graph);
    if let Some(p) = bipartition(graph, params, &bounds, &mut work, rng, QUICK_RESTARTS) {
        return Ok(p);
    }
    let mut gave_up = false;
    if graph.len() <= feasible::MAX_NODES {
        // Candidates in random order first (the start varies with the
        // seed); if that runs out of budget, the canonical order, which is
        // the one that established any tolerance the errors recommend.
        let found = match feasible::search(graph, &bounds, feasible::BUDGET, Some(rng)) {
            feasible::Search::Unknown => feasible::search(graph, &bounds, feasible::BUDGET, None),
            other => other,
        };
        match found {
            feasible::Search::Found(p) => return Ok(p),
            feasible::Search::Infeasible => {
                let min = feasible::min_feasible_tol(graph, params.k, params.tol, feasible::BUDGET);
                return Err(RecomError::Infeasible {
                    n: graph.len(),
                    k: params.k,
                    tol_pct: params.tol * 100.0,
                    hint: match min {
                        Some(t) => format!(
                            "the smallest feasible tolerance is {:.1}% (use --tol {:.1})",
                            t * 100.0,
                            t * 100.0
                        ),
                        None => "use a larger --tol".into(),
                    },
                });
            }
            feasible::Search::Unknown => gave_up = true,
        }
    }
    let mut tol = params.tol.max(0.01);
    for _ in 0..TIGHTEN_ROUNDS {
        tol = (tol * 2.0).min(0.99);
        let wide = Bounds::new(bounds.total, params.k, tol);
        let Some(start) = bipartition(graph, params, &wide, &mut work, rng, QUICK_RESTARTS) else {
            continue;
        };
        if let Some(p) = tighten(graph, params, &bounds, &start, rng) {
            return Ok(p);
        }
        // Stuck: start again from a new wide plan, one notch wider.
        tol = params.tol.max(0.01);
    }
    Err(RecomError::NoInitialPlan {
        rounds: TIGHTEN_ROUNDS,
        exact: if gave_up {
            format!(
                "the exact search gave up after {} sets without settling whether a plan exists",
                feasible::BUDGET
            )
        } else {
            format!(
                "the graph is too large ({} units) for the exact search (at most {})",
                graph.len(),
                feasible::MAX_NODES
            )
        },
    })
}

/// Restarts of plain recursive bipartition before falling back on tightening.
pub const QUICK_RESTARTS: u32 = 50;
/// Steps of the tightening walk before it restarts from a new wide plan.
pub const TIGHTEN_STEPS: u32 = 2_000;

/// Recursive tree bipartition within `bounds` (see [`initial_plan`]).
fn bipartition(
    graph: &Graph,
    params: &Params,
    bounds: &Bounds,
    work: &mut TreeWork,
    rng: &mut ChainRng,
    restarts: u32,
) -> Option<Partition> {
    let k = params.k;
    let n = graph.len();
    let mut assign = vec![0u32; n];
    let rest_label = u32::MAX;
    let (mut below, mut above) = (Vec::new(), Vec::new());
    for _ in 0..restarts {
        assign.fill(rest_label);
        let mut ok = true;
        for bloc in 0..k - 1 {
            let left = (k - 1 - bloc) as u64; // blocs left after this one
            let region = (0..n as u32).filter(|&v| assign[v as usize] == rest_label);
            work.load(graph, region, params.tree);
            let one = (bounds.lo, bounds.hi);
            let rest = (left * bounds.lo, left * bounds.hi);
            let mut found = None;
            for _ in 0..TREES_PER_SPLIT {
                work.draw(params.tree, rng);
                // The subtree becomes the bloc, or the part above the edge does.
                work.find_cuts_into(one, rest, &mut below);
                work.find_cuts_into(rest, one, &mut above);
                let options = below.len() + above.len();
                if options > 0 {
                    let pick = rng.index(options);
                    found = Some(if pick < below.len() {
                        (below[pick], true)
                    } else {
                        (above[pick - below.len()], false)
                    });
                    break;
                }
            }
            let Some((v, subtree_is_bloc)) = found else {
                ok = false;
                break;
            };
            work.mark_subtree(v);
            for (i, &g) in work.nodes.iter().enumerate() {
                if work.side[i] == subtree_is_bloc {
                    assign[g as usize] = bloc as u32;
                }
            }
        }
        if ok {
            for a in &mut assign {
                if *a == rest_label {
                    *a = (k - 1) as u32;
                }
            }
            let p = Partition::new(graph, assign, k);
            debug_assert!(p.is_contiguous(graph));
            debug_assert!(p.pops.iter().all(|&x| bounds.contains(x)));
            return Some(p);
        }
    }
    None
}

/// The tightening walk of [`initial_plan`]: from a contiguous plan `start`,
/// ReCom moves on the worst bloc and a random neighbouring bloc that keep
/// every bloc within the current worst deviation, until every bloc is within
/// `target` (then the plan), or [`TIGHTEN_STEPS`] steps (then `None`).
pub fn tighten(
    graph: &Graph,
    params: &Params,
    target: &Bounds,
    start: &Partition,
    rng: &mut ChainRng,
) -> Option<Partition> {
    let k = params.k;
    let ideal = target.ideal;
    // Bounds holding every current bloc (in integers, so no rounding can
    // exclude one), widened symmetrically about the ideal.
    let working = |pops: &[u64]| {
        let min = *pops.iter().min().expect("k ≥ 2");
        let max = *pops.iter().max().expect("k ≥ 2");
        let mirror = |x: u64| (2.0 * ideal - x as f64).max(0.0);
        let mut b = *target;
        b.lo = b.lo.min(min).min(mirror(max).ceil() as u64);
        b.hi = b.hi.max(max).max(mirror(min).floor() as u64);
        b
    };
    let mut s = Sampler::with_bounds(graph, *params, start, working(&start.pops));
    for _ in 0..TIGHTEN_STEPS {
        if s.bloc_pops.iter().all(|&p| target.contains(p)) {
            return Some(s.partition());
        }
        s.bounds = working(&s.bloc_pops);
        let worst = (0..k)
            .max_by(|&x, &y| {
                let dx = (s.bloc_pops[x] as f64 - ideal).abs();
                let dy = (s.bloc_pops[y] as f64 - ideal).abs();
                dx.total_cmp(&dy).then(y.cmp(&x))
            })
            .expect("k ≥ 2");
        let neighbours = (0..k).filter(|&c| s.seam(worst, c) > 0).count();
        if neighbours == 0 {
            return None;
        }
        let mut pick = rng.index(neighbours);
        let other = (0..k)
            .filter(|&c| s.seam(worst, c) > 0)
            .find(|_| {
                if pick == 0 {
                    true
                } else {
                    pick -= 1;
                    false
                }
            })
            .expect("counted");
        s.load_pair(worst as u32, other as u32);
        // Strictly better than the current worst if a tree allows, else sideways.
        let b = s.bounds;
        let worst_dev = (b.hi as f64 - ideal).max(ideal - b.lo as f64);
        let strict = (
            b.lo.max((ideal - worst_dev + 1.0).ceil().max(0.0) as u64),
            b.hi.min((ideal + worst_dev - 1.0).floor().max(0.0) as u64),
        );
        for _ in 0..16 {
            s.work.draw(params.tree, rng);
            if strict.0 <= strict.1 {
                s.work.find_cuts(strict, strict);
                if !s.work.cuts.is_empty() {
                    let v = s.work.cuts[rng.index(s.work.cuts.len())];
                    s.apply(worst as u32, other as u32, v, rng.coin());
                    break;
                }
            }
            s.work.find_cuts((b.lo, b.hi), (b.lo, b.hi));
            if !s.work.cuts.is_empty() {
                let v = s.work.cuts[rng.index(s.work.cuts.len())];
                s.apply(worst as u32, other as u32, v, rng.coin());
                break;
            }
        }
    }
    None
}

/// One ReCom chain's state and buffers.
#[derive(Debug, Clone)]
pub struct Sampler<'g> {
    graph: &'g Graph,
    params: Params,
    bounds: Bounds,
    assign: Vec<u32>,
    bloc_pops: Vec<u64>,
    members: Vec<Vec<u32>>,
    /// Edges between blocs `a` and `b` at `a * k + b` (symmetric).
    seam: Vec<u32>,
    cut: u64,
    /// Source node of each directed edge slot of the CSR.
    slot_src: Vec<u32>,
    work: TreeWork,
    stats: ChainStats,
}

impl<'g> Sampler<'g> {
    /// A chain starting from `start`, which must be contiguous and within bounds.
    pub fn new(graph: &'g Graph, params: Params, start: &Partition) -> Result<Self, RecomError> {
        let bounds = params.check(graph)?;
        Self::checked(graph, params, start, bounds)
    }

    /// A chain under other bounds (the tightening walk); `start` is trusted.
    fn with_bounds(graph: &'g Graph, params: Params, start: &Partition, bounds: Bounds) -> Self {
        Self::checked(graph, params, start, bounds).expect("tightening keeps plans valid")
    }

    fn checked(
        graph: &'g Graph,
        params: Params,
        start: &Partition,
        bounds: Bounds,
    ) -> Result<Self, RecomError> {
        let k = params.k;
        if start.assignment.len() != graph.len() || start.k() != k {
            return Err(RecomError::BadPlan(format!(
                "{} units and {} blocs, expected {} and {k}",
                start.assignment.len(),
                start.k(),
                graph.len()
            )));
        }
        if start.assignment.iter().any(|&b| b as usize >= k) {
            return Err(RecomError::BadPlan("bloc label out of range".into()));
        }
        let fresh = Partition::new(graph, start.assignment.clone(), k);
        if !fresh.is_contiguous(graph) {
            return Err(RecomError::BadPlan(
                "a bloc is empty or not contiguous".into(),
            ));
        }
        if let Some(p) = fresh.pops.iter().find(|&&p| !bounds.contains(p)) {
            return Err(RecomError::BadPlan(format!(
                "a bloc has population {p}, outside [{}, {}]",
                bounds.lo, bounds.hi
            )));
        }
        let n = graph.len();
        let mut members: Vec<Vec<u32>> = (0..k).map(|_| Vec::with_capacity(n)).collect();
        for (v, &b) in fresh.assignment.iter().enumerate() {
            members[b as usize].push(v as u32);
        }
        let mut slot_src = Vec::with_capacity(graph.neighbors.len());
        for v in 0..n {
            let d = graph.neighbors(v).len();
            slot_src.extend(std::iter::repeat_n(v as u32, d));
        }
        let mut s = Sampler {
            graph,
            params,
            bounds,
            assign: fresh.assignment,
            bloc_pops: fresh.pops,
            members,
            seam: vec![0; k * k],
            cut: 0,
            slot_src,
            work: TreeWork::new(graph),
            stats: ChainStats::default(),
        };
        s.recount_seams();
        Ok(s)
    }

    fn recount_seams(&mut self) {
        let k = self.params.k;
        self.seam.fill(0);
        self.cut = 0;
        for v in 0..self.graph.len() {
            let a = self.assign[v] as usize;
            for &u in self.graph.neighbors(v) {
                let b = self.assign[u as usize] as usize;
                if a != b {
                    self.seam[a * k + b] += 1;
                    if (u as usize) > v {
                        self.cut += 1;
                    }
                }
            }
        }
    }

    pub fn graph(&self) -> &'g Graph {
        self.graph
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn bounds(&self) -> &Bounds {
        &self.bounds
    }

    /// Bloc of each node.
    pub fn assignment(&self) -> &[u32] {
        &self.assign
    }

    /// Population of each bloc.
    pub fn bloc_pops(&self) -> &[u64] {
        &self.bloc_pops
    }

    /// Number of edges between different blocs.
    pub fn cut_edges(&self) -> u64 {
        self.cut
    }

    /// Edges between blocs `a` and `b`.
    pub fn seam(&self, a: usize, b: usize) -> u32 {
        self.seam[a * self.params.k + b]
    }

    pub fn stats(&self) -> &ChainStats {
        &self.stats
    }

    /// The current plan, copied.
    pub fn partition(&self) -> Partition {
        Partition {
            assignment: self.assign.clone(),
            pops: self.bloc_pops.clone(),
        }
    }

    /// One step of the chain.
    pub fn step(&mut self, rng: &mut ChainRng) {
        self.stats.steps += 1;
        match self.params.variant {
            Variant::Recom => self.step_recom(rng),
            Variant::Reversible => self.step_reversible(rng),
        }
    }

    fn load_pair(&mut self, a: u32, b: u32) {
        let (ma, mb) = (&self.members[a as usize], &self.members[b as usize]);
        self.work.load(
            self.graph,
            ma.iter().copied().chain(mb.iter().copied()),
            self.params.tree,
        );
    }

    /// A cut edge uniformly at random (rejection over directed edge slots).
    fn random_cut_edge(&self, rng: &mut ChainRng) -> (u32, u32) {
        let slots = self.graph.neighbors.len();
        loop {
            let s = rng.index(slots);
            let v = self.slot_src[s];
            let u = self.graph.neighbors[s];
            let (a, b) = (self.assign[v as usize], self.assign[u as usize]);
            if a != b {
                return (a, b);
            }
        }
    }

    fn step_recom(&mut self, rng: &mut ChainRng) {
        let one = (self.bounds.lo, self.bounds.hi);
        loop {
            let (a, b) = self.random_cut_edge(rng);
            self.load_pair(a, b);
            for _ in 0..TREES_PER_PAIR {
                self.stats.trees += 1;
                self.work.draw(self.params.tree, rng);
                self.work.find_cuts(one, one);
                let s = self.work.cuts.len();
                if s > 0 {
                    let v = self.work.cuts[rng.index(s)];
                    self.apply(a, b, v, rng.coin());
                    self.stats.moves += 1;
                    return;
                }
            }
            self.stats.pairs_dropped += 1;
        }
    }

    /// `M(R)`: an upper bound on the balanced edges of any spanning tree of
    /// the loaded region (see the module docs).
    fn max_cuts(&self) -> usize {
        let m = self.work.len();
        let edges = m.saturating_sub(1).max(1);
        let (lo, hi) = (self.bounds.lo, self.bounds.hi);
        if 3 * lo > 2 * hi && self.work.min_pop > 0 {
            let path = ((hi - lo) / self.work.min_pop) as usize + 1;
            path.min(edges)
        } else {
            edges
        }
    }

    fn step_reversible(&mut self, rng: &mut ChainRng) {
        let k = self.params.k as u32;
        let a = rng.below(k);
        let mut b = rng.below(k - 1);
        if b >= a {
            b += 1;
        }
        if self.seam(a as usize, b as usize) == 0 {
            self.stats.pairs_dropped += 1;
            return;
        }
        self.load_pair(a, b);
        self.stats.trees += 1;
        self.work.draw(TreeMethod::Wilson, rng);
        let one = (self.bounds.lo, self.bounds.hi);
        self.work.find_cuts(one, one);
        let s = self.work.cuts.len();
        let m = self.max_cuts();
        assert!(s <= m, "balanced edges {s} exceed the bound M(R) = {m}");
        let pick = rng.index(m);
        if pick >= s {
            return;
        }
        let v = self.work.cuts[pick];
        // |∂(A, B)|: region edges with exactly one end in the subtree.
        self.work.mark_subtree(v);
        let w = &self.work;
        let mut boundary = 0u32;
        for (i, &g) in w.nodes.iter().enumerate() {
            if w.side[i] {
                for &u in self.graph.neighbors(g as usize) {
                    if w.contains(u) && !w.side[w.local[u as usize] as usize] {
                        boundary += 1;
                    }
                }
            }
        }
        debug_assert!(boundary >= 1);
        if boundary > 1 && rng.below(boundary) != 0 {
            return;
        }
        self.apply(a, b, v, rng.coin());
        self.stats.moves += 1;
    }

    /// Replaces blocs `a` and `b` by the subtree below local node `v` and the
    /// rest of the loaded region; `swap` chooses which label the subtree gets.
    fn apply(&mut self, a: u32, b: u32, v: u32, swap: bool) {
        let (sub_label, rest_label) = if swap { (b, a) } else { (a, b) };
        let k = self.params.k;
        self.work.mark_subtree(v);
        let w = &self.work;
        for (i, &g) in w.nodes.iter().enumerate() {
            self.assign[g as usize] = if w.side[i] { sub_label } else { rest_label };
        }
        let sub_pop = w.sub[v as usize];
        self.bloc_pops[sub_label as usize] = sub_pop;
        self.bloc_pops[rest_label as usize] = w.total - sub_pop;
        // Members of a and b, in the region's order (not sorted; only the
        // order of the region's local indices depends on it, deterministically).
        let (a, b) = (a as usize, b as usize);
        let mut ma = std::mem::take(&mut self.members[a]);
        let mut mb = std::mem::take(&mut self.members[b]);
        ma.clear();
        mb.clear();
        for &g in &w.nodes {
            if self.assign[g as usize] == a as u32 {
                ma.push(g);
            } else {
                mb.push(g);
            }
        }
        self.members[a] = ma;
        self.members[b] = mb;
        // Seams of a and b: zero, then recount from the region's side.
        let old: u64 = (0..k)
            .map(|c| u64::from(self.seam[a * k + c]) + u64::from(self.seam[b * k + c]))
            .sum::<u64>()
            - u64::from(self.seam[a * k + b]);
        for c in 0..k {
            self.seam[a * k + c] = 0;
            self.seam[c * k + a] = 0;
            self.seam[b * k + c] = 0;
            self.seam[c * k + b] = 0;
        }
        for &g in &self.work.nodes {
            let x = self.assign[g as usize] as usize;
            for &u in self.graph.neighbors(g as usize) {
                let y = self.assign[u as usize] as usize;
                if x != y {
                    self.seam[x * k + y] += 1;
                    if y != a && y != b {
                        self.seam[y * k + x] += 1;
                    }
                }
            }
        }
        let new: u64 = (0..k)
            .map(|c| u64::from(self.seam[a * k + c]) + u64::from(self.seam[b * k + c]))
            .sum::<u64>()
            - u64::from(self.seam[a * k + b]);
        self.cut = self.cut - old + new;
    }

    /// Recomputes everything from scratch and compares: contiguity, bounds,
    /// populations, members, seams and cut edges. For tests.
    pub fn validate(&self) -> Result<(), String> {
        let k = self.params.k;
        let p = Partition::new(self.graph, self.assign.clone(), k);
        if !p.is_contiguous(self.graph) {
            return Err("a bloc is not contiguous".into());
        }
        if p.pops != self.bloc_pops {
            return Err(format!("bloc pops {:?} != {:?}", self.bloc_pops, p.pops));
        }
        if let Some(x) = p.pops.iter().find(|&&x| !self.bounds.contains(x)) {
            return Err(format!(
                "bloc population {x} outside [{}, {}]",
                self.bounds.lo, self.bounds.hi
            ));
        }
        if p.cut_edges(self.graph) as u64 != self.cut {
            return Err(format!(
                "cut edges {} != {}",
                self.cut,
                p.cut_edges(self.graph)
            ));
        }
        for (b, m) in self.members.iter().enumerate() {
            let want: Vec<u32> = (0..self.graph.len() as u32)
                .filter(|&v| self.assign[v as usize] == b as u32)
                .collect();
            let mut have = m.clone();
            have.sort_unstable();
            if have != want {
                return Err(format!("members of bloc {b} out of date"));
            }
        }
        let mut copy = self.clone();
        copy.recount_seams();
        if copy.seam != self.seam {
            return Err("seam counts out of date".into());
        }
        Ok(())
    }
}
