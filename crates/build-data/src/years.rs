//! The fiscal years the builder writes and, for each, where every per-state
//! figure comes from (METHODOLOGY §9; the research notes `years-data.md`
//! §2.1 give the source matrix).
//!
//! A figure whose source year differs from the fiscal year is *carried*: its
//! manifest `year` names the year the figures are of (never the fiscal
//! year), so that the ledger can tell a carried key from a same-year one.
//!
//! | figure | FY2019 | FY2022 | FY2023 | FY2024 |
//! |---|---|---|---|---|
//! | population | V2019, 2019 | V2023, 2022 | V2024, 2023 | V2024, 2024 |
//! | BEA personal income, GDP, SAGDP2 84+85 | CY2019 | CY2022 | CY2023 | CY2024 |
//! | BEA PCE | CY2019 | CY2022 | CY2023 | CY2023 (2024 is "(NA)") |
//! | SOI Historic Table 2 | TY2019 (print-layout xlsx) | TY2022 | TY2023 | TY2023 |
//! | IRS Data Book Table 5 | FY2019 | FY2022 | FY2023 | FY2024 |
//! | Census SLGF lines 4, 11, 18 | 2019 | 2022 | 2022 | 2022 |
//! | CMS-64 Medicaid + CHIP | FY2019 | FY2022 | FY2023 | FY2023 |
//! | FNS SNAP | FY2019 | FY2022 | FY2023 | FY2024 |
//! | Medicare key | CMS NHE 2019 | BEA 2022 | BEA 2022 | BEA 2022 |
//! | other transfer keys, Alaska PFD | 2022 | 2022 | 2022 | 2022 |

/// A Census population estimates file and the July 1 estimate read from it.
#[derive(Debug, Clone, Copy)]
pub struct PopulationSpec {
    /// File relative to the raw root.
    pub file: &'static str,
    /// Publisher file name without extension, for the manifest.
    pub name: &'static str,
    /// Estimate year: the column read is `POPESTIMATE{year}`.
    pub year: u16,
    /// Census vintage of the file.
    pub vintage: u16,
    /// Whether the file has county rows (SUMLEV 050) that must add up to
    /// their state row.
    pub county_rows: bool,
    /// Published 51-area total, checked.
    pub total: i64,
}

/// How an SOI Historic Table 2 file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoiLayout {
    /// Long CSV by `STATE` × `AGI_STUB` (TY2020 onward).
    Csv,
    /// The printed workbook: one sheet, areas across in blocks of 11
    /// columns, fields down (TY2019 `19in55cm.xlsx`).
    Print,
}

/// An SOI Historic Table 2 file.
#[derive(Debug, Clone, Copy)]
pub struct SoiSpec {
    /// Tax year.
    pub ty: u16,
    pub file: &'static str,
    /// Publisher file name, e.g. "22in55cmcsv".
    pub name: &'static str,
    pub layout: SoiLayout,
}

/// A Census State & Local Government Finances Table 1 workbook.
#[derive(Debug, Clone, Copy)]
pub struct SlgfSpec {
    /// The year of the survey (state fiscal years ending in it).
    pub year: u16,
    pub file: &'static str,
    pub publisher: &'static str,
    /// Largest accepted |United States Total − Σ 51 areas|, in thousands of
    /// dollars: the 2019 sample survey is off by a few thousand (line 4: 4).
    pub tolerance_thousands: i64,
}

/// The CMS-64 FMR workbooks of one federal fiscal year.
#[derive(Debug, Clone, Copy)]
pub struct Cms64Spec {
    pub fy: u16,
    /// MAP and ADM sheets.
    pub medicaid_file: &'static str,
    /// MCHIP, MCHIP 20% and CHIP sheets.
    pub chip_file: &'static str,
}

/// Where the Medicare benefits key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MedicareKey {
    /// BEA CAINC35 2022 county sums (EIG), as the other transfer keys.
    Bea2022,
    /// CMS National Health Expenditure Accounts, Medicare personal health
    /// care by state of residence, of this calendar year.
    NheResidence { year: u16 },
}

/// Everything that differs between fiscal years.
#[derive(Debug, Clone, Copy)]
pub struct YearSpec {
    /// Federal fiscal year of the controls.
    pub fy: u16,
    pub population: PopulationSpec,
    /// Calendar year of BEA personal income, GDP and federal value added.
    pub bea_year: u16,
    /// Calendar year of BEA personal consumption expenditures.
    pub pce_year: u16,
    pub soi: SoiSpec,
    pub slgf: SlgfSpec,
    pub cms64: Cms64Spec,
    /// FNS SNAP workbook of the fiscal year.
    pub snap_file: &'static str,
    pub medicare: MedicareKey,
    /// Published IRS Data Book Table 5 US estate + gift collections, $M
    /// (rounded), checked.
    pub estate_gift_musd: i64,
}

impl YearSpec {
    /// `"FY2023"`.
    pub fn label(&self) -> String {
        format!("FY{}", self.fy)
    }

    /// Whether `outlays.grants` is the sum of per-state amounts of the
    /// fiscal year (Census SLGF and CMS-64 both of that year); otherwise the
    /// per-state amounts of `slgf.year` are carried as a key and the control
    /// is scaled by OMB's non-Medicaid grants.
    pub fn grants_direct(&self) -> bool {
        self.slgf.year == self.fy && self.cms64.fy == self.fy
    }
}

const POPEST_V2024: &str = "census-popest-2019-2024/co-est2024-alldata.csv";

const SOI_TY2023: SoiSpec = SoiSpec {
    ty: 2023,
    file: "irs-soi-historic-table2-more/23in55cmcsv.csv",
    name: "23in55cmcsv",
    layout: SoiLayout::Csv,
};

const SLGF_2022: SlgfSpec = SlgfSpec {
    year: 2022,
    file: "census-slgf-2022/census_2022_state_local_finance_table1.xlsx",
    publisher: "U.S. Census Bureau (2022 Census of Governments: Finance)",
    tolerance_thousands: 0,
};

const CMS64_FY2022: Cms64Spec = Cms64Spec {
    fy: 2022,
    medicaid_file: "cms64-fmr/FY 2022 FMR NET EXPENDITURES.xlsx",
    chip_file: "cms64-fmr/FY 2022 CHIP FMR NET EXPENDITURES.xlsx",
};

const CMS64_FY2023: Cms64Spec = Cms64Spec {
    fy: 2023,
    medicaid_file: "cms64-fmr/FY 2023 FMR NET EXPENDITURES.xlsx",
    chip_file: "cms64-fmr/FY 2023 CHIP FMR NET EXPENDITURES.xlsx",
};

/// The fiscal years written, ascending.
pub const YEARS: [YearSpec; 4] = [
    YearSpec {
        fy: 2019,
        population: PopulationSpec {
            file: "census-popest-2019-2024/nst-est2019-alldata.csv",
            name: "nst-est2019-alldata",
            year: 2019,
            vintage: 2019,
            county_rows: false,
            total: 328_239_523,
        },
        bea_year: 2019,
        pce_year: 2019,
        soi: SoiSpec {
            ty: 2019,
            file: "irs-soi-historic-table2/19in55cm.xlsx",
            name: "19in55cm",
            layout: SoiLayout::Print,
        },
        slgf: SlgfSpec {
            year: 2019,
            file: "census-slgf-2019-2021/19slsstab1.xlsx",
            publisher:
                "U.S. Census Bureau (2019 Annual Surveys of State and Local Government Finances)",
            tolerance_thousands: 10,
        },
        cms64: Cms64Spec {
            fy: 2019,
            medicaid_file: "cms64-fmr/FY 2019 FMR NET EXPENDITURES.xlsx",
            chip_file: "cms64-fmr/FY 2019 CHIP NET EXPENDITURES.xlsx",
        },
        snap_file: "fns-snap-state/FY19.xls",
        medicare: MedicareKey::NheResidence { year: 2019 },
        estate_gift_musd: 17_565,
    },
    YearSpec {
        fy: 2022,
        population: PopulationSpec {
            file: "census-popest/co-est2023-alldata.csv",
            name: "co-est2023-alldata",
            year: 2022,
            vintage: 2023,
            county_rows: true,
            total: 333_271_411,
        },
        bea_year: 2022,
        pce_year: 2022,
        soi: SoiSpec {
            ty: 2022,
            file: "irs-soi-historic-table2/22in55cmcsv.csv",
            name: "22in55cmcsv",
            layout: SoiLayout::Csv,
        },
        slgf: SLGF_2022,
        cms64: CMS64_FY2022,
        snap_file: "fns-snap-state/FY22.xlsx",
        medicare: MedicareKey::Bea2022,
        estate_gift_musd: 33_355,
    },
    YearSpec {
        fy: 2023,
        population: PopulationSpec {
            file: POPEST_V2024,
            name: "co-est2024-alldata",
            year: 2023,
            vintage: 2024,
            county_rows: true,
            total: 336_806_231,
        },
        bea_year: 2023,
        pce_year: 2023,
        soi: SOI_TY2023,
        slgf: SLGF_2022,
        cms64: CMS64_FY2023,
        snap_file: "fns-snap-state/FY23.xlsx",
        medicare: MedicareKey::Bea2022,
        estate_gift_musd: 35_434,
    },
    YearSpec {
        fy: 2024,
        population: PopulationSpec {
            file: POPEST_V2024,
            name: "co-est2024-alldata",
            year: 2024,
            vintage: 2024,
            county_rows: true,
            total: 340_110_988,
        },
        bea_year: 2024,
        // SASUMMARY line 7 is "(NA)" for every area in 2024.
        pce_year: 2023,
        soi: SOI_TY2023,
        slgf: SLGF_2022,
        // No FY2024 CMS-64 in the inputs.
        cms64: CMS64_FY2023,
        snap_file: "fns-snap-state/FY24.xlsx",
        medicare: MedicareKey::Bea2022,
        estate_gift_musd: 32_868,
    },
];

/// The spec of fiscal year `fy`, if it is one of [`YEARS`].
pub fn spec(fy: u16) -> Option<&'static YearSpec> {
    YEARS.iter().find(|y| y.fy == fy)
}

/// The year the BEA transfers by program (CAINC35, EIG county sums), the
/// Alaska PFD subtracted from them and the FNS SNAP subtracted from them
/// are of, in every fiscal year.
pub const TRANSFERS_YEAR: u16 = 2022;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_ascending_and_carried_sources_exist() {
        assert!(YEARS.windows(2).all(|w| w[0].fy < w[1].fy));
        for y in &YEARS {
            // A carried SLGF or CMS-64 year must be a year the builder has
            // the other source for (the grants key of that year).
            if !y.grants_direct() {
                let base = spec(y.slgf.year).expect("SLGF year is a built year");
                assert!(base.grants_direct());
            }
            assert!(y.soi.ty <= y.fy && y.cms64.fy <= y.fy && y.slgf.year <= y.fy);
        }
        assert!(spec(TRANSFERS_YEAR).is_some());
        assert_eq!(spec(2022).unwrap().population.total, 333_271_411);
        assert!(spec(2020).is_none());
    }
}
