//! Every embedded fiscal year reconciles with the published national totals
//! (OMB Historical Tables FY2027 edition), line by line and to the dollar.

use fedsplit_core::State;
use fedsplit_data::schema::control;
use fedsplit_data::{Dataset, EMBEDDED_YEARS};
use fedsplit_ledger::{
    Deficit, Key, Ledger, Method, Options, ReceiptLine, SpendingLine, RECEIPT_LINES,
};

const MILLION: f64 = 1e6;

/// Published figures per fiscal year, $M: OMB Tables 2.1 (receipts by
/// source), 3.2 (outlays by function: 651, 571, 900) and 1.1 (totals).
struct Published {
    year: u16,
    receipts: f64,
    individual_income: f64,
    social_insurance: f64,
    corporate_income: f64,
    excise: f64,
    other: f64,
    outlays: f64,
    social_security: f64,
    medicare: f64,
    net_interest: f64,
    /// Census population estimates, July 1, 50 states + DC.
    population: f64,
}

const PUBLISHED: [Published; 4] = [
    Published {
        year: 2019,
        receipts: 3_463_364.0,
        individual_income: 1_717_857.0,
        social_insurance: 1_243_113.0,
        corporate_income: 230_245.0,
        excise: 98_914.0,
        other: 173_235.0,
        outlays: 4_446_952.0,
        social_security: 1_044_409.0,
        medicare: 650_996.0,
        net_interest: 375_158.0,
        population: 328_239_523.0,
    },
    Published {
        year: 2022,
        receipts: 4_897_339.0,
        individual_income: 2_632_146.0,
        social_insurance: 1_483_527.0,
        corporate_income: 424_865.0,
        excise: 87_728.0,
        other: 269_073.0,
        outlays: 6_271_510.0,
        social_security: 1_218_663.0,
        medicare: 755_094.0,
        net_interest: 475_887.0,
        population: 333_271_411.0,
    },
    Published {
        year: 2023,
        receipts: 4_440_948.0,
        individual_income: 2_176_481.0,
        social_insurance: 1_614_456.0,
        corporate_income: 419_584.0,
        excise: 75_802.0,
        other: 154_625.0,
        outlays: 6_128_415.0,
        social_security: 1_354_317.0,
        medicare: 847_544.0,
        net_interest: 658_267.0,
        population: 336_806_231.0,
    },
    Published {
        year: 2024,
        receipts: 4_919_884.0,
        individual_income: 2_426_067.0,
        social_insurance: 1_708_926.0,
        corporate_income: 529_867.0,
        excise: 101_426.0,
        other: 153_598.0,
        outlays: 6_735_261.0,
        social_security: 1_460_918.0,
        medicare: 874_133.0,
        net_interest: 879_879.0,
        population: 340_110_988.0,
    },
];

fn year(y: u16) -> Dataset {
    Dataset::open(None, Some(y)).unwrap_or_else(|e| panic!("FY{y}: {e}"))
}

#[test]
fn every_year_is_embedded_and_the_latest_is_the_default() {
    let years: Vec<u16> = PUBLISHED.iter().map(|p| p.year).collect();
    assert_eq!(EMBEDDED_YEARS, years.as_slice());
    assert_eq!(Dataset::embedded().unwrap().fiscal_year, 2024);
    for y in years {
        assert_eq!(year(y).fiscal_year, y);
    }
}

#[test]
fn controls_equal_the_published_omb_totals() {
    for p in &PUBLISHED {
        let d = year(p.year);
        let c = &d.controls;
        let m = |v: f64| v * MILLION;
        let y = p.year;
        assert_eq!(c.get(control::RECEIPTS_TOTAL), m(p.receipts), "FY{y}");
        assert_eq!(c.get(control::OUTLAYS_TOTAL), m(p.outlays), "FY{y}");
        assert_eq!(
            c.get(control::RECEIPTS_INDIVIDUAL_INCOME),
            m(p.individual_income),
            "FY{y}"
        );
        assert_eq!(
            c.get(control::RECEIPTS_SOCIAL_INSURANCE),
            m(p.social_insurance),
            "FY{y}"
        );
        assert_eq!(
            c.get(control::RECEIPTS_CORPORATE_INCOME),
            m(p.corporate_income),
            "FY{y}"
        );
        assert_eq!(c.get(control::RECEIPTS_EXCISE), m(p.excise), "FY{y}");
        assert_eq!(c.get("receipts.other"), m(p.other), "FY{y}");
        assert_eq!(
            c.get(control::OUTLAYS_SOCIAL_SECURITY),
            m(p.social_security),
            "FY{y}"
        );
        assert_eq!(c.get(control::OUTLAYS_MEDICARE), m(p.medicare), "FY{y}");
        assert_eq!(
            c.get(control::OUTLAYS_NET_INTEREST),
            m(p.net_interest),
            "FY{y}"
        );
        assert_eq!(d.total_population(), p.population, "FY{y}");
    }
}

/// Every receipt category and every spending channel sums over the 51 rows
/// to its control within $1 (the ledger works in unrounded dollars), and
/// receipts to the year's OMB total.
#[test]
fn every_line_sums_to_its_control_in_every_year() {
    for p in &PUBLISHED {
        let d = year(p.year);
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
                    "FY{}: {}: {sum} vs {expected}",
                    p.year,
                    line.name()
                );
            }
            let receipts: f64 = t.receipts_total.iter().sum();
            assert!(
                (receipts - p.receipts * MILLION).abs() <= 1.0,
                "FY{}",
                p.year
            );
            if options.method == Method::Benefit {
                let spending: f64 = t.spending_total.iter().sum();
                assert!(
                    (spending - p.outlays * MILLION).abs() <= 1.0,
                    "FY{}: {spending}",
                    p.year
                );
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
                        "FY{}: {}: {sum} vs {expected}",
                        p.year,
                        line.name()
                    );
                }
            }
        }
    }
}

#[test]
fn key_shares_sum_to_one_in_every_year() {
    for p in &PUBLISHED {
        let d = year(p.year);
        let ledger = Ledger::new(&d).unwrap();
        for key in Key::ALL {
            let shares = ledger.keys().get(key);
            assert_eq!(shares.len(), 51);
            let sum: f64 = shares.iter().sum();
            assert!(
                (sum - 1.0).abs() <= 1e-12,
                "FY{}: {key:?} sums to {sum}",
                p.year
            );
            assert!(shares.iter().all(|s| *s >= 0.0), "FY{}: {key:?}", p.year);
        }
    }
}

#[test]
fn deficit_treatments_balance_the_nation() {
    for p in &PUBLISHED {
        let d = year(p.year);
        let ledger = Ledger::new(&d).unwrap();
        for options in Options::sensitivity_grid() {
            let t = ledger.compute(&options);
            let (r, s, net) = t.national();
            match options.deficit {
                // Unadjusted: the national net is the attributed spending less receipts.
                Deficit::None => assert!((r - p.receipts * MILLION).abs() <= 1.0 && s > r),
                // The whole deficit charged: receipts plus the charge are the outlays.
                Deficit::FullPerCapita => {
                    assert!((r - p.outlays * MILLION).abs() <= 1.0, "{options:?}: {r}")
                }
                _ => assert!(net.abs() <= 1.0, "FY{}: {options:?}: {net}", p.year),
            }
            assert_eq!(t.receipts[RECEIPT_LINES - 1].len(), 51);
        }
    }
}

/// Under the benefit method every line is attributed, so charging the whole
/// deficit and charging the located gap are the same.
#[test]
fn full_deficit_equals_the_located_gap_under_the_benefit_method() {
    let d = Dataset::embedded().unwrap();
    let ledger = Ledger::new(&d).unwrap();
    let benefit = |deficit| Options {
        method: Method::Benefit,
        deficit,
        ..Options::default()
    };
    let gap = ledger.compute(&benefit(Deficit::PerCapita));
    let full = ledger.compute(&benefit(Deficit::FullPerCapita));
    for (a, b) in gap.net.iter().zip(&full.net) {
        assert!((a - b).abs() < 1e-3, "{a} vs {b}");
    }
}

#[test]
fn direct_lines_are_each_states_own_amount_when_of_the_year() {
    for p in &PUBLISHED {
        let d = year(p.year);
        let ledger = Ledger::new(&d).unwrap();
        let t = ledger.compute(&Options::default());
        let ny = d.position(State::Ny).unwrap();
        let snap = d.spending.snap_benefits_usd[ny];
        assert!(
            (t.spend(SpendingLine::Snap)[ny] - snap).abs() < 1e-3,
            "FY{}",
            p.year
        );
        let medicaid = d.spending.medicaid_chip_federal_usd[ny];
        let direct = ledger.is_direct(&SpendingLine::MedicaidChip, &Options::default());
        // FY2024 carries FY2023's CMS-64 amounts as a key.
        assert_eq!(direct, p.year != 2024, "FY{}", p.year);
        if direct {
            assert!((t.spend(SpendingLine::MedicaidChip)[ny] - medicaid).abs() < 1e-3);
        }
    }
}

/// A key carried from another year says so, and its line's grade drops a
/// letter; a same-year key does not.
#[test]
fn carried_keys_report_their_source_year() {
    let options = Options::default();
    for (year, key, line, from, grade) in [
        (
            2024,
            Key::MedicaidChipFederal,
            SpendingLine::MedicaidChip,
            2023,
            "B",
        ),
        (
            2023,
            Key::SocialSecurityBenefits,
            SpendingLine::SocialSecurity,
            2022,
            "C",
        ),
        (
            2023,
            Key::NonMedicaidGrants,
            SpendingLine::Grants,
            2022,
            "C",
        ),
        (
            2019,
            Key::SocialSecurityBenefits,
            SpendingLine::SocialSecurity,
            2022,
            "C",
        ),
    ] {
        let d = self::year(year);
        let ledger = Ledger::new(&d).unwrap();
        assert_eq!(ledger.carried(key), Some(from), "FY{year} {key:?}");
        assert_eq!(
            ledger.grade(&line, &options).letter(),
            grade,
            "FY{year} {line:?}"
        );
        let text = ledger.key_text(key);
        assert!(
            text.contains(&format!("carried from {from} to FY{year}")),
            "{text}"
        );
    }
    // Same-year keys are not carried.
    let d = year(2022);
    let ledger = Ledger::new(&d).unwrap();
    assert!(Key::ALL.iter().all(|&k| ledger.carried(k).is_none()));
    let d = year(2019);
    let ledger = Ledger::new(&d).unwrap();
    assert_eq!(
        ledger.carried(Key::MedicareBenefits),
        None,
        "CMS 2019 is FY2019's"
    );
    assert_eq!(
        ledger.grade(&SpendingLine::Medicare, &options).letter(),
        SpendingLine::Medicare.grade().letter()
    );
}

/// The Alaska Permanent Fund Dividend is state money: it is taken out of
/// the key of other payments to individuals in every year.
#[test]
fn alaska_permanent_fund_dividend_is_removed_from_the_key() {
    for p in &PUBLISHED {
        let d = year(p.year);
        let s = &d.spending;
        let ak = d.position(State::Ak).unwrap();
        // The 2022 dividend: $3,284 × 625,912 recipients (alaska-pfd/).
        assert_eq!(s.alaska_pfd_usd[ak], 2_055_495_008.0, "FY{}", p.year);
        let others: f64 = s.alaska_pfd_usd.iter().sum::<f64>() - s.alaska_pfd_usd[ak];
        assert_eq!(others, 0.0);
        let bea = s.bea_income_maintenance_usd[ak] + s.bea_other_transfers_usd[ak];
        assert!(
            s.other_payments_key_usd[ak] < bea - 2_000_000_000.0,
            "FY{}",
            p.year
        );
        // Alaska's share of other payments is then close to its population share.
        let share = s.other_payments_key_usd[ak] / s.other_payments_key_usd.iter().sum::<f64>();
        let pop = d.population[ak] / d.total_population();
        assert!(
            share / pop < 1.5,
            "FY{}: AK share {share} vs population {pop}",
            p.year
        );
    }
}

/// Census PEP, METHODOLOGY §9: V2019 for FY2019, V2023 for FY2022, V2024 after.
#[test]
fn populations_sum_to_the_national_figure() {
    for p in &PUBLISHED {
        assert_eq!(year(p.year).total_population(), p.population);
    }
}

/// METHODOLOGY §8 and MEDSL's published national totals.
#[test]
fn election_totals_match_the_national_figures() {
    let d = Dataset::embedded().unwrap();
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
    let d = Dataset::embedded().unwrap();
    assert_eq!(d.borders.len(), 107);
    let degree = |s| d.borders.iter().filter(|(a, b)| *a == s || *b == s).count();
    assert_eq!(degree(State::Ak), 0);
    assert_eq!(degree(State::Hi), 0);
    assert_eq!(degree(State::Tn), 8);
    assert_eq!(degree(State::Mo), 8);
}
