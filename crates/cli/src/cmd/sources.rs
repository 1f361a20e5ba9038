//! `fedsplit sources`: every table and column with its provenance and checksum,
//! and every national control with its derivation.

use clap::Args;
use fedsplit_report::sources::{self, Sources};

use crate::args::{DataArgs, Format, FormatArgs};
use crate::output::{self, millions, Align, Csv, TextTable};

#[derive(Args, Debug)]
pub struct SourcesCmd {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

pub fn run(cmd: &SourcesCmd) -> anyhow::Result<String> {
    let s = sources::build(&cmd.data.load()?);
    Ok(match cmd.format.format {
        Format::Json => output::json_text(&s),
        Format::Csv => csv(&s),
        Format::Table => table(&s),
    })
}

fn csv(s: &Sources) -> String {
    let mut out = Csv::new([
        "table",
        "column",
        "publisher",
        "source_table",
        "year",
        "units",
        "input_files",
        "input_sha256",
        "amount_usd",
        "derivation",
        "carried_from",
    ]);
    for c in &s.columns {
        out.row([
            c.table.clone(),
            c.column.clone(),
            c.publisher.clone(),
            c.source_table.clone(),
            c.year.clone(),
            c.units.clone(),
            c.input_files.join(";"),
            c.input_sha256.join(";"),
            c.amount_usd.map(|a| a.to_string()).unwrap_or_default(),
            c.derivation.clone().unwrap_or_default(),
            c.carried_from.map(|y| y.to_string()).unwrap_or_default(),
        ]);
    }
    out.finish()
}

/// First 12 hex digits of each hash, for the terminal.
fn short_hashes(hashes: &[String]) -> String {
    hashes
        .iter()
        .map(|h| &h[..h.len().min(12)])
        .collect::<Vec<_>>()
        .join(" ")
}

fn table(s: &Sources) -> String {
    let mut t = TextTable::new(&[
        ("table", Align::Left),
        ("column", Align::Left),
        ("publisher", Align::Left),
        ("source table", Align::Left),
        ("year", Align::Left),
        ("units", Align::Left),
        ("input sha256", Align::Left),
    ]);
    for c in s.columns.iter().filter(|c| c.table != "controls") {
        t.row(vec![
            c.table.clone(),
            c.column.clone(),
            c.publisher.clone(),
            c.source_table.clone(),
            match c.carried_from {
                Some(_) => format!("{} → FY{}", c.year, s.meta.fiscal_year),
                None => c.year.clone(),
            },
            c.units.clone(),
            short_hashes(&c.input_sha256),
        ]);
    }
    let mut out = format!(
        "Sources of the FY{} dataset ({}; sha256 {})\n\n{}",
        s.meta.fiscal_year,
        s.meta.dataset,
        s.meta.dataset_sha256,
        t.render()
    );
    let carried: Vec<String> = s
        .columns
        .iter()
        .filter_map(|c| Some(format!("{}.{} ({})", c.table, c.column, c.carried_from?)))
        .collect();
    if !carried.is_empty() {
        out.push_str(&format!(
            "\nCarried from another year (no FY{} source; the line's grade is one letter lower):\n  {}\n",
            s.meta.fiscal_year,
            carried.join(", ")
        ));
    }
    out.push_str("\nNational controls and their derivations ($M):\n\n");
    for c in s.columns.iter().filter(|c| c.table == "controls") {
        if let (Some(amount), Some(derivation)) = (c.amount_usd, &c.derivation) {
            out.push_str(&format!(
                "{}  {}\n    {}\n    source: {}, {} ({}, {}); inputs: {} [{}]\n",
                c.column,
                millions(amount),
                derivation,
                c.publisher,
                c.source_table,
                c.year,
                c.units,
                c.input_files.join(";"),
                short_hashes(&c.input_sha256)
            ));
        }
    }
    out.push_str("\nFull checksums: fedsplit sources --format csv\n");
    out
}
