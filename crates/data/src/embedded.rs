//! Where tables come from: the data embedded in the binary (a folder per
//! fiscal year beside the tables every year shares), a directory given with
//! `--data` (the same layout, or one year's tables side by side), or texts in
//! memory.

use std::path::{Path, PathBuf};

use crate::cells::TableText;
use crate::schema;
use crate::DataError;

/// Declares the embedded years: each year's `YEAR_FILES`, compiled in.
macro_rules! embedded_years {
    ($( $year:literal ),+ $(,)?) => {
        /// The fiscal years embedded in the binary, ascending.
        pub const EMBEDDED_YEARS: &[u16] = &[ $( $year ),+ ];

        /// The embedded text of a year's table.
        fn year_table(year: u16, name: &str) -> Option<&'static str> {
            match year {
                $( $year => match name {
                    schema::DATASET_FILE => Some(include_str!(concat!("../../../data/fy", stringify!($year), "/dataset.csv"))),
                    schema::STATES_FILE => Some(include_str!(concat!("../../../data/fy", stringify!($year), "/states.csv"))),
                    schema::RECEIPT_KEYS_FILE => Some(include_str!(concat!("../../../data/fy", stringify!($year), "/receipt_keys.csv"))),
                    schema::SPENDING_FILE => Some(include_str!(concat!("../../../data/fy", stringify!($year), "/spending.csv"))),
                    schema::CONTROLS_FILE => Some(include_str!(concat!("../../../data/fy", stringify!($year), "/controls.csv"))),
                    schema::INCOME_CLASSES_FILE => Some(include_str!(concat!("../../../data/fy", stringify!($year), "/income_classes.csv"))),
                    schema::MANIFEST_FILE => Some(include_str!(concat!("../../../data/fy", stringify!($year), "/manifest.csv"))),
                    _ => None,
                }, )+
                _ => None,
            }
        }
    };
}

embedded_years!(2019, 2022, 2023, 2024);

/// The tables every year shares, embedded: borders and elections (part of
/// every dataset), and the county and map tables (read on demand).
const SHARED: [(&str, &str); 2] = [
    (
        schema::BORDERS_FILE,
        include_str!("../../../data/borders.csv"),
    ),
    (
        schema::ELECTIONS_FILE,
        include_str!("../../../data/elections.csv"),
    ),
];

/// The county and map tables, embedded beside the datasets. They load on
/// demand (`Dataset::counties`, `Dataset::state_paths`,
/// `Dataset::county_paths`) through the same reader, from the same place as
/// the dataset.
pub const EMBEDDED_MAPS: [(&str, &str); 4] = [
    (
        schema::COUNTIES_FILE,
        include_str!("../../../data/counties.csv"),
    ),
    (
        schema::COUNTY_EDGES_FILE,
        include_str!("../../../data/county_edges.csv"),
    ),
    (
        schema::STATE_PATHS_FILE,
        include_str!("../../../data/state_paths.csv"),
    ),
    (
        schema::COUNTY_PATHS_FILE,
        include_str!("../../../data/county_paths.csv"),
    ),
];

/// Where a dataset's tables come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Compiled into the binary from `data/`: fiscal year `year`.
    Embedded { year: u16 },
    /// A directory given with `--data`. With `year`, laid out like `data/`
    /// (the year's tables in `fyYYYY/`, the shared ones beside); without, one
    /// year's tables side by side.
    Dir { dir: PathBuf, year: Option<u16> },
    /// Texts handed over in memory (tests, fuzzing): (file name, text).
    Memory {
        label: String,
        files: Vec<(String, String)>,
    },
}

fn is_year_file(name: &str) -> bool {
    schema::YEAR_FILES.contains(&name)
}

/// The `fyYYYY` folders of `dir`, ascending.
fn year_dirs(dir: &Path) -> Vec<u16> {
    let mut years: Vec<u16> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().join(schema::DATASET_FILE).is_file())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("fy")?.parse::<u16>().ok()
        })
        .collect();
    years.sort_unstable();
    years
}

fn no_year(origin: String, year: u16, years: &[u16]) -> DataError {
    DataError::NoYear {
        origin,
        year,
        available: years
            .iter()
            .map(|y| format!("FY{y}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

impl Source {
    /// The source of fiscal year `year` (the latest available when `None`)
    /// in `dir`, or in the embedded data.
    pub fn find(dir: Option<&Path>, year: Option<u16>) -> Result<Source, DataError> {
        let years = Source::years(dir)?;
        let Some(dir) = dir else {
            let year = year.unwrap_or(*EMBEDDED_YEARS.last().expect("a year is embedded"));
            return if EMBEDDED_YEARS.contains(&year) {
                Ok(Source::Embedded { year })
            } else {
                Err(no_year("the embedded data".into(), year, EMBEDDED_YEARS))
            };
        };
        if year_dirs(dir).is_empty() {
            // One year's tables: the year is the one its dataset.csv says,
            // checked once loaded (`Dataset::open` compares it with `year`).
            return match year {
                Some(y) if years.first().is_some_and(|found| *found != y) => {
                    Err(no_year(dir.display().to_string(), y, &years))
                }
                _ => Ok(Source::Dir {
                    dir: dir.to_path_buf(),
                    year: None,
                }),
            };
        }
        let year = year.unwrap_or(*years.last().expect("year folders exist"));
        if years.contains(&year) {
            Ok(Source::Dir {
                dir: dir.to_path_buf(),
                year: Some(year),
            })
        } else {
            Err(no_year(dir.display().to_string(), year, &years))
        }
    }

    /// Every fiscal year of `dir` (or of the embedded data), ascending.
    pub fn years(dir: Option<&Path>) -> Result<Vec<u16>, DataError> {
        let Some(dir) = dir else {
            return Ok(EMBEDDED_YEARS.to_vec());
        };
        let years = year_dirs(dir);
        if !years.is_empty() {
            return Ok(years);
        }
        // One year's tables: read its dataset.csv for the year.
        let flat = Source::Dir {
            dir: dir.to_path_buf(),
            year: None,
        };
        let table = flat.read(schema::DATASET_FILE)?;
        Ok(vec![crate::load::fiscal_year(&table)?])
    }

    /// The fiscal year the layout promises (`None` for one year's tables,
    /// whose dataset.csv alone says it).
    pub fn year(&self) -> Option<u16> {
        match self {
            Source::Embedded { year } => Some(*year),
            Source::Dir { year, .. } => *year,
            Source::Memory { .. } => None,
        }
    }

    /// The text of table `name`, labelled for error messages.
    pub fn read(&self, name: &str) -> Result<TableText, DataError> {
        match self {
            Source::Embedded { year } => {
                let (label, text) = if is_year_file(name) {
                    (
                        format!("data/{}/{name} (embedded)", schema::year_dir(*year)),
                        year_table(*year, name),
                    )
                } else {
                    (
                        format!("data/{name} (embedded)"),
                        SHARED
                            .iter()
                            .chain(&EMBEDDED_MAPS)
                            .find(|(n, _)| *n == name)
                            .map(|(_, t)| *t),
                    )
                };
                match text {
                    Some(text) => Ok(TableText {
                        label,
                        text: text.to_string(),
                    }),
                    None => Err(DataError::Unreadable {
                        file: label,
                        message: "not embedded".into(),
                    }),
                }
            }
            Source::Dir { dir, year } => {
                let path = match year {
                    Some(y) if is_year_file(name) => dir.join(schema::year_dir(*y)).join(name),
                    _ => dir.join(name),
                };
                let label = path.display().to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| DataError::Unreadable {
                    file: label.clone(),
                    message: e.to_string(),
                })?;
                Ok(TableText { label, text })
            }
            Source::Memory { label, files } => {
                let file = format!("{label}/{name}");
                files
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, t)| TableText {
                        label: file.clone(),
                        text: t.clone(),
                    })
                    .ok_or(DataError::Unreadable {
                        file,
                        message: "missing".into(),
                    })
            }
        }
    }

    /// How outputs name the source: "embedded", the directory, or the label.
    pub fn origin(&self) -> String {
        match self {
            Source::Embedded { .. } => "embedded".into(),
            Source::Dir { dir, .. } => dir.display().to_string(),
            Source::Memory { label, .. } => label.clone(),
        }
    }
}
