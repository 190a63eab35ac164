//! The issue queue in solo mode (PRODUCT.md §5, sync-anchors §5.6 in SQLite): request, claim with a lease and a
//! fencing token, record Moloni's fiscal data, or release. The Moloni client (later) drives these; the tests
//! drive them directly. Once [`mark_issued`] has run the document is frozen by the database's triggers.

use super::{fetch_in, get, number_key, record_update, set_state, state_str};
use crate::audit;
use crate::codec;
use crate::error::{CoreError, CoreResult};
use crate::workspace::Workspace;
use chrono::{Duration, Utc};
use desk_model::document::{
    can_transition, party_errors, settlement_state, validate_with, DocState, DocType, DocumentContext,
};
use desk_model::ipc::{Document, FieldError, FiscalData};
use desk_model::money::Money;
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

/// A claim on an issue request: only the holder of the latest fence may record anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueClaim {
    /// The document being issued.
    pub document_id: Uuid,
    /// The fencing token of this claim.
    pub fence: i64,
    /// Who holds the lease.
    pub owner: String,
    /// The Moloni document already recorded for this request (a retry adopts it).
    pub moloni_document_id: Option<i64>,
}

/// Queues a draft for issue: it must pass desk-model's validation again; it is no longer editable afterwards.
pub async fn request_issue(ws: &Workspace, id: Uuid) -> CoreResult<Document> {
    let doc = get(ws, id).await?;
    let mut draft = doc.to_draft();
    if let Some(source) = doc.source_id {
        let s = get(ws, source).await?;
        draft.references = vec![super::reference_to(&s, doc.reason.as_deref().unwrap_or_default())?];
    }
    let profile = ws.company_profile().await?;
    let problems = validate_with(&draft, profile.fiscal.rounding);
    if !problems.is_empty() {
        return Err(CoreError::Invalid(problems.iter().map(|p| p.to_field_error()).collect()));
    }
    // What the document needs from its parties (issue 13): each exemption code's conditions, withholding only
    // towards a Portuguese business, the buyer's identification (CIVA art. 36 n.º 5). Errors refuse the issue;
    // warnings are the form's to show.
    let buyer = crate::printing::customer_party(ws, &doc, &mut Default::default()).await?;
    let ctx = DocumentContext { settings: &profile.fiscal, buyer: &buyer, destination_country: None, line_kinds: &[] };
    let refused = party_errors(&draft, &ctx);
    if !refused.is_empty() {
        return Err(CoreError::Invalid(
            refused.iter().map(|p| FieldError { field: p.path(), message: p.message() }).collect(),
        ));
    }
    let mut tx = ws.store().begin().await?;
    let now = audit::now_text();
    let (before, rev) = fetch_in(&mut tx, ws, id).await?;
    can_transition(before.state, DocState::IssueRequested, &desk_model::document::DocFacts::plain(before.doc_type))?;
    sqlx::query("UPDATE documents SET state = 'issue_requested', issue_requested_at = ?, updated_at = ? WHERE id = ?")
        .bind(&now)
        .bind(&now)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    // A re-request after a withdrawal keeps the fence and any Moloni draft already recorded (it is reused).
    sqlx::query(
        "INSERT INTO issue_requests (document_id, company_id, our_reference, state, requested_at, updated_at)
         VALUES (?1, ?2, ?1, 'pending', ?3, ?3)
         ON CONFLICT (document_id) DO UPDATE SET state = CASE WHEN moloni_document_id IS NULL THEN 'pending' ELSE 'drafted' END,
             requested_at = excluded.requested_at, updated_at = excluded.updated_at, last_error = NULL",
    )
    .bind(id.to_string())
    .bind(ws.company().id.to_string())
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let (after, _) = fetch_in(&mut tx, ws, id).await?;
    record_update(&mut tx, ws, &before, &after, rev).await?;
    tx.commit().await?;
    get(ws, id).await
}

/// Takes a queued document out of the queue, back to draft (only while nobody holds a live lease on it).
pub async fn withdraw_issue(ws: &Workspace, id: Uuid) -> CoreResult<Document> {
    let mut tx = ws.store().begin().await?;
    let now = audit::now_text();
    let changed = sqlx::query(
        "UPDATE issue_requests SET state = 'withdrawn', updated_at = ?1
         WHERE document_id = ?2 AND state IN ('pending', 'drafted') AND (lease_until IS NULL OR lease_until < ?1)",
    )
    .bind(&now)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        let (doc, _) = fetch_in(&mut tx, ws, id).await?;
        return Err(CoreError::NotEditable(doc.state));
    }
    set_state(&mut tx, ws, id, DocState::Draft).await?;
    tx.commit().await?;
    get(ws, id).await
}

/// Claims a queued document for issuing: a lease of `lease` for `owner` and a new fencing token. Refused
/// (LeaseLost) when someone else holds a live lease or the request is not waiting.
pub async fn claim_issue(ws: &Workspace, id: Uuid, owner: &str, lease: Duration) -> CoreResult<IssueClaim> {
    let mut tx = ws.store().begin().await?;
    let now = Utc::now();
    let now_text = audit::now_text();
    let until = (now + lease).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "UPDATE issue_requests SET lease_owner = ?1, lease_until = ?2, fence = fence + 1, attempts = attempts + 1,
             updated_at = ?3
         WHERE document_id = ?4 AND state IN ('pending', 'drafted') AND (lease_until IS NULL OR lease_until < ?3)
         RETURNING fence, moloni_document_id",
    )
    .bind(owner)
    .bind(&until)
    .bind(&now_text)
    .bind(id.to_string())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((fence, moloni_document_id)) = row else {
        return Err(CoreError::LeaseLost);
    };
    let (doc, _) = fetch_in(&mut tx, ws, id).await?;
    if doc.state == DocState::IssueRequested {
        set_state(&mut tx, ws, id, DocState::Issuing).await?;
    }
    tx.commit().await?;
    Ok(IssueClaim { document_id: id, fence, owner: owner.to_string(), moloni_document_id })
}

/// Checks that `claim` still holds the request (same fence and owner, request still open).
async fn check_fence(tx: &mut Transaction<'static, Sqlite>, claim: &IssueClaim) -> CoreResult<()> {
    let ok: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM issue_requests WHERE document_id = ? AND fence = ? AND lease_owner = ? AND state IN ('pending', 'drafted')",
    )
    .bind(claim.document_id.to_string())
    .bind(claim.fence)
    .bind(&claim.owner)
    .fetch_optional(&mut **tx)
    .await?;
    ok.map(|_| ()).ok_or(CoreError::LeaseLost)
}

/// Records the Moloni draft created for this request (once; the UNIQUE column and a trigger keep it so).
pub async fn record_moloni_draft(ws: &Workspace, claim: &IssueClaim, moloni_document_id: i64) -> CoreResult<()> {
    let mut tx = ws.store().begin().await?;
    check_fence(&mut tx, claim).await?;
    sqlx::query(
        "UPDATE issue_requests SET moloni_document_id = ?, state = 'drafted', updated_at = ? WHERE document_id = ?",
    )
    .bind(moloni_document_id)
    .bind(audit::now_text())
    .bind(claim.document_id.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a claimed request back: to the queue (`retry`, e.g. after a timeout) or to draft (Moloni refused it).
pub async fn release_issue(ws: &Workspace, claim: &IssueClaim, error: &str, retry: bool) -> CoreResult<Document> {
    let mut tx = ws.store().begin().await?;
    check_fence(&mut tx, claim).await?;
    sqlx::query(
        "UPDATE issue_requests SET lease_owner = NULL, lease_until = NULL, last_error = ?, updated_at = ?,
             state = CASE WHEN ? THEN state ELSE 'withdrawn' END
         WHERE document_id = ?",
    )
    .bind(error)
    .bind(audit::now_text())
    .bind(retry)
    .bind(claim.document_id.to_string())
    .execute(&mut *tx)
    .await?;
    set_state(&mut tx, ws, claim.document_id, if retry { DocState::IssueRequested } else { DocState::Draft }).await?;
    tx.commit().await?;
    get(ws, claim.document_id).await
}

/// Records Moloni's fiscal data on the claimed document and marks it issued; from here on it is immutable.
/// Moloni's totals must equal ours to the cent, else nothing is recorded and the request needs attention.
/// FR and FS are paid at issue; FT and ND start unpaid; an issued NC/ND settles/raises its source invoice.
pub async fn mark_issued(ws: &Workspace, claim: &IssueClaim, fiscal: &FiscalData) -> CoreResult<Document> {
    let mut tx = ws.store().begin().await?;
    check_fence(&mut tx, claim).await?;
    let id = claim.document_id;
    let (before, rev) = fetch_in(&mut tx, ws, id).await?;
    if (before.net, before.vat, before.total) != (fiscal.net, fiscal.vat, fiscal.total) {
        tx.rollback().await?;
        sqlx::query("UPDATE issue_requests SET state = 'needs_attention', last_error = ?, updated_at = ? WHERE document_id = ? AND fence = ?")
            .bind(format!("totals differ: ours {}, Moloni {}", before.total.to_plain_string(), fiscal.total.to_plain_string()))
            .bind(audit::now_text())
            .bind(id.to_string())
            .bind(claim.fence)
            .execute(ws.store().writer())
            .await?;
        return Err(CoreError::TotalsMismatch { ours: before.total, moloni: fiscal.total });
    }
    let facts = super::facts(&mut tx, &before).await?;
    can_transition(before.state, DocState::Issued, &facts)?;
    // The settlement state it starts in, by desk-model's rules, on what the customer pays: the total less any
    // withholding (CIRS art. 101), which the customer pays to the State.
    let t = before.doc_type;
    let payable = before.total - before.withholding;
    let (state, received) = if t.paid_at_issue() {
        (DocState::Paid, payable)
    } else if t.is_receivable() {
        (settlement_state(payable, Money::ZERO), Money::ZERO)
    } else {
        (DocState::Issued, Money::ZERO)
    };
    if state != DocState::Issued {
        can_transition(DocState::Issued, state, &facts)?;
    }
    let open = if t.is_receivable() {
        desk_model::document::open_balance(payable, received, before.credited)
    } else {
        Money::ZERO
    };
    sqlx::query(
        "UPDATE documents SET state = ?, moloni_id = ?, moloni_document_set_id = ?, fiscal_number = ?, fiscal_series = ?,
             atcud = ?, hash4 = ?, issued_at = ?, number_key = ?, received = ?, open_cents = ?, updated_at = ?
         WHERE id = ? AND state = 'issuing'",
    )
    .bind(state_str(state))
    .bind(fiscal.moloni_id)
    .bind(fiscal.document_set_id)
    .bind(&fiscal.number)
    .bind(&fiscal.series)
    .bind(&fiscal.atcud)
    .bind(&fiscal.hash4)
    .bind(fiscal.issued_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
    .bind(number_key(t, Some(&fiscal.number), None))
    .bind(received.to_plain_string())
    .bind(codec::cents(open))
    .bind(audit::now_text())
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE issue_requests SET state = 'done', moloni_document_id = ?, lease_owner = NULL, lease_until = NULL,
             updated_at = ? WHERE document_id = ?",
    )
    .bind(fiscal.moloni_id)
    .bind(audit::now_text())
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    let (after, _) = fetch_in(&mut tx, ws, id).await?;
    record_update(&mut tx, ws, &before, &after, rev).await?;
    if t == DocType::Nc {
        if let Some(source) = before.source_id {
            apply_credit(&mut tx, ws, source, payable).await?;
        }
    }
    tx.commit().await?;
    get(ws, id).await
}

/// An issued credit note lowers what is open on the invoice it corrects (desk-model's open balance and
/// settlement state).
async fn apply_credit(
    tx: &mut Transaction<'static, Sqlite>,
    ws: &Workspace,
    invoice: Uuid,
    amount: Money,
) -> CoreResult<()> {
    let (before, rev) = fetch_in(tx, ws, invoice).await?;
    if !before.doc_type.is_receivable() || !before.state.is_issued() {
        return Ok(());
    }
    let credited = before.credited + amount;
    let payable = before.total - before.withholding;
    let open = desk_model::document::open_balance(payable, before.received, credited);
    let state = settlement_state(payable, before.received + credited);
    if state != before.state {
        let f = super::facts(tx, &before).await?;
        can_transition(before.state, state, &f)?;
    }
    sqlx::query("UPDATE documents SET credited = ?, open_cents = ?, state = ?, updated_at = ? WHERE id = ?")
        .bind(credited.to_plain_string())
        .bind(codec::cents(open).max(0))
        .bind(state_str(state))
        .bind(audit::now_text())
        .bind(invoice.to_string())
        .execute(&mut **tx)
        .await?;
    let (after, _) = fetch_in(tx, ws, invoice).await?;
    record_update(tx, ws, &before, &after, rev).await
}
