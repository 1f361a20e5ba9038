//! `fedsplit blocs`: blocs of states by presidential winner (optionally with
//! a swing bloc), with population, GDP, votes, stranded voters and contiguity.

use clap::{Args, ValueEnum};
use fedsplit_report::blocs::{self, pct, BlocRow, BlocsReport};

use crate::args::{DataArgs, Format, FormatArgs};
use crate::output::{self, fixed, group, millions, round, Align, Csv, TextTable};

#[derive(Args, Debug)]
pub struct BlocsCmd {
    #[command(flatten)]
    pub data: DataArgs,
    /// Presidential election whose state winners form the blocs (required; a year in the dataset: 2016, 2020 or 2024)
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub election: Option<u16>,
    /// Put states won by less than PCT percentage points (of all votes cast) in a third bloc, "Swing"
    #[arg(long, value_name = "PCT", value_parser = parse_margin, allow_negative_numbers = true)]
    pub margin: Option<f64>,
    /// One row per bloc, or one row per state with its bloc
    #[arg(long, value_enum, default_value_t = By::Bloc)]
    pub by: By,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// One row per bloc
    Bloc,
    /// One row per state
    State,
}

/// Parses `--election`: a year (checked against the dataset later).
fn parse_year(text: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .map_err(|_| "not a year (expected e.g. 2024)".into())
}

/// Parses `--margin`: a percentage strictly between 0 and 100.
fn parse_margin(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(m) if m > 0.0 && m < 100.0 => Ok(m),
        Ok(_) => Err("must be a percentage strictly between 0 and 100".into()),
        Err(_) => Err("not a number (expected a percentage strictly between 0 and 100)".into()),
    }
}

pub fn run(cmd: &BlocsCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let by = match cmd.by {
        By::Bloc => blocs::By::Bloc,
        By::State => blocs::By::State,
    };
    let r = blocs::build(&data, cmd.election, cmd.margin, by)?;
    Ok(match (cmd.format.format, &r.blocs, &r.states) {
        (Format::Json, _, _) => output::json_text(&r),
        (Format::Table, Some(b), _) => bloc_table(&r, b, data.len()),
        (Format::Csv, Some(b), _) => bloc_csv(b),
        (Format::Table, None, _) => state_table(&r),
        (Format::Csv, None, _) => state_csv(&r),
    })
}

fn heading(r: &BlocsReport) -> String {
    let e = &r.election;
    let swing = match e.swing_margin_pct {
        Some(m) => format!("; Swing: states won by less than {m} points"),
        None => String::new(),
    };
    format!(
        "{} presidential election: blocs of states by winner ({} (D) vs {} (R){swing})\ndataset: {}, FY{}\n",
        e.year, e.dem_candidate, e.rep_candidate, r.meta.dataset, r.meta.fiscal_year
    )
}

fn contiguity(s: &BlocRow) -> String {
    if s.states.is_empty() {
        return "no states".into();
    }
    if s.contiguous {
        return "contiguous".into();
    }
    let pieces: Vec<String> = s.components.iter().map(|c| c.join(" ")).collect();
    format!(
        "{} land-connected pieces, most populous first: {}\n  exclaves (outside the most populous piece): {}",
        s.components.len(),
        pieces.join(" | "),
        s.exclave_names.join(", ")
    )
}

/// Summable figures of a bloc (or of all blocs).
#[derive(Default)]
struct Totals {
    population: f64,
    gdp_usd: f64,
    dem: u64,
    rep: u64,
    other: u64,
    total: u64,
    stranded: u64,
    state_stranded: u64,
}

impl Totals {
    fn of(s: &BlocRow) -> Totals {
        Totals {
            population: s.population,
            gdp_usd: s.gdp_usd,
            dem: s.dem_votes,
            rep: s.rep_votes,
            other: s.other_votes,
            total: s.total_votes,
            stranded: s.stranded_voters,
            state_stranded: s.state_stranded_voters,
        }
    }

    fn add(&mut self, o: &Totals) {
        self.population += o.population;
        self.gdp_usd += o.gdp_usd;
        self.dem += o.dem;
        self.rep += o.rep;
        self.other += o.other;
        self.total += o.total;
        self.stranded += o.stranded;
        self.state_stranded += o.state_stranded;
    }
}

fn bloc_table(r: &BlocsReport, blocs: &[BlocRow], states: usize) -> String {
    let mut t = TextTable::new(&[
        ("bloc", Align::Left),
        ("states", Align::Right),
        ("population", Align::Right),
        ("GDP $M", Align::Right),
        ("Dem votes", Align::Right),
        ("Rep votes", Align::Right),
        ("other votes", Align::Right),
        ("bloc winner", Align::Left),
        ("stranded", Align::Right),
        ("%", Align::Right),
        ("vs own state", Align::Right),
        ("%", Align::Right),
    ]);
    let cells = |name: String, n: usize, s: &Totals, winner: &str| {
        vec![
            name,
            n.to_string(),
            group(round(s.population)),
            millions(s.gdp_usd),
            group(s.dem as i64),
            group(s.rep as i64),
            group(s.other as i64),
            winner.to_string(),
            group(s.stranded as i64),
            fixed(pct(s.stranded, s.total), 1),
            group(s.state_stranded as i64),
            fixed(pct(s.state_stranded, s.total), 1),
        ]
    };
    let mut all = Totals::default();
    for s in blocs {
        let tot = Totals::of(s);
        all.add(&tot);
        t.row(cells(
            s.bloc.clone(),
            s.states.len(),
            &tot,
            s.winner.unwrap_or("tie"),
        ));
    }
    t.rule();
    t.row(cells("all blocs".into(), states, &all, ""));

    let mut out = heading(r);
    out.push('\n');
    out.push_str(&t.render());
    out.push_str(
        "\nstranded: voters who did not vote for their bloc's popular-vote winner (third parties included);\n\
         vs own state: voters who did not vote for their own state's winner; % of the bloc's votes.\n",
    );
    for s in blocs {
        out.push_str(&format!(
            "\n{} ({} state{}): {}\n  {}\n",
            s.bloc,
            s.states.len(),
            if s.states.len() == 1 { "" } else { "s" },
            s.states.join(" "),
            contiguity(s)
        ));
    }
    out
}

fn bloc_csv(blocs: &[BlocRow]) -> String {
    let mut out = Csv::new([
        "bloc",
        "state_count",
        "states",
        "population",
        "gdp_usd",
        "dem_votes",
        "rep_votes",
        "other_votes",
        "total_votes",
        "winner",
        "stranded_voters",
        "stranded_pct",
        "state_stranded_voters",
        "state_stranded_pct",
        "contiguous",
        "components",
        "exclaves",
    ]);
    for s in blocs {
        out.row([
            s.bloc.clone(),
            s.states.len().to_string(),
            s.states.join(" "),
            round(s.population).to_string(),
            round(s.gdp_usd).to_string(),
            s.dem_votes.to_string(),
            s.rep_votes.to_string(),
            s.other_votes.to_string(),
            s.total_votes.to_string(),
            s.winner.unwrap_or("tie").to_string(),
            s.stranded_voters.to_string(),
            fixed(s.stranded_pct, 3),
            s.state_stranded_voters.to_string(),
            fixed(s.state_stranded_pct, 3),
            s.contiguous.to_string(),
            s.components.len().to_string(),
            s.exclaves.join(" "),
        ]);
    }
    out.finish()
}

fn state_table(r: &BlocsReport) -> String {
    let mut t = TextTable::new(&[
        ("state", Align::Left),
        ("bloc", Align::Left),
        ("winner", Align::Left),
        ("margin %", Align::Right),
        ("votes", Align::Right),
        ("against winner", Align::Right),
        ("%", Align::Right),
    ]);
    for s in r.states.iter().flatten() {
        t.row(vec![
            s.name.to_string(),
            s.bloc.clone(),
            s.winner.to_string(),
            fixed(s.margin_pct, 2),
            group(s.total_votes as i64),
            group(s.voters_against_winner as i64),
            fixed(pct(s.voters_against_winner, s.total_votes), 1),
        ]);
    }
    format!(
        "{}\n{}\nagainst winner: voters who did not vote for the state's winner (third parties included).\n",
        heading(r),
        t.render()
    )
}

fn state_csv(r: &BlocsReport) -> String {
    let mut out = Csv::new([
        "state",
        "name",
        "bloc",
        "winner",
        "dem_votes",
        "rep_votes",
        "other_votes",
        "total_votes",
        "margin_pct",
        "voters_against_winner",
    ]);
    for s in r.states.iter().flatten() {
        out.row([
            s.state.to_string(),
            s.name.to_string(),
            s.bloc.clone(),
            s.winner.to_string(),
            s.dem_votes.to_string(),
            s.rep_votes.to_string(),
            s.other_votes.to_string(),
            s.total_votes.to_string(),
            fixed(s.margin_pct, 4),
            s.voters_against_winner.to_string(),
        ]);
    }
    out.finish()
}
