//! Reversible ReCom on a 4×4 grid against exact enumeration.
//!
//! Target: reversible ReCom with uniform (Wilson) trees is reversible with
//! stationary distribution π(P) ∝ ∏ τ(P_i), the product over blocs of the
//! number of spanning trees of each bloc (Cannon, Duchin, Randall & Rule 2022;
//! derivation in `recom.rs`). Here every balanced contiguous plan of the grid
//! is enumerated, τ is computed by Kirchhoff's matrix-tree theorem, and the
//! chain's visit frequencies (unlabelled plans, after burn-in, thinned) are
//! compared with the exact target by Pearson's chi-square test at level
//! α = 0.001: the test fails if the statistic exceeds the 0.999 quantile of
//! χ²(df = plans − 1) (Wilson–Hilferty approximation).

use std::collections::HashMap;

use fedsplit_alliance::recom::{initial_plan, Params, Sampler, TreeMethod, Variant};
use fedsplit_alliance::rng::ChainRng;
use fedsplit_alliance::Graph;

const SIDE: usize = 4;

/// Whether the nodes of `mask` induce a connected subgraph of the grid.
fn connected(g: &Graph, mask: u32) -> bool {
    if mask == 0 {
        return false;
    }
    let start = mask.trailing_zeros();
    let mut seen = 1u32 << start;
    let mut stack = vec![start as usize];
    while let Some(v) = stack.pop() {
        for &u in g.neighbors(v) {
            let bit = 1u32 << u;
            if mask & bit != 0 && seen & bit == 0 {
                seen |= bit;
                stack.push(u as usize);
            }
        }
    }
    seen == mask
}

/// Number of spanning trees of the subgraph induced by `mask` (matrix-tree
/// theorem: any cofactor of the Laplacian).
fn spanning_trees(g: &Graph, mask: u32) -> u64 {
    let nodes: Vec<usize> = (0..g.len()).filter(|&v| mask & (1 << v) != 0).collect();
    let m = nodes.len();
    if m == 1 {
        return 1;
    }
    let idx: HashMap<usize, usize> = nodes.iter().enumerate().map(|(i, &v)| (v, i)).collect();
    let mut lap = vec![vec![0f64; m]; m];
    for (i, &v) in nodes.iter().enumerate() {
        for &u in g.neighbors(v) {
            if let Some(&j) = idx.get(&(u as usize)) {
                lap[i][j] -= 1.0;
                lap[i][i] += 1.0;
            }
        }
    }
    // Determinant of the Laplacian less its last row and column.
    let n = m - 1;
    let mut a: Vec<Vec<f64>> = lap[..n].iter().map(|r| r[..n].to_vec()).collect();
    let mut det = 1.0;
    for c in 0..n {
        let p = (c..n)
            .max_by(|&x, &y| a[x][c].abs().total_cmp(&a[y][c].abs()))
            .unwrap();
        if a[p][c].abs() < 1e-12 {
            return 0;
        }
        if p != c {
            a.swap(p, c);
            det = -det;
        }
        det *= a[c][c];
        let pivot = a[c].clone();
        for row in a.iter_mut().skip(c + 1) {
            let f = row[c] / pivot[c];
            for (x, &y) in row.iter_mut().zip(&pivot).skip(c) {
                *x -= f * y;
            }
        }
    }
    det.round() as u64
}

/// Every unlabelled plan of `g` into `k` connected blocs with sizes in
/// `lo..=hi` (unit populations), as sorted bloc masks, with its weight ∏ τ.
fn enumerate(g: &Graph, k: usize, lo: u32, hi: u32) -> Vec<(Vec<u32>, u64)> {
    let n = g.len();
    let pieces: Vec<u32> = (1u32..(1 << n))
        .filter(|m| (lo..=hi).contains(&m.count_ones()) && connected(g, *m))
        .collect();
    let full = (1u32 << n) - 1;
    let mut out = Vec::new();
    fn rec(
        pieces: &[u32],
        full: u32,
        used: u32,
        k: usize,
        acc: &mut Vec<u32>,
        out: &mut Vec<Vec<u32>>,
    ) {
        if acc.len() == k {
            if used == full {
                out.push(acc.clone());
            }
            return;
        }
        let first = (!used & full).trailing_zeros();
        for &p in pieces {
            if p & used == 0 && p & (1 << first) != 0 {
                acc.push(p);
                rec(pieces, full, used | p, k, acc, out);
                acc.pop();
            }
        }
    }
    let mut plans = Vec::new();
    rec(&pieces, full, 0, k, &mut Vec::new(), &mut plans);
    for mut plan in plans {
        plan.sort_unstable();
        let w = plan.iter().map(|&m| spanning_trees(g, m)).product();
        out.push((plan, w));
    }
    out
}

/// The unlabelled plan of an assignment: sorted bloc masks.
fn masks(assignment: &[u32], k: usize) -> Vec<u32> {
    let mut m = vec![0u32; k];
    for (v, &b) in assignment.iter().enumerate() {
        m[b as usize] |= 1 << v;
    }
    m.sort_unstable();
    m
}

/// 0.999 quantile of χ²(df), Wilson–Hilferty.
fn chi2_999(df: f64) -> f64 {
    let z = 3.090_232;
    let a = 2.0 / (9.0 * df);
    df * (1.0 - a + z * a.sqrt()).powi(3)
}

/// Runs `chains` independent reversible chains (streams of one seed) and
/// chi-square tests the pooled visit counts against the exact target.
#[allow(clippy::too_many_arguments)]
fn check(k: usize, tol: f64, lo: u32, hi: u32, chains: u64, burn: u64, samples: u64, thin: u64) {
    let g = Graph::grid(SIDE, SIDE);
    let exact = enumerate(&g, k, lo, hi);
    let z: u64 = exact.iter().map(|(_, w)| w).sum();
    let index: HashMap<Vec<u32>, usize> = exact
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.clone(), i))
        .collect();
    let params = Params {
        k,
        tol,
        variant: Variant::Reversible,
        tree: TreeMethod::Wilson,
    };
    let bounds = params.check(&g).unwrap();
    assert_eq!((bounds.lo, bounds.hi), (u64::from(lo), u64::from(hi)));
    let mut counts = vec![0u64; exact.len()];
    let mut moves = 0;
    for chain in 0..chains {
        let mut rng = ChainRng::new(2024, chain);
        let start = initial_plan(&g, &params, &mut rng).unwrap();
        let mut s = Sampler::new(&g, params, &start).unwrap();
        for _ in 0..burn {
            s.step(&mut rng);
        }
        for _ in 0..samples {
            for _ in 0..thin {
                s.step(&mut rng);
            }
            let i = index[&masks(s.assignment(), k)];
            counts[i] += 1;
        }
        s.validate().unwrap();
        moves += s.stats().moves;
    }
    let n: u64 = counts.iter().sum();
    // Pearson's statistic over the plans, pooling every plan that expects
    // fewer than 5 samples (and more, least likely first, until the pool
    // expects at least 5) into one category.
    let mut cells: Vec<(f64, u64)> = exact
        .iter()
        .zip(&counts)
        .map(|((_, w), &c)| (n as f64 * *w as f64 / z as f64, c))
        .collect();
    cells.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut pooled = (0.0, 0u64);
    let mut cut = 0;
    while cut < cells.len() && (pooled.0 < 5.0 || cells[cut].0 < 5.0) {
        pooled.0 += cells[cut].0;
        pooled.1 += cells[cut].1;
        cut += 1;
    }
    let mut table = vec![pooled];
    table.extend_from_slice(&cells[cut..]);
    let mut stat = 0.0;
    let mut min_expected = f64::INFINITY;
    for &(e, c) in &table {
        min_expected = min_expected.min(e);
        stat += (c as f64 - e).powi(2) / e;
    }
    let df = (table.len() - 1) as f64;
    let crit = chi2_999(df);
    eprintln!(
        "k={k}: {} plans ({} categories after pooling), Z={z}, {n} samples ({moves} moves), \
         min expected {min_expected:.1}, chi2 {stat:.1} vs {crit:.1} (df {df})",
        exact.len(),
        table.len()
    );
    assert!(
        min_expected >= 5.0,
        "too few samples for the chi-square test"
    );
    // Power: the same counts against the uniform distribution on plans (a
    // wrong target) must be rejected, or the test could not tell.
    let uniform: f64 = counts
        .iter()
        .map(|&c| {
            let e = n as f64 / exact.len() as f64;
            (c as f64 - e).powi(2) / e
        })
        .sum();
    assert!(
        uniform > chi2_999((exact.len() - 1) as f64),
        "the test cannot tell ∏τ from uniform ({uniform:.1})"
    );
    assert!(
        stat < crit,
        "chi-square {stat:.1} ≥ {crit:.1} (df {df}, α = 0.001): sampled frequencies do not match ∏τ"
    );
}

#[test]
fn exact_counts_are_known() {
    let g = Graph::grid(SIDE, SIDE);
    // Tilings of the 4×4 square by four tetrominoes (117, OEIS A172477 at n=4).
    let tilings = enumerate(&g, 4, 4, 4);
    assert_eq!(tilings.len(), 117);
    // The 2×2 square has 4 spanning trees; every other tetromino is a path or a tree itself.
    assert_eq!(spanning_trees(&g, 0b0011_0011), 4);
    assert_eq!(spanning_trees(&g, 0b1111), 1);
    assert_eq!(spanning_trees(&g, 0xFFFF), 100_352);
}

#[test]
fn reversible_recom_matches_spanning_tree_distribution_4x4_k4() {
    check(4, 0.0, 4, 4, 32, 500, 150, 120);
}

#[test]
fn reversible_recom_matches_spanning_tree_distribution_4x4_k2() {
    check(2, 0.0, 8, 8, 8, 1000, 500, 50);
}

#[test]
fn reversible_recom_matches_spanning_tree_distribution_4x4_k3_with_tolerance() {
    // 16/3 ≈ 5.33 ± 13 %: blocs of 5 or 6 nodes; M(R) = (6 − 5)/1 + 1 = 2.
    check(3, 0.13, 5, 6, 16, 500, 350, 100);
}
