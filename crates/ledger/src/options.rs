//! The contested choices, each a named option (METHODOLOGY §3).

use std::fmt;
use std::str::FromStr;

/// Declares an option enum with its command-line names, in one place.
macro_rules! named_options {
    ($(#[$doc:meta])* $name:ident ($label:literal) { $( $(#[$vdoc:meta])* $variant:ident => $text:literal ),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $( $(#[$vdoc])* $variant ),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The option's name on the command line and in outputs.
            pub const fn name(self) -> &'static str {
                match self { $( $name::$variant => $text ),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownOption;
            fn from_str(s: &str) -> Result<Self, UnknownOption> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.name() == s)
                    .ok_or_else(|| UnknownOption {
                        option: $label,
                        value: s.to_string(),
                        allowed: $name::ALL.iter().map(|v| v.name()).collect::<Vec<_>>().join(", "),
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

/// A value that names no variant of an option.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {option} {value:?} (expected one of: {allowed})")]
pub struct UnknownOption {
    pub option: &'static str,
    pub value: String,
    pub allowed: String,
}

named_options! {
    /// How spending is located.
    Method ("method") {
        /// Receipts by residence, spending where it lands; interest and the
        /// residual excluded (close to Rockefeller's "Giving or Getting").
        Flow => "flow",
        /// National public goods (defense, general government) spread per
        /// capita; interest and the residual per capita (close to GERS).
        Benefit => "benefit",
    }
}

named_options! {
    /// What to do with the federal deficit.
    Deficit ("deficit") {
        /// No adjustment: the national net is attributed spending less
        /// receipts (the deficit itself only when interest and the residual
        /// are attributed).
        None => "none",
        /// Scale attributed spending down to receipts: the national net is 0.
        ScaleSpending => "scale-spending",
        /// Charge the gap to states in proportion to their receipts.
        ScaleReceipts => "scale-receipts",
        /// Charge the gap equally per resident.
        PerCapita => "per-capita",
    }
}

named_options! {
    /// Where net interest lands.
    Interest ("interest") {
        Exclude => "exclude",
        /// By personal income share.
        Income => "income",
        PerCapita => "per-capita",
    }
}

named_options! {
    /// Where the unlocated residual lands.
    Residual ("residual") {
        Exclude => "exclude",
        PerCapita => "per-capita",
    }
}

named_options! {
    /// Who bears the corporate income tax.
    CorporateKey ("corporate key") {
        /// Owners of capital: IRS SOI dividends + net capital gains by residence.
        Capital => "capital",
        /// Where the tax is collected: IRS Data Book Table 5 business collections (headquarters).
        Headquarters => "headquarters",
        /// Where output is produced: state GDP.
        Gdp => "gdp",
    }
}

named_options! {
    /// Where federal procurement lands.
    ProcurementKey ("procurement key") {
        /// Federal value added located in the state (BEA SAGDP2 lines 84 + 85).
        FederalGdp => "federal-gdp",
        Population => "population",
        Gdp => "gdp",
    }
}

/// One complete choice of options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Options {
    pub method: Method,
    pub deficit: Deficit,
    /// `None`: the method's default (flow: exclude; benefit: per capita).
    pub interest: Option<Interest>,
    /// `None`: the method's default (flow: exclude; benefit: per capita).
    pub residual: Option<Residual>,
    pub corporate_key: CorporateKey,
    pub procurement_key: ProcurementKey,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            method: Method::Flow,
            deficit: Deficit::None,
            interest: None,
            residual: None,
            corporate_key: CorporateKey::Capital,
            procurement_key: ProcurementKey::FederalGdp,
        }
    }
}

impl Options {
    /// The interest treatment in force.
    pub fn interest(&self) -> Interest {
        self.interest.unwrap_or(match self.method {
            Method::Flow => Interest::Exclude,
            Method::Benefit => Interest::PerCapita,
        })
    }

    /// The residual treatment in force.
    pub fn residual(&self) -> Residual {
        self.residual.unwrap_or(match self.method {
            Method::Flow => Residual::Exclude,
            Method::Benefit => Residual::PerCapita,
        })
    }

    /// Every combination of method × deficit × corporate key × procurement
    /// key, with interest and residual at each method's default.
    pub fn sensitivity_grid() -> Vec<Options> {
        let mut grid = Vec::new();
        for &method in Method::ALL {
            for &deficit in Deficit::ALL {
                for &corporate_key in CorporateKey::ALL {
                    for &procurement_key in ProcurementKey::ALL {
                        grid.push(Options {
                            method,
                            deficit,
                            interest: None,
                            residual: None,
                            corporate_key,
                            procurement_key,
                        });
                    }
                }
            }
        }
        grid
    }

    /// `name=value` pairs of every option in force, for outputs' meta.
    pub fn describe(&self) -> [(&'static str, &'static str); 6] {
        [
            ("method", self.method.name()),
            ("deficit", self.deficit.name()),
            ("interest", self.interest().name()),
            ("residual", self.residual().name()),
            ("corporate-key", self.corporate_key.name()),
            ("procurement-key", self.procurement_key.name()),
        ]
    }
}
