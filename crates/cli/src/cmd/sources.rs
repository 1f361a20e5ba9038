//! `fedsplit sources`: every table and column with its provenance and checksum,
//! and every national control with its derivation.

use clap::Args;
use fedsplit_data::Dataset;
use serde_json::{json, Value};

use crate::args::{DataArgs, Format, FormatArgs};
use crate::output::{self, csv_field, millions, Align, TextTable};

#[derive(Args, Debug)]
pub struct SourcesCmd {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

pub fn run(cmd: &SourcesCmd) -> anyhow::Result<String> {
    Ok(render(&cmd.data.load()?, cmd.format.format))
}

/// Every column's provenance and every control's derivation.
pub fn render(data: &Dataset, format: Format) -> String {
    let control = |id: &str| data.controls.item(id);
    match format {
        Format::Json => output::json_text(&json!({
            "meta": output::meta(data, "sources", None),
            "columns": data.manifest.iter().map(|m| json!({
                "table": m.table,
                "column": m.column,
                "publisher": m.publisher,
                "source_table": m.source_table,
                "year": m.year,
                "units": m.units,
                "input_files": m.input_files.split(';').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
                "input_sha256": m.input_sha256.split(';').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
                "derivation": if m.table == "controls" { control(&m.column).map(|c| Value::from(c.derivation.clone())) } else { None },
                "amount_usd": if m.table == "controls" { control(&m.column).map(|c| Value::from(c.amount_usd)) } else { None },
            })).collect::<Vec<_>>(),
        })),
        Format::Csv => {
            let mut out = String::from(
                "table,column,publisher,source_table,year,units,input_files,input_sha256,amount_usd,derivation\n",
            );
            for m in &data.manifest {
                let c = if m.table == "controls" {
                    control(&m.column)
                } else {
                    None
                };
                out.push_str(
                    &[
                        m.table.as_str(),
                        &m.column,
                        &m.publisher,
                        &m.source_table,
                        &m.year,
                        &m.units,
                        &m.input_files,
                        &m.input_sha256,
                    ]
                    .map(csv_field)
                    .join(","),
                );
                out.push(',');
                out.push_str(&c.map(|c| c.amount_usd.to_string()).unwrap_or_default());
                out.push(',');
                out.push_str(&csv_field(c.map(|c| c.derivation.as_str()).unwrap_or("")));
                out.push('\n');
            }
            out
        }
        Format::Table => {
            let mut t = TextTable::new(&[
                ("table", Align::Left),
                ("column", Align::Left),
                ("publisher", Align::Left),
                ("source table", Align::Left),
                ("year", Align::Left),
                ("units", Align::Left),
                ("input sha256", Align::Left),
            ]);
            for m in data.manifest.iter().filter(|m| m.table != "controls") {
                t.row(vec![
                    m.table.clone(),
                    m.column.clone(),
                    m.publisher.clone(),
                    m.source_table.clone(),
                    m.year.clone(),
                    m.units.clone(),
                    short_hashes(&m.input_sha256),
                ]);
            }
            let mut out = format!(
                "Sources of the dataset ({}; sha256 {})\n\n{}",
                data.origin,
                data.checksum,
                t.render()
            );
            out.push_str("\nNational controls and their derivations ($M):\n\n");
            for m in data.manifest.iter().filter(|m| m.table == "controls") {
                if let Some(c) = control(&m.column) {
                    out.push_str(&format!(
                        "{}  {}\n    {}\n    source: {}, {} ({}, {}); inputs: {} [{}]\n",
                        c.id,
                        millions(c.amount_usd),
                        c.derivation,
                        m.publisher,
                        m.source_table,
                        m.year,
                        m.units,
                        m.input_files,
                        short_hashes(&m.input_sha256)
                    ));
                }
            }
            out.push_str("\nFull checksums: fedsplit sources --format csv\n");
            out
        }
    }
}

/// First 12 hex digits of each hash, for the terminal.
fn short_hashes(hashes: &str) -> String {
    hashes
        .split(';')
        .filter(|h| !h.is_empty())
        .map(|h| &h[..h.len().min(12)])
        .collect::<Vec<_>>()
        .join(" ")
}
