//! County outlines for the web map's county view: one row per unit of the
//! county graph (`counties.csv`, 48 states + DC) from us-atlas
//! `counties-albers-10m.json`, in the frame, rounding and path format of
//! `state_paths.csv` (see `map`).
//!
//! The atlas is of 2017 (Census cb_2017) and the graph of 2024, and they
//! disagree where county-equivalents changed in between. Each disagreement
//! is handled here by name, and any other fails the build:
//! - a state of `WHOLE_STATES` (Connecticut: its nine planning regions
//!   09110–09190, county-equivalents since 2022, against the atlas's eight
//!   historic counties 09001–09015) gets no county rows; its outline is one
//!   row keyed by the state's two-digit FIPS code, taken from the atlas's
//!   `states` object, which the build checks is exactly the union of the
//!   atlas's counties of that state. The page draws the state whole and
//!   lists its units beside the map;
//! - a county every ring of which collapses on the 0.1-unit grid keeps its
//!   row with an empty `d`, its label point saying where it is: three
//!   Virginia independent cities (51610 Falls Church, 51678 Lexington, 51685
//!   Manassas Park), which the atlas's 1:10m simplification already reduces
//!   to a segment or a point.
//!
//! The same frame as the state outlines, but not the same simplification:
//! `states-albers-10m.json` keeps fewer points, so its state borders lie up
//! to about 0.6 unit off the county borders.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use fedsplit_core::State;
use serde_json::Value;

use crate::counties::{self, CountyGraph};
use crate::map::{tenths, Shape, Topology, US_ATLAS};
use crate::{BuildError, Source};

pub const COUNTIES_ALBERS_FILE: &str = "us-atlas/counties-albers-10m.json";

/// States whose graph units the atlas has no outlines for, each drawn as one
/// shape, and why.
pub const WHOLE_STATES: [(State, &str); 1] = [(
    State::Ct,
    "planning regions, county-equivalents since 2022, later than the 2017 atlas",
)];

fn whole(state: State) -> Option<&'static str> {
    WHOLE_STATES
        .iter()
        .find(|(s, _)| *s == state)
        .map(|(_, why)| *why)
}

/// One row of `county_paths.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyPathRow {
    /// A county's five-digit FIPS code, or a whole state's two-digit one.
    pub fips: String,
    pub state: State,
    pub shape: Shape,
}

/// A state drawn whole: its graph units, none outlined, and the atlas
/// counties its outline is the union of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WholeState {
    pub state: State,
    pub units: Vec<String>,
    pub atlas_counties: Vec<String>,
}

/// The county outlines and what the atlas could not outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyOutlines {
    /// In FIPS order (a whole state's row before its counties would be).
    pub rows: Vec<CountyPathRow>,
    pub whole: Vec<WholeState>,
    /// Counties whose row has an empty path (no area at 0.1 unit).
    pub points: Vec<String>,
}

/// Reads the outlines of the graph's counties (see the module notes).
pub fn county_paths(raw: &Path, graph: &CountyGraph) -> Result<CountyOutlines, BuildError> {
    let topology = Topology::read(raw, COUNTIES_ALBERS_FILE)?;
    let units: Vec<(&str, State)> = graph
        .counties
        .iter()
        .map(|c| (c.fips.as_str(), c.state))
        .collect();
    outlines(&topology, &units)
}

/// The outlines of `units` (FIPS code and state of each graph unit) from a
/// topology with `counties` and `states` objects.
///
/// Checks, besides the ring checks of `Topology::shape`: every county id is
/// five digits and appears once; outside `WHOLE_STATES`, the atlas's
/// counties of the graph's states and the graph's units are the same FIPS
/// codes (else the error lists both differences); a whole state has graph
/// units, none of them in the atlas, and its atlas outline uses exactly the
/// arcs its atlas counties use once (their union).
pub fn outlines(
    topology: &Topology,
    units: &[(&str, State)],
) -> Result<CountyOutlines, BuildError> {
    let file = topology.path.display();
    let graph: BTreeMap<&str, State> = units.iter().copied().collect();

    // The atlas's counties of the graph's areas: not Alaska or Hawaii,
    // which the graph leaves out, nor territories.
    let mut atlas: BTreeMap<String, (String, &Value)> = BTreeMap::new();
    for (g, geometry) in topology.geometries("counties")?.iter().enumerate() {
        let loc = format!("objects.counties.geometries[{g}]");
        let id = topology.id(&loc, geometry)?;
        if id.len() != 5 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(topology.error(&loc, "id", &id, "expected a five-digit FIPS code"));
        }
        let Some(state) = State::ALL.into_iter().find(|s| s.fips() == &id[..2]) else {
            continue; // a territory
        };
        if counties::excluded(state) {
            continue;
        }
        if atlas.insert(id.clone(), (loc.clone(), geometry)).is_some() {
            return Err(topology.error(&loc, "id", &id, "county appears twice"));
        }
    }

    let state_of = |fips: &str| State::ALL.into_iter().find(|s| s.fips() == &fips[..2]);
    let atlas_only: Vec<&str> = atlas
        .keys()
        .map(String::as_str)
        .filter(|f| !graph.contains_key(f) && state_of(f).and_then(whole).is_none())
        .collect();
    let graph_only: Vec<&str> = graph
        .iter()
        .filter(|(f, s)| !atlas.contains_key(**f) && whole(**s).is_none())
        .map(|(f, _)| *f)
        .collect();
    if !atlas_only.is_empty() || !graph_only.is_empty() {
        return Err(BuildError::Check(format!(
            "{file}: counties of the atlas and of the county graph differ outside the states drawn whole: atlas only [{}], graph only [{}]",
            atlas_only.join(" "),
            graph_only.join(" ")
        )));
    }

    let mut rows = Vec::new();
    let mut points = Vec::new();
    for (&fips, &state) in &graph {
        if whole(state).is_some() {
            continue;
        }
        let (loc, geometry) = &atlas[fips];
        let shape = topology.shape(loc, fips, geometry)?;
        if shape.polygons.is_empty() {
            points.push(fips.to_string());
        }
        rows.push(CountyPathRow {
            fips: fips.to_string(),
            state,
            shape,
        });
    }

    let mut wholes = Vec::new();
    let states = topology.geometries("states")?;
    for (state, _) in WHOLE_STATES {
        let units: Vec<String> = graph
            .keys()
            .filter(|f| f.starts_with(state.fips()))
            .map(|f| f.to_string())
            .collect();
        let outlined: Vec<&String> = units.iter().filter(|f| atlas.contains_key(*f)).collect();
        if units.is_empty() || !outlined.is_empty() {
            return Err(BuildError::Check(format!(
                "{file}: {state} is drawn whole, but the graph has {} of its units and the atlas outlines {outlined:?}",
                units.len()
            )));
        }
        let atlas_counties: Vec<String> = atlas
            .keys()
            .filter(|f| f.starts_with(state.fips()))
            .cloned()
            .collect();
        let (g, geometry) = states
            .iter()
            .enumerate()
            .find(|(_, g)| g["id"].as_str() == Some(state.fips()))
            .ok_or_else(|| BuildError::Missing {
                path: topology.path.clone(),
                what: format!("objects.states geometry {}", state.fips()),
            })?;
        let loc = format!("objects.states.geometries[{g}]");
        let mut used_once: BTreeMap<usize, usize> = BTreeMap::new();
        for f in &atlas_counties {
            let (cloc, county) = &atlas[f];
            for arc in topology.arc_uses(cloc, f, county)? {
                *used_once.entry(arc).or_default() += 1;
            }
        }
        used_once.retain(|_, n| *n == 1);
        let border: Vec<usize> = used_once.into_keys().collect();
        if topology.arc_uses(&loc, state.postal(), geometry)? != border {
            return Err(BuildError::Check(format!(
                "{file}: {loc} ({state}) is not the union of the atlas counties {}",
                atlas_counties.join(" ")
            )));
        }
        let shape = topology.shape(&loc, state.postal(), geometry)?;
        if shape.polygons.is_empty() {
            return Err(BuildError::Check(format!(
                "{file}: {loc} ({state}): empty path"
            )));
        }
        rows.push(CountyPathRow {
            fips: state.fips().to_string(),
            state,
            shape,
        });
        wholes.push(WholeState {
            state,
            units,
            atlas_counties,
        });
    }
    rows.sort_by(|a, b| a.fips.cmp(&b.fips));
    Ok(CountyOutlines {
        rows,
        whole: wholes,
        points,
    })
}

/// `county_paths.csv`: `fips,postal,d,label_x,label_y`, the header of
/// `state_paths.csv`.
pub fn table_text(outlines: &CountyOutlines) -> String {
    let mut text = String::from("fips,postal,d,label_x,label_y\n");
    for r in &outlines.rows {
        writeln!(
            text,
            "{},{},{},{},{}",
            r.fips,
            r.state.postal(),
            r.shape.d(),
            tenths(r.shape.label.0),
            tenths(r.shape.label.1)
        )
        .unwrap();
    }
    text
}

/// Manifest sources: (table, columns, source) for every column, naming the
/// states drawn whole, their units and the counties given as points.
pub fn sources(outlines: &CountyOutlines) -> Vec<(&'static str, &'static str, Source)> {
    let wholes: Vec<String> = outlines
        .whole
        .iter()
        .map(|w| {
            format!(
                "{} {}: units {} have no outline ({}); drawn as one shape, the union of the atlas counties {}",
                w.state.fips(),
                w.state.name(),
                w.units.join(" "),
                whole(w.state).unwrap_or_default(),
                w.atlas_counties.join(" ")
            )
        })
        .collect();
    vec![
        (
            "county_paths",
            "fips,postal",
            Source {
                publisher: "fedsplit, derived from us-atlas 3.0.1 and Census county adjacency 2024",
                table: format!(
                    "one row per unit of counties.csv that the atlas outlines (feature id = FIPS); one row per state drawn whole, keyed by its two-digit FIPS code: {}",
                    wholes.join("; ")
                ),
                year: "2017 (atlas); 2024 (units)".into(),
                units: "code",
                files: vec![COUNTIES_ALBERS_FILE, counties::ADJACENCY_FILE],
            },
        ),
        (
            "county_paths",
            "d,label_x,label_y",
            Source {
                publisher: US_ATLAS,
                table: format!(
                    "counties-albers-10m.json objects.counties (Albers USA, 975×610, the frame of state_paths), 0.1 unit; a state drawn whole: objects.states; d empty where every ring collapses at 0.1 unit ({}: a segment or a point in the atlas), the label then the mean of its points",
                    outlines.points.join(" ")
                ),
                year: "2017".into(),
                units: "SVG user units (pixels at 975×610)",
                files: vec![COUNTIES_ALBERS_FILE],
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::tests::parse_d;
    use crate::map::Tenths;

    /// A row of three unit squares 10 units wide (quantized with scale
    /// 0.01): AZ 04001, then CT's 09001 and 09003 sharing arc 3; arc 6 a
    /// far-off sliver county that rounds to one point (04003, and Alaska's
    /// 02013, skipped). The CT state outline is the arcs its counties use
    /// once: 2, 5, 4, 1.
    const TOY: &str = r#"{"type":"Topology",
        "transform":{"scale":[0.01,0.01],"translate":[100,200]},
        "objects":{
          "counties":{"type":"GeometryCollection","geometries":[
            {"type":"Polygon","arcs":[[0,1]],"id":"04001"},
            {"type":"Polygon","arcs":[[2,3,4,1]],"id":"09001"},
            {"type":"Polygon","arcs":[[5,-4]],"id":"09003"},
            {"type":"Polygon","arcs":[[6]],"id":"04003"},
            {"type":"Polygon","arcs":[[6]],"id":"02013"}]},
          "states":{"type":"GeometryCollection","geometries":[
            {"type":"Polygon","arcs":[[0,1]],"id":"04"},
            {"type":"Polygon","arcs":[[2,5,4,1]],"id":"09"}]}},
        "arcs":[[[1000,0],[-1000,0],[0,1000],[1000,0]],
                [[1000,1000],[0,-1000]],
                [[1000,0],[1000,0]],
                [[2000,0],[0,1000]],
                [[2000,1000],[-1000,0]],
                [[2000,0],[1000,0],[0,1000],[-1000,0]],
                [[5000,5000],[1,0],[0,1],[-1,-1]]]}"#;

    fn toy(text: &str, units: &[(&str, State)]) -> Result<CountyOutlines, BuildError> {
        outlines(&Topology::parse(Path::new("toy.json"), text)?, units)
    }

    const UNITS: [(&str, State); 4] = [
        ("04001", State::Az),
        ("04003", State::Az),
        ("09110", State::Ct),
        ("09120", State::Ct),
    ];

    #[test]
    fn toy_counties_with_a_whole_state_and_a_point() {
        let out = toy(TOY, &UNITS).unwrap();
        let fips: Vec<&str> = out.rows.iter().map(|r| r.fips.as_str()).collect();
        assert_eq!(fips, ["04001", "04003", "09"], "AK 02013 skipped");
        assert_eq!(out.rows[0].shape.d(), "M110 200l-10 0 0 10 10 0Z");
        assert_eq!(out.rows[0].shape.label, (1050, 2050));
        assert_eq!(out.points, ["04003"]);
        assert_eq!(out.rows[1].shape.d(), "");
        assert_eq!(
            out.whole,
            [WholeState {
                state: State::Ct,
                units: vec!["09110".into(), "09120".into()],
                atlas_counties: vec!["09001".into(), "09003".into()],
            }]
        );
        let text = table_text(&out);
        assert!(text.starts_with("fips,postal,d,label_x,label_y\n04001,AZ,M110 200l"));
        assert!(text.contains("\n04003,AZ,,150,250\n"), "{text}");
        assert!(text.contains("\n09,CT,M"), "{text}");
        let sources = sources(&out);
        assert!(sources[0]
            .2
            .table
            .contains("09 Connecticut: units 09110 09120 have no outline (planning regions"));
        assert!(sources[0].2.table.contains("atlas counties 09001 09003"));
        assert!(sources[1].2.table.contains("(04003: a segment or a point"));
    }

    #[test]
    fn toy_mismatches_are_named() {
        let e = toy(TOY, &[("04001", State::Az), ("04005", State::Az)]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "check failed: toy.json: counties of the atlas and of the county graph differ outside the states drawn whole: atlas only [04003], graph only [04005]"
        );
        let e = toy(TOY, &UNITS[..2]).unwrap_err();
        assert!(
            e.to_string()
                .contains("CT is drawn whole, but the graph has 0"),
            "{e}"
        );
        let not_merged = TOY.replace(r#"[[2,5,4,1]],"id":"09""#, r#"[[2,3,4,1]],"id":"09""#);
        let e = toy(&not_merged, &UNITS).unwrap_err();
        assert!(
            e.to_string()
                .contains("is not the union of the atlas counties 09001 09003"),
            "{e}"
        );
        let twice = TOY.replace(r#""id":"04003""#, r#""id":"04001""#);
        let e = toy(&twice, &UNITS).unwrap_err();
        assert!(e.to_string().contains("county appears twice"), "{e}");
    }

    fn raw_outlines() -> Option<CountyOutlines> {
        let raw = crate::raw_root_for_test("county map tests")?;
        let graph = counties::county_graph(&raw).unwrap();
        Some(county_paths(&raw, &graph).unwrap())
    }

    #[test]
    fn us_atlas_outlines_every_graph_unit_but_connecticuts() {
        let Some(out) = raw_outlines() else {
            return;
        };
        // 3,109 graph units − 9 CT planning regions + 1 CT row.
        assert_eq!(out.rows.len(), 3_101);
        assert_eq!(out.whole.len(), 1);
        let ct = &out.whole[0];
        let regions: Vec<String> = (11..=19).map(|r| format!("09{r}0")).collect();
        assert_eq!(ct.units, regions);
        let historic: Vec<String> = (1..=15).step_by(2).map(|c| format!("090{c:02}")).collect();
        assert_eq!(ct.atlas_counties, historic);
        assert_eq!(out.points, ["51610", "51678", "51685"]);
        let text = table_text(&out);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for (rec, row) in reader.records().map(Result::unwrap).zip(&out.rows) {
            assert_eq!(&rec[0], row.fips);
            let rings: Vec<Vec<Tenths>> = row.shape.polygons.iter().flatten().cloned().collect();
            assert_eq!(parse_d(&rec[2]), rings, "{}", row.fips);
        }
    }
}
