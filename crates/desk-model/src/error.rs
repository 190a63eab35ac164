//! The one error type that crosses the Tauri bridge ([`AppError`]): a kind, a message that says what to do
//! (pt-PT and English, [`crate::msg::Localized`]), and per-field messages for forms.

use crate::msg::Localized;
use serde::{Deserialize, Serialize};

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
    /// A remote service (Moloni) or the network failed, or its outcome is unknown; the message says which.
    Remote,
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
