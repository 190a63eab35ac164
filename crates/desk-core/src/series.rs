//! Local draft numbering: one series per company and document type, created on first use. Draft numbers are
//! never fiscal (PRODUCT.md §3): Moloni gives the fiscal series and number at issue. The series row keeps the
//! Moloni document set it issues into, once configured.

use crate::audit;
use crate::error::CoreResult;
use desk_model::document::DocType;
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

/// The name of the series every company starts with.
pub const DEFAULT_SERIES: &str = "Rascunhos";

/// Takes the next draft number of the company's default series for `doc_type`, inside the caller's
/// transaction, creating the series if needed. Returns the series id and the number.
pub async fn next_draft_number(
    tx: &mut Transaction<'static, Sqlite>,
    company_id: Uuid,
    doc_type: DocType,
) -> CoreResult<(Uuid, i64)> {
    let now = audit::now_text();
    // One statement creates the series or advances it; RETURNING gives the number just taken.
    let (id, next): (String, i64) = sqlx::query_as(
        "INSERT INTO document_series (id, company_id, doc_type, name, next_draft_number, created_at, updated_at)
         VALUES (?, ?, ?, ?, 2, ?, ?)
         ON CONFLICT (company_id, doc_type, name) DO UPDATE
            SET next_draft_number = next_draft_number + 1, updated_at = excluded.updated_at
         RETURNING id, next_draft_number",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(company_id.to_string())
    .bind(doc_type.saft_code())
    .bind(DEFAULT_SERIES)
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    Ok((crate::codec::uuid(&id)?, next - 1))
}

/// The Moloni document set a company's default series of `doc_type` issues into, if configured.
pub async fn moloni_document_set(
    pool: &sqlx::SqlitePool,
    company_id: Uuid,
    doc_type: DocType,
) -> CoreResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT moloni_document_set_id FROM document_series WHERE company_id = ? AND doc_type = ? AND name = ?",
    )
    .bind(company_id.to_string())
    .bind(doc_type.saft_code())
    .bind(DEFAULT_SERIES)
    .fetch_optional(pool)
    .await?
    .flatten())
}
