//! Typed calls to the Tauri commands: each sends the command's declared argument struct
//! (`desk_model::ipc::call`) and gets its declared result, and any failure comes back as the one `AppError`
//! (a broken bridge becomes an `Internal` error with a message, never a panic).

use desk_model::ipc::call::{self, Command};
use desk_model::ipc::{AppError, AppInfo, Customer, CustomerInput, CustomerQuery, ErrorKind, FirstRunInput, Page};
use desk_model::msg::{Lang, Localized};
use serde::Serialize;
use uuid::Uuid;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // Needs `app.withGlobalTauri = true` in tauri.conf.json.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

fn bridge_error(detail: String) -> AppError {
    AppError::new(
        ErrorKind::Internal,
        Localized::new(
            format!("Falha na comunicação com o motor da aplicação ({detail}). Reinicie a aplicação."),
            format!("The app's engine did not answer properly ({detail}). Restart the app."),
        ),
    )
}

/// Sends one command's arguments (as `{"args": …}`, the shell's parameter name) and reads its declared result.
pub async fn call<C: Command>(args: &C) -> Result<C::Output, AppError> {
    #[derive(Serialize)]
    struct Wire<'a, C> {
        args: &'a C,
    }
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = Wire { args }.serialize(&serializer).map_err(|e| bridge_error(e.to_string()))?;
    match invoke(C::NAME, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| bridge_error(e.to_string())),
        Err(err) => Err(serde_wasm_bindgen::from_value::<AppError>(err.clone())
            .unwrap_or_else(|_| bridge_error(err.as_string().unwrap_or_else(|| format!("{err:?}"))))),
    }
}

/// Header info and first-run flag.
pub async fn app_info() -> Result<AppInfo, AppError> {
    call(&call::AppInfo {}).await
}

/// Completes the first-run screen.
pub async fn first_run(input: &FirstRunInput) -> Result<AppInfo, AppError> {
    call(&call::FirstRun { input: input.clone() }).await
}

/// Remembers the UI language.
pub async fn set_language(lang: Lang) -> Result<(), AppError> {
    call(&call::SetLanguage { lang }).await
}

/// A page of customers.
pub async fn customers_list(query: &CustomerQuery) -> Result<Page<Customer>, AppError> {
    call(&call::CustomersList { query: query.clone() }).await
}

/// One customer (the editor reads the document's, for its warnings and defaults).
pub async fn customer_get(id: Uuid) -> Result<Customer, AppError> {
    call(&call::CustomerGet { id }).await
}

/// Creates a customer.
pub async fn customer_create(input: &CustomerInput) -> Result<Customer, AppError> {
    call(&call::CustomerCreate { input: input.clone() }).await
}

/// Edits a customer.
pub async fn customer_update(id: Uuid, input: &CustomerInput) -> Result<Customer, AppError> {
    call(&call::CustomerUpdate { id, input: input.clone() }).await
}

/// Archives or restores a customer.
pub async fn customer_set_archived(id: Uuid, archived: bool) -> Result<Customer, AppError> {
    call(&call::CustomerSetArchived { id, archived }).await
}

use desk_model::document::DocType;
use desk_model::ipc::{
    Dashboard, Document, DocumentInput, DocumentQuery, DocumentRow, Payment, PaymentInput, Product, ProductInput,
    ProductQuery,
};

/// A page of products (the editor's autocomplete).
pub async fn products_list(query: &ProductQuery) -> Result<Page<Product>, AppError> {
    call(&call::ProductsList { query: query.clone() }).await
}

/// A page of documents.
pub async fn documents_list(query: &DocumentQuery) -> Result<Page<DocumentRow>, AppError> {
    call(&call::DocumentsList { query: query.clone() }).await
}

/// One document.
pub async fn document_get(id: Uuid) -> Result<Document, AppError> {
    call(&call::DocumentGet { id }).await
}

/// Saves a whole draft (new when `id` is None).
pub async fn document_save(id: Option<Uuid>, input: &DocumentInput) -> Result<Document, AppError> {
    call(&call::DocumentSave { id, input: input.clone() }).await
}

/// Copies a document into a new draft.
pub async fn document_duplicate(id: Uuid) -> Result<Document, AppError> {
    call(&call::DocumentDuplicate { id }).await
}

/// Removes a draft.
pub async fn document_delete(id: Uuid) -> Result<(), AppError> {
    call(&call::DocumentDelete { id }).await
}

/// Makes a new draft of type `to` from an issued document.
pub async fn document_convert(id: Uuid, to: DocType, reason: &str) -> Result<Document, AppError> {
    call(&call::DocumentConvert { id, to, reason: reason.to_string() }).await
}

/// Records a payment.
pub async fn payment_record(input: &PaymentInput) -> Result<Payment, AppError> {
    call(&call::PaymentRecord { input: input.clone() }).await
}

/// The dashboard's figures.
pub async fn dashboard() -> Result<Dashboard, AppError> {
    call(&call::Dashboard {}).await
}

/// Creates a product.
pub async fn product_create(input: &ProductInput) -> Result<Product, AppError> {
    call(&call::ProductCreate { input: input.clone() }).await
}

use desk_model::company::{CompanyInput, CompanyProfile};
use desk_model::ipc::{CompanySummary, PdfBatchInput, PdfBatchStatus, PdfPreview, PdfSaved};

/// Every company, for the switcher.
pub async fn companies_list() -> Result<Vec<CompanySummary>, AppError> {
    call(&call::CompaniesList {}).await
}

/// The current company's profile.
pub async fn company_profile() -> Result<CompanyProfile, AppError> {
    call(&call::CompanyProfileGet {}).await
}

/// Saves the current company's profile.
pub async fn company_save(input: &CompanyInput) -> Result<CompanyProfile, AppError> {
    call(&call::CompanySave { input: input.clone() }).await
}

/// Adds a company and switches to it.
pub async fn company_create(input: &CompanyInput) -> Result<AppInfo, AppError> {
    call(&call::CompanyCreate { input: input.clone() }).await
}

/// Switches to another company.
pub async fn company_switch(id: Uuid) -> Result<AppInfo, AppError> {
    call(&call::CompanySwitch { id }).await
}

/// A document as it will print.
pub async fn pdf_preview(id: Uuid, lang: Lang) -> Result<PdfPreview, AppError> {
    call(&call::PdfPreviewGet { id, lang }).await
}

/// Saves a document's PDF where the user chooses; `None` if the dialog was cancelled.
pub async fn pdf_save_as(id: Uuid, lang: Lang) -> Result<Option<PdfSaved>, AppError> {
    call(&call::PdfSaveAs { id, lang }).await
}

/// Opens a document's PDF in the system viewer.
pub async fn pdf_open(id: Uuid, lang: Lang) -> Result<PdfSaved, AppError> {
    call(&call::PdfOpen { id, lang }).await
}

/// Starts printing a filtered list.
pub async fn pdf_batch_start(input: &PdfBatchInput) -> Result<PdfBatchStatus, AppError> {
    call(&call::PdfBatchStart { input: input.clone() }).await
}

/// The running batch's progress.
pub async fn pdf_batch_status() -> Result<PdfBatchStatus, AppError> {
    call(&call::PdfBatchStatusGet {}).await
}

/// Stops the running batch.
pub async fn pdf_batch_cancel() -> Result<(), AppError> {
    call(&call::PdfBatchCancel {}).await
}

/// A folder chosen in the system dialog.
pub async fn pick_folder() -> Result<Option<String>, AppError> {
    call(&call::PickFolder {}).await
}

/// An image file chosen in the system dialog.
pub async fn pick_image() -> Result<Option<String>, AppError> {
    call(&call::PickImage {}).await
}

use desk_model::unsaved::UnsavedForm;

/// Journals an editor's form as typed (durable when it answers).
pub async fn unsaved_form_put(form: &UnsavedForm) -> Result<(), AppError> {
    call(&call::UnsavedFormPut { form: form.clone() }).await
}

/// Forgets an editor's journalled form.
pub async fn unsaved_form_clear(key: Uuid) -> Result<(), AppError> {
    call(&call::UnsavedFormClear { key }).await
}

/// The current company's journalled forms, newest first.
pub async fn unsaved_forms_list() -> Result<Vec<UnsavedForm>, AppError> {
    call(&call::UnsavedFormsList {}).await
}

/// Tells the shell the page has stored its work after a close request: the window closes.
pub async fn window_close_ready() -> Result<(), AppError> {
    call(&call::WindowCloseReady {}).await
}

use desk_model::ipc::{IssueOutcome, MoloniConnectInput, MoloniStatus};

/// The Moloni connection's state (`check`: ask Moloni).
pub async fn moloni_status(check: bool) -> Result<MoloniStatus, AppError> {
    call(&call::MoloniStatusGet { check }).await
}

/// Tests and stores a Moloni connection.
pub async fn moloni_connect(input: &MoloniConnectInput) -> Result<MoloniStatus, AppError> {
    call(&call::MoloniConnect { input: input.clone() }).await
}

/// Chooses the Moloni company of the current company.
pub async fn moloni_pick_company(company_id: i64) -> Result<MoloniStatus, AppError> {
    call(&call::MoloniPickCompany { company_id }).await
}

/// Forgets the Moloni connection.
pub async fn moloni_disconnect() -> Result<MoloniStatus, AppError> {
    call(&call::MoloniDisconnect {}).await
}

/// Issues a document through Moloni now (a draft is queued first).
pub async fn document_issue(id: Uuid) -> Result<IssueOutcome, AppError> {
    call(&call::DocumentIssue { id }).await
}

use desk_model::ipc::{IssueQueueSummary, IssueRequestInfo};

/// The issue queue of the company on screen.
pub async fn issue_queue() -> Result<Vec<IssueRequestInfo>, AppError> {
    call(&call::IssueQueueGet {}).await
}

/// The issue queue at a glance (the badge).
pub async fn issue_queue_summary() -> Result<IssueQueueSummary, AppError> {
    call(&call::IssueQueueSummaryGet {}).await
}

/// Takes a request out of the queue, back to draft.
pub async fn issue_withdraw(id: Uuid) -> Result<Document, AppError> {
    call(&call::IssueWithdraw { id }).await
}

/// Tries a request again now.
pub async fn issue_retry(id: Uuid) -> Result<IssueOutcome, AppError> {
    call(&call::IssueRetry { id }).await
}

/// Cancels an issued document with its reason.
pub async fn document_cancel(id: Uuid, reason: &str) -> Result<Document, AppError> {
    call(&call::DocumentCancel { id, reason: reason.to_string() }).await
}

/// Opens Moloni's PDF of an issued document (downloaded once, then kept).
pub async fn moloni_pdf_open(id: Uuid) -> Result<PdfSaved, AppError> {
    call(&call::MoloniPdfOpen { id }).await
}

/// Syncs with Moloni now.
pub async fn moloni_sync(full: bool) -> Result<desk_model::ipc::MoloniSyncReport, AppError> {
    call(&call::MoloniSync { full }).await
}

/// The payment methods to offer (the connected Moloni company's; empty without one).
pub async fn moloni_payment_methods() -> Result<Vec<String>, AppError> {
    call(&call::MoloniPaymentMethods {}).await
}

/// Whether the sync asked for is running, and how far it is.
pub async fn moloni_sync_status() -> Result<desk_model::ipc::MoloniSyncStatus, AppError> {
    call(&call::MoloniSyncStatusGet {}).await
}

/// Which kinds the Moloni sync covers and how often it runs.
pub async fn moloni_sync_settings() -> Result<desk_model::ipc::MoloniSyncSettings, AppError> {
    call(&call::MoloniSyncSettingsGet {}).await
}

/// Changes which kinds the Moloni sync covers and how often it runs.
pub async fn moloni_sync_settings_set(
    settings: desk_model::ipc::MoloniSyncSettings,
) -> Result<desk_model::ipc::MoloniSyncSettings, AppError> {
    call(&call::MoloniSyncSettingsSet { settings }).await
}

/// The Moloni sync log, newest first.
pub async fn moloni_sync_log(limit: u32) -> Result<Vec<desk_model::ipc::MoloniSyncReport>, AppError> {
    call(&call::MoloniSyncLog { limit }).await
}

/// The dry run of an import.
pub async fn import_preview(
    request: &desk_model::ipc::ImportRequest,
) -> Result<desk_model::ipc::ImportPreview, AppError> {
    call(&call::ImportPreviewGet { request: request.clone() }).await
}

/// Starts committing an import.
pub async fn import_start(request: &desk_model::ipc::ImportRequest) -> Result<desk_model::ipc::ImportStatus, AppError> {
    call(&call::ImportStart { request: request.clone() }).await
}

/// The running import's progress.
pub async fn import_status() -> Result<desk_model::ipc::ImportStatus, AppError> {
    call(&call::ImportStatusGet {}).await
}

/// Cancels the running import.
pub async fn import_cancel() -> Result<(), AppError> {
    call(&call::ImportCancel {}).await
}

/// The import profiles for a kind.
pub async fn import_profiles(
    kind: desk_model::ipc::ImportKind,
) -> Result<Vec<desk_model::ipc::ImportProfile>, AppError> {
    call(&call::ImportProfilesList { kind }).await
}

/// Saves a mapping as a profile.
pub async fn import_profile_save(profile: &desk_model::ipc::ImportProfile) -> Result<(), AppError> {
    call(&call::ImportProfileSave { profile: profile.clone() }).await
}

/// A file chosen in the system dialog.
pub async fn pick_import_file() -> Result<Option<String>, AppError> {
    call(&call::PickImportFile {}).await
}

/// Keeps a screen's form.
pub async fn screen_state_put(screen: &str, state: String) -> Result<(), AppError> {
    call(&call::ScreenStatePut { screen: screen.into(), state }).await
}

/// A screen's form as kept.
pub async fn screen_state_get(screen: &str) -> Result<Option<String>, AppError> {
    call(&call::ScreenStateGet { screen: screen.into() }).await
}

/// The review list.
pub async fn review_list() -> Result<Vec<desk_model::ipc::ReviewItem>, AppError> {
    call(&call::ReviewList {}).await
}

/// Settles a review item.
pub async fn review_resolve(id: i64, resolution: desk_model::ipc::Resolution) -> Result<(), AppError> {
    call(&call::ReviewResolve { id, resolution }).await
}

/// A report.
pub async fn report_get(request: &desk_model::ipc::ReportRequest) -> Result<desk_model::ipc::ReportData, AppError> {
    call(&call::ReportGet { request: request.clone() }).await
}

/// The dashboard's sales against last year's.
pub async fn sales_overview() -> Result<desk_model::ipc::SalesOverview, AppError> {
    call(&call::SalesOverviewGet {}).await
}

/// Writes a list or a report to a file in the documents folder.
pub async fn export_list(input: &desk_model::ipc::ExportInput) -> Result<desk_model::ipc::ExportSaved, AppError> {
    call(&call::ExportList { input: input.clone() }).await
}

/// The office connection; `check` asks the server.
pub async fn server_status(check: bool) -> Result<desk_model::ipc::ServerStatus, AppError> {
    call(&call::ServerStatusGet { check }).await
}

/// The office's people.
pub async fn server_users() -> Result<Vec<desk_model::ipc::ServerUser>, AppError> {
    call(&call::ServerUsersList {}).await
}

/// Adds a person to the current company; the generated password comes back once.
pub async fn server_user_add(
    name: &str,
    role: desk_model::ipc::ServerRole,
) -> Result<desk_model::ipc::ServerUserCreated, AppError> {
    call(&call::ServerUserAdd { name: name.to_string(), role, companies: Vec::new() }).await
}

/// Changes a person's role.
pub async fn server_user_set_role(
    name: &str,
    role: desk_model::ipc::ServerRole,
) -> Result<desk_model::ipc::ServerUser, AppError> {
    call(&call::ServerUserSetRole { name: name.to_string(), role }).await
}

/// Resets a person's password; the new one comes back once.
pub async fn server_user_reset(name: &str) -> Result<desk_model::ipc::ServerUserCreated, AppError> {
    call(&call::ServerUserReset { name: name.to_string() }).await
}

/// Deactivates a person.
pub async fn server_user_disable(name: &str) -> Result<desk_model::ipc::ServerUser, AppError> {
    call(&call::ServerUserDisable { name: name.to_string() }).await
}

/// The server's audit trail.
pub async fn audit_list(query: &desk_model::ipc::AuditQuery) -> Result<Vec<desk_model::ipc::AuditEntry>, AppError> {
    call(&call::AuditList { query: query.clone() }).await
}

/// Joins an office server.
pub async fn server_join(url: &str, password: &str) -> Result<desk_model::ipc::ServerStatus, AppError> {
    call(&call::ServerJoin { url: url.to_string(), password: password.to_string() }).await
}

/// Leaves the office.
pub async fn server_leave() -> Result<desk_model::ipc::ServerStatus, AppError> {
    call(&call::ServerLeave {}).await
}

/// Office sync's state.
pub async fn office_sync_status() -> Result<desk_model::ipc::OfficeSyncStatus, AppError> {
    call(&call::OfficeSyncStatusGet {}).await
}

/// One sync round now.
pub async fn office_sync_now() -> Result<desk_model::ipc::OfficeSyncReport, AppError> {
    call(&call::OfficeSyncNow {}).await
}

/// The conflict queue.
pub async fn office_conflicts() -> Result<Vec<desk_model::ipc::OfficeConflict>, AppError> {
    call(&call::OfficeConflictsList {}).await
}

/// Decides a conflict.
pub async fn office_conflict_resolve(
    id: Uuid,
    choice: desk_model::ipc::ConflictChoice,
    value: Option<String>,
) -> Result<desk_model::ipc::OfficeConflict, AppError> {
    call(&call::OfficeConflictResolve { id, choice, value }).await
}

/// Sends a refused edit again.
pub async fn office_rejection_retry(id: i64) -> Result<(), AppError> {
    call(&call::OfficeRejectionRetry { id }).await
}

/// Takes a refused edit off the list.
pub async fn office_rejection_dismiss(id: i64) -> Result<(), AppError> {
    call(&call::OfficeRejectionDismiss { id }).await
}
