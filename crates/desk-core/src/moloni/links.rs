//! What our records are in Moloni, on this desktop: (entity, our key) → Moloni's id, per company (a local
//! table; office mode's master sync will own these links on the server).

use crate::error::CoreResult;
use crate::Ctx;

/// The Moloni id of our `entity` with `key`, if linked.
pub async fn get(cx: &Ctx, entity: &str, key: &str) -> CoreResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT moloni_id FROM moloni_links WHERE company_id = ? AND entity = ? AND local_key = ?")
        .bind(cx.company().id.to_string())
        .bind(entity)
        .bind(key)
        .fetch_optional(cx.store().reader())
        .await?)
}

/// Links our `entity` with `key` to Moloni's `id`.
pub async fn set(cx: &Ctx, entity: &str, key: &str, id: i64) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO moloni_links (company_id, entity, local_key, moloni_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (company_id, entity, local_key) DO UPDATE SET moloni_id = excluded.moloni_id",
    )
    .bind(cx.company().id.to_string())
    .bind(entity)
    .bind(key)
    .bind(id)
    .execute(cx.store().local())
    .await?;
    Ok(())
}
