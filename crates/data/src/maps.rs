//! The tables beside the dataset: the county graph (counties with their
//! votes, and their adjacencies) and the web map's state outlines. They are
//! read on demand, from the same place and through the same reader as the
//! dataset, so `--data DIR` covers them too.

use std::collections::HashMap;

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

#[derive(Deserialize)]
struct StatePathRow {
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
        let rows = cells::read::<StatePathRow>(table, schema::STATE_PATHS_HEADER)?;
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
