//! Draft numbering and series. Draft numbers are this desktop's labels, never fiscal (PRODUCT.md §3): Moloni gives
//! the fiscal series and number at issue. A series row keeps the Moloni document set it issues into, once
//! configured; its id is the same on every desktop.

use crate::error::CoreResult;
use desk_model::document::DocType;
use sqlx::SqliteConnection;
use uuid::Uuid;

/// The name of the series every company starts with.
pub const DEFAULT_SERIES: &str = "Rascunhos";

/// Takes the next draft number of the company's `doc_type` on this desktop, inside the caller's transaction.
/// Draft numbers are local labels (never synced, never fiscal): a draft that arrives from another desktop gets
/// the next number here too, so a label never collides on one desktop.
pub async fn next_draft_number(conn: &mut SqliteConnection, company_id: Uuid, doc_type: DocType) -> CoreResult<i64> {
    // One statement starts the counter or advances it; RETURNING gives the number just taken.
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO draft_counters (company_id, doc_type, next) VALUES (?, ?, 2)
         ON CONFLICT (company_id, doc_type) DO UPDATE SET next = next + 1
         RETURNING next",
    )
    .bind(company_id.to_string())
    .bind(doc_type.saft_code())
    .fetch_one(conn)
    .await?;
    Ok(next - 1)
}

/// The id of a company's series: the same on every desktop (UUIDv5 of company, type and name), so two desktops
/// that configure one series make one row.
pub fn series_id(company_id: Uuid, doc_type: DocType, name: &str) -> Uuid {
    Uuid::new_v5(&company_id, format!("{}/{name}", doc_type.saft_code()).as_bytes())
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
