//! Outlines for the web map, decoded from the us-atlas TopoJSON files: SVG
//! paths in their pre-projected Albers USA frame (975×610, Alaska and Hawaii
//! as insets at the bottom left). This module reads a topology and writes
//! the state outlines; `county_map` writes the county outlines in the same
//! frame and format.
//!
//! Coordinates are rounded to tenths of a unit and kept as integers of
//! tenths, so the text is byte-stable. A number is written with one decimal,
//! or none when the tenths digit is 0 (`12.3`, `12`, `-0.4`). Each ring is
//! `M x y` followed by relative `l dx dy dx dy …` (the deltas between the
//! rounded points, so no error accumulates) and `Z`; consecutive points that
//! round to the same place are dropped, as is the closing point, and a ring
//! left with fewer than three points is dropped (in the states file only
//! one: a zero-area sliver of Delaware made of two identical arcs).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use fedsplit_core::{State, STATE_COUNT};
use serde_json::Value;

use crate::{BuildError, Source};

pub const STATES_ALBERS_FILE: &str = "us-atlas/states-albers-10m.json";

/// The publisher of every us-atlas outline, with the copyright notice its
/// ISC licence asks to keep with copies.
pub const US_ATLAS: &str = "us-atlas 3.0.1 (Copyright 2013-2019 Michael Bostock, ISC licence), from U.S. Census Bureau cartographic boundary files";

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

/// One geometry, rounded: what a row of a map table is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Polygons, each a list of rings (outer first), each ring a list of
    /// distinct consecutive points in tenths, not closed. Empty when every
    /// outer ring collapses at this precision (a county the atlas reduces
    /// to a segment or a point); a state's never is.
    pub polygons: Vec<Vec<Vec<Tenths>>>,
    /// Area-weighted centroid of the largest polygon's outer ring (before
    /// rounding; the mean of its points when no outer ring has an area), in
    /// tenths.
    pub label: Tenths,
}

impl Shape {
    /// The SVG path data (see the module notes for the format); empty when
    /// there are no polygons.
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

/// One state's outline and label point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatePath {
    pub state: State,
    pub shape: Shape,
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
    let topology = Topology::read(raw, STATES_ALBERS_FILE)?;
    let rows = parse_states(&topology)?;
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
        publisher: US_ATLAS,
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
            r.shape.d(),
            tenths(r.shape.label.0),
            tenths(r.shape.label.1)
        )
        .unwrap();
    }
    text
}

/// Decodes the `states` object of a topology: the states found, in
/// `State::ALL` order (not checked for completeness).
pub fn parse_states(topology: &Topology) -> Result<Vec<StatePath>, BuildError> {
    let mut found: Vec<Option<StatePath>> = vec![None; STATE_COUNT];
    for (g, geometry) in topology.geometries("states")?.iter().enumerate() {
        let loc = format!("objects.states.geometries[{g}]");
        let id = topology.id(&loc, geometry)?;
        let Some(state) = State::ALL.into_iter().find(|s| s.fips() == id) else {
            continue; // a territory
        };
        if found[state.index()].is_some() {
            return Err(topology.error(&loc, "id", &id, "state appears twice"));
        }
        let shape = topology.shape(&loc, state.postal(), geometry)?;
        if shape.polygons.is_empty() {
            return Err(BuildError::Check(format!(
                "{}: {loc} ({state}): empty path",
                topology.path.display()
            )));
        }
        found[state.index()] = Some(StatePath { state, shape });
    }
    Ok(found.into_iter().flatten().collect())
}

/// A TopoJSON topology: its JSON, and its arcs as absolute coordinates.
pub struct Topology {
    /// The file, for error messages.
    pub path: PathBuf,
    root: Value,
    arcs: Vec<Vec<(f64, f64)>>,
}

impl Topology {
    /// Reads `file` (relative to the raw root).
    pub fn read(raw: &Path, file: &str) -> Result<Topology, BuildError> {
        let path = raw.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| BuildError::Io {
            path: path.clone(),
            source: e,
        })?;
        Topology::parse(&path, &text)
    }

    /// Parses the text of a topology read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Topology, BuildError> {
        let root: Value = serde_json::from_str(text).map_err(|e| BuildError::Parse {
            path: path.to_path_buf(),
            location: format!("{}:{}", e.line(), e.column()),
            field: "json".into(),
            value: String::new(),
            message: e.to_string(),
        })?;
        if root.get("type").and_then(Value::as_str) != Some("Topology") {
            return Err(BuildError::Parse {
                path: path.to_path_buf(),
                location: "type".into(),
                field: "type".into(),
                value: short(&root["type"]),
                message: "not a TopoJSON Topology".into(),
            });
        }
        let arcs = decode_arcs(path, &root)?;
        Ok(Topology {
            path: path.to_path_buf(),
            root,
            arcs,
        })
    }

    /// An error about `field` of the value at `location`.
    pub fn error(&self, location: &str, field: &str, value: &str, message: &str) -> BuildError {
        BuildError::Parse {
            path: self.path.clone(),
            location: location.to_string(),
            field: field.to_string(),
            value: value.to_string(),
            message: message.to_string(),
        }
    }

    /// The geometries of object `name` (`objects.<name>.geometries`).
    pub fn geometries(&self, name: &str) -> Result<&[Value], BuildError> {
        self.root
            .pointer(&format!("/objects/{name}/geometries"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .ok_or_else(|| BuildError::Missing {
                path: self.path.clone(),
                what: format!("objects.{name}.geometries"),
            })
    }

    /// A geometry's `id`: a FIPS code, as a string.
    pub fn id(&self, location: &str, geometry: &Value) -> Result<String, BuildError> {
        match &geometry["id"] {
            Value::String(s) => Ok(s.clone()),
            other => Err(self.error(location, "id", &short(other), "expected a FIPS string")),
        }
    }

    /// A geometry's rings as arc lists, by polygon.
    fn polygon_arcs<'g>(
        &self,
        location: &str,
        what: &str,
        geometry: &'g Value,
    ) -> Result<Vec<&'g Vec<Value>>, BuildError> {
        let polygons: Vec<&Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["arcs"]],
            Some("MultiPolygon") => match geometry["arcs"].as_array() {
                Some(polys) => polys.iter().collect(),
                None => {
                    return Err(self.error(
                        location,
                        "arcs",
                        &short(&geometry["arcs"]),
                        "expected an array",
                    ))
                }
            },
            _ => {
                return Err(self.error(
                    location,
                    "type",
                    &short(&geometry["type"]),
                    &format!("{what}: expected Polygon or MultiPolygon"),
                ))
            }
        };
        polygons
            .into_iter()
            .enumerate()
            .map(|(p, rings)| {
                rings.as_array().ok_or_else(|| {
                    self.error(
                        location,
                        &format!("arcs[{p}]"),
                        &short(rings),
                        "expected an array of rings",
                    )
                })
            })
            .collect()
    }

    /// The indices of the arcs a geometry's rings use, direction ignored,
    /// ascending, each once per use.
    pub fn arc_uses(
        &self,
        location: &str,
        what: &str,
        geometry: &Value,
    ) -> Result<Vec<usize>, BuildError> {
        let mut uses = Vec::new();
        for (p, rings) in self
            .polygon_arcs(location, what, geometry)?
            .into_iter()
            .enumerate()
        {
            for (r, ring) in rings.iter().enumerate() {
                let field = format!("arcs[{p}][{r}]");
                let indices = ring.as_array().ok_or_else(|| {
                    self.error(
                        location,
                        &field,
                        &short(ring),
                        "expected an array of arc indices",
                    )
                })?;
                for v in indices {
                    let i = v.as_i64().ok_or_else(|| {
                        self.error(location, &field, &short(v), "expected an arc index")
                    })?;
                    uses.push(if i < 0 { !i } else { i } as usize);
                }
            }
        }
        uses.sort_unstable();
        Ok(uses)
    }

    /// A geometry's outline rounded to tenths, and its label point. `what`
    /// names the geometry in messages. Fails when a ring is open or leaves
    /// the viewport, or when there is no polygon.
    pub fn shape(&self, location: &str, what: &str, geometry: &Value) -> Result<Shape, BuildError> {
        let mut polygons = Vec::new();
        let mut largest: Option<(f64, (f64, f64))> = None;
        for (p, rings) in self
            .polygon_arcs(location, what, geometry)?
            .into_iter()
            .enumerate()
        {
            let mut out_rings = Vec::new();
            for (r, ring) in rings.iter().enumerate() {
                let field = format!("arcs[{p}][{r}]");
                let points = assemble_ring(&self.arcs, ring)
                    .map_err(|(value, message)| self.error(location, &field, &value, &message))?;
                if let Some(&(x, y)) = points.iter().find(|(x, y)| {
                    !(X_MIN..=VIEW_WIDTH + MARGIN).contains(x)
                        || !(-MARGIN..=VIEW_HEIGHT + MARGIN).contains(y)
                }) {
                    return Err(BuildError::Check(format!(
                        "{}: {location} ({what}) {field}: point ({x}, {y}) outside the {VIEW_WIDTH}×{VIEW_HEIGHT} viewport",
                        self.path.display()
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
        match largest {
            Some((_, (cx, cy))) => Ok(Shape {
                polygons,
                label: (to_tenths(cx), to_tenths(cy)),
            }),
            None => Err(BuildError::Check(format!(
                "{}: {location} ({what}): no polygon",
                self.path.display()
            ))),
        }
    }
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

/// Signed area (shoelace) and area-weighted centroid of a closed ring; for
/// a ring without area (a segment or a point), 0 and the mean of its points
/// but the closing one.
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
        let open = &ring[..ring.len().max(2) - 1];
        let n = open.len() as f64;
        let (sx, sy) = open
            .iter()
            .fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x, sy + y));
        return (0.0, (sx / n, sy / n));
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
pub(crate) mod tests {
    use super::*;

    /// Reads `d` back to rings of absolute points in tenths.
    pub(crate) fn parse_d(d: &str) -> Vec<Vec<Tenths>> {
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

    fn toy_states(text: &str) -> Result<Vec<StatePath>, BuildError> {
        parse_states(&Topology::parse(Path::new("toy.json"), text)?)
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
        let rows = toy_states(TOY).unwrap();
        assert_eq!(rows.len(), 2, "territory 72 skipped");
        assert_eq!(rows[0].state, State::Az);
        assert_eq!(rows[1].state, State::Ca);
        // CA: (110,200) (110,210) (100,210) (100,200) back to (110,200).
        assert_eq!(rows[1].shape.d(), "M110 200l0 10 -10 0 0 -10Z");
        assert_eq!(rows[1].shape.label, (1050, 2050));
        // AZ: arc 2 then arc 0 reversed.
        assert_eq!(rows[0].shape.d(), "M110 200l10 0 0 10 -10 0Z");
        assert_eq!(rows[0].shape.label, (1150, 2050));
        let text = table_text(&rows);
        assert!(text.starts_with("fips,postal,d,label_x,label_y\n04,AZ,M110 200l10 0"));
        assert!(text.ends_with(",105,205\n"));
    }

    #[test]
    fn toy_errors_name_the_file() {
        let bad_index = TOY.replace("[[0,1]]", "[[0,9]]");
        let e = toy_states(&bad_index).unwrap_err();
        assert!(
            e.to_string().contains("toy.json") && e.to_string().contains("out of range"),
            "{e}"
        );
        let outside = TOY.replace("[100,200]", "[2000,200]");
        let e = toy_states(&outside).unwrap_err();
        assert!(
            e.to_string().contains("toy.json") && e.to_string().contains("outside"),
            "{e}"
        );
        let e = toy_states("{").unwrap_err();
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
        assert!(rows.iter().all(|r| r.shape.d().starts_with('M')));
        let get = |s: State| &rows[s.index()];
        assert!(get(State::Co).shape.d().starts_with('M'));
        assert_eq!(get(State::Co).shape.polygons.len(), 1);
        assert!(get(State::Hi).shape.polygons.len() >= 5);
        let (ca, me) = (get(State::Ca).shape.label, get(State::Me).shape.label);
        assert!(ca.0 < 3250, "CA label {ca:?}");
        assert!(me.0 > 8500, "ME label {me:?}");
        // AK and HI are insets at the bottom left.
        for s in [State::Ak, State::Hi] {
            let (x, y) = get(s).shape.label;
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
            assert_eq!(&rec[2], row.shape.d());
            let rings: Vec<Vec<Tenths>> = row.shape.polygons.iter().flatten().cloned().collect();
            assert_eq!(parse_d(&rec[2]), rings, "{}", row.state);
            assert_eq!(&rec[3], tenths(row.shape.label.0));
            assert_eq!(&rec[4], tenths(row.shape.label.1));
        }
    }
}
