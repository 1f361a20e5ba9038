//! Stability, best-response dynamics and optimisation, on hand-built graphs
//! whose answers are worked out below, and on the state graph.

use fedsplit_alliance::attrs::{self, NodeAttrs};
use fedsplit_alliance::optimize::{self, Objective, OptimizeParams};
use fedsplit_alliance::scores;
use fedsplit_alliance::stability::{
    analyse, best_response, is_stable, Blocked, Outcome, StabilityOptions,
};
use fedsplit_alliance::{Graph, Partition};
use fedsplit_data::Dataset;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// The path 0 – 1 – 2 – 3 – 4 – 5, 1,000 residents and 100 voters each.
///
/// node   dem  rep   net $
///   0     80   20   300,000
///   1     70   30   300,000
///   2     40   60         0
///   3     30   70         0
///   4     20   80         0
///   5     10   90         0
///
/// Plan: A = {0, 1, 2} (bloc 0), B = {3, 4, 5} (bloc 1).
/// A: net 600,000 over 3,000 → $200 per capita; dem 190, rep 110 of 300.
/// B: net 0 → $0; dem 60, rep 240 of 300.
fn path() -> (Graph, NodeAttrs, Partition) {
    let g = Graph::from_edges(
        vec![1000; 6],
        (0..6).map(|i| format!("n{i}")).collect(),
        &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)],
    )
    .unwrap();
    let a = NodeAttrs::toy(
        vec![80, 70, 40, 30, 20, 10],
        vec![20, 30, 60, 70, 80, 90],
        vec![100; 6],
        vec![300_000.0, 300_000.0, 0.0, 0.0, 0.0, 0.0],
    );
    let p = Partition::new(&g, vec![0, 0, 0, 1, 1, 1], 2);
    (g, a, p)
}

/// Default weights (1 per $1,000 per capita, 1 per unit of vote share).
///
/// Boundary units: 2 (in A, next to B) and 3 (in B, next to A).
/// - 2 → B: fiscal = 0/4,000 − 200 = −$200 → −0.2; 2 is Republican:
///   alignment = (240 + 60)/400 − 110/300 = 0.75 − 0.3667 = +0.3833;
///   gain +0.1833 > 0, and A = {0, 1} stays in one piece: allowed.
/// - 3 → A: fiscal = 600,000/4,000 − 0 = +$150 → +0.15; 3 is Republican:
///   alignment = (110 + 70)/400 − 240/300 = 0.45 − 0.8 = −0.35; gain −0.2.
///
/// So the plan is not stable; the best response moves 2 to B. Then
/// A = {0, 1}: $300 per capita, dem 150 rep 50 of 200; B = {2, …, 5}: $0,
/// dem 100 rep 300 of 400, and
/// - 1 → B: fiscal 300,000/5,000 − 300 = −240 → −0.24; 1 is Democratic:
///   alignment (100 + 70)/500 − 150/200 = 0.34 − 0.75 = −0.41; gain −0.65;
/// - 2 → A: fiscal 600,000/3,000 − 0 = +0.2; alignment (50 + 60)/300 −
///   300/400 = −0.3833; gain −0.1833.
///
/// Stable after one step.
#[test]
fn six_node_path_one_unit_switches_then_stable() {
    let (g, a, p) = path();
    let opts = StabilityOptions::default();
    let r = analyse(&g, &a, &p, &opts).unwrap();
    assert_eq!(r.moves.len(), 2);
    let m2 = r.moves[0];
    assert_eq!((m2.node, m2.from, m2.to), (2, 0, 1));
    assert!(close(m2.fiscal_gain, -200.0));
    assert!(close(m2.align_gain, 0.75 - 110.0 / 300.0));
    assert!(close(m2.gain, -0.2 + 0.75 - 110.0 / 300.0));
    assert!(m2.allowed());
    let m3 = r.moves[1];
    assert_eq!((m3.node, m3.from, m3.to), (3, 1, 0));
    assert!(close(m3.fiscal_gain, 150.0));
    assert!(close(m3.align_gain, -0.35));
    assert!(close(m3.gain, -0.2));
    assert!(!r.stable);
    assert_eq!(r.best.map(|m| m.node), Some(2));
    assert_eq!(r.profitable(opts.epsilon).len(), 1);

    let d = best_response(&g, &a, &p, &opts, 100).unwrap();
    assert_eq!(d.outcome, Outcome::Stable);
    assert_eq!(d.steps.len(), 1);
    assert_eq!(d.plan.assignment, vec![0, 0, 1, 1, 1, 1]);
    assert_eq!(d.plan.pops, vec![2000, 4000]);

    let after = analyse(&g, &a, &d.plan, &opts).unwrap();
    assert!(after.stable);
    let gains: Vec<(usize, f64)> = after.moves.iter().map(|m| (m.node, m.gain)).collect();
    assert_eq!(gains.len(), 2);
    assert_eq!(gains[0].0, 1);
    assert!(close(gains[0].1, -0.65));
    assert_eq!(gains[1].0, 2);
    assert!(close(gains[1].1, 0.2 - (0.75 - 110.0 / 300.0)));
}

/// Fiscal gain only (alignment weight 0): units chase the richer bloc A.
/// - Start: 2 → B: −0.2; 3 → A: +$150 → 3 moves. A = {0..3}: $150, B = {4, 5}: $0.
/// - 3 → B: 0 − 150 < 0; 4 → A: 600,000/5,000 − 0 = +$120 → 4 moves.
///   A = {0..4}: $120, B = {5}.
/// - 5 → A would gain 600,000/6,000 − 0 = +$100 but would empty B: blocked;
///   4 → B: 0 − 120 < 0. Stable after two steps.
#[test]
fn six_node_path_fiscal_only_stops_at_a_lone_unit() {
    let (g, a, p) = path();
    let opts = StabilityOptions {
        align_weight: 0.0,
        ..Default::default()
    };
    let d = best_response(&g, &a, &p, &opts, 100).unwrap();
    assert_eq!(d.outcome, Outcome::Stable);
    let steps: Vec<(usize, f64)> = d.steps.iter().map(|m| (m.node, m.fiscal_gain)).collect();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].0, 3);
    assert!(close(steps[0].1, 150.0));
    assert_eq!(steps[1].0, 4);
    assert!(close(steps[1].1, 120.0));
    assert_eq!(d.plan.assignment, vec![0, 0, 0, 0, 0, 1]);
    let r = analyse(&g, &a, &d.plan, &opts).unwrap();
    let m5 = r.moves.iter().find(|m| m.node == 5).unwrap();
    assert_eq!(m5.blocked, Some(Blocked::EmptiesBloc));
    assert!(close(m5.fiscal_gain, 100.0)); // would gain, but may not leave
    assert!(r.stable);
}

/// With a ±10% population tolerance (ideal 3,000), moving 2 would leave
/// A with 2,000: blocked, so the starting plan is stable.
#[test]
fn six_node_path_population_tolerance_blocks_the_switch() {
    let (g, a, p) = path();
    let opts = StabilityOptions {
        pop_tolerance: Some(0.1),
        ..Default::default()
    };
    let r = analyse(&g, &a, &p, &opts).unwrap();
    assert_eq!(r.moves[0].blocked, Some(Blocked::Population));
    assert!(is_stable(&g, &a, &p, &opts).unwrap());
    let d = best_response(&g, &a, &p, &opts, 10).unwrap();
    assert_eq!((d.outcome, d.steps.len()), (Outcome::Stable, 0));
}

/// A ring 0 – 1 – 2 – 3 – 0 where fiscal best responses go round for ever.
///
/// node  pop   net $    Plan: A = {0, 1}, B = {2, 3}.
///   0    3   −4,000
///   1    1   −4,000
///   2    4   +4,000
///   3    3   −4,000
///
/// 1. A −8,000/4 = −2,000 per capita, B 0/7 = 0. 0 → B: −4,000/10 − (−2,000)
///    = +1,600 (1 → B +1,500; 2 → A −500; 3 → A −1,714): 0 moves.
/// 2. A = {1}: −4,000; B = {0, 2, 3}: −400. 1 may not leave (A would be
///    empty); 0 → A −1,600; 2 → A: 0/5 + 400 = +400 (B keeps 3 – 0): 2 moves.
/// 3. A = {1, 2}: 0; B = {0, 3}: −1,333.33. 0 → A and 3 → A both gain
///    −4,000/8 + 1,333.33 = +833.33: the tie goes to the lower node, 0.
/// 4. A = {0, 1, 2}: −500; B = {3}: −1,333.33. 2 → B: 0/7 + 500 = +500
///    (A keeps 0 – 1; 0 → B −833.33; 3 may not leave): 2 moves — and the
///    plan is A = {0, 1}, B = {2, 3} again: a cycle of length 4.
#[test]
fn four_node_ring_cycles() {
    let g = Graph::from_edges(
        vec![3, 1, 4, 3],
        (0..4).map(|i| format!("n{i}")).collect(),
        &[(0, 1), (1, 2), (2, 3), (3, 0)],
    )
    .unwrap();
    let a = NodeAttrs::toy(
        vec![1; 4],
        vec![0; 4],
        vec![1; 4],
        vec![-4000.0, -4000.0, 4000.0, -4000.0],
    );
    let p = Partition::new(&g, vec![0, 0, 1, 1], 2);
    let opts = StabilityOptions {
        align_weight: 0.0,
        ..Default::default()
    };
    let d = best_response(&g, &a, &p, &opts, 100).unwrap();
    assert_eq!(
        d.outcome,
        Outcome::Cycle {
            first_seen: 0,
            length: 4
        }
    );
    let path: Vec<(usize, u32)> = d.steps.iter().map(|m| (m.node, m.to)).collect();
    assert_eq!(path, vec![(0, 1), (2, 0), (0, 0), (2, 1)]);
    let gains: Vec<f64> = d.steps.iter().map(|m| m.fiscal_gain).collect();
    for (got, want) in gains
        .iter()
        .zip([1600.0, 400.0, 4000.0 / 3.0 - 500.0, 500.0])
    {
        assert!(close(*got, want), "{gains:?}");
    }
    assert_eq!(d.plan.assignment, p.assignment);
    // A step limit below the cycle stops first.
    let short = best_response(&g, &a, &p, &opts, 2).unwrap();
    assert_eq!((short.outcome, short.steps.len()), (Outcome::StepLimit, 2));
}

#[test]
fn bad_year_is_refused() {
    let (g, a, p) = path();
    let opts = StabilityOptions {
        year: 2012,
        ..Default::default()
    };
    assert!(analyse(&g, &a, &p, &opts).is_err());
}

fn states() -> (Graph, NodeAttrs) {
    attrs::state_graph(&Dataset::embedded().unwrap()).unwrap()
}

/// Optimisation on the 48 states + DC: the best plan is never worse than the
/// start, stays contiguous and within the population bounds, respects the
/// constraint when it reports feasibility, and repeats under the same seed.
#[test]
fn optimize_states_improves_and_respects_constraints() {
    let (g, a) = states();
    for (objective, bound) in [(Objective::Stranded, 2500.0), (Objective::Fiscal, 7.0e7)] {
        let params = OptimizeParams {
            k: 3,
            tol: 0.15,
            objective,
            bound,
            steps: 2000,
            burst: optimize::DEFAULT_BURST,
            seed: 7,
            year: 2024,
        };
        let r = optimize::optimize(&g, &a, &params, None).unwrap();
        assert_eq!(r.steps, 2000);
        assert!(r.flips > 0);
        let worse = (r.best_rank.violation, r.best_rank.value)
            > (r.start_rank.violation, r.start_rank.value);
        assert!(
            !worse,
            "{objective:?}: {:?} vs start {:?}",
            r.best_rank, r.start_rank
        );
        assert!(r.best.is_contiguous(&g));
        assert!(r.best.pops.iter().all(|&p| r.bounds.contains(p)));
        assert_eq!(r.best, Partition::new(&g, r.best.assignment.clone(), 3));
        let s = scores::score(&g, &a, &r.best, 2024).unwrap();
        assert_eq!(s, r.best_scores);
        if r.best_rank.feasible() {
            match objective {
                Objective::Stranded => assert!(s.max_abs_net_per_capita <= bound),
                Objective::Fiscal => assert!(s.stranded_total as f64 <= bound),
            }
        }
        let again = optimize::optimize(&g, &a, &params, None).unwrap();
        assert_eq!(again.best.assignment, r.best.assignment);
    }
}

/// The 2024 winners' blocs on the state graph are in pieces, so some units
/// cannot leave without splitting their piece; the analysis still runs and
/// every move it lists is a real boundary move.
#[test]
fn state_graph_2024_blocs_analyse() {
    let (g, a) = states();
    let y = attrs::year_index(2024).unwrap();
    let assignment: Vec<u32> = (0..g.len())
        .map(|v| u32::from(a.dem[y][v] < a.rep[y][v]))
        .collect();
    let p = Partition::new(&g, assignment, 2);
    assert!(!p.is_contiguous(&g));
    let r = analyse(&g, &a, &p, &StabilityOptions::default()).unwrap();
    assert!(!r.moves.is_empty());
    for m in &r.moves {
        assert_eq!(p.assignment[m.node], m.from);
        assert!(g
            .neighbors(m.node)
            .iter()
            .any(|&u| p.assignment[u as usize] == m.to));
    }
}
