//! The fixed words of a printed document, in both languages, and the date format.

use crate::msg::Lang;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The watermark of every draft page (PRODUCT.md §3; pt-invoicing §6.2). The legal phrase stays in Portuguese.
pub const DRAFT_WATERMARK_PT: &str = "RASCUNHO — Este documento não serve de fatura";

/// What the app says where a draft could be printed or exported: a draft is internal; a customer who needs a
/// document before the invoice gets a quote (OR) issued in Moloni (pt-invoicing §6.2; fiscal-review M6).
pub const DRAFT_IS_INTERNAL: (&str, &str) = (
    "Rascunho interno, sem dados de pagamento. Para enviar ao cliente antes da fatura, emita um orçamento (OR).",
    "Internal draft, without payment details. To send the customer something before the invoice, issue a quote (OR).",
);

/// Column titles and fixed captions, already in the document's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels {
    /// "Data".
    pub date: String,
    /// "Vencimento".
    pub due_date: String,
    /// "Data de fornecimento".
    #[serde(default)]
    pub supply_date: String,
    /// "Cliente".
    pub customer: String,
    /// "Descrição".
    pub description: String,
    /// "Qtd.".
    pub quantity: String,
    /// "Preço unit.".
    pub unit_price: String,
    /// "Desc.".
    pub discount: String,
    /// "IVA".
    pub tax: String,
    /// "Valor".
    pub amount: String,
    /// VAT summary title.
    pub vat_summary: String,
    /// VAT summary "Taxa".
    pub rate: String,
    /// VAT summary "Incidência".
    pub base: String,
    /// VAT summary "Valor IVA".
    pub vat: String,
    /// VAT summary "Motivo de isenção".
    pub exemption: String,
    /// "A transportar", at the foot of a page that continues.
    pub carried_forward: String,
    /// "Transporte", at the head of the next page.
    pub brought_forward: String,
    /// "Notas".
    pub notes: String,
    /// "Pagamento".
    pub payment: String,
    /// "Referências".
    pub references: String,
}

impl Labels {
    /// The captions in `lang`.
    pub fn new(lang: Lang) -> Labels {
        let l = |pt: &str, en: &str| match lang {
            Lang::Pt => pt.to_string(),
            Lang::En => en.to_string(),
        };
        Labels {
            date: l("Data", "Date"),
            due_date: l("Vencimento", "Due date"),
            supply_date: l("Data de fornecimento", "Date of supply"),
            customer: l("Cliente", "Customer"),
            description: l("Descrição", "Description"),
            quantity: l("Qtd.", "Qty"),
            unit_price: l("Preço unit. (€)", "Unit price (€)"),
            discount: l("Desc.", "Disc."),
            tax: l("IVA", "VAT"),
            amount: l("Valor (€)", "Amount (€)"),
            vat_summary: l("Resumo do IVA", "VAT summary"),
            rate: l("Taxa", "Rate"),
            base: l("Incidência", "Taxable base"),
            vat: l("Valor IVA", "VAT amount"),
            exemption: l("Motivo de isenção", "Exemption reason"),
            carried_forward: l("A transportar", "Carried forward"),
            brought_forward: l("Transporte", "Brought forward"),
            notes: l("Observações", "Notes"),
            payment: l("Pagamento", "Payment"),
            references: l("Referências", "References"),
        }
    }
}

/// A date as printed and shown: `15/01/2026` in pt-PT (the product's format), `2026-01-15` in English (ISO).
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Pt => format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year()),
        Lang::En => format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day()),
    }
}

/// "Página 2 de 5" / "Page 2 of 5".
pub fn page_label(page: usize, pages: usize, lang: Lang) -> String {
    match lang {
        Lang::Pt => format!("Página {page} de {pages}"),
        Lang::En => format!("Page {page} of {pages}"),
    }
}
