//! Assembles the compact tables and the manifest from the source modules.
//!
//! `build` returns each file's name and exact text; `main` writes them. The
//! text depends only on the raw inputs, so rerunning reproduces the
//! committed files byte for byte.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use fedsplit_core::State;
use fedsplit_data::schema;
use sha2::{Digest, Sha256};

use crate::counties;
use crate::{bea, elections, federal_spending, geography, irs, map, omb, population, state_taxes};
use crate::{BuildError, ControlRow, Source, StateColumn};

/// One output file: name under `data/` and its full text.
pub struct OutputFile {
    pub name: &'static str,
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

/// Reads every source and returns the compact tables plus `manifest.csv`.
pub fn build(raw: &Path) -> Result<Vec<OutputFile>, BuildError> {
    let mut columns: Vec<StateColumn> = vec![population::population_2022(raw)?];
    columns.extend(bea::state_columns(raw)?);
    columns.extend(irs::soi_state_columns(raw)?);
    columns.extend(irs::databook_state_columns(raw)?);
    columns.extend(federal_spending::state_columns(raw)?);
    columns.extend(state_taxes::state_columns(raw)?);
    let col = |name: &str| -> Result<&StateColumn, BuildError> {
        columns
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| BuildError::Check(format!("no source produced column {name}")))
    };

    let mut manifest = Manifest::new(raw);
    let mut files = Vec::new();

    // states.csv
    let state_cols = ["population", "personal_income_usd", "gdp_usd", "pce_usd"];
    let mut text = String::from("fips,postal,name");
    for c in state_cols {
        write!(text, ",{c}").unwrap();
    }
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
        manifest.column("states", c, &col(c)?.source)?;
    }
    files.push(OutputFile {
        name: "states.csv",
        text,
    });

    // receipt_keys.csv and spending.csv
    for (name, table, cols) in [
        ("receipt_keys.csv", "receipt_keys", RECEIPT_KEY_COLUMNS),
        ("spending.csv", "spending", SPENDING_COLUMNS),
    ] {
        let picked: Vec<&StateColumn> = cols.iter().map(|c| col(c)).collect::<Result<_, _>>()?;
        files.push(OutputFile {
            name,
            text: per_state_table(&picked),
        });
        for c in picked {
            manifest.column(table, c.name, &c.source)?;
        }
    }

    // controls.csv
    let controls = derive_controls(raw, &col)?;
    let mut text = String::from("id,amount_usd,derivation\n");
    for c in &controls {
        writeln!(
            text,
            "{},{},{}",
            c.id,
            c.amount_usd,
            csv_field(&c.derivation)
        )
        .unwrap();
        manifest.column("controls", c.id, &c.source)?;
    }
    files.push(OutputFile {
        name: "controls.csv",
        text,
    });

    // borders.csv
    let (source, borders) = geography::land_borders(raw)?;
    let mut text = String::from("state_a,state_b\n");
    for (a, b) in borders {
        writeln!(text, "{},{}", a.postal(), b.postal()).unwrap();
    }
    manifest.column("borders", "state_a,state_b", &source)?;
    files.push(OutputFile {
        name: "borders.csv",
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
    let medsl = |table: &'static str| Source {
        publisher: "MIT Election Data and Science Lab (MEDSL)",
        table,
        year: "2016, 2020, 2024",
        units: "votes",
        files: MEDSL_STATE_FILES.to_vec(),
    };
    for (column, table) in [
        ("dem_candidate,rep_candidate", "U.S. President 1976-2020 and 2024 state returns: nominee names (normalised)"),
        ("dem_votes,rep_votes", "U.S. President state returns: candidatevotes/votes summed by nominee (all party lines)"),
        ("other_votes,total_votes", "U.S. President state returns: all candidate rows; undervote, overvote, blank and void rows dropped"),
    ] {
        manifest.column("elections", column, &medsl(table))?;
    }
    files.push(OutputFile {
        name: "elections.csv",
        text,
    });

    // income_classes.csv
    let mut text = String::from(
        "postal,agi_class,returns,agi_usd,wages_usd,income_tax_after_credits_usd,\
         state_local_income_tax_itemized_usd,general_sales_tax_itemized_usd\n",
    );
    for r in irs::soi_income_classes(raw)? {
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
    let soi = Source {
        publisher: "Internal Revenue Service, Statistics of Income",
        table: "Historic Table 2 (22in55cmcsv), AGI_STUB 1-10: N1, A00100, A00200, A06500",
        year: "TY2022",
        units: "returns; thousands of dollars",
        files: vec!["irs-soi-historic-table2/22in55cmcsv.csv"],
    };
    manifest.column(
        "income_classes",
        "returns,agi_usd,wages_usd,income_tax_after_credits_usd",
        &soi,
    )?;
    let soi_itemized = |table: &'static str| Source {
        publisher: "Internal Revenue Service, Statistics of Income",
        table,
        year: "TY2022",
        units: "thousands of dollars",
        files: vec!["irs-soi-historic-table2/22in55cmcsv.csv"],
    };
    manifest.column(
        "income_classes",
        "state_local_income_tax_itemized_usd",
        &soi_itemized("Historic Table 2 (22in55cmcsv), AGI_STUB 1-10: A18425 state and local income taxes (itemized deduction; itemizers only)"),
    )?;
    manifest.column(
        "income_classes",
        "general_sales_tax_itemized_usd",
        &soi_itemized("Historic Table 2 (22in55cmcsv), AGI_STUB 1-10: A18450 state and local general sales taxes (itemized deduction; itemizers only)"),
    )?;
    files.push(OutputFile {
        name: "income_classes.csv",
        text,
    });

    // state_paths.csv
    let (source, paths) = map::state_paths(raw)?;
    manifest.column("state_paths", "d,label_x,label_y", &source)?;
    files.push(OutputFile {
        name: "state_paths.csv",
        text: map::table_text(&paths),
    });

    // counties.csv and county_edges.csv (the county graph, 48 states + DC)
    let graph = counties::county_graph(raw)?;
    for (table, column, source) in counties::sources() {
        manifest.column(table, column, &source)?;
    }
    files.push(OutputFile {
        name: "counties.csv",
        text: counties::counties_text(&graph),
    });
    files.push(OutputFile {
        name: "county_edges.csv",
        text: counties::edges_text(&graph),
    });

    files.push(OutputFile {
        name: "manifest.csv",
        text: manifest.text,
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

/// The controls the ledger needs (METHODOLOGY §1–2), derived from the OMB
/// rows and the per-state sums, followed by every OMB component row.
fn derive_controls<'a>(
    raw: &Path,
    col: &dyn Fn(&str) -> Result<&'a StateColumn, BuildError>,
) -> Result<Vec<ControlRow>, BuildError> {
    let omb_rows = omb::controls(raw)?;
    let estate_gift = irs::estate_gift_control(raw)?;
    let get = |id: &str| -> Result<&ControlRow, BuildError> {
        omb_rows
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| BuildError::Check(format!("OMB control {id} missing")))
    };
    let m = group_millions;
    let mut out: Vec<ControlRow> = Vec::new();
    let copy = |id: &str, new_id: &'static str| -> Result<ControlRow, BuildError> {
        let mut row = get(id)?.clone();
        row.id = new_id;
        Ok(row)
    };

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
    let other = get("receipts.other")?.amount_usd;
    out.push(ControlRow {
        id: "receipts.estate_gift",
        amount_usd: estate_gift.amount_usd,
        source: estate_gift.source.clone(),
        derivation: format!(
            "Estate and gift taxes inside OMB 'other receipts', sized by IRS Data Book Table 5 U.S. gross collections (estate + gift), FY2022: ${}M (OMB Table 2.5 not in the inputs)",
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
            "OMB Table 2.1 other receipts ${}M − estate and gift ${}M: customs duties, Federal Reserve deposits, miscellaneous",
            m(other),
            m(estate_gift.amount_usd)
        ),
    });

    // Spending channels.
    let sum = |name: &str| -> Result<i64, BuildError> { Ok(col(name)?.total()) };
    let medicaid = sum("medicaid_chip_federal_usd")?;
    let snap = sum("snap_benefits_usd")?;
    let slgf = sum("slgf_federal_revenue_usd")?;
    let wages = sum("federal_civilian_gdp_usd")? + sum("military_gdp_usd")?;
    let other_payments = omb::other_payments_for_individuals(&omb_rows, snap)?;
    let pool = get("outlays.operations_pool")?.amount_usd;
    let total = get("outlays.total")?.amount_usd;
    let source_of = |name: &str| -> Result<Source, BuildError> { Ok(col(name)?.source.clone()) };
    let joined = |sources: &[Source], table: &'static str, year: &'static str| -> Source {
        let mut files: Vec<&'static str> = sources.iter().flat_map(|s| s.files.clone()).collect();
        files.sort_unstable();
        files.dedup();
        Source {
            publisher: "fedsplit, derived (see derivation)",
            table,
            year,
            units: "dollars",
            files,
        }
    };

    out.push(get("outlays.total")?.clone());
    out.push(copy("outlays.social_security", "outlays.social_security")?);
    out.push(copy("outlays.medicare", "outlays.medicare")?);
    out.push(ControlRow {
        id: "outlays.medicaid_chip",
        amount_usd: medicaid,
        source: source_of("medicaid_chip_federal_usd")?,
        derivation: format!(
            "Σ over 50 states + DC of CMS-64 FY2022 federal share, MAP + ADM + MCHIP + MCHIP 20% + CHIP (first total row of each sheet) = ${}M",
            m(medicaid)
        ),
    });
    out.push(ControlRow {
        id: "outlays.snap",
        amount_usd: snap,
        source: source_of("snap_benefits_usd")?,
        derivation: format!(
            "Σ over 50 states + DC of USDA FNS FY2022 SNAP benefit cost (P-EBT excluded) = ${}M",
            m(snap)
        ),
    });
    let omb_11_3 = get("outlays.direct_payments_for_individuals_11_3")?
        .source
        .clone();
    out.push(ControlRow {
        id: "outlays.other_payments",
        amount_usd: other_payments,
        source: joined(
            &[omb_11_3.clone(), source_of("snap_benefits_usd")?],
            "OMB Table 11.3 direct payments for individuals, less programs counted in other channels",
            "FY2022",
        ),
        derivation: format!(
            "OMB Table 11.3 direct payments for individuals ${}M − Social Security ${}M − Medicare ${}M − FNS SNAP benefits (51 areas) ${}M − Education student assistance ${}M − federally provided health care ${}M = ${}M",
            m(get("outlays.direct_payments_for_individuals_11_3")?.amount_usd),
            m(get("outlays.payments_11_3.social_security")?.amount_usd),
            m(get("outlays.payments_11_3.medicare")?.amount_usd),
            m(snap),
            m(get("outlays.payments_11_3.student_assistance")?.amount_usd),
            m(get("outlays.payments_11_3.federally_provided_health_care")?.amount_usd),
            m(other_payments)
        ),
    });
    out.push(ControlRow {
        id: "outlays.grants",
        amount_usd: slgf - medicaid,
        source: joined(
            &[source_of("slgf_federal_revenue_usd")?, source_of("medicaid_chip_federal_usd")?],
            "Census SLGF 2022 Table 1 line 4 less CMS-64 federal share",
            "state FY2022 (Census); FY2022 (CMS-64)",
        ),
        derivation: format!(
            "Σ over 50 states + DC of Census 2022 State & Local Government Finances line 4 'From Federal Government' ${}M − CMS-64 Medicaid + CHIP federal share ${}M = ${}M",
            m(slgf),
            m(medicaid),
            m(slgf - medicaid)
        ),
    });
    out.push(ControlRow {
        id: "outlays.federal_wages",
        amount_usd: wages,
        source: joined(
            &[source_of("federal_civilian_gdp_usd")?],
            "BEA SAGDP2 lines 84 + 85",
            "CY2022",
        ),
        derivation: format!(
            "Σ over 50 states + DC of BEA SAGDP2 2022 line 84 federal civilian ${}M + line 85 military ${}M (value added: pay + depreciation) = ${}M",
            m(sum("federal_civilian_gdp_usd")?),
            m(sum("military_gdp_usd")?),
            m(wages)
        ),
    });
    let pool_source = joined(
        &[
            get("outlays.operations_pool")?.source.clone(),
            source_of("federal_civilian_gdp_usd")?,
        ],
        "OMB operations pool (Tables 6.1, 3.2, 11.3) less BEA SAGDP2 lines 84 + 85",
        "FY2022 (OMB); CY2022 (BEA)",
    );
    out.push(ControlRow {
        id: "outlays.procurement",
        amount_usd: pool - wages,
        source: pool_source,
        derivation: format!(
            "operations pool ${}M (see outlays.operations_pool) − federal wages ${}M = ${}M",
            m(pool),
            m(wages),
            m(pool - wages)
        ),
    });
    out.push(copy("outlays.net_interest", "outlays.net_interest")?);
    let channels: i64 = out
        .iter()
        .filter(|r| r.id.starts_with("outlays.") && r.id != "outlays.total")
        .map(|r| r.amount_usd)
        .sum();
    let residual = total - channels;
    let intl = get("outlays.international_affairs_150")?.amount_usd;
    let offsets = get("outlays.undistributed_offsetting_receipts_950")?.amount_usd;
    let students = get("outlays.payments_11_3.student_assistance")?.amount_usd;
    let credit = [
        "outlays.operations.credit_371",
        "outlays.operations.credit_373",
        "outlays.operations.credit_274",
    ]
    .iter()
    .map(|id| get(id).map(|r| r.amount_usd))
    .sum::<Result<i64, _>>()?;
    out.push(ControlRow {
        id: "outlays.residual",
        amount_usd: residual,
        source: joined(
            &[get("outlays.total")?.source.clone()],
            "OMB Table 3.2 total less every channel",
            "FY2022",
        ),
        derivation: format!(
            "total outlays ${}M − the nine channels above = ${}M. Items: international affairs (150) ${}M; undistributed offsetting receipts (950) ${}M; Education student assistance incl. the FY2022 student-loan one-off ${}M; credit subfunctions 371/373/274 ${}M; the rest ${}M = mainly OMB grants to state and local governments less the Census federal revenue of state and local governments (state fiscal years, 51 areas); CMS-64 cancels out, and the gaps between BEA value added and OMB pay sit in procurement (the operations pool less BEA wages)",
            m(total),
            m(residual),
            m(intl),
            m(offsets),
            m(students),
            m(credit),
            m(residual - intl - offsets - students - credit)
        ),
    });
    let defense = get("outlays.national_defense_050")?.amount_usd;
    let gg = get("outlays.general_government_800")?.amount_usd;
    let gpfa = get("outlays.general_purpose_fiscal_assistance_806")?.amount_usd;
    out.push(ControlRow {
        id: "outlays.national_public_goods",
        amount_usd: defense + gg - gpfa,
        source: joined(
            &[
                get("outlays.national_defense_050")?.source.clone(),
                get("outlays.general_government_800")?.source.clone(),
            ],
            "OMB Table 3.2 functions 050 + 800 less subfunction 806",
            "FY2022",
        ),
        derivation: format!(
            "benefit method only: national defense (050) ${}M + general government (800) ${}M − general purpose fiscal assistance (806, grants) ${}M = ${}M, taken out of federal wages and procurement pro rata",
            m(defense),
            m(gg),
            m(gpfa),
            m(defense + gg - gpfa)
        ),
    });
    out.push(copy(
        "debt.held_by_public_end_fy2022",
        "debt.held_by_public",
    )?);

    // Every OMB row not already used under its own id, for `sources`.
    for r in &omb_rows {
        if !out.iter().any(|o| o.id == r.id) {
            out.push(r.clone());
        }
    }
    out.push(estate_gift);
    Ok(out)
}

/// "1,234,567" from dollars, in whole millions.
fn group_millions(usd: i64) -> String {
    fedsplit_core::group_digits((usd as f64 / 1e6).round() as i64)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The manifest: one row per table column, with each input's sha256.
struct Manifest<'a> {
    raw: &'a Path,
    hashes: BTreeMap<&'static str, String>,
    text: String,
}

impl<'a> Manifest<'a> {
    fn new(raw: &'a Path) -> Manifest<'a> {
        Manifest {
            raw,
            hashes: BTreeMap::new(),
            text: String::from(
                "table,column,publisher,source_table,year,units,input_files,input_sha256\n",
            ),
        }
    }

    fn identity(&mut self, table: &str) {
        writeln!(
            self.text,
            "{table},\"fips,postal,name\",U.S. Census Bureau,FIPS state codes (ANSI INCITS 38),,code,,"
        )
        .unwrap();
    }

    fn column(&mut self, table: &str, column: &str, source: &Source) -> Result<(), BuildError> {
        let mut hashes = Vec::new();
        for file in &source.files {
            if !self.hashes.contains_key(file) {
                let path = self.raw.join(file);
                let bytes = std::fs::read(&path).map_err(|e| BuildError::Io { path, source: e })?;
                self.hashes
                    .insert(file, format!("{:x}", Sha256::digest(&bytes)));
            }
            hashes.push(self.hashes[file].clone());
        }
        writeln!(
            self.text,
            "{},{},{},{},{},{},{},{}",
            table,
            csv_field(column),
            csv_field(source.publisher),
            csv_field(source.table),
            csv_field(source.year),
            csv_field(source.units),
            csv_field(&source.files.join(";")),
            hashes.join(";")
        )
        .unwrap();
        Ok(())
    }
}
