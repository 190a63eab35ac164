//! One typed declaration per command: its name on the bridge, its argument struct and its result type.
//!
//! The shell's command takes the struct (`args`), the UI sends it (`ipc::call`), desk-core runs it
//! (`desk_core::api`) and the CLI builds it for the same engine call; renaming a field here fails to compile
//! in each of them. On the wire a command's arguments travel as `{"args": {...}}`.

use crate::company::{CompanyInput, CompanyProfile};
use crate::customer::CustomerInput;
use crate::document::{DocType, DocumentInput, PaymentInput};
use crate::error::AppError;
use crate::ipc::{
    AppInfo as AppInfoRecord, CompanySummary, Customer, CustomerQuery, Dashboard as DashboardRecord, Document,
    DocumentQuery, DocumentRow, FirstRunInput, IssueOutcome, IssueQueueSummary, IssueRequestInfo, MoloniConnectInput,
    MoloniStatus, MoloniSyncReport, MoloniSyncSettings, MoloniSyncStatus, Page, Payment, PdfBatchInput, PdfBatchStatus,
    PdfPreview, PdfSaved, Product, ProductQuery,
};
use crate::ipc::{AuditEntry, AuditQuery, ServerRole, ServerStatus, ServerUser, ServerUserCreated};
use crate::ipc::{ConflictChoice, OfficeConflict, OfficeSyncReport, OfficeSyncStatus};
use crate::ipc::{
    ExportInput, ExportSaved, ImportKind, ImportPreview, ImportProfile, ImportRequest, ImportStatus, ReportData,
    ReportRequest, Resolution, ReviewItem, SalesOverview,
};
use crate::msg::Lang;
use crate::product::ProductInput;
use crate::unsaved::UnsavedForm;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A command across the bridge: the implementing struct is its arguments.
pub trait Command: Serialize + DeserializeOwned {
    /// Its name on the bridge (the shell's function name).
    const NAME: &'static str;
    /// What it returns.
    type Output: Serialize + DeserializeOwned;
}

/// What a command answers across the bridge.
pub type Reply<C> = Result<<C as Command>::Output, AppError>;

/// Byte equality in a `const` context: the shell checks at compile time that each command function is named
/// as its declaration says (`generate_handler!` registers functions by their names).
pub const fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

macro_rules! calls {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident = $wire:literal { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* $(,)? } -> $out:ty;
    )*) => {
        $(
            $(#[doc = $doc])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            pub struct $name { $( $(#[doc = $fdoc])* pub $field: $ty, )* }

            impl Command for $name {
                const NAME: &'static str = $wire;
                type Output = $out;
            }
        )*

        /// Every command's name, in declaration order (the shell's test checks it registers each one).
        pub const ALL: &[&str] = &[$($wire),*];
    };
}

calls! {
    /// What the shell's header and the first-run screen need.
    AppInfo = "app_info" {} -> AppInfoRecord;
    /// Completes the first-run screen.
    FirstRun = "first_run" {
        /// The screen's answers.
        input: FirstRunInput,
    } -> AppInfoRecord;
    /// Remembers the UI language.
    SetLanguage = "set_language" {
        /// The language chosen.
        lang: Lang,
    } -> ();

    /// A page of customers (search, archived or not).
    CustomersList = "customers_list" {
        /// The search and the page asked for.
        query: CustomerQuery,
    } -> Page<Customer>;
    /// One customer.
    CustomerGet = "customer_get" {
        /// Its id.
        id: Uuid,
    } -> Customer;
    /// Creates a customer.
    CustomerCreate = "customer_create" {
        /// The form as typed.
        input: CustomerInput,
    } -> Customer;
    /// Edits a customer.
    CustomerUpdate = "customer_update" {
        /// Its id.
        id: Uuid,
        /// The form as typed.
        input: CustomerInput,
    } -> Customer;
    /// Archives (hides) or restores a customer.
    CustomerSetArchived = "customer_set_archived" {
        /// Its id.
        id: Uuid,
        /// Hide it (true) or restore it (false).
        archived: bool,
    } -> Customer;

    /// A page of products (the editor's autocomplete, the products page).
    ProductsList = "products_list" {
        /// The search and the page asked for.
        query: ProductQuery,
    } -> Page<Product>;
    /// Creates a product or service.
    ProductCreate = "product_create" {
        /// The form as typed.
        input: ProductInput,
    } -> Product;

    /// A page of documents (filters, sort, cursor).
    DocumentsList = "documents_list" {
        /// The filter and the page asked for.
        query: DocumentQuery,
    } -> Page<DocumentRow>;
    /// One document with its lines.
    DocumentGet = "document_get" {
        /// Its id.
        id: Uuid,
    } -> Document;
    /// Saves a whole draft, header and lines in one transaction.
    DocumentSave = "document_save" {
        /// The draft's id; none creates it.
        id: Option<Uuid>,
        /// The form as typed.
        input: DocumentInput,
    } -> Document;
    /// Copies a document into a new draft dated today.
    DocumentDuplicate = "document_duplicate" {
        /// The document to copy.
        id: Uuid,
    } -> Document;
    /// Removes a draft.
    DocumentDelete = "document_delete" {
        /// The draft's id.
        id: Uuid,
    } -> ();
    /// Makes a new draft of another type from a document (quote → invoice, invoice → credit note…).
    DocumentConvert = "document_convert" {
        /// The source document.
        id: Uuid,
        /// The type of the new draft.
        to: DocType,
        /// Why (credit and debit notes).
        reason: String,
    } -> Document;
    /// Records a payment against an issued invoice (a receipt draft is prepared).
    PaymentRecord = "payment_record" {
        /// The payment as typed.
        input: PaymentInput,
    } -> Payment;
    /// The dashboard's figures for today.
    Dashboard = "dashboard" {} -> DashboardRecord;

    /// Every company of the data folder, for the switcher.
    CompaniesList = "companies_list" {} -> Vec<CompanySummary>;
    /// The current company's profile.
    CompanyProfileGet = "company_profile" {} -> CompanyProfile;
    /// Saves the current company's profile.
    CompanySave = "company_save" {
        /// The form as typed.
        input: CompanyInput,
    } -> CompanyProfile;
    /// Adds a company and switches to it.
    CompanyCreate = "company_create" {
        /// The form as typed.
        input: CompanyInput,
    } -> AppInfoRecord;
    /// Switches to another company.
    CompanySwitch = "company_switch" {
        /// The company's id.
        id: Uuid,
    } -> AppInfoRecord;

    /// A document as it will print (the preview).
    PdfPreviewGet = "pdf_preview" {
        /// The document.
        id: Uuid,
        /// The language to print in.
        lang: Lang,
    } -> PdfPreview;
    /// Saves a document's PDF where the user chooses (system dialog); none if cancelled.
    PdfSaveAs = "pdf_save_as" {
        /// The document.
        id: Uuid,
        /// The language to print in.
        lang: Lang,
    } -> Option<PdfSaved>;
    /// Opens a document's PDF in the system viewer.
    PdfOpen = "pdf_open" {
        /// The document.
        id: Uuid,
        /// The language to print in.
        lang: Lang,
    } -> PdfSaved;
    /// Starts printing a filtered list in the background.
    PdfBatchStart = "pdf_batch_start" {
        /// What to print and where.
        input: PdfBatchInput,
    } -> PdfBatchStatus;
    /// The running batch's progress.
    PdfBatchStatusGet = "pdf_batch_status" {} -> PdfBatchStatus;
    /// Stops the running batch (files written stay).
    PdfBatchCancel = "pdf_batch_cancel" {} -> ();
    /// A folder chosen in the system dialog.
    PickFolder = "pick_folder" {} -> Option<String>;
    /// A PNG or JPEG file chosen in the system dialog.
    PickImage = "pick_image" {} -> Option<String>;

    /// Journals an editor's form as typed (local only, never synced); durable when it answers.
    UnsavedFormPut = "unsaved_form_put" {
        /// The form.
        form: UnsavedForm,
    } -> ();
    /// Forgets an editor's journalled form.
    UnsavedFormClear = "unsaved_form_clear" {
        /// The editor's key.
        key: Uuid,
    } -> ();
    /// The current company's journalled forms, newest first.
    UnsavedFormsList = "unsaved_forms_list" {} -> Vec<UnsavedForm>;
    /// The page has stored what is on screen after a close request: the window may close now.
    WindowCloseReady = "window_close_ready" {} -> ();

    /// The Moloni connection of the current company; `check` asks Moloni (a login with the stored secrets).
    MoloniStatusGet = "moloni_status" {
        /// Ask Moloni, not only the stored state.
        check: bool,
    } -> MoloniStatus;
    /// Tests the credentials with Moloni, stores them (secrets in the OS keyring) and picks the company.
    MoloniConnect = "moloni_connect" {
        /// The form.
        input: MoloniConnectInput,
    } -> MoloniStatus;
    /// Chooses the Moloni company for the current local company.
    MoloniPickCompany = "moloni_pick_company" {
        /// Moloni's company id.
        company_id: i64,
    } -> MoloniStatus;
    /// Forgets the connection: the keyring's secrets and the stored settings.
    MoloniDisconnect = "moloni_disconnect" {} -> MoloniStatus;
    /// Issues a document through Moloni now (a draft is queued first): one attempt, exactly once.
    DocumentIssue = "document_issue" {
        /// The document.
        id: Uuid,
    } -> IssueOutcome;
    /// The issue queue of the current company.
    IssueQueueGet = "issue_queue" {} -> Vec<IssueRequestInfo>;
    /// The queue at a glance: waiting and stopped requests, and the background issuer's last pass.
    IssueQueueSummaryGet = "issue_queue_summary" {} -> IssueQueueSummary;
    /// Takes a request out of the queue (while it is not being sent), back to draft.
    IssueWithdraw = "issue_withdraw" {
        /// The document.
        id: Uuid,
    } -> Document;
    /// Tries a queued request again now; one stopped for review is put back in the queue first.
    IssueRetry = "issue_retry" {
        /// The document.
        id: Uuid,
    } -> IssueOutcome;
    /// Cancels an issued document in Moloni, then here, with its reason.
    DocumentCancel = "document_cancel" {
        /// The document.
        id: Uuid,
        /// Why (kept with the document, as the law asks).
        reason: String,
    } -> Document;
    /// Syncs with Moloni now (reference data, customers and products both ways, documents from elsewhere, as the
    /// settings choose): the run's report.
    MoloniSync = "moloni_sync" {
        /// Read everything, not only what changed since the last run.
        full: bool,
    } -> MoloniSyncReport;
    /// The sync log, newest first.
    MoloniSyncLog = "moloni_sync_log" {
        /// How many runs.
        limit: u32,
    } -> Vec<MoloniSyncReport>;
    /// The payment methods to offer: the connected Moloni company's (empty without one: free text).
    MoloniPaymentMethods = "moloni_payment_methods" {} -> Vec<String>;
    /// Whether the app is running a sync it was asked for, and how far it is (for the progress bar).
    MoloniSyncStatusGet = "moloni_sync_status" {} -> MoloniSyncStatus;
    /// Which kinds the sync covers and how often it runs.
    MoloniSyncSettingsGet = "moloni_sync_settings" {} -> MoloniSyncSettings;
    /// Changes which kinds the sync covers and how often it runs.
    MoloniSyncSettingsSet = "moloni_sync_settings_set" {
        /// The new settings.
        settings: MoloniSyncSettings,
    } -> MoloniSyncSettings;
    /// Moloni's own PDF of an issued document, downloaded once and kept; the shell opens it.
    MoloniPdfOpen = "moloni_pdf_open" {
        /// The document.
        id: Uuid,
    } -> PdfSaved;

    /// The dry run of an import: every row's problems, what would be added, filled in or reviewed.
    ImportPreviewGet = "import_preview" {
        /// The file, its kind and its mapping.
        request: ImportRequest,
    } -> ImportPreview;
    /// Starts committing an import in the background (all or nothing), with progress and cancel.
    ImportStart = "import_start" {
        /// The file, its kind and its mapping.
        request: ImportRequest,
    } -> ImportStatus;
    /// The running import's progress, or how the last one ended.
    ImportStatusGet = "import_status" {} -> ImportStatus;
    /// Cancels the running import: everything it wrote is rolled back.
    ImportCancel = "import_cancel" {} -> ();
    /// The import profiles for a kind (built-in and saved).
    ImportProfilesList = "import_profiles" {
        /// Customers or products.
        kind: ImportKind,
    } -> Vec<ImportProfile>;
    /// Saves a mapping as a profile.
    ImportProfileSave = "import_profile_save" {
        /// The profile.
        profile: ImportProfile,
    } -> ();
    /// A file chosen in the system dialog (CSV, Excel or SAF-T).
    PickImportFile = "pick_import_file" {} -> Option<String>;
    /// Keeps what a screen's form holds (the import wizard, the report period) as it is typed, so leaving the
    /// screen loses nothing; local to this desktop.
    ScreenStatePut = "screen_state_put" {
        /// The screen (`import`, `reports`).
        screen: String,
        /// Its form as JSON.
        state: String,
    } -> ();
    /// What a screen's form held.
    ScreenStateGet = "screen_state_get" {
        /// The screen.
        screen: String,
    } -> Option<String>;
    /// The review list: values from elsewhere that differ from the stored ones.
    ReviewList = "review_list" {} -> Vec<ReviewItem>;
    /// Settles a review item.
    ReviewResolve = "review_resolve" {
        /// The item.
        id: i64,
        /// Keep the stored value or take the incoming one.
        resolution: Resolution,
    } -> ();
    /// A report over the local cache.
    ReportGet = "report_get" {
        /// Which and its period.
        request: ReportRequest,
    } -> ReportData;
    /// The dashboard's sales against last year's, top customers and months.
    SalesOverviewGet = "sales_overview" {} -> SalesOverview;
    /// Writes a list or a report to CSV or XLSX in the user's documents folder.
    ExportList = "export_list" {
        /// What and how.
        input: ExportInput,
    } -> ExportSaved;

    /// The office connection (the mode badge, the role that decides what the screens offer); `check` asks
    /// the server.
    ServerStatusGet = "server_status" {
        /// Ask the server, not only the stored state.
        check: bool,
    } -> ServerStatus;
    /// Joins an office server; the current company may take the server's id (the UI reloads its info).
    ServerJoin = "server_join" {
        /// postgres://user@host:port/database[?sslmode=…&sslrootcert=…], without the password.
        url: String,
        /// The password (kept only in the OS keyring).
        password: String,
    } -> ServerStatus;
    /// Leaves the office (the address and the keyring password are forgotten; the data stays).
    ServerLeave = "server_leave" {} -> ServerStatus;
    /// The office's people (Utilizadores).
    ServerUsersList = "server_users" {} -> Vec<ServerUser>;
    /// Adds a person; the generated first password comes back once.
    ServerUserAdd = "server_user_add" {
        /// Their database user name.
        name: String,
        /// Their role.
        role: ServerRole,
        /// Their companies; none: the current company.
        companies: Vec<Uuid>,
    } -> ServerUserCreated;
    /// Changes a person's role.
    ServerUserSetRole = "server_user_set_role" {
        /// The person.
        name: String,
        /// The new role.
        role: ServerRole,
    } -> ServerUser;
    /// Resets a person's password; the new one comes back once.
    ServerUserReset = "server_user_reset" {
        /// The person.
        name: String,
    } -> ServerUserCreated;
    /// Deactivates a person.
    ServerUserDisable = "server_user_disable" {
        /// The person.
        name: String,
    } -> ServerUser;
    /// The server's audit trail, filtered, newest first.
    AuditList = "audit_list" {
        /// The filter.
        query: AuditQuery,
    } -> Vec<AuditEntry>;

    /// Office sync's state (the sync centre, the badge): no network.
    OfficeSyncStatusGet = "office_sync_status" {} -> OfficeSyncStatus;
    /// One sync round now (Sincronizar agora).
    OfficeSyncNow = "office_sync_now" {} -> OfficeSyncReport;
    /// The conflict queue.
    OfficeConflictsList = "office_conflicts" {} -> Vec<OfficeConflict>;
    /// Decides a conflict (keeping a value other than the server's is a normal edit).
    OfficeConflictResolve = "office_conflict_resolve" {
        /// The conflict.
        id: Uuid,
        /// Keep mine, theirs, or an edited value.
        choice: ConflictChoice,
        /// The value, for an edited choice.
        value: Option<String>,
    } -> OfficeConflict;
    /// Sends a refused edit again.
    OfficeRejectionRetry = "office_rejection_retry" {
        /// The refused edit.
        id: i64,
    } -> ();
    /// Takes a refused edit off the list.
    OfficeRejectionDismiss = "office_rejection_dismiss" {
        /// The refused edit.
        id: i64,
    } -> ();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for name in ALL {
            assert!(seen.insert(name), "{name} is declared twice");
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name} is not snake_case");
        }
        assert_eq!(ALL.len(), 81);
    }

    #[test]
    fn arguments_travel_as_their_field_names() {
        let args = serde_json::to_value(CustomerSetArchived { id: Uuid::nil(), archived: true }).expect("json");
        assert_eq!(args, serde_json::json!({"id": "00000000-0000-0000-0000-000000000000", "archived": true}));
        assert_eq!(serde_json::to_value(AppInfo {}).expect("json"), serde_json::json!({}));
        assert!(same_name(DocumentSave::NAME, "document_save"));
        assert!(!same_name(DocumentSave::NAME, "document_sav"));
    }
}
