//! `fedsplit-build-data [--raw DIR] [--out DIR] [--check]`
//!
//! Reads the raw public sources and writes fedsplit's compact tables: a
//! folder per fiscal year (`fy2019/` …) beside the tables every year shares.
//! With `--check`, writes nothing and exits 1 if any table in `--out`, of
//! any year, differs from what the sources produce or is missing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use fedsplit_build_data::write::build;

const USAGE: &str = "usage: fedsplit-build-data [--raw DIR] [--out DIR] [--check]
  --raw DIR   raw sources (default: $FEDSPLIT_RAW or ../shared/data/raw beside the workspace)
  --out DIR   where the tables go (default: data/ in the workspace)
  --check     compare every year's tables and the shared ones in --out with the sources
              instead of writing; exit 1 if any differs or is missing";

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("fedsplit-build-data: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<bool> {
    let mut raw: Option<PathBuf> = None;
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut check = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--raw" => raw = Some(args.next().context("--raw needs a directory")?.into()),
            "--out" => out = args.next().context("--out needs a directory")?.into(),
            "--check" => check = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(true);
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let raw = match raw.or_else(fedsplit_build_data::default_raw_root) {
        Some(r) => r,
        None => bail!("raw data not found: pass --raw DIR or set FEDSPLIT_RAW"),
    };
    let files = build(&raw)?;
    if check {
        let mut same = true;
        for f in &files {
            let path = out.join(&f.name);
            match std::fs::read_to_string(&path) {
                Ok(current) if current == f.text => {}
                Ok(_) => {
                    eprintln!("differs: {}", path.display());
                    same = false;
                }
                Err(_) => {
                    eprintln!("missing: {}", path.display());
                    same = false;
                }
            }
        }
        if same {
            eprintln!("all {} tables match the sources", files.len());
        }
        return Ok(same);
    }
    // Write every file beside its target first, then rename, so a failure
    // never leaves a half-written table.
    let tmp_of = |target: &Path| -> PathBuf {
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        target.with_file_name(format!(".{name}.tmp"))
    };
    for f in &files {
        let target = out.join(&f.name);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let tmp = tmp_of(&target);
        std::fs::write(&tmp, &f.text).with_context(|| format!("writing {}", tmp.display()))?;
    }
    for f in &files {
        let target = out.join(&f.name);
        let tmp = tmp_of(&target);
        std::fs::rename(&tmp, &target).with_context(|| format!("renaming {}", tmp.display()))?;
        eprintln!("wrote {} ({} bytes)", target.display(), f.text.len());
    }
    Ok(true)
}
