//! The command line's contract, one test per promise: argument errors keep
//! clap's whole message, `--format` is honoured or refused, outputs never
//! overwrite inputs and interrupted runs leave nothing behind, absurd values
//! are refused, and flags mean the same thing in every command.

mod common;
use common::{bad, fedsplit, ok};

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_fedsplit");

/// A small ensemble of the states graph (3 blocs), made once for the tests
/// that summarise one.
fn states_ensemble() -> &'static str {
    static FILE: std::sync::OnceLock<(tempfile::TempDir, String)> = std::sync::OnceLock::new();
    &FILE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir
                .path()
                .join("states3.jsonl")
                .to_str()
                .unwrap()
                .to_string();
            ok(&[
                "ensemble", "--graph", "states", "--blocs", "3", "--steps", "20", "--seed", "5",
                "--quiet", "--out", &path,
            ]);
            (dir, path)
        })
        .1
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn clap_errors_keep_the_whole_message() {
    // Which value is wrong and which are possible.
    let out = fedsplit(&["ledger", "--method", "gers"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("invalid value 'gers'"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("[possible values: flow, benefit]"),
        "{}",
        out.stderr
    );
    // Which argument is missing, with the usage.
    let out = fedsplit(&["stability"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("required arguments were not provided"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--plan <PLAN>"), "{}", out.stderr);
    assert!(
        out.stderr.contains("Usage: fedsplit stability"),
        "{}",
        out.stderr
    );
    // "Did you mean".
    let out = fedsplit(&["ledger", "--methd", "flow"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("similar argument exists: '--method'"),
        "{}",
        out.stderr
    );
    let out = fedsplit(&["ledgr"]);
    assert!(
        out.stderr.contains("similar subcommand exists: 'ledger'"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn report_format_csv_is_csv() {
    let csv = ok(&["report", "--format", "csv"]);
    let rows = lines(&csv);
    assert_eq!(
        rows[0],
        "state,name,net_usd,net_per_capita_usd,rank,sign_across_options,bloc_2024"
    );
    assert_eq!(rows.len(), 1 + 51 + 1);
    assert!(rows[1].starts_with("AL,Alabama,"), "{}", rows[1]);
    let us: Vec<&str> = rows[52].split(',').collect();
    assert_eq!(us[..2], ["US", "United States (all states)"]);
    // The national net of the README (FY2024): +917,431 $M, +2,697 per resident.
    assert_eq!((us[2].parse::<f64>().unwrap() / 1e6).round(), 917_431.0);
    assert_eq!(us[3], "2697.45");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["report", "--format", "json"])).unwrap();
    assert_eq!(json["states"].as_array().unwrap().len(), 51);
}

/// A partition's CSV carries the countries' finances, not only zero deltas.
#[test]
fn scenario_csv_of_a_partition_has_its_results() {
    let csv = ok(&["scenario", "--example", "calexit", "--format", "csv"]);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let col = |name: &str| rows[0].iter().position(|c| *c == name).unwrap();
    for name in [
        "revenue_usd",
        "debt_usd",
        "overall_balance_usd",
        "tax_change_to_balance",
    ] {
        col(name);
    }
    let california = rows
        .iter()
        .find(|r| r[0] == "California")
        .expect("a California row");
    // calexit's README figures (FY2024): revenue $716,253M, debt $3,217,840M.
    let millions = |c: &str| (california[col(c)].parse::<f64>().unwrap() / 1e6).round();
    assert_eq!(millions("revenue_usd"), 716_253.0);
    assert_eq!(millions("debt_usd"), 3_217_840.0);
}

#[test]
fn format_is_honoured_or_refused_by_every_command() {
    let formats = ["table", "csv", "json"];
    let commands: [&[&str]; 11] = [
        &["report"],
        &["ledger"],
        &["explain", "NY"],
        &["sensitivity"],
        &["sources"],
        &["blocs", "--election", "2024"],
        &["scenario", "--example", "laboratories"],
        &["scenario", "--list"],
        &["stability", "--example", "three-way-split"],
        &[
            "optimize",
            "--blocs",
            "2",
            "--objective",
            "fiscal",
            "--bound",
            "1e9",
            "--steps",
            "50",
        ],
        &["ensemble", "summarize", states_ensemble()],
    ];
    for args in commands {
        let mut outputs = Vec::new();
        for f in formats {
            let mut a: Vec<&str> = args.to_vec();
            a.extend(["--format", f]);
            let out = fedsplit(&a);
            assert_eq!(out.code, 0, "{a:?}: {}", out.stderr);
            match f {
                "json" => {
                    serde_json::from_str::<serde_json::Value>(&out.stdout)
                        .unwrap_or_else(|e| panic!("{a:?}: not JSON: {e}"));
                }
                "csv" => {
                    let mut r = csv_reader(&out.stdout);
                    let width = r.headers().unwrap().len();
                    assert!(width >= 2, "{a:?}: {}", out.stdout);
                    for rec in r.records() {
                        assert_eq!(rec.unwrap().len(), width, "{a:?}");
                    }
                }
                _ => {}
            }
            outputs.push(out.stdout);
        }
        assert!(
            outputs[0] != outputs[1] && outputs[1] != outputs[2],
            "{args:?}: --format is ignored"
        );
    }
    // The schema is TOML: another format is refused, not ignored.
    bad(&["scenario", "--schema", "--format", "json"], &["--format"]);
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().from_reader(text.as_bytes())
}

#[test]
fn schema_is_a_file_scenario_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.toml");
    std::fs::write(&path, ok(&["scenario", "--schema"])).unwrap();
    let out = ok(&["scenario", path.to_str().unwrap()]);
    assert!(out.starts_with("Scenario my-scenario\n"), "{out}");
}

fn run_ensemble(dir: &Path, k: &str, extra: &[&str], out: &str) {
    let mut args = vec![
        "ensemble", "--graph", "states", "--blocs", k, "--steps", "30", "--seed", "11", "--chains",
        "3", "--quiet", "--out",
    ];
    let path = dir.join(out);
    args.push(path.to_str().unwrap());
    args.extend(extra);
    let out = fedsplit(&args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
}

/// K = 3 differed in the last digit of `ideal_pop`: the merge re-serialised
/// a float parsed without round-trip precision.
#[test]
fn regression_merge_reproduces_a_single_run_for_every_k() {
    let dir = tempfile::tempdir().unwrap();
    for k in ["2", "3", "4", "5", "6", "7"] {
        let tol: &[&str] = match k {
            "6" | "7" => &["--tol", "3"],
            _ => &[],
        };
        run_ensemble(dir.path(), k, tol, "full.jsonl");
        let mut shard = tol.to_vec();
        shard.extend(["--chain-range", "0..1"]);
        run_ensemble(dir.path(), k, &shard, "a.jsonl");
        let mut shard = tol.to_vec();
        shard.extend(["--chain-range", "1..3"]);
        run_ensemble(dir.path(), k, &shard, "b.jsonl");
        let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
        ok(&[
            "ensemble",
            "merge",
            &p("b.jsonl"),
            &p("a.jsonl"),
            "--out",
            &p("m.jsonl"),
            "--quiet",
        ]);
        assert!(
            std::fs::read(p("full.jsonl")).unwrap() == std::fs::read(p("m.jsonl")).unwrap(),
            "k = {k}: merged shards differ from a single run"
        );
    }
}

/// `ensemble merge --out` naming one of its shards deleted that shard.
#[test]
fn regression_merge_refuses_to_overwrite_an_input() {
    let dir = tempfile::tempdir().unwrap();
    run_ensemble(dir.path(), "2", &["--chain-range", "0..1"], "a.jsonl");
    run_ensemble(dir.path(), "2", &["--chain-range", "1..3"], "b.jsonl");
    let a = dir.path().join("a.jsonl");
    let before = std::fs::read(&a).unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    bad(
        &[
            "ensemble",
            "merge",
            &p("a.jsonl"),
            &p("b.jsonl"),
            "--out",
            &p("a.jsonl"),
        ],
        &["--out", "a.jsonl", "input"],
    );
    assert_eq!(std::fs::read(&a).unwrap(), before, "the shard was touched");
    // Through another spelling of the same path too.
    let other = format!("{}/./a.jsonl", dir.path().display());
    bad(
        &[
            "ensemble",
            "merge",
            &p("a.jsonl"),
            &p("b.jsonl"),
            "--out",
            &other,
        ],
        &["input"],
    );
    assert_eq!(std::fs::read(&a).unwrap(), before);
}

#[test]
fn sweep_refuses_its_scenario_file_as_output() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("s.toml");
    std::fs::copy("../../scenarios/bluexit-2024.toml", &scenario).unwrap();
    let before = std::fs::read(&scenario).unwrap();
    let s = scenario.to_str().unwrap();
    bad(
        &[
            "sweep",
            s,
            "--param",
            "bluexit.income_tax_scale=0:1:0.5",
            "--out",
            s,
        ],
        &["--out", "input"],
    );
    assert_eq!(std::fs::read(&scenario).unwrap(), before);
}

fn wait_for(pid_dir: &Path, what: impl Fn(&str) -> bool, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        let found = std::fs::read_dir(pid_dir)
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| what(&e.file_name().to_string_lossy()));
        if found {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Ctrl-C or SIGTERM during `ensemble` removes its part files (they were
/// hidden dot-files left behind).
#[test]
fn regression_interrupted_ensemble_leaves_no_part_files() {
    for signal in ["-TERM", "-INT"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("e.jsonl");
        let mut child = Command::new(BIN)
            .args([
                "ensemble",
                "--graph",
                "grid:40x40",
                "--blocs",
                "4",
                "--steps",
                "100000000",
                "--seed",
                "1",
                "--chains",
                "2",
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let appeared = wait_for(
            dir.path(),
            |n| n.ends_with(".part"),
            Duration::from_secs(30),
        );
        assert!(appeared, "no visible part file appeared");
        Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut stderr)
            .unwrap();
        assert_eq!(status.code(), Some(2), "{signal}: {stderr}");
        assert!(stderr.contains("interrupted"), "{stderr}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{signal}: left behind {left:?}");
    }
}

#[test]
fn sweep_refuses_the_same_parameter_twice() {
    bad(
        &[
            "sweep",
            "--example",
            "bluexit-2024",
            "--param",
            "bluexit.income_tax_scale=0:1:0.5",
            "--param",
            "bluexit.income_tax_scale=0:1:0.25",
        ],
        &["bluexit.income_tax_scale is swept twice"],
    );
    bad(
        &[
            "sweep",
            "--example",
            "bluexit-2024",
            "--param",
            "bluexit.replace_share=0:1:0.5",
            "--param",
            "bluexit.bloc.Democratic.replace_share=0:1:0.5",
        ],
        &["move the same parameter"],
    );
}

/// Rows go out as they are computed: a reader that stops after the header
/// ends a sweep of ten million points at once (it held the grid in memory).
#[test]
fn regression_sweep_streams_its_rows() {
    let started = Instant::now();
    let mut child = Command::new(BIN)
        .args([
            "sweep",
            "--example",
            "bluexit-2024",
            "--quiet",
            "--param",
            "bluexit.income_tax_scale=0:9.999999:0.000001",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(
        first.starts_with("bluexit.income_tax_scale,Democratic.net_usd"),
        "{first}"
    );
    // The pipe closes here; the sweep stops at its next write.
    let status = child.wait().unwrap();
    assert!(status.success(), "a closed pipe is not an error");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the sweep ran to the end before writing: {:?}",
        started.elapsed()
    );
}

/// The sweep's header quotes a bloc name holding a comma.
#[test]
fn regression_sweep_header_quotes_bloc_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(
        &path,
        "name = \"comma\"\n[blocs]\nlist = [ { name = \"West, Pacific\", states = [\"CA\", \"OR\", \"WA\"] }, { name = \"Rest\", rest = true } ]\n[bluexit]\nincome_tax_scale = 0.5\n",
    )
    .unwrap();
    let out = fedsplit(&[
        "sweep",
        path.to_str().unwrap(),
        "--quiet",
        "--param",
        "bluexit.income_tax_scale=0:1:0.5",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut r = csv_reader(&out.stdout);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[1], "West, Pacific.net_usd");
    assert_eq!(header.len(), 6);
    assert_eq!(r.records().count(), 3);
}

#[test]
fn quiet_silences_progress_and_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    let run = fedsplit(&[
        "sweep",
        "--example",
        "bluexit-2024",
        "--quiet",
        "--param",
        "bluexit.income_tax_scale=0:1:0.5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let loud = fedsplit(&[
        "sweep",
        "--example",
        "bluexit-2024",
        "--param",
        "bluexit.income_tax_scale=0:1:0.5",
    ]);
    assert!(loud.stderr.contains("scenarios/s"), "{}", loud.stderr);
    let opt = fedsplit(&[
        "optimize",
        "--blocs",
        "2",
        "--objective",
        "fiscal",
        "--bound",
        "1e9",
        "--steps",
        "20",
        "--quiet",
    ]);
    assert_eq!(opt.code, 0);
    assert!(opt.stderr.is_empty());
}

#[test]
fn absurd_thread_counts_are_refused() {
    let cpus = std::thread::available_parallelism().unwrap().get();
    let too_many = (4 * cpus + 1).to_string();
    for (threads, needles) in [
        (too_many.as_str(), &["--threads", "logical CPUs"][..]),
        ("0", &["--threads"][..]),
    ] {
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
                "/tmp/never-written.jsonl",
                "--threads",
                threads,
            ],
            needles,
        );
    }
}

/// A population of i64::MAX gave "0 per resident": refused at load.
#[test]
fn regression_population_that_overflows_the_national_sum_is_refused() {
    let dir = common::data_copy(2022, |_, text| text.to_string());
    let states = dir.path().join("states.csv");
    let text = std::fs::read_to_string(&states).unwrap().replacen(
        "Alabama,5073903,",
        "Alabama,9223372036854775807,",
        1,
    );
    std::fs::write(&states, text).unwrap();
    bad(
        &["report", "--data", dir.path().to_str().unwrap()],
        &["states.csv", "populations sum to", "2^53"],
    );
}

#[test]
fn optimize_exits_1_when_no_plan_meets_the_bound() {
    // Under --deficit none the nation is a net receiver of about $1,965 per
    // resident, so no bloc can be within $100 of zero.
    let out = fedsplit(&[
        "optimize",
        "--blocs",
        "2",
        "--objective",
        "stranded",
        "--bound",
        "100",
        "--steps",
        "100",
        "--quiet",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("no plan found meets the bound"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.is_empty());
    let json = fedsplit(&[
        "optimize",
        "--blocs",
        "2",
        "--objective",
        "stranded",
        "--bound",
        "100",
        "--steps",
        "100",
        "--quiet",
        "--format",
        "json",
    ]);
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["best"]["rank"]["feasible"], false);
    // A bound that is met exits 0.
    let met = fedsplit(&[
        "optimize",
        "--blocs",
        "2",
        "--objective",
        "stranded",
        "--bound",
        "100000",
        "--steps",
        "100",
        "--quiet",
    ]);
    assert_eq!(met.code, 0, "{}", met.stdout);
}

/// The same idea is the same flag, with the same unit, limits and message.
#[test]
fn flags_are_consistent_across_commands() {
    let plan_cmds: [&[&str]; 4] = [
        &["stability", "--example", "three-way-split"],
        &[
            "optimize",
            "--blocs",
            "2",
            "--objective",
            "fiscal",
            "--bound",
            "1e9",
            "--steps",
            "10",
        ],
        &[
            "ensemble",
            "--graph",
            "states",
            "--blocs",
            "2",
            "--steps",
            "1",
            "--seed",
            "1",
            "--out",
            "/tmp/x.jsonl",
        ],
        &["ensemble", "summarize", states_ensemble()],
    ];
    for base in plan_cmds {
        fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
            base.iter().chain(extra).copied().collect()
        }
        if base[0] != "ensemble" || base[1] == "summarize" {
            bad(
                &with(base, &["--election", "2012"]),
                &["--election", "no votes for that year"],
            );
        }
        if base[1] != "summarize" {
            bad(
                &with(base, &["--tol", "150"]),
                &["--tol", "expected a percentage in [0, 100)"],
            );
            if !base.contains(&"--graph") {
                bad(
                    &with(base, &["--graph", "grid:0x3"]),
                    &["--graph", "grid sides"],
                );
            }
        }
    }
    for base in [
        &["optimize", "--objective", "fiscal", "--bound", "1e9"][..],
        &[
            "ensemble",
            "--graph",
            "states",
            "--steps",
            "1",
            "--seed",
            "1",
            "--out",
            "/tmp/x.jsonl",
        ],
    ] {
        let args: Vec<&str> = base.iter().copied().chain(["--blocs", "101"]).collect();
        bad(&args, &["--blocs", "101", "2..=100"]);
    }
    // --plan names a scenario file wherever a plan is taken.
    bad(
        &["stability", "--plan", "nowhere.toml"],
        &["nowhere.toml", "cannot read"],
    );
    bad(
        &[
            "ensemble",
            "summarize",
            states_ensemble(),
            "--plan",
            "nowhere.toml",
        ],
        &["nowhere.toml", "cannot read"],
    );
    bad(
        &[
            "ensemble",
            "--graph",
            "grid:0x3",
            "--blocs",
            "2",
            "--steps",
            "1",
            "--seed",
            "1",
            "--out",
            "/tmp/x.jsonl",
        ],
        &["--graph", "grid sides"],
    );
    // A grid has no states: stability says so instead of failing obscurely.
    bad(
        &["stability", "--example", "calexit", "--graph", "grid:3x3"],
        &["a grid has no states"],
    );
}

/// The library build has no web server in it.
#[test]
fn no_default_features_leave_out_the_server() {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-e",
            "normal",
            "-p",
            "fedsplit",
            "--no-default-features",
            "--offline",
            "--prefix",
            "none",
        ])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    for server in ["tokio ", "axum ", "hyper ", "fedsplit-web "] {
        assert!(
            !tree.lines().any(|l| l.starts_with(server)),
            "{server}is in the no-default-features build:\n{tree}"
        );
    }
    assert!(tree.lines().any(|l| l.starts_with("fedsplit-report ")));
}
