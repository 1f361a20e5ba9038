//! The scenario engine: hand-computed results on the toy fixture, and
//! conservation laws on the embedded FY2022 data.
//!
//! Toy baseline (flow, see crates/ledger/tests/toy.rs), NY / TX / WY:
//!   individual income tax 600 / 300 / 100; Medicaid 100 / 60 / 40;
//!   SNAP 10 / 10 / 0; grants 50 / 20 / 30; other payments 150 / 75 / 75;
//!   total spending 963.33 / 571.67 / 485; AGI 5000 / 2500 / 1500;
//!   population 500 / 300 / 200.

use std::path::PathBuf;

use fedsplit_data::schema::control;
use fedsplit_data::Dataset;
use fedsplit_ledger::Ledger;
use fedsplit_scenario::examples::EXAMPLES;
use fedsplit_scenario::{evaluate, spec, Evaluation};

fn toy() -> Dataset {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/toy");
    Dataset::from_dir(&dir).unwrap()
}

fn run(data: &Dataset, toml: &str) -> Evaluation {
    let scenario = spec::load("test.toml", toml, data).unwrap_or_else(|e| panic!("{e}"));
    let ledger = Ledger::new(data).unwrap();
    evaluate(&ledger, &scenario).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

fn assert_vec(actual: &[f64], expected: &[f64]) {
    assert!(
        actual.iter().zip(expected).all(|(a, e)| close(*a, *e)) && actual.len() == expected.len(),
        "got {actual:?}, expected {expected:?}"
    );
}

const TOY_BLOCS: &str =
    "[blocs]\nlist = [ { name = \"Blue\", states = [\"NY\"] }, { name = \"Red\", rest = true } ]\n";

#[test]
fn toy_bluexit_by_hand() {
    let e = run(
        &toy(),
        &format!("name = \"t\"\n{TOY_BLOCS}[bluexit.bloc.Blue]\nincome_tax_scale = 0\nwithdraw = [\"grants\", \"medicaid\", \"snap\"]\nreplace_share = 1\n"),
    );
    let d = &e.deltas;
    // NY keeps its 600 of income tax, loses 50 + 100 + 10 = 160 and replaces it.
    assert_vec(&d.federal_taxes, &[-600.0, 0.0, 0.0]);
    assert_vec(&d.federal_spending, &[-160.0, 0.0, 0.0]);
    assert_vec(&d.state_taxes, &[160.0, 0.0, 0.0]);
    assert_vec(&d.state_spending, &[160.0, 0.0, 0.0]);
    assert!(close(d.net(0), 440.0));
    let blue = &e.blocs[0];
    assert!(close(blue.net_per_resident, 440.0 / 500.0));
    assert!(close(blue.dollar_ratio.unwrap(), 600.0 / 160.0));
    assert!(e.blocs[1].dollar_ratio.is_none());
    // Federal budget: receipts 2000 → 1400, outlays 2200 → 2040.
    assert!(close(e.budget.receipts_after, 1400.0) && close(e.budget.outlays_after, 2040.0));
    assert!(close(e.budget.deficit_before(), 200.0) && close(e.budget.deficit_after(), 640.0));
}

#[test]
fn toy_bluexit_cut_spending_by_hand() {
    let e = run(
        &toy(),
        &format!("name = \"t\"\n{TOY_BLOCS}[bluexit]\nfederal_response = \"cut-spending\"\n[bluexit.bloc.Blue]\nincome_tax_scale = 0\nwithdraw = [\"grants\", \"medicaid\", \"snap\"]\n"),
    );
    // The federal balance worsens by 600 − 160 = 440, cut in proportion to
    // remaining spending 803.33 / 571.67 / 485 (sum 1860).
    let remaining = [963.0 + 1.0 / 3.0 - 160.0, 571.0 + 2.0 / 3.0, 485.0];
    let cut: Vec<f64> = remaining.iter().map(|r| 440.0 * r / 1860.0).collect();
    assert_vec(
        &e.deltas.federal_spending,
        &[-160.0 - cut[0], -cut[1], -cut[2]],
    );
    assert!(close(e.budget.spending_cut, 440.0));
    assert!(close(e.budget.deficit_after(), e.budget.deficit_before()));
    // Nothing replaced: no state taxes.
    assert_vec(&e.deltas.state_taxes, &[0.0, 0.0, 0.0]);
}

#[test]
fn toy_bluexit_bloc_pooling_by_hand() {
    let e = run(
        &toy(),
        "name = \"t\"\n[blocs]\nlist = [ { name = \"Blue\", states = [\"NY\", \"TX\"] }, { name = \"Red\", states = [\"WY\"] } ]\n[bluexit.bloc.Blue]\nwithdraw = [\"medicaid\"]\nreplace_share = 0.5\npooling = \"bloc\"\ninstrument = \"agi-flat\"\n",
    );
    // Withdrawn 100 + 60, half restored where it was (50, 30); the cost 80
    // is shared by AGI 5000 : 2500.
    assert_vec(&e.deltas.state_spending, &[50.0, 30.0, 0.0]);
    assert_vec(&e.deltas.state_taxes, &[80.0 * 2.0 / 3.0, 80.0 / 3.0, 0.0]);
    assert_vec(&e.deltas.federal_taxes, &[0.0, 0.0, 0.0]);
}

#[test]
fn toy_devolution_by_hand() {
    let e = run(
        &toy(),
        &format!("name = \"t\"\n{TOY_BLOCS}[devolution]\nprograms = [\"medicaid\"]\n"),
    );
    // Medicaid 100 / 60 / 40 = 200 devolved; income tax cut 200 by shares .6 / .3 / .1.
    assert_vec(&e.deltas.federal_income_tax, &[-120.0, -60.0, -20.0]);
    assert_vec(&e.deltas.federal_spending, &[-100.0, -60.0, -40.0]);
    assert_vec(&e.deltas.state_taxes, &[100.0, 60.0, 40.0]);
    let net: Vec<f64> = (0..3).map(|i| e.deltas.net(i)).collect();
    assert_vec(&net, &[20.0, 0.0, -20.0]);
    assert!(close(e.budget.deficit_after(), e.budget.deficit_before()));
}

#[test]
fn scale_one_with_nothing_withdrawn_changes_nothing() {
    let data = Dataset::embedded().unwrap();
    let e = run(
        &data,
        "name = \"t\"\n[blocs]\nelection = 2024\n[bluexit]\nincome_tax_scale = 1\nwithdraw = []\nreplace_share = 1\npooling = \"bloc\"\nfederal_response = \"cut-spending\"\n",
    );
    let d = &e.deltas;
    for v in [
        &d.federal_taxes,
        &d.federal_income_tax,
        &d.federal_spending,
        &d.state_taxes,
        &d.state_spending,
    ] {
        assert!(v.iter().all(|x| *x == 0.0), "{v:?}");
    }
    assert_eq!(e.budget.receipts_after, e.budget.receipts_before);
    assert_eq!(e.budget.outlays_after, e.budget.outlays_before);
    assert!(e.income.iter().all(|r| r.net_usd == 0.0 && !r.better_off));
}

#[test]
fn budget_neutral_devolution_is_zero_sum() {
    let data = Dataset::embedded().unwrap();
    for programs in [
        "\"medicaid\"",
        "\"snap\"",
        "\"grants\", \"other-payments\"",
        "\"grants\", \"medicaid\", \"snap\", \"other-payments\"",
    ] {
        for instrument in ["agi-flat", "state-income-tax", "sales-tax"] {
            let e = run(
                &data,
                &format!("name = \"t\"\n[blocs]\nelection = 2020\n[devolution]\nprograms = [{programs}]\ninstrument = \"{instrument}\"\n"),
            );
            let total: f64 = (0..data.len()).map(|i| e.deltas.net(i)).sum();
            assert!(
                total.abs() <= 1.0,
                "{programs}/{instrument}: Σ net = {total}"
            );
            assert!((e.budget.deficit_after() - e.budget.deficit_before()).abs() <= 1.0);
        }
    }
}

#[test]
fn partition_blocs_sum_to_the_nation() {
    let data = Dataset::embedded().unwrap();
    let c = &data.controls;
    for (name, text) in EXAMPLES {
        let e = run(&data, text);
        let Some(countries) = &e.countries else {
            continue;
        };
        let sum = |f: fn(&fedsplit_scenario::partition::Country) -> f64| {
            countries.iter().map(f).sum::<f64>()
        };
        assert!(
            (sum(|c| c.revenue_usd) - c.get(control::RECEIPTS_TOTAL)).abs() <= 1.0,
            "{name}"
        );
        let outlays = sum(|c| c.primary_spending_usd + c.interest_usd);
        assert!(
            (outlays - c.get(control::OUTLAYS_TOTAL)).abs() <= 1.0,
            "{name}: {outlays}"
        );
        assert!(
            (sum(|c| c.debt_usd) - c.get(control::DEBT_HELD_BY_PUBLIC)).abs() <= 1.0,
            "{name}"
        );
        assert!((sum(|c| c.debt_share) - 1.0).abs() <= 1e-12, "{name}");
        assert!(
            (sum(|c| c.population) - data.total_population()).abs() < 0.5,
            "{name}"
        );
    }
}

/// Every Bluexit parameter moves some output when nudged.
#[test]
fn every_bluexit_parameter_matters() {
    let data = Dataset::embedded().unwrap();
    let base = "name = \"t\"\n[blocs]\nelection = 2024\n[bluexit]\nfederal_response = \"deficit\"\n[bluexit.bloc.Democratic]\nincome_tax_scale = 0.5\nwithdraw = [\"medicaid\"]\nreplace_share = 0.5\ninstrument = \"agi-flat\"\npooling = \"bloc\"\n";
    let reference = run(&data, base);
    for (from, to) in [
        ("income_tax_scale = 0.5", "income_tax_scale = 0.6"),
        ("withdraw = [\"medicaid\"]", "withdraw = [\"snap\"]"),
        ("replace_share = 0.5", "replace_share = 0.6"),
        ("instrument = \"agi-flat\"", "instrument = \"sales-tax\""),
        ("pooling = \"bloc\"", "pooling = \"state\""),
        (
            "federal_response = \"deficit\"",
            "federal_response = \"cut-spending\"",
        ),
    ] {
        let nudged = run(&data, &base.replacen(from, to, 1));
        assert_ne!(nudged.deltas, reference.deltas, "{to} changed nothing");
    }
}

/// A pooled replacement with no tax base (Texas and Florida levy no income
/// tax) falls back to AGI: the restored spending is always paid for.
#[test]
fn pooled_replacement_without_a_base_falls_back_to_agi() {
    let data = Dataset::embedded().unwrap();
    let e = run(
        &data,
        "name = \"t\"\n[blocs]\nlist = [ { name = \"TF\", states = [\"TX\", \"FL\"] }, { name = \"Rest\", rest = true } ]\n[bluexit.bloc.TF]\nwithdraw = [\"medicaid\"]\nreplace_share = 1\npooling = \"bloc\"\ninstrument = \"state-income-tax\"\n",
    );
    let tf = &e.blocs[0];
    assert!((tf.state_taxes - tf.state_spending).abs() < 1.0, "{tf:?}");
    assert!(
        (tf.net - tf.federal_spending).abs() < 1.0,
        "net is the spending lost: {tf:?}"
    );
}

/// Devolution's national income-tax cut is shared by the income tax that
/// remains after Bluexit: a bloc whose tax is abolished gets no cut.
#[test]
fn devolution_after_bluexit_cuts_only_remaining_income_tax() {
    let data = Dataset::embedded().unwrap();
    let e = run(
        &data,
        "name = \"t\"\n[blocs]\nelection = 2024\n[bluexit.bloc.Democratic]\nincome_tax_scale = 0\n[devolution]\nprograms = [\"snap\"]\n",
    );
    let baseline_tax = e
        .baseline
        .receipt(fedsplit_ledger::ReceiptLine::IndividualIncome);
    for (i, tax) in baseline_tax.iter().enumerate() {
        assert!(
            tax + e.deltas.federal_income_tax[i] >= -1e-6,
            "state {i} pays negative income tax"
        );
    }
    // The Democratic bloc's income tax falls by exactly its baseline amount.
    let a = &fedsplit_scenario::spec::load(
        "t",
        "name = \"t\"\n[blocs]\nelection = 2024\n[partition]\n",
        &data,
    )
    .unwrap()
    .assignment;
    let dem_baseline: f64 = a.members(0).map(|i| baseline_tax[i]).sum();
    assert!((e.blocs[0].federal_income_tax + dem_baseline).abs() < 1.0);
}
