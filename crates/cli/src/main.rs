//! `fedsplit`: each state's federal balance of payments, with sourced data
//! and explicit methods. Exit codes: 0 ok, 2 bad input or error.

mod args;
mod cmd;
mod output;
mod serve;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "fedsplit",
    version,
    about = "Each state's federal balance of payments: federal taxes attributed to its residents vs federal spending received, FY2022.",
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
    /// Every table and column with publisher, table, year, units and input checksums
    Sources(cmd::sources::SourcesCmd),
    /// Evaluate a scenario file (Bluexit, devolution, partition) against the baseline
    Scenario(cmd::scenario::ScenarioCmd),
    /// Evaluate a scenario over a grid of parameters, one CSV row per point
    Sweep(cmd::sweep::SweepCmd),
    /// Blocs of states by presidential winner: population, GDP, votes, stranded voters, contiguity
    Blocs(cmd::blocs::BlocsCmd),
    /// Serve the web page and its JSON API on a local port
    Serve(cmd::serve::ServeCmd),
    /// Would any boundary unit of a plan rather be in an adjacent bloc? Gains, stability, best-response dynamics
    Stability(cmd::stability::StabilityCmd),
    /// Search for K contiguous blocs minimising stranded voters under a fiscal bound, or the reverse
    Optimize(cmd::optimize::OptimizeCmd),
    /// ReCom ensembles of contiguous, population-balanced plans (states, counties, grids); `ensemble merge` joins shards
    Ensemble(cmd::ensemble::EnsembleCmd),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
            // One line: clap's first line, without the usage block that follows.
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            eprintln!("fedsplit: {}", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    let result = match &cli.command {
        Command::Report(c) => cmd::report::run(c),
        Command::Ledger(c) => cmd::ledger::run(c),
        Command::Explain(c) => cmd::explain::run(c),
        Command::Sensitivity(c) => cmd::sensitivity::run(c),
        Command::Sources(c) => cmd::sources::run(c),
        Command::Scenario(c) => cmd::scenario::run(c),
        Command::Sweep(c) => cmd::sweep::run(c),
        Command::Blocs(c) => cmd::blocs::run(c),
        Command::Serve(c) => cmd::serve::run(c),
        Command::Stability(c) => cmd::stability::run(c),
        Command::Optimize(c) => cmd::optimize::run(c),
        Command::Ensemble(c) => cmd::ensemble::run(c),
    };
    match result {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                // A closed pipe (`fedsplit ledger | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("fedsplit: writing output: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(e) => {
            eprintln!("fedsplit: {e:#}");
            ExitCode::from(2)
        }
    }
}
