//! VAT: fiscal zones, SAF-T tax codes, the dated rate table, exemption reasons, and the tax of one line.
//!
//! Values that may change (rates, exemption wording) are data tables ([`rates::VAT_RATES`],
//! [`exemption::EXEMPTIONS`]) with validity and a confirmed flag, never literals scattered in code.

pub mod exemption;
pub mod line;
pub mod rates;
pub mod withholding;
pub mod zone;

pub use exemption::{exemption, Exemption, ExemptionCode, ExemptionNature, ExemptionStatus};
pub use line::{LineTax, ResolvedTax, TaxError, TaxWarning};
pub use rates::{class_of, rate_for, rate_labels, RateLabel, VatRate, VAT_RATES};
pub use withholding::{withholding_rate, WithholdingKind, WithholdingRate, WITHHOLDING_RATES};
pub use zone::{FiscalZone, RateClass, TaxCode};
