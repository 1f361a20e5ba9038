//! `fedsplit series`: every year's figures under one choice of options, by
//! state or by bloc, and which states changed sign between years.

use fedsplit_core::State;
use fedsplit_data::Dataset;
use fedsplit_ledger::{Ledger, Options};
use fedsplit_scenario::blocs::nominee_blocs;
use serde::Serialize;

use crate::{Meta, ReportError};

/// One year's figures of a state, a bloc or the nation.
#[derive(Debug, Clone, Serialize)]
pub struct YearFigures {
    pub year: u16,
    pub population: f64,
    pub receipts_usd: f64,
    pub spending_usd: f64,
    pub net_usd: f64,
    pub net_per_capita_usd: f64,
    /// 1 = largest net receiver per capita (states only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StateSeries {
    pub state: &'static str,
    pub name: &'static str,
    pub years: Vec<YearFigures>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlocSeries {
    pub bloc: String,
    /// The states of the bloc (the election's winners do not change with the
    /// fiscal year).
    pub states: Vec<&'static str>,
    pub years: Vec<YearFigures>,
}

/// A state whose sign (net receiver or payer) is not the same every year.
#[derive(Debug, Clone, Serialize)]
pub struct SignChange {
    pub state: &'static str,
    pub name: &'static str,
    /// Per year: "receiver" or "payer".
    pub signs: Vec<&'static str>,
}

/// The answer of `fedsplit series`.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub meta: Meta,
    pub years: Vec<u16>,
    pub national: Vec<YearFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub states: Option<Vec<StateSeries>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocs: Option<Vec<BlocSeries>>,
    /// States that are receivers in some years and payers in others.
    pub sign_changes: Vec<SignChange>,
    /// States that are payers in every year.
    pub payers_every_year: Vec<&'static str>,
}

/// By state (optionally one) or by the blocs of an election's winners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    State,
    Bloc { election: u16 },
}

fn sign(net: f64) -> &'static str {
    if net > 0.0 {
        "receiver"
    } else {
        "payer"
    }
}

/// Every year of `datasets` (ascending, one per fiscal year) under `options`.
pub fn build(
    datasets: &[Dataset],
    options: &Options,
    by: By,
    only: Option<State>,
) -> Result<Series, ReportError> {
    let latest = datasets
        .last()
        .ok_or_else(|| ReportError::Invalid("no fiscal year in the data".into()))?;
    let mut national = Vec::with_capacity(datasets.len());
    // Per state (latest dataset's order), each year's figures.
    let mut per_state: Vec<StateSeries> = latest
        .states
        .iter()
        .map(|s| StateSeries {
            state: s.postal(),
            name: s.name(),
            years: Vec::new(),
        })
        .collect();
    let mut per_bloc: Vec<BlocSeries> = Vec::new();
    for data in datasets {
        let ledger = Ledger::new(data)?;
        let table = ledger.compute(options);
        let ranks = table.ranks();
        let (r, s, net) = table.national();
        let population = data.total_population();
        national.push(YearFigures {
            year: data.fiscal_year,
            population,
            receipts_usd: r,
            spending_usd: s,
            net_usd: net,
            net_per_capita_usd: net / population,
            rank: None,
        });
        for series in &mut per_state {
            let state = State::parse(series.state).expect("a postal code");
            let Some(i) = data.position(state) else {
                return Err(ReportError::Invalid(format!(
                    "FY{} has no row for {}",
                    data.fiscal_year, series.state
                )));
            };
            series.years.push(YearFigures {
                year: data.fiscal_year,
                population: data.population[i],
                receipts_usd: table.receipts_total[i],
                spending_usd: table.spending_total[i],
                net_usd: table.net[i],
                net_per_capita_usd: table.net_per_capita[i],
                rank: Some(ranks[i]),
            });
        }
        if let By::Bloc { election } = by {
            let a = nominee_blocs(data, election)?;
            if per_bloc.is_empty() {
                per_bloc = (0..a.len())
                    .map(|b| BlocSeries {
                        bloc: a.names[b].clone(),
                        states: a.members(b).map(|i| data.states[i].postal()).collect(),
                        years: Vec::new(),
                    })
                    .collect();
            }
            for (b, series) in per_bloc.iter_mut().enumerate() {
                let members: Vec<usize> = a.members(b).collect();
                let sum = |v: &[f64]| members.iter().map(|&i| v[i]).sum::<f64>();
                let population = sum(&data.population);
                let net = sum(&table.net);
                series.years.push(YearFigures {
                    year: data.fiscal_year,
                    population,
                    receipts_usd: sum(&table.receipts_total),
                    spending_usd: sum(&table.spending_total),
                    net_usd: net,
                    net_per_capita_usd: net / population,
                    rank: None,
                });
            }
        }
    }
    let sign_changes = per_state
        .iter()
        .filter(|s| {
            let first = s.years.first().map(|y| sign(y.net_usd));
            s.years.iter().any(|y| Some(sign(y.net_usd)) != first)
        })
        .map(|s| SignChange {
            state: s.state,
            name: s.name,
            signs: s.years.iter().map(|y| sign(y.net_usd)).collect(),
        })
        .collect();
    let payers_every_year = per_state
        .iter()
        .filter(|s| s.years.iter().all(|y| y.net_usd <= 0.0))
        .map(|s| s.state)
        .collect();
    if let Some(state) = only {
        if latest.position(state).is_none() {
            return Err(ReportError::Invalid(format!(
                "--state: {} is not in the dataset",
                state.postal()
            )));
        }
        per_state.retain(|s| s.state == state.postal());
    }
    let mut meta = Meta::new(latest, "series", Some(options));
    meta.years = Some(datasets.iter().map(|d| d.fiscal_year).collect());
    Ok(Series {
        meta,
        years: datasets.iter().map(|d| d.fiscal_year).collect(),
        national,
        states: matches!(by, By::State).then_some(per_state),
        blocs: matches!(by, By::Bloc { .. }).then_some(per_bloc),
        sign_changes,
        payers_every_year,
    })
}
