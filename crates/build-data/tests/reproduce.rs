//! Rebuilding the tables from the raw sources reproduces the committed
//! `data/` byte for byte: every fiscal year's folder and the shared tables.
//! And every year the builder writes loads through the loader, with its
//! carried columns recognised as carried. Skipped, and said so on the
//! terminal, when the raw sources are not beside the workspace; under
//! CI=true that is a failure.

use std::path::PathBuf;

use fedsplit_build_data::write::{build, OutputFile};
use fedsplit_build_data::years::YEARS;
use fedsplit_data::{schema, Dataset};

fn built(test: &str) -> Option<Vec<OutputFile>> {
    let raw = fedsplit_build_data::raw_root_for_test(test)?;
    Some(build(&raw).expect("build succeeds"))
}

/// The files of every year and the shared ones, by name.
fn expected_names() -> Vec<String> {
    let mut names: Vec<String> = YEARS
        .iter()
        .flat_map(|y| {
            schema::YEAR_FILES
                .iter()
                .map(move |f| format!("{}/{f}", schema::year_dir(y.fy)))
        })
        .collect();
    names.extend(
        [
            schema::BORDERS_FILE,
            schema::ELECTIONS_FILE,
            schema::STATE_PATHS_FILE,
            schema::COUNTIES_FILE,
            schema::COUNTY_EDGES_FILE,
            schema::COUNTY_PATHS_FILE,
        ]
        .map(String::from),
    );
    names
}

#[test]
fn builder_reproduces_committed_tables() {
    let Some(files) = built("builder_reproduces_committed_tables") else {
        return;
    };
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let mut expected = expected_names();
    names.sort();
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(files.len(), 4 * 7 + 6);
    for f in &files {
        let committed = std::fs::read_to_string(data.join(&f.name))
            .unwrap_or_else(|e| panic!("data/{} is not committed: {e}", f.name));
        assert!(
            committed == f.text,
            "data/{} differs from what the sources produce: run `cargo run -p fedsplit-build-data`",
            f.name
        );
    }
    // The flat single-year layout is gone.
    for old in ["states.csv", "controls.csv", "spending.csv", "manifest.csv"] {
        assert!(!data.join(old).exists(), "data/{old} is a leftover");
    }
}

#[test]
fn every_built_year_loads_with_its_carried_columns() {
    let Some(files) = built("every_built_year_loads_with_its_carried_columns") else {
        return;
    };
    for y in &YEARS {
        let dir = schema::year_dir(y.fy);
        let tables: Vec<(&str, &str)> = schema::ALL_FILES
            .iter()
            .map(|name| {
                let text = files
                    .iter()
                    .find(|f| f.name == format!("{dir}/{name}") || f.name == *name)
                    .unwrap_or_else(|| panic!("{dir}: no {name}"));
                (*name, text.text.as_str())
            })
            .collect();
        let data = Dataset::from_tables(&dir, &tables)
            .unwrap_or_else(|e| panic!("FY{} does not load: {e}", y.fy));
        assert_eq!(data.fiscal_year, y.fy);
        assert_eq!(data.states.len(), 51);

        let year = |table: &str, column: &str| {
            data.column_year(table, column)
                .unwrap_or_else(|| panic!("FY{}: no manifest year for {table}.{column}", y.fy))
        };
        // Every column of every table has a manifest row, and a year.
        for (table, header) in [
            ("states", &schema::STATES_HEADER[3..]),
            ("receipt_keys", &schema::RECEIPT_KEYS_HEADER[1..]),
            ("spending", &schema::SPENDING_HEADER[1..]),
        ] {
            for column in header {
                year(table, column);
            }
        }
        for item in &data.controls.items {
            assert_eq!(
                year("controls", &item.id),
                y.fy,
                "FY{}: control {}",
                y.fy,
                item.id
            );
        }
        // Same-year and carried columns, per years-data.md §2.1.
        let expected: [(&str, &str, u16); 12] = [
            ("states", "population", y.fy),
            ("states", "gdp_usd", y.fy),
            ("states", "pce_usd", y.fy.min(2023)),
            (
                "receipt_keys",
                "income_tax_after_credits_usd",
                y.fy.min(2023),
            ),
            ("receipt_keys", "irs_total_collections_usd", y.fy),
            (
                "receipt_keys",
                "state_local_income_tax_usd",
                if y.fy == 2019 { 2019 } else { 2022 },
            ),
            ("spending", "social_security_benefits_usd", 2022),
            (
                "spending",
                "medicare_benefits_usd",
                if y.fy == 2019 { 2019 } else { 2022 },
            ),
            ("spending", "other_payments_key_usd", 2022),
            ("spending", "medicaid_chip_federal_usd", y.fy.min(2023)),
            ("spending", "snap_benefits_usd", y.fy),
            (
                "spending",
                "non_medicaid_grants_usd",
                if y.fy == 2019 { 2019 } else { 2022 },
            ),
        ];
        for (table, column, from) in expected {
            assert_eq!(year(table, column), from, "FY{} {table}.{column}", y.fy);
        }
        assert_eq!(year("spending", "federal_civilian_gdp_usd"), y.fy);

        // Published totals (years-data.md §0, §1).
        let (receipts, outlays) = match y.fy {
            2019 => (3_463_364, 4_446_952),
            2022 => (4_897_339, 6_271_510),
            2023 => (4_440_948, 6_128_415),
            _ => (4_919_884, 6_735_261),
        };
        let c = |id: &str| data.controls.get(id);
        assert_eq!(c(schema::control::RECEIPTS_TOTAL), receipts as f64 * 1e6);
        assert_eq!(c(schema::control::OUTLAYS_TOTAL), outlays as f64 * 1e6);
        let alaska = data.position(fedsplit_core::State::Ak).unwrap();
        assert_eq!(data.spending.alaska_pfd_usd[alaska], 2_055_495_008.0);
    }
}

#[test]
fn committed_layout_loads_every_year() {
    // No raw sources needed: the committed data/ as the loader reads it.
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let years: Vec<u16> = YEARS.iter().map(|y| y.fy).collect();
    assert_eq!(Dataset::years(Some(&data)).unwrap(), years);
    assert_eq!(fedsplit_data::EMBEDDED_YEARS, &years[..]);
    for fy in years {
        let d = Dataset::open(Some(&data), Some(fy))
            .unwrap_or_else(|e| panic!("data/fy{fy} does not load: {e}"));
        assert_eq!(d.fiscal_year, fy);
        let e = Dataset::open(None, Some(fy)).unwrap_or_else(|e| panic!("embedded FY{fy}: {e}"));
        assert_eq!(
            e.checksum, d.checksum,
            "embedded FY{fy} is the committed data"
        );
    }
}
