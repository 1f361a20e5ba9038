//! The web map's geometry: one SVG path and label point per state.

use fedsplit_data::StatePaths;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct MapState {
    pub fips: &'static str,
    pub postal: &'static str,
    pub name: &'static str,
    pub d: String,
    pub label_x: f64,
    pub label_y: f64,
}

/// The states' outlines on a `width × height` canvas.
#[derive(Debug, Clone, Serialize)]
pub struct Map {
    pub width: u32,
    pub height: u32,
    pub states: Vec<MapState>,
}

pub fn build(paths: &StatePaths) -> Map {
    Map {
        width: StatePaths::WIDTH,
        height: StatePaths::HEIGHT,
        states: paths
            .paths
            .iter()
            .map(|p| MapState {
                fips: p.state.fips(),
                postal: p.state.postal(),
                name: p.state.name(),
                d: p.d.clone(),
                label_x: p.label_x,
                label_y: p.label_y,
            })
            .collect(),
    }
}
