//! Shared output helpers: aligned tables, money formatting, the JSON meta object.

use fedsplit_data::Dataset;
use fedsplit_ledger::Options;
use serde_json::{json, Map, Value};

/// Column alignment in a text table.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A text table: header, rows, per-column alignment. Renders with two spaces
/// between columns and a rule under the header.
pub struct TextTable {
    header: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    pub fn new(columns: &[(&str, Align)]) -> TextTable {
        TextTable {
            header: columns.iter().map(|(h, _)| h.to_string()).collect(),
            align: columns.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.header.len());
        self.rows.push(cells);
    }

    /// A horizontal rule across the table (e.g. before a totals row).
    pub fn rule(&mut self) {
        self.rows.push(Vec::new());
    }

    pub fn render(&self) -> String {
        let width = |i: usize| {
            self.rows
                .iter()
                .filter_map(|r| r.get(i))
                .chain(std::iter::once(&self.header[i]))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.header.len()).map(width).collect();
        let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    out.push_str("  ");
                }
                let pad = widths[i] - cell.chars().count();
                match self.align[i] {
                    Align::Left => {
                        out.push_str(cell);
                        out.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        out.push_str(&" ".repeat(pad));
                        out.push_str(cell);
                    }
                }
            }
            out.trim_end().to_string()
        };
        let mut out = line(&self.header);
        out.push('\n');
        out.push_str(&"-".repeat(total));
        out.push('\n');
        for row in &self.rows {
            if row.is_empty() {
                out.push_str(&"-".repeat(total));
            } else {
                out.push_str(&line(row));
            }
            out.push('\n');
        }
        out
    }
}

pub use fedsplit_core::group_digits as group;

/// Rounds half away from zero to a whole number.
pub fn round(value: f64) -> i64 {
    value.round() as i64
}

/// Dollars shown as whole millions, grouped: 1_234_567_890 → "1,235".
pub fn millions(usd: f64) -> String {
    group(round(usd / 1e6))
}

/// Whole dollars, grouped, with an explicit sign for non-zero values.
pub fn signed_dollars(usd: f64) -> String {
    let r = round(usd);
    if r > 0 {
        format!("+{}", group(r))
    } else {
        group(r)
    }
}

/// Whole millions with an explicit sign.
pub fn signed_millions(usd: f64) -> String {
    let r = round(usd / 1e6);
    if r > 0 {
        format!("+{}", group(r))
    } else {
        group(r)
    }
}

/// Fixed decimals, with "-0.00" normalised to "0.00".
pub fn fixed(value: f64, decimals: usize) -> String {
    let s = format!("{value:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// The `meta` object of every JSON output.
pub fn meta(data: &Dataset, command: &str, options: Option<&Options>) -> Value {
    let mut m = Map::new();
    m.insert("tool".into(), json!("fedsplit"));
    m.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    m.insert("command".into(), json!(command));
    m.insert("dataset".into(), json!(data.origin));
    m.insert("dataset_sha256".into(), json!(data.checksum));
    if let Some(options) = options {
        let mut o = Map::new();
        for (k, v) in options.describe() {
            o.insert(k.into(), json!(v));
        }
        m.insert("options".into(), Value::Object(o));
    }
    m.insert(
        "units".into(),
        json!("amounts in US dollars (unrounded); per capita in dollars per resident"),
    );
    Value::Object(m)
}

/// One-line description of the options in force, for text outputs.
pub fn options_line(options: &Options) -> String {
    options
        .describe()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("  ")
}

/// Pretty JSON with a trailing newline.
pub fn json_text(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("JSON values serialise");
    s.push('\n');
    s
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
