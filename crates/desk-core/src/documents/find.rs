//! Finding a document by what a person types: its id, its fiscal number (`FT 2026A/17`) or its draft label
//! (`Rascunho FT/12`, or just `FT/12`).

use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use desk_model::document::DocType;
use uuid::Uuid;

/// The id of the current company's document that `key` names.
pub async fn find(cx: &Ctx, key: &str) -> CoreResult<Uuid> {
    let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Ok(id) = Uuid::parse_str(&key) {
        return Ok(super::get(cx, id).await?.id);
    }
    let company = cx.company().id.to_string();
    let fiscal: Option<String> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE company_id = ? AND fiscal_number = ? COLLATE NOCASE AND deleted_at IS NULL",
    )
    .bind(&company)
    .bind(&key)
    .fetch_optional(cx.store().reader())
    .await?;
    if let Some(id) = fiscal {
        return crate::codec::uuid(&id);
    }
    let label = key.strip_prefix("Rascunho ").or_else(|| key.strip_prefix("Draft ")).unwrap_or(&key);
    if let Some((t, n)) = label.split_once('/') {
        if let (Some(doc_type), Ok(n)) = (DocType::parse(t.trim()), n.trim().parse::<i64>()) {
            let draft: Option<String> = sqlx::query_scalar(
                "SELECT id FROM documents WHERE company_id = ? AND doc_type = ? AND draft_number = ? \
                 AND fiscal_number IS NULL AND deleted_at IS NULL",
            )
            .bind(&company)
            .bind(doc_type.saft_code())
            .bind(n)
            .fetch_optional(cx.store().reader())
            .await?;
            if let Some(id) = draft {
                return crate::codec::uuid(&id);
            }
        }
    }
    Err(CoreError::NotFound { what: "document" })
}
