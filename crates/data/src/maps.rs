//! The tables beside the dataset: the county graph (counties with their
//! votes, and their adjacencies) and the web map's state and county
//! outlines. They are read on demand, from the same place and through the
//! same reader as the dataset, so `--data DIR` covers them too.

use std::collections::{HashMap, HashSet};

use fedsplit_core::State;
use serde::Deserialize;

use crate::cells::{self, Count, CountyFips, Decimal, Flag, Postal};
use crate::schema;
use crate::{DataError, Dataset};

/// The election years of the county vote columns, in column order.
pub const COUNTY_VOTE_YEARS: [u16; 3] = [2016, 2020, 2024];

#[derive(Deserialize)]
struct CountyRow {
    fips: CountyFips,
    state: Postal,
    name: String,
    population: Count,
    dem_2016: Count,
    rep_2016: Count,
    total_2016: Count,
    dem_2020: Count,
    rep_2020: Count,
    total_2020: Count,
    dem_2024: Count,
    rep_2024: Count,
    total_2024: Count,
    votes_estimated: Flag,
}

#[derive(Deserialize)]
struct EdgeRow {
    a: String,
    b: String,
}

/// A row of `state_paths.csv` or `county_paths.csv` (the same header).
#[derive(Deserialize)]
struct PathRow {
    fips: String,
    postal: Postal,
    d: String,
    label_x: Decimal,
    label_y: Decimal,
}

/// One county of the contiguous United States.
#[derive(Debug, Clone, PartialEq)]
pub struct County {
    /// Five-digit FIPS code.
    pub fips: String,
    pub state: State,
    pub name: String,
    pub population: u64,
    /// Per year of `COUNTY_VOTE_YEARS`: Democratic, Republican and all votes.
    pub votes: [[u64; 3]; 3],
    /// Some year's votes are an estimate (Connecticut's planning regions).
    pub votes_estimated: bool,
}

/// The counties and their adjacencies (indices into `counties`).
#[derive(Debug, Clone, PartialEq)]
pub struct Counties {
    pub counties: Vec<County>,
    pub edges: Vec<(usize, usize)>,
}

impl Counties {
    /// `counties.csv` and `county_edges.csv` from the dataset's source.
    pub fn load(data: &Dataset) -> Result<Counties, DataError> {
        let nodes = data.source.read(schema::COUNTIES_FILE)?;
        let edges = data.source.read(schema::COUNTY_EDGES_FILE)?;
        Counties::parse(&nodes, &edges, data)
    }

    /// The county tables from their texts; every county's state must be in `data`.
    pub fn parse(
        nodes: &cells::TableText,
        edges: &cells::TableText,
        data: &Dataset,
    ) -> Result<Counties, DataError> {
        let rows = cells::read::<CountyRow>(nodes, schema::COUNTIES_HEADER)?;
        let mut counties = Vec::with_capacity(rows.rows.len());
        let mut index: HashMap<String, usize> = HashMap::new();
        for (line, row) in &rows.rows {
            let fips = &row.fips.0;
            if index.insert(fips.clone(), counties.len()).is_some() {
                return Err(rows.field_error(*line, "fips", fips, "listed twice"));
            }
            let state = row.state.0;
            if data.position(state).is_none() {
                return Err(rows.field_error(
                    *line,
                    "state",
                    state.postal(),
                    "state not in the dataset",
                ));
            }
            let votes = [
                [row.dem_2016.0, row.rep_2016.0, row.total_2016.0],
                [row.dem_2020.0, row.rep_2020.0, row.total_2020.0],
                [row.dem_2024.0, row.rep_2024.0, row.total_2024.0],
            ];
            for (year, [dem, rep, total]) in COUNTY_VOTE_YEARS.iter().zip(votes) {
                if dem as u128 + rep as u128 > total as u128 {
                    return Err(rows.field_error(
                        *line,
                        &format!("total_{year}"),
                        &total.to_string(),
                        "total votes below the two nominees' votes",
                    ));
                }
            }
            counties.push(County {
                fips: fips.clone(),
                state,
                name: row.name.trim().to_string(),
                population: row.population.0,
                votes,
                votes_estimated: row.votes_estimated.0,
            });
        }
        if counties.is_empty() {
            return Err(rows.inconsistent("no counties".into()));
        }

        let rows = cells::read::<EdgeRow>(edges, schema::COUNTY_EDGES_HEADER)?;
        let mut pairs = Vec::with_capacity(rows.rows.len());
        for (line, row) in &rows.rows {
            let node = |field: &str, code: &str| {
                index.get(code.trim()).copied().ok_or_else(|| {
                    rows.field_error(
                        *line,
                        field,
                        code,
                        &format!("no such county in {}", schema::COUNTIES_FILE),
                    )
                })
            };
            let (a, b) = (node("a", &row.a)?, node("b", &row.b)?);
            if a == b {
                return Err(DataError::Row {
                    file: rows.file.clone(),
                    line: *line,
                    message: format!("county {} is joined to itself", counties[a].fips),
                });
            }
            pairs.push((a, b));
        }
        Ok(Counties {
            counties,
            edges: pairs,
        })
    }
}

/// One state's outline on the web map.
#[derive(Debug, Clone, PartialEq)]
pub struct StatePath {
    pub state: State,
    /// SVG path data, projected to the map's canvas.
    pub d: String,
    pub label_x: f64,
    pub label_y: f64,
}

/// The web map's outlines, projected to a `WIDTH × HEIGHT` canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct StatePaths {
    pub paths: Vec<StatePath>,
}

impl StatePaths {
    /// The canvas the paths are projected to (us-atlas Albers USA).
    pub const WIDTH: u32 = 975;
    pub const HEIGHT: u32 = 610;

    /// `state_paths.csv` from the dataset's source.
    pub fn load(data: &Dataset) -> Result<StatePaths, DataError> {
        StatePaths::parse(&data.source.read(schema::STATE_PATHS_FILE)?)
    }

    pub fn parse(table: &cells::TableText) -> Result<StatePaths, DataError> {
        let rows = cells::read::<PathRow>(table, schema::STATE_PATHS_HEADER)?;
        let mut paths: Vec<StatePath> = Vec::with_capacity(rows.rows.len());
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
            if paths.iter().any(|p| p.state == state) {
                return Err(rows.field_error(*line, "postal", state.postal(), "listed twice"));
            }
            if row.d.is_empty() {
                return Err(rows.field_error(*line, "d", "", "empty path"));
            }
            paths.push(StatePath {
                state,
                d: row.d.clone(),
                label_x: row.label_x.0,
                label_y: row.label_y.0,
            });
        }
        Ok(StatePaths { paths })
    }
}

/// One shape of the county view, in the `StatePaths` canvas and format.
#[derive(Debug, Clone, PartialEq)]
pub struct CountyPath {
    /// A county's five-digit FIPS code; or a state's two-digit one when the
    /// state is drawn whole because its counties have no outline of their
    /// own (Connecticut: its planning regions are younger than the map's
    /// 2017 geometry).
    pub fips: String,
    pub state: State,
    /// SVG path data: absolute `M x y`, relative `l dx dy …`, `Z` per ring.
    /// Empty for a county whose outline has no area at the map's precision
    /// (the label point is then where it lies); never for a state.
    pub d: String,
    pub label_x: f64,
    pub label_y: f64,
}

impl CountyPath {
    /// A whole state's shape, standing in for counties without outlines.
    pub fn is_state(&self) -> bool {
        self.fips.len() == 2
    }
}

/// The county view's shapes, read against the county graph's counties.
#[derive(Debug, Clone, PartialEq)]
pub struct CountyPaths {
    pub paths: Vec<CountyPath>,
    /// For each county of the `Counties` read against (same order), the
    /// index in `paths` of the shape that draws it: its own row, or its
    /// state's whole row when it has no outline of its own.
    pub shape_of: Vec<usize>,
}

impl CountyPaths {
    /// `county_paths.csv` from the dataset's source, read against `counties`.
    pub fn load(data: &Dataset, counties: &Counties) -> Result<CountyPaths, DataError> {
        CountyPaths::parse(&data.source.read(schema::COUNTY_PATHS_FILE)?, counties)
    }

    /// Checks, besides the cells: a FIPS code is a county's (five digits)
    /// or a state's (two), of the row's state, listed once; a county row
    /// names a county of `counties`; the path data is `M`, `l` and `Z`
    /// commands and numbers, empty only for a county; every county has a
    /// row or its state one; a state's row stands in for some county.
    pub fn parse(table: &cells::TableText, counties: &Counties) -> Result<CountyPaths, DataError> {
        let rows = cells::read::<PathRow>(table, schema::COUNTY_PATHS_HEADER)?;
        let index: HashMap<&str, usize> = counties
            .counties
            .iter()
            .enumerate()
            .map(|(i, c)| (c.fips.as_str(), i))
            .collect();
        let mut paths: Vec<CountyPath> = Vec::with_capacity(rows.rows.len());
        let mut shape_of: Vec<Option<usize>> = vec![None; counties.counties.len()];
        let mut whole: HashMap<State, (u64, usize)> = HashMap::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (line, row) in &rows.rows {
            let (fips, state) = (row.fips.as_str(), row.postal.0);
            let bad = |field: &str, value: &str, message: &str| {
                rows.field_error(*line, field, value, message)
            };
            if !matches!(fips.len(), 2 | 5) || !fips.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(
                    "fips",
                    fips,
                    "not a five-digit county or two-digit state FIPS code",
                ));
            }
            if &fips[..2] != state.fips() {
                return Err(bad(
                    "fips",
                    fips,
                    &format!("FIPS codes of {} start {}", state.postal(), state.fips()),
                ));
            }
            if !seen.insert(fips) {
                return Err(bad("fips", fips, "listed twice"));
            }
            if let Err(message) = check_path_data(&row.d, fips.len() == 2) {
                return Err(bad("d", &row.d, &message));
            }
            if fips.len() == 2 {
                whole.insert(state, (*line, paths.len()));
            } else {
                let Some(&i) = index.get(fips) else {
                    return Err(bad(
                        "fips",
                        fips,
                        &format!("no such county in {}", schema::COUNTIES_FILE),
                    ));
                };
                shape_of[i] = Some(paths.len());
            }
            paths.push(CountyPath {
                fips: fips.to_string(),
                state,
                d: row.d.clone(),
                label_x: row.label_x.0,
                label_y: row.label_y.0,
            });
        }
        let mut stands_in: HashSet<State> = HashSet::new();
        let shape_of = shape_of
            .into_iter()
            .zip(&counties.counties)
            .map(|(own, county)| match (own, whole.get(&county.state)) {
                (Some(p), _) => Ok(p),
                (None, Some(&(_, p))) => {
                    stands_in.insert(county.state);
                    Ok(p)
                }
                (None, None) => Err(rows.inconsistent(format!(
                    "county {} ({}) of {} has no row, and {} is not drawn whole",
                    county.fips,
                    county.state.postal(),
                    schema::COUNTIES_FILE,
                    county.state.postal()
                ))),
            })
            .collect::<Result<Vec<usize>, DataError>>()?;
        if let Some((state, (line, _))) = whole
            .iter()
            .filter(|(s, _)| !stands_in.contains(s))
            .min_by_key(|(_, (line, _))| *line)
        {
            return Err(rows.field_error(
                *line,
                "fips",
                state.fips(),
                &format!(
                    "{} is drawn whole, but every county of it has its own row",
                    state.postal()
                ),
            ));
        }
        Ok(CountyPaths { paths, shape_of })
    }
}

/// Path data as the builder writes it: rings of `M x y`, `l` and relative
/// pairs, `Z`; nothing else, so that the page can put it into the DOM as is.
/// Empty is allowed unless `required`.
fn check_path_data(d: &str, required: bool) -> Result<(), String> {
    if d.is_empty() {
        return if required {
            Err("empty path".into())
        } else {
            Ok(())
        };
    }
    let allowed = |b: u8| b.is_ascii_digit() || b" .-MlZ".contains(&b);
    if !d.starts_with('M') || !d.ends_with('Z') || !d.bytes().all(allowed) {
        return Err("not path data of M, l and Z commands".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TableText;

    fn text(label: &str, text: &str) -> TableText {
        TableText {
            label: label.into(),
            text: text.into(),
        }
    }

    const NODES: &str = "fips,state,name,population,dem_2016,rep_2016,total_2016,dem_2020,rep_2020,total_2020,dem_2024,rep_2024,total_2024,votes_estimated\n\
        01001,AL,Autauga County,300,10,20,35,11,21,34,12,22,36,0\n\
        01003,AL,Baldwin County,100,1,2,3,1,2,3,1,2,3,1\n";

    #[test]
    fn embedded_tables_load() {
        let data = Dataset::embedded().unwrap();
        let counties = data.counties().unwrap();
        assert_eq!(counties.counties.len(), 3_109);
        assert_eq!(counties.edges.len(), 9_231);
        let paths = data.state_paths().unwrap();
        assert_eq!(paths.paths.len(), 51);
        let shapes = data.county_paths(&counties).unwrap();
        assert_eq!(shapes.paths.len(), 3_101);
        assert_eq!(shapes.shape_of.len(), 3_109);
    }

    /// Graph units the map geometry (us-atlas 2017) has no outline for:
    /// Connecticut's planning regions, drawn as the whole state "09"
    /// (county_paths manifest row `fips,postal`).
    const NO_GEOMETRY: [&str; 9] = [
        "09110", "09120", "09130", "09140", "09150", "09160", "09170", "09180", "09190",
    ];
    /// Counties the atlas reduces to a segment or a point: a row with an
    /// empty path and a label (manifest row `d,label_x,label_y`).
    const POINTS: [&str; 3] = ["51610", "51678", "51685"];

    #[test]
    fn every_graph_county_has_a_path_or_is_listed_without_geometry() {
        let data = Dataset::embedded().unwrap();
        let counties = data.counties().unwrap();
        let shapes = data.county_paths(&counties).unwrap();
        let mut without = Vec::new();
        for (county, &p) in counties.counties.iter().zip(&shapes.shape_of) {
            assert!(!matches!(county.state, State::Ak | State::Hi));
            let shape = &shapes.paths[p];
            if shape.fips == county.fips {
                assert_eq!(
                    shape.d.is_empty(),
                    POINTS.contains(&county.fips.as_str()),
                    "{}",
                    county.fips
                );
            } else {
                assert_eq!((shape.fips.as_str(), shape.state), ("09", State::Ct));
                without.push(county.fips.as_str());
            }
        }
        assert_eq!(without, NO_GEOMETRY);
        // And every row names a county of the table, or is Connecticut's.
        for shape in &shapes.paths {
            let named = counties.counties.iter().any(|c| c.fips == shape.fips);
            assert!(named || shape.fips == "09", "{}", shape.fips);
        }
    }

    /// The box (min x, min y, max x, max y) of path data, read on its own:
    /// each ring's absolute start, then the relative moves summed.
    fn bbox(d: &str) -> [f64; 4] {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for ring in d.split('Z').filter(|r| !r.is_empty()) {
            let (start, moves) = ring[1..].split_once('l').unwrap();
            let num = |t: &str| t.parse::<f64>().unwrap();
            let start: Vec<f64> = start.split(' ').map(num).collect();
            let (mut x, mut y) = (start[0], start[1]);
            let moves: Vec<f64> = moves.split(' ').map(num).collect();
            for step in std::iter::once([0.0, 0.0]).chain(moves.chunks(2).map(|c| [c[0], c[1]])) {
                (x, y) = (x + step[0], y + step[1]);
                b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            }
        }
        b
    }

    #[test]
    fn county_outlines_lie_within_their_states() {
        let data = Dataset::embedded().unwrap();
        let states = data.state_paths().unwrap();
        let counties = data.counties().unwrap();
        let shapes = data.county_paths(&counties).unwrap();
        let state_box = |s: State| bbox(&states.paths.iter().find(|p| p.state == s).unwrap().d);
        // The states file is simplified further than the counties file:
        // borders differ by up to about 0.6 unit.
        let within = |inner: [f64; 4], outer: [f64; 4]| {
            inner[0] >= outer[0] - 1.0
                && inner[1] >= outer[1] - 1.0
                && inner[2] <= outer[2] + 1.0
                && inner[3] <= outer[3] + 1.0
        };
        // Large, small, island and enclave counties, and Connecticut whole.
        for fips in [
            "06037", "48201", "36061", "11001", "51683", "25019", "26083", "12087", "09",
        ] {
            let shape = shapes.paths.iter().find(|p| p.fips == fips).unwrap();
            let (inner, outer) = (bbox(&shape.d), state_box(shape.state));
            assert!(within(inner, outer), "{fips} {inner:?} outside {outer:?}");
        }
        let ct = bbox(&shapes.paths.iter().find(|p| p.fips == "09").unwrap().d);
        let ct_state = state_box(State::Ct);
        for i in 0..4 {
            assert!((ct[i] - ct_state[i]).abs() <= 1.0, "{ct:?} vs {ct_state:?}");
        }
        // Every shape, and the labels of those without a path.
        for shape in &shapes.paths {
            let outer = state_box(shape.state);
            let inner = if shape.d.is_empty() {
                [shape.label_x, shape.label_y, shape.label_x, shape.label_y]
            } else {
                bbox(&shape.d)
            };
            assert!(
                within(inner, outer),
                "{} {inner:?} outside {outer:?}",
                shape.fips
            );
        }
    }

    #[test]
    fn bad_county_rows_name_file_line_field_and_value() {
        let data = Dataset::embedded().unwrap();
        let edges = text("county_edges.csv", "a,b\n01001,01003\n");
        let ok = Counties::parse(&text("counties.csv", NODES), &edges, &data).unwrap();
        assert_eq!(ok.counties[1].votes[2], [1, 2, 3]);
        assert!(ok.counties[1].votes_estimated);
        assert_eq!(ok.edges, vec![(0, 1)]);

        let bad = NODES.replace("Baldwin County,100", "Baldwin County,-5");
        let e = Counties::parse(&text("counties.csv", &bad), &edges, &data).unwrap_err();
        assert_eq!(
            e.to_string(),
            "counties.csv:3: field population: negative value (value \"-5\")"
        );
        let bad = NODES.replace("1,2,3,1\n", "1,2,2,1\n");
        let e = Counties::parse(&text("counties.csv", &bad), &edges, &data).unwrap_err();
        assert_eq!(
            e.to_string(),
            "counties.csv:3: field total_2024: total votes below the two nominees' votes (value \"2\")"
        );
        let e = Counties::parse(
            &text("counties.csv", NODES),
            &text("county_edges.csv", "a,b\n01001,99999\n"),
            &data,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "county_edges.csv:2: field b: no such county in counties.csv (value \"99999\")"
        );
        let e = Counties::parse(
            &text("counties.csv", NODES),
            &text("county_edges.csv", "a,b\n01001,01001\n"),
            &data,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "county_edges.csv:2: county 01001 is joined to itself"
        );
    }

    const SHAPES: &str = "fips,postal,d,label_x,label_y\n\
        01001,AL,M1 2l3 0 0 4Z,2.5,4\n\
        01003,AL,,7,8\n";

    fn shapes(text_: &str) -> Result<CountyPaths, DataError> {
        let data = Dataset::embedded().unwrap();
        let edges = text("county_edges.csv", "a,b\n");
        let counties = Counties::parse(&text("counties.csv", NODES), &edges, &data).unwrap();
        CountyPaths::parse(&text("county_paths.csv", text_), &counties)
    }

    #[test]
    fn bad_county_path_rows_name_file_line_field_and_value() {
        let ok = shapes(SHAPES).unwrap();
        assert_eq!(ok.shape_of, [0, 1]);
        assert_eq!(ok.paths[1].d, "");
        assert_eq!((ok.paths[1].label_x, ok.paths[1].label_y), (7.0, 8.0));
        let whole = shapes("fips,postal,d,label_x,label_y\n01,AL,M1 2l3 0 0 4Z,2,3\n").unwrap();
        assert_eq!(whole.shape_of, [0, 0]);
        assert!(whole.paths[0].is_state());

        let error = |text: &str| shapes(text).unwrap_err().to_string();
        assert_eq!(
            error(&SHAPES.replace("fips,postal", "fips,state")),
            "county_paths.csv:1: header is \"fips,state,d,label_x,label_y\", expected \"fips,postal,d,label_x,label_y\""
        );
        assert_eq!(
            error(&SHAPES.replace("01003,", "0103,")),
            "county_paths.csv:3: field fips: not a five-digit county or two-digit state FIPS code (value \"0103\")"
        );
        assert_eq!(
            error(&SHAPES.replace("01003,AL", "01003,AK")),
            "county_paths.csv:3: field fips: FIPS codes of AK start 02 (value \"01003\")"
        );
        assert_eq!(
            error(&SHAPES.replace("01003,", "01005,")),
            "county_paths.csv:3: field fips: no such county in counties.csv (value \"01005\")"
        );
        assert_eq!(
            error(&SHAPES.replace("01003,", "01001,")),
            "county_paths.csv:3: field fips: listed twice (value \"01001\")"
        );
        assert_eq!(
            error(&SHAPES.replace("M1 2l3 0 0 4Z", "M1 2<script>Z")),
            "county_paths.csv:2: field d: not path data of M, l and Z commands (value \"M1 2<script>Z\")"
        );
        assert_eq!(
            error(&SHAPES.replace(",7,8", ",7,south")),
            "county_paths.csv:3: field label_y: not a number (value \"south\")"
        );
        assert_eq!(
            error("fips,postal,d,label_x,label_y\n01,AL,,2,3\n"),
            "county_paths.csv:2: field d: empty path (value \"\")"
        );
        assert_eq!(
            error(&SHAPES.replace("01003,AL,,7,8\n", "")),
            "county_paths.csv: county 01003 (AL) of counties.csv has no row, and AL is not drawn whole"
        );
        assert_eq!(
            error(&format!("{SHAPES}01,AL,M0 0l1 0 0 1Z,0,0\n")),
            "county_paths.csv:4: field fips: AL is drawn whole, but every county of it has its own row (value \"01\")"
        );
    }

    #[test]
    fn bad_map_rows_are_refused() {
        let e = StatePaths::parse(&text(
            "state_paths.csv",
            "fips,postal,d,label_x,label_y\n02,AL,M0 0Z,1,2\n",
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "state_paths.csv:2: field fips: FIPS code of AL is 01 (value \"02\")"
        );
        let e = StatePaths::parse(&text(
            "state_paths.csv",
            "fips,postal,d,label_x,label_y\n01,AL,M0 0Z,x,2\n",
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "state_paths.csv:2: field label_x: not a number (value \"x\")"
        );
    }
}
