//! Unsaved editor forms (issue 10): the document form exactly as it is on screen, journalled by the engine as the
//! user types so nothing typed is lost, and what still keeps a form from being stored as a draft.

use crate::ipc::DocumentInput;
use crate::msg::{Lang, Localized};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Largest form the journal keeps (its JSON), far above any real draft (1,000 lines of 500 characters).
pub const MAX_FORM_BYTES: usize = 2_000_000;

/// One editor's form as typed, kept locally (never synced) until it is stored as a draft or discarded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsavedForm {
    /// The editor it comes from (one row per editor).
    pub key: Uuid,
    /// The stored draft the form edits, once there is one.
    #[serde(default)]
    pub document_id: Option<Uuid>,
    /// The customer box's text (a picked customer's name, or a search not finished).
    #[serde(default)]
    pub customer_text: String,
    /// Every field as typed.
    pub input: DocumentInput,
    /// When it was written (set by the engine).
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl UnsavedForm {
    /// A short description for the recovery prompt: the customer, the first description, the line count.
    pub fn summary(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if !self.customer_text.trim().is_empty() {
            parts.push(self.customer_text.trim().to_string());
        }
        if let Some(d) = self.input.lines.iter().map(|l| l.description.trim()).find(|d| !d.is_empty()) {
            parts.push(format!("«{d}»"));
        }
        let n = self.input.lines.len();
        parts.push(match (lang, n) {
            (Lang::Pt, 1) => "1 linha".to_string(),
            (Lang::Pt, _) => format!("{n} linhas"),
            (Lang::En, 1) => "1 line".to_string(),
            (Lang::En, _) => format!("{n} lines"),
        });
        parts.join(" · ")
    }
}

/// What keeps the form from being stored as a draft yet, each with what to do; empty when it can be stored.
/// The editor stores only drafts with a customer (pick «Consumidor final» for an anonymous consumer).
pub fn missing_to_store(input: &DocumentInput) -> Vec<Localized> {
    let mut missing = Vec::new();
    if input.customer_id.is_none() {
        missing.push(Localized::new("escolha o cliente", "pick the customer"));
    }
    match input.to_draft() {
        // A note made from its invoice names it by `source_id`; the engine turns that into the reference when it
        // saves, so the form is not short of one.
        Ok(draft) => missing.extend(
            crate::document::validate(&draft)
                .iter()
                .filter(|p| {
                    !(input.source_id.is_some() && p.error == crate::document::DraftError::MissingInvoiceReference)
                })
                .map(|p| p.to_field_error().message),
        ),
        Err(errors) => missing.extend(errors.into_iter().map(|e| e.message)),
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DocType;
    use crate::ipc::LineInput;

    fn form() -> DocumentInput {
        let mut input = DocumentInput::new(DocType::Ft, "2026-11-21");
        input.lines.push(LineInput {
            description: "Pão".into(),
            quantity: "1".into(),
            unit_price: "10".into(),
            tax_code: "NOR".into(),
            ..Default::default()
        });
        input
    }

    #[test]
    fn a_credit_note_made_from_its_invoice_is_not_short_of_a_reference() {
        let mut note = form();
        note.doc_type = DocType::Nc;
        note.customer_id = Some(uuid::Uuid::nil());
        note.reason = "Devolução".into();
        let without = missing_to_store(&note);
        assert!(without.iter().any(|m| m.en.contains("invoice this note corrects")), "{without:?}");
        note.source_id = Some(uuid::Uuid::nil());
        assert!(missing_to_store(&note).is_empty(), "{:?}", missing_to_store(&note));
    }

    #[test]
    fn a_form_without_customer_or_with_a_half_typed_price_says_what_is_missing() {
        let mut input = form();
        let missing = missing_to_store(&input);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert_eq!(missing[0].en, "pick the customer");
        input.customer_id = Some(Uuid::nil());
        assert!(missing_to_store(&input).is_empty());
        input.lines[0].unit_price = "1x".into();
        let missing = missing_to_store(&input);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(missing[0].pt.starts_with("Linha 1"), "{}", missing[0].pt);
        // Read, but against the rules: a line without a description.
        input.lines[0].unit_price = "10".into();
        input.lines[0].description.clear();
        let missing = missing_to_store(&input);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(missing[0].pt.contains("Descrição"), "{}", missing[0].pt);
    }

    #[test]
    fn the_summary_names_customer_first_description_and_lines() {
        let mut f = UnsavedForm {
            key: Uuid::nil(),
            document_id: None,
            customer_text: "Padaria".into(),
            input: form(),
            updated_at: None,
        };
        f.input.lines[0].description = " Pão ".into();
        assert_eq!(f.summary(Lang::Pt), "Padaria · «Pão» · 1 linha");
        f.customer_text.clear();
        f.input.lines.push(LineInput::default());
        assert_eq!(f.summary(Lang::En), "«Pão» · 2 lines");
    }

    #[test]
    fn a_form_reads_back_from_its_json() {
        let f = UnsavedForm {
            key: Uuid::nil(),
            document_id: Some(Uuid::nil()),
            customer_text: "x".into(),
            input: form(),
            updated_at: None,
        };
        let back: UnsavedForm = serde_json::from_str(&serde_json::to_string(&f).expect("json")).expect("read");
        assert_eq!(back, f);
    }
}
