//! Late-payment interest for commercial creditors ("taxa supletiva", ECB rate + 8 pp, set each half-year by
//! Aviso; pt-invoicing §8.1) as a dated table. Half-years not yet published (2H2026 on) are absent, so
//! [`late_interest_rate`] answers `None` and the UI asks the user.

use crate::money::Percent;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// One half-year's rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterestRate {
    /// Year.
    pub year: i32,
    /// 1 for January–June, 2 for July–December.
    pub half: u8,
    /// Annual rate in percent.
    pub percent: Decimal,
}

const fn rate(year: i32, half: u8, hundredths: u32) -> InterestRate {
    InterestRate { year, half, percent: Decimal::from_parts(hundredths, 0, 0, false, 2) }
}

/// The known rates (DL 62/2013 commercial transactions). 1H2026: 10.15 % (Aviso 822/2026, via eco.sapo and
/// gescriar; fiscal-review #29 and L6); claims outside DL 62/2013 use 9.15 % that half-year.
pub static LATE_INTEREST: &[InterestRate] =
    &[rate(2024, 2, 1225), rate(2025, 1, 1115), rate(2025, 2, 1015), rate(2026, 1, 1015)];

/// The rate in force on `date`, if the table knows its half-year.
pub fn late_interest_rate(date: NaiveDate) -> Option<Percent> {
    let half = if date.month() <= 6 { 1 } else { 2 };
    LATE_INTEREST.iter().find(|r| r.year == date.year() && r.half == half).map(|r| Percent(r.percent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn known_and_unknown_half_years() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
        assert_eq!(late_interest_rate(d(2025, 9)), Some(Percent(dec!(10.15))));
        assert_eq!(late_interest_rate(d(2025, 3)), Some(Percent(dec!(11.15))));
        assert_eq!(late_interest_rate(d(2026, 3)), Some(Percent(dec!(10.15))));
        assert_eq!(late_interest_rate(d(2026, 9)), None);
    }
}
