//! Who and when, as the audit trail records them: the actor of a local edit and the time every row and entry
//! carries. The entries themselves are written by the store's [`Writer`](crate::store::Writer), with the row and
//! its op, in one transaction.

use chrono::{SecondsFormat, Utc};

/// The current time as stored everywhere in the local database (RFC 3339, UTC, microseconds).
pub fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Who is working, for the audit trail: the OS user in solo mode.
pub fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "local".to_string())
}
