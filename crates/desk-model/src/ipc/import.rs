//! Importing customers and products (issue 17): what an import file's preview shows (every row's problems, what
//! would be added, filled in or sent for review), the mapping from the file's columns to fields, and the review
//! list that keeps differing values instead of overwriting them (shared with the Moloni sync).

use crate::msg::Localized;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What an import file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Customers.
    #[default]
    Customers,
    /// Products and services.
    Products,
}

impl ImportKind {
    /// `customers` or `products`.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Products => "products",
        }
    }

    /// The fields a column can be mapped to, in form order.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            ImportKind::Customers => &[
                "name",
                "nif",
                "email",
                "phone",
                "address",
                "postal_code",
                "city",
                "country",
                "payment_terms_days",
                "notes",
            ],
            ImportKind::Products => {
                &["reference", "name", "kind", "unit", "price", "tax_zone", "tax_code", "exemption", "category"]
            }
        }
    }
}

/// How to read an import file: which saved profile, or an explicit mapping (one entry per column of the file,
/// the field it fills or `None` to ignore it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImportRequest {
    /// Customers or products.
    pub kind: ImportKind,
    /// The file.
    pub path: String,
    /// A profile's name (`moloni`, `phc`, `primavera`, `generic`, or one the user saved); `None`: recognise the
    /// headers.
    #[serde(default)]
    pub profile: Option<String>,
    /// The mapping chosen on the mapping screen; overrides the profile when given.
    #[serde(default)]
    pub mapping: Option<Vec<Option<String>>>,
    /// Import the good rows and leave out the rows with problems (otherwise any problem refuses the commit).
    #[serde(default)]
    pub skip_invalid: bool,
}

/// What is wrong with one row of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The row's line in the file (1 is the header line of a CSV; a spreadsheet's row number).
    pub line: u64,
    /// The field (`nif`, `name`…), or `row` for the whole row.
    pub field: String,
    /// What is wrong and what to do.
    pub message: Localized,
}

/// A value of the file that differs from the stored one: kept for a person to decide, never overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDifference {
    /// The line in the file.
    pub line: u64,
    /// The stored record's label (name, or reference and name).
    pub record: String,
    /// The field.
    pub field: String,
    /// What is stored.
    pub current: String,
    /// What the file says.
    pub incoming: String,
}

/// The dry run of an import: what committing it would do, and every row's problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImportPreview {
    /// Customers or products.
    pub kind: ImportKind,
    /// The file's name.
    pub file_name: String,
    /// How it was read: `csv (windows-1252, ';')`, `xlsx`, `saf-t`.
    pub format: String,
    /// The file's column headers.
    pub columns: Vec<String>,
    /// The field each column fills (or `None`).
    pub mapping: Vec<Option<String>>,
    /// The profile used, if any.
    pub profile: Option<String>,
    /// Data rows read (blank lines are not rows).
    pub rows: u64,
    /// Rows that would be added.
    pub new: u64,
    /// Stored records that would get empty fields filled in.
    pub updated: u64,
    /// Rows equal to what is stored (nothing to do).
    pub unchanged: u64,
    /// Differing values that would go to the review list.
    pub differences: Vec<FieldDifference>,
    /// Every problem, row by row.
    pub problems: Vec<RowProblem>,
    /// Rows with at least one problem.
    pub invalid_rows: u64,
    /// The first rows as the file gives them (cells as text), for the preview table.
    pub sample: Vec<Vec<String>>,
}

/// What a committed import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImportOutcome {
    /// Records added.
    pub added: u64,
    /// Records with empty fields filled in.
    pub updated: u64,
    /// Values sent to the review list.
    pub to_review: u64,
    /// Rows left out for their problems (with `skip_invalid`).
    pub skipped: u64,
}

/// Where a running import is (the progress bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImportProgress {
    /// Records written so far.
    pub done: u64,
    /// Records to write.
    pub total: u64,
}

/// A saved mapping: the field each header fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProfile {
    /// Its name.
    pub name: String,
    /// Customers or products.
    pub kind: ImportKind,
    /// (header as in the file, field).
    pub columns: Vec<(String, String)>,
    /// One of the profiles the app ships (Moloni, PHC, Primavera, generic).
    #[serde(default)]
    pub built_in: bool,
}

/// One open question on the review list: a stored value and a differing one from elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// Its id.
    pub id: i64,
    /// `customers` or `products`.
    pub entity: String,
    /// The record.
    pub row_id: Uuid,
    /// The record's label.
    pub record: String,
    /// The field.
    pub field: String,
    /// The value when the item was made.
    pub current: String,
    /// The differing value.
    pub incoming: String,
    /// Where it comes from: `import:<file name>`, `moloni`.
    pub source: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
}

/// How a review item is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Keep what is stored.
    KeepCurrent,
    /// Store the incoming value.
    TakeIncoming,
}

impl Resolution {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::KeepCurrent => "keep_current",
            Resolution::TakeIncoming => "take_incoming",
        }
    }
}

/// A running (or the last) import commit, as the progress bar polls it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImportStatus {
    /// Records written so far in the open transaction.
    pub progress: ImportProgress,
    /// It ended (committed, cancelled or failed).
    pub finished: bool,
    /// What it did, once committed.
    pub outcome: Option<ImportOutcome>,
    /// Why it stopped without committing (cancelled included): nothing was changed.
    pub error: Option<crate::error::AppError>,
}
