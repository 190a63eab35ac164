//! The journal of unsaved editor forms (issue 10): each editor's form as typed, one row per editor and company,
//! committed durably on every change so a close, a crash or a restart loses nothing. Local only: no audit entry,
//! no outbox op, never synced; a journalled form never becomes a document unless the user stores it.

use crate::audit;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use chrono::{DateTime, Utc};
use desk_model::msg::Localized;
use desk_model::unsaved::{UnsavedForm, MAX_FORM_BYTES};
use sqlx::Row;
use uuid::Uuid;

/// Writes (or replaces) an editor's form. Durable when it returns.
pub async fn put(cx: &Ctx, form: &UnsavedForm) -> CoreResult<()> {
    let body = serde_json::to_string(form).map_err(|e| CoreError::Decode(e.to_string()))?;
    if body.len() > MAX_FORM_BYTES {
        return Err(CoreError::invalid(
            "input",
            Localized::new(
                "O formulário é grande demais para guardar como rascunho de recuperação: divida o documento.",
                "The form is too large to keep for recovery: split the document.",
            ),
        ));
    }
    // a local table (never synced): one statement on the writer connection
    sqlx::query(
        "INSERT INTO unsaved_forms (company_id, key, document_id, body, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (company_id, key) DO UPDATE SET document_id = excluded.document_id, body = excluded.body,
             updated_at = excluded.updated_at",
    )
    .bind(cx.company().id.to_string())
    .bind(form.key.to_string())
    .bind(form.document_id.map(|d| d.to_string()))
    .bind(&body)
    .bind(audit::now_text())
    .execute(cx.store().local())
    .await?;
    Ok(())
}

/// Forgets an editor's form (stored as a draft, or discarded). Nothing to forget is fine.
pub async fn clear(cx: &Ctx, key: Uuid) -> CoreResult<()> {
    sqlx::query("DELETE FROM unsaved_forms WHERE company_id = ? AND key = ?")
        .bind(cx.company().id.to_string())
        .bind(key.to_string())
        .execute(cx.store().local())
        .await?;
    Ok(())
}

/// The current company's journalled forms, newest first. A row that cannot be read (a hand-edited file) is
/// skipped rather than hiding the others.
pub async fn list(cx: &Ctx) -> CoreResult<Vec<UnsavedForm>> {
    let rows =
        sqlx::query("SELECT body, updated_at FROM unsaved_forms WHERE company_id = ? ORDER BY updated_at DESC, key")
            .bind(cx.company().id.to_string())
            .fetch_all(cx.store().reader())
            .await?;
    let mut forms = Vec::with_capacity(rows.len());
    for row in rows {
        let body: String = row.try_get("body")?;
        let at: String = row.try_get("updated_at")?;
        if let Ok(mut form) = serde_json::from_str::<UnsavedForm>(&body) {
            form.updated_at = DateTime::parse_from_rfc3339(&at).ok().map(|t| t.with_timezone(&Utc));
            forms.push(form);
        }
    }
    Ok(forms)
}
