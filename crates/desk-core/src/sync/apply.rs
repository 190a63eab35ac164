//! The apply path a pull uses: rows changed elsewhere (another desktop's ops, as the server relays them) written
//! into this file in one transaction, then everything derived recomputed here. It never fails on a local unique
//! index: an incoming row takes its natural key, and the local row that held it is marked its probable
//! duplicate (`duplicate_of`) for a merge screen (ARCHITECTURE.md, "Sync").

use super::outbox::Op;
use super::recompute::{recompute, take_draft_numbers, Frozen};
use crate::codec;
use crate::company::CompanyRow;
use crate::documents::{self, rows::LineRow};
use crate::error::{CoreError, CoreResult};
use crate::payments::PaymentRow;
use crate::store::entity::{bind, bind_each};
use crate::store::{Column, Entity, NaturalKey, Policy, Store, Value};
use crate::{customers, products};
use desk_model::document::{DocState, DocType};
use desk_model::ipc::{Customer, Document, Product};
use desk_model::money::Money;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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

/// Derived columns a change does not carry get, on insert, the value the recomputation at the end of the apply
/// gives a row with nothing else to go on (a document without lines totals zero; its customer key folds the
/// name it carries; a customer's or product's folded keys follow from the row alone), so it rewrites only the
/// rows that differ; and values that satisfy the constraints where the real one needs other rows.
fn placeholder(table: &str, column: &str, fields: &[(&'static str, Value)]) -> Option<Value> {
    let zero = || Some(Value::Text(Money::ZERO.to_plain_string()));
    let text = |name: &str| match fields.iter().find(|(n, _)| *n == name) {
        Some((_, Value::Text(t))) => Some(t.as_str()),
        _ => None,
    };
    match (table, column) {
        // a customer's or product's folded keys follow from its own columns: derived now, the recomputation
        // leaves the row as inserted (and its search words are written once)
        ("customers" | "products", "name_key") => Some(Value::Text(desk_model::text::fold(text("name").unwrap_or("")))),
        ("customers", "search_text") => Some(Value::Text(customers::search_text_of(
            text("name").unwrap_or(""),
            [text("nif"), text("email"), text("city"), text("postal_code")],
        ))),
        ("products", "search_text") => Some(Value::Text(products::search_text_of(
            text("reference").unwrap_or(""),
            text("name").unwrap_or(""),
            text("category"),
        ))),
        ("document_lines", "position") => Some(Value::Int(0)),
        ("payments", "amount_cents") => Some(Value::Int(1)),
        ("documents", "gross" | "discounts" | "net" | "vat" | "total" | "received" | "credited" | "withholding") => {
            zero()
        }
        ("documents", "net_cents" | "total_cents" | "open_cents") => Some(Value::Int(0)),
        ("documents", "customer_key") => match fields.iter().find(|(n, _)| *n == "customer_name") {
            Some((_, Value::Text(name))) => Some(Value::Text(desk_model::text::fold(name))),
            _ => None,
        },
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
    let mut frozen = Frozen::new();
    let inserted = insert_fresh(conn, changes, &mut frozen, &mut touched).await?;
    let mut fresh: HashSet<Uuid> = inserted.iter().map(|&i| changes[i].row_id).collect();
    done.applied += inserted.len();
    for (i, change) in changes.iter().enumerate() {
        if inserted.contains(&i) {
            continue;
        }
        let t = table_of(&change.entity)?;
        if change.kind == "command" || change.kind == "delete" {
            // what the command or tombstone acts on is brought up to date first: a document's totals are its
            // draft's, computed before the issue command freezes it or the delete hides it
            recompute(conn, &touched, &frozen, &fresh).await?;
            touched.clear();
        }
        // a row changed again after its insert no longer holds what its insert derived
        fresh.remove(&change.row_id);
        apply_one(conn, t, change, &mut done, &mut frozen).await?;
        touched.insert((t.name, change.row_id));
        done.applied += 1;
    }
    recompute(conn, &touched, &frozen, &fresh).await?;
    Ok(done)
}

fn table_of(entity: &str) -> CoreResult<&'static Table> {
    TABLES.iter().find(|t| t.name == entity).ok_or_else(|| CoreError::Decode(format!("sync: unknown entity {entity}")))
}

/// A row to insert: the index of its change, and its values.
type Numbered = (usize, Vec<Value>);

/// Bound values per multi-row insert (SQLite allows 32,766).
const MAX_BOUND: usize = 30_000;

/// The fast path of a pull: server rows this file does not have yet (most of a first pull) inserted many per
/// statement, table by table, instead of one by one. A row is taken here only when nothing earlier in `changes`
/// touches it; a batch that meets a local row holding its natural key is left whole to the row path, which marks
/// the probable duplicate. Returns the indexes of the changes inserted.
async fn insert_fresh(
    conn: &mut SqliteConnection,
    changes: &[Incoming],
    frozen: &mut Frozen,
    touched: &mut BTreeSet<(&'static str, Uuid)>,
) -> CoreResult<HashSet<usize>> {
    let mut first: HashMap<Uuid, usize> = HashMap::new();
    for (i, c) in changes.iter().enumerate() {
        first.entry(c.row_id).or_insert(i);
    }
    let mut inserted = HashSet::new();
    for t in TABLES {
        let candidates: Vec<usize> = (0..changes.len())
            .filter(|&i| {
                let c = &changes[i];
                c.entity == t.name && c.rev.is_some() && c.kind != "delete" && first.get(&c.row_id) == Some(&i)
            })
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let ids: Vec<Uuid> = candidates.iter().map(|&i| changes[i].row_id).collect();
        let here: Vec<String> =
            sqlx::query_scalar(&format!("SELECT id FROM {} WHERE id IN (SELECT value FROM json_each(?))", t.name))
                .bind(codec::ids_json(&ids))
                .fetch_all(&mut *conn)
                .await?;
        let here: HashSet<String> = here.into_iter().collect();
        let now = crate::audit::now_text();
        // rows with the same columns go in one statement
        let mut batches: Vec<(Vec<&'static str>, Vec<Numbered>)> = Vec::new();
        let mut fresh = Vec::new();
        for &i in &candidates {
            let change = &changes[i];
            if here.contains(&change.row_id.to_string()) {
                continue;
            }
            let mut fields = accepted(t, change)?;
            stand_in_state(t, change.row_id, &mut fields, frozen);
            fresh.push((i, fields));
        }
        if t.name == Document::TABLE {
            label_fresh_drafts(conn, changes, frozen, &mut fresh).await?;
        }
        for (i, fields) in fresh {
            let change = &changes[i];
            let (names, values) = insert_row(t, change, fields, &now);
            match batches.iter_mut().find(|(n, _)| *n == names) {
                Some((_, rows)) => rows.push((i, values)),
                None => batches.push((names, vec![(i, values)])),
            }
        }
        for (names, mut rows) in batches {
            let per = (MAX_BOUND / names.len()).max(1);
            while !rows.is_empty() {
                let chunk: Vec<Numbered> = rows.drain(..per.min(rows.len())).collect();
                let at: Vec<usize> = chunk.iter().map(|(i, _)| *i).collect();
                let mut q = QueryBuilder::<Sqlite>::new(format!("INSERT INTO {} ({}) ", t.name, names.join(", ")));
                q.push_values(chunk, |mut b, (_, values)| bind_each(&mut b, values));
                match q.build().execute(&mut *conn).await {
                    Ok(_) => {
                        for i in at {
                            inserted.insert(i);
                            touched.insert((t.name, changes[i].row_id));
                        }
                    }
                    // a local row holds one of these natural keys: the row path marks it as a duplicate
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                        for i in at {
                            frozen.remove(&changes[i].row_id);
                        }
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    Ok(inserted)
}

/// Gives the drafts among fresh documents their labels as they are inserted (this desktop's own numbering, one
/// counter step per company and type), so the recomputation has nothing to rewrite for them.
async fn label_fresh_drafts(
    conn: &mut SqliteConnection,
    changes: &[Incoming],
    frozen: &Frozen,
    fresh: &mut [(usize, Vec<(&'static str, Value)>)],
) -> CoreResult<()> {
    let mut wanting: BTreeMap<(Uuid, DocType), Vec<usize>> = BTreeMap::new();
    for (k, (i, fields)) in fresh.iter().enumerate() {
        let change = &changes[*i];
        let text = |name: &str| change.fields.get(name).and_then(Json::as_str);
        let company = text("company_id").and_then(|c| Uuid::parse_str(c).ok());
        let doc_type = text("doc_type").and_then(DocType::parse);
        let numbered = fields.iter().any(|(n, _)| *n == "number_key");
        if let (Some(company), Some(doc_type), false, false) =
            (company, doc_type, numbered, frozen.contains_key(&change.row_id))
        {
            wanting.entry((company, doc_type)).or_default().push(k);
        }
    }
    for ((company, doc_type), at) in wanting {
        let first = take_draft_numbers(conn, company, doc_type, at.len() as i64).await?;
        for (n, k) in (first..).zip(at) {
            let fields = &mut fresh[k].1;
            fields.push(("draft_number", Value::Int(n)));
            fields.push(("number_key", Value::Text(documents::number_key(doc_type, None, Some(n)))));
        }
    }
    Ok(())
}

/// The columns and values that insert `change` as a new row: its fields, placeholders for derived columns
/// without a default (the recomputation writes them), and the row's bookkeeping.
fn insert_row(
    t: &Table,
    change: &Incoming,
    fields: Vec<(&'static str, Value)>,
    now: &str,
) -> (Vec<&'static str>, Vec<Value>) {
    let mut names = Vec::with_capacity(fields.len() + 8);
    let mut values = Vec::with_capacity(fields.len() + 8);
    names.extend(["id", "updated_at"]);
    values.extend([Value::Text(change.row_id.to_string()), Value::Text(now.to_string())]);
    // only derived columns (and a line's position) have placeholders
    for c in t.columns.iter().filter(|c| c.policy == Policy::Derived) {
        if !fields.iter().any(|(n, _)| *n == c.name) {
            if let Some(v) = placeholder(t.name, c.name, &fields) {
                names.push(c.name);
                values.push(v);
            }
        }
    }
    for (name, value) in fields {
        names.push(name);
        values.push(value);
    }
    if let Some(rev) = change.rev {
        names.push("rev");
        values.push(Value::Int(rev));
    }
    (names, values)
}

/// A settled document that arrives whole (issued elsewhere) is inserted in the `issuing` state and keeps its real
/// one in `frozen` until the recomputation has given its lines their amounts and order (an issued document's
/// lines are immutable here, triggers enforce it); the recomputation then writes the real state.
fn stand_in_state(t: &Table, id: Uuid, fields: &mut [(&'static str, Value)], frozen: &mut Frozen) {
    if t.name != Document::TABLE {
        return;
    }
    if let Some((_, Value::Text(s))) = fields.iter_mut().find(|(n, _)| *n == "state") {
        if documents::parse_state(s).is_ok_and(|st| st.is_issued() || st == DocState::Cancelled) {
            frozen.insert(id, std::mem::replace(s, "issuing".into()));
        }
    }
}

/// The fields of `change` that this table takes: known columns that are not this desktop's own (local) nor
/// recomputed here (derived) — but a command's outcome (the state it moved a document to) is taken whole, and
/// what follows from other rows is recomputed after.
fn accepted(t: &Table, change: &Incoming) -> CoreResult<Vec<(&'static str, Value)>> {
    let command = change.kind == "command";
    let mut out = Vec::new();
    for c in t.columns.iter().filter(|c| c.policy != Policy::Local && (command || c.policy != Policy::Derived)) {
        if let Some(v) = change.fields.get(c.name) {
            if c.policy == Policy::Derived && v.is_null() {
                // a command's outcome that does not say (a server without the column's value): recomputed here
                continue;
            }
            let value =
                Value::from_json(v).ok_or_else(|| CoreError::Decode(format!("sync: {}.{} = {v}", t.name, c.name)))?;
            out.push((c.name, value));
        }
    }
    if t.name == Document::TABLE {
        // the number column's sort key follows the fiscal number a command brings (this desktop's own column)
        let text = |k: &str| change.fields.get(k).and_then(Json::as_str);
        if let (Some(number), Some(doc_type)) = (text("fiscal_number"), text("doc_type").and_then(DocType::parse)) {
            out.push(("number_key", Value::Text(documents::number_key(doc_type, Some(number), None))));
        }
    }
    Ok(out)
}

async fn apply_one(
    conn: &mut SqliteConnection,
    t: &Table,
    change: &Incoming,
    done: &mut Applied,
    frozen: &mut Frozen,
) -> CoreResult<()> {
    let id = change.row_id.to_string();
    let now = crate::audit::now_text();
    let mut fields = accepted(t, change)?;
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
        if t.name == Document::TABLE && fields.iter().any(|(n, _)| *n == "number_key") {
            // a document settled here already keeps its sort key as it is (its row is immutable)
            let state: Option<String> = sqlx::query_scalar("SELECT state FROM documents WHERE id = ?")
                .bind(&id)
                .fetch_optional(&mut *conn)
                .await?;
            if state
                .as_deref()
                .map(documents::parse_state)
                .transpose()?
                .is_some_and(|s| s.is_issued() || s == DocState::Cancelled)
            {
                fields.retain(|(n, _)| *n != "number_key");
            }
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
        if !tombstone_insert {
            stand_in_state(t, change.row_id, &mut fields, frozen);
        }
        let (names, values) = insert_row(t, change, fields, &now);
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
