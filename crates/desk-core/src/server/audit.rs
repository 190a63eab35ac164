//! Reading the server's audit trail (the audit viewer, `desk server audit`): who changed which row when, with
//! the row before and after. What a person may read is decided by the server's row security.

use super::ServerResult;
use desk_model::ipc::{AuditEntry, AuditField, AuditQuery};
use serde_json::{Map, Value};
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
            fields: fields(before.as_deref(), after.as_deref()),
            before,
            after,
        })
        .collect())
}

fn object(text: Option<&str>) -> Map<String, Value> {
    match text.and_then(|t| serde_json::from_str::<Value>(t).ok()) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

fn shown(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

/// The fields of a row before and after, side by side: changed ones first, then the rest, each by name;
/// the server's bookkeeping (rev, updated_at) last.
pub fn fields(before: Option<&str>, after: Option<&str>) -> Vec<AuditField> {
    let (b, a) = (object(before), object(after));
    let mut names: Vec<&String> = b.keys().chain(a.keys()).collect();
    names.sort();
    names.dedup();
    let mut out: Vec<AuditField> = names
        .into_iter()
        .map(|n| {
            let (before, after) = (shown(b.get(n)), shown(a.get(n)));
            AuditField { name: n.clone(), changed: before != after, before, after }
        })
        .collect();
    let bookkeeping = |f: &AuditField| matches!(f.name.as_str(), "rev" | "updated_at");
    out.sort_by_key(|f| (bookkeeping(f), !f.changed));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_show_before_and_after_with_the_changes_first() {
        let f = fields(
            Some(r#"{"id":"x","name":"Ana","email":null,"rev":3,"archived":0}"#),
            Some(r#"{"id":"x","name":"Ana","email":"a@b.pt","rev":4,"archived":0}"#),
        );
        let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["email", "archived", "id", "name", "rev"]);
        assert_eq!((f[0].before.as_deref(), f[0].after.as_deref(), f[0].changed), (None, Some("a@b.pt"), true));
        assert_eq!(f[1].after.as_deref(), Some("0"));
        assert!(f[4].changed, "rev changed too, listed last");
        let inserted = fields(None, Some(r#"{"name":"Novo"}"#));
        assert_eq!(inserted[0].before, None);
        assert!(inserted[0].changed);
    }
}
