//! State outlines for the web map: SVG paths in the pre-projected Albers USA
//! frame of us-atlas (975×610, Alaska and Hawaii as insets at the bottom
//! left), decoded from TopoJSON.
//!
//! Coordinates are rounded to tenths of a unit and kept as integers of
//! tenths, so the text is byte-stable. A number is written with one decimal,
//! or none when the tenths digit is 0 (`12.3`, `12`, `-0.4`). Each ring is
//! `M x y` followed by relative `l dx dy dx dy …` (the deltas between the
//! rounded points, so no error accumulates) and `Z`; consecutive points that
//! round to the same place are dropped, as is the closing point, and a ring
//! left with fewer than three points is dropped (in the 10m file only one:
//! a zero-area sliver of Delaware made of two identical arcs).

use std::fmt::Write as _;
use std::path::Path;

use fedsplit_core::{State, STATE_COUNT};
use serde_json::Value;

use crate::{BuildError, Source};

pub const STATES_ALBERS_FILE: &str = "us-atlas/states-albers-10m.json";

/// The viewport the us-atlas Albers files are projected for.
pub const VIEW_WIDTH: f64 = 975.0;
pub const VIEW_HEIGHT: f64 = 610.0;
/// Left edge of d3.geoAlbersUsa's Alaska inset clip (487.5 − 0.425 × 1300):
/// the western Aleutians lie left of x = 0 (to about −57.7).
const X_MIN: f64 = -65.0;
/// Tolerance on the other three edges.
const MARGIN: f64 = 1.0;

/// A point in tenths of an SVG user unit.
pub type Tenths = (i64, i64);

/// One state's outline and label point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatePath {
    pub state: State,
    /// Polygons, each a list of rings (outer first), each ring a list of
    /// distinct consecutive points in tenths, not closed.
    pub polygons: Vec<Vec<Vec<Tenths>>>,
    /// Area-weighted centroid of the largest polygon's outer ring, in tenths.
    pub label: Tenths,
}

impl StatePath {
    /// The SVG path data (see the module notes for the format).
    pub fn d(&self) -> String {
        let mut d = String::new();
        for ring in self.polygons.iter().flatten() {
            let (x0, y0) = ring[0];
            write!(d, "M{} {}l", tenths(x0), tenths(y0)).unwrap();
            for (i, w) in ring.windows(2).enumerate() {
                let sep = if i == 0 { "" } else { " " };
                let (dx, dy) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
                write!(d, "{sep}{} {}", tenths(dx), tenths(dy)).unwrap();
            }
            d.push('Z');
        }
        d
    }
}

/// `n` tenths as text: one decimal, or none when it is 0.
pub fn tenths(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let a = n.unsigned_abs();
    let (whole, tenth) = (a / 10, a % 10);
    if tenth == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{tenth}")
    }
}

/// Reads the state outlines of the 50 states + DC, in `State::ALL` order.
///
/// Checks: the file is a TopoJSON topology with a `states` object; every
/// state appears exactly once (territories, if any, are skipped); every ring
/// is closed and every arc index valid; every path is non-empty; every
/// point lies in the 975×610 viewport (the Alaska inset may reach x = −65).
pub fn state_paths(raw: &Path) -> Result<(Source, Vec<StatePath>), BuildError> {
    let path = raw.join(STATES_ALBERS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| BuildError::Io {
        path: path.clone(),
        source: e,
    })?;
    let rows = parse_states(&path, &text)?;
    if rows.len() != STATE_COUNT {
        let missing: Vec<&str> = State::ALL
            .iter()
            .filter(|s| !rows.iter().any(|r| r.state == **s))
            .map(|s| s.postal())
            .collect();
        return Err(BuildError::Check(format!(
            "{STATES_ALBERS_FILE}: {} states found, expected {STATE_COUNT} (missing {})",
            rows.len(),
            missing.join(" ")
        )));
    }
    let source = Source {
        publisher:
            "us-atlas 3.0.1 (Mike Bostock), from U.S. Census Bureau cartographic boundary files",
        table: "states-albers-10m.json (Albers USA, 975×610, AK and HI insets)".into(),
        year: "2017".into(),
        units: "SVG user units (pixels at 975×610)",
        files: vec![STATES_ALBERS_FILE],
    };
    Ok((source, rows))
}

/// `state_paths.csv`: `fips,postal,d,label_x,label_y`, one row per state.
pub fn table_text(rows: &[StatePath]) -> String {
    let mut text = String::from("fips,postal,d,label_x,label_y\n");
    for r in rows {
        writeln!(
            text,
            "{},{},{},{},{}",
            r.state.fips(),
            r.state.postal(),
            r.d(),
            tenths(r.label.0),
            tenths(r.label.1)
        )
        .unwrap();
    }
    text
}

/// Decodes the `states` object of a topology: the states found, in
/// `State::ALL` order (not checked for completeness).
pub fn parse_states(path: &Path, text: &str) -> Result<Vec<StatePath>, BuildError> {
    let err = |location: &str, field: &str, value: &str, message: &str| BuildError::Parse {
        path: path.to_path_buf(),
        location: location.to_string(),
        field: field.to_string(),
        value: value.to_string(),
        message: message.to_string(),
    };
    let root: Value = serde_json::from_str(text).map_err(|e| {
        err(
            &format!("{}:{}", e.line(), e.column()),
            "json",
            "",
            &e.to_string(),
        )
    })?;
    if root.get("type").and_then(Value::as_str) != Some("Topology") {
        return Err(err(
            "type",
            "type",
            &short(&root["type"]),
            "not a TopoJSON Topology",
        ));
    }
    let arcs = decode_arcs(path, &root)?;
    let geometries = root
        .pointer("/objects/states/geometries")
        .and_then(Value::as_array)
        .ok_or_else(|| BuildError::Missing {
            path: path.to_path_buf(),
            what: "objects.states.geometries".into(),
        })?;

    let mut found: Vec<Option<StatePath>> = vec![None; STATE_COUNT];
    for (g, geometry) in geometries.iter().enumerate() {
        let loc = format!("objects.states.geometries[{g}]");
        let id = match &geometry["id"] {
            Value::String(s) => s.clone(),
            other => return Err(err(&loc, "id", &short(other), "expected a FIPS string")),
        };
        let Some(state) = State::ALL.into_iter().find(|s| s.fips() == id) else {
            continue; // a territory
        };
        if found[state.index()].is_some() {
            return Err(err(&loc, "id", &id, "state appears twice"));
        }
        let polygon_arcs: Vec<&Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["arcs"]],
            Some("MultiPolygon") => match geometry["arcs"].as_array() {
                Some(polys) => polys.iter().collect(),
                None => {
                    return Err(err(
                        &loc,
                        "arcs",
                        &short(&geometry["arcs"]),
                        "expected an array",
                    ))
                }
            },
            _ => {
                return Err(err(
                    &loc,
                    "type",
                    &short(&geometry["type"]),
                    &format!("state {state}: expected Polygon or MultiPolygon"),
                ))
            }
        };

        let mut polygons = Vec::new();
        let mut largest: Option<(f64, (f64, f64))> = None;
        for (p, rings) in polygon_arcs.into_iter().enumerate() {
            let rings = rings.as_array().ok_or_else(|| {
                err(
                    &loc,
                    &format!("arcs[{p}]"),
                    &short(rings),
                    "expected an array of rings",
                )
            })?;
            let mut out_rings = Vec::new();
            for (r, ring) in rings.iter().enumerate() {
                let field = format!("arcs[{p}][{r}]");
                let points = assemble_ring(&arcs, ring)
                    .map_err(|(value, message)| err(&loc, &field, &value, &message))?;
                if let Some(&(x, y)) = points.iter().find(|(x, y)| {
                    !(X_MIN..=VIEW_WIDTH + MARGIN).contains(x)
                        || !(-MARGIN..=VIEW_HEIGHT + MARGIN).contains(y)
                }) {
                    return Err(BuildError::Check(format!(
                        "{}: {loc} ({state}) {field}: point ({x}, {y}) outside the {VIEW_WIDTH}×{VIEW_HEIGHT} viewport",
                        path.display()
                    )));
                }
                if r == 0 {
                    let (area, centroid) = area_centroid(&points);
                    match largest {
                        Some((a, _)) if a >= area.abs() => {}
                        _ => largest = Some((area.abs(), centroid)),
                    }
                }
                let rounded = round_ring(&points);
                if rounded.len() >= 3 {
                    out_rings.push(rounded);
                } else if r == 0 {
                    break; // the outer ring vanished: drop the polygon
                }
            }
            if !out_rings.is_empty() {
                polygons.push(out_rings);
            }
        }
        let label = match largest {
            Some((area, (cx, cy))) if area > 0.0 && !polygons.is_empty() => {
                (to_tenths(cx), to_tenths(cy))
            }
            _ => {
                return Err(BuildError::Check(format!(
                    "{}: {loc} ({state}): empty path",
                    path.display()
                )))
            }
        };
        found[state.index()] = Some(StatePath {
            state,
            polygons,
            label,
        });
    }
    Ok(found.into_iter().flatten().collect())
}

/// The arcs as absolute coordinates, undoing quantization and delta
/// encoding when the topology has a `transform`.
fn decode_arcs(path: &Path, root: &Value) -> Result<Vec<Vec<(f64, f64)>>, BuildError> {
    let err = |location: String, value: &Value, message: &str| BuildError::Parse {
        path: path.to_path_buf(),
        location,
        field: "arcs".into(),
        value: short(value),
        message: message.to_string(),
    };
    let pair = |v: &Value| -> Option<(f64, f64)> {
        let a = v.as_array()?;
        Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?))
    };
    let transform = match root.get("transform") {
        None => None,
        Some(t) => match (pair(&t["scale"]), pair(&t["translate"])) {
            (Some(s), Some(t)) => Some((s, t)),
            _ => {
                return Err(err(
                    "transform".into(),
                    t,
                    "expected scale and translate pairs",
                ))
            }
        },
    };
    let arcs = root["arcs"]
        .as_array()
        .ok_or_else(|| err("arcs".into(), &root["arcs"], "expected an array"))?;
    let mut out = Vec::with_capacity(arcs.len());
    for (i, arc) in arcs.iter().enumerate() {
        let positions = arc
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| err(format!("arcs[{i}]"), arc, "expected a non-empty array"))?;
        let mut points = Vec::with_capacity(positions.len());
        let (mut qx, mut qy) = (0i64, 0i64);
        for (j, pos) in positions.iter().enumerate() {
            let bad = || err(format!("arcs[{i}][{j}]"), pos, "expected a position [x, y]");
            match transform {
                Some(((sx, sy), (tx, ty))) => {
                    let a = pos.as_array().ok_or_else(bad)?;
                    let dx = a.first().and_then(Value::as_i64).ok_or_else(bad)?;
                    let dy = a.get(1).and_then(Value::as_i64).ok_or_else(bad)?;
                    qx += dx;
                    qy += dy;
                    points.push((qx as f64 * sx + tx, qy as f64 * sy + ty));
                }
                None => points.push(pair(pos).ok_or_else(bad)?),
            }
        }
        out.push(points);
    }
    Ok(out)
}

/// A ring's points: its arcs concatenated (a negative index `!i` is arc `i`
/// reversed), each arc after the first without its first point, which must
/// repeat the previous arc's last point. Errors carry the offending value and
/// a message.
fn assemble_ring(
    arcs: &[Vec<(f64, f64)>],
    ring: &Value,
) -> Result<Vec<(f64, f64)>, (String, String)> {
    let indices = ring.as_array().filter(|a| !a.is_empty()).ok_or_else(|| {
        (
            short(ring),
            "expected a non-empty array of arc indices".to_string(),
        )
    })?;
    let mut points: Vec<(f64, f64)> = Vec::new();
    for v in indices {
        let i = v
            .as_i64()
            .ok_or_else(|| (short(v), "expected an arc index".to_string()))?;
        let k = if i < 0 { !i } else { i } as usize;
        let arc = arcs.get(k).ok_or_else(|| {
            (
                i.to_string(),
                format!("arc index out of range (0..{})", arcs.len()),
            )
        })?;
        let arc: Vec<(f64, f64)> = if i < 0 {
            arc.iter().rev().copied().collect()
        } else {
            arc.clone()
        };
        match points.last() {
            None => points.push(arc[0]),
            Some(&last) if last != arc[0] => {
                return Err((
                    i.to_string(),
                    "arc does not start where the last one ends".into(),
                ))
            }
            Some(_) => {}
        }
        points.extend_from_slice(&arc[1..]);
    }
    if points.first() != points.last() {
        return Err((short(ring), "ring is not closed".to_string()));
    }
    Ok(points)
}

/// Signed area (shoelace) and area-weighted centroid of a closed ring.
fn area_centroid(ring: &[(f64, f64)]) -> (f64, (f64, f64)) {
    let (mut a2, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for w in ring.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let cross = x0 * y1 - x1 * y0;
        a2 += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    if a2 == 0.0 {
        return (0.0, ring[0]);
    }
    (a2 / 2.0, (cx / (3.0 * a2), cy / (3.0 * a2)))
}

fn to_tenths(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

/// The ring in tenths, without consecutive repeats or the closing point.
fn round_ring(ring: &[(f64, f64)]) -> Vec<Tenths> {
    let mut out: Vec<Tenths> = Vec::with_capacity(ring.len());
    for &(x, y) in ring {
        let p = (to_tenths(x), to_tenths(y));
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

/// A JSON value for an error message, cut to 60 characters.
fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `d` back to rings of absolute points in tenths.
    fn parse_d(d: &str) -> Vec<Vec<Tenths>> {
        let mut rings = Vec::new();
        for part in d.split('Z').filter(|p| !p.is_empty()) {
            let rest = part.strip_prefix('M').expect("ring starts with M");
            let (start, rel) = rest.split_once('l').expect("ring has l");
            let num = |s: &str| -> i64 {
                assert_eq!(tenths((s.parse::<f64>().unwrap() * 10.0).round() as i64), s);
                (s.parse::<f64>().unwrap() * 10.0).round() as i64
            };
            let start: Vec<i64> = start.split(' ').map(num).collect();
            let mut p = (start[0], start[1]);
            let mut ring = vec![p];
            let deltas: Vec<i64> = rel.split(' ').map(num).collect();
            for c in deltas.chunks(2) {
                p = (p.0 + c[0], p.1 + c[1]);
                ring.push(p);
            }
            rings.push(ring);
        }
        rings
    }

    fn raw_rows() -> Option<(Source, Vec<StatePath>)> {
        let raw = crate::raw_root_for_test("map tests")?;
        Some(state_paths(&raw).unwrap())
    }

    #[test]
    fn tenths_format() {
        assert_eq!(tenths(0), "0");
        assert_eq!(tenths(123), "12.3");
        assert_eq!(tenths(120), "12");
        assert_eq!(tenths(-4), "-0.4");
        assert_eq!(tenths(-40), "-4");
        assert_eq!(tenths(9751), "975.1");
    }

    /// Two unit squares sharing an edge; quantized with scale 10, one arc
    /// used reversed.
    const TOY: &str = r#"{"type":"Topology",
        "transform":{"scale":[10,10],"translate":[100,200]},
        "objects":{"states":{"type":"GeometryCollection","geometries":[
          {"type":"Polygon","arcs":[[0,1]],"id":"06"},
          {"type":"MultiPolygon","arcs":[[[2,-1]]],"id":"04"},
          {"type":"Polygon","arcs":[[3]],"id":"72"}]}},
        "arcs":[[[1,0],[0,1]],
                [[1,1],[-1,0],[0,-1],[1,0]],
                [[1,0],[1,0],[0,1],[-1,0]],
                [[0,0],[1,0],[0,1],[-1,-1]]]}"#;

    #[test]
    fn decodes_a_toy_topology() {
        let rows = parse_states(Path::new("toy.json"), TOY).unwrap();
        assert_eq!(rows.len(), 2, "territory 72 skipped");
        assert_eq!(rows[0].state, State::Az);
        assert_eq!(rows[1].state, State::Ca);
        // CA: (110,200) (110,210) (100,210) (100,200) back to (110,200).
        assert_eq!(rows[1].d(), "M110 200l0 10 -10 0 0 -10Z");
        assert_eq!(rows[1].label, (1050, 2050));
        // AZ: arc 2 then arc 0 reversed.
        assert_eq!(rows[0].d(), "M110 200l10 0 0 10 -10 0Z");
        assert_eq!(rows[0].label, (1150, 2050));
        let text = table_text(&rows);
        assert!(text.starts_with("fips,postal,d,label_x,label_y\n04,AZ,M110 200l10 0"));
        assert!(text.ends_with(",105,205\n"));
    }

    #[test]
    fn toy_errors_name_the_file() {
        let bad_index = TOY.replace("[[0,1]]", "[[0,9]]");
        let e = parse_states(Path::new("toy.json"), &bad_index).unwrap_err();
        assert!(
            e.to_string().contains("toy.json") && e.to_string().contains("out of range"),
            "{e}"
        );
        let outside = TOY.replace("[100,200]", "[2000,200]");
        let e = parse_states(Path::new("toy.json"), &outside).unwrap_err();
        assert!(
            e.to_string().contains("toy.json") && e.to_string().contains("outside"),
            "{e}"
        );
        let e = parse_states(Path::new("toy.json"), "{").unwrap_err();
        assert!(e.to_string().contains("toy.json"), "{e}");
    }

    #[test]
    fn us_atlas_has_51_states_with_paths_and_labels() {
        let Some((source, rows)) = raw_rows() else {
            return;
        };
        assert_eq!(source.files, [STATES_ALBERS_FILE]);
        assert_eq!(rows.len(), 51);
        let order: Vec<State> = rows.iter().map(|r| r.state).collect();
        assert_eq!(order, State::ALL);
        assert!(rows.iter().all(|r| r.d().starts_with('M')));
        let get = |s: State| &rows[s.index()];
        assert!(get(State::Co).d().starts_with('M'));
        assert_eq!(get(State::Co).polygons.len(), 1);
        assert!(get(State::Hi).polygons.len() >= 5);
        let (ca, me) = (get(State::Ca).label, get(State::Me).label);
        assert!(ca.0 < 3250, "CA label {ca:?}");
        assert!(me.0 > 8500, "ME label {me:?}");
        // AK and HI are insets at the bottom left.
        for s in [State::Ak, State::Hi] {
            let (x, y) = get(s).label;
            assert!(x < 3500 && y > 4000, "{s} label {:?}", (x, y));
        }
    }

    #[test]
    fn every_row_round_trips() {
        let Some((_, rows)) = raw_rows() else {
            return;
        };
        let text = table_text(&rows);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            vec!["fips", "postal", "d", "label_x", "label_y"]
        );
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 51);
        for (rec, row) in records.iter().zip(&rows) {
            assert_eq!(State::parse(&rec[0]).unwrap(), row.state);
            assert_eq!(&rec[1], row.state.postal());
            assert_eq!(&rec[2], row.d());
            let rings: Vec<Vec<Tenths>> = row.polygons.iter().flatten().cloned().collect();
            assert_eq!(parse_d(&rec[2]), rings, "{}", row.state);
            assert_eq!(&rec[3], tenths(row.label.0));
            assert_eq!(&rec[4], tenths(row.label.1));
        }
    }
}
