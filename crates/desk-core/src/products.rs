//! Products and services: list with accent-blind search and keyset pages, create, edit, archive — each edit
//! audited and queued for sync in the same transaction, like customers. Prices are read with desk-model's number
//! parser and taxes checked with desk-model's tax rules.

use crate::audit::{self, Action, Change};
use crate::codec;
use crate::error::{CoreError, CoreResult};
use crate::workspace::Workspace;
use chrono::Utc;
use desk_model::ipc::{FieldError, Page, Product, ProductInput, ProductKind, ProductQuery};
use desk_model::money::UnitPrice;
use desk_model::tax::{ExemptionCode, FiscalZone, LineTax, TaxCode};
use desk_model::text::fold;
use serde_json::{json, Value};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use uuid::Uuid;

/// Rows per page when the caller does not say.
pub const DEFAULT_PAGE: u32 = 50;
/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 500;

const COLUMNS: &str = "id, company_id, reference, name, kind, unit, price, tax_zone, tax_code, exemption, category, \
     archived, created_at, updated_at";

pub use desk_model::product::ValidProduct;

/// Checks every field of a product against desk-model's rules, with today's VAT rates.
pub fn validate(input: &ProductInput) -> Result<ValidProduct, Vec<FieldError>> {
    desk_model::product::validate(input, Utc::now().date_naive())
}

fn from_row(row: &SqliteRow) -> CoreResult<Product> {
    let zone: String = row.try_get("tax_zone")?;
    let code: String = row.try_get("tax_code")?;
    let exemption: Option<String> = row.try_get("exemption")?;
    let kind: String = row.try_get("kind")?;
    Ok(Product {
        id: codec::uuid(row.try_get("id")?)?,
        company_id: codec::uuid(row.try_get("company_id")?)?,
        reference: row.try_get("reference")?,
        name: row.try_get("name")?,
        kind: ProductKind::parse(&kind).ok_or_else(|| CoreError::Decode(format!("product kind {kind}")))?,
        unit: row.try_get("unit")?,
        price: UnitPrice(codec::decimal(row.try_get("price")?)?),
        tax: stored_tax(&zone, &code, exemption.as_deref())?,
        category: row.try_get("category")?,
        archived: row.try_get::<i64, _>("archived")? != 0,
        created_at: codec::time(row.try_get("created_at")?)?,
        updated_at: codec::time(row.try_get("updated_at")?)?,
    })
}

/// A tax as stored in three columns.
pub(crate) fn stored_tax(zone: &str, code: &str, exemption: Option<&str>) -> CoreResult<LineTax> {
    Ok(LineTax {
        zone: FiscalZone::parse(zone).ok_or_else(|| CoreError::Decode(format!("zone {zone}")))?,
        code: TaxCode::parse(code).ok_or_else(|| CoreError::Decode(format!("tax code {code}")))?,
        exemption: exemption
            .map(|e| ExemptionCode::parse(e).ok_or_else(|| CoreError::Decode(format!("exemption {e}"))))
            .transpose()?,
    })
}

/// The fields that sync and the audit trail compare.
fn synced_fields(p: &Product) -> Value {
    json!({
        "reference": p.reference, "name": p.name, "kind": p.kind.as_str(), "unit": p.unit,
        "price": codec::decimal_text(p.price.0), "tax_zone": p.tax.zone.code(), "tax_code": p.tax.code.as_str(),
        "exemption": p.tax.exemption.as_ref().map(|e| e.to_string()), "category": p.category, "archived": p.archived,
    })
}

fn search_text(v: &ValidProduct) -> String {
    let mut parts = vec![fold(&v.reference), fold(&v.name)];
    parts.extend(v.category.iter().map(|c| fold(c)));
    parts.join(" ")
}

fn push_filters(q: &mut QueryBuilder<'_, Sqlite>, ws: &Workspace, query: &ProductQuery, fts: &Option<String>) {
    q.push(" WHERE p.deleted_at IS NULL AND p.company_id = ").push_bind(ws.company().id.to_string());
    if !query.include_archived {
        q.push(" AND p.archived = 0");
    }
    if let Some(m) = fts {
        q.push(" AND p.rowid IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ")
            .push_bind(m.clone())
            .push(")");
    }
}

/// A page of products sorted by name, matching every word of `query.text` as a word prefix of the reference,
/// name or category.
pub async fn list(ws: &Workspace, query: &ProductQuery) -> CoreResult<Page<Product>> {
    let limit = match query.limit {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    };
    let fts = codec::fts_query(&query.text);
    let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS}, name_key FROM products p"));
    push_filters(&mut q, ws, query, &fts);
    if let Some(after) = &query.after {
        let (key, id) = codec::decode_cursor(after)?;
        q.push(" AND (p.name_key, p.id) > (").push_bind(key).push(", ").push_bind(id).push(")");
    }
    q.push(" ORDER BY p.name_key, p.id LIMIT ").push_bind(i64::from(limit) + 1);
    let rows = q.build().fetch_all(ws.store().pool()).await?;

    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM products p");
    push_filters(&mut count, ws, query, &fts);
    let total: i64 = count.build_query_scalar().fetch_one(ws.store().pool()).await?;

    let more = rows.len() > limit as usize;
    let mut items = Vec::with_capacity(limit as usize);
    let mut next = None;
    for (i, row) in rows.iter().take(limit as usize).enumerate() {
        items.push(from_row(row)?);
        if more && i + 1 == limit as usize {
            next = Some(codec::encode_cursor(row.try_get("name_key")?, row.try_get("id")?));
        }
    }
    Ok(Page { items, next, total: u64::try_from(total).unwrap_or(0), total_is_lower_bound: false })
}

/// One product of the current company.
pub async fn get(ws: &Workspace, id: Uuid) -> CoreResult<Product> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = ? AND company_id = ? AND deleted_at IS NULL"))
            .bind(id.to_string())
            .bind(ws.company().id.to_string())
            .fetch_optional(ws.store().pool())
            .await?
            .ok_or(CoreError::NotFound { what: "product" })?;
    from_row(&row)
}

/// One live product by its reference (case as stored).
pub async fn by_reference(ws: &Workspace, reference: &str) -> CoreResult<Product> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM products WHERE company_id = ? AND reference = ? AND deleted_at IS NULL"
    ))
    .bind(ws.company().id.to_string())
    .bind(reference.trim())
    .fetch_optional(ws.store().pool())
    .await?
    .ok_or(CoreError::NotFound { what: "product" })?;
    from_row(&row)
}

async fn check_unique_reference(
    tx: &mut sqlx::Transaction<'static, Sqlite>,
    ws: &Workspace,
    v: &ValidProduct,
    except: Option<Uuid>,
) -> CoreResult<()> {
    let other: Option<String> = sqlx::query_scalar(
        "SELECT name FROM products WHERE company_id = ? AND reference = ? AND deleted_at IS NULL AND id <> ?",
    )
    .bind(ws.company().id.to_string())
    .bind(&v.reference)
    .bind(except.map(|u| u.to_string()).unwrap_or_default())
    .fetch_optional(&mut **tx)
    .await?;
    match other {
        Some(other) => Err(CoreError::DuplicateReference { reference: v.reference.clone(), other }),
        None => Ok(()),
    }
}

async fn fetch_in(tx: &mut sqlx::Transaction<'static, Sqlite>, id: Uuid) -> CoreResult<(Product, Option<i64>)> {
    let row = sqlx::query(&format!("SELECT {COLUMNS}, rev FROM products WHERE id = ?"))
        .bind(id.to_string())
        .fetch_one(&mut **tx)
        .await?;
    Ok((from_row(&row)?, row.try_get("rev")?))
}

/// Creates a product after validating every field; stores nothing if any field is wrong.
pub async fn create(ws: &Workspace, input: &ProductInput) -> CoreResult<Product> {
    let v = validate(input).map_err(CoreError::Invalid)?;
    let id = Uuid::now_v7();
    let now = audit::now_text();
    let mut tx = ws.store().begin().await?;
    check_unique_reference(&mut tx, ws, &v, None).await?;
    sqlx::query(
        "INSERT INTO products (id, company_id, reference, name, name_key, kind, unit, price, tax_zone, tax_code,
                               exemption, category, archived, search_text, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(ws.company().id.to_string())
    .bind(&v.reference)
    .bind(&v.name)
    .bind(fold(&v.name))
    .bind(v.kind.as_str())
    .bind(&v.unit)
    .bind(codec::decimal_text(v.price.0))
    .bind(v.tax.zone.code())
    .bind(v.tax.code.as_str())
    .bind(v.tax.exemption.as_ref().map(|e| e.to_string()))
    .bind(&v.category)
    .bind(search_text(&v))
    .bind(&now)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let (created, _) = fetch_in(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Change {
            actor: ws.actor(),
            company_id: ws.company().id,
            table: "products",
            row_id: id,
            action: Action::Insert,
            before: None,
            after: Some(synced_fields(&created)),
            base_rev: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Replaces a product's fields after validating them.
pub async fn update(ws: &Workspace, id: Uuid, input: &ProductInput) -> CoreResult<Product> {
    let v = validate(input).map_err(CoreError::Invalid)?;
    get(ws, id).await?;
    let mut tx = ws.store().begin().await?;
    check_unique_reference(&mut tx, ws, &v, Some(id)).await?;
    let (before, rev) = fetch_in(&mut tx, id).await?;
    sqlx::query(
        "UPDATE products SET reference = ?, name = ?, name_key = ?, kind = ?, unit = ?, price = ?, tax_zone = ?,
                tax_code = ?, exemption = ?, category = ?, search_text = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(&v.reference)
    .bind(&v.name)
    .bind(fold(&v.name))
    .bind(v.kind.as_str())
    .bind(&v.unit)
    .bind(codec::decimal_text(v.price.0))
    .bind(v.tax.zone.code())
    .bind(v.tax.code.as_str())
    .bind(v.tax.exemption.as_ref().map(|e| e.to_string()))
    .bind(&v.category)
    .bind(search_text(&v))
    .bind(audit::now_text())
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    let (after, _) = fetch_in(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Change {
            actor: ws.actor(),
            company_id: ws.company().id,
            table: "products",
            row_id: id,
            action: Action::Update,
            before: Some(synced_fields(&before)),
            after: Some(synced_fields(&after)),
            base_rev: rev,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Archives (hides from lists and pickers) or restores a product.
pub async fn set_archived(ws: &Workspace, id: Uuid, archived: bool) -> CoreResult<Product> {
    get(ws, id).await?;
    let mut tx = ws.store().begin().await?;
    let (before, rev) = fetch_in(&mut tx, id).await?;
    sqlx::query("UPDATE products SET archived = ?, updated_at = ? WHERE id = ?")
        .bind(i64::from(archived))
        .bind(audit::now_text())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    let (after, _) = fetch_in(&mut tx, id).await?;
    audit::record(
        &mut tx,
        Change {
            actor: ws.actor(),
            company_id: ws.company().id,
            table: "products",
            row_id: id,
            action: Action::Update,
            before: Some(synced_fields(&before)),
            after: Some(synced_fields(&after)),
            base_rev: rev,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
