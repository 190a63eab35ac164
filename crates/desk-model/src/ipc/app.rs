//! The app's own records: running mode, the current company, header info, the first-run answers.

use crate::document::RoundingMethod;
use crate::msg::Lang;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
    /// How the current company rounds its documents' VAT: the editor's live totals use it, as the engine's save does.
    #[serde(default)]
    pub rounding: RoundingMethod,
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
