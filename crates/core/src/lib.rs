//! Core types shared by every fedsplit crate: the 50 states plus the District
//! of Columbia, identified by postal code and FIPS code, and the graph of
//! units (states, counties) that scenarios and alliances share.

pub mod graph;

use std::fmt;
use std::str::FromStr;

/// Number of areas fedsplit attributes to: 50 states + DC.
pub const STATE_COUNT: usize = 51;

macro_rules! states {
    ($( $variant:ident => ($postal:literal, $fips:literal, $name:literal) ),+ $(,)?) => {
        /// One of the 50 states or the District of Columbia.
        ///
        /// Variants are ordered by FIPS code, so `State::ALL` and every table
        /// indexed by `State::index` follow FIPS order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum State { $( $variant ),+ }

        impl State {
            /// All 51 areas in FIPS order.
            pub const ALL: [State; STATE_COUNT] = [ $( State::$variant ),+ ];

            /// Two-letter USPS code, e.g. `"NY"`.
            pub const fn postal(self) -> &'static str {
                match self { $( State::$variant => $postal ),+ }
            }

            /// Two-digit FIPS code, e.g. `"36"`.
            pub const fn fips(self) -> &'static str {
                match self { $( State::$variant => $fips ),+ }
            }

            /// Full name, e.g. `"New York"`.
            pub const fn name(self) -> &'static str {
                match self { $( State::$variant => $name ),+ }
            }
        }
    };
}

states! {
    Al => ("AL", "01", "Alabama"),
    Ak => ("AK", "02", "Alaska"),
    Az => ("AZ", "04", "Arizona"),
    Ar => ("AR", "05", "Arkansas"),
    Ca => ("CA", "06", "California"),
    Co => ("CO", "08", "Colorado"),
    Ct => ("CT", "09", "Connecticut"),
    De => ("DE", "10", "Delaware"),
    Dc => ("DC", "11", "District of Columbia"),
    Fl => ("FL", "12", "Florida"),
    Ga => ("GA", "13", "Georgia"),
    Hi => ("HI", "15", "Hawaii"),
    Id => ("ID", "16", "Idaho"),
    Il => ("IL", "17", "Illinois"),
    In => ("IN", "18", "Indiana"),
    Ia => ("IA", "19", "Iowa"),
    Ks => ("KS", "20", "Kansas"),
    Ky => ("KY", "21", "Kentucky"),
    La => ("LA", "22", "Louisiana"),
    Me => ("ME", "23", "Maine"),
    Md => ("MD", "24", "Maryland"),
    Ma => ("MA", "25", "Massachusetts"),
    Mi => ("MI", "26", "Michigan"),
    Mn => ("MN", "27", "Minnesota"),
    Ms => ("MS", "28", "Mississippi"),
    Mo => ("MO", "29", "Missouri"),
    Mt => ("MT", "30", "Montana"),
    Ne => ("NE", "31", "Nebraska"),
    Nv => ("NV", "32", "Nevada"),
    Nh => ("NH", "33", "New Hampshire"),
    Nj => ("NJ", "34", "New Jersey"),
    Nm => ("NM", "35", "New Mexico"),
    Ny => ("NY", "36", "New York"),
    Nc => ("NC", "37", "North Carolina"),
    Nd => ("ND", "38", "North Dakota"),
    Oh => ("OH", "39", "Ohio"),
    Ok => ("OK", "40", "Oklahoma"),
    Or => ("OR", "41", "Oregon"),
    Pa => ("PA", "42", "Pennsylvania"),
    Ri => ("RI", "44", "Rhode Island"),
    Sc => ("SC", "45", "South Carolina"),
    Sd => ("SD", "46", "South Dakota"),
    Tn => ("TN", "47", "Tennessee"),
    Tx => ("TX", "48", "Texas"),
    Ut => ("UT", "49", "Utah"),
    Vt => ("VT", "50", "Vermont"),
    Va => ("VA", "51", "Virginia"),
    Wa => ("WA", "53", "Washington"),
    Wv => ("WV", "54", "West Virginia"),
    Wi => ("WI", "55", "Wisconsin"),
    Wy => ("WY", "56", "Wyoming"),
}

/// A string that names no state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown state code {0:?} (expected a two-letter postal code such as NY, or DC)")]
pub struct UnknownState(pub String);

impl State {
    /// Position of this state in `State::ALL` (FIPS order), 0..51.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Look a state up by postal code (case-insensitive), FIPS code ("6" or "06") or full name.
    pub fn parse(text: &str) -> Result<State, UnknownState> {
        let t = text.trim();
        if t.is_empty() {
            return Err(UnknownState(text.to_string()));
        }
        if t.bytes().all(|b| b.is_ascii_digit()) && t.len() <= 2 {
            let padded = format!("{t:0>2}");
            return State::ALL
                .into_iter()
                .find(|s| s.fips() == padded)
                .ok_or_else(|| UnknownState(text.to_string()));
        }
        State::ALL
            .into_iter()
            .find(|s| s.postal().eq_ignore_ascii_case(t) || s.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownState(text.to_string()))
    }
}

impl FromStr for State {
    type Err = UnknownState;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        State::parse(s)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.postal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_fips_order_and_indexable() {
        assert_eq!(State::ALL.len(), 51);
        for (i, s) in State::ALL.iter().enumerate() {
            assert_eq!(s.index(), i);
        }
        let fips: Vec<_> = State::ALL.iter().map(|s| s.fips()).collect();
        let mut sorted = fips.clone();
        sorted.sort();
        assert_eq!(fips, sorted);
    }

    #[test]
    fn parse_accepts_postal_fips_and_name() {
        assert_eq!(State::parse("ny"), Ok(State::Ny));
        assert_eq!(State::parse("6"), Ok(State::Ca));
        assert_eq!(State::parse("06"), Ok(State::Ca));
        assert_eq!(State::parse("District of Columbia"), Ok(State::Dc));
        assert!(State::parse("PR").is_err());
        assert!(State::parse("03").is_err());
        assert!(State::parse("").is_err());
    }
}

/// Groups an integer's digits in threes: 1234567 → "1,234,567", -1234 → "-1,234".
pub fn group_digits(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod group_tests {
    #[test]
    fn groups_digits() {
        assert_eq!(super::group_digits(0), "0");
        assert_eq!(super::group_digits(999), "999");
        assert_eq!(super::group_digits(1000), "1,000");
        assert_eq!(super::group_digits(-1234567), "-1,234,567");
    }
}
