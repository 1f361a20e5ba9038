//! The time series on two toy years, by hand: tests/fixtures/toy (FY2022)
//! and tests/fixtures/toy2023 (the same keys, receipts doubled, outlays the
//! same, Social Security's key marked as carried from 2022).

use std::path::PathBuf;

use fedsplit_data::Dataset;
use fedsplit_ledger::{Ledger, Options, SpendingLine};
use fedsplit_report::series::{self, By};

fn toy(dir: &str) -> Dataset {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(dir);
    Dataset::from_dir(&path).unwrap_or_else(|e| panic!("{dir}: {e}"))
}

#[test]
fn toy_series_across_two_years_by_hand() {
    let years = [toy("toy"), toy("toy2023")];
    let s = series::build(&years, &Options::default(), By::State, None).unwrap();
    assert_eq!(s.years, [2022, 2023]);
    // Flow spending NY/TX/WY: 830 + 400/3, 505 + 200/3, 485 in both years;
    // receipts 1070/576/354 in FY2022, doubled in FY2023.
    let spending = [830.0 + 400.0 / 3.0, 505.0 + 200.0 / 3.0, 485.0];
    let receipts = [1070.0, 576.0, 354.0];
    let states = s.states.as_ref().unwrap();
    for (i, st) in states.iter().enumerate() {
        for (y, factor) in st.years.iter().zip([1.0, 2.0]) {
            let net = spending[i] - factor * receipts[i];
            assert!((y.net_usd - net).abs() < 1e-9, "{} FY{}", st.state, y.year);
            assert!((y.receipts_usd - factor * receipts[i]).abs() < 1e-9);
        }
    }
    let us: Vec<f64> = s.national.iter().map(|y| y.net_usd).collect();
    assert!((us[0] - 20.0).abs() < 1e-9, "{us:?}");
    assert!((us[1] - (2020.0 - 4000.0)).abs() < 1e-9, "{us:?}");
    // WY receives in FY2022 (+131) and pays in FY2023 (485 − 708 = −223);
    // NY and TX pay in both.
    assert_eq!(s.sign_changes.len(), 1);
    assert_eq!(s.sign_changes[0].state, "WY");
    assert_eq!(s.sign_changes[0].signs, ["receiver", "payer"]);
    assert_eq!(s.payers_every_year, ["NY", "TX"]);
}

#[test]
fn toy_carried_key_lowers_its_grade_in_the_later_year() {
    let options = Options::default();
    let fy2022 = toy("toy");
    let fy2023 = toy("toy2023");
    let l22 = Ledger::new(&fy2022).unwrap();
    let l23 = Ledger::new(&fy2023).unwrap();
    let ss = SpendingLine::SocialSecurity;
    assert_eq!(l22.grade(&ss, &options).letter(), ss.grade().letter());
    assert_eq!(l23.grade(&ss, &options).letter(), "C");
    assert_eq!(l23.carried(ss.key(&options).unwrap()), Some(2022));
}
