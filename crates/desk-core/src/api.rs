//! The engine's side of each command declared in `desk_model::ipc::call`: one `run` per command, the only
//! place that takes a command's arguments apart. The shell's commands and the `desk` CLI both go through it,
//! so a renamed argument fails to compile in each. Commands that need the desktop (dialogs, background jobs)
//! are the shell's own.

use crate::{customers, dashboard, documents, payments, printing, products, unsaved, CoreResult, Workspace};
use desk_model::ipc::call::{self, Command};
use std::future::Future;

/// A command the engine answers from the open workspace.
pub trait Run: Command {
    /// Runs it.
    fn run(self, ws: &Workspace) -> impl Future<Output = CoreResult<Self::Output>> + Send;
}

/// A command that changes the workspace's context (its current company, the first run).
pub trait RunMut: Command {
    /// Runs it.
    fn run_mut(self, ws: &mut Workspace) -> impl Future<Output = CoreResult<Self::Output>> + Send;
}

macro_rules! run {
    ($($cmd:ident |$args:pat_param, $ws:ident| $body:expr;)*) => {
        $(impl Run for call::$cmd {
            async fn run(self, $ws: &Workspace) -> CoreResult<Self::Output> {
                let $args = self;
                $body
            }
        })*
    };
}

macro_rules! run_mut {
    ($($cmd:ident |$args:pat_param, $ws:ident| $body:expr;)*) => {
        $(impl RunMut for call::$cmd {
            async fn run_mut(self, $ws: &mut Workspace) -> CoreResult<Self::Output> {
                let $args = self;
                $body
            }
        })*
    };
}

run! {
    AppInfo |call::AppInfo {}, ws| ws.info().await;
    SetLanguage |call::SetLanguage { lang }, ws| ws.set_language(lang).await;
    CustomersList |call::CustomersList { query }, ws| customers::list(ws, &query).await;
    CustomerGet |call::CustomerGet { id }, ws| customers::get(ws, id).await;
    CustomerCreate |call::CustomerCreate { input }, ws| customers::create(ws, &input).await;
    CustomerUpdate |call::CustomerUpdate { id, input }, ws| customers::update(ws, id, &input).await;
    CustomerSetArchived |call::CustomerSetArchived { id, archived }, ws| customers::set_archived(ws, id, archived).await;
    ProductsList |call::ProductsList { query }, ws| products::list(ws, &query).await;
    ProductCreate |call::ProductCreate { input }, ws| products::create(ws, &input).await;
    DocumentsList |call::DocumentsList { query }, ws| documents::list(ws, &query).await;
    DocumentGet |call::DocumentGet { id }, ws| documents::get(ws, id).await;
    DocumentSave |call::DocumentSave { id, input }, ws| documents::save_draft(ws, id, &input).await;
    DocumentDuplicate |call::DocumentDuplicate { id }, ws| documents::duplicate(ws, id, None).await;
    DocumentDelete |call::DocumentDelete { id }, ws| documents::delete_draft(ws, id).await;
    DocumentConvert |call::DocumentConvert { id, to, reason }, ws| documents::convert(ws, id, to, &reason, None).await;
    PaymentRecord |call::PaymentRecord { input }, ws| payments::record(ws, &input).await;
    Dashboard |call::Dashboard {}, ws| dashboard::get(ws, None).await;
    CompaniesList |call::CompaniesList {}, ws| ws.companies().await;
    CompanyProfileGet |call::CompanyProfileGet {}, ws| ws.company_profile().await;
    PdfPreviewGet |call::PdfPreviewGet { id, lang }, ws| printing::preview(ws, id, lang).await;
    UnsavedFormPut |call::UnsavedFormPut { form }, ws| unsaved::put(ws, &form).await;
    UnsavedFormClear |call::UnsavedFormClear { key }, ws| unsaved::clear(ws, key).await;
    UnsavedFormsList |call::UnsavedFormsList {}, ws| unsaved::list(ws).await;
    MoloniStatusGet |call::MoloniStatusGet { check }, ws| crate::moloni::status(ws, check).await;
    MoloniConnect |call::MoloniConnect { input }, ws| crate::moloni::connect(ws, &input).await;
    DocumentIssue |call::DocumentIssue { id }, ws| {
        crate::moloni::issuer::issue_now(ws, id, &crate::moloni::issuer::owner()).await
    };
    IssueQueueGet |call::IssueQueueGet {}, ws| documents::issue::queue(ws).await;
    IssueQueueSummaryGet |call::IssueQueueSummaryGet {}, ws| documents::issue::queue_summary(ws).await;
    IssueWithdraw |call::IssueWithdraw { id }, ws| documents::issue::withdraw_issue(ws, id).await;
    IssueRetry |call::IssueRetry { id }, ws| crate::moloni::issuer::retry_now(ws, id, &crate::moloni::issuer::owner()).await;
    DocumentCancel |call::DocumentCancel { id, reason }, ws| crate::moloni::issuer::cancel_now(ws, id, &reason).await;
    MoloniPdfOpen |call::MoloniPdfOpen { id }, ws| crate::moloni::pdf::fetch(ws, ws.dir(), id).await;
    MoloniSync |call::MoloniSync { full }, ws| {
        crate::moloni::sync::run(ws, full, &crate::moloni::issuer::owner(), &mut |_| {}).await
    };
    MoloniSyncLog |call::MoloniSyncLog { limit }, ws| crate::moloni::sync::history(ws, limit).await;
    MoloniSyncSettingsGet |call::MoloniSyncSettingsGet {}, ws| crate::moloni::sync::settings(ws).await;
    MoloniPaymentMethods |call::MoloniPaymentMethods {}, ws| crate::moloni::sync::reference::payment_methods(ws).await;
    MoloniSyncSettingsSet |call::MoloniSyncSettingsSet { settings }, ws| {
        crate::moloni::sync::set_settings(ws, &settings).await
    };
    MoloniPickCompany |call::MoloniPickCompany { company_id }, ws| crate::moloni::pick_company(ws, company_id).await;
    MoloniDisconnect |call::MoloniDisconnect {}, ws| crate::moloni::disconnect(ws).await;
    ImportPreviewGet |call::ImportPreviewGet { request }, ws| Ok(crate::import::preview(ws, &request).await?);
    ImportProfilesList |call::ImportProfilesList { kind }, ws| crate::import::profiles(ws, kind).await;
    ImportProfileSave |call::ImportProfileSave { profile }, ws| crate::import::mapping::save_profile(ws, &profile).await;
    ScreenStatePut |call::ScreenStatePut { screen, state }, ws| crate::screen::put(ws, &screen, &state).await;
    ScreenStateGet |call::ScreenStateGet { screen }, ws| crate::screen::get(ws, &screen).await;
    ReviewList |call::ReviewList {}, ws| crate::review::list(ws).await;
    ReviewResolve |call::ReviewResolve { id, resolution }, ws| crate::review::resolve(ws, id, resolution).await;
    ReportGet |call::ReportGet { request }, ws| crate::reports::get(ws, &request).await;
    SalesOverviewGet |call::SalesOverviewGet {}, ws| crate::reports::overview(ws, None).await;
    ServerStatusGet |call::ServerStatusGet { check }, ws| crate::server::join::status(ws.store(), check).await;
    ServerLeave |call::ServerLeave {}, ws| crate::server::join::leave(ws.store()).await;
    ServerUsersList |call::ServerUsersList {}, ws| crate::server::calls::users_list(ws).await;
    ServerUserAdd |call::ServerUserAdd { name, role, companies }, ws| {
        crate::server::calls::user_add(ws, &name, role, &companies).await
    };
    ServerUserSetRole |call::ServerUserSetRole { name, role }, ws| crate::server::calls::user_set_role(ws, &name, role).await;
    ServerUserReset |call::ServerUserReset { name }, ws| crate::server::calls::user_reset(ws, &name).await;
    ServerUserDisable |call::ServerUserDisable { name }, ws| crate::server::calls::user_disable(ws, &name).await;
    AuditList |call::AuditList { query }, ws| crate::server::calls::audit_list(ws, &query).await;
    OfficeSyncStatusGet |call::OfficeSyncStatusGet {}, ws| crate::sync::office::status(ws).await;
    OfficeSyncNow |call::OfficeSyncNow {}, ws| crate::sync::office::sync_now(ws, &|_, _| {}).await;
    OfficeConflictsList |call::OfficeConflictsList {}, ws| crate::sync::office::conflicts(ws).await;
    OfficeConflictResolve |call::OfficeConflictResolve { id, choice, value }, ws| {
        crate::sync::office::resolve(ws, id, choice, value.as_deref()).await
    };
    OfficeRejectionRetry |call::OfficeRejectionRetry { id }, ws| crate::sync::office::rejection_retry(ws, id).await;
    OfficeRejectionDismiss |call::OfficeRejectionDismiss { id }, ws| crate::sync::office::rejection_dismiss(ws, id).await;
}

run_mut! {
    FirstRun |call::FirstRun { input }, ws| ws.complete_first_run(&input).await;
    CompanySave |call::CompanySave { input }, ws| ws.update_company(&input).await;
    CompanyCreate |call::CompanyCreate { input }, ws| {
        ws.create_company(&input).await?;
        ws.info().await
    };
    CompanySwitch |call::CompanySwitch { id }, ws| ws.switch_company(id).await;
    ServerJoin |call::ServerJoin { url, password }, ws| Ok(ws.join_office(&url, &password).await?.status);
}
