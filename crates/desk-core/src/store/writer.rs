//! The one way to a write transaction. `insert`, `update(before, after)`, `delete` (a tombstone) and `command`
//! write an [`Entity`]'s row, its audit entry and its outbox op together: nothing synced can change without an
//! op. Every op of one transaction shares a group id, so a server applies a draft save (header and lines) whole.

use super::entity::{audited, bind, in_op, object, pairs, Column, Entity, Policy, Value};
use super::Store;
use crate::error::{CoreError, CoreResult};
use serde_json::{Map, Value as Json};
use sqlx::sqlite::SqliteArguments;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, Transaction};
use uuid::Uuid;

/// The schema version ops are written in (the number of the migration that last changed an op's shape or a
/// synced column); a server refuses ops from a schema it does not know.
pub const SCHEMA_VERSION: i64 = 20;

/// What an op does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A new row.
    Insert,
    /// Changed mergeable fields.
    Update,
    /// A tombstone.
    Delete,
    /// A command the server runs (queue for issue, record Moloni's data): what it set on this desktop.
    Command,
}

impl Kind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Insert => "insert",
            Kind::Update => "update",
            Kind::Delete => "delete",
            Kind::Command => "command",
        }
    }
}

/// One audit entry and, when it carries synced fields, one op: written together at commit.
struct Record {
    company: Uuid,
    entity: &'static str,
    row_id: Uuid,
    kind: Kind,
    command: Option<&'static str>,
    base_rev: Option<i64>,
    before: Option<Map<String, Json>>,
    after: Option<Map<String, Json>>,
    op: Option<(Map<String, Json>, Map<String, Json>)>,
}

/// An open write transaction (SQLite IMMEDIATE, on the store's one writer connection).
pub struct Writer<'s> {
    tx: Transaction<'static, Sqlite>,
    store: &'s Store,
    actor: &'s str,
    group: Uuid,
    now: String,
    records: Vec<Record>,
}

/// Rows per multi-row INSERT: SQLite allows 32,766 bound values per statement.
fn rows_per_insert(columns: usize) -> usize {
    (30_000 / (columns + 2)).max(1)
}

impl<'s> Writer<'s> {
    pub(super) fn new(tx: Transaction<'static, Sqlite>, store: &'s Store, actor: &'s str) -> Writer<'s> {
        Writer { tx, store, actor, group: Uuid::now_v7(), now: crate::audit::now_text(), records: Vec::new() }
    }

    /// The connection inside the transaction: for reads, and for this desktop's local tables (settings, draft
    /// counters, the issue queue). Synced tables are written through the methods below only.
    pub fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }

    /// The time of this transaction, as stored (every row it writes carries it).
    pub fn now(&self) -> &str {
        &self.now
    }

    /// The time of this transaction as a value (what a row read back gives).
    pub fn now_time(&self) -> CoreResult<chrono::DateTime<chrono::Utc>> {
        crate::codec::time(&self.now)
    }

    /// The group id of this transaction's ops.
    pub fn group(&self) -> Uuid {
        self.group
    }

    /// Inserts one row.
    pub async fn insert<E: Entity>(&mut self, row: &E) -> CoreResult<()> {
        self.insert_many(std::slice::from_ref(row)).await
    }

    /// Inserts rows of one table in multi-row statements (a 50-line draft is one statement).
    pub async fn insert_many<E: Entity>(&mut self, rows: &[E]) -> CoreResult<()> {
        let names: Vec<&str> = E::COLUMNS.iter().map(|c| c.name).collect();
        for chunk in rows.chunks(rows_per_insert(names.len())) {
            let mut q = QueryBuilder::<Sqlite>::new(format!(
                "INSERT INTO {} (id, updated_at, {}) VALUES ",
                E::TABLE,
                names.join(", ")
            ));
            for (i, row) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push("(").push_bind(row.id().to_string()).push(", ").push_bind(self.now.clone());
                let values = pairs(row);
                for (_, v) in &values {
                    q.push(", ");
                    bind(&mut q, v.clone());
                }
                q.push(")");
                self.records.push(Record {
                    company: row.company_id(),
                    entity: E::TABLE,
                    row_id: row.id(),
                    kind: Kind::Insert,
                    command: None,
                    base_rev: None,
                    before: None,
                    after: Some(object(values.iter().filter(|(c, _)| audited(c.policy)))),
                    op: Some((Map::new(), object(values.iter().filter(|(c, _)| in_op(c.policy, true))))),
                });
            }
            q.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Writes the columns that differ between `before` and `after` (an edit: mergeable, derived and local
    /// columns only). The op carries the changed mergeable fields; an update that changes nothing writes nothing.
    /// Returns whether anything changed.
    pub async fn update<E: Entity>(&mut self, before: &E, after: &E) -> CoreResult<bool> {
        self.change(before, after, None).await
    }

    /// Runs a command's effect on a row: like [`Writer::update`], and it may also set server-owned columns (a
    /// queue request, Moloni's fiscal data). Its op is a `command` named `name` carrying what it set, for the
    /// server to run and check.
    pub async fn command<E: Entity>(&mut self, name: &'static str, before: &E, after: &E) -> CoreResult<bool> {
        self.change(before, after, Some(name)).await
    }

    async fn change<E: Entity>(&mut self, before: &E, after: &E, command: Option<&'static str>) -> CoreResult<bool> {
        let (old, new) = (pairs(before), pairs(after));
        let changed: Vec<(Column, &Value, &Value)> =
            old.iter().zip(&new).filter(|((_, a), (_, b))| a != b).map(|((c, a), (_, b))| (*c, a, b)).collect();
        if changed.is_empty() {
            return Ok(false);
        }
        for (c, _, _) in &changed {
            let refused = match c.policy {
                Policy::Fixed => true,
                Policy::ServerOwned => command.is_none(),
                _ => false,
            };
            if refused {
                let how = if command.is_some() { "a command" } else { "an edit" };
                return Err(CoreError::WritePolicy { table: E::TABLE, column: c.name, how });
            }
        }
        let mut q = QueryBuilder::<Sqlite>::new(format!("UPDATE {} SET updated_at = ", E::TABLE));
        q.push_bind(self.now.clone());
        for (c, _, v) in &changed {
            q.push(format!(", {} = ", c.name));
            bind(&mut q, (*v).clone());
        }
        q.push(" WHERE id = ").push_bind(after.id().to_string()).push(" AND deleted_at IS NULL RETURNING rev");
        let rev: Option<Option<i64>> = q.build_query_scalar().fetch_optional(&mut *self.tx).await?;
        let Some(base_rev) = rev else { return Err(CoreError::NotFound { what: E::TABLE }) };
        // a command's op carries its whole outcome (the state it moved to included) for the server to check
        let synced = |c: &Column| match command {
            Some(_) => c.policy != Policy::Local,
            None => in_op(c.policy, false),
        };
        // the changed columns a filter keeps, with their old or new values
        let pick = |keep: &dyn Fn(&Column) -> bool, new: bool| -> Map<String, Json> {
            changed
                .iter()
                .filter(|(c, _, _)| keep(c))
                .map(|(c, a, b)| (c.name.to_string(), if new { b.to_json() } else { a.to_json() }))
                .collect()
        };
        let (mut op_old, mut op_new) = (pick(&synced, false), pick(&synced, true));
        if command.is_some() {
            // a command's outcome is whole: every derived value as it stands after it (the totals an issue
            // freezes), so the server and the desktops that pull it hold what this desktop issued
            for ((c, a), (_, b)) in old.iter().zip(&new) {
                if c.policy == Policy::Derived && !op_new.contains_key(c.name) {
                    op_old.insert(c.name.to_string(), a.to_json());
                    op_new.insert(c.name.to_string(), b.to_json());
                }
            }
        }
        let audit_in = |c: &Column| audited(c.policy);
        let (audit_before, audit_after) = (pick(&audit_in, false), pick(&audit_in, true));
        let op = (command.is_some() || !op_new.is_empty()).then_some((op_old, op_new));
        if op.is_some() || !audit_after.is_empty() {
            self.records.push(Record {
                company: after.company_id(),
                entity: E::TABLE,
                row_id: after.id(),
                kind: if command.is_some() { Kind::Command } else { Kind::Update },
                command,
                base_rev,
                before: Some(audit_before),
                after: Some(audit_after),
                op,
            });
        }
        Ok(true)
    }

    /// Tombstones rows (`deleted_at`): their ops carry the last values of their mergeable fields.
    pub async fn delete<E: Entity>(&mut self, rows: &[E]) -> CoreResult<()> {
        for row in rows {
            let rev: Option<Option<i64>> = sqlx::query_scalar(&format!(
                "UPDATE {} SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NULL RETURNING rev",
                E::TABLE
            ))
            .bind(&self.now)
            .bind(row.id().to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
            let Some(base_rev) = rev else { return Err(CoreError::NotFound { what: E::TABLE }) };
            let values = pairs(row);
            self.records.push(Record {
                company: row.company_id(),
                entity: E::TABLE,
                row_id: row.id(),
                kind: Kind::Delete,
                command: None,
                base_rev,
                before: Some(object(values.iter().filter(|(c, _)| audited(c.policy)))),
                after: None,
                op: Some((object(values.iter().filter(|(c, _)| in_op(c.policy, false))), Map::new())),
            });
        }
        Ok(())
    }

    /// Writes the audit entries and ops, then commits. Ops of demo companies (sample data) are not written.
    pub async fn commit(mut self) -> CoreResult<()> {
        let records = std::mem::take(&mut self.records);
        let wrote_ops = records.iter().any(|r| r.op.is_some() && !self.store.is_demo(r.company));
        let desktop = self.store.desktop_id().to_string();
        let group = self.group.to_string();
        for chunk in records.chunks(200) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO audit_log (at, actor, company_id, table_name, row_id, action, before, after) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(self.now.clone())
                    .push_bind(self.actor.to_string())
                    .push_bind(r.company.to_string())
                    .push_bind(r.entity)
                    .push_bind(r.row_id.to_string())
                    .push_bind(r.kind.as_str())
                    .push_bind(r.before.as_ref().map(|m| Json::Object(m.clone()).to_string()))
                    .push_bind(r.after.as_ref().map(|m| Json::Object(m.clone()).to_string()));
            });
            let ops: Vec<&Record> = chunk.iter().filter(|r| r.op.is_some() && !self.store.is_demo(r.company)).collect();
            if !ops.is_empty() {
                q.push(
                    "; INSERT INTO outbox (op_id, desktop_id, group_id, company_id, entity, row_id, kind, command, \
                     base_rev, old_values, new_values, schema_version, created_at) ",
                );
                q.push_values(ops, |mut b, r| {
                    let (old, new) = r.op.clone().unwrap_or_default();
                    b.push_bind(Uuid::now_v7().to_string())
                        .push_bind(desktop.clone())
                        .push_bind(group.clone())
                        .push_bind(r.company.to_string())
                        .push_bind(r.entity)
                        .push_bind(r.row_id.to_string())
                        .push_bind(r.kind.as_str())
                        .push_bind(r.command)
                        .push_bind(r.base_rev)
                        .push_bind(Json::Object(old).to_string())
                        .push_bind(Json::Object(new).to_string())
                        .push_bind(SCHEMA_VERSION)
                        .push_bind(self.now.clone());
                });
            }
            let query: sqlx::query::Query<'_, Sqlite, SqliteArguments<'_>> = q.build();
            query.execute(&mut *self.tx).await?;
        }
        if self.store.trim_due() {
            sqlx::query("DELETE FROM outbox WHERE seq <= (SELECT max(seq) FROM outbox) - ?")
                .bind(crate::sync::outbox::SOLO_KEEP)
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        self.store.after_write();
        if wrote_ops {
            self.store.outbox_changed().notify_one();
        }
        Ok(())
    }
}
