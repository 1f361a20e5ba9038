//! `fedsplit explain XX`: one state's full breakdown, line by line.

use clap::Args;
use fedsplit_core::State;
use fedsplit_ledger::Ledger;
use fedsplit_report::explain::{self, Explain};

use crate::args::{parse_state, DataArgs, Format, FormatArgs, LedgerArgs};
use crate::output::{self, fixed, millions, round, Align, Csv, TextTable};

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

pub fn run(cmd: &ExplainCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let ledger = Ledger::new(&data)?;
    let e = explain::build(&ledger, cmd.state, &cmd.ledger.options())?;
    Ok(match cmd.format.format {
        Format::Json => output::json_text(&e),
        Format::Csv => csv(&e),
        Format::Table => table(&e, data.len()),
    })
}

fn csv(e: &Explain) -> String {
    let mut out = Csv::new([
        "side",
        "line",
        "key",
        "share",
        "amount_usd",
        "national_usd",
        "grade",
        "control",
    ]);
    for l in &e.lines {
        out.row([
            l.side.to_string(),
            l.line.to_string(),
            l.key.clone(),
            l.share.map(|s| format!("{s:.9}")).unwrap_or_default(),
            round(l.amount_usd).to_string(),
            round(l.national_usd).to_string(),
            l.grade.to_string(),
            l.control.unwrap_or("").to_string(),
        ]);
    }
    out.finish()
}

fn table(e: &Explain, states: usize) -> String {
    let mut t = TextTable::new(&[
        ("line", Align::Left),
        ("amount $M", Align::Right),
        ("share %", Align::Right),
        ("US $M", Align::Right),
        ("grade", Align::Left),
        ("key (source)", Align::Left),
    ]);
    let mut side = "";
    for l in &e.lines {
        if l.side != side {
            if !side.is_empty() {
                t.rule();
            }
            side = l.side;
        }
        t.row(vec![
            l.label.to_string(),
            millions(l.amount_usd),
            l.share.map(|s| fixed(100.0 * s, 3)).unwrap_or_default(),
            millions(l.national_usd),
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
        e.name,
        e.state,
        output::group(round(e.population)),
        millions(e.gdp_usd),
        output::options_line(&e.meta.options.expect("explain has options").0),
        t.render(),
        millions(e.receipts_usd),
        millions(e.spending_usd),
        output::signed_millions(e.net_usd),
        output::signed_dollars(e.net_per_capita_usd),
        fixed(e.net_pct_gdp, 1),
        fixed(e.ratio, 2),
        e.rank,
        states,
    )
}
