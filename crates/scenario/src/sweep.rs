//! Parameter sweeps: evaluate a scenario over a grid of numeric parameters,
//! one CSV row per point, reusing every buffer between points.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use fedsplit_ledger::{Ledger, LedgerTable};

use crate::overlay;
use crate::spec::Scenario;
use crate::StateDeltas;

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 10_000_000;

/// Which parameter a sweep moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    IncomeTaxScale,
    ReplaceShare,
}

/// One swept parameter: a path and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepParam {
    pub path: String,
    field: Field,
    /// The bloc it applies to; `None` = every bloc.
    bloc: Option<usize>,
    pub values: Vec<f64>,
}

/// Why a `--param` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--param {text:?}: {message}")]
pub struct ParamError {
    pub text: String,
    pub message: String,
}

/// Parses `PATH=FROM:TO:STEP` against a compiled scenario. Paths:
/// `bluexit.income_tax_scale`, `bluexit.replace_share` (every bloc), and
/// `bluexit.bloc.NAME.income_tax_scale`, `bluexit.bloc.NAME.replace_share`.
pub fn parse_param(text: &str, scenario: &Scenario) -> Result<SweepParam, ParamError> {
    let err = |message: String| ParamError {
        text: text.to_string(),
        message,
    };
    let (path, range) = text
        .split_once('=')
        .ok_or_else(|| err("expected PATH=FROM:TO:STEP".into()))?;
    if scenario.bluexit.is_none() {
        return Err(err("the scenario has no [bluexit] table to sweep".into()));
    }
    let parts: Vec<&str> = path.split('.').collect();
    let (bloc, field) = match parts.as_slice() {
        ["bluexit", field] => (None, *field),
        ["bluexit", "bloc", name, field] => {
            let b = scenario.assignment.index(name).ok_or_else(|| {
                err(format!(
                    "no bloc named {name:?} (blocs: {})",
                    scenario.assignment.names.join(", ")
                ))
            })?;
            (Some(b), *field)
        }
        _ => {
            return Err(err(format!(
                "unknown parameter path {path:?}: use bluexit.income_tax_scale, bluexit.replace_share or bluexit.bloc.NAME.<either>"
            )))
        }
    };
    let field = match field {
        "income_tax_scale" => Field::IncomeTaxScale,
        "replace_share" => Field::ReplaceShare,
        other => {
            return Err(err(format!(
                "unknown parameter {other:?}: income_tax_scale or replace_share"
            )))
        }
    };
    let nums: Vec<&str> = range.split(':').collect();
    let [from, to, step] = nums.as_slice() else {
        return Err(err("range must be FROM:TO:STEP".into()));
    };
    let num = |s: &str, what: &str| -> Result<f64, ParamError> {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| err(format!("{what} {s:?} is not a number")))
    };
    let (from, to, step) = (num(from, "FROM")?, num(to, "TO")?, num(step, "STEP")?);
    if step <= 0.0 {
        return Err(err(format!("STEP must be positive, got {step}")));
    }
    if to < from {
        return Err(err(format!("TO ({to}) is below FROM ({from})")));
    }
    let count = ((to - from) / step + 1e-9).floor() as usize + 1;
    if count > MAX_POINTS {
        return Err(err(format!("{count} points: at most {MAX_POINTS}")));
    }
    let values: Vec<f64> = (0..count)
        .map(|k| ((from + k as f64 * step) * 1e9).round() / 1e9)
        .collect();
    let (lo, hi) = (values[0], values[values.len() - 1]);
    match field {
        Field::IncomeTaxScale if lo < 0.0 || hi > crate::spec::MAX_INCOME_TAX_SCALE => {
            return Err(err(format!(
                "income_tax_scale must stay within 0..{}, the range is {lo}..{hi}",
                crate::spec::MAX_INCOME_TAX_SCALE
            )))
        }
        Field::ReplaceShare if lo < 0.0 || hi > 1.0 => {
            return Err(err(format!(
                "replace_share must stay within 0..1, the range is {lo}..{hi}"
            )))
        }
        _ => {}
    }
    Ok(SweepParam {
        path: path.to_string(),
        field,
        bloc,
        values,
    })
}

/// Parses every `--param` and refuses two that move the same parameter of
/// the same bloc (the same path twice, or a path for every bloc beside one
/// for a single bloc): the second would silently overwrite the first.
pub fn parse_params(texts: &[String], scenario: &Scenario) -> Result<Vec<SweepParam>, ParamError> {
    let mut params: Vec<SweepParam> = Vec::with_capacity(texts.len());
    for text in texts {
        let p = parse_param(text, scenario)?;
        if let Some(q) = params.iter().find(|q| {
            q.field == p.field && (q.bloc.is_none() || p.bloc.is_none() || q.bloc == p.bloc)
        }) {
            return Err(ParamError {
                text: text.clone(),
                message: if q.path == p.path {
                    format!("{} is swept twice", p.path)
                } else {
                    format!("{} and {} move the same parameter", q.path, p.path)
                },
            });
        }
        params.push(p);
    }
    Ok(params)
}

/// Why a sweep stopped.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("writing the CSV: {0}")]
    Write(#[from] csv::Error),
    #[error("interrupted after {0} points")]
    Interrupted(usize),
}

/// Points between two updates of the progress counter.
const PROGRESS_EVERY: usize = 4096;

/// Runs the sweep and writes the CSV (header then one row per point, the
/// last parameter varying fastest) as it goes: memory does not grow with
/// the number of points. `progress` counts the points written. Returns the
/// number of points. Setting `stop` ends the run early with `Interrupted`.
pub fn run<W: Write>(
    ledger: &Ledger,
    scenario: &Scenario,
    params: &[SweepParam],
    out: W,
    progress: &AtomicU64,
    stop: &AtomicBool,
) -> Result<usize, SweepError> {
    // The header through csv::Writer (a bloc name may need quoting); the
    // rows, numbers only, formatted straight into a buffered writer.
    let mut head = csv::Writer::from_writer(out);
    let data = ledger.data();
    let baseline: LedgerTable = ledger.compute(&scenario.options);
    let mut deltas = StateDeltas::zeros(data.len());
    let mut s = scenario.clone();
    let a = &scenario.assignment;

    let mut header: Vec<String> = params.iter().map(|p| p.path.clone()).collect();
    for name in &a.names {
        header.push(format!("{name}.net_usd"));
        header.push(format!("{name}.net_per_resident_usd"));
    }
    header.push("federal_deficit_after_usd".into());
    head.write_record(&header)?;
    let out = head
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);

    let populations: Vec<f64> = (0..a.len())
        .map(|b| a.members(b).map(|i| data.population[i]).sum())
        .collect();
    let total: usize = params.iter().map(|p| p.values.len()).product();
    let mut index = vec![0usize; params.len()];
    let mut nets = vec![0.0; a.len()];
    let mut line = String::with_capacity(32 * (3 + 2 * a.len()));
    for point in 0..total {
        for (p, &k) in params.iter().zip(&index) {
            set(&mut s, p, p.values[k]);
        }
        let budget = overlay::apply(data, &baseline, &s, &mut deltas);
        nets.fill(0.0);
        for i in 0..data.len() {
            nets[a.bloc_of[i]] += deltas.net(i);
        }
        {
            use std::fmt::Write as _;
            line.clear();
            for (p, &k) in params.iter().zip(&index) {
                let _ = write!(line, "{},", p.values[k]);
            }
            for (net, pop) in nets.iter().zip(&populations) {
                let _ = write!(line, "{net:.0},{:.2},", net / pop);
            }
            let _ = writeln!(line, "{:.0}", budget.deficit_after());
        }
        out.write_all(line.as_bytes()).map_err(csv::Error::from)?;
        if point % PROGRESS_EVERY == PROGRESS_EVERY - 1 {
            progress.store(point as u64 + 1, Ordering::Relaxed);
            if stop.load(Ordering::Relaxed) {
                return Err(SweepError::Interrupted(point + 1));
            }
        }
        // Odometer: the last parameter moves fastest.
        for d in (0..index.len()).rev() {
            index[d] += 1;
            if index[d] < params[d].values.len() {
                break;
            }
            index[d] = 0;
        }
    }
    out.flush().map_err(csv::Error::from)?;
    progress.store(total as u64, Ordering::Relaxed);
    Ok(total)
}

fn set(s: &mut Scenario, p: &SweepParam, value: f64) {
    let Some(bluexit) = s.bluexit.as_mut() else {
        return;
    };
    for (b, params) in bluexit.blocs.iter_mut().enumerate() {
        if p.bloc.is_some_and(|x| x != b) {
            continue;
        }
        match p.field {
            Field::IncomeTaxScale => params.income_tax_scale = value,
            Field::ReplaceShare => params.replace_share = value,
        }
    }
}
