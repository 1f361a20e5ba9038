//! `fedsplit scenario FILE`: evaluate a scenario file against the baseline.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fedsplit_data::Dataset;
use fedsplit_ledger::Ledger;
use fedsplit_scenario::spec::{self, Scenario};
use fedsplit_scenario::{examples, Channel, Evaluation};
use serde_json::{json, Map, Value};

use crate::args::{DataArgs, Format, FormatArgs};
use crate::output::{
    self, csv_field, fixed, millions, signed_dollars, signed_millions, Align, TextTable,
};

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
    /// Print the scenario file schema with every key and its default
    #[arg(long)]
    pub schema: bool,
    /// Rows by state, by bloc (default) or by state × AGI class
    #[arg(long, value_enum, default_value_t = By::Bloc)]
    pub by: By,
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

/// A scenario's source: its label for errors and its text.
pub struct Source {
    pub label: String,
    pub text: String,
}

/// Reads the scenario text from a file or a shipped example.
pub fn source(file: Option<&PathBuf>, example: Option<&str>) -> anyhow::Result<Source> {
    if let Some(name) = example {
        let text = examples::example(name).ok_or_else(|| {
            anyhow::anyhow!(
                "no example named {name:?} (examples: {})",
                examples::EXAMPLES.map(|(n, _)| n).join(", ")
            )
        })?;
        return Ok(Source {
            label: format!("scenarios/{name}.toml"),
            text: text.to_string(),
        });
    }
    let path = file.expect("clap requires FILE or --example");
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    Ok(Source {
        label: path.display().to_string(),
        text,
    })
}

/// Loads a scenario against a dataset, with errors naming file and line.
pub fn load(src: &Source, data: &Dataset) -> anyhow::Result<Scenario> {
    Ok(spec::load(&src.label, &src.text, data)?)
}

pub fn run(cmd: &ScenarioCmd) -> anyhow::Result<String> {
    if cmd.schema {
        return Ok(spec::SCHEMA.to_string());
    }
    if cmd.list {
        let mut out = String::new();
        for (name, text) in examples::EXAMPLES {
            let description = spec::parse(name, text)
                .map(|s| s.description)
                .unwrap_or_default();
            out.push_str(&format!("{name}\n    {description}\n"));
        }
        return Ok(out);
    }
    let data = cmd.data.load()?;
    let src = source(cmd.file.as_ref(), cmd.example.as_deref())?;
    let scenario = load(&src, &data)?;
    render(&data, &scenario, cmd.by, cmd.format.format)
}

/// Evaluates a compiled scenario and renders it.
pub fn render(
    data: &Dataset,
    scenario: &Scenario,
    by: By,
    format: Format,
) -> anyhow::Result<String> {
    let ledger = Ledger::new(data)?;
    let eval = fedsplit_scenario::evaluate(&ledger, scenario)?;
    Ok(match format {
        Format::Json => output::json_text(&to_json(data, scenario, &eval)),
        Format::Csv => match by {
            By::State => state_csv(data, scenario, &eval),
            By::Bloc => bloc_csv(&eval),
            By::Income => income_csv(&eval),
        },
        Format::Table => table(data, scenario, &eval, by),
    })
}

fn policies_text(s: &Scenario) -> Vec<String> {
    let mut lines = Vec::new();
    let channels = |set: [bool; 4]| -> String {
        let names: Vec<&str> = Channel::ALL
            .iter()
            .zip(set)
            .filter(|(_, on)| *on)
            .map(|(c, _)| c.name())
            .collect();
        if names.is_empty() {
            "nothing".into()
        } else {
            names.join("+")
        }
    };
    if let Some(b) = &s.bluexit {
        lines.push(format!(
            "bluexit (federal response: {})",
            b.federal_response.name()
        ));
        for (name, p) in s.assignment.names.iter().zip(&b.blocs) {
            lines.push(format!(
                "  {name}: income tax ×{}, withdraw {}, replace {}% by {} ({} pooling)",
                p.income_tax_scale,
                channels(p.withdraw),
                fixed(100.0 * p.replace_share, 0),
                p.instrument.name(),
                p.pooling.name()
            ));
        }
    }
    if let Some(d) = &s.devolution {
        lines.push("devolution (federal income tax cut by the same national amount)".into());
        for (name, p) in s.assignment.names.iter().zip(&d.blocs) {
            lines.push(format!(
                "  {name}: devolve {}, states pay by {}",
                channels(p.programs),
                p.instrument.name()
            ));
        }
    }
    if let Some(p) = &s.partition {
        lines.push(format!(
            "partition (public goods by {}, debt by {})",
            p.public_goods_key.name(),
            p.debt_key.name()
        ));
    }
    lines
}

fn ratio_text(r: Option<f64>) -> String {
    r.map(|r| fixed(r, 2)).unwrap_or_else(|| "—".into())
}

fn table(data: &Dataset, s: &Scenario, e: &Evaluation, by: By) -> String {
    let mut out = format!("Scenario {}\n", s.name);
    if !s.description.is_empty() {
        out.push_str(&format!("{}\n", s.description));
    }
    out.push_str(&format!("options: {}\n", output::options_line(&s.options)));
    for line in policies_text(s) {
        out.push_str(&format!("{line}\n"));
    }
    out.push('\n');

    let overlay = s.bluexit.is_some() || s.devolution.is_some();
    match by {
        // A partition alone changes nothing inside the union: no delta table.
        By::Bloc | By::State if !overlay => {}
        By::Bloc => {
            out.push_str("Changes against the baseline by bloc ($M per year; net = spending received − taxes paid, federal and state):\n");
            let mut t = delta_table("bloc");
            for b in &e.blocs {
                t.row(delta_cells(
                    b.name.clone(),
                    [
                        b.federal_taxes,
                        b.federal_spending,
                        b.state_taxes,
                        b.state_spending,
                        b.net,
                    ],
                    b.net_per_resident,
                    b.dollar_ratio,
                ));
            }
            out.push_str(&t.render());
        }
        By::State => {
            out.push_str("Changes against the baseline by state ($M per year):\n");
            let mut t = delta_table("state");
            let d = &e.deltas;
            for (i, st) in data.states.iter().enumerate() {
                let lost = -d.federal_spending[i];
                t.row(delta_cells(
                    format!(
                        "{} ({})",
                        st.name(),
                        s.assignment.names[s.assignment.bloc_of[i]]
                    ),
                    [
                        d.federal_taxes[i],
                        d.federal_spending[i],
                        d.state_taxes[i],
                        d.state_spending[i],
                        d.net(i),
                    ],
                    d.net(i) / data.population[i],
                    (lost > 0.0).then(|| -d.federal_taxes[i] / lost),
                ));
            }
            out.push_str(&t.render());
        }
        By::Income => out.push_str(&income_table(e)),
    }

    let b = &e.budget;
    if overlay {
        out.push_str(&format!(
            "\nFederal budget: receipts ${}M → ${}M, outlays ${}M → ${}M, deficit ${}M → ${}M",
            millions(b.receipts_before),
            millions(b.receipts_after),
            millions(b.outlays_before),
            millions(b.outlays_after),
            millions(b.deficit_before()),
            millions(b.deficit_after()),
        ));
        if b.spending_cut > 0.0 {
            out.push_str(&format!(
                " (after cutting other spending by ${}M)",
                millions(b.spending_cut)
            ));
        }
        out.push('\n');
    }

    if overlay {
        out.push('\n');
    }
    out.push_str(&format!("Blocs (votes {}):\n", s.votes_year));
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
    for st in &e.bloc_stats {
        t.row(vec![
            st.name.clone(),
            st.states.len().to_string(),
            output::group(output::round(st.population)),
            millions(st.gdp_usd),
            winner_text(st),
            output::group(st.stranded_voters as i64),
            fixed(
                100.0 * st.stranded_voters as f64 / st.total_votes.max(1) as f64,
                1,
            ),
            output::group(st.state_stranded_voters as i64),
            contiguity_text(st),
        ]);
    }
    out.push_str(&t.render());

    if let Some(countries) = &e.countries {
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
                c.name.clone(),
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

fn winner_text(st: &fedsplit_scenario::blocs::BlocStats) -> String {
    match st.winner {
        Some(fedsplit_data::Party::Democratic) => "D".into(),
        Some(fedsplit_data::Party::Republican) => "R".into(),
        None => "tie".into(),
    }
}

fn contiguity_text(st: &fedsplit_scenario::blocs::BlocStats) -> String {
    if st.components.len() <= 1 {
        return "contiguous".into();
    }
    let apart: Vec<String> = st.components[1..]
        .iter()
        .map(|c| c.iter().map(|s| s.postal()).collect::<Vec<_>>().join("+"))
        .collect();
    format!(
        "{} pieces; apart from the largest: {}",
        st.components.len(),
        apart.join(", ")
    )
}

fn delta_table(first: &str) -> TextTable {
    TextTable::new(&[
        (first, Align::Left),
        ("Δ fed taxes", Align::Right),
        ("Δ fed spending", Align::Right),
        ("Δ state taxes", Align::Right),
        ("Δ state spending", Align::Right),
        ("net Δ", Align::Right),
        ("net Δ/resident $", Align::Right),
        ("$ kept per $1 lost", Align::Right),
    ])
}

fn delta_cells(name: String, v: [f64; 5], per_resident: f64, ratio: Option<f64>) -> Vec<String> {
    let mut cells = vec![name];
    cells.extend(v.iter().map(|x| signed_millions(*x)));
    cells.push(signed_dollars(per_resident));
    cells.push(ratio_text(ratio));
    cells
}

fn income_table(e: &Evaluation) -> String {
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
    let affected = |st: fedsplit_core::State| {
        e.income.iter().any(|r| {
            r.state == st && (r.income_tax_saved_usd != 0.0 || r.replacement_tax_usd != 0.0)
        })
    };
    for class in 1..=10u8 {
        let rows: Vec<_> = e
            .income
            .iter()
            .filter(|r| r.agi_class == class && affected(r.state))
            .collect();
        let Some(first) = rows.first() else { continue };
        let returns: f64 = rows.iter().map(|r| r.returns).sum();
        let saved: f64 = rows.iter().map(|r| r.income_tax_saved_usd).sum();
        let replaced: f64 = rows.iter().map(|r| r.replacement_tax_usd).sum();
        t.row(vec![
            first.agi_class_label.to_string(),
            output::group(output::round(returns)),
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
    for s in e.income_summary.iter().filter(|s| affected(s.state)) {
        t.row(vec![
            s.state.name().to_string(),
            output::group(output::round(s.returns)),
            fixed(100.0 * s.share_better_off, 1),
        ]);
    }
    out.push_str(&t.render());
    out
}

fn state_csv(data: &Dataset, s: &Scenario, e: &Evaluation) -> String {
    let mut out = String::from("state,bloc,population,federal_taxes_delta_usd,federal_income_tax_delta_usd,federal_spending_delta_usd,state_taxes_delta_usd,state_spending_delta_usd,net_delta_usd,net_delta_per_resident_usd\n");
    let d = &e.deltas;
    for (i, st) in data.states.iter().enumerate() {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            st.postal(),
            csv_field(&s.assignment.names[s.assignment.bloc_of[i]]),
            output::round(data.population[i]),
            output::round(d.federal_taxes[i]),
            output::round(d.federal_income_tax[i]),
            output::round(d.federal_spending[i]),
            output::round(d.state_taxes[i]),
            output::round(d.state_spending[i]),
            output::round(d.net(i)),
            fixed(d.net(i) / data.population[i], 2),
        ));
    }
    out
}

fn bloc_csv(e: &Evaluation) -> String {
    let mut out = String::from("bloc,states,population,federal_taxes_delta_usd,federal_spending_delta_usd,state_taxes_delta_usd,state_spending_delta_usd,net_delta_usd,net_delta_per_resident_usd,dollars_kept_per_dollar_lost,stranded_voters,exclaves\n");
    for (b, st) in e.blocs.iter().zip(&e.bloc_stats) {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            csv_field(&b.name),
            st.states
                .iter()
                .map(|s| s.postal())
                .collect::<Vec<_>>()
                .join(" "),
            output::round(b.population),
            output::round(b.federal_taxes),
            output::round(b.federal_spending),
            output::round(b.state_taxes),
            output::round(b.state_spending),
            output::round(b.net),
            fixed(b.net_per_resident, 2),
            b.dollar_ratio.map(|r| fixed(r, 4)).unwrap_or_default(),
            st.stranded_voters,
            st.exclaves
                .iter()
                .map(|s| s.postal())
                .collect::<Vec<_>>()
                .join(" "),
        ));
    }
    out
}

fn income_csv(e: &Evaluation) -> String {
    let mut out = String::from("state,agi_class,agi_class_label,returns,income_tax_saved_usd,replacement_tax_usd,net_usd,net_per_return_usd,better_off\n");
    for r in &e.income {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            r.state.postal(),
            r.agi_class,
            csv_field(r.agi_class_label),
            output::round(r.returns),
            output::round(r.income_tax_saved_usd),
            output::round(r.replacement_tax_usd),
            output::round(r.net_usd),
            fixed(r.net_per_return_usd, 2),
            r.better_off,
        ));
    }
    out
}

/// The whole evaluation as JSON (also the web API's answer).
pub fn to_json(data: &Dataset, s: &Scenario, e: &Evaluation) -> Value {
    let mut meta = output::meta(data, "scenario", Some(&s.options));
    if let Value::Object(m) = &mut meta {
        m.insert("scenario".into(), json!(s.name));
        m.insert("votes_year".into(), json!(s.votes_year));
    }
    let d = &e.deltas;
    let states: Vec<Value> = data
        .states
        .iter()
        .enumerate()
        .map(|(i, st)| {
            json!({
                "state": st.postal(),
                "bloc": s.assignment.names[s.assignment.bloc_of[i]],
                "federal_taxes_delta_usd": d.federal_taxes[i],
                "federal_income_tax_delta_usd": d.federal_income_tax[i],
                "federal_spending_delta_usd": d.federal_spending[i],
                "state_taxes_delta_usd": d.state_taxes[i],
                "state_spending_delta_usd": d.state_spending[i],
                "net_delta_usd": d.net(i),
                "net_delta_per_resident_usd": d.net(i) / data.population[i],
                "instrument": d.instrument[i].name(),
            })
        })
        .collect();
    let blocs: Vec<Value> = e
        .blocs
        .iter()
        .zip(&e.bloc_stats)
        .map(|(b, st)| {
            json!({
                "bloc": b.name,
                "states": st.states.iter().map(|s| s.postal()).collect::<Vec<_>>(),
                "population": b.population,
                "gdp_usd": st.gdp_usd,
                "federal_taxes_delta_usd": b.federal_taxes,
                "federal_income_tax_delta_usd": b.federal_income_tax,
                "federal_spending_delta_usd": b.federal_spending,
                "state_taxes_delta_usd": b.state_taxes,
                "state_spending_delta_usd": b.state_spending,
                "net_delta_usd": b.net,
                "net_delta_per_resident_usd": b.net_per_resident,
                "dollars_kept_per_dollar_lost": b.dollar_ratio,
                "votes": { "dem": st.dem_votes, "rep": st.rep_votes, "other": st.other_votes, "total": st.total_votes },
                "winner": winner_text(st),
                "stranded_voters": st.stranded_voters,
                "state_stranded_voters": st.state_stranded_voters,
                "contiguous": st.contiguous,
                "exclaves": st.exclaves.iter().map(|s| s.postal()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut root = Map::new();
    root.insert("meta".into(), meta);
    root.insert("policies".into(), json!(policies_text(s)));
    root.insert("blocs".into(), Value::Array(blocs));
    root.insert("states".into(), Value::Array(states));
    let b = &e.budget;
    root.insert(
        "federal_budget".into(),
        json!({
            "receipts_before_usd": b.receipts_before,
            "receipts_after_usd": b.receipts_after,
            "outlays_before_usd": b.outlays_before,
            "outlays_after_usd": b.outlays_after,
            "deficit_before_usd": b.deficit_before(),
            "deficit_after_usd": b.deficit_after(),
            "spending_cut_usd": b.spending_cut,
        }),
    );
    if let Some(countries) = &e.countries {
        root.insert(
            "partition".into(),
            Value::Array(
                countries
                    .iter()
                    .map(|c| {
                        json!({
                            "country": c.name,
                            "population": c.population,
                            "gdp_usd": c.gdp_usd,
                            "revenue_usd": c.revenue_usd,
                            "located_spending_usd": c.located_spending_usd,
                            "public_goods_usd": c.public_goods_usd,
                            "other_unlocated_usd": c.other_unlocated_usd,
                            "primary_spending_usd": c.primary_spending_usd,
                            "primary_balance_usd": c.primary_balance_usd,
                            "debt_share": c.debt_share,
                            "debt_usd": c.debt_usd,
                            "interest_usd": c.interest_usd,
                            "overall_balance_usd": c.overall_balance_usd,
                            "debt_to_gdp": c.debt_to_gdp,
                            "tax_change_to_balance": c.tax_change_to_balance,
                            "tax_change_to_keep_deficit_share": c.tax_change_to_keep_deficit_share,
                        })
                    })
                    .collect(),
            ),
        );
    }
    root.insert(
        "income_summary".into(),
        Value::Array(
            e.income_summary
                .iter()
                .map(|r| json!({"state": r.state.postal(), "returns": r.returns, "returns_better_off": r.returns_better_off, "share_better_off": r.share_better_off}))
                .collect(),
        ),
    );
    Value::Object(root)
}
