//! The contract across the Tauri bridge: every request, response and the one error type the UI sees.
//!
//! The shell's commands take and return exactly these types; the UI calls them by the names in [`cmd`].

use crate::msg::{Lang, Localized};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The names of the Tauri commands, shared so a typo fails to compile rather than at run time.
pub mod cmd {
    /// [`super::AppInfo`] for the shell's header and the first-run screen.
    pub const APP_INFO: &str = "app_info";
    /// Finish the first-run screen: [`super::FirstRunInput`].
    pub const FIRST_RUN: &str = "first_run";
    /// Remember the UI language: [`super::Lang`].
    pub const SET_LANGUAGE: &str = "set_language";
    /// A page of customers: [`super::CustomerQuery`] → [`super::Page`] of [`super::Customer`].
    pub const CUSTOMERS_LIST: &str = "customers_list";
    /// One customer by id.
    pub const CUSTOMER_GET: &str = "customer_get";
    /// Create: [`super::CustomerInput`] → [`super::Customer`].
    pub const CUSTOMER_CREATE: &str = "customer_create";
    /// Edit: id + [`super::CustomerInput`] → [`super::Customer`].
    pub const CUSTOMER_UPDATE: &str = "customer_update";
    /// Archive or restore: id + bool → [`super::Customer`].
    pub const CUSTOMER_SET_ARCHIVED: &str = "customer_set_archived";
    /// A page of products: [`super::ProductQuery`] → [`super::Page`] of [`super::Product`].
    pub const PRODUCTS_LIST: &str = "products_list";
    /// Create a product: [`super::ProductInput`] → [`super::Product`].
    pub const PRODUCT_CREATE: &str = "product_create";
    /// A page of documents: [`super::DocumentQuery`] → [`super::Page`] of [`super::DocumentRow`].
    pub const DOCUMENTS_LIST: &str = "documents_list";
    /// One document with lines and totals.
    pub const DOCUMENT_GET: &str = "document_get";
    /// Save a whole draft (new when id is None): [`super::DocumentInput`] → [`super::Document`].
    pub const DOCUMENT_SAVE: &str = "document_save";
    /// Copy a document into a new draft.
    pub const DOCUMENT_DUPLICATE: &str = "document_duplicate";
    /// Remove a draft.
    pub const DOCUMENT_DELETE: &str = "document_delete";
    /// Quote → invoice, invoice → credit note: id + target type + reason → new draft.
    pub const DOCUMENT_CONVERT: &str = "document_convert";
    /// Record a payment: [`super::PaymentInput`] → [`super::Payment`].
    pub const PAYMENT_RECORD: &str = "payment_record";
    /// The dashboard's figures: [`super::Dashboard`].
    pub const DASHBOARD: &str = "dashboard";
    /// Every company of the data folder, for the switcher: [`super::CompanySummary`] list.
    pub const COMPANIES_LIST: &str = "companies_list";
    /// The current company's profile: [`crate::company::CompanyProfile`].
    pub const COMPANY_PROFILE: &str = "company_profile";
    /// Save the current company's profile: [`crate::company::CompanyInput`] → profile.
    pub const COMPANY_SAVE: &str = "company_save";
    /// Add a company and switch to it: [`crate::company::CompanyInput`] → [`super::AppInfo`].
    pub const COMPANY_CREATE: &str = "company_create";
    /// Switch to another company: id → [`super::AppInfo`].
    pub const COMPANY_SWITCH: &str = "company_switch";
    /// The printable view of a document and its QR image: id + lang → [`super::PdfPreview`].
    pub const PDF_PREVIEW: &str = "pdf_preview";
    /// Save a document's PDF where the user chooses (system dialog): id + lang → [`super::PdfSaved`] or none.
    pub const PDF_SAVE_AS: &str = "pdf_save_as";
    /// Write a document's PDF to a temporary file and open it in the system viewer: → [`super::PdfSaved`].
    pub const PDF_OPEN: &str = "pdf_open";
    /// Start printing a filtered list: [`super::PdfBatchInput`] → [`super::PdfBatchStatus`].
    pub const PDF_BATCH_START: &str = "pdf_batch_start";
    /// How the running batch is going: → [`super::PdfBatchStatus`].
    pub const PDF_BATCH_STATUS: &str = "pdf_batch_status";
    /// Stop the running batch (files already written stay; a merged file is not written).
    pub const PDF_BATCH_CANCEL: &str = "pdf_batch_cancel";
    /// Choose a folder (system dialog): → path or none.
    pub const PICK_FOLDER: &str = "pick_folder";
    /// Choose a PNG or JPEG file (system dialog): → path or none.
    pub const PICK_IMAGE: &str = "pick_image";
    /// Journal an editor's form as typed: [`crate::unsaved::UnsavedForm`] (local only, never synced).
    pub const UNSAVED_FORM_PUT: &str = "unsaved_form_put";
    /// Forget an editor's journalled form: key.
    pub const UNSAVED_FORM_CLEAR: &str = "unsaved_form_clear";
    /// The current company's journalled forms, newest first: → list of [`crate::unsaved::UnsavedForm`].
    pub const UNSAVED_FORMS_LIST: &str = "unsaved_forms_list";
    /// The page has stored what is on screen: the window may close now (after a close request).
    pub const WINDOW_CLOSE_READY: &str = "window_close_ready";
}

/// What kind of failure an [`AppError`] is, so the UI can choose how to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input breaks a rule; `fields` says which.
    Validation,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// It clashes with what is stored (a duplicate NIF, a change to an issued document).
    Conflict,
    /// The local database file is in use by another program.
    Locked,
    /// The local database file is damaged or not a database.
    Corrupt,
    /// Reading or writing local storage failed.
    Storage,
    /// A bug: the message says to report it.
    Internal,
}

/// A message about one input field, keyed by the field's name in the input type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name in the input struct (`"nif"`, `"name"`…).
    pub field: String,
    /// What is wrong and what to do.
    pub message: Localized,
}

/// The one error type that crosses the bridge: a kind, a message that says what to do, and field errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// How to show it.
    pub kind: ErrorKind,
    /// The message for the user.
    pub message: Localized,
    /// Per-field messages, for forms.
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

impl AppError {
    /// An error without field details.
    pub fn new(kind: ErrorKind, message: Localized) -> Self {
        AppError { kind, message, fields: Vec::new() }
    }

    /// A validation error made of field errors, with a summary message.
    pub fn validation(fields: Vec<FieldError>) -> Self {
        AppError {
            kind: ErrorKind::Validation,
            message: Localized::new("Corrija os campos assinalados.", "Correct the fields marked."),
            fields,
        }
    }

    /// The message for a field, if any.
    pub fn field(&self, name: &str) -> Option<&Localized> {
        self.fields.iter().find(|f| f.field == name).map(|f| &f.message)
    }
}

/// The running mode (PRODUCT.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Local SQLite only.
    Solo,
    /// With the office's central PostgreSQL server.
    Office,
}

/// The company whose work is on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySummary {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its NIF, once set.
    pub nif: Option<String>,
}

/// What the shell's header and first-run screen need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// Where the local database lives.
    pub data_dir: String,
    /// Solo or office.
    pub mode: Mode,
    /// The current company.
    pub company: CompanySummary,
    /// True until the first-run screen has been completed.
    pub first_run: bool,
    /// The language chosen, if the user chose one.
    pub lang: Option<Lang>,
}

/// The first-run screen's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstRunInput {
    /// The company's name.
    pub company_name: String,
    /// The company's NIF, as typed (may be blank for now).
    pub company_nif: String,
    /// Load a small set of sample customers to try the app with.
    pub load_sample_data: bool,
}

/// A customer as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// UUIDv7, made on the desktop.
    pub id: Uuid,
    /// The company it belongs to.
    pub company_id: Uuid,
    /// Name or firm.
    pub name: String,
    /// Portuguese NIF, or `None` for a consumer without one.
    pub nif: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// Postal code (`NNNN-NNN` in Portugal).
    pub postal_code: Option<String>,
    /// Town.
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Days to pay, if agreed.
    pub payment_terms_days: Option<u32>,
    /// Free notes.
    pub notes: Option<String>,
    /// Hidden from lists and pickers, kept for history.
    pub archived: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// A customer as typed in the form or on the command line: raw text, validated by [`crate::customer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerInput {
    /// Name or firm (required).
    pub name: String,
    /// NIF as typed; blank for a consumer without one.
    pub nif: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Street address.
    pub address: String,
    /// Postal code.
    pub postal_code: String,
    /// Town.
    pub city: String,
    /// ISO country code; blank means PT.
    pub country: String,
    /// Days to pay, as typed.
    pub payment_terms_days: String,
    /// Free notes.
    pub notes: String,
}

impl From<&Customer> for CustomerInput {
    fn from(c: &Customer) -> Self {
        CustomerInput {
            name: c.name.clone(),
            nif: c.nif.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            phone: c.phone.clone().unwrap_or_default(),
            address: c.address.clone().unwrap_or_default(),
            postal_code: c.postal_code.clone().unwrap_or_default(),
            city: c.city.clone().unwrap_or_default(),
            country: c.country.clone(),
            payment_terms_days: c.payment_terms_days.map(|d| d.to_string()).unwrap_or_default(),
            notes: c.notes.clone().unwrap_or_default(),
        }
    }
}

/// A search over customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerQuery {
    /// Words to find in name, NIF, e-mail, town (accents and case ignored, word prefixes match).
    pub text: String,
    /// Include archived customers.
    pub include_archived: bool,
    /// The `next` cursor of the previous page, to continue.
    pub after: Option<String>,
    /// Rows per page (1–500; 0 means the default of 50).
    pub limit: u32,
}

/// One page of a list, with an opaque cursor for the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Pass this as `after` to get the next page; `None` on the last page.
    pub next: Option<String>,
    /// How many rows match in all; when `total_is_lower_bound`, at least this many (the engine stops counting
    /// at a cap so a broad filter over 500k rows still answers fast).
    pub total: u64,
    /// `total` is a lower bound ("more than 10,000"), not the exact count.
    #[serde(default)]
    pub total_is_lower_bound: bool,
}

impl<T> Page<T> {
    /// The count as people read it: "1.234" or "mais de 10.000" (pt-PT), "1,234" or "more than 10,000" (en).
    pub fn total_text(&self, lang: Lang) -> String {
        count_text(self.total, self.total_is_lower_bound, lang)
    }
}

/// A count with the language's thousands grouping, "mais de …" / "more than …" when it is a lower bound.
pub fn count_text(n: u64, lower_bound: bool, lang: Lang) -> String {
    let digits = crate::money::format::format_decimal(rust_decimal::Decimal::from(n), lang, 0, 0);
    match (lower_bound, lang) {
        (false, _) => digits,
        (true, Lang::Pt) => format!("mais de {digits}"),
        (true, Lang::En) => format!("more than {digits}"),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Offline workspace (issue 4): products, documents, payments, dashboard. The engine's services take and return
// these; the shell's commands pass them through unchanged.
// ---------------------------------------------------------------------------------------------------------------

use crate::document::{DocState, DocType, DraftDocument, DraftLine, PaymentTerms};
use crate::money::{parse_number, Money, NumberKind, Percent, Quantity, UnitPrice};
use crate::tax::{ExemptionCode, FiscalZone, LineTax, TaxCode};
use chrono::NaiveDate;

/// Goods or a service (SAF-T `ProductType` P or S).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    /// Goods.
    #[default]
    Product,
    /// A service.
    Service,
}

impl ProductKind {
    /// The stored code, `product` or `service`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::Product => "product",
            ProductKind::Service => "service",
        }
    }

    /// Reads the stored code (also `P`/`S`, `produto`/`serviço`).
    pub fn parse(s: &str) -> Option<ProductKind> {
        match crate::text::fold(s.trim()).as_str() {
            "product" | "p" | "produto" => Some(ProductKind::Product),
            "service" | "s" | "servico" => Some(ProductKind::Service),
            _ => None,
        }
    }
}

/// A product or service as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// UUIDv7.
    pub id: Uuid,
    /// The company it belongs to.
    pub company_id: Uuid,
    /// The company's own code for it, unique in the company.
    pub reference: String,
    /// Its name, the line description by default.
    pub name: String,
    /// Goods or service.
    pub kind: ProductKind,
    /// Unit of measure (`un`, `h`, `kg`…).
    pub unit: String,
    /// Unit price excluding VAT.
    pub price: UnitPrice,
    /// VAT: a rate class in a zone, or an exemption with its reason.
    pub tax: LineTax,
    /// Free category for grouping and reports.
    pub category: Option<String>,
    /// Hidden from lists and pickers.
    pub archived: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// A product as typed in the form or on the command line: raw text, validated by the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProductInput {
    /// Reference (required, unique in the company).
    pub reference: String,
    /// Name (required).
    pub name: String,
    /// Goods or service.
    pub kind: ProductKind,
    /// Unit; blank means `un`.
    pub unit: String,
    /// Unit price excluding VAT, as typed in `lang`.
    pub price: String,
    /// Zone code (`PT`, `PT-AC`, `PT-MA`); blank means PT.
    pub tax_zone: String,
    /// `NOR`, `INT`, `RED`, or `ISE`/`OUT` with an exemption; blank means NOR.
    pub tax_code: String,
    /// Exemption reason (`M07`…) for ISE/OUT; blank otherwise.
    pub exemption: String,
    /// Category.
    pub category: String,
    /// The language numbers are typed in.
    #[serde(default)]
    pub lang: Lang,
}

/// A search over products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProductQuery {
    /// Words to find in reference, name and category (accents and case ignored, word prefixes match).
    pub text: String,
    /// Include archived products.
    pub include_archived: bool,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Rows per page (1–500; 0 means 50).
    pub limit: u32,
}

/// One line as typed in the document form: raw text, read by [`DocumentInput::to_draft`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LineInput {
    /// The line's id when editing an existing line; `None` for a new one.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// The product it was picked from, if any.
    #[serde(default)]
    pub product_id: Option<Uuid>,
    /// Description.
    pub description: String,
    /// Unit of measure, printed beside the quantity; blank for none.
    #[serde(default)]
    pub unit: String,
    /// Quantity as typed.
    pub quantity: String,
    /// Unit price excluding VAT as typed.
    pub unit_price: String,
    /// Line discount in % as typed; blank means none.
    #[serde(default)]
    pub discount: String,
    /// Zone code; blank means PT.
    #[serde(default)]
    pub tax_zone: String,
    /// `NOR`, `INT`, `RED`, `ISE`, `OUT`.
    pub tax_code: String,
    /// Exemption reason for ISE/OUT.
    #[serde(default)]
    pub exemption: String,
}

/// A whole draft as the form holds it. The engine saves header and lines in one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInput {
    /// The type to issue it as.
    pub doc_type: DocType,
    /// The customer; `None` for an anonymous consumer (FS, FR).
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    /// Issue date as typed (`2026-03-31`, `31/03/2026` or `31-03-2026`).
    pub date: String,
    /// Due date as typed; blank to derive it from `payment_terms` (or the customer's terms).
    #[serde(default)]
    pub due_date: String,
    /// Agreed payment terms, for receivables.
    #[serde(default)]
    pub payment_terms: Option<PaymentTerms>,
    /// The lines, in print order.
    pub lines: Vec<LineInput>,
    /// Global discount in % as typed; blank means none.
    #[serde(default)]
    pub global_discount: String,
    /// Notes printed on the document.
    #[serde(default)]
    pub notes: String,
    /// FS only: retailer selling to a consumer (€1000 ceiling instead of €100).
    #[serde(default)]
    pub retail_b2c: bool,
    /// The document this one comes from (quote → invoice) or corrects (invoice → NC/ND); set by conversions.
    #[serde(default)]
    pub source_id: Option<Uuid>,
    /// Why an NC/ND corrects its source (≤ 50 characters).
    #[serde(default)]
    pub reason: String,
    /// The language numbers are typed in.
    #[serde(default)]
    pub lang: Lang,
}

impl DocumentInput {
    /// An empty input of a type and date (ISO text).
    pub fn new(doc_type: DocType, date: &str) -> DocumentInput {
        DocumentInput {
            doc_type,
            customer_id: None,
            date: date.to_string(),
            due_date: String::new(),
            payment_terms: None,
            lines: Vec::new(),
            global_discount: String::new(),
            notes: String::new(),
            retail_b2c: false,
            source_id: None,
            reason: String::new(),
            lang: Lang::Pt,
        }
    }

    /// Reads the typed text into a [`DraftDocument`] (without references: the engine adds the source's),
    /// or every field that cannot be read, by path (`date`, `lines[2].unit_price`). Rules on the values
    /// (negative quantities, exemptions, limits) are [`crate::document::validate`]'s job afterwards.
    pub fn to_draft(&self) -> Result<DraftDocument, Vec<FieldError>> {
        let mut errors = Vec::new();
        let date = match parse_date(&self.date) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(FieldError {
                    field: "date".into(),
                    message: Localized::new("Indique a data do documento.", "Give the document date."),
                });
                None
            }
            Err(m) => {
                errors.push(FieldError { field: "date".into(), message: m });
                None
            }
        };
        let due_date = match parse_date(&self.due_date) {
            Ok(d) => d,
            Err(m) => {
                errors.push(FieldError { field: "due_date".into(), message: m });
                None
            }
        };
        let global_discount = read_number(&self.global_discount, self.lang, NumberKind::Percent, true, "global_discount", &mut errors)
            .map(Percent)
            .unwrap_or(Percent::ZERO);
        if self.lines.len() > crate::document::validate::MAX_LINES {
            // Not worth reading 10 000 lines to say there are too many: validate() says so from the count.
            let line = DraftLine {
                description: String::new(),
                quantity: Quantity::ONE,
                unit_price: UnitPrice(rust_decimal::Decimal::ZERO),
                discount: Percent::ZERO,
                tax: LineTax { zone: FiscalZone::Pt, code: TaxCode::Nor, exemption: None },
            };
            return match (errors.is_empty(), date) {
                (true, Some(date)) => Ok(self.draft_with(date, due_date, global_discount, vec![line; self.lines.len()])),
                _ => Err(errors),
            };
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        for (i, l) in self.lines.iter().enumerate() {
            if let Some(line) = l.to_line(i, self.lang, &mut errors) {
                lines.push(line);
            }
        }
        match date {
            Some(date) if errors.is_empty() => Ok(self.draft_with(date, due_date, global_discount, lines)),
            _ => Err(errors),
        }
    }

    fn draft_with(&self, date: NaiveDate, due_date: Option<NaiveDate>, global_discount: Percent, lines: Vec<DraftLine>) -> DraftDocument {
        DraftDocument {
            doc_type: self.doc_type,
            date,
            due_date,
            lines,
            global_discount,
            references: Vec::new(),
            retail_b2c: self.retail_b2c,
            notes: self.notes.clone(),
        }
    }
}

impl LineInput {
    /// Reads one line's text; errors go to `errors` under `lines[i].field`.
    pub fn to_line(&self, i: usize, lang: Lang, errors: &mut Vec<FieldError>) -> Option<DraftLine> {
        let before = errors.len();
        let path = |f: &str| format!("lines[{i}].{f}");
        let line_msg = |m: Localized| Localized::new(format!("Linha {}: {}", i + 1, m.pt), format!("Line {}: {}", i + 1, m.en));
        let read = |text: &str, kind: NumberKind, blank_ok: bool, field: &str, errors: &mut Vec<FieldError>| {
            let mut local = Vec::new();
            let v = read_number(text, lang, kind, blank_ok, &path(field), &mut local);
            errors.extend(local.into_iter().map(|e| FieldError { field: e.field, message: line_msg(e.message) }));
            v
        };
        let quantity = read(&self.quantity, NumberKind::Quantity, false, "quantity", errors);
        let unit_price = read(&self.unit_price, NumberKind::UnitPrice, false, "unit_price", errors);
        let discount = read(&self.discount, NumberKind::Percent, true, "discount", errors);
        let tax = match read_tax(&self.tax_zone, &self.tax_code, &self.exemption) {
            Ok(t) => Some(t),
            Err(m) => {
                errors.push(FieldError { field: path("tax"), message: line_msg(m) });
                None
            }
        };
        if errors.len() > before {
            return None;
        }
        Some(DraftLine {
            description: self.description.clone(),
            quantity: Quantity(quantity?),
            unit_price: UnitPrice(unit_price?),
            discount: Percent(discount.unwrap_or_default()),
            tax: tax?,
        })
    }
}

/// Reads a number field; blank is zero when `blank_ok`. A typed minus sign is kept so the rules can say
/// "negative quantities are not allowed: issue a credit note" rather than "not a number".
fn read_number(
    text: &str,
    lang: Lang,
    kind: NumberKind,
    blank_ok: bool,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<rust_decimal::Decimal> {
    let t = text.trim();
    if t.is_empty() && blank_ok {
        return Some(rust_decimal::Decimal::ZERO);
    }
    let (negative, body) = match t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    match parse_number(body, lang, kind) {
        Ok(v) if negative => Some(-v),
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(FieldError { field: field.into(), message: e.message() });
            None
        }
    }
}

/// Reads a line or product tax from its three text fields (blank zone = PT, blank code = NOR).
pub fn read_tax(zone: &str, code: &str, exemption: &str) -> Result<LineTax, Localized> {
    let zone = if zone.trim().is_empty() {
        FiscalZone::Pt
    } else {
        FiscalZone::parse(zone).ok_or_else(|| {
            Localized::new(
                format!("Zona fiscal «{}» desconhecida: use PT, PT-AC ou PT-MA.", zone.trim()),
                format!("Unknown fiscal zone «{}»: use PT, PT-AC or PT-MA.", zone.trim()),
            )
        })?
    };
    let code = if code.trim().is_empty() {
        TaxCode::Nor
    } else {
        TaxCode::parse(code).ok_or_else(|| {
            Localized::new(
                format!("Código de IVA «{}» desconhecido: use NOR, INT, RED, ISE ou OUT.", code.trim()),
                format!("Unknown VAT code «{}»: use NOR, INT, RED, ISE or OUT.", code.trim()),
            )
        })?
    };
    let exemption = if exemption.trim().is_empty() {
        None
    } else {
        Some(ExemptionCode::parse(exemption).ok_or_else(|| {
            Localized::new(
                format!("Motivo de isenção «{}» inválido: é M seguido de dois algarismos (M07).", exemption.trim()),
                format!("Invalid exemption reason «{}»: it is M and two digits (M07).", exemption.trim()),
            )
        })?)
    };
    Ok(LineTax { zone, code, exemption })
}

/// Reads a date as people type it: `2026-03-31`, `31/03/2026`, `31-03-2026`, `31.03.2026`. Blank is `None`;
/// an impossible date (31/02) is an error that says so.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, Localized> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let bad = || {
        Localized::new(
            format!("«{t}» não é uma data: escreva dia/mês/ano (31/03/2026)."),
            format!("«{t}» is not a date: write day/month/year (31/03/2026) or 2026-03-31."),
        )
    };
    let nums: Vec<u32> = parts.iter().map(|p| p.trim().parse::<u32>()).collect::<Result<_, _>>().map_err(|_| bad())?;
    let [a, b, c] = nums[..] else { return Err(bad()) };
    let (y, m, d) = if parts[0].trim().len() == 4 { (a, b, c) } else if parts[2].trim().len() == 4 { (c, b, a) } else { return Err(bad()) };
    let y = i32::try_from(y).map_err(|_| bad())?;
    if !(1900..=9999).contains(&y) || !(1..=12).contains(&m) {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(y, m, d).map(Some).ok_or_else(|| {
        Localized::new(
            format!("A data {d:02}/{m:02}/{y} não existe: esse mês não tem dia {d}."),
            format!("The date {y}-{m:02}-{d:02} does not exist: that month has no day {d}."),
        )
    })
}

/// One stored line of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLine {
    /// UUIDv7.
    pub id: Uuid,
    /// The product it was picked from.
    pub product_id: Option<Uuid>,
    /// Description.
    pub description: String,
    /// Unit of measure.
    pub unit: Option<String>,
    /// Quantity.
    pub quantity: Quantity,
    /// Unit price excluding VAT.
    pub unit_price: UnitPrice,
    /// Line discount.
    pub discount: Percent,
    /// VAT.
    pub tax: LineTax,
    /// Amount after the line discount, rounded, as desk-model computed it.
    pub amount: Money,
}

/// Moloni's fiscal data of an issued document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalData {
    /// Moloni's document id.
    pub moloni_id: i64,
    /// Moloni's document set id.
    pub document_set_id: Option<i64>,
    /// The unique number, `FT 2026A/17`.
    pub number: String,
    /// The series, `2026A`.
    pub series: String,
    /// The ATCUD, `CSDF7T5H-17`.
    pub atcud: String,
    /// The 4 signature characters (empty for receipts).
    pub hash4: String,
    /// When Moloni closed it.
    pub issued_at: DateTime<Utc>,
    /// Moloni's net total, compared with ours to the cent before recording.
    pub net: Money,
    /// Moloni's VAT.
    pub vat: Money,
    /// Moloni's total.
    pub total: Money,
}

/// A document with its lines, totals, settlement and fiscal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// UUIDv7.
    pub id: Uuid,
    /// The company.
    pub company_id: Uuid,
    /// Type.
    pub doc_type: DocType,
    /// Life-cycle state.
    pub state: DocState,
    /// "FT 2026A/17" once issued, "Rascunho FT/12" before.
    pub number: String,
    /// The local draft number (never fiscal).
    pub draft_number: Option<i64>,
    /// The customer.
    pub customer_id: Option<Uuid>,
    /// The customer's name as on the document.
    pub customer_name: String,
    /// The customer's NIF as on the document.
    pub customer_nif: Option<String>,
    /// Issue date.
    pub date: NaiveDate,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// Agreed payment terms.
    pub payment_terms: Option<PaymentTerms>,
    /// Global discount.
    pub global_discount: Percent,
    /// FS retail flag.
    pub retail_b2c: bool,
    /// Notes.
    pub notes: String,
    /// The document it comes from or corrects.
    pub source_id: Option<Uuid>,
    /// The correction reason (NC/ND).
    pub reason: Option<String>,
    /// The lines, in order.
    pub lines: Vec<DocumentLine>,
    /// Before discounts.
    pub gross: Money,
    /// Line and global discounts.
    pub discounts: Money,
    /// Taxable total.
    pub net: Money,
    /// VAT.
    pub vat: Money,
    /// Total to pay.
    pub total: Money,
    /// Receipts recorded against it.
    pub received: Money,
    /// Issued credit notes against it.
    pub credited: Money,
    /// What is still owed (receivables once issued; zero otherwise).
    pub open_balance: Money,
    /// Fiscal data, once issued.
    pub fiscal: Option<FiscalData>,
    /// When issuing was requested.
    pub issue_requested_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

impl Document {
    /// The document as a desk-model draft (lines, discount, dates; references are the caller's), for totals,
    /// conversions and printing.
    pub fn to_draft(&self) -> DraftDocument {
        DraftDocument {
            doc_type: self.doc_type,
            date: self.date,
            due_date: self.due_date,
            lines: self
                .lines
                .iter()
                .map(|l| DraftLine {
                    description: l.description.clone(),
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    discount: l.discount,
                    tax: l.tax.clone(),
                })
                .collect(),
            global_discount: self.global_discount,
            references: Vec::new(),
            retail_b2c: self.retail_b2c,
            notes: self.notes.clone(),
        }
    }

    /// The form's input for editing this document (numbers written the plain way, read back in English).
    pub fn to_input(&self) -> DocumentInput {
        DocumentInput {
            doc_type: self.doc_type,
            customer_id: self.customer_id,
            date: self.date.to_string(),
            due_date: self.due_date.map(|d| d.to_string()).unwrap_or_default(),
            payment_terms: self.payment_terms,
            lines: self
                .lines
                .iter()
                .map(|l| LineInput {
                    id: Some(l.id),
                    product_id: l.product_id,
                    description: l.description.clone(),
                    unit: l.unit.clone().unwrap_or_default(),
                    quantity: l.quantity.0.normalize().to_string(),
                    unit_price: l.unit_price.0.normalize().to_string(),
                    discount: l.discount.0.normalize().to_string(),
                    tax_zone: l.tax.zone.code().to_string(),
                    tax_code: l.tax.code.as_str().to_string(),
                    exemption: l.tax.exemption.as_ref().map(|e| e.to_string()).unwrap_or_default(),
                })
                .collect(),
            global_discount: self.global_discount.0.normalize().to_string(),
            notes: self.notes.clone(),
            retail_b2c: self.retail_b2c,
            source_id: self.source_id,
            reason: self.reason.clone().unwrap_or_default(),
            lang: Lang::En,
        }
    }
}

/// How a documents list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DocumentSort {
    /// Newest first (the default).
    #[default]
    DateDesc,
    /// Oldest first.
    DateAsc,
    /// By number (fiscal once issued, draft number before), descending.
    NumberDesc,
    /// By number, ascending.
    NumberAsc,
    /// By customer name, A–Z.
    CustomerAsc,
    /// By customer name, Z–A.
    CustomerDesc,
    /// Largest total first.
    TotalDesc,
    /// Smallest total first.
    TotalAsc,
}

/// A filtered, sorted page of documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DocumentQuery {
    /// Only these types (empty: all).
    #[serde(default)]
    pub doc_types: Vec<DocType>,
    /// Only these states (empty: all).
    #[serde(default)]
    pub states: Vec<DocState>,
    /// Only this customer's.
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    /// Issued on or after.
    #[serde(default)]
    pub date_from: Option<NaiveDate>,
    /// Issued on or before.
    #[serde(default)]
    pub date_to: Option<NaiveDate>,
    /// Only overdue ones: due before `today` with an open balance.
    #[serde(default)]
    pub overdue: bool,
    /// "Today" for the overdue filter and flags; `None` is the computer's date.
    #[serde(default)]
    pub today: Option<NaiveDate>,
    /// Sort order.
    #[serde(default)]
    pub sort: DocumentSort,
    /// The `next` cursor of the previous page.
    #[serde(default)]
    pub after: Option<String>,
    /// Rows per page (1–500; 0 means 50).
    #[serde(default)]
    pub limit: u32,
}

/// One row of the documents list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    /// UUIDv7.
    pub id: Uuid,
    /// Type.
    pub doc_type: DocType,
    /// State.
    pub state: DocState,
    /// Fiscal number, or the draft label.
    pub number: String,
    /// Customer.
    pub customer_id: Option<Uuid>,
    /// Customer name as on the document.
    pub customer_name: String,
    /// Customer NIF as on the document.
    pub customer_nif: Option<String>,
    /// Issue date.
    pub date: NaiveDate,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// Total.
    pub total: Money,
    /// Still owed.
    pub open_balance: Money,
    /// Due before today with something still owed.
    pub overdue: bool,
}

/// A payment as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInput {
    /// The issued invoice (FT) or debit note (ND) paid.
    pub document_id: Uuid,
    /// Payment date as typed.
    pub date: String,
    /// Amount received (VAT included) as typed.
    pub amount: String,
    /// Payment method ("Transferência bancária", "Numerário", "MB Way"…).
    pub method: String,
    /// Notes.
    #[serde(default)]
    pub notes: String,
    /// The language numbers are typed in.
    #[serde(default)]
    pub lang: Lang,
}

/// A recorded payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// UUIDv7.
    pub id: Uuid,
    /// The document paid.
    pub document_id: Uuid,
    /// The receipt (RG) draft prepared for it.
    pub receipt_id: Option<Uuid>,
    /// Payment date.
    pub date: NaiveDate,
    /// Amount.
    pub amount: Money,
    /// Method.
    pub method: String,
    /// Notes.
    pub notes: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A count and an amount, for the dashboard's tiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CountAmount {
    /// How many documents.
    pub count: u64,
    /// Their amount.
    pub amount: Money,
}

/// The first screen's figures, from the local cache, in one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The day the figures are for.
    pub today: NaiveDate,
    /// Drafts waiting to be finished and issued (their totals).
    pub drafts: CountAmount,
    /// Documents queued for issue or being issued.
    pub issue_queue: u64,
    /// Issued invoices and debit notes with something owed (the open balance).
    pub unpaid: CountAmount,
    /// Of those, the ones past their due date.
    pub overdue: CountAmount,
    /// Sales of the month so far: invoices and debit notes issued this month, less credit notes (net of VAT).
    pub month_sales_net: Money,
    /// The same with VAT.
    pub month_sales_total: Money,
}

/// A document as it will print, for the app's preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfPreview {
    /// Every printed string, the same view the PDF is drawn from.
    pub document: crate::print::PrintDocument,
    /// The QR code as an SVG image, for issued documents.
    pub qr_svg: Option<String>,
    /// Pages the PDF has.
    pub pages: usize,
    /// What the PDF leaves out or changes (a logo that cannot be read, characters the font lacks).
    pub warnings: Vec<Localized>,
}

/// A PDF written to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfSaved {
    /// Where.
    pub path: String,
    /// Its pages.
    pub pages: usize,
    /// What it leaves out or changes.
    pub warnings: Vec<Localized>,
}

/// Print a filtered list of documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfBatchInput {
    /// The list's filter (its sort is the print order; paging fields are ignored).
    pub query: DocumentQuery,
    /// One merged PDF (`path` is the file) instead of one file per document (`path` is the folder).
    pub merged: bool,
    /// The folder or file.
    pub path: String,
    /// The language to print in.
    pub lang: Lang,
}

/// A batch's progress, polled by the app while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PdfBatchStatus {
    /// Documents rendered so far.
    pub done: usize,
    /// Documents to render (0 while the list is being read).
    pub total: usize,
    /// True once the batch has stopped, finished or not.
    pub finished: bool,
    /// It stopped because the user cancelled.
    pub cancelled: bool,
    /// The files written.
    pub files: Vec<String>,
    /// Pages rendered.
    pub pages: usize,
    /// What the PDFs leave out or change, prefixed with the document number.
    pub warnings: Vec<Localized>,
    /// Why it failed, if it did.
    pub error: Option<AppError>,
}

#[cfg(test)]
mod count_tests {
    use super::*;

    #[test]
    fn counts_read_in_each_language() {
        assert_eq!(count_text(3430, false, Lang::Pt), "3.430");
        assert_eq!(count_text(3430, false, Lang::En), "3,430");
        assert_eq!(count_text(7, false, Lang::Pt), "7");
        assert_eq!(count_text(10_000, true, Lang::Pt), "mais de 10.000");
        assert_eq!(count_text(10_000, true, Lang::En), "more than 10,000");
    }

    #[test]
    fn an_older_page_without_the_flag_reads_as_exact() {
        let p: Page<u8> = serde_json::from_str(r#"{"items":[1],"next":null,"total":1}"#).expect("page");
        assert!(!p.total_is_lower_bound);
    }
}
