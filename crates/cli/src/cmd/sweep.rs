//! `fedsplit sweep FILE --param PATH=FROM:TO:STEP`: one CSV row per point.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use fedsplit_ledger::Ledger;
use fedsplit_scenario::sweep;

use super::scenario::{load, source};
use crate::args::DataArgs;

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
    /// Write the CSV here instead of standard output (written whole or not at all)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(cmd: &SweepCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let src = source(cmd.file.as_ref(), cmd.example.as_deref())?;
    let scenario = load(&src, &data)?;
    let params = cmd
        .params
        .iter()
        .map(|p| sweep::parse_param(p, &scenario))
        .collect::<Result<Vec<_>, _>>()?;
    let points: usize = params.iter().map(|p| p.values.len()).product();
    if points > sweep::MAX_POINTS {
        anyhow::bail!(
            "the grid has {points} points: at most {}",
            sweep::MAX_POINTS
        );
    }
    let ledger = Ledger::new(&data)?;
    let mut csv = Vec::with_capacity(points * 128);
    let start = Instant::now();
    sweep::run(&ledger, &scenario, &params, &mut csv)?;
    let seconds = start.elapsed().as_secs_f64();
    eprintln!(
        "fedsplit sweep: {points} points in {seconds:.3} s ({:.0} scenarios/s)",
        points as f64 / seconds.max(1e-9)
    );
    let csv = String::from_utf8(csv).expect("CSV is UTF-8");
    match &cmd.out {
        None => Ok(csv),
        Some(path) => {
            // Write beside the target and rename, so no partial file is left.
            let tmp = path.with_extension("tmp-fedsplit");
            std::fs::File::create(&tmp)
                .and_then(|mut f| f.write_all(csv.as_bytes()))
                .and_then(|_| std::fs::rename(&tmp, path))
                .map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    anyhow::anyhow!("{}: cannot write: {e}", path.display())
                })?;
            Ok(String::new())
        }
    }
}
