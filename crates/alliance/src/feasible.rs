//! Exact feasibility search on small graphs (at most 64 nodes, e.g. the 49
//! contiguous states): does a plan into `k` contiguous blocs with every
//! population within the bounds exist?
//!
//! Coarse graphs make many natural requests impossible. On the states graph,
//! 8 blocs within ±5 % cannot be drawn at all: the bloc holding Maine must
//! reach 39.3 M people through New England and New York (34.8 M together),
//! and every way on — New Jersey, Pennsylvania — overshoots 43.5 M unless it
//! strands Vermont, Rhode Island or Maine. Random tree bipartition would try
//! for ever; this search answers in milliseconds and finds the smallest
//! feasible tolerance for the error message.
//!
//! The search: take the unassigned node with the fewest unassigned
//! neighbours, enumerate every connected set containing it whose population
//! is at most `hi` (each exactly once: after branching on a candidate, the
//! earlier candidates are excluded), and for each within `[lo, hi]` recurse
//! on the rest. A branch is cut as soon as some connected piece of the rest
//! cannot hold a whole number of blocs, or the pieces together cannot hold
//! the number of blocs left. A budget on enumerated sets bounds the work.

use crate::bounds::Bounds;
use crate::rng::ChainRng;
use fedsplit_core::graph::{Graph, Partition};

/// The outcome of a search.
#[derive(Debug, Clone, PartialEq)]
pub enum Search {
    /// A plan within the bounds.
    Found(Partition),
    /// No plan exists (the search was exhaustive).
    Infeasible,
    /// The budget ran out first.
    Unknown,
}

/// Largest graph the exact search takes.
pub const MAX_NODES: usize = 64;
/// Sets the search may enumerate before it answers [`Search::Unknown`].
pub const BUDGET: u64 = 2_000_000;

struct Ctx<'a> {
    adj: Vec<u64>,
    pops: &'a [u64],
    lo: u64,
    hi: u64,
    budget: u64,
    used: u64,
    rng: Option<&'a mut ChainRng>,
}

impl Ctx<'_> {
    fn pop(&self, mut set: u64) -> u64 {
        let mut p = 0;
        while set != 0 {
            let v = set.trailing_zeros() as usize;
            p += self.pops[v];
            set &= set - 1;
        }
        p
    }

    /// Whether the pieces of `rest` can hold exactly `left` blocs.
    fn plausible(&self, rest: u64, left: u64) -> bool {
        let (mut min_b, mut max_b) = (0u64, 0u64);
        let mut todo = rest;
        while todo != 0 {
            let s = todo & todo.wrapping_neg();
            let mut comp = s;
            let mut frontier = s;
            while frontier != 0 {
                let v = frontier.trailing_zeros() as usize;
                frontier &= frontier - 1;
                let new = self.adj[v] & rest & !comp;
                comp |= new;
                frontier |= new;
            }
            todo &= !comp;
            let p = self.pop(comp);
            let size = u64::from(comp.count_ones());
            // Every bloc is non-empty, so a piece holds 1..=size blocs.
            let lo_b = p.div_ceil(self.hi.max(1)).max(1);
            let hi_b = p.checked_div(self.lo).map_or(size, |b| b.min(size));
            if lo_b > hi_b {
                return false;
            }
            min_b += lo_b;
            max_b = max_b.saturating_add(hi_b);
        }
        min_b <= left && left <= max_b
    }

    fn solve(&mut self, rest: u64, left: u64, plan: &mut Vec<u64>) -> Option<bool> {
        if left == 0 {
            return Some(rest == 0);
        }
        if !self.plausible(rest, left) {
            return Some(false);
        }
        if left == 1 {
            // One piece left, plausible: connected and within bounds.
            plan.push(rest);
            return Some(true);
        }
        // The corner: fewest unassigned neighbours, lowest index.
        let mut best = (u32::MAX, 0usize);
        let mut t = rest;
        while t != 0 {
            let v = t.trailing_zeros() as usize;
            t &= t - 1;
            let d = (self.adj[v] & rest).count_ones();
            if d < best.0 {
                best = (d, v);
            }
        }
        let start = 1u64 << best.1;
        self.grow(rest, left, start, self.pops[best.1], 0, plan)
    }

    /// Connected sets ⊇ `set` within `rest`, avoiding `excluded`.
    fn grow(
        &mut self,
        rest: u64,
        left: u64,
        set: u64,
        pop: u64,
        excluded: u64,
        plan: &mut Vec<u64>,
    ) -> Option<bool> {
        self.used += 1;
        if self.used > self.budget {
            return None;
        }
        if pop >= self.lo {
            plan.push(set);
            match self.solve(rest & !set, left - 1, plan) {
                Some(true) => return Some(true),
                None => return None,
                Some(false) => {
                    plan.pop();
                }
            }
        }
        let mut nb = 0u64;
        let mut t = set;
        while t != 0 {
            let v = t.trailing_zeros() as usize;
            t &= t - 1;
            nb |= self.adj[v];
        }
        let cand = nb & rest & !set & !excluded;
        let mut order = [0u8; 64];
        let mut count = 0;
        let mut t = cand;
        while t != 0 {
            order[count] = t.trailing_zeros() as u8;
            count += 1;
            t &= t - 1;
        }
        if let Some(rng) = self.rng.as_deref_mut() {
            for i in (1..count).rev() {
                let j = rng.index(i + 1);
                order.swap(i, j);
            }
        }
        let mut ex = excluded;
        for &u in &order[..count] {
            let p = pop + self.pops[u as usize];
            if p <= self.hi {
                match self.grow(rest, left, set | (1 << u), p, ex, plan) {
                    Some(false) => {}
                    other => return other,
                }
            }
            ex |= 1 << u;
        }
        Some(false)
    }
}

/// Searches for a plan of `graph` (≤ [`MAX_NODES`] nodes, connected) into
/// `bounds.k` blocs within `[bounds.lo, bounds.hi]`, visiting at most
/// `budget` sets. With `rng`, candidates are tried in random order, so the
/// plan found varies with the stream; without, the search is canonical.
pub fn search(graph: &Graph, bounds: &Bounds, budget: u64, rng: Option<&mut ChainRng>) -> Search {
    let n = graph.len();
    assert!(
        n <= MAX_NODES,
        "exact search takes at most {MAX_NODES} nodes"
    );
    let adj = (0..n)
        .map(|v| graph.neighbors(v).iter().fold(0u64, |m, &u| m | (1 << u)))
        .collect();
    let mut ctx = Ctx {
        adj,
        pops: &graph.pops,
        lo: bounds.lo,
        hi: bounds.hi,
        budget,
        used: 0,
        rng,
    };
    let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    let mut plan = Vec::new();
    match ctx.solve(all, bounds.k as u64, &mut plan) {
        Some(true) => {
            let mut assign = vec![0u32; n];
            for (b, &set) in plan.iter().enumerate() {
                let mut t = set;
                while t != 0 {
                    assign[t.trailing_zeros() as usize] = b as u32;
                    t &= t - 1;
                }
            }
            Search::Found(Partition::new(graph, assign, bounds.k))
        }
        Some(false) => Search::Infeasible,
        None => Search::Unknown,
    }
}

/// The smallest tolerance (a fraction, to within 0.001) at which `k` blocs
/// are feasible, if the searches settle it: bisection between `tol`
/// (infeasible) and the first feasible of 2·tol, 4·tol, …
pub fn min_feasible_tol(graph: &Graph, k: usize, tol: f64, budget: u64) -> Option<f64> {
    let total = graph.total_pop();
    let feasible = |t: f64| -> Option<bool> {
        let b = Bounds::new(total, k, t);
        if b.lo > b.hi || graph.pops.iter().any(|&p| p > b.hi) {
            return Some(false);
        }
        match search(graph, &b, budget, None) {
            Search::Found(_) => Some(true),
            Search::Infeasible => Some(false),
            Search::Unknown => None,
        }
    };
    let mut lo = tol;
    let mut hi = tol.max(0.005) * 2.0;
    while !feasible(hi)? {
        lo = hi;
        hi *= 2.0;
        if hi > 4.0 {
            return None;
        }
    }
    while hi - lo > 0.0005 {
        let mid = (lo + hi) / 2.0;
        if feasible(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    // Round up to a tenth of a percent, and check the rounded value with
    // the same search: the tolerance recommended must be one the canonical
    // search finds a plan at (the sampler falls back on it), for every seed.
    let mut t = ((hi * 1000.0).ceil()) / 1000.0;
    for _ in 0..100 {
        if feasible(t)? {
            return Some(t);
        }
        t += 0.001;
    }
    None
}
