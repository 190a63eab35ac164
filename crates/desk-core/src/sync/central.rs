//! What a desktop and the office server say to each other: groups of ops pushed and what became of each, pages of
//! rows pulled, the open conflicts. [`Central`] is the server as the desktop sees it; the real one is PostgreSQL
//! (`sync::pg`), and a model in memory (`sync::model`) runs the seeded simulation against the same desktop code.

use super::outbox::Op;
use crate::server::ServerResult;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use std::future::Future;
use uuid::Uuid;

/// The ops of one local transaction: the server applies them all or none.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group id (every op carries it).
    pub group_id: Uuid,
    /// Its ops, in this desktop's sequence.
    pub ops: Vec<Op>,
}

/// What the server did with a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Applied (fields both sides changed differently became conflicts, listed).
    Applied {
        /// `entity.field` of each field left to a person.
        #[serde(default)]
        conflicts: Vec<String>,
    },
    /// Refused whole, with a reason a person can read (a role that may not, an issued document, a deleted row).
    Rejected {
        /// The server's reason.
        reason: String,
    },
}

/// A group's result. A group pushed again returns the result recorded the first time.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupResult {
    /// Which group.
    pub group_id: Uuid,
    /// What became of it.
    pub outcome: Outcome,
    /// Whether the server had applied it already (a push whose answer was lost).
    pub replayed: bool,
    /// The server's rows as they now stand for the rows a rejection or a conflict left different from what this
    /// desktop holds (a row the server does not have comes back as a tombstone), so the desktop equals the server
    /// at once.
    pub rows: Vec<ServerRow>,
}

/// A row as the server holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerRow {
    /// The table.
    pub entity: String,
    /// The row.
    pub id: Uuid,
    /// Its revision (commit order; 0 for a row the server does not have).
    pub rev: i64,
    /// Its columns (the server's encoding: decimals as text, ids as text), without the server's time.
    pub fields: Map<String, Json>,
    /// Whether it is a tombstone.
    pub deleted: bool,
}

/// A page of a pull.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Rows with `rev` above the cursor, in `rev` order.
    pub rows: Vec<ServerRow>,
    /// The cursor after this page.
    pub cursor: i64,
    /// Whether there is nothing more above the cursor.
    pub done: bool,
    /// The server's newest revision when the page was read (for a progress bar).
    pub head: i64,
}

/// A field both sides changed differently, waiting for a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// Its id on the server.
    pub id: Uuid,
    /// The company.
    pub company_id: Uuid,
    /// The table.
    pub entity: String,
    /// The row.
    pub row_id: Uuid,
    /// The field.
    pub field: String,
    /// The value both sides started from.
    pub base: Json,
    /// The value the server holds (the other desktop's).
    pub theirs: Json,
    /// The value this op wanted.
    pub mine: Json,
    /// Who pushed `mine`.
    pub by: String,
    /// When (server time, RFC 3339).
    pub at: String,
}

/// A person's decision on a conflict, sent with the next push.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// The conflict.
    pub conflict_id: Uuid,
    /// What was kept: `mine`, `theirs` or `edited`.
    pub choice: String,
}

/// The office server as a desktop sees it.
pub trait Central {
    /// The companies this person belongs to on the server (only their ops are pushed).
    fn companies(&mut self) -> impl Future<Output = ServerResult<Vec<Uuid>>> + Send;
    /// Applies `groups` from `desktop`, each whole or not at all, in one round trip; one result per group, in
    /// order. A group already applied returns its recorded result.
    fn push(&mut self, desktop: Uuid, groups: &[Group]) -> impl Future<Output = ServerResult<Vec<GroupResult>>> + Send;
    /// Marks conflicts resolved.
    fn resolve(&mut self, resolutions: &[Resolution]) -> impl Future<Output = ServerResult<()>> + Send;
    /// The current rows of `ids` in `entity` (a row the server does not have comes back as a tombstone without
    /// values): the parents a pull page refers to that come in a later page.
    fn rows(&mut self, entity: &str, ids: &[Uuid]) -> impl Future<Output = ServerResult<Vec<ServerRow>>> + Send;
    /// Rows above `cursor`, at most `limit`, in revision order.
    fn pull(&mut self, cursor: i64, limit: u32) -> impl Future<Output = ServerResult<Page>> + Send;
    /// The open conflicts of this person's companies.
    fn conflicts(&mut self) -> impl Future<Output = ServerResult<Vec<Conflict>>> + Send;
}
