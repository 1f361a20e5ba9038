/// Why a dataset could not be loaded. Every message is one line and names the
/// file, and where there is one, the line, the field and the offending value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    #[error("{file}: cannot read: {message}")]
    Unreadable { file: String, message: String },
    #[error("{file}:1: header is {found:?}, expected {expected:?}")]
    Header {
        file: String,
        found: String,
        expected: String,
    },
    #[error("{file}:{line}: field {field}: {message} (value {value:?})")]
    Field {
        file: String,
        line: u64,
        field: String,
        value: String,
        message: String,
    },
    #[error("{file}:{line}: {message}")]
    Row {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: {message}")]
    Inconsistent { file: String, message: String },
    #[error("{origin} has no FY{year} data (years: {available})")]
    NoYear {
        origin: String,
        year: u16,
        available: String,
    },
}
