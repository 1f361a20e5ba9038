//! `fedsplit ledger`: every state's balance of payments under one choice of options.

use clap::{Args, ValueEnum};
use fedsplit_core::State;
use fedsplit_data::Dataset;
use fedsplit_ledger::{Ledger, LedgerTable, Options, ReceiptLine, SpendingLine};
use serde_json::{json, Map, Value};

use crate::args::{parse_state_list, DataArgs, Format, FormatArgs, LedgerArgs, StateList};
use crate::output::{self, csv_field, fixed, millions, round, Align, TextTable};

#[derive(Args, Debug)]
pub struct LedgerCmd {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    /// Sort rows by this column (descending for figures, ascending for state and rank)
    #[arg(long, value_enum, default_value_t = SortColumn::Rank)]
    pub sort: SortColumn,
    /// Only these states, e.g. NY,CA,TX (the national row still covers all)
    #[arg(long, value_name = "XX,..", value_parser = parse_state_list)]
    pub state: Option<StateList>,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Rank,
    State,
    Population,
    Receipts,
    Spending,
    Net,
    PerCapita,
    PctGdp,
    Ratio,
}

/// One state's headline figures.
#[derive(Debug, Clone)]
pub struct Row {
    pub state: State,
    pub population: f64,
    pub receipts: f64,
    pub spending: f64,
    pub net: f64,
    pub net_per_capita: f64,
    /// Net as a percentage of state GDP.
    pub net_pct_gdp: f64,
    /// Spending per dollar of receipts.
    pub ratio: f64,
    pub rank: usize,
    pub index: usize,
}

/// Headline rows for every state, in dataset order, plus the national row.
pub fn rows(data: &Dataset, table: &LedgerTable) -> (Vec<Row>, Row) {
    let ranks = table.ranks();
    let rows = data
        .states
        .iter()
        .enumerate()
        .map(|(i, &state)| Row {
            state,
            population: data.population[i],
            receipts: table.receipts_total[i],
            spending: table.spending_total[i],
            net: table.net[i],
            net_per_capita: table.net_per_capita[i],
            net_pct_gdp: 100.0 * table.net[i] / data.gdp_usd[i],
            ratio: table.spending_total[i] / table.receipts_total[i],
            rank: ranks[i],
            index: i,
        })
        .collect();
    let (r, s, net) = table.national();
    let population = data.total_population();
    let gdp: f64 = data.gdp_usd.iter().sum();
    let national = Row {
        state: data.states[0],
        population,
        receipts: r,
        spending: s,
        net,
        net_per_capita: net / population,
        net_pct_gdp: 100.0 * net / gdp,
        ratio: s / r,
        rank: 0,
        index: usize::MAX,
    };
    (rows, national)
}

fn sort(rows: &mut [Row], by: SortColumn) {
    let desc = |f: fn(&Row) -> f64| move |a: &Row, b: &Row| f(b).total_cmp(&f(a));
    match by {
        SortColumn::Rank => rows.sort_by_key(|r| r.rank),
        SortColumn::State => rows.sort_by_key(|r| r.state.postal()),
        SortColumn::Population => rows.sort_by(desc(|r| r.population)),
        SortColumn::Receipts => rows.sort_by(desc(|r| r.receipts)),
        SortColumn::Spending => rows.sort_by(desc(|r| r.spending)),
        SortColumn::Net => rows.sort_by(desc(|r| r.net)),
        SortColumn::PerCapita => rows.sort_by(desc(|r| r.net_per_capita)),
        SortColumn::PctGdp => rows.sort_by(desc(|r| r.net_pct_gdp)),
        SortColumn::Ratio => rows.sort_by(desc(|r| r.ratio)),
    }
}

pub fn run(cmd: &LedgerCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let only = cmd.state.as_ref().map(|StateList(s)| s.as_slice());
    render(
        &data,
        &cmd.ledger.options(),
        cmd.sort,
        only,
        cmd.format.format,
    )
}

/// The ledger under `options`, rows sorted by `sort`, optionally only some states.
pub fn render(
    data: &Dataset,
    options: &Options,
    sort_by: SortColumn,
    only: Option<&[State]>,
    format: Format,
) -> anyhow::Result<String> {
    let ledger = Ledger::new(data)?;
    let table = ledger.compute(options);
    let (mut rows, national) = rows(data, &table);
    if let Some(only) = only {
        if let Some(missing) = only.iter().find(|s| data.position(**s).is_none()) {
            anyhow::bail!(
                "--state: {} is not in the dataset ({})",
                missing.postal(),
                data.origin
            );
        }
        rows.retain(|r| only.contains(&r.state));
    }
    sort(&mut rows, sort_by);
    Ok(match format {
        Format::Table => render_table(data, options, &rows, &national),
        Format::Csv => render_csv(&table, &rows, &national),
        Format::Json => output::json_text(&render_json(data, &table, &rows, &national)),
    })
}

fn render_table(data: &Dataset, options: &Options, rows: &[Row], national: &Row) -> String {
    let mut t = TextTable::new(&[
        ("rank", Align::Right),
        ("state", Align::Left),
        ("receipts $M", Align::Right),
        ("spending $M", Align::Right),
        ("net $M", Align::Right),
        ("net/capita $", Align::Right),
        ("net % GDP", Align::Right),
        ("$ per $1 paid", Align::Right),
    ]);
    let cells = |r: &Row, rank: String, name: String| {
        vec![
            rank,
            name,
            millions(r.receipts),
            millions(r.spending),
            output::signed_millions(r.net),
            output::signed_dollars(r.net_per_capita),
            fixed(r.net_pct_gdp, 1),
            fixed(r.ratio, 2),
        ]
    };
    for r in rows {
        t.row(cells(r, r.rank.to_string(), r.state.name().to_string()));
    }
    t.rule();
    t.row(cells(
        national,
        String::new(),
        "United States (all states)".into(),
    ));
    format!(
        "Federal balance of payments by state, FY2022 ({} states; net = spending − receipts)\noptions: {}\n\n{}",
        data.len(),
        output::options_line(options),
        t.render()
    )
}

/// CSV header: identifiers, every receipt line, every spending line, then totals.
fn csv_header() -> String {
    let mut cols: Vec<String> = vec!["state".into(), "name".into(), "population".into()];
    cols.extend(ReceiptLine::ALL.iter().map(|l| format!("{}_usd", l.name())));
    cols.push("receipts_usd".into());
    cols.extend(
        SpendingLine::ALL
            .iter()
            .map(|l| format!("{}_usd", l.name())),
    );
    cols.extend(
        [
            "spending_usd",
            "net_usd",
            "net_per_capita_usd",
            "net_pct_gdp",
            "spending_per_receipt_dollar",
            "rank",
        ]
        .map(String::from),
    );
    cols.join(",")
}

fn render_csv(table: &LedgerTable, rows: &[Row], national: &Row) -> String {
    let mut out = csv_header();
    out.push('\n');
    let line = |r: &Row, code: &str, name: &str, lines: Vec<f64>, rank: String| {
        let mut f: Vec<String> = vec![
            code.to_string(),
            csv_field(name),
            round(r.population).to_string(),
        ];
        let (receipts, spending) = lines.split_at(ReceiptLine::ALL.len());
        f.extend(receipts.iter().map(|v| round(*v).to_string()));
        f.push(round(r.receipts).to_string());
        f.extend(spending.iter().map(|v| round(*v).to_string()));
        f.push(round(r.spending).to_string());
        f.push(round(r.net).to_string());
        f.push(fixed(r.net_per_capita, 2));
        f.push(fixed(r.net_pct_gdp, 3));
        f.push(fixed(r.ratio, 4));
        f.push(rank);
        f.join(",")
    };
    let state_lines = |i: usize| -> Vec<f64> {
        table
            .receipts
            .iter()
            .chain(table.spending.iter())
            .map(|col| col[i])
            .collect()
    };
    for r in rows {
        out.push_str(&line(
            r,
            r.state.postal(),
            r.state.name(),
            state_lines(r.index),
            r.rank.to_string(),
        ));
        out.push('\n');
    }
    let national_lines: Vec<f64> = table
        .receipts
        .iter()
        .chain(table.spending.iter())
        .map(|col| col.iter().sum())
        .collect();
    out.push_str(&line(
        national,
        "US",
        "United States (all states)",
        national_lines,
        String::new(),
    ));
    out.push('\n');
    out
}

fn row_json(r: &Row, lines: Option<(&LedgerTable, usize)>) -> Value {
    let mut m = Map::new();
    if r.rank > 0 {
        m.insert("state".into(), json!(r.state.postal()));
        m.insert("name".into(), json!(r.state.name()));
    }
    m.insert("population".into(), json!(r.population));
    if let Some((table, i)) = lines {
        let mut receipts = Map::new();
        for l in ReceiptLine::ALL {
            receipts.insert(l.name().into(), json!(table.receipt(l)[i]));
        }
        let mut spending = Map::new();
        for l in SpendingLine::ALL {
            spending.insert(l.name().into(), json!(table.spend(l)[i]));
        }
        m.insert("receipts_by_category_usd".into(), Value::Object(receipts));
        m.insert("spending_by_channel_usd".into(), Value::Object(spending));
    }
    m.insert("receipts_usd".into(), json!(r.receipts));
    m.insert("spending_usd".into(), json!(r.spending));
    m.insert("net_usd".into(), json!(r.net));
    m.insert("net_per_capita_usd".into(), json!(r.net_per_capita));
    m.insert("net_pct_gdp".into(), json!(r.net_pct_gdp));
    m.insert("spending_per_receipt_dollar".into(), json!(r.ratio));
    if r.rank > 0 {
        m.insert("rank".into(), json!(r.rank));
    }
    Value::Object(m)
}

fn render_json(data: &Dataset, table: &LedgerTable, rows: &[Row], national: &Row) -> Value {
    json!({
        "meta": output::meta(data, "ledger", Some(&table.options)),
        "states": rows.iter().map(|r| row_json(r, Some((table, r.index)))).collect::<Vec<_>>(),
        "national": row_json(national, None),
    })
}
