//! The example scenarios shipped in `scenarios/`, embedded.

/// (name, TOML text) of every shipped example.
pub const EXAMPLES: [(&str, &str); 5] = [
    (
        "bluexit-2024",
        include_str!("../../../scenarios/bluexit-2024.toml"),
    ),
    (
        "devolve-medicaid",
        include_str!("../../../scenarios/devolve-medicaid.toml"),
    ),
    ("calexit", include_str!("../../../scenarios/calexit.toml")),
    (
        "three-way-split",
        include_str!("../../../scenarios/three-way-split.toml"),
    ),
    (
        "laboratories",
        include_str!("../../../scenarios/laboratories.toml"),
    ),
];

/// The TOML text of an example by name.
pub fn example(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// A scenario's text and the label its errors name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub label: String,
    pub text: String,
}

/// Why a scenario's text could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("no example named {name:?} (examples: {examples})")]
    UnknownExample { name: String, examples: String },
    #[error("{path}: cannot read: {message}")]
    Unreadable { path: String, message: String },
}

impl Source {
    /// A shipped example by name.
    pub fn example(name: &str) -> Result<Source, SourceError> {
        let text = example(name).ok_or_else(|| SourceError::UnknownExample {
            name: name.to_string(),
            examples: EXAMPLES.map(|(n, _)| n).join(", "),
        })?;
        Ok(Source {
            label: format!("scenarios/{name}.toml"),
            text: text.to_string(),
        })
    }

    /// A scenario file.
    pub fn file(path: &std::path::Path) -> Result<Source, SourceError> {
        let text = std::fs::read_to_string(path).map_err(|e| SourceError::Unreadable {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(Source {
            label: path.display().to_string(),
            text,
        })
    }
}
