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
        /// Charge the located gap (attributed spending − receipts) equally
        /// per resident: the national net is 0. Under the flow method this is
        /// less than the deficit, whose interest and residual are not located.
        PerCapita => "per-capita",
        /// Charge the whole federal deficit (outlays − receipts) equally per
        /// resident, located or not.
        FullPerCapita => "full-per-capita",
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

    /// `(key, value)` of every option in force, in `OPTIONS` order, for
    /// outputs' meta (keys in snake case, as in scenario files and the API).
    pub fn describe(&self) -> [(&'static str, &'static str); 6] {
        [
            (OptionKey::Method.key(), self.method.name()),
            (OptionKey::Deficit.key(), self.deficit.name()),
            (OptionKey::Interest.key(), self.interest().name()),
            (OptionKey::Residual.key(), self.residual().name()),
            (OptionKey::CorporateKey.key(), self.corporate_key.name()),
            (OptionKey::ProcurementKey.key(), self.procurement_key.name()),
        ]
    }

    /// Sets one option from its key and value: the one parser behind the
    /// command line, scenario files and the web API.
    pub fn set(&mut self, key: OptionKey, value: &str) -> Result<(), UnknownOption> {
        match key {
            OptionKey::Method => self.method = value.parse()?,
            OptionKey::Deficit => self.deficit = value.parse()?,
            OptionKey::Interest => self.interest = Some(value.parse()?),
            OptionKey::Residual => self.residual = Some(value.parse()?),
            OptionKey::CorporateKey => self.corporate_key = value.parse()?,
            OptionKey::ProcurementKey => self.procurement_key = value.parse()?,
        }
        Ok(())
    }

    /// Options from `(key, value)` pairs, the rest at their defaults.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (OptionKey, &'a str)>,
    ) -> Result<Options, UnknownOption> {
        let mut options = Options::default();
        for (key, value) in pairs {
            options.set(key, value)?;
        }
        Ok(options)
    }
}

/// The six ledger options, each defined once: its key (scenario files, the
/// API, JSON meta), its command-line flag, its values and its help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptionKey {
    Method,
    Deficit,
    Interest,
    Residual,
    CorporateKey,
    ProcurementKey,
}

impl OptionKey {
    pub const ALL: [OptionKey; 6] = [
        OptionKey::Method,
        OptionKey::Deficit,
        OptionKey::Interest,
        OptionKey::Residual,
        OptionKey::CorporateKey,
        OptionKey::ProcurementKey,
    ];

    /// The key in scenario files, API queries and JSON meta.
    pub const fn key(self) -> &'static str {
        match self {
            OptionKey::Method => "method",
            OptionKey::Deficit => "deficit",
            OptionKey::Interest => "interest",
            OptionKey::Residual => "residual",
            OptionKey::CorporateKey => "corporate_key",
            OptionKey::ProcurementKey => "procurement_key",
        }
    }

    /// The command-line flag, without `--`.
    pub const fn flag(self) -> &'static str {
        match self {
            OptionKey::Method => "method",
            OptionKey::Deficit => "deficit",
            OptionKey::Interest => "interest",
            OptionKey::Residual => "residual",
            OptionKey::CorporateKey => "corporate-key",
            OptionKey::ProcurementKey => "procurement-key",
        }
    }

    /// Every value the option takes.
    pub fn values(self) -> Vec<&'static str> {
        fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
            all.iter().map(|v| name(*v)).collect()
        }
        match self {
            OptionKey::Method => names(Method::ALL, Method::name),
            OptionKey::Deficit => names(Deficit::ALL, Deficit::name),
            OptionKey::Interest => names(Interest::ALL, Interest::name),
            OptionKey::Residual => names(Residual::ALL, Residual::name),
            OptionKey::CorporateKey => names(CorporateKey::ALL, CorporateKey::name),
            OptionKey::ProcurementKey => names(ProcurementKey::ALL, ProcurementKey::name),
        }
    }

    /// The default value; `None` where it depends on the method.
    pub fn default_value(self) -> Option<&'static str> {
        let d = Options::default();
        match self {
            OptionKey::Method => Some(d.method.name()),
            OptionKey::Deficit => Some(d.deficit.name()),
            OptionKey::Interest | OptionKey::Residual => None,
            OptionKey::CorporateKey => Some(d.corporate_key.name()),
            OptionKey::ProcurementKey => Some(d.procurement_key.name()),
        }
    }

    /// One line of help.
    pub const fn help(self) -> &'static str {
        match self {
            OptionKey::Method => "How spending is located: flow (where it lands) or benefit (public goods, interest and residual per capita)",
            OptionKey::Deficit => "Deficit treatment: none; scale-spending or scale-receipts (the located gap charged in proportion); per-capita (the located gap, attributed spending − receipts, per resident); full-per-capita (the whole deficit per resident)",
            OptionKey::Interest => "Net interest: exclude, income or per-capita [default: exclude under flow, per-capita under benefit]",
            OptionKey::Residual => "Unlocated residual: exclude or per-capita [default: exclude under flow, per-capita under benefit]",
            OptionKey::CorporateKey => "Corporate income tax key: capital (dividends + capital gains), headquarters (IRS collections) or gdp",
            OptionKey::ProcurementKey => "Procurement key: federal-gdp (federal value added), population or gdp",
        }
    }

    /// The option with this key (scenario files, the API).
    pub fn from_key(key: &str) -> Option<OptionKey> {
        OptionKey::ALL.into_iter().find(|k| k.key() == key)
    }
}
