//! The document types the app drafts and Moloni issues, with their SAF-T codes and names (pt-invoicing §3.1).

use crate::msg::{Lang, Localized};
use serde::{Deserialize, Serialize};

/// A document type. The serialised form is the SAF-T code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum DocType {
    /// Fatura (art. 36 CIVA).
    Ft,
    /// Fatura-recibo: an invoice paid in full at issue.
    Fr,
    /// Fatura simplificada (art. 40 CIVA), within [`crate::document::simplified`] limits.
    Fs,
    /// Nota de crédito: corrects an invoice downwards; must reference it.
    Nc,
    /// Nota de débito: corrects an invoice upwards; must reference it.
    Nd,
    /// Orçamento (quote), a working document.
    Or,
    /// Recibo (ordinary receipt; RC is only for cash VAT).
    Rg,
}

impl DocType {
    /// Every type.
    pub const ALL: [DocType; 7] =
        [DocType::Ft, DocType::Fr, DocType::Fs, DocType::Nc, DocType::Nd, DocType::Or, DocType::Rg];

    /// The SAF-T code, also the internal type code of the document number (`FT 2026A/17`).
    pub fn saft_code(self) -> &'static str {
        match self {
            DocType::Ft => "FT",
            DocType::Fr => "FR",
            DocType::Fs => "FS",
            DocType::Nc => "NC",
            DocType::Nd => "ND",
            DocType::Or => "OR",
            DocType::Rg => "RG",
        }
    }

    /// Reads a SAF-T code (case ignored).
    pub fn parse(code: &str) -> Option<DocType> {
        let c = code.trim().to_ascii_uppercase();
        DocType::ALL.into_iter().find(|t| t.saft_code() == c)
    }

    /// The type's name.
    pub fn name(self) -> Localized {
        match self {
            DocType::Ft => Localized::new("Fatura", "Invoice"),
            DocType::Fr => Localized::new("Fatura-recibo", "Invoice-receipt"),
            DocType::Fs => Localized::new("Fatura simplificada", "Simplified invoice"),
            DocType::Nc => Localized::new("Nota de crédito", "Credit note"),
            DocType::Nd => Localized::new("Nota de débito", "Debit note"),
            DocType::Or => Localized::new("Orçamento", "Quote"),
            DocType::Rg => Localized::new("Recibo", "Receipt"),
        }
    }

    /// The name in one language.
    pub fn name_in(self, lang: Lang) -> String {
        self.name().get(lang).to_string()
    }

    /// FT, FR, FS: the sales invoices that NC/ND may correct.
    pub fn is_invoice(self) -> bool {
        matches!(self, DocType::Ft | DocType::Fr | DocType::Fs)
    }

    /// NC, ND: must reference the invoice they correct.
    pub fn is_rectifying(self) -> bool {
        matches!(self, DocType::Nc | DocType::Nd)
    }

    /// True for types with product lines (all but receipts, whose lines settle invoices).
    pub fn has_product_lines(self) -> bool {
        self != DocType::Rg
    }

    /// True for types that leave an amount owed after issue (FT, ND), settled by receipts.
    pub fn is_receivable(self) -> bool {
        matches!(self, DocType::Ft | DocType::Nd)
    }

    /// True for types paid at issue (FR, FS).
    pub fn paid_at_issue(self) -> bool {
        matches!(self, DocType::Fr | DocType::Fs)
    }

    /// True for types Moloni signs: all but receipts, which print "Emitido por…" instead (pt-invoicing §4.4).
    pub fn is_signed(self) -> bool {
        self != DocType::Rg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names() {
        for t in DocType::ALL {
            assert_eq!(DocType::parse(t.saft_code()), Some(t));
        }
        assert_eq!(DocType::Rg.saft_code(), "RG");
        assert_eq!(DocType::Fs.name_in(Lang::Pt), "Fatura simplificada");
        assert_eq!(DocType::Nc.name_in(Lang::En), "Credit note");
        assert_eq!(serde_json::to_string(&DocType::Fr).unwrap_or_default(), "\"FR\"");
    }

    #[test]
    fn draft_labels_follow_the_ui_language() {
        use crate::document::{draft_key, draft_label};
        assert_eq!(draft_label(DocType::Ft, Some(12), Lang::Pt), "Rascunho FT/12");
        assert_eq!(draft_label(DocType::Ft, Some(12), Lang::En), "Draft FT/12");
        assert_eq!(draft_key(DocType::Nc, None), "NC");
    }

    #[test]
    fn a_document_label_is_its_fiscal_number_once_issued_else_the_draft_label_in_the_ui_language() {
        use crate::document::document_label;
        assert_eq!(document_label(DocType::Ft, None, Some(3), Lang::En), "Draft FT/3");
        assert_eq!(document_label(DocType::Ft, None, Some(3), Lang::Pt), "Rascunho FT/3");
        assert_eq!(document_label(DocType::Fs, None, None, Lang::En), "Draft FS");
        // A fiscal number is the same in every language, and the local draft number no longer shows.
        assert_eq!(document_label(DocType::Ft, Some("FT 2026A/17"), Some(3), Lang::En), "FT 2026A/17");
        assert_eq!(document_label(DocType::Ft, Some("FT 2026A/17"), Some(3), Lang::Pt), "FT 2026A/17");
    }
}
