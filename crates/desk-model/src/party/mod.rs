//! Identifiers of the parties on a document: Portuguese NIF, EU VAT numbers, postal codes, IBAN.

pub mod iban;
pub mod nif;
pub mod postal;
pub mod vat;
pub mod vat_check;

pub use iban::{Iban, IbanError};
pub use nif::{Nif, NifError, NifWarning, FINAL_CONSUMER_NIF};
pub use vat::{is_eu_country, vat_prefix, EuVat, VatError, EU_COUNTRIES};
