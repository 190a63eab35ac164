//! One month's report sums from its sales documents: read in one query (as one JSON array built by SQLite, since
//! sqlx hands rows over one at a time at ~15 µs each), added up here, written in one short transaction. Whole
//! cents add exactly; each document's VAT summary is desk-model's (`vat_cache::summary`, the company's rounding).

use super::{vat_cache, SALES};
use crate::codec;
use crate::error::{CoreError, CoreResult};
use desk_model::document::{DocType, RoundingMethod};
use desk_model::money::Money;
use serde::Deserialize;
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

/// A sales document as the month's sums need it.
#[derive(Deserialize)]
struct Doc(String, String, String, String, String, i64, i64, String, i64, Vec<Line>);

/// A line: quantity, unit price, discount, zone, code, exemption, its product (when it exists here), description,
/// amount.
#[derive(Deserialize)]
struct Line(String, String, String, String, String, Option<String>, Option<String>, String, String);

/// A customer's sums: label, label's date, documents, net, total.
#[derive(Default, serde::Serialize)]
struct CustomerSums(String, String, i64, i64, i64);

/// The sums of one month, as the summary tables hold them.
#[derive(Default)]
pub(super) struct MonthSums {
    /// Documents, net cents, total cents (credit notes subtract).
    sales: (i64, i64, i64),
    /// Per customer key.
    customers: BTreeMap<String, CustomerSums>,
    /// Per (product id or '', description when there is no product): documents, net cents.
    products: BTreeMap<(String, String), (i64, i64)>,
    /// Per (zone, code, exemption, percent): base cents, VAT cents.
    vat: BTreeMap<(String, String, String, String), (i64, i64)>,
}

/// Reads and adds up the sales documents of `company` dated `from..=to`.
pub(super) async fn read(
    conn: &mut SqliteConnection,
    company: &str,
    from: &str,
    to: &str,
    rounding: RoundingMethod,
) -> CoreResult<MonthSums> {
    let json: String = sqlx::query_scalar(&format!(
        "SELECT json_group_array(json_array(d.id, d.doc_type, coalesce(d.customer_nif, d.customer_name), d.customer_name,
                    d.issue_date, d.net_cents, d.total_cents, d.global_discount, d.retail_b2c,
                    json((SELECT json_group_array(json_array(l.quantity, l.unit_price, l.discount, l.tax_zone, l.tax_code,
                                                  l.exemption, p.id, l.description, l.amount) ORDER BY l.sort_key, l.id)
                          FROM document_lines l LEFT JOIN products p ON p.id = l.product_id
                          WHERE l.document_id = d.id AND l.deleted_at IS NULL))))
         FROM documents d WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3"
    ))
    .bind(company)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let docs: Vec<Doc> =
        serde_json::from_str(&json).map_err(|e| CoreError::Decode(format!("documents of a month: {e}")))?;
    let mut sums = MonthSums::default();
    for Doc(_id, doc_type, key, name, date, net, total, global_discount, retail_b2c, lines) in docs {
        let kind = DocType::parse(&doc_type).ok_or_else(|| CoreError::Decode(format!("type {doc_type}")))?;
        let sign = if kind == DocType::Nc { -1 } else { 1 };
        sums.sales.0 += 1;
        sums.sales.1 += sign * net;
        sums.sales.2 += sign * total;
        let c = sums.customers.entry(key).or_default();
        if date >= c.1 {
            c.0 = name;
            c.1 = date.clone();
        }
        c.2 += 1;
        c.3 += sign * net;
        c.4 += sign * total;
        let mut seen: Vec<(String, String)> = Vec::new();
        for Line(.., product, description, amount) in &lines {
            let key = match product {
                Some(p) => (p.clone(), String::new()),
                None => (String::new(), description.clone()),
            };
            let p = sums.products.entry(key.clone()).or_default();
            if !seen.contains(&key) {
                p.0 += 1;
                seen.push(key);
            }
            p.1 += sign * codec::cents(Money(codec::decimal(amount)?));
        }
        let taxed = lines.iter().map(|Line(q, p, d, z, c, e, ..)| {
            (q.as_str(), p.as_str(), d.as_str(), z.as_str(), c.as_str(), e.as_deref())
        });
        for (zone, code, exemption, percent, base, vat) in
            vat_cache::summary(kind, &date, &global_discount, retail_b2c != 0, taxed, rounding)?
        {
            let v = sums.vat.entry((zone, code, exemption, percent)).or_default();
            v.0 += sign * base;
            v.1 += sign * vat;
        }
    }
    Ok(sums)
}

/// Rows as one JSON array, the one parameter a summary insert reads with `json_each`.
fn rows_json(rows: impl Iterator<Item = serde_json::Value>) -> String {
    serde_json::Value::Array(rows.collect()).to_string()
}

/// Runs one of the month's summary inserts: `?1` the company, `?2` the rows as JSON, `?3` the month.
async fn insert_month_rows(
    conn: &mut SqliteConnection,
    sql: &str,
    company: &str,
    rows: &str,
    month: i64,
) -> CoreResult<()> {
    sqlx::query(sql).bind(company).bind(rows).bind(month).execute(&mut *conn).await?;
    Ok(())
}

/// Writes a month's sums in place of what the summary tables held for it, and marks it built with `rounding`.
pub(super) async fn write(
    conn: &mut SqliteConnection,
    company: &str,
    month: i64,
    rounding: RoundingMethod,
    sums: &MonthSums,
) -> CoreResult<()> {
    for table in ["report_month_sales", "report_month_customers", "report_month_products", "report_month_vat"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE company_id = ? AND month = ?"))
            .bind(company)
            .bind(month)
            .execute(&mut *conn)
            .await?;
    }
    let (n, net, total) = sums.sales;
    if n > 0 {
        sqlx::query(
            "INSERT INTO report_month_sales (company_id, month, documents, net_cents, total_cents) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(company)
        .bind(month)
        .bind(n)
        .bind(net)
        .bind(total)
        .execute(&mut *conn)
        .await?;
    }
    let customers = rows_json(sums.customers.iter().map(|(k, c)| serde_json::json!([k, c.0, c.1, c.2, c.3, c.4])));
    // the label is the name on the newest sale with the key
    sqlx::query(
        "INSERT INTO report_customers (company_id, key, label, label_date)
         SELECT ?1, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?2) WHERE true
         ON CONFLICT (company_id, key) DO UPDATE SET label = excluded.label, label_date = excluded.label_date
         WHERE excluded.label_date >= report_customers.label_date",
    )
    .bind(company)
    .bind(&customers)
    .execute(&mut *conn)
    .await?;
    // CROSS JOIN keeps json_each outside: SQLite cannot look into it by key, and chose to scan it per customer
    insert_month_rows(
        conn,
        "INSERT INTO report_month_customers (company_id, customer, month, documents, net_cents, total_cents)
         SELECT ?1, c.id, ?3, j.value ->> 3, j.value ->> 4, j.value ->> 5
         FROM json_each(?2) j CROSS JOIN report_customers c ON c.company_id = ?1 AND c.key = j.value ->> 0",
        company,
        &customers,
        month,
    )
    .await?;
    let products = rows_json(sums.products.iter().map(|((p, d), (n, net))| serde_json::json!([p, d, n, net])));
    insert_month_rows(
        conn,
        "INSERT INTO report_month_products (company_id, month, product_id, description, documents, net_cents)
         SELECT ?1, ?3, value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?2)",
        company,
        &products,
        month,
    )
    .await?;
    let vat = rows_json(sums.vat.iter().map(|((z, c, e, p), (base, vat))| serde_json::json!([z, c, e, p, base, vat])));
    insert_month_rows(
        conn,
        "INSERT INTO report_month_vat (company_id, month, zone, code, exemption, percent, base_cents, vat_cents)
         SELECT ?1, ?3, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?2)",
        company,
        &vat,
        month,
    )
    .await?;
    sqlx::query("INSERT OR REPLACE INTO report_months (company_id, month, rounding) VALUES (?, ?, ?)")
        .bind(company)
        .bind(month)
        .bind(rounding.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
