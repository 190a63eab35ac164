//! The outbox as a server receives it: pending ops in this desktop's sequence, acknowledged ops pruned, and the
//! bound solo mode keeps (ops nobody will send: joining an office uploads a snapshot instead).

use crate::codec;
use crate::error::{CoreError, CoreResult};
use crate::store::Store;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use uuid::Uuid;

/// How many ops a solo desktop keeps (the newest): enough to inspect recent edits with `desk outbox`, bounded so
/// years of autosaves do not pile up.
pub const SOLO_KEEP: i64 = 10_000;

/// One op, as pushed to the office server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Op {
    /// Unique id (the server applies an op once).
    pub op_id: Uuid,
    /// The desktop that wrote it.
    pub desktop_id: Uuid,
    /// Its place in that desktop's sequence (ops of a row are applied in this order).
    pub seq: i64,
    /// The local transaction it belongs to: a group is applied whole or not at all.
    pub group_id: Uuid,
    /// The company (authorisation, and the row's company on insert).
    pub company_id: Uuid,
    /// The table.
    pub entity: String,
    /// The row.
    pub row_id: Uuid,
    /// insert, update, delete or command.
    pub kind: String,
    /// The command's name (`issue.request`…), for commands.
    pub command: Option<String>,
    /// The server revision the edit was based on (None if the row was never synced).
    pub base_rev: Option<i64>,
    /// The old values of the fields it changes.
    pub old: Map<String, Json>,
    /// The new values.
    pub new: Map<String, Json>,
    /// The schema version it was written in.
    pub schema_version: i64,
    /// When.
    pub created_at: String,
}

fn object(text: &str) -> CoreResult<Map<String, Json>> {
    match serde_json::from_str(text) {
        Ok(Json::Object(m)) => Ok(m),
        _ => Err(CoreError::Decode(format!("outbox values {text}"))),
    }
}

const COLUMNS: &str = "seq, op_id, desktop_id, group_id, company_id, entity, row_id, kind, command, base_rev, \
                       old_values, new_values, schema_version, created_at";

fn decode(r: &SqliteRow) -> CoreResult<Op> {
    Ok(Op {
        op_id: codec::uuid(r.try_get("op_id")?)?,
        desktop_id: codec::uuid(r.try_get("desktop_id")?)?,
        seq: r.try_get("seq")?,
        group_id: codec::uuid(r.try_get("group_id")?)?,
        company_id: codec::uuid(r.try_get("company_id")?)?,
        entity: r.try_get("entity")?,
        row_id: codec::uuid(r.try_get("row_id")?)?,
        kind: r.try_get("kind")?,
        command: r.try_get("command")?,
        base_rev: r.try_get("base_rev")?,
        old: object(r.try_get("old_values")?)?,
        new: object(r.try_get("new_values")?)?,
        schema_version: r.try_get("schema_version")?,
        created_at: r.try_get("created_at")?,
    })
}

/// The pending ops, oldest first (at most `limit`; 0 = all).
pub async fn pending(store: &Store, limit: u32) -> CoreResult<Vec<Op>> {
    let limit = if limit == 0 { -1 } else { i64::from(limit) };
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?"))
        .bind(limit)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(decode).collect()
}

/// The pending ops of `companies` (the ones on the office server), oldest first, at most `limit`.
pub async fn pending_of(store: &Store, companies: &[Uuid], limit: u32) -> CoreResult<Vec<Op>> {
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {COLUMNS} FROM outbox WHERE state = 'pending' AND company_id IN ("
    ));
    let mut ids = q.separated(", ");
    for c in companies {
        ids.push_bind(c.to_string());
    }
    q.push(") ORDER BY seq LIMIT ").push_bind(i64::from(limit.max(1)));
    let rows = q.build().fetch_all(store.reader()).await?;
    rows.iter().map(decode).collect()
}

/// Every op of one group (a group larger than a push's batch goes whole).
pub async fn group(store: &Store, group: Uuid) -> CoreResult<Vec<Op>> {
    let rows =
        sqlx::query(&format!("SELECT {COLUMNS} FROM outbox WHERE state = 'pending' AND group_id = ? ORDER BY seq"))
            .bind(group.to_string())
            .fetch_all(store.reader())
            .await?;
    rows.iter().map(decode).collect()
}

/// The pending ops on `rows` (to lay over the server's rows a pull brings), oldest first, read inside a write.
pub async fn pending_on(conn: &mut SqliteConnection, rows: &[Uuid]) -> CoreResult<Vec<Op>> {
    let found = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE state = 'pending' AND row_id IN (SELECT value FROM json_each(?))
          ORDER BY seq"
    ))
    .bind(crate::codec::ids_json(rows))
    .fetch_all(&mut *conn)
    .await?;
    found.iter().map(decode).collect()
}

/// The number of pending ops.
pub async fn pending_count(store: &Store) -> CoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM outbox WHERE state = 'pending'").fetch_one(store.reader()).await?)
}

/// The server applied every op up to `seq`: they are removed (the server keeps its own history).
pub async fn acknowledge(store: &Store, seq: i64) -> CoreResult<u64> {
    let mut w = store.write("sync").await?;
    let done = sqlx::query("DELETE FROM outbox WHERE seq <= ?").bind(seq).execute(w.conn()).await?.rows_affected();
    w.commit().await?;
    Ok(done)
}

/// Solo mode's bound: keeps the newest [`SOLO_KEEP`] ops (nobody will push the older ones; joining an office
/// sends a snapshot of the rows, not their history). Returns how many went.
pub async fn trim_solo(store: &Store, keep: i64) -> CoreResult<u64> {
    if store.is_office() {
        return Ok(0);
    }
    // read first: most starts have nothing to trim, and a write transaction costs an fsync
    let span: Option<i64> =
        sqlx::query_scalar("SELECT max(seq) - min(seq) + 1 FROM outbox").fetch_one(store.reader()).await?;
    if span.unwrap_or(0) <= keep.max(0) {
        return Ok(0);
    }
    let mut w = store.write("sync").await?;
    let gone = sqlx::query("DELETE FROM outbox WHERE seq <= (SELECT max(seq) FROM outbox) - ?")
        .bind(keep.max(0))
        .execute(w.conn())
        .await?
        .rows_affected();
    w.commit().await?;
    Ok(gone)
}
