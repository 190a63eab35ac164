//! The issue queue in solo mode (PRODUCT.md §5, sync-anchors §5.6 in SQLite): request, claim with a lease and a
//! fencing token, record Moloni's fiscal data, or release. The Moloni client (later) drives these; the tests
//! drive them directly. Once [`mark_issued`] has run the document is frozen by the database's triggers.

use super::{fetch_in, get, resettle, set_state, settle};
use crate::audit;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::lease_clock;
use chrono::{Duration, Utc};
use desk_model::document::{can_transition, party_errors, validate_with, DocState, DocType, DocumentContext};
use desk_model::ipc::{Document, FieldError, FiscalData};
use desk_model::msg::Localized;
use sqlx::{Row, SqliteConnection};
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
pub async fn request_issue(cx: &Ctx, id: Uuid) -> CoreResult<Document> {
    let doc = get(cx, id).await?;
    let mut draft = doc.to_draft();
    if let Some(source) = doc.source_id {
        let s = get(cx, source).await?;
        draft.references = vec![super::reference_to(&s, doc.reason.as_deref().unwrap_or_default())?];
    }
    let profile = cx.company_profile().await?;
    // A receipt has no lines to check: what it settles was checked when its payment was recorded.
    let receipt = doc.doc_type == DocType::Rg;
    let problems = if receipt { Vec::new() } else { validate_with(&draft, profile.fiscal.rounding) };
    if !problems.is_empty() {
        return Err(CoreError::Invalid(problems.iter().map(|p| p.to_field_error()).collect()));
    }
    // What the document needs from its parties (issue 13): each exemption code's conditions, withholding only
    // towards a Portuguese business, the buyer's identification (CIVA art. 36 n.º 5). Errors refuse the issue;
    // warnings are the form's to show.
    let buyer = crate::printing::customer_party(cx, &doc, &mut Default::default()).await?;
    // Goods or a service per line, from the product it was picked from (a line typed freely is not known): an FS
    // under the retail €1,000 limit may sell goods only (CIVA art. 40 n.º 1 a)).
    let picked: Vec<Uuid> = doc.lines.iter().filter_map(|l| l.product_id).collect();
    let kinds = crate::products::kinds(cx, &picked).await?;
    let line_kinds: Vec<_> = doc.lines.iter().map(|l| l.product_id.and_then(|id| kinds.get(&id).copied())).collect();
    let ctx = DocumentContext {
        settings: &profile.fiscal,
        buyer: &buyer,
        destination_country: None,
        line_kinds: &line_kinds,
    };
    let refused = if receipt { Vec::new() } else { party_errors(&draft, &ctx) };
    if !refused.is_empty() {
        return Err(CoreError::Invalid(
            refused.iter().map(|p| FieldError { field: p.path(), message: p.message() }).collect(),
        ));
    }
    let mut w = cx.write().await?;
    let before = fetch_in(w.conn(), cx, id).await?;
    can_transition(before.state, DocState::IssueRequested, &desk_model::document::DocFacts::plain(before.doc_type))?;
    let after = Document { state: DocState::IssueRequested, issue_requested_at: Some(w.now_time()?), ..before.clone() };
    w.command("issue.request", &before, &after).await?;
    let now = w.now().to_string();
    // A re-request after a withdrawal keeps the fence and any Moloni draft already recorded; the issuer reuses it
    // only if it was made from this same content (`content_hash`), else deletes it and makes a new one.
    sqlx::query(
        "INSERT INTO issue_requests (document_id, company_id, our_reference, state, requested_at, updated_at,
             content_hash)
         VALUES (?1, ?2, ?1, 'pending', ?3, ?3, ?4)
         ON CONFLICT (document_id) DO UPDATE SET state = CASE WHEN moloni_document_id IS NULL THEN 'pending' ELSE 'drafted' END,
             requested_at = excluded.requested_at, updated_at = excluded.updated_at, last_error = NULL,
             content_hash = excluded.content_hash",
    )
    .bind(id.to_string())
    .bind(cx.company().id.to_string())
    .bind(&now)
    .bind(content_hash(&doc))
    .execute(w.conn())
    .await?;
    w.commit().await?;
    get(cx, id).await
}

/// A fingerprint of what a document says (its header and lines as typed): a Moloni draft made from another
/// fingerprint is stale.
pub fn content_hash(doc: &Document) -> String {
    let input = serde_json::to_string(&doc.to_input()).unwrap_or_default();
    Uuid::new_v5(&Uuid::NAMESPACE_OID, input.as_bytes()).simple().to_string()[..12].to_string()
}

/// Takes a queued document out of the queue, back to draft (only while nobody holds a live lease on it).
pub async fn withdraw_issue(cx: &Ctx, id: Uuid) -> CoreResult<Document> {
    let mut w = cx.write().await?;
    let now = w.now().to_string();
    let clock = lease_clock::now();
    let changed = sqlx::query(
        "UPDATE issue_requests SET state = 'withdrawn', updated_at = ?1
         WHERE document_id = ?2 AND state IN ('pending', 'drafted', 'needs_attention')
             AND (lease_boot IS NULL OR lease_boot <> ?3 OR lease_deadline <= ?4)",
    )
    .bind(&now)
    .bind(id.to_string())
    .bind(&clock.boot)
    .bind(clock.millis)
    .execute(w.conn())
    .await?
    .rows_affected();
    if changed == 0 {
        let doc = fetch_in(w.conn(), cx, id).await?;
        return Err(CoreError::NotEditable(doc.state));
    }
    set_state(&mut w, cx, "issue.withdraw", id, DocState::Draft).await?;
    w.commit().await?;
    get(cx, id).await
}

/// Claims a queued document for issuing: a lease of `lease` for `owner` and a new fencing token. Refused
/// (LeaseLost) when someone else holds a live lease or the request is not waiting.
pub async fn claim_issue(cx: &Ctx, id: Uuid, owner: &str, lease: Duration) -> CoreResult<IssueClaim> {
    let mut w = cx.write().await?;
    let now_text = w.now().to_string();
    // shown to people; the lease itself is measured on the monotonic lease clock
    let until = (Utc::now() + lease).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let clock = lease_clock::now();
    let deadline = clock.deadline(lease.to_std().unwrap_or_default());
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "UPDATE issue_requests SET lease_owner = ?1, lease_until = ?2, lease_boot = ?5, lease_deadline = ?6,
             fence = fence + 1, attempts = attempts + 1, updated_at = ?3
         WHERE document_id = ?4 AND state IN ('pending', 'drafted')
             AND (lease_boot IS NULL OR lease_boot <> ?5 OR lease_deadline <= ?7)
         RETURNING fence, moloni_document_id",
    )
    .bind(owner)
    .bind(&until)
    .bind(&now_text)
    .bind(id.to_string())
    .bind(&clock.boot)
    .bind(deadline)
    .bind(clock.millis)
    .fetch_optional(w.conn())
    .await?;
    let Some((fence, moloni_document_id)) = row else {
        return Err(CoreError::LeaseLost);
    };
    let doc = fetch_in(w.conn(), cx, id).await?;
    if doc.state == DocState::IssueRequested {
        set_state(&mut w, cx, "issue.claim", id, DocState::Issuing).await?;
    }
    w.commit().await?;
    Ok(IssueClaim { document_id: id, fence, owner: owner.to_string(), moloni_document_id })
}

/// Checks that `claim` still holds the request (same fence and owner, request still open).
async fn check_fence(conn: &mut SqliteConnection, claim: &IssueClaim) -> CoreResult<()> {
    let ok: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM issue_requests WHERE document_id = ? AND fence = ? AND lease_owner = ? AND state IN ('pending', 'drafted')",
    )
    .bind(claim.document_id.to_string())
    .bind(claim.fence)
    .bind(&claim.owner)
    .fetch_optional(conn)
    .await?;
    ok.map(|_| ()).ok_or(CoreError::LeaseLost)
}

/// Records the Moloni draft created for this request (once; the UNIQUE column and a trigger keep it so).
pub async fn record_moloni_draft(cx: &Ctx, claim: &IssueClaim, moloni_document_id: i64) -> CoreResult<()> {
    let mut w = cx.write().await?;
    check_fence(w.conn(), claim).await?;
    let now = w.now().to_string();
    sqlx::query(
        "UPDATE issue_requests SET moloni_document_id = ?, state = 'drafted', drafted_hash = content_hash,
             updated_at = ? WHERE document_id = ?",
    )
    .bind(moloni_document_id)
    .bind(&now)
    .bind(claim.document_id.to_string())
    .execute(w.conn())
    .await?;
    w.commit().await?;
    Ok(())
}

/// Forgets the recorded Moloni draft once it was deleted in Moloni (it was made from content that changed since).
pub async fn forget_moloni_draft(cx: &Ctx, claim: &IssueClaim) -> CoreResult<()> {
    let mut w = cx.write().await?;
    check_fence(w.conn(), claim).await?;
    let now = w.now().to_string();
    sqlx::query(
        "UPDATE issue_requests SET moloni_document_id = NULL, drafted_hash = NULL, state = 'pending', updated_at = ?
         WHERE document_id = ?",
    )
    .bind(&now)
    .bind(claim.document_id.to_string())
    .execute(w.conn())
    .await?;
    w.commit().await?;
    Ok(())
}

/// The request of a document, as the issuer and the queue page see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestState {
    /// pending, drafted, done, needs_attention, withdrawn.
    pub state: String,
    /// The Moloni document recorded for it.
    pub moloni_document_id: Option<i64>,
    /// Whether that Moloni draft was made from the document's current content.
    pub drafted_from_current: bool,
    /// Attempts so far.
    pub attempts: i64,
    /// The last error, for the user.
    pub last_error: Option<String>,
}

/// The request of a document, if it was ever queued.
pub async fn request_state(cx: &Ctx, id: Uuid) -> CoreResult<Option<RequestState>> {
    let row = sqlx::query(
        "SELECT state, moloni_document_id, content_hash, drafted_hash, attempts, last_error FROM issue_requests
         WHERE document_id = ?",
    )
    .bind(id.to_string())
    .fetch_optional(cx.store().reader())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let (content, drafted): (Option<String>, Option<String>) = (r.try_get("content_hash")?, r.try_get("drafted_hash")?);
    Ok(Some(RequestState {
        state: r.try_get("state")?,
        moloni_document_id: r.try_get("moloni_document_id")?,
        drafted_from_current: drafted.is_none() || drafted == content,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
    }))
}

/// Stops a request for review (a totals mismatch, a refusal that needs the user): it stays out of the queue,
/// with the reason, until it is withdrawn and queued again.
pub async fn needs_attention(cx: &Ctx, claim: &IssueClaim, reason: &Localized) -> CoreResult<()> {
    let mut w = cx.write().await?;
    check_fence(w.conn(), claim).await?;
    let now = w.now().to_string();
    sqlx::query(
        "UPDATE issue_requests SET state = 'needs_attention', last_error = ?, last_error_pt = ?, lease_owner = NULL,
             lease_until = NULL, lease_boot = NULL, lease_deadline = NULL, updated_at = ? WHERE document_id = ?",
    )
    .bind(&reason.en)
    .bind(&reason.pt)
    .bind(&now)
    .bind(claim.document_id.to_string())
    .execute(w.conn())
    .await?;
    w.commit().await?;
    Ok(())
}

/// Gives a claimed request back: to the queue (`retry`, e.g. after a timeout) or to draft (Moloni refused it).
pub async fn release_issue(cx: &Ctx, claim: &IssueClaim, error: &Localized, retry: bool) -> CoreResult<Document> {
    let mut w = cx.write().await?;
    check_fence(w.conn(), claim).await?;
    let now = w.now().to_string();
    sqlx::query(
        "UPDATE issue_requests SET lease_owner = NULL, lease_until = NULL, lease_boot = NULL, lease_deadline = NULL,
             last_error = ?, last_error_pt = ?, updated_at = ?, state = CASE WHEN ? THEN state ELSE 'withdrawn' END
         WHERE document_id = ?",
    )
    .bind(&error.en)
    .bind(&error.pt)
    .bind(&now)
    .bind(retry)
    .bind(claim.document_id.to_string())
    .execute(w.conn())
    .await?;
    let to = if retry { DocState::IssueRequested } else { DocState::Draft };
    set_state(&mut w, cx, "issue.release", claim.document_id, to).await?;
    w.commit().await?;
    get(cx, claim.document_id).await
}

/// Records Moloni's fiscal data on the claimed document and marks it issued; from here on it is immutable.
/// Moloni's totals must equal ours to the cent, else nothing is recorded and the request needs attention.
/// FR and FS are paid at issue; FT and ND start unpaid; an issued NC/ND settles/raises its source invoice.
pub async fn mark_issued(cx: &Ctx, claim: &IssueClaim, fiscal: &FiscalData) -> CoreResult<Document> {
    let mut w = cx.write().await?;
    check_fence(w.conn(), claim).await?;
    let id = claim.document_id;
    let before = fetch_in(w.conn(), cx, id).await?;
    if (before.net, before.vat, before.total) != (fiscal.net, fiscal.vat, fiscal.total) {
        drop(w);
        // the issue queue is this desktop's own table: no op
        sqlx::query("UPDATE issue_requests SET state = 'needs_attention', last_error = ?, updated_at = ? WHERE document_id = ? AND fence = ?")
            .bind(format!("totals differ: ours {}, Moloni {}", before.total.to_plain_string(), fiscal.total.to_plain_string()))
            .bind(audit::now_text())
            .bind(id.to_string())
            .bind(claim.fence)
            .execute(cx.store().local())
            .await?;
        return Err(CoreError::TotalsMismatch { ours: before.total, moloni: fiscal.total });
    }
    let facts = super::facts(w.conn(), &before).await?;
    can_transition(before.state, DocState::Issued, &facts)?;
    let issued = Document {
        state: DocState::Issued,
        number: fiscal.number.clone(),
        fiscal: Some(FiscalData { net: before.net, vat: before.vat, total: before.total, ..fiscal.clone() }),
        // what it prints from from now on, whatever changes later
        issued_snapshot: Some(crate::printing::snapshot(cx, &get(cx, id).await?).await?),
        ..before.clone()
    };
    // The settlement state it starts in follows from desk-model's rules (paid at issue, or open).
    let after = settle::settled(w.conn(), &issued).await?;
    if after.state != DocState::Issued {
        can_transition(DocState::Issued, after.state, &facts)?;
    }
    w.command("issue.record", &before, &after).await?;
    let now = w.now().to_string();
    sqlx::query(
        "UPDATE issue_requests SET state = 'done', moloni_document_id = ?, lease_owner = NULL, lease_until = NULL, lease_boot = NULL, lease_deadline = NULL,
             updated_at = ? WHERE document_id = ?",
    )
    .bind(fiscal.moloni_id)
    .bind(&now)
    .bind(id.to_string())
    .execute(w.conn())
    .await?;
    if before.doc_type == DocType::Nc {
        if let Some(source) = before.source_id {
            let invoice = fetch_in(w.conn(), cx, source).await?;
            if invoice.doc_type.is_receivable() && invoice.state.is_issued() {
                resettle(&mut w, cx, source).await?;
            }
        }
    }
    w.commit().await?;
    get(cx, id).await
}

/// The current company's issue requests, newest first (done ones only from the last 30 days), in one query.
pub async fn queue(cx: &Ctx) -> CoreResult<Vec<desk_model::ipc::IssueRequestInfo>> {
    let rows = sqlx::query(
        "SELECT r.document_id, r.state, r.attempts, r.last_error, r.last_error_pt, r.requested_at FROM issue_requests r
         WHERE r.company_id = ? AND (r.state <> 'done' OR r.updated_at >= ?)
         ORDER BY r.requested_at DESC",
    )
    .bind(cx.company().id.to_string())
    .bind(crate::codec::time_text(Utc::now() - Duration::days(30)))
    .fetch_all(cx.store().reader())
    .await?;
    let ids: Vec<Uuid> =
        rows.iter().map(|r| crate::codec::uuid(r.try_get("document_id")?)).collect::<CoreResult<_>>()?;
    let docs = super::get_many(cx, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (r, doc) in rows.iter().zip(docs) {
        let (en, pt): (Option<String>, Option<String>) = (r.try_get("last_error")?, r.try_get("last_error_pt")?);
        out.push(desk_model::ipc::IssueRequestInfo {
            document_id: doc.id,
            doc_type: doc.doc_type,
            number: doc.number.clone(),
            customer_name: doc.customer_name.clone(),
            total: doc.total,
            doc_state: doc.state,
            state: r.try_get("state")?,
            attempts: r.try_get("attempts")?,
            last_message: en.clone().map(|en| Localized { pt: pt.unwrap_or_else(|| en.clone()), en }),
            last_error: en,
            requested_at: crate::codec::time(r.try_get("requested_at")?)?,
        });
    }
    Ok(out)
}

/// The queue at a glance for the company on screen: what waits, what is stopped for review, and the background
/// issuer's last pass.
pub async fn queue_summary(cx: &Ctx) -> CoreResult<desk_model::ipc::IssueQueueSummary> {
    let (waiting, attention): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE state IN ('pending', 'drafted')),
                COUNT(*) FILTER (WHERE state = 'needs_attention')
         FROM issue_requests WHERE company_id = ?",
    )
    .bind(cx.company().id.to_string())
    .fetch_one(cx.store().reader())
    .await?;
    Ok(desk_model::ipc::IssueQueueSummary {
        waiting: u32::try_from(waiting).unwrap_or(u32::MAX),
        attention: u32::try_from(attention).unwrap_or(u32::MAX),
        last_pass: crate::moloni::worker::last_pass(cx).await?,
    })
}

/// Puts a request that stopped for review back in the queue (after the cause was seen to in Moloni). The Moloni
/// draft it made holds Moloni's old computation, so it is marked stale: the next attempt deletes it and makes a
/// new one, which is read back and compared again before anything is closed.
pub async fn requeue(cx: &Ctx, id: Uuid) -> CoreResult<()> {
    let mut w = cx.write().await?;
    let changed = sqlx::query(
        "UPDATE issue_requests SET state = CASE WHEN moloni_document_id IS NULL THEN 'pending' ELSE 'drafted' END,
             drafted_hash = CASE WHEN moloni_document_id IS NULL THEN NULL ELSE 'stale: stopped for review' END,
             updated_at = ? WHERE document_id = ? AND state = 'needs_attention'",
    )
    .bind(w.now().to_string())
    .bind(id.to_string())
    .execute(w.conn())
    .await?
    .rows_affected();
    w.commit().await?;
    if changed == 0 {
        return Err(CoreError::NotEditable(get(cx, id).await?.state));
    }
    Ok(())
}

/// Records that Moloni cancelled an issued document, with the reason (desk-model's `can_cancel` checked it); a
/// cancelled document is frozen whole.
pub async fn mark_cancelled(cx: &Ctx, id: Uuid, reason: &str) -> CoreResult<Document> {
    let mut w = cx.write().await?;
    let before = fetch_in(w.conn(), cx, id).await?;
    let facts = super::facts(w.conn(), &before).await?;
    let reason = desk_model::document::can_cancel(before.state, &facts, reason)?;
    let after = Document { state: DocState::Cancelled, cancel_reason: Some(reason), ..before.clone() };
    w.command("issue.cancel", &before, &after).await?;
    w.commit().await?;
    get(cx, id).await
}
