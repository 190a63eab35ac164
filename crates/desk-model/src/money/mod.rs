//! Money, quantities, unit prices and percentages as exact decimals (rust_decimal), with commercial rounding.
//!
//! The newtypes say what a number means; they do not restrict it, so a draft can hold what a person typed and
//! [`crate::document::validate()`] can say what is wrong with it. [`parse`] reads what people type and
//! [`mod@format`] writes what they read, in pt-PT and English.

pub mod format;
pub mod parse;

pub use format::{format_money, format_percent, format_quantity, format_unit_price};
pub use parse::{parse_number, NumberError, NumberKind};

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// Rounds half away from zero to `dp` decimals, the commercial rounding Moloni and the SAF-T validators use
/// (0.1495 → 0.15, 1.6353 → 1.64).
pub fn round_dp(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// An amount in euros. Totals are whole cents; intermediate amounts may carry more decimals until
/// [`Money::cents`] rounds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub Decimal);

impl Money {
    /// Zero euros.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// An amount from a whole number of cents: `Money::from_cents(123)` is 1.23 €.
    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, 2))
    }

    /// Rounded to whole cents (half away from zero).
    pub fn cents(self) -> Money {
        Money(round_dp(self.0, 2))
    }

    /// The amount as a decimal.
    pub fn amount(self) -> Decimal {
        self.0
    }

    /// True for exactly zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// True below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// The amount with exactly two decimals and a dot, no grouping: `1234.50`. The form of the QR code,
    /// the signed message and SAF-T.
    pub fn to_plain_string(self) -> String {
        let mut d = round_dp(self.0, 2);
        d.rescale(2);
        d.to_string()
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + *b)
    }
}

/// A quantity of goods or services: at most 3 decimals ([`NumberKind::Quantity`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Quantity(pub Decimal);

impl Quantity {
    /// One unit.
    pub const ONE: Quantity = Quantity(Decimal::ONE);
}

/// A unit price in euros, excluding VAT: at most 6 decimals, as Moloni allows ([`NumberKind::UnitPrice`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitPrice(pub Decimal);

/// A percentage as people write it: `Percent(23)` is 23 %. Discounts are 0–100 ([`NumberKind::Percent`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Percent(pub Decimal);

impl Percent {
    /// 0 %.
    pub const ZERO: Percent = Percent(Decimal::ZERO);

    /// The fraction this percentage is of one: 23 % → 0.23.
    pub fn fraction(self) -> Decimal {
        self.0 / Decimal::ONE_HUNDRED
    }

    /// One minus the fraction: what is left after a discount of this size (20 % → 0.80).
    pub fn remainder(self) -> Decimal {
        Decimal::ONE - self.fraction()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn commercial_rounding_is_half_away_from_zero() {
        assert_eq!(round_dp(dec!(0.1495), 2), dec!(0.15));
        assert_eq!(round_dp(dec!(1.6353), 2), dec!(1.64));
        assert_eq!(round_dp(dec!(0.125), 2), dec!(0.13));
        assert_eq!(round_dp(dec!(-0.125), 2), dec!(-0.13));
        assert_eq!(Money(dec!(2.675)).cents(), Money(dec!(2.68)));
    }

    #[test]
    fn plain_strings_have_two_decimals() {
        assert_eq!(Money(dec!(12000)).to_plain_string(), "12000.00");
        assert_eq!(Money(dec!(0.1495)).to_plain_string(), "0.15");
        assert_eq!(Money(dec!(25000.555)).to_plain_string(), "25000.56");
        assert_eq!(Money::from_cents(-5).to_plain_string(), "-0.05");
    }

    #[test]
    fn percent_fractions() {
        assert_eq!(Percent(dec!(23)).fraction(), dec!(0.23));
        assert_eq!(Percent(dec!(20)).remainder(), dec!(0.8));
    }

    #[test]
    fn money_serialises_as_a_string() {
        let json = serde_json::to_string(&Money(dec!(1.50))).unwrap_or_default();
        assert_eq!(json, "\"1.50\"");
    }
}
