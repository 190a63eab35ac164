//! The issuer: takes a queued document through Moloni exactly once (PRODUCT.md §5). Claim it (lease, fencing
//! token); find a Moloni document carrying its reference before making one; insert as a Moloni draft and record
//! its id at once; read it back and compare every total to the cent (a mismatch stops for review, never closes);
//! close the recorded id, and only that one; read back the fiscal data; mark issued. Every step is safe to repeat
//! after a crash, a timeout or an ambiguous answer: at worst a Moloni draft is left, which a later attempt finds
//! and reuses, or deletes when the document changed since.

use super::links;
use crate::documents::{self, issue};
use crate::error::{CoreError, CoreResult};
use crate::sync::lease::{self as server_lease, Asked, ServerLease};
use crate::Ctx;
use chrono::Duration;
use desk_model::document::{DocState, DocType};
use desk_model::ipc::Document;
use desk_model::msg::Localized;
use desk_model::party::FINAL_CONSUMER_NIF;
use moloni::convert::{fiscal_data, kind_of, ConvertError};
use moloni::types::Tax;
use moloni::{CompanyApi, DocumentKind, LineTax, NewAssociation, NewCustomer, NewDocument, NewLine, NewPayment};
use moloni::{Error as MoloniError, NewProduct};
use rust_decimal::Decimal;
use uuid::Uuid;

/// How long a claim holds a request: longer than the slowest attempt (every call has its own timeout).
pub fn lease() -> Duration {
    Duration::minutes(2)
}

/// What an attempt to issue one document came to: desk-model's `IssueOutcome`, what the app and the CLI show.
pub use desk_model::ipc::IssueOutcome as Outcome;

/// Why an attempt stopped.
enum Stop {
    Retry(Localized),
    Attention(Localized),
    Refused(Localized),
    Core(CoreError),
}

impl From<CoreError> for Stop {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Moloni(m) => Stop::from(m),
            other => Stop::Core(other),
        }
    }
}

impl From<MoloniError> for Stop {
    fn from(e: MoloniError) -> Self {
        let message = e.message();
        match e {
            MoloniError::Validation { .. } | MoloniError::NotDone { .. } | MoloniError::Refused { .. } => {
                Stop::Refused(message)
            }
            MoloniError::OutcomeUnknown { .. } => Stop::Retry(Localized::new(
                "O Moloni não respondeu a tempo. O documento continua na fila e é tentado de novo automaticamente; antes de repetir, a aplicação confirma no Moloni o que ficou feito, por isso nunca é emitido duas vezes.",
                "Moloni did not answer in time. The document stays queued and is tried again automatically; before repeating, the app checks in Moloni what was done, so it is never issued twice.",
            )),
            MoloniError::Unreachable { .. } => Stop::Retry(Localized::new(
                "Sem ligação ao Moloni. O documento fica na fila e é enviado automaticamente quando a ligação voltar.",
                "No connection to Moloni. The document stays queued and is sent automatically when the connection returns.",
            )),
            MoloniError::Unavailable { status, .. } => Stop::Retry(Localized::new(
                format!("O Moloni está indisponível de momento (HTTP {status}). O documento fica na fila e é enviado automaticamente quando o Moloni voltar a responder."),
                format!("Moloni is unavailable at the moment (HTTP {status}). The document stays queued and is sent automatically when Moloni answers again."),
            )),
            _ => Stop::Retry(message),
        }
    }
}

/// The reference written into the Moloni document and searched for before making one: the document's id (in
/// base 62, 22 characters) and a fingerprint of its content, so a draft made from older content is never found
/// and closed. 29 characters: Moloni's field holds 35.
pub fn our_reference(doc_id: Uuid, content_hash: &str) -> String {
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut n = doc_id.as_u128();
    let mut id = [b'0'; 22];
    for slot in id.iter_mut().rev() {
        *slot = DIGITS[(n % 62) as usize];
        n /= 62;
    }
    format!("{}-{}", String::from_utf8_lossy(&id), &content_hash[..content_hash.len().min(6)])
}

/// The document an [`our_reference`] names, if the text is one.
pub fn document_of_reference(reference: &str) -> Option<Uuid> {
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let (id, _) = reference.split_once('-')?;
    if id.len() != 22 {
        return None;
    }
    let mut n: u128 = 0;
    for b in id.bytes() {
        let digit = DIGITS.iter().position(|d| *d == b)? as u128;
        n = n.checked_mul(62)?.checked_add(digit)?;
    }
    Some(Uuid::from_u128(n))
}

/// Issues queued documents through one Moloni company.
pub struct Issuer<'a> {
    cx: &'a Ctx,
    api: CompanyApi<'a>,
    owner: String,
}

impl<'a> Issuer<'a> {
    /// An issuer for the current company, as `owner` (the lease holder's name: this desktop and process).
    pub fn new(cx: &'a Ctx, api: CompanyApi<'a>, owner: &str) -> Issuer<'a> {
        Issuer { cx, api, owner: owner.to_string() }
    }

    /// One attempt at one queued document. In office mode the server decides first which desktop works it (a
    /// lease on the server's clock): never two desktops on one document at once.
    pub async fn issue(&self, id: Uuid) -> CoreResult<Outcome> {
        let seconds = i32::try_from(lease().num_seconds()).unwrap_or(120);
        let held = match server_lease::ask(self.cx.store(), &server_lease::issue_key(id), self.cx.company().id, seconds)
            .await
        {
            Ok(Asked::NotOffice) => None,
            Ok(Asked::Elsewhere) => return Ok(Outcome::Busy),
            Ok(Asked::Held(l)) => Some(l),
            Err(_) => {
                return Ok(Outcome::Retry {
                    message: Localized::new(
                        "O servidor do escritório não responde: sem ele não se pode garantir que outro posto não emite o mesmo documento. Fica na fila e é emitido quando o servidor voltar.",
                        "The office server does not answer: without it nobody can be sure another desktop is not issuing the same document. It stays queued and is issued when the server is back.",
                    ),
                })
            }
        };
        let result = self.issue_held(id, held.as_ref()).await;
        if let Some(l) = held {
            l.release().await;
        }
        result
    }

    async fn issue_held(&self, id: Uuid, held: Option<&ServerLease>) -> CoreResult<Outcome> {
        if let Some(l) = held {
            // issued (or cancelled) on another desktop already: the next pull brings it and closes this request
            let state = l.document_state(id).await?;
            if state.is_some_and(|s| !matches!(s.as_str(), "draft" | "issue_requested" | "issuing")) {
                return Ok(Outcome::Busy);
            }
        }
        let claim = match issue::claim_issue(self.cx, id, &self.owner, lease()).await {
            Ok(c) => c,
            Err(CoreError::LeaseLost) => return Ok(Outcome::Busy),
            Err(e) => return Err(e),
        };
        match self.run(&claim, held).await {
            Ok(doc) => Ok(Outcome::Issued { document: Box::new(doc) }),
            Err(Stop::Retry(m)) => {
                issue::release_issue(self.cx, &claim, &m, true).await?;
                Ok(Outcome::Retry { message: m })
            }
            Err(Stop::Attention(m)) => {
                issue::needs_attention(self.cx, &claim, &m).await?;
                Ok(Outcome::NeedsAttention { message: m })
            }
            Err(Stop::Refused(m)) => {
                issue::release_issue(self.cx, &claim, &m, false).await?;
                Ok(Outcome::Refused { message: m })
            }
            // a local failure: the lease runs out and the request is tried again
            Err(Stop::Core(e)) => Err(e),
        }
    }

    /// Every queued document of the company, once each, oldest first.
    pub async fn work_queue(&self) -> CoreResult<Vec<(Uuid, Outcome)>> {
        let waiting: Vec<String> = sqlx::query_scalar(
            "SELECT document_id FROM issue_requests WHERE company_id = ? AND state IN ('pending', 'drafted')
             ORDER BY requested_at",
        )
        .bind(self.cx.company().id.to_string())
        .fetch_all(self.cx.store().reader())
        .await?;
        let mut out = Vec::with_capacity(waiting.len());
        for id in waiting {
            let id = Uuid::parse_str(&id).map_err(|e| CoreError::Decode(format!("queued id {id}: {e}")))?;
            out.push((id, self.issue(id).await?));
        }
        Ok(out)
    }

    async fn run(&self, claim: &issue::IssueClaim, held: Option<&ServerLease>) -> Result<Document, Stop> {
        let cx = self.cx;
        let doc = documents::get(cx, claim.document_id).await?;
        let kind = kind_of(doc.doc_type);
        let request = issue::request_state(cx, doc.id).await?.ok_or(CoreError::LeaseLost)?;
        let reference = our_reference(doc.id, &issue::content_hash(&doc));
        let mut recorded = claim.moloni_document_id;

        // A Moloni draft made before the document changed is deleted, never closed.
        if let (Some(mid), false) = (recorded, request.drafted_from_current) {
            match self.api.document_get(kind, mid).await? {
                Some(m) if m.status == 1 => return self.finish(claim, kind, &m).await,
                Some(_) => {
                    self.api.document_delete(kind, mid).await?;
                    issue::forget_moloni_draft(cx, claim).await?;
                }
                None => issue::forget_moloni_draft(cx, claim).await?,
            }
            recorded = None;
        }

        let mid = match recorded {
            Some(mid) => mid,
            None => {
                // An earlier attempt may have made it and lost the answer: look before making another.
                let found = self.api.documents_by_our_reference(kind, &reference).await?;
                if let Some(closed) = found.iter().find(|d| d.status == 1) {
                    issue::record_moloni_draft(cx, claim, closed.document_id).await?;
                    // a list item has no signature or ATCUD: read the document whole
                    let whole = self.api.document_get(kind, closed.document_id).await?.filter(|d| d.status == 1);
                    return self.finish(claim, kind, &whole.ok_or_else(not_closed_yet)?).await;
                }
                let mid = match found.iter().find(|d| d.status == 0) {
                    Some(draft) => draft.document_id,
                    None => {
                        let body = self.body(&doc, &reference).await?;
                        still_held(held).await?;
                        self.api.document_insert(kind, &body).await?
                    }
                };
                issue::record_moloni_draft(cx, claim, mid).await?;
                mid
            }
        };

        let Some(draft) = self.api.document_get(kind, mid).await? else {
            // deleted in Moloni meanwhile: a new draft next time
            issue::forget_moloni_draft(cx, claim).await?;
            return Err(Stop::Retry(Localized::new(
                "O rascunho no Moloni desapareceu; será criado outro na próxima tentativa.",
                "The Moloni draft is gone; another will be made on the next attempt.",
            )));
        };
        if draft.status == 1 {
            return self.finish(claim, kind, &draft).await;
        }
        if let Some(problem) = mismatch(&doc, &draft) {
            return Err(Stop::Attention(problem));
        }
        still_held(held).await?;
        if let Err(e) = self.api.document_close(kind, mid).await {
            // Whatever the answer, the document may be closed (this call's work done and its answer lost, or an
            // earlier attempt's close landing late): look before deciding.
            if let Ok(Some(d)) = self.api.document_get(kind, mid).await {
                if d.status == 1 {
                    return self.finish(claim, kind, &d).await;
                }
            }
            return Err(match e {
                // "not done" to a close is ambiguous here: try again, never back to draft
                MoloniError::NotDone { .. } => Stop::Retry(e.message()),
                other => other.into(),
            });
        }
        let closed = self.api.document_get(kind, mid).await?.filter(|d| d.status == 1).ok_or_else(not_closed_yet)?;
        self.finish(claim, kind, &closed).await
    }

    /// Records a closed Moloni document's fiscal data on ours.
    async fn finish(
        &self,
        claim: &issue::IssueClaim,
        kind: DocumentKind,
        closed: &moloni::types::Document,
    ) -> Result<Document, Stop> {
        let fiscal = match fiscal_data(kind, closed, None) {
            Err(ConvertError::NoAtcud) => {
                let at_code = self.at_code(closed).await?;
                fiscal_data(kind, closed, at_code.as_deref())
            }
            other => other,
        }
        .map_err(|e| Stop::Attention(e.message()))?;
        let mut fiscal = fiscal;
        if kind == DocumentKind::Receipt {
            // a receipt carries only the amount it settles
            (fiscal.net, fiscal.vat) = (fiscal.total, desk_model::money::Money::ZERO);
        }
        match issue::mark_issued(self.cx, claim, &fiscal).await {
            Ok(doc) => Ok(doc),
            Err(CoreError::TotalsMismatch { ours, moloni }) => Err(Stop::Attention(totals_message(ours, moloni))),
            Err(e) => Err(Stop::Core(e)),
        }
    }

    /// The series' AT validation code for the document's type.
    async fn at_code(&self, d: &moloni::types::Document) -> Result<Option<String>, Stop> {
        let sets = self.api.document_sets().await?;
        Ok(sets
            .iter()
            .find(|s| s.document_set_id == d.document_set_id)
            .and_then(|s| s.document_set_at_codes.iter().find(|c| c.document_type_id == d.document_type_id))
            .map(|c| c.document_set_at_code.clone()))
    }

    /// The Moloni draft of a document: its customer and every line's product and tax in Moloni (found, else made).
    async fn body(&self, doc: &Document, reference: &str) -> Result<NewDocument, Stop> {
        let sets = self.api.document_sets().await?;
        let configured =
            crate::series::moloni_document_set(self.cx.store().reader(), self.cx.company().id, doc.doc_type).await?;
        let set = configured
            .or_else(|| sets.iter().find(|s| s.active_by_default == 1).map(|s| s.document_set_id))
            .or_else(|| sets.first().map(|s| s.document_set_id))
            .ok_or_else(|| {
                Stop::Refused(Localized::new(
                    "A empresa não tem séries no Moloni: crie uma em Moloni › Definições › Séries.",
                    "The company has no series in Moloni: create one in Moloni › Settings › Series.",
                ))
            })?;
        let customer_id = self.customer(doc).await?;
        if doc.doc_type == DocType::Rg {
            return self.receipt(doc, reference, set, customer_id).await;
        }
        let taxes = self.api.taxes().await?;
        let draft = doc.to_draft();
        let tax_date = draft.tax_date();
        // withholding goes on each line that has it, as Moloni keeps it (`deduction_id`)
        let withheld = (0..doc.lines.len()).any(|i| draft.line_withholding(i).is_some());
        let deductions = if withheld { self.api.deductions().await? } else { Vec::new() };
        let mut products = Vec::with_capacity(doc.lines.len());
        for (i, line) in doc.lines.iter().enumerate() {
            let deduction_id = draft.line_withholding(i).map(|p| deduction_of(&deductions, p.0)).transpose()?;
            let resolved = line.tax.resolve(tax_date).map_err(|e| Stop::Refused(e.message()))?;
            let (line_taxes, exemption) = match &resolved.exemption {
                Some(code) => (Vec::new(), code.as_str().to_string()),
                None => (vec![tax_of(&taxes, resolved.zone.code(), resolved.percent.0)?], String::new()),
            };
            products.push(NewLine {
                product_id: self.product(line).await?,
                name: line.description.clone(),
                summary: String::new(),
                qty: line.quantity.0,
                price: line.unit_price.0,
                discount: line.discount.0,
                order: i as i64 + 1,
                exemption_reason: exemption,
                taxes: line_taxes,
                deduction_id,
            });
        }
        let mut payments = Vec::new();
        if doc.doc_type.paid_at_issue() {
            let method = self.api.payment_methods().await?.first().map(|m| m.payment_method_id).unwrap_or(0);
            payments.push(NewPayment {
                payment_method_id: method,
                date: format!("{} 00:00:00", doc.date),
                value: (doc.total - doc.withholding).0,
            });
        }
        let mut associated = Vec::new();
        if let Some(source) = doc.source_id.filter(|_| matches!(doc.doc_type, DocType::Nc | DocType::Nd)) {
            let source = documents::get(self.cx, source).await?;
            let moloni_id = source.fiscal.as_ref().map(|f| f.moloni_id).ok_or_else(|| {
                Stop::Refused(Localized::new(
                    "O documento corrigido não foi emitido pelo Moloni: emita-o primeiro.",
                    "The corrected document was not issued through Moloni: issue it first.",
                ))
            })?;
            associated.push(NewAssociation { associated_id: moloni_id, value: doc.total.0 });
        }
        Ok(NewDocument {
            date: doc.date.to_string(),
            expiration_date: doc.due_date.unwrap_or(doc.date).to_string(),
            document_set_id: set,
            customer_id,
            our_reference: reference.to_string(),
            your_reference: String::new(),
            notes: doc.notes.clone(),
            products,
            payments,
            associated_documents: associated,
            net_value: (doc.doc_type == DocType::Nc).then_some(doc.total.0),
        })
    }

    /// A receipt: no lines; it settles the invoice it was prepared for with the payment recorded against it.
    async fn receipt(&self, doc: &Document, reference: &str, set: i64, customer_id: i64) -> Result<NewDocument, Stop> {
        let invoice_id = doc.source_id.ok_or_else(|| {
            Stop::Refused(Localized::new(
                "Este recibo não indica a fatura que liquida.",
                "This receipt does not say which invoice it settles.",
            ))
        })?;
        let invoice = documents::get(self.cx, invoice_id).await?;
        let associated_id = invoice.fiscal.as_ref().map(|f| f.moloni_id).ok_or_else(|| {
            Stop::Refused(Localized::new(
                "A fatura deste recibo não foi emitida pelo Moloni: emita-a primeiro.",
                "This receipt's invoice was not issued through Moloni: issue it first.",
            ))
        })?;
        let method = self.api.payment_methods().await?.first().map(|m| m.payment_method_id).unwrap_or(0);
        Ok(NewDocument {
            date: doc.date.to_string(),
            expiration_date: doc.date.to_string(),
            document_set_id: set,
            customer_id,
            our_reference: reference.to_string(),
            your_reference: String::new(),
            notes: doc.notes.clone(),
            products: Vec::new(),
            payments: vec![NewPayment {
                payment_method_id: method,
                date: format!("{} 00:00:00", doc.date),
                value: doc.total.0,
            }],
            associated_documents: vec![NewAssociation { associated_id, value: doc.total.0 }],
            net_value: Some(doc.total.0),
        })
    }

    /// The document's customer in Moloni: linked before, else found by NIF, else made.
    async fn customer(&self, doc: &Document) -> Result<i64, Stop> {
        let key = doc.customer_id.map_or_else(|| "final-consumer".to_string(), |c| c.to_string());
        if let Some(id) = links::get(self.cx, "customer", &key).await? {
            return Ok(id);
        }
        let vat = doc.customer_nif.clone().unwrap_or_else(|| FINAL_CONSUMER_NIF.to_string());
        let found = self.api.customers_by_vat(&vat).await?;
        let id = match found.iter().find(|c| c.vat == vat) {
            Some(c) => c.customer_id,
            None => {
                let record = match doc.customer_id {
                    Some(id) => Some(crate::customers::get(self.cx, id).await?),
                    None => None,
                };
                let maturity = self.api.maturity_dates().await?.first().map(|m| m.maturity_date_id).unwrap_or(0);
                let method = self.api.payment_methods().await?.first().map(|m| m.payment_method_id).unwrap_or(0);
                let text = |f: fn(&desk_model::ipc::Customer) -> Option<String>, default: &str| {
                    record.as_ref().and_then(f).filter(|s| !s.is_empty()).unwrap_or_else(|| default.to_string())
                };
                let new = NewCustomer {
                    number: self.api.customers_next_number().await?,
                    name: if doc.customer_name.is_empty() {
                        "Consumidor final".into()
                    } else {
                        doc.customer_name.clone()
                    },
                    vat: vat.clone(),
                    address: text(|c| c.address.clone(), "Desconhecido"),
                    zip_code: text(|c| c.postal_code.clone(), "0000-000"),
                    city: text(|c| c.city.clone(), "Desconhecido"),
                    country_id: 1,
                    language_id: 1,
                    email: text(|c| c.email.clone(), ""),
                    phone: text(|c| c.phone.clone(), ""),
                    notes: String::new(),
                    maturity_date_id: maturity,
                    payment_method_id: method,
                };
                self.api.customer_insert(&new).await?
            }
        };
        links::set(self.cx, "customer", &key, id).await?;
        Ok(id)
    }

    /// A line's product in Moloni: the product it was chosen from (linked, found by reference, or made), or one
    /// generic product for lines typed freely (its name is the line's description on the document).
    async fn product(&self, line: &desk_model::ipc::DocumentLine) -> Result<i64, Stop> {
        let key = line.product_id.map_or_else(|| "generic".to_string(), |p| p.to_string());
        if let Some(id) = links::get(self.cx, "product", &key).await? {
            return Ok(id);
        }
        let (reference, name, kind, price) = match line.product_id {
            Some(id) => {
                let p = crate::products::get(self.cx, id).await?;
                let kind = if p.kind == desk_model::ipc::ProductKind::Service { 2 } else { 1 };
                (moloni_reference(&p.reference, id), p.name, kind, p.price.0)
            }
            None => ("DESK-LINHA".to_string(), "Artigo".to_string(), 2, Decimal::ZERO),
        };
        let found = self.api.products_by_reference(&reference).await?;
        let id = match found.iter().find(|p| p.reference == reference) {
            Some(p) => p.product_id,
            None => {
                let category =
                    self.api.product_categories().await?.first().map(|c| c.category_id).ok_or_else(|| {
                        Stop::Refused(Localized::new(
                            "A empresa não tem categorias de artigos no Moloni: crie uma em Moloni › Artigos.",
                            "The company has no product categories in Moloni: create one in Moloni › Products.",
                        ))
                    })?;
                let unit = self.api.measurement_units().await?.first().map(|u| u.unit_id).unwrap_or(0);
                self.api
                    .product_insert(&NewProduct {
                        category_id: category,
                        kind,
                        name,
                        reference: reference.clone(),
                        price,
                        unit_id: unit,
                        has_stock: 0,
                        stock: Decimal::ZERO,
                        // the lines carry their own tax: the product's is only its default
                        exemption_reason: "M99".into(),
                        taxes: Vec::new(),
                    })
                    .await?
            }
        };
        links::set(self.cx, "product", &key, id).await?;
        Ok(id)
    }
}

/// Moloni's product reference (30 characters at most): ours, or a short one made from the product's id.
/// A document just closed that Moloni's reads do not show closed yet.
fn not_closed_yet() -> Stop {
    Stop::Retry(Localized::new(
        "O Moloni ainda não mostra o documento fechado; nova tentativa em breve.",
        "Moloni does not show the document closed yet; trying again shortly.",
    ))
}

/// Right before a write to Moloni: in office mode, this desktop must still hold the document's server lease
/// (one that ran out while this attempt was slow may be another desktop's now).
async fn still_held(held: Option<&ServerLease>) -> Result<(), Stop> {
    match held {
        Some(l) if !l.still_held().await? => Err(Stop::Retry(Localized::new(
            "Outro posto do escritório ficou com a emissão deste documento; esta tentativa parou sem escrever no Moloni.",
            "Another desktop of the office took over issuing this document; this attempt stopped without writing to Moloni.",
        ))),
        _ => Ok(()),
    }
}

fn moloni_reference(ours: &str, id: Uuid) -> String {
    if ours.chars().count() <= 30 {
        ours.to_string()
    } else {
        format!("DESK-{}", &id.simple().to_string()[..20])
    }
}

/// Moloni's withholding of a rate.
fn deduction_of(deductions: &[moloni::types::Deduction], percent: Decimal) -> Result<i64, Stop> {
    deductions.iter().find(|d| d.value == percent).map(|d| d.deduction_id).ok_or_else(|| {
        let shown = percent.normalize();
        Stop::Refused(Localized::new(
            format!("O Moloni não tem uma retenção na fonte de {shown} %: crie-a no Moloni › Definições › Retenções na fonte e emita de novo."),
            format!("Moloni has no {shown} % withholding: create it in Moloni › Settings › Withholding taxes, then issue again."),
        ))
    })
}

/// Moloni's VAT tax of a rate in a fiscal zone.
fn tax_of(taxes: &[Tax], zone: &str, percent: Decimal) -> Result<LineTax, Stop> {
    taxes
        .iter()
        .find(|t| t.value == percent && (t.fiscal_zone == zone || (t.fiscal_zone.is_empty() && zone == "PT")))
        .map(|t| LineTax { tax_id: t.tax_id, value: percent, order: 1, cumulative: 0 })
        .ok_or_else(|| {
            Stop::Refused(Localized::new(
                format!(
                    "O Moloni não tem a taxa de IVA de {percent} % ({zone}): crie-a em Moloni › Definições › Impostos."
                ),
                format!("Moloni has no {percent} % VAT rate ({zone}): create it in Moloni › Settings › Taxes."),
            ))
        })
}

/// How Moloni's draft differs from ours, to the cent, if it does (a receipt has only its total).
fn mismatch(ours: &Document, theirs: &moloni::types::Document) -> Option<Localized> {
    if ours.doc_type == DocType::Rg {
        let same = theirs.net_value.round_dp(2) == ours.total.0.round_dp(2);
        return (!same).then(|| totals_message(ours.total, desk_model::money::Money(theirs.net_value)));
    }
    let net = (theirs.gross_value - theirs.comercial_discount_value - theirs.financial_discount_value).round_dp(2);
    let same = net == ours.net.0.round_dp(2)
        && theirs.taxes_value.round_dp(2) == ours.vat.0.round_dp(2)
        && theirs.net_value.round_dp(2) == ours.total.0.round_dp(2);
    if !same {
        return Some(totals_message(ours.total, desk_model::money::Money(theirs.net_value)));
    }
    (theirs.deduction_value.round_dp(2) != ours.withholding.0.round_dp(2))
        .then(|| withholding_message(ours.withholding, desk_model::money::Money(theirs.deduction_value)))
}

fn withholding_message(ours: desk_model::money::Money, moloni: desk_model::money::Money) -> Localized {
    use desk_model::money::format_money;
    use desk_model::msg::Lang;
    Localized::new(
        format!(
            "A retenção na fonte não coincide: o desk-moloni calcula {} e o Moloni {}. Nada foi emitido; reveja as retenções no Moloni.",
            format_money(ours, Lang::Pt),
            format_money(moloni, Lang::Pt)
        ),
        format!(
            "The withholding differs: desk-moloni computes {} and Moloni {}. Nothing was issued; check the withholding taxes in Moloni.",
            format_money(ours, Lang::En),
            format_money(moloni, Lang::En)
        ),
    )
}

fn totals_message(ours: desk_model::money::Money, moloni: desk_model::money::Money) -> Localized {
    use desk_model::money::format_money;
    use desk_model::msg::Lang;
    Localized::new(
        format!(
            "Os totais não coincidem: o desk-moloni calcula {} e o Moloni {}. Nada foi emitido; reveja as linhas e as taxas no Moloni.",
            format_money(ours, Lang::Pt),
            format_money(moloni, Lang::Pt)
        ),
        format!(
            "The totals differ: desk-moloni computes {} and Moloni {}. Nothing was issued; check the lines and rates in Moloni.",
            format_money(ours, Lang::En),
            format_money(moloni, Lang::En)
        ),
    )
}

/// The stored account's client and the Moloni company of the current company; refuses when Moloni is not
/// connected or no Moloni company is chosen.
async fn connection(cx: &Ctx) -> CoreResult<(moloni::Client, i64)> {
    let client = super::client(cx).await?.ok_or(CoreError::MoloniNotConnected)?;
    let company = super::company_id(cx).await?.ok_or(CoreError::MoloniNotConnected)?;
    Ok((client, company))
}

/// Queues a draft (if it is one) and issues it now: one attempt.
pub async fn issue_now(cx: &Ctx, id: Uuid, owner: &str) -> CoreResult<Outcome> {
    let doc = documents::get(cx, id).await?;
    let (client, company) = connection(cx).await?;
    if doc.state == DocState::Draft {
        issue::request_issue(cx, id).await?;
    }
    Issuer::new(cx, client.company(company), owner).issue(id).await
}

/// Tries a request again now: one stopped for review goes back in the queue first (its Moloni draft is read back
/// and compared again before anything is closed).
pub async fn retry_now(cx: &Ctx, id: Uuid, owner: &str) -> CoreResult<Outcome> {
    let (client, company) = connection(cx).await?;
    if issue::request_state(cx, id).await?.is_some_and(|r| r.state == "needs_attention") {
        issue::requeue(cx, id).await?;
    }
    Issuer::new(cx, client.company(company), owner).issue(id).await
}

/// Works the current company's queue once: every queued document, one attempt each.
pub async fn work_queue_now(cx: &Ctx, owner: &str) -> CoreResult<Vec<(Uuid, Outcome)>> {
    let (client, company) = connection(cx).await?;
    Issuer::new(cx, client.company(company), owner).work_queue().await
}

/// Cancels an issued document in Moloni, then here, with its reason. Refused first, before Moloni is asked, where
/// the rules do not allow it (receipts or notes against it, no reason); an error in value or VAT needs a credit note
/// instead, as the refusal says.
pub async fn cancel_now(cx: &Ctx, id: Uuid, reason: &str) -> CoreResult<Document> {
    let doc = documents::get(cx, id).await?;
    {
        let mut reader = cx.store().reader().acquire().await.map_err(CoreError::Db)?;
        let facts = documents::facts(&mut reader, &doc).await?;
        desk_model::document::can_cancel(doc.state, &facts, reason)?;
    }
    let moloni_id = doc.fiscal.as_ref().map(|f| f.moloni_id).ok_or(CoreError::NotEditable(doc.state))?;
    let (client, company) = connection(cx).await?;
    let api = client.company(company);
    if let Err(e) = api.document_cancel(moloni_id).await {
        // the answer may be lost after the work: look before reporting
        let cancelled =
            matches!(api.document_get(kind_of(doc.doc_type), moloni_id).await, Ok(Some(d)) if d.status == 2);
        if !cancelled {
            return Err(CoreError::Moloni(e));
        }
    }
    issue::mark_cancelled(cx, id, reason).await
}

/// Who holds a lease: this computer's user and process.
pub fn owner() -> String {
    format!("{}@{}", crate::audit::os_user(), std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_reference_names_its_document_and_nothing_else_does() {
        for id in [Uuid::now_v7(), Uuid::nil(), Uuid::max(), Uuid::from_u128(61)] {
            let reference = our_reference(id, "a1b2c3d4e5");
            assert_eq!(document_of_reference(&reference), Some(id), "{reference}");
        }
        // what a shop plugin or a person writes there is not one of ours
        for other in ["", "#1234", "ENC-2026-0001", "0000000000000000000001", "zzzzzzzzzzzzzzzzzzzzzz-abc", "ab-cd"] {
            assert_eq!(document_of_reference(other), None, "{other}");
        }
    }
}
