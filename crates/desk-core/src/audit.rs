//! The two records every local edit writes inside its own transaction: an audit entry (who, when, before,
//! after) and an outbox op for the central server carrying only the changed fields' old and new values.

use crate::error::CoreResult;
use chrono::{SecondsFormat, Utc};
use serde_json::{Map, Value};
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

/// What an edit did to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A new row.
    Insert,
    /// A changed row.
    Update,
    /// A removed row (a tombstone).
    Delete,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Insert => "insert",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// One edit to record: the row before and after, as JSON objects of its synced fields.
pub struct Change<'a> {
    /// Who made it.
    pub actor: &'a str,
    /// The company the row belongs to.
    pub company_id: Uuid,
    /// The table.
    pub table: &'static str,
    /// The row's id.
    pub row_id: Uuid,
    /// Insert, update or delete.
    pub action: Action,
    /// The row before (None for an insert).
    pub before: Option<Value>,
    /// The row after (None for a delete).
    pub after: Option<Value>,
    /// The server revision the edit was based on (None if never synced).
    pub base_rev: Option<i64>,
}

/// The fields whose values differ, as (old, new) objects; an insert has every field new.
fn changed_fields(before: Option<&Value>, after: Option<&Value>) -> (Map<String, Value>, Map<String, Value>) {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut old = Map::new();
    let mut new = Map::new();
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        let (ov, nv) = (b.get(key), a.get(key));
        if ov != nv {
            old.insert(key.clone(), ov.cloned().unwrap_or(Value::Null));
            new.insert(key.clone(), nv.cloned().unwrap_or(Value::Null));
        }
    }
    (old, new)
}

/// The current time as stored everywhere in the local database (RFC 3339, UTC, microseconds).
pub fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Writes the audit entry and the outbox op for `change` in the caller's transaction.
/// An update that changed nothing writes neither.
pub async fn record(tx: &mut Transaction<'static, Sqlite>, change: Change<'_>) -> CoreResult<()> {
    record_many(tx, vec![change]).await
}

/// One change as the text stored in `audit_log` (before, after) and `outbox` (old and new values).
struct Stored<'c> {
    change: Change<'c>,
    before: Option<String>,
    after: Option<String>,
    old_values: String,
    new_values: String,
}

/// Serialises a change once; None for an update that changed nothing. An insert's op carries every field, so
/// its new values are the row itself and its old values every field null: no diff to build.
fn stored(change: Change<'_>) -> Option<Stored<'_>> {
    let before = change.before.as_ref().map(Value::to_string);
    let after = change.after.as_ref().map(Value::to_string);
    let (old_values, new_values) = match (change.action, &change.before, &change.after, &after) {
        (Action::Insert, None, Some(Value::Object(fields)), Some(after)) => {
            let nulls: Map<String, Value> = fields.keys().map(|k| (k.clone(), Value::Null)).collect();
            (Value::Object(nulls).to_string(), after.clone())
        }
        _ => {
            let (old, new) = changed_fields(change.before.as_ref(), change.after.as_ref());
            if change.action == Action::Update && new.is_empty() {
                return None;
            }
            (Value::Object(old).to_string(), Value::Object(new).to_string())
        }
    };
    Some(Stored { change, before, after, old_values, new_values })
}

/// Writes the audit entries and outbox ops of many changes in the caller's transaction: one trip to SQLite
/// for up to 200 changes, two multi-row INSERTs in one query (a 50-line draft is one query, not 100
/// statements). Same rules as [`record`], same order.
pub async fn record_many(tx: &mut Transaction<'static, Sqlite>, changes: Vec<Change<'_>>) -> CoreResult<()> {
    let at = now_text();
    let rows: Vec<Stored<'_>> = changes.into_iter().filter_map(stored).collect();
    for chunk in rows.chunks(200) {
        let mut q = sqlx::QueryBuilder::<Sqlite>::new(
            "INSERT INTO audit_log (at, actor, company_id, table_name, row_id, action, before, after) ",
        );
        q.push_values(chunk, |mut b, r| {
            let c = &r.change;
            b.push_bind(&at)
                .push_bind(c.actor)
                .push_bind(c.company_id.to_string())
                .push_bind(c.table)
                .push_bind(c.row_id.to_string())
                .push_bind(c.action.as_str())
                .push_bind(&r.before)
                .push_bind(&r.after);
        });
        q.push("; INSERT INTO outbox (op_id, table_name, row_id, kind, base_rev, old_values, new_values, created_at) ");
        q.push_values(chunk, |mut b, r| {
            let c = &r.change;
            b.push_bind(Uuid::now_v7().to_string())
                .push_bind(c.table)
                .push_bind(c.row_id.to_string())
                .push_bind(c.action.as_str())
                .push_bind(c.base_rev)
                .push_bind(&r.old_values)
                .push_bind(&r.new_values)
                .push_bind(&at);
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Who is working, for the audit trail: the OS user in solo mode.
pub fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "local".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_travel() {
        let before = json!({"name": "A", "nif": "501964843", "city": null});
        let after = json!({"name": "B", "nif": "501964843", "city": "Porto"});
        let (old, new) = changed_fields(Some(&before), Some(&after));
        assert_eq!(Value::Object(old), json!({"name": "A", "city": null}));
        assert_eq!(Value::Object(new), json!({"name": "B", "city": "Porto"}));
    }

    #[test]
    fn an_inserts_op_is_its_row_and_an_empty_update_is_dropped() {
        let row = json!({"name": "Ana", "nif": "501964843", "city": null});
        let change = |action, before: Option<Value>, after: Option<Value>| Change {
            actor: "t",
            company_id: Uuid::nil(),
            table: "customers",
            row_id: Uuid::nil(),
            action,
            before,
            after,
            base_rev: None,
        };
        let insert = stored(change(Action::Insert, None, Some(row.clone()))).expect("insert");
        let (old, new) = changed_fields(None, Some(&row));
        assert_eq!(insert.new_values, Value::Object(new).to_string(), "the fast path equals the diff");
        assert_eq!(insert.old_values, Value::Object(old).to_string());
        assert_eq!(insert.before, None);
        assert!(stored(change(Action::Update, Some(row.clone()), Some(row.clone()))).is_none());
        let delete = stored(change(Action::Delete, Some(row.clone()), None)).expect("delete");
        assert_eq!(delete.new_values, r#"{"city":null,"name":null,"nif":null}"#);
    }

    #[test]
    fn an_insert_carries_every_field() {
        let (old, new) = changed_fields(None, Some(&json!({"name": "A"})));
        assert_eq!((old.len(), new.len()), (1, 1));
    }
}
