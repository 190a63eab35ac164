//! A customer as the UI shows it, and a search over customers.

use crate::money::Percent;
use crate::print::PartyInfo;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A customer as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// UUIDv7, made on the desktop.
    pub id: Uuid,
    /// The company it belongs to.
    pub company_id: Uuid,
    /// Name or firm.
    pub name: String,
    /// Portuguese NIF, or `None` for a consumer without one.
    pub nif: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// Postal code (`NNNN-NNN` in Portugal).
    pub postal_code: Option<String>,
    /// Town.
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Days to pay, if agreed.
    pub payment_terms_days: Option<u32>,
    /// Free notes.
    pub notes: Option<String>,
    /// The IRS/IRC withholding rate this customer withholds on our services (CIRS art. 101), if any: the editor
    /// starts its documents with it.
    #[serde(default)]
    pub withholding_rate: Option<Percent>,
    /// Hidden from lists and pickers, kept for history.
    pub archived: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

impl Customer {
    /// The buyer as a document made for this customer names it (what the party checks read).
    pub fn party(&self) -> PartyInfo {
        PartyInfo {
            name: self.name.clone(),
            tax_id: self.nif.clone(),
            address: self.address.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
            ..PartyInfo::default()
        }
    }
}

/// A search over customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerQuery {
    /// Words to find in name, NIF, e-mail, town (accents and case ignored, word prefixes match).
    pub text: String,
    /// Include archived customers.
    pub include_archived: bool,
    /// The `next` cursor of the previous page, to continue.
    pub after: Option<String>,
    /// Rows per page (1–500; 0 means the default of 50).
    pub limit: u32,
}
