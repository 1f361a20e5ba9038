//! Parsing and validation of the compact tables.

use std::collections::HashMap;

use fedsplit_core::State;
use sha2::{Digest, Sha256};

use crate::schema::{self, control};
use crate::{
    Column, ControlItem, Controls, DataError, Dataset, ElectionResult, IncomeClass, ManifestEntry,
    ReceiptKeys, SpendingByState,
};

/// One table's text and the label used in error messages.
pub struct TableText {
    pub label: String,
    pub text: String,
}

/// A table's data rows: (line number, fields).
struct Rows<'a> {
    file: &'a str,
    header: &'static [&'static str],
    rows: Vec<(u64, csv::StringRecord)>,
}

fn read_rows<'a>(
    table: &'a TableText,
    header: &'static [&'static str],
) -> Result<Rows<'a>, DataError> {
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
    if found.iter().ne(header.iter().copied()) {
        return Err(DataError::Header {
            file: file.to_string(),
            found: found.iter().collect::<Vec<_>>().join(","),
            expected: header.join(","),
        });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            DataError::Row {
                file: file.to_string(),
                line,
                message: match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("has {len} fields, expected {expected_len}")
                    }
                    _ => e.to_string(),
                },
            }
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        rows.push((line, record));
    }
    Ok(Rows { file, header, rows })
}

impl Rows<'_> {
    fn field_error(&self, line: u64, col: usize, value: &str, message: &str) -> DataError {
        DataError::Field {
            file: self.file.to_string(),
            line,
            field: self.header[col].to_string(),
            value: value.to_string(),
            message: message.to_string(),
        }
    }

    fn state(&self, line: u64, rec: &csv::StringRecord, col: usize) -> Result<State, DataError> {
        let value = rec.get(col).unwrap_or("");
        if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(self.field_error(line, col, value, "not a two-letter postal code"));
        }
        State::parse(value).map_err(|_| self.field_error(line, col, value, "unknown state code"))
    }

    /// A non-negative whole number (dollars, persons, votes).
    fn count(&self, line: u64, rec: &csv::StringRecord, col: usize) -> Result<f64, DataError> {
        let value = rec.get(col).unwrap_or("");
        match value.parse::<i64>() {
            Ok(v) if v < 0 => Err(self.field_error(line, col, value, "negative value")),
            Ok(v) => Ok(v as f64),
            Err(_) => Err(self.field_error(line, col, value, "not a whole number")),
        }
    }

    /// A whole number that may be negative (controls and their components).
    fn signed(&self, line: u64, rec: &csv::StringRecord, col: usize) -> Result<f64, DataError> {
        let value = rec.get(col).unwrap_or("");
        value
            .parse::<i64>()
            .map(|v| v as f64)
            .map_err(|_| self.field_error(line, col, value, "not a whole number"))
    }

    fn text(&self, rec: &csv::StringRecord, col: usize) -> String {
        rec.get(col).unwrap_or("").to_string()
    }

    /// Reads a per-state table: column 0 is the postal code, the rest are
    /// counts. Returns one column per remaining header field, in `states` order.
    fn per_state(&self, states: &[State]) -> Result<Vec<Column>, DataError> {
        let width = self.header.len() - 1;
        let mut columns = vec![vec![f64::NAN; states.len()]; width];
        let mut seen = vec![false; states.len()];
        for (line, rec) in &self.rows {
            let state = self.state(*line, rec, 0)?;
            let Some(pos) = states.iter().position(|s| *s == state) else {
                return Err(self.field_error(*line, 0, state.postal(), "state not in states.csv"));
            };
            if seen[pos] {
                return Err(self.field_error(*line, 0, state.postal(), "duplicate state"));
            }
            seen[pos] = true;
            for (c, column) in columns.iter_mut().enumerate() {
                column[pos] = self.count(*line, rec, c + 1)?;
            }
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return Err(DataError::Inconsistent {
                file: self.file.to_string(),
                message: format!("no row for state {}", states[missing].postal()),
            });
        }
        Ok(columns)
    }
}

fn take(columns: &mut Vec<Column>) -> Column {
    columns.remove(0)
}

pub(crate) fn parse(origin: String, tables: Vec<TableText>) -> Result<Dataset, DataError> {
    let by_name = |name: &str| -> &TableText {
        let idx = schema::ALL_FILES
            .iter()
            .position(|f| *f == name)
            .expect("known table name");
        &tables[idx]
    };

    let mut hasher = Sha256::new();
    for (name, table) in schema::ALL_FILES.iter().zip(&tables) {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(table.text.as_bytes());
        hasher.update([0]);
    }
    let checksum = format!("{:x}", hasher.finalize());

    // states.csv: the set of states every other table must cover.
    let rows = read_rows(by_name(schema::STATES_FILE), schema::STATES_HEADER)?;
    let mut states = Vec::new();
    let mut cols: Vec<Column> = vec![Vec::new(); 4];
    for (line, rec) in &rows.rows {
        let state = rows.state(*line, rec, 1)?;
        if rows.text(rec, 0) != state.fips() {
            return Err(rows.field_error(
                *line,
                0,
                &rows.text(rec, 0),
                &format!("FIPS code of {} is {}", state.postal(), state.fips()),
            ));
        }
        if states.contains(&state) {
            return Err(rows.field_error(*line, 1, state.postal(), "duplicate state"));
        }
        let population = rows.count(*line, rec, 3)?;
        if population == 0.0 {
            return Err(rows.field_error(*line, 3, "0", "population must be positive"));
        }
        states.push(state);
        cols[0].push(population);
        for (c, col) in cols.iter_mut().enumerate().skip(1) {
            col.push(rows.count(*line, rec, c + 3)?);
        }
    }
    if states.is_empty() {
        return Err(DataError::Inconsistent {
            file: rows.file.to_string(),
            message: "no states".into(),
        });
    }
    let population = take(&mut cols);
    let personal_income_usd = take(&mut cols);
    let gdp_usd = take(&mut cols);
    let pce_usd = take(&mut cols);

    let rows = read_rows(
        by_name(schema::RECEIPT_KEYS_FILE),
        schema::RECEIPT_KEYS_HEADER,
    )?;
    let mut c = rows.per_state(&states)?;
    let receipt_keys = ReceiptKeys {
        returns: take(&mut c),
        agi_usd: take(&mut c),
        wages_usd: take(&mut c),
        self_employment_tax_usd: take(&mut c),
        dividends_usd: take(&mut c),
        net_capital_gains_usd: take(&mut c),
        income_tax_after_credits_usd: take(&mut c),
        irs_total_collections_usd: take(&mut c),
        irs_business_collections_usd: take(&mut c),
        irs_individual_collections_usd: take(&mut c),
        irs_withheld_fica_usd: take(&mut c),
        irs_estate_tax_usd: take(&mut c),
        irs_gift_tax_usd: take(&mut c),
        state_local_income_tax_usd: take(&mut c),
        state_local_sales_tax_usd: take(&mut c),
    };

    let rows = read_rows(by_name(schema::SPENDING_FILE), schema::SPENDING_HEADER)?;
    let mut c = rows.per_state(&states)?;
    let spending = SpendingByState {
        bea_social_security_usd: take(&mut c),
        bea_medicare_usd: take(&mut c),
        bea_medicaid_usd: take(&mut c),
        bea_income_maintenance_usd: take(&mut c),
        bea_other_transfers_usd: take(&mut c),
        medicaid_chip_federal_usd: take(&mut c),
        snap_benefits_usd: take(&mut c),
        slgf_federal_revenue_usd: take(&mut c),
        federal_civilian_gdp_usd: take(&mut c),
        military_gdp_usd: take(&mut c),
    };

    let controls_table = by_name(schema::CONTROLS_FILE);
    let rows = read_rows(controls_table, schema::CONTROLS_HEADER)?;
    let mut items: Vec<ControlItem> = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    for (line, rec) in &rows.rows {
        let id = rows.text(rec, 0);
        if id.is_empty() {
            return Err(rows.field_error(*line, 0, "", "empty id"));
        }
        if lines.insert(id.clone(), *line).is_some() {
            return Err(rows.field_error(*line, 0, &id, "duplicate control id"));
        }
        items.push(ControlItem {
            amount_usd: rows.signed(*line, rec, 1)?,
            derivation: rows.text(rec, 2),
            id,
        });
    }
    let controls = Controls { items };
    check_controls(&controls_table.label, &controls, &lines, &spending)?;

    let rows = read_rows(by_name(schema::BORDERS_FILE), schema::BORDERS_HEADER)?;
    let mut borders = Vec::new();
    for (line, rec) in &rows.rows {
        let a = rows.state(*line, rec, 0)?;
        let b = rows.state(*line, rec, 1)?;
        if a == b {
            return Err(rows.field_error(*line, 1, b.postal(), "a state cannot border itself"));
        }
        // Borders of states outside a subset dataset are simply not used.
        if states.contains(&a) && states.contains(&b) {
            borders.push((a.min(b), a.max(b)));
        }
    }

    let rows = read_rows(by_name(schema::ELECTIONS_FILE), schema::ELECTIONS_HEADER)?;
    let mut elections = Vec::new();
    for (line, rec) in &rows.rows {
        let year_text = rows.text(rec, 0);
        let year = match year_text.parse::<u16>() {
            Ok(y) if (1788..=2100).contains(&y) && y % 4 == 0 => y,
            _ => {
                return Err(rows.field_error(
                    *line,
                    0,
                    &year_text,
                    "not a presidential election year",
                ))
            }
        };
        let state = rows.state(*line, rec, 1)?;
        if !states.contains(&state) {
            continue;
        }
        if elections
            .iter()
            .any(|e: &ElectionResult| e.year == year && e.state == state)
        {
            return Err(rows.field_error(
                *line,
                1,
                state.postal(),
                "duplicate state for this year",
            ));
        }
        let votes = |col| rows.count(*line, rec, col).map(|v| v as u64);
        let result = ElectionResult {
            year,
            state,
            dem_candidate: rows.text(rec, 2),
            rep_candidate: rows.text(rec, 3),
            dem_votes: votes(4)?,
            rep_votes: votes(5)?,
            other_votes: votes(6)?,
            total_votes: votes(7)?,
        };
        // u128: three huge counts must not overflow the check itself.
        let sum = result.dem_votes as u128 + result.rep_votes as u128 + result.other_votes as u128;
        if sum != result.total_votes as u128 {
            return Err(rows.field_error(
                *line,
                7,
                &rows.text(rec, 7),
                "total_votes is not dem_votes + rep_votes + other_votes",
            ));
        }
        if result.total_votes == 0 {
            return Err(rows.field_error(*line, 7, "0", "no votes"));
        }
        elections.push(result);
    }

    let rows = read_rows(
        by_name(schema::INCOME_CLASSES_FILE),
        schema::INCOME_CLASSES_HEADER,
    )?;
    let mut income_classes = Vec::new();
    for (line, rec) in &rows.rows {
        let state = rows.state(*line, rec, 0)?;
        let class_text = rows.text(rec, 1);
        let agi_class = match class_text.parse::<u8>() {
            Ok(c) if (1..=10).contains(&c) => c,
            _ => return Err(rows.field_error(*line, 1, &class_text, "AGI class must be 1..10")),
        };
        if !states.contains(&state) {
            continue;
        }
        income_classes.push(IncomeClass {
            state,
            agi_class,
            returns: rows.count(*line, rec, 2)?,
            // AGI of the lowest class is negative (losses), so it is signed.
            agi_usd: rows.signed(*line, rec, 3)?,
            wages_usd: rows.count(*line, rec, 4)?,
            income_tax_after_credits_usd: rows.count(*line, rec, 5)?,
            state_local_income_tax_itemized_usd: rows.count(*line, rec, 6)?,
            general_sales_tax_itemized_usd: rows.count(*line, rec, 7)?,
        });
    }

    let rows = read_rows(by_name(schema::MANIFEST_FILE), schema::MANIFEST_HEADER)?;
    let manifest = rows
        .rows
        .iter()
        .map(|(_, rec)| ManifestEntry {
            table: rows.text(rec, 0),
            column: rows.text(rec, 1),
            publisher: rows.text(rec, 2),
            source_table: rows.text(rec, 3),
            year: rows.text(rec, 4),
            units: rows.text(rec, 5),
            input_files: rows.text(rec, 6),
            input_sha256: rows.text(rec, 7),
        })
        .collect();

    Ok(Dataset {
        origin,
        checksum,
        states,
        population,
        personal_income_usd,
        gdp_usd,
        pce_usd,
        receipt_keys,
        spending,
        controls,
        borders,
        elections,
        income_classes,
        manifest,
    })
}

/// The identities the ledger relies on, checked to the dollar.
fn check_controls(
    file: &str,
    controls: &Controls,
    lines: &HashMap<String, u64>,
    spending: &SpendingByState,
) -> Result<(), DataError> {
    let inconsistent = |message: String| DataError::Inconsistent {
        file: file.to_string(),
        message,
    };
    for id in control::REQUIRED {
        if controls.item(id).is_none() {
            return Err(inconsistent(format!("missing control {id}")));
        }
    }
    let sum = |ids: &[&str]| ids.iter().map(|id| controls.get(id)).sum::<f64>();
    let receipts = sum(&control::RECEIPT_CATEGORIES);
    if receipts != controls.get(control::RECEIPTS_TOTAL) {
        return Err(inconsistent(format!(
            "receipt categories sum to {receipts} but {} is {} (line {})",
            control::RECEIPTS_TOTAL,
            controls.get(control::RECEIPTS_TOTAL),
            lines[control::RECEIPTS_TOTAL]
        )));
    }
    let outlays = sum(&control::SPENDING_CHANNELS);
    if outlays != controls.get(control::OUTLAYS_TOTAL) {
        return Err(inconsistent(format!(
            "spending channels sum to {outlays} but {} is {} (line {})",
            control::OUTLAYS_TOTAL,
            controls.get(control::OUTLAYS_TOTAL),
            lines[control::OUTLAYS_TOTAL]
        )));
    }
    let direct: [(&str, f64); 4] = [
        (
            control::OUTLAYS_MEDICAID_CHIP,
            spending.medicaid_chip_federal_usd.iter().sum(),
        ),
        (
            control::OUTLAYS_SNAP,
            spending.snap_benefits_usd.iter().sum(),
        ),
        (
            control::OUTLAYS_GRANTS,
            spending
                .slgf_federal_revenue_usd
                .iter()
                .zip(&spending.medicaid_chip_federal_usd)
                .map(|(a, b)| a - b)
                .sum(),
        ),
        (
            control::OUTLAYS_FEDERAL_WAGES,
            spending
                .federal_civilian_gdp_usd
                .iter()
                .zip(&spending.military_gdp_usd)
                .map(|(a, b)| a + b)
                .sum(),
        ),
    ];
    for (id, state_sum) in direct {
        if state_sum != controls.get(id) {
            return Err(inconsistent(format!(
                "{id} is {} (line {}) but the states' amounts in spending.csv sum to {state_sum}",
                controls.get(id),
                lines[id]
            )));
        }
    }
    if controls.get(control::NATIONAL_PUBLIC_GOODS)
        > controls.get(control::OUTLAYS_FEDERAL_WAGES) + controls.get(control::OUTLAYS_PROCUREMENT)
    {
        return Err(inconsistent(format!(
            "{} exceeds federal wages plus procurement, from which the benefit method takes it",
            control::NATIONAL_PUBLIC_GOODS
        )));
    }
    Ok(())
}
