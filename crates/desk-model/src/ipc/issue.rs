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
    /// The last error, in words that say what to do (English).
    pub last_error: Option<String>,
    /// The last error in both languages, for the app.
    #[serde(default)]
    pub last_message: Option<Localized>,
    /// When it was queued.
    pub requested_at: DateTime<Utc>,
}

impl IssueRequestInfo {
    /// Whether it still waits to be issued (queued, or stopped for review), as the badge counts it.
    pub fn is_waiting(&self) -> bool {
        matches!(self.state.as_str(), "pending" | "drafted" | "needs_attention")
    }
}

/// The issue queue at a glance: the shell's badge and the queue page's header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueQueueSummary {
    /// Requests of the company on screen still to be sent to Moloni.
    pub waiting: u32,
    /// Requests of the company on screen stopped for review.
    pub attention: u32,
    /// The background issuer's last pass over every company's queue.
    pub last_pass: Option<IssuerPass>,
}

/// One pass of the background issuer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerPass {
    /// When it ended.
    pub at: DateTime<Utc>,
    /// Documents issued.
    pub issued: u32,
    /// Documents left queued to try again (Moloni unreachable, an ambiguous answer).
    pub retried: u32,
    /// Documents stopped for review or refused.
    pub stopped: u32,
    /// Why the pass could not run, if it could not (not connected, Moloni away).
    pub error: Option<Localized>,
    /// Seconds until the next pass (longer while Moloni is away).
    pub next_in_secs: u64,
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
