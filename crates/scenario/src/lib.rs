//! Scenarios: overlays on the baseline ledger (METHODOLOGY §4–6).
//!
//! A scenario groups states into blocs and applies policies. Results are
//! differences against the baseline ledger, per state, per bloc and per
//! income class.
//!
//! Modules: `blocs` (bloc statistics: population, GDP, votes, stranded
//! voters, contiguity), `overlay` (Bluexit and devolution), `partition`
//! (each bloc a country), `income` (who gains by AGI class), `spec` (the
//! TOML scenario file).

pub mod blocs;
pub mod examples;
pub mod income;
pub mod overlay;
pub mod partition;
pub mod spec;
pub mod sweep;

use fedsplit_core::State;
use fedsplit_data::Dataset;
use fedsplit_ledger::SpendingLine;

/// Which bloc each state belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Bloc names, in bloc order.
    pub names: Vec<String>,
    /// For each state of the dataset (dataset order), the index of its bloc in `names`.
    pub bloc_of: Vec<usize>,
}

impl Assignment {
    /// Number of blocs.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Dataset positions of the states in bloc `b`, in dataset order.
    pub fn members(&self, b: usize) -> impl Iterator<Item = usize> + '_ {
        self.bloc_of
            .iter()
            .enumerate()
            .filter(move |(_, &x)| x == b)
            .map(|(i, _)| i)
    }

    /// The states of bloc `b`.
    pub fn states(&self, data: &Dataset, b: usize) -> Vec<State> {
        self.members(b).map(|i| data.states[i]).collect()
    }

    /// Index of the bloc named `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// A spending channel a policy can withdraw from a bloc or devolve to states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// Medicaid + CHIP federal share.
    Medicaid,
    /// SNAP benefits.
    Snap,
    /// Other payments to individuals.
    OtherPayments,
    /// Non-Medicaid grants to state and local governments.
    Grants,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Grants,
        Channel::Medicaid,
        Channel::Snap,
        Channel::OtherPayments,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Channel::Medicaid => "medicaid",
            Channel::Snap => "snap",
            Channel::OtherPayments => "other-payments",
            Channel::Grants => "grants",
        }
    }

    /// The ledger line this channel is.
    pub const fn line(self) -> SpendingLine {
        match self {
            Channel::Medicaid => SpendingLine::MedicaidChip,
            Channel::Snap => SpendingLine::Snap,
            Channel::OtherPayments => SpendingLine::OtherPayments,
            Channel::Grants => SpendingLine::Grants,
        }
    }
}

/// How states raise the taxes that replace withdrawn or devolved spending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Instrument {
    /// A flat tax on adjusted gross income.
    #[default]
    AgiFlat,
    /// Proportional to the state's current individual income tax.
    StateIncomeTax,
    /// A sales tax, by personal consumption expenditures.
    SalesTax,
}

impl Instrument {
    pub const ALL: [Instrument; 3] = [
        Instrument::AgiFlat,
        Instrument::StateIncomeTax,
        Instrument::SalesTax,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Instrument::AgiFlat => "agi-flat",
            Instrument::StateIncomeTax => "state-income-tax",
            Instrument::SalesTax => "sales-tax",
        }
    }
}

/// A scenario's changes for each state, in dollars per year, relative to the
/// baseline ledger. Positive means more: more taxes paid, more spending
/// received. Vectors follow dataset state order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StateDeltas {
    /// Change in all federal taxes paid by the state's residents.
    pub federal_taxes: Vec<f64>,
    /// Of which: change in federal individual income tax.
    pub federal_income_tax: Vec<f64>,
    /// Change in federal spending received.
    pub federal_spending: Vec<f64>,
    /// Change in taxes paid to the state (and its local governments).
    pub state_taxes: Vec<f64>,
    /// Change in spending by the state on its residents (programs it took over).
    pub state_spending: Vec<f64>,
    /// The instrument each state uses for its new taxes.
    pub instrument: Vec<Instrument>,
}

impl StateDeltas {
    /// All-zero deltas for `n` states.
    pub fn zeros(n: usize) -> StateDeltas {
        StateDeltas {
            federal_taxes: vec![0.0; n],
            federal_income_tax: vec![0.0; n],
            federal_spending: vec![0.0; n],
            state_taxes: vec![0.0; n],
            state_spending: vec![0.0; n],
            instrument: vec![Instrument::default(); n],
        }
    }

    /// Net change for the state's residents: spending received (federal and
    /// state) less taxes paid (federal and state).
    pub fn net(&self, i: usize) -> f64 {
        self.federal_spending[i] + self.state_spending[i]
            - self.federal_taxes[i]
            - self.state_taxes[i]
    }
}

/// Everything a scenario produces.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub baseline: fedsplit_ledger::LedgerTable,
    pub deltas: StateDeltas,
    pub budget: overlay::FederalBudget,
    pub blocs: Vec<overlay::BlocDelta>,
    pub bloc_stats: Vec<blocs::BlocStats>,
    pub countries: Option<Vec<partition::Country>>,
    pub income: Vec<income::IncomeClassResult>,
    pub income_summary: Vec<income::StateIncomeSummary>,
}

/// Evaluates a scenario on a prepared ledger.
pub fn evaluate(
    ledger: &fedsplit_ledger::Ledger,
    scenario: &spec::Scenario,
) -> Result<Evaluation, blocs::BlocError> {
    let data = ledger.data();
    let baseline = ledger.compute(&scenario.options);
    let mut deltas = StateDeltas::zeros(data.len());
    let budget = overlay::apply(data, &baseline, scenario, &mut deltas);
    let bloc_deltas = overlay::by_bloc(data, scenario, &deltas);
    let bloc_stats = blocs::bloc_stats(data, &scenario.assignment, scenario.votes_year)?;
    let countries = scenario
        .partition
        .as_ref()
        .map(|p| partition::partition(ledger, &scenario.options, &scenario.assignment, p));
    let (income, income_summary) = income::by_income_class(data, &deltas);
    Ok(Evaluation {
        baseline,
        deltas,
        budget,
        blocs: bloc_deltas,
        bloc_stats,
        countries,
        income,
        income_summary,
    })
}
