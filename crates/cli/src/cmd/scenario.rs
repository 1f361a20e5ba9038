//! `fedsplit scenario FILE`: evaluate a scenario file against the baseline.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fedsplit_ledger::Ledger;
use fedsplit_report::alliance::{self, GraphPlan};
use fedsplit_report::scenario::{self, BlocRow, ScenarioReport};
use fedsplit_scenario::examples::Source;
use fedsplit_scenario::spec;

use crate::args::{parse_graph, DataArgs, Format, FormatArgs};
use crate::output::{
    self, fixed, millions, round, signed_dollars, signed_millions, Align, Csv, TextTable,
};
use fedsplit_alliance::attrs::GraphSpec;

#[derive(Args, Debug)]
pub struct ScenarioCmd {
    /// The scenario file (TOML; `--schema` prints the format)
    #[arg(value_name = "FILE", required_unless_present_any = ["example", "list", "schema"])]
    pub file: Option<PathBuf>,
    /// Run a shipped example instead of a file (see --list)
    #[arg(long, value_name = "NAME", conflicts_with = "file")]
    pub example: Option<String>,
    /// List the shipped examples
    #[arg(long)]
    pub list: bool,
    /// Print the scenario file schema with every key and its default (a file `scenario` accepts)
    #[arg(long, conflicts_with = "list")]
    pub schema: bool,
    /// Rows by state, by bloc (default) or by state × AGI class
    #[arg(long, value_enum, default_value_t = By::Bloc)]
    pub by: By,
    /// Draw the blocs on a graph instead: states (48 contiguous + DC) or counties (with the file's county moves; county figures are estimates): population, net per capita, votes, stranded voters and pieces of each bloc
    #[arg(long, value_name = "GRAPH", value_parser = parse_graph, conflicts_with = "by")]
    pub graph: Option<GraphSpec>,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    State,
    Bloc,
    Income,
}

/// Reads the scenario text from a file or a shipped example.
pub fn source(file: Option<&PathBuf>, example: Option<&str>) -> anyhow::Result<Source> {
    Ok(match example {
        Some(name) => Source::example(name)?,
        None => Source::file(file.expect("clap requires FILE or --example"))?,
    })
}

pub fn run(cmd: &ScenarioCmd) -> anyhow::Result<String> {
    if cmd.schema {
        if cmd.format.format != Format::Table {
            anyhow::bail!("--schema prints the TOML file format: --format does not apply");
        }
        return Ok(spec::SCHEMA.to_string());
    }
    if cmd.list {
        return Ok(list(cmd.format.format));
    }
    let src = source(cmd.file.as_ref(), cmd.example.as_deref())?;
    let file = spec::parse(&src.label, &src.text)?;
    let data = cmd.data.load_for_scenario(file.year)?;
    let scenario =
        spec::compile(&file, &data).map_err(|e| e.locate(&src.label, Some(&src.text)))?;
    if let Some(graph_spec) = cmd.graph {
        let (graph, attrs) = alliance::graph_for(&data, graph_spec, &scenario.options)?;
        let plan = alliance::graph_plan(&data, &scenario, &src.label, graph_spec, &graph, &attrs)?;
        return Ok(match cmd.format.format {
            Format::Json => output::json_text(&plan),
            Format::Csv => graph_plan_csv(&plan),
            Format::Table => graph_plan_table(&plan),
        });
    }
    let r = scenario::build(&Ledger::new(&data)?, &scenario)?;
    Ok(match cmd.format.format {
        Format::Json => output::json_text(&r.with_state_income(cmd.by == By::Income)),
        Format::Csv => match cmd.by {
            By::State => state_csv(&r),
            By::Bloc => bloc_csv(&r),
            By::Income => income_csv(&r),
        },
        Format::Table => table(&r, cmd.by),
    })
}

/// The shipped examples: name and description (JSON: the examples as the
/// web API serves them).
fn list(format: Format) -> String {
    let examples = fedsplit_report::scenario::examples();
    match format {
        Format::Json => output::json_text(&examples),
        Format::Csv => {
            let mut out = Csv::new(["name", "description"]);
            for e in &examples {
                out.row([e.name, e.description.as_str()]);
            }
            out.finish()
        }
        Format::Table => examples
            .iter()
            .map(|e| format!("{}\n    {}\n", e.name, e.description))
            .collect(),
    }
}

fn ratio_text(r: Option<f64>) -> String {
    r.map(|r| fixed(r, 2)).unwrap_or_else(|| "—".into())
}

fn table(r: &ScenarioReport, by: By) -> String {
    let mut out = format!("Scenario {}\n", r.name);
    if !r.description.is_empty() {
        out.push_str(&format!("{}\n", r.description));
    }
    let options = r.meta.options.expect("a scenario has options").0;
    out.push_str(&format!("options: {}\n", output::options_line(&options)));
    for line in &r.policies {
        out.push_str(&format!("{line}\n"));
    }
    out.push('\n');

    match by {
        // A partition alone changes nothing inside the union: no delta table.
        By::Bloc | By::State if !r.overlay => {}
        By::Bloc => {
            out.push_str("Changes against the baseline by bloc ($M per year; net = spending received − taxes paid, federal and state):\n");
            let borrowing = r.federal_budget.deficit_change_usd.abs() >= 0.5e6;
            let mut t = delta_table("bloc", borrowing);
            for b in &r.blocs {
                let mut cells = delta_cells(
                    b.bloc.clone(),
                    [
                        b.federal_taxes_delta_usd,
                        b.federal_spending_delta_usd,
                        b.state_taxes_delta_usd,
                        b.state_spending_delta_usd,
                        b.net_delta_usd,
                    ],
                    b.net_delta_per_resident_usd,
                    b.dollars_kept_per_dollar_lost,
                );
                if borrowing {
                    cells.insert(7, signed_dollars(b.new_borrowing_per_resident_usd));
                }
                t.row(cells);
            }
            out.push_str(&t.render());
        }
        By::State => {
            out.push_str("Changes against the baseline by state ($M per year):\n");
            let mut t = delta_table("state", false);
            for s in &r.states {
                let lost = -s.federal_spending_delta_usd;
                t.row(delta_cells(
                    format!("{} ({})", s.name, s.bloc),
                    [
                        s.federal_taxes_delta_usd,
                        s.federal_spending_delta_usd,
                        s.state_taxes_delta_usd,
                        s.state_spending_delta_usd,
                        s.net_delta_usd,
                    ],
                    s.net_delta_per_resident_usd,
                    (lost > 0.0).then(|| -s.federal_taxes_delta_usd / lost),
                ));
            }
            out.push_str(&t.render());
        }
        By::Income => out.push_str(&income_table(r)),
    }

    let b = &r.federal_budget;
    if r.overlay {
        out.push_str(&format!(
            "\nFederal budget: receipts ${}M → ${}M, outlays ${}M → ${}M, deficit ${}M → ${}M",
            millions(b.receipts_before_usd),
            millions(b.receipts_after_usd),
            millions(b.outlays_before_usd),
            millions(b.outlays_after_usd),
            millions(b.deficit_before_usd),
            millions(b.deficit_after_usd),
        ));
        if b.spending_cut_usd > 0.0 {
            out.push_str(&format!(
                " (after cutting other spending by ${}M)",
                millions(b.spending_cut_usd)
            ));
        }
        out.push('\n');
        if b.deficit_change_usd >= 0.5e6 {
            out.push_str(&format!(
                "  The gains above are financed by new federal borrowing of ${}M a year, which the nets do not\n  charge to anyone: ${} per US resident, the share each bloc's residents would carry at an equal\n  share per head.\n",
                millions(b.deficit_change_usd),
                output::group(round(b.deficit_change_per_resident_usd)),
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "Blocs (votes {}):\n",
        r.meta.votes_year.expect("a scenario has a vote year")
    ));
    let mut t = TextTable::new(&[
        ("bloc", Align::Left),
        ("states", Align::Right),
        ("population", Align::Right),
        ("GDP $M", Align::Right),
        ("winner", Align::Left),
        ("stranded voters", Align::Right),
        ("% of votes", Align::Right),
        ("vs state winner", Align::Right),
        ("contiguity", Align::Left),
    ]);
    for b in &r.blocs {
        t.row(vec![
            b.bloc.clone(),
            b.states.len().to_string(),
            output::group(round(b.population)),
            millions(b.gdp_usd),
            b.winner.to_string(),
            output::group(b.stranded_voters as i64),
            fixed(
                100.0 * b.stranded_voters as f64 / b.votes.total.max(1) as f64,
                1,
            ),
            output::group(b.state_stranded_voters as i64),
            contiguity_text(b),
        ]);
    }
    out.push_str(&t.render());

    if let Some(countries) = &r.partition {
        out.push_str("\nPartition: each bloc a country ($M per year):\n");
        let mut t = TextTable::new(&[
            ("country", Align::Left),
            ("revenue", Align::Right),
            ("located", Align::Right),
            ("public goods", Align::Right),
            ("other", Align::Right),
            ("primary bal.", Align::Right),
            ("debt", Align::Right),
            ("interest", Align::Right),
            ("overall bal.", Align::Right),
            ("debt/GDP %", Align::Right),
            ("tax Δ to balance %", Align::Right),
            ("tax Δ for today's deficit share %", Align::Right),
        ]);
        for c in countries {
            t.row(vec![
                c.country.clone(),
                millions(c.revenue_usd),
                millions(c.located_spending_usd),
                millions(c.public_goods_usd),
                millions(c.other_unlocated_usd),
                signed_millions(c.primary_balance_usd),
                millions(c.debt_usd),
                millions(c.interest_usd),
                signed_millions(c.overall_balance_usd),
                fixed(100.0 * c.debt_to_gdp, 1),
                format!("{:+.1}", 100.0 * c.tax_change_to_balance),
                format!("{:+.1}", 100.0 * c.tax_change_to_keep_deficit_share),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}

fn contiguity_text(b: &BlocRow) -> String {
    if b.components.len() <= 1 {
        return "contiguous".into();
    }
    let apart: Vec<String> = b.components[1..]
        .iter()
        .map(|c| c.iter().map(|s| s.postal()).collect::<Vec<_>>().join("+"))
        .collect();
    format!(
        "{} pieces; apart from the largest: {}",
        b.components.len(),
        apart.join(", ")
    )
}

fn delta_table(first: &str, borrowing: bool) -> TextTable {
    let mut cols = vec![
        (first, Align::Left),
        ("Δ fed taxes", Align::Right),
        ("Δ fed spending", Align::Right),
        ("Δ state taxes", Align::Right),
        ("Δ state spending", Align::Right),
        ("net Δ", Align::Right),
        ("net Δ/resident $", Align::Right),
    ];
    if borrowing {
        cols.push(("new US borrowing/resident $", Align::Right));
    }
    cols.push(("$ kept per $1 lost", Align::Right));
    TextTable::new(&cols)
}

fn delta_cells(name: String, v: [f64; 5], per_resident: f64, ratio: Option<f64>) -> Vec<String> {
    let mut cells = vec![name];
    cells.extend(v.iter().map(|x| signed_millions(*x)));
    cells.push(signed_dollars(per_resident));
    cells.push(ratio_text(ratio));
    cells
}

fn income_table(r: &ScenarioReport) -> String {
    // National totals by AGI class, then each state's share better off.
    let mut t = TextTable::new(&[
        ("AGI class", Align::Left),
        ("returns", Align::Right),
        ("income tax saved $M", Align::Right),
        ("replacement tax $M", Align::Right),
        ("net $M", Align::Right),
        ("net per return $", Align::Right),
    ]);
    // Only states whose taxes change: unaffected states would dilute the averages.
    let affected = |st: &str| {
        r.state_income().iter().any(|c| {
            c.state == st && (c.income_tax_saved_usd != 0.0 || c.replacement_tax_usd != 0.0)
        })
    };
    for class in 1..=10u8 {
        let rows: Vec<_> = r
            .state_income()
            .iter()
            .filter(|c| c.agi_class == class && affected(c.state))
            .collect();
        let Some(first) = rows.first() else { continue };
        let returns: f64 = rows.iter().map(|c| c.returns).sum();
        let saved: f64 = rows.iter().map(|c| c.income_tax_saved_usd).sum();
        let replaced: f64 = rows.iter().map(|c| c.replacement_tax_usd).sum();
        t.row(vec![
            first.agi_class_label.to_string(),
            output::group(round(returns)),
            signed_millions(saved),
            signed_millions(replaced),
            signed_millions(saved - replaced),
            signed_dollars(if returns > 0.0 {
                (saved - replaced) / returns
            } else {
                0.0
            }),
        ]);
    }
    let mut out = String::from("By AGI class, states whose taxes change (taxes only; withdrawn spending not replaced is not assigned to classes):\n");
    out.push_str(&t.render());
    out.push_str("\nShare of returns better off, by state (class averages):\n");
    let mut t = TextTable::new(&[
        ("state", Align::Left),
        ("returns", Align::Right),
        ("better off %", Align::Right),
    ]);
    for s in r.income_summary.iter().filter(|s| affected(s.state)) {
        t.row(vec![
            s.name.to_string(),
            output::group(round(s.returns)),
            fixed(100.0 * s.share_better_off, 1),
        ]);
    }
    out.push_str(&t.render());
    out
}

fn state_csv(r: &ScenarioReport) -> String {
    let mut out = Csv::new([
        "state",
        "bloc",
        "population",
        "federal_taxes_delta_usd",
        "federal_income_tax_delta_usd",
        "federal_spending_delta_usd",
        "state_taxes_delta_usd",
        "state_spending_delta_usd",
        "net_delta_usd",
        "net_delta_per_resident_usd",
    ]);
    for s in &r.states {
        out.row([
            s.state.to_string(),
            s.bloc.clone(),
            round(s.population).to_string(),
            round(s.federal_taxes_delta_usd).to_string(),
            round(s.federal_income_tax_delta_usd).to_string(),
            round(s.federal_spending_delta_usd).to_string(),
            round(s.state_taxes_delta_usd).to_string(),
            round(s.state_spending_delta_usd).to_string(),
            round(s.net_delta_usd).to_string(),
            fixed(s.net_delta_per_resident_usd, 2),
        ]);
    }
    out.finish()
}

/// One row per bloc: its changes, stranded voters and exclaves; with a
/// partition, each bloc's finances as a country too.
fn bloc_csv(r: &ScenarioReport) -> String {
    let mut header = vec![
        "bloc",
        "states",
        "population",
        "federal_taxes_delta_usd",
        "federal_spending_delta_usd",
        "state_taxes_delta_usd",
        "state_spending_delta_usd",
        "net_delta_usd",
        "net_delta_per_resident_usd",
        "dollars_kept_per_dollar_lost",
        "stranded_voters",
        "exclaves",
    ];
    if r.partition.is_some() {
        header.extend([
            "revenue_usd",
            "located_spending_usd",
            "public_goods_usd",
            "other_unlocated_usd",
            "primary_balance_usd",
            "debt_share",
            "debt_usd",
            "interest_usd",
            "overall_balance_usd",
            "debt_to_gdp",
            "tax_change_to_balance",
            "tax_change_to_keep_deficit_share",
        ]);
    }
    let mut out = Csv::new(&header);
    for (i, b) in r.blocs.iter().enumerate() {
        let mut row = vec![
            b.bloc.clone(),
            b.states.join(" "),
            round(b.population).to_string(),
            round(b.federal_taxes_delta_usd).to_string(),
            round(b.federal_spending_delta_usd).to_string(),
            round(b.state_taxes_delta_usd).to_string(),
            round(b.state_spending_delta_usd).to_string(),
            round(b.net_delta_usd).to_string(),
            fixed(b.net_delta_per_resident_usd, 2),
            b.dollars_kept_per_dollar_lost
                .map(|r| fixed(r, 4))
                .unwrap_or_default(),
            b.stranded_voters.to_string(),
            b.exclaves.join(" "),
        ];
        if let Some(c) = r.partition.as_ref().and_then(|p| p.get(i)) {
            row.extend([
                round(c.revenue_usd).to_string(),
                round(c.located_spending_usd).to_string(),
                round(c.public_goods_usd).to_string(),
                round(c.other_unlocated_usd).to_string(),
                round(c.primary_balance_usd).to_string(),
                fixed(c.debt_share, 6),
                round(c.debt_usd).to_string(),
                round(c.interest_usd).to_string(),
                round(c.overall_balance_usd).to_string(),
                fixed(c.debt_to_gdp, 6),
                fixed(c.tax_change_to_balance, 6),
                fixed(c.tax_change_to_keep_deficit_share, 6),
            ]);
        }
        out.row(row);
    }
    out.finish()
}

fn income_csv(r: &ScenarioReport) -> String {
    let mut out = Csv::new([
        "state",
        "agi_class",
        "agi_class_label",
        "returns",
        "income_tax_saved_usd",
        "replacement_tax_usd",
        "net_usd",
        "net_per_return_usd",
        "better_off",
    ]);
    for c in r.state_income() {
        out.row([
            c.state.to_string(),
            c.agi_class.to_string(),
            c.agi_class_label.to_string(),
            round(c.returns).to_string(),
            round(c.income_tax_saved_usd).to_string(),
            round(c.replacement_tax_usd).to_string(),
            round(c.net_usd).to_string(),
            fixed(c.net_per_return_usd, 2),
            c.better_off.to_string(),
        ]);
    }
    out.finish()
}

/// `--graph`: the blocs on the graph, then the plan's scores and notes.
fn graph_plan_table(p: &GraphPlan) -> String {
    let options = p.meta.options.expect("a scenario has options").0;
    let mut out = format!(
        "Scenario {} drawn on the {}
ledger: {}{}
votes: {}
",
        p.plan.scenario,
        p.graph_text,
        output::options_line(&options),
        if p.plan.fiscal_estimated {
            " (county figures are estimates)"
        } else {
            ""
        },
        p.plan.year
    );
    if !p.county_moves.is_empty() {
        let moves: Vec<String> = p
            .county_moves
            .iter()
            .map(|(fips, bloc)| format!("{fips}→{bloc}"))
            .collect();
        out.push_str(&format!("county moves: {}\n", moves.join(", ")));
    }
    out.push('\n');
    out.push_str(&super::stability::bloc_table(&p.blocs));
    out.push_str(&format!(
        "\n{}; stranded voters {}; cut edges {}; largest population deviation {}% of the ideal\n",
        if p.contiguous {
            "every bloc is contiguous".to_string()
        } else {
            let split: Vec<String> = p
                .blocs
                .iter()
                .filter(|b| b.pieces > 1)
                .map(|b| format!("{} in {} pieces", b.bloc, b.pieces))
                .collect();
            format!("not contiguous: {}", split.join(", "))
        },
        output::group(p.scores.stranded_total as i64),
        p.scores.cut_edges,
        fixed(100.0 * p.scores.max_pop_deviation, 1)
    ));
    for note in &p.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

fn graph_plan_csv(p: &GraphPlan) -> String {
    let mut out = Csv::new([
        "bloc",
        "units",
        "population",
        "net_usd",
        "net_per_capita_usd",
        "dem_votes",
        "rep_votes",
        "total_votes",
        "winner",
        "stranded_voters",
        "pieces",
    ]);
    for b in &p.blocs {
        out.row([
            b.bloc.clone(),
            b.units.len().to_string(),
            b.population.to_string(),
            round(b.net_usd).to_string(),
            fixed(b.net_per_capita_usd, 2),
            b.dem_votes.to_string(),
            b.rep_votes.to_string(),
            b.total_votes.to_string(),
            b.winner.to_string(),
            b.stranded_voters.to_string(),
            b.pieces.to_string(),
        ]);
    }
    out.finish()
}
