//! `fedsplit-build-data [--raw DIR] [--out DIR] [--check]`
//!
//! Reads the raw public sources and writes fedsplit's compact tables. With
//! `--check`, writes nothing and exits 1 if the tables in `--out` differ from
//! what the sources produce.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use fedsplit_build_data::write::build;

const USAGE: &str = "usage: fedsplit-build-data [--raw DIR] [--out DIR] [--check]
  --raw DIR   raw sources (default: $FEDSPLIT_RAW or ../shared/data/raw beside the workspace)
  --out DIR   where the tables go (default: data/ in the workspace)
  --check     compare with the tables in --out instead of writing; exit 1 if they differ";

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
            let path = out.join(f.name);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != f.text {
                eprintln!("differs: {}", path.display());
                same = false;
            }
        }
        if same {
            eprintln!("all {} tables match the sources", files.len());
        }
        return Ok(same);
    }
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    // Write every file beside its target first, then rename, so a failure
    // never leaves a half-written table.
    for f in &files {
        let tmp = out.join(format!(".{}.tmp", f.name));
        std::fs::write(&tmp, &f.text).with_context(|| format!("writing {}", tmp.display()))?;
    }
    for f in &files {
        let tmp = out.join(format!(".{}.tmp", f.name));
        std::fs::rename(&tmp, out.join(f.name))
            .with_context(|| format!("renaming {}", tmp.display()))?;
        eprintln!(
            "wrote {} ({} bytes)",
            out.join(f.name).display(),
            f.text.len()
        );
    }
    Ok(true)
}
