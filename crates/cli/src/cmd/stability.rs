//! `fedsplit stability PLAN`: would any boundary unit of a plan rather be in
//! an adjacent bloc? Each unit's fiscal and alignment gain from switching,
//! whether the plan is individually stable, and optionally best-response
//! dynamics toward a stable plan.

use std::path::PathBuf;

use clap::Args;
use fedsplit_alliance::attrs::GraphSpec;
use fedsplit_report::alliance::{
    self as report, MoveRow, StabilityAnswer, StabilityRequest, UnitBloc,
};

use crate::args::{parse_election_year, parse_graph, parse_tol, DataArgs, Format, FormatArgs};
use crate::output::{self, fixed, group, Align, Csv, TextTable};

#[derive(Args, Debug)]
pub struct StabilityCmd {
    /// The plan: a scenario file (TOML) whose blocs (and ledger options) are used; policies are ignored and optional
    #[arg(long, value_name = "PLAN", required_unless_present = "example")]
    pub plan: Option<PathBuf>,
    /// Use a shipped example scenario's blocs instead of a file (see `fedsplit scenario --list`)
    #[arg(long, value_name = "NAME", conflicts_with = "plan")]
    pub example: Option<String>,
    /// The units: states (the 48 contiguous states + DC) or counties (state figures apportioned by population); a grid has no states to draw a plan on
    #[arg(long, value_name = "GRAPH", default_value = "states", value_parser = parse_graph)]
    pub graph: GraphSpec,
    /// Weight of the fiscal gain, per $1,000 of net federal flow per capita
    #[arg(long, value_name = "W", default_value_t = 1.0, value_parser = parse_weight, allow_negative_numbers = true)]
    pub fiscal_weight: f64,
    /// Weight of the alignment gain, per unit share (0–1) of the bloc's voters
    #[arg(long, value_name = "W", default_value_t = 1.0, value_parser = parse_weight, allow_negative_numbers = true)]
    pub align_weight: f64,
    /// Election whose votes are used [default: the scenario's vote year]
    #[arg(long, value_name = "YEAR", value_parser = parse_election_year)]
    pub election: Option<u16>,
    /// Only allow switches that leave both blocs within PCT percent of the ideal population [default: no population limit]
    #[arg(long, value_name = "PCT", value_parser = parse_tol)]
    pub tol: Option<f64>,
    /// Also run best-response dynamics toward a stable plan
    #[arg(long)]
    pub dynamics: bool,
    /// Step limit of the dynamics
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_steps: u32,
    /// Rows of the table of moves [default: all for states, 20 for counties]
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

fn parse_weight(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(w) if w.is_finite() => Ok(w),
        _ => Err("not a finite number".into()),
    }
}

pub fn run(cmd: &StabilityCmd) -> anyhow::Result<String> {
    let plan = report::plan_source(cmd.plan.as_deref(), cmd.example.as_deref())?;
    let year = fedsplit_scenario::spec::parse(&plan.label, &plan.text)?.year;
    let data = cmd.data.load_for_scenario(year)?;
    let a = report::stability(
        &data,
        &StabilityRequest {
            plan: &plan,
            graph: cmd.graph,
            fiscal_weight: cmd.fiscal_weight,
            align_weight: cmd.align_weight,
            year: cmd.election,
            tol: cmd.tol,
            dynamics: cmd.dynamics.then_some(cmd.max_steps),
        },
    )?;
    Ok(match cmd.format.format {
        Format::Table => table(&a, cmd.top),
        Format::Csv => moves_csv(&a),
        Format::Json => output::json_text(&a),
    })
}

/// A signed number with fixed decimals.
fn signed(x: f64, decimals: usize) -> String {
    let s = fixed(x, decimals);
    if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

fn pct(part: u64, whole: u64) -> f64 {
    fedsplit_report::blocs::pct(part, whole)
}

/// Per-bloc rows shared by the plan and the dynamics' end.
pub fn bloc_table(blocs: &[UnitBloc]) -> String {
    let mut t = TextTable::new(&[
        ("bloc", Align::Left),
        ("units", Align::Right),
        ("population", Align::Right),
        ("net/capita $", Align::Right),
        ("Dem %", Align::Right),
        ("Rep %", Align::Right),
        ("winner", Align::Left),
        ("stranded", Align::Right),
        ("pieces", Align::Right),
    ]);
    for b in blocs {
        t.row(vec![
            b.bloc.clone(),
            b.units.len().to_string(),
            group(b.population as i64),
            output::signed_dollars(b.net_per_capita_usd),
            fixed(pct(b.dem_votes, b.total_votes), 1),
            fixed(pct(b.rep_votes, b.total_votes), 1),
            b.winner.to_string(),
            group(b.stranded_voters as i64),
            b.pieces.to_string(),
        ]);
    }
    t.render()
}

fn move_cells(m: &MoveRow) -> Vec<String> {
    vec![
        m.label.clone(),
        m.from.clone(),
        m.to.clone(),
        output::signed_dollars(m.fiscal_gain_per_capita_usd),
        signed(100.0 * m.align_gain_share, 2),
        signed(m.gain, 4),
        match m.blocked {
            None => "yes".to_string(),
            Some(b) => format!("no: {b}"),
        },
    ]
}

fn verdict(a: &StabilityAnswer) -> String {
    match &a.best {
        None => "verdict: individually stable — no allowed switch gains\n".to_string(),
        Some(best) => format!(
            "verdict: not individually stable — {} allowed switch{} gain{}; the largest: {} from {} to {} ({})\n",
            a.profitable,
            if a.profitable == 1 { "" } else { "es" },
            if a.profitable == 1 { "s" } else { "" },
            best.label,
            best.from,
            best.to,
            signed(best.gain, 4)
        ),
    }
}

fn members_text(a: &StabilityAnswer, blocs: &[UnitBloc]) -> String {
    let mut out = String::new();
    for b in blocs {
        match a.graph_spec {
            Some(GraphSpec::Counties) => {
                out.push_str(&format!("  {}: {} counties\n", b.bloc, b.labels.len()))
            }
            _ => out.push_str(&format!("  {}: {}\n", b.bloc, b.labels.join(" "))),
        }
    }
    out
}

fn table(a: &StabilityAnswer, top: Option<usize>) -> String {
    let options = a.meta.options.expect("stability has options").0;
    let w = &a.weights;
    let mut out = format!(
        "stability of {:?}\n{}\ndataset: {}, FY{}\nledger: {}{}\nvotes: {}\n\
         gain = {} × fiscal gain / $1,000 per capita + {} × alignment gain / 100 points\n",
        a.plan.scenario,
        a.graph_text,
        a.meta.dataset,
        a.meta.fiscal_year,
        output::options_line(&options),
        if a.plan.fiscal_estimated {
            " (county figures are estimates)"
        } else {
            ""
        },
        a.plan.year,
        w.fiscal,
        w.align,
    );
    if let Some(t) = w.pop_tolerance {
        out.push_str(&format!(
            "population tolerance: ±{}% of the ideal {}\n",
            fixed(100.0 * t, 1),
            group(a.ideal_population.round() as i64)
        ));
    }
    if !a.plan.left_out_blocs.is_empty() {
        out.push_str(&format!(
            "left out (no unit on the graph): {}\n",
            a.plan.left_out_blocs.join(", ")
        ));
    }
    out.push('\n');
    out.push_str(&bloc_table(&a.blocs));
    out.push('\n');
    let limit = top.unwrap_or(match a.graph_spec {
        Some(GraphSpec::Counties) => 20,
        _ => usize::MAX,
    });
    let shown = &a.ranked[..a.ranked.len().min(limit)];
    out.push_str(&format!(
        "switches open to boundary units ({}{}), largest gain first:\n",
        group(a.moves.len() as i64),
        if shown.len() < a.moves.len() {
            format!("; the first {}", shown.len())
        } else {
            String::new()
        }
    ));
    let mut t = TextTable::new(&[
        ("unit", Align::Left),
        ("from", Align::Left),
        ("to", Align::Left),
        ("fiscal $/capita", Align::Right),
        ("alignment pts", Align::Right),
        ("gain", Align::Right),
        ("allowed", Align::Left),
    ]);
    for &i in shown {
        t.row(move_cells(&a.moves[i]));
    }
    out.push_str(&t.render());
    out.push_str(
        "\nfiscal: net federal flow per capita of the bloc the unit would join (with it) minus its own bloc's;\n\
         alignment: the share of the bloc's voters who voted like the unit's majority, there minus here.\n\n",
    );
    out.push_str(&verdict(a));
    if let Some(d) = &a.dynamics {
        out.push_str(&format!(
            "\nbest-response dynamics (the largest allowed gain first, at most {} steps): {}\n",
            d.max_steps, d.outcome_text
        ));
        if !d.steps.is_empty() {
            let mut t = TextTable::new(&[
                ("step", Align::Right),
                ("unit", Align::Left),
                ("from", Align::Left),
                ("to", Align::Left),
                ("fiscal $/capita", Align::Right),
                ("alignment pts", Align::Right),
                ("gain", Align::Right),
            ]);
            for (i, m) in d.steps.iter().enumerate() {
                let mut cells = move_cells(m);
                cells.pop();
                cells.insert(0, (i + 1).to_string());
                t.row(cells);
            }
            out.push_str(&t.render());
            out.push_str("\nplan at the end:\n");
            out.push_str(&bloc_table(&d.blocs));
            out.push_str(&members_text(a, &d.blocs));
        }
    }
    out
}

/// One row per possible switch, largest gain first.
fn moves_csv(a: &StabilityAnswer) -> String {
    let mut out = Csv::new([
        "unit",
        "label",
        "from",
        "to",
        "fiscal_gain_per_capita_usd",
        "align_gain_share",
        "gain",
        "allowed",
        "blocked",
    ]);
    for &i in &a.ranked {
        let m = &a.moves[i];
        out.row([
            m.unit.clone(),
            m.label.clone(),
            m.from.clone(),
            m.to.clone(),
            fixed(m.fiscal_gain_per_capita_usd, 2),
            fixed(m.align_gain_share, 6),
            fixed(m.gain, 6),
            m.allowed.to_string(),
            m.blocked.unwrap_or("").to_string(),
        ]);
    }
    out.finish()
}
