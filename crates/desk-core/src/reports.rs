//! Reports over the local cache (issue 17): sales by month, customer or product; the VAT summary per zone and
//! rate; aged receivables and overdue documents per customer. Sums in SQL add whole cents only (exact); the VAT
//! summary is each document's desk-model summary (`compute_with`, the company's rounding) added in Rust.

use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::export::{Cell, Sheet};
use crate::{codec, products};
use chrono::{Datelike, NaiveDate};
use desk_model::document::{compute_with, DocType, DraftDocument, DraftLine};
use desk_model::ipc::{
    age_bucket, AgedReport, AgedRow, MonthSales, ReportData, ReportKind, ReportRequest, SalesBy, SalesOverview,
    SalesReport, SalesRow, VatReport, VatReportRow, AGE_BUCKETS,
};
use desk_model::money::{Money, Percent, Quantity, UnitPrice};
use desk_model::msg::{Lang, Localized};
use sqlx::{QueryBuilder, Row, Sqlite};
use std::collections::BTreeMap;

/// The documents that are sales: issued invoices, simplified invoices, invoice-receipts, debit and credit
/// notes (credit notes subtract); drafts, quotes, receipts and cancelled documents are not.
const SALES: &str =
    "d.doc_type IN ('FT', 'FR', 'FS', 'ND', 'NC') AND d.state IN ('issued', 'unpaid', 'partially_paid', 'paid')";

fn check_period(from: NaiveDate, to: NaiveDate) -> CoreResult<()> {
    if from > to {
        return Err(CoreError::invalid(
            "from",
            Localized::new("A data inicial é posterior à final.", "The start date is after the end date."),
        ));
    }
    Ok(())
}

/// Sales of the period, grouped. Months and customers read the covering index `documents_sales` (named: left
/// to itself SQLite picked the state/type index and read every row of the table for its amounts).
pub async fn sales(cx: &Ctx, from: NaiveDate, to: NaiveDate, by: SalesBy) -> CoreResult<SalesReport> {
    check_period(from, to)?;
    let sign = "(CASE WHEN d.doc_type = 'NC' THEN -1 ELSE 1 END)";
    let sql = match by {
        SalesBy::Month => format!(
            "SELECT substr(d.issue_date, 1, 7) AS k, substr(d.issue_date, 1, 7) AS label, count(*) AS n,
                    sum({sign} * d.net_cents) AS net, sum({sign} * d.total_cents) AS total
             FROM documents d INDEXED BY documents_sales WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES}
               AND d.issue_date BETWEEN ?2 AND ?3 GROUP BY k ORDER BY k"
        ),
        SalesBy::Customer => format!(
            "SELECT coalesce(d.customer_nif, d.customer_name) AS k, max(d.customer_name) AS label, count(*) AS n,
                    sum({sign} * d.net_cents) AS net, sum({sign} * d.total_cents) AS total
             FROM documents d INDEXED BY documents_sales WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES}
               AND d.issue_date BETWEEN ?2 AND ?3 GROUP BY k ORDER BY net DESC, k"
        ),
        // line amounts are stored rounded to cents (desk-model's `LineAmounts::amount`): as whole cents their
        // sum is exact
        SalesBy::Product => format!(
            "SELECT coalesce(p.reference, l.description) AS k, coalesce(p.reference || ' ' || p.name, l.description) AS label,
                    count(DISTINCT d.id) AS n,
                    sum({sign} * CAST(round(CAST(l.amount AS REAL) * 100) AS INTEGER)) AS net, 0 AS total
             FROM documents d JOIN document_lines l ON l.document_id = d.id AND l.deleted_at IS NULL
             LEFT JOIN products p ON p.id = l.product_id
             WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES}
               AND d.issue_date BETWEEN ?2 AND ?3 GROUP BY k ORDER BY net DESC, k"
        ),
    };
    let rows = sqlx::query(&sql)
        .bind(cx.company().id.to_string())
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(cx.store().reader())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(SalesRow {
            key: r.try_get("k")?,
            label: r.try_get("label")?,
            documents: u64::try_from(r.try_get::<i64, _>("n")?).unwrap_or(0),
            net: Money::from_cents(r.try_get("net")?),
            total: Money::from_cents(r.try_get("total")?),
        });
    }
    let (count, net, total): (i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT count(*), coalesce(sum({sign} * d.net_cents), 0), coalesce(sum({sign} * d.total_cents), 0)
         FROM documents d INDEXED BY documents_sales WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3"
    ))
    .bind(cx.company().id.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_one(cx.store().reader())
    .await?;
    let net = if by == SalesBy::Product {
        out.iter().map(|r| r.net).fold(Money::ZERO, |a, b| a + b)
    } else {
        Money::from_cents(net)
    };
    Ok(SalesReport {
        by,
        from,
        to,
        rows: out,
        documents: u64::try_from(count).unwrap_or(0),
        net,
        total: Money::from_cents(total),
    })
}

/// The VAT summary of the period: each sales document's per-rate summary by desk-model, credit notes
/// subtracting, added per zone, code, rate and exemption reason. Each document's summary is computed once and
/// kept in the local cache `document_vat` (migration 0019) while the document and the rounding method stay the
/// same; the report itself is then one aggregate over the cache.
pub async fn vat(cx: &Ctx, from: NaiveDate, to: NaiveDate) -> CoreResult<VatReport> {
    check_period(from, to)?;
    let rounding = cx.fiscal().rounding;
    refresh_vat_cache(cx, from, to, rounding).await?;
    let sign = "(CASE WHEN d.doc_type = 'NC' THEN -1 ELSE 1 END)";
    let rows = sqlx::query(&format!(
        "SELECT v.zone, v.code, v.exemption, v.percent, sum({sign} * v.base_cents) AS base, sum({sign} * v.vat_cents) AS vat
         FROM documents d
         JOIN document_vat_state s ON s.document_id = d.id AND s.updated_at = d.updated_at AND s.rounding = ?4
         JOIN document_vat v ON v.document_id = d.id
         WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3
         GROUP BY v.zone, v.code, v.exemption, v.percent
         ORDER BY v.zone, CASE v.code WHEN 'NOR' THEN 0 WHEN 'INT' THEN 1 WHEN 'RED' THEN 2 WHEN 'ISE' THEN 3 ELSE 4 END,
                  v.exemption, v.percent"
    ))
    .bind(cx.company().id.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(rounding.as_str())
    .fetch_all(cx.store().reader())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let exemption: String = r.try_get("exemption")?;
        out.push(VatReportRow {
            zone: r.try_get("zone")?,
            code: r.try_get("code")?,
            percent: Percent(codec::decimal(r.try_get("percent")?)?),
            exemption: (!exemption.is_empty()).then_some(exemption),
            base: Money::from_cents(r.try_get("base")?),
            vat: Money::from_cents(r.try_get("vat")?),
        });
    }
    let documents: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM documents d INDEXED BY documents_sales WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES}
           AND d.issue_date BETWEEN ?2 AND ?3"
    ))
    .bind(cx.company().id.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_one(cx.store().reader())
    .await?;
    let base = out.iter().map(|r| r.base).sum();
    let vat = out.iter().map(|r| r.vat).sum();
    Ok(VatReport { from, to, rows: out, documents: u64::try_from(documents).unwrap_or(0), base, vat })
}

/// One VAT summary row of a document: (zone, code, exemption, percent, base cents, VAT cents).
type VatRow = (String, String, String, String, i64, i64);
/// A document's VAT summary rows.
type VatRows = Vec<VatRow>;

/// Computes and stores the VAT summary of the period's sales documents that have none for their current
/// `updated_at` and rounding.
async fn refresh_vat_cache(
    cx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
    rounding: desk_model::document::RoundingMethod,
) -> CoreResult<()> {
    let rows = sqlx::query(&format!(
        "SELECT d.id, d.updated_at, d.doc_type, d.issue_date, d.global_discount, d.retail_b2c,
                l.quantity, l.unit_price, l.discount, l.tax_zone, l.tax_code, l.exemption
         FROM documents d JOIN document_lines l ON l.document_id = d.id AND l.deleted_at IS NULL
         WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3
           AND NOT EXISTS (SELECT 1 FROM document_vat_state s
                           WHERE s.document_id = d.id AND s.updated_at = d.updated_at AND s.rounding = ?4)
         ORDER BY d.id, l.sort_key, l.id"
    ))
    .bind(cx.company().id.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(rounding.as_str())
    .fetch_all(cx.store().reader())
    .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut computed: Vec<(String, String, VatRows)> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let head = &rows[i];
        let id: String = head.try_get("id")?;
        let doc_type: String = head.try_get("doc_type")?;
        let mut draft = DraftDocument {
            doc_type: DocType::parse(&doc_type).ok_or_else(|| CoreError::Decode(format!("type {doc_type}")))?,
            date: codec::date(head.try_get("issue_date")?)?,
            due_date: None,
            lines: Vec::new(),
            global_discount: Percent(codec::decimal(head.try_get("global_discount")?)?),
            references: Vec::new(),
            retail_b2c: head.try_get::<i64, _>("retail_b2c")? != 0,
            notes: String::new(),
            supply_date: None,
            withholding: None,
        };
        let updated_at: String = head.try_get("updated_at")?;
        while i < rows.len() && rows[i].try_get::<&str, _>("id")? == id {
            let r = &rows[i];
            draft.lines.push(DraftLine {
                description: String::new(),
                quantity: Quantity(codec::decimal(r.try_get("quantity")?)?),
                unit_price: UnitPrice(codec::decimal(r.try_get("unit_price")?)?),
                discount: Percent(codec::decimal(r.try_get("discount")?)?),
                tax: products::stored_tax(r.try_get("tax_zone")?, r.try_get("tax_code")?, r.try_get("exemption")?)?,
                withholding: None,
            });
            i += 1;
        }
        let totals = compute_with(&draft, rounding).map_err(|e| CoreError::invalid("total", e.message()))?;
        let summary = totals
            .summary
            .into_iter()
            .map(|s| {
                (
                    s.tax.zone.code().to_string(),
                    s.tax.code.as_str().to_string(),
                    s.tax.exemption.map(|e| e.to_string()).unwrap_or_default(),
                    codec::decimal_text(s.tax.percent.0),
                    codec::cents(s.base),
                    codec::cents(s.vat),
                )
            })
            .collect();
        computed.push((id, updated_at, summary));
    }
    let mut w = cx.write().await?;
    for chunk in computed.chunks(2000) {
        let mut del = QueryBuilder::<Sqlite>::new("DELETE FROM document_vat WHERE document_id IN (");
        let mut ids = del.separated(", ");
        for (id, _, _) in chunk {
            ids.push_bind(id.as_str());
        }
        del.push(")");
        del.build().execute(w.conn()).await?;
        let rows: Vec<(&str, &VatRow)> =
            chunk.iter().flat_map(|(id, _, s)| s.iter().map(move |r| (id.as_str(), r))).collect();
        for part in rows.chunks(4000) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO document_vat (document_id, zone, code, exemption, percent, base_cents, vat_cents) ",
            );
            q.push_values(part, |mut b, (id, r)| {
                b.push_bind(*id)
                    .push_bind(r.0.as_str())
                    .push_bind(r.1.as_str())
                    .push_bind(r.2.as_str())
                    .push_bind(r.3.as_str())
                    .push_bind(r.4)
                    .push_bind(r.5);
            });
            q.build().execute(w.conn()).await?;
        }
        let mut st = QueryBuilder::<Sqlite>::new(
            "INSERT OR REPLACE INTO document_vat_state (document_id, updated_at, rounding) ",
        );
        st.push_values(chunk, |mut b, (id, at, _)| {
            b.push_bind(id.as_str()).push_bind(at.as_str()).push_bind(rounding.as_str());
        });
        st.build().execute(w.conn()).await?;
    }
    w.commit().await
}

/// Open receivables on `today` per customer, by age since the due date (a document without one is due on its
/// date), most overdue first.
pub async fn aged(cx: &Ctx, today: NaiveDate) -> CoreResult<AgedReport> {
    let rows = sqlx::query(
        "SELECT coalesce(customer_nif, customer_name) AS k, customer_name, customer_nif,
                coalesce(due_date, issue_date) AS due, open_cents
         FROM documents WHERE company_id = ? AND deleted_at IS NULL AND open_cents > 0
           AND state IN ('issued', 'unpaid', 'partially_paid')",
    )
    .bind(cx.company().id.to_string())
    .fetch_all(cx.store().reader())
    .await?;
    let mut by: BTreeMap<String, AgedRow> = BTreeMap::new();
    let zero = [Money::ZERO; 5];
    for r in &rows {
        let key: String = r.try_get("k")?;
        let due = codec::date(r.try_get("due")?)?;
        let open = Money::from_cents(r.try_get("open_cents")?);
        let row = by.entry(key).or_insert_with(|| AgedRow {
            customer: r.try_get("customer_name").unwrap_or_default(),
            nif: r.try_get("customer_nif").unwrap_or_default(),
            buckets: zero,
            total: Money::ZERO,
            overdue_documents: 0,
            documents: 0,
        });
        let b = age_bucket(due, today);
        row.buckets[b] += open;
        row.total += open;
        row.documents += 1;
        if b > 0 {
            row.overdue_documents += 1;
        }
    }
    let mut rows: Vec<AgedRow> = by.into_values().collect();
    let overdue = |r: &AgedRow| r.buckets[1..].iter().fold(Money::ZERO, |a, b| a + *b);
    rows.sort_by(|a, b| overdue(b).cmp(&overdue(a)).then_with(|| a.customer.cmp(&b.customer)));
    let mut buckets = zero;
    for r in &rows {
        for (t, v) in buckets.iter_mut().zip(r.buckets) {
            *t += v;
        }
    }
    let total = buckets.iter().fold(Money::ZERO, |a, b| a + *b);
    Ok(AgedReport { today, rows, buckets, total })
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
    Ok(match r.kind {
        ReportKind::Sales => ReportData::Sales(sales(cx, r.from, r.to, r.by).await?),
        ReportKind::Vat => ReportData::Vat(vat(cx, r.from, r.to).await?),
        ReportKind::Aged => ReportData::Aged(aged(cx, r.to).await?),
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
    let mut top = sales(cx, jan1, today, SalesBy::Customer).await?.rows;
    top.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.label.cmp(&b.label)));
    top.truncate(5);
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
