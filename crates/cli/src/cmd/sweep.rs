//! `fedsplit sweep FILE --param PATH=FROM:TO:STEP`: one CSV row per point,
//! streamed to the output as it is computed.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use clap::Args;
use fedsplit_ledger::Ledger;
use fedsplit_scenario::{spec, sweep};

use super::scenario::source;
use crate::args::DataArgs;
use crate::files::{refuse_overwriting_inputs, stop_flag, AtomicFile};
use crate::progress;

#[derive(Args, Debug)]
pub struct SweepCmd {
    /// The scenario file (TOML)
    #[arg(value_name = "FILE", required_unless_present = "example")]
    pub file: Option<PathBuf>,
    /// Sweep a shipped example instead of a file
    #[arg(long, value_name = "NAME", conflicts_with = "file")]
    pub example: Option<String>,
    /// A parameter and its range, e.g. bluexit.bloc.Democratic.income_tax_scale=0:1:0.1 (repeatable; the grid is their product)
    #[arg(long = "param", value_name = "PATH=FROM:TO:STEP", required = true)]
    pub params: Vec<String>,
    /// Write the CSV here instead of standard output (it appears whole or not at all)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// No progress bar or summary on stderr
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(cmd: &SweepCmd) -> anyhow::Result<String> {
    let src = source(cmd.file.as_ref(), cmd.example.as_deref())?;
    let file = spec::parse(&src.label, &src.text)?;
    let data = cmd.data.load_for_scenario(file.year)?;
    let scenario =
        spec::compile(&file, &data).map_err(|e| e.locate(&src.label, Some(&src.text)))?;
    let params = sweep::parse_params(&cmd.params, &scenario)?;
    let points = params
        .iter()
        .try_fold(1usize, |n, p| n.checked_mul(p.values.len()))
        .filter(|&n| n <= sweep::MAX_POINTS)
        .ok_or_else(|| anyhow::anyhow!("the grid has more than {} points", sweep::MAX_POINTS))?;
    if let (Some(out), Some(file)) = (&cmd.out, &cmd.file) {
        refuse_overwriting_inputs(out, &[file])?;
    }
    let ledger = Ledger::new(&data)?;
    let progress = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let stop = stop_flag();
    let show_bar = !cmd.quiet && std::io::stderr().is_terminal();
    let started = Instant::now();
    let result = std::thread::scope(|scope| {
        if show_bar {
            scope.spawn(|| progress::bar(&progress, &done, points as u64, started, "points"));
        }
        let r = match &cmd.out {
            Some(path) => AtomicFile::create(path).and_then(|mut file| {
                sweep::run(&ledger, &scenario, &params, file.writer(), &progress, &stop)?;
                file.commit()
            }),
            None => {
                let stdout = std::io::stdout().lock();
                match sweep::run(&ledger, &scenario, &params, stdout, &progress, &stop) {
                    Err(sweep::SweepError::Write(e)) if is_broken_pipe(&e) => Ok(()),
                    r => r.map(|_| ()).map_err(Into::into),
                }
            }
        };
        done.store(true, Ordering::Relaxed);
        r
    });
    result?;
    if !cmd.quiet {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "fedsplit sweep: {points} points in {seconds:.3} s ({:.0} scenarios/s)",
            points as f64 / seconds.max(1e-9)
        );
    }
    let _ = std::io::stdout().flush();
    Ok(String::new())
}

fn is_broken_pipe(e: &csv::Error) -> bool {
    matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}
