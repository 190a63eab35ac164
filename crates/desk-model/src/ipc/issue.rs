//! The issue queue as the app and `desk queue` show it: each request's document, state, attempts and last error.

use crate::document::{DocState, DocType};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One issue request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRequestInfo {
    /// The document.
    pub document_id: Uuid,
    /// Its type.
    pub doc_type: DocType,
    /// Its number: the fiscal one once issued, else the draft label.
    pub number: String,
    /// Its customer's name.
    pub customer_name: String,
    /// Its total.
    pub total: Money,
    /// The document's state.
    pub doc_state: DocState,
    /// The request's state: `pending`, `drafted` (a Moloni draft exists), `done`, `needs_attention`, `withdrawn`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i64,
    /// The last error, in words that say what to do.
    pub last_error: Option<String>,
    /// When it was queued.
    pub requested_at: DateTime<Utc>,
}
