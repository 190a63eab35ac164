//! The review list: values from elsewhere (an import today, the Moloni sync next) that differ from what is
//! stored, kept for a person to decide field by field instead of being written over the stored value.
//! Local to this desktop (`review_items`); taking the incoming value edits the record through the one write
//! path, with desk-model's rules, like a form would.

use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::import::merge::Mergeable;
use crate::store::Writer;
use crate::{codec, customers, products};
use desk_model::ipc::{CustomerInput, FieldDifference, ProductInput, Resolution, ReviewItem};
use desk_model::msg::{Lang, Localized};
use sqlx::Row;
use uuid::Uuid;

/// Adds differing values to the list, inside the caller's write transaction; a value already waiting for the
/// same record and field is not added twice. Returns how many were added.
pub async fn add(
    w: &mut Writer<'_>,
    company: Uuid,
    entity: &str,
    items: &[(Uuid, FieldDifference)],
    source: &str,
) -> CoreResult<u64> {
    let now = w.now().to_string();
    let mut added = 0;
    for (row_id, d) in items {
        let done = sqlx::query(
            "INSERT INTO review_items (company_id, entity, row_id, field, current, incoming, source, created_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
             WHERE NOT EXISTS (SELECT 1 FROM review_items WHERE company_id = ?1 AND entity = ?2 AND row_id = ?3
                               AND field = ?4 AND incoming = ?6 AND resolved_at IS NULL)",
        )
        .bind(company.to_string())
        .bind(entity)
        .bind(row_id.to_string())
        .bind(&d.field)
        .bind(&d.current)
        .bind(&d.incoming)
        .bind(source)
        .bind(&now)
        .execute(w.conn())
        .await?;
        added += done.rows_affected();
    }
    Ok(added)
}

/// The open items of the current company, oldest first, with each record's label as it is now.
pub async fn list(cx: &Ctx) -> CoreResult<Vec<ReviewItem>> {
    let rows = sqlx::query(
        "SELECT r.id, r.entity, r.row_id, r.field, r.current, r.incoming, r.source, r.created_at,
                coalesce(c.name, p.reference || ' ' || p.name, '') AS record
         FROM review_items r
         LEFT JOIN customers c ON r.entity = 'customers' AND c.id = r.row_id
         LEFT JOIN products p ON r.entity = 'products' AND p.id = r.row_id
         WHERE r.company_id = ? AND r.resolved_at IS NULL ORDER BY r.id",
    )
    .bind(cx.company().id.to_string())
    .fetch_all(cx.store().reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ReviewItem {
                id: r.try_get("id")?,
                entity: r.try_get("entity")?,
                row_id: codec::uuid(r.try_get("row_id")?)?,
                record: r.try_get("record")?,
                field: r.try_get("field")?,
                current: r.try_get("current")?,
                incoming: r.try_get("incoming")?,
                source: r.try_get("source")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// A customer's form with one field replaced by `value` (as the review list holds it).
pub(crate) fn customer_with(c: &desk_model::ipc::Customer, field: &str, value: &str) -> CustomerInput {
    customer_edit(c, &[(field, value)])
}

/// A customer's form with the named fields replaced (`desk customers edit`, a review, a conflict).
pub fn customer_edit(c: &desk_model::ipc::Customer, changes: &[(&str, &str)]) -> CustomerInput {
    let mut input = CustomerInput::for_form(c, Lang::En);
    for (field, value) in changes {
        set_customer_field(&mut input, field, value);
    }
    input
}

fn set_customer_field(input: &mut CustomerInput, field: &str, value: &str) {
    let v = value.to_string();
    match field {
        "name" => input.name = v,
        "nif" => input.nif = v,
        "email" => input.email = v,
        "phone" => input.phone = v,
        "address" => input.address = v,
        "postal_code" => input.postal_code = v,
        "city" => input.city = v,
        "country" => input.country = v,
        "payment_terms_days" => input.payment_terms_days = v,
        "notes" => input.notes = v,
        "withholding" | "withholding_rate" => input.withholding = v,
        _ => {}
    }
}

/// A product's form with one field replaced by `value` (`tax` as "PT NOR" or "PT ISE M07").
pub(crate) fn product_with(p: &desk_model::ipc::Product, field: &str, value: &str) -> ProductInput {
    product_edit(p, &[(field, value)])
}

/// A product's form with the named fields replaced (`desk products edit`, a review, a conflict).
pub fn product_edit(p: &desk_model::ipc::Product, changes: &[(&str, &str)]) -> ProductInput {
    let mut input = ProductInput {
        reference: p.reference.clone(),
        name: p.name.clone(),
        kind: p.kind,
        unit: p.unit.clone(),
        price: p.price.0.normalize().to_string(),
        tax_zone: p.tax.zone.code().to_string(),
        tax_code: p.tax.code.as_str().to_string(),
        exemption: p.tax.exemption.as_ref().map(|e| e.to_string()).unwrap_or_default(),
        category: p.category.clone().unwrap_or_default(),
        withholding: p.withholding_rate.map(|w| w.0.normalize().to_string()).unwrap_or_default(),
        lang: Lang::En,
    };
    for (field, value) in changes {
        match *field {
            "name" => input.name = (*value).into(),
            "reference" => input.reference = (*value).into(),
            "kind" => input.kind = desk_model::ipc::ProductKind::parse(value).unwrap_or(p.kind),
            "unit" => input.unit = (*value).into(),
            "price" => input.price = (*value).into(),
            "category" => input.category = (*value).into(),
            "withholding" | "withholding_rate" => input.withholding = (*value).into(),
            "tax" => {
                let mut parts = value.split_whitespace();
                input.tax_zone = parts.next().unwrap_or("").into();
                input.tax_code = parts.next().unwrap_or("").into();
                input.exemption = parts.next().unwrap_or("").into();
            }
            _ => {}
        }
    }
    input
}

/// Settles an item: keeps the stored value, or stores the incoming one (checked by desk-model's rules and
/// written through the writer, with its audit entry and op). Either way the item leaves the list.
pub async fn resolve(cx: &Ctx, id: i64, resolution: Resolution) -> CoreResult<()> {
    let row = sqlx::query(
        "SELECT entity, row_id, field, incoming FROM review_items WHERE id = ? AND company_id = ? AND resolved_at IS NULL",
    )
    .bind(id)
    .bind(cx.company().id.to_string())
    .fetch_optional(cx.store().reader())
    .await?
    .ok_or(CoreError::NotFound { what: "review item" })?;
    let (entity, field, incoming): (String, String, String) =
        (row.try_get("entity")?, row.try_get("field")?, row.try_get("incoming")?);
    let row_id = codec::uuid(row.try_get("row_id")?)?;
    if resolution == Resolution::TakeIncoming {
        match entity.as_str() {
            "customers" => {
                let c = customers::get(cx, row_id).await?;
                customers::update(cx, row_id, &customer_with(&c, &field, &incoming)).await?;
            }
            "products" => {
                let p = products::get(cx, row_id).await?;
                products::update(cx, row_id, &product_with(&p, &field, &incoming)).await?;
            }
            other => {
                return Err(CoreError::invalid(
                    "entity",
                    Localized::new(
                        format!("Tipo de registo desconhecido: {other}."),
                        format!("Unknown record kind: {other}."),
                    ),
                ))
            }
        }
    }
    let mut w = cx.write().await?;
    let now = w.now().to_string();
    sqlx::query("UPDATE review_items SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL")
        .bind(now)
        .bind(resolution.as_str())
        .bind(id)
        .execute(w.conn())
        .await?;
    w.commit().await
}

/// What a record's field holds now, as the review list writes values (for tests and the screen).
pub fn field_text<E: Mergeable>(record: &E, field: &str) -> String {
    record.text(field)
}
