//! OMB Historical Tables (FY2027 Budget edition; Table 7.1 from the FY2024
//! Budget edition): the national control totals of one fiscal year for
//! receipts and outlays, and the Table 3.2 / 6.1 / 8.5 / 11.3 lines from which
//! the spending channels of METHODOLOGY sections 2 and 9 are derived.
//!
//! All OMB figures are in millions of dollars; every row is returned in whole
//! dollars (millions × 1,000,000). Rows and columns are located by their
//! label text (the year's column by its header, e.g. "2022"), never by
//! position. The formulas below are the same in every year; the FY2022
//! figures illustrate them.
//!
//! # Other payments for individuals
//!
//! Table 11.3 splits each program into direct payments and grants. The
//! channel "other payments to individuals" is
//!
//! ```text
//! other_payments = outlays.direct_payments_for_individuals_11_3
//!                − outlays.payments_11_3.social_security      (OASI + DI, direct)
//!                − outlays.payments_11_3.medicare             (HI + SMI, direct)
//!                − FNS SNAP benefits, 51 areas                (from FNS, supplied by the caller)
//!                − outlays.payments_11_3.student_assistance   (Education and other, direct)
//!                − outlays.payments_11_3.federally_provided_health_care
//! ```
//!
//! Medicaid (and CHIP) are grants only in Table 11.3 (their direct column is
//! empty), so they are not subtracted; `controls` checks that this still
//! holds. FY2022: 3,731,642 − 1,211,776 − 896,445 − 113,742 − 541,189 −
//! 143,378 = 825,112 $M. The part of Table 11.3 SNAP not paid as FNS benefits
//! to the 51 areas (137,797 − 113,742) stays in "other". Railroad retirement,
//! the Uniformed Services and Postal Service retiree health funds and the
//! premium tax credit also stay in "other". See [`other_payments_for_individuals`].
//!
//! # Operations pool (wages + procurement)
//!
//! ```text
//! operations_pool = outlays.operations.defense_6_1
//!                 + outlays.operations.all_other_6_1
//!                 − outlays.operations.payments_for_individuals_inside
//!                 + outlays.operations.federally_provided_health_care
//!                 − outlays.operations.international_affairs
//!                 − (outlays.operations.credit_371 + credit_373 + credit_274)
//! ```
//!
//! (and `− outlays.operations.higher_education_outside_pfi`, see below),
//! where `payments_for_individuals_inside` is what defense and "all other"
//! hold of channels counted elsewhere: the payments for individuals inside
//! national defense (Table 11.3 total − Table 6.1 payments for individuals),
//! plus the parts of functions 651 and 571 that are not payments for
//! individuals and therefore sit in Table 6.1 "all other" (Social Security
//! administration; Medicare premiums, which are negative). The Social Security
//! and Medicare channels are the whole functions, so these must leave the
//! pool. The credit subfunctions (371, 373, 274) are moved to the residual:
//! they are credit-program costs and asset transactions, not purchases. So is
//! higher education (function 502) outside payments for individuals: Table
//! 3.2 subfunction 502 less Table 11.3 student assistance (Total column),
//! the student-loan cost re-estimates and modifications that Table 6.1 puts
//! in "All other" (FY2023: −342,294 $M, the reversal of the loan relief).
//! FY2022: 765,649 + 341,837 − (1,884 + 6,880 − 141,351) + 143,378 − 70,555 −
//! (−43,386 − 11,525 − 13,844) − (−23,140) = 1,404,791 $M; less federal wages
//! (797,923, BEA) gives procurement 606,868.
//!
//! # Grants: OMB non-Medicaid grants and their mandatory part
//!
//! OMB grants to state and local governments are Table 6.1 grants for
//! payments for individuals + all other grants; less Table 11.3 Grants column
//! Medicaid + CHIP they are the OMB non-Medicaid grants (FY2022: 795,315 +
//! 398,028 − 608,619 = 584,724 $M). Their mandatory part is the Table 11.3
//! Grants lines of mandatory programs (as Table 8.5 classes them: SNAP
//! administration and the Puerto Rico block grant, child nutrition, commodity
//! donations, TANF, foster care and adoption, the premium tax credit), plus
//! the mandatory part of child care (Table 8.5 Family and Other Support
//! Assistance less 11.3 TANF grants, capped at the child-care grants), plus
//! subfunction 806 general purpose fiscal assistance (FY2022: 108,671 +
//! 114,902 = 223,573 $M, 38.24%). Table 11.3 does not split the other grants,
//! and every other grant is taken as discretionary.

use std::collections::HashMap;
use std::path::Path;

use crate::sheet::{read_sheet, to_units, Sheet};
use crate::{BuildError, ControlRow, Source};

const T1_1: &str = "omb-historical-tables-fy2027/hist01z1_fy2027.xlsx";
const T2_1: &str = "omb-historical-tables-fy2027/hist02z1_fy2027.xlsx";
const T3_2: &str = "omb-historical-tables-fy2027/hist03z2_fy2027.xlsx";
const T6_1: &str = "omb-historical-tables-fy2027/hist06z1_fy2027.xlsx";
const T11_3: &str = "omb-historical-tables-fy2027/hist11z3_fy2027.xlsx";
const T7_1: &str = "omb-historical-tables-fy2027/hist07z1_fy2024budget.xlsx";
const T8_5: &str = "omb-historical-tables-fy2027/hist08z5_fy2027.xlsx";

const PUBLISHER: &str = "Office of Management and Budget";
const UNITS: &str = "millions of dollars";
const MILLIONS: f64 = 1e6;
const USD_PER_MILLION: i64 = 1_000_000;

/// Table 11.3 "Medical care" lines counted as federally provided health care
/// (direct column).
const FEDERALLY_PROVIDED_HEALTH_CARE: [&str; 6] = [
    "Indian health",
    "Hospital and medical care for veterans",
    "Health resources and services",
    "Substance abuse and mental health services",
    "Center for Medicare and Medicaid Innovation",
    "Other",
];
/// Table 11.3 "Medical care" lines that are Medicare.
const MEDICARE: [&str; 2] = [
    "Medicare: hospital insurance",
    "Medicare: supplementary medical insurance",
];
/// Table 11.3 "Medical care" lines that are grants only (no direct column).
const MEDICAL_GRANTS_ONLY: [&str; 2] = ["Medicaid", "Children's health insurance"];
/// Table 11.3 "Medical care" lines that stay in other payments for individuals.
const MEDICAL_OTHER: [&str; 3] = [
    "Uniformed Services retiree health care fund",
    "Refundable Premium Tax Credit and Cost Sharing Reductions",
    "Postal Service Retiree Health Benefits Fund",
];
/// How a Table 11.3 Grants-column line counts in the grants channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GrantClass {
    /// Medicaid and CHIP: the Medicaid channel, not grants.
    Medicaid,
    /// A mandatory program (Table 8.5).
    Mandatory,
    /// A discretionary program (Table 8.7).
    Discretionary,
    /// Child care: mandatory up to Table 8.5 Family and Other Support
    /// Assistance less the TANF grants, discretionary beyond.
    ChildCare,
}

/// Every Table 11.3 line with grants in FY2019–FY2024: (block heading, or ""
/// outside a block; line label; class). A line with grants that is not here
/// stops the build.
const GRANT_LINES: [(&str, &str, GrantClass); 20] = {
    use GrantClass::*;
    const SS: &str = "Social security and railroad retirement:";
    const MED: &str = "Medical care:";
    const STUDENTS: &str = "Assistance to students:";
    const FOOD: &str = "Food and nutrition assistance:";
    const PUBLIC: &str = "Public assistance and related programs:";
    const OTHER: &str = "All other payments for individuals:";
    [
        (SS, "Social security: disability insurance", Discretionary),
        (MED, "Children's health insurance", Medicaid),
        (MED, "Medicaid", Medicaid),
        (MED, "Hospital and medical care for veterans", Discretionary),
        (MED, "Health resources and services", Discretionary),
        (
            MED,
            "Substance abuse and mental health services",
            Discretionary,
        ),
        (
            MED,
            "Refundable Premium Tax Credit and Cost Sharing Reductions",
            Mandatory,
        ),
        (MED, "Other", Discretionary),
        (
            STUDENTS,
            "Student assistance--Department of Education and other",
            Discretionary,
        ),
        ("", "Housing assistance", Discretionary),
        (
            FOOD,
            "SNAP (formerly Food stamps)(including Puerto Rico)",
            Mandatory,
        ),
        (FOOD, "Child nutrition and special milk programs", Mandatory),
        (
            FOOD,
            "Supplemental feeding programs (WIC and CSFP)",
            Discretionary,
        ),
        (FOOD, "Commodity donations and other", Mandatory),
        (
            PUBLIC,
            "Family support payments to States and TANF",
            Mandatory,
        ),
        (PUBLIC, "Low income home energy assistance", Discretionary),
        (
            PUBLIC,
            "Child care assistance for low and middle income families",
            ChildCare,
        ),
        (
            PUBLIC,
            "Payments to States--Foster Care/Adoption Assist.",
            Mandatory,
        ),
        (OTHER, "Aging services programs", Discretionary),
        (OTHER, "Refugee assistance and other", Discretionary),
    ]
};
const TANF: &str = "Family support payments to States and TANF";

const SOCIAL_SECURITY: [&str; 2] = [
    "Social security: old age and survivors insurance",
    "Social security: disability insurance",
];

/// National control totals of fiscal year `fy` and their components, in
/// dollars. See the module documentation for the derived rows and their
/// formulas. Every row's manifest year is the fiscal year.
pub fn controls(raw: &Path, fy: u16) -> Result<Vec<ControlRow>, BuildError> {
    let mut out = Rows {
        fy,
        rows: Vec::new(),
    };
    receipts(raw, fy, &mut out)?;
    outlays(raw, fy, &mut out)?;
    grants(raw, fy, &mut out)?;
    debt(raw, fy, &mut out)?;
    Ok(out.rows)
}

/// Other payments for individuals (METHODOLOGY section 2), from the rows
/// returned by [`controls`] and the FNS SNAP benefits paid in the 51 areas
/// (dollars): direct payments − Social Security − Medicare − FNS SNAP
/// benefits − student assistance − federally provided health care.
pub fn other_payments_for_individuals(
    controls: &[ControlRow],
    fns_snap_benefits_usd: i64,
) -> Result<i64, BuildError> {
    let get = |id: &str| {
        controls
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.amount_usd)
            .ok_or_else(|| BuildError::Check(format!("control row {id} missing")))
    };
    Ok(get("outlays.direct_payments_for_individuals_11_3")?
        - get("outlays.payments_11_3.social_security")?
        - get("outlays.payments_11_3.medicare")?
        - fns_snap_benefits_usd
        - get("outlays.payments_11_3.student_assistance")?
        - get("outlays.payments_11_3.federally_provided_health_care")?)
}

// ---------------------------------------------------------------- receipts

fn receipts(raw: &Path, fy: u16, out: &mut Rows) -> Result<(), BuildError> {
    let year = fy.to_string();
    let t = Table::open(raw, T2_1, "Table 2.1", fy)?;
    let hr = t.row(0, "Fiscal Year")?;
    let yr = t.row(hr + 1, &year)?;
    let cell = |levels: &[&str]| -> Result<Cell, BuildError> {
        let col = t.col(hr, levels)?;
        t.cell(yr, col, &levels.join(" / "))
    };
    let individual = cell(&["Individual Income Taxes"])?;
    let corporate = cell(&["Corporation Income Taxes"])?;
    let social = cell(&["Social Insurance and Retirement Receipts", "Total"])?;
    let excise = cell(&["Excise Taxes"])?;
    let other = cell(&["Other"])?;
    let total = cell(&["Total Receipts", "Total"])?;

    let parts = [&individual, &social, &corporate, &excise, &other];
    let sum: i64 = parts.iter().map(|c| c.usd).sum();
    if sum != total.usd {
        return Err(BuildError::Check(format!(
            "Table 2.1 FY{fy}: receipt categories sum to {} $M, total receipts {} $M",
            m(sum),
            m(total.usd)
        )));
    }

    // Cross-check against Table 1.1.
    let t11 = Table::open(raw, T1_1, "Table 1.1", fy)?;
    let hr11 = t11.row(0, "Year")?;
    let yr11 = t11.row(hr11 + 1, &year)?;
    let r11 = t11.cell(
        yr11,
        t11.col(hr11, &["Total", "Receipts"])?,
        "Total receipts",
    )?;
    if r11.usd != total.usd {
        return Err(BuildError::Check(format!(
            "FY{fy} receipts: Table 2.1 {} $M, Table 1.1 {} $M",
            m(total.usd),
            m(r11.usd)
        )));
    }

    let src = |table: &'static str| source(table, vec![T2_1]);
    out.push(
        "receipts.total",
        total.usd,
        source(
            "Historical Tables FY2027, Table 2.1, total receipts",
            vec![T2_1, T1_1],
        ),
        format!(
            "Table 2.1 total receipts, FY{fy} ({}): {} $M; equals Table 1.1 total receipts ({})",
            total.at,
            m(total.usd),
            r11.at
        ),
    );
    let rows: [(&'static str, &'static str, &Cell, &str); 5] = [
        (
            "receipts.individual_income",
            "Historical Tables FY2027, Table 2.1, individual income taxes",
            &individual,
            "individual income taxes",
        ),
        (
            "receipts.social_insurance",
            "Historical Tables FY2027, Table 2.1, social insurance and retirement receipts (total)",
            &social,
            "social insurance and retirement receipts, total (on- and off-budget)",
        ),
        (
            "receipts.corporate_income",
            "Historical Tables FY2027, Table 2.1, corporation income taxes",
            &corporate,
            "corporation income taxes",
        ),
        (
            "receipts.excise",
            "Historical Tables FY2027, Table 2.1, excise taxes",
            &excise,
            "excise taxes",
        ),
        (
            "receipts.other",
            "Historical Tables FY2027, Table 2.1, other receipts",
            &other,
            "other receipts (estate and gift, customs, Federal Reserve deposits, miscellaneous)",
        ),
    ];
    for (id, table, c, words) in rows {
        out.push(id, c.usd, src(table), c.says(&format!("Table 2.1 {words}")));
    }
    Ok(())
}

// ----------------------------------------------------------------- outlays

fn outlays(raw: &Path, fy: u16, out: &mut Rows) -> Result<(), BuildError> {
    let year = fy.to_string();
    let year = year.as_str();
    // Table 3.2: functions and subfunctions.
    let t32 = Table::open(raw, T3_2, "Table 3.2", fy)?;
    let hr32 = t32.row(0, "Function and Subfunction")?;
    let c32 = t32.col(hr32, &[year])?;
    let f = |label: &str| -> Result<Cell, BuildError> {
        let r = t32.row(hr32 + 1, label)?;
        t32.cell(r, c32, label)
    };
    let total = f("Total outlays")?;
    let defense = f("Total, National Defense")?;
    let intl = f("Total, International Affairs")?;
    let c274 = f("274 Emergency energy preparedness")?;
    let c371 = f("371 Mortgage credit")?;
    let c373 = f("373 Deposit insurance")?;
    let ss = f("651 Social security")?;
    let medicare = f("571 Medicare")?;
    let general_government = f("Total, General Government")?;
    let fiscal_assistance = f("806 General purpose fiscal assistance")?;
    let interest = f("Total, Net Interest")?;
    let uor = f("Total, Undistributed Offsetting Receipts")?;
    let higher_education = f("502 Higher education")?;

    // Table 1.1 total outlays, as a cross-check.
    let t11 = Table::open(raw, T1_1, "Table 1.1", fy)?;
    let hr11 = t11.row(0, "Year")?;
    let yr11 = t11.row(hr11 + 1, year)?;
    let o11 = t11.cell(yr11, t11.col(hr11, &["Total", "Outlays"])?, "Total outlays")?;

    // Table 6.1: composition of outlays, first block (millions of current dollars).
    let t61 = Table::open(raw, T6_1, "Table 6.1", fy)?;
    let hr61 = t61.row(0, "Category")?;
    let c61 = t61.col(hr61, &[year])?;
    let b61 = t61.row(hr61 + 1, "In millions of current dollars:")?;
    let e61 = t61.block_end(b61 + 1);
    let g = |label: &str| -> Result<Cell, BuildError> {
        let r = t61.row_in(b61 + 1, e61, label)?;
        t61.cell(r, c61, label)
    };
    let total61 = g("Total outlays")?;
    let defense61 = g("National defense")?;
    let pfi61 = g("Payments for individuals")?;
    let direct61 = g("Direct payments")?;
    let grants61 = g("Grants to State and local governments")?;
    let other_grants61 = g("All other grants")?;
    let interest61 = g("Net interest")?;
    let all_other61 = g("All other")?;
    let uor61 = g("Undistributed offsetting receipts")?;

    // Table 11.3: payments for individuals, Total / Direct / Grants columns.
    let t113 = Table::open(raw, T11_3, "Table 11.3", fy)?;
    let hr113 = t113.row(0, "Program")?;
    let tot113 = t113.col(hr113, &[year, "Total"])?;
    let dir113 = t113.col(hr113, &[year, "Direct"])?;
    let gr113 = t113.col(hr113, &[year, "Grants"])?;
    let block113 = |header: &str| -> Result<(usize, usize), BuildError> {
        let start = t113.row(hr113 + 1, header)?;
        let total_label = format!("Total, {}", header.trim_end_matches(':'));
        let end = t113.row(start + 1, &total_label)?;
        Ok((start + 1, end))
    };
    let line113 = |block: (usize, usize), label: &str, col: usize| -> Result<Cell, BuildError> {
        let r = t113.row_in(block.0, block.1, label)?;
        t113.cell(r, col, label)
    };
    let pfi_total_row = t113.row(hr113 + 1, "Total, payments for individuals")?;
    let pfi113 = t113.cell(
        pfi_total_row,
        tot113,
        "Total, payments for individuals (total)",
    )?;
    let direct113 = t113.cell(
        pfi_total_row,
        dir113,
        "Total, payments for individuals (direct)",
    )?;
    let grants113 = t113.cell(
        pfi_total_row,
        gr113,
        "Total, payments for individuals (grants)",
    )?;

    let ss_block = block113("Social security and railroad retirement:")?;
    let ss_direct = SOCIAL_SECURITY
        .iter()
        .map(|l| line113(ss_block, l, dir113))
        .collect::<Result<Vec<_>, _>>()?;
    let ss_total = SOCIAL_SECURITY
        .iter()
        .map(|l| line113(ss_block, l, tot113))
        .collect::<Result<Vec<_>, _>>()?;

    let med_block = block113("Medical care:")?;
    let med_direct_total = t113.cell(med_block.1, dir113, "Total, Medical care (direct)")?;
    let medicare_direct = MEDICARE
        .iter()
        .map(|l| line113(med_block, l, dir113))
        .collect::<Result<Vec<_>, _>>()?;
    let medicare_total = MEDICARE
        .iter()
        .map(|l| line113(med_block, l, tot113))
        .collect::<Result<Vec<_>, _>>()?;
    let fphc = FEDERALLY_PROVIDED_HEALTH_CARE
        .iter()
        .map(|l| line113(med_block, l, dir113))
        .collect::<Result<Vec<_>, _>>()?;
    let med_other = MEDICAL_OTHER
        .iter()
        .map(|l| line113(med_block, l, dir113))
        .collect::<Result<Vec<_>, _>>()?;
    let med_grants_only = MEDICAL_GRANTS_ONLY
        .iter()
        .map(|l| line113(med_block, l, dir113))
        .collect::<Result<Vec<_>, _>>()?;
    for (label, c) in MEDICAL_GRANTS_ONLY.iter().zip(&med_grants_only) {
        if c.usd != 0 {
            return Err(BuildError::Check(format!(
                "Table 11.3 {label} has direct payments ({} $M at {}): the other-payments formula assumes it is grants only",
                m(c.usd),
                c.at
            )));
        }
    }
    // Every line of the medical-care block must be classified, and the direct
    // column must add up to the block total.
    let known: Vec<&str> = MEDICARE
        .iter()
        .chain(&MEDICAL_GRANTS_ONLY)
        .chain(&FEDERALLY_PROVIDED_HEALTH_CARE)
        .chain(&MEDICAL_OTHER)
        .copied()
        .collect();
    for r in med_block.0..med_block.1 {
        let label = norm(&t113.sheet.text(r, 0));
        if !label.is_empty() && !known.contains(&label.as_str()) {
            return Err(BuildError::Check(format!(
                "Table 11.3 medical-care line {label:?} ({}) is not classified",
                t113.sheet.location(r, 0)
            )));
        }
    }
    let med_sum: i64 = medicare_direct
        .iter()
        .chain(&med_grants_only)
        .chain(&fphc)
        .chain(&med_other)
        .map(|c| c.usd)
        .sum();
    if med_sum != med_direct_total.usd {
        return Err(BuildError::Check(format!(
            "Table 11.3 medical-care direct lines sum to {} $M, block total {} $M",
            m(med_sum),
            m(med_direct_total.usd)
        )));
    }

    let students_block = block113("Assistance to students:")?;
    let students = line113(
        students_block,
        "Student assistance--Department of Education and other",
        dir113,
    )?;
    let students_total = line113(
        students_block,
        "Student assistance--Department of Education and other",
        tot113,
    )?;
    let snap = line113(
        block113("Food and nutrition assistance:")?,
        "SNAP (formerly Food stamps)(including Puerto Rico)",
        dir113,
    )?;

    // Identities between the tables.
    let check = |what: &str, a: i64, b: i64| -> Result<(), BuildError> {
        if a == b {
            Ok(())
        } else {
            Err(BuildError::Check(format!(
                "FY{fy} {what}: {} $M vs {} $M",
                m(a),
                m(b)
            )))
        }
    };
    check("total outlays, Table 3.2 vs Table 1.1", total.usd, o11.usd)?;
    check(
        "total outlays, Table 3.2 vs Table 6.1",
        total.usd,
        total61.usd,
    )?;
    check(
        "Table 6.1 components vs total outlays",
        defense61.usd
            + pfi61.usd
            + other_grants61.usd
            + interest61.usd
            + all_other61.usd
            + uor61.usd,
        total61.usd,
    )?;
    check(
        "Table 6.1 payments for individuals vs direct + grants",
        direct61.usd + grants61.usd,
        pfi61.usd,
    )?;
    check(
        "national defense, Table 3.2 vs Table 6.1",
        defense.usd,
        defense61.usd,
    )?;
    check(
        "net interest, Table 3.2 vs Table 6.1",
        interest.usd,
        interest61.usd,
    )?;
    check(
        "undistributed offsetting receipts, Table 3.2 vs Table 6.1",
        uor.usd,
        uor61.usd,
    )?;
    check(
        "Table 11.3 payments for individuals vs direct + grants",
        direct113.usd + grants113.usd,
        pfi113.usd,
    )?;
    // The payments for individuals Table 6.1 leaves inside national defense
    // are all direct payments.
    check(
        "grants for individuals, Table 11.3 vs Table 6.1",
        grants113.usd,
        grants61.usd,
    )?;

    let src32 = |table: &'static str| source(table, vec![T3_2]);
    out.push(
        "outlays.total",
        total.usd,
        source(
            "Historical Tables FY2027, Table 3.2, total outlays",
            vec![T3_2, T1_1, T6_1],
        ),
        format!(
            "Table 3.2 total outlays, FY{fy} ({}): {} $M; equals Table 1.1 ({}) and Table 6.1 ({})",
            total.at,
            m(total.usd),
            o11.at,
            total61.at
        ),
    );
    let fn_rows: [(&'static str, &'static str, &Cell, &str); 9] = [
        (
            "outlays.social_security",
            "Historical Tables FY2027, Table 3.2, function 651",
            &ss,
            "function 651 Social security (on- and off-budget)",
        ),
        (
            "outlays.medicare",
            "Historical Tables FY2027, Table 3.2, function 571",
            &medicare,
            "function 571 Medicare (net of premiums and other offsetting receipts)",
        ),
        (
            "outlays.net_interest",
            "Historical Tables FY2027, Table 3.2, function 900",
            &interest,
            "Total, Net Interest (function 900)",
        ),
        (
            "outlays.national_defense_050",
            "Historical Tables FY2027, Table 3.2, function 050",
            &defense,
            "Total, National Defense (function 050)",
        ),
        (
            "outlays.general_government_800",
            "Historical Tables FY2027, Table 3.2, function 800",
            &general_government,
            "Total, General Government (function 800)",
        ),
        (
            "outlays.general_purpose_fiscal_assistance_806",
            "Historical Tables FY2027, Table 3.2, subfunction 806",
            &fiscal_assistance,
            "subfunction 806 General purpose fiscal assistance",
        ),
        (
            "outlays.international_affairs_150",
            "Historical Tables FY2027, Table 3.2, function 150",
            &intl,
            "Total, International Affairs (function 150)",
        ),
        (
            "outlays.undistributed_offsetting_receipts_950",
            "Historical Tables FY2027, Table 3.2, function 950",
            &uor,
            "Total, Undistributed Offsetting Receipts (function 950; negative)",
        ),
        (
            "outlays.operations.international_affairs",
            "Historical Tables FY2027, Table 3.2, function 150",
            &intl,
            "Total, International Affairs (function 150), taken out of the operations pool",
        ),
    ];
    for (id, table, c, words) in fn_rows {
        out.push(
            id,
            c.usd,
            src32(table),
            c.says(&format!("Table 3.2 {words}")),
        );
    }

    // Table 11.3 pieces for other payments for individuals.
    let src113 = |table: &'static str| source(table, vec![T11_3]);
    let ss_direct_usd: i64 = ss_direct.iter().map(|c| c.usd).sum();
    let medicare_direct_usd: i64 = medicare_direct.iter().map(|c| c.usd).sum();
    let fphc_usd: i64 = fphc.iter().map(|c| c.usd).sum();
    out.push(
        "outlays.direct_payments_for_individuals_11_3",
        direct113.usd,
        src113("Historical Tables FY2027, Table 11.3, total payments for individuals, direct"),
        direct113.says("Table 11.3 \"Total, payments for individuals\", Direct column"),
    );
    out.push(
        "outlays.payments_11_3.social_security",
        ss_direct_usd,
        src113("Historical Tables FY2027, Table 11.3, Social security OASI + DI, direct"),
        sum_words("Table 11.3 Direct column", &SOCIAL_SECURITY, &ss_direct),
    );
    out.push(
        "outlays.payments_11_3.medicare",
        medicare_direct_usd,
        src113("Historical Tables FY2027, Table 11.3, Medicare HI + SMI, direct"),
        sum_words(
            "Table 11.3 Direct column (gross of premiums)",
            &MEDICARE,
            &medicare_direct,
        ),
    );
    out.push(
        "outlays.payments_11_3.snap",
        snap.usd,
        src113("Historical Tables FY2027, Table 11.3, SNAP (including Puerto Rico), direct"),
        snap.says(
            "Table 11.3 \"SNAP (formerly Food stamps)(including Puerto Rico)\", Direct column; \
             informational: the other-payments formula subtracts FNS benefits to the 51 areas instead, \
             so the remainder stays in other payments",
        ),
    );
    out.push(
        "outlays.payments_11_3.student_assistance",
        students.usd,
        src113("Historical Tables FY2027, Table 11.3, student assistance (Education and other), direct"),
        students.says("Table 11.3 \"Student assistance--Department of Education and other\", Direct column"),
    );
    out.push(
        "outlays.education_student_assistance",
        students.usd,
        src113("Historical Tables FY2027, Table 11.3, student assistance (Education and other), direct"),
        students.says(
            "Table 11.3 \"Student assistance--Department of Education and other\", Direct column \
             (informational, for the residual: includes student-loan cost re-estimates and modifications)",
        ),
    );
    let fphc_words = sum_words(
        "Table 11.3 Medical care, Direct column",
        &FEDERALLY_PROVIDED_HEALTH_CARE,
        &fphc,
    );
    out.push(
        "outlays.payments_11_3.federally_provided_health_care",
        fphc_usd,
        src113("Historical Tables FY2027, Table 11.3, federally provided health care, direct"),
        format!(
            "{fphc_words}; not included: {}",
            MEDICAL_OTHER
                .iter()
                .zip(&med_other)
                .map(|(l, c)| format!("{l} {} $M", m(c.usd)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );

    // Operations pool.
    let pfi_in_defense = pfi113.usd - pfi61.usd;
    let ss_total_usd: i64 = ss_total.iter().map(|c| c.usd).sum();
    let medicare_total_usd: i64 = medicare_total.iter().map(|c| c.usd).sum();
    let ss_outside = ss.usd - ss_total_usd;
    let medicare_outside = medicare.usd - medicare_total_usd;
    let inside = pfi_in_defense + ss_outside + medicare_outside;
    let credits = c371.usd + c373.usd + c274.usd;
    let higher_education_outside = higher_education.usd - students_total.usd;
    let pool = defense61.usd + all_other61.usd - inside + fphc_usd
        - intl.usd
        - credits
        - higher_education_outside;
    if pool <= 0 {
        return Err(BuildError::Check(format!(
            "operations pool is {} $M",
            m(pool)
        )));
    }

    let src61 = |table: &'static str| source(table, vec![T6_1]);
    out.push(
        "outlays.operations.defense_6_1",
        defense61.usd,
        src61("Historical Tables FY2027, Table 6.1, national defense"),
        defense61.says("Table 6.1 \"National defense\", millions of current dollars"),
    );
    out.push(
        "outlays.operations.all_other_6_1",
        all_other61.usd,
        src61("Historical Tables FY2027, Table 6.1, all other (nondefense)"),
        all_other61.says("Table 6.1 nondefense \"All other\", millions of current dollars"),
    );
    out.push(
        "outlays.operations.pfi_in_defense",
        pfi_in_defense,
        source(
            "Historical Tables FY2027, Tables 11.3 and 6.1, payments for individuals (derived)",
            vec![T11_3, T6_1],
        ),
        format!(
            "payments for individuals inside national defense, FY{fy}: Table 11.3 \"Total, payments for individuals\" \
             Total column {} $M ({}) − Table 6.1 \"Payments for individuals\" {} $M ({}) = {} $M",
            m(pfi113.usd),
            pfi113.at,
            m(pfi61.usd),
            pfi61.at,
            m(pfi_in_defense)
        ),
    );
    out.push(
        "outlays.operations.social_security_outside_pfi",
        ss_outside,
        source(
            "Historical Tables FY2027, Tables 3.2 and 11.3, function 651 less Social security payments (derived)",
            vec![T3_2, T11_3],
        ),
        format!(
            "part of function 651 that is not payments for individuals and sits in Table 6.1 \"All other\", FY{fy}: \
             Table 3.2 651 Social security {} $M − Table 11.3 Total column ({}) = {} $M",
            m(ss.usd),
            sum_words("", &SOCIAL_SECURITY, &ss_total),
            m(ss_outside)
        ),
    );
    out.push(
        "outlays.operations.medicare_outside_pfi",
        medicare_outside,
        source(
            "Historical Tables FY2027, Tables 3.2 and 11.3, function 571 less Medicare benefits (derived)",
            vec![T3_2, T11_3],
        ),
        format!(
            "part of function 571 that is not payments for individuals and sits in Table 6.1 \"All other\" \
             (premiums and other offsetting receipts, less administration), FY{fy}: Table 3.2 571 Medicare {} $M − \
             Table 11.3 Total column ({}) = {} $M",
            m(medicare.usd),
            sum_words("", &MEDICARE, &medicare_total),
            m(medicare_outside)
        ),
    );
    out.push(
        "outlays.operations.payments_for_individuals_inside",
        inside,
        source(
            "Historical Tables FY2027, Tables 3.2, 6.1 and 11.3, channels inside defense and all other (derived)",
            vec![T3_2, T6_1, T11_3],
        ),
        format!(
            "what Table 6.1 national defense and \"All other\" hold of channels counted elsewhere, FY{fy}: \
             payments for individuals in defense {} $M + Social Security outside payments for individuals {} $M \
             + Medicare outside payments for individuals {} $M = {} $M",
            m(pfi_in_defense),
            m(ss_outside),
            m(medicare_outside),
            m(inside)
        ),
    );
    out.push(
        "outlays.operations.federally_provided_health_care",
        fphc_usd,
        src113("Historical Tables FY2027, Table 11.3, federally provided health care, direct"),
        fphc_words.clone(),
    );
    let credit_rows: [(&'static str, &'static str, &Cell, &str); 3] = [
        (
            "outlays.operations.credit_371",
            "Historical Tables FY2027, Table 3.2, subfunction 371",
            &c371,
            "subfunction 371 Mortgage credit",
        ),
        (
            "outlays.operations.credit_373",
            "Historical Tables FY2027, Table 3.2, subfunction 373",
            &c373,
            "subfunction 373 Deposit insurance",
        ),
        (
            "outlays.operations.credit_274",
            "Historical Tables FY2027, Table 3.2, subfunction 274",
            &c274,
            "subfunction 274 Emergency energy preparedness",
        ),
    ];
    for (id, table, c, words) in credit_rows {
        out.push(
            id,
            c.usd,
            src32(table),
            c.says(&format!(
                "Table 3.2 {words}; moved from the operations pool to the residual"
            )),
        );
    }
    out.push(
        "outlays.operations.higher_education_outside_pfi",
        higher_education_outside,
        source(
            "Historical Tables FY2027, Tables 3.2 and 11.3, function 502 less student assistance (derived)",
            vec![T3_2, T11_3],
        ),
        format!(
            "higher education outside payments for individuals (student-loan cost re-estimates and \
             modifications, in Table 6.1 \"All other\"), moved from the operations pool to the residual: \
             Table 3.2 502 Higher education {} $M ({}) − Table 11.3 \"Student assistance--Department of \
             Education and other\", Total column, {} $M ({}) = {} $M, FY{fy}",
            m(higher_education.usd),
            higher_education.at,
            m(students_total.usd),
            students_total.at,
            m(higher_education_outside)
        ),
    );
    out.push(
        "outlays.operations_pool",
        pool,
        source(
            "Historical Tables FY2027, Tables 6.1, 3.2 and 11.3, operations pool (derived)",
            vec![T6_1, T3_2, T11_3],
        ),
        format!(
            "FY{fy}: Table 6.1 national defense {} + Table 6.1 all other {} − channels inside them {} \
             (payments for individuals in defense {}, Social Security outside payments {}, Medicare outside payments {}) \
             + federally provided health care {} − international affairs (function 150) {} \
             − credit subfunctions ({}: 371 {}, 373 {}, 274 {}) \
             − higher education (502) outside payments for individuals {} = {} $M",
            m(defense61.usd),
            m(all_other61.usd),
            m(inside),
            m(pfi_in_defense),
            m(ss_outside),
            m(medicare_outside),
            m(fphc_usd),
            m(intl.usd),
            m(credits),
            m(c371.usd),
            m(c373.usd),
            m(c274.usd),
            m(higher_education_outside),
            m(pool)
        ),
    );
    Ok(())
}

// ------------------------------------------------------------------ grants

/// OMB grants to state and local governments, their Medicaid + CHIP part and
/// the mandatory part of the rest (module documentation).
fn grants(raw: &Path, fy: u16, out: &mut Rows) -> Result<(), BuildError> {
    let year = fy.to_string();
    let year = year.as_str();

    let t61 = Table::open(raw, T6_1, "Table 6.1", fy)?;
    let hr61 = t61.row(0, "Category")?;
    let c61 = t61.col(hr61, &[year])?;
    let b61 = t61.row(hr61 + 1, "In millions of current dollars:")?;
    let e61 = t61.block_end(b61 + 1);
    let g = |label: &str| -> Result<Cell, BuildError> {
        let r = t61.row_in(b61 + 1, e61, label)?;
        t61.cell(r, c61, label)
    };
    let pfi_grants = g("Grants to State and local governments")?;
    let other_grants = g("All other grants")?;
    let total = pfi_grants.usd + other_grants.usd;

    let t32 = Table::open(raw, T3_2, "Table 3.2", fy)?;
    let hr32 = t32.row(0, "Function and Subfunction")?;
    let label806 = "806 General purpose fiscal assistance";
    let f806 = t32.cell(
        t32.row(hr32 + 1, label806)?,
        t32.col(hr32, &[year])?,
        label806,
    )?;

    let t85 = Table::open(raw, T8_5, "Table 8.5", fy)?;
    let hr85 = t85.row(0, "Category and Program")?;
    let fosa_label = "Family and Other Support Assistance";
    let fosa = t85.cell(
        t85.row(hr85 + 1, fosa_label)?,
        t85.col(hr85, &[year])?,
        fosa_label,
    )?;

    // Every Table 11.3 line with grants, classified.
    let t113 = Table::open(raw, T11_3, "Table 11.3", fy)?;
    let hr113 = t113.row(0, "Program")?;
    let gr113 = t113.col(hr113, &[year, "Grants"])?;
    let end = t113.row(hr113 + 1, "Total, payments for individuals")?;
    let grants_total = t113.cell(end, gr113, "Total, payments for individuals (grants)")?;
    let mut lines: Vec<(GrantClass, Cell)> = Vec::new();
    let mut block = String::new();
    for r in hr113 + 1..end {
        let label = norm(&t113.sheet.text(r, 0));
        if label.is_empty() {
            continue;
        }
        if label.ends_with(':') {
            block = label;
            continue;
        }
        if label.starts_with("Total, ") {
            block.clear();
            continue;
        }
        let c = t113.cell(r, gr113, &label)?;
        let class = GRANT_LINES
            .iter()
            .find(|(b, l, _)| *b == block && *l == label)
            .map(|(_, _, class)| *class);
        match class {
            Some(class) => lines.push((class, c)),
            None if c.usd == 0 => {}
            None => {
                return Err(BuildError::Check(format!(
                    "Table 11.3 FY{fy} grants line {label:?} in block {block:?} ({}, {} $M) is not \
                     classified as Medicaid, mandatory or discretionary",
                    c.at,
                    m(c.usd)
                )))
            }
        }
    }
    let sum_class = |class: GrantClass| -> i64 {
        lines
            .iter()
            .filter(|(k, _)| *k == class)
            .map(|(_, c)| c.usd)
            .sum()
    };
    let classified: i64 = lines.iter().map(|(_, c)| c.usd).sum();
    if classified != grants_total.usd || grants_total.usd != pfi_grants.usd {
        return Err(BuildError::Check(format!(
            "FY{fy}: Table 11.3 grants lines sum to {} $M, their total {} $M, Table 6.1 grants for \
             payments for individuals {} $M",
            m(classified),
            m(grants_total.usd),
            m(pfi_grants.usd)
        )));
    }
    let medicaid_chip = sum_class(GrantClass::Medicaid);
    let tanf = lines
        .iter()
        .find(|(_, c)| c.label == TANF)
        .map_or(0, |(_, c)| c.usd);
    let child_care = sum_class(GrantClass::ChildCare);
    let child_care_mandatory = (fosa.usd - tanf).max(0).min(child_care);
    let mandatory_lines = sum_class(GrantClass::Mandatory);
    let mandatory = mandatory_lines + child_care_mandatory + f806.usd;
    let non_medicaid = total - medicaid_chip;
    if !(0..=non_medicaid).contains(&mandatory) {
        return Err(BuildError::Check(format!(
            "FY{fy}: mandatory non-Medicaid grants {} $M outside 0..{} $M",
            m(mandatory),
            m(non_medicaid)
        )));
    }
    let words = |class: GrantClass| {
        lines
            .iter()
            .filter(|(k, c)| *k == class && c.usd != 0)
            .map(|(_, c)| format!("\"{}\" {} ({})", c.label, m(c.usd), c.at))
            .collect::<Vec<_>>()
            .join(" + ")
    };

    out.push(
        "outlays.grants_omb.total",
        total,
        source(
            "Historical Tables FY2027, Table 6.1, grants to state and local governments",
            vec![T6_1],
        ),
        format!(
            "OMB grants to state and local governments, FY{fy}: Table 6.1 grants for payments for \
             individuals {} $M ({}) + all other grants {} $M ({}) = {} $M",
            m(pfi_grants.usd),
            pfi_grants.at,
            m(other_grants.usd),
            other_grants.at,
            m(total)
        ),
    );
    out.push(
        "outlays.grants_omb.medicaid_chip",
        medicaid_chip,
        source(
            "Historical Tables FY2027, Table 11.3, Medicaid + CHIP, grants",
            vec![T11_3],
        ),
        format!(
            "Table 11.3 Grants column, FY{fy}: {} = {} $M",
            words(GrantClass::Medicaid),
            m(medicaid_chip)
        ),
    );
    out.push(
        "outlays.grants_omb.non_medicaid",
        non_medicaid,
        source(
            "Historical Tables FY2027, Tables 6.1 and 11.3, grants less Medicaid + CHIP (derived)",
            vec![T6_1, T11_3],
        ),
        format!(
            "OMB non-Medicaid grants, FY{fy}: grants to state and local governments {} $M − Table 11.3 \
             Grants Medicaid + CHIP {} $M = {} $M",
            m(total),
            m(medicaid_chip),
            m(non_medicaid)
        ),
    );
    out.push(
        "outlays.grants_omb.mandatory",
        mandatory,
        source(
            "Historical Tables FY2027, Tables 11.3, 8.5 and 3.2, mandatory non-Medicaid grants (derived)",
            vec![T11_3, T8_5, T3_2],
        ),
        format!(
            "mandatory non-Medicaid grants, FY{fy}: Table 11.3 Grants column lines of mandatory programs \
             (Table 8.5) {} = {} $M; + child care, mandatory part: Table 8.5 \"{fosa_label}\" {} $M ({}) \
             − 11.3 TANF grants {} $M, capped at the child-care grants {} $M (from 0) = {} $M; + Table 3.2 \
             subfunction 806 general purpose fiscal assistance {} $M ({}); total {} $M = {:.2}% of OMB \
             non-Medicaid grants {} $M. Discretionary (the rest): {} and every grant outside payments \
             for individuals but 806",
            words(GrantClass::Mandatory),
            m(mandatory_lines),
            m(fosa.usd),
            fosa.at,
            m(tanf),
            m(child_care),
            m(child_care_mandatory),
            m(f806.usd),
            f806.at,
            m(mandatory),
            100.0 * mandatory as f64 / non_medicaid as f64,
            m(non_medicaid),
            words(GrantClass::Discretionary)
        ),
    );
    Ok(())
}

// -------------------------------------------------------------------- debt

/// Debt held by the public at the end of `fy`: Table 7.1 (FY2024 Budget
/// edition) where it has the actual; after FY2022 it has estimates only, so
/// the debt is derived from the last actual plus each later year's deficit
/// (Table 1.1), and labelled derived (METHODOLOGY §9).
fn debt(raw: &Path, fy: u16, out: &mut Rows) -> Result<(), BuildError> {
    let t = Table::open(raw, T7_1, "Table 7.1", fy)?;
    let hr = t.row(0, "End of Fiscal Year")?;
    let col = t.col(
        hr,
        &[
            "In Millions of Dollars",
            "Equals: Held by the Public",
            "Total",
        ],
    )?;
    // The last actual at or before the fiscal year: a row labelled by the
    // year alone (estimates read "2023 estimate").
    let (actual_year, row) = (1940..=fy)
        .rev()
        .find_map(|y| t.row(hr + 1, &y.to_string()).ok().map(|r| (y, r)))
        .ok_or_else(|| t.missing(format!("an actual row at or before {fy}")))?;
    let mut actual = t.cell(row, col, "Held by the Public, total")?;
    actual.fy = actual_year;
    let table71 =
        "Table 7.1 (FY2024 Budget edition) \"Equals: Held by the Public\", Total, end of year";
    if actual_year == fy {
        out.push(
            "debt.held_by_public",
            actual.usd,
            source(
                "Historical Tables FY2024 Budget, Table 7.1, debt held by the public (total), end of year",
                vec![T7_1],
            ),
            actual.says(table71),
        );
        return Ok(());
    }

    let t11 = Table::open(raw, T1_1, "Table 1.1", fy)?;
    let hr11 = t11.row(0, "Year")?;
    let c11 = t11.col(hr11, &["Total", "Surplus or Deficit (-)"])?;
    let mut debt = actual.usd;
    let mut steps = Vec::new();
    for y in actual_year + 1..=fy {
        let r = t11.row(hr11 + 1, &y.to_string())?;
        let d = t11.cell(r, c11, "Total surplus or deficit (-)")?;
        debt -= d.usd;
        steps.push(format!(
            "FY{y} deficit {} $M (Table 1.1 {})",
            m(-d.usd),
            d.at
        ));
    }
    let estimate = t
        .row(hr + 1, &format!("{fy} estimate"))
        .and_then(|r| t.cell(r, col, "Held by the Public, total (estimate)"))
        .map(|c| {
            format!(
                "; Table 7.1's own estimate ({}, \"{}\") {} $M is not used",
                c.at,
                c.label,
                m(c.usd)
            )
        })
        .unwrap_or_default();
    out.push(
        "debt.held_by_public",
        debt,
        source(
            "Historical Tables FY2024 Budget, Table 7.1 (end-FY2022 actual) and FY2027 Table 1.1 (deficits): debt held by the public, derived",
            vec![T7_1, T1_1],
        ),
        format!(
            "derived (Table 7.1 of the FY2024 Budget has estimates only after FY{actual_year}): {} + {} \
             = {} $M at the end of FY{fy}. Other means of financing (changes in the Treasury's cash balance, \
             credit financing accounts) are left out, so the derived stock understates the actual one{estimate}",
            actual.says(table71),
            steps.join(" + "),
            m(debt)
        ),
    );
    Ok(())
}

// ----------------------------------------------------------------- helpers

/// An OMB source; its year is set to the fiscal year by [`Rows::push`].
fn source(table: &str, files: Vec<&'static str>) -> Source {
    Source {
        publisher: PUBLISHER,
        table: table.to_string(),
        year: String::new(),
        units: UNITS,
        files,
    }
}

struct Rows {
    /// The fiscal year of every row.
    fy: u16,
    rows: Vec<ControlRow>,
}

impl Rows {
    /// Adds a row; its source's year becomes the fiscal year.
    fn push(&mut self, id: &'static str, amount_usd: i64, mut source: Source, derivation: String) {
        debug_assert!(self.rows.iter().all(|r| r.id != id), "duplicate id {id}");
        source.year = format!("FY{}", self.fy);
        self.rows.push(ControlRow {
            id,
            amount_usd,
            source,
            derivation,
        });
    }
}

/// One figure read from a table, in dollars, with the label, the cell and
/// the fiscal year it is of.
struct Cell {
    label: String,
    at: String,
    usd: i64,
    fy: u16,
}

impl Cell {
    fn says(&self, words: &str) -> String {
        format!(
            "{words}, FY{} ({}, row {:?}): {} $M",
            self.fy,
            self.at,
            self.label,
            m(self.usd)
        )
    }
}

/// "prefix, FY2022: label A 1,234 + label B 5,678 = 6,912 $M" (without the
/// prefix and year when `prefix` is empty).
fn sum_words(prefix: &str, labels: &[&str], cells: &[Cell]) -> String {
    let total: i64 = cells.iter().map(|c| c.usd).sum();
    let parts = labels
        .iter()
        .zip(cells)
        .map(|(l, c)| format!("\"{l}\" {} ({})", m(c.usd), c.at))
        .collect::<Vec<_>>()
        .join(" + ");
    if prefix.is_empty() {
        return format!("{parts} = {} $M", m(total));
    }
    let fy = cells.first().map_or(0, |c| c.fy);
    format!("{prefix}, FY{fy}: {parts} = {} $M", m(total))
}

/// Dollars as millions with thousands separators, e.g. "-1,374,171".
fn m(usd: i64) -> String {
    let millions = usd / USD_PER_MILLION;
    let rest = (usd % USD_PER_MILLION).abs();
    let digits = millions.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if usd < 0 { "-" } else { "" };
    if rest == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{rest:06}")
    }
}

/// Collapses whitespace and drops a trailing footnote marker like " (2)".
fn norm(text: &str) -> String {
    let mut s = text.split_whitespace().collect::<Vec<_>>().join(" ");
    loop {
        let trimmed = s.trim_end();
        let Some(open) = trimmed.rfind('(') else {
            break;
        };
        let inner = &trimmed[open + 1..];
        match inner.strip_suffix(')') {
            Some(n) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                s = trimmed[..open].trim_end().to_string();
            }
            _ => break,
        }
    }
    s.trim_end().to_string()
}

/// One OMB sheet with its path relative to the raw root, read for one
/// fiscal year.
struct Table {
    name: &'static str,
    sheet: Sheet,
    fy: u16,
}

impl Table {
    fn open(
        raw: &Path,
        rel: &'static str,
        name: &'static str,
        fy: u16,
    ) -> Result<Table, BuildError> {
        Ok(Table {
            name,
            sheet: read_sheet(&raw.join(rel), None)?,
            fy,
        })
    }

    fn missing(&self, what: String) -> BuildError {
        BuildError::Missing {
            path: self.sheet.path.clone(),
            what: format!("{}: {what}", self.name),
        }
    }

    fn width(&self) -> usize {
        self.sheet.range.end().map_or(0, |(_, c)| c as usize + 1)
    }

    /// First row at or after `from` whose first-column label is `label`.
    fn row(&self, from: usize, label: &str) -> Result<usize, BuildError> {
        self.row_in(from, self.sheet.height(), label)
    }

    /// The row in `[from, to)` whose first-column label is `label`.
    fn row_in(&self, from: usize, to: usize, label: &str) -> Result<usize, BuildError> {
        (from..to)
            .find(|&r| norm(&self.sheet.text(r, 0)) == label)
            .ok_or_else(|| self.missing(format!("row {label:?}")))
    }

    /// End (exclusive) of a block of rows starting at `from`: the next block
    /// heading such as "In billions of constant (FY 2017) dollars:", or the end.
    fn block_end(&self, from: usize) -> usize {
        self.sheet
            .find_row(0, from, |t| t.starts_with("In ") && t.ends_with(':'))
            .unwrap_or(self.sheet.height())
    }

    /// The column under nested headers starting at row `hr`: `levels[0]` in
    /// row `hr`, `levels[1]` in row `hr + 1` under it, and so on. A heading
    /// spans the columns up to the next non-empty heading in its row.
    fn col(&self, hr: usize, levels: &[&str]) -> Result<usize, BuildError> {
        let (mut from, mut to) = (1, self.width());
        for (depth, label) in levels.iter().enumerate() {
            let row = hr + depth;
            let col = (from..to)
                .find(|&c| norm(&self.sheet.text(row, c)) == *label)
                .ok_or_else(|| {
                    self.missing(format!("column heading {:?}", levels[..=depth].join(" / ")))
                })?;
            let end = (col + 1..to)
                .find(|&c| !self.sheet.text(row, c).is_empty())
                .unwrap_or(to);
            (from, to) = (col, end);
        }
        Ok(from)
    }

    /// A figure in millions, as dollars. OMB prints ".........." for none.
    fn cell(&self, row: usize, col: usize, field: &str) -> Result<Cell, BuildError> {
        let text = self.sheet.text(row, col);
        let millions = if !text.is_empty() && text.chars().all(|c| c == '.') {
            0.0
        } else {
            self.sheet.number(row, col, field)?
        };
        Ok(Cell {
            label: norm(&self.sheet.text(row, 0)),
            at: self.sheet.location(row, col),
            usd: to_units(millions, MILLIONS),
            fy: self.fy,
        })
    }
}

/// The rows by id, for tests and callers.
pub fn by_id(rows: &[ControlRow]) -> HashMap<&'static str, i64> {
    rows.iter().map(|r| (r.id, r.amount_usd)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: i64 = USD_PER_MILLION;

    #[test]
    fn norm_drops_footnotes_and_spaces() {
        assert_eq!(norm("National defense (1) "), "National defense");
        assert_eq!(norm("Gross \nFederal Debt"), "Gross Federal Debt");
        assert_eq!(norm("(On-budget)"), "(On-budget)");
        assert_eq!(
            norm("SNAP (formerly Food stamps)(including Puerto Rico)"),
            "SNAP (formerly Food stamps)(including Puerto Rico)"
        );
        assert_eq!(m(-1_374_171 * M), "-1,374,171");
        assert_eq!(m(825_112 * M), "825,112");
    }

    /// years-data.md §1.2–1.3 and §3, $M, FY2019 / FY2022 / FY2023 / FY2024.
    const EXPECTED: [(&str, [i64; 4]); 40] = [
        (
            "receipts.total",
            [3_463_364, 4_897_339, 4_440_948, 4_919_884],
        ),
        (
            "receipts.individual_income",
            [1_717_857, 2_632_146, 2_176_481, 2_426_067],
        ),
        (
            "receipts.social_insurance",
            [1_243_113, 1_483_527, 1_614_456, 1_708_926],
        ),
        (
            "receipts.corporate_income",
            [230_245, 424_865, 419_584, 529_867],
        ),
        ("receipts.excise", [98_914, 87_728, 75_802, 101_426]),
        ("receipts.other", [173_235, 269_073, 154_625, 153_598]),
        (
            "outlays.total",
            [4_446_952, 6_271_510, 6_128_415, 6_735_261],
        ),
        (
            "outlays.social_security",
            [1_044_409, 1_218_663, 1_354_317, 1_460_918],
        ),
        ("outlays.medicare", [650_996, 755_094, 847_544, 874_133]),
        ("outlays.net_interest", [375_158, 475_887, 658_267, 879_879]),
        (
            "outlays.national_defense_050",
            [685_707, 765_649, 820_263, 873_523],
        ),
        (
            "outlays.general_government_800",
            [23_488, 133_216, 38_199, 35_316],
        ),
        (
            "outlays.general_purpose_fiscal_assistance_806",
            [7_661, 114_902, 12_127, 9_140],
        ),
        (
            "outlays.international_affairs_150",
            [53_035, 70_555, 63_055, 56_396],
        ),
        (
            "outlays.undistributed_offsetting_receipts_950",
            [-98_192, -234_964, -131_927, -146_736],
        ),
        (
            "outlays.operations.credit_371",
            [-43_544, -43_386, -22_150, -32_684],
        ),
        (
            "outlays.operations.credit_373",
            [-8_035, -11_525, 91_205, 36_291],
        ),
        (
            "outlays.operations.credit_274",
            [-743, -13_844, -7_264, 2_415],
        ),
        (
            "outlays.operations.defense_6_1",
            [685_707, 765_649, 820_263, 873_523],
        ),
        (
            "outlays.operations.all_other_6_1",
            [201_602, 341_837, 182_681, 374_787],
        ),
        (
            "outlays.direct_payments_for_individuals_11_3",
            [2_563_038, 3_731_642, 3_518_008, 3_614_635],
        ),
        (
            "outlays.payments_11_3.student_assistance",
            [71_106, 541_189, 189_654, 161_518],
        ),
        (
            "outlays.payments_11_3.snap",
            [56_366, 137_797, 123_787, 95_906],
        ),
        (
            "outlays.payments_11_3.social_security",
            [1_037_966, 1_211_776, 1_347_401, 1_453_598],
        ),
        (
            "outlays.payments_11_3.medicare",
            [762_730, 896_445, 994_863, 1_031_015],
        ),
        (
            "outlays.payments_11_3.federally_provided_health_care",
            [104_997, 143_378, 158_500, 172_718],
        ),
        (
            "outlays.operations.pfi_in_defense",
            [1_501, 1_884, 2_231, 2_745],
        ),
        (
            "outlays.operations.social_security_outside_pfi",
            [6_429, 6_880, 6_913, 7_320],
        ),
        (
            "outlays.operations.medicare_outside_pfi",
            [-111_734, -141_351, -147_319, -156_882],
        ),
        (
            "outlays.operations.payments_for_individuals_inside",
            [-103_804, -132_587, -138_175, -146_817],
        ),
        (
            "outlays.operations.higher_education_outside_pfi",
            [-8_039, -23_140, -342_294, -505],
        ),
        // With the 502 fix (years-data.md §1.6 "fix502").
        (
            "outlays.operations_pool",
            [1_103_436, 1_404_791, 1_517_067, 1_505_932],
        ),
        (
            "outlays.grants_omb.total",
            [721_140, 1_193_343, 1_083_354, 1_141_918],
        ),
        (
            "outlays.grants_omb.medicaid_chip",
            [427_113, 608_619, 633_669, 637_043],
        ),
        (
            "outlays.grants_omb.non_medicaid",
            [294_027, 584_724, 449_685, 504_875],
        ),
        (
            "outlays.grants_omb.mandatory",
            [76_603, 223_573, 116_132, 117_353],
        ),
        (
            "debt.held_by_public",
            [16_800_700, 24_252_357, 25_939_824, 27_755_201],
        ),
        (
            "outlays.education_student_assistance",
            [71_106, 541_189, 189_654, 161_518],
        ),
        (
            "outlays.operations.federally_provided_health_care",
            [104_997, 143_378, 158_500, 172_718],
        ),
        (
            "outlays.operations.international_affairs",
            [53_035, 70_555, 63_055, 56_396],
        ),
    ];

    #[test]
    fn omb_controls_of_every_year_match_years_data() {
        let Some(raw) = crate::raw_root_for_test("omb_controls_of_every_year_match_years_data")
        else {
            return;
        };
        for (k, fy) in [2019u16, 2022, 2023, 2024].into_iter().enumerate() {
            let rows = controls(&raw, fy).expect("OMB controls");
            let ids = by_id(&rows);
            assert_eq!(ids.len(), rows.len(), "ids are unique");
            let get = |id: &str| {
                *ids.get(id)
                    .unwrap_or_else(|| panic!("FY{fy}: missing {id}"))
                    / M
            };
            for r in &rows {
                assert_eq!(r.amount_usd % M, 0, "{} is whole millions", r.id);
                assert!(!r.derivation.is_empty() && !r.source.files.is_empty());
                assert_eq!(r.source.year, format!("FY{fy}"), "{}", r.id);
                assert!(
                    r.derivation.contains(&format!("FY{fy}")),
                    "{}: {}",
                    r.id,
                    r.derivation
                );
            }
            for (id, values) in EXPECTED {
                assert_eq!(get(id), values[k], "FY{fy} {id}");
            }
            assert!(!ids.contains_key("debt.held_by_public_end_fy2022"));
            assert!(!ids.contains_key("outlays.payments_11_3.medicaid"));

            let recomputed = get("outlays.operations.defense_6_1")
                + get("outlays.operations.all_other_6_1")
                - get("outlays.operations.payments_for_individuals_inside")
                + get("outlays.operations.federally_provided_health_care")
                - get("outlays.operations.international_affairs")
                - get("outlays.operations.credit_371")
                - get("outlays.operations.credit_373")
                - get("outlays.operations.credit_274")
                - get("outlays.operations.higher_education_outside_pfi");
            assert_eq!(recomputed, get("outlays.operations_pool"), "FY{fy}");
            let debt = rows.iter().find(|r| r.id == "debt.held_by_public").unwrap();
            assert_eq!(debt.derivation.starts_with("derived"), fy > 2022, "FY{fy}");
        }
    }

    #[test]
    fn other_payments_and_procurement_fy2022() {
        let Some(raw) = crate::raw_root_for_test("other_payments_and_procurement_fy2022") else {
            return;
        };
        let rows = controls(&raw, 2022).unwrap();
        // Other payments for individuals, with FNS SNAP benefits (51 areas).
        let other = other_payments_for_individuals(&rows, 113_742 * M).unwrap();
        assert_eq!(other, 825_112 * M);
        // Procurement = pool − federal wages (797,923 from BEA).
        assert_eq!(
            by_id(&rows)["outlays.operations_pool"] / M - 797_923,
            606_868
        );
    }
}
