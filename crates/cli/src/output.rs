//! Shared output helpers: aligned tables, money formatting, the JSON meta object.

use fedsplit_ledger::{OptionKey, Options};

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

/// One line of the options in force, for text outputs: `flag=value` pairs
/// with the command-line flags' names.
pub fn options_line(options: &Options) -> String {
    OptionKey::ALL
        .iter()
        .zip(options.describe())
        .map(|(k, (_, v))| format!("{}={v}", k.flag()))
        .collect::<Vec<_>>()
        .join("  ")
}

/// A CSV text written through `csv::Writer` (quoting where a field needs it).
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Csv {
    /// A CSV whose first record is `header`.
    pub fn new<I, T>(header: I) -> Csv
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut csv = Csv {
            writer: csv::Writer::from_writer(Vec::new()),
        };
        csv.row(header);
        csv
    }

    pub fn row<I, T>(&mut self, fields: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer
            .write_record(fields)
            .expect("writing to memory cannot fail");
    }

    pub fn finish(self) -> String {
        let bytes = self
            .writer
            .into_inner()
            .expect("writing to memory cannot fail");
        String::from_utf8(bytes).expect("fields are UTF-8")
    }
}

pub use fedsplit_report::json_text;
