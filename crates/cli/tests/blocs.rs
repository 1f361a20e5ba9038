//! End-to-end tests of `fedsplit blocs`: golden outputs, stranded voters
//! checked against data/elections.csv read directly, and bad input.
//!
//! Regenerate the golden files after an intended change with
//! `UPDATE_GOLDEN=1 cargo test -p fedsplit --test blocs`.

mod common;
use common::{bad, golden, ok};

use std::collections::BTreeMap;
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

#[test]
fn golden_blocs_2024() {
    golden("blocs_2024.txt", &ok(&["blocs", "--election", "2024"]));
}

#[test]
fn golden_blocs_2020_swing_by_state_csv() {
    golden(
        "blocs_2020_margin3_by_state.csv",
        &ok(&[
            "blocs",
            "--election",
            "2020",
            "--margin",
            "3",
            "--by",
            "state",
            "--format",
            "csv",
        ]),
    );
}

/// One row of data/elections.csv, parsed here without the engine.
struct Row {
    postal: String,
    dem: u64,
    rep: u64,
    total: u64,
}

fn elections(year: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(data_dir().join("elections.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "year,postal,dem_candidate,rep_candidate,dem_votes,rep_votes,other_votes,total_votes"
    );
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[0] == year)
        .map(|f| Row {
            postal: f[1].to_string(),
            dem: f[4].parse().unwrap(),
            rep: f[5].parse().unwrap(),
            total: f[7].parse().unwrap(),
        })
        .collect()
}

/// Per bloc name: (states, dem, rep, total, Σ state voters against the state's winner).
type Sums = BTreeMap<&'static str, (Vec<String>, u64, u64, u64, u64)>;

fn sums(rows: &[Row], bloc: impl Fn(&Row) -> &'static str) -> Sums {
    let mut out = Sums::new();
    for r in rows {
        let e = out.entry(bloc(r)).or_default();
        e.0.push(r.postal.clone());
        e.1 += r.dem;
        e.2 += r.rep;
        e.3 += r.total;
        // Ties go to the Democrat, as in fedsplit; none occur in the data.
        e.4 += r.total - if r.dem >= r.rep { r.dem } else { r.rep };
    }
    out
}

/// The CLI's bloc CSV as (header, rows), keyed by bloc name.
fn bloc_csv(args: &[&str]) -> BTreeMap<String, BTreeMap<String, String>> {
    let out = ok(args);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), header.len(), "{l}");
            let m: BTreeMap<String, String> = header
                .iter()
                .zip(&f)
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            (f[0].to_string(), m)
        })
        .collect()
}

fn check_against_csv(cli: &BTreeMap<String, BTreeMap<String, String>>, expected: &Sums) {
    assert_eq!(
        cli.keys().map(String::as_str).collect::<Vec<_>>(),
        expected.keys().copied().collect::<Vec<_>>()
    );
    for (name, (states, dem, rep, total, against_state)) in expected {
        let row = &cli[*name];
        // The bloc winner's votes are the larger of D and R summed over the bloc.
        let stranded = total - dem.max(rep);
        assert_eq!(row["stranded_voters"], stranded.to_string(), "{name}");
        assert_eq!(
            row["state_stranded_voters"],
            against_state.to_string(),
            "{name}"
        );
        assert_eq!(row["dem_votes"], dem.to_string(), "{name}");
        assert_eq!(row["rep_votes"], rep.to_string(), "{name}");
        assert_eq!(row["total_votes"], total.to_string(), "{name}");
        let mut listed: Vec<&str> = row["states"].split(' ').collect();
        listed.sort_unstable();
        let mut want: Vec<&str> = states.iter().map(String::as_str).collect();
        want.sort_unstable();
        assert_eq!(listed, want, "{name}");
    }
}

/// Stranded voters of the 2024 red/blue split, recomputed from the CSV text.
#[test]
fn stranded_voters_2024_match_elections_csv() {
    let rows = elections("2024");
    assert_eq!(rows.len(), 51);
    let expected = sums(&rows, |r| {
        if r.dem >= r.rep {
            "Democratic"
        } else {
            "Republican"
        }
    });
    let cli = bloc_csv(&["blocs", "--election", "2024", "--format", "csv"]);
    check_against_csv(&cli, &expected);
    // §8 national totals.
    let dem: u64 = expected.values().map(|e| e.1).sum();
    let rep: u64 = expected.values().map(|e| e.2).sum();
    assert_eq!((dem, rep), (75_017_613, 77_302_580));
    // In a pure red/blue split the two stranded counts coincide.
    for row in cli.values() {
        assert_eq!(row["stranded_voters"], row["state_stranded_voters"]);
    }
}

/// With a 5-point swing bloc the swing bloc's two counts differ.
#[test]
fn stranded_voters_2024_swing_match_elections_csv() {
    let rows = elections("2024");
    let expected = sums(&rows, |r| {
        // |D − R| / total × 100 < 5, in integers.
        if r.dem.abs_diff(r.rep) * 100 < 5 * r.total {
            "Swing"
        } else if r.dem >= r.rep {
            "Democratic"
        } else {
            "Republican"
        }
    });
    let cli = bloc_csv(&[
        "blocs",
        "--election",
        "2024",
        "--margin",
        "5",
        "--format",
        "csv",
    ]);
    check_against_csv(&cli, &expected);
    let swing = &cli["Swing"];
    assert_eq!(swing["states"], "GA MI MN NV NH NC PA WI");
    assert_ne!(swing["stranded_voters"], swing["state_stranded_voters"]);
}

#[test]
fn json_has_meta_and_contiguity() {
    let out = ok(&["blocs", "--election", "2024", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["meta"]["command"], "blocs");
    assert_eq!(v["meta"]["dataset_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["election"]["year"], 2024);
    let blocs = v["blocs"].as_array().unwrap();
    assert_eq!(blocs.len(), 2);
    assert_eq!(blocs[0]["bloc"], "Democratic");
    assert_eq!(blocs[0]["states"].as_array().unwrap().len(), 20);
    assert_eq!(blocs[1]["states"].as_array().unwrap().len(), 31);
    // Trump's states are one land mass plus Alaska.
    assert_eq!(blocs[1]["contiguous"], false);
    assert_eq!(blocs[1]["exclaves"], serde_json::json!(["AK"]));
    assert_eq!(blocs[1]["components"].as_array().unwrap().len(), 2);
    let pop: f64 = blocs
        .iter()
        .map(|b| b["population"].as_f64().unwrap())
        .sum();
    // Census Vintage 2024: the resident population on July 1, 2024.
    assert_eq!(pop, 340_110_988.0);
}

#[test]
fn by_state_lists_every_state_once() {
    let out = ok(&[
        "blocs",
        "--election",
        "2016",
        "--by",
        "state",
        "--format",
        "csv",
    ]);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 51);
    let pa = rows.iter().find(|l| l.starts_with("PA,")).unwrap();
    assert!(
        pa.starts_with("PA,Pennsylvania,Republican,Republican,"),
        "{pa}"
    );
}

// ---- bad input: one line on stderr naming the problem, exit 2, no stdout ----

#[test]
fn unknown_election_year() {
    bad(
        &["blocs", "--election", "2012"],
        &[
            "--election 2012",
            "no 2012 presidential election",
            "2016, 2020, 2024",
        ],
    );
    bad(
        &["blocs", "--election", "twenty"],
        &["--election", "not a year"],
    );
    bad(
        &["blocs"],
        &["--election YEAR is required", "2016, 2020, 2024"],
    );
    let toy = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/toy");
    bad(
        &[
            "blocs",
            "--election",
            "2020",
            "--data",
            toy.to_str().unwrap(),
        ],
        &["no 2020 presidential election", "available: 2024"],
    );
}

#[test]
fn margin_out_of_range() {
    for m in ["150", "0", "100", "-5", "nan"] {
        bad(
            &["blocs", "--election", "2024", "--margin", m],
            &["--margin", &format!("'{m}'"), "strictly between 0 and 100"],
        );
    }
}
