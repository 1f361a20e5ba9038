//! `fedsplit ensemble` and `fedsplit ensemble merge` end to end.

mod common;

use common::{bad, fedsplit, succeeds};

fn path(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).to_string_lossy().into_owned()
}

#[test]
fn same_seed_same_bytes_across_threads_and_shards() {
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "ensemble",
        "--graph",
        "grid:10x10",
        "--blocs",
        "4",
        "--steps",
        "40",
        "--seed",
        "7",
        "--chains",
        "4",
        "--every",
        "5",
    ];
    let run = |extra: &[&str], out: &str| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--out", out]);
        let o = succeeds(&args);
        assert!(o.stdout.is_empty());
        // Not a terminal: no progress bar, one summary line.
        assert_eq!(o.stderr.lines().count(), 1, "{}", o.stderr);
        assert!(o.stderr.contains("steps/s"), "{}", o.stderr);
        std::fs::read(out).unwrap()
    };
    let one = run(&["--threads", "1"], &path(&dir, "a.jsonl"));
    let two = run(&["--threads", "2"], &path(&dir, "b.jsonl"));
    assert!(one == two);
    let s0 = path(&dir, "s0.jsonl");
    let s1 = path(&dir, "s1.jsonl");
    run(&["--chain-range", "0..1"], &s0);
    run(&["--chain-range", "1..4", "--threads", "3"], &s1);
    let merged = path(&dir, "m.jsonl");
    let o = succeeds(&["ensemble", "merge", &s1, &s0, "--out", &merged]);
    assert!(o.stderr.contains("merged 2 shards"), "{}", o.stderr);
    assert!(std::fs::read(&merged).unwrap() == one);

    let text = String::from_utf8(one).unwrap();
    let meta: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(meta["type"], "meta");
    assert_eq!(meta["graph"], "grid:10x10");
    assert_eq!(meta["tree"], "mst");
    assert_eq!(meta["chain_range"], serde_json::json!([0, 4]));
}

#[test]
fn states_csv_with_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let out = path(&dir, "s.csv");
    let o = fedsplit(&[
        "ensemble",
        "--graph",
        "states",
        "--blocs",
        "4",
        "--steps",
        "20",
        "--seed",
        "1",
        "--variant",
        "reversible",
        "--quiet",
        "--out",
        &out,
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.is_empty() && o.stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    let meta = lines.next().unwrap();
    assert!(meta.starts_with("# meta {\"type\":\"meta\""), "{meta}");
    assert!(meta.contains("\"excluded\":[\"AK\",\"HI\"]") && meta.contains("\"tree\":\"wilson\""));
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("chain,step,cut_edges,max_dev,pop_0,pop_1,pop_2,pop_3,AL,AZ,"),
        "{header}"
    );
    assert_eq!(header.split(',').count(), 4 + 4 + 49);
    assert_eq!(lines.count(), 21);
}

#[test]
fn infeasible_and_bad_requests_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = path(&dir, "x.jsonl");
    let common = ["--steps", "10", "--seed", "1", "--out", &out];
    let with = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        v.extend(common.iter().map(|s| s.to_string()));
        v
    };
    let check = |extra: &[&str], needles: &[&str]| {
        let args = with(extra);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        bad(&refs, needles);
    };
    // California alone exceeds 1.05 × ideal at k = 9.
    check(
        &["ensemble", "--graph", "states", "--blocs", "9"],
        &["CA", "--tol 6.2"],
    );
    // Eight state blocs within 5 % do not exist; on FY2024's populations
    // 6.0 % is the least (6.5 % on FY2022's: see the sampler tests).
    check(
        &["ensemble", "--graph", "states", "--blocs", "8"],
        &["exhaustive", "--tol 6.0"],
    );
    check(
        &["ensemble", "--graph", "grid:4", "--blocs", "2"],
        &["grid:WxH"],
    );
    check(
        &[
            "ensemble",
            "--graph",
            "grid:4x4",
            "--blocs",
            "2",
            "--variant",
            "reversible",
            "--tree",
            "mst",
        ],
        &["wilson"],
    );
    check(
        &[
            "ensemble",
            "--graph",
            "grid:4x4",
            "--blocs",
            "2",
            "--chains",
            "2",
            "--chain-range",
            "1..3",
        ],
        &["--chain-range"],
    );
    check(
        &[
            "ensemble",
            "--graph",
            "grid:4x4",
            "--blocs",
            "2",
            "--chain-range",
            "2..1",
        ],
        &["I..J"],
    );
    bad(
        &[
            "ensemble",
            "--graph",
            "grid:4x4",
            "--blocs",
            "2",
            "--steps",
            "1",
            "--seed",
            "1",
            "--out",
            &path(&dir, "x.txt"),
        ],
        &[".jsonl or .csv"],
    );
    bad(
        &[
            "ensemble", "--graph", "grid:4x4", "--blocs", "2", "--seed", "1", "--out", &out,
        ],
        &["--steps"],
    );
    bad(
        &[
            "ensemble",
            "merge",
            &path(&dir, "missing.jsonl"),
            "--out",
            &out,
        ],
        &["missing.jsonl"],
    );
    assert!(!dir.path().join("x.jsonl").exists());
    // Nothing left behind by the failures.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Runs `fedsplit ensemble` quietly into `out`.
fn make_ensemble(out: &str, graph: &str, k: &str, steps: &str, seed: &str, tol: &str) {
    let o = fedsplit(&[
        "ensemble", "--graph", graph, "--blocs", k, "--tol", tol, "--steps", steps, "--seed", seed,
        "--quiet", "--out", out,
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn summarize_orders_quantiles_and_places_an_own_plan() {
    let dir = tempfile::tempdir().unwrap();
    let out = path(&dir, "s.jsonl");
    make_ensemble(&out, "states", "3", "30", "3", "5");
    // Turn the last plan of the ensemble into a scenario file.
    let text = std::fs::read_to_string(&out).unwrap();
    let meta: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let plan: serde_json::Value = serde_json::from_str(
        text.lines()
            .rfind(|l| l.starts_with("{\"type\":\"plan\""))
            .unwrap(),
    )
    .unwrap();
    // Node names of the state graph: the CSV header of the same ensemble.
    let csv = path(&dir, "s.csv");
    make_ensemble(&csv, "states", "3", "1", "3", "5");
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    let names: Vec<&str> = csv_text
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .skip(7)
        .collect();
    assert_eq!(names.len(), meta["nodes"].as_u64().unwrap() as usize);
    let mut toml = String::from("name = \"own\"\n[blocs]\nlist = [\n");
    for b in 0..3 {
        let states: Vec<String> = names
            .iter()
            .zip(plan["assignment"].as_array().unwrap())
            .filter(|(_, a)| a.as_u64() == Some(b))
            .map(|(n, _)| format!("\"{n}\""))
            .collect();
        toml.push_str(&format!(
            "  {{ name = \"B{b}\", states = [{}] }},\n",
            states.join(", ")
        ));
    }
    toml.push_str("  { name = \"Pacific\", rest = true },\n]\n");
    let scenario = path(&dir, "own.toml");
    std::fs::write(&scenario, toml).unwrap();

    let svg = path(&dir, "svg");
    let o = succeeds(&[
        "ensemble",
        "summarize",
        &out,
        "--plan",
        &scenario,
        "--format",
        "json",
        "--svg",
        &svg,
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["meta"]["ensemble"], meta);
    assert_eq!(v["meta"]["year"], 2024);
    assert_eq!(v["plans"], 31);
    assert_eq!(v["plan"]["k"], 3);
    assert_eq!(v["plan"]["contiguous"], true);
    assert_eq!(v["plan"]["left_out"], serde_json::json!(["Pacific"]));
    let metrics = v["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), 7);
    for m in metrics {
        let q: Vec<f64> = ["0", "5", "25", "50", "75", "95", "100"]
            .iter()
            .map(|l| m["quantiles"][l].as_f64().unwrap())
            .collect();
        assert!(q.windows(2).all(|w| w[0] <= w[1]), "{m}");
        let p = m["percentile"].as_f64().unwrap();
        assert!(p > 0.0 && p <= 1.0, "{m}");
        let x = m["plan"].as_f64().unwrap();
        assert!(q[0] <= x && x <= q[6], "{m}");
        let file = dir
            .path()
            .join("svg")
            .join(format!("{}.svg", m["name"].as_str().unwrap()));
        let svg = std::fs::read_to_string(file).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains(">own: "));
    }

    // A grid ensemble summarises too (no votes: zeros), as a table.
    let grid = path(&dir, "g.csv");
    make_ensemble(&grid, "grid:6x6", "2", "20", "1", "10");
    let o = succeeds(&["ensemble", "summarize", &grid]);
    assert!(
        o.stdout.contains("21 plans of the grid:6x6 graph"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("\ncut edges "), "{}", o.stdout);
}

#[test]
fn golden_summarize_states_2_blocs_with_red_blue_map() {
    let dir = tempfile::tempdir().unwrap();
    let out = path(&dir, "states2.jsonl");
    make_ensemble(&out, "states", "2", "200", "7", "5");
    let o = succeeds(&["ensemble", "summarize", &out, "--example", "bluexit-2024"]);
    assert!(o.stderr.is_empty(), "{}", o.stderr);
    // The file name is a temporary path: replace it.
    let text = o.stdout.replacen(&out, "states2.jsonl", 1);
    common::golden("ensemble_summarize_states2_bluexit-2024.txt", &text);
}

#[test]
fn summarize_bad_input_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    bad(
        &["ensemble", "summarize", &path(&dir, "missing.jsonl")],
        &["missing.jsonl", "cannot read"],
    );
    let junk = path(&dir, "junk.jsonl");
    std::fs::write(&junk, "{\"hello\": 1}\n").unwrap();
    bad(
        &["ensemble", "summarize", &junk],
        &["junk.jsonl", "not an ensemble file"],
    );
    let txt = path(&dir, "e.txt");
    std::fs::write(&txt, "x\n").unwrap();
    bad(&["ensemble", "summarize", &txt], &["not an ensemble file"]);
    // A graph that does not match the meta's sha256.
    let out = path(&dir, "g.jsonl");
    make_ensemble(&out, "grid:4x4", "2", "5", "1", "10");
    let text = std::fs::read_to_string(&out).unwrap();
    let (meta, rest) = text.split_once('\n').unwrap();
    let mut m: serde_json::Value = serde_json::from_str(meta).unwrap();
    m["graph_sha256"] = serde_json::json!("0".repeat(64));
    let forged = path(&dir, "forged.jsonl");
    std::fs::write(&forged, format!("{m}\n{rest}")).unwrap();
    bad(
        &["ensemble", "summarize", &forged],
        &["graph_sha256", "different"],
    );
    bad(
        &["ensemble", "summarize", &out, "--example", "bluexit-2024"],
        &["grid"],
    );
}

/// The shipped states-k2 ensemble is what scripts/ensembles.sh's command
/// draws today (all but the version in the meta line): the shipped files are
/// reproducible from the data and the seed.
#[test]
fn shipped_ensemble_is_reproduced_by_its_documented_command() {
    let script = std::fs::read_to_string("../../scripts/ensembles.sh").unwrap();
    for flag in [
        "--chains 4",
        "--steps 10000",
        "--every 40",
        "--seed 2024",
        "gzip -n -9",
    ] {
        assert!(script.contains(flag), "scripts/ensembles.sh lacks {flag}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = path(&dir, "states-k2.jsonl");
    succeeds(&[
        "ensemble", "--graph", "states", "--blocs", "2", "--chains", "4", "--steps", "10000",
        "--every", "40", "--seed", "2024", "--quiet", "--out", &out,
    ]);
    let drawn = std::fs::read_to_string(&out).unwrap();
    let gz = std::fs::read("../../data/ensembles/states-k2.jsonl.gz").unwrap();
    let mut shipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut shipped)
        .unwrap();
    let without_version = |text: &str| {
        let mut meta: serde_json::Value =
            serde_json::from_str(text.lines().next().unwrap()).unwrap();
        meta.as_object_mut().unwrap().remove("version");
        let rest = text.split_once('\n').unwrap().1.to_string();
        (meta, rest)
    };
    let (drawn_meta, drawn_plans) = without_version(&drawn);
    let (shipped_meta, shipped_plans) = without_version(&shipped);
    assert_eq!(drawn_meta, shipped_meta);
    assert!(
        drawn_plans == shipped_plans,
        "plans differ from the shipped file"
    );
    // And the summary of the shipped ensemble names it.
    let text = succeeds(&["ensemble", "summarize", "shipped:states-k2"]).stdout;
    assert!(
        text.starts_with("ensemble shipped:states-k2: 1,004 plans"),
        "{text}"
    );
    bad(
        &["ensemble", "summarize", "shipped:states-k9"],
        &["no such shipped ensemble", "states-k2", "counties-k4"],
    );
}
