//! Each sales document's VAT summary per zone and rate, as desk-model computes it, cached in `document_vat`
//! (migration 0019) while the document's `updated_at` and the company's rounding stay the same: what the VAT report
//! adds up for the days at a period's ends (whole months come from `month_sums`).

use super::SALES;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::{codec, products};
use desk_model::document::{compute_with, DocType, DraftDocument, DraftLine, RoundingMethod};
use desk_model::money::{Percent, Quantity, UnitPrice};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// One VAT summary row of a document: (zone, code, exemption, percent, base cents, VAT cents).
pub(super) type VatRow = (String, String, String, String, i64, i64);

/// A stored line as the VAT computation reads it: quantity, unit price, discount, zone, code, exemption.
pub(super) type TaxedLine<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, Option<&'a str>);

/// A sales document's VAT summary rows by desk-model (`compute_with`, `rounding`), from its stored header fields
/// and lines.
pub(super) fn summary<'a>(
    doc_type: DocType,
    date: &str,
    global_discount: &str,
    retail_b2c: bool,
    lines: impl Iterator<Item = TaxedLine<'a>>,
    rounding: RoundingMethod,
) -> CoreResult<Vec<VatRow>> {
    let mut draft = DraftDocument {
        doc_type,
        date: codec::date(date)?,
        due_date: None,
        lines: Vec::new(),
        global_discount: Percent(codec::decimal(global_discount)?),
        references: Vec::new(),
        retail_b2c,
        notes: String::new(),
        supply_date: None,
        withholding: None,
    };
    for (quantity, unit_price, discount, zone, code, exemption) in lines {
        draft.lines.push(DraftLine {
            description: String::new(),
            quantity: Quantity(codec::decimal(quantity)?),
            unit_price: UnitPrice(codec::decimal(unit_price)?),
            discount: Percent(codec::decimal(discount)?),
            tax: products::stored_tax(zone, code, exemption)?,
            withholding: None,
        });
    }
    let totals = compute_with(&draft, rounding).map_err(|e| CoreError::invalid("total", e.message()))?;
    Ok(totals
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
        .collect())
}

/// A document's summary as computed now: (id, updated_at, rows).
pub(super) struct DocVat(String, String, Vec<VatRow>);

/// A document as the VAT computation needs it, read as JSON: (id, updated_at, type, date, global discount,
/// retail B2C, lines).
type DocJson = (String, String, String, String, String, i64, Vec<LineJson>);
/// A line: (quantity, unit price, discount, zone, code, exemption).
type LineJson = (String, String, String, String, String, Option<String>);

/// Computes the VAT summary of the sales documents of `company` dated `from..=to` (ISO dates) that have none for
/// their current `updated_at` and `rounding`. The documents come as one JSON array built by SQLite: sqlx hands
/// rows over one at a time at ~15 µs each, which made reading a month's 28k lines 4× slower than the query.
pub(super) async fn compute_stale(
    conn: &mut SqliteConnection,
    company: &str,
    from: &str,
    to: &str,
    rounding: RoundingMethod,
) -> CoreResult<Vec<DocVat>> {
    let json: Option<String> = sqlx::query_scalar(&format!(
        "SELECT json_group_array(json_array(d.id, d.updated_at, d.doc_type, d.issue_date, d.global_discount,
                    d.retail_b2c,
                    json((SELECT json_group_array(json_array(l.quantity, l.unit_price, l.discount, l.tax_zone, l.tax_code,
                                                        l.exemption) ORDER BY l.sort_key, l.id)
                     FROM document_lines l WHERE l.document_id = d.id AND l.deleted_at IS NULL))))
         FROM documents d
         WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3
           AND NOT EXISTS (SELECT 1 FROM document_vat_state s
                           WHERE s.document_id = d.id AND s.updated_at = d.updated_at AND s.rounding = ?4)"
    ))
    .bind(company)
    .bind(from)
    .bind(to)
    .bind(rounding.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let docs: Vec<DocJson> = match json {
        Some(text) => serde_json::from_str(&text).map_err(|e| CoreError::Decode(format!("documents for VAT: {e}")))?,
        None => Vec::new(),
    };
    let mut computed = Vec::with_capacity(docs.len());
    for (id, updated_at, doc_type, date, global_discount, retail_b2c, lines) in docs {
        let kind = DocType::parse(&doc_type).ok_or_else(|| CoreError::Decode(format!("type {doc_type}")))?;
        let lines = lines
            .iter()
            .map(|(q, p, d, z, c, e)| (q.as_str(), p.as_str(), d.as_str(), z.as_str(), c.as_str(), e.as_deref()));
        let summary = summary(kind, &date, &global_discount, retail_b2c != 0, lines, rounding)?;
        computed.push(DocVat(id, updated_at, summary));
    }
    Ok(computed)
}

/// Stores computed summaries in place of what the cache held for those documents.
pub(super) async fn store(
    conn: &mut SqliteConnection,
    computed: &[DocVat],
    rounding: RoundingMethod,
) -> CoreResult<()> {
    for chunk in computed.chunks(2000) {
        let mut del = QueryBuilder::<Sqlite>::new("DELETE FROM document_vat WHERE document_id IN (");
        let mut ids = del.separated(", ");
        for DocVat(id, _, _) in chunk {
            ids.push_bind(id.as_str());
        }
        del.push(")");
        del.build().execute(&mut *conn).await?;
        let rows: Vec<(&str, &VatRow)> =
            chunk.iter().flat_map(|DocVat(id, _, s)| s.iter().map(move |r| (id.as_str(), r))).collect();
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
            q.build().execute(&mut *conn).await?;
        }
        let mut st = QueryBuilder::<Sqlite>::new(
            "INSERT OR REPLACE INTO document_vat_state (document_id, updated_at, rounding) ",
        );
        st.push_values(chunk, |mut b, DocVat(id, at, _)| {
            b.push_bind(id.as_str()).push_bind(at.as_str()).push_bind(rounding.as_str());
        });
        st.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Brings the cache up to date for the sales documents dated `from..=to`: computed from a read, written in a
/// short write transaction.
pub(super) async fn refresh(cx: &Ctx, from: &str, to: &str, rounding: RoundingMethod) -> CoreResult<()> {
    let company = cx.company().id.to_string();
    let computed = {
        let mut conn = cx.store().reader().acquire().await?;
        compute_stale(&mut conn, &company, from, to, rounding).await?
    };
    if computed.is_empty() {
        return Ok(());
    }
    let mut w = cx.write().await?;
    store(w.conn(), &computed, rounding).await?;
    w.commit().await
}
