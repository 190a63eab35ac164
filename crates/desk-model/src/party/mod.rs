//! Identifiers of the parties on a document: Portuguese NIF, EU VAT numbers, postal codes, IBAN.

pub mod nif;
pub mod postal;

pub use nif::{Nif, NifError, NifWarning, FINAL_CONSUMER_NIF};
