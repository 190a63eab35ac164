//! The editor's one state and its reducer: the form, the stored document, the save status and errors. Every
//! change is an [`Action`]; nothing reads a state handle kept from an earlier render.

use super::saver::SaverEvent;
use desk_model::document::{DocState, DocType, PaymentTerms};
use desk_model::ipc::{AppError, Customer, Document, DocumentInput, LineInput, Product};
use desk_model::money::format::format_decimal;
use desk_model::money::{format_percent, format_quantity, format_unit_price};
use desk_model::msg::Lang;
use desk_model::print::format_date;
use desk_model::tax::withholding::line_default;
use desk_model::unsaved::UnsavedForm;
use std::rc::Rc;
use uuid::Uuid;
use yew::Reducible;

/// Today as the form writes dates.
pub fn today_text() -> String {
    let d = js_sys::Date::new_0();
    format!("{:02}/{:02}/{}", d.get_date(), d.get_month() + 1, d.get_full_year())
}

/// The time now, HH:MM.
pub fn now_hm() -> String {
    let t = js_sys::Date::new_0();
    format!("{:02}:{:02}", t.get_hours(), t.get_minutes())
}

/// A new line: one unit at the normal rate.
pub fn empty_line() -> LineInput {
    LineInput { quantity: "1".into(), tax_code: "NOR".into(), tax_zone: "PT".into(), ..Default::default() }
}

/// The form of a new draft.
pub fn new_input(lang: Lang) -> DocumentInput {
    let mut input = DocumentInput::new(DocType::Ft, &today_text());
    input.lines.push(empty_line());
    input.lang = lang;
    input
}

/// The form for a stored document, with numbers written the way the user's language writes them.
pub fn input_from(doc: &Document, lang: Lang) -> DocumentInput {
    let mut input = doc.to_input();
    input.lang = lang;
    input.date = format_date(doc.date, Lang::Pt);
    input.due_date = doc.due_date.map(|d| format_date(d, Lang::Pt)).unwrap_or_default();
    input.global_discount =
        if doc.global_discount.0.is_zero() { String::new() } else { format_percent(doc.global_discount, lang) };
    // In the user's language, or a stored 11.5 % would read back as 115 in Portuguese.
    input.withholding = doc.withholding_rate.map(|p| format_decimal(p.0, lang, 0, 4)).unwrap_or_default();
    input.supply_date = doc.supply_date.map(|d| format_date(d, Lang::Pt)).unwrap_or_default();
    for (field, line) in input.lines.iter_mut().zip(&doc.lines) {
        field.quantity = format_quantity(line.quantity, lang);
        field.unit_price = format_unit_price(line.unit_price, lang);
        field.discount = if line.discount.0.is_zero() { String::new() } else { format_percent(line.discount, lang) };
        field.withholding = line.withholding.map(|p| format_decimal(p.0, lang, 0, 4)).unwrap_or_default();
    }
    input
}

/// The payment form of an issued invoice.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentForm {
    /// Amount as typed.
    pub amount: String,
    /// Date as typed.
    pub date: String,
    /// Method.
    pub method: String,
}

/// Which payment field changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PaymentField {
    /// The amount.
    Amount,
    /// The date.
    Date,
    /// The method.
    Method,
}

/// Which text field of a line changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineField {
    /// Description (typing it forgets the picked product).
    Description,
    /// Quantity.
    Quantity,
    /// Unit price.
    Price,
    /// Discount %.
    Discount,
    /// Fiscal zone (`PT`, `PT-AC`, `PT-MA`): it picks the rates.
    Zone,
    /// VAT code (an exemption only stays with ISE).
    Tax,
    /// Exemption reason.
    Exemption,
    /// This line's withholding rate (blank: the document's).
    Withholding,
}

/// Where saving stands, for the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    /// Nothing typed since it was opened.
    Idle,
    /// Typed, not stored yet (the journal has it).
    Pending,
    /// A save is running.
    Saving,
    /// Stored at this time (HH:MM), with nothing newer on screen.
    Saved(String),
    /// Not a valid draft yet: the form says what is missing.
    Incomplete,
    /// The last save failed.
    Failed(AppError),
}

/// A way out, or a save asked for, taken after every edit before it has reached the saver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leave {
    /// Esc or Fechar: store, then back to the list.
    Close,
    /// Ctrl+S or the button: store now and say so.
    SaveNow,
    /// Store, then open the print preview.
    Preview,
}

/// The editor's state.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorState {
    /// The journal key of this editor.
    pub key: Uuid,
    /// The stored document, once loaded or created.
    pub doc: Option<Document>,
    /// The form as on screen.
    pub input: DocumentInput,
    /// The customer box's text.
    pub customer_text: String,
    /// Edits made since opening (0: pristine).
    pub rev: u64,
    /// The newest edit stored.
    pub stored_rev: u64,
    /// Save status.
    pub status: SaveStatus,
    /// The error of another action (load, duplicate, delete, convert, payment).
    pub error: Option<AppError>,
    /// A confirmation of another action (a payment recorded, a save asked for).
    pub notice: Option<String>,
    /// A journalled form of this document offered back.
    pub offer: Option<UnsavedForm>,
    /// The payment form.
    pub payment: PaymentForm,
    /// The print preview is open.
    pub previewing: bool,
    /// The form's language.
    pub lang: Lang,
    /// The last way out asked for, numbered so asking twice acts twice.
    pub leave: Option<(u64, Leave)>,
    /// Issuing through Moloni: asking for confirmation, or waiting for Moloni.
    pub issuing: IssueStep,
    /// What the last issue attempt said when it did not issue (still queued, stopped, refused).
    pub issue_message: Option<String>,
}

/// Where the Emitir action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IssueStep {
    /// Nothing asked.
    #[default]
    Idle,
    /// The confirmation is on screen.
    Confirming,
    /// Sent to Moloni, waiting.
    Sending,
}

impl EditorState {
    /// A new editor: blank, on a stored document to load, or on a recovered form.
    pub fn new(lang: Lang, id: Option<Uuid>, recover: Option<&UnsavedForm>, method: &str) -> EditorState {
        let mut st = EditorState {
            key: id.unwrap_or_else(Uuid::now_v7),
            doc: None,
            input: new_input(lang),
            customer_text: String::new(),
            rev: 0,
            stored_rev: 0,
            status: SaveStatus::Idle,
            error: None,
            notice: None,
            offer: None,
            payment: PaymentForm { amount: String::new(), date: today_text(), method: method.to_string() },
            previewing: false,
            lang,
            leave: None,
            issuing: IssueStep::Idle,
            issue_message: None,
        };
        if let Some(form) = recover {
            st.apply_form(form);
        }
        st
    }

    fn apply_form(&mut self, form: &UnsavedForm) {
        self.key = form.key;
        self.input = form.input.clone();
        self.customer_text = form.customer_text.clone();
        self.rev += 1;
        self.status = SaveStatus::Pending;
        self.offer = None;
    }

    /// The form can be edited (a new draft, or a stored draft).
    pub fn editable(&self) -> bool {
        self.doc.as_ref().is_none_or(|d| d.state == DocState::Draft)
    }
}

/// Everything that changes the editor.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The stored document arrived (on opening).
    Loaded(Document),
    /// An error from an action other than saving (`None` clears it).
    Error(Option<AppError>),
    /// A confirmation to show.
    Notice(String),
    /// The type select.
    DocType(DocType),
    /// A header text field.
    Header(HeaderField, String),
    /// The customer box's text changed (a search).
    CustomerText(String),
    /// A customer was picked.
    PickCustomer(Customer),
    /// A line's field changed.
    Line(usize, LineField, String),
    /// A product was picked for a line.
    PickProduct(usize, Product),
    /// A new line.
    AddLine,
    /// A line removed (the last one stays).
    RemoveLine(usize),
    /// The saver's news.
    Saver(SaverEvent),
    /// A payment field.
    Payment(PaymentField, String),
    /// A payment was recorded: the document as it is now.
    PaymentRecorded(Document),
    /// Open or close the print preview.
    Preview(bool),
    /// A journalled form of this document exists: offer it.
    Offer(UnsavedForm),
    /// Take the offered form.
    Recover,
    /// Drop the offer.
    DismissOffer,
    /// Leave or save (acted on after this render, so every earlier edit is in the saver first).
    Leave(Leave),
    /// The Emitir action's step.
    Issue(IssueStep),
    /// An issue attempt ended without issuing: what Moloni or the queue said.
    IssueMessage(Option<String>),
}

/// A text field of the header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HeaderField {
    /// Issue date.
    Date,
    /// Due date.
    Due,
    /// Global discount %.
    Discount,
    /// IRS/IRC withholding rate % (retenção na fonte).
    Withholding,
    /// Date of supply, when it differs from the issue date.
    Supply,
    /// Notes.
    Notes,
}

impl Reducible for EditorState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut st = (*self).clone();
        let lang = st.lang;
        let mut edited = true;
        match action {
            Action::Loaded(doc) => {
                edited = false;
                // A recovered form stays on screen (it is newer than what is stored) unless the document can no
                // longer be edited.
                if st.rev == 0 || doc.state != DocState::Draft {
                    st.input = input_from(&doc, lang);
                    st.customer_text = doc.customer_name.clone();
                    st.rev = 0;
                    st.status = SaveStatus::Idle;
                }
                st.doc = Some(doc);
            }
            Action::Error(e) => {
                edited = false;
                st.error = e;
            }
            Action::Notice(n) => {
                edited = false;
                st.notice = Some(n);
            }
            Action::DocType(t) => st.input.doc_type = t,
            Action::Header(field, v) => match field {
                HeaderField::Date => st.input.date = v,
                HeaderField::Due => st.input.due_date = v,
                HeaderField::Discount => st.input.global_discount = v,
                HeaderField::Withholding => st.input.withholding = v,
                HeaderField::Supply => st.input.supply_date = v,
                HeaderField::Notes => st.input.notes = v,
            },
            Action::CustomerText(v) => st.customer_text = v,
            Action::PickCustomer(c) => {
                st.input.customer_id = Some(c.id);
                st.input.payment_terms = c.payment_terms_days.map(PaymentTerms::Days);
                // A customer that withholds (CIRS art. 101) starts the document with its rate; a rate already
                // typed stays.
                if st.input.withholding.trim().is_empty() {
                    if let Some(p) = line_default(c.withholding_rate, None) {
                        st.input.withholding = format_decimal(p.0, lang, 0, 4);
                    }
                }
                st.customer_text = c.name;
            }
            Action::Line(i, field, v) => {
                if let Some(line) = st.input.lines.get_mut(i) {
                    match field {
                        LineField::Description => {
                            line.description = v;
                            line.product_id = None;
                        }
                        LineField::Quantity => line.quantity = v,
                        LineField::Price => line.unit_price = v,
                        LineField::Discount => line.discount = v,
                        LineField::Zone => line.tax_zone = v,
                        LineField::Tax => {
                            line.tax_code = v;
                            if line.tax_code != "ISE" {
                                line.exemption.clear();
                            }
                        }
                        LineField::Exemption => line.exemption = v,
                        LineField::Withholding => line.withholding = v,
                    }
                }
            }
            Action::PickProduct(i, product) => {
                if let Some(line) = st.input.lines.get_mut(i) {
                    line.product_id = Some(product.id);
                    line.description = product.name.clone();
                    line.unit = product.unit.clone();
                    line.unit_price = format_unit_price(product.price, lang);
                    line.tax_zone = product.tax.zone.code().to_string();
                    line.tax_code = product.tax.code.as_str().to_string();
                    line.exemption = product.tax.exemption.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default();
                    // goods withhold nothing; a service its own rate if it has one, else the document's
                    line.withholding = desk_model::product::line_withholding(&product)
                        .map(|p| format_decimal(p.0, lang, 0, 4))
                        .unwrap_or_default();
                }
            }
            Action::AddLine => st.input.lines.push(empty_line()),
            Action::RemoveLine(i) => {
                if st.input.lines.len() > 1 && i < st.input.lines.len() {
                    st.input.lines.remove(i);
                }
            }
            Action::Saver(event) => {
                edited = false;
                match event {
                    SaverEvent::Saving(_) => st.status = SaveStatus::Saving,
                    SaverEvent::Stored(rev, doc) => {
                        st.stored_rev = st.stored_rev.max(rev);
                        if rev == st.rev {
                            // Nothing typed since: the stored lines' ids go into the form, so the next save updates
                            // those lines instead of replacing them.
                            for (field, line) in st.input.lines.iter_mut().zip(&doc.lines) {
                                field.id.get_or_insert(line.id);
                            }
                            st.status = SaveStatus::Saved(now_hm());
                        }
                        st.doc = Some(*doc);
                    }
                    SaverEvent::Failed(rev, e) => {
                        if rev == st.rev {
                            st.status = SaveStatus::Failed(e);
                        }
                    }
                    SaverEvent::Incomplete(rev) => {
                        if rev == st.rev {
                            st.status = SaveStatus::Incomplete;
                        }
                    }
                }
            }
            Action::Payment(field, v) => {
                edited = false;
                match field {
                    PaymentField::Amount => st.payment.amount = v,
                    PaymentField::Date => st.payment.date = v,
                    PaymentField::Method => st.payment.method = v,
                }
            }
            Action::PaymentRecorded(doc) => {
                edited = false;
                st.payment.amount.clear();
                st.doc = Some(doc);
            }
            Action::Preview(on) => {
                edited = false;
                st.previewing = on;
            }
            Action::Issue(step) => {
                edited = false;
                st.issuing = step;
                if step != IssueStep::Idle {
                    st.issue_message = None;
                }
            }
            Action::IssueMessage(m) => {
                edited = false;
                st.issue_message = m;
            }
            Action::Offer(form) => {
                edited = false;
                if st.rev == 0 {
                    st.offer = Some(form);
                }
            }
            Action::Recover => match st.offer.take() {
                Some(form) => st.apply_form(&form),
                None => edited = false,
            },
            Action::DismissOffer => {
                edited = false;
                st.offer = None;
            }
            Action::Leave(what) => {
                edited = false;
                let n = st.leave.map_or(1, |(n, _)| n + 1);
                st.leave = Some((n, what));
            }
        }
        if edited {
            st.rev += 1;
            // A save under way stays on the status line: the saver sends this edit right after it.
            if st.status != SaveStatus::Saving {
                st.status = SaveStatus::Pending;
            }
            st.offer = None;
        }
        Rc::new(st)
    }
}
