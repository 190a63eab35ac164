//! The contract across the Tauri bridge: every request, response and the one error type the UI sees.
//!
//! The shell's commands take and return exactly these types; the UI calls them by the names in [`cmd`].

use crate::msg::{Lang, Localized};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The names of the Tauri commands, shared so a typo fails to compile rather than at run time.
pub mod cmd {
    /// [`super::AppInfo`] for the shell's header and the first-run screen.
    pub const APP_INFO: &str = "app_info";
    /// Finish the first-run screen: [`super::FirstRunInput`].
    pub const FIRST_RUN: &str = "first_run";
    /// Remember the UI language: [`super::Lang`].
    pub const SET_LANGUAGE: &str = "set_language";
    /// A page of customers: [`super::CustomerQuery`] → [`super::Page`] of [`super::Customer`].
    pub const CUSTOMERS_LIST: &str = "customers_list";
    /// One customer by id.
    pub const CUSTOMER_GET: &str = "customer_get";
    /// Create: [`super::CustomerInput`] → [`super::Customer`].
    pub const CUSTOMER_CREATE: &str = "customer_create";
    /// Edit: id + [`super::CustomerInput`] → [`super::Customer`].
    pub const CUSTOMER_UPDATE: &str = "customer_update";
    /// Archive or restore: id + bool → [`super::Customer`].
    pub const CUSTOMER_SET_ARCHIVED: &str = "customer_set_archived";
}

/// What kind of failure an [`AppError`] is, so the UI can choose how to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input breaks a rule; `fields` says which.
    Validation,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// It clashes with what is stored (a duplicate NIF, a change to an issued document).
    Conflict,
    /// The local database file is in use by another program.
    Locked,
    /// The local database file is damaged or not a database.
    Corrupt,
    /// Reading or writing local storage failed.
    Storage,
    /// A bug: the message says to report it.
    Internal,
}

/// A message about one input field, keyed by the field's name in the input type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name in the input struct (`"nif"`, `"name"`…).
    pub field: String,
    /// What is wrong and what to do.
    pub message: Localized,
}

/// The one error type that crosses the bridge: a kind, a message that says what to do, and field errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// How to show it.
    pub kind: ErrorKind,
    /// The message for the user.
    pub message: Localized,
    /// Per-field messages, for forms.
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

impl AppError {
    /// An error without field details.
    pub fn new(kind: ErrorKind, message: Localized) -> Self {
        AppError { kind, message, fields: Vec::new() }
    }

    /// A validation error made of field errors, with a summary message.
    pub fn validation(fields: Vec<FieldError>) -> Self {
        AppError {
            kind: ErrorKind::Validation,
            message: Localized::new("Corrija os campos assinalados.", "Correct the fields marked."),
            fields,
        }
    }

    /// The message for a field, if any.
    pub fn field(&self, name: &str) -> Option<&Localized> {
        self.fields.iter().find(|f| f.field == name).map(|f| &f.message)
    }
}

/// The running mode (PRODUCT.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Local SQLite only.
    Solo,
    /// With the office's central PostgreSQL server.
    Office,
}

/// The company whose work is on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySummary {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its NIF, once set.
    pub nif: Option<String>,
}

/// What the shell's header and first-run screen need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// Where the local database lives.
    pub data_dir: String,
    /// Solo or office.
    pub mode: Mode,
    /// The current company.
    pub company: CompanySummary,
    /// True until the first-run screen has been completed.
    pub first_run: bool,
    /// The language chosen, if the user chose one.
    pub lang: Option<Lang>,
}

/// The first-run screen's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstRunInput {
    /// The company's name.
    pub company_name: String,
    /// The company's NIF, as typed (may be blank for now).
    pub company_nif: String,
    /// Load a small set of sample customers to try the app with.
    pub load_sample_data: bool,
}

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
    /// Hidden from lists and pickers, kept for history.
    pub archived: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// A customer as typed in the form or on the command line: raw text, validated by [`crate::customer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerInput {
    /// Name or firm (required).
    pub name: String,
    /// NIF as typed; blank for a consumer without one.
    pub nif: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Street address.
    pub address: String,
    /// Postal code.
    pub postal_code: String,
    /// Town.
    pub city: String,
    /// ISO country code; blank means PT.
    pub country: String,
    /// Days to pay, as typed.
    pub payment_terms_days: String,
    /// Free notes.
    pub notes: String,
}

impl From<&Customer> for CustomerInput {
    fn from(c: &Customer) -> Self {
        CustomerInput {
            name: c.name.clone(),
            nif: c.nif.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            phone: c.phone.clone().unwrap_or_default(),
            address: c.address.clone().unwrap_or_default(),
            postal_code: c.postal_code.clone().unwrap_or_default(),
            city: c.city.clone().unwrap_or_default(),
            country: c.country.clone(),
            payment_terms_days: c.payment_terms_days.map(|d| d.to_string()).unwrap_or_default(),
            notes: c.notes.clone().unwrap_or_default(),
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

/// One page of a list, with an opaque cursor for the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Pass this as `after` to get the next page; `None` on the last page.
    pub next: Option<String>,
    /// How many rows match in all.
    pub total: u64,
}
