//! The documents list: filters (type, state, customer, date range, overdue), four sort orders each backed by an
//! index, keyset pages (no OFFSET: a page costs the same at row 400 000 as at row 0) and the count of matches
//! (exact up to [`COUNT_CAP`], "more than" past it).

use super::{draft_label, parse_state, parse_type};
use crate::codec;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use chrono::Local;
use desk_model::document::is_overdue;
use desk_model::ipc::{DocumentQuery, DocumentRow, DocumentSort, Page};
use desk_model::money::Money;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

/// Rows per page when the caller does not say.
pub const DEFAULT_PAGE: u32 = 50;
/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 500;

const ROW_COLUMNS: &str =
    "d.id, d.doc_type, d.state, d.draft_number, d.fiscal_number, d.customer_id, d.customer_name, \
     d.customer_nif, d.issue_date, d.due_date, d.total, d.open_cents, d.number_key, d.customer_key, d.total_cents";

/// A filtered list counts its matches up to this many and then reports "more than COUNT_CAP": counting 170k
/// index entries cost 15–20 ms, most of a page's budget, for a figure nobody reads to the unit.
pub const COUNT_CAP: u64 = 10_000;

/// Above this many matches a page walks the sort's own index (each entry tested from the index's filter
/// columns) instead of letting SQLite collect and sort every match.
const WALK_SORT_INDEX_FROM: u64 = 2000;

/// The index that serves a sort column (migration 0005); for an overdue list, its twin over open documents
/// only, which carries the due date (migration 0007).
fn sort_index(col: &str, overdue: bool) -> &'static str {
    match (col, overdue) {
        ("number_key", false) => "documents_by_number",
        ("customer_key", false) => "documents_by_customer_name",
        ("total_cents", false) => "documents_by_total",
        (_, false) => "documents_by_date",
        ("number_key", true) => "documents_open_by_number",
        ("customer_key", true) => "documents_open_by_customer_name",
        ("total_cents", true) => "documents_open_by_total",
        (_, true) => "documents_open_by_date",
    }
}

/// Number order with a type filter: the number key starts with the type's series, so one type's documents are a
/// block of the number index, far from the others'. Each type is read from its own range of
/// `documents_by_type_number` (migration 0007) and SQLite merges the ranges in order (a compound ORDER BY).
/// (An overdue list walks the open documents' own number index instead, a small one.)
fn by_type_number(q: &DocumentQuery, col: &str) -> bool {
    col == "number_key" && !q.doc_types.is_empty() && q.customer_id.is_none() && !q.overdue
}

fn is_unfiltered(q: &DocumentQuery) -> bool {
    q.doc_types.is_empty()
        && q.states.is_empty()
        && q.customer_id.is_none()
        && q.date_from.is_none()
        && q.date_to.is_none()
        && !q.overdue
}

/// The column a sort orders by, and whether it is descending.
fn sort_key(sort: DocumentSort) -> (&'static str, bool) {
    match sort {
        DocumentSort::DateDesc => ("issue_date", true),
        DocumentSort::DateAsc => ("issue_date", false),
        DocumentSort::NumberDesc => ("number_key", true),
        DocumentSort::NumberAsc => ("number_key", false),
        DocumentSort::CustomerAsc => ("customer_key", false),
        DocumentSort::CustomerDesc => ("customer_key", true),
        DocumentSort::TotalDesc => ("total_cents", true),
        DocumentSort::TotalAsc => ("total_cents", false),
    }
}

/// Adds the WHERE clause; `one_type` replaces the type filter by that one type (an arm of the per-type merge).
fn push_filters(
    q: &mut QueryBuilder<'_, Sqlite>,
    cx: &Ctx,
    query: &DocumentQuery,
    today: &str,
    one_type: Option<&'static str>,
) {
    q.push(" WHERE d.company_id = ").push_bind(cx.company().id.to_string()).push(" AND d.deleted_at IS NULL");
    if let Some(t) = one_type {
        q.push(" AND d.doc_type = ").push_bind(t);
    } else if !query.doc_types.is_empty() {
        q.push(" AND d.doc_type IN (");
        let mut sep = q.separated(", ");
        for t in &query.doc_types {
            sep.push_bind(t.saft_code());
        }
        q.push(")");
    }
    if !query.states.is_empty() {
        q.push(" AND d.state IN (");
        let mut sep = q.separated(", ");
        for s in &query.states {
            sep.push_bind(super::state_str(*s));
        }
        q.push(")");
    }
    if let Some(c) = query.customer_id {
        q.push(" AND d.customer_id = ").push_bind(c.to_string());
    }
    if let Some(from) = query.date_from {
        q.push(" AND d.issue_date >= ").push_bind(from.to_string());
    }
    if let Some(to) = query.date_to {
        q.push(" AND d.issue_date <= ").push_bind(to.to_string());
    }
    if query.overdue {
        // desk-model's is_overdue: due before today with an open balance (the partial index covers exactly this).
        q.push(" AND d.open_cents > 0 AND d.due_date < ").push_bind(today.to_string());
    }
}

fn row_from(row: &SqliteRow, today: chrono::NaiveDate) -> CoreResult<DocumentRow> {
    let doc_type = parse_type(row.try_get("doc_type")?)?;
    let fiscal: Option<String> = row.try_get("fiscal_number")?;
    let due: Option<String> = row.try_get("due_date")?;
    let due_date = due.as_deref().map(codec::date).transpose()?;
    let open = Money::from_cents(row.try_get("open_cents")?);
    let draft_number: Option<i64> = row.try_get("draft_number")?;
    Ok(DocumentRow {
        id: codec::uuid(row.try_get("id")?)?,
        doc_type,
        state: parse_state(row.try_get("state")?)?,
        number: fiscal.clone().unwrap_or_else(|| draft_label(doc_type, draft_number)),
        fiscal_number: fiscal,
        draft_number,
        customer_id: codec::opt_uuid(row.try_get("customer_id")?)?,
        customer_name: row.try_get("customer_name")?,
        customer_nif: row.try_get("customer_nif")?,
        date: codec::date(row.try_get("issue_date")?)?,
        due_date,
        total: Money(codec::decimal(row.try_get("total")?)?),
        open_balance: open,
        overdue: is_overdue(due_date, open, today),
    })
}

/// Reads the count a cursor carries: `1234` (exact) or `10000+` (a lower bound).
fn carried_total(text: &str) -> Option<(u64, bool)> {
    match text.strip_suffix('+') {
        Some(n) => n.parse().ok().map(|n| (n, true)),
        None => text.parse().ok().map(|n| (n, false)),
    }
}

/// The keyset condition: rows after `(key, id)` in the sort order.
fn push_after(
    q: &mut QueryBuilder<'_, Sqlite>,
    col: &str,
    desc: bool,
    after: &Option<(String, String)>,
) -> CoreResult<()> {
    let Some((key, id)) = after else {
        return Ok(());
    };
    q.push(format!(" AND (d.{col}, d.id) {} (", if desc { "<" } else { ">" }));
    if col == "total_cents" {
        let cents: i64 = key.parse().map_err(|_| {
            CoreError::invalid(
                "after",
                desk_model::msg::Localized::new(
                    "Página inválida: volte ao início da lista.",
                    "Invalid page: go back to the start of the list.",
                ),
            )
        })?;
        q.push_bind(cents);
    } else {
        q.push_bind(key.clone());
    }
    q.push(", ").push_bind(id.clone()).push(")");
    Ok(())
}

/// A page of documents of the current company, filtered and sorted as asked, with the count of all matches
/// (exact for an unfiltered list and up to [`COUNT_CAP`], else a lower bound: `total_is_lower_bound`).
pub async fn list(cx: &Ctx, query: &DocumentQuery) -> CoreResult<Page<DocumentRow>> {
    let limit = match query.limit {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    };
    let today = query.today.unwrap_or_else(|| Local::now().date_naive());
    let today_text = today.to_string();
    let (col, desc) = sort_key(query.sort);
    let pool = cx.store().reader();
    let company = cx.company().id.to_string();
    // The count: carried in the cursor after the first page; for an unfiltered list, the table's row count
    // (which SQLite keeps without scanning) less tombstones and other companies' rows; else from the indexes.
    let mut after = None;
    let mut total: Option<(u64, bool)> = None;
    if let Some(cursor) = &query.after {
        let (key, rest) = codec::decode_cursor(cursor)?;
        let (id, carried) = rest.split_once('\u{1f}').unwrap_or((rest.as_str(), ""));
        total = carried_total(carried);
        after = Some((key, id.to_string()));
    }
    let (total, lower_bound) = match total {
        Some(t) => t,
        None if is_unfiltered(query) => {
            let n: i64 = sqlx::query_scalar(
                "SELECT (SELECT count(*) FROM documents)
                      - (SELECT count(*) FROM documents WHERE deleted_at IS NOT NULL)
                      - (SELECT count(*) FROM documents WHERE company_id < ?1 AND deleted_at IS NULL)
                      - (SELECT count(*) FROM documents WHERE company_id > ?1 AND deleted_at IS NULL)",
            )
            .bind(&company)
            .fetch_one(pool)
            .await?;
            (u64::try_from(n).unwrap_or(0), false)
        }
        None => {
            // Stop after COUNT_CAP + 1 matches: that one more says "more than COUNT_CAP".
            let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM (SELECT 1 FROM documents d");
            push_filters(&mut count, cx, query, &today_text, None);
            count.push(" LIMIT ").push_bind(i64::try_from(COUNT_CAP + 1).unwrap_or(i64::MAX)).push(")");
            let n = u64::try_from(count.build_query_scalar::<i64>().fetch_one(pool).await?).unwrap_or(0);
            if n > COUNT_CAP {
                (COUNT_CAP, true)
            } else {
                (n, false)
            }
        }
    };

    let dir = if desc { "DESC" } else { "ASC" };
    let dense = total >= WALK_SORT_INDEX_FROM;
    let mut q = QueryBuilder::<Sqlite>::new("");
    if dense && by_type_number(query, col) {
        // each type once: a repeated type would repeat its rows
        let mut types: Vec<&'static str> = Vec::with_capacity(query.doc_types.len());
        for t in &query.doc_types {
            if !types.contains(&t.saft_code()) {
                types.push(t.saft_code());
            }
        }
        for (i, t) in types.into_iter().enumerate() {
            if i > 0 {
                q.push(" UNION ALL ");
            }
            q.push(format!(
                "SELECT {ROW_COLUMNS} FROM documents d{}",
                cx.store().indexed_by("documents_by_type_number")
            ));
            push_filters(&mut q, cx, query, &today_text, Some(t));
            push_after(&mut q, col, desc, &after)?;
        }
        // a compound ORDER BY names result columns
        q.push(format!(" ORDER BY {col} {dir}, id {dir} LIMIT "));
    } else {
        q.push(format!("SELECT {ROW_COLUMNS} FROM documents d"));
        if dense && query.customer_id.is_none() {
            q.push(cx.store().indexed_by(sort_index(col, query.overdue)));
        }
        push_filters(&mut q, cx, query, &today_text, None);
        push_after(&mut q, col, desc, &after)?;
        q.push(format!(" ORDER BY d.{col} {dir}, d.id {dir} LIMIT "));
    }
    q.push_bind(i64::from(limit) + 1);
    let rows = q.build().fetch_all(pool).await?;

    let more = rows.len() > limit as usize;
    let mut items = Vec::with_capacity(limit as usize);
    let mut next = None;
    for (i, row) in rows.iter().take(limit as usize).enumerate() {
        items.push(row_from(row, today)?);
        if more && i + 1 == limit as usize {
            let key = if col == "total_cents" {
                row.try_get::<i64, _>("total_cents")?.to_string()
            } else {
                row.try_get::<String, _>(col)?
            };
            let id: String = row.try_get("id")?;
            let carried = if lower_bound { format!("{total}+") } else { total.to_string() };
            next = Some(codec::encode_cursor(&key, &format!("{id}\u{1f}{carried}")));
        }
    }
    Ok(Page { items, next, total, total_is_lower_bound: lower_bound })
}
