//! Assembles the compact tables and the manifests from the source modules.
//!
//! `build` returns each file's path under `data/` and its exact text; `main`
//! writes them. The layout is a folder per fiscal year (`fy2019/`, …, each
//! with `schema::YEAR_FILES`) beside the tables every year shares (borders,
//! elections, counties, county edges, state and county paths). Each year's
//! `manifest.csv` lists the columns of that year's tables and of the shared
//! ones. The text depends only on the raw inputs, so rerunning reproduces
//! the committed files byte for byte.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use fedsplit_core::State;
use fedsplit_data::schema;
use sha2::{Digest, Sha256};

use crate::counties;
use crate::federal_spending as spending;
use crate::years::{MedicareKey, YearSpec, TRANSFERS_YEAR, YEARS};
use crate::{bea, county_map, elections, geography, irs, map, omb, population, state_taxes};
use crate::{BuildError, ControlRow, Source, StateColumn};

/// One output file: its path under `data/` (e.g. `fy2022/states.csv` or
/// `borders.csv`) and its full text.
pub struct OutputFile {
    pub name: String,
    pub text: String,
}

/// Columns of each per-state table after the postal code: the loader's
/// schema is the single definition of the tables' headers.
const RECEIPT_KEY_COLUMNS: &[&str] = schema::RECEIPT_KEYS_HEADER.split_at(1).1;
const SPENDING_COLUMNS: &[&str] = schema::SPENDING_HEADER.split_at(1).1;

const MEDSL_STATE_FILES: &[&str] = &[
    "medsl-state-pres/1976-2020-president.csv",
    "medsl-state-pres/2024-president-state.csv",
];

/// The year a manifest `year` field says the figures are of: the loader's
/// reading, so that the builder's checks and the ledger agree.
pub use fedsplit_data::first_year;

/// Reads every source and returns every table of every year, each year's
/// `manifest.csv`, and the shared tables.
pub fn build(raw: &Path) -> Result<Vec<OutputFile>, BuildError> {
    let inputs = Inputs::read(raw)?;
    let mut hashes = Hashes::default();
    let shared = shared_tables(raw, &mut hashes)?;
    let mut files = Vec::new();
    for spec in &YEARS {
        files.extend(year_tables(
            raw,
            spec,
            &inputs,
            &shared.manifest,
            &mut hashes,
        )?);
    }
    files.extend(shared.files);
    Ok(files)
}

/// Sources that more than one fiscal year uses, read once.
struct Inputs {
    /// BEA CAINC35 2022 transfers by program (Social Security, Medicare,
    /// Medicaid, income maintenance, other), every year's keys.
    transfers: Vec<StateColumn>,
    /// The Alaska PFD of 2022.
    pfd: StateColumn,
    /// BEA income maintenance + other − FNS SNAP FY2022 − PFD.
    other_payments_key: StateColumn,
    /// FNS SNAP by fiscal year.
    snap: BTreeMap<u16, StateColumn>,
    /// CMS-64 Medicaid + CHIP by fiscal year.
    cms64: BTreeMap<u16, StateColumn>,
    /// Census SLGF line 4 by survey year.
    slgf: BTreeMap<u16, StateColumn>,
    /// Non-Medicaid grants (SLGF − CMS-64) of each year that has both.
    grants: BTreeMap<u16, StateColumn>,
    /// OMB controls by fiscal year.
    omb: BTreeMap<u16, Vec<ControlRow>>,
}

impl Inputs {
    fn read(raw: &Path) -> Result<Inputs, BuildError> {
        let transfers = spending::bea_transfers(raw)?;
        let pfd = spending::alaska_pfd(raw)?;
        let (mut snap, mut cms64, mut slgf, mut omb) = (
            BTreeMap::new(),
            BTreeMap::new(),
            BTreeMap::new(),
            BTreeMap::new(),
        );
        for y in &YEARS {
            snap.insert(y.fy, spending::snap_benefits(raw, y.fy, y.snap_file)?);
            if let Entry::Vacant(e) = cms64.entry(y.cms64.fy) {
                e.insert(spending::medicaid_chip_federal(raw, &y.cms64)?);
            }
            if let Entry::Vacant(e) = slgf.entry(y.slgf.year) {
                e.insert(spending::slgf_federal_revenue(raw, &y.slgf)?);
            }
            omb.insert(y.fy, omb::controls(raw, y.fy)?);
        }
        let mut grants = BTreeMap::new();
        for y in YEARS.iter().filter(|y| y.grants_direct()) {
            grants.insert(
                y.fy,
                spending::non_medicaid_grants(&slgf[&y.fy], &cms64[&y.fy], y.fy)?,
            );
        }
        let snap_transfers_year = snap.get(&TRANSFERS_YEAR).ok_or_else(|| {
            BuildError::Check(format!(
                "no FNS SNAP FY{TRANSFERS_YEAR} for the other-payments key"
            ))
        })?;
        let other_payments_key = spending::other_payments_key(
            column_named(&transfers, "bea_income_maintenance_usd")?,
            column_named(&transfers, "bea_other_transfers_usd")?,
            snap_transfers_year,
            &pfd,
        );
        Ok(Inputs {
            transfers,
            pfd,
            other_payments_key,
            snap,
            cms64,
            slgf,
            grants,
            omb,
        })
    }
}

fn column_named<'a>(columns: &'a [StateColumn], name: &str) -> Result<&'a StateColumn, BuildError> {
    columns
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| BuildError::Check(format!("no source produced column {name}")))
}

/// The tables every year shares, and their manifest rows.
struct Shared {
    files: Vec<OutputFile>,
    /// Manifest rows (no header) of the shared tables.
    manifest: String,
}

fn shared_tables(raw: &Path, hashes: &mut Hashes) -> Result<Shared, BuildError> {
    let mut manifest = Manifest::new(hashes);
    let mut files = Vec::new();

    // borders.csv
    let (source, borders) = geography::land_borders(raw)?;
    let mut text = String::from("state_a,state_b\n");
    for (a, b) in borders {
        writeln!(text, "{},{}", a.postal(), b.postal()).unwrap();
    }
    manifest.column(raw, "borders", "state_a,state_b", &source)?;
    files.push(OutputFile {
        name: schema::BORDERS_FILE.into(),
        text,
    });

    // elections.csv
    let mut text = String::from(
        "year,postal,dem_candidate,rep_candidate,dem_votes,rep_votes,other_votes,total_votes\n",
    );
    for e in elections::state_results(raw)? {
        writeln!(
            text,
            "{},{},{},{},{},{},{},{}",
            e.year,
            e.state.postal(),
            csv_field(&e.dem_candidate),
            csv_field(&e.rep_candidate),
            e.dem_votes,
            e.rep_votes,
            e.other_votes,
            e.total_votes
        )
        .unwrap();
    }
    let medsl = |table: &str| Source {
        publisher: "MIT Election Data and Science Lab (MEDSL)",
        table: table.to_string(),
        year: "2016, 2020, 2024".into(),
        units: "votes",
        files: MEDSL_STATE_FILES.to_vec(),
    };
    for (column, table) in [
        ("dem_candidate,rep_candidate", "U.S. President 1976-2020 and 2024 state returns: nominee names (normalised)"),
        ("dem_votes,rep_votes", "U.S. President state returns: candidatevotes/votes summed by nominee (all party lines)"),
        ("other_votes,total_votes", "U.S. President state returns: all candidate rows; undervote, overvote, blank and void rows dropped"),
    ] {
        manifest.column(raw, "elections", column, &medsl(table))?;
    }
    files.push(OutputFile {
        name: schema::ELECTIONS_FILE.into(),
        text,
    });

    // state_paths.csv
    let (source, paths) = map::state_paths(raw)?;
    manifest.column(raw, "state_paths", "d,label_x,label_y", &source)?;
    files.push(OutputFile {
        name: schema::STATE_PATHS_FILE.into(),
        text: map::table_text(&paths),
    });

    // counties.csv and county_edges.csv (the county graph, 48 states + DC)
    let graph = counties::county_graph(raw)?;
    for (table, column, source) in counties::sources() {
        manifest.column(raw, table, column, &source)?;
    }
    files.push(OutputFile {
        name: schema::COUNTIES_FILE.into(),
        text: counties::counties_text(&graph),
    });
    files.push(OutputFile {
        name: schema::COUNTY_EDGES_FILE.into(),
        text: counties::edges_text(&graph),
    });

    // county_paths.csv (the county graph's units on the web map)
    let outlines = county_map::county_paths(raw, &graph)?;
    for (table, column, source) in county_map::sources(&outlines) {
        manifest.column(raw, table, column, &source)?;
    }
    files.push(OutputFile {
        name: schema::COUNTY_PATHS_FILE.into(),
        text: county_map::table_text(&outlines),
    });

    Ok(Shared {
        files,
        manifest: manifest.text,
    })
}

/// The per-state columns of one fiscal year, every column of states.csv,
/// receipt_keys.csv and spending.csv.
fn year_columns(
    raw: &Path,
    spec: &YearSpec,
    inputs: &Inputs,
) -> Result<Vec<StateColumn>, BuildError> {
    let fy = spec.fy;
    let mut columns: Vec<StateColumn> = vec![population::population(raw, &spec.population)?];
    columns.extend(bea::state_columns(raw, spec.bea_year, spec.pce_year)?);
    columns.extend(irs::soi_state_columns(raw, &spec.soi)?);
    columns.extend(irs::databook_state_columns(raw, fy)?);
    columns.extend(state_taxes::state_columns(raw, &spec.slgf)?);

    let transfer = |name: &str| column_named(&inputs.transfers, name).cloned();
    columns.push(transfer("social_security_benefits_usd")?);
    columns.push(match spec.medicare {
        MedicareKey::Bea2022 => transfer("medicare_benefits_usd")?,
        MedicareKey::NheResidence { year } => spending::nhe_medicare(raw, year)?,
    });
    for name in [
        "bea_medicaid_usd",
        "bea_income_maintenance_usd",
        "bea_other_transfers_usd",
    ] {
        columns.push(transfer(name)?);
    }
    columns.push(inputs.pfd.clone());
    columns.push(inputs.other_payments_key.clone());
    let missing = |what: String| BuildError::Check(format!("FY{fy}: {what} was not read"));
    columns.push(
        inputs
            .cms64
            .get(&spec.cms64.fy)
            .ok_or_else(|| missing(format!("CMS-64 FY{}", spec.cms64.fy)))?
            .clone(),
    );
    columns.push(
        inputs
            .snap
            .get(&fy)
            .ok_or_else(|| missing(format!("FNS SNAP FY{fy}")))?
            .clone(),
    );
    columns.push(
        inputs
            .slgf
            .get(&spec.slgf.year)
            .ok_or_else(|| missing(format!("Census SLGF {}", spec.slgf.year)))?
            .clone(),
    );
    // Same-year per-state grants where both sources are of the fiscal year;
    // otherwise those of the SLGF year, carried as the key.
    let grants_year = if spec.grants_direct() {
        fy
    } else {
        spec.slgf.year
    };
    columns.push(
        inputs
            .grants
            .get(&grants_year)
            .ok_or_else(|| missing(format!("non-Medicaid grants of {grants_year}")))?
            .clone(),
    );
    Ok(columns)
}

fn year_tables(
    raw: &Path,
    spec: &YearSpec,
    inputs: &Inputs,
    shared_manifest: &str,
    hashes: &mut Hashes,
) -> Result<Vec<OutputFile>, BuildError> {
    let fy = spec.fy;
    let dir = schema::year_dir(fy);
    let path = |file: &str| format!("{dir}/{file}");
    let columns = year_columns(raw, spec, inputs)?;
    let col = |name: &str| column_named(&columns, name);

    let mut manifest = Manifest::new(hashes);
    let mut files = Vec::new();

    files.push(OutputFile {
        name: path(schema::DATASET_FILE),
        text: format!("key,value\nfiscal_year,{fy}\n"),
    });

    // states.csv
    let state_cols = &schema::STATES_HEADER[3..];
    let mut text = schema::STATES_HEADER.join(",");
    text.push('\n');
    for s in State::ALL {
        write!(text, "{},{},{}", s.fips(), s.postal(), s.name()).unwrap();
        for c in state_cols {
            write!(text, ",{}", col(c)?.get(s)).unwrap();
        }
        text.push('\n');
    }
    manifest.identity("states");
    for c in state_cols {
        manifest.column(raw, "states", c, &col(c)?.source)?;
    }
    files.push(OutputFile {
        name: path(schema::STATES_FILE),
        text,
    });

    // receipt_keys.csv and spending.csv
    for (name, table, cols) in [
        (
            schema::RECEIPT_KEYS_FILE,
            "receipt_keys",
            RECEIPT_KEY_COLUMNS,
        ),
        (schema::SPENDING_FILE, "spending", SPENDING_COLUMNS),
    ] {
        let picked: Vec<&StateColumn> = cols.iter().map(|c| col(c)).collect::<Result<_, _>>()?;
        files.push(OutputFile {
            name: path(name),
            text: per_state_table(&picked),
        });
        for c in picked {
            manifest.column(raw, table, c.name, &c.source)?;
        }
    }

    // controls.csv: every row is of the fiscal year.
    let controls = derive_controls(raw, spec, inputs, &col)?;
    check_controls(spec, &controls, &col)?;
    let mut text = schema::CONTROLS_HEADER.join(",");
    text.push('\n');
    for c in &controls {
        writeln!(
            text,
            "{},{},{}",
            c.id,
            c.amount_usd,
            csv_field(&c.derivation)
        )
        .unwrap();
        let source = Source {
            year: spec.label(),
            ..c.source.clone()
        };
        manifest.column(raw, "controls", c.id, &source)?;
    }
    files.push(OutputFile {
        name: path(schema::CONTROLS_FILE),
        text,
    });

    // income_classes.csv
    let mut text = schema::INCOME_CLASSES_HEADER.join(",");
    text.push('\n');
    for r in irs::soi_income_classes(raw, &spec.soi)? {
        writeln!(
            text,
            "{},{},{},{},{},{},{},{}",
            r.state.postal(),
            r.agi_class,
            r.returns,
            r.agi_usd,
            r.wages_usd,
            r.income_tax_after_credits_usd,
            r.state_local_income_tax_itemized_usd,
            r.general_sales_tax_itemized_usd
        )
        .unwrap();
    }
    for (column, source) in irs::soi_class_sources(&spec.soi) {
        manifest.column(raw, "income_classes", column, &source)?;
    }
    files.push(OutputFile {
        name: path(schema::INCOME_CLASSES_FILE),
        text,
    });

    let mut text = schema::MANIFEST_HEADER.join(",");
    text.push('\n');
    text.push_str(&manifest.text);
    text.push_str(shared_manifest);
    files.push(OutputFile {
        name: path(schema::MANIFEST_FILE),
        text,
    });
    Ok(files)
}

fn per_state_table(cols: &[&StateColumn]) -> String {
    let mut text = String::from("postal");
    for c in cols {
        write!(text, ",{}", c.name).unwrap();
    }
    text.push('\n');
    for s in State::ALL {
        text.push_str(s.postal());
        for c in cols {
            write!(text, ",{}", c.get(s)).unwrap();
        }
        text.push('\n');
    }
    text
}

/// `amount × num ÷ den`, rounded half away from zero, exactly.
fn scale(amount: i64, num: i64, den: i64) -> i64 {
    assert!(den > 0, "scale by a positive denominator");
    let p = i128::from(amount) * i128::from(num);
    let d = i128::from(den);
    let q = (p.abs() * 2 + d) / (2 * d);
    i64::try_from(if p < 0 { -q } else { q }).expect("scaled amount fits in i64")
}

/// The controls the ledger needs (METHODOLOGY §1–2, §9), derived from the
/// OMB rows of the fiscal year and the per-state sums, followed by every OMB
/// component row.
fn derive_controls<'a>(
    raw: &Path,
    spec: &YearSpec,
    inputs: &Inputs,
    col: &dyn Fn(&str) -> Result<&'a StateColumn, BuildError>,
) -> Result<Vec<ControlRow>, BuildError> {
    let fy = spec.fy;
    let label = spec.label();
    let omb_of = |year: u16| -> Result<&Vec<ControlRow>, BuildError> {
        inputs
            .omb
            .get(&year)
            .ok_or_else(|| BuildError::Check(format!("OMB controls of FY{year} not read")))
    };
    let omb_rows = omb_of(fy)?;
    let estate_gift = irs::estate_gift_control(raw, fy, spec.estate_gift_musd)?;
    let get_in = find_control;
    let get = |id: &str| find_control(omb_rows, fy, id);
    let amount = |id: &str| get(id).map(|r| r.amount_usd);
    let m = group_millions;
    let mm = exact_millions;
    let mut out: Vec<ControlRow> = Vec::new();

    for id in [
        "receipts.total",
        "receipts.individual_income",
        "receipts.social_insurance",
        "receipts.corporate_income",
        "receipts.excise",
        "receipts.other",
    ] {
        out.push(get(id)?.clone());
    }
    let other = amount("receipts.other")?;
    out.push(ControlRow {
        id: "receipts.estate_gift",
        amount_usd: estate_gift.amount_usd,
        source: estate_gift.source.clone(),
        derivation: format!(
            "Estate and gift taxes inside OMB 'other receipts', sized by IRS Data Book Table 5 U.S. gross collections (estate + gift), {label}: ${}M (OMB Table 2.5 not in the inputs)",
            m(estate_gift.amount_usd)
        ),
    });
    let mut rest_source = get("receipts.other")?.source.clone();
    rest_source
        .files
        .extend(estate_gift.source.files.iter().copied());
    out.push(ControlRow {
        id: "receipts.other_rest",
        amount_usd: other - estate_gift.amount_usd,
        source: rest_source,
        derivation: format!(
            "OMB Table 2.1 other receipts {label} ${}M − estate and gift ${}M: customs duties, Federal Reserve deposits, miscellaneous",
            m(other),
            m(estate_gift.amount_usd)
        ),
    });

    // Spending channels.
    let sum = |name: &str| -> Result<i64, BuildError> { Ok(col(name)?.total()) };
    let source_of = |name: &str| -> Result<Source, BuildError> { Ok(col(name)?.source.clone()) };
    let joined = |sources: &[Source], table: &str| -> Source {
        let mut files: Vec<&'static str> = sources.iter().flat_map(|s| s.files.clone()).collect();
        files.sort_unstable();
        files.dedup();
        Source {
            publisher: "fedsplit, derived (see derivation)",
            table: table.to_string(),
            year: label.clone(),
            units: "dollars",
            files,
        }
    };
    let omb_source = |id: &str| get(id).map(|r| r.source.clone());

    out.push(get("outlays.total")?.clone());
    out.push(get("outlays.social_security")?.clone());
    out.push(get("outlays.medicare")?.clone());

    // Medicaid + CHIP: the CMS-64 federal shares of the fiscal year; when
    // the year has none, the latest year's scaled by OMB's Medicaid + CHIP
    // grants.
    let medicaid_states = sum("medicaid_chip_federal_usd")?;
    let (medicaid, medicaid_words) = if spec.cms64.fy == fy {
        (
            medicaid_states,
            format!(
                "Σ over 50 states + DC of CMS-64 {label} federal share, MAP + ADM + MCHIP + MCHIP 20% + CHIP (first total row of each sheet) = ${}M",
                mm(medicaid_states)
            ),
        )
    } else {
        let from = spec.cms64.fy;
        let omb_from = get_in(omb_of(from)?, from, "outlays.grants_omb.medicaid_chip")?;
        let omb_to = get("outlays.grants_omb.medicaid_chip")?;
        let scaled = scale(medicaid_states, omb_to.amount_usd, omb_from.amount_usd);
        (
            scaled,
            format!(
                "no CMS-64 for {label} in the inputs: Σ over 50 states + DC of CMS-64 FY{from} federal share (MAP + ADM + MCHIP + MCHIP 20% + CHIP) ${}M × OMB Table 11.3 Grants column Medicaid + CHIP {label} {} $M ÷ FY{from} {} $M = ${}M ({label}: {}; FY{from}: {}). The per-state amounts in spending.csv are FY{from}'s, the key",
                mm(medicaid_states),
                m(omb_to.amount_usd),
                m(omb_from.amount_usd),
                mm(scaled),
                omb_to.derivation,
                omb_from.derivation
            ),
        )
    };
    out.push(ControlRow {
        id: "outlays.medicaid_chip",
        amount_usd: medicaid,
        source: if spec.cms64.fy == fy {
            source_of("medicaid_chip_federal_usd")?
        } else {
            joined(
                &[
                    source_of("medicaid_chip_federal_usd")?,
                    omb_source("outlays.grants_omb.medicaid_chip")?,
                ],
                "CMS-64 federal share of the latest year scaled by OMB Table 11.3 Medicaid + CHIP grants",
            )
        },
        derivation: medicaid_words,
    });

    let snap = sum("snap_benefits_usd")?;
    out.push(ControlRow {
        id: "outlays.snap",
        amount_usd: snap,
        source: source_of("snap_benefits_usd")?,
        derivation: format!(
            "Σ over 50 states + DC of USDA FNS {label} SNAP benefit cost (P-EBT excluded) = ${}M",
            mm(snap)
        ),
    });

    let other_payments = omb::other_payments_for_individuals(omb_rows, snap)?;
    out.push(ControlRow {
        id: "outlays.other_payments",
        amount_usd: other_payments,
        source: joined(
            &[
                omb_source("outlays.direct_payments_for_individuals_11_3")?,
                source_of("snap_benefits_usd")?,
            ],
            "OMB Table 11.3 direct payments for individuals, less programs counted in other channels",
        ),
        derivation: format!(
            "{label}: OMB Table 11.3 direct payments for individuals ${}M − Social Security ${}M − Medicare ${}M − FNS SNAP benefits (51 areas) ${}M − Education student assistance ${}M − federally provided health care ${}M = ${}M",
            m(amount("outlays.direct_payments_for_individuals_11_3")?),
            m(amount("outlays.payments_11_3.social_security")?),
            m(amount("outlays.payments_11_3.medicare")?),
            mm(snap),
            m(amount("outlays.payments_11_3.student_assistance")?),
            m(amount("outlays.payments_11_3.federally_provided_health_care")?),
            mm(other_payments)
        ),
    });

    // Grants: same-year per-state amounts where both sources are of the
    // fiscal year; otherwise the carried per-state amounts scaled by OMB
    // non-Medicaid grants.
    let grants_states = sum("non_medicaid_grants_usd")?;
    let omb_non_medicaid = get("outlays.grants_omb.non_medicaid")?;
    let (grants, grants_words, grants_source) = if spec.grants_direct() {
        let slgf = sum("slgf_federal_revenue_usd")?;
        (
            grants_states,
            format!(
                "Σ over 50 states + DC of Census {} State & Local Government Finances line 4 'From Federal Government' ${}M − CMS-64 {label} Medicaid + CHIP federal share ${}M = ${}M (OMB non-Medicaid grants for comparison: {} $M)",
                spec.slgf.year,
                mm(slgf),
                mm(medicaid_states),
                mm(grants_states),
                m(omb_non_medicaid.amount_usd)
            ),
            joined(
                &[
                    source_of("slgf_federal_revenue_usd")?,
                    source_of("medicaid_chip_federal_usd")?,
                ],
                &format!(
                    "Census SLGF {} Table 1 line 4 less CMS-64 federal share",
                    spec.slgf.year
                ),
            ),
        )
    } else {
        let from = spec.slgf.year;
        let omb_from = get_in(omb_of(from)?, from, "outlays.grants_omb.non_medicaid")?;
        let scaled = scale(
            grants_states,
            omb_non_medicaid.amount_usd,
            omb_from.amount_usd,
        );
        (
            scaled,
            format!(
                "no Census SLGF for {label} in the inputs: Σ over 50 states + DC of the {from} non-Medicaid grants (Census {from} line 4 'From Federal Government' − CMS-64 FY{from} Medicaid + CHIP federal share) ${}M × OMB non-Medicaid grants {label} {} $M ÷ FY{from} {} $M = ${}M. OMB non-Medicaid grants = Table 6.1 grants for payments for individuals + all other grants − Table 11.3 Grants Medicaid + CHIP ({label}: {}; FY{from}: {}). The per-state amounts in spending.csv are {from}'s, the key",
                mm(grants_states),
                m(omb_non_medicaid.amount_usd),
                m(omb_from.amount_usd),
                mm(scaled),
                get("outlays.grants_omb.total")?.derivation,
                get_in(omb_of(from)?, from, "outlays.grants_omb.total")?.derivation
            ),
            joined(
                &[
                    source_of("non_medicaid_grants_usd")?,
                    omb_non_medicaid.source.clone(),
                ],
                &format!(
                    "Census SLGF {from} line 4 less CMS-64 FY{from}, scaled by OMB non-Medicaid grants"
                ),
            ),
        )
    };
    out.push(ControlRow {
        id: "outlays.grants",
        amount_usd: grants,
        source: grants_source,
        derivation: grants_words,
    });
    let mandatory = get("outlays.grants_omb.mandatory")?;
    let grants_mandatory = scale(grants, mandatory.amount_usd, omb_non_medicaid.amount_usd);
    out.push(ControlRow {
        id: "outlays.grants_mandatory",
        amount_usd: grants_mandatory,
        source: joined(
            &[mandatory.source.clone(), omb_non_medicaid.source.clone()],
            "outlays.grants × OMB mandatory share of non-Medicaid grants (Tables 11.3, 8.5, 6.1, 3.2)",
        ),
        derivation: format!(
            "{label}: outlays.grants ${}M × mandatory non-Medicaid grants {} $M ÷ OMB non-Medicaid grants {} $M ({:.2}%) = ${}M; every state gets the national share, the rest of grants is discretionary. Where the {}",
            mm(grants),
            m(mandatory.amount_usd),
            m(omb_non_medicaid.amount_usd),
            100.0 * mandatory.amount_usd as f64 / omb_non_medicaid.amount_usd as f64,
            mm(grants_mandatory),
            mandatory.derivation
        ),
    });

    let civilian = sum("federal_civilian_gdp_usd")?;
    let military = sum("military_gdp_usd")?;
    let wages = civilian + military;
    out.push(ControlRow {
        id: "outlays.federal_wages",
        amount_usd: wages,
        source: joined(&[source_of("federal_civilian_gdp_usd")?], "BEA SAGDP2 lines 84 + 85"),
        derivation: format!(
            "Σ over 50 states + DC of BEA SAGDP2 {} line 84 federal civilian ${}M + line 85 military ${}M (value added: pay + depreciation) = ${}M",
            spec.bea_year,
            mm(civilian),
            mm(military),
            mm(wages)
        ),
    });
    let pool = amount("outlays.operations_pool")?;
    out.push(ControlRow {
        id: "outlays.procurement",
        amount_usd: pool - wages,
        source: joined(
            &[
                omb_source("outlays.operations_pool")?,
                source_of("federal_civilian_gdp_usd")?,
            ],
            "OMB operations pool (Tables 6.1, 3.2, 11.3) less BEA SAGDP2 lines 84 + 85",
        ),
        derivation: format!(
            "{label}: operations pool ${}M (see outlays.operations_pool) − federal wages ${}M = ${}M",
            m(pool),
            mm(wages),
            mm(pool - wages)
        ),
    });
    out.push(get("outlays.net_interest")?.clone());

    let total = amount("outlays.total")?;
    let channels: i64 = schema::control::SPENDING_CHANNELS
        .iter()
        .filter(|id| **id != schema::control::OUTLAYS_RESIDUAL)
        .map(|id| {
            out.iter()
                .find(|r| r.id == *id)
                .map(|r| r.amount_usd)
                .ok_or_else(|| BuildError::Check(format!("channel {id} not derived")))
        })
        .sum::<Result<i64, _>>()?;
    let residual = total - channels;
    let intl = amount("outlays.international_affairs_150")?;
    let offsets = amount("outlays.undistributed_offsetting_receipts_950")?;
    let students = amount("outlays.payments_11_3.student_assistance")?;
    let credit = [
        "outlays.operations.credit_371",
        "outlays.operations.credit_373",
        "outlays.operations.credit_274",
    ]
    .iter()
    .map(|id| amount(id))
    .sum::<Result<i64, _>>()?;
    let higher_education = amount("outlays.operations.higher_education_outside_pfi")?;
    let rest = residual - intl - offsets - students - credit - higher_education;
    out.push(ControlRow {
        id: "outlays.residual",
        amount_usd: residual,
        source: joined(
            &[omb_source("outlays.total")?],
            "OMB Table 3.2 total less every channel",
        ),
        derivation: format!(
            "{label}: total outlays ${}M − the nine channels above = ${}M. Items: international affairs (150) ${}M; undistributed offsetting receipts (950) ${}M; Education student assistance (Table 11.3 direct) ${}M; credit subfunctions 371/373/274 ${}M; higher education (502) outside payments for individuals ${}M; the rest ${}M = mainly OMB grants to state and local governments (${}M) less the grants and Medicaid channels (Census federal revenue of state and local governments, state fiscal years, 51 areas; CMS-64); the gaps between BEA value added and OMB pay sit in procurement (the operations pool less BEA wages). A negative residual is possible",
            m(total),
            mm(residual),
            m(intl),
            m(offsets),
            m(students),
            m(credit),
            m(higher_education),
            mm(rest),
            m(amount("outlays.grants_omb.total")?)
        ),
    });

    let defense = amount("outlays.national_defense_050")?;
    let pfi_in_defense = amount("outlays.operations.pfi_in_defense")?;
    let gg = amount("outlays.general_government_800")?;
    let gpfa = amount("outlays.general_purpose_fiscal_assistance_806")?;
    let public_goods = defense - pfi_in_defense + gg - gpfa;
    out.push(ControlRow {
        id: "outlays.national_public_goods",
        amount_usd: public_goods,
        source: joined(
            &[
                omb_source("outlays.national_defense_050")?,
                omb_source("outlays.operations.pfi_in_defense")?,
            ],
            "OMB Table 3.2 functions 050 + 800 less subfunction 806 and the payments for individuals inside defense",
        ),
        derivation: format!(
            "benefit method only, {label}: national defense (050) ${}M − payments for individuals inside defense ${}M (already in other payments) + general government (800) ${}M − general purpose fiscal assistance (806, grants) ${}M = ${}M, taken out of federal wages and procurement pro rata",
            m(defense),
            m(pfi_in_defense),
            m(gg),
            m(gpfa),
            m(public_goods)
        ),
    });

    out.push(get("debt.held_by_public")?.clone());

    // Every OMB row not already used under its own id, for `sources`.
    for r in omb_rows {
        if !out.iter().any(|o| o.id == r.id) {
            out.push(r.clone());
        }
    }
    out.push(estate_gift);
    Ok(out)
}

/// The OMB row `id` of fiscal year `year`.
fn find_control<'r>(
    rows: &'r [ControlRow],
    year: u16,
    id: &str,
) -> Result<&'r ControlRow, BuildError> {
    rows.iter()
        .find(|r| r.id == id)
        .ok_or_else(|| BuildError::Check(format!("OMB control {id} of FY{year} missing")))
}

/// The identities the loader checks (crates/data `check_controls`), checked
/// here so that a build never writes tables the loader refuses.
fn check_controls<'a>(
    spec: &YearSpec,
    controls: &[ControlRow],
    col: &dyn Fn(&str) -> Result<&'a StateColumn, BuildError>,
) -> Result<(), BuildError> {
    use schema::control as c;
    let fy = spec.fy;
    let fail = |what: String| BuildError::Check(format!("FY{fy} controls: {what}"));
    let get = |id: &str| {
        controls
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.amount_usd)
            .ok_or_else(|| fail(format!("missing {id}")))
    };
    for id in c::REQUIRED {
        get(id)?;
    }
    for (i, r) in controls.iter().enumerate() {
        if controls[..i].iter().any(|o| o.id == r.id) {
            return Err(fail(format!("duplicate id {}", r.id)));
        }
    }
    let receipts = c::RECEIPT_CATEGORIES
        .iter()
        .map(|id| get(id))
        .sum::<Result<i64, _>>()?;
    if receipts != get(c::RECEIPTS_TOTAL)? {
        return Err(fail(format!("receipt categories sum to {receipts}")));
    }
    let outlays = c::SPENDING_CHANNELS
        .iter()
        .map(|id| get(id))
        .sum::<Result<i64, _>>()?;
    if outlays != get(c::OUTLAYS_TOTAL)? {
        return Err(fail(format!("spending channels sum to {outlays}")));
    }
    // A per-state column of the fiscal year must add up to its control.
    for (id, columns) in [
        (c::OUTLAYS_MEDICAID_CHIP, &["medicaid_chip_federal_usd"][..]),
        (c::OUTLAYS_SNAP, &["snap_benefits_usd"][..]),
        (c::OUTLAYS_GRANTS, &["non_medicaid_grants_usd"][..]),
        (
            c::OUTLAYS_FEDERAL_WAGES,
            &["federal_civilian_gdp_usd", "military_gdp_usd"][..],
        ),
    ] {
        let same_year = first_year(&col(columns[0])?.source.year) == Some(fy);
        let states = columns
            .iter()
            .map(|name| col(name).map(|c| c.total()))
            .sum::<Result<i64, _>>()?;
        if same_year && states != get(id)? {
            return Err(fail(format!(
                "{id} is {} but {columns:?} sum to {states}",
                get(id)?
            )));
        }
    }
    let (grants, mandatory) = (get(c::OUTLAYS_GRANTS)?, get(c::OUTLAYS_GRANTS_MANDATORY)?);
    if !(0..=grants).contains(&mandatory) {
        return Err(fail(format!(
            "grants_mandatory {mandatory} outside 0..={grants}"
        )));
    }
    if get(c::NATIONAL_PUBLIC_GOODS)?
        > get(c::OUTLAYS_FEDERAL_WAGES)? + get(c::OUTLAYS_PROCUREMENT)?
    {
        return Err(fail(
            "national public goods exceed wages + procurement".into(),
        ));
    }
    Ok(())
}

/// "1,234,567" from dollars, in whole millions.
fn group_millions(usd: i64) -> String {
    fedsplit_core::group_digits((usd as f64 / 1e6).round() as i64)
}

/// "1,234,567.89" from dollars: millions with every dollar shown (no
/// trailing zeros; no decimals when whole).
fn exact_millions(usd: i64) -> String {
    let whole = fedsplit_core::group_digits(usd / 1_000_000);
    let rest = (usd % 1_000_000).abs();
    let sign = if usd < 0 && usd > -1_000_000 { "-" } else { "" };
    if rest == 0 {
        format!("{sign}{whole}")
    } else {
        let fraction = format!("{rest:06}");
        format!("{sign}{whole}.{}", fraction.trim_end_matches('0'))
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// sha256 of every input file, computed once.
#[derive(Default)]
struct Hashes(BTreeMap<&'static str, String>);

impl Hashes {
    fn of(&mut self, raw: &Path, file: &'static str) -> Result<String, BuildError> {
        if let Some(h) = self.0.get(file) {
            return Ok(h.clone());
        }
        let path = raw.join(file);
        let bytes = std::fs::read(&path).map_err(|e| BuildError::Io { path, source: e })?;
        let hash = format!("{:x}", Sha256::digest(&bytes));
        self.0.insert(file, hash.clone());
        Ok(hash)
    }
}

/// Manifest rows: one per table column, with each input's sha256.
struct Manifest<'h> {
    hashes: &'h mut Hashes,
    text: String,
}

impl<'h> Manifest<'h> {
    fn new(hashes: &'h mut Hashes) -> Manifest<'h> {
        Manifest {
            hashes,
            text: String::new(),
        }
    }

    fn identity(&mut self, table: &str) {
        writeln!(
            self.text,
            "{table},\"fips,postal,name\",U.S. Census Bureau,FIPS state codes (ANSI INCITS 38),,code,,"
        )
        .unwrap();
    }

    fn column(
        &mut self,
        raw: &Path,
        table: &str,
        column: &str,
        source: &Source,
    ) -> Result<(), BuildError> {
        let hashes = source
            .files
            .iter()
            .map(|f| self.hashes.of(raw, f))
            .collect::<Result<Vec<_>, _>>()?;
        writeln!(
            self.text,
            "{},{},{},{},{},{},{},{}",
            table,
            csv_field(column),
            csv_field(source.publisher),
            csv_field(&source.table),
            csv_field(&source.year),
            csv_field(source.units),
            csv_field(&source.files.join(";")),
            hashes.join(";")
        )
        .unwrap();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_rounds_half_away_from_zero() {
        assert_eq!(scale(10, 1, 4), 3); // 2.5
        assert_eq!(scale(-10, 1, 4), -3);
        assert_eq!(scale(9, 1, 4), 2); // 2.25
                                       // years-data.md §1.5: Medicaid FY2024 scaled.
        assert_eq!(scale(627_394_306_307, 637_043, 633_669), 630_734_896_409);
        // §1.6 "scaled" grants.
        assert_eq!(scale(659_930_242_454, 449_685, 584_724), 507_522_747_618);
        assert_eq!(scale(659_930_242_454, 504_875, 584_724), 569_811_194_955);
    }

    #[test]
    fn first_year_and_exact_millions() {
        assert_eq!(first_year("TY2023"), Some(2023));
        assert_eq!(first_year("SFY2022 (Census); FY2023 (CMS-64)"), Some(2022));
        assert_eq!(first_year("2016, 2020, 2024"), Some(2016));
        assert_eq!(first_year("12345"), None);
        assert_eq!(exact_millions(597_948_445_546), "597,948.445546");
        assert_eq!(exact_millions(797_922_900_000), "797,922.9");
        assert_eq!(exact_millions(1_000_000), "1");
        assert_eq!(exact_millions(-500_000), "-0.5");
        assert_eq!(exact_millions(-68_156_935_000), "-68,156.935");
    }
}
