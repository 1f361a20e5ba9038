//! The map geometry for the page: one SVG path per state, projected to a
//! 975 × 610 canvas, from the embedded `data/state_paths.csv`.

use fedsplit_core::State;
use serde_json::{json, Value};

/// `fips,postal,d,label_x,label_y`, one row per state.
pub const STATE_PATHS_CSV: &str = include_str!("../../../../data/state_paths.csv");

/// The canvas the paths are projected to.
pub const WIDTH: u32 = 975;
pub const HEIGHT: u32 = 610;

/// `{"width","height","states":[{"fips","postal","name","d","label_x","label_y"}]}`,
/// or what is wrong with the embedded table.
pub fn map_json(csv_text: &str) -> Result<Value, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("state_paths.csv: {e}"))?
        .clone();
    let expected = ["fips", "postal", "d", "label_x", "label_y"];
    if header.iter().collect::<Vec<_>>() != expected {
        return Err(format!(
            "state_paths.csv: header is {:?}, expected {}",
            header.iter().collect::<Vec<_>>(),
            expected.join(",")
        ));
    }
    let mut states = Vec::new();
    let mut seen = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = record.map_err(|e| format!("state_paths.csv: {e}"))?;
        let field = |i: usize| record.get(i).unwrap_or("");
        let state =
            State::parse(field(1)).map_err(|e| format!("state_paths.csv:{line}: postal: {e}"))?;
        if state.fips() != field(0) {
            return Err(format!(
                "state_paths.csv:{line}: fips {:?} does not match {} ({})",
                field(0),
                state.postal(),
                state.fips()
            ));
        }
        if seen.contains(&state) {
            return Err(format!(
                "state_paths.csv:{line}: {} appears twice",
                state.postal()
            ));
        }
        seen.push(state);
        let d = field(2);
        if d.is_empty() {
            return Err(format!("state_paths.csv:{line}: d is empty"));
        }
        let coordinate = |i: usize, name: &str| -> Result<f64, String> {
            field(i)
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    format!(
                        "state_paths.csv:{line}: {name} {:?} is not a number",
                        field(i)
                    )
                })
        };
        states.push(json!({
            "fips": state.fips(),
            "postal": state.postal(),
            "name": state.name(),
            "d": d,
            "label_x": coordinate(3, "label_x")?,
            "label_y": coordinate(4, "label_y")?,
        }));
    }
    Ok(json!({ "width": WIDTH, "height": HEIGHT, "states": states }))
}
