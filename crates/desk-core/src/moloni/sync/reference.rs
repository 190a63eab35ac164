//! Moloni's reference data, pulled into `moloni_reference` on every run: taxes (each VAT tax mapped onto the
//! dated VAT table by zone and rate; one that maps to nothing is reported, never guessed), series, payment
//! methods, maturity dates, units, countries and exemption reasons.

use super::Run;
use crate::error::CoreResult;
use crate::Ctx;
use desk_model::money::Percent;
use desk_model::msg::Localized;
use desk_model::tax::{class_of, FiscalZone};
use moloni::CompanyApi;
use serde::Serialize;

/// One record to keep: its id, name, what it maps to, and the record itself.
struct Row {
    id: String,
    name: String,
    mapped: Option<String>,
    data: String,
}

fn row<T: Serialize>(id: impl ToString, name: &str, mapped: Option<String>, record: &T) -> Row {
    Row { id: id.to_string(), name: name.to_string(), mapped, data: serde_json::to_string(record).unwrap_or_default() }
}

/// What a Moloni VAT tax is in the dated table (`PT/NOR`), or an exemption (`ISE`); `None` if nothing.
fn map_tax(t: &moloni::types::Tax, today: chrono::NaiveDate) -> Option<String> {
    if t.saft_type != 1 {
        return Some(format!("other/{}", t.saft_type));
    }
    if t.value.is_zero() {
        return Some("ISE".into());
    }
    let zone = if t.fiscal_zone.trim().is_empty() { FiscalZone::Pt } else { FiscalZone::parse(t.fiscal_zone.trim())? };
    class_of(zone, Percent(t.value), today).map(|c| format!("{}/{}", zone.code(), c.code().as_str()))
}

/// Pulls every reference list and replaces the company's copy; unmapped taxes go to the run's issues.
pub async fn pull(cx: &Ctx, api: &CompanyApi<'_>, run: &mut Run<'_>) -> CoreResult<()> {
    let today = chrono::Utc::now().date_naive();
    let mut kinds: Vec<(&str, Vec<Row>)> = Vec::new();
    let taxes = api.taxes().await?;
    let mut tax_rows = Vec::with_capacity(taxes.len());
    for t in &taxes {
        let mapped = map_tax(t, today);
        if mapped.is_none() {
            let zone = if t.fiscal_zone.is_empty() { "PT" } else { t.fiscal_zone.as_str() };
            run.issue(
                "tax",
                &format!("{} ({} %, {zone})", t.name, t.value.normalize()),
                Localized::new(
                    format!(
                        "A taxa «{}» do Moloni ({} % em {zone}) não corresponde a nenhuma taxa de IVA em vigor: não é usada. Corrija-a no Moloni › Definições › Impostos se for preciso.",
                        t.name,
                        t.value.normalize()
                    ),
                    format!(
                        "Moloni's tax «{}» ({} % in {zone}) matches no VAT rate in force: it is not used. Correct it in Moloni › Settings › Taxes if it is needed.",
                        t.name,
                        t.value.normalize()
                    ),
                ),
            );
        }
        tax_rows.push(row(t.tax_id, &t.name, mapped, t));
    }
    kinds.push(("taxes", tax_rows));
    kinds.push((
        "document_sets",
        api.document_sets().await?.iter().map(|d| row(d.document_set_id, &d.name, None, d)).collect(),
    ));
    kinds.push((
        "payment_methods",
        api.payment_methods().await?.iter().map(|p| row(p.payment_method_id, &p.name, None, p)).collect(),
    ));
    kinds.push((
        "maturity_dates",
        api.maturity_dates()
            .await?
            .iter()
            .map(|m| row(m.maturity_date_id, &m.name, Some(m.days.to_string()), m))
            .collect(),
    ));
    kinds.push((
        "units",
        api.measurement_units().await?.iter().map(|u| row(u.unit_id, &u.name, Some(u.short_name.clone()), u)).collect(),
    ));
    kinds.push((
        "countries",
        api.countries()
            .await?
            .iter()
            .map(|c| row(c.country_id, &c.name, Some(c.iso_3166_1.to_ascii_uppercase()), c))
            .collect(),
    ));
    kinds.push(("exemptions", api.tax_exemptions().await?.iter().map(|e| row(&e.code, &e.name, None, e)).collect()));
    let now = crate::audit::now_text();
    let company = cx.company().id.to_string();
    // Moloni's settings, this desktop's copy: a local table, replaced whole in one transaction.
    let mut tx = cx.store().local().begin().await?;
    for (kind, rows) in &kinds {
        sqlx::query("DELETE FROM moloni_reference WHERE company_id = ? AND kind = ?")
            .bind(&company)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
        for r in rows {
            sqlx::query(
                "INSERT INTO moloni_reference (company_id, kind, moloni_id, name, data, mapped, pulled_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&company)
            .bind(kind)
            .bind(&r.id)
            .bind(&r.name)
            .bind(&r.data)
            .bind(&r.mapped)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    run.report.kinds.push("reference".into());
    Ok(())
}

/// Moloni's country id of an ISO code, from the pulled countries (Portugal, 1, when unknown).
pub async fn country_id(cx: &Ctx, iso: &str) -> CoreResult<i64> {
    let iso = if iso.trim().is_empty() { "PT".to_string() } else { iso.trim().to_ascii_uppercase() };
    let id: Option<String> = sqlx::query_scalar(
        "SELECT moloni_id FROM moloni_reference WHERE company_id = ? AND kind = 'countries' AND mapped = ?",
    )
    .bind(cx.company().id.to_string())
    .bind(&iso)
    .fetch_optional(cx.store().reader())
    .await?;
    Ok(id.and_then(|i| i.parse().ok()).unwrap_or(1))
}

/// The first of a kind's ids (the default payment method or maturity date), 0 if none was pulled.
pub async fn first_id(cx: &Ctx, kind: &str) -> CoreResult<i64> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT moloni_id FROM moloni_reference WHERE company_id = ? AND kind = ? ORDER BY CAST(moloni_id AS INTEGER) LIMIT 1",
    )
    .bind(cx.company().id.to_string())
    .bind(kind)
    .fetch_optional(cx.store().reader())
    .await?;
    Ok(id.and_then(|i| i.parse().ok()).unwrap_or(0))
}

/// The payment methods the editor offers: the connected Moloni company's, as last pulled, in Moloni's order; none
/// (the editor's free text, as before) while the company has no Moloni company chosen or nothing was pulled yet.
pub async fn payment_methods(cx: &Ctx) -> CoreResult<Vec<String>> {
    if crate::moloni::company_id(cx).await?.is_none() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_scalar(
        "SELECT name FROM moloni_reference WHERE company_id = ? AND kind = 'payment_methods'
         ORDER BY CAST(moloni_id AS INTEGER)",
    )
    .bind(cx.company().id.to_string())
    .fetch_all(cx.store().reader())
    .await?)
}
