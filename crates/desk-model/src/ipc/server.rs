//! Office mode's records (issue 18): the office server's people and roles, the session's role, the server
//! connection's state and the audit trail as the app and `desk server` show them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A person's role on the office server: a PostgreSQL group role (`desk_admin`, `desk_accountant`,
/// `desk_viewer`) that the database itself enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerRole {
    /// Manages people and companies, and edits.
    Admin,
    /// Edits customers, products, drafts and payments.
    Accountant,
    /// Reads only.
    Viewer,
}

impl ServerRole {
    /// Its name on the server and on the command line (`admin`, `accountant`, `viewer`).
    pub fn as_str(self) -> &'static str {
        match self {
            ServerRole::Admin => "admin",
            ServerRole::Accountant => "accountant",
            ServerRole::Viewer => "viewer",
        }
    }

    /// From its name; None for anything else.
    pub fn parse(s: &str) -> Option<ServerRole> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Some(ServerRole::Admin),
            "accountant" => Some(ServerRole::Accountant),
            "viewer" => Some(ServerRole::Viewer),
            _ => None,
        }
    }

    /// Whether the role may change data (the UI hides every editing control otherwise).
    pub fn can_edit(self) -> bool {
        self != ServerRole::Viewer
    }

    /// Its label in Portuguese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            ServerRole::Admin => ("Administrador", "Administrator"),
            ServerRole::Accountant => ("Contabilista", "Accountant"),
            ServerRole::Viewer => ("Consulta", "Viewer"),
        }
    }
}

/// A company a person belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCompany {
    /// Its id (the same on every desktop of the office).
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its NIF.
    pub nif: Option<String>,
}

/// A person on the office server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerUser {
    /// The database user name they log in with.
    pub name: String,
    /// Their role.
    pub role: ServerRole,
    /// False once deactivated (they can no longer log in).
    pub active: bool,
    /// The companies they belong to (those the asking admin can see).
    pub companies: Vec<ServerCompany>,
}

/// A user just added or whose password was reset: the generated first password is shown once, never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerUserCreated {
    /// The person.
    pub user: ServerUser,
    /// The generated password, when none was given.
    pub password: Option<String>,
}

/// Who this desktop is on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSession {
    /// The database user.
    pub user: String,
    /// Their role; None for a database user who is not one of the office's people.
    pub role: Option<ServerRole>,
}

/// One entry of the server's audit trail: who changed what, when, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its number (increasing).
    pub id: i64,
    /// When (RFC 3339, the server's clock).
    pub at: String,
    /// The database user who made the change.
    pub user: String,
    /// The table (`customers`, `documents`, `people`…).
    pub entity: String,
    /// The row's id (a user's name for people).
    pub row_id: String,
    /// `INSERT`, `UPDATE` or `DELETE`.
    pub action: String,
    /// The row before, as JSON text (none for an insert).
    pub before: Option<String>,
    /// The row after, as JSON text (none for a delete).
    pub after: Option<String>,
    /// The row's fields side by side (changed ones first), for the audit viewer.
    pub fields: Vec<AuditField>,
}

/// One field of an audited row, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditField {
    /// The column.
    pub name: String,
    /// Its value before, as text (None: absent or NULL).
    pub before: Option<String>,
    /// Its value after, as text.
    pub after: Option<String>,
    /// Whether it changed.
    pub changed: bool,
}

/// A filter on the audit trail; empty fields do not filter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Only this database user's changes.
    pub user: Option<String>,
    /// Only this table's.
    pub entity: Option<String>,
    /// From this day (YYYY-MM-DD, inclusive).
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD, inclusive).
    pub to: Option<String>,
    /// Newest first, at most this many (0: 200).
    pub limit: u32,
}

/// The office connection of this desktop, as the mode badge and `desk server status` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerStatus {
    /// Whether this desktop has joined an office.
    pub joined: bool,
    /// The server's address without any password (`postgres://ana@host:5432/escritorio`).
    pub url: Option<String>,
    /// Whether the server answered just now.
    pub reachable: bool,
    /// Who this desktop is there: as the server said just now, or as it last said when it did not answer.
    pub session: Option<ServerSession>,
    /// The server's schema version, when it answered.
    pub schema_version: Option<i64>,
    /// What went wrong, when it did not answer (pt-PT, English).
    pub problem: Option<crate::msg::Localized>,
}
