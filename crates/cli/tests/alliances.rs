//! End-to-end tests of `fedsplit stability` and `fedsplit optimize`: golden
//! outputs, JSON consistency, determinism and bad input.
//!
//! Regenerate the golden files after an intended change with
//! `UPDATE_GOLDEN=1 cargo test -p fedsplit --test alliances`.

mod common;
use common::{bad, golden, ok};

use serde_json::Value;

#[test]
fn golden_stability_three_way_split() {
    golden(
        "stability_three-way-split.txt",
        &ok(&["stability", "--example", "three-way-split"]),
    );
}

#[test]
fn golden_stability_2024_blocs_with_dynamics() {
    golden(
        "stability_bluexit-2024_dynamics.txt",
        &ok(&["stability", "--example", "bluexit-2024", "--dynamics"]),
    );
}

#[test]
fn stability_json_agrees_with_itself() {
    let out = ok(&[
        "stability",
        "--example",
        "three-way-split",
        "--dynamics",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["meta"]["command"], "stability");
    assert_eq!(v["plan"]["graph"], "states");
    assert_eq!(v["plan"]["units"], 49);
    assert_eq!(v["plan"]["year"], 2024);
    let blocs = v["blocs"].as_array().unwrap();
    assert_eq!(blocs.len(), 3);
    let units: usize = blocs
        .iter()
        .map(|b| b["units"].as_array().unwrap().len())
        .sum();
    assert_eq!(units, 49);
    for b in blocs {
        assert_eq!(b["pieces"], 1, "{}", b["bloc"]);
    }
    let moves = v["moves"].as_array().unwrap();
    let profitable = moves
        .iter()
        .filter(|m| m["allowed"] == true && m["gain"].as_f64().unwrap() > 1e-9)
        .count();
    assert_eq!(v["stable"], profitable == 0);
    // gain = fiscal / 1000 + alignment (default weights).
    for m in moves {
        let f = m["fiscal_gain_per_capita_usd"].as_f64().unwrap();
        let a = m["align_gain_share"].as_f64().unwrap();
        assert!((m["gain"].as_f64().unwrap() - (f / 1000.0 + a)).abs() < 1e-9);
    }
    let best = &v["best"];
    let max_gain = moves
        .iter()
        .filter(|m| m["allowed"] == true)
        .map(|m| m["gain"].as_f64().unwrap())
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(best["gain"].as_f64().unwrap(), max_gain);
    let d = &v["dynamics"];
    assert!(["stable", "cycle", "step-limit"].contains(&d["outcome"].as_str().unwrap()));
    assert_eq!(d["steps"][0]["unit"], best["unit"]);
}

#[test]
fn stability_weights_and_tolerance_change_the_answer() {
    // Alignment weighted 20×: $1,000 per capita counts as 5 points of vote
    // share; on FY2022's figures that settles the 2024 blocs.
    let out = ok(&[
        "stability",
        "--example",
        "bluexit-2024",
        "--year",
        "2022",
        "--align-weight",
        "20",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["stable"], true);
    // A tight population tolerance blocks every switch of the three-way split.
    let out = ok(&[
        "stability",
        "--example",
        "three-way-split",
        "--tol",
        "1",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["stable"], true);
    assert!(v["moves"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["allowed"] == false));
}

#[test]
fn stability_of_a_plan_file_and_left_out_blocs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(
        &path,
        "name = \"islands\"\n[blocs]\nlist = [\n  { name = \"Pacific\", states = [\"AK\", \"HI\"] },\n  { name = \"East\", states = [\"ME\", \"NH\", \"VT\"] },\n  { name = \"Rest\", rest = true },\n]\n",
    )
    .unwrap();
    let out = ok(&["stability", "--plan", path.to_str().unwrap()]);
    assert!(
        out.contains("left out (no unit on the graph): Pacific"),
        "{out}"
    );
    assert!(out.contains("\nEast "), "{out}");
}

#[test]
fn stability_on_counties_runs() {
    let out = ok(&[
        "stability",
        "--example",
        "three-way-split",
        "--graph",
        "counties",
        "--top",
        "5",
    ]);
    assert!(out.contains("county graph: 3,109 counties"), "{out}");
    assert!(out.contains("(estimates)"), "{out}");
    assert!(out.contains("the first 5"), "{out}");
}

#[test]
fn optimize_is_deterministic_and_reports_feasibility() {
    // FY2024 under --deficit none: the nation receives about $2,700 per
    // resident, so a bound must lie above it for a plan to meet it.
    let args = [
        "optimize",
        "--blocs",
        "3",
        "--objective",
        "stranded",
        "--bound",
        "3000",
        "--steps",
        "3000",
        "--seed",
        "5",
        "--format",
        "json",
    ];
    let out = ok(&args);
    assert_eq!(out, ok(&args));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["meta"]["command"], "optimize");
    assert_eq!(v["search"]["steps"], 3000);
    let best = &v["best"];
    let start = &v["start"];
    let key = |x: &Value| {
        (
            x["rank"]["violation"].as_f64().unwrap(),
            x["rank"]["value"].as_f64().unwrap(),
        )
    };
    assert!(key(best) <= key(start));
    if best["rank"]["feasible"] == true {
        assert!(
            best["scores"]["max_abs_net_per_capita_usd"]
                .as_f64()
                .unwrap()
                <= 3000.0
        );
    }
    let bounds = v["search"]["population_bounds"].as_array().unwrap();
    let (lo, hi) = (bounds[0].as_u64().unwrap(), bounds[1].as_u64().unwrap());
    let blocs = best["blocs"].as_array().unwrap();
    assert_eq!(blocs.len(), 3);
    for b in blocs {
        let pop = b["population"].as_u64().unwrap();
        assert!(lo <= pop && pop <= hi);
        assert_eq!(b["pieces"], 1);
    }
    let table = ok(&[
        "optimize",
        "--blocs",
        "2",
        "--objective",
        "fiscal",
        "--bound",
        "80000000",
        "--steps",
        "500",
    ]);
    assert!(table.contains("best plan:"), "{table}");
    assert!(table.contains("Bloc 2: "), "{table}");
}

#[test]
fn bad_input_exits_2_with_one_line() {
    bad(&["stability"], &["required"]);
    bad(
        &["stability", "--example", "no-such-plan"],
        &["no example named", "three-way-split"],
    );
    bad(
        &["stability", "--plan", "missing.toml"],
        &["missing.toml", "cannot read"],
    );
    bad(
        &[
            "stability",
            "--example",
            "three-way-split",
            "--election",
            "2012",
        ],
        &["--election", "2012"],
    );
    bad(
        &["stability", "--example", "calexit", "--tol", "100"],
        &["--tol"],
    );
    bad(
        &[
            "stability",
            "--example",
            "calexit",
            "--fiscal-weight",
            "nan",
        ],
        &["--fiscal-weight"],
    );
    bad(
        &[
            "optimize",
            "--blocs",
            "1",
            "--objective",
            "stranded",
            "--bound",
            "2500",
        ],
        &["--blocs"],
    );
    bad(
        &[
            "optimize",
            "--blocs",
            "3",
            "--objective",
            "nope",
            "--bound",
            "2500",
        ],
        &["--objective"],
    );
    bad(
        &[
            "optimize",
            "--blocs",
            "3",
            "--objective",
            "fiscal",
            "--bound",
            "-5",
        ],
        &["--bound"],
    );
    bad(
        &[
            "optimize",
            "--blocs",
            "60",
            "--objective",
            "fiscal",
            "--bound",
            "5",
        ],
        &["60 blocs", "49 units"],
    );
    bad(
        &[
            "optimize",
            "--blocs",
            "12",
            "--objective",
            "fiscal",
            "--bound",
            "5",
            "--tol",
            "5",
        ],
        &["CA alone", "--tol"],
    );
}
