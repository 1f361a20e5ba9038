//! The embedded FY2022 dataset reconciles with the published national totals.

use fedsplit_data::schema::control;
use fedsplit_data::Dataset;
use fedsplit_ledger::{
    Deficit, Key, Ledger, Method, Options, ReceiptLine, SpendingLine, RECEIPT_LINES,
};

const MILLION: f64 = 1e6;

fn data() -> Dataset {
    Dataset::embedded().expect("embedded dataset loads")
}

/// OMB Historical Tables FY2027, Tables 2.1 and 3.2, FY2022, $M.
#[test]
fn controls_equal_the_published_omb_totals() {
    let d = data();
    let c = &d.controls;
    assert_eq!(c.get(control::RECEIPTS_TOTAL), 4_897_339.0 * MILLION);
    assert_eq!(c.get(control::OUTLAYS_TOTAL), 6_271_510.0 * MILLION);
    assert_eq!(
        c.get(control::RECEIPTS_INDIVIDUAL_INCOME),
        2_632_146.0 * MILLION
    );
    assert_eq!(
        c.get(control::RECEIPTS_SOCIAL_INSURANCE),
        1_483_527.0 * MILLION
    );
    assert_eq!(
        c.get(control::RECEIPTS_CORPORATE_INCOME),
        424_865.0 * MILLION
    );
    assert_eq!(c.get(control::RECEIPTS_EXCISE), 87_728.0 * MILLION);
    assert_eq!(c.get("receipts.other"), 269_073.0 * MILLION);
    assert_eq!(
        c.get(control::OUTLAYS_SOCIAL_SECURITY),
        1_218_663.0 * MILLION
    );
    assert_eq!(c.get(control::OUTLAYS_MEDICARE), 755_094.0 * MILLION);
    assert_eq!(c.get(control::OUTLAYS_NET_INTEREST), 475_887.0 * MILLION);
    assert_eq!(c.get(control::DEBT_HELD_BY_PUBLIC), 24_252_357.0 * MILLION);
    // Derived channels, METHODOLOGY §2 (rounded there to $M).
    let m = |id| (c.get(id) / MILLION).round();
    assert_eq!(m(control::OUTLAYS_MEDICAID_CHIP), 597_948.0);
    assert_eq!(m(control::OUTLAYS_SNAP), 113_742.0);
    assert_eq!(m(control::OUTLAYS_OTHER_PAYMENTS), 825_112.0);
    assert_eq!(m(control::OUTLAYS_GRANTS), 659_930.0);
    assert_eq!(m(control::OUTLAYS_FEDERAL_WAGES), 797_923.0);
    assert_eq!(m(control::OUTLAYS_PROCUREMENT), 583_728.0);
    assert_eq!(m(control::OUTLAYS_RESIDUAL), 243_482.0);
}

/// Every receipt category and every spending channel sums over the 51 rows
/// to its control within $1 (the ledger works in unrounded dollars).
#[test]
fn every_line_sums_to_its_control() {
    let d = data();
    let ledger = Ledger::new(&d).unwrap();
    // Benefit with interest and residual per capita attributes every channel.
    for options in [
        Options::default(),
        Options {
            method: Method::Benefit,
            ..Options::default()
        },
    ] {
        let t = ledger.compute(&options);
        for line in ReceiptLine::ALL {
            let sum: f64 = t.receipt(line).iter().sum();
            let expected = line.control_id().map_or(0.0, |id| d.controls.get(id));
            assert!(
                (sum - expected).abs() <= 1.0,
                "{}: {sum} vs {expected}",
                line.name()
            );
        }
        let receipts: f64 = t.receipts_total.iter().sum();
        assert!((receipts - 4_897_339.0 * MILLION).abs() <= 1.0);
        if options.method == Method::Benefit {
            let spending: f64 = t.spending_total.iter().sum();
            assert!(
                (spending - 6_271_510.0 * MILLION).abs() <= 1.0,
                "{spending}"
            );
            let pg: f64 = t.spend(SpendingLine::NationalPublicGoods).iter().sum();
            assert!((pg - d.controls.get(control::NATIONAL_PUBLIC_GOODS)).abs() <= 1.0);
        } else {
            for line in SpendingLine::ALL {
                let sum: f64 = t.spend(line).iter().sum();
                let expected = match line {
                    SpendingLine::NationalPublicGoods
                    | SpendingLine::NetInterest
                    | SpendingLine::Residual
                    | SpendingLine::DeficitScaling => 0.0,
                    _ => d.controls.get(line.control_id().unwrap()),
                };
                assert!(
                    (sum - expected).abs() <= 1.0,
                    "{}: {sum} vs {expected}",
                    line.name()
                );
            }
        }
    }
}

#[test]
fn direct_lines_are_each_states_own_amount() {
    let d = data();
    let t = Ledger::new(&d).unwrap().compute(&Options::default());
    let ny = d.position(fedsplit_core::State::Ny).unwrap();
    let medicaid = d.spending.medicaid_chip_federal_usd[ny];
    assert!((t.spend(SpendingLine::MedicaidChip)[ny] - medicaid).abs() < 1e-3);
    let snap = d.spending.snap_benefits_usd[ny];
    assert!((t.spend(SpendingLine::Snap)[ny] - snap).abs() < 1e-3);
}

#[test]
fn key_shares_sum_to_one() {
    let d = data();
    let ledger = Ledger::new(&d).unwrap();
    for key in Key::ALL {
        let shares = ledger.keys().get(key);
        assert_eq!(shares.len(), 51);
        let sum: f64 = shares.iter().sum();
        assert!((sum - 1.0).abs() <= 1e-12, "{key:?} sums to {sum}");
        assert!(
            shares.iter().all(|s| *s >= 0.0),
            "{key:?} has a negative share"
        );
    }
}

#[test]
fn deficit_treatments_balance_the_nation() {
    let d = data();
    let ledger = Ledger::new(&d).unwrap();
    for options in Options::sensitivity_grid() {
        let t = ledger.compute(&options);
        let (r, s, net) = t.national();
        match options.deficit {
            // Unadjusted: the national net is the attributed spending less receipts.
            Deficit::None => {
                assert!((r - 4_897_339.0 * MILLION).abs() <= 1.0 && net > 0.0 && s > r)
            }
            _ => assert!(net.abs() <= 1.0, "{options:?}: {net}"),
        }
        assert_eq!(t.receipts[RECEIPT_LINES - 1].len(), 51);
    }
}

/// Census PEP vintage 2023, July 1 2022, 50 states + DC.
#[test]
fn populations_sum_to_the_national_figure() {
    assert_eq!(data().total_population(), 333_271_411.0);
}

/// METHODOLOGY §8 and MEDSL's published national totals.
#[test]
fn election_totals_match_the_national_figures() {
    let d = data();
    let totals = |year| {
        d.election(year)
            .iter()
            .fold((0u64, 0u64, 0usize), |(dem, rep, n), e| {
                (dem + e.dem_votes, rep + e.rep_votes, n + 1)
            })
    };
    assert_eq!(totals(2016), (65_853_581, 62_985_062, 51));
    assert_eq!(totals(2020), (81_268_908, 74_216_146, 51));
    assert_eq!(totals(2024), (75_017_613, 77_302_580, 51));
}

#[test]
fn land_borders() {
    let d = data();
    assert_eq!(d.borders.len(), 107);
    let degree = |s| d.borders.iter().filter(|(a, b)| *a == s || *b == s).count();
    use fedsplit_core::State;
    assert_eq!(degree(State::Ak), 0);
    assert_eq!(degree(State::Hi), 0);
    assert_eq!(degree(State::Tn), 8);
    assert_eq!(degree(State::Mo), 8);
}
