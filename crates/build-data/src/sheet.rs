//! Shared readers for the raw inputs: workbooks (xlsx/xls via calamine) and
//! CSV files, with errors that name the file, the line or cell, and the value.

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Range, Reader};

use crate::BuildError;

/// A sheet read into memory, with the path and sheet name kept for errors.
pub struct Sheet {
    pub path: PathBuf,
    pub name: String,
    pub range: Range<Data>,
}

/// The names of every sheet in a workbook, in order.
pub fn sheet_names(path: &Path) -> Result<Vec<String>, BuildError> {
    let wb = open_workbook_auto(path).map_err(|e| BuildError::Workbook {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(wb.sheet_names().to_vec())
}

/// Reads one sheet by name, or the first sheet when `name` is `None`.
pub fn read_sheet(path: &Path, name: Option<&str>) -> Result<Sheet, BuildError> {
    let mut wb = open_workbook_auto(path).map_err(|e| BuildError::Workbook {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let sheet_name = match name {
        Some(n) => n.to_string(),
        None => wb
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| BuildError::Missing {
                path: path.to_path_buf(),
                what: "any sheet".into(),
            })?,
    };
    let range = wb
        .worksheet_range(&sheet_name)
        .map_err(|e| BuildError::Workbook {
            path: path.to_path_buf(),
            message: format!("sheet {sheet_name:?}: {e}"),
        })?;
    Ok(Sheet {
        path: path.to_path_buf(),
        name: sheet_name,
        range,
    })
}

impl Sheet {
    /// Rows in absolute sheet coordinates (row 0 = the sheet's first row).
    pub fn height(&self) -> usize {
        let (end_row, _) = self.range.end().unwrap_or((0, 0));
        end_row as usize + 1
    }

    /// The cell at absolute (row, col), 0-based; `Data::Empty` outside the used range.
    pub fn cell(&self, row: usize, col: usize) -> &Data {
        self.range
            .get_value((row as u32, col as u32))
            .unwrap_or(&Data::Empty)
    }

    /// The cell as trimmed text ("" for empty cells; numbers formatted plainly).
    pub fn text(&self, row: usize, col: usize) -> String {
        match self.cell(row, col) {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Float(f) => format!("{f}"),
            Data::Int(i) => format!("{i}"),
            other => other.to_string().trim().to_string(),
        }
    }

    /// "Sheet!C14"-style location for error messages.
    pub fn location(&self, row: usize, col: usize) -> String {
        format!("{}!{}{}", self.name, column_letters(col), row + 1)
    }

    /// The cell as a number; numeric text (with thousands separators) is accepted.
    pub fn number(&self, row: usize, col: usize, field: &str) -> Result<f64, BuildError> {
        let bad = |value: String, message: &str| BuildError::Parse {
            path: self.path.clone(),
            location: self.location(row, col),
            field: field.to_string(),
            value,
            message: message.to_string(),
        };
        match self.cell(row, col) {
            Data::Float(f) => Ok(*f),
            Data::Int(i) => Ok(*i as f64),
            Data::String(s) => parse_number(s).ok_or_else(|| bad(s.clone(), "not a number")),
            Data::Empty => Err(bad(String::new(), "empty cell")),
            other => Err(bad(other.to_string(), "not a number")),
        }
    }

    /// First row at or after `from` whose column `col` text satisfies `pred`.
    pub fn find_row(&self, col: usize, from: usize, pred: impl Fn(&str) -> bool) -> Option<usize> {
        (from..self.height()).find(|&r| pred(&self.text(r, col)))
    }
}

fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// Parses "1,234", "-5.5", " 12 " as a number; `None` for anything else.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text.trim().chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty() {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A CSV file read whole: header and records, each with its 1-based line number.
pub struct CsvFile {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub records: Vec<(u64, csv::StringRecord)>,
}

/// Reads a CSV file. `flexible` allows rows of different lengths (footers).
pub fn read_csv(path: &Path, flexible: bool) -> Result<CsvFile, BuildError> {
    let bytes = std::fs::read(path).map_err(|source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // Some publisher files are Latin-1 or carry replacement characters; names
    // are not used as keys, so a lossy decode is enough.
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(flexible)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| csv_error(path, e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut records = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| csv_error(path, e))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        records.push((line, rec));
    }
    Ok(CsvFile {
        path: path.to_path_buf(),
        header,
        records,
    })
}

fn csv_error(path: &Path, e: csv::Error) -> BuildError {
    BuildError::Parse {
        path: path.to_path_buf(),
        location: e
            .position()
            .map(|p| p.line().to_string())
            .unwrap_or_else(|| "?".into()),
        field: "(row)".into(),
        value: String::new(),
        message: e.to_string(),
    }
}

impl CsvFile {
    /// Index of a header column, or a `Missing` error naming it.
    pub fn column(&self, name: &str) -> Result<usize, BuildError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| BuildError::Missing {
                path: self.path.clone(),
                what: format!("column {name:?}"),
            })
    }

    /// A numeric field of a record, with a precise error.
    pub fn number(
        &self,
        line: u64,
        rec: &csv::StringRecord,
        col: usize,
    ) -> Result<f64, BuildError> {
        let value = rec.get(col).unwrap_or("");
        parse_number(value).ok_or_else(|| BuildError::Parse {
            path: self.path.clone(),
            location: line.to_string(),
            field: self.header.get(col).cloned().unwrap_or_default(),
            value: value.to_string(),
            message: "not a number".into(),
        })
    }
}

/// Rounds a figure in source units to whole units of the output (e.g. dollars),
/// half away from zero. `scale` converts source units to output units.
pub fn to_units(value: f64, scale: f64) -> i64 {
    (value * scale).round() as i64
}
