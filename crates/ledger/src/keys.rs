//! Attribution keys: per-state indicators normalised to shares summing to 1.

use fedsplit_data::Dataset;

use crate::LedgerError;

/// Self-employment tax is 15.3% of net earnings: dividing by it turns the tax
/// back into the earnings it was levied on (METHODOLOGY §1).
pub const SELF_EMPLOYMENT_TAX_RATE: f64 = 0.153;

/// Every key the ledger uses. Each is a per-state indicator from the dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Population,
    PersonalIncome,
    Gdp,
    Pce,
    /// IRS SOI A06500, income tax after credits, by residence.
    IncomeTaxAfterCredits,
    /// IRS SOI wages (A00200) + self-employment tax (A09400) / 0.153.
    Earnings,
    /// IRS SOI dividends (A00600) + net capital gains (A01000).
    CapitalIncome,
    /// IRS Data Book Table 5 business income tax collections (filing address).
    BusinessCollections,
    /// IRS Data Book Table 5 estate + gift tax collections.
    EstateGiftCollections,
    /// BEA CAINC35 Social Security benefits by recipient residence.
    SocialSecurityBenefits,
    /// BEA CAINC35 Medicare benefits by recipient residence.
    MedicareBenefits,
    /// BEA income maintenance + other transfers − FNS SNAP benefits (floor 0).
    OtherPaymentsIndicator,
    /// CMS-64 Medicaid + CHIP federal share (a direct amount).
    MedicaidChipFederal,
    /// FNS SNAP benefits (a direct amount).
    SnapBenefits,
    /// Census SLGF federal revenue − CMS-64 federal share (a direct amount).
    NonMedicaidGrants,
    /// BEA SAGDP2 federal civilian + military value added (a direct amount).
    FederalGdp,
}

impl Key {
    pub const ALL: [Key; 16] = [
        Key::Population,
        Key::PersonalIncome,
        Key::Gdp,
        Key::Pce,
        Key::IncomeTaxAfterCredits,
        Key::Earnings,
        Key::CapitalIncome,
        Key::BusinessCollections,
        Key::EstateGiftCollections,
        Key::SocialSecurityBenefits,
        Key::MedicareBenefits,
        Key::OtherPaymentsIndicator,
        Key::MedicaidChipFederal,
        Key::SnapBenefits,
        Key::NonMedicaidGrants,
        Key::FederalGdp,
    ];

    /// What the key is, with its source (its year comes from the dataset's
    /// manifest: see `Ledger::key_text`).
    pub const fn describe(self) -> &'static str {
        match self {
            Key::Population => "population (Census population estimates, July 1)",
            Key::PersonalIncome => "personal income (BEA SAINC1 line 1)",
            Key::Gdp => "GDP (BEA SAGDP1 line 3)",
            Key::Pce => "personal consumption expenditures (BEA SASUMMARY line 7)",
            Key::IncomeTaxAfterCredits => "income tax after credits by residence (IRS SOI Historic Table 2 A06500)",
            Key::Earnings => "wages + self-employment earnings by residence (IRS SOI A00200 + A09400/0.153)",
            Key::CapitalIncome => "dividends + net capital gains by residence (IRS SOI A00600 + A01000)",
            Key::BusinessCollections => "business income tax collections by filing address (IRS Data Book Table 5)",
            Key::EstateGiftCollections => "estate + gift tax collections (IRS Data Book Table 5)",
            Key::SocialSecurityBenefits => "Social Security benefits by recipient residence (BEA CAINC35)",
            Key::MedicareBenefits => "Medicare benefits by beneficiary residence (BEA CAINC35; CMS health expenditures by state of residence)",
            Key::OtherPaymentsIndicator => "income maintenance + other transfers − SNAP benefits − Alaska's Permanent Fund Dividend, floor 0 (BEA CAINC35, FNS, Alaska PFD)",
            Key::MedicaidChipFederal => "Medicaid + CHIP federal share (CMS-64 FMR)",
            Key::SnapBenefits => "SNAP benefits (USDA FNS)",
            Key::NonMedicaidGrants => "federal revenue of state & local governments − Medicaid/CHIP federal share (Census SLGF Table 1 line 4, CMS-64)",
            Key::FederalGdp => "federal civilian + military value added (BEA SAGDP2 lines 84 + 85)",
        }
    }

    /// The dataset columns the key is computed from: (table, column).
    pub const fn columns(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Key::Population => &[("states", "population")],
            Key::PersonalIncome => &[("states", "personal_income_usd")],
            Key::Gdp => &[("states", "gdp_usd")],
            Key::Pce => &[("states", "pce_usd")],
            Key::IncomeTaxAfterCredits => &[("receipt_keys", "income_tax_after_credits_usd")],
            Key::Earnings => &[
                ("receipt_keys", "wages_usd"),
                ("receipt_keys", "self_employment_tax_usd"),
            ],
            Key::CapitalIncome => &[
                ("receipt_keys", "dividends_usd"),
                ("receipt_keys", "net_capital_gains_usd"),
            ],
            Key::BusinessCollections => &[("receipt_keys", "irs_business_collections_usd")],
            Key::EstateGiftCollections => &[
                ("receipt_keys", "irs_estate_tax_usd"),
                ("receipt_keys", "irs_gift_tax_usd"),
            ],
            Key::SocialSecurityBenefits => &[("spending", "social_security_benefits_usd")],
            Key::MedicareBenefits => &[("spending", "medicare_benefits_usd")],
            Key::OtherPaymentsIndicator => &[("spending", "other_payments_key_usd")],
            Key::MedicaidChipFederal => &[("spending", "medicaid_chip_federal_usd")],
            Key::SnapBenefits => &[("spending", "snap_benefits_usd")],
            Key::NonMedicaidGrants => &[("spending", "non_medicaid_grants_usd")],
            Key::FederalGdp => &[
                ("spending", "federal_civilian_gdp_usd"),
                ("spending", "military_gdp_usd"),
            ],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Shares of every key for one dataset, computed once.
#[derive(Debug, Clone)]
pub struct KeyShares {
    shares: Vec<Vec<f64>>,
}

impl KeyShares {
    pub fn new(data: &Dataset) -> Result<KeyShares, LedgerError> {
        let shares = Key::ALL
            .iter()
            .map(|&key| {
                let indicator = indicator(data, key);
                let total: f64 = indicator.iter().sum();
                if total.is_nan() || total <= 0.0 {
                    return Err(LedgerError::EmptyKey {
                        key: key.describe(),
                    });
                }
                Ok(indicator.iter().map(|v| v / total).collect())
            })
            .collect::<Result<_, _>>()?;
        Ok(KeyShares { shares })
    }

    /// Shares of a key, in dataset state order; they sum to 1.
    pub fn get(&self, key: Key) -> &[f64] {
        &self.shares[key.index()]
    }
}

/// The raw per-state indicator behind a key.
pub fn indicator(data: &Dataset, key: Key) -> Vec<f64> {
    let r = &data.receipt_keys;
    let s = &data.spending;
    let zip = |a: &[f64], b: &[f64], f: fn(f64, f64) -> f64| -> Vec<f64> {
        a.iter().zip(b).map(|(x, y)| f(*x, *y)).collect()
    };
    match key {
        Key::Population => data.population.clone(),
        Key::PersonalIncome => data.personal_income_usd.clone(),
        Key::Gdp => data.gdp_usd.clone(),
        Key::Pce => data.pce_usd.clone(),
        Key::IncomeTaxAfterCredits => r.income_tax_after_credits_usd.clone(),
        Key::Earnings => zip(&r.wages_usd, &r.self_employment_tax_usd, |w, se| {
            w + se / SELF_EMPLOYMENT_TAX_RATE
        }),
        Key::CapitalIncome => zip(&r.dividends_usd, &r.net_capital_gains_usd, |d, g| d + g),
        Key::BusinessCollections => r.irs_business_collections_usd.clone(),
        Key::EstateGiftCollections => zip(&r.irs_estate_tax_usd, &r.irs_gift_tax_usd, |e, g| e + g),
        Key::SocialSecurityBenefits => s.social_security_benefits_usd.clone(),
        Key::MedicareBenefits => s.medicare_benefits_usd.clone(),
        Key::OtherPaymentsIndicator => s.other_payments_key_usd.clone(),
        Key::MedicaidChipFederal => s.medicaid_chip_federal_usd.clone(),
        Key::SnapBenefits => s.snap_benefits_usd.clone(),
        Key::NonMedicaidGrants => s.non_medicaid_grants_usd.clone(),
        Key::FederalGdp => zip(&s.federal_civilian_gdp_usd, &s.military_gdp_usd, |c, m| {
            c + m
        }),
    }
}
