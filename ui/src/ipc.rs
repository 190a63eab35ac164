//! Typed calls to the Tauri commands: each takes and returns `desk-model` IPC types, and any failure comes
//! back as the one `AppError` (a broken bridge becomes an `Internal` error with a message, never a panic).

use desk_model::ipc::{cmd, AppError, AppInfo, Customer, CustomerInput, CustomerQuery, ErrorKind, FirstRunInput, Page};
use desk_model::msg::{Lang, Localized};
use serde::de::DeserializeOwned;
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

async fn call<A: Serialize, R: DeserializeOwned>(name: &str, args: &A) -> Result<R, AppError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args.serialize(&serializer).map_err(|e| bridge_error(e.to_string()))?;
    match invoke(name, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| bridge_error(e.to_string())),
        Err(err) => Err(serde_wasm_bindgen::from_value::<AppError>(err.clone())
            .unwrap_or_else(|_| bridge_error(err.as_string().unwrap_or_else(|| format!("{err:?}"))))),
    }
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct InputArg<'a, T> {
    input: &'a T,
}

/// Header info and first-run flag.
pub async fn app_info() -> Result<AppInfo, AppError> {
    call(cmd::APP_INFO, &NoArgs {}).await
}

/// Completes the first-run screen.
pub async fn first_run(input: &FirstRunInput) -> Result<AppInfo, AppError> {
    call(cmd::FIRST_RUN, &InputArg { input }).await
}

/// Remembers the UI language.
pub async fn set_language(lang: Lang) -> Result<(), AppError> {
    #[derive(Serialize)]
    struct A {
        lang: Lang,
    }
    call(cmd::SET_LANGUAGE, &A { lang }).await
}

/// A page of customers.
pub async fn customers_list(query: &CustomerQuery) -> Result<Page<Customer>, AppError> {
    #[derive(Serialize)]
    struct A<'a> {
        query: &'a CustomerQuery,
    }
    call(cmd::CUSTOMERS_LIST, &A { query }).await
}

/// Creates a customer.
pub async fn customer_create(input: &CustomerInput) -> Result<Customer, AppError> {
    call(cmd::CUSTOMER_CREATE, &InputArg { input }).await
}

/// Edits a customer.
pub async fn customer_update(id: Uuid, input: &CustomerInput) -> Result<Customer, AppError> {
    #[derive(Serialize)]
    struct A<'a> {
        id: Uuid,
        input: &'a CustomerInput,
    }
    call(cmd::CUSTOMER_UPDATE, &A { id, input }).await
}

/// Archives or restores a customer.
pub async fn customer_set_archived(id: Uuid, archived: bool) -> Result<Customer, AppError> {
    #[derive(Serialize)]
    struct A {
        id: Uuid,
        archived: bool,
    }
    call(cmd::CUSTOMER_SET_ARCHIVED, &A { id, archived }).await
}

use desk_model::document::DocType;
use desk_model::ipc::{Dashboard, Document, DocumentInput, DocumentQuery, DocumentRow, Payment, PaymentInput, Product, ProductInput, ProductQuery};

/// A page of products (the editor's autocomplete).
pub async fn products_list(query: &ProductQuery) -> Result<Page<Product>, AppError> {
    #[derive(Serialize)]
    struct A<'a> {
        query: &'a ProductQuery,
    }
    call(cmd::PRODUCTS_LIST, &A { query }).await
}

/// A page of documents.
pub async fn documents_list(query: &DocumentQuery) -> Result<Page<DocumentRow>, AppError> {
    #[derive(Serialize)]
    struct A<'a> {
        query: &'a DocumentQuery,
    }
    call(cmd::DOCUMENTS_LIST, &A { query }).await
}

#[derive(Serialize)]
struct IdArg {
    id: Uuid,
}

/// One document.
pub async fn document_get(id: Uuid) -> Result<Document, AppError> {
    call(cmd::DOCUMENT_GET, &IdArg { id }).await
}

/// Saves a whole draft (new when `id` is None).
pub async fn document_save(id: Option<Uuid>, input: &DocumentInput) -> Result<Document, AppError> {
    #[derive(Serialize)]
    struct A<'a> {
        id: Option<Uuid>,
        input: &'a DocumentInput,
    }
    call(cmd::DOCUMENT_SAVE, &A { id, input }).await
}

/// Copies a document into a new draft.
pub async fn document_duplicate(id: Uuid) -> Result<Document, AppError> {
    call(cmd::DOCUMENT_DUPLICATE, &IdArg { id }).await
}

/// Removes a draft.
pub async fn document_delete(id: Uuid) -> Result<(), AppError> {
    call(cmd::DOCUMENT_DELETE, &IdArg { id }).await
}

/// Makes a new draft of type `to` from an issued document.
pub async fn document_convert(id: Uuid, to: DocType, reason: &str) -> Result<Document, AppError> {
    #[derive(Serialize)]
    struct A<'a> {
        id: Uuid,
        to: DocType,
        reason: &'a str,
    }
    call(cmd::DOCUMENT_CONVERT, &A { id, to, reason }).await
}

/// Records a payment.
pub async fn payment_record(input: &PaymentInput) -> Result<Payment, AppError> {
    call(cmd::PAYMENT_RECORD, &InputArg { input }).await
}

/// The dashboard's figures.
pub async fn dashboard() -> Result<Dashboard, AppError> {
    call(cmd::DASHBOARD, &NoArgs {}).await
}

/// Creates a product.
pub async fn product_create(input: &ProductInput) -> Result<Product, AppError> {
    call(cmd::PRODUCT_CREATE, &InputArg { input }).await
}

use desk_model::company::{CompanyInput, CompanyProfile};
use desk_model::ipc::{CompanySummary, PdfBatchInput, PdfBatchStatus, PdfPreview, PdfSaved};

/// Every company, for the switcher.
pub async fn companies_list() -> Result<Vec<CompanySummary>, AppError> {
    call(cmd::COMPANIES_LIST, &NoArgs {}).await
}

/// The current company's profile.
pub async fn company_profile() -> Result<CompanyProfile, AppError> {
    call(cmd::COMPANY_PROFILE, &NoArgs {}).await
}

/// Saves the current company's profile.
pub async fn company_save(input: &CompanyInput) -> Result<CompanyProfile, AppError> {
    call(cmd::COMPANY_SAVE, &InputArg { input }).await
}

/// Adds a company and switches to it.
pub async fn company_create(input: &CompanyInput) -> Result<AppInfo, AppError> {
    call(cmd::COMPANY_CREATE, &InputArg { input }).await
}

/// Switches to another company.
pub async fn company_switch(id: Uuid) -> Result<AppInfo, AppError> {
    call(cmd::COMPANY_SWITCH, &IdArg { id }).await
}

#[derive(Serialize)]
struct DocLang {
    id: Uuid,
    lang: Lang,
}

/// A document as it will print.
pub async fn pdf_preview(id: Uuid, lang: Lang) -> Result<PdfPreview, AppError> {
    call(cmd::PDF_PREVIEW, &DocLang { id, lang }).await
}

/// Saves a document's PDF where the user chooses; `None` if the dialog was cancelled.
pub async fn pdf_save_as(id: Uuid, lang: Lang) -> Result<Option<PdfSaved>, AppError> {
    call(cmd::PDF_SAVE_AS, &DocLang { id, lang }).await
}

/// Opens a document's PDF in the system viewer.
pub async fn pdf_open(id: Uuid, lang: Lang) -> Result<PdfSaved, AppError> {
    call(cmd::PDF_OPEN, &DocLang { id, lang }).await
}

/// Starts printing a filtered list.
pub async fn pdf_batch_start(input: &PdfBatchInput) -> Result<PdfBatchStatus, AppError> {
    call(cmd::PDF_BATCH_START, &InputArg { input }).await
}

/// The running batch's progress.
pub async fn pdf_batch_status() -> Result<PdfBatchStatus, AppError> {
    call(cmd::PDF_BATCH_STATUS, &NoArgs {}).await
}

/// Stops the running batch.
pub async fn pdf_batch_cancel() -> Result<(), AppError> {
    call(cmd::PDF_BATCH_CANCEL, &NoArgs {}).await
}

/// A folder chosen in the system dialog.
pub async fn pick_folder() -> Result<Option<String>, AppError> {
    call(cmd::PICK_FOLDER, &NoArgs {}).await
}

/// An image file chosen in the system dialog.
pub async fn pick_image() -> Result<Option<String>, AppError> {
    call(cmd::PICK_IMAGE, &NoArgs {}).await
}

use desk_model::unsaved::UnsavedForm;

/// Journals an editor's form as typed (durable when it answers).
pub async fn unsaved_form_put(form: &UnsavedForm) -> Result<(), AppError> {
    #[derive(Serialize)]
    struct A<'a> {
        form: &'a UnsavedForm,
    }
    call(cmd::UNSAVED_FORM_PUT, &A { form }).await
}

/// Forgets an editor's journalled form.
pub async fn unsaved_form_clear(key: Uuid) -> Result<(), AppError> {
    #[derive(Serialize)]
    struct A {
        key: Uuid,
    }
    call(cmd::UNSAVED_FORM_CLEAR, &A { key }).await
}

/// The current company's journalled forms, newest first.
pub async fn unsaved_forms_list() -> Result<Vec<UnsavedForm>, AppError> {
    call(cmd::UNSAVED_FORMS_LIST, &NoArgs {}).await
}

/// Tells the shell the page has stored its work after a close request: the window closes.
pub async fn window_close_ready() -> Result<(), AppError> {
    call(cmd::WINDOW_CLOSE_READY, &NoArgs {}).await
}
