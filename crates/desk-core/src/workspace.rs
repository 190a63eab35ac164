//! The engine's front door: one open data folder, the company on screen and who is working. The Tauri
//! commands and the `desk` CLI both hold a [`Workspace`] and call the services through it.

use crate::audit;
use crate::company;
use crate::error::CoreResult;
use crate::paths;
use crate::store::Store;
use desk_model::company::{CompanyInput, CompanyProfile, FiscalSettings};
use desk_model::ipc::{AppInfo, CompanySummary, FirstRunInput, Mode};
use desk_model::msg::Lang;
use std::path::{Path, PathBuf};
use uuid::Uuid;

const FIRST_RUN_DONE: &str = "first_run_done";
const LANGUAGE: &str = "language";

/// An open data folder and the context of the person working in it.
#[derive(Clone, Debug)]
pub struct Workspace {
    store: Store,
    dir: PathBuf,
    company: CompanySummary,
    /// The company's VAT regime and rounding, kept here because every draft save totals with them; they change
    /// only through this workspace's company methods.
    fiscal: FiscalSettings,
    actor: String,
}

impl Workspace {
    /// Opens the data folder (see [`paths::data_dir`]), applying migrations; a new folder gets a default company.
    pub async fn open(explicit_dir: Option<PathBuf>) -> CoreResult<Workspace> {
        let dir = paths::data_dir(explicit_dir);
        Workspace::open_dir(&dir, audit::os_user()).await
    }

    /// Opens a given folder as a given actor.
    pub async fn open_dir(dir: &Path, actor: String) -> CoreResult<Workspace> {
        let store = Store::open(dir).await?;
        let company = company::current_or_create(&store, &actor).await?;
        let fiscal = company::profile(&store, company.id).await?.fiscal;
        Ok(Workspace { store, dir: dir.to_path_buf(), company, fiscal, actor })
    }

    /// The local store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
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

    /// What the shell shows in its header and whether to show the first-run screen.
    pub async fn info(&self) -> CoreResult<AppInfo> {
        let lang = match self.store.setting(LANGUAGE).await?.as_deref() {
            Some("pt-PT") => Some(Lang::Pt),
            Some("en") => Some(Lang::En),
            _ => None,
        };
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: self.dir.display().to_string(),
            mode: Mode::Solo,
            company: self.company.clone(),
            first_run: self.store.setting(FIRST_RUN_DONE).await?.is_none(),
            lang,
            rounding: self.fiscal.rounding,
        })
    }

    /// Remembers the UI language.
    pub async fn set_language(&self, lang: Lang) -> CoreResult<()> {
        self.store.set_setting(LANGUAGE, lang.tag()).await
    }

    /// Completes the first-run screen: names the company, optionally loads sample customers.
    pub async fn complete_first_run(&mut self, input: &FirstRunInput) -> CoreResult<AppInfo> {
        self.company =
            company::update(&self.store, &self.actor, &self.company, &input.company_name, &input.company_nif).await?;
        if input.load_sample_data {
            crate::sample::load_starter_customers(self).await?;
        }
        self.store.set_setting(FIRST_RUN_DONE, &audit::now_text()).await?;
        self.info().await
    }

    /// Marks first run as done without changes (the CLI uses the folder as it is).
    pub async fn skip_first_run(&self) -> CoreResult<()> {
        if self.store.setting(FIRST_RUN_DONE).await?.is_none() {
            self.store.set_setting(FIRST_RUN_DONE, &audit::now_text()).await?;
        }
        Ok(())
    }

    /// Every company of this data folder, for the switcher.
    pub async fn companies(&self) -> CoreResult<Vec<CompanySummary>> {
        company::list(&self.store).await
    }

    /// The current company's profile (its documents' issuer block).
    pub async fn company_profile(&self) -> CoreResult<CompanyProfile> {
        company::profile(&self.store, self.company.id).await
    }

    /// Saves the current company's profile.
    pub async fn update_company(&mut self, input: &CompanyInput) -> CoreResult<CompanyProfile> {
        let p = company::update_profile(&self.store, &self.actor, self.company.id, input).await?;
        self.company = CompanySummary { id: p.id, name: p.name.clone(), nif: p.nif.clone() };
        self.fiscal = p.fiscal;
        Ok(p)
    }

    /// Adds a company and puts it on screen.
    pub async fn create_company(&mut self, input: &CompanyInput) -> CoreResult<CompanyProfile> {
        let p = company::create(&self.store, &self.actor, input).await?;
        self.company = company::make_current(&self.store, p.id).await?;
        self.fiscal = p.fiscal;
        Ok(p)
    }

    /// Puts another company on screen; every list and new document is then that company's.
    pub async fn switch_company(&mut self, id: Uuid) -> CoreResult<AppInfo> {
        self.company = company::make_current(&self.store, id).await?;
        self.fiscal = company::profile(&self.store, id).await?.fiscal;
        self.info().await
    }
}
