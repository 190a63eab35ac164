//! What customers and products share in the sync: the link between ours and Moloni's record with the fingerprints
//! both sides had when they last agreed, the fingerprint itself, and the message for a Moloni record our rules
//! refuse.

use crate::error::CoreResult;
use crate::import::merge::Mergeable;
use crate::store::Writer;
use crate::Ctx;
use desk_model::ipc::FieldError;
use desk_model::msg::Localized;
use uuid::Uuid;

/// A link: ours, Moloni's id, and each side's fingerprint as last agreed (`None`: unknown, i.e. changed).
#[derive(Clone)]
pub struct Link {
    pub local: Uuid,
    pub moloni_id: i64,
    pub moloni_hash: Option<String>,
    pub local_hash: Option<String>,
}

/// A fingerprint of a record's shared `fields`: equal fingerprints, nothing to sync.
pub fn fingerprint<E: Mergeable>(record: &E, fields: &[&str]) -> String {
    let text: Vec<String> = fields.iter().map(|f| record.text(f)).collect();
    Uuid::new_v5(&Uuid::NAMESPACE_OID, text.join("\u{1f}").as_bytes()).simple().to_string()
}

/// The company's links of `entity` (keys that are not ours, like the issuer's final consumer, left out).
pub async fn load(cx: &Ctx, entity: &str) -> CoreResult<Vec<Link>> {
    let rows: Vec<(String, i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT local_key, moloni_id, moloni_hash, local_hash FROM moloni_links WHERE company_id = ? AND entity = ?",
    )
    .bind(cx.company().id.to_string())
    .bind(entity)
    .fetch_all(cx.store().reader())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(key, moloni_id, moloni_hash, local_hash)| {
            Uuid::parse_str(&key).ok().map(|local| Link { local, moloni_id, moloni_hash, local_hash })
        })
        .collect())
}

/// Records a link inside the caller's transaction (with the rows it links).
pub async fn save(w: &mut Writer<'_>, cx: &Ctx, entity: &str, l: &Link) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO moloni_links (company_id, entity, local_key, moloni_id, moloni_hash, local_hash)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (company_id, entity, local_key) DO UPDATE SET moloni_id = excluded.moloni_id,
             moloni_hash = excluded.moloni_hash, local_hash = excluded.local_hash",
    )
    .bind(cx.company().id.to_string())
    .bind(entity)
    .bind(l.local.to_string())
    .bind(l.moloni_id)
    .bind(&l.moloni_hash)
    .bind(&l.local_hash)
    .execute(w.conn())
    .await?;
    Ok(())
}

/// Why a Moloni record was not brought here: our rules' messages, and where to correct it.
pub fn not_brought(errors: &[FieldError]) -> Localized {
    let (pt, en): (Vec<String>, Vec<String>) =
        errors.iter().map(|e| (e.message.pt.clone(), e.message.en.clone())).unzip();
    Localized::new(
        format!("Não foi trazido do Moloni: {} Corrija-o no Moloni.", pt.join(" ")),
        format!("Not brought from Moloni: {} Correct it in Moloni.", en.join(" ")),
    )
}
