//! The first screen's figures in one query over the local cache. The sums add stored whole-cent amounts that
//! desk-model computed (no tax arithmetic here); the open balance of a set is desk-model's open balance of its sums.

use crate::context::Ctx;
use crate::error::CoreResult;
use chrono::{Datelike, Local, NaiveDate};
use desk_model::ipc::{CountAmount, Dashboard};
use desk_model::money::Money;

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Drafts waiting, the issue queue, unpaid and overdue totals, and this month's sales, as of `today`
/// (the computer's date when `None`).
pub async fn get(cx: &Ctx, today: Option<NaiveDate>) -> CoreResult<Dashboard> {
    let today = today.unwrap_or_else(|| Local::now().date_naive());
    let month_start = today.with_day(1).unwrap_or(today);
    let row: (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT
            count(*) FILTER (WHERE state = 'draft'),
            coalesce(sum(total_cents) FILTER (WHERE state = 'draft'), 0),
            count(*) FILTER (WHERE state IN ('issue_requested', 'issuing')),
            count(*) FILTER (WHERE open_cents > 0),
            coalesce(sum(open_cents) FILTER (WHERE open_cents > 0), 0),
            count(*) FILTER (WHERE open_cents > 0 AND due_date < ?1),
            coalesce(sum(open_cents) FILTER (WHERE open_cents > 0 AND due_date < ?1), 0),
            coalesce(sum(net_cents) FILTER (WHERE sale AND doc_type <> 'NC'), 0),
            coalesce(sum(net_cents) FILTER (WHERE sale AND doc_type = 'NC'), 0),
            coalesce(sum(total_cents) FILTER (WHERE sale AND doc_type <> 'NC'), 0),
            coalesce(sum(total_cents) FILTER (WHERE sale AND doc_type = 'NC'), 0),
            0
         FROM (SELECT state, total_cents, open_cents, due_date, net_cents, doc_type,
                      (doc_type IN ('FT', 'FR', 'FS', 'ND', 'NC') AND state IN ('issued', 'unpaid', 'partially_paid', 'paid')
                       AND issue_date >= ?2 AND issue_date <= ?1) AS sale
               FROM documents WHERE company_id = ?3 AND deleted_at IS NULL
                 AND (state IN ('draft', 'issue_requested', 'issuing') OR open_cents > 0 OR issue_date >= ?2))",
    )
    .bind(today.to_string())
    .bind(month_start.to_string())
    .bind(cx.company().id.to_string())
    .fetch_one(cx.store().reader())
    .await?;
    let (
        drafts,
        drafts_cents,
        queue,
        unpaid,
        unpaid_cents,
        overdue,
        overdue_cents,
        net_sales,
        net_credits,
        sales,
        credits,
        _,
    ) = row;
    Ok(Dashboard {
        today,
        drafts: CountAmount { count: count(drafts), amount: Money::from_cents(drafts_cents) },
        issue_queue: count(queue),
        unpaid: CountAmount { count: count(unpaid), amount: Money::from_cents(unpaid_cents) },
        overdue: CountAmount { count: count(overdue), amount: Money::from_cents(overdue_cents) },
        month_sales_net: Money::from_cents(net_sales) - Money::from_cents(net_credits),
        month_sales_total: Money::from_cents(sales) - Money::from_cents(credits),
    })
}
