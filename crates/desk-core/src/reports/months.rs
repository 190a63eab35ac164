//! Whole months of a report come from per-month summaries (migration 0021) rather than from every document:
//! a period is cut into whole months and the days at its ends; a month is built from the documents by the first
//! report that needs it, and a trigger drops it when a document enters or leaves its sales.

use super::{month_sums, SALES};
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

/// What `report_months` holds for a month while it is being built: the triggers delete the row if a sale enters
/// or leaves the month meanwhile, which tells the build its sums are stale before it writes them.
const BUILDING: &str = "building";

/// Builds one month's summaries from its documents. They are read and added up without holding the writer (a
/// month of 12k documents takes a few hundred ms); the writer is taken only to write the sums, and only if the
/// month's fence is still there. After two tries cut short by sales arriving, the month is read under the writer.
async fn build(cx: &Ctx, month: Month) -> CoreResult<()> {
    let Some(start) = month_first_day(month) else { return Ok(()) };
    let (from, to) = (start.to_string(), last_day(start).to_string());
    let company = cx.company().id.to_string();
    let rounding = cx.fiscal().rounding;
    for _ in 0..2 {
        let mut w = cx.write().await?;
        sqlx::query("INSERT OR REPLACE INTO report_months (company_id, month, rounding) VALUES (?, ?, ?)")
            .bind(&company)
            .bind(month)
            .bind(BUILDING)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        let sums = {
            let mut conn = cx.store().reader().acquire().await?;
            month_sums::read(&mut conn, &company, &from, &to, rounding).await?
        };
        let mut w = cx.write().await?;
        let fence: Option<String> =
            sqlx::query_scalar("SELECT rounding FROM report_months WHERE company_id = ? AND month = ?")
                .bind(&company)
                .bind(month)
                .fetch_optional(w.conn())
                .await?;
        if fence.as_deref() == Some(BUILDING) {
            month_sums::write(w.conn(), &company, month, rounding, &sums).await?;
            return w.commit().await;
        }
    }
    let mut w = cx.write().await?;
    let sums = month_sums::read(w.conn(), &company, &from, &to, rounding).await?;
    month_sums::write(w.conn(), &company, month, rounding, &sums).await?;
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
