//! The map geometry for the page: one SVG path per state, projected to a
//! 975 × 610 canvas, from the dataset's `state_paths.csv`.

use fedsplit_data::StatePaths;
use serde_json::{json, Value};

/// `{"width","height","states":[{"fips","postal","name","d","label_x","label_y"}]}`.
pub fn map_json(paths: &StatePaths) -> Value {
    let states: Vec<Value> = paths
        .paths
        .iter()
        .map(|p| {
            json!({
                "fips": p.state.fips(),
                "postal": p.state.postal(),
                "name": p.state.name(),
                "d": p.d,
                "label_x": p.label_x,
                "label_y": p.label_y,
            })
        })
        .collect();
    json!({ "width": StatePaths::WIDTH, "height": StatePaths::HEIGHT, "states": states })
}
