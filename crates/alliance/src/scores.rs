//! Scores of a plan (a partition into blocs) and summaries of a scalar
//! score over an ensemble of plans.
//!
//! Per bloc: population, net federal flow (spending − receipts) and net per
//! capita, the two nominees' votes, **stranded voters** (voters in the bloc
//! who did not vote for the bloc's popular-vote winner, third parties
//! included; a tie goes to the Democrat, as in `fedsplit blocs`) and
//! **homogeneity** (the winner's share of the bloc's two-party vote).
//!
//! Per plan: the largest population deviation from the ideal (total / k),
//! stranded voters summed over blocs, mean homogeneity (unweighted over
//! blocs), cut edges and the largest |net per capita| of any bloc.

use crate::attrs::{year_index, AttrError, NodeAttrs};
use fedsplit_core::graph::{Graph, Partition};

/// One bloc's scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BlocScores {
    pub pop: u64,
    pub net_usd: f64,
    /// `net_usd / pop` (0 for an empty bloc).
    pub net_per_capita: f64,
    pub dem: u64,
    pub rep: u64,
    /// Every vote cast for president.
    pub total: u64,
    /// The Democrat won the bloc's popular vote (ties too).
    pub dem_won: bool,
    /// `total − winner's votes`.
    pub stranded: u64,
    /// Winner's share of `dem + rep` (0.5..1; 0 with no votes).
    pub homogeneity: f64,
}

/// A plan's scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanScores {
    pub blocs: Vec<BlocScores>,
    /// max over blocs of |pop − ideal| / ideal, ideal = total pop / k.
    pub max_pop_deviation: f64,
    pub stranded_total: u64,
    pub mean_homogeneity: f64,
    pub cut_edges: usize,
    pub max_abs_net_per_capita: f64,
}

/// A scalar score of a plan, for ensemble summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    MaxPopDeviation,
    StrandedTotal,
    MeanHomogeneity,
    CutEdges,
    MaxAbsNetPerCapita,
}

impl Metric {
    pub const ALL: [Metric; 5] = [
        Metric::MaxPopDeviation,
        Metric::StrandedTotal,
        Metric::MeanHomogeneity,
        Metric::CutEdges,
        Metric::MaxAbsNetPerCapita,
    ];

    /// Machine name (CSV/JSON key).
    pub const fn name(self) -> &'static str {
        match self {
            Metric::MaxPopDeviation => "max_pop_deviation",
            Metric::StrandedTotal => "stranded_total",
            Metric::MeanHomogeneity => "mean_homogeneity",
            Metric::CutEdges => "cut_edges",
            Metric::MaxAbsNetPerCapita => "max_abs_net_per_capita",
        }
    }

    /// Human label, with units.
    pub const fn label(self) -> &'static str {
        match self {
            Metric::MaxPopDeviation => "largest population deviation (share of ideal)",
            Metric::StrandedTotal => "stranded voters",
            Metric::MeanHomogeneity => "mean homogeneity (winner's two-party share)",
            Metric::CutEdges => "cut edges",
            Metric::MaxAbsNetPerCapita => "largest |net per capita| of a bloc ($)",
        }
    }

    pub fn parse(text: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == text)
    }
}

impl PlanScores {
    /// The value of one scalar score.
    pub fn metric(&self, m: Metric) -> f64 {
        match m {
            Metric::MaxPopDeviation => self.max_pop_deviation,
            Metric::StrandedTotal => self.stranded_total as f64,
            Metric::MeanHomogeneity => self.mean_homogeneity,
            Metric::CutEdges => self.cut_edges as f64,
            Metric::MaxAbsNetPerCapita => self.max_abs_net_per_capita,
        }
    }
}

/// Scores `p` with the votes of `year` (2016, 2020 or 2024).
pub fn score(
    graph: &Graph,
    attrs: &NodeAttrs,
    p: &Partition,
    year: u16,
) -> Result<PlanScores, AttrError> {
    let mut out = PlanScores::default();
    score_into(graph, attrs, p, year, &mut out)?;
    Ok(out)
}

/// Scores `p` into `out`, reusing its bloc vector.
pub fn score_into(
    graph: &Graph,
    attrs: &NodeAttrs,
    p: &Partition,
    year: u16,
    out: &mut PlanScores,
) -> Result<(), AttrError> {
    let y = year_index(year)?;
    score_year_into(graph, attrs, p, y, out);
    Ok(())
}

/// As `score_into` with the index of the year in `attrs::YEARS`.
pub fn score_year_into(
    graph: &Graph,
    attrs: &NodeAttrs,
    p: &Partition,
    y: usize,
    out: &mut PlanScores,
) {
    let k = p.k();
    out.blocs.clear();
    out.blocs.resize(k, BlocScores::default());
    let (dem, rep, total) = (&attrs.dem[y], &attrs.rep[y], &attrs.total[y]);
    for (v, &b) in p.assignment.iter().enumerate() {
        let s = &mut out.blocs[b as usize];
        s.pop += graph.pops[v];
        s.net_usd += attrs.net_usd[v];
        s.dem += dem[v];
        s.rep += rep[v];
        s.total += total[v];
    }
    let ideal = graph.total_pop() as f64 / k.max(1) as f64;
    out.max_pop_deviation = 0.0;
    out.stranded_total = 0;
    out.max_abs_net_per_capita = 0.0;
    let mut homogeneity = 0.0;
    for s in &mut out.blocs {
        finish_bloc(s);
        if ideal > 0.0 {
            let dev = (s.pop as f64 - ideal).abs() / ideal;
            out.max_pop_deviation = out.max_pop_deviation.max(dev);
        }
        out.stranded_total += s.stranded;
        out.max_abs_net_per_capita = out.max_abs_net_per_capita.max(s.net_per_capita.abs());
        homogeneity += s.homogeneity;
    }
    out.mean_homogeneity = if k == 0 { 0.0 } else { homogeneity / k as f64 };
    out.cut_edges = p.cut_edges(graph);
}

/// Fills the derived fields of a bloc from its sums.
pub(crate) fn finish_bloc(s: &mut BlocScores) {
    s.net_per_capita = if s.pop == 0 {
        0.0
    } else {
        s.net_usd / s.pop as f64
    };
    s.dem_won = s.dem >= s.rep;
    let winner = s.dem.max(s.rep);
    s.stranded = s.total.saturating_sub(winner);
    let two_party = s.dem + s.rep;
    s.homogeneity = if two_party == 0 {
        0.0
    } else {
        winner as f64 / two_party as f64
    };
}

// ---- ensemble summaries ----------------------------------------------------

/// The levels of `quantiles`, in percent.
pub const QUANTILE_LEVELS: [f64; 7] = [0.0, 5.0, 25.0, 50.0, 75.0, 95.0, 100.0];

/// The 0, 5, 25, 50, 75, 95 and 100th percentiles of `values` (linear
/// interpolation between order statistics, as R's type 7 and NumPy's
/// default). NaN when `values` is empty.
pub fn quantiles(values: &[f64]) -> [f64; 7] {
    let mut sorted: Vec<f64> = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    QUANTILE_LEVELS.map(|q| quantile_sorted(&sorted, q / 100.0))
}

/// The `q`-quantile (0..=1) of ascending `sorted` values, type 7.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Percentile (0..=100) of `value` in `sample`: the share of the sample
/// below it, counting values equal to it as half (the mid-rank). NaN for an
/// empty sample.
pub fn percentile(sample: &[f64], value: f64) -> f64 {
    if sample.is_empty() {
        return f64::NAN;
    }
    let below = sample.iter().filter(|&&x| x < value).count() as f64;
    let equal = sample.iter().filter(|&&x| x == value).count() as f64;
    100.0 * (below + 0.5 * equal) / sample.len() as f64
}

/// A histogram of `values` in `bins` equal bins as a standalone SVG
/// document: bars, x-axis with the range's ends and middle, y-axis with the
/// largest count, a title, an x label, and when `marker` is given a red
/// vertical line at that value labelled `marker_label` (e.g. "your plan").
pub fn histogram_svg(
    values: &[f64],
    bins: usize,
    title: &str,
    x_label: &str,
    marker: Option<(f64, &str)>,
) -> String {
    const W: f64 = 640.0;
    const H: f64 = 400.0;
    const LEFT: f64 = 60.0;
    const RIGHT: f64 = 20.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 60.0;
    let bins = bins.max(1);
    let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let (mut lo, mut hi) = finite
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    if let Some((m, _)) = marker.filter(|(m, _)| m.is_finite()) {
        lo = lo.min(m);
        hi = hi.max(m);
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi <= lo {
        let pad = if lo == 0.0 { 0.5 } else { lo.abs() * 0.05 };
        (lo, hi) = (lo - pad, hi + pad);
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for &x in &finite {
        let i = (((x - lo) / width).floor() as usize).min(bins - 1);
        counts[i] += 1;
    }
    let max_count = counts.iter().copied().max().unwrap_or(0).max(1);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x_of = |x: f64| LEFT + (x - lo) / (hi - lo) * plot_w;
    let y_of = |c: f64| TOP + plot_h - c / max_count as f64 * plot_h;

    let mut s = String::new();
    s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"12\">\n"
    ));
    s.push_str(&format!("<title>{}</title>\n", escape(title)));
    s.push_str(&format!(
        "<rect x=\"0\" y=\"0\" width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n"
    ));
    s.push_str(&format!(
        "<text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">{}</text>\n",
        W / 2.0,
        escape(title)
    ));
    for (i, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let x0 = x_of(lo + i as f64 * width);
        let x1 = x_of(lo + (i + 1) as f64 * width);
        let y = y_of(c as f64);
        s.push_str(&format!(
            "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"#4a78a8\" stroke=\"white\" stroke-width=\"0.5\"><title>{} – {}: {c}</title></rect>\n",
            x0,
            y,
            (x1 - x0).max(0.0),
            TOP + plot_h - y,
            tick(lo + i as f64 * width),
            tick(lo + (i + 1) as f64 * width),
        ));
    }
    // Axes.
    let base = TOP + plot_h;
    s.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"black\"/>\n",
        W - RIGHT
    ));
    s.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{base}\" stroke=\"black\"/>\n"
    ));
    for x in [lo, (lo + hi) / 2.0, hi] {
        let px = x_of(x);
        s.push_str(&format!(
            "<line x1=\"{px:.2}\" y1=\"{base}\" x2=\"{px:.2}\" y2=\"{}\" stroke=\"black\"/>\n<text x=\"{px:.2}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            base + 5.0,
            base + 18.0,
            tick(x)
        ));
    }
    for c in [0, max_count] {
        let py = y_of(c as f64);
        s.push_str(&format!(
            "<line x1=\"{}\" y1=\"{py:.2}\" x2=\"{LEFT}\" y2=\"{py:.2}\" stroke=\"black\"/>\n<text x=\"{}\" y=\"{:.2}\" text-anchor=\"end\">{c}</text>\n",
            LEFT - 5.0,
            LEFT - 8.0,
            py + 4.0
        ));
    }
    s.push_str(&format!(
        "<text x=\"{:.2}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
        LEFT + plot_w / 2.0,
        H - 15.0,
        escape(x_label)
    ));
    s.push_str(&format!(
        "<text x=\"15\" y=\"{:.2}\" text-anchor=\"middle\" transform=\"rotate(-90 15 {:.2})\">plans</text>\n",
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0
    ));
    if let Some((m, label)) = marker.filter(|(m, _)| m.is_finite()) {
        let px = x_of(m);
        s.push_str(&format!(
            "<line x1=\"{px:.2}\" y1=\"{TOP}\" x2=\"{px:.2}\" y2=\"{base}\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n<text x=\"{px:.2}\" y=\"{}\" text-anchor=\"middle\" fill=\"#c0392b\">{}: {}</text>\n",
            TOP - 4.0,
            escape(label),
            tick(m)
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// A compact axis label: up to 4 significant digits, no trailing zeros.
fn tick(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let mag = x.abs().log10().floor() as i32;
    let decimals = (3 - mag).clamp(0, 6) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×2 grid 0 1 / 2 3 split into columns {0,2} and {1,3}.
    ///
    /// node  pop  dem  rep  total  net $
    ///   0   100   60   30    100   1000
    ///   1   200   10   80    100  -4000
    ///   2   300   50   40    100   2000
    ///   3   400   20   70    100   1000
    ///
    /// Bloc 0 = {0,2}: pop 400, net 3000 → 7.5/cap; dem 110 rep 70 total 200:
    /// Democrat wins, stranded 200 − 110 = 90, homogeneity 110/180.
    /// Bloc 1 = {1,3}: pop 600, net −3000 → −5/cap; dem 30 rep 150 total 200:
    /// Republican wins, stranded 50, homogeneity 150/180.
    /// Ideal pop 500: deviation 0.2. Cut edges 0–1 and 2–3: 2.
    #[test]
    fn four_node_toy() {
        let mut g = Graph::grid(2, 2);
        g.pops = vec![100, 200, 300, 400];
        let a = NodeAttrs::toy(
            vec![60, 10, 50, 20],
            vec![30, 80, 40, 70],
            vec![100; 4],
            vec![1000.0, -4000.0, 2000.0, 1000.0],
        );
        let p = Partition::new(&g, vec![0, 1, 0, 1], 2);
        let s = score(&g, &a, &p, 2024).unwrap();
        assert_eq!(s.blocs[0].pop, 400);
        assert_eq!(s.blocs[0].net_per_capita, 7.5);
        assert!(s.blocs[0].dem_won);
        assert_eq!(s.blocs[0].stranded, 90);
        assert!((s.blocs[0].homogeneity - 110.0 / 180.0).abs() < 1e-12);
        assert_eq!(s.blocs[1].net_per_capita, -5.0);
        assert!(!s.blocs[1].dem_won);
        assert_eq!(s.blocs[1].stranded, 50);
        assert_eq!(s.stranded_total, 140);
        assert!((s.max_pop_deviation - 0.2).abs() < 1e-12);
        assert_eq!(s.cut_edges, 2);
        assert_eq!(s.max_abs_net_per_capita, 7.5);
        assert!((s.mean_homogeneity - (110.0 + 150.0) / 360.0).abs() < 1e-12);
        assert_eq!(s.metric(Metric::StrandedTotal), 140.0);
        assert!(score(&g, &a, &p, 2012).is_err());
    }

    #[test]
    fn quantiles_and_percentiles() {
        let v: Vec<f64> = (0..=100).map(f64::from).collect();
        assert_eq!(quantiles(&v), [0.0, 5.0, 25.0, 50.0, 75.0, 95.0, 100.0]);
        assert_eq!(quantiles(&[3.0, 1.0]), [1.0, 1.1, 1.5, 2.0, 2.5, 2.9, 3.0]);
        assert!(quantiles(&[])[0].is_nan());
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 2.5), 50.0);
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 2.0), 37.5);
        assert_eq!(percentile(&[1.0, 1.0], 1.0), 50.0);
        assert_eq!(percentile(&[1.0, 2.0], 0.0), 0.0);
        assert_eq!(percentile(&[1.0, 2.0], 9.0), 100.0);
    }

    #[test]
    fn histogram_is_an_svg_with_marker() {
        let v = [1.0, 2.0, 2.0, 3.0, 10.0];
        let svg = histogram_svg(&v, 4, "cut <edges>", "cut edges", Some((2.5, "your plan")));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("cut &lt;edges&gt;"));
        assert!(svg.contains("your plan: 2.5"));
        // Bins of width 2.25 from 1: [1, 3.25) holds 4 values, the last 1.
        assert!(svg.contains(": 4</title></rect>"));
        assert!(svg.contains(": 1</title></rect>"));
        let flat = histogram_svg(&[5.0; 3], 10, "t", "x", None);
        assert!(flat.contains(": 3</title></rect>"));
    }
}
