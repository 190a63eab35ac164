//! Whole months of a report come from per-month summaries (migration 0021) rather than from every document:
//! a period is cut into whole months and the days at its ends; a month is built from the documents by the first
//! report that needs it, and a trigger drops it when a document enters or leaves its sales.

use super::{vat_cache, SALES};
use crate::context::Ctx;
use crate::error::CoreResult;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::{BTreeSet, HashSet};

/// A month as stored: YYYYMM.
pub(super) type Month = i64;

/// Every month a sale can be dated in.
pub(super) const EVER: (Month, Month) = (100_001, 999_912);

/// What a period reads: whole months from the summaries, the rest from the documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    /// The whole months, first and last (inclusive).
    pub months: Option<(Month, Month)>,
    /// Days read from the documents: the ends of the period that cut a month with sales outside it.
    pub edges: Vec<(NaiveDate, NaiveDate)>,
}

pub(super) fn month_of(d: NaiveDate) -> Month {
    i64::from(d.year()) * 100 + i64::from(d.month())
}

/// The month's key as reports show it: `2026-03`.
pub(super) fn month_key(m: Month) -> String {
    format!("{:04}-{:02}", m / 100, m % 100)
}

fn first_day(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn last_day(d: NaiveDate) -> NaiveDate {
    first_day(d).checked_add_months(Months::new(1)).and_then(|n| n.pred_opt()).unwrap_or(d)
}

fn month_first_day(m: Month) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(m / 100).ok()?, u32::try_from(m % 100).ok()?, 1)
}

fn next_month(m: Month) -> Month {
    if m % 100 == 12 {
        (m / 100 + 1) * 100 + 1
    } else {
        m + 1
    }
}

fn prev_month(m: Month) -> Month {
    if m % 100 == 1 {
        (m / 100 - 1) * 100 + 12
    } else {
        m - 1
    }
}

/// Whether the company has sales dated `from..=to`.
async fn has_sales(cx: &Ctx, from: NaiveDate, to: NaiveDate) -> CoreResult<bool> {
    if from > to {
        return Ok(false);
    }
    let sales_ix = cx.store().indexed_by("documents_sales");
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT 1 FROM documents d{sales_ix} WHERE d.company_id = ?1 AND d.deleted_at IS NULL
           AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3 LIMIT 1"
    ))
    .bind(cx.company().id.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_optional(cx.store().reader())
    .await?;
    Ok(found.is_some())
}

/// Cuts `from..=to` into whole months and edges. A month the period cuts still counts as whole when it has no
/// sales outside the period (this month up to today, usually).
pub(super) async fn plan(cx: &Ctx, from: NaiveDate, to: NaiveDate) -> CoreResult<Plan> {
    let head_whole =
        from == first_day(from) || !has_sales(cx, first_day(from), from.pred_opt().unwrap_or(from)).await?;
    let tail_whole = to == last_day(to) || !has_sales(cx, to.succ_opt().unwrap_or(to), last_day(to)).await?;
    let (first, last) = (month_of(from), month_of(to));
    if first == last {
        return Ok(if head_whole && tail_whole {
            Plan { months: Some((first, last)), edges: Vec::new() }
        } else {
            Plan { months: None, edges: vec![(from, to)] }
        });
    }
    let mut edges = Vec::new();
    let lo = if head_whole {
        first
    } else {
        edges.push((from, last_day(from)));
        next_month(first)
    };
    let hi = if tail_whole {
        last
    } else {
        edges.push((first_day(to), to));
        prev_month(last)
    };
    Ok(Plan { months: (lo <= hi).then_some((lo, hi)), edges })
}

/// Builds the summaries of the months `lo..=hi` that are not built (or were built with another rounding) and
/// have sales, or had them when last built (a month whose only sale was cancelled).
pub(super) async fn ensure(cx: &Ctx, lo: Month, hi: Month) -> CoreResult<()> {
    let company = cx.company().id.to_string();
    let rounding = cx.fiscal().rounding;
    let (Some(lo_day), Some(hi_day)) = (month_first_day(lo), month_first_day(hi).map(last_day)) else {
        return Ok(());
    };
    let built: HashSet<Month> = sqlx::query_scalar(
        "SELECT month FROM report_months WHERE company_id = ? AND month BETWEEN ? AND ? AND rounding = ?",
    )
    .bind(&company)
    .bind(lo)
    .bind(hi)
    .bind(rounding.as_str())
    .fetch_all(cx.store().reader())
    .await?
    .into_iter()
    .collect();
    let mut wanted: BTreeSet<Month> =
        sqlx::query_scalar("SELECT month FROM report_month_sales WHERE company_id = ? AND month BETWEEN ? AND ?")
            .bind(&company)
            .bind(lo)
            .bind(hi)
            .fetch_all(cx.store().reader())
            .await?
            .into_iter()
            .collect();
    // the months between the period's first and last sale
    let sales_ix = cx.store().indexed_by("documents_sales");
    let edge = |order: &str| {
        format!(
            "SELECT d.issue_date FROM documents d{sales_ix} WHERE d.company_id = ?1
               AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3 ORDER BY d.issue_date {order} LIMIT 1"
        )
    };
    let mut ends = Vec::with_capacity(2);
    for order in ["ASC", "DESC"] {
        let day: Option<String> = sqlx::query_scalar(&edge(order))
            .bind(&company)
            .bind(lo_day.to_string())
            .bind(hi_day.to_string())
            .fetch_optional(cx.store().reader())
            .await?;
        ends.extend(day.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()).map(month_of));
    }
    if let [first, last] = ends[..] {
        let mut m = first;
        while m <= last {
            wanted.insert(m);
            m = next_month(m);
        }
    }
    for m in wanted.into_iter().filter(|m| !built.contains(m)) {
        build(cx, m).await?;
    }
    Ok(())
}

/// Builds one month's summaries from its documents, in one write transaction (the documents' VAT summaries are
/// computed before it, so the writer is held for the sums only).
async fn build(cx: &Ctx, month: Month) -> CoreResult<()> {
    let Some(start) = month_first_day(month) else { return Ok(()) };
    let (from, to) = (start.to_string(), last_day(start).to_string());
    let company = cx.company().id.to_string();
    let rounding = cx.fiscal().rounding;
    vat_cache::refresh(cx, &from, &to, rounding).await?;
    let mut w = cx.write().await?;
    // what changed since the refresh (nearly always nothing): the sums below must see every document's summary
    let late = vat_cache::compute_stale(w.conn(), &company, &from, &to, rounding).await?;
    vat_cache::store(w.conn(), &late, rounding).await?;
    for table in ["report_month_sales", "report_month_customers", "report_month_products", "report_month_vat"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE company_id = ? AND month = ?"))
            .bind(&company)
            .bind(month)
            .execute(w.conn())
            .await?;
    }
    let sign = "(CASE WHEN d.doc_type = 'NC' THEN -1 ELSE 1 END)";
    let sales_ix = cx.store().indexed_by("documents_sales");
    let sales = format!(
        "FROM documents d{sales_ix} WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES}
           AND d.issue_date BETWEEN ?2 AND ?3"
    );
    let statements = [
        format!(
            "INSERT INTO report_month_sales (company_id, month, documents, net_cents, total_cents)
             SELECT ?1, ?4, count(*), sum({sign} * d.net_cents), sum({sign} * d.total_cents) {sales} HAVING count(*) > 0"
        ),
        // the customer's label: its name on the newest sale with its key
        format!(
            "INSERT INTO report_customers (company_id, key, label, label_date)
             SELECT ?1, coalesce(d.customer_nif, d.customer_name), d.customer_name, max(d.issue_date) {sales}
             GROUP BY coalesce(d.customer_nif, d.customer_name)
             ON CONFLICT (company_id, key) DO UPDATE SET label = excluded.label, label_date = excluded.label_date
             WHERE excluded.label_date >= report_customers.label_date"
        ),
        format!(
            "INSERT INTO report_month_customers (company_id, customer, month, documents, net_cents, total_cents)
             SELECT ?1, c.id, ?4, count(*), sum({sign} * d.net_cents), sum({sign} * d.total_cents) {sales_c}
             GROUP BY c.id",
            sales_c = sales.replacen(
                "WHERE",
                "JOIN report_customers c ON c.company_id = d.company_id
                   AND c.key = coalesce(d.customer_nif, d.customer_name) WHERE",
                1
            )
        ),
        // line amounts are stored rounded to cents (desk-model's `LineAmounts::amount`): as whole cents their sum
        // is exact
        format!(
            "INSERT INTO report_month_products (company_id, month, product_id, description, documents, net_cents)
             SELECT ?1, ?4, coalesce(p.id, ''), CASE WHEN p.id IS NULL THEN l.description ELSE '' END,
                    count(DISTINCT d.id), sum({sign} * CAST(round(CAST(l.amount AS REAL) * 100) AS INTEGER))
             FROM documents d JOIN document_lines l ON l.document_id = d.id AND l.deleted_at IS NULL
             LEFT JOIN products p ON p.id = l.product_id
             WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3
             GROUP BY 3, 4"
        ),
        format!(
            "INSERT INTO report_month_vat (company_id, month, zone, code, exemption, percent, base_cents, vat_cents)
             SELECT ?1, ?4, v.zone, v.code, v.exemption, v.percent, sum({sign} * v.base_cents), sum({sign} * v.vat_cents)
             FROM documents d
             JOIN document_vat_state s ON s.document_id = d.id AND s.updated_at = d.updated_at AND s.rounding = ?5
             JOIN document_vat v ON v.document_id = d.id
             WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3
             GROUP BY v.zone, v.code, v.exemption, v.percent"
        ),
        "INSERT OR REPLACE INTO report_months (company_id, month, rounding) VALUES (?1, ?4, ?5)".to_string(),
    ];
    for sql in &statements {
        sqlx::query(sql)
            .bind(&company)
            .bind(&from)
            .bind(&to)
            .bind(month)
            .bind(rounding.as_str())
            .execute(w.conn())
            .await?;
    }
    w.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_over_the_year() {
        assert_eq!(next_month(202612), 202701);
        assert_eq!(prev_month(202701), 202612);
        assert_eq!(month_key(202603), "2026-03");
        let d = NaiveDate::from_ymd_opt(2028, 2, 10).expect("date");
        assert_eq!(last_day(d), NaiveDate::from_ymd_opt(2028, 2, 29).expect("leap day"));
        assert_eq!(month_first_day(month_of(d)), NaiveDate::from_ymd_opt(2028, 2, 1));
    }
}
