//! End-to-end tests of `fedsplit scenario` and `fedsplit sweep`.
//! Regenerate golden files with `UPDATE_GOLDEN=1 cargo test -p fedsplit --test scenario`.

mod common;
use common::{bad, golden, ok, succeeds};

use std::path::PathBuf;

const EXAMPLES: [&str; 5] = [
    "bluexit-2024",
    "devolve-medicaid",
    "calexit",
    "three-way-split",
    "laboratories",
];

#[test]
fn golden_examples() {
    for name in EXAMPLES {
        golden(
            &format!("scenario_{name}.txt"),
            &ok(&["scenario", "--example", name]),
        );
    }
}

#[test]
fn golden_bluexit_by_state_and_income() {
    golden(
        "scenario_bluexit-2024_by_state.csv",
        &ok(&[
            "scenario",
            "--example",
            "bluexit-2024",
            "--by",
            "state",
            "--format",
            "csv",
        ]),
    );
    golden(
        "scenario_bluexit-2024_by_income.csv",
        &ok(&[
            "scenario",
            "--example",
            "bluexit-2024",
            "--by",
            "income",
            "--format",
            "csv",
        ]),
    );
}

#[test]
fn example_file_and_example_flag_agree() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/calexit.toml");
    let from_file = ok(&["scenario", file.to_str().unwrap(), "--format", "json"]);
    let from_flag = ok(&["scenario", "--example", "calexit", "--format", "json"]);
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["meta"].as_object_mut().unwrap().remove("scenario");
        v
    };
    assert_eq!(strip(&from_file), strip(&from_flag));
}

#[test]
fn list_and_schema() {
    let list = ok(&["scenario", "--list"]);
    for name in EXAMPLES {
        assert!(list.contains(name), "{name} missing from --list");
    }
    let schema = ok(&["scenario", "--schema"]);
    for key in [
        "income_tax_scale",
        "replace_share",
        "withdraw",
        "debt_key",
        "public_goods_key",
        "assignment",
    ] {
        assert!(schema.contains(key), "{key} missing from --schema");
    }
}

#[test]
fn sweep_writes_one_row_per_point() {
    let csv = succeeds(&[
        "sweep",
        "--example",
        "bluexit-2024",
        "--param",
        "bluexit.bloc.Democratic.income_tax_scale=0:1:0.25",
        "--param",
        "bluexit.bloc.Democratic.replace_share=0:1:0.5",
    ])
    .stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 5 * 3);
    assert!(lines[0].starts_with("bluexit.bloc.Democratic.income_tax_scale,bluexit.bloc.Democratic.replace_share,Democratic.net_usd"));
    assert!(lines[1].starts_with("0,0,") && lines[15].starts_with("1,1,"));
    // Point (0, 1) is the shipped example: its Democratic net is +638,882 $M
    // (FY2024).
    let point = lines.iter().find(|l| l.starts_with("0,1,")).unwrap();
    let net: f64 = point.split(',').nth(2).unwrap().parse().unwrap();
    assert!((net / 1e6 - 638_882.0).abs() < 1.0, "{net}");
}

#[test]
fn sweep_out_file_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid.csv");
    let stdout = succeeds(&[
        "sweep",
        "--example",
        "laboratories",
        "--param",
        "bluexit.income_tax_scale=0.5:1:0.25",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(stdout.stdout.is_empty());
    assert!(
        stdout.stderr.starts_with("fedsplit sweep: 3 points in "),
        "{}",
        stdout.stderr
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 4);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "temporary file left behind"
    );
}

fn bad_file(text: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    bad(&["scenario", path.to_str().unwrap()], needles);
}

#[test]
fn bad_scenario_files() {
    bad_file("name = \"x\"\n[blocs\n", &["bad.toml:2:"]);
    bad_file(
        "name = \"x\"\n[blocs]\nelection = 2024\n[partition]\ndebt = \"gdp\"\n",
        &["bad.toml:5:", "partition", "unknown field `debt`"],
    );
    bad_file("name = \"x\"\n[blocs]\nlist = [ { name = \"A\", states = [\"CA\", \"ZZ\"] } ]\n[partition]\n", &["bad.toml:3:", "\"ZZ\""]);
    bad_file(
        "name = \"x\"\n[blocs]\nlist = [\n { name = \"A\", states = [\"CA\"] },\n { name = \"B\", states = [\"CA\"] },\n]\n[partition]\n",
        &["bad.toml:5:", "CA is in two blocs"],
    );
    bad_file(
        "name = \"x\"\n[blocs]\nlist = [\n { name = \"A\", states = [] },\n { name = \"B\", rest = true },\n]\n[partition]\n",
        &["bad.toml:4:", "has no states"],
    );
    bad_file(
        "name = \"x\"\n[blocs]\nelection = 2024\n[bluexit]\nincome_tax_scale = -1\n",
        &["bad.toml:5:", "non-negative"],
    );
    bad_file(
        "name = \"x\"\n[blocs]\nelection = 2024\n[bluexit]\nreplace_share = 2\n",
        &["bad.toml:5:", "between 0 and 1"],
    );
    bad(
        &["scenario", "/nonexistent/s.toml"],
        &["/nonexistent/s.toml", "cannot read"],
    );
    bad(
        &["scenario", "--example", "texit"],
        &["no example named \"texit\""],
    );
}

#[test]
fn bad_sweeps() {
    bad(
        &[
            "sweep",
            "--example",
            "bluexit-2024",
            "--param",
            "bluexit.income_tax_scale=0:1:0",
        ],
        &["STEP must be positive"],
    );
    bad(
        &[
            "sweep",
            "--example",
            "bluexit-2024",
            "--param",
            "bluexit.replace_share=0:2:0.5",
        ],
        &["within 0..1"],
    );
    bad(
        &[
            "sweep",
            "--example",
            "bluexit-2024",
            "--param",
            "bluexit.tax=0:1:0.5",
        ],
        &["unknown parameter"],
    );
    bad(
        &[
            "sweep",
            "--example",
            "calexit",
            "--param",
            "bluexit.income_tax_scale=0:1:0.5",
        ],
        &["no [bluexit]"],
    );
    bad(
        &[
            "sweep",
            "--example",
            "bluexit-2024",
            "--param",
            "bluexit.income_tax_scale=1:0:0.5",
        ],
        &["below FROM"],
    );
}

/// `--graph counties` draws the blocs county by county with the file's moves:
/// each bloc's population is the sum of its counties' in data/counties.csv.
#[test]
fn graph_counties_applies_county_moves() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oregon-east.toml");
    // Gilliam, Grant, Harney and Malheur counties (Oregon) to the Republican bloc.
    std::fs::write(
        &file,
        "name = \"oregon-east\"\n[blocs]\nelection = 2024\n[blocs.counties]\n41021 = \"Republican\"\n41023 = \"Republican\"\n41025 = \"Republican\"\n41045 = \"Republican\"\n[partition]\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "scenario", file, "--graph", "counties", "--format", "json",
    ]))
    .unwrap();
    let blocs: serde_json::Value =
        serde_json::from_str(&ok(&["blocs", "--election", "2024", "--format", "json"])).unwrap();
    let republican_states: Vec<String> = blocs["blocs"][1]["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    assert_eq!(blocs["blocs"][1]["bloc"], "Republican");
    let moved = ["41021", "41023", "41025", "41045"];
    let counties = std::fs::read_to_string("../../data/counties.csv").unwrap();
    let (mut dem, mut rep) = (0u64, 0u64);
    for line in counties.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (fips, state, population) = (f[0], f[1], f[3].parse::<u64>().unwrap());
        if state == "AK" || state == "HI" {
            continue;
        }
        if republican_states.iter().any(|s| s == state) || moved.contains(&fips) {
            rep += population;
        } else {
            dem += population;
        }
    }
    assert_eq!(v["blocs"][0]["bloc"], "Democratic");
    assert_eq!(v["blocs"][0]["population"], dem);
    assert_eq!(v["blocs"][1]["population"], rep);
    assert_eq!(v["county_moves"].as_array().unwrap().len(), 4);
    assert_eq!(v["plan"]["fiscal_estimated"], true);
    // The table says so, and the state figures ignore the moves.
    let table = ok(&["scenario", file, "--graph", "counties"]);
    assert!(table.contains("county moves: 41021→Republican"), "{table}");
    assert!(table.contains("county figures are estimates"), "{table}");
    let by_state = ok(&["scenario", file]);
    assert!(by_state.contains("4 county moves (blocs.counties): on the counties graph only"));
    let csv = ok(&["scenario", file, "--graph", "counties", "--format", "csv"]);
    assert!(csv.starts_with("bloc,units,population,"), "{csv}");
    bad(&["scenario", file, "--graph", "grid:3x3"], &["grid"]);
    bad(
        &["scenario", file, "--graph", "counties", "--by", "state"],
        &["--by"],
    );
    // A move to no county of the graph names the file, the key and the code.
    let unknown = dir.path().join("unknown.toml");
    std::fs::write(
        &unknown,
        "name = \"x\"\n[blocs]\nelection = 2024\n[blocs.counties]\n99999 = \"Republican\"\n[partition]\n",
    )
    .unwrap();
    let unknown = unknown.to_str().unwrap();
    for args in [
        &["scenario", unknown, "--graph", "counties"][..],
        &[
            "ensemble",
            "summarize",
            "shipped:counties-k2",
            "--plan",
            unknown,
        ][..],
    ] {
        bad(
            args,
            &["unknown.toml", "blocs.counties", "99999 is not a county"],
        );
    }
}

/// The income classes by bloc add up each class's returns over the bloc's
/// states (data/fy2024/income_classes.csv), and the JSON carries the state ×
/// class rows only with --by income.
#[test]
fn income_by_bloc_sums_the_states_classes() {
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "scenario",
        "--example",
        "bluexit-2024",
        "--format",
        "json",
    ]))
    .unwrap();
    assert!(v.get("income").is_none());
    let democratic: Vec<&str> = v["blocs"][0]["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let table = std::fs::read_to_string("../../data/fy2024/income_classes.csv").unwrap();
    let mut returns = [0.0f64; 11];
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if democratic.contains(&f[0]) {
            returns[f[1].parse::<usize>().unwrap()] += f[2].parse::<f64>().unwrap();
        }
    }
    let rows = v["income_by_bloc"].as_array().unwrap();
    let democratic_rows: Vec<_> = rows.iter().filter(|r| r["bloc"] == "Democratic").collect();
    assert_eq!(democratic_rows.len(), 10);
    for r in democratic_rows {
        let class = r["agi_class"].as_u64().unwrap() as usize;
        assert_eq!(
            r["returns"].as_f64().unwrap(),
            returns[class],
            "class {class}"
        );
        let share = r["share_better_off"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&share));
        let per_return = r["net_usd"].as_f64().unwrap() / returns[class];
        assert!((r["net_per_return_usd"].as_f64().unwrap() - per_return).abs() < 1e-6);
    }
    let with_states: serde_json::Value = serde_json::from_str(&ok(&[
        "scenario",
        "--example",
        "bluexit-2024",
        "--by",
        "income",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(with_states["income"].as_array().unwrap().len(), 51 * 10);
}
