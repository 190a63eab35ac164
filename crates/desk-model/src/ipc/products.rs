//! A product or service as the UI shows it, and a search over products.

use crate::money::{Percent, UnitPrice};
use crate::product::ProductKind;
use crate::tax::LineTax;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A product or service as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// UUIDv7.
    pub id: Uuid,
    /// The company it belongs to.
    pub company_id: Uuid,
    /// The company's own code for it, unique in the company.
    pub reference: String,
    /// Its name, the line description by default.
    pub name: String,
    /// Goods or service.
    pub kind: ProductKind,
    /// Unit of measure (`un`, `h`, `kg`…).
    pub unit: String,
    /// Unit price excluding VAT.
    pub price: UnitPrice,
    /// VAT: a rate class in a zone, or an exemption with its reason.
    pub tax: LineTax,
    /// Free category for grouping and reports.
    pub category: Option<String>,
    /// The withholding rate a line of it starts with (`Some(0)`: none), if it has its own.
    #[serde(default)]
    pub withholding_rate: Option<Percent>,
    /// Hidden from lists and pickers.
    pub archived: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// A search over products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProductQuery {
    /// Words to find in reference, name and category (accents and case ignored, word prefixes match).
    pub text: String,
    /// Include archived products.
    pub include_archived: bool,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Rows per page (1–500; 0 means 50).
    pub limit: u32,
}
