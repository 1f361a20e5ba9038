//! The compact tables' file names and headers. The builder writes exactly
//! these; the loader accepts exactly these. The eight tables of
//! `ALL_FILES` make a dataset; the county and map tables load on demand. Amounts are whole dollars
//! (`_usd`), counts are persons, returns or votes.

pub const DATASET_FILE: &str = "dataset.csv";
/// `key,value` rows: `fiscal_year` (the federal fiscal year of the controls).
pub const DATASET_HEADER: &[&str] = &["key", "value"];

pub const STATES_FILE: &str = "states.csv";
pub const STATES_HEADER: &[&str] = &[
    "fips",
    "postal",
    "name",
    "population",
    "personal_income_usd",
    "gdp_usd",
    "pce_usd",
];

pub const RECEIPT_KEYS_FILE: &str = "receipt_keys.csv";
pub const RECEIPT_KEYS_HEADER: &[&str] = crate::ReceiptKeys::HEADER;

pub const SPENDING_FILE: &str = "spending.csv";
pub const SPENDING_HEADER: &[&str] = crate::SpendingByState::HEADER;

pub const CONTROLS_FILE: &str = "controls.csv";
pub const CONTROLS_HEADER: &[&str] = &["id", "amount_usd", "derivation"];

pub const BORDERS_FILE: &str = "borders.csv";
pub const BORDERS_HEADER: &[&str] = &["state_a", "state_b"];

pub const ELECTIONS_FILE: &str = "elections.csv";
pub const ELECTIONS_HEADER: &[&str] = &[
    "year",
    "postal",
    "dem_candidate",
    "rep_candidate",
    "dem_votes",
    "rep_votes",
    "other_votes",
    "total_votes",
];

pub const INCOME_CLASSES_FILE: &str = "income_classes.csv";
pub const INCOME_CLASSES_HEADER: &[&str] = &[
    "postal",
    "agi_class",
    "returns",
    "agi_usd",
    "wages_usd",
    "income_tax_after_credits_usd",
    "state_local_income_tax_itemized_usd",
    "general_sales_tax_itemized_usd",
];

pub const MANIFEST_FILE: &str = "manifest.csv";
pub const MANIFEST_HEADER: &[&str] = &[
    "table",
    "column",
    "publisher",
    "source_table",
    "year",
    "units",
    "input_files",
    "input_sha256",
];

pub const COUNTIES_FILE: &str = "counties.csv";
pub const COUNTIES_HEADER: &[&str] = &[
    "fips",
    "state",
    "name",
    "population",
    "dem_2016",
    "rep_2016",
    "total_2016",
    "dem_2020",
    "rep_2020",
    "total_2020",
    "dem_2024",
    "rep_2024",
    "total_2024",
    "votes_estimated",
];

pub const COUNTY_EDGES_FILE: &str = "county_edges.csv";
pub const COUNTY_EDGES_HEADER: &[&str] = &["a", "b"];

pub const STATE_PATHS_FILE: &str = "state_paths.csv";
pub const STATE_PATHS_HEADER: &[&str] = &["fips", "postal", "d", "label_x", "label_y"];

/// The county view's outlines: a row per county of `counties.csv` the map
/// geometry outlines, and a row keyed by the two-digit FIPS code per state
/// drawn whole (its counties have no outline of their own).
pub const COUNTY_PATHS_FILE: &str = "county_paths.csv";
pub const COUNTY_PATHS_HEADER: &[&str] = STATE_PATHS_HEADER;

/// Every file of a dataset, in the order the checksum covers them.
pub const ALL_FILES: &[&str] = &[
    DATASET_FILE,
    STATES_FILE,
    RECEIPT_KEYS_FILE,
    SPENDING_FILE,
    CONTROLS_FILE,
    BORDERS_FILE,
    ELECTIONS_FILE,
    INCOME_CLASSES_FILE,
    MANIFEST_FILE,
];

/// The files of one fiscal year: under `data/fyYYYY/` in the embedded layout.
/// The others (borders, elections, counties, maps) every year shares, under `data/`.
pub const YEAR_FILES: &[&str] = &[
    DATASET_FILE,
    STATES_FILE,
    RECEIPT_KEYS_FILE,
    SPENDING_FILE,
    CONTROLS_FILE,
    INCOME_CLASSES_FILE,
    MANIFEST_FILE,
];

/// The directory of fiscal year `year` in the embedded layout: `fy2024`.
pub fn year_dir(year: u16) -> String {
    format!("fy{year}")
}

/// Control ids the ledger needs. Receipt categories sum to `receipts.total`;
/// spending channels sum to `outlays.total`.
pub mod control {
    pub const RECEIPTS_TOTAL: &str = "receipts.total";
    pub const RECEIPTS_INDIVIDUAL_INCOME: &str = "receipts.individual_income";
    pub const RECEIPTS_SOCIAL_INSURANCE: &str = "receipts.social_insurance";
    pub const RECEIPTS_CORPORATE_INCOME: &str = "receipts.corporate_income";
    pub const RECEIPTS_EXCISE: &str = "receipts.excise";
    pub const RECEIPTS_ESTATE_GIFT: &str = "receipts.estate_gift";
    pub const RECEIPTS_OTHER_REST: &str = "receipts.other_rest";

    pub const OUTLAYS_TOTAL: &str = "outlays.total";
    pub const OUTLAYS_SOCIAL_SECURITY: &str = "outlays.social_security";
    pub const OUTLAYS_MEDICARE: &str = "outlays.medicare";
    pub const OUTLAYS_MEDICAID_CHIP: &str = "outlays.medicaid_chip";
    pub const OUTLAYS_SNAP: &str = "outlays.snap";
    pub const OUTLAYS_OTHER_PAYMENTS: &str = "outlays.other_payments";
    pub const OUTLAYS_GRANTS: &str = "outlays.grants";
    /// The part of `outlays.grants` for mandatory programs (OMB Tables 8.5,
    /// 11.3 and subfunction 806); the rest is discretionary.
    pub const OUTLAYS_GRANTS_MANDATORY: &str = "outlays.grants_mandatory";
    pub const OUTLAYS_FEDERAL_WAGES: &str = "outlays.federal_wages";
    pub const OUTLAYS_PROCUREMENT: &str = "outlays.procurement";
    pub const OUTLAYS_NET_INTEREST: &str = "outlays.net_interest";
    pub const OUTLAYS_RESIDUAL: &str = "outlays.residual";
    /// Defense (050) plus general government (800 less 806): spread per
    /// capita under the benefit method. Not a channel of its own.
    pub const NATIONAL_PUBLIC_GOODS: &str = "outlays.national_public_goods";
    pub const DEBT_HELD_BY_PUBLIC: &str = "debt.held_by_public";

    pub const RECEIPT_CATEGORIES: [&str; 6] = [
        RECEIPTS_INDIVIDUAL_INCOME,
        RECEIPTS_SOCIAL_INSURANCE,
        RECEIPTS_CORPORATE_INCOME,
        RECEIPTS_EXCISE,
        RECEIPTS_ESTATE_GIFT,
        RECEIPTS_OTHER_REST,
    ];

    pub const SPENDING_CHANNELS: [&str; 10] = [
        OUTLAYS_SOCIAL_SECURITY,
        OUTLAYS_MEDICARE,
        OUTLAYS_MEDICAID_CHIP,
        OUTLAYS_SNAP,
        OUTLAYS_OTHER_PAYMENTS,
        OUTLAYS_GRANTS,
        OUTLAYS_FEDERAL_WAGES,
        OUTLAYS_PROCUREMENT,
        OUTLAYS_NET_INTEREST,
        OUTLAYS_RESIDUAL,
    ];

    pub const REQUIRED: [&str; 22] = [
        OUTLAYS_GRANTS_MANDATORY,
        RECEIPTS_TOTAL,
        RECEIPTS_INDIVIDUAL_INCOME,
        RECEIPTS_SOCIAL_INSURANCE,
        RECEIPTS_CORPORATE_INCOME,
        RECEIPTS_EXCISE,
        RECEIPTS_ESTATE_GIFT,
        RECEIPTS_OTHER_REST,
        OUTLAYS_TOTAL,
        OUTLAYS_SOCIAL_SECURITY,
        OUTLAYS_MEDICARE,
        OUTLAYS_MEDICAID_CHIP,
        OUTLAYS_SNAP,
        OUTLAYS_OTHER_PAYMENTS,
        OUTLAYS_GRANTS,
        OUTLAYS_FEDERAL_WAGES,
        OUTLAYS_PROCUREMENT,
        OUTLAYS_NET_INTEREST,
        OUTLAYS_RESIDUAL,
        NATIONAL_PUBLIC_GOODS,
        DEBT_HELD_BY_PUBLIC,
        "receipts.other",
    ];
}
