//! `fedsplit scenario`: a scenario's changes against the baseline, by bloc
//! and by state, the federal budget after, the blocs' votes and contiguity,
//! the partition's countries and who gains by income class.

use fedsplit_core::State;
use fedsplit_data::Party;
use fedsplit_ledger::Ledger;
use fedsplit_scenario::income::{IncomeClassResult, StateIncomeSummary};
use fedsplit_scenario::partition::Country;
use fedsplit_scenario::spec::Scenario;
use fedsplit_scenario::Channel;
use serde::Serialize;

use crate::{postal_codes, Meta, ReportError};

#[derive(Debug, Clone, Serialize)]
pub struct Votes {
    pub dem: u64,
    pub rep: u64,
    pub other: u64,
    pub total: u64,
}

/// One bloc: its changes, votes and contiguity.
#[derive(Debug, Clone, Serialize)]
pub struct BlocRow {
    pub bloc: String,
    pub states: Vec<&'static str>,
    pub population: f64,
    pub gdp_usd: f64,
    pub federal_taxes_delta_usd: f64,
    pub federal_income_tax_delta_usd: f64,
    pub federal_spending_delta_usd: f64,
    pub state_taxes_delta_usd: f64,
    pub state_spending_delta_usd: f64,
    pub net_delta_usd: f64,
    pub net_delta_per_resident_usd: f64,
    /// Federal taxes kept per dollar of federal spending lost; `None` when
    /// no spending is lost.
    pub dollars_kept_per_dollar_lost: Option<f64>,
    /// The change in the federal deficit per US resident: the new borrowing
    /// that finances the changes (no one is charged for it in the nets), at
    /// an equal share per head.
    pub new_borrowing_per_resident_usd: f64,
    pub votes: Votes,
    /// "D", "R" or "tie".
    pub winner: &'static str,
    pub stranded_voters: u64,
    pub state_stranded_voters: u64,
    pub contiguous: bool,
    pub exclaves: Vec<&'static str>,
    /// Land-connected pieces, most populous first (for the table).
    #[serde(skip)]
    pub components: Vec<Vec<State>>,
}

/// One state's changes.
#[derive(Debug, Clone, Serialize)]
pub struct StateRow {
    pub state: &'static str,
    pub bloc: String,
    pub federal_taxes_delta_usd: f64,
    pub federal_income_tax_delta_usd: f64,
    pub federal_spending_delta_usd: f64,
    pub state_taxes_delta_usd: f64,
    pub state_spending_delta_usd: f64,
    pub net_delta_usd: f64,
    pub net_delta_per_resident_usd: f64,
    pub instrument: &'static str,
    #[serde(skip)]
    pub name: &'static str,
    #[serde(skip)]
    pub population: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FederalBudget {
    pub receipts_before_usd: f64,
    pub receipts_after_usd: f64,
    pub outlays_before_usd: f64,
    pub outlays_after_usd: f64,
    pub deficit_before_usd: f64,
    pub deficit_after_usd: f64,
    pub spending_cut_usd: f64,
    /// After − before: new federal borrowing when positive.
    pub deficit_change_usd: f64,
    pub deficit_change_per_resident_usd: f64,
}

/// One bloc as a country (partition).
#[derive(Debug, Clone, Serialize)]
pub struct CountryRow {
    pub country: String,
    pub population: f64,
    pub gdp_usd: f64,
    pub revenue_usd: f64,
    pub located_spending_usd: f64,
    pub public_goods_usd: f64,
    pub other_unlocated_usd: f64,
    pub primary_spending_usd: f64,
    pub primary_balance_usd: f64,
    pub debt_share: f64,
    pub debt_usd: f64,
    pub interest_usd: f64,
    pub overall_balance_usd: f64,
    pub debt_to_gdp: f64,
    pub tax_change_to_balance: f64,
    pub tax_change_to_keep_deficit_share: f64,
}

/// One state × AGI class (for the income table and CSV).
#[derive(Debug, Clone, Serialize)]
pub struct IncomeRow {
    pub state: &'static str,
    pub agi_class: u8,
    pub agi_class_label: &'static str,
    pub returns: f64,
    pub income_tax_saved_usd: f64,
    pub replacement_tax_usd: f64,
    pub net_usd: f64,
    pub net_per_return_usd: f64,
    pub better_off: bool,
}

/// One bloc × AGI class: the class's returns across the bloc's states.
#[derive(Debug, Clone, Serialize)]
pub struct IncomeBlocRow {
    pub bloc: String,
    pub agi_class: u8,
    pub agi_class_label: &'static str,
    pub returns: f64,
    /// Returns in the bloc's states where this class is better off.
    pub returns_better_off: f64,
    pub share_better_off: f64,
    pub income_tax_saved_usd: f64,
    pub replacement_tax_usd: f64,
    pub net_usd: f64,
    pub net_per_return_usd: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncomeSummaryRow {
    pub state: &'static str,
    pub returns: f64,
    pub returns_better_off: f64,
    pub share_better_off: f64,
    #[serde(skip)]
    pub name: &'static str,
}

impl ScenarioReport {
    /// The state × AGI class rows (also when the JSON leaves them out).
    pub fn state_income(&self) -> &[IncomeRow] {
        self.income.as_deref().unwrap_or_default()
    }

    /// Leaves the state × class rows out of the JSON unless `keep`.
    pub fn with_state_income(mut self, keep: bool) -> ScenarioReport {
        if !keep {
            self.income = None;
        }
        self
    }
}

/// A scenario's whole answer.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    pub meta: Meta,
    /// The policies in force, one line each.
    pub policies: Vec<String>,
    pub blocs: Vec<BlocRow>,
    pub states: Vec<StateRow>,
    pub federal_budget: FederalBudget,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<Vec<CountryRow>>,
    /// Per state × AGI class; in the JSON only when asked (`--by income`,
    /// `?by=income`): 10 rows a state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income: Option<Vec<IncomeRow>>,
    pub income_summary: Vec<IncomeSummaryRow>,
    pub income_by_bloc: Vec<IncomeBlocRow>,
    /// Whether a Bluexit or devolution overlay changes anything inside the union.
    #[serde(skip)]
    pub overlay: bool,
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub description: String,
}

pub fn winner_letter(winner: Option<Party>) -> &'static str {
    match winner {
        Some(Party::Democratic) => "D",
        Some(Party::Republican) => "R",
        None => "tie",
    }
}

fn fixed0(value: f64) -> String {
    let s = format!("{value:.0}");
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// The policies in force, one line each (also in the JSON).
pub fn policies_text(s: &Scenario) -> Vec<String> {
    let mut lines = Vec::new();
    let channels = |set: [bool; 4]| -> String {
        let names: Vec<&str> = Channel::ALL
            .iter()
            .zip(set)
            .filter(|(_, on)| *on)
            .map(|(c, _)| c.name())
            .collect();
        if names.is_empty() {
            "nothing".into()
        } else {
            names.join("+")
        }
    };
    if let Some(b) = &s.bluexit {
        lines.push(format!(
            "bluexit (federal response: {})",
            b.federal_response.name()
        ));
        for (name, p) in s.assignment.names.iter().zip(&b.blocs) {
            lines.push(format!(
                "  {name}: income tax ×{}, withdraw {}, replace {}% by {} ({} pooling)",
                p.income_tax_scale,
                channels(p.withdraw),
                fixed0(100.0 * p.replace_share),
                p.instrument.name(),
                p.pooling.name()
            ));
        }
    }
    if let Some(d) = &s.devolution {
        lines.push("devolution (federal income tax cut by the same national amount)".into());
        for (name, p) in s.assignment.names.iter().zip(&d.blocs) {
            lines.push(format!(
                "  {name}: devolve {}, states pay by {}",
                channels(p.programs),
                p.instrument.name()
            ));
        }
    }
    if let Some(p) = &s.partition {
        lines.push(format!(
            "partition (public goods by {}, debt by {})",
            p.public_goods_key.name(),
            p.debt_key.name()
        ));
    }
    if !s.county_moves.is_empty() {
        let n = s.county_moves.len();
        lines.push(format!(
            "{n} county move{} (blocs.counties): on the counties graph only (--graph counties); the figures here are by state",
            if n == 1 { "" } else { "s" }
        ));
    }
    lines
}

fn country_row(c: &Country) -> CountryRow {
    CountryRow {
        country: c.name.clone(),
        population: c.population,
        gdp_usd: c.gdp_usd,
        revenue_usd: c.revenue_usd,
        located_spending_usd: c.located_spending_usd,
        public_goods_usd: c.public_goods_usd,
        other_unlocated_usd: c.other_unlocated_usd,
        primary_spending_usd: c.primary_spending_usd,
        primary_balance_usd: c.primary_balance_usd,
        debt_share: c.debt_share,
        debt_usd: c.debt_usd,
        interest_usd: c.interest_usd,
        overall_balance_usd: c.overall_balance_usd,
        debt_to_gdp: c.debt_to_gdp,
        tax_change_to_balance: c.tax_change_to_balance,
        tax_change_to_keep_deficit_share: c.tax_change_to_keep_deficit_share,
    }
}

fn income_row(r: &IncomeClassResult) -> IncomeRow {
    IncomeRow {
        state: r.state.postal(),
        agi_class: r.agi_class,
        agi_class_label: r.agi_class_label,
        returns: r.returns,
        income_tax_saved_usd: r.income_tax_saved_usd,
        replacement_tax_usd: r.replacement_tax_usd,
        net_usd: r.net_usd,
        net_per_return_usd: r.net_per_return_usd,
        better_off: r.better_off,
    }
}

fn income_summary_row(r: &StateIncomeSummary) -> IncomeSummaryRow {
    IncomeSummaryRow {
        state: r.state.postal(),
        returns: r.returns,
        returns_better_off: r.returns_better_off,
        share_better_off: r.share_better_off,
        name: r.state.name(),
    }
}

/// Sums the state × class rows over each bloc's states, class by class.
fn income_by_bloc(
    rows: &[IncomeClassResult],
    names: &[String],
    bloc_of: &[usize],
    data: &fedsplit_data::Dataset,
) -> Vec<IncomeBlocRow> {
    let mut out: Vec<IncomeBlocRow> = Vec::new();
    for (b, name) in names.iter().enumerate() {
        let start = out.len();
        for r in rows {
            let Some(i) = data.position(r.state) else {
                continue;
            };
            if bloc_of[i] != b {
                continue;
            }
            let row = match out[start..].iter_mut().find(|x| x.agi_class == r.agi_class) {
                Some(row) => row,
                None => {
                    out.push(IncomeBlocRow {
                        bloc: name.clone(),
                        agi_class: r.agi_class,
                        agi_class_label: r.agi_class_label,
                        returns: 0.0,
                        returns_better_off: 0.0,
                        share_better_off: 0.0,
                        income_tax_saved_usd: 0.0,
                        replacement_tax_usd: 0.0,
                        net_usd: 0.0,
                        net_per_return_usd: 0.0,
                    });
                    out.last_mut().expect("just pushed")
                }
            };
            row.returns += r.returns;
            if r.better_off {
                row.returns_better_off += r.returns;
            }
            row.income_tax_saved_usd += r.income_tax_saved_usd;
            row.replacement_tax_usd += r.replacement_tax_usd;
            row.net_usd += r.net_usd;
        }
        out[start..].sort_by_key(|x| x.agi_class);
    }
    for row in &mut out {
        if row.returns > 0.0 {
            row.share_better_off = row.returns_better_off / row.returns;
            row.net_per_return_usd = row.net_usd / row.returns;
        }
    }
    out
}

/// Evaluates a compiled scenario.
pub fn build(ledger: &Ledger, scenario: &Scenario) -> Result<ScenarioReport, ReportError> {
    let data = ledger.data();
    let e = fedsplit_scenario::evaluate(ledger, scenario)?;
    let mut meta = Meta::new(data, "scenario", Some(&scenario.options));
    meta.scenario = Some(scenario.name.clone());
    meta.votes_year = Some(scenario.votes_year);
    let a = &scenario.assignment;
    let d = &e.deltas;
    let borrowing = e.budget.deficit_after() - e.budget.deficit_before();
    let borrowing_per_resident = borrowing / data.total_population();
    let states = data
        .states
        .iter()
        .enumerate()
        .map(|(i, st)| StateRow {
            state: st.postal(),
            bloc: a.names[a.bloc_of[i]].clone(),
            federal_taxes_delta_usd: d.federal_taxes[i],
            federal_income_tax_delta_usd: d.federal_income_tax[i],
            federal_spending_delta_usd: d.federal_spending[i],
            state_taxes_delta_usd: d.state_taxes[i],
            state_spending_delta_usd: d.state_spending[i],
            net_delta_usd: d.net(i),
            net_delta_per_resident_usd: d.net(i) / data.population[i],
            instrument: d.instrument[i].name(),
            name: st.name(),
            population: data.population[i],
        })
        .collect();
    let blocs = e
        .blocs
        .iter()
        .zip(&e.bloc_stats)
        .map(|(b, st)| BlocRow {
            bloc: b.name.clone(),
            states: postal_codes(&st.states),
            population: b.population,
            gdp_usd: st.gdp_usd,
            federal_taxes_delta_usd: b.federal_taxes,
            federal_income_tax_delta_usd: b.federal_income_tax,
            federal_spending_delta_usd: b.federal_spending,
            state_taxes_delta_usd: b.state_taxes,
            state_spending_delta_usd: b.state_spending,
            net_delta_usd: b.net,
            net_delta_per_resident_usd: b.net_per_resident,
            dollars_kept_per_dollar_lost: b.dollar_ratio,
            new_borrowing_per_resident_usd: borrowing_per_resident,
            votes: Votes {
                dem: st.dem_votes,
                rep: st.rep_votes,
                other: st.other_votes,
                total: st.total_votes,
            },
            winner: winner_letter(st.winner),
            stranded_voters: st.stranded_voters,
            state_stranded_voters: st.state_stranded_voters,
            contiguous: st.contiguous,
            exclaves: postal_codes(&st.exclaves),
            components: st.components.clone(),
        })
        .collect();
    let b = &e.budget;
    Ok(ScenarioReport {
        meta,
        policies: policies_text(scenario),
        blocs,
        states,
        federal_budget: FederalBudget {
            receipts_before_usd: b.receipts_before,
            receipts_after_usd: b.receipts_after,
            outlays_before_usd: b.outlays_before,
            outlays_after_usd: b.outlays_after,
            deficit_before_usd: b.deficit_before(),
            deficit_after_usd: b.deficit_after(),
            spending_cut_usd: b.spending_cut,
            deficit_change_usd: borrowing,
            deficit_change_per_resident_usd: borrowing_per_resident,
        },
        partition: e
            .countries
            .as_ref()
            .map(|cs| cs.iter().map(country_row).collect()),
        income_by_bloc: income_by_bloc(&e.income, &a.names, &a.bloc_of, data),
        income: Some(e.income.iter().map(income_row).collect()),
        income_summary: e.income_summary.iter().map(income_summary_row).collect(),
        overlay: scenario.bluexit.is_some() || scenario.devolution.is_some(),
        name: scenario.name.clone(),
        description: scenario.description.clone(),
    })
}

/// A shipped example as the web page takes it.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub name: &'static str,
    pub description: String,
    /// The scenario file as JSON (what `POST /api/scenario` takes).
    pub scenario: serde_json::Value,
}

/// Every shipped example.
pub fn examples() -> Vec<Example> {
    fedsplit_scenario::examples::EXAMPLES
        .iter()
        .map(|(name, text)| Example {
            name,
            description: fedsplit_scenario::spec::parse(name, text)
                .map(|s| s.description)
                .unwrap_or_default(),
            scenario: toml::from_str(text).unwrap_or(serde_json::Value::Null),
        })
        .collect()
}
