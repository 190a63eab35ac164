//! What an issued document's settlement follows from: its payments (rows, never an overwritten sum) and the
//! credit notes issued against it. Recomputed after every payment, issue and merge, by desk-model's rules, so
//! two payments recorded offline on two desktops both count.

use super::parse_state;
use crate::codec;
use crate::error::CoreResult;
use desk_model::document::{open_balance, settlement_state, DocState};
use desk_model::ipc::Document;
use desk_model::money::Money;
use sqlx::SqliteConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// The document with `received`, `credited`, the open balance and the settlement state recomputed from the
/// rows in `conn` (drafts and cancelled documents are returned as they are).
pub async fn settled(conn: &mut SqliteConnection, doc: &Document) -> CoreResult<Document> {
    if !doc.state.is_issued() {
        return Ok(doc.clone());
    }
    let payments: Vec<String> =
        sqlx::query_scalar("SELECT amount FROM payments WHERE document_id = ? AND deleted_at IS NULL")
            .bind(doc.id.to_string())
            .fetch_all(&mut *conn)
            .await?;
    let notes: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT total, withholding, state FROM documents WHERE source_id = ? AND doc_type = 'NC'
             AND deleted_at IS NULL",
    )
    .bind(doc.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut paid = Money::ZERO;
    for p in &payments {
        paid += Money(codec::decimal(p)?);
    }
    let mut credited = Money::ZERO;
    for (total, withholding, state) in &notes {
        if parse_state(state)?.is_issued() {
            credited = credited + Money(codec::decimal(total)?) - Money(codec::decimal(withholding)?);
        }
    }
    Ok(settle(doc, paid, credited))
}

/// [`settled`] for many documents at once (the apply path of a pull): two queries, whatever their number.
pub async fn settled_many(conn: &mut SqliteConnection, docs: Vec<Document>) -> CoreResult<Vec<Document>> {
    let issued: Vec<Uuid> = docs.iter().filter(|d| d.state.is_issued()).map(|d| d.id).collect();
    if issued.is_empty() {
        return Ok(docs);
    }
    let ids = codec::ids_json(&issued);
    let payments: Vec<(String, String)> = sqlx::query_as(
        "SELECT document_id, amount FROM payments
          WHERE document_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let notes: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT source_id, total, withholding, state FROM documents
          WHERE source_id IN (SELECT value FROM json_each(?)) AND doc_type = 'NC' AND deleted_at IS NULL",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut paid: HashMap<Uuid, Money> = HashMap::new();
    for (doc, amount) in &payments {
        *paid.entry(codec::uuid(doc)?).or_insert(Money::ZERO) += Money(codec::decimal(amount)?);
    }
    let mut credited: HashMap<Uuid, Money> = HashMap::new();
    for (source, total, withholding, state) in &notes {
        if parse_state(state)?.is_issued() {
            let c = credited.entry(codec::uuid(source)?).or_insert(Money::ZERO);
            *c = *c + Money(codec::decimal(total)?) - Money(codec::decimal(withholding)?);
        }
    }
    Ok(docs
        .into_iter()
        .map(|d| {
            if !d.state.is_issued() {
                return d;
            }
            let (p, c) = (paid.get(&d.id).copied(), credited.get(&d.id).copied());
            settle(&d, p.unwrap_or(Money::ZERO), c.unwrap_or(Money::ZERO))
        })
        .collect())
}

/// The settlement of an issued document that `paid` was received for and `credited` was credited against, by
/// desk-model's rules.
fn settle(doc: &Document, paid: Money, credited: Money) -> Document {
    // What the customer pays: the total less any withholding (CIRS art. 101), which goes to the State.
    let payable = doc.total - doc.withholding;
    let t = doc.doc_type;
    let mut after = doc.clone();
    after.received = if t.paid_at_issue() { payable + paid } else { paid };
    if t.is_receivable() {
        after.credited = credited;
        let open = open_balance(payable, after.received, credited);
        after.open_balance = if open.is_negative() { Money::ZERO } else { open };
        after.state = settlement_state(payable, after.received + credited);
    } else if t.paid_at_issue() {
        after.state = DocState::Paid;
    }
    after
}
