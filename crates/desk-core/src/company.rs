//! Companies: an accountant serves several. Solo mode starts with one default company, named on first run;
//! more are added and switched between from the header. Each has a profile: the issuer block of its documents.

use crate::audit::{self, Action, Change};
use crate::codec;
use crate::error::{CoreError, CoreResult};
use crate::store::Store;
use desk_model::company::{CompanyInput, CompanyProfile, FiscalSettings, VatRegime};
use desk_model::document::RoundingMethod;
use desk_model::ipc::{CompanySummary, FieldError};
use desk_model::money::Money;
use desk_model::msg::Localized;
use desk_model::party::{Iban, Nif};
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

/// The setting that holds the company on screen.
const CURRENT_COMPANY: &str = "current_company_id";
/// The name a new data folder's company gets until the first-run screen renames it.
pub const DEFAULT_COMPANY_NAME: &str = "A minha empresa";

fn summary(row: &sqlx::sqlite::SqliteRow) -> CoreResult<CompanySummary> {
    let id: String = row.try_get("id")?;
    Ok(CompanySummary {
        id: Uuid::parse_str(&id).map_err(|e| CoreError::Decode(format!("company id {id}: {e}")))?,
        name: row.try_get("name")?,
        nif: row.try_get("nif")?,
    })
}

/// The company on screen, creating the default one in a new data folder.
pub async fn current_or_create(store: &Store, actor: &str) -> CoreResult<CompanySummary> {
    if let Some(id) = store.setting(CURRENT_COMPANY).await? {
        let row = sqlx::query("SELECT id, name, nif FROM companies WHERE id = ? AND deleted_at IS NULL")
            .bind(&id)
            .fetch_optional(store.pool())
            .await?;
        if let Some(row) = row {
            return summary(&row);
        }
    }
    let existing =
        sqlx::query("SELECT id, name, nif FROM companies WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1")
            .fetch_optional(store.pool())
            .await?;
    let company = match existing {
        Some(row) => summary(&row)?,
        None => {
            let id = Uuid::now_v7();
            let now = audit::now_text();
            let mut tx = store.begin().await?;
            sqlx::query("INSERT INTO companies (id, name, nif, created_at, updated_at) VALUES (?, ?, NULL, ?, ?)")
                .bind(id.to_string())
                .bind(DEFAULT_COMPANY_NAME)
                .bind(&now)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                Change {
                    actor,
                    company_id: id,
                    table: "companies",
                    row_id: id,
                    action: Action::Insert,
                    before: None,
                    after: Some(json!({"name": DEFAULT_COMPANY_NAME, "nif": null})),
                    base_rev: None,
                },
            )
            .await?;
            tx.commit().await?;
            CompanySummary { id, name: DEFAULT_COMPANY_NAME.into(), nif: None }
        }
    };
    store.set_setting(CURRENT_COMPANY, &company.id.to_string()).await?;
    Ok(company)
}

/// Renames a company and sets its NIF (blank keeps it unset), validating both with `desk-model`.
pub async fn update(
    store: &Store,
    actor: &str,
    company: &CompanySummary,
    name: &str,
    nif: &str,
) -> CoreResult<CompanySummary> {
    let mut errors = Vec::new();
    let label = Localized::new("Nome da empresa", "Company name");
    let name = match desk_model::text::clean(name, 100, true, false) {
        Ok(Some(n)) => Some(n),
        Ok(None) => None,
        Err(e) => {
            errors.push(desk_model::ipc::FieldError { field: "company_name".into(), message: e.message(&label) });
            None
        }
    };
    let nif = if nif.trim().is_empty() {
        None
    } else {
        match Nif::parse(nif) {
            Ok(n) => Some(n.to_string()),
            Err(e) => {
                errors.push(desk_model::ipc::FieldError { field: "company_nif".into(), message: e.message() });
                None
            }
        }
    };
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Err(CoreError::Invalid(errors));
    };
    let mut tx = store.begin().await?;
    sqlx::query("UPDATE companies SET name = ?, nif = ?, updated_at = ? WHERE id = ?")
        .bind(&name)
        .bind(&nif)
        .bind(audit::now_text())
        .bind(company.id.to_string())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Change {
            actor,
            company_id: company.id,
            table: "companies",
            row_id: company.id,
            action: Action::Update,
            before: Some(json!({"name": company.name, "nif": company.nif})),
            after: Some(json!({"name": name, "nif": nif})),
            base_rev: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CompanySummary { id: company.id, name, nif })
}

/// Every company in this data folder, by name.
pub async fn list(store: &Store) -> CoreResult<Vec<CompanySummary>> {
    let rows =
        sqlx::query("SELECT id, name, nif FROM companies WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id")
            .fetch_all(store.pool())
            .await?;
    rows.iter().map(summary).collect()
}

const PROFILE_COLUMNS: &str =
    "id, name, nif, address, postal_code, city, country, share_capital, registry, iban, payment_method, logo_path, \
     vat_regime, rounding";

fn profile_from_row(row: &sqlx::sqlite::SqliteRow) -> CoreResult<CompanyProfile> {
    let s = summary(row)?;
    let capital: Option<String> = row.try_get("share_capital")?;
    let iban: Option<String> = row.try_get("iban")?;
    Ok(CompanyProfile {
        id: s.id,
        name: s.name,
        nif: s.nif,
        address: row.try_get("address")?,
        postal_code: row.try_get("postal_code")?,
        city: row.try_get("city")?,
        country: row.try_get("country")?,
        share_capital: capital.as_deref().map(codec::decimal).transpose()?.map(Money),
        registry: row.try_get("registry")?,
        iban: iban
            .map(|i| Iban::parse(&i).map_err(|e| CoreError::Decode(format!("company iban {i}: {e}"))))
            .transpose()?,
        payment_method: row.try_get("payment_method")?,
        logo_path: row.try_get("logo_path")?,
        fiscal: FiscalSettings {
            vat_regime: VatRegime::parse(&row.try_get::<String, _>("vat_regime")?).unwrap_or_default(),
            rounding: RoundingMethod::parse(&row.try_get::<String, _>("rounding")?).unwrap_or_default(),
        },
    })
}

/// One company's profile.
pub async fn profile(store: &Store, id: Uuid) -> CoreResult<CompanyProfile> {
    let row = sqlx::query(&format!("SELECT {PROFILE_COLUMNS} FROM companies WHERE id = ? AND deleted_at IS NULL"))
        .bind(id.to_string())
        .fetch_optional(store.pool())
        .await?
        .ok_or(CoreError::NotFound { what: "company" })?;
    profile_from_row(&row)
}

fn profile_json(p: &CompanyProfile) -> serde_json::Value {
    json!({
        "name": p.name, "nif": p.nif, "address": p.address, "postal_code": p.postal_code, "city": p.city,
        "country": p.country, "share_capital": p.share_capital.map(|m| m.0.to_string()), "registry": p.registry,
        "iban": p.iban.as_ref().map(Iban::as_str), "payment_method": p.payment_method, "logo_path": p.logo_path,
        "vat_regime": p.fiscal.vat_regime.as_str(), "rounding": p.fiscal.rounding.as_str(),
    })
}

/// Refuses a NIF another company of this folder already has.
async fn check_nif_free(store: &Store, nif: Option<&str>, except: Uuid) -> CoreResult<()> {
    let Some(nif) = nif else { return Ok(()) };
    let other: Option<String> =
        sqlx::query_scalar("SELECT name FROM companies WHERE nif = ? AND id <> ? AND deleted_at IS NULL")
            .bind(nif)
            .bind(except.to_string())
            .fetch_optional(store.pool())
            .await?;
    match other {
        None => Ok(()),
        Some(name) => Err(CoreError::Invalid(vec![FieldError {
            field: "nif".into(),
            message: Localized::new(
                format!("A empresa «{name}» já tem o NIF {nif}: escolha-a no seletor de empresas."),
                format!("The company «{name}» already has NIF {nif}: pick it in the company switcher."),
            ),
        }])),
    }
}

async fn write_profile(
    store: &Store,
    actor: &str,
    p: &CompanyProfile,
    before: Option<&CompanyProfile>,
) -> CoreResult<()> {
    check_nif_free(store, p.nif.as_deref(), p.id).await?;
    let now = audit::now_text();
    let mut tx = store.begin().await?;
    if before.is_none() {
        sqlx::query("INSERT INTO companies (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)")
            .bind(p.id.to_string())
            .bind(&p.name)
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE companies SET name = ?, nif = ?, address = ?, postal_code = ?, city = ?, country = ?, \
         share_capital = ?, registry = ?, iban = ?, payment_method = ?, logo_path = ?, vat_regime = ?, rounding = ?, \
         updated_at = ? WHERE id = ?",
    )
    .bind(&p.name)
    .bind(&p.nif)
    .bind(&p.address)
    .bind(&p.postal_code)
    .bind(&p.city)
    .bind(&p.country)
    .bind(p.share_capital.map(|m| m.0.to_string()))
    .bind(&p.registry)
    .bind(p.iban.as_ref().map(Iban::as_str))
    .bind(&p.payment_method)
    .bind(&p.logo_path)
    .bind(p.fiscal.vat_regime.as_str())
    .bind(p.fiscal.rounding.as_str())
    .bind(&now)
    .bind(p.id.to_string())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Change {
            actor,
            company_id: p.id,
            table: "companies",
            row_id: p.id,
            action: if before.is_some() { Action::Update } else { Action::Insert },
            before: before.map(profile_json),
            after: Some(profile_json(p)),
            base_rev: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a company from its form; nothing is stored when a field is wrong.
pub async fn create(store: &Store, actor: &str, input: &CompanyInput) -> CoreResult<CompanyProfile> {
    let p = desk_model::company::validate(Uuid::now_v7(), input).map_err(CoreError::Invalid)?;
    write_profile(store, actor, &p, None).await?;
    Ok(p)
}

/// Replaces a company's profile from its form; nothing is stored when a field is wrong.
pub async fn update_profile(store: &Store, actor: &str, id: Uuid, input: &CompanyInput) -> CoreResult<CompanyProfile> {
    let before = profile(store, id).await?;
    let p = desk_model::company::validate(id, input).map_err(CoreError::Invalid)?;
    write_profile(store, actor, &p, Some(&before)).await?;
    Ok(p)
}

/// Makes `id` the company on screen, remembered for the next start.
pub async fn make_current(store: &Store, id: Uuid) -> CoreResult<CompanySummary> {
    let p = profile(store, id).await?;
    store.set_setting(CURRENT_COMPANY, &id.to_string()).await?;
    Ok(CompanySummary { id: p.id, name: p.name, nif: p.nif })
}
