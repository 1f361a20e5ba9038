//! Hand-computed results on the toy 3-state fixture (tests/fixtures/toy).
//!
//! Toy keys (shares NY / TX / WY):
//!   income tax after credits 60/30/10 → .6/.3/.1; earnings (wages + SE tax/0.153)
//!   5000/3000/2000 → .5/.3/.2; capital income 50/20/30 → .5/.2/.3; PCE
//!   4000/3000/3000 → .4/.3/.3; estate+gift 8/4/8 → .4/.2/.4; population
//!   500/300/200 → .5/.3/.2; Social Security 40/30/30; Medicare 50/30/20;
//!   other payments (income maintenance + other − SNAP) 40/20/20 → .5/.25/.25;
//!   federal GDP 80/40/30 (also the direct wages amount).
//! Controls: receipts 1000/500/200/100/40/160 = 2000; outlays SS 600, Medicare
//! 400, Medicaid 200, SNAP 20, other 300, grants 100, wages 150, procurement
//! 250, interest 100, residual 80 = 2200; national public goods 100.

use std::path::PathBuf;

use fedsplit_data::Dataset;
use fedsplit_ledger::{
    CorporateKey, Deficit, Ledger, LedgerTable, Method, Options, ProcurementKey, ReceiptLine,
    SpendingLine,
};

fn toy() -> Dataset {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/toy");
    Dataset::from_dir(&dir).expect("toy fixture loads")
}

fn assert_close(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            (a - e).abs() < 1e-9,
            "got {actual:?}, expected {expected:?}"
        );
    }
}

fn run(options: Options) -> LedgerTable {
    let data = toy();
    let ledger = Ledger::new(&data).unwrap();
    ledger.compute(&options)
}

#[test]
fn flow_receipts_by_category() {
    let t = run(Options::default());
    assert_close(
        t.receipt(ReceiptLine::IndividualIncome),
        &[600.0, 300.0, 100.0],
    );
    assert_close(
        t.receipt(ReceiptLine::SocialInsurance),
        &[250.0, 150.0, 100.0],
    );
    assert_close(
        t.receipt(ReceiptLine::CorporateIncome),
        &[100.0, 40.0, 60.0],
    );
    assert_close(t.receipt(ReceiptLine::Excise), &[40.0, 30.0, 30.0]);
    assert_close(t.receipt(ReceiptLine::EstateGift), &[16.0, 8.0, 16.0]);
    assert_close(t.receipt(ReceiptLine::OtherReceipts), &[64.0, 48.0, 48.0]);
    assert_close(&t.receipts_total, &[1070.0, 576.0, 354.0]);
}

#[test]
fn flow_spending_and_net() {
    let t = run(Options::default());
    // Procurement 250 by federal GDP 80/40/30 of 150.
    let proc = [250.0 * 80.0 / 150.0, 250.0 * 40.0 / 150.0, 50.0];
    assert_close(t.spend(SpendingLine::Procurement), &proc);
    assert_close(t.spend(SpendingLine::NetInterest), &[0.0, 0.0, 0.0]);
    assert_close(t.spend(SpendingLine::Residual), &[0.0, 0.0, 0.0]);
    assert_close(t.spend(SpendingLine::NationalPublicGoods), &[0.0, 0.0, 0.0]);
    let spending = [830.0 + proc[0], 505.0 + proc[1], 435.0 + proc[2]];
    assert_close(&t.spending_total, &spending);
    assert_close(
        &t.net,
        &[
            spending[0] - 1070.0,
            spending[1] - 576.0,
            spending[2] - 354.0,
        ],
    );
    assert_close(
        &t.net_per_capita,
        &[
            (spending[0] - 1070.0) / 500.0,
            (spending[1] - 576.0) / 300.0,
            131.0 / 200.0,
        ],
    );
    // WY is the largest receiver per head, NY the largest payer.
    assert_eq!(t.ranks(), vec![3, 2, 1]);
}

#[test]
fn benefit_spreads_public_goods_interest_and_residual_per_capita() {
    let t = run(Options {
        method: Method::Benefit,
        ..Options::default()
    });
    // Public goods 100 of wages+procurement 400: a quarter comes out of each.
    assert_close(t.spend(SpendingLine::FederalWages), &[60.0, 30.0, 22.5]);
    assert_close(t.spend(SpendingLine::Procurement), &[100.0, 50.0, 37.5]);
    assert_close(
        t.spend(SpendingLine::NationalPublicGoods),
        &[50.0, 30.0, 20.0],
    );
    assert_close(t.spend(SpendingLine::NetInterest), &[50.0, 30.0, 20.0]);
    assert_close(t.spend(SpendingLine::Residual), &[40.0, 24.0, 16.0]);
    assert_close(&t.spending_total, &[1050.0, 629.0, 521.0]);
    assert_close(&t.net, &[-20.0, 53.0, 167.0]);
}

#[test]
fn deficit_scale_spending_zeroes_the_national_net() {
    let t = run(Options {
        deficit: Deficit::ScaleSpending,
        ..Options::default()
    });
    let proc_ny = 250.0 * 80.0 / 150.0;
    let f = 2000.0 / 2020.0;
    assert_close(
        &t.spending_total,
        &[
            (830.0 + proc_ny) * f,
            (505.0 + 250.0 - proc_ny - 50.0) * f,
            485.0 * f,
        ],
    );
    let (r, s, net) = t.national();
    assert!((r - 2000.0).abs() < 1e-9 && (s - 2000.0).abs() < 1e-9 && net.abs() < 1e-9);
}

#[test]
fn deficit_scale_receipts_charges_the_gap_by_receipts() {
    let t = run(Options {
        deficit: Deficit::ScaleReceipts,
        ..Options::default()
    });
    // Gap = 2020 − 2000 = 20, charged 1070/576/354 of 2000.
    assert_close(t.receipt(ReceiptLine::DeficitShare), &[10.7, 5.76, 3.54]);
    assert_close(&t.receipts_total, &[1080.7, 581.76, 357.54]);
    assert!(t.national().2.abs() < 1e-9);
}

#[test]
fn deficit_per_capita_charges_the_gap_per_resident() {
    let t = run(Options {
        deficit: Deficit::PerCapita,
        ..Options::default()
    });
    assert_close(t.receipt(ReceiptLine::DeficitShare), &[10.0, 6.0, 4.0]);
    assert_close(&t.receipts_total, &[1080.0, 582.0, 358.0]);
    assert!(t.national().2.abs() < 1e-9);
}

#[test]
fn benefit_deficit_gap_includes_interest_and_residual() {
    let t = run(Options {
        method: Method::Benefit,
        deficit: Deficit::PerCapita,
        ..Options::default()
    });
    // Benefit spending 2200 − receipts 2000 = 200, per capita 100/60/40.
    assert_close(t.receipt(ReceiptLine::DeficitShare), &[100.0, 60.0, 40.0]);
}

#[test]
fn corporate_and_procurement_keys() {
    let t = run(Options {
        corporate_key: CorporateKey::Headquarters,
        procurement_key: ProcurementKey::Population,
        ..Options::default()
    });
    assert_close(
        t.receipt(ReceiptLine::CorporateIncome),
        &[140.0, 40.0, 20.0],
    );
    assert_close(t.spend(SpendingLine::Procurement), &[125.0, 75.0, 50.0]);
    let t = run(Options {
        corporate_key: CorporateKey::Gdp,
        procurement_key: ProcurementKey::Gdp,
        ..Options::default()
    });
    assert_close(
        t.receipt(ReceiptLine::CorporateIncome),
        &[100.0, 60.0, 40.0],
    );
    assert_close(t.spend(SpendingLine::Procurement), &[125.0, 75.0, 50.0]);
}

#[test]
fn interest_by_income_and_residual_per_capita_under_flow() {
    let t = run(Options {
        interest: Some(fedsplit_ledger::Interest::Income),
        residual: Some(fedsplit_ledger::Residual::PerCapita),
        ..Options::default()
    });
    assert_close(t.spend(SpendingLine::NetInterest), &[60.0, 30.0, 10.0]);
    assert_close(t.spend(SpendingLine::Residual), &[40.0, 24.0, 16.0]);
}

#[test]
fn compute_into_reuses_buffers_and_matches_compute() {
    let data = toy();
    let ledger = Ledger::new(&data).unwrap();
    let mut table = LedgerTable::with_states(data.len());
    for options in Options::sensitivity_grid() {
        let ptr = table.net.as_ptr();
        ledger.compute_into(&options, &mut table);
        assert_eq!(ptr, table.net.as_ptr(), "buffer was reallocated");
        assert_eq!(table, ledger.compute(&options));
    }
}

/// Mandatory vs discretionary on the toy, by hand (flow, default options).
/// Spending NY/TX/WY: SS 240/180/180, Medicare 200/120/80, Medicaid
/// 100/60/40, SNAP 10/10/0, other payments 150/75/75 (all mandatory); grants
/// 50/20/30, 40% mandatory (the toy's grants_mandatory 40 of 100); wages
/// 80/40/30 and procurement 400/3, 200/3, 50 (discretionary). Mandatory
/// 720/453/387 (Σ 1560), discretionary 730/3, 356/3, 98 (Σ 460), all spending
/// 2020; receipts 1070/576/354 split 1560:460.
#[test]
fn parts_of_the_net_by_hand() {
    let data = toy();
    let ledger = Ledger::new(&data).unwrap();
    let t = ledger.compute(&Options::default());
    let p = ledger.parts(&t);
    assert_close(&p.mandatory_spending, &[720.0, 453.0, 387.0]);
    assert_close(&p.discretionary_spending, &[730.0 / 3.0, 356.0 / 3.0, 98.0]);
    assert_close(&p.neither_spending, &[0.0, 0.0, 0.0]);
    let r = [1070.0, 576.0, 354.0];
    let m: Vec<f64> = [720.0, 453.0, 387.0]
        .iter()
        .zip(r)
        .map(|(s, r)| s - r * 1560.0 / 2020.0)
        .collect();
    assert_close(&p.mandatory_net, &m);
    let d: Vec<f64> = [730.0 / 3.0, 356.0 / 3.0, 98.0]
        .iter()
        .zip(r)
        .map(|(s, r)| s - r * 460.0 / 2020.0)
        .collect();
    assert_close(&p.discretionary_net, &d);
    // Earned benefit: SS + Medicare − payroll taxes 250/150/100.
    assert_close(&p.insurance_net, &[190.0, 150.0, 160.0]);
    for i in 0..3 {
        assert!((p.insurance_net[i] + p.rest_net[i] - t.net[i]).abs() < 1e-9);
    }
    assert!((p.grants_mandatory_share - 0.4).abs() < 1e-12);
}

/// The parts add up to the net for every state, every option set and every
/// year; the earned-benefit view nets to the same national total.
#[test]
fn parts_add_up_to_the_net_in_every_year() {
    for &year in fedsplit_data::EMBEDDED_YEARS {
        let data = Dataset::open(None, Some(year)).unwrap();
        let ledger = Ledger::new(&data).unwrap();
        for options in Options::sensitivity_grid() {
            let t = ledger.compute(&options);
            let p = ledger.parts(&t);
            for i in 0..t.net.len() {
                let parts = p.mandatory_net[i] + p.discretionary_net[i] + p.neither_net[i];
                assert!((parts - t.net[i]).abs() < 1e-3, "FY{year} {options:?} {i}");
                let spending =
                    p.mandatory_spending[i] + p.discretionary_spending[i] + p.neither_spending[i];
                assert!(
                    (spending - t.spending_total[i]).abs() < 1e-3,
                    "FY{year} {i}"
                );
                assert!((p.insurance_net[i] + p.rest_net[i] - t.net[i]).abs() < 1e-3);
            }
            let national: f64 = t.net.iter().sum();
            let earned: f64 = p.insurance_net.iter().chain(&p.rest_net).sum();
            assert!((earned - national).abs() < 1.0, "FY{year} {options:?}");
        }
    }
}
