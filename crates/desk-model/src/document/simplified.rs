//! The simplified invoice (FS) limits of CIVA art. 40 n.º 1 (pt-invoicing §3.3): €1000 for a retailer or
//! street vendor selling to a consumer, €100 for any other supply (B2B included).

use crate::money::{format_money, Money};
use crate::msg::{Lang, Localized};

/// The FS ceiling for goods sold by a retailer to a non-taxable person (art. 40 n.º 1 a)).
pub const FS_LIMIT_RETAIL_B2C: Money = Money(rust_decimal::Decimal::from_parts(1000, 0, 0, false, 0));
/// The FS ceiling for any other supply (art. 40 n.º 1 b)).
pub const FS_LIMIT_OTHER: Money = Money(rust_decimal::Decimal::from_parts(100, 0, 0, false, 0));

/// The ceiling that applies to an FS.
pub fn limit(retail_b2c: bool) -> Money {
    if retail_b2c {
        FS_LIMIT_RETAIL_B2C
    } else {
        FS_LIMIT_OTHER
    }
}

/// An FS over its ceiling: issue an FT (or FR) instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a simplified invoice may not exceed {limit:?}")]
pub struct OverSimplifiedLimit {
    /// The ceiling that applies.
    pub limit: Money,
}

impl OverSimplifiedLimit {
    /// The message for the user.
    pub fn message(&self) -> Localized {
        Localized::new(
            format!(
                "Uma fatura simplificada não pode passar de {}: emita uma fatura ou fatura-recibo.",
                format_money(self.limit, Lang::Pt)
            ),
            format!(
                "A simplified invoice may not exceed {}: issue an invoice or invoice-receipt instead.",
                format_money(self.limit, Lang::En)
            ),
        )
    }
}

/// Checks an FS total (VAT included) against its ceiling.
pub fn check(total: Money, retail_b2c: bool) -> Result<(), OverSimplifiedLimit> {
    let limit = limit(retail_b2c);
    if total > limit {
        Err(OverSimplifiedLimit { limit })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!(check(Money::from_cents(10_000), false), Ok(()));
        assert_eq!(check(Money::from_cents(10_001), false), Err(OverSimplifiedLimit { limit: FS_LIMIT_OTHER }));
        assert_eq!(check(Money::from_cents(100_000), true), Ok(()));
        assert_eq!(check(Money::from_cents(100_001), true), Err(OverSimplifiedLimit { limit: FS_LIMIT_RETAIL_B2C }));
        assert!(OverSimplifiedLimit { limit: FS_LIMIT_OTHER }.message().pt.contains("100,00 €"));
    }
}
