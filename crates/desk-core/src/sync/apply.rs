//! The apply path a pull uses: rows changed elsewhere (another desktop's ops, as the server relays them) written
//! into this file in one transaction, then everything derived recomputed here. It never fails on a local unique
//! index: an incoming row takes its natural key, and the local row that held it is marked its probable
//! duplicate (`duplicate_of`) for a merge screen (ARCHITECTURE.md, "Sync").

use super::outbox::Op;
use crate::company::CompanyRow;
use crate::documents::{self, rows::LineRow, settle};
use crate::error::{CoreError, CoreResult};
use crate::payments::PaymentRow;
use crate::store::entity::bind;
use crate::store::{Column, Entity, NaturalKey, Policy, Store, Value};
use crate::{codec, customers, products, series};
use desk_model::document::{compute_with, DocState, DocType, RoundingMethod};
use desk_model::ipc::{Customer, Document, Product};
use desk_model::money::Money;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::BTreeSet;
use uuid::Uuid;

/// A change to apply: a row's new field values, as an op carries them or as the server sends them.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    /// The table.
    pub entity: String,
    /// The row.
    pub row_id: Uuid,
    /// insert, update, delete or command.
    pub kind: String,
    /// The fields and their new values (unknown and local columns are ignored).
    pub fields: Map<String, Json>,
    /// The server's revision of the row after this change, when the server sends it.
    pub rev: Option<i64>,
}

impl From<&Op> for Incoming {
    fn from(op: &Op) -> Self {
        Incoming {
            entity: op.entity.clone(),
            row_id: op.row_id,
            kind: op.kind.clone(),
            fields: op.new.clone(),
            rev: None,
        }
    }
}

/// A local row that an incoming row's natural key displaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// The table.
    pub entity: String,
    /// The local row, now marked `duplicate_of` the incoming one.
    pub local_id: Uuid,
    /// The incoming row that keeps the key.
    pub incoming_id: Uuid,
    /// The key's columns.
    pub key: String,
}

/// What an apply did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Changes written.
    pub applied: usize,
    /// Local rows marked as probable duplicates.
    pub duplicates: Vec<Duplicate>,
}

/// What the apply path knows of a synced table.
struct Table {
    name: &'static str,
    columns: &'static [Column],
    keys: &'static [NaturalKey],
}

const fn table<E: Entity>() -> Table {
    Table { name: E::TABLE, columns: E::COLUMNS, keys: E::NATURAL_KEYS }
}

/// Every synced table, parents before children.
const TABLES: &[Table] = &[
    table::<CompanyRow>(),
    table::<Customer>(),
    table::<Product>(),
    table::<Document>(),
    table::<LineRow>(),
    table::<PaymentRow>(),
];

/// Every synced table with the columns that sync one way or another (all but this desktop's local ones), parents
/// first: what a replica must reproduce.
pub fn synced_tables() -> Vec<(&'static str, Vec<&'static str>)> {
    TABLES
        .iter()
        .map(|t| (t.name, t.columns.iter().filter(|c| c.policy != Policy::Local).map(|c| c.name).collect()))
        .collect()
}

/// Every synced table with the columns every replica must hold equal to the server's: what people and commands
/// write (derived columns are each replica's own computation, local ones its own bookkeeping).
pub fn replicated_tables() -> Vec<(&'static str, Vec<&'static str>)> {
    TABLES
        .iter()
        .map(|t| {
            let cols = t.columns.iter().filter(|c| !matches!(c.policy, Policy::Local | Policy::Derived));
            (t.name, cols.map(|c| c.name).collect())
        })
        .collect()
}

/// Derived columns without a default in the schema get a value that satisfies their constraints on insert; the
/// recomputation at the end of the apply writes the real one.
fn placeholder(table: &str, column: &str) -> Option<Value> {
    match (table, column) {
        ("customers" | "products", "name_key" | "search_text") => Some(Value::Text(String::new())),
        ("document_lines", "position") => Some(Value::Int(0)),
        ("payments", "amount_cents") => Some(Value::Int(1)),
        _ => None,
    }
}

/// Applies `changes` in order, in one transaction, and recomputes what they make stale. Local pending ops are
/// not touched (they are replayed over the server's rows when pushed).
pub async fn apply(store: &Store, changes: &[Incoming]) -> CoreResult<Applied> {
    let mut w = store.write("sync").await?;
    let done = apply_in(w.conn(), changes).await?;
    w.commit().await?;
    Ok(done)
}

/// [`apply`] inside a write transaction the caller holds (a pull page writes its cursor in the same one).
pub async fn apply_in(conn: &mut SqliteConnection, changes: &[Incoming]) -> CoreResult<Applied> {
    // a pull may bring a line before its document, or a payment before its invoice
    sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *conn).await?;
    let mut done = Applied::default();
    let mut touched: BTreeSet<(&'static str, Uuid)> = BTreeSet::new();
    for change in changes {
        let t = TABLES
            .iter()
            .find(|t| t.name == change.entity)
            .ok_or_else(|| CoreError::Decode(format!("sync: unknown entity {}", change.entity)))?;
        if change.kind == "command" || change.kind == "delete" {
            // what the command or tombstone acts on is brought up to date first: a document's totals are its
            // draft's, computed before the issue command freezes it or the delete hides it
            recompute(conn, &touched).await?;
            touched.clear();
        }
        apply_one(conn, t, change, &mut done).await?;
        touched.insert((t.name, change.row_id));
        done.applied += 1;
    }
    recompute(conn, &touched).await?;
    Ok(done)
}

/// The fields of `change` that this table takes: known columns that are not this desktop's own (local) nor
/// recomputed here (derived) — but a command's outcome (the state it moved a document to) is taken whole, and
/// what follows from other rows is recomputed after.
fn accepted(t: &Table, change: &Incoming) -> CoreResult<Vec<(&'static str, Value)>> {
    let command = change.kind == "command";
    let mut out = Vec::new();
    for c in t.columns.iter().filter(|c| c.policy != Policy::Local && (command || c.policy != Policy::Derived)) {
        if let Some(v) = change.fields.get(c.name) {
            let value =
                Value::from_json(v).ok_or_else(|| CoreError::Decode(format!("sync: {}.{} = {v}", t.name, c.name)))?;
            out.push((c.name, value));
        }
    }
    Ok(out)
}

async fn apply_one(conn: &mut SqliteConnection, t: &Table, change: &Incoming, done: &mut Applied) -> CoreResult<()> {
    let id = change.row_id.to_string();
    let now = crate::audit::now_text();
    let fields = accepted(t, change)?;
    let exists: bool = sqlx::query_scalar(&format!("SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?)", t.name))
        .bind(&id)
        .fetch_one(&mut *conn)
        .await?;
    // a tombstone the server sends of a row never seen here is kept when something here refers to it (a line of
    // a deleted draft): inserted with its last values, then marked deleted
    let tombstone_insert = change.kind == "delete" && !exists && change.rev.is_some() && !fields.is_empty();
    if change.kind == "delete" && !tombstone_insert {
        if exists {
            let mut q = QueryBuilder::<Sqlite>::new(format!("UPDATE {} SET deleted_at = ", t.name));
            q.push_bind(now.clone()).push(", updated_at = ").push_bind(now);
            if let Some(rev) = change.rev {
                // the server's tombstone carries the row's last values (a command may have moved it before the
                // delete): this copy takes them too
                for (name, v) in fields {
                    q.push(format!(", {name} = "));
                    bind(&mut q, v);
                }
                q.push(", rev = ").push_bind(rev);
            }
            q.push(" WHERE id = ").push_bind(id);
            q.build().execute(&mut *conn).await?;
        }
        return Ok(());
    }
    displace_natural_keys(conn, t, change, &fields, done).await?;
    if exists {
        if fields.is_empty() && change.rev.is_none() {
            return Ok(());
        }
        let mut q = QueryBuilder::<Sqlite>::new(format!("UPDATE {} SET updated_at = ", t.name));
        q.push_bind(now);
        for (name, v) in fields {
            q.push(format!(", {name} = "));
            bind(&mut q, v);
        }
        if let Some(rev) = change.rev {
            // a row the server sends is live there (a tombstone comes as a delete)
            q.push(", deleted_at = NULL, rev = ").push_bind(rev);
        }
        q.push(" WHERE id = ").push_bind(id);
        q.build().execute(&mut *conn).await?;
    } else {
        let mut names = vec!["id", "updated_at"];
        let mut values = vec![Value::Text(id), Value::Text(now)];
        for c in t.columns {
            if let Some((_, v)) = fields.iter().find(|(n, _)| *n == c.name) {
                names.push(c.name);
                values.push(v.clone());
            } else if let Some(v) = placeholder(t.name, c.name) {
                names.push(c.name);
                values.push(v);
            }
        }
        if let Some(rev) = change.rev {
            names.push("rev");
            values.push(Value::Int(rev));
        }
        let mut q = QueryBuilder::<Sqlite>::new(format!("INSERT INTO {} ({}) VALUES (", t.name, names.join(", ")));
        let mut sep = false;
        for v in values {
            if sep {
                q.push(", ");
            }
            sep = true;
            bind(&mut q, v);
        }
        q.push(")");
        q.build().execute(&mut *conn).await?;
        if tombstone_insert {
            sqlx::query(&format!("UPDATE {} SET deleted_at = updated_at WHERE id = ?", t.name))
                .bind(change.row_id.to_string())
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Before a row takes a natural key, marks any other live local row holding it as its probable duplicate (it
/// leaves the unique index; nothing is deleted).
async fn displace_natural_keys(
    conn: &mut SqliteConnection,
    t: &Table,
    change: &Incoming,
    fields: &[(&'static str, Value)],
    done: &mut Applied,
) -> CoreResult<()> {
    for key in t.keys {
        if !key.columns.iter().any(|c| fields.iter().any(|(n, _)| n == c)) {
            continue;
        }
        // the key's values after this change: the incoming ones, else the row's current ones
        let mut values = Vec::with_capacity(key.columns.len());
        for c in key.columns {
            let v = match fields.iter().find(|(n, _)| n == c) {
                Some((_, v)) => v.clone(),
                None => {
                    let current: Option<Option<String>> =
                        sqlx::query_scalar(&format!("SELECT CAST({c} AS TEXT) FROM {} WHERE id = ?", t.name))
                            .bind(change.row_id.to_string())
                            .fetch_optional(&mut *conn)
                            .await?;
                    current.flatten().map_or(Value::Null, Value::Text)
                }
            };
            values.push(v);
        }
        if values.contains(&Value::Null) {
            continue;
        }
        let mut q = QueryBuilder::<Sqlite>::new(format!("UPDATE {} SET duplicate_of = ", t.name));
        q.push_bind(change.row_id.to_string());
        q.push(" WHERE deleted_at IS NULL AND duplicate_of IS NULL AND id <> ").push_bind(change.row_id.to_string());
        for (c, v) in key.columns.iter().zip(values) {
            q.push(format!(" AND {c} = "));
            bind(&mut q, v);
        }
        if !key.only_where.is_empty() {
            q.push(format!(" AND ({})", key.only_where));
        }
        q.push(" RETURNING id");
        let marked: Vec<String> = q.build_query_scalar().fetch_all(&mut *conn).await?;
        for local in marked {
            done.duplicates.push(Duplicate {
                entity: t.name.to_string(),
                local_id: codec::uuid(&local)?,
                incoming_id: change.row_id,
                key: key.columns.join(", "),
            });
        }
    }
    Ok(())
}

/// Writes the derived columns of `row` as its values give them (an UPDATE of those columns only).
async fn write_derived<E: Entity>(conn: &mut SqliteConnection, row: &E) -> CoreResult<()> {
    let derived: Vec<(Column, Value)> =
        crate::store::entity::pairs(row).into_iter().filter(|(c, _)| c.policy == Policy::Derived).collect();
    if derived.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Sqlite>::new(format!("UPDATE {} SET ", E::TABLE));
    for (i, (c, v)) in derived.into_iter().enumerate() {
        q.push(format!("{}{} = ", if i > 0 { ", " } else { "" }, c.name));
        bind(&mut q, v);
    }
    q.push(" WHERE id = ").push_bind(row.id().to_string());
    q.build().execute(conn).await?;
    Ok(())
}

/// Recomputes what the applied rows make stale: folded keys of customers and products; a document's draft
/// label (this desktop's), totals and line amounts (drafts) or settlement (issued), for every document whose
/// header, lines or payments changed, and for the invoices of the credit notes among them.
async fn recompute(conn: &mut SqliteConnection, touched: &BTreeSet<(&'static str, Uuid)>) -> CoreResult<()> {
    let mut docs: BTreeSet<Uuid> = BTreeSet::new();
    for &(table, id) in touched {
        match table {
            "customers" => {
                if let Some(c) = customers::load(conn, id).await? {
                    write_derived(conn, &c).await?;
                }
            }
            "products" => {
                if let Some(p) = products::load(conn, id).await? {
                    write_derived(conn, &p).await?;
                }
            }
            "documents" => {
                docs.insert(id);
            }
            "document_lines" => {
                let parent: Option<String> = sqlx::query_scalar("SELECT document_id FROM document_lines WHERE id = ?")
                    .bind(id.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
                if let Some(p) = parent {
                    docs.insert(codec::uuid(&p)?);
                }
            }
            "payments" => {
                // the invoice it settles and the receipt that names it follow from it, and so do its cents
                let row: Option<(String, Option<String>, String)> =
                    sqlx::query_as("SELECT document_id, receipt_id, amount FROM payments WHERE id = ?")
                        .bind(id.to_string())
                        .fetch_optional(&mut *conn)
                        .await?;
                if let Some((invoice, receipt, amount)) = row {
                    docs.insert(codec::uuid(&invoice)?);
                    if let Some(r) = receipt {
                        docs.insert(codec::uuid(&r)?);
                    }
                    sqlx::query("UPDATE payments SET amount_cents = ? WHERE id = ?")
                        .bind(codec::cents(Money(codec::decimal(&amount)?)))
                        .bind(id.to_string())
                        .execute(&mut *conn)
                        .await?;
                }
            }
            _ => {}
        }
    }
    // credit notes settle their invoices
    let mut sources = BTreeSet::new();
    for id in &docs {
        if let Some(d) = documents::load(conn, *id).await? {
            if let Some(s) = d.source_id.filter(|_| d.doc_type == DocType::Nc) {
                sources.insert(s);
            }
        }
    }
    docs.extend(sources);
    for id in docs {
        recompute_document(conn, id).await?;
    }
    Ok(())
}

async fn recompute_document(conn: &mut SqliteConnection, id: Uuid) -> CoreResult<()> {
    let Some(mut doc) = documents::load(conn, id).await? else { return Ok(()) };
    if doc.draft_number.is_none() && !doc.state.is_issued() {
        // a draft label is this desktop's own
        let n = series::next_draft_number(conn, doc.company_id, doc.doc_type).await?;
        doc.draft_number = Some(n);
        sqlx::query("UPDATE documents SET draft_number = ?, number_key = ? WHERE id = ?")
            .bind(n)
            .bind(documents::number_key(doc.doc_type, None, Some(n)))
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    let editable = matches!(doc.state, DocState::Draft | DocState::IssueRequested | DocState::Issuing);
    if editable && doc.doc_type == DocType::Rg {
        // a receipt has no lines: it settles the payments that name it
        let amounts: Vec<String> =
            sqlx::query_scalar("SELECT amount FROM payments WHERE receipt_id = ? AND deleted_at IS NULL")
                .bind(id.to_string())
                .fetch_all(&mut *conn)
                .await?;
        let mut total = Money::ZERO;
        for a in &amounts {
            total += Money(codec::decimal(a)?);
        }
        (doc.gross, doc.net, doc.total) = (total, total, total);
        (doc.discounts, doc.vat) = (Money::ZERO, Money::ZERO);
    } else if editable {
        let mut lines = documents::line_rows_in(conn, doc.company_id, id).await?;
        doc.lines = lines.iter().map(|l| l.line.clone()).collect();
        let rounding: Option<String> = sqlx::query_scalar("SELECT rounding FROM companies WHERE id = ?")
            .bind(doc.company_id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        let rounding = rounding.as_deref().and_then(RoundingMethod::parse).unwrap_or_default();
        // a merged draft that no longer totals (it breaks a rule) keeps its totals until someone edits it
        if let Ok(t) = compute_with(&doc.to_draft(), rounding) {
            doc.gross = t.gross;
            doc.discounts = t.discounts;
            doc.net = t.net;
            doc.vat = t.vat;
            doc.total = t.total;
            doc.withholding = t.withholding;
            for (i, (row, amounts)) in lines.iter_mut().zip(&t.lines).enumerate() {
                row.line.amount = amounts.amount;
                row.position = i as i64;
                write_derived(conn, row).await?;
            }
        }
    }
    let doc = settle::settled(conn, &doc).await?;
    write_derived(conn, &doc).await
}
