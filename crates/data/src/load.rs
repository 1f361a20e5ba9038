//! Parsing and validation of the dataset's tables: each row deserializes
//! into a typed row struct (`cells`), then the cross-table identities the
//! ledger relies on are checked.

use std::collections::HashMap;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::cells::{self, AgiClass, Count, ElectionYear, Postal, Signed, TableText};
use crate::schema::{self, control};
use crate::{
    ControlItem, Controls, DataError, Dataset, ElectionResult, IncomeClass, ManifestEntry,
    ReceiptKeys, Source, SpendingByState,
};

#[derive(Deserialize)]
struct DatasetRow {
    key: String,
    value: String,
}

/// The fiscal year a dataset.csv names (its one required key).
pub(crate) fn fiscal_year(table: &TableText) -> Result<u16, DataError> {
    let rows = cells::read::<DatasetRow>(table, schema::DATASET_HEADER)?;
    let mut year = None;
    for (line, row) in &rows.rows {
        match row.key.as_str() {
            "fiscal_year" => match row.value.parse::<u16>() {
                Ok(y) if (1950..=2100).contains(&y) && year.is_none() => year = Some(y),
                Ok(_) if year.is_some() => {
                    return Err(rows.field_error(*line, "key", &row.key, "given twice"))
                }
                _ => {
                    return Err(rows.field_error(
                        *line,
                        "value",
                        &row.value,
                        "not a fiscal year (e.g. 2024)",
                    ))
                }
            },
            other => {
                return Err(rows.field_error(
                    *line,
                    "key",
                    other,
                    "unknown key (expected fiscal_year)",
                ))
            }
        }
    }
    year.ok_or_else(|| rows.inconsistent("no fiscal_year".into()))
}

#[derive(Deserialize)]
struct StateRow {
    fips: String,
    postal: Postal,
    /// Not read: `State` has the name; the column keeps the file readable.
    _name: String,
    population: Count,
    personal_income_usd: Count,
    gdp_usd: Count,
    pce_usd: Count,
}

#[derive(Deserialize)]
struct ControlRow {
    id: String,
    amount_usd: Signed,
    derivation: String,
}

#[derive(Deserialize)]
struct BorderRow {
    state_a: Postal,
    state_b: Postal,
}

#[derive(Deserialize)]
struct ElectionRow {
    year: ElectionYear,
    postal: Postal,
    dem_candidate: String,
    rep_candidate: String,
    dem_votes: Count,
    rep_votes: Count,
    other_votes: Count,
    total_votes: Count,
}

#[derive(Deserialize)]
struct IncomeClassRow {
    postal: Postal,
    agi_class: AgiClass,
    returns: Count,
    // AGI of the lowest class is negative (losses), so it is signed.
    agi_usd: Signed,
    wages_usd: Count,
    income_tax_after_credits_usd: Count,
    state_local_income_tax_itemized_usd: Count,
    general_sales_tax_itemized_usd: Count,
}

#[derive(Deserialize)]
struct ManifestRow {
    table: String,
    column: String,
    publisher: String,
    source_table: String,
    year: String,
    units: String,
    input_files: String,
    input_sha256: String,
}

pub(crate) fn parse(source: Source, tables: Vec<TableText>) -> Result<Dataset, DataError> {
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

    let fiscal_year = fiscal_year(by_name(schema::DATASET_FILE))?;

    // states.csv: the set of states every other table must cover.
    let rows = cells::read::<StateRow>(by_name(schema::STATES_FILE), schema::STATES_HEADER)?;
    let mut states = Vec::new();
    let (mut population, mut personal_income_usd, mut gdp_usd, mut pce_usd) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (line, row) in &rows.rows {
        let state = row.postal.0;
        if row.fips != state.fips() {
            return Err(rows.field_error(
                *line,
                "fips",
                &row.fips,
                &format!("FIPS code of {} is {}", state.postal(), state.fips()),
            ));
        }
        if states.contains(&state) {
            return Err(rows.field_error(*line, "postal", state.postal(), "duplicate state"));
        }
        if row.population.0 == 0 {
            return Err(rows.field_error(*line, "population", "0", "population must be positive"));
        }
        states.push(state);
        population.push(row.population.f64());
        personal_income_usd.push(row.personal_income_usd.f64());
        gdp_usd.push(row.gdp_usd.f64());
        pce_usd.push(row.pce_usd.f64());
    }
    if states.is_empty() {
        return Err(rows.inconsistent("no states".into()));
    }
    // The sums the ledger divides by must stay finite and exact: a
    // population past 2^53 persons is not a population.
    let total_population: f64 = population.iter().sum();
    if total_population > MAX_EXACT {
        return Err(rows.inconsistent(format!(
            "the populations sum to {total_population:e}, more than any dataset can hold exactly (2^53)"
        )));
    }

    let rows = cells::read(by_name(schema::RECEIPT_KEYS_FILE), ReceiptKeys::HEADER)?;
    let receipt_keys = ReceiptKeys::from_rows(&rows, &states)?;
    let rows = cells::read(by_name(schema::SPENDING_FILE), SpendingByState::HEADER)?;
    let spending = SpendingByState::from_rows(&rows, &states)?;

    let rows = cells::read::<ManifestRow>(by_name(schema::MANIFEST_FILE), schema::MANIFEST_HEADER)?;
    let manifest: Vec<ManifestEntry> = rows
        .rows
        .into_iter()
        .map(|(_, m)| ManifestEntry {
            table: m.table,
            column: m.column,
            publisher: m.publisher,
            source_table: m.source_table,
            year: m.year,
            units: m.units,
            input_files: m.input_files,
            input_sha256: m.input_sha256,
        })
        .collect();

    let rows = cells::read::<ControlRow>(by_name(schema::CONTROLS_FILE), schema::CONTROLS_HEADER)?;
    let mut items: Vec<ControlItem> = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    for (line, row) in &rows.rows {
        if row.id.is_empty() {
            return Err(rows.field_error(*line, "id", "", "empty id"));
        }
        if lines.insert(row.id.clone(), *line).is_some() {
            return Err(rows.field_error(*line, "id", &row.id, "duplicate control id"));
        }
        items.push(ControlItem {
            id: row.id.clone(),
            amount_usd: row.amount_usd.0 as f64,
            derivation: row.derivation.clone(),
        });
    }
    let controls = Controls { items };
    let same_year = |column: &str| {
        manifest
            .iter()
            .find(|m: &&ManifestEntry| m.table == "spending" && m.column == column)
            .and_then(|m| crate::first_year(&m.year))
            .is_none_or(|y| y == fiscal_year)
    };
    check_controls(&rows.file, &controls, &lines, &spending, same_year)?;

    let rows = cells::read::<BorderRow>(by_name(schema::BORDERS_FILE), schema::BORDERS_HEADER)?;
    let mut borders = Vec::new();
    for (line, row) in &rows.rows {
        let (a, b) = (row.state_a.0, row.state_b.0);
        if a == b {
            return Err(rows.field_error(
                *line,
                "state_b",
                b.postal(),
                "a state cannot border itself",
            ));
        }
        // Borders of states outside a subset dataset are simply not used.
        if states.contains(&a) && states.contains(&b) {
            borders.push((a.min(b), a.max(b)));
        }
    }

    let rows =
        cells::read::<ElectionRow>(by_name(schema::ELECTIONS_FILE), schema::ELECTIONS_HEADER)?;
    let mut elections: Vec<ElectionResult> = Vec::new();
    for (line, row) in &rows.rows {
        let (year, state) = (row.year.0, row.postal.0);
        if !states.contains(&state) {
            continue;
        }
        if elections.iter().any(|e| e.year == year && e.state == state) {
            return Err(rows.field_error(
                *line,
                "postal",
                state.postal(),
                "duplicate state for this year",
            ));
        }
        let result = ElectionResult {
            year,
            state,
            dem_candidate: row.dem_candidate.clone(),
            rep_candidate: row.rep_candidate.clone(),
            dem_votes: row.dem_votes.0,
            rep_votes: row.rep_votes.0,
            other_votes: row.other_votes.0,
            total_votes: row.total_votes.0,
        };
        // u128: three huge counts must not overflow the check itself.
        let sum = result.dem_votes as u128 + result.rep_votes as u128 + result.other_votes as u128;
        if sum != result.total_votes as u128 {
            return Err(rows.field_error(
                *line,
                "total_votes",
                &result.total_votes.to_string(),
                "total_votes is not dem_votes + rep_votes + other_votes",
            ));
        }
        if result.total_votes == 0 {
            return Err(rows.field_error(*line, "total_votes", "0", "no votes"));
        }
        elections.push(result);
    }

    let rows = cells::read::<IncomeClassRow>(
        by_name(schema::INCOME_CLASSES_FILE),
        schema::INCOME_CLASSES_HEADER,
    )?;
    let income_classes = rows
        .rows
        .iter()
        .filter(|(_, row)| states.contains(&row.postal.0))
        .map(|(_, row)| IncomeClass {
            state: row.postal.0,
            agi_class: row.agi_class.0,
            returns: row.returns.f64(),
            agi_usd: row.agi_usd.0 as f64,
            wages_usd: row.wages_usd.f64(),
            income_tax_after_credits_usd: row.income_tax_after_credits_usd.f64(),
            state_local_income_tax_itemized_usd: row.state_local_income_tax_itemized_usd.f64(),
            general_sales_tax_itemized_usd: row.general_sales_tax_itemized_usd.f64(),
        })
        .collect();

    let state_graph = crate::border_graph(&states, &population, &borders);
    Ok(Dataset {
        fiscal_year,
        origin: source.origin(),
        source,
        checksum,
        state_graph,
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

/// 2^53: above it, f64 no longer holds every whole number.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// The identities the ledger relies on, checked to the dollar.
/// A line given per state (Medicaid, SNAP, grants, wages) must sum to its
/// control when its column is of the dataset's fiscal year (`same_year`); a
/// column carried from another year is a key instead, scaled to the control.
fn check_controls(
    file: &str,
    controls: &Controls,
    lines: &HashMap<String, u64>,
    spending: &SpendingByState,
    same_year: impl Fn(&str) -> bool,
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
    let direct: [(&str, &str, f64); 4] = [
        (
            control::OUTLAYS_MEDICAID_CHIP,
            "medicaid_chip_federal_usd",
            spending.medicaid_chip_federal_usd.iter().sum(),
        ),
        (
            control::OUTLAYS_SNAP,
            "snap_benefits_usd",
            spending.snap_benefits_usd.iter().sum(),
        ),
        (
            control::OUTLAYS_GRANTS,
            "non_medicaid_grants_usd",
            spending.non_medicaid_grants_usd.iter().sum(),
        ),
        (
            control::OUTLAYS_FEDERAL_WAGES,
            "federal_civilian_gdp_usd",
            spending
                .federal_civilian_gdp_usd
                .iter()
                .zip(&spending.military_gdp_usd)
                .map(|(a, b)| a + b)
                .sum(),
        ),
    ];
    for (id, column, state_sum) in direct {
        if same_year(column) && state_sum != controls.get(id) {
            return Err(inconsistent(format!(
                "{id} is {} (line {}) but the states' amounts in spending.csv sum to {state_sum}",
                controls.get(id),
                lines[id]
            )));
        }
    }
    let (grants, mandatory) = (
        controls.get(control::OUTLAYS_GRANTS),
        controls.get(control::OUTLAYS_GRANTS_MANDATORY),
    );
    if !(0.0..=grants).contains(&mandatory) {
        return Err(inconsistent(format!(
            "{} is {mandatory} (line {}): it must lie between 0 and {} ({grants})",
            control::OUTLAYS_GRANTS_MANDATORY,
            lines[control::OUTLAYS_GRANTS_MANDATORY],
            control::OUTLAYS_GRANTS
        )));
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
