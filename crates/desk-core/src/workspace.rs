//! The engine's front door: one open data folder, the company on screen and who is working. The Tauri
//! commands and the `desk` CLI both hold a [`Workspace`] and call the services through it.

use crate::audit;
use crate::company;
use crate::context::Ctx;
use crate::error::CoreResult;
use crate::paths;
use crate::store::Store;
use desk_model::company::{CompanyInput, CompanyProfile};
use desk_model::ipc::{AppInfo, CompanySummary, FirstRunInput, Mode};
use desk_model::msg::Lang;
use std::path::{Path, PathBuf};
use uuid::Uuid;

const FIRST_RUN_DONE: &str = "first_run_done";
const LANGUAGE: &str = "language";
/// The demo company's NIF (the Moloni stand-in's demo company has it too).
pub const DEMO_NIF: &str = "509442013";

/// An open data folder and the context of the person working in it (its [`Ctx`], which every service takes).
#[derive(Clone, Debug)]
pub struct Workspace {
    cx: Ctx,
    dir: PathBuf,
}

impl std::ops::Deref for Workspace {
    type Target = Ctx;
    fn deref(&self) -> &Ctx {
        &self.cx
    }
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
        crate::sync::outbox::trim_solo(&store, crate::sync::outbox::SOLO_KEEP).await?;
        let company = company::current_or_create(&store, &actor).await?;
        let fiscal = company::profile(&store, company.id).await?.fiscal;
        Ok(Workspace { cx: Ctx { store, company, fiscal, actor }, dir: dir.to_path_buf() })
    }

    /// The service context (also reached through `Deref`).
    pub fn cx(&self) -> &Ctx {
        &self.cx
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the shell shows in its header and whether to show the first-run screen.
    pub async fn info(&self) -> CoreResult<AppInfo> {
        let lang = match self.cx.store.setting(LANGUAGE).await?.as_deref() {
            Some("pt-PT") => Some(Lang::Pt),
            Some("en") => Some(Lang::En),
            _ => None,
        };
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: self.dir.display().to_string(),
            mode: if self.cx.store.setting(crate::server::join::URL).await?.is_some() {
                Mode::Office
            } else {
                Mode::Solo
            },
            company: self.cx.company.clone(),
            first_run: self.cx.store.setting(FIRST_RUN_DONE).await?.is_none(),
            lang,
            rounding: self.cx.fiscal.rounding,
        })
    }

    /// Remembers the UI language.
    pub async fn set_language(&self, lang: Lang) -> CoreResult<()> {
        self.cx.store.set_setting(LANGUAGE, lang.tag()).await
    }

    /// Completes the first-run screen: names the company, optionally loads sample customers.
    pub async fn complete_first_run(&mut self, input: &FirstRunInput) -> CoreResult<AppInfo> {
        self.cx.company = company::update(&self.cx, &input.company_name, &input.company_nif).await?;
        if input.load_sample_data {
            crate::sample::load_starter_customers(self).await?;
        }
        self.cx.store.set_setting(FIRST_RUN_DONE, &audit::now_text()).await?;
        self.info().await
    }

    /// Marks first run as done without changes (the CLI uses the folder as it is).
    pub async fn skip_first_run(&self) -> CoreResult<()> {
        if self.cx.store.setting(FIRST_RUN_DONE).await?.is_none() {
            self.cx.store.set_setting(FIRST_RUN_DONE, &audit::now_text()).await?;
        }
        Ok(())
    }

    /// Every company of this data folder, for the switcher.
    pub async fn companies(&self) -> CoreResult<Vec<CompanySummary>> {
        company::list(&self.cx.store).await
    }

    /// Saves the current company's profile.
    pub async fn update_company(&mut self, input: &CompanyInput) -> CoreResult<CompanyProfile> {
        let p = company::update_profile(&self.cx, self.cx.company.id, input).await?;
        self.cx.company = CompanySummary { id: p.id, name: p.name.clone(), nif: p.nif.clone() };
        self.cx.fiscal = p.fiscal;
        Ok(p)
    }

    /// Adds a company and puts it on screen.
    pub async fn create_company(&mut self, input: &CompanyInput) -> CoreResult<CompanyProfile> {
        let p = company::create(&self.cx, input).await?;
        self.cx.company = company::make_current(&self.cx.store, p.id).await?;
        self.cx.fiscal = p.fiscal;
        Ok(p)
    }

    /// Puts the demo company on screen, creating it the first time: sample data (`desk sample-data`) goes there,
    /// never into a real company, because the bulk door marks its company as demo data that never syncs. It has
    /// the issuer block an issued document needs (NIF, address), the Moloni stand-in's demo company's.
    pub async fn open_demo_company(&mut self) -> CoreResult<CompanyProfile> {
        let existing = company::list(&self.cx.store).await?.into_iter().find(|c| c.nif.as_deref() == Some(DEMO_NIF));
        if let Some(c) = existing {
            self.switch_company(c.id).await?;
            return self.cx.company_profile().await;
        }
        let input = CompanyInput {
            name: "Demo Contabilidade, Lda".into(),
            nif: DEMO_NIF.into(),
            address: "Rua do Ouro 12".into(),
            postal_code: "1100-060".into(),
            city: "Lisboa".into(),
            iban: "PT50000201231234567890154".into(),
            ..Default::default()
        };
        self.create_company(&input).await
    }

    /// Joins an office server (see [`crate::server::join::join`]); the company on screen may take the server's id.
    pub async fn join_office(&mut self, url: &str, password: &str) -> CoreResult<crate::server::join::Joined> {
        let joined = crate::server::join::join(&self.cx, url, password).await?;
        if let crate::server::join::Adoption::Rekeyed { .. } = joined.adoption {
            self.cx.company = company::current_or_create(&self.cx.store, &self.cx.actor).await?;
            self.cx.fiscal = company::profile(&self.cx.store, self.cx.company.id).await?.fiscal;
        }
        Ok(joined)
    }

    /// Puts another company on screen; every list and new document is then that company's.
    pub async fn switch_company(&mut self, id: Uuid) -> CoreResult<AppInfo> {
        self.cx.company = company::make_current(&self.cx.store, id).await?;
        self.cx.fiscal = company::profile(&self.cx.store, id).await?.fiscal;
        self.info().await
    }
}
