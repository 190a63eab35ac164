//! Each sales document's VAT summary per zone and rate, as desk-model computes it, cached in `document_vat`
//! (migration 0019) while the document's `updated_at` and the company's rounding stay the same.

use super::SALES;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::{codec, products};
use desk_model::document::{compute_with, DocType, DraftDocument, DraftLine, RoundingMethod};
use desk_model::money::{Percent, Quantity, UnitPrice};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

/// One VAT summary row of a document: (zone, code, exemption, percent, base cents, VAT cents).
type VatRow = (String, String, String, String, i64, i64);

/// A document's summary as computed now: (id, updated_at, rows).
pub(super) struct DocVat(String, String, Vec<VatRow>);

/// Computes the VAT summary of the sales documents of `company` dated `from..=to` (ISO dates) that have none for
/// their current `updated_at` and `rounding`.
pub(super) async fn compute_stale(
    conn: &mut SqliteConnection,
    company: &str,
    from: &str,
    to: &str,
    rounding: RoundingMethod,
) -> CoreResult<Vec<DocVat>> {
    let rows = sqlx::query(&format!(
        "SELECT d.id, d.updated_at, d.doc_type, d.issue_date, d.global_discount, d.retail_b2c,
                l.quantity, l.unit_price, l.discount, l.tax_zone, l.tax_code, l.exemption
         FROM documents d JOIN document_lines l ON l.document_id = d.id AND l.deleted_at IS NULL
         WHERE d.company_id = ?1 AND d.deleted_at IS NULL AND {SALES} AND d.issue_date BETWEEN ?2 AND ?3
           AND NOT EXISTS (SELECT 1 FROM document_vat_state s
                           WHERE s.document_id = d.id AND s.updated_at = d.updated_at AND s.rounding = ?4)
         ORDER BY d.id, l.sort_key, l.id"
    ))
    .bind(company)
    .bind(from)
    .bind(to)
    .bind(rounding.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut computed = Vec::new();
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
