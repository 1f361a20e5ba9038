//! `fedsplit explain XX`: one state's full breakdown, line by line.

use clap::Args;
use fedsplit_core::State;
use fedsplit_data::Dataset;
use fedsplit_ledger::{Ledger, LedgerTable, Options, ReceiptLine, SpendingLine};
use serde_json::{json, Value};

use crate::args::{parse_state, DataArgs, Format, FormatArgs, LedgerArgs};
use crate::output::{self, fixed, millions, Align, TextTable};

#[derive(Args, Debug)]
pub struct ExplainCmd {
    /// The state, by postal code (e.g. NY)
    #[arg(value_parser = parse_state)]
    pub state: State,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

/// One line of the breakdown.
struct Line {
    side: &'static str,
    name: &'static str,
    label: &'static str,
    key: String,
    share: Option<f64>,
    amount: f64,
    national: f64,
    grade: &'static str,
    control: Option<&'static str>,
}

fn lines(ledger: &Ledger, table: &LedgerTable, i: usize) -> Vec<Line> {
    let options = &table.options;
    let mut out = Vec::new();
    for l in ReceiptLine::ALL {
        let key = l.key(options);
        out.push(Line {
            side: "receipts",
            name: l.name(),
            label: l.label(),
            key: key.map_or_else(
                || adjustment_key(options.deficit.name()),
                |k| k.describe().to_string(),
            ),
            share: key.map(|k| ledger.keys().get(k)[i]),
            amount: table.receipt(l)[i],
            national: table.receipt(l).iter().sum(),
            grade: l.grade().letter(),
            control: l.control_id(),
        });
    }
    for l in SpendingLine::ALL {
        let key = l.key(options);
        out.push(Line {
            side: "spending",
            name: l.name(),
            label: l.label(),
            key: match (key, l) {
                (Some(k), l) if l.is_direct(options) => {
                    format!("per-state amount: {}", k.describe())
                }
                (Some(k), _) => k.describe().to_string(),
                (None, SpendingLine::DeficitScaling) => adjustment_key(options.deficit.name()),
                (None, _) => "excluded under these options".to_string(),
            },
            share: key.map(|k| ledger.keys().get(k)[i]),
            amount: table.spend(l)[i],
            national: table.spend(l).iter().sum(),
            grade: l.grade().letter(),
            control: l.control_id(),
        });
    }
    out
}

fn adjustment_key(deficit: &str) -> String {
    format!("deficit treatment {deficit}")
}

pub fn run(cmd: &ExplainCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    render(&data, cmd.state, &cmd.ledger.options(), cmd.format.format)
}

/// One state's breakdown under `options`.
pub fn render(
    data: &Dataset,
    state: State,
    options: &Options,
    format: Format,
) -> anyhow::Result<String> {
    let Some(i) = data.position(state) else {
        anyhow::bail!(
            "state {} is not in the dataset ({})",
            state.postal(),
            data.origin
        );
    };
    let ledger = Ledger::new(data)?;
    let table = ledger.compute(options);
    let lines = lines(&ledger, &table, i);
    let (rows, _) = super::ledger::rows(data, &table);
    let row = &rows[i];
    Ok(match format {
        Format::Json => {
            let items: Vec<Value> = lines
                .iter()
                .map(|l| {
                    json!({
                        "side": l.side,
                        "line": l.name,
                        "label": l.label,
                        "key": l.key,
                        "share": l.share,
                        "amount_usd": l.amount,
                        "national_usd": l.national,
                        "control": l.control,
                        "grade": l.grade,
                    })
                })
                .collect();
            output::json_text(&json!({
                "meta": output::meta(data, "explain", Some(&table.options)),
                "state": state.postal(),
                "name": state.name(),
                "population": row.population,
                "gdp_usd": data.gdp_usd[i],
                "lines": items,
                "receipts_usd": row.receipts,
                "spending_usd": row.spending,
                "net_usd": row.net,
                "net_per_capita_usd": row.net_per_capita,
                "net_pct_gdp": row.net_pct_gdp,
                "rank": row.rank,
            }))
        }
        Format::Table | Format::Csv if format == Format::Csv => {
            let mut out =
                String::from("side,line,key,share,amount_usd,national_usd,grade,control\n");
            for l in &lines {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{}\n",
                    l.side,
                    l.name,
                    output::csv_field(&l.key),
                    l.share.map(|s| format!("{s:.9}")).unwrap_or_default(),
                    output::round(l.amount),
                    output::round(l.national),
                    l.grade,
                    l.control.unwrap_or(""),
                ));
            }
            out
        }
        _ => {
            let mut t = TextTable::new(&[
                ("line", Align::Left),
                ("amount $M", Align::Right),
                ("share %", Align::Right),
                ("US $M", Align::Right),
                ("grade", Align::Left),
                ("key (source)", Align::Left),
            ]);
            let mut side = "";
            for l in &lines {
                if l.side != side {
                    if !side.is_empty() {
                        t.rule();
                    }
                    side = l.side;
                }
                t.row(vec![
                    l.label.to_string(),
                    millions(l.amount),
                    l.share.map(|s| fixed(100.0 * s, 3)).unwrap_or_default(),
                    millions(l.national),
                    l.grade.to_string(),
                    l.key.clone(),
                ]);
            }
            format!(
                "{} ({}), FY2022 — population {}, GDP ${}M\noptions: {}\n\n{}\n\
                 receipts            ${}M\nspending            ${}M\n\
                 net (spending − receipts)  {} $M = {} per resident = {}% of GDP\n\
                 spending per $1 of receipts: {}\nrank by net per capita: {} of {} (1 = largest net receiver)\n\n\
                 Grades: A administrative per-state amount, B close indicator, C proxy.\n\
                 Controls and sources: `fedsplit sources`.\n",
                state.name(),
                state.postal(),
                output::group(output::round(row.population)),
                millions(data.gdp_usd[i]),
                output::options_line(&table.options),
                t.render(),
                millions(row.receipts),
                millions(row.spending),
                output::signed_millions(row.net),
                output::signed_dollars(row.net_per_capita),
                fixed(row.net_pct_gdp, 1),
                fixed(row.ratio, 2),
                row.rank,
                data.len(),
            )
        }
    })
}
