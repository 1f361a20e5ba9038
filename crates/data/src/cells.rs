//! Typed cells and the one table reader every table goes through.
//!
//! Rows deserialize with serde into row structs whose fields are typed
//! cells (`Count`, `Signed`, `Postal`, …). A cell that does not parse stops
//! the load with the file, line, field name and value
//! (`DataError::Field`), whatever the table.

use std::fmt;
use std::marker::PhantomData;

use fedsplit_core::State;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;

use crate::DataError;

/// One table's text and the label used in error messages.
pub struct TableText {
    pub label: String,
    pub text: String,
}

/// Parses a cell from its text; the error is the message shown to the user.
pub trait Cell: Sized {
    fn parse(text: &str) -> Result<Self, String>;
}

/// Implements `Deserialize` for a `Cell` by reading the field as text.
macro_rules! cell_deserialize {
    ($($t:ty),+) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(CellVisitor::<$t>(PhantomData))
            }
        }
    )+};
}

struct CellVisitor<T>(PhantomData<T>);

impl<T: Cell> Visitor<'_> for CellVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cell")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::parse(v).map_err(E::custom)
    }
}

/// A non-negative whole number: dollars, persons, returns or votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub u64);

impl Cell for Count {
    fn parse(text: &str) -> Result<Count, String> {
        match text.parse::<i64>() {
            Ok(v) if v < 0 => Err("negative value".into()),
            Ok(v) => Ok(Count(v as u64)),
            Err(_) => Err("not a whole number".into()),
        }
    }
}

impl Count {
    pub fn f64(self) -> f64 {
        self.0 as f64
    }
}

/// A whole number that may be negative (controls, the AGI of the lowest class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed(pub i64);

impl Cell for Signed {
    fn parse(text: &str) -> Result<Signed, String> {
        text.parse::<i64>()
            .map(Signed)
            .map_err(|_| "not a whole number".into())
    }
}

/// A state's two-letter postal code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Postal(pub State);

impl Cell for Postal {
    fn parse(text: &str) -> Result<Postal, String> {
        if text.len() != 2 || !text.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err("not a two-letter postal code".into());
        }
        State::parse(text)
            .map(Postal)
            .map_err(|_| "unknown state code".into())
    }
}

/// A finite decimal number (map coordinates).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decimal(pub f64);

impl Cell for Decimal {
    fn parse(text: &str) -> Result<Decimal, String> {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Decimal)
            .ok_or_else(|| "not a number".into())
    }
}

/// A flag written 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Cell for Flag {
    fn parse(text: &str) -> Result<Flag, String> {
        match text {
            "0" => Ok(Flag(false)),
            "1" => Ok(Flag(true)),
            _ => Err("expected 0 or 1".into()),
        }
    }
}

/// A county's five-digit FIPS code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyFips(pub String);

impl Cell for CountyFips {
    fn parse(text: &str) -> Result<CountyFips, String> {
        if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(CountyFips(text.to_string()))
        } else {
            Err("not a five-digit FIPS code".into())
        }
    }
}

/// A presidential election year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElectionYear(pub u16);

impl Cell for ElectionYear {
    fn parse(text: &str) -> Result<ElectionYear, String> {
        match text.parse::<u16>() {
            Ok(y) if (1788..=2100).contains(&y) && y % 4 == 0 => Ok(ElectionYear(y)),
            _ => Err("not a presidential election year".into()),
        }
    }
}

/// An IRS SOI AGI class, 1 (under $1) to 10 ($1M and more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgiClass(pub u8);

impl Cell for AgiClass {
    fn parse(text: &str) -> Result<AgiClass, String> {
        match text.parse::<u8>() {
            Ok(c) if (1..=10).contains(&c) => Ok(AgiClass(c)),
            _ => Err("AGI class must be 1..10".into()),
        }
    }
}

cell_deserialize!(
    Count,
    Signed,
    Postal,
    Decimal,
    Flag,
    CountyFips,
    ElectionYear,
    AgiClass
);

/// A table's rows, typed: each with its 1-based line number.
pub struct Rows<R> {
    pub file: String,
    pub rows: Vec<(u64, R)>,
}

impl<R> Rows<R> {
    /// An error about one field of one row.
    pub fn field_error(&self, line: u64, field: &str, value: &str, message: &str) -> DataError {
        DataError::Field {
            file: self.file.clone(),
            line,
            field: field.to_string(),
            value: value.to_string(),
            message: message.to_string(),
        }
    }

    pub fn inconsistent(&self, message: String) -> DataError {
        DataError::Inconsistent {
            file: self.file.clone(),
            message,
        }
    }
}

/// Reads a table whose header must be exactly `header`, each row into `R`.
pub fn read<R: DeserializeOwned>(
    table: &TableText,
    header: &'static [&'static str],
) -> Result<Rows<R>, DataError> {
    let file = table.label.as_str();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(table.text.as_bytes());
    let found = reader
        .headers()
        .map_err(|e| DataError::Unreadable {
            file: file.to_string(),
            message: e.to_string(),
        })?
        .clone();
    let found: Vec<&str> = found.iter().collect();
    let found_text = found.join(",");
    if found_text.trim_start_matches('\u{feff}') != header.join(",") {
        return Err(DataError::Header {
            file: file.to_string(),
            found: found_text,
            expected: header.join(","),
        });
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(row_error(file, &e)),
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let row = R::deserialize(RecordDeserializer(&record)).map_err(|e| {
            let i = e.field.unwrap_or(0);
            DataError::Field {
                file: file.to_string(),
                line,
                field: header.get(i).copied().unwrap_or("?").to_string(),
                value: record.get(i).unwrap_or("").to_string(),
                message: e.message,
            }
        })?;
        rows.push((line, row));
    }
    Ok(Rows {
        file: file.to_string(),
        rows,
    })
}

/// A cell that did not parse: its field (0-based) and why.
#[derive(Debug)]
struct CellError {
    field: Option<usize>,
    message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CellError {}

impl de::Error for CellError {
    fn custom<T: fmt::Display>(msg: T) -> CellError {
        CellError {
            field: None,
            message: msg.to_string(),
        }
    }
}

/// Deserializes a row struct from a record, field by field in header
/// order, so that an error knows which field it came from (csv's own
/// deserializer loses the field of errors raised by the cells).
struct RecordDeserializer<'r>(&'r csv::StringRecord);

impl<'de> Deserializer<'de> for RecordDeserializer<'_> {
    type Error = CellError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CellError> {
        visitor.visit_seq(Fields {
            record: self.0,
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct Fields<'r> {
    record: &'r csv::StringRecord,
    next: usize,
}

impl<'de> de::SeqAccess<'de> for Fields<'_> {
    type Error = CellError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, CellError> {
        let i = self.next;
        let Some(text) = self.record.get(i) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(FieldDeserializer(text))
            .map(Some)
            .map_err(|mut e| {
                e.field.get_or_insert(i);
                e
            })
    }
}

/// One field's text: cells read it with `deserialize_str`, strings take it.
struct FieldDeserializer<'r>(&'r str);

impl<'de> Deserializer<'de> for FieldDeserializer<'_> {
    type Error = CellError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CellError> {
        visitor.visit_str(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

fn row_error(file: &str, e: &csv::Error) -> DataError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    DataError::Row {
        file: file.to_string(),
        line,
        message: match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("has {len} fields, expected {expected_len}"),
            _ => e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Row {
        postal: Postal,
        amount: Count,
        note: String,
    }

    fn read_text(text: &str) -> Result<Rows<Row>, DataError> {
        read(
            &TableText {
                label: "t.csv".into(),
                text: text.into(),
            },
            &["postal", "amount", "note"],
        )
    }

    #[test]
    fn errors_name_file_line_field_and_value() {
        let e = read_text("postal,amount,note\nNY,5,a\nTX,-3,b\n")
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "t.csv:3: field amount: negative value (value \"-3\")"
        );
        let e = read_text("postal,amount,note\nny,5,a\n").err().unwrap();
        assert_eq!(
            e.to_string(),
            "t.csv:2: field postal: not a two-letter postal code (value \"ny\")"
        );
        let e = read_text("postal,amount,note\nNY,5\n").err().unwrap();
        assert_eq!(e.to_string(), "t.csv:2: has 2 fields, expected 3");
        let e = read_text("postal,amount\n").err().unwrap();
        assert!(e.to_string().starts_with("t.csv:1: header"), "{e}");
        let rows = read_text("postal,amount,note\nNY,5,\"a, b\"\n").unwrap();
        assert_eq!(rows.rows[0].0, 2);
        assert_eq!(rows.rows[0].1.amount, Count(5));
        assert_eq!(rows.rows[0].1.note, "a, b");
    }
}
