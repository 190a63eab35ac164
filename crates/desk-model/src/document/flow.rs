//! How documents lead to one another (pt-invoicing §3.2, §8.3): a quote becomes an invoice, an invoice is
//! corrected by a credit or debit note that references it, an invoice is settled by receipts, partly if need
//! be, never beyond what is still open.

use super::draft::{DocRef, DraftDocument};
use super::kind::DocType;
use super::state::DocState;
use crate::money::{format_money, Money};
use crate::msg::{Lang, Localized};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a document cannot be made from another.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConversionError {
    /// The rules have no such conversion.
    #[error("{from:?} cannot become {to:?}")]
    NotAllowed {
        /// Source type.
        from: DocType,
        /// Target type.
        to: DocType,
    },
    /// The source is not issued (a draft has no number to reference) or is cancelled.
    #[error("the source document is {0:?}")]
    SourceState(DocState),
}

impl ConversionError {
    /// The message for the user.
    pub fn message(&self) -> Localized {
        match self {
            ConversionError::NotAllowed { from, to } => Localized::new(
                format!("Não é possível criar um(a) {} a partir de um(a) {}.", to.name().pt, from.name().pt),
                format!("A {} cannot be made from a {}.", to.name().en, from.name().en),
            ),
            ConversionError::SourceState(s) => Localized::new(
                format!(
                    "O documento de origem está «{}»: só documentos emitidos e não anulados servem de origem.",
                    s.name().pt
                ),
                format!(
                    "The source document is «{}»: only issued, not cancelled documents can be a source.",
                    s.name().en
                ),
            ),
        }
    }
}

/// The conversions the rules allow: quote → FT/FR/FS; FT/FR/FS → NC/ND; FT/ND → RG.
pub fn can_convert(from: DocType, to: DocType) -> Result<(), ConversionError> {
    use DocType::*;
    let ok = match from {
        Or => matches!(to, Ft | Fr | Fs),
        Ft | Fr | Fs => matches!(to, Nc | Nd) || (from == Ft && to == Rg),
        Nd => to == Rg,
        Nc | Rg => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ConversionError::NotAllowed { from, to })
    }
}

/// A new draft of type `to` from an issued document: same lines and global discount, referencing the source.
/// For NC/ND give the `reason` (it goes on the reference); a whole-invoice NC cancels the invoice exactly.
/// Receipts are not drafted this way: see [`ReceiptDraft`].
pub fn convert(
    source: &DraftDocument,
    source_ref: DocRef,
    source_state: DocState,
    to: DocType,
    date: NaiveDate,
) -> Result<DraftDocument, ConversionError> {
    if !source_state.is_issued() {
        return Err(ConversionError::SourceState(source_state));
    }
    can_convert(source_ref.doc_type, to)?;
    if to == DocType::Rg {
        return Err(ConversionError::NotAllowed { from: source_ref.doc_type, to });
    }
    Ok(DraftDocument {
        doc_type: to,
        date,
        due_date: None,
        lines: source.lines.clone(),
        global_discount: source.global_discount,
        references: vec![source_ref],
        retail_b2c: source.retail_b2c,
        notes: String::new(),
        // The supply date is the new document's own fact; the withholding rate carries over, so a note gives
        // back the withholding in proportion (its lines carry their own rates too).
        supply_date: None,
        withholding: source.withholding,
    })
}

/// What is still owed on an issued receivable: what it asks to pay less receipts and credit notes. Pass the
/// amount payable ([`crate::document::Totals::payable`], total − withholding) and the notes' amounts payable:
/// the withheld part is paid to the State by the customer, never to the issuer (CIRS art. 101; fiscal-review S3).
pub fn open_balance(total: Money, received: Money, credited: Money) -> Money {
    total - received - credited
}

/// Why a payment (a receipt line) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// Zero or negative.
    #[error("the amount must be more than zero")]
    NotPositive,
    /// More than two decimals.
    #[error("amounts are in whole cents")]
    NotCents,
    /// More than is still open.
    #[error("more than the open balance {open:?}")]
    ExceedsOpenBalance {
        /// What is still open.
        open: Money,
    },
    /// Dated before the invoice.
    #[error("paid before the invoice date")]
    BeforeInvoice,
    /// The invoice is not something receipts settle (a quote, a credit note, an FR).
    #[error("{0:?} is not settled by receipts")]
    NotReceivable(DocType),
    /// The same invoice twice on one receipt.
    #[error("the same document twice")]
    Duplicate,
    /// A receipt with nothing on it.
    #[error("no documents to settle")]
    Empty,
}

impl PaymentError {
    /// The message for the user.
    pub fn message(&self) -> Localized {
        match self {
            PaymentError::NotPositive => {
                Localized::new("Indique um valor maior do que zero.", "Enter an amount above zero.")
            }
            PaymentError::NotCents => {
                Localized::new("Valores ao cêntimo (2 casas decimais).", "Amounts in cents (2 decimals).")
            }
            PaymentError::ExceedsOpenBalance { open } => Localized::new(
                format!("O valor excede o montante em dívida ({}).", format_money(*open, Lang::Pt)),
                format!("The amount exceeds the open balance ({}).", format_money(*open, Lang::En)),
            ),
            PaymentError::BeforeInvoice => Localized::new(
                "O pagamento não pode ser anterior à data da fatura.",
                "The payment cannot be dated before the invoice.",
            ),
            PaymentError::NotReceivable(t) => Localized::new(
                format!("Um(a) {} não se liquida com recibo.", t.name().pt),
                format!("A {} is not settled with a receipt.", t.name().en),
            ),
            PaymentError::Duplicate => Localized::new(
                "O mesmo documento aparece duas vezes no recibo.",
                "The same document appears twice on the receipt.",
            ),
            PaymentError::Empty => {
                Localized::new("Escolha pelo menos uma fatura a liquidar.", "Pick at least one invoice to settle.")
            }
        }
    }
}

/// Checks one payment against an invoice's open balance and date.
pub fn check_payment(
    amount: Money,
    open: Money,
    paid_on: NaiveDate,
    invoice_date: NaiveDate,
) -> Result<(), PaymentError> {
    if amount <= Money::ZERO {
        Err(PaymentError::NotPositive)
    } else if amount.0.normalize().scale() > 2 {
        Err(PaymentError::NotCents)
    } else if amount > open {
        Err(PaymentError::ExceedsOpenBalance { open })
    } else if paid_on < invoice_date {
        Err(PaymentError::BeforeInvoice)
    } else {
        Ok(())
    }
}

/// One document a receipt settles, fully or in part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The invoice (or debit note) settled.
    pub document: DocRef,
    /// What was still open on it before this receipt.
    pub open_balance: Money,
    /// What this receipt pays of it (VAT included).
    pub amount: Money,
}

/// A receipt (RG) being drafted: one payment settling one or more invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptDraft {
    /// The payment date.
    pub date: NaiveDate,
    /// The documents settled.
    pub allocations: Vec<Allocation>,
}

impl ReceiptDraft {
    /// Every problem, by allocation index (`None` for the receipt as a whole).
    pub fn validate(&self) -> Vec<(Option<usize>, PaymentError)> {
        let mut out = Vec::new();
        if self.allocations.is_empty() {
            out.push((None, PaymentError::Empty));
        }
        for (i, a) in self.allocations.iter().enumerate() {
            if self.allocations[..i].iter().any(|b| b.document.number == a.document.number) {
                out.push((Some(i), PaymentError::Duplicate));
            }
            if can_convert(a.document.doc_type, DocType::Rg).is_err() {
                out.push((Some(i), PaymentError::NotReceivable(a.document.doc_type)));
                continue;
            }
            if let Err(e) = check_payment(a.amount, a.open_balance, self.date, a.document.date) {
                out.push((Some(i), e));
            }
        }
        out
    }

    /// The receipt's total.
    pub fn total(&self) -> Money {
        self.allocations.iter().map(|a| a.amount).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{compute, DraftLine};
    use crate::money::{Percent, Quantity, UnitPrice};
    use crate::tax::{FiscalZone, LineTax, RateClass};
    use rust_decimal_macros::dec;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 2, d).unwrap_or_default()
    }
    fn reference(t: DocType, number: &str) -> DocRef {
        DocRef { doc_type: t, number: number.into(), date: day(1), reason: String::new() }
    }

    #[test]
    fn allowed_conversions() {
        use DocType::*;
        let allowed: Vec<(DocType, DocType)> = DocType::ALL
            .into_iter()
            .flat_map(|a| DocType::ALL.into_iter().map(move |b| (a, b)))
            .filter(|(a, b)| can_convert(*a, *b).is_ok())
            .collect();
        assert_eq!(
            allowed,
            [
                (Ft, Nc),
                (Ft, Nd),
                (Ft, Rg),
                (Fr, Nc),
                (Fr, Nd),
                (Fs, Nc),
                (Fs, Nd),
                (Nd, Rg),
                (Or, Ft),
                (Or, Fr),
                (Or, Fs)
            ]
        );
    }

    #[test]
    fn a_whole_invoice_credit_note_cancels_it() {
        let mut ft = DraftDocument::new(DocType::Ft, day(1));
        ft.lines.push(DraftLine {
            description: "Serviço".into(),
            quantity: Quantity(dec!(3)),
            unit_price: UnitPrice(dec!(2.37)),
            discount: Percent(dec!(5)),
            tax: LineTax::rate(FiscalZone::Pt, RateClass::Normal),
            withholding: None,
        });
        ft.global_discount = Percent(dec!(2.5));
        let ft_ref = DocRef { reason: "Devolução".into(), ..reference(DocType::Ft, "FT 2026A/9") };
        let nc = convert(&ft, ft_ref.clone(), DocState::Unpaid, DocType::Nc, day(3)).expect("nc");
        assert_eq!(nc.references, vec![ft_ref.clone()]);
        assert!(crate::document::validate(&nc).is_empty());
        let (a, b) = (compute(&ft).expect("ft"), compute(&nc).expect("nc"));
        assert_eq!(open_balance(a.total, Money::ZERO, b.total), Money::ZERO);
        assert_eq!(
            convert(&ft, ft_ref.clone(), DocState::Draft, DocType::Nc, day(3)),
            Err(ConversionError::SourceState(DocState::Draft))
        );
        assert_eq!(
            convert(&ft, ft_ref, DocState::Cancelled, DocType::Nc, day(3)),
            Err(ConversionError::SourceState(DocState::Cancelled))
        );
        let or_ref = reference(DocType::Or, "OR 2026A/1");
        let ft2 = convert(&ft, or_ref, DocState::Issued, DocType::Ft, day(4)).expect("ft from quote");
        assert!(crate::document::validate(&ft2).is_empty());
    }

    #[test]
    fn payments_within_the_open_balance() {
        let open = Money::from_cents(10_000);
        assert_eq!(check_payment(Money::from_cents(4_000), open, day(5), day(1)), Ok(()));
        assert_eq!(check_payment(open, open, day(5), day(1)), Ok(()));
        assert_eq!(
            check_payment(Money::from_cents(10_001), open, day(5), day(1)),
            Err(PaymentError::ExceedsOpenBalance { open })
        );
        assert_eq!(check_payment(Money::ZERO, open, day(5), day(1)), Err(PaymentError::NotPositive));
        assert_eq!(check_payment(Money(dec!(1.001)), open, day(5), day(1)), Err(PaymentError::NotCents));
        assert_eq!(check_payment(Money::from_cents(1), open, day(1), day(5)), Err(PaymentError::BeforeInvoice));
    }

    #[test]
    fn partial_receipts() {
        let ft = reference(DocType::Ft, "FT 2026A/9");
        let alloc = |doc: DocRef, open, amount| Allocation {
            document: doc,
            open_balance: Money::from_cents(open),
            amount: Money::from_cents(amount),
        };
        let r = ReceiptDraft { date: day(5), allocations: vec![alloc(ft.clone(), 10_000, 4_000)] };
        assert!(r.validate().is_empty());
        assert_eq!(r.total(), Money::from_cents(4_000));
        let r = ReceiptDraft {
            date: day(5),
            allocations: vec![
                alloc(ft.clone(), 6_000, 6_000),
                alloc(ft, 6_000, 1),
                alloc(reference(DocType::Fr, "FR 2026A/1"), 100, 100),
                alloc(reference(DocType::Nd, "ND 2026A/1"), 100, 200),
            ],
        };
        assert_eq!(
            r.validate(),
            vec![
                (Some(1), PaymentError::Duplicate),
                (Some(2), PaymentError::NotReceivable(DocType::Fr)),
                (Some(3), PaymentError::ExceedsOpenBalance { open: Money::from_cents(100) })
            ]
        );
        assert_eq!(ReceiptDraft { date: day(5), allocations: vec![] }.validate(), vec![(None, PaymentError::Empty)]);
    }

    #[test]
    fn rule_credit_note_charges_the_rate_of_the_invoice_it_corrects() {
        // fiscal-review S2: a Madeira reduced-rate invoice of 30/09/2024 was charged 5 %; the rate fell to 4 % on
        // 01/10/2024 (DLR 6/2024/M). Its credit note of 29/11/2026 must give back 5 %, not 4 %.
        // By hand: 2 × 50.00 = 100.00 base; 5 % → 5.00 VAT; total 105.00, credited in full.
        let invoice_day = NaiveDate::from_ymd_opt(2024, 9, 30).unwrap_or_default();
        let mut ft = DraftDocument::new(DocType::Ft, invoice_day);
        ft.lines.push(DraftLine {
            description: "Livros".into(),
            quantity: Quantity(dec!(2)),
            unit_price: UnitPrice(dec!(50)),
            discount: Percent::ZERO,
            tax: LineTax::rate(FiscalZone::PtMa, RateClass::Reduced),
            withholding: None,
        });
        let ft_ref = DocRef {
            doc_type: DocType::Ft,
            number: "FT 2024A/300".into(),
            date: invoice_day,
            reason: "Devolução".into(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        let nc = convert(&ft, ft_ref, DocState::Unpaid, DocType::Nc, today).expect("nc");
        assert_eq!(nc.tax_date(), invoice_day);
        let t = compute(&nc).expect("totals");
        assert_eq!(t.summary[0].tax.percent, Percent(dec!(5)));
        assert_eq!((t.net, t.vat, t.total), (Money(dec!(100)), Money(dec!(5)), Money(dec!(105))));
        assert!(crate::document::validate(&nc).is_empty());
        // The same lines on a new invoice today are charged today's 4 %: 100.00 + 4.00.
        let mut ft_today = ft.clone();
        ft_today.date = today;
        let t = compute(&ft_today).expect("totals");
        assert_eq!((t.vat, t.total), (Money(dec!(4)), Money(dec!(104))));
    }

    #[test]
    fn rule_a_note_is_dated_on_or_after_its_invoice_and_one_rate_period() {
        use crate::document::validate::{validate, DraftError};
        let mut nc = DraftDocument::new(DocType::Nc, day(1));
        nc.lines.push(DraftLine {
            description: "Livros".into(),
            quantity: Quantity(dec!(1)),
            unit_price: UnitPrice(dec!(10)),
            discount: Percent::ZERO,
            tax: LineTax::rate(FiscalZone::PtMa, RateClass::Reduced),
            withholding: None,
        });
        let mut r = reference(DocType::Ft, "FT 2026A/9");
        r.reason = "Erro de preço".into();
        r.date = day(2);
        nc.references.push(r.clone());
        let errors: Vec<_> = validate(&nc).into_iter().map(|p| p.error).collect();
        assert_eq!(errors, [DraftError::BeforeReferencedInvoice]);
        // Two Madeira invoices either side of 01/10/2024 (5 % then 4 %) cannot share one note.
        nc.date = day(3);
        nc.references[0].date = NaiveDate::from_ymd_opt(2024, 9, 30).unwrap_or_default();
        nc.references.push(DocRef { date: NaiveDate::from_ymd_opt(2024, 10, 1).unwrap_or_default(), ..r });
        let errors: Vec<_> = validate(&nc).into_iter().map(|p| p.error).collect();
        assert_eq!(errors, [DraftError::ReferencesSpanRateChange]);
        // Both mainland-normal at 23 %: fine.
        nc.lines[0].tax = LineTax::rate(FiscalZone::Pt, RateClass::Normal);
        assert!(validate(&nc).is_empty());
    }
}
