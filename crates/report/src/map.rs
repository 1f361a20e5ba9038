//! The web map's geometry: one SVG path and label point per state, and for
//! the county view per county of the county graph.

use fedsplit_data::{Counties, CountyPath, CountyPaths, StatePaths};
use serde::Serialize;

use crate::ReportError;

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

/// The county view's geometry (`GET /api/map?level=counties`): every county
/// of the county graph (48 states + DC), on the canvas of `Map`, with the
/// outlines in the same frame and path format as the states'.
///
/// Keys inside the lists are short, the answer carrying some 3,100 shapes:
/// - `counties`: the counties with an outline: `f` five-digit FIPS code,
///   `s` state postal code, `n` name, `d` SVG path data (per ring an
///   absolute `M x y`, relative `l dx dy …` and `Z`; tenths of a unit), `x`
///   and `y` a label point (the centroid of the largest part, useful for
///   small counties), FIPS order;
/// - `states`: states drawn as one shape because their counties have no
///   outline of their own: `f` two-digit state FIPS code, `s`, `n` (the
///   state's name), `d`, `x`, `y`;
/// - `unmapped`: the counties with no outline to draw, to list beside the
///   map: `f`, `s`, `n`, and either `w`, the `states[].f` of the shape they
///   lie in (no geometry of their own), or `x` and `y`, where a county lies
///   that the map geometry reduces to a segment or a point;
/// - `note`: what `unmapped` holds, in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountyMap {
    pub width: u32,
    pub height: u32,
    pub counties: Vec<MapShape>,
    pub states: Vec<MapShape>,
    pub unmapped: Vec<UnmappedCounty>,
    pub note: String,
}

/// A county's or a whole state's outline (keys: see `CountyMap`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapShape {
    #[serde(rename = "f")]
    pub fips: String,
    #[serde(rename = "s")]
    pub postal: &'static str,
    #[serde(rename = "n")]
    pub name: String,
    pub d: String,
    pub x: f64,
    pub y: f64,
}

/// A county with no outline on the map (keys: see `CountyMap`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnmappedCounty {
    #[serde(rename = "f")]
    pub fips: String,
    #[serde(rename = "s")]
    pub postal: &'static str,
    #[serde(rename = "n")]
    pub name: String,
    #[serde(flatten)]
    pub place: Placement,
}

/// Where a county without an outline is on the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Placement {
    /// No geometry of its own: inside the whole-state shape `w` (its FIPS
    /// code, a `CountyMap::states` entry).
    Within { w: &'static str },
    /// An outline without area at the map's precision: where it lies.
    Point { x: f64, y: f64 },
}

/// The county map from the county outlines and the counties they were read
/// against (`Dataset::county_paths(&counties)`).
pub fn counties(paths: &CountyPaths, counties: &Counties) -> Result<CountyMap, ReportError> {
    if paths.shape_of.len() != counties.counties.len() {
        return Err(ReportError::Invalid(format!(
            "the county outlines were read against {} counties, not these {}",
            paths.shape_of.len(),
            counties.counties.len()
        )));
    }
    let shape = |p: &CountyPath, name: String| MapShape {
        fips: p.fips.clone(),
        postal: p.state.postal(),
        name,
        d: p.d.clone(),
        x: p.label_x,
        y: p.label_y,
    };
    let mut map = CountyMap {
        width: StatePaths::WIDTH,
        height: StatePaths::HEIGHT,
        counties: Vec::with_capacity(counties.counties.len()),
        states: paths
            .paths
            .iter()
            .filter(|p| p.is_state())
            .map(|p| shape(p, p.state.name().to_string()))
            .collect(),
        unmapped: Vec::new(),
        note: String::new(),
    };
    for (county, &i) in counties.counties.iter().zip(&paths.shape_of) {
        let p = &paths.paths[i];
        let place = if p.is_state() {
            Placement::Within { w: p.state.fips() }
        } else if p.d.is_empty() {
            Placement::Point {
                x: p.label_x,
                y: p.label_y,
            }
        } else {
            map.counties.push(shape(p, county.name.clone()));
            continue;
        };
        map.unmapped.push(UnmappedCounty {
            fips: county.fips.clone(),
            postal: county.state.postal(),
            name: county.name.clone(),
            place,
        });
    }
    map.note = note(&map);
    Ok(map)
}

/// `unmapped` in words: by state drawn whole, then the points.
fn note(map: &CountyMap) -> String {
    if map.unmapped.is_empty() {
        return "Every county has an outline.".into();
    }
    let mut parts: Vec<String> = map
        .states
        .iter()
        .map(|s| {
            let inside: Vec<&str> = map
                .unmapped
                .iter()
                .filter(|u| matches!(u.place, Placement::Within { w } if w == s.fips))
                .map(|u| u.fips.as_str())
                .collect();
            format!(
                "{}'s {} county-equivalents ({}) have no outline in the map's geometry, so the state is drawn as one shape",
                s.name,
                inside.len(),
                inside.join(", ")
            )
        })
        .collect();
    let points: Vec<String> = map
        .unmapped
        .iter()
        .filter(|u| matches!(u.place, Placement::Point { .. }))
        .map(|u| format!("{}, {}", u.name, u.postal))
        .collect();
    if !points.is_empty() {
        parts.push(format!(
            "{} {} too small to outline at this scale and shown as a point: {}",
            points.len(),
            if points.len() == 1 {
                "county is"
            } else {
                "counties are"
            },
            points.join("; ")
        ));
    }
    format!("{}.", parts.join(". "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fedsplit_data::Dataset;

    fn county_map() -> CountyMap {
        let data = Dataset::embedded().unwrap();
        let list = data.counties().unwrap();
        counties(&data.county_paths(&list).unwrap(), &list).unwrap()
    }

    #[test]
    fn county_map_draws_or_lists_every_county() {
        let map = county_map();
        assert_eq!((map.width, map.height), (975, 610));
        assert_eq!(map.counties.len() + map.unmapped.len(), 3_109);
        assert_eq!(map.counties.len(), 3_097);
        assert!(map.counties.iter().all(|c| c.d.starts_with('M')));
        let la = map.counties.iter().find(|c| c.fips == "06037").unwrap();
        assert_eq!((la.postal, la.name.as_str()), ("CA", "Los Angeles County"));
        assert_eq!(map.states.len(), 1);
        assert_eq!(
            (map.states[0].fips.as_str(), map.states[0].name.as_str()),
            ("09", "Connecticut")
        );
        let within: Vec<&str> = map
            .unmapped
            .iter()
            .filter(|u| u.place == Placement::Within { w: "09" })
            .map(|u| u.fips.as_str())
            .collect();
        assert_eq!(
            within,
            ["09110", "09120", "09130", "09140", "09150", "09160", "09170", "09180", "09190"]
        );
        let points: Vec<&str> = map
            .unmapped
            .iter()
            .filter(|u| matches!(u.place, Placement::Point { .. }))
            .map(|u| u.fips.as_str())
            .collect();
        assert_eq!(points, ["51610", "51678", "51685"]);
        assert!(
            map.note
                .starts_with("Connecticut's 9 county-equivalents (09110, "),
            "{}",
            map.note
        );
        assert!(
            map.note.ends_with("Manassas Park city, VA."),
            "{}",
            map.note
        );
    }

    #[test]
    fn county_map_json_uses_the_documented_keys() {
        let map = county_map();
        let v = serde_json::to_value(&map).unwrap();
        let keys = |o: &serde_json::Value| -> Vec<String> {
            o.as_object().unwrap().keys().cloned().collect()
        };
        assert_eq!(
            keys(&v),
            ["width", "height", "counties", "states", "unmapped", "note"]
        );
        assert_eq!(keys(&v["counties"][0]), ["f", "s", "n", "d", "x", "y"]);
        assert_eq!(keys(&v["states"][0]), ["f", "s", "n", "d", "x", "y"]);
        let unmapped = v["unmapped"].as_array().unwrap();
        assert_eq!(
            unmapped[0],
            serde_json::json!({"f": "09110", "s": "CT", "n": "Capitol Planning Region", "w": "09"})
        );
        let falls_church = unmapped.iter().find(|u| u["f"] == "51610").unwrap();
        assert_eq!(keys(falls_church), ["f", "s", "n", "x", "y"]);
    }

    #[test]
    fn county_map_refuses_outlines_read_against_other_counties() {
        let data = Dataset::embedded().unwrap();
        let all = data.counties().unwrap();
        let paths = data.county_paths(&all).unwrap();
        let mut fewer = all.clone();
        fewer.counties.pop();
        let e = counties(&paths, &fewer).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the county outlines were read against 3109 counties, not these 3108"
        );
    }
}
