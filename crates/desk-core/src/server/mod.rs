//! Office mode, the server side (issue 18): the central PostgreSQL schema (`migrations/central`, embedded),
//! `init`/`upgrade`, the office's people (LOGIN roles in the desk groups, passwords as SCRAM verifiers made
//! here), joining and leaving an office (the password only in the OS keyring) and reading the audit trail.
//! The sync itself (push, pull) is issue 19; it builds on the tables made here.

pub mod address;
pub mod audit;
pub mod calls;
mod error;
pub mod init;
pub mod join;
pub mod schema;
pub mod scram;
pub mod snapshot;
pub mod users;

pub use address::{connect, ServerAddress};
pub use error::ServerError;

/// The central schema's migrations, embedded.
pub static CENTRAL: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/central");

/// The central schema version this build knows (its newest migration).
pub fn schema_version() -> i64 {
    CENTRAL.iter().map(|m| m.version).max().unwrap_or(0)
}

/// A result of a server call.
pub type ServerResult<T> = Result<T, ServerError>;

impl From<sqlx::Error> for ServerError {
    fn from(e: sqlx::Error) -> Self {
        ServerError::from_sqlx(e)
    }
}
