//! What every service takes: the store, the company on screen, who is working and the company's fiscal
//! settings. Services are functions of `&Ctx`; a [`crate::Workspace`] derefs to its `Ctx`, so callers pass
//! `&ws`.

use crate::error::CoreResult;
use crate::store::{Store, Writer};
use desk_model::company::{CompanyProfile, FiscalSettings};
use desk_model::ipc::CompanySummary;

/// The context of a service call.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub(crate) store: Store,
    pub(crate) company: CompanySummary,
    /// The company's VAT regime and rounding, kept here because every draft save totals with them.
    pub(crate) fiscal: FiscalSettings,
    pub(crate) actor: String,
}

impl Ctx {
    /// The local store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The company on screen.
    pub fn company(&self) -> &CompanySummary {
        &self.company
    }

    /// The company's fiscal settings (VAT regime, rounding method).
    pub fn fiscal(&self) -> FiscalSettings {
        self.fiscal
    }

    /// Who is working, for the audit trail.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The current company's profile (its documents' issuer block).
    pub async fn company_profile(&self) -> CoreResult<CompanyProfile> {
        crate::company::profile(&self.store, self.company.id).await
    }

    /// The same store and actor working on another company (the background issuer works every company's queue,
    /// whichever is on screen).
    pub async fn for_company(&self, id: uuid::Uuid) -> CoreResult<Ctx> {
        let p = crate::company::profile(&self.store, id).await?;
        let company = CompanySummary { id: p.id, name: p.name, nif: p.nif };
        Ok(Ctx { store: self.store.clone(), company, fiscal: p.fiscal, actor: self.actor.clone() })
    }

    /// Starts a write transaction as this actor.
    pub async fn write(&self) -> CoreResult<Writer<'_>> {
        self.store.write(&self.actor).await
    }
}
