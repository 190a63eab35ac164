//! A document and a payment as typed in the form or on the command line: raw text, read into a
//! [`DraftDocument`] by [`DocumentInput::to_draft`] (every unreadable field reported by its path).

use crate::document::{DocType, DraftDocument, DraftLine, PaymentTerms};
use crate::error::FieldError;
use crate::form::{parse_date, read_number, read_tax};
use crate::money::{NumberKind, Percent, Quantity, UnitPrice};
use crate::msg::{Lang, Localized};
use crate::tax::{FiscalZone, LineTax, TaxCode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
    /// This line's IRS/IRC withholding rate in % as typed, overriding the document's: blank takes the document's,
    /// "0" withholds nothing on this line (goods, expenses recharged). A product's default fills it.
    #[serde(default)]
    pub withholding: String,
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
    /// IRS/IRC withholding rate in % as typed ("23", "11,5"); blank: none.
    #[serde(default)]
    pub withholding: String,
    /// Date of supply as typed, when it differs from the issue date; blank: the issue date.
    #[serde(default)]
    pub supply_date: String,
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
            withholding: String::new(),
            supply_date: String::new(),
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
        let global_discount =
            read_number(&self.global_discount, self.lang, NumberKind::Percent, true, "global_discount", &mut errors)
                .map(Percent)
                .unwrap_or(Percent::ZERO);
        let withholding = crate::tax::withholding::parse_rate(&self.withholding, self.lang).unwrap_or_else(|m| {
            errors.push(FieldError { field: "withholding".into(), message: m });
            None
        });
        let supply_date = parse_date(&self.supply_date).unwrap_or_else(|m| {
            errors.push(FieldError { field: "supply_date".into(), message: m });
            None
        });
        if self.lines.len() > crate::document::validate::MAX_LINES {
            // Not worth reading 10 000 lines to say there are too many: validate() says so from the count.
            let line = DraftLine {
                description: String::new(),
                quantity: Quantity::ONE,
                unit_price: UnitPrice(rust_decimal::Decimal::ZERO),
                discount: Percent::ZERO,
                tax: LineTax { zone: FiscalZone::Pt, code: TaxCode::Nor, exemption: None },
                withholding: None,
            };
            return match (errors.is_empty(), date) {
                (true, Some(date)) => Ok(DraftDocument {
                    supply_date,
                    withholding,
                    ..self.draft_with(date, due_date, global_discount, vec![line; self.lines.len()])
                }),
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
            Some(date) if errors.is_empty() => Ok(DraftDocument {
                supply_date,
                withholding,
                ..self.draft_with(date, due_date, global_discount, lines)
            }),
            _ => Err(errors),
        }
    }

    fn draft_with(
        &self,
        date: NaiveDate,
        due_date: Option<NaiveDate>,
        global_discount: Percent,
        lines: Vec<DraftLine>,
    ) -> DraftDocument {
        DraftDocument {
            doc_type: self.doc_type,
            date,
            due_date,
            lines,
            global_discount,
            references: Vec::new(),
            retail_b2c: self.retail_b2c,
            notes: self.notes.clone(),
            supply_date: None,
            withholding: None,
        }
    }
}

impl LineInput {
    /// Reads one line's text; errors go to `errors` under `lines[i].field`.
    pub fn to_line(&self, i: usize, lang: Lang, errors: &mut Vec<FieldError>) -> Option<DraftLine> {
        let before = errors.len();
        let path = |f: &str| format!("lines[{i}].{f}");
        let line_msg =
            |m: Localized| Localized::new(format!("Linha {}: {}", i + 1, m.pt), format!("Line {}: {}", i + 1, m.en));
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
        let withholding = crate::tax::withholding::parse_rate(&self.withholding, lang).unwrap_or_else(|m| {
            errors.push(FieldError { field: path("withholding"), message: line_msg(m) });
            None
        });
        if errors.len() > before {
            return None;
        }
        Some(DraftLine {
            description: self.description.clone(),
            quantity: Quantity(quantity?),
            unit_price: UnitPrice(unit_price?),
            discount: Percent(discount.unwrap_or_default()),
            tax: tax?,
            withholding,
        })
    }
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
