//! Helpers shared by the binary's end-to-end tests: run `fedsplit`, compare
//! with golden files (readable diffs), and check bad-input behaviour.
#![allow(dead_code)] // each test file uses a different subset

use std::path::PathBuf;
use std::process::Command;

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary built for these tests.
pub fn fedsplit(args: &[&str]) -> Output {
    fedsplit_in(std::path::Path::new("."), args)
}

/// Runs the binary in directory `dir`.
pub fn fedsplit_in(dir: &std::path::Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_fedsplit"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("binary runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// Runs a command that must succeed quietly; returns its stdout.
pub fn ok(args: &[&str]) -> String {
    let out = fedsplit(args);
    assert_eq!(out.code, 0, "fedsplit {args:?} failed: {}", out.stderr);
    assert!(out.stderr.is_empty(), "unexpected stderr: {}", out.stderr);
    out.stdout
}

/// Runs a command that must succeed; its stderr may carry progress lines.
pub fn succeeds(args: &[&str]) -> Output {
    let out = fedsplit(args);
    assert_eq!(out.code, 0, "fedsplit {args:?} failed: {}", out.stderr);
    out
}

/// Compares `actual` with tests/golden/NAME; `UPDATE_GOLDEN=1` rewrites it.
pub fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        panic!(
            "{name} differs from the golden file (- expected, + actual):\n{}",
            diff.unified_diff().context_radius(2)
        );
    }
}

/// Bad input: exit 2, no stdout, no panic, stderr mentioning every needle.
/// An error of the command is one line, `fedsplit: …`; an error in the
/// arguments is clap's whole message (what is wrong, possible values, the
/// usage where it helps, a pointer to --help).
pub fn bad(args: &[&str], needles: &[&str]) {
    let out = fedsplit(args);
    assert_eq!(
        out.code, 2,
        "fedsplit {args:?}: expected exit 2, got {}; stderr {}",
        out.code, out.stderr
    );
    assert!(out.stdout.is_empty(), "partial output: {}", out.stdout);
    if out.stderr.starts_with("error: ") {
        assert!(
            out.stderr.contains("For more information, try '--help'"),
            "clap's message cut short: {}",
            out.stderr
        );
    } else {
        assert!(out.stderr.starts_with("fedsplit: "), "{}", out.stderr);
        assert_eq!(
            out.stderr.trim_end().lines().count(),
            1,
            "not one line: {}",
            out.stderr
        );
    }
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    for n in needles {
        assert!(
            out.stderr.contains(n),
            "stderr {:?} does not mention {n:?}",
            out.stderr
        );
    }
}

/// The committed tables of fiscal year `year` as one year's flat folder (the
/// shared tables and `data/fyYEAR/`'s), in a temp dir, with `edit` applied
/// to each file's text (by file name).
pub fn data_copy(year: u16, edit: impl Fn(&str, &str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for folder in [data.clone(), data.join(format!("fy{year}"))] {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(dir.path().join(&name), edit(&name, &text)).unwrap();
        }
    }
    dir
}
