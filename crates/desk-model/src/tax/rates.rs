//! The VAT rate table: one row per zone and class with the day it took effect (pt-invoicing §2.1).
//!
//! Rates change by law, so they are data. A row with `confirmed: false` holds a value or a start date the
//! reference does not back; the final report of issue 3 lists them.

use super::zone::{FiscalZone, RateClass};
use super::TaxError;
use crate::money::Percent;
use chrono::NaiveDate;
use rust_decimal::Decimal;

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

const HEADLINE: &str = "pt-invoicing §2.1 (rates in force 2025/2026); start date from general knowledge, UNCONFIRMED";

/// Every VAT rate row. The 2025/2026 values are confirmed by the reference; the start dates of the
/// long-standing rows are not, so those rows carry `confirmed: false`.
pub static VAT_RATES: &[VatRate] = &[
    row(Pt, Normal, 23, ymd(2011, 1, 1), false, HEADLINE),
    row(Pt, Intermediate, 13, ymd(2010, 7, 1), false, HEADLINE),
    row(Pt, Reduced, 6, ymd(2010, 7, 1), false, HEADLINE),
    row(PtMa, Normal, 22, ymd(2012, 4, 1), false, HEADLINE),
    row(PtMa, Intermediate, 12, ymd(2012, 4, 1), false, HEADLINE),
    row(PtMa, Reduced, 5, ymd(2012, 4, 1), false, "pt-invoicing §2.1: 5 % before 2024-10-01; start date UNCONFIRMED"),
    row(PtMa, Reduced, 4, ymd(2024, 10, 1), true, "pt-invoicing §2.1 [MADEIRA]: DLR 6/2024/M art. 21"),
    row(PtAc, Normal, 16, ymd(2021, 7, 1), false, HEADLINE),
    row(PtAc, Intermediate, 9, ymd(2021, 7, 1), false, HEADLINE),
    row(PtAc, Reduced, 4, ymd(2021, 7, 1), false, HEADLINE),
];

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
}
