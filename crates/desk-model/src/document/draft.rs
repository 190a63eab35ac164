//! A draft document as the user builds it: lines, a global discount, and references to other documents.
//! Drafts carry no fiscal marks; Moloni gives the number, ATCUD and signature at issue.

use super::kind::DocType;
use crate::money::{Percent, Quantity, UnitPrice};
use crate::tax::LineTax;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A draft's label in the UI language, "Rascunho FT/12" / "Draft FT/12" (never a fiscal number): what lists
/// and prints show. Engines should store the language-neutral [`draft_key`] and label it when shown.
pub fn draft_label(doc_type: DocType, number: Option<i64>, lang: crate::msg::Lang) -> String {
    let word = match lang {
        crate::msg::Lang::Pt => "Rascunho",
        crate::msg::Lang::En => "Draft",
    };
    format!("{word} {}", draft_key(doc_type, number))
}

/// What a list, a header or a command shows as a document's number: its fiscal number once Moloni gave it one
/// ("FT 2026A/17", the same in every language), else its draft label in `lang` ("Rascunho FT/3" / "Draft FT/3").
/// The engine keeps no language in the data: it stores the draft number, and the label is made where it is shown.
pub fn document_label(
    doc_type: DocType,
    fiscal_number: Option<&str>,
    draft_number: Option<i64>,
    lang: crate::msg::Lang,
) -> String {
    match fiscal_number {
        Some(n) => n.to_string(),
        None => draft_label(doc_type, draft_number, lang),
    }
}

/// The language-neutral part of a draft's label: "FT/12", or "FT" before it has a number.
pub fn draft_key(doc_type: DocType, number: Option<i64>) -> String {
    match number {
        Some(n) => format!("{}/{n}", doc_type.saft_code()),
        None => doc_type.saft_code().to_string(),
    }
}

/// One line: what, how many, at what price, less what discount, with what VAT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLine {
    /// The usual description of the goods or service.
    pub description: String,
    /// Quantity (≥ 0, at most 3 decimals).
    pub quantity: Quantity,
    /// Unit price excluding VAT (≥ 0, at most 6 decimals).
    pub unit_price: UnitPrice,
    /// Line discount, 0–100 %.
    #[serde(default)]
    pub discount: Percent,
    /// VAT: a rate or an exemption.
    pub tax: LineTax,
    /// IRS/IRC withholding on this line, overriding the document's: `Some(0)` exempts the line (goods, expenses
    /// recharged), `None` takes [`DraftDocument::withholding`].
    #[serde(default)]
    pub withholding: Option<Percent>,
}

/// Another document this one comes from or corrects, by its issued number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocRef {
    /// Its type.
    pub doc_type: DocType,
    /// Its unique number as issued, `FT 2026A/17`.
    pub number: String,
    /// Its date.
    pub date: NaiveDate,
    /// Why this document refers to it (required on NC/ND, ≤ 50 characters in SAF-T).
    #[serde(default)]
    pub reason: String,
}

/// A document being drafted. Totals come from [`super::totals::compute`], problems from [`super::validate()`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDocument {
    /// The type to issue it as.
    pub doc_type: DocType,
    /// The intended issue date (it picks the VAT rates).
    pub date: NaiveDate,
    /// When payment is due, for receivable types.
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// The lines, in the order printed.
    pub lines: Vec<DraftLine>,
    /// Global (commercial) discount, 0–100 %, applied to every line after its own discount.
    #[serde(default)]
    pub global_discount: Percent,
    /// The documents it comes from (a quote) or corrects (NC/ND: the invoice).
    #[serde(default)]
    pub references: Vec<DocRef>,
    /// For FS: the seller is a retailer selling to a consumer (the €1000 limit instead of €100).
    #[serde(default)]
    pub retail_b2c: bool,
    /// Free notes printed on the document.
    #[serde(default)]
    pub notes: String,
    /// The date of supply (goods delivered, service done) when it differs from the issue date: printed, as
    /// CIVA art. 36 n.º 5 f) requires, and SAF-T's `TaxPointDate`.
    #[serde(default)]
    pub supply_date: Option<NaiveDate>,
    /// IRS/IRC withholding rate for every line that does not set its own (CIRS art. 101; see
    /// [`crate::tax::withholding`]). `None`: no withholding.
    #[serde(default)]
    pub withholding: Option<Percent>,
}

impl DraftDocument {
    /// The day whose VAT rates the lines are charged at. Normally the document date; a credit or debit note
    /// corrects an invoice and must charge the rate that invoice charged, so it takes the date of the invoice
    /// it references (CIVA art. 18 n.º 9 and art. 78: the rate is the one in force when the tax became due,
    /// which a later correction does not move; fiscal-review.md S2). A note referencing several invoices
    /// takes the earliest; a rate change between them is refused by [`super::validate()`].
    pub fn tax_date(&self) -> NaiveDate {
        if self.doc_type.is_rectifying() {
            if let Some(d) = self.references.iter().filter(|r| r.doc_type.is_invoice()).map(|r| r.date).min() {
                return d;
            }
        }
        self.date
    }

    /// The withholding rate of line `i`: its own, else the document's; `None` when nothing is withheld.
    pub fn line_withholding(&self, i: usize) -> Option<Percent> {
        let line = self.lines.get(i)?;
        line.withholding.or(self.withholding).filter(|p| !p.0.is_zero())
    }

    /// An empty draft of a type, dated `date`.
    pub fn new(doc_type: DocType, date: NaiveDate) -> DraftDocument {
        DraftDocument {
            doc_type,
            date,
            due_date: None,
            lines: Vec::new(),
            global_discount: Percent::ZERO,
            references: Vec::new(),
            retail_b2c: false,
            notes: String::new(),
            supply_date: None,
            withholding: None,
        }
    }
}
