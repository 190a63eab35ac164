//! Companies: an accountant serves several. Solo mode starts with one default company, named on first run;
//! more are added and switched between from the header. Each has a profile: the issuer block of its documents.

use crate::codec;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::store::Store;
use crate::store::{col, Column, Entity, NaturalKey, Policy, Value};
use desk_model::company::{CompanyInput, CompanyProfile, FiscalSettings, VatRegime};
use desk_model::document::RoundingMethod;
use desk_model::ipc::{CompanySummary, FieldError};
use desk_model::money::Money;
use desk_model::msg::Localized;
use desk_model::party::{Iban, Nif};
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
            .fetch_optional(store.reader())
            .await?;
        if let Some(row) = row {
            return summary(&row);
        }
    }
    let existing =
        sqlx::query("SELECT id, name, nif FROM companies WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1")
            .fetch_optional(store.reader())
            .await?;
    let company = match existing {
        Some(row) => summary(&row)?,
        None => {
            let mut w = store.write(actor).await?;
            let row = CompanyRow {
                profile: desk_model::company::validate(
                    Uuid::now_v7(),
                    &CompanyInput { name: DEFAULT_COMPANY_NAME.into(), ..Default::default() },
                )
                .map_err(CoreError::Invalid)?,
                created_at: w.now().to_string(),
            };
            w.insert(&row).await?;
            w.commit().await?;
            CompanySummary { id: row.profile.id, name: row.profile.name, nif: None }
        }
    };
    store.set_setting(CURRENT_COMPANY, &company.id.to_string()).await?;
    Ok(company)
}

/// Renames a company and sets its NIF (blank keeps it unset), validating both with `desk-model`.
pub async fn update(cx: &Ctx, name: &str, nif: &str) -> CoreResult<CompanySummary> {
    let company = cx.company();
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
    if let Some(nif) = &nif {
        check_nif_free(cx.store(), Some(nif), company.id).await?;
    }
    let mut w = cx.write().await?;
    let before = row_in(w.conn(), company.id).await?;
    let after = CompanyRow {
        profile: CompanyProfile { name: name.clone(), nif: nif.clone(), ..before.profile.clone() },
        ..before.clone()
    };
    w.update(&before, &after).await?;
    w.commit().await?;
    Ok(CompanySummary { id: company.id, name, nif })
}

/// Every company in this data folder, by name.
pub async fn list(store: &Store) -> CoreResult<Vec<CompanySummary>> {
    let rows =
        sqlx::query("SELECT id, name, nif FROM companies WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id")
            .fetch_all(store.reader())
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
        .fetch_optional(store.reader())
        .await?
        .ok_or(CoreError::NotFound { what: "company" })?;
    profile_from_row(&row)
}

/// Refuses a NIF another company of this folder already has.
async fn check_nif_free(store: &Store, nif: Option<&str>, except: Uuid) -> CoreResult<()> {
    let Some(nif) = nif else { return Ok(()) };
    let other: Option<String> =
        sqlx::query_scalar("SELECT name FROM companies WHERE nif = ? AND id <> ? AND deleted_at IS NULL")
            .bind(nif)
            .bind(except.to_string())
            .fetch_optional(store.reader())
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

/// A company's row: its profile and when it was made.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CompanyRow {
    pub(crate) profile: CompanyProfile,
    pub(crate) created_at: String,
}

/// Reads a company's row inside a write transaction.
pub(crate) async fn row_in(conn: &mut sqlx::SqliteConnection, id: Uuid) -> CoreResult<CompanyRow> {
    let row = sqlx::query(&format!(
        "SELECT {PROFILE_COLUMNS}, created_at FROM companies WHERE id = ? AND deleted_at IS NULL"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(CoreError::NotFound { what: "company" })?;
    Ok(CompanyRow { profile: profile_from_row(&row)?, created_at: row.try_get("created_at")? })
}

/// Companies sync like customers; the logo is a file on this desktop, so its path stays here.
impl Entity for CompanyRow {
    const TABLE: &'static str = "companies";
    const COLUMNS: &'static [Column] = &[
        col("name", Policy::Mergeable),
        col("nif", Policy::Mergeable),
        col("address", Policy::Mergeable),
        col("postal_code", Policy::Mergeable),
        col("city", Policy::Mergeable),
        col("country", Policy::Mergeable),
        col("share_capital", Policy::Mergeable),
        col("registry", Policy::Mergeable),
        col("iban", Policy::Mergeable),
        col("payment_method", Policy::Mergeable),
        col("logo_path", Policy::Local),
        col("vat_regime", Policy::Mergeable),
        col("rounding", Policy::Mergeable),
        col("created_at", Policy::Fixed),
    ];
    const NATURAL_KEYS: &'static [NaturalKey] = &[NaturalKey { columns: &["nif"], only_where: "" }];
    fn id(&self) -> Uuid {
        self.profile.id
    }
    fn company_id(&self) -> Uuid {
        self.profile.id
    }
    fn values(&self) -> Vec<Value> {
        let p = &self.profile;
        vec![
            p.name.as_str().into(),
            p.nif.clone().into(),
            p.address.clone().into(),
            p.postal_code.clone().into(),
            p.city.clone().into(),
            p.country.as_str().into(),
            p.share_capital.map(|m| m.0.to_string()).into(),
            p.registry.clone().into(),
            p.iban.as_ref().map(Iban::as_str).into(),
            p.payment_method.clone().into(),
            p.logo_path.clone().into(),
            p.fiscal.vat_regime.as_str().into(),
            p.fiscal.rounding.as_str().into(),
            self.created_at.as_str().into(),
        ]
    }
}

async fn write_profile(cx: &Ctx, p: &CompanyProfile, is_new: bool) -> CoreResult<()> {
    check_nif_free(cx.store(), p.nif.as_deref(), p.id).await?;
    let mut w = cx.write().await?;
    if is_new {
        w.insert(&CompanyRow { profile: p.clone(), created_at: w.now().to_string() }).await?;
    } else {
        let before = row_in(w.conn(), p.id).await?;
        let after = CompanyRow { profile: p.clone(), ..before.clone() };
        w.update(&before, &after).await?;
    }
    w.commit().await?;
    Ok(())
}

/// Adds a company from its form; nothing is stored when a field is wrong.
pub async fn create(cx: &Ctx, input: &CompanyInput) -> CoreResult<CompanyProfile> {
    let p = desk_model::company::validate(Uuid::now_v7(), input).map_err(CoreError::Invalid)?;
    write_profile(cx, &p, true).await?;
    Ok(p)
}

/// Replaces a company's profile from its form; nothing is stored when a field is wrong.
pub async fn update_profile(cx: &Ctx, id: Uuid, input: &CompanyInput) -> CoreResult<CompanyProfile> {
    let p = desk_model::company::validate(id, input).map_err(CoreError::Invalid)?;
    write_profile(cx, &p, false).await?;
    Ok(p)
}

/// Makes `id` the company on screen, remembered for the next start.
pub async fn make_current(store: &Store, id: Uuid) -> CoreResult<CompanySummary> {
    let p = profile(store, id).await?;
    store.set_setting(CURRENT_COMPANY, &id.to_string()).await?;
    Ok(CompanySummary { id: p.id, name: p.name, nif: p.nif })
}
