//! `fedsplit blocs`: blocs of states by presidential winner (optionally with
//! a swing bloc), with population, GDP, votes, stranded voters and contiguity.

use clap::{Args, ValueEnum};
use fedsplit_data::{Dataset, ElectionResult, Party};
use fedsplit_scenario::blocs::{self, BlocStats};
use fedsplit_scenario::Assignment;
use serde_json::{json, Value};

use crate::args::{DataArgs, Format, FormatArgs};
use crate::output::{self, csv_field, fixed, group, millions, round, Align, TextTable};

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

/// Everything the renderers need.
struct View<'a> {
    data: &'a Dataset,
    year: u16,
    margin: Option<f64>,
    dem_candidate: String,
    rep_candidate: String,
    results: Vec<&'a ElectionResult>,
    assignment: Assignment,
    stats: Vec<BlocStats>,
}

pub fn run(cmd: &BlocsCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    render(&data, cmd.election, cmd.margin, cmd.by, cmd.format.format)
}

/// Blocs by the winner of `election`, optionally with a swing margin.
pub fn render(
    data: &Dataset,
    election: Option<u16>,
    margin: Option<f64>,
    by: By,
    format: Format,
) -> anyhow::Result<String> {
    let Some(year) = election else {
        let years: Vec<String> = data.election_years().iter().map(u16::to_string).collect();
        anyhow::bail!(
            "--election YEAR is required (elections in the dataset: {})",
            years.join(", ")
        );
    };
    let election = |e: blocs::BlocError| match e {
        blocs::BlocError::BadMargin { .. } => anyhow::anyhow!("--margin: {e}"),
        e => anyhow::anyhow!("--election {year}: {e}"),
    };
    let assignment = blocs::election_assignment(data, year, margin).map_err(election)?;
    let stats = blocs::bloc_stats(data, &assignment, year).map_err(election)?;
    let results = blocs::election_results(data, year).map_err(election)?;
    let first = results[0];
    let view = View {
        data,
        year,
        margin,
        dem_candidate: first.dem_candidate.clone(),
        rep_candidate: first.rep_candidate.clone(),
        results,
        assignment,
        stats,
    };
    Ok(match (by, format) {
        (By::Bloc, Format::Table) => bloc_table(&view),
        (By::Bloc, Format::Csv) => bloc_csv(&view),
        (By::State, Format::Table) => state_table(&view),
        (By::State, Format::Csv) => state_csv(&view),
        (by, Format::Json) => output::json_text(&render_json(&view, by)),
    })
}

fn party_name(p: Option<Party>) -> &'static str {
    match p {
        Some(Party::Democratic) => "Democratic",
        Some(Party::Republican) => "Republican",
        None => "tie",
    }
}

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn postal_list(states: &[fedsplit_core::State]) -> String {
    states
        .iter()
        .map(|s| s.postal())
        .collect::<Vec<_>>()
        .join(" ")
}

fn heading(v: &View) -> String {
    let swing = match v.margin {
        Some(m) => format!("; Swing: states won by less than {m} points"),
        None => String::new(),
    };
    format!(
        "{} presidential election: blocs of states by winner ({} (D) vs {} (R){swing})\ndataset: {}\n",
        v.year, v.dem_candidate, v.rep_candidate, v.data.origin
    )
}

fn contiguity(s: &BlocStats) -> String {
    if s.states.is_empty() {
        return "no states".into();
    }
    if s.contiguous {
        return "contiguous".into();
    }
    let names: Vec<&str> = s.exclaves.iter().map(|x| x.name()).collect();
    let pieces: Vec<String> = s.components.iter().map(|c| postal_list(c)).collect();
    format!(
        "{} land-connected pieces, most populous first: {}\n  exclaves (outside the most populous piece): {}",
        s.components.len(),
        pieces.join(" | "),
        names.join(", ")
    )
}

fn bloc_table(v: &View) -> String {
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
    for s in &v.stats {
        let tot = Totals::of(s);
        all.add(&tot);
        t.row(cells(
            s.name.clone(),
            s.states.len(),
            &tot,
            party_name(s.winner),
        ));
    }
    t.rule();
    t.row(cells("all blocs".into(), v.data.len(), &all, ""));

    let mut out = heading(v);
    out.push('\n');
    out.push_str(&t.render());
    out.push_str(
        "\nstranded: voters who did not vote for their bloc's popular-vote winner (third parties included);\n\
         vs own state: voters who did not vote for their own state's winner; % of the bloc's votes.\n",
    );
    for s in &v.stats {
        out.push_str(&format!(
            "\n{} ({} state{}): {}\n  {}\n",
            s.name,
            s.states.len(),
            if s.states.len() == 1 { "" } else { "s" },
            postal_list(&s.states),
            contiguity(s)
        ));
    }
    out
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
    fn of(s: &BlocStats) -> Totals {
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

const BLOC_CSV_HEADER: &str = "bloc,state_count,states,population,gdp_usd,dem_votes,rep_votes,other_votes,total_votes,winner,stranded_voters,stranded_pct,state_stranded_voters,state_stranded_pct,contiguous,components,exclaves";

fn bloc_csv(v: &View) -> String {
    let mut out = String::from(BLOC_CSV_HEADER);
    out.push('\n');
    for s in &v.stats {
        let fields = [
            csv_field(&s.name),
            s.states.len().to_string(),
            postal_list(&s.states),
            round(s.population).to_string(),
            round(s.gdp_usd).to_string(),
            s.dem_votes.to_string(),
            s.rep_votes.to_string(),
            s.other_votes.to_string(),
            s.total_votes.to_string(),
            party_name(s.winner).to_string(),
            s.stranded_voters.to_string(),
            fixed(pct(s.stranded_voters, s.total_votes), 3),
            s.state_stranded_voters.to_string(),
            fixed(pct(s.state_stranded_voters, s.total_votes), 3),
            s.contiguous.to_string(),
            s.components.len().to_string(),
            postal_list(&s.exclaves),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// One state's row for `--by state`.
struct StateRow<'a> {
    result: &'a ElectionResult,
    bloc: &'a str,
    margin_pct: f64,
    against: u64,
}

fn state_rows<'a>(v: &'a View) -> Vec<StateRow<'a>> {
    v.results
        .iter()
        .enumerate()
        .map(|(i, r)| StateRow {
            result: r,
            bloc: &v.assignment.names[v.assignment.bloc_of[i]],
            margin_pct: blocs::margin_pct(r),
            against: blocs::state_stranded_voters(r),
        })
        .collect()
}

fn state_table(v: &View) -> String {
    let mut t = TextTable::new(&[
        ("state", Align::Left),
        ("bloc", Align::Left),
        ("winner", Align::Left),
        ("margin %", Align::Right),
        ("votes", Align::Right),
        ("against winner", Align::Right),
        ("%", Align::Right),
    ]);
    for row in state_rows(v) {
        let r = row.result;
        t.row(vec![
            r.state.name().to_string(),
            row.bloc.to_string(),
            party_name(Some(r.winner())).to_string(),
            fixed(row.margin_pct, 2),
            group(r.total_votes as i64),
            group(row.against as i64),
            fixed(pct(row.against, r.total_votes), 1),
        ]);
    }
    format!(
        "{}\n{}\nagainst winner: voters who did not vote for the state's winner (third parties included).\n",
        heading(v),
        t.render()
    )
}

const STATE_CSV_HEADER: &str = "state,name,bloc,winner,dem_votes,rep_votes,other_votes,total_votes,margin_pct,voters_against_winner";

fn state_csv(v: &View) -> String {
    let mut out = String::from(STATE_CSV_HEADER);
    out.push('\n');
    for row in state_rows(v) {
        let r = row.result;
        let fields = [
            r.state.postal().to_string(),
            csv_field(r.state.name()),
            csv_field(row.bloc),
            party_name(Some(r.winner())).to_string(),
            r.dem_votes.to_string(),
            r.rep_votes.to_string(),
            r.other_votes.to_string(),
            r.total_votes.to_string(),
            fixed(row.margin_pct, 4),
            row.against.to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

fn postal_json(states: &[fedsplit_core::State]) -> Value {
    json!(states.iter().map(|s| s.postal()).collect::<Vec<_>>())
}

fn render_json(v: &View, by: By) -> Value {
    let election = json!({
        "year": v.year,
        "dem_candidate": v.dem_candidate,
        "rep_candidate": v.rep_candidate,
        "swing_margin_pct": v.margin,
    });
    let meta = output::meta(v.data, "blocs", None);
    match by {
        By::Bloc => {
            let blocs: Vec<Value> = v
                .stats
                .iter()
                .map(|s| {
                    json!({
                        "bloc": s.name,
                        "states": postal_json(&s.states),
                        "population": s.population,
                        "gdp_usd": s.gdp_usd,
                        "dem_votes": s.dem_votes,
                        "rep_votes": s.rep_votes,
                        "other_votes": s.other_votes,
                        "total_votes": s.total_votes,
                        "winner": s.winner.map(|p| party_name(Some(p))),
                        "stranded_voters": s.stranded_voters,
                        "stranded_pct": pct(s.stranded_voters, s.total_votes),
                        "state_stranded_voters": s.state_stranded_voters,
                        "state_stranded_pct": pct(s.state_stranded_voters, s.total_votes),
                        "contiguous": s.contiguous,
                        "components": s.components.iter().map(|c| postal_json(c)).collect::<Vec<_>>(),
                        "exclaves": postal_json(&s.exclaves),
                    })
                })
                .collect();
            json!({ "meta": meta, "election": election, "blocs": blocs })
        }
        By::State => {
            let states: Vec<Value> = state_rows(v)
                .iter()
                .map(|row| {
                    let r = row.result;
                    json!({
                        "state": r.state.postal(),
                        "name": r.state.name(),
                        "bloc": row.bloc,
                        "winner": party_name(Some(r.winner())),
                        "dem_votes": r.dem_votes,
                        "rep_votes": r.rep_votes,
                        "other_votes": r.other_votes,
                        "total_votes": r.total_votes,
                        "margin_pct": row.margin_pct,
                        "voters_against_winner": row.against,
                    })
                })
                .collect();
            json!({ "meta": meta, "election": election, "states": states })
        }
    }
}
