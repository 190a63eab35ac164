//! Reports over the local cache (issue 17): sales by month, customer or product; the VAT summary per zone and
//! rate; aged receivables and overdue documents per customer. Sums in SQL add whole cents only (exact); the VAT
//! summary is each document's desk-model summary (`compute_with`, the company's rounding) added in Rust.

use crate::codec;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::export::{Cell, Sheet};
use chrono::{Datelike, NaiveDate};
use desk_model::ipc::{
    age_bucket_starts, AgedReport, AgedRow, MonthSales, ReportData, ReportKind, ReportRequest, SalesBy, SalesOverview,
    SalesReport, SalesRow, VatReport, VatReportRow, AGE_BUCKETS,
};
use desk_model::money::{Money, Percent};
use desk_model::msg::{Lang, Localized};
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::Row;
use sqlx::Sqlite;
use std::collections::{BTreeMap, HashMap, HashSet};

mod month_sums;
mod months;
mod vat_cache;

/// The documents that are sales: issued invoices, simplified invoices, invoice-receipts, debit and credit
/// notes (credit notes subtract); drafts, quotes, receipts and cancelled documents are not.
const SALES: &str =
    "d.doc_type IN ('FT', 'FR', 'FS', 'ND', 'NC') AND d.state IN ('issued', 'unpaid', 'partially_paid', 'paid')";

/// Keeps every company's month summaries built while the app runs: shortly after it opens, then every two
/// minutes, it builds the months a report would otherwise build while someone waits (after a first pull or a
/// sample load, or the month a document was just issued in). Never touches the screen.
pub async fn background(base: Ctx) {
    let mut wait = std::time::Duration::from_secs(20);
    loop {
        tokio::time::sleep(wait).await;
        wait = std::time::Duration::from_secs(120);
        for c in crate::company::list(base.store()).await.unwrap_or_default() {
            let Ok(cx) = base.for_company(c.id).await else { continue };
            if let Err(e) = warm(&cx).await {
                tracing::warn!(error = %e, company = %c.id, "building the reports' month summaries");
            }
        }
    }
}

/// Builds the month summaries the company's sales need and lack (nothing when every month is built).
pub async fn warm(cx: &Ctx) -> CoreResult<()> {
    months::ensure(cx, months::EVER.0, months::EVER.1).await
}

/// A VAT summary row's place: zone, the code's order on the VAT return, code, exemption, rate.
type VatKey = (String, u8, String, String, String);

/// Credit notes subtract.
const SIGN: &str = "(CASE WHEN d.doc_type = 'NC' THEN -1 ELSE 1 END)";

fn check_period(from: NaiveDate, to: NaiveDate) -> CoreResult<()> {
    if from > to {
        return Err(CoreError::invalid(
            "from",
            Localized::new("A data inicial é posterior à final.", "The start date is after the end date."),
        ));
    }
    Ok(())
}

/// Rows read from the summaries and the documents, added up by key.
#[derive(Default)]
struct Groups(HashMap<String, SalesRow>);

impl Groups {
    fn add(&mut self, key: String, label: String, documents: i64, net: i64, total: i64) {
        let row = self.0.entry(key).or_insert_with_key(|k| SalesRow {
            key: k.clone(),
            label,
            documents: 0,
            net: Money::ZERO,
            total: Money::ZERO,
        });
        row.documents += u64::try_from(documents).unwrap_or(0);
        row.net += Money::from_cents(net);
        row.total += Money::from_cents(total);
    }

    fn add_row(&mut self, r: SalesRow) {
        let row = self.0.entry(r.key.clone()).or_insert_with(|| SalesRow {
            net: Money::ZERO,
            total: Money::ZERO,
            documents: 0,
            ..r.clone()
        });
        row.documents += r.documents;
        row.net += r.net;
        row.total += r.total;
    }

    fn add_rows(&mut self, rows: &[SqliteRow]) -> CoreResult<()> {
        for r in rows {
            self.add(r.try_get("k")?, r.try_get("label")?, r.try_get("n")?, r.try_get("net")?, r.try_get("total")?);
        }
        Ok(())
    }
}

/// Sales of the period, grouped, every row.
pub async fn sales(cx: &Ctx, from: NaiveDate, to: NaiveDate, by: SalesBy) -> CoreResult<SalesReport> {
    sales_top(cx, from, to, by, None).await
}

/// Sales of the period, grouped: the `limit` largest rows (customers and products; every month), totals over all.
/// Whole months come from the month summaries (`months`), the days at the period's ends from the documents
/// (months and customers from the covering index `documents_sales`: left to itself SQLite picked the state/type
/// index and read every row of the table for its amounts).
pub async fn sales_top(
    cx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
    by: SalesBy,
    limit: Option<usize>,
) -> CoreResult<SalesReport> {
    check_period(from, to)?;
    let plan = months::plan(cx, from, to).await?;
    let company = cx.company().id.to_string();
    let sales_ix = cx.store().indexed_by("documents_sales");
    let (mut count, mut net, mut total) = (0i64, 0i64, 0i64);
    // the ends first: the customers they hold are read whole from the summaries below
    let mut edges = Groups::default();
    for (a, b) in &plan.edges {
        let (a, b) = (a.to_string(), b.to_string());
        let rows = sqlx::query(&edge_sql(by, &sales_ix))
            .bind(&company)
            .bind(&a)
            .bind(&b)
            .fetch_all(cx.store().reader())
            .await?;
        edges.add_rows(&rows)?;
        let (n, enet, etotal): (i64, i64, i64) = sqlx::query_as(&format!(
            "SELECT count(*), coalesce(sum({SIGN} * d.net_cents), 0), coalesce(sum({SIGN} * d.total_cents), 0)
             FROM documents d{sales_ix} WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES}
               AND d.issue_date BETWEEN ?2 AND ?3"
        ))
        .bind(&company)
        .bind(&a)
        .bind(&b)
        .fetch_one(cx.store().reader())
        .await?;
        count += n;
        net += enet;
        total += etotal;
    }
    let mut groups = Groups::default();
    // whether the summaries hold more customers than were read
    let mut cut = false;
    if let Some((lo, hi)) = plan.months {
        months::ensure(cx, lo, hi).await?;
        let month_rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT month, documents, net_cents, total_cents FROM report_month_sales
             WHERE company_id = ?1 AND month BETWEEN ?2 AND ?3",
        )
        .bind(&company)
        .bind(lo)
        .bind(hi)
        .fetch_all(cx.store().reader())
        .await?;
        for (m, n, mnet, mtotal) in &month_rows {
            count += n;
            net += mnet;
            total += mtotal;
            if by == SalesBy::Month {
                groups.add(months::month_key(*m), months::month_key(*m), *n, *mnet, *mtotal);
            }
        }
        match by {
            SalesBy::Month => {}
            SalesBy::Product => {
                let rows = sqlx::query(
                    "SELECT coalesce(p.reference, g.description) AS k,
                            coalesce(p.reference || ' ' || p.name, g.description) AS label, g.n, g.net, 0 AS total
                     FROM (SELECT product_id, description, sum(documents) AS n, sum(net_cents) AS net
                           FROM report_month_products WHERE company_id = ?1 AND month BETWEEN ?2 AND ?3
                           GROUP BY product_id, description) g
                     LEFT JOIN products p ON p.id = nullif(g.product_id, '')",
                )
                .bind(&company)
                .bind(lo)
                .bind(hi)
                .fetch_all(cx.store().reader())
                .await?;
                groups.add_rows(&rows)?;
            }
            SalesBy::Customer => {
                // Up to 100k customers: the largest are found in SQL. Customers also at the ends are read apart
                // and whole, so the ones read by size are exact, and any customer left out is smaller than them.
                let at_ends: Vec<&String> = edges.0.keys().collect();
                let wanted = limit.map(|n| n + at_ends.len() + 1);
                let sums = "SELECT customer, sum(documents) AS n, sum(net_cents) AS net, sum(total_cents) AS total
                            FROM report_month_customers WHERE company_id = ?1 AND month BETWEEN ?2 AND ?3";
                let rows = sqlx::query(&format!(
                    "SELECT c.key AS k, c.label, g.n, g.net, g.total
                     FROM ({sums} GROUP BY customer) g JOIN report_customers c ON c.id = g.customer
                     ORDER BY g.net DESC, c.key LIMIT ?4"
                ))
                .bind(&company)
                .bind(lo)
                .bind(hi)
                .bind(wanted.map_or(-1, |w| i64::try_from(w).unwrap_or(i64::MAX)))
                .fetch_all(cx.store().reader())
                .await?;
                cut = wanted.is_some_and(|w| rows.len() >= w);
                let ends: HashSet<&str> = at_ends.iter().map(|k| k.as_str()).collect();
                for r in &rows {
                    let key: String = r.try_get("k")?;
                    if !ends.contains(key.as_str()) {
                        groups.add(key, r.try_get("label")?, r.try_get("n")?, r.try_get("net")?, r.try_get("total")?);
                    }
                }
                if !at_ends.is_empty() {
                    let rows = sqlx::query(
                        "SELECT c.key AS k, c.label, sum(m.documents) AS n, sum(m.net_cents) AS net,
                                sum(m.total_cents) AS total
                         FROM report_customers c
                         JOIN report_month_customers m ON m.company_id = c.company_id AND m.customer = c.id
                              AND m.month BETWEEN ?2 AND ?3
                         WHERE c.company_id = ?1 AND c.key IN (SELECT value FROM json_each(?4)) GROUP BY c.id",
                    )
                    .bind(&company)
                    .bind(lo)
                    .bind(hi)
                    .bind(serde_json::to_string(&at_ends).map_err(|e| CoreError::Decode(e.to_string()))?)
                    .fetch_all(cx.store().reader())
                    .await?;
                    groups.add_rows(&rows)?;
                }
            }
        }
    }
    for row in edges.0.into_values() {
        groups.add_row(row);
    }
    let mut rows: Vec<SalesRow> = groups.0.into_values().collect();
    match by {
        SalesBy::Month => rows.sort_by(|a, b| a.key.cmp(&b.key)),
        _ => rows.sort_by(|a, b| b.net.cmp(&a.net).then_with(|| a.key.cmp(&b.key))),
    }
    // products: the lines' amounts, before each document's global discount
    let net = if by == SalesBy::Product { rows.iter().map(|r| r.net).sum() } else { Money::from_cents(net) };
    let mut more = cut;
    if let Some(n) = limit.filter(|_| by != SalesBy::Month) {
        more |= rows.len() > n;
        rows.truncate(n);
    }
    Ok(SalesReport {
        by,
        from,
        to,
        rows,
        documents: u64::try_from(count).unwrap_or(0),
        net,
        total: Money::from_cents(total),
        more,
    })
}

/// The query of a sales report's groups over days read from the documents.
fn edge_sql(by: SalesBy, sales_ix: &str) -> String {
    match by {
        SalesBy::Month => format!(
            "SELECT substr(d.issue_date, 1, 7) AS k, substr(d.issue_date, 1, 7) AS label, count(*) AS n,
                    sum({SIGN} * d.net_cents) AS net, sum({SIGN} * d.total_cents) AS total
             FROM documents d{sales_ix} WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES}
               AND d.issue_date BETWEEN ?2 AND ?3 GROUP BY k"
        ),
        SalesBy::Customer => format!(
            "SELECT coalesce(d.customer_nif, d.customer_name) AS k, max(d.customer_name) AS label, count(*) AS n,
                    sum({SIGN} * d.net_cents) AS net, sum({SIGN} * d.total_cents) AS total
             FROM documents d{sales_ix} WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES}
               AND d.issue_date BETWEEN ?2 AND ?3 GROUP BY k"
        ),
        // line amounts are stored rounded to cents (desk-model's `LineAmounts::amount`): as whole cents their sum
        // is exact
        SalesBy::Product => format!(
            "SELECT coalesce(p.reference, l.description) AS k, coalesce(p.reference || ' ' || p.name, l.description) AS label,
                    count(DISTINCT d.id) AS n,
                    sum({SIGN} * CAST(round(CAST(l.amount AS REAL) * 100) AS INTEGER)) AS net, 0 AS total
             FROM documents d JOIN document_lines l ON l.document_id = d.id AND l.deleted_at IS NULL
             LEFT JOIN products p ON p.id = l.product_id
             WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES}
               AND d.issue_date BETWEEN ?2 AND ?3 GROUP BY k"
        ),
    }
}

/// The VAT summary of the period: each sales document's per-rate summary by desk-model (`vat_cache`, the
/// company's rounding), credit notes subtracting, added per zone, code, rate and exemption reason; whole months
/// from the month summaries, the days at the ends from the documents' summaries.
pub async fn vat(cx: &Ctx, from: NaiveDate, to: NaiveDate) -> CoreResult<VatReport> {
    check_period(from, to)?;
    let rounding = cx.fiscal().rounding;
    let plan = months::plan(cx, from, to).await?;
    let company = cx.company().id.to_string();
    let sales_ix = cx.store().indexed_by("documents_sales");
    // (zone, code's order, code, exemption, percent): the order of the VAT return
    let mut sums: BTreeMap<VatKey, (i64, i64)> = BTreeMap::new();
    let mut add = |r: &SqliteRow| -> CoreResult<()> {
        let code: String = r.try_get("code")?;
        let order = match code.as_str() {
            "NOR" => 0,
            "INT" => 1,
            "RED" => 2,
            "ISE" => 3,
            _ => 4,
        };
        let key = (r.try_get("zone")?, order, code, r.try_get("exemption")?, r.try_get("percent")?);
        let e = sums.entry(key).or_default();
        e.0 += r.try_get::<i64, _>("base")?;
        e.1 += r.try_get::<i64, _>("vat")?;
        Ok(())
    };
    let mut documents = 0i64;
    if let Some((lo, hi)) = plan.months {
        months::ensure(cx, lo, hi).await?;
        for r in sqlx::query(
            "SELECT zone, code, exemption, percent, sum(base_cents) AS base, sum(vat_cents) AS vat
             FROM report_month_vat WHERE company_id = ?1 AND month BETWEEN ?2 AND ?3
             GROUP BY zone, code, exemption, percent",
        )
        .bind(&company)
        .bind(lo)
        .bind(hi)
        .fetch_all(cx.store().reader())
        .await?
        {
            add(&r)?;
        }
        documents += sqlx::query_scalar::<_, i64>(
            "SELECT coalesce(sum(documents), 0) FROM report_month_sales WHERE company_id = ?1 AND month BETWEEN ?2 AND ?3",
        )
        .bind(&company)
        .bind(lo)
        .bind(hi)
        .fetch_one(cx.store().reader())
        .await?;
    }
    for (a, b) in &plan.edges {
        let (a, b) = (a.to_string(), b.to_string());
        vat_cache::refresh(cx, &a, &b, rounding).await?;
        for r in sqlx::query(&format!(
            "SELECT v.zone, v.code, v.exemption, v.percent, sum({SIGN} * v.base_cents) AS base, sum({SIGN} * v.vat_cents) AS vat
             FROM documents d
             JOIN document_vat_state s ON s.document_id = d.id AND s.updated_at = d.updated_at AND s.rounding = ?4
             JOIN document_vat v ON v.document_id = d.id
             WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3
             GROUP BY v.zone, v.code, v.exemption, v.percent"
        ))
        .bind(&company)
        .bind(&a)
        .bind(&b)
        .bind(rounding.as_str())
        .fetch_all(cx.store().reader())
        .await?
        {
            add(&r)?;
        }
        documents += sqlx::query_scalar::<_, i64>(&format!(
            "SELECT count(*) FROM documents d{sales_ix} WHERE d.company_id = ?1 AND d.deleted_at IS NULL
               AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3"
        ))
        .bind(&company)
        .bind(&a)
        .bind(&b)
        .fetch_one(cx.store().reader())
        .await?;
    }
    let mut rows = Vec::with_capacity(sums.len());
    for ((zone, _, code, exemption, percent), (base, vat)) in sums {
        rows.push(VatReportRow {
            zone,
            code,
            percent: Percent(codec::decimal(&percent)?),
            exemption: (!exemption.is_empty()).then_some(exemption),
            base: Money::from_cents(base),
            vat: Money::from_cents(vat),
        });
    }
    let base = rows.iter().map(|r| r.base).sum();
    let vat = rows.iter().map(|r| r.vat).sum();
    Ok(VatReport { from, to, rows, documents: u64::try_from(documents).unwrap_or(0), base, vat })
}

/// Open receivables on `today` per customer, by age since the due date (a document without one is due on its
/// date), most overdue first.
pub async fn aged(cx: &Ctx, today: NaiveDate) -> CoreResult<AgedReport> {
    aged_top(cx, today, None).await
}

/// Open receivables on `today`: the `limit` most overdue customers, totals over all. Added up in SQL over the
/// open documents' own small index (`documents_receivable`), each document put in its bucket by comparing its
/// due date with desk-model's bucket starts.
pub async fn aged_top(cx: &Ctx, today: NaiveDate, limit: Option<usize>) -> CoreResult<AgedReport> {
    let starts = age_bucket_starts(today).map(|d| d.to_string());
    let receivable_ix = cx.store().indexed_by("documents_receivable");
    let open = format!(
        "SELECT coalesce(customer_nif, customer_name) AS k, customer_name, customer_nif, open_cents,
                       CASE WHEN coalesce(due_date, issue_date) >= ?2 THEN 0 WHEN coalesce(due_date, issue_date) >= ?3 THEN 1
                            WHEN coalesce(due_date, issue_date) >= ?4 THEN 2 WHEN coalesce(due_date, issue_date) >= ?5 THEN 3
                            ELSE 4 END AS bucket
                FROM documents{receivable_ix} WHERE company_id = ?1 AND deleted_at IS NULL
                  AND open_cents > 0 AND state IN ('issued', 'unpaid', 'partially_paid')"
    );
    let sums = "sum(CASE bucket WHEN 0 THEN open_cents ELSE 0 END) AS b0, sum(CASE bucket WHEN 1 THEN open_cents ELSE 0 END) AS b1,
                sum(CASE bucket WHEN 2 THEN open_cents ELSE 0 END) AS b2, sum(CASE bucket WHEN 3 THEN open_cents ELSE 0 END) AS b3,
                sum(CASE bucket WHEN 4 THEN open_cents ELSE 0 END) AS b4, count(*) AS n, sum(bucket > 0) AS overdue";
    let company = cx.company().id.to_string();
    fn bind<'q>(sql: &'q str, company: &str, starts: &[String; 4]) -> Query<'q, Sqlite, SqliteArguments<'q>> {
        let mut q = sqlx::query(sql).bind(company.to_string());
        for s in starts {
            q = q.bind(s.clone());
        }
        q
    }
    let wanted = limit.map(|n| n + 1);
    let by_customer = format!(
        "SELECT k, max(customer_name) AS customer, max(customer_nif) AS nif, {sums}
         FROM ({open}) GROUP BY k ORDER BY b1 + b2 + b3 + b4 DESC, customer LIMIT ?6"
    );
    let rows = bind(&by_customer, &company, &starts)
        .bind(wanted.map_or(-1, |w| i64::try_from(w).unwrap_or(i64::MAX)))
        .fetch_all(cx.store().reader())
        .await?;
    let buckets_of = |r: &SqliteRow| -> CoreResult<[Money; 5]> {
        let mut b = [Money::ZERO; 5];
        for (i, m) in b.iter_mut().enumerate() {
            *m = Money::from_cents(r.try_get(format!("b{i}").as_str())?);
        }
        Ok(b)
    };
    let more = wanted.is_some_and(|w| rows.len() >= w);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows.iter().take(limit.unwrap_or(usize::MAX)) {
        let buckets = buckets_of(r)?;
        out.push(AgedRow {
            customer: r.try_get("customer")?,
            nif: r.try_get("nif")?,
            total: buckets.iter().copied().sum(),
            buckets,
            overdue_documents: u64::try_from(r.try_get::<i64, _>("overdue")?).unwrap_or(0),
            documents: u64::try_from(r.try_get::<i64, _>("n")?).unwrap_or(0),
        });
    }
    let all_sql = format!("SELECT {sums} FROM ({open})");
    let all = bind(&all_sql, &company, &starts).fetch_one(cx.store().reader()).await?;
    let buckets = buckets_of(&all)?;
    let total = buckets.iter().copied().sum();
    Ok(AgedReport { today, rows: out, buckets, total, more })
}

fn pick(lang: Lang, pt: &str, en: &str) -> String {
    if lang == Lang::Pt { pt } else { en }.to_string()
}

/// A period as a report's subtitle.
fn period(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Pt => format!("{} a {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")),
        Lang::En => format!("{from} to {to}"),
    }
}

/// A sales report as a sheet for CSV, XLSX or PDF.
pub fn sales_sheet(r: &SalesReport, lang: Lang) -> Sheet {
    let first = match r.by {
        SalesBy::Month => pick(lang, "Mês", "Month"),
        SalesBy::Customer => pick(lang, "Cliente", "Customer"),
        SalesBy::Product => pick(lang, "Artigo", "Product"),
    };
    let mut rows: Vec<Vec<Cell>> = r
        .rows
        .iter()
        .map(|s| {
            vec![
                Cell::Text(s.label.clone()),
                Cell::Int(i64::try_from(s.documents).unwrap_or(0)),
                Cell::Number(s.net.0, 2),
                Cell::Number(s.total.0, 2),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text(pick(lang, "Total", "Total")),
        Cell::Int(i64::try_from(r.documents).unwrap_or(0)),
        Cell::Number(r.net.0, 2),
        Cell::Number(r.total.0, 2),
    ]);
    Sheet {
        subtitle: period(r.from, r.to, lang),
        name: pick(lang, "Vendas", "Sales"),
        headers: vec![
            first,
            pick(lang, "Documentos", "Documents"),
            pick(lang, "Líquido", "Net"),
            pick(lang, "Total", "Total"),
        ],
        rows,
    }
}

/// The VAT summary as a sheet.
pub fn vat_sheet(r: &VatReport, lang: Lang) -> Sheet {
    let mut rows: Vec<Vec<Cell>> = r
        .rows
        .iter()
        .map(|v| {
            vec![
                Cell::Text(v.zone.clone()),
                Cell::Text(v.code.clone()),
                Cell::Number(v.percent.0, 0),
                v.exemption.clone().into(),
                Cell::Number(v.base.0, 2),
                Cell::Number(v.vat.0, 2),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text(pick(lang, "Total", "Total")),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Number(r.base.0, 2),
        Cell::Number(r.vat.0, 2),
    ]);
    Sheet {
        subtitle: period(r.from, r.to, lang),
        name: pick(lang, "Resumo do IVA", "VAT summary"),
        headers: vec![
            pick(lang, "Zona", "Zone"),
            pick(lang, "Código", "Code"),
            pick(lang, "Taxa %", "Rate %"),
            pick(lang, "Isenção", "Exemption"),
            pick(lang, "Base tributável", "Taxable base"),
            pick(lang, "IVA", "VAT"),
        ],
        rows,
    }
}

/// Aged receivables as a sheet.
pub fn aged_sheet(r: &AgedReport, lang: Lang) -> Sheet {
    let mut headers = vec![pick(lang, "Cliente", "Customer"), "NIF".to_string()];
    headers.extend(AGE_BUCKETS.iter().map(|(pt, en)| pick(lang, pt, en)));
    headers.extend([pick(lang, "Total", "Total"), pick(lang, "Documentos vencidos", "Overdue documents")]);
    let mut rows: Vec<Vec<Cell>> = r
        .rows
        .iter()
        .map(|a| {
            let mut row = vec![Cell::Text(a.customer.clone()), a.nif.clone().into()];
            row.extend(a.buckets.iter().map(|m| Cell::Number(m.0, 2)));
            row.push(Cell::Number(a.total.0, 2));
            row.push(Cell::Int(i64::try_from(a.overdue_documents).unwrap_or(0)));
            row
        })
        .collect();
    let mut total = vec![Cell::Text(pick(lang, "Total", "Total")), Cell::Empty];
    total.extend(r.buckets.iter().map(|m| Cell::Number(m.0, 2)));
    total.push(Cell::Number(r.total.0, 2));
    total.push(Cell::Empty);
    rows.push(total);
    let on = match lang {
        Lang::Pt => format!("Em {}", r.today.format("%d/%m/%Y")),
        Lang::En => format!("On {}", r.today),
    };
    Sheet { name: pick(lang, "Antiguidade de saldos", "Aged receivables"), subtitle: on, headers, rows }
}

/// A report as the reports screen asks for it.
pub async fn get(cx: &Ctx, r: &ReportRequest) -> CoreResult<ReportData> {
    let limit = r.limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    Ok(match r.kind {
        ReportKind::Sales => ReportData::Sales(sales_top(cx, r.from, r.to, r.by, limit).await?),
        ReportKind::Vat => ReportData::Vat(vat(cx, r.from, r.to).await?),
        ReportKind::Aged => ReportData::Aged(aged_top(cx, r.to, limit).await?),
    })
}

/// A report as a sheet, for CSV or XLSX.
pub fn sheet(data: &ReportData, lang: Lang) -> Sheet {
    match data {
        ReportData::Sales(r) => sales_sheet(r, lang),
        ReportData::Vat(r) => vat_sheet(r, lang),
        ReportData::Aged(r) => aged_sheet(r, lang),
    }
}

/// The same day a year before (28 February for 29 February).
fn a_year_before(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1).or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28)).unwrap_or(d)
}

/// The dashboard's sales: this month and this year against the same days last year, the year's top five
/// customers, and each month of the year against last year's (`today`: the computer's date when `None`).
pub async fn overview(cx: &Ctx, today: Option<NaiveDate>) -> CoreResult<SalesOverview> {
    let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let jan1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let month1 = today.with_day(1).unwrap_or(today);
    let ly_today = a_year_before(today);
    let (ly_jan1, ly_month1) = (a_year_before(jan1), a_year_before(month1));
    let this = sales(cx, jan1, today, SalesBy::Month).await?;
    let ly_end = NaiveDate::from_ymd_opt(ly_today.year(), today.month(), 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(ly_today);
    let last = sales(cx, ly_jan1, ly_end, SalesBy::Month).await?;
    let month = sales(cx, month1, today, SalesBy::Month).await?.total;
    let month_last_year = sales(cx, ly_month1, ly_today, SalesBy::Month).await?.total;
    let year_last_year = sales(cx, ly_jan1, ly_today, SalesBy::Month).await?.total;
    // the year's five largest customers by net sales, as the report by customer ranks them
    let top = sales_top(cx, jan1, today, SalesBy::Customer, Some(5)).await?.rows;
    let months = (1..=today.month())
        .map(|m| {
            let key = format!("{}-{m:02}", today.year());
            let ly_key = format!("{}-{m:02}", today.year() - 1);
            let find =
                |rows: &[SalesRow], k: &str| rows.iter().find(|r| r.key == k).map(|r| r.total).unwrap_or(Money::ZERO);
            MonthSales { month: key.clone(), this_year: find(&this.rows, &key), last_year: find(&last.rows, &ly_key) }
        })
        .collect();
    Ok(SalesOverview { today, month, month_last_year, year: this.total, year_last_year, top_customers: top, months })
}
