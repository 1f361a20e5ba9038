//! `fedsplit`: each state's federal balance of payments, with sourced data
//! and explicit methods. A thin front end: each subcommand parses its flags,
//! asks the libraries for a typed answer and formats it. Exit codes: 0 ok,
//! 1 ran but a check failed (e.g. `optimize` found no plan within the
//! bound), 2 bad input or error.

mod args;
mod cmd;
mod files;
mod output;
mod progress;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "fedsplit",
    version,
    about = "Each state's federal balance of payments: federal taxes attributed to its residents vs federal spending received, FY2019, FY2022, FY2023 and FY2024.",
    after_help = "Every figure traces to a public source: see `fedsplit sources`. Method: docs/METHODOLOGY.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Headline answers on one screen (the main job)
    Report(cmd::report::ReportCmd),
    /// Every state's receipts, spending and net under one choice of options
    Ledger(cmd::ledger::LedgerCmd),
    /// One state's full breakdown: each line, its key, share, amount, source and grade
    Explain(cmd::explain::ExplainCmd),
    /// Each state's net per capita across every combination of options
    Sensitivity(cmd::sensitivity::SensitivityCmd),
    /// Every fiscal year's receipts, spending and net under one choice of options, by state or bloc
    // A series covers every year: --year is refused, so not shown.
    #[command(mut_arg("year", |a| a.hide(true)))]
    Series(cmd::series::SeriesCmd),
    /// Every table and column with publisher, table, year, units and input checksums
    Sources(cmd::sources::SourcesCmd),
    /// Evaluate a scenario file (Bluexit, devolution, partition) against the baseline
    Scenario(cmd::scenario::ScenarioCmd),
    /// Evaluate a scenario over a grid of parameters, one CSV row per point
    Sweep(cmd::sweep::SweepCmd),
    /// Blocs of states by presidential winner: population, GDP, votes, stranded voters, contiguity
    Blocs(cmd::blocs::BlocsCmd),
    /// Serve the web page and its JSON API on a local port
    #[cfg(feature = "serve")]
    Serve(cmd::serve::ServeCmd),
    /// Would any boundary unit of a plan rather be in an adjacent bloc? Gains, stability, best-response dynamics
    Stability(cmd::stability::StabilityCmd),
    /// Search for K contiguous blocs minimising stranded voters under a fiscal bound, or the reverse
    Optimize(cmd::optimize::OptimizeCmd),
    /// ReCom ensembles of contiguous, population-balanced plans (states, counties, grids); `ensemble merge` joins shards
    Ensemble(cmd::ensemble::EnsembleCmd),
}

/// A command that ran but whose check failed: its output is printed and the
/// exit code is 1.
#[derive(Debug)]
pub struct CheckFailed {
    pub output: String,
}

impl std::fmt::Display for CheckFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("check failed")
    }
}

impl std::error::Error for CheckFailed {}

fn main() -> ExitCode {
    // clap's whole message (the argument at fault, possible values, "did
    // you mean", usage) and its exit codes: 0 for --help, 2 for bad input.
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Report(c) => cmd::report::run(c),
        Command::Ledger(c) => cmd::ledger::run(c),
        Command::Explain(c) => cmd::explain::run(c),
        Command::Sensitivity(c) => cmd::sensitivity::run(c),
        Command::Series(c) => cmd::series::run(c),
        Command::Sources(c) => cmd::sources::run(c),
        Command::Scenario(c) => cmd::scenario::run(c),
        Command::Sweep(c) => cmd::sweep::run(c),
        Command::Blocs(c) => cmd::blocs::run(c),
        #[cfg(feature = "serve")]
        Command::Serve(c) => cmd::serve::run(c),
        Command::Stability(c) => cmd::stability::run(c),
        Command::Optimize(c) => cmd::optimize::run(c),
        Command::Ensemble(c) => cmd::ensemble::run(c),
    };
    let (text, code) = match result {
        Ok(text) => (text, ExitCode::SUCCESS),
        Err(e) => match e.downcast::<CheckFailed>() {
            Ok(failed) => (failed.output, ExitCode::from(1)),
            Err(e) => {
                eprintln!("fedsplit: {e:#}");
                return ExitCode::from(2);
            }
        },
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => code,
        // A closed pipe (`fedsplit ledger | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            eprintln!("fedsplit: writing output: {e}");
            ExitCode::from(2)
        }
    }
}
