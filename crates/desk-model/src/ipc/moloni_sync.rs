//! The Moloni master sync as the app and `desk moloni sync` show it: one run's counts, each problem with the record
//! it concerns and what to do, and the kinds it covered.

use crate::msg::Localized;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One run of the master sync.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoloniSyncReport {
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// Whether it read everything (the first run, or `--full`) or only what changed since the last one.
    pub full: bool,
    /// What it covered: `reference`, `customers`, `products`, `documents`.
    pub kinds: Vec<String>,
    /// Records brought from Moloni (new here, or changed there).
    pub pulled: u32,
    /// Records sent to Moloni (new here, or changed here).
    pub pushed: u32,
    /// Records found on both sides and linked (by NIF, e-mail or reference).
    pub linked: u32,
    /// Fields that differ on both sides, left for a person to decide.
    pub review: u32,
    /// Records that could not be synced (each in `issues`).
    pub failed: u32,
    /// Each problem, with the record it concerns.
    pub issues: Vec<SyncIssue>,
    /// The counts above per kind (`customers`, `products`, `documents`), for the kinds the run covered.
    #[serde(default)]
    pub by_kind: Vec<KindCounts>,
}

/// What a run did with one kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    /// `customers`, `products`, `documents`.
    pub kind: String,
    /// Brought from Moloni.
    pub pulled: u32,
    /// Sent to Moloni.
    pub pushed: u32,
    /// Found on both sides and linked.
    pub linked: u32,
    /// Could not be synced.
    pub failed: u32,
}

/// Which kinds of record the sync covers, and how often it runs in the background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MoloniSyncSettings {
    /// Customers both ways.
    pub customers: bool,
    /// Products both ways.
    pub products: bool,
    /// Documents issued elsewhere, brought here.
    pub documents: bool,
    /// Minutes between background runs (0: none).
    pub interval_minutes: u32,
}

impl Default for MoloniSyncSettings {
    fn default() -> Self {
        MoloniSyncSettings { customers: true, products: true, documents: true, interval_minutes: 5 }
    }
}

/// A problem of one record in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncIssue {
    /// `tax`, `customer`, `product`.
    pub kind: String,
    /// The record, as a person finds it (a name, a NIF, a reference, a tax).
    pub record: String,
    /// What happened and what to do.
    pub message: Localized,
}

/// How far a run is, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProgress {
    /// The kind being synced.
    pub kind: String,
    /// Records done.
    pub done: u64,
    /// Records to do, when known.
    pub total: Option<u64>,
}

/// The sync the app was asked to run: whether it is running and how far it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoloniSyncStatus {
    /// A run is going on.
    pub running: bool,
    /// Its latest progress.
    pub progress: Option<SyncProgress>,
}
