//! Moves WAL checkpoints off the commit path: a background task copies the write-ahead log into the database
//! file shortly after writes, so a save never pays for copying the pages of the saves before it.
//!
//! SQLite's default checkpoints inside the commit that takes the log past 1,000 pages: one save in ten of a
//! 50-line draft would wait for about 1,000 page copies and an fsync of the database file. A PASSIVE
//! checkpoint on another connection runs beside the writer and readers and never blocks them; the writer keeps
//! a higher automatic limit only as a safety net for when this task cannot keep up.

use sqlx::SqlitePool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How long after a write starts the checkpoint runs, so a burst of writes is copied in one go.
const AFTER_WRITE: Duration = Duration::from_millis(150);

/// The writer's own automatic checkpoint, in pages (about 16 MB): reached only if the task falls behind.
pub(super) const SAFETY_LIMIT_PAGES: u32 = 4000;

/// The handle the store keeps: tells the task a write has started, and stops it when the last store clone goes.
#[derive(Debug)]
pub(super) struct Checkpointer {
    wake: Arc<Notify>,
    stop: Arc<Notify>,
}

impl Checkpointer {
    /// Starts the task on the readers' pool.
    pub(super) fn start(pool: SqlitePool) -> Checkpointer {
        let wake = Arc::new(Notify::new());
        let stop = Arc::new(Notify::new());
        tokio::spawn(run(pool, wake.clone(), stop.clone()));
        Checkpointer { wake, stop }
    }

    /// A write is starting: checkpoint soon after it.
    pub(super) fn write_started(&self) {
        self.wake.notify_one();
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.notify_one();
    }
}

async fn run(pool: SqlitePool, wake: Arc<Notify>, stop: Arc<Notify>) {
    loop {
        tokio::select! {
            _ = stop.notified() => return,
            _ = wake.notified() => {}
        }
        tokio::select! {
            _ = stop.notified() => return,
            _ = tokio::time::sleep(AFTER_WRITE) => {}
        }
        if pool.is_closed() {
            return;
        }
        // A failure (the file busy, the pool closing) only leaves the log for the next write or the safety limit.
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            tracing::debug!("background checkpoint: {e}");
        }
    }
}
