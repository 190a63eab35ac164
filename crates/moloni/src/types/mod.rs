//! The API's own types, as it answers (tolerant of numbers as strings, nulls and missing keys, see
//! [`crate::de`]). Only what the app reads is typed; the rest of each answer is ignored. Converting them to
//! desk-model's types happens in one place, [`crate::convert`].

mod documents;
mod entities;
mod settings;

pub use documents::{
    AssociatedDocument, Document, DocumentPayment, DocumentProduct, DocumentProductTax, DocumentRef, DocumentType,
};
pub use entities::{Company, Customer, Product, ProductCategory, ProductTax, Salesman, User, Warehouse};
pub use settings::{
    Country, Currency, Deduction, DocumentSet, DocumentSetAtCode, FiscalZone, GeographicZone, Language, MaturityDate,
    MeasurementUnit, PaymentMethod, Subscription, Tax, TaxExemption,
};

use crate::de;
use serde::{Deserialize, Serialize};

/// The grant's answer (`/v1/grant/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// The access token (1 hour).
    pub access_token: String,
    /// Seconds until the access token expires (3600).
    #[serde(deserialize_with = "de::int", default)]
    pub expires_in: i64,
    /// `"bearer"`.
    #[serde(deserialize_with = "de::text", default)]
    pub token_type: String,
    /// The new refresh token (14 days); every refresh rotates it.
    pub refresh_token: String,
}

impl std::fmt::Display for TokenResponse {
    /// Never the tokens themselves.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tokens (expire in {} s)", self.expires_in)
    }
}

/// `{count}`: the recordings have it as a string, the docs as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// How many.
    #[serde(deserialize_with = "de::int")]
    pub count: i64,
}

/// `customers/getNextNumber`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextNumber {
    /// The next free customer code (a string; may be odd on a corrupted sequence).
    #[serde(deserialize_with = "de::text")]
    pub number: String,
}

/// `documents/getPDFLink`'s answer: a landing page, not the PDF bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfLink {
    /// The download page's address.
    #[serde(deserialize_with = "de::text")]
    pub url: String,
}
