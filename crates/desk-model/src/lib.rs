//! desk-model: every rule about money, tax, parties and documents for Portuguese invoicing, with no I/O.
//!
//! It builds for `wasm32-unknown-unknown` (the Yew UI validates and totals live with it) and for native (the
//! engine stores exactly what the UI showed). Only the types in [`ipc`] cross the Tauri bridge; each command is
//! declared once in [`ipc::call`].
//!
//! - [`money`]: exact amounts, quantities, prices, percentages; parsing and formatting in pt-PT and English.
//! - [`party`]: NIF, EU VAT numbers, IBAN, postal codes; [`customer`]: the customer record's rules.
//! - [`company`]: the issuing company's profile (issuer block, IBAN, logo) and its rules.
//! - [`tax`]: fiscal zones, SAF-T codes, the dated VAT rate table, exemption reasons, a line's tax.
//! - [`document`]: types, drafts, totals per rate, validation, life cycle, conversions, payments, due dates.
//! - [`fiscal`]: ATCUD, the AT QR payload, signature characters, certification phrase.
//! - [`form`]: reading typed numbers, taxes and dates; [`error`]: the error the UI sees.
//! - [`mod@print`]: the printable view of a document, every string pre-formatted for the PDF renderer.
//!
//! Values the law changes or the reference marks UNCONFIRMED live in data tables, not in code:
//! [`tax::VAT_RATES`], [`tax::WITHHOLDING_RATES`], [`tax::exemption::EXEMPTIONS`] (with validity dates),
//! [`party::vat::VAT_FORMATS`], [`party::iban::IBAN_LENGTHS`], [`document::interest::LATE_INTEREST`],
//! [`document::simplified`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod chart;
pub mod company;
pub mod customer;
pub mod document;
pub mod error;
pub mod fiscal;
pub mod form;
pub mod ipc;
pub mod money;
pub mod msg;
pub mod party;
pub mod print;
pub mod product;
pub mod tax;
pub mod text;
pub mod unsaved;
