//! The VAT rate table: one row per zone and class with the day it took effect (pt-invoicing §2.1).
//!
//! Rates change by law, so they are data. A row with `confirmed: false` holds a value or a start date the
//! reference does not back; the final report of issue 3 lists them.

use super::zone::{FiscalZone, RateClass, TaxCode};
use super::TaxError;
use crate::money::{format_percent, Percent};
use crate::msg::Lang;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One rate in force from `from` until the next row for the same zone and class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatRate {
    /// Fiscal zone.
    pub zone: FiscalZone,
    /// Rate class.
    pub class: RateClass,
    /// The rate in percent.
    pub percent: Decimal,
    /// First day it applies.
    pub from: NaiveDate,
    /// True when the reference backs both the value and the start date.
    pub confirmed: bool,
    /// Where the row comes from.
    pub source: &'static str,
}

pub(crate) const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the VAT rate table"),
    }
}

const fn pct(p: u32) -> Decimal {
    Decimal::from_parts(p, 0, 0, false, 0)
}

const fn row(
    zone: FiscalZone,
    class: RateClass,
    p: u32,
    from: NaiveDate,
    confirmed: bool,
    source: &'static str,
) -> VatRate {
    VatRate { zone, class, percent: pct(p), from, confirmed, source }
}

use FiscalZone::{Pt, PtAc, PtMa};
use RateClass::{Intermediate, Normal, Reduced};

const MAINLAND: &str =
    "pt-invoicing §2.1 (rates in force 2025/2026); start dates (23 % 2011-01-01, 13/6 % 2010-07-01) from general knowledge (fiscal-review #1), UNCONFIRMED";
const MADEIRA_2012: &str = "Lei 14-A/2012: 5/12/22 % from 2012-04-01 (amrconsult.com, fiscal-review #2)";
const AZORES_2015: &str = "Lei 63-A/2015: 4 % and 9 % from 2015-07-01 (fiscal-review #3, L2)";

/// Every VAT rate row. A row is `confirmed` when a cited source backs both its value and its start date.
pub static VAT_RATES: &[VatRate] = &[
    row(Pt, Normal, 23, ymd(2011, 1, 1), false, MAINLAND),
    row(Pt, Intermediate, 13, ymd(2010, 7, 1), false, MAINLAND),
    row(Pt, Reduced, 6, ymd(2010, 7, 1), false, MAINLAND),
    row(PtMa, Normal, 22, ymd(2012, 4, 1), true, MADEIRA_2012),
    row(PtMa, Intermediate, 12, ymd(2012, 4, 1), true, MADEIRA_2012),
    row(PtMa, Reduced, 5, ymd(2012, 4, 1), true, MADEIRA_2012),
    row(PtMa, Reduced, 4, ymd(2024, 10, 1), true, "pt-invoicing §2.1 [MADEIRA]: DLR 6/2024/M art. 21"),
    row(
        PtAc,
        Normal,
        18,
        ymd(2015, 7, 1),
        false,
        "Lei 63-A/2015: 18 % from 2015-07-01, from general knowledge, UNCONFIRMED",
    ),
    row(
        PtAc,
        Normal,
        16,
        ymd(2021, 7, 1),
        true,
        "DLR 15-A/2021/A, from 2021-07-01 (Ofício-Circulado 25045/2024 via apcmc.pt)",
    ),
    row(PtAc, Intermediate, 9, ymd(2015, 7, 1), true, AZORES_2015),
    row(PtAc, Reduced, 4, ymd(2015, 7, 1), true, AZORES_2015),
];

/// A rate as a picker shows it: the class, its code and percentage for one zone on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLabel {
    /// The rate class.
    pub class: RateClass,
    /// The SAF-T code the line stores (`RED`, `INT`, `NOR`).
    pub code: TaxCode,
    /// The percentage in force.
    pub percent: Percent,
    /// "22 %" (pt-PT) or "22%" (English), as [`crate::money::format_percent`] writes it.
    pub label: String,
    /// "Taxa normal 22 %" / "Normal rate 22%".
    pub long_label: String,
}

/// The labels of the three rates of `zone` in force on `date`, reduced first, from the dated table: what the
/// document editor and the products form show instead of fixed "23 %/13 %/6 %" (wrong in the Azores and
/// Madeira, and when a rate changes).
pub fn rate_labels(zone: FiscalZone, date: NaiveDate, lang: Lang) -> Vec<RateLabel> {
    [Reduced, Intermediate, Normal]
        .into_iter()
        .filter_map(|class| {
            let percent = rate_for(zone, class, date).ok()?;
            let label = format_percent(percent, lang);
            let long_label = format!("{} {label}", class.code().name().get(lang));
            Some(RateLabel { class, code: class.code(), percent, label, long_label })
        })
        .collect()
}

/// Which rate of `zone` in force on `date` is `percent`, if any: how a tax defined elsewhere (a Moloni company's
/// VAT taxes) maps onto the dated table. `None` is reported, never guessed.
pub fn class_of(zone: FiscalZone, percent: Percent, date: NaiveDate) -> Option<RateClass> {
    [Reduced, Intermediate, Normal]
        .into_iter()
        .find(|class| rate_for(zone, *class, date).is_ok_and(|p| p.0 == percent.0))
}

/// The rate of `class` in `zone` on `date`: the latest row that had started by then.
pub fn rate_for(zone: FiscalZone, class: RateClass, date: NaiveDate) -> Result<Percent, TaxError> {
    VAT_RATES
        .iter()
        .filter(|r| r.zone == zone && r.class == class && r.from <= date)
        .max_by_key(|r| r.from)
        .map(|r| Percent(r.percent))
        .ok_or(TaxError::NoRate { zone, class, date })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_percentage_maps_to_the_zones_class_in_force_or_to_nothing() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        assert_eq!(class_of(FiscalZone::Pt, Percent(dec!(23)), day), Some(Normal));
        assert_eq!(class_of(FiscalZone::PtAc, Percent(dec!(16)), day), Some(Normal));
        assert_eq!(class_of(FiscalZone::PtMa, Percent(dec!(4)), day), Some(Reduced));
        // 22 % is Madeira's normal rate, not the mainland's; 21 % is nobody's
        assert_eq!(class_of(FiscalZone::Pt, Percent(dec!(22)), day), None);
        assert_eq!(class_of(FiscalZone::Pt, Percent(dec!(21)), day), None);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn rates_in_force_in_2026() {
        let on = d(2026, 1, 15);
        let expect = [
            (Pt, Normal, dec!(23)),
            (Pt, Intermediate, dec!(13)),
            (Pt, Reduced, dec!(6)),
            (PtMa, Normal, dec!(22)),
            (PtMa, Intermediate, dec!(12)),
            (PtMa, Reduced, dec!(4)),
            (PtAc, Normal, dec!(16)),
            (PtAc, Intermediate, dec!(9)),
            (PtAc, Reduced, dec!(4)),
        ];
        for (zone, class, p) in expect {
            assert_eq!(rate_for(zone, class, on), Ok(Percent(p)), "{zone:?} {class:?}");
        }
    }

    #[test]
    fn madeira_reduced_changed_on_2024_10_01() {
        assert_eq!(rate_for(PtMa, Reduced, d(2024, 9, 30)), Ok(Percent(dec!(5))));
        assert_eq!(rate_for(PtMa, Reduced, d(2024, 10, 1)), Ok(Percent(dec!(4))));
    }

    #[test]
    fn before_the_table_there_is_no_rate() {
        assert_eq!(
            rate_for(Pt, Normal, d(1999, 1, 1)),
            Err(TaxError::NoRate { zone: Pt, class: Normal, date: d(1999, 1, 1) })
        );
    }

    #[test]
    fn rule_l2_azores_reduced_and_intermediate_from_2015_07_01() {
        assert_eq!(rate_for(PtAc, Reduced, d(2015, 7, 1)), Ok(Percent(dec!(4))));
        assert_eq!(rate_for(PtAc, Intermediate, d(2019, 3, 1)), Ok(Percent(dec!(9))));
        assert_eq!(rate_for(PtAc, Normal, d(2021, 6, 30)), Ok(Percent(dec!(18))));
        assert_eq!(rate_for(PtAc, Normal, d(2021, 7, 1)), Ok(Percent(dec!(16))));
        assert!(rate_for(PtAc, Reduced, d(2015, 6, 30)).is_err());
    }

    #[test]
    fn rule_ui_rate_labels_come_from_the_dated_table_per_zone() {
        let labels =
            |zone, date, lang| -> Vec<String> { rate_labels(zone, date, lang).into_iter().map(|l| l.label).collect() };
        assert_eq!(labels(Pt, d(2026, 11, 29), Lang::Pt), ["6 %", "13 %", "23 %"]);
        assert_eq!(labels(PtAc, d(2026, 11, 29), Lang::Pt), ["4 %", "9 %", "16 %"]);
        assert_eq!(labels(PtMa, d(2026, 11, 29), Lang::Pt), ["4 %", "12 %", "22 %"]);
        assert_eq!(labels(PtMa, d(2024, 9, 30), Lang::Pt), ["5 %", "12 %", "22 %"]);
        let n = rate_labels(PtMa, d(2026, 1, 1), Lang::Pt);
        assert_eq!((n[2].code, n[2].long_label.as_str()), (TaxCode::Nor, "Taxa normal 22 %"));
        assert_eq!(
            rate_labels(Pt, d(2026, 1, 1), Lang::En)[0].long_label,
            format!("Reduced rate {}", format_percent(Percent(dec!(6)), Lang::En))
        );
    }
}
