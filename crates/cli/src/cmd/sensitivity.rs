//! `fedsplit sensitivity`: each state's net per capita across every
//! combination of method × deficit × corporate key × procurement key.

use clap::Args;
use fedsplit_core::State;
use fedsplit_data::Dataset;
use fedsplit_ledger::{Ledger, LedgerTable, Options};
use serde_json::json;

use crate::args::{DataArgs, Format, FormatArgs};
use crate::output::{self, fixed, Align, TextTable};

#[derive(Args, Debug)]
pub struct SensitivityCmd {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Where a state's sign lands across the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// Net receiver (spending > receipts) under every choice.
    AlwaysReceiver,
    /// Net payer under every choice.
    AlwaysPayer,
    /// Receiver under some choices, payer under others.
    Depends,
}

impl Sign {
    pub fn label(self) -> &'static str {
        match self {
            Sign::AlwaysReceiver => "always receiver",
            Sign::AlwaysPayer => "always payer",
            Sign::Depends => "depends on method",
        }
    }
}

/// One state's range across the grid.
#[derive(Debug, Clone)]
pub struct Range {
    pub state: State,
    pub default: f64,
    pub min: f64,
    pub min_options: Options,
    pub max: f64,
    pub max_options: Options,
    pub receiver_count: usize,
    pub sign: Sign,
}

/// Evaluates the whole grid. The first grid point is the default options.
pub fn ranges(data: &Dataset) -> anyhow::Result<(Vec<Range>, usize)> {
    let ledger = Ledger::new(data)?;
    let grid = Options::sensitivity_grid();
    let mut table = LedgerTable::with_states(data.len());
    ledger.compute_into(&Options::default(), &mut table);
    let mut ranges: Vec<Range> = data
        .states
        .iter()
        .enumerate()
        .map(|(i, &state)| Range {
            state,
            default: table.net_per_capita[i],
            min: f64::INFINITY,
            min_options: Options::default(),
            max: f64::NEG_INFINITY,
            max_options: Options::default(),
            receiver_count: 0,
            sign: Sign::Depends,
        })
        .collect();
    for options in &grid {
        ledger.compute_into(options, &mut table);
        for (r, &v) in ranges.iter_mut().zip(&table.net_per_capita) {
            if v < r.min {
                r.min = v;
                r.min_options = *options;
            }
            if v > r.max {
                r.max = v;
                r.max_options = *options;
            }
            if v > 0.0 {
                r.receiver_count += 1;
            }
        }
    }
    for r in &mut ranges {
        r.sign = if r.receiver_count == grid.len() {
            Sign::AlwaysReceiver
        } else if r.receiver_count == 0 {
            Sign::AlwaysPayer
        } else {
            Sign::Depends
        };
    }
    Ok((ranges, grid.len()))
}

/// Short name of a grid point: method/deficit/corporate/procurement.
pub fn short(o: &Options) -> String {
    format!(
        "{}/{}/{}/{}",
        o.method.name(),
        o.deficit.name(),
        o.corporate_key.name(),
        o.procurement_key.name()
    )
}

pub fn run(cmd: &SensitivityCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let (ranges, n) = ranges(&data)?;
    Ok(match cmd.format.format {
        Format::Json => output::json_text(&json!({
            "meta": output::meta(&data, "sensitivity", None),
            "grid": {
                "combinations": n,
                "axes": ["method", "deficit", "corporate-key", "procurement-key"],
                "interest_and_residual": "each method's default",
            },
            "states": ranges.iter().map(|r| json!({
                "state": r.state.postal(),
                "default_net_per_capita_usd": r.default,
                "min_net_per_capita_usd": r.min,
                "min_at": short(&r.min_options),
                "max_net_per_capita_usd": r.max,
                "max_at": short(&r.max_options),
                "receiver_in": r.receiver_count,
                "sign": r.sign.label(),
            })).collect::<Vec<_>>(),
        })),
        Format::Csv => {
            let mut out = String::from(
                "state,default_net_per_capita_usd,min_net_per_capita_usd,min_at,max_net_per_capita_usd,max_at,receiver_in,combinations,sign\n",
            );
            for r in &ranges {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{},{}\n",
                    r.state.postal(),
                    fixed(r.default, 2),
                    fixed(r.min, 2),
                    short(&r.min_options),
                    fixed(r.max, 2),
                    short(&r.max_options),
                    r.receiver_count,
                    n,
                    r.sign.label()
                ));
            }
            out
        }
        Format::Table => {
            let mut t = TextTable::new(&[
                ("state", Align::Left),
                ("default $", Align::Right),
                ("min $", Align::Right),
                ("max $", Align::Right),
                ("receiver in", Align::Right),
                ("sign", Align::Left),
                ("min at", Align::Left),
                ("max at", Align::Left),
            ]);
            let mut sorted = ranges.clone();
            sorted.sort_by(|a, b| b.default.total_cmp(&a.default));
            for r in &sorted {
                t.row(vec![
                    r.state.name().to_string(),
                    output::signed_dollars(r.default),
                    output::signed_dollars(r.min),
                    output::signed_dollars(r.max),
                    format!("{}/{}", r.receiver_count, n),
                    r.sign.label().to_string(),
                    short(&r.min_options),
                    short(&r.max_options),
                ]);
            }
            format!(
                "Net per capita across {n} combinations of method × deficit × corporate key × procurement key\n\
                 (interest and residual at each method's default; \"at\" = method/deficit/corporate/procurement)\n\n{}",
                t.render()
            )
        }
    })
}
