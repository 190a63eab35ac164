//! The issue queue as the app and `desk queue` show it: each request's document, state, attempts and last error.

use crate::document::{DocState, DocType};
use crate::ipc::Document;
use crate::money::Money;
use crate::msg::Localized;
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

/// What one attempt to issue a document through Moloni came to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IssueOutcome {
    /// Issued: the document with Moloni's number, ATCUD and totals.
    Issued {
        /// The document as recorded.
        document: Box<Document>,
    },
    /// Still queued (Moloni unreachable or an ambiguous answer): it is tried again.
    Retry {
        /// Why, and what happens next.
        message: Localized,
    },
    /// Stopped for review (Moloni's totals differ from ours): nothing was issued.
    NeedsAttention {
        /// Both totals and what to check.
        message: Localized,
    },
    /// Moloni refused it: back to draft, with what to fix.
    Refused {
        /// What to fix.
        message: Localized,
    },
    /// Another worker is issuing it right now.
    Busy,
}
