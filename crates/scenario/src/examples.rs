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
