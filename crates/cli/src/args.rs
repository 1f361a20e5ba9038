//! Flags shared by several subcommands, each defined once.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fedsplit_core::State;
use fedsplit_data::Dataset;
use fedsplit_ledger::{CorporateKey, Deficit, Interest, Method, Options, ProcurementKey, Residual};

/// Where the dataset comes from.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Use the tables in DIR (same schema as the embedded FY2022 data) instead of the embedded data
    #[arg(long, value_name = "DIR", global = true)]
    pub data: Option<PathBuf>,
}

impl DataArgs {
    pub fn load(&self) -> anyhow::Result<Dataset> {
        Ok(match &self.data {
            Some(dir) => Dataset::from_dir(dir)?,
            None => Dataset::embedded()?,
        })
    }
}

/// The ledger's options (METHODOLOGY §3).
#[derive(Args, Debug, Clone)]
pub struct LedgerArgs {
    /// How spending is located: flow (where it lands) or benefit (public goods, interest and residual per capita)
    #[arg(long, default_value = "flow", value_parser = parse::<Method>)]
    pub method: Method,
    /// Deficit treatment: none, scale-spending, scale-receipts or per-capita
    #[arg(long, default_value = "none", value_parser = parse::<Deficit>)]
    pub deficit: Deficit,
    /// Net interest: exclude, income or per-capita [default: exclude under flow, per-capita under benefit]
    #[arg(long, value_parser = parse::<Interest>)]
    pub interest: Option<Interest>,
    /// Unlocated residual: exclude or per-capita [default: exclude under flow, per-capita under benefit]
    #[arg(long, value_parser = parse::<Residual>)]
    pub residual: Option<Residual>,
    /// Corporate income tax key: capital (dividends + capital gains), headquarters (IRS collections) or gdp
    #[arg(long, default_value = "capital", value_parser = parse::<CorporateKey>)]
    pub corporate_key: CorporateKey,
    /// Procurement key: federal-gdp (federal value added), population or gdp
    #[arg(long, default_value = "federal-gdp", value_parser = parse::<ProcurementKey>)]
    pub procurement_key: ProcurementKey,
}

impl LedgerArgs {
    pub fn options(&self) -> Options {
        Options {
            method: self.method,
            deficit: self.deficit,
            interest: self.interest,
            residual: self.residual,
            corporate_key: self.corporate_key,
            procurement_key: self.procurement_key,
        }
    }
}

fn parse<T: std::str::FromStr<Err = fedsplit_ledger::UnknownOption>>(s: &str) -> Result<T, String> {
    s.parse::<T>().map_err(|e| e.to_string())
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
