//! `fedsplit report`: the headline answers on one screen — the national
//! row, the largest net receivers and payers per capita, which states'
//! signs survive every choice of method, and the red/blue blocs.

use fedsplit_ledger::sensitivity::{self, Sign};
use fedsplit_ledger::{Deficit, Ledger, Options};
use fedsplit_scenario::blocs::nominee_blocs;
use serde::Serialize;

use crate::ledger::rows;
use crate::Meta;

/// The election whose winners define the red/blue blocs.
pub const BLOC_ELECTION: u16 = 2024;

#[derive(Debug, Clone, Serialize)]
pub struct National {
    pub receipts_usd: f64,
    pub spending_usd: f64,
    pub net_usd: f64,
    pub net_per_capita_usd: f64,
    #[serde(skip)]
    pub net_pct_gdp: f64,
    #[serde(skip)]
    pub states: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub state: &'static str,
    pub net_per_capita_usd: f64,
    pub net_usd: f64,
    pub rank: usize,
    #[serde(skip)]
    pub name: &'static str,
}

/// Which states are receivers or payers under every combination.
#[derive(Debug, Clone, Serialize)]
pub struct Signs {
    pub combinations: usize,
    pub always_receiver: Vec<&'static str>,
    pub always_payer: Vec<&'static str>,
    pub depends: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bloc {
    pub bloc: String,
    pub states: Vec<&'static str>,
    pub population: f64,
    pub receipts_usd: f64,
    pub spending_usd: f64,
    pub net_usd: f64,
    pub net_per_capita_usd: f64,
    /// Net per capita with the deficit charged per resident (national net 0).
    pub net_per_capita_deficit_per_capita_usd: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Blocs {
    pub election: u16,
    pub blocs: Vec<Bloc>,
}

/// One state's line of the report: its net, rank, sign across the option
/// grid and red/blue bloc.
#[derive(Debug, Clone, Serialize)]
pub struct StateLine {
    pub state: &'static str,
    pub name: &'static str,
    pub net_usd: f64,
    pub net_per_capita_usd: f64,
    pub rank: usize,
    pub sign_across_options: &'static str,
    pub bloc: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub meta: Meta,
    pub national: National,
    pub top_receivers_per_capita: Vec<Ranked>,
    pub top_payers_per_capita: Vec<Ranked>,
    pub sign: Signs,
    pub blocs: Blocs,
    /// Every state, in dataset order.
    pub states: Vec<StateLine>,
}

pub fn build(ledger: &Ledger, options: &Options) -> Headline {
    let data = ledger.data();
    let table = ledger.compute(options);
    let balanced = ledger.compute(&Options {
        deficit: Deficit::PerCapita,
        ..*options
    });
    let (mut state_rows, national) = rows(data, &table);
    let ranked = |r: &crate::ledger::StateRow| Ranked {
        state: r.state,
        net_per_capita_usd: r.totals.net_per_capita_usd,
        net_usd: r.totals.net_usd,
        rank: r.rank,
        name: r.name,
    };
    let (ranges, combinations) = sensitivity::ranges(ledger);
    let by_sign = |sign: Sign| -> Vec<&'static str> {
        ranges
            .iter()
            .filter(|r| r.sign == sign)
            .map(|r| r.state.postal())
            .collect()
    };
    // A dataset without the election's results has no red/blue blocs.
    let blocs: Vec<Bloc> = nominee_blocs(data, BLOC_ELECTION)
        .map(|a| {
            (0..a.len())
                .map(|b| {
                    let members: Vec<usize> = a.members(b).collect();
                    let sum = |v: &[f64]| members.iter().map(|&i| v[i]).sum::<f64>();
                    let population = sum(&data.population);
                    let net = sum(&table.net);
                    Bloc {
                        bloc: a.names[b].clone(),
                        states: members.iter().map(|&i| data.states[i].postal()).collect(),
                        population,
                        receipts_usd: sum(&table.receipts_total),
                        spending_usd: sum(&table.spending_total),
                        net_usd: net,
                        net_per_capita_usd: net / population,
                        net_per_capita_deficit_per_capita_usd: sum(&balanced.net) / population,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let bloc_of = |code: &str| {
        blocs
            .iter()
            .find(|b: &&Bloc| b.states.contains(&code))
            .map(|b| b.bloc.clone())
    };
    let states = state_rows
        .iter()
        .zip(&ranges)
        .map(|(r, range)| StateLine {
            state: r.state,
            name: r.name,
            net_usd: r.totals.net_usd,
            net_per_capita_usd: r.totals.net_per_capita_usd,
            rank: r.rank,
            sign_across_options: range.sign.label(),
            bloc: bloc_of(r.state),
        })
        .collect();
    state_rows.sort_by_key(|r| r.rank);
    Headline {
        meta: Meta::new(data, "report", Some(options)),
        national: National {
            receipts_usd: national.totals.receipts_usd,
            spending_usd: national.totals.spending_usd,
            net_usd: national.totals.net_usd,
            net_per_capita_usd: national.totals.net_per_capita_usd,
            net_pct_gdp: national.totals.net_pct_gdp,
            states: data.len(),
        },
        top_receivers_per_capita: state_rows.iter().take(5).map(ranked).collect(),
        top_payers_per_capita: state_rows.iter().rev().take(5).map(ranked).collect(),
        sign: Signs {
            combinations,
            always_receiver: by_sign(Sign::AlwaysReceiver),
            always_payer: by_sign(Sign::AlwaysPayer),
            depends: by_sign(Sign::Depends),
        },
        blocs: Blocs {
            election: BLOC_ELECTION,
            blocs,
        },
        states,
    }
}
