//! `fedsplit series`: net, receipts, spending and net per capita in every
//! fiscal year under one choice of options, by state or by bloc.

use clap::{Args, ValueEnum};
use fedsplit_core::State;
use fedsplit_report::series::{self, Series, YearFigures};

use crate::args::{parse_state, DataArgs, Format, FormatArgs, LedgerArgs};
use crate::output::{self, fixed, millions, round, Align, Csv, TextTable};

#[derive(Args, Debug)]
pub struct SeriesCmd {
    /// Only this state (the national row and the sign changes still cover all)
    #[arg(long, value_name = "XX", value_parser = parse_state)]
    pub state: Option<State>,
    /// One row per state, or per bloc of the election's winners
    #[arg(long, value_enum, default_value_t = By::State)]
    pub by: By,
    /// With --by bloc: the presidential election whose winners form the blocs
    #[arg(long, value_name = "YEAR", default_value_t = 2024, value_parser = crate::args::parse_election_year)]
    pub election: u16,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// One row per state
    State,
    /// One row per bloc
    Bloc,
}

pub fn run(cmd: &SeriesCmd) -> anyhow::Result<String> {
    if cmd.data.year.is_some() {
        anyhow::bail!("--year: a series covers every fiscal year; use `ledger --year` for one");
    }
    if cmd.state.is_some() && cmd.by == By::Bloc {
        anyhow::bail!("--state and --by bloc: choose one");
    }
    let datasets = cmd.data.load_all()?;
    let by = match cmd.by {
        By::State => series::By::State,
        By::Bloc => series::By::Bloc {
            election: cmd.election,
        },
    };
    let s = series::build(&datasets, &cmd.ledger.options(), by, cmd.state)?;
    Ok(match cmd.format.format {
        Format::Json => output::json_text(&s),
        Format::Csv => csv(&s),
        Format::Table if cmd.state.is_some() => one_state_table(&s),
        Format::Table => table(&s),
    })
}

fn years_heading(s: &Series) -> String {
    s.years
        .iter()
        .map(|y| format!("FY{y}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn heading(s: &Series) -> String {
    format!(
        "Federal balance of payments, {} (net = spending − receipts)\noptions: {}\n\n",
        years_heading(s),
        output::options_line(&s.meta.options.expect("a series has options").0),
    )
}

/// Rows of entities, a column of net per capita per year.
fn table(s: &Series) -> String {
    let year_cols: Vec<String> = s.years.iter().map(|y| format!("FY{y} $/capita")).collect();
    let mut cols: Vec<(&str, Align)> = vec![("", Align::Left)];
    cols.extend(year_cols.iter().map(|c| (c.as_str(), Align::Right)));
    let first = if s.blocs.is_some() { "bloc" } else { "state" };
    cols[0].0 = first;
    let mut t = TextTable::new(&cols);
    let row = |name: String, years: &[YearFigures]| {
        let mut cells = vec![name];
        cells.extend(
            years
                .iter()
                .map(|y| output::signed_dollars(y.net_per_capita_usd)),
        );
        cells
    };
    for st in s.states.iter().flatten() {
        t.row(row(st.name.to_string(), &st.years));
    }
    for b in s.blocs.iter().flatten() {
        t.row(row(
            format!("{} ({} states)", b.bloc, b.states.len()),
            &b.years,
        ));
    }
    t.rule();
    t.row(row("United States (all states)".into(), &s.national));
    let mut out = heading(s);
    out.push_str("Net per resident by year:\n");
    out.push_str(&t.render());
    out.push_str(&moved(s));
    out
}

/// Which states changed sign between years, and which paid in every year.
pub fn moved(s: &Series) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "\npayers in every year ({}): {}\n",
        s.payers_every_year.len(),
        if s.payers_every_year.is_empty() {
            "none".to_string()
        } else {
            s.payers_every_year.join(" ")
        }
    ));
    if s.sign_changes.is_empty() {
        out.push_str("no state changed sign between years\n");
    } else {
        out.push_str(&format!(
            "changed sign between years ({}):\n",
            s.sign_changes.len()
        ));
        for c in &s.sign_changes {
            let path: Vec<String> = s
                .years
                .iter()
                .zip(&c.signs)
                .map(|(y, sign)| format!("FY{y} {sign}"))
                .collect();
            out.push_str(&format!("  {}: {}\n", c.name, path.join(" → ")));
        }
    }
    out
}

/// One state: a row per year.
fn one_state_table(s: &Series) -> String {
    let st = &s.states.as_ref().expect("by state")[0];
    let mut t = TextTable::new(&[
        ("year", Align::Left),
        ("receipts $M", Align::Right),
        ("spending $M", Align::Right),
        ("net $M", Align::Right),
        ("net/capita $", Align::Right),
        ("rank", Align::Right),
        ("US net/capita $", Align::Right),
    ]);
    for (y, us) in st.years.iter().zip(&s.national) {
        t.row(vec![
            format!("FY{}", y.year),
            millions(y.receipts_usd),
            millions(y.spending_usd),
            output::signed_millions(y.net_usd),
            output::signed_dollars(y.net_per_capita_usd),
            y.rank.map(|r| r.to_string()).unwrap_or_default(),
            output::signed_dollars(us.net_per_capita_usd),
        ]);
    }
    format!("{}{} ({}):\n{}", heading(s), st.name, st.state, t.render())
}

/// Long form: a row per entity and year, then the nation's.
fn csv(s: &Series) -> String {
    let first = if s.blocs.is_some() { "bloc" } else { "state" };
    let mut out = Csv::new([
        "year",
        first,
        "population",
        "receipts_usd",
        "spending_usd",
        "net_usd",
        "net_per_capita_usd",
        "rank",
    ]);
    let mut row = |name: &str, y: &YearFigures| {
        out.row([
            y.year.to_string(),
            name.to_string(),
            round(y.population).to_string(),
            round(y.receipts_usd).to_string(),
            round(y.spending_usd).to_string(),
            round(y.net_usd).to_string(),
            fixed(y.net_per_capita_usd, 2),
            y.rank.map(|r| r.to_string()).unwrap_or_default(),
        ]);
    };
    for st in s.states.iter().flatten() {
        for y in &st.years {
            row(st.state, y);
        }
    }
    for b in s.blocs.iter().flatten() {
        for y in &b.years {
            row(&b.bloc, y);
        }
    }
    for y in &s.national {
        row("US", y);
    }
    out.finish()
}
