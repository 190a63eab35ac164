//! Companies: an accountant serves several. Solo mode starts with one default company, named on first run.

use crate::audit::{self, Action, Change};
use crate::error::{CoreError, CoreResult};
use crate::store::Store;
use desk_model::ipc::CompanySummary;
use desk_model::msg::Localized;
use desk_model::party::Nif;
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
    let existing = sqlx::query("SELECT id, name, nif FROM companies WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1")
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
pub async fn update(store: &Store, actor: &str, company: &CompanySummary, name: &str, nif: &str) -> CoreResult<CompanySummary> {
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
