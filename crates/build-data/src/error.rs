use std::path::PathBuf;

/// Why a build failed. Every variant names the input file and, where there is
/// one, the line or cell and the offending value.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot read workbook: {message}")]
    Workbook { path: PathBuf, message: String },
    #[error("{path}:{location}: field {field}: {message} (value {value:?})")]
    Parse {
        path: PathBuf,
        /// A line number ("12") or a sheet cell ("Table!C14").
        location: String,
        field: String,
        value: String,
        message: String,
    },
    #[error("{path}: {what} not found")]
    Missing { path: PathBuf, what: String },
    #[error("check failed: {0}")]
    Check(String),
}
