//! The Tauri commands, one file per area. Each takes its declared argument struct (`desk_model::ipc::call`) as
//! `args` and is one call: into `desk_core::api` for engine work, or to the desktop (dialogs, background jobs).

pub mod app;
pub mod company;
pub mod customers;
pub mod data;
pub mod documents;
pub mod moloni;
pub mod pdf;
pub mod products;
pub mod server;
pub mod unsaved;

use crate::state::AppState;
use desk_core::api::{Run, RunMut};
use desk_model::ipc::call::Reply;

/// Runs an engine command on the open workspace.
pub(crate) async fn run<C: Run>(state: &AppState, args: C) -> Reply<C> {
    Ok(args.run(&*state.read().await?).await?)
}

/// Runs an engine command that changes the workspace's context (company, first run).
pub(crate) async fn run_mut<C: RunMut>(state: &AppState, args: C) -> Reply<C> {
    Ok(args.run_mut(&mut *state.write().await?).await?)
}

/// Checks at compile time that each command function carries its declaration's name: `generate_handler!`
/// registers functions by name, and the UI calls the declared name.
macro_rules! named {
    ($($module:ident :: $f:ident => $call:ident,)*) => {
        $(const _: () = assert!(
            desk_model::ipc::call::same_name(<desk_model::ipc::call::$call as desk_model::ipc::Command>::NAME, stringify!($f)),
            concat!(stringify!($module), "::", stringify!($f), " is not named as its declaration ", stringify!($call), " says")
        );)*
    };
}

named! {
    app::app_info => AppInfo,
    app::first_run => FirstRun,
    app::set_language => SetLanguage,
    customers::customers_list => CustomersList,
    customers::customer_get => CustomerGet,
    customers::customer_create => CustomerCreate,
    customers::customer_update => CustomerUpdate,
    customers::customer_set_archived => CustomerSetArchived,
    products::products_list => ProductsList,
    products::product_create => ProductCreate,
    documents::documents_list => DocumentsList,
    documents::document_get => DocumentGet,
    documents::document_save => DocumentSave,
    documents::document_duplicate => DocumentDuplicate,
    documents::document_delete => DocumentDelete,
    documents::document_convert => DocumentConvert,
    documents::payment_record => PaymentRecord,
    documents::dashboard => Dashboard,
    company::companies_list => CompaniesList,
    company::company_profile => CompanyProfileGet,
    company::company_save => CompanySave,
    company::company_create => CompanyCreate,
    company::company_switch => CompanySwitch,
    pdf::pdf_preview => PdfPreviewGet,
    pdf::pdf_save_as => PdfSaveAs,
    pdf::pdf_open => PdfOpen,
    pdf::pdf_batch_start => PdfBatchStart,
    pdf::pdf_batch_status => PdfBatchStatusGet,
    pdf::pdf_batch_cancel => PdfBatchCancel,
    pdf::pick_folder => PickFolder,
    pdf::pick_image => PickImage,
    unsaved::unsaved_form_put => UnsavedFormPut,
    unsaved::unsaved_form_clear => UnsavedFormClear,
    unsaved::unsaved_forms_list => UnsavedFormsList,
    unsaved::window_close_ready => WindowCloseReady,
    moloni::moloni_status => MoloniStatusGet,
    moloni::moloni_connect => MoloniConnect,
    moloni::moloni_pick_company => MoloniPickCompany,
    moloni::moloni_disconnect => MoloniDisconnect,
    moloni::document_issue => DocumentIssue,
    moloni::issue_queue => IssueQueueGet,
    moloni::issue_queue_summary => IssueQueueSummaryGet,
    moloni::issue_withdraw => IssueWithdraw,
    moloni::issue_retry => IssueRetry,
    moloni::document_cancel => DocumentCancel,
    moloni::moloni_pdf_open => MoloniPdfOpen,
    moloni::moloni_sync => MoloniSync,
    moloni::moloni_sync_log => MoloniSyncLog,
    moloni::moloni_sync_status => MoloniSyncStatusGet,
    moloni::moloni_sync_settings => MoloniSyncSettingsGet,
    moloni::moloni_sync_settings_set => MoloniSyncSettingsSet,
    moloni::moloni_payment_methods => MoloniPaymentMethods,
    data::import_preview => ImportPreviewGet,
    data::import_start => ImportStart,
    data::import_status => ImportStatusGet,
    data::import_cancel => ImportCancel,
    data::import_profiles => ImportProfilesList,
    data::import_profile_save => ImportProfileSave,
    data::pick_import_file => PickImportFile,
    data::screen_state_put => ScreenStatePut,
    data::screen_state_get => ScreenStateGet,
    data::review_list => ReviewList,
    data::review_resolve => ReviewResolve,
    data::report_get => ReportGet,
    data::sales_overview => SalesOverviewGet,
    data::export_list => ExportList,
    server::server_status => ServerStatusGet,
    server::server_join => ServerJoin,
    server::server_leave => ServerLeave,
    server::office_sync_status => OfficeSyncStatusGet,
    server::office_sync_now => OfficeSyncNow,
    server::office_conflicts => OfficeConflictsList,
    server::office_conflict_resolve => OfficeConflictResolve,
    server::office_rejection_retry => OfficeRejectionRetry,
    server::office_rejection_dismiss => OfficeRejectionDismiss,
    server::server_users => ServerUsersList,
    server::server_user_add => ServerUserAdd,
    server::server_user_set_role => ServerUserSetRole,
    server::server_user_reset => ServerUserReset,
    server::server_user_disable => ServerUserDisable,
    server::audit_list => AuditList,
}
