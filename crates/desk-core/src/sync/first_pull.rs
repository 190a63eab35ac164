//! A desktop's first pull of an office: the synced tables' list indexes (the non-unique ones that keep every
//! list sorted and filtered fast) are set aside while the rows arrive and made again once at the end, one sort
//! each instead of one B-tree insertion per row per index (documents carry a dozen and a half). Unique indexes
//! stay: the apply path relies on them for natural keys. What was set aside is written down in the same
//! transaction that drops it: a pull cut short makes them again at once, and after a crash the next opening of the
//! file (or the next pull) does.

use crate::error::CoreResult;
use crate::store::{Store, CACHE_KIB};
use sqlx::{SqliteConnection, SqlitePool};

/// The setting listing the indexes set aside (their `CREATE INDEX` statements, JSON).
const SET_ASIDE: &str = "office.indexes_set_aside";

/// The tables whose list indexes a first pull sets aside.
const TABLES: &str = "'customers', 'products', 'documents', 'document_lines', 'payments'";

/// The writer's page cache while a first pull writes (KiB, negative as SQLite takes it): the pages' B-trees and
/// the index sorts stay in memory instead of spilling to the file mid-transaction.
const PULL_CACHE_KIB: i64 = 256 * 1024;

/// How much of the file the writer maps into memory while a first pull runs: remaking an index reads the whole
/// table, and mapped pages are read without a copy.
const PULL_MMAP_BYTES: i64 = 1 << 30;

/// Sets the writer connection up for a first pull (`on`) or back as it was: a larger page cache, temporary files
/// (each multi-row insert's statement journal, the index sorts) in memory, and the file mapped.
pub async fn tune(store: &Store, on: bool) -> CoreResult<()> {
    let (cache, temp, mmap) = if on { (PULL_CACHE_KIB, "MEMORY", PULL_MMAP_BYTES) } else { (CACHE_KIB, "DEFAULT", 0) };
    let mut conn = store.local().acquire().await?;
    sqlx::query(&format!("PRAGMA cache_size = -{cache}")).execute(&mut *conn).await?;
    sqlx::query(&format!("PRAGMA temp_store = {temp}")).execute(&mut *conn).await?;
    sqlx::query(&format!("PRAGMA mmap_size = {mmap}")).execute(&mut *conn).await?;
    Ok(())
}

/// Drops the synced tables' non-unique indexes, keeping their definitions to make them again.
pub async fn set_aside(store: &Store) -> CoreResult<()> {
    // from now on, queries stop naming list indexes (before any is dropped)
    store.set_lists_aside(true);
    let mut w = store.write("sync").await?;
    let indexes: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT name, sql FROM sqlite_master
          WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({TABLES}) AND sql NOT LIKE 'CREATE UNIQUE%'
          ORDER BY name"
    ))
    .fetch_all(w.conn())
    .await?;
    let indexes: Vec<(String, String)> = indexes.into_iter().filter(|(_, sql)| takes_nearly_every_row(sql)).collect();
    if indexes.is_empty() {
        return Ok(());
    }
    let mut kept: Vec<String> = set_aside_now(w.conn()).await?;
    kept.extend(indexes.iter().map(|(_, sql)| sql.clone()));
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(SET_ASIDE)
    .bind(serde_json::to_string(&kept).unwrap_or_default())
    .execute(w.conn())
    .await?;
    for (name, _) in &indexes {
        sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', ""))).execute(w.conn()).await?;
    }
    w.commit().await
}

/// Whether an index holds (nearly) every live row: one without a condition, or whose only condition is that the
/// row is not deleted. Those are cheaper made once at the end. An index of a few rows (open documents, deleted ones,
/// conversions) stays: keeping it up to date costs a test per row, making it again costs a whole scan of the table.
fn takes_nearly_every_row(sql: &str) -> bool {
    let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    match sql.split_once(" WHERE ") {
        None => true,
        Some((_, condition)) => condition.trim().eq_ignore_ascii_case("deleted_at IS NULL"),
    }
}

/// Makes again whatever indexes a first pull set aside (nothing when none were).
pub async fn restore(store: &Store) -> CoreResult<()> {
    // every round asks: a read, and the writer only when something was set aside
    let kept: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(SET_ASIDE)
        .fetch_optional(store.reader())
        .await?;
    if kept.is_none() {
        store.set_lists_aside(false);
        return Ok(());
    }
    let mut w = store.write("sync").await?;
    if restore_in(w.conn()).await? {
        w.commit().await?;
    }
    store.set_lists_aside(false);
    Ok(())
}

/// [`restore`] on a file being opened, before its migrations run (a later migration may drop or change one of
/// those indexes).
pub(crate) async fn restore_on_open(pool: &SqlitePool) -> CoreResult<()> {
    let has_settings: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings')")
            .fetch_one(pool)
            .await?;
    if !has_settings {
        return Ok(());
    }
    // asked outside a transaction: a read that later wants to write would fail (SQLITE_BUSY_SNAPSHOT) if the app
    // wrote meanwhile, and nearly always there is nothing to make
    let kept: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(SET_ASIDE).fetch_optional(pool).await?;
    if kept.is_none() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    if restore_in(&mut tx).await? {
        tx.commit().await?;
    }
    Ok(())
}

/// The statements set aside and not yet made again.
async fn set_aside_now(conn: &mut SqliteConnection) -> CoreResult<Vec<String>> {
    let kept: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(SET_ASIDE).fetch_optional(conn).await?;
    Ok(kept.and_then(|k| serde_json::from_str(&k).ok()).unwrap_or_default())
}

/// Whether there was anything to make again (then the caller commits).
async fn restore_in(conn: &mut SqliteConnection) -> CoreResult<bool> {
    let kept = set_aside_now(conn).await?;
    let any = sqlx::query("DELETE FROM settings WHERE key = ?").bind(SET_ASIDE).execute(&mut *conn).await?;
    for sql in &kept {
        let sql = sql.replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1);
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    Ok(any.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::takes_nearly_every_row;

    #[test]
    fn only_indexes_of_nearly_every_row_are_set_aside() {
        assert!(takes_nearly_every_row("CREATE INDEX a ON documents (company_id, issue_date, id)"));
        assert!(takes_nearly_every_row(
            "CREATE INDEX a ON documents (company_id, issue_date)\n    WHERE deleted_at IS NULL"
        ));
        assert!(!takes_nearly_every_row("CREATE INDEX a ON documents (company_id) WHERE deleted_at IS NOT NULL"));
        assert!(!takes_nearly_every_row(
            "CREATE INDEX a ON documents (company_id, due_date) WHERE deleted_at IS NULL AND open_cents > 0"
        ));
        assert!(!takes_nearly_every_row("CREATE INDEX a ON documents (source_id) WHERE source_id IS NOT NULL"));
    }
}
