//! The fiscal strings of an issued document: ATCUD, the AT QR code payload, the 4 signature characters and the
//! certification phrase. Moloni issues; these rebuild what it printed, for the app's own PDF of an issued
//! document. Drafts never get any of them (pt-invoicing §6.2).

pub mod atcud;
pub mod qr;
pub mod signature;

pub use atcud::{Atcud, AtcudError, DocumentNumber};
pub use qr::{qr_payload, withholding_field, QrError, QrInput, QrSpace};
pub use signature::{certification_phrase, hash_chars, HashError, MOLONI_CERTIFICATE};
