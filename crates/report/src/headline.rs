//! `fedsplit report`: the headline answers on one screen — the national
//! row, the largest net receivers and payers per capita, which states'
//! signs survive every choice of method, and the red/blue blocs.

use fedsplit_data::Dataset;
use fedsplit_ledger::sensitivity::{self, Sign};
use fedsplit_ledger::{Deficit, Ledger, Method, Options};
use fedsplit_scenario::blocs::nominee_blocs;
use serde::Serialize;

use crate::ledger::rows;
use crate::series::{self, SignChange, YearFigures};
use crate::{Meta, ReportError};

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
    /// The mandatory programs' part of the net, as a share of the net (see
    /// `fedsplit_ledger::Parts`).
    pub mandatory_share_of_net: f64,
    #[serde(skip)]
    pub name: &'static str,
}

/// How states moved across the fiscal years, under the report's options.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub years: Vec<u16>,
    pub national: Vec<YearFigures>,
    pub payers_every_year: Vec<&'static str>,
    pub sign_changes: Vec<SignChange>,
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
    /// The answer in one plain sentence, naming the options that give it.
    pub sentence: String,
    /// States that receive more than their residents pay, under the options.
    pub receivers: usize,
    /// States that pay in when the located gap is charged per resident.
    pub payers_with_gap_per_capita: usize,
    /// The federal deficit of the year (outlays − receipts).
    pub deficit_usd: f64,
    pub national: National,
    pub top_receivers_per_capita: Vec<Ranked>,
    pub top_payers_per_capita: Vec<Ranked>,
    pub sign: Signs,
    pub blocs: Blocs,
    /// Every state, in dataset order.
    pub states: Vec<StateLine>,
    /// Across the fiscal years (absent with one year of data).
    pub moved: Option<Moved>,
}

fn method_words(m: Method) -> &'static str {
    match m {
        Method::Flow => "the flow method (spending where it lands)",
        Method::Benefit => {
            "the benefit method (public goods, interest and the residual per resident)"
        }
    }
}

fn deficit_words(d: Deficit) -> &'static str {
    match d {
        Deficit::None => "the deficit not charged back",
        Deficit::ScaleSpending => "spending scaled down to receipts",
        Deficit::ScaleReceipts => "the located gap charged in proportion to receipts",
        Deficit::PerCapita => "the located gap charged per resident",
        Deficit::FullPerCapita => "the whole deficit charged per resident",
    }
}

/// The report's answer in one sentence: how many states receive more than
/// their residents pay under these options, and how many pay in once the
/// located gap is charged per resident.
pub fn sentence(
    fiscal_year: u16,
    options: &Options,
    receivers: usize,
    states: usize,
    payers_with_gap: usize,
) -> String {
    let mut text = format!(
        "In FY{fiscal_year}, under {} with {}, {receivers} of the {states} states receive more federal spending than their residents pay in federal taxes",
        method_words(options.method),
        deficit_words(options.deficit),
    );
    if options.deficit == Deficit::PerCapita {
        text.push_str(&format!("; {} pay in.", states - receivers));
    } else {
        text.push_str(&format!(
            "; charge the located gap per resident (--deficit per-capita) and {payers_with_gap} pay in."
        ));
    }
    text
}

/// The report for the ledger's year; `years` (every fiscal year's dataset,
/// ascending) gives the block on how states moved.
pub fn build(
    ledger: &Ledger,
    options: &Options,
    years: &[Dataset],
) -> Result<Headline, ReportError> {
    let data = ledger.data();
    let table = ledger.compute(options);
    let balanced = ledger.compute(&Options {
        deficit: Deficit::PerCapita,
        ..*options
    });
    let (mut state_rows, national) = rows(ledger, &table);
    let ranked = |r: &crate::ledger::StateRow| Ranked {
        state: r.state,
        net_per_capita_usd: r.totals.net_per_capita_usd,
        net_usd: r.totals.net_usd,
        rank: r.rank,
        mandatory_share_of_net: r.parts.mandatory_net_usd / r.totals.net_usd,
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
    let receivers = table.net.iter().filter(|&&n| n > 0.0).count();
    let payers_with_gap_per_capita = balanced.net.iter().filter(|&&n| n <= 0.0).count();
    let moved = if years.len() > 1 {
        let s = series::build(years, options, series::By::State, None)?;
        Some(Moved {
            years: s.years,
            national: s.national,
            payers_every_year: s.payers_every_year,
            sign_changes: s.sign_changes,
        })
    } else {
        None
    };
    Ok(Headline {
        meta: Meta::new(data, "report", Some(options)),
        sentence: sentence(
            data.fiscal_year,
            options,
            receivers,
            data.len(),
            payers_with_gap_per_capita,
        ),
        receivers,
        payers_with_gap_per_capita,
        deficit_usd: ledger.deficit(),
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
        moved,
    })
}
