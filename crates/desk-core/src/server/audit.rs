//! Reading the server's audit trail (the audit viewer, `desk server audit`): who changed which row when, with
//! the row before and after. What a person may read is decided by the server's row security.

use super::ServerResult;
use desk_model::ipc::{AuditEntry, AuditQuery};
use sqlx::{PgPool, Postgres, QueryBuilder};

/// The newest entries matching the filter, newest first.
pub async fn list(pool: &PgPool, q: &AuditQuery) -> ServerResult<Vec<AuditEntry>> {
    let mut b = QueryBuilder::<Postgres>::new(
        "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), db_user, tbl, row_id, action, \
         before::text, after::text FROM public.audit WHERE true",
    );
    if let Some(u) = q.user.as_deref().filter(|s| !s.trim().is_empty()) {
        b.push(" AND db_user = ").push_bind(u.trim().to_string());
    }
    if let Some(e) = q.entity.as_deref().filter(|s| !s.trim().is_empty()) {
        b.push(" AND tbl = ").push_bind(e.trim().to_string());
    }
    if let Some(from) = q.from.as_deref().filter(|s| !s.trim().is_empty()) {
        b.push(" AND at >= ").push_bind(from.trim().to_string()).push("::date");
    }
    if let Some(to) = q.to.as_deref().filter(|s| !s.trim().is_empty()) {
        b.push(" AND at < ").push_bind(to.trim().to_string()).push("::date + 1");
    }
    let limit = if q.limit == 0 { 200 } else { q.limit.min(5000) };
    b.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
    type Row = (i64, String, String, String, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = b.build_query_as().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, at, user, entity, row_id, action, before, after)| AuditEntry {
            id,
            at,
            user,
            entity,
            row_id,
            action,
            before,
            after,
        })
        .collect())
}
