//! Individual stability of a plan: would any boundary unit rather be in an
//! adjacent bloc?
//!
//! A unit `v` in bloc A that borders bloc B may switch to B. Its gain from
//! switching has two parts:
//!
//! - **fiscal**: the net federal flow per capita (spending − receipts, per
//!   resident) it would get in B minus what it gets in A. A bloc pools its
//!   members' federal balances — if the bloc were a country, each resident's
//!   share of its balance is the bloc's average — so a unit "gets" its bloc's
//!   net per capita: `(N_B + n_v)/(P_B + p_v) − N_A/P_A`, with N the blocs'
//!   net and P their population (B counted with `v` in it, A as it is);
//! - **alignment**: the share of the bloc's voters who voted like the
//!   majority of `v` (its winning major party, ties to the Democrat) in B
//!   with `v` minus that share in A: `(m_B + m_v)/(T_B + t_v) − m_A/T_A`,
//!   with m the party's votes and T all votes cast.
//!
//! The total gain is `fiscal_weight × fiscal / fiscal_scale + align_weight ×
//! alignment`, with the fiscal part per `fiscal_scale` dollars per capita
//! ($1,000 by default) and alignment a share (0–1): with the default weights
//! (1 and 1) $1,000 per capita counts as much as the whole electorate.
//!
//! A switch is **allowed** when A keeps a member and is not split by it (for
//! a contiguous A: stays contiguous; in general the number of A's pieces
//! does not grow), and, with a population tolerance, when both A and B end
//! within it of the ideal population. A plan is **individually stable** when
//! no allowed switch has a gain above `epsilon`.
//!
//! Best-response dynamics apply, one at a time, the allowed switch with the
//! largest gain (ties: lowest node, then lowest bloc), until the plan is
//! stable, a plan repeats (a cycle: its length is reported) or a step limit
//! is reached.

use std::collections::HashMap;

use crate::attrs::{year_index, AttrError, NodeAttrs};
use fedsplit_core::graph::{Graph, Partition};

/// How gains are weighed and which moves are allowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StabilityOptions {
    /// Weight of the fiscal gain (per `fiscal_scale` dollars per capita).
    pub fiscal_weight: f64,
    /// Weight of the alignment gain (a share, 0–1).
    pub align_weight: f64,
    /// Dollars per capita that count as one unit of fiscal gain.
    pub fiscal_scale: f64,
    /// Election year of the votes (2016, 2020 or 2024).
    pub year: u16,
    /// When set, a move must leave both blocs within this share of the
    /// ideal population (e.g. 0.1 for ±10%).
    pub pop_tolerance: Option<f64>,
    /// Gains at or below this do not count.
    pub epsilon: f64,
}

impl Default for StabilityOptions {
    fn default() -> Self {
        StabilityOptions {
            fiscal_weight: 1.0,
            align_weight: 1.0,
            fiscal_scale: 1000.0,
            year: 2024,
            pop_tolerance: None,
            epsilon: 1e-9,
        }
    }
}

/// Why a switch is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// The unit is its bloc's only member.
    EmptiesBloc,
    /// Its bloc would fall into more pieces.
    SplitsBloc,
    /// A bloc would end outside the population tolerance.
    Population,
}

impl Blocked {
    pub const fn name(self) -> &'static str {
        match self {
            Blocked::EmptiesBloc => "would empty its bloc",
            Blocked::SplitsBloc => "would split its bloc",
            Blocked::Population => "outside the population tolerance",
        }
    }
}

/// One boundary unit's possible switch to an adjacent bloc.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Move {
    pub node: usize,
    pub from: u32,
    pub to: u32,
    /// Dollars per capita: net per capita in `to` (with the unit) − in `from`.
    pub fiscal_gain: f64,
    /// Share (−1..1): the unit's majority party's share of the votes in `to`
    /// (with the unit) − in `from`.
    pub align_gain: f64,
    /// Weighted total.
    pub gain: f64,
    /// `None` when the switch is allowed.
    pub blocked: Option<Blocked>,
}

impl Move {
    pub fn allowed(&self) -> bool {
        self.blocked.is_none()
    }
}

/// The switches open to a plan's boundary units and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct StabilityReport {
    /// Every (boundary unit, adjacent bloc) pair, by node then bloc.
    pub moves: Vec<Move>,
    /// No allowed move has a gain above epsilon.
    pub stable: bool,
    /// The allowed move with the largest gain above epsilon, if any.
    pub best: Option<Move>,
}

impl StabilityReport {
    /// The allowed moves with a gain above epsilon, largest first.
    pub fn profitable(&self, epsilon: f64) -> Vec<Move> {
        let mut out: Vec<Move> = self
            .moves
            .iter()
            .filter(|m| m.allowed() && m.gain > epsilon)
            .copied()
            .collect();
        out.sort_by(|a, b| b.gain.total_cmp(&a.gain).then(a.node.cmp(&b.node)));
        out
    }
}

/// How best-response dynamics ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Reached an individually stable plan.
    Stable,
    /// The plan after step `first_seen + length` equals the plan after
    /// step `first_seen` (0 = the starting plan).
    Cycle { first_seen: usize, length: usize },
    /// Stopped after the step limit without settling.
    StepLimit,
}

/// The path of best-response dynamics.
#[derive(Debug, Clone, PartialEq)]
pub struct Dynamics {
    /// The moves applied, in order.
    pub steps: Vec<Move>,
    pub outcome: Outcome,
    /// The plan at the end.
    pub plan: Partition,
}

/// Whether taking a unit out of its bloc splits a piece of the bloc, with
/// reusable buffers.
#[derive(Debug, Clone)]
pub(crate) struct SplitTest {
    stamp: Vec<u32>,
    epoch: u32,
    stack: Vec<usize>,
}

impl SplitTest {
    pub(crate) fn new(n: usize) -> SplitTest {
        SplitTest {
            stamp: vec![0; n],
            epoch: 0,
            stack: Vec::new(),
        }
    }

    /// Whether removing `v` from its bloc splits the piece of the bloc it is
    /// in: every neighbour of `v` in the bloc must still reach the first one
    /// within the bloc without `v`. A unit that is a piece on its own splits
    /// nothing (the bloc loses that piece).
    pub(crate) fn splits(&mut self, g: &Graph, assignment: &[u32], v: usize) -> bool {
        let a = assignment[v];
        let mut same = g
            .neighbors(v)
            .iter()
            .map(|&u| u as usize)
            .filter(|&u| assignment[u] == a);
        let Some(first) = same.next() else {
            return false;
        };
        if same.next().is_none() {
            return false; // a single neighbour in the bloc: a leaf
        }
        if self.epoch == u32::MAX {
            self.stamp.fill(0);
            self.epoch = 0;
        }
        self.epoch += 1;
        let epoch = self.epoch;
        self.stamp[v] = epoch;
        self.stamp[first] = epoch;
        self.stack.clear();
        self.stack.push(first);
        while let Some(x) = self.stack.pop() {
            for &u in g.neighbors(x) {
                let u = u as usize;
                if self.stamp[u] != epoch && assignment[u] == a {
                    self.stamp[u] = epoch;
                    self.stack.push(u);
                }
            }
        }
        g.neighbors(v)
            .iter()
            .any(|&u| assignment[u as usize] == a && self.stamp[u as usize] != epoch)
    }
}

/// A bloc's sums.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sums {
    pop: u64,
    net: f64,
    dem: u64,
    rep: u64,
    total: u64,
    members: usize,
}

/// Working state shared by the analysis and the dynamics.
struct Analyser<'a> {
    graph: &'a Graph,
    attrs: &'a NodeAttrs,
    opts: StabilityOptions,
    y: usize,
    ideal: f64,
    sums: Vec<Sums>,
    split: SplitTest,
}

impl<'a> Analyser<'a> {
    fn new(
        graph: &'a Graph,
        attrs: &'a NodeAttrs,
        p: &Partition,
        opts: StabilityOptions,
    ) -> Result<Analyser<'a>, AttrError> {
        let y = year_index(opts.year)?;
        if attrs.len() != graph.len() || p.assignment.len() != graph.len() {
            return Err(AttrError::Inconsistent(format!(
                "{} nodes, {} attribute rows, {} assigned",
                graph.len(),
                attrs.len(),
                p.assignment.len()
            )));
        }
        let k = p.k();
        let mut a = Analyser {
            graph,
            attrs,
            opts,
            y,
            ideal: graph.total_pop() as f64 / k.max(1) as f64,
            sums: vec![Sums::default(); k],
            split: SplitTest::new(graph.len()),
        };
        for (v, &b) in p.assignment.iter().enumerate() {
            a.add(v, b, 1);
        }
        Ok(a)
    }

    fn add(&mut self, v: usize, b: u32, sign: i8) {
        let at = self.attrs;
        let s = &mut self.sums[b as usize];
        let (pop, dem, rep, total) = (
            self.graph.pops[v],
            at.dem[self.y][v],
            at.rep[self.y][v],
            at.total[self.y][v],
        );
        if sign > 0 {
            s.pop += pop;
            s.net += at.net_usd[v];
            s.dem += dem;
            s.rep += rep;
            s.total += total;
            s.members += 1;
        } else {
            s.pop -= pop;
            s.net -= at.net_usd[v];
            s.dem -= dem;
            s.rep -= rep;
            s.total -= total;
            s.members -= 1;
        }
    }

    /// The move of `v` from its bloc to `to`.
    fn evaluate(&mut self, assignment: &[u32], v: usize, to: u32) -> Move {
        let from = assignment[v];
        let at = self.attrs;
        let (a, b) = (self.sums[from as usize], self.sums[to as usize]);
        let pv = self.graph.pops[v];
        let per_capita = |net: f64, pop: u64| if pop == 0 { 0.0 } else { net / pop as f64 };
        let fiscal_gain = per_capita(b.net + at.net_usd[v], b.pop + pv) - per_capita(a.net, a.pop);
        let dem_majority = at.dem[self.y][v] >= at.rep[self.y][v];
        let party = |s: &Sums| if dem_majority { s.dem } else { s.rep };
        let share = |votes: u64, total: u64| {
            if total == 0 {
                0.0
            } else {
                votes as f64 / total as f64
            }
        };
        let mine = if dem_majority {
            at.dem[self.y][v]
        } else {
            at.rep[self.y][v]
        };
        let align_gain =
            share(party(&b) + mine, b.total + at.total[self.y][v]) - share(party(&a), a.total);
        let gain = self.opts.fiscal_weight * fiscal_gain / self.opts.fiscal_scale
            + self.opts.align_weight * align_gain;
        let blocked = if a.members <= 1 {
            Some(Blocked::EmptiesBloc)
        } else if self.split.splits(self.graph, assignment, v) {
            Some(Blocked::SplitsBloc)
        } else if let Some(tol) = self.opts.pop_tolerance {
            let ok = |pop: u64| (pop as f64 - self.ideal).abs() <= tol * self.ideal;
            if ok(a.pop - pv) && ok(b.pop + pv) {
                None
            } else {
                Some(Blocked::Population)
            }
        } else {
            None
        };
        Move {
            node: v,
            from,
            to,
            fiscal_gain,
            align_gain,
            gain,
            blocked,
        }
    }

    /// Every boundary move, by node then bloc.
    fn moves(&mut self, assignment: &[u32], out: &mut Vec<Move>) {
        out.clear();
        let mut targets: Vec<u32> = Vec::new();
        for v in 0..self.graph.len() {
            let a = assignment[v];
            targets.clear();
            targets.extend(
                self.graph
                    .neighbors(v)
                    .iter()
                    .map(|&u| assignment[u as usize])
                    .filter(|&b| b != a),
            );
            targets.sort_unstable();
            targets.dedup();
            for &to in &targets {
                let m = self.evaluate(assignment, v, to);
                out.push(m);
            }
        }
    }

    /// The best allowed move above epsilon (ties: first in node, bloc order).
    fn best(&self, moves: &[Move]) -> Option<Move> {
        let mut best: Option<Move> = None;
        for m in moves
            .iter()
            .filter(|m| m.allowed() && m.gain > self.opts.epsilon)
        {
            match best {
                Some(b) if m.gain <= b.gain => {}
                _ => best = Some(*m),
            }
        }
        best
    }
}

/// Every boundary unit's gain from switching to each adjacent bloc, and
/// whether the plan is individually stable.
pub fn analyse(
    graph: &Graph,
    attrs: &NodeAttrs,
    p: &Partition,
    opts: &StabilityOptions,
) -> Result<StabilityReport, AttrError> {
    let mut a = Analyser::new(graph, attrs, p, *opts)?;
    let mut moves = Vec::new();
    a.moves(&p.assignment, &mut moves);
    let best = a.best(&moves);
    Ok(StabilityReport {
        moves,
        stable: best.is_none(),
        best,
    })
}

/// Whether no allowed switch has a gain above epsilon.
pub fn is_stable(
    graph: &Graph,
    attrs: &NodeAttrs,
    p: &Partition,
    opts: &StabilityOptions,
) -> Result<bool, AttrError> {
    Ok(analyse(graph, attrs, p, opts)?.stable)
}

/// Best-response dynamics from `p`, at most `max_steps` moves.
pub fn best_response(
    graph: &Graph,
    attrs: &NodeAttrs,
    p: &Partition,
    opts: &StabilityOptions,
    max_steps: usize,
) -> Result<Dynamics, AttrError> {
    let mut a = Analyser::new(graph, attrs, p, *opts)?;
    let mut plan = p.clone();
    let mut seen: HashMap<Vec<u32>, usize> = HashMap::new();
    seen.insert(plan.assignment.clone(), 0);
    let mut steps = Vec::new();
    let mut moves = Vec::new();
    let outcome = loop {
        a.moves(&plan.assignment, &mut moves);
        let Some(m) = a.best(&moves) else {
            break Outcome::Stable;
        };
        if steps.len() == max_steps {
            break Outcome::StepLimit;
        }
        a.add(m.node, m.from, -1);
        a.add(m.node, m.to, 1);
        plan.assignment[m.node] = m.to;
        let pv = graph.pops[m.node];
        plan.pops[m.from as usize] -= pv;
        plan.pops[m.to as usize] += pv;
        steps.push(m);
        let step = steps.len();
        if let Some(&first_seen) = seen.get(&plan.assignment) {
            break Outcome::Cycle {
                first_seen,
                length: step - first_seen,
            };
        }
        seen.insert(plan.assignment.clone(), step);
    };
    Ok(Dynamics {
        steps,
        outcome,
        plan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A star with hub 1 and leaves 0, 2, 3; bloc 0 = {0, 1, 2}, bloc 1 =
    /// {3}. The boundary units are 1 (bloc 0 would fall into {0} and {2}
    /// without it) and 3 (alone in its bloc): both are blocked.
    #[test]
    fn lone_member_and_split_are_blocked() {
        let g = Graph::from_edges(
            vec![1; 4],
            (0..4).map(|i| i.to_string()).collect(),
            &[(0, 1), (1, 2), (1, 3)],
        )
        .unwrap();
        let a = NodeAttrs::toy(vec![1; 4], vec![0; 4], vec![1; 4], vec![0.0; 4]);
        let p = Partition::new(&g, vec![0, 0, 0, 1], 2);
        let r = analyse(&g, &a, &p, &StabilityOptions::default()).unwrap();
        let blocked: Vec<(usize, Option<Blocked>)> =
            r.moves.iter().map(|m| (m.node, m.blocked)).collect();
        assert_eq!(
            blocked,
            vec![
                (1, Some(Blocked::SplitsBloc)),
                (3, Some(Blocked::EmptiesBloc))
            ]
        );
        assert!(r.stable);
    }
}
