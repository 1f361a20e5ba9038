//! A promise in the README is a test: every flag it names exists, every
//! command it shows runs, and the output it shows is the output.

mod common;
use common::{fedsplit_in, ok};

use std::collections::BTreeSet;
use std::path::PathBuf;

fn read(path: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const READMES: [&str; 2] = ["README.md", "crates/alliance/README.md"];

/// The body of every fenced block whose info string is `lang`.
fn blocks<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    let fence = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&fence) {
        let body = &rest[i + fence.len()..];
        let end = body.find("```").expect("a closed block");
        out.push(&body[..end]);
        rest = &body[end + 3..];
    }
    out
}

/// Every subcommand's help, nested ones included.
fn all_help() -> String {
    let mut help = ok(&["--help"]);
    for cmd in [
        "report",
        "ledger",
        "explain",
        "sensitivity",
        "sources",
        "series",
        "scenario",
        "sweep",
        "blocs",
        "serve",
        "stability",
        "optimize",
        "ensemble",
    ] {
        help.push_str(&ok(&[cmd, "--help"]));
    }
    help.push_str(&ok(&["ensemble", "merge", "--help"]));
    help.push_str(&ok(&["ensemble", "summarize", "--help"]));
    help
}

#[test]
fn every_flag_the_readmes_name_exists() {
    let help = all_help();
    let mut flags = BTreeSet::new();
    for readme in READMES {
        let text = read(readme);
        let bytes = text.as_bytes();
        for (i, _) in text.match_indices("--") {
            // A flag: "--" after a space, backtick or bracket, then [a-z-]+.
            if i > 0 && !b" `[(|".contains(&bytes[i - 1]) {
                continue;
            }
            let name: String = text[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            if name.len() > 1 && !name.ends_with('-') {
                flags.insert(name);
            }
        }
    }
    // Flags of other tools the READMEs quote: cargo, Slurm's sbatch.
    let foreign = [
        "release",
        "workspace",
        "check",
        "no-default-features",
        "bench",
        "array",
        "cpus-per-task",
        "dependency",
        "job-name",
        "time",
    ];
    let missing: Vec<&String> = flags
        .iter()
        .filter(|f| !foreign.contains(&f.as_str()))
        .filter(|f| !help.contains(&format!("--{f}")))
        .collect();
    assert!(
        missing.is_empty(),
        "flags in the READMEs that no command has: {missing:?}"
    );
}

/// A command of a `sh` block (`bash` blocks are scripts and templates, not
/// run). The ensemble runs of the worked examples are shortened (the
/// arguments are the README's, the step count is not); commands run in a
/// temporary directory, and files under /tmp go there too.
fn runnable(line: &str, tmp: &str) -> Option<Vec<String>> {
    let line = line.split(" #").next().unwrap_or("").trim();
    let rest = line
        .strip_prefix("fedsplit ")
        .or_else(|| line.strip_prefix("cargo run --release -- "))?;
    let mut args: Vec<String> = rest
        .split_whitespace()
        .map(|a| a.replace("/tmp/", &format!("{tmp}/")))
        .collect();
    if args.first().map(String::as_str) == Some("serve") {
        return None; // runs until stopped: tests/api.rs covers it
    }
    if let Some(i) = args.iter().position(|a| a == "--steps") {
        let steps: u64 = args[i + 1].parse().expect("a step count");
        args[i + 1] = steps.min(300).to_string();
    }
    Some(args)
}

#[test]
fn every_command_the_readmes_show_runs() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().to_str().unwrap();
    let mut ran = 0;
    for readme in READMES {
        for block in blocks(&read(readme), "sh") {
            for line in block.lines() {
                let Some(args) = runnable(line, tmp) else {
                    continue;
                };
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let out = fedsplit_in(dir.path(), &args);
                assert_eq!(out.code, 0, "{readme}: `{line}` failed: {}", out.stderr);
                ran += 1;
            }
        }
    }
    assert!(ran >= 8, "only {ran} commands found");
}

#[test]
fn the_report_shown_is_the_report() {
    let readme = read("README.md");
    let intro =
        "What `report` prints (default options: flow method, no deficit adjustment):\n\n```\n";
    let start = readme.find(intro).expect("the README shows the report") + intro.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    assert_eq!(
        shown,
        ok(&["report"]),
        "README.md's report is not `fedsplit report`'s output"
    );
}
