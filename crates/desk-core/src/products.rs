//! Products and services: list with accent-blind search and keyset pages, create, edit, archive — each edit
//! audited and queued for sync in the same transaction, like customers. Prices are read with desk-model's number
//! parser and taxes checked with desk-model's tax rules.

use crate::codec;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::store::{col, Column, Entity, NaturalKey, Policy, Value};
use chrono::Utc;
use desk_model::ipc::{FieldError, Page, Product, ProductInput, ProductKind, ProductQuery};
use desk_model::money::UnitPrice;
use desk_model::tax::{ExemptionCode, FiscalZone, LineTax, TaxCode};
use desk_model::text::fold;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use std::collections::HashMap;
use uuid::Uuid;

/// Rows per page when the caller does not say.
pub const DEFAULT_PAGE: u32 = 50;
/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 500;

const COLUMNS: &str = "id, company_id, reference, name, kind, unit, price, tax_zone, tax_code, exemption, category, \
     archived, created_at, updated_at, withholding_rate";

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
        withholding_rate: row
            .try_get::<Option<String>, _>("withholding_rate")?
            .as_deref()
            .map(codec::decimal)
            .transpose()?
            .map(desk_model::money::Percent),
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

/// The folded words search looks in.
pub(crate) fn search_text(v: &Product) -> String {
    search_text_of(&v.reference, &v.name, v.category.as_deref())
}

/// [`search_text`] from the columns it reads (a pull derives it from a server row before the row is stored).
pub(crate) fn search_text_of(reference: &str, name: &str, category: Option<&str>) -> String {
    let mut parts = vec![fold(reference), fold(name)];
    parts.extend(category.map(fold));
    parts.join(" ")
}

fn push_filters(q: &mut QueryBuilder<'_, Sqlite>, cx: &Ctx, query: &ProductQuery, fts: &Option<String>) {
    q.push(" WHERE p.deleted_at IS NULL AND p.company_id = ").push_bind(cx.company().id.to_string());
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
pub async fn list(cx: &Ctx, query: &ProductQuery) -> CoreResult<Page<Product>> {
    let limit = match query.limit {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    };
    let fts = codec::fts_query(&query.text);
    let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS}, name_key FROM products p"));
    push_filters(&mut q, cx, query, &fts);
    if let Some(after) = &query.after {
        let (key, id) = codec::decode_cursor(after)?;
        q.push(" AND (p.name_key, p.id) > (").push_bind(key).push(", ").push_bind(id).push(")");
    }
    q.push(" ORDER BY p.name_key, p.id LIMIT ").push_bind(i64::from(limit) + 1);
    let rows = q.build().fetch_all(cx.store().reader()).await?;

    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM products p");
    push_filters(&mut count, cx, query, &fts);
    let total: i64 = count.build_query_scalar().fetch_one(cx.store().reader()).await?;

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
pub async fn get(cx: &Ctx, id: Uuid) -> CoreResult<Product> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = ? AND company_id = ? AND deleted_at IS NULL"))
            .bind(id.to_string())
            .bind(cx.company().id.to_string())
            .fetch_optional(cx.store().reader())
            .await?
            .ok_or(CoreError::NotFound { what: "product" })?;
    from_row(&row)
}

/// Goods or a service, for each of `ids` that is (or was) a product of the current company: an archived or removed
/// product still tells what a line sold. Ids it does not know are left out.
pub async fn kinds(cx: &Ctx, ids: &[Uuid]) -> CoreResult<HashMap<Uuid, ProductKind>> {
    let mut found = HashMap::new();
    if ids.is_empty() {
        return Ok(found);
    }
    let mut q = QueryBuilder::<Sqlite>::new("SELECT id, kind FROM products WHERE company_id = ");
    q.push_bind(cx.company().id.to_string()).push(" AND id IN (");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(id.to_string());
    }
    q.push(")");
    for row in q.build().fetch_all(cx.store().reader()).await? {
        let kind: String = row.try_get("kind")?;
        let kind = ProductKind::parse(&kind).ok_or_else(|| CoreError::Decode(format!("product kind {kind}")))?;
        found.insert(codec::uuid(row.try_get("id")?)?, kind);
    }
    Ok(found)
}

/// One live product by its reference (case as stored).
pub async fn by_reference(cx: &Ctx, reference: &str) -> CoreResult<Product> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM products WHERE company_id = ? AND reference = ? AND deleted_at IS NULL"
    ))
    .bind(cx.company().id.to_string())
    .bind(reference.trim())
    .fetch_optional(cx.store().reader())
    .await?
    .ok_or(CoreError::NotFound { what: "product" })?;
    from_row(&row)
}

async fn check_unique_reference(
    conn: &mut sqlx::SqliteConnection,
    cx: &Ctx,
    v: &ValidProduct,
    except: Option<Uuid>,
) -> CoreResult<()> {
    let other: Option<String> = sqlx::query_scalar(
        "SELECT name FROM products WHERE company_id = ? AND reference = ? AND deleted_at IS NULL
             AND duplicate_of IS NULL AND id <> ?",
    )
    .bind(cx.company().id.to_string())
    .bind(&v.reference)
    .bind(except.map(|u| u.to_string()).unwrap_or_default())
    .fetch_optional(conn)
    .await?;
    match other {
        Some(other) => Err(CoreError::DuplicateReference { reference: v.reference.clone(), other }),
        None => Ok(()),
    }
}

/// Reads a live product of the company inside a write transaction (the "before" of an edit).
async fn fetch_in(conn: &mut sqlx::SqliteConnection, cx: &Ctx, id: Uuid) -> CoreResult<Product> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = ? AND company_id = ? AND deleted_at IS NULL"))
            .bind(id.to_string())
            .bind(cx.company().id.to_string())
            .fetch_optional(conn)
            .await?
            .ok_or(CoreError::NotFound { what: "product" })?;
    from_row(&row)
}

/// Every live product of a company not marked as a duplicate, read on `conn` (an import matches against
/// them inside its write transaction, so what it merged with is what it writes over).
pub(crate) async fn all_live(conn: &mut sqlx::SqliteConnection, company: Uuid) -> CoreResult<Vec<Product>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM products WHERE company_id = ? AND deleted_at IS NULL AND duplicate_of IS NULL"
    ))
    .bind(company.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The product rows of `ids` (any company, tombstones included) in one query: for the apply path of a pull.
pub(crate) async fn load_many(conn: &mut sqlx::SqliteConnection, ids: &[Uuid]) -> CoreResult<Vec<Product>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id IN (SELECT value FROM json_each(?))"))
        .bind(codec::ids_json(ids))
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Every live product of the current company (archived ones too), in one query: for the Moloni sync.
pub(crate) async fn all(cx: &Ctx) -> CoreResult<Vec<Product>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE company_id = ? AND deleted_at IS NULL"))
        .bind(cx.company().id.to_string())
        .fetch_all(cx.store().reader())
        .await?;
    rows.iter().map(from_row).collect()
}

/// A new product record from a form (validated by desk-model with today's rates), for `company`.
pub(crate) fn record_from(
    input: &ProductInput,
    company: Uuid,
    now: chrono::DateTime<Utc>,
) -> Result<Product, Vec<FieldError>> {
    Ok(new_record(validate(input)?, company, now))
}

/// A new product of `company` with a form's validated fields.
pub(crate) fn new_record(v: ValidProduct, company: Uuid, now: chrono::DateTime<Utc>) -> Product {
    Product {
        id: Uuid::now_v7(),
        company_id: company,
        reference: v.reference,
        name: v.name,
        kind: v.kind,
        unit: v.unit,
        price: UnitPrice(v.price.0.normalize()),
        tax: v.tax,
        category: v.category,
        withholding_rate: v.withholding.map(|w| desk_model::money::Percent(w.0.normalize())),
        archived: false,
        created_at: now,
        updated_at: now,
    }
}

/// The product with the validated fields of a form.
fn with_fields(p: Product, v: ValidProduct) -> Product {
    Product {
        reference: v.reference,
        name: v.name,
        kind: v.kind,
        unit: v.unit,
        price: UnitPrice(v.price.0.normalize()),
        tax: v.tax,
        category: v.category,
        withholding_rate: v.withholding.map(|w| desk_model::money::Percent(w.0.normalize())),
        ..p
    }
}

/// Creates a product after validating every field; stores nothing if any field is wrong.
pub async fn create(cx: &Ctx, input: &ProductInput) -> CoreResult<Product> {
    let v = validate(input).map_err(CoreError::Invalid)?;
    let mut w = cx.write().await?;
    check_unique_reference(w.conn(), cx, &v, None).await?;
    let created = new_record(v, cx.company().id, w.now_time()?);
    w.insert(&created).await?;
    w.commit().await?;
    Ok(created)
}

/// Replaces a product's fields after validating them.
pub async fn update(cx: &Ctx, id: Uuid, input: &ProductInput) -> CoreResult<Product> {
    let v = validate(input).map_err(CoreError::Invalid)?;
    let mut w = cx.write().await?;
    let before = fetch_in(w.conn(), cx, id).await?;
    check_unique_reference(w.conn(), cx, &v, Some(id)).await?;
    let mut after = with_fields(before.clone(), v);
    if w.update(&before, &after).await? {
        after.updated_at = w.now_time()?;
    }
    w.commit().await?;
    Ok(after)
}

/// Archives (hides from lists and pickers) or restores a product.
pub async fn set_archived(cx: &Ctx, id: Uuid, archived: bool) -> CoreResult<Product> {
    let mut w = cx.write().await?;
    let before = fetch_in(w.conn(), cx, id).await?;
    let mut after = Product { archived, ..before.clone() };
    if w.update(&before, &after).await? {
        after.updated_at = w.now_time()?;
    }
    w.commit().await?;
    Ok(after)
}

/// Products sync field by field, like customers.
impl Entity for Product {
    const TABLE: &'static str = "products";
    const COLUMNS: &'static [Column] = &[
        col("company_id", Policy::Fixed),
        col("reference", Policy::Mergeable),
        col("name", Policy::Mergeable),
        col("name_key", Policy::Derived),
        col("kind", Policy::Mergeable),
        col("unit", Policy::Mergeable),
        col("price", Policy::Mergeable),
        col("tax_zone", Policy::Mergeable),
        col("tax_code", Policy::Mergeable),
        col("exemption", Policy::Mergeable),
        col("category", Policy::Mergeable),
        col("archived", Policy::Mergeable),
        col("search_text", Policy::Derived),
        col("created_at", Policy::Fixed),
        col("withholding_rate", Policy::Mergeable),
    ];
    const NATURAL_KEYS: &'static [NaturalKey] = &[NaturalKey { columns: &["company_id", "reference"], only_where: "" }];
    fn id(&self) -> Uuid {
        self.id
    }
    fn company_id(&self) -> Uuid {
        self.company_id
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.company_id.into(),
            self.reference.as_str().into(),
            self.name.as_str().into(),
            fold(&self.name).into(),
            self.kind.as_str().into(),
            self.unit.as_str().into(),
            codec::decimal_text(self.price.0).into(),
            self.tax.zone.code().into(),
            self.tax.code.as_str().into(),
            self.tax.exemption.as_ref().map(|e| e.to_string()).into(),
            self.category.clone().into(),
            self.archived.into(),
            search_text(self).into(),
            codec::time_text(self.created_at).into(),
            self.withholding_rate.map(|p| codec::decimal_text(p.0)).into(),
        ]
    }
}
