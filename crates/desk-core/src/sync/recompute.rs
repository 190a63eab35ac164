//! What an apply makes stale, recomputed for the whole set of rows it touched at once: folded keys of customers
//! and products, payments' cents, and for every document whose header, lines or payments changed (and the
//! invoices of credit notes among them) its draft label (this desktop's own), its lines' amounts and order, its
//! totals (while it is a draft) and its settlement (once issued). A fixed number of statements per set, whatever
//! its size: a first pull of a large office recomputes each page in a handful of queries.

use crate::codec;
use crate::documents::{self, rows::LineRow, settle};
use crate::error::CoreResult;
use crate::store::entity::pairs;
use crate::store::{Entity, Policy, Value};
use crate::{customers, products};
use desk_model::document::{compute_with, DocState, DocType, RoundingMethod};
use desk_model::ipc::Document;
use desk_model::money::Money;
use sqlx::SqliteConnection;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// Documents that arrived settled, stored in a stand-in state until their lines are recomputed, with their real
/// state (see `apply::stand_in_state`).
pub(super) type Frozen = HashMap<Uuid, String>;

/// Recomputes what the rows in `touched` (table, id) make stale. `fresh` are the rows this apply inserted with
/// the values a row with nothing else to go on derives (see `apply::placeholder`): only those of them whose
/// values change are rewritten.
pub(super) async fn recompute(
    conn: &mut SqliteConnection,
    touched: &BTreeSet<(&'static str, Uuid)>,
    frozen: &Frozen,
    fresh: &HashSet<Uuid>,
) -> CoreResult<()> {
    let of = |table: &str| touched.iter().filter(|(t, _)| *t == table).map(|(_, id)| *id).collect::<Vec<_>>();
    // a fresh customer or product was inserted with its folded keys (they follow from the row alone)
    let stale = |table: &str| of(table).into_iter().filter(|id| !fresh.contains(id)).collect::<Vec<_>>();
    let ids = stale("customers");
    if !ids.is_empty() {
        let rows = customers::load_many(conn, &ids).await?;
        write_derived(conn, &rows, None).await?;
    }
    let ids = stale("products");
    if !ids.is_empty() {
        let rows = products::load_many(conn, &ids).await?;
        write_derived(conn, &rows, None).await?;
    }
    // a fresh document (not one that arrived settled) has nothing stale until its lines or payments come
    let mut docs: BTreeSet<Uuid> =
        of("documents").into_iter().filter(|id| !fresh.contains(id) || frozen.contains_key(id)).collect();
    let ids = of("document_lines");
    if !ids.is_empty() {
        let parents: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT document_id FROM document_lines WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(codec::ids_json(&ids))
        .fetch_all(&mut *conn)
        .await?;
        for p in &parents {
            docs.insert(codec::uuid(p)?);
        }
    }
    let ids = of("payments");
    if !ids.is_empty() {
        // the invoice it settles and the receipt that names it follow from it, and so do its cents
        let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT id, document_id, receipt_id, amount FROM payments WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(codec::ids_json(&ids))
        .fetch_all(&mut *conn)
        .await?;
        let mut cents = Vec::with_capacity(rows.len());
        for (id, invoice, receipt, amount) in &rows {
            docs.insert(codec::uuid(invoice)?);
            if let Some(r) = receipt {
                docs.insert(codec::uuid(r)?);
            }
            cents.push((codec::uuid(id)?, vec![Value::Int(codec::cents(Money(codec::decimal(amount)?)))]));
        }
        update_many(conn, "payments", &["amount_cents"], &cents).await?;
    }
    if docs.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = docs.iter().copied().collect();
    let mut loaded = documents::load_many(conn, &ids).await?;
    // credit notes settle their invoices
    let sources: BTreeSet<Uuid> = loaded
        .iter()
        .filter(|d| d.doc_type == DocType::Nc)
        .filter_map(|d| d.source_id)
        .filter(|s| !docs.contains(s))
        .collect();
    if !sources.is_empty() {
        let ids: Vec<Uuid> = sources.into_iter().collect();
        loaded.extend(documents::load_many(conn, &ids).await?);
    }
    recompute_documents(conn, loaded, frozen, fresh).await
}

/// Recomputes the documents' draft labels, lines, totals and settlement, and writes what follows from them.
async fn recompute_documents(
    conn: &mut SqliteConnection,
    mut docs: Vec<Document>,
    frozen: &Frozen,
    fresh: &HashSet<Uuid>,
) -> CoreResult<()> {
    // a document's folded customer key is not read back: only a fresh row's is known to be as derived
    let stored: HashMap<Uuid, Vec<Value>> =
        docs.iter().filter(|d| fresh.contains(&d.id)).map(|d| (d.id, derived(d))).collect();
    // lines are written for drafts, and for documents that arrived settled before they take their real state
    let mut lines_open: BTreeSet<Uuid> = BTreeSet::new();
    for d in docs.iter_mut() {
        if let Some(state) = frozen.get(&d.id) {
            if d.state == DocState::Issuing {
                d.state = documents::parse_state(state)?;
                lines_open.insert(d.id);
            }
        }
    }
    label_drafts(conn, &mut docs).await?;
    let editable = |d: &Document| matches!(d.state, DocState::Draft | DocState::IssueRequested | DocState::Issuing);
    // a receipt has no lines: while it is a draft it totals the payments that name it
    let receipts: Vec<Uuid> = docs.iter().filter(|d| editable(d) && d.doc_type == DocType::Rg).map(|d| d.id).collect();
    let mut receipt_totals: HashMap<Uuid, Money> = HashMap::new();
    if !receipts.is_empty() {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT receipt_id, amount FROM payments
              WHERE receipt_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL",
        )
        .bind(codec::ids_json(&receipts))
        .fetch_all(&mut *conn)
        .await?;
        for (receipt, amount) in &rows {
            *receipt_totals.entry(codec::uuid(receipt)?).or_insert(Money::ZERO) += Money(codec::decimal(amount)?);
        }
    }
    let with_lines: Vec<(Uuid, Uuid)> = docs
        .iter()
        .filter(|d| d.doc_type != DocType::Rg && (editable(d) || lines_open.contains(&d.id)))
        .map(|d| (d.id, d.company_id))
        .collect();
    let mut lines =
        if with_lines.is_empty() { HashMap::new() } else { documents::line_rows_of(conn, &with_lines).await? };
    let stored_lines: HashMap<Uuid, Vec<Value>> =
        lines.values().flat_map(|rows| rows.iter().map(|r| (r.id(), derived(r)))).collect();
    let rounding = roundings(conn).await?;
    let mut line_rows: Vec<LineRow> = Vec::new();
    for doc in docs.iter_mut() {
        if doc.doc_type == DocType::Rg {
            if editable(doc) {
                let total = receipt_totals.get(&doc.id).copied().unwrap_or(Money::ZERO);
                (doc.gross, doc.net, doc.total) = (total, total, total);
                (doc.discounts, doc.vat) = (Money::ZERO, Money::ZERO);
            }
            continue;
        }
        if !editable(doc) && !lines_open.contains(&doc.id) {
            continue;
        }
        let mut rows = lines.remove(&doc.id).unwrap_or_default();
        doc.lines = rows.iter().map(|l| l.line.clone()).collect();
        // a merged draft that no longer totals (it breaks a rule) keeps its totals until someone edits it; an
        // issued document keeps the totals it was issued with, and its lines' amounts follow from their fields
        let method = rounding.get(&doc.company_id).copied().unwrap_or_default();
        let Ok(t) = compute_with(&doc.to_draft(), method) else {
            continue;
        };
        if editable(doc) {
            doc.gross = t.gross;
            doc.discounts = t.discounts;
            doc.net = t.net;
            doc.vat = t.vat;
            doc.total = t.total;
            doc.withholding = t.withholding;
        }
        for (i, (row, amounts)) in rows.iter_mut().zip(&t.lines).enumerate() {
            row.line.amount = amounts.amount;
            row.position = i as i64;
        }
        line_rows.append(&mut rows);
    }
    write_derived(conn, &line_rows, Some(&stored_lines)).await?;
    let docs = settle::settled_many(conn, docs).await?;
    // a request queued here for a document another desktop has issued (or cancelled) meanwhile is done
    let closed: Vec<Uuid> =
        docs.iter().filter(|d| d.state.is_issued() || d.state == DocState::Cancelled).map(|d| d.id).collect();
    if !closed.is_empty() {
        sqlx::query(
            "UPDATE issue_requests SET state = 'done', updated_at = ?
              WHERE document_id IN (SELECT value FROM json_each(?)) AND state IN ('pending', 'drafted')",
        )
        .bind(crate::audit::now_text())
        .bind(codec::ids_json(&closed))
        .execute(&mut *conn)
        .await?;
    }
    write_derived(conn, &docs, Some(&stored)).await
}

/// Gives each draft without a label the next of its company and type (one counter step per company and type).
async fn label_drafts(conn: &mut SqliteConnection, docs: &mut [Document]) -> CoreResult<()> {
    let mut wanting: BTreeMap<(Uuid, DocType), Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.draft_number.is_none() && !d.state.is_issued() {
            wanting.entry((d.company_id, d.doc_type)).or_default().push(i);
        }
    }
    let mut labels = Vec::new();
    for ((company, doc_type), at) in wanting {
        let first = take_draft_numbers(conn, company, doc_type, at.len() as i64).await?;
        for (number, i) in (first..).zip(at) {
            let d = &mut docs[i];
            d.draft_number = Some(number);
            labels.push((
                d.id,
                vec![Value::Int(number), Value::Text(documents::number_key(d.doc_type, None, Some(number)))],
            ));
        }
    }
    update_many(conn, "documents", &["draft_number", "number_key"], &labels).await
}

/// Takes `n` draft numbers of a company and type at once (one statement starts the counter or advances it);
/// returns the first.
pub(super) async fn take_draft_numbers(
    conn: &mut SqliteConnection,
    company: Uuid,
    doc_type: DocType,
    n: i64,
) -> CoreResult<i64> {
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO draft_counters (company_id, doc_type, next) VALUES (?, ?, 1 + ?)
         ON CONFLICT (company_id, doc_type) DO UPDATE SET next = next + excluded.next - 1
         RETURNING next",
    )
    .bind(company.to_string())
    .bind(doc_type.saft_code())
    .bind(n)
    .fetch_one(&mut *conn)
    .await?;
    Ok(next - n)
}

/// Each company's rounding method.
async fn roundings(conn: &mut SqliteConnection) -> CoreResult<HashMap<Uuid, RoundingMethod>> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, rounding FROM companies").fetch_all(&mut *conn).await?;
    let mut out = HashMap::new();
    for (id, rounding) in rows {
        out.insert(codec::uuid(&id)?, rounding.as_deref().and_then(RoundingMethod::parse).unwrap_or_default());
    }
    Ok(out)
}

/// The values of a row's derived columns.
fn derived<E: Entity>(row: &E) -> Vec<Value> {
    pairs(row).into_iter().filter(|(c, _)| c.policy == Policy::Derived).map(|(_, v)| v).collect()
}

/// Writes the derived columns of `rows` as their values give them, in one statement; rows whose values are as
/// `stored` are left alone.
async fn write_derived<E: Entity>(
    conn: &mut SqliteConnection,
    rows: &[E],
    stored: Option<&HashMap<Uuid, Vec<Value>>>,
) -> CoreResult<()> {
    let columns: Vec<&str> = E::COLUMNS.iter().filter(|c| c.policy == Policy::Derived).map(|c| c.name).collect();
    if columns.is_empty() || rows.is_empty() {
        return Ok(());
    }
    let values: Vec<(Uuid, Vec<Value>)> = rows
        .iter()
        .map(|r| (r.id(), derived(r)))
        .filter(|(id, values)| stored.and_then(|s| s.get(id)) != Some(values))
        .collect();
    update_many(conn, E::TABLE, &columns, &values).await
}

/// Sets `columns` of many rows of `table` (each row's values in the columns' order) in one statement: the rows
/// travel as one JSON array bound as one parameter.
pub(super) async fn update_many(
    conn: &mut SqliteConnection,
    table: &str,
    columns: &[&str],
    rows: &[(Uuid, Vec<Value>)],
) -> CoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let json = serde_json::Value::Array(
        rows.iter()
            .map(|(id, values)| {
                let mut row = Vec::with_capacity(values.len() + 1);
                row.push(serde_json::Value::from(id.to_string()));
                row.extend(values.iter().map(Value::to_json));
                serde_json::Value::Array(row)
            })
            .collect(),
    )
    .to_string();
    let sets: Vec<String> =
        columns.iter().enumerate().map(|(i, c)| format!("{c} = json_extract(x.value, '$[{}]')", i + 1)).collect();
    let sql = format!(
        "UPDATE {table} SET {} FROM json_each(?) AS x WHERE {table}.id = json_extract(x.value, '$[0]')",
        sets.join(", ")
    );
    sqlx::query(&sql).bind(json).execute(&mut *conn).await?;
    Ok(())
}
