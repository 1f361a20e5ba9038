//! Each state's net per capita across every combination of method ×
//! deficit × corporate key × procurement key (METHODOLOGY §0.2).

use fedsplit_core::State;

use crate::{Ledger, LedgerTable, Options};

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
            Sign::Depends => "depends on options",
        }
    }
}

/// One state's range across the grid.
#[derive(Debug, Clone)]
pub struct Range {
    pub state: State,
    /// Net per capita under the default options.
    pub default: f64,
    pub min: f64,
    pub min_options: Options,
    pub max: f64,
    pub max_options: Options,
    /// In how many combinations the state is a net receiver.
    pub receiver_count: usize,
    pub sign: Sign,
}

/// Every state's range over `Options::sensitivity_grid()`, in dataset
/// order, and the number of combinations.
pub fn ranges(ledger: &Ledger) -> (Vec<Range>, usize) {
    let data = ledger.data();
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
    (ranges, grid.len())
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
