//! Customers: list with accent-blind search and keyset pages, create, edit, archive — each edit audited and
//! queued for sync in the same transaction. Every rule on the values comes from `desk_model::customer`.

use crate::codec;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::store::{col, Column, Entity, NaturalKey, Policy, Value};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use desk_model::customer::{validate, ValidCustomer};
use desk_model::ipc::{Customer, CustomerInput, CustomerQuery, Page};
use desk_model::money::Percent;
use desk_model::msg::Localized;
use desk_model::text::fold;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use uuid::Uuid;

/// Rows per page when the caller does not say.
pub const DEFAULT_PAGE: u32 = 50;
/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 500;

const COLUMNS: &str = "id, company_id, name, nif, email, phone, address, postal_code, city, country, \
     payment_terms_days, notes, withholding_rate, archived, created_at, updated_at, rev";

fn parse_uuid(s: &str) -> CoreResult<Uuid> {
    Uuid::parse_str(s).map_err(|e| CoreError::Decode(format!("id {s}: {e}")))
}

fn parse_time(s: &str) -> CoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::Decode(format!("time {s}: {e}")))
}

fn from_row(row: &SqliteRow) -> CoreResult<Customer> {
    let terms: Option<i64> = row.try_get("payment_terms_days")?;
    Ok(Customer {
        id: parse_uuid(row.try_get("id")?)?,
        company_id: parse_uuid(row.try_get("company_id")?)?,
        name: row.try_get("name")?,
        nif: row.try_get("nif")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        address: row.try_get("address")?,
        postal_code: row.try_get("postal_code")?,
        city: row.try_get("city")?,
        country: row.try_get("country")?,
        payment_terms_days: terms.and_then(|d| u32::try_from(d).ok()),
        notes: row.try_get("notes")?,
        withholding_rate: row
            .try_get::<Option<String>, _>("withholding_rate")?
            .as_deref()
            .map(codec::decimal)
            .transpose()?
            .map(Percent),
        archived: row.try_get::<i64, _>("archived")? != 0,
        created_at: parse_time(row.try_get("created_at")?)?,
        updated_at: parse_time(row.try_get("updated_at")?)?,
    })
}

/// The folded words search looks in.
pub(crate) fn search_text(v: &Customer) -> String {
    search_text_of(&v.name, [v.nif.as_deref(), v.email.as_deref(), v.city.as_deref(), v.postal_code.as_deref()])
}

/// [`search_text`] from the columns it reads: the name, then the NIF, e-mail, town and postal code (a pull derives
/// it from a server row before the row is stored).
pub(crate) fn search_text_of(name: &str, [nif, email, city, postal_code]: [Option<&str>; 4]) -> String {
    let mut parts = vec![fold(name)];
    parts.extend([nif, email, city, postal_code].into_iter().flatten().map(fold));
    parts.join(" ")
}

/// Turns what the user typed into an FTS5 query: every word must match as a word prefix.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn encode_cursor(name_key: &str, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{name_key}\u{1f}{id}"))
}

fn decode_cursor(cursor: &str) -> CoreResult<(String, String)> {
    let bad = || {
        CoreError::invalid(
            "after",
            Localized::new(
                "Página inválida: volte ao início da lista.",
                "Invalid page: go back to the start of the list.",
            ),
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (k, id) = text.split_once('\u{1f}').ok_or_else(bad)?;
    Ok((k.to_string(), id.to_string()))
}

/// A search in a file holding several companies' customers counts its matches up to this many, then reports
/// "more than COUNT_CAP" (as the documents list does).
pub const COUNT_CAP: u64 = 10_000;

/// Matches at or below which the page is read from the full-text matches and sorted; above it, the name index
/// is walked in order and each entry checked against the matches (it finds a page after ~limit/density entries).
/// Both ways are in the one search statement; the number of matches picks one as it runs.
const SORT_MATCHES_BELOW: u64 = 1500;

/// Adds the WHERE clause of the page.
fn push_filters(q: &mut QueryBuilder<'_, Sqlite>, cx: &Ctx, query: &CustomerQuery) {
    q.push(" WHERE c.deleted_at IS NULL AND c.company_id = ").push_bind(cx.company().id.to_string());
    if !query.include_archived {
        q.push(" AND c.archived = 0");
    }
}

/// The full-text expression for the words typed, limited to the company's visible customers through the
/// `search_scope` column (migration 0004), so the index alone gives the exact count.
fn scoped_match(cx: &Ctx, query: &CustomerQuery, words: &str) -> String {
    let company = cx.company().id.simple();
    let hidden = if query.include_archived { "deleted" } else { "archived OR deleted" };
    format!("(search_scope : k{company} NOT search_scope : ({hidden})) AND (search_text : ({words}))")
}

/// Full-text matches of `expr`, counted up to `upto`.
async fn fts_count(pool: &sqlx::SqlitePool, expr: &str, upto: u64) -> CoreResult<u64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? LIMIT ?)",
    )
    .bind(expr)
    .bind(i64::try_from(upto).unwrap_or(i64::MAX))
    .fetch_one(pool)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Whether a live customer of another company is in the file (then the scope tokens must do the counting).
async fn other_companies(cx: &Ctx) -> CoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE deleted_at IS NULL AND company_id < ?1)
             OR EXISTS (SELECT 1 FROM customers WHERE deleted_at IS NULL AND company_id > ?1)",
    )
    .bind(cx.company().id.to_string())
    .fetch_one(cx.store().reader())
    .await?)
}

/// The count column of a page query over the matches `m`: how many carry the `archived`/`deleted` scope
/// tokens (a short list in the index), i.e. are not shown.
fn push_hidden_count(q: &mut QueryBuilder<'_, Sqlite>, query: &CustomerQuery) {
    let hidden = if query.include_archived { "deleted" } else { "archived OR deleted" };
    q.push(", (SELECT count(*) FROM m WHERE r IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ")
        .push_bind(format!("search_scope : ({hidden})"))
        .push(")) AS hidden");
}

/// A page of customers, sorted by name, matching every word of `query.text` as a word prefix, with the count
/// of matches (exact, but for a search in a file holding several companies' customers: there it stops at
/// [`COUNT_CAP`] and `total_is_lower_bound` says so).
///
/// A search evaluates the words once, in the page's statement, which also counts the matches and those the list
/// does not show (archived, deleted). Every evaluation costs about the same (a prefix word merges its terms'
/// lists first, whatever the LIMIT), so the visible count is all matches less the hidden ones rather than a
/// second evaluation; the intersection with the company's token, which every customer carries, is only needed
/// when another company's customers are there.
pub async fn list(cx: &Ctx, query: &CustomerQuery) -> CoreResult<Page<Customer>> {
    let limit = match query.limit {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    };
    let pool = cx.store().reader();
    let after = query.after.as_deref().map(decode_cursor).transpose()?;
    let push_after = |q: &mut QueryBuilder<'_, Sqlite>| {
        if let Some((key, id)) = &after {
            q.push(" AND (c.name_key, c.id) > (").push_bind(key.clone()).push(", ").push_bind(id.clone()).push(")");
        }
    };
    let order = format!(" ORDER BY c.name_key, c.id LIMIT {}", i64::from(limit) + 1);
    let (rows, total) = match fts_query(&query.text) {
        None => {
            let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM customers c");
            push_filters(&mut count, cx, query);
            let n: i64 = count.build_query_scalar().fetch_one(pool).await?;
            let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS}, name_key FROM customers c"));
            push_filters(&mut q, cx, query);
            push_after(&mut q);
            q.push(&order);
            (q.build().fetch_all(pool).await?, (u64::try_from(n).unwrap_or(0), false))
        }
        Some(words) => {
            // The words alone (every company, archived and deleted too): the SQL filters keep the visible rows.
            let text_match = format!("search_text : ({words})");
            // One statement, one evaluation of the words: `m` holds the matches and `n` their number, and of
            // the two ways to read the page the one that suits `n` runs; the other's LIMIT is 0, which SQLite
            // tests before its loop starts (a WHERE term with a subquery would be tested on every row).
            // - few matches: read them and sort them;
            // - many: walk the name index, checking each entry against the matches, until the page is full
            //   (named: left to itself SQLite read every match's row and sorted them). customers_list holds
            //   `archived` before the name: in name order only with archived = 0.
            let mut q = QueryBuilder::<Sqlite>::new(
                "WITH m(r) AS MATERIALIZED (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ",
            );
            q.push_bind(text_match.clone());
            q.push("), n(k) AS MATERIALIZED (SELECT count(*) FROM m) SELECT * FROM (");
            for few in [true, false] {
                q.push(format!("SELECT * FROM (SELECT {COLUMNS}, name_key, (SELECT k FROM n) AS matches"));
                push_hidden_count(&mut q, query);
                if few {
                    q.push(" FROM m CROSS JOIN customers c ON c.rowid = m.r");
                } else {
                    q.push(" FROM customers c").push(if query.include_archived {
                        String::new()
                    } else {
                        cx.store().indexed_by("customers_list")
                    });
                }
                push_filters(&mut q, cx, query);
                if !few {
                    q.push(" AND c.rowid IN (SELECT r FROM m)");
                }
                push_after(&mut q);
                q.push(format!(
                    " ORDER BY c.name_key, c.id LIMIT (CASE WHEN (SELECT k FROM n) {} {SORT_MATCHES_BELOW} THEN {} ELSE 0 END)",
                    if few { "<=" } else { ">" },
                    i64::from(limit) + 1
                ));
                q.push(if few { ") UNION ALL " } else { ")" });
            }
            q.push(") ORDER BY name_key, id");
            let rows = q.build().fetch_all(pool).await?;
            let total = if other_companies(cx).await? {
                let n = fts_count(pool, &scoped_match(cx, query, &words), COUNT_CAP + 1).await?;
                if n > COUNT_CAP {
                    (COUNT_CAP, true)
                } else {
                    (n, false)
                }
            } else {
                let (all, hidden): (i64, i64) = match rows.first() {
                    Some(r) => (r.try_get("matches")?, r.try_get("hidden")?),
                    // no row on this page (none visible, or a cursor past the end): count on their own
                    None => {
                        let mut c = QueryBuilder::<Sqlite>::new(
                            "WITH m(r) AS MATERIALIZED (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ",
                        );
                        c.push_bind(text_match).push(") SELECT (SELECT count(*) FROM m) AS matches");
                        push_hidden_count(&mut c, query);
                        let r = c.build().fetch_one(pool).await?;
                        (r.try_get("matches")?, r.try_get("hidden")?)
                    }
                };
                (u64::try_from(all - hidden).unwrap_or(0), false)
            };
            (rows, total)
        }
    };
    let (total, lower_bound) = total;

    let more = rows.len() > limit as usize;
    let mut items = Vec::with_capacity(limit as usize);
    let mut next = None;
    for (i, row) in rows.iter().take(limit as usize).enumerate() {
        items.push(from_row(row)?);
        if more && i + 1 == limit as usize {
            next = Some(encode_cursor(row.try_get("name_key")?, row.try_get("id")?));
        }
    }
    Ok(Page { items, next, total, total_is_lower_bound: lower_bound })
}

/// Every live customer of the current company (archived ones too), in one query: for the Moloni sync, which
/// matches a whole list at once.
pub(crate) async fn all(cx: &Ctx) -> CoreResult<Vec<Customer>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM customers WHERE company_id = ? AND deleted_at IS NULL"))
        .bind(cx.company().id.to_string())
        .fetch_all(cx.store().reader())
        .await?;
    rows.iter().map(from_row).collect()
}

/// A customer record from a form (validated by desk-model), new, for `company`.
pub(crate) fn record_from(
    input: &CustomerInput,
    company: Uuid,
    now: DateTime<Utc>,
) -> Result<Customer, Vec<desk_model::ipc::FieldError>> {
    Ok(new_record(desk_model::customer::validate(input)?, company, now))
}

/// A new customer of `company` with a form's validated fields.
pub(crate) fn new_record(v: ValidCustomer, company: Uuid, now: DateTime<Utc>) -> Customer {
    Customer {
        id: Uuid::now_v7(),
        company_id: company,
        name: v.name,
        nif: v.nif,
        email: v.email,
        phone: v.phone,
        address: v.address,
        postal_code: v.postal_code,
        city: v.city,
        country: v.country,
        payment_terms_days: v.payment_terms_days,
        notes: v.notes,
        withholding_rate: v.withholding,
        archived: false,
        created_at: now,
        updated_at: now,
    }
}

/// One customer of the current company.
pub async fn get(cx: &Ctx, id: Uuid) -> CoreResult<Customer> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM customers WHERE id = ? AND company_id = ? AND deleted_at IS NULL"))
            .bind(id.to_string())
            .bind(cx.company().id.to_string())
            .fetch_optional(cx.store().reader())
            .await?
            .ok_or(CoreError::NotFound { what: "customer" })?;
    from_row(&row)
}

/// Refuses a NIF another customer of the company already has (the unique index is the last line of defence).
async fn check_unique_nif(
    conn: &mut sqlx::SqliteConnection,
    cx: &Ctx,
    v: &ValidCustomer,
    except: Option<Uuid>,
) -> CoreResult<()> {
    let Some(nif) = v.nif.as_deref().filter(|n| *n != desk_model::party::FINAL_CONSUMER_NIF) else {
        return Ok(());
    };
    let other: Option<String> = sqlx::query_scalar(
        "SELECT name FROM customers WHERE company_id = ? AND nif = ? AND deleted_at IS NULL AND duplicate_of IS NULL
             AND id <> ?",
    )
    .bind(cx.company().id.to_string())
    .bind(nif)
    .bind(except.map(|u| u.to_string()).unwrap_or_default())
    .fetch_optional(conn)
    .await?;
    match other {
        Some(other) => Err(CoreError::DuplicateNif { nif: nif.to_string(), other }),
        None => Ok(()),
    }
}

/// Creates a customer after validating every field; stores nothing if any field is wrong.
pub async fn create(cx: &Ctx, input: &CustomerInput) -> CoreResult<Customer> {
    let v = validate(input).map_err(CoreError::Invalid)?;
    let mut w = cx.write().await?;
    check_unique_nif(w.conn(), cx, &v, None).await?;
    let created = new_record(v, cx.company().id, w.now_time()?);
    w.insert(&created).await?;
    w.commit().await?;
    Ok(created)
}

/// The customer with the validated fields of a form.
fn with_fields(c: Customer, v: ValidCustomer) -> Customer {
    Customer {
        name: v.name,
        nif: v.nif,
        email: v.email,
        phone: v.phone,
        address: v.address,
        postal_code: v.postal_code,
        city: v.city,
        country: v.country,
        payment_terms_days: v.payment_terms_days,
        notes: v.notes,
        withholding_rate: v.withholding,
        ..c
    }
}

/// Reads a live customer of the company inside a write transaction (the "before" of an edit).
async fn fetch_in(conn: &mut sqlx::SqliteConnection, cx: &Ctx, id: Uuid) -> CoreResult<Customer> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM customers WHERE id = ? AND company_id = ? AND deleted_at IS NULL"))
            .bind(id.to_string())
            .bind(cx.company().id.to_string())
            .fetch_optional(conn)
            .await?
            .ok_or(CoreError::NotFound { what: "customer" })?;
    from_row(&row)
}

/// Every live customer of a company not marked as a duplicate, read on `conn` (an import matches against
/// them inside its write transaction, so what it merged with is what it writes over).
pub(crate) async fn all_live(conn: &mut sqlx::SqliteConnection, company: Uuid) -> CoreResult<Vec<Customer>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM customers WHERE company_id = ? AND deleted_at IS NULL AND duplicate_of IS NULL"
    ))
    .bind(company.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The customer rows of `ids` (any company, tombstones included) in one query: for the apply path of a pull.
pub(crate) async fn load_many(conn: &mut sqlx::SqliteConnection, ids: &[Uuid]) -> CoreResult<Vec<Customer>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM customers WHERE id IN (SELECT value FROM json_each(?))"))
        .bind(codec::ids_json(ids))
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Replaces a customer's fields after validating them.
pub async fn update(cx: &Ctx, id: Uuid, input: &CustomerInput) -> CoreResult<Customer> {
    let v = validate(input).map_err(CoreError::Invalid)?;
    let mut w = cx.write().await?;
    let before = fetch_in(w.conn(), cx, id).await?;
    check_unique_nif(w.conn(), cx, &v, Some(id)).await?;
    let mut after = with_fields(before.clone(), v);
    if w.update(&before, &after).await? {
        after.updated_at = w.now_time()?;
    }
    w.commit().await?;
    Ok(after)
}

/// Archives (hides from lists and pickers) or restores a customer.
pub async fn set_archived(cx: &Ctx, id: Uuid, archived: bool) -> CoreResult<Customer> {
    let mut w = cx.write().await?;
    let before = fetch_in(w.conn(), cx, id).await?;
    let mut after = Customer { archived, ..before.clone() };
    if w.update(&before, &after).await? {
        after.updated_at = w.now_time()?;
    }
    w.commit().await?;
    Ok(after)
}

/// Customers sync field by field; the folded name and search words are recomputed wherever the row is.
impl Entity for Customer {
    const TABLE: &'static str = "customers";
    const COLUMNS: &'static [Column] = &[
        col("company_id", Policy::Fixed),
        col("name", Policy::Mergeable),
        col("name_key", Policy::Derived),
        col("nif", Policy::Mergeable),
        col("email", Policy::Mergeable),
        col("phone", Policy::Mergeable),
        col("address", Policy::Mergeable),
        col("postal_code", Policy::Mergeable),
        col("city", Policy::Mergeable),
        col("country", Policy::Mergeable),
        col("payment_terms_days", Policy::Mergeable),
        col("notes", Policy::Mergeable),
        col("withholding_rate", Policy::Mergeable),
        col("archived", Policy::Mergeable),
        col("search_text", Policy::Derived),
        col("created_at", Policy::Fixed),
    ];
    const NATURAL_KEYS: &'static [NaturalKey] =
        &[NaturalKey { columns: &["company_id", "nif"], only_where: "nif <> '999999990'" }];
    fn id(&self) -> Uuid {
        self.id
    }
    fn company_id(&self) -> Uuid {
        self.company_id
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.company_id.into(),
            self.name.as_str().into(),
            fold(&self.name).into(),
            self.nif.clone().into(),
            self.email.clone().into(),
            self.phone.clone().into(),
            self.address.clone().into(),
            self.postal_code.clone().into(),
            self.city.clone().into(),
            self.country.as_str().into(),
            self.payment_terms_days.map(i64::from).into(),
            self.notes.clone().into(),
            self.withholding_rate.map(|p| codec::decimal_text(p.0)).into(),
            self.archived.into(),
            search_text(self).into(),
            codec::time_text(self.created_at).into(),
        ]
    }
}
