//! End-to-end tests of the `fedsplit` binary: golden outputs and bad input.
//!
//! Golden files live in tests/golden/; regenerate them after an intended
//! change with `UPDATE_GOLDEN=1 cargo test -p fedsplit --test cli`.

mod common;
use common::{bad, golden, ok};

use std::path::{Path, PathBuf};

#[test]
fn golden_ledger_csv() {
    golden("ledger.csv", &ok(&["ledger", "--format", "csv"]));
}

#[test]
fn golden_explain_ny() {
    golden("explain_NY.txt", &ok(&["explain", "NY"]));
}

#[test]
fn golden_report() {
    golden("report.txt", &ok(&["report"]));
}

#[test]
fn golden_sensitivity_csv() {
    golden("sensitivity.csv", &ok(&["sensitivity", "--format", "csv"]));
}

/// The CSV national row is the sum of the states' unrounded figures, and
/// its receipts are OMB's published total (Historical Tables, Table 1.1).
#[test]
fn ledger_csv_national_row_reconciles() {
    for (year, published) in [
        ("2019", 3_463_364_000_000_i64),
        ("2022", 4_897_339_000_000),
        ("2023", 4_440_948_000_000),
        ("2024", 4_919_884_000_000),
    ] {
        national_row_reconciles(year, published);
    }
}

fn national_row_reconciles(year: &str, published_receipts: i64) {
    let csv = ok(&["ledger", "--format", "csv", "--year", year]);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<String>> = lines.map(split_csv).collect();
    assert_eq!(rows.len(), 52);
    let us = rows.last().unwrap();
    assert_eq!(us[0], "US");
    let receipts: i64 = us[col("receipts_usd")].parse().unwrap();
    assert_eq!(receipts, published_receipts, "FY{year}");
    for name in [
        "receipts_usd",
        "spending_usd",
        "individual_income_tax_usd",
        "medicaid_chip_usd",
    ] {
        let c = col(name);
        let sum: i64 = rows[..51]
            .iter()
            .map(|r| r[c].parse::<i64>().unwrap())
            .sum();
        let national: i64 = us[c].parse().unwrap();
        // Each row is rounded to the dollar on its own: at most 51 × $0.5 apart.
        assert!((sum - national).abs() <= 26, "{name}: {sum} vs {national}");
    }
}

fn split_csv(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[test]
fn json_has_meta_with_checksum_and_options() {
    let out = ok(&[
        "ledger",
        "--format",
        "json",
        "--method",
        "benefit",
        "--deficit",
        "per-capita",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["meta"]["options"]["method"], "benefit");
    assert_eq!(v["meta"]["options"]["deficit"], "per-capita");
    assert_eq!(v["meta"]["options"]["interest"], "per-capita");
    assert_eq!(v["meta"]["dataset_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["states"].as_array().unwrap().len(), 51);
    assert!(v["national"]["net_usd"].as_f64().unwrap().abs() < 1.0);
}

#[test]
fn state_filter_and_sort() {
    let out = ok(&[
        "ledger", "--state", "NY,ca,TX", "--sort", "state", "--format", "csv",
    ]);
    let states: Vec<&str> = out.lines().skip(1).map(|l| &l[..2]).collect();
    assert_eq!(states, ["CA", "NY", "TX", "US"]);
}

#[test]
fn sources_lists_every_column_with_checksums() {
    let out = ok(&["sources", "--format", "csv"]);
    for needle in [
        "states,population",
        "controls,outlays.procurement",
        "spending,medicaid_chip_federal_usd",
    ] {
        assert!(out.contains(needle), "missing {needle}");
    }
    assert!(out
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("states,\"fips"))
        .all(|l| l.len() > 64));
}

#[test]
fn toy_dataset_via_data_flag() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/toy");
    let out = ok(&["ledger", "--data", dir.to_str().unwrap(), "--format", "csv"]);
    // Hand-computed: WY receives 485 − 354 = 131.
    let wy = out.lines().find(|l| l.starts_with("WY,")).unwrap();
    assert!(
        wy.contains(",354,") && wy.contains(",485,131,0.66,"),
        "{wy}"
    );
}

// ---- bad input: one line on stderr naming the problem, exit 2, no stdout ----

#[test]
fn unknown_state_code() {
    bad(&["explain", "XX"], &["\"XX\"", "unknown state code"]);
    bad(&["ledger", "--state", "NY,ZZ"], &["\"ZZ\""]);
}

#[test]
fn unknown_option_value() {
    bad(
        &["ledger", "--method", "gers"],
        &["--method", "'gers'", "possible values: flow, benefit"],
    );
    bad(
        &["ledger", "--deficit", "ignore"],
        &["--deficit", "'ignore'", "scale-spending"],
    );
    bad(
        &["report", "--corporate-key", "hq"],
        &["--corporate-key", "'hq'", "headquarters"],
    );
    bad(&["ledger", "--format", "xml"], &["xml"]);
}

#[test]
fn malformed_state_list() {
    bad(&["ledger", "--state", "NY,,CA"], &["entry 2", "empty"]);
    bad(&["ledger", "--state", "NY,NY"], &["twice"]);
}

/// FY2022's committed tables in a temp dir, with one file edited (the
/// figures the tests edit are FY2022's).
fn corrupt(file: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    common::data_copy(2022, |name, text| {
        if name == file {
            edit(text)
        } else {
            text.to_string()
        }
    })
}

fn with_data(dir: &Path) -> Vec<String> {
    vec![
        "ledger".into(),
        "--data".into(),
        dir.to_str().unwrap().into(),
    ]
}

fn bad_data(dir: &Path, needles: &[&str]) {
    let args = with_data(dir);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    bad(&args, needles);
}

#[test]
fn missing_file_under_data() {
    let dir = corrupt("x", |t| t.to_string());
    std::fs::remove_file(dir.path().join("spending.csv")).unwrap();
    bad_data(dir.path(), &["spending.csv", "cannot read"]);
}

#[test]
fn wrong_header() {
    let dir = corrupt("states.csv", |t| t.replacen("population", "people", 1));
    bad_data(dir.path(), &["states.csv:1", "header", "people"]);
}

#[test]
fn non_numeric_cell() {
    // Line 3 is Alaska; its Medicare benefits become text.
    let dir = corrupt("spending.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        let mut f: Vec<String> = lines[2].split(',').map(String::from).collect();
        f[2] = "12x".into();
        lines[2] = f.join(",");
        lines.join("\n") + "\n"
    });
    bad_data(
        dir.path(),
        &[
            "spending.csv:3",
            "field medicare_benefits_usd",
            "\"12x\"",
            "not a whole number",
        ],
    );
}

#[test]
fn duplicate_state() {
    let dir = corrupt("receipt_keys.csv", |t| {
        let al = t.lines().nth(1).unwrap();
        format!("{t}{al}\n")
    });
    bad_data(
        dir.path(),
        &[
            "receipt_keys.csv:53",
            "field postal",
            "\"AL\"",
            "duplicate state",
        ],
    );
}

#[test]
fn negative_population() {
    let dir = corrupt("states.csv", |t| {
        t.replacen("Alabama,5073903", "Alabama,-5073903", 1)
    });
    bad_data(
        dir.path(),
        &[
            "states.csv:2",
            "field population",
            "\"-5073903\"",
            "negative",
        ],
    );
}

#[test]
fn unknown_state_in_a_data_file() {
    let dir = corrupt("spending.csv", |t| t.replacen("\nAK,", "\nZZ,", 1));
    bad_data(
        dir.path(),
        &[
            "spending.csv:3",
            "field postal",
            "\"ZZ\"",
            "unknown state code",
        ],
    );
}

#[test]
fn controls_that_do_not_add_up() {
    let dir = corrupt("controls.csv", |t| {
        t.replacen(
            "receipts.excise,87728000000",
            "receipts.excise,87728000001",
            1,
        )
    });
    bad_data(dir.path(), &["controls.csv", "receipt categories sum to"]);
}

#[test]
fn ragged_row() {
    let dir = corrupt("states.csv", |t| {
        t.replacen("Alabama,5073903,", "Alabama,5073903,,", 1)
    });
    bad_data(dir.path(), &["states.csv:2", "fields"]);
}

/// Found by reading the loader after fuzzing: three huge vote counts
/// overflowed the sum check (a panic in debug builds, a wrap in release).
#[test]
fn regression_huge_vote_counts_are_refused_not_overflowed() {
    let dir = corrupt("elections.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        lines[1] = "2016,AL,a,b,9223372036854775807,9223372036854775807,5,5".into();
        lines.join("\n") + "\n"
    });
    bad_data(
        dir.path(),
        &[
            "elections.csv:2",
            "field total_votes",
            "not dem_votes + rep_votes + other_votes",
        ],
    );
}
