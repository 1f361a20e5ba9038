//! Partition: each bloc becomes an independent country (METHODOLOGY §5).
//!
//! Every bloc keeps the receipts attributed to its residents and the
//! spending located in its states, takes a share of the spending that is
//! not located (national public goods, international affairs, the rest of
//! the residual) and a share of the debt held by the public, on which it
//! pays interest at today's average rate. The countries' budgets add up to
//! today's federal budget: Σ revenue = total receipts, Σ (primary spending
//! + interest) = total outlays, Σ debt = debt held by the public.
//!
//! The rules, in the order `partition` applies them:
//!
//! 1. Revenue = the receipts attributed to the bloc's states under the
//!    caller's options, with the deficit treatment forced to `none`: a
//!    country has no federal deficit to be charged.
//! 2. Located spending = the bloc's Social Security, Medicare (both follow
//!    beneficiaries' residence), Medicaid + CHIP, SNAP, other payments,
//!    grants, federal wages and procurement, under the benefit method: the
//!    national public goods (defense 050 + general government 800 − 806,
//!    control `outlays.national_public_goods`) are taken out of wages and
//!    procurement pro rata, because rule 3 shares them out instead.
//! 3. Public goods = (national public goods + international affairs 150)
//!    × the bloc's share of the public-goods key (population or GDP).
//! 4. Other unlocated = (residual − international affairs 150) × the bloc's
//!    population share: the residual's remaining items (undistributed
//!    offsetting receipts, the FY2022 student-loan one-off, the gaps between
//!    sources).
//! 5. Primary spending = 2 + 3 + 4; primary balance = revenue − primary
//!    spending.
//! 6. Debt = debt held by the public × the bloc's share of the debt key
//!    (population, GDP or net benefit). Debt shares sum to 1.
//! 7. Interest = debt × the average rate, net interest ÷ debt held by the
//!    public.
//! 8. Overall balance = primary balance − interest; debt/GDP = debt ÷ GDP.
//! 9. Tax changes, as fractions of the bloc's revenue: to balance the budget,
//!    −overall balance ÷ revenue; to keep today's deficit share, (target −
//!    overall balance) ÷ revenue, where the target is today's national
//!    overall balance (receipts − outlays) × the bloc's GDP share.
//!
//! A control missing from the dataset is taken as 0 only for
//! `outlays.international_affairs_150` (older or hand-made datasets, such as
//! the toy fixture, lack it): international affairs then stays inside the
//! residual and is shared per capita by rule 4 instead of by the public-goods
//! key of rule 3; the totals are unchanged.
//!
//! An empty bloc is a country with no states: its amounts are 0 and its
//! ratios (debt/GDP, tax changes) are NaN.

use fedsplit_core::State;
use fedsplit_data::schema::control;
use fedsplit_data::Dataset;
use fedsplit_ledger::{Deficit, Interest, Ledger, Method, Options, Residual, SpendingLine};

use crate::Assignment;

/// Control id of international affairs (function 150), shared out with the
/// national public goods. Optional in a dataset (missing = 0).
pub const INTERNATIONAL_AFFAIRS: &str = "outlays.international_affairs_150";

/// The ledger lines that are located in states (rule 2): the channels from
/// Social Security through procurement, the first eight of the ledger's.
pub const LOCATED_LINES: &[SpendingLine] = SpendingLine::ALL.split_at(8).0;

/// How national public goods (defense, general government, international
/// affairs) are shared among the countries.
///
/// METHODOLOGY §5 also lists "today's % of GDP": each country spending on
/// public goods the share of its GDP the United States spends today. That is
/// public goods × (bloc GDP ÷ national GDP), the same as the `Gdp` key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PublicGoodsKey {
    /// By population share.
    #[default]
    Population,
    /// By GDP share (equivalently: today's public goods as a % of GDP).
    Gdp,
}

impl PublicGoodsKey {
    pub const ALL: [PublicGoodsKey; 2] = [PublicGoodsKey::Population, PublicGoodsKey::Gdp];

    pub const fn name(self) -> &'static str {
        match self {
            PublicGoodsKey::Population => "population",
            PublicGoodsKey::Gdp => "gdp",
        }
    }
}

/// How the debt held by the public is split among the countries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DebtKey {
    /// By population share.
    #[default]
    Population,
    /// By GDP share.
    Gdp,
    /// By the bloc's share of the net benefit of the year (spending −
    /// receipts under the flow method with the options' corporate and
    /// procurement keys, interest and residual excluded, no deficit
    /// adjustment): a one-year proxy for the cumulative net benefit that
    /// built the debt (the "historical benefit" key of the Quebec debates).
    /// A bloc of net payers takes **no** debt (floored at 0: it would
    /// otherwise leave with a negative share, as a creditor of the others —
    /// California at −10.7% in a Calexit); the blocs with a positive net
    /// share the debt in proportion to it. If no bloc has a positive net,
    /// the debt is split by population.
    NetBenefit,
}

impl DebtKey {
    pub const ALL: [DebtKey; 3] = [DebtKey::Population, DebtKey::Gdp, DebtKey::NetBenefit];

    pub const fn name(self) -> &'static str {
        match self {
            DebtKey::Population => "population",
            DebtKey::Gdp => "gdp",
            DebtKey::NetBenefit => "net-benefit",
        }
    }
}

/// The partition's choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct PartitionParams {
    pub public_goods_key: PublicGoodsKey,
    pub debt_key: DebtKey,
}

/// One bloc as an independent country, in dollars per year (FY2022) unless
/// stated.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    pub name: String,
    pub states: Vec<State>,
    pub population: f64,
    pub gdp_usd: f64,
    /// Rule 1: receipts attributed to the bloc's residents.
    pub revenue_usd: f64,
    /// Rule 2: spending located in the bloc (benefit method).
    pub located_spending_usd: f64,
    /// Rule 3: share of defense, general government and international affairs.
    pub public_goods_usd: f64,
    /// Rule 4: share of the rest of the residual, per capita.
    pub other_unlocated_usd: f64,
    /// Rule 5: located spending + public goods + other unlocated.
    pub primary_spending_usd: f64,
    /// Rule 5: revenue − primary spending.
    pub primary_balance_usd: f64,
    /// Rule 6: share of the debt held by the public (0 to 1; the shares sum to 1).
    pub debt_share: f64,
    /// Rule 6: debt held by the public × debt share.
    pub debt_usd: f64,
    /// Rule 7: debt × today's average rate.
    pub interest_usd: f64,
    /// Rule 8: primary balance − interest.
    pub overall_balance_usd: f64,
    /// Rule 8: debt ÷ GDP.
    pub debt_to_gdp: f64,
    /// Rule 9: uniform change in revenue that balances the budget, as a
    /// fraction of revenue (0.12 = taxes up 12%).
    pub tax_change_to_balance: f64,
    /// Rule 9: uniform change in revenue that brings the overall balance to
    /// today's national balance × the bloc's GDP share, as a fraction of
    /// revenue.
    pub tax_change_to_keep_deficit_share: f64,
}

/// Each bloc of `a` as an independent country, in bloc order. `options`
/// chooses the receipt keys (rule 1) and the procurement key (rule 2); its
/// method, deficit, interest and residual treatments are overridden as the
/// rules say. Computes the ledger once, or twice for `DebtKey::NetBenefit`.
///
/// Panics if `a` does not assign every state of the ledger's dataset.
pub fn partition(
    ledger: &Ledger,
    options: &Options,
    a: &Assignment,
    p: &PartitionParams,
) -> Vec<Country> {
    let data: &Dataset = ledger.data();
    let n = data.len();
    assert_eq!(
        a.bloc_of.len(),
        n,
        "assignment covers {} states, dataset has {n}",
        a.bloc_of.len()
    );
    let c = &data.controls;
    let receipts_control = c.get(control::RECEIPTS_TOTAL);
    let outlays_control = c.get(control::OUTLAYS_TOTAL);
    let public_goods = c.get(control::NATIONAL_PUBLIC_GOODS);
    let international = c.item(INTERNATIONAL_AFFAIRS).map_or(0.0, |i| i.amount_usd);
    let residual = c.get(control::OUTLAYS_RESIDUAL);
    let debt = c.get(control::DEBT_HELD_BY_PUBLIC);
    let rate = c.get(control::OUTLAYS_NET_INTEREST) / debt;

    // 1–2. Receipts do not depend on the method, so one benefit-method
    // table with no deficit adjustment gives both revenue and located
    // spending.
    let benefit = ledger.compute(&Options {
        method: Method::Benefit,
        deficit: Deficit::None,
        ..*options
    });
    let located: Vec<f64> = (0..n)
        .map(|i| LOCATED_LINES.iter().map(|&l| benefit.spend(l)[i]).sum())
        .collect();

    // 6. The net-benefit key: flow-method net with interest and the residual
    // excluded (only located flows count as benefit).
    let flow_net = (p.debt_key == DebtKey::NetBenefit).then(|| {
        ledger
            .compute(&Options {
                method: Method::Flow,
                deficit: Deficit::None,
                interest: Some(Interest::Exclude),
                residual: Some(Residual::Exclude),
                ..*options
            })
            .net
    });

    let total_population = data.total_population();
    let total_gdp: f64 = data.gdp_usd.iter().sum();
    let sum = |v: &[f64], b: usize| -> f64 { a.members(b).map(|i| v[i]).sum() };
    // Net-benefit key: only blocs with a positive net take a share.
    let positive_net_total: f64 = flow_net
        .as_ref()
        .map_or(0.0, |net| (0..a.len()).map(|b| sum(net, b).max(0.0)).sum());

    (0..a.len())
        .map(|b| {
            let population = sum(&data.population, b);
            let gdp_usd = sum(&data.gdp_usd, b);
            let population_share = population / total_population;
            let gdp_share = gdp_usd / total_gdp;

            // 1.
            let revenue_usd = sum(&benefit.receipts_total, b);
            // 2.
            let located_spending_usd = sum(&located, b);
            // 3.
            let public_goods_usd = (public_goods + international)
                * match p.public_goods_key {
                    PublicGoodsKey::Population => population_share,
                    PublicGoodsKey::Gdp => gdp_share,
                };
            // 4.
            let other_unlocated_usd = (residual - international) * population_share;
            // 5.
            let primary_spending_usd =
                located_spending_usd + public_goods_usd + other_unlocated_usd;
            let primary_balance_usd = revenue_usd - primary_spending_usd;
            // 6.
            let debt_share = match (p.debt_key, &flow_net) {
                (DebtKey::Population, _) => population_share,
                (DebtKey::Gdp, _) => gdp_share,
                (DebtKey::NetBenefit, _) if positive_net_total <= 0.0 => population_share,
                (DebtKey::NetBenefit, Some(net)) => sum(net, b).max(0.0) / positive_net_total,
                (DebtKey::NetBenefit, None) => unreachable!("flow net computed for net-benefit"),
            };
            let debt_usd = debt * debt_share;
            // 7.
            let interest_usd = debt_usd * rate;
            // 8.
            let overall_balance_usd = primary_balance_usd - interest_usd;
            let debt_to_gdp = debt_usd / gdp_usd;
            // 9. A positive change raises taxes. Revenue must move by
            // (target − overall balance); the target is 0 to balance.
            let target = (receipts_control - outlays_control) * gdp_share;
            let tax_change_to_balance = -overall_balance_usd / revenue_usd;
            let tax_change_to_keep_deficit_share = (target - overall_balance_usd) / revenue_usd;

            Country {
                name: a.names[b].clone(),
                states: a.states(data, b),
                population,
                gdp_usd,
                revenue_usd,
                located_spending_usd,
                public_goods_usd,
                other_unlocated_usd,
                primary_spending_usd,
                primary_balance_usd,
                debt_share,
                debt_usd,
                interest_usd,
                overall_balance_usd,
                debt_to_gdp,
                tax_change_to_balance,
                tax_change_to_keep_deficit_share,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fedsplit_ledger::{CorporateKey, ProcurementKey};
    use std::path::PathBuf;

    fn toy() -> Dataset {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/toy");
        Dataset::from_dir(&dir).expect("toy fixture loads")
    }

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "got {actual}, expected {expected}"
        );
    }

    /// 2024 red/blue: Democratic = states where Harris out-polled Trump.
    fn red_blue(data: &Dataset) -> Assignment {
        let bloc_of = data
            .election(2024)
            .iter()
            .map(|e| usize::from(e.dem_votes <= e.rep_votes))
            .collect::<Vec<_>>();
        assert_eq!(bloc_of.len(), data.len());
        Assignment {
            names: vec!["Democratic".into(), "Republican".into()],
            bloc_of,
        }
    }

    /// Three blocs of consecutive states in dataset (FIPS) order: positions
    /// 0..17, 17..34, 34..51.
    fn thirds(data: &Dataset) -> Assignment {
        let n = data.len();
        Assignment {
            names: vec!["first".into(), "second".into(), "third".into()],
            bloc_of: (0..n).map(|i| i * 3 / n).collect(),
        }
    }

    fn option_grid() -> Vec<Options> {
        vec![
            Options::default(),
            Options {
                method: Method::Benefit,
                deficit: Deficit::PerCapita,
                ..Options::default()
            },
            Options {
                deficit: Deficit::ScaleSpending,
                corporate_key: CorporateKey::Headquarters,
                procurement_key: ProcurementKey::Population,
                interest: Some(Interest::Income),
                residual: Some(Residual::PerCapita),
                ..Options::default()
            },
            Options {
                deficit: Deficit::ScaleReceipts,
                corporate_key: CorporateKey::Gdp,
                procurement_key: ProcurementKey::Gdp,
                ..Options::default()
            },
        ]
    }

    /// Σ revenue = receipts, Σ (primary spending + interest) = outlays,
    /// Σ debt = debt, within $1; shares and tax changes consistent.
    fn check_conservation(data: &Dataset, a: &Assignment) {
        let ledger = Ledger::new(data).unwrap();
        let c = &data.controls;
        let receipts = c.get(control::RECEIPTS_TOTAL);
        let outlays = c.get(control::OUTLAYS_TOTAL);
        let debt = c.get(control::DEBT_HELD_BY_PUBLIC);
        for options in option_grid() {
            for public_goods_key in PublicGoodsKey::ALL {
                for debt_key in DebtKey::ALL {
                    let p = PartitionParams {
                        public_goods_key,
                        debt_key,
                    };
                    let countries = partition(&ledger, &options, a, &p);
                    assert_eq!(countries.len(), a.len());
                    let total = |f: fn(&Country) -> f64| countries.iter().map(f).sum::<f64>();
                    close(total(|c| c.revenue_usd), receipts, 1.0);
                    close(
                        total(|c| c.primary_spending_usd + c.interest_usd),
                        outlays,
                        1.0,
                    );
                    close(total(|c| c.debt_usd), debt, 1.0);
                    close(total(|c| c.debt_share), 1.0, 1e-9);
                    close(
                        total(|c| c.interest_usd),
                        c.get(control::OUTLAYS_NET_INTEREST),
                        1.0,
                    );
                    close(total(|c| c.overall_balance_usd), receipts - outlays, 1.0);
                    // Keeping today's deficit shares is revenue-neutral overall.
                    close(
                        total(|c| c.tax_change_to_keep_deficit_share * c.revenue_usd),
                        0.0,
                        1.0,
                    );
                    close(
                        total(|c| c.tax_change_to_balance * c.revenue_usd),
                        outlays - receipts,
                        1.0,
                    );
                    close(total(|c| c.population), data.total_population(), 0.5);
                    assert_eq!(
                        countries.iter().map(|c| c.states.len()).sum::<usize>(),
                        data.len()
                    );
                    for c in &countries {
                        close(
                            c.primary_spending_usd,
                            c.located_spending_usd + c.public_goods_usd + c.other_unlocated_usd,
                            1e-3,
                        );
                        close(c.debt_to_gdp * c.gdp_usd, c.debt_usd, 1e-6 * debt);
                    }
                }
            }
        }
    }

    #[test]
    fn partition_conserves_the_budget_two_blocs() {
        let data = Dataset::embedded().unwrap();
        check_conservation(&data, &red_blue(&data));
    }

    #[test]
    fn partition_conserves_the_budget_three_blocs() {
        let data = Dataset::embedded().unwrap();
        check_conservation(&data, &thirds(&data));
    }

    #[test]
    fn partition_red_blue_matches_the_ledger() {
        let data = Dataset::embedded().unwrap();
        let ledger = Ledger::new(&data).unwrap();
        let a = red_blue(&data);
        let p = PartitionParams::default();
        let countries = partition(&ledger, &Options::default(), &a, &p);
        let flow = ledger.compute(&Options::default());
        let c = &data.controls;
        let international = c.get(INTERNATIONAL_AFFAIRS);
        let located_total = c.get(control::OUTLAYS_TOTAL)
            - c.get(control::OUTLAYS_NET_INTEREST)
            - c.get(control::OUTLAYS_RESIDUAL)
            - c.get(control::NATIONAL_PUBLIC_GOODS);
        let total = |f: fn(&Country) -> f64| countries.iter().map(f).sum::<f64>();
        close(total(|c| c.located_spending_usd), located_total, 1.0);
        close(
            total(|c| c.public_goods_usd),
            c.get(control::NATIONAL_PUBLIC_GOODS) + international,
            1.0,
        );
        for (b, country) in countries.iter().enumerate() {
            let revenue: f64 = a.members(b).map(|i| flow.receipts_total[i]).sum();
            close(country.revenue_usd, revenue, 1e-3);
            // Population keys: public goods, other unlocated and debt by population.
            let share = country.population / data.total_population();
            close(country.debt_share, share, 1e-12);
            close(
                country.other_unlocated_usd,
                (c.get(control::OUTLAYS_RESIDUAL) - international) * share,
                1e-3,
            );
        }
    }

    #[test]
    fn partition_key_names_and_serde() {
        assert_eq!(
            PublicGoodsKey::ALL.map(PublicGoodsKey::name),
            ["population", "gdp"]
        );
        assert_eq!(
            DebtKey::ALL.map(DebtKey::name),
            ["population", "gdp", "net-benefit"]
        );
        let p: PartitionParams =
            toml::from_str("public-goods-key = \"gdp\"\ndebt-key = \"net-benefit\"").unwrap();
        assert_eq!(
            p,
            PartitionParams {
                public_goods_key: PublicGoodsKey::Gdp,
                debt_key: DebtKey::NetBenefit
            }
        );
        let p: PartitionParams = toml::from_str("").unwrap();
        assert_eq!(p, PartitionParams::default());
        assert_eq!(p.public_goods_key, PublicGoodsKey::Population);
        assert_eq!(p.debt_key, DebtKey::Population);
    }

    #[test]
    fn partition_gdp_keys_follow_gdp_share() {
        let data = Dataset::embedded().unwrap();
        let ledger = Ledger::new(&data).unwrap();
        let a = thirds(&data);
        let p = PartitionParams {
            public_goods_key: PublicGoodsKey::Gdp,
            debt_key: DebtKey::Gdp,
        };
        let gdp: f64 = data.gdp_usd.iter().sum();
        let c = &data.controls;
        for country in partition(&ledger, &Options::default(), &a, &p) {
            let share = country.gdp_usd / gdp;
            close(country.debt_share, share, 1e-12);
            close(
                country.public_goods_usd,
                (c.get(control::NATIONAL_PUBLIC_GOODS) + c.get(INTERNATIONAL_AFFAIRS)) * share,
                1e-3,
            );
            // Same debt/GDP everywhere under the GDP key.
            close(
                country.debt_to_gdp,
                c.get(control::DEBT_HELD_BY_PUBLIC) / gdp,
                1e-12,
            );
        }
    }

    #[test]
    fn partition_empty_bloc_is_zero_with_nan_ratios() {
        let data = Dataset::embedded().unwrap();
        let ledger = Ledger::new(&data).unwrap();
        let mut a = red_blue(&data);
        a.names.push("nobody".into());
        let countries = partition(
            &ledger,
            &Options::default(),
            &a,
            &PartitionParams::default(),
        );
        let empty = &countries[2];
        assert!(empty.states.is_empty());
        assert_eq!(empty.revenue_usd, 0.0);
        assert_eq!(empty.primary_spending_usd, 0.0);
        assert_eq!(empty.debt_usd, 0.0);
        assert!(empty.debt_to_gdp.is_nan() && empty.tax_change_to_balance.is_nan());
    }

    // Toy fixture by hand (tests/fixtures/toy; see crates/ledger/tests/toy.rs).
    // Blocs: East = {NY}, West = {TX, WY}. Populations 500 | 300 + 200, so
    // population shares .5 / .5; GDP 10000 | 6000 + 4000, GDP shares .5 / .5.
    // The toy has no international-affairs control: it counts as 0.
    //
    // 1. Revenue (flow receipts 1070 / 576 / 354): East 1070, West 930.
    // 2. Located, benefit method (public goods 100 of wages + procurement 400
    //    taken out pro rata, a quarter of each):
    //      line            NY     TX     WY
    //      SS 600 by 40/30/30      240    180    180
    //      Medicare 400 by 50/30/20 200   120     80
    //      Medicaid (direct)       100     60     40
    //      SNAP (direct)            10     10      0
    //      other 300 by .5/.25/.25 150     75     75
    //      grants (SLGF − Medicaid) 50     20     30
    //      wages 150 × .75 by fed GDP 60   30   22.5
    //      procurement 250 × .75   100     50   37.5
    //      total                   910    545    465   (Σ 1920 = 2200 − 100 − 80 − 100)
    //    East 910, West 1010.
    // 3. Public goods (100 + 0) × .5: 50 each.
    // 4. Other unlocated (80 − 0) × .5: 40 each.
    // 5. Primary spending: East 1000, West 1100; primary balance: East +70,
    //    West −170.
    // 6. Debt 5000 × .5: 2500 each. 7. Rate 100 / 5000 = 2%: interest 50 each.
    // 8. Overall: East +20, West −220 (Σ −200 = 2000 − 2200). Debt/GDP .25.
    // 9. To balance: East −20/1070, West +220/930. Keep deficit share: target
    //    −200 × .5 = −100 each; East (−100 − 20)/1070, West (−100 + 220)/930.
    #[test]
    fn partition_toy_by_hand() {
        let data = toy();
        let ledger = Ledger::new(&data).unwrap();
        let a = Assignment {
            names: vec!["East".into(), "West".into()],
            bloc_of: vec![0, 1, 1],
        };
        let t = 1e-9;
        let countries = partition(
            &ledger,
            &Options::default(),
            &a,
            &PartitionParams::default(),
        );
        let (e, w) = (&countries[0], &countries[1]);
        assert_eq!(e.name, "East");
        assert_eq!(e.states, vec![State::Ny]);
        assert_eq!(w.states, vec![State::Tx, State::Wy]);
        close(e.population, 500.0, t);
        close(w.gdp_usd, 10000.0, t);
        close(e.revenue_usd, 1070.0, t);
        close(w.revenue_usd, 930.0, t);
        close(e.located_spending_usd, 910.0, t);
        close(w.located_spending_usd, 1010.0, t);
        close(e.public_goods_usd, 50.0, t);
        close(w.public_goods_usd, 50.0, t);
        close(e.other_unlocated_usd, 40.0, t);
        close(w.other_unlocated_usd, 40.0, t);
        close(e.primary_spending_usd, 1000.0, t);
        close(w.primary_spending_usd, 1100.0, t);
        close(e.primary_balance_usd, 70.0, t);
        close(w.primary_balance_usd, -170.0, t);
        close(e.debt_share, 0.5, t);
        close(e.debt_usd, 2500.0, t);
        close(w.debt_usd, 2500.0, t);
        close(e.interest_usd, 50.0, t);
        close(w.interest_usd, 50.0, t);
        close(e.overall_balance_usd, 20.0, t);
        close(w.overall_balance_usd, -220.0, t);
        close(e.debt_to_gdp, 0.25, t);
        close(w.debt_to_gdp, 0.25, t);
        close(e.tax_change_to_balance, -20.0 / 1070.0, t);
        close(w.tax_change_to_balance, 220.0 / 930.0, t);
        close(e.tax_change_to_keep_deficit_share, -120.0 / 1070.0, t);
        close(w.tax_change_to_keep_deficit_share, 120.0 / 930.0, t);
    }

    // Net-benefit debt on the toy. Flow net (spending − receipts, interest and
    // residual excluded): NY 830 + 250·80/150 − 1070 = −320/3; TX 505 +
    // 250·40/150 − 576 = −13/3; WY 485 − 354 = 131. East (NY) is a net payer
    // (−320/3): floored, it takes no debt. West (TX + WY, 380/3) takes all
    // 5000 and its 2% interest, 100. Overall: East 70, West −170 − 100 = −270
    // (Σ −200, as with any key). Unfloored, East's share was −16/3: it left
    // as a creditor of 80000/3 on a national net of only 20.
    #[test]
    fn regression_partition_toy_net_benefit_debt_is_floored_at_zero() {
        let data = toy();
        let ledger = Ledger::new(&data).unwrap();
        let a = Assignment {
            names: vec!["East".into(), "West".into()],
            bloc_of: vec![0, 1, 1],
        };
        let p = PartitionParams {
            public_goods_key: PublicGoodsKey::Gdp,
            debt_key: DebtKey::NetBenefit,
        };
        // The method, deficit, interest and residual options are overridden.
        let options = Options {
            method: Method::Benefit,
            deficit: Deficit::ScaleReceipts,
            interest: Some(Interest::PerCapita),
            residual: Some(Residual::PerCapita),
            ..Options::default()
        };
        let countries = partition(&ledger, &options, &a, &p);
        let (e, w) = (&countries[0], &countries[1]);
        let t = 1e-9;
        close(e.debt_share, 0.0, t);
        close(w.debt_share, 1.0, t);
        close(e.debt_usd, 0.0, 1e-6);
        close(w.debt_usd, 5000.0, 1e-6);
        close(e.interest_usd, 0.0, 1e-9);
        close(w.interest_usd, 100.0, 1e-9);
        // GDP shares equal population shares on the toy (.5 / .5).
        close(e.public_goods_usd, 50.0, t);
        close(e.revenue_usd, 1070.0, t);
        close(e.overall_balance_usd, 70.0, 1e-9);
        close(w.overall_balance_usd, -270.0, 1e-9);
        close(e.debt_to_gdp, 0.0, 1e-12);
    }
}
