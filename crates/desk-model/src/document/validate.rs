//! Checks a draft before it is saved as ready or queued for issue, returning every problem addressed to its
//! field (and line), so the form can mark each one. The engine runs the same check before it issues.

use super::draft::DraftDocument;
use super::kind::DocType;
use super::simplified::{self, OverSimplifiedLimit};
use super::totals::{compute_with, RoundingMethod, TotalsError};
use crate::error::FieldError;
use crate::money::{NumberError, NumberKind, Percent};
use crate::msg::Localized;
use crate::tax::{TaxError, TaxWarning};
use crate::text::{clean, TextError};
use rust_decimal::Decimal;

/// The most lines one document may have.
pub const MAX_LINES: usize = 1000;
/// The longest line description: SAF-T `Description` holds 200 characters.
pub const DESCRIPTION_MAX: usize = 200;
/// The longest reason on a reference: SAF-T `Reason` holds 50 characters.
pub const REASON_MAX: usize = 50;
/// The longest notes.
pub const NOTES_MAX: usize = 2000;

/// The field a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DraftField {
    /// The document type.
    DocType,
    /// The list of lines as a whole.
    Lines,
    /// A line's description.
    Description,
    /// A line's quantity.
    Quantity,
    /// A line's unit price.
    UnitPrice,
    /// A line's discount.
    Discount,
    /// A line's tax.
    Tax,
    /// The global discount.
    GlobalDiscount,
    /// The due date.
    DueDate,
    /// The referenced documents.
    References,
    /// The notes.
    Notes,
    /// The document total.
    Total,
    /// The withholding rate (document or line).
    Withholding,
    /// The supply date.
    SupplyDate,
}

impl DraftField {
    /// The field's name in [`DraftDocument`] / [`super::DraftLine`].
    pub fn name(self) -> &'static str {
        match self {
            DraftField::DocType => "doc_type",
            DraftField::Lines => "lines",
            DraftField::Description => "description",
            DraftField::Quantity => "quantity",
            DraftField::UnitPrice => "unit_price",
            DraftField::Discount => "discount",
            DraftField::Tax => "tax",
            DraftField::GlobalDiscount => "global_discount",
            DraftField::DueDate => "due_date",
            DraftField::References => "references",
            DraftField::Notes => "notes",
            DraftField::Total => "total",
            DraftField::Withholding => "withholding",
            DraftField::SupplyDate => "supply_date",
        }
    }

    fn label(self) -> Localized {
        match self {
            DraftField::Description => Localized::new("Descrição", "Description"),
            DraftField::Notes => Localized::new("Notas", "Notes"),
            DraftField::References => Localized::new("Motivo", "Reason"),
            other => Localized::new(other.name(), other.name()),
        }
    }
}

/// What is wrong with a draft.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    /// No lines.
    #[error("no lines")]
    NoLines,
    /// More than [`MAX_LINES`] lines.
    #[error("too many lines (at most {max})")]
    TooManyLines {
        /// The limit.
        max: usize,
    },
    /// A text field breaks a text rule.
    #[error("{0}")]
    Text(TextError),
    /// A quantity below zero.
    #[error("negative quantity")]
    NegativeQuantity,
    /// A quantity of zero.
    #[error("zero quantity")]
    ZeroQuantity,
    /// A unit price below zero.
    #[error("negative price")]
    NegativePrice,
    /// More decimals than the field allows.
    #[error("too many decimals (at most {max})")]
    TooManyDecimals {
        /// The limit.
        max: u32,
    },
    /// Beyond the largest plausible value.
    #[error("too large")]
    TooLarge,
    /// A discount outside 0–100 %.
    #[error("discount outside 0-100 %")]
    DiscountOutOfRange,
    /// The line's tax is unusable.
    #[error("{0}")]
    Tax(TaxError),
    /// Due before the document date.
    #[error("due date before the document date")]
    DueBeforeDate,
    /// NC/ND without the invoice it corrects.
    #[error("a credit or debit note must reference the invoice it corrects")]
    MissingInvoiceReference,
    /// A reference to something the type cannot refer to (an NC correcting a quote).
    #[error("{referenced:?} cannot be referenced by {by:?}")]
    BadReference {
        /// The referring type.
        by: DocType,
        /// The referenced type.
        referenced: DocType,
    },
    /// NC/ND reference without a reason.
    #[error("reason required")]
    MissingReason,
    /// A withholding rate outside 0–100 %.
    #[error("withholding outside 0-100 %")]
    WithholdingOutOfRange,
    /// A supply date on a type that has none (receipts are not drafted here; quotes have no supply yet).
    #[error("no supply date on this type")]
    SupplyDateNotAllowed,
    /// An NC/ND dated before the invoice it corrects.
    #[error("dated before the invoice it corrects")]
    BeforeReferencedInvoice,
    /// An NC/ND correcting invoices of dates between which a line's VAT rate changed: one note per invoice.
    #[error("the corrected invoices were charged different VAT rates")]
    ReferencesSpanRateChange,
    /// An FS beyond its ceiling.
    #[error("{0}")]
    OverSimplifiedLimit(OverSimplifiedLimit),
    /// A receipt is not drafted with lines: record a payment against the invoice.
    #[error("receipts have no product lines")]
    ReceiptWithLines,
    /// The totals overflow.
    #[error("amounts too large")]
    TotalsOverflow,
}

impl DraftError {
    /// The message for the user, saying what to do.
    pub fn message(&self, field: DraftField) -> Localized {
        match self {
            DraftError::NoLines => Localized::new("Acrescente pelo menos uma linha.", "Add at least one line."),
            DraftError::TooManyLines { max } => Localized::new(
                format!("No máximo {max} linhas por documento: divida-o em dois."),
                format!("At most {max} lines per document: split it in two."),
            ),
            DraftError::Text(e) => e.message(&field.label()),
            DraftError::NegativeQuantity => Localized::new(
                "Quantidade negativa não é permitida: para devolver ou corrigir, emita uma nota de crédito.",
                "Negative quantities are not allowed: to return or correct, issue a credit note.",
            ),
            DraftError::ZeroQuantity => Localized::new(
                "A quantidade tem de ser maior do que zero (ou retire a linha).",
                "The quantity must be more than zero (or remove the line).",
            ),
            DraftError::NegativePrice => Localized::new(
                "Preço negativo não é permitido: para descontar use o desconto, para corrigir uma nota de crédito.",
                "Negative prices are not allowed: use the discount to reduce, a credit note to correct.",
            ),
            DraftError::TooManyDecimals { max } => NumberError::TooManyDecimals { max: *max }.message(),
            DraftError::TooLarge => {
                Localized::new("Valor demasiado grande. Verifique o número.", "Value too large. Check the number.")
            }
            DraftError::DiscountOutOfRange => Localized::new(
                "O desconto tem de estar entre 0 % e 100 %.",
                "The discount must be between 0% and 100%.",
            ),
            DraftError::Tax(e) => e.message(),
            DraftError::DueBeforeDate => Localized::new(
                "O vencimento não pode ser anterior à data do documento.",
                "The due date cannot be before the document date.",
            ),
            DraftError::MissingInvoiceReference => {
                Localized::new("Indique a fatura que esta nota corrige.", "Give the invoice this note corrects.")
            }
            DraftError::BadReference { by, referenced } => Localized::new(
                format!("Um(a) {} não pode referir um(a) {}.", by.name().pt, referenced.name().pt),
                format!("A {} cannot refer to a {}.", by.name().en, referenced.name().en),
            ),
            DraftError::MissingReason => Localized::new(
                "Indique o motivo da correção (até 50 caracteres).",
                "Give the reason for the correction (up to 50 characters).",
            ),
            DraftError::WithholdingOutOfRange => Localized::new(
                "A taxa de retenção tem de estar entre 0 % e 100 % (23 %, 11,5 %, 16,5 %, 25 %…).",
                "The withholding rate must be between 0% and 100% (23%, 11.5%, 16.5%, 25%…).",
            ),
            DraftError::SupplyDateNotAllowed => Localized::new(
                "Um orçamento não tem data de fornecimento: indique-a na fatura.",
                "A quote has no supply date: give it on the invoice.",
            ),
            DraftError::BeforeReferencedInvoice => Localized::new(
                "Uma nota de crédito ou débito não pode ter data anterior à da fatura que corrige.",
                "A credit or debit note cannot be dated before the invoice it corrects.",
            ),
            DraftError::ReferencesSpanRateChange => Localized::new(
                "As faturas corrigidas foram emitidas com taxas de IVA diferentes: emita uma nota por fatura.",
                "The corrected invoices were charged different VAT rates: issue one note per invoice.",
            ),
            DraftError::OverSimplifiedLimit(e) => e.message(),
            DraftError::ReceiptWithLines => Localized::new(
                "Um recibo não tem linhas de artigos: registe o pagamento na fatura.",
                "A receipt has no item lines: record the payment on the invoice.",
            ),
            DraftError::TotalsOverflow => TotalsError::Overflow.message(),
        }
    }
}

/// One problem: which field, on which line (for line fields), and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftProblem {
    /// The line's index (0-based), for line fields.
    pub line: Option<usize>,
    /// The field.
    pub field: DraftField,
    /// What is wrong.
    pub error: DraftError,
}

impl DraftProblem {
    /// The field's path as the form names it: `lines[3].quantity`, `global_discount`.
    pub fn path(&self) -> String {
        match self.line {
            Some(i) => format!("lines[{i}].{}", self.field.name()),
            None => self.field.name().to_string(),
        }
    }

    /// The message, with the line number (1-based) for line fields.
    pub fn message(&self) -> Localized {
        let m = self.error.message(self.field);
        match self.line {
            Some(i) => Localized::new(format!("Linha {}: {}", i + 1, m.pt), format!("Line {}: {}", i + 1, m.en)),
            None => m,
        }
    }

    /// As an IPC [`FieldError`], keyed by [`DraftProblem::path`].
    pub fn to_field_error(&self) -> FieldError {
        FieldError { field: self.path(), message: self.message() }
    }
}

/// Checks a decimal against a kind's decimals and magnitude (the sign is checked by the caller).
fn check_number(value: Decimal, kind: NumberKind) -> Option<DraftError> {
    if value.normalize().scale() > kind.max_decimals() {
        Some(DraftError::TooManyDecimals { max: kind.max_decimals() })
    } else if value.abs() > kind.max_value() {
        Some(DraftError::TooLarge)
    } else {
        None
    }
}

fn check_discount(p: Percent) -> Option<DraftError> {
    if (p.0.is_sign_negative() && !p.0.is_zero()) || p.0 > Decimal::ONE_HUNDRED {
        Some(DraftError::DiscountOutOfRange)
    } else {
        check_number(p.0, NumberKind::Percent)
    }
}

/// A withholding rate: 0 (not withheld) up to below 100 %, at most 2 decimals (11,5 %).
fn check_withholding(p: Percent) -> Option<DraftError> {
    if p.0.is_sign_negative() && !p.0.is_zero() || p.0 >= Decimal::ONE_HUNDRED {
        Some(DraftError::WithholdingOutOfRange)
    } else {
        check_number(p.0, NumberKind::Percent)
    }
}

/// Every problem of a draft; empty when it may be issued. Totals (for the FS ceiling) by the per-document
/// method; [`validate_with`] takes the company's.
pub fn validate(draft: &DraftDocument) -> Vec<DraftProblem> {
    validate_with(draft, RoundingMethod::Document)
}

/// Every problem of a draft, its totals computed by the company's rounding method.
pub fn validate_with(draft: &DraftDocument, method: RoundingMethod) -> Vec<DraftProblem> {
    let mut out = Vec::new();
    let mut push =
        |line: Option<usize>, field: DraftField, error: DraftError| out.push(DraftProblem { line, field, error });

    if !draft.doc_type.has_product_lines() {
        push(None, DraftField::DocType, DraftError::ReceiptWithLines);
        return out;
    }
    if draft.lines.is_empty() {
        push(None, DraftField::Lines, DraftError::NoLines);
    }
    if draft.lines.len() > MAX_LINES {
        push(None, DraftField::Lines, DraftError::TooManyLines { max: MAX_LINES });
        return out;
    }
    let mut taxes_ok = true;
    let tax_date = draft.tax_date();
    for (i, line) in draft.lines.iter().enumerate() {
        let at = Some(i);
        if let Err(e) = clean(&line.description, DESCRIPTION_MAX, true, true) {
            push(at, DraftField::Description, DraftError::Text(e));
        }
        let q = line.quantity.0;
        if q.is_sign_negative() && !q.is_zero() {
            push(at, DraftField::Quantity, DraftError::NegativeQuantity);
        } else if q.is_zero() {
            push(at, DraftField::Quantity, DraftError::ZeroQuantity);
        } else if let Some(e) = check_number(q, NumberKind::Quantity) {
            push(at, DraftField::Quantity, e);
        }
        let p = line.unit_price.0;
        if p.is_sign_negative() && !p.is_zero() {
            push(at, DraftField::UnitPrice, DraftError::NegativePrice);
        } else if let Some(e) = check_number(p, NumberKind::UnitPrice) {
            push(at, DraftField::UnitPrice, e);
        }
        if let Some(e) = check_discount(line.discount) {
            push(at, DraftField::Discount, e);
        }
        if let Some(e) = line.withholding.and_then(check_withholding) {
            push(at, DraftField::Withholding, e);
        }
        if let Err(e) = line.tax.resolve(tax_date) {
            taxes_ok = false;
            push(at, DraftField::Tax, DraftError::Tax(e));
        }
    }
    if let Some(e) = check_discount(draft.global_discount) {
        push(None, DraftField::GlobalDiscount, e);
    }
    if let Some(e) = draft.withholding.and_then(check_withholding) {
        push(None, DraftField::Withholding, e);
    }
    if draft.supply_date.is_some() && draft.doc_type == DocType::Or {
        push(None, DraftField::SupplyDate, DraftError::SupplyDateNotAllowed);
    }
    if draft.due_date.is_some_and(|due| due < draft.date) {
        push(None, DraftField::DueDate, DraftError::DueBeforeDate);
    }
    check_references(draft, &mut push);
    if draft.doc_type.is_rectifying() && !rates_agree_across_references(draft) {
        push(None, DraftField::References, DraftError::ReferencesSpanRateChange);
    }
    if let Err(e) = clean(&draft.notes, NOTES_MAX, false, true) {
        push(None, DraftField::Notes, DraftError::Text(e));
    }
    let clean_so_far = out.is_empty();
    if taxes_ok && clean_so_far {
        match compute_with(draft, method) {
            Ok(t) if draft.doc_type == DocType::Fs => {
                if let Err(e) = simplified::check(t.total, draft.retail_b2c) {
                    out.push(DraftProblem {
                        line: None,
                        field: DraftField::Total,
                        error: DraftError::OverSimplifiedLimit(e),
                    });
                }
            }
            Ok(_) => {}
            Err(TotalsError::Tax { line, error }) => {
                out.push(DraftProblem { line: Some(line), field: DraftField::Tax, error: DraftError::Tax(error) })
            }
            Err(TotalsError::Overflow) => {
                out.push(DraftProblem { line: None, field: DraftField::Total, error: DraftError::TotalsOverflow })
            }
        }
    }
    out
}

fn check_references(draft: &DraftDocument, push: &mut impl FnMut(Option<usize>, DraftField, DraftError)) {
    let by = draft.doc_type;
    if by.is_rectifying() && !draft.references.iter().any(|r| r.doc_type.is_invoice()) {
        push(None, DraftField::References, DraftError::MissingInvoiceReference);
    }
    for r in &draft.references {
        let allowed = match by {
            DocType::Nc | DocType::Nd => r.doc_type.is_invoice(),
            DocType::Ft | DocType::Fr | DocType::Fs => r.doc_type == DocType::Or,
            DocType::Or | DocType::Rg => false,
        };
        if !allowed {
            push(None, DraftField::References, DraftError::BadReference { by, referenced: r.doc_type });
        }
        if by.is_rectifying() && r.doc_type.is_invoice() && draft.date < r.date {
            push(None, DraftField::References, DraftError::BeforeReferencedInvoice);
        }
        if by.is_rectifying() {
            match clean(&r.reason, REASON_MAX, true, false) {
                Err(TextError::Required) => push(None, DraftField::References, DraftError::MissingReason),
                Err(e) => push(None, DraftField::References, DraftError::Text(e)),
                Ok(_) => {}
            }
        }
    }
}

/// A note must charge each line at the rate of the invoice it corrects; with several invoices, every one of
/// them must have charged the same rate for every line ([`DraftDocument::tax_date`] takes the earliest).
fn rates_agree_across_references(draft: &DraftDocument) -> bool {
    let dates: Vec<_> = draft.references.iter().filter(|r| r.doc_type.is_invoice()).map(|r| r.date).collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return true;
    };
    first == last
        || draft.lines.iter().all(|l| match (l.tax.resolve(*first), l.tax.resolve(*last)) {
            (Ok(a), Ok(b)) => a.percent == b.percent,
            _ => true, // an unusable tax is reported on its line
        })
}

/// The warnings of a valid draft: unusual choices worth a second look, never a refusal.
pub fn warnings(draft: &DraftDocument) -> Vec<(usize, TaxWarning)> {
    draft.lines.iter().enumerate().filter_map(|(i, l)| l.tax.warning().map(|w| (i, w))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::draft::{DocRef, DraftLine};
    use crate::money::{Quantity, UnitPrice};
    use crate::tax::{ExemptionCode, FiscalZone, LineTax, RateClass, TaxCode};
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, d).unwrap_or_default()
    }
    fn line(qty: Decimal, price: Decimal) -> DraftLine {
        DraftLine {
            description: "Consultoria".into(),
            quantity: Quantity(qty),
            unit_price: UnitPrice(price),
            discount: Percent::ZERO,
            tax: LineTax::rate(FiscalZone::Pt, RateClass::Normal),
            withholding: None,
        }
    }
    fn draft(t: DocType, lines: Vec<DraftLine>) -> DraftDocument {
        let mut d = DraftDocument::new(t, day(15));
        d.lines = lines;
        d
    }
    fn paths(d: &DraftDocument) -> Vec<String> {
        validate(d).iter().map(DraftProblem::path).collect()
    }

    #[test]
    fn a_good_draft_has_no_problems() {
        assert!(validate(&draft(DocType::Ft, vec![line(dec!(2), dec!(10))])).is_empty());
    }

    #[test]
    fn each_line_problem_is_addressed() {
        let mut bad = vec![line(dec!(-1), dec!(10)), line(dec!(1), dec!(-10)), line(dec!(1.2345), dec!(0.1234567))];
        bad.push(DraftLine { discount: Percent(dec!(120)), ..line(dec!(0), dec!(1)) });
        bad.push(DraftLine { description: " ".into(), ..line(dec!(1), dec!(1)) });
        bad.push(DraftLine {
            tax: LineTax { zone: FiscalZone::Pt, code: TaxCode::Ise, exemption: None },
            ..line(dec!(1), dec!(1))
        });
        bad.push(DraftLine { description: "x".repeat(201), ..line(dec!(1), dec!(1)) });
        let mut d = draft(DocType::Ft, bad);
        d.global_discount = Percent(dec!(-5));
        d.due_date = Some(day(1));
        assert_eq!(
            paths(&d),
            [
                "lines[0].quantity",
                "lines[1].unit_price",
                "lines[2].quantity",
                "lines[2].unit_price",
                "lines[3].quantity",
                "lines[3].discount",
                "lines[4].description",
                "lines[5].tax",
                "lines[6].description",
                "global_discount",
                "due_date"
            ]
        );
        let p = validate(&d);
        assert_eq!(p[0].error, DraftError::NegativeQuantity);
        assert_eq!(p[2].error, DraftError::TooManyDecimals { max: 3 });
        assert_eq!(p[3].error, DraftError::TooManyDecimals { max: 6 });
        assert_eq!(p[5].error, DraftError::DiscountOutOfRange);
        assert_eq!(p[7].error, DraftError::Tax(TaxError::MissingExemption));
        assert!(p[0].message().pt.starts_with("Linha 1: "));
        assert_eq!(p[0].to_field_error().field, "lines[0].quantity");
    }

    #[test]
    fn line_count_limits() {
        assert_eq!(paths(&draft(DocType::Ft, vec![])), ["lines"]);
        let many = draft(DocType::Ft, vec![line(dec!(1), dec!(1)); MAX_LINES + 1]);
        assert_eq!(validate(&many).first().map(|p| p.error.clone()), Some(DraftError::TooManyLines { max: MAX_LINES }));
        assert!(validate(&draft(DocType::Ft, vec![line(dec!(1), dec!(1)); MAX_LINES])).is_empty());
    }

    #[test]
    fn credit_notes_must_reference_an_invoice_with_a_reason() {
        let mut nc = draft(DocType::Nc, vec![line(dec!(1), dec!(10))]);
        assert_eq!(validate(&nc).first().map(|p| p.error.clone()), Some(DraftError::MissingInvoiceReference));
        nc.references.push(DocRef {
            doc_type: DocType::Ft,
            number: "FT 2026A/17".into(),
            date: day(2),
            reason: String::new(),
        });
        assert_eq!(validate(&nc).first().map(|p| p.error.clone()), Some(DraftError::MissingReason));
        nc.references[0].reason = "Devolução de mercadoria".into();
        assert!(validate(&nc).is_empty());
        nc.references[0].doc_type = DocType::Or;
        let errs: Vec<_> = validate(&nc).into_iter().map(|p| p.error).collect();
        assert_eq!(
            errs,
            [
                DraftError::MissingInvoiceReference,
                DraftError::BadReference { by: DocType::Nc, referenced: DocType::Or }
            ]
        );
    }

    #[test]
    fn simplified_invoice_ceiling() {
        // 81.30 + 23 % = 100.00 exactly (81.30 × 0.23 = 18.699 → 18.70).
        let mut fs = draft(DocType::Fs, vec![line(dec!(1), dec!(81.30))]);
        assert!(validate(&fs).is_empty());
        fs.lines[0].unit_price = UnitPrice(dec!(81.31));
        assert_eq!(paths(&fs), ["total"]);
        fs.retail_b2c = true;
        assert!(validate(&fs).is_empty());
    }

    #[test]
    fn receipts_are_not_drafted_with_lines() {
        assert_eq!(paths(&draft(DocType::Rg, vec![line(dec!(1), dec!(1))])), ["doc_type"]);
    }

    #[test]
    fn unknown_reasons_warn() {
        let mut d = draft(DocType::Ft, vec![line(dec!(1), dec!(1))]);
        d.lines[0].tax =
            ExemptionCode::parse("M77").map(|c| LineTax::exempt(FiscalZone::Pt, c)).unwrap_or(d.lines[0].tax.clone());
        assert!(validate(&d).is_empty());
        assert_eq!(warnings(&d).len(), 1);
    }

    #[test]
    fn rule_withholding_rate_and_supply_date_fields() {
        let mut d = draft(DocType::Ft, vec![line(dec!(1), dec!(100)), line(dec!(1), dec!(10))]);
        d.withholding = Some(Percent(dec!(23)));
        d.lines[1].withholding = Some(Percent::ZERO);
        d.supply_date = Some(day(10));
        assert!(validate(&d).is_empty());
        d.withholding = Some(Percent(dec!(100)));
        d.lines[0].withholding = Some(Percent(dec!(-1)));
        assert_eq!(paths(&d), ["lines[0].withholding", "withholding"]);
        assert_eq!(validate(&d)[0].error, DraftError::WithholdingOutOfRange);
        let mut or = draft(DocType::Or, vec![line(dec!(1), dec!(1))]);
        or.supply_date = Some(day(20));
        assert_eq!(paths(&or), ["supply_date"]);
    }
}
