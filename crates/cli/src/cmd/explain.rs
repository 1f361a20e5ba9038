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
        ("part", Align::Left),
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
            l.budget.to_string(),
            l.key.clone(),
        ]);
    }
    format!(
        "{} ({}), FY{} — population {}, GDP ${}M\noptions: {}\n\n{}\n\
         receipts            ${}M\nspending            ${}M\n\
         net (spending − receipts)  {} $M = {} per resident = {}% of GDP\n\
         spending per $1 of receipts: {}\nrank by net per capita: {} of {} (1 = largest net receiver)\n\n\
         {}\n\
         Grades: A administrative per-state amount, B close indicator, C proxy; a key carried from\n\
         another year is one letter lower. Controls and sources: `fedsplit sources`.\n",
        e.name,
        e.state,
        e.meta.fiscal_year,
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
        parts_text(e),
    )
}

/// The net in parts: mandatory vs discretionary, and the earned-benefit view.
fn parts_text(e: &Explain) -> String {
    let p = &e.parts;
    let mut t = TextTable::new(&[
        ("net in parts", Align::Left),
        ("$M", Align::Right),
        ("per resident $", Align::Right),
        ("what", Align::Left),
    ]);
    let grants = format!(
        "Social Security, Medicare, Medicaid, SNAP, other payments, {}% of non-Medicaid grants",
        fixed(100.0 * p.grants_mandatory_share, 0)
    );
    for (name, value, what) in [
        ("mandatory programs", p.mandatory_net_usd, grants.as_str()),
        (
            "discretionary",
            p.discretionary_net_usd,
            "wages, procurement, public goods, the other grants",
        ),
        (
            "interest and residual",
            p.neither_net_usd,
            "where attributed",
        ),
        (
            "Social Security + Medicare − payroll taxes",
            p.insurance_net_usd,
            "earned-benefit view: the insurance programs against their taxes",
        ),
        (
            "the rest",
            p.rest_net_usd,
            "earned-benefit view: everything else",
        ),
    ] {
        t.row(vec![
            name.to_string(),
            output::signed_millions(value),
            output::signed_dollars(value / e.population),
            what.to_string(),
        ]);
    }
    format!(
        "{}  The first three add up to the net: the state's taxes are counted as funding the nation's mix of\n  spending. The last two are another split of the same net.\n",
        t.render()
    )
}
