//! Flags shared by several subcommands, each defined once.

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgMatches, Args, Command, FromArgMatches, ValueEnum};
use fedsplit_alliance::attrs::GraphSpec;
use fedsplit_core::State;
use fedsplit_data::{DataError, Dataset};
use fedsplit_ledger::{OptionKey, Options};

/// Where the dataset comes from, and which fiscal year.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Use the tables in DIR instead of the embedded data: one year's tables, or a folder laid out like `data/` (fyYYYY/ per year)
    #[arg(long, value_name = "DIR", global = true)]
    pub data: Option<PathBuf>,
    /// Federal fiscal year of the figures: 2019, 2022, 2023 or 2024 [default: the latest]
    #[arg(long, value_name = "YEAR", global = true, value_parser = parse_fiscal_year)]
    pub year: Option<u16>,
}

impl DataArgs {
    /// The dataset of the year asked (the latest by default).
    pub fn load(&self) -> Result<Dataset, DataError> {
        Dataset::open(self.data.as_deref(), self.year)
    }

    /// The dataset of a scenario file whose `year` (if any) names the
    /// fiscal year: `--year` must agree with it.
    pub fn load_for_scenario(&self, file_year: Option<u16>) -> anyhow::Result<Dataset> {
        let year = match (self.year, file_year) {
            (Some(asked), Some(file)) if asked != file => anyhow::bail!(
                "--year {asked}: the scenario file says year = {file} (remove one, or make them agree)"
            ),
            (asked, file) => asked.or(file),
        };
        Ok(Dataset::open(self.data.as_deref(), year)?)
    }

    /// Every year's dataset, ascending (for time series).
    pub fn load_all(&self) -> Result<Vec<Dataset>, DataError> {
        Dataset::years(self.data.as_deref())?
            .into_iter()
            .map(|y| Dataset::open(self.data.as_deref(), Some(y)))
            .collect()
    }
}

/// `--year`: a federal fiscal year (checked against the data later).
fn parse_fiscal_year(text: &str) -> Result<u16, String> {
    match text.trim().trim_start_matches("FY").parse::<u16>() {
        Ok(y) if (1950..=2100).contains(&y) => Ok(y),
        _ => Err("not a fiscal year (e.g. 2024)".into()),
    }
}

/// The ledger's options (METHODOLOGY §3), one flag per entry of the
/// ledger's option table: names, values, defaults and help come from there,
/// and values go through the same parser as scenario files and the API.
#[derive(Debug, Clone, Default)]
pub struct LedgerArgs {
    pub options: Options,
}

impl LedgerArgs {
    pub fn options(&self) -> Options {
        self.options
    }
}

impl FromArgMatches for LedgerArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut args = LedgerArgs::default();
        args.update_from_arg_matches(m)?;
        Ok(args)
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        for key in OptionKey::ALL {
            if let Some(value) = m.get_one::<String>(key.flag()) {
                self.options
                    .set(key, value)
                    .map_err(|e| clap::Error::raw(clap::error::ErrorKind::InvalidValue, e))?;
            }
        }
        Ok(())
    }
}

impl Args for LedgerArgs {
    fn augment_args(cmd: Command) -> Command {
        OptionKey::ALL.into_iter().fold(cmd, |cmd, key| {
            let mut arg = Arg::new(key.flag())
                .long(key.flag())
                .value_name(value_name(key))
                .help(key.help())
                .help_heading("Ledger options")
                .value_parser(PossibleValuesParser::new(key.values()));
            if let Some(default) = key.default_value() {
                arg = arg.default_value(default);
            }
            cmd.arg(arg)
        })
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// The placeholder of an option's value in help: its key in capitals.
fn value_name(key: OptionKey) -> &'static str {
    match key {
        OptionKey::Method => "METHOD",
        OptionKey::Deficit => "DEFICIT",
        OptionKey::Interest => "INTEREST",
        OptionKey::Residual => "RESIDUAL",
        OptionKey::CorporateKey => "CORPORATE_KEY",
        OptionKey::ProcurementKey => "PROCUREMENT_KEY",
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for a terminal
    #[default]
    Table,
    /// Comma-separated values with a header
    Csv,
    /// JSON with a `meta` object
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct FormatArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `--graph`: states, counties or grid:WxH, wherever a graph is taken.
pub fn parse_graph(text: &str) -> Result<GraphSpec, String> {
    GraphSpec::parse(text)
}

/// `--tol`: a population tolerance in percent, in [0, 100).
pub fn parse_tol(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if (0.0..100.0).contains(&p) => Ok(p),
        _ => Err("expected a percentage in [0, 100)".into()),
    }
}

/// `--year` of an election: one whose votes every graph carries.
pub fn parse_election_year(text: &str) -> Result<u16, String> {
    let year: u16 = text
        .trim()
        .parse()
        .map_err(|_| "not a year (expected 2016, 2020 or 2024)".to_string())?;
    if fedsplit_data::COUNTY_VOTE_YEARS.contains(&year) {
        Ok(year)
    } else {
        Err("no votes for that year (expected 2016, 2020 or 2024)".into())
    }
}

/// `--threads`: at least 1, at most four per logical CPU.
pub fn parse_threads(text: &str) -> Result<usize, String> {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let limit = 4 * cpus;
    match text.trim().parse::<usize>() {
        Ok(t) if (1..=limit).contains(&t) => Ok(t),
        Ok(t) => Err(format!(
            "{t} threads: expected 1 to {limit} (4 × the {cpus} logical CPUs here)"
        )),
        Err(_) => Err("not a whole number of threads".into()),
    }
}

/// A comma-separated list of states, e.g. "NY,CA,TX".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateList(pub Vec<State>);

/// Parses a comma-separated list of state codes, e.g. "NY,CA,TX".
pub fn parse_state_list(text: &str) -> Result<StateList, String> {
    let mut states = Vec::new();
    for (i, part) in text.split(',').enumerate() {
        let code = part.trim();
        if code.is_empty() {
            return Err(format!("entry {} of {text:?} is empty", i + 1));
        }
        let state = State::parse(code).map_err(|e| e.to_string())?;
        if states.contains(&state) {
            return Err(format!("{code} is listed twice"));
        }
        states.push(state);
    }
    Ok(StateList(states))
}

/// Parses one state code.
pub fn parse_state(text: &str) -> Result<State, String> {
    State::parse(text).map_err(|e| e.to_string())
}
