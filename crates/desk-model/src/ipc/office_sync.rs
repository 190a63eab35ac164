//! Office sync's records (issue 19) as the sync centre, the conflict queue and `desk sync`/`desk conflicts` show
//! them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The state of office sync on this desktop.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeSyncStatus {
    /// Whether this desktop has joined an office.
    pub joined: bool,
    /// When the last round finished (RFC 3339), if ever.
    pub last_sync: Option<String>,
    /// Edits not yet on the server.
    pub pending: i64,
    /// The highest server revision applied here.
    pub cursor: i64,
    /// Fields waiting for a person's decision.
    pub conflicts: i64,
    /// Edits the server refused, not yet dismissed.
    pub rejected: Vec<OfficeRejection>,
    /// Why the last round failed, if it did (pt-PT, English).
    pub problem: Option<crate::msg::Localized>,
    /// Whether a round is running now (the app's background sync).
    pub running: bool,
    /// While a round pulls: the revision reached and the server's newest (a first pull's progress bar).
    #[serde(default)]
    pub pull_progress: Option<(i64, i64)>,
}

/// What the last round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeSyncReport {
    /// Ops the server took.
    pub pushed: u64,
    /// Ops it refused.
    pub rejected: u64,
    /// Fields that became conflicts in this round.
    pub conflicts_made: u64,
    /// Rows pulled.
    pub pulled: u64,
    /// Round trips.
    pub round_trips: u64,
    /// Open conflicts after the round.
    pub open_conflicts: u64,
    /// Edits still pending.
    pub pending: i64,
    /// The cursor after the round.
    pub cursor: i64,
}

/// An edit the server refused, kept with what was typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeRejection {
    /// Its local id.
    pub id: i64,
    /// The table.
    pub entity: String,
    /// The row.
    pub row_id: Uuid,
    /// insert, update, delete or command (with its name).
    pub kind: String,
    /// The values the edit wanted (JSON object text).
    pub values: String,
    /// The server's reason.
    pub reason: String,
    /// When it came back (RFC 3339).
    pub at: String,
}

/// A field both sides changed differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeConflict {
    /// Its id (the server's).
    pub id: Uuid,
    /// The table.
    pub entity: String,
    /// The row.
    pub row_id: Uuid,
    /// What the row is, for a person (a customer's name, a document's label).
    pub label: String,
    /// The field.
    pub field: String,
    /// The value both started from.
    pub base: String,
    /// The server's value (what the other desktop wrote; what this desktop shows now).
    pub theirs: String,
    /// The value this desktop's edit wanted.
    pub mine: String,
    /// Who pushed the conflicting edit.
    pub by: String,
    /// A decision taken here and not yet sent: mine, theirs or edited.
    pub choice: Option<String>,
}

/// A decision on a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictChoice {
    /// Keep this desktop's value.
    Mine,
    /// Keep the server's value.
    Theirs,
    /// Keep a value typed now.
    Edited,
}

impl ConflictChoice {
    /// As stored and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictChoice::Mine => "mine",
            ConflictChoice::Theirs => "theirs",
            ConflictChoice::Edited => "edited",
        }
    }

    /// From its name.
    pub fn parse(s: &str) -> Option<ConflictChoice> {
        match s {
            "mine" => Some(ConflictChoice::Mine),
            "theirs" => Some(ConflictChoice::Theirs),
            "edited" | "edit" => Some(ConflictChoice::Edited),
            _ => None,
        }
    }
}
