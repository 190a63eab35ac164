//! The life of a document: Draft → IssueRequested → Issuing → Issued → (Unpaid | PartiallyPaid | Paid), and
//! Cancelled only where the rules allow (pt-invoicing §3.2: never with an NC/ND or receipts against it).
//! Overdue is not a state: it is derived from the due date, the open balance and today ([`is_overdue`]).

use super::kind::DocType;
use crate::money::Money;
use crate::msg::Localized;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a document is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocState {
    /// Being edited; no fiscal marks.
    Draft,
    /// Queued for issue through Moloni; no longer editable.
    IssueRequested,
    /// A desktop holds the issue lease and is talking to Moloni.
    Issuing,
    /// Closed in Moloni, with number, ATCUD and signature; immutable from here on.
    Issued,
    /// Issued and nothing settled yet (FT, ND).
    Unpaid,
    /// Issued and partly settled by receipts or credit notes (FT, ND).
    PartiallyPaid,
    /// Fully settled (FT, ND by receipts; FR and FS at issue).
    Paid,
    /// Cancelled (anulado) in Moloni: stays in the series with status A.
    Cancelled,
}

impl DocState {
    /// True once Moloni has closed the document: nothing about it may change any more except its settlement.
    pub fn is_issued(self) -> bool {
        matches!(self, DocState::Issued | DocState::Unpaid | DocState::PartiallyPaid | DocState::Paid)
    }

    /// True while the user may still edit the document.
    pub fn is_editable(self) -> bool {
        self == DocState::Draft
    }

    /// The state's name.
    pub fn name(self) -> Localized {
        match self {
            DocState::Draft => Localized::new("Rascunho", "Draft"),
            DocState::IssueRequested => Localized::new("Emissão pedida", "Issue requested"),
            DocState::Issuing => Localized::new("A emitir", "Issuing"),
            DocState::Issued => Localized::new("Emitido", "Issued"),
            DocState::Unpaid => Localized::new("Por pagar", "Unpaid"),
            DocState::PartiallyPaid => Localized::new("Pago parcialmente", "Partially paid"),
            DocState::Paid => Localized::new("Pago", "Paid"),
            DocState::Cancelled => Localized::new("Anulado", "Cancelled"),
        }
    }

    /// Moves to `to` if [`can_transition`] allows it.
    pub fn transition(self, to: DocState, facts: &DocFacts) -> Result<DocState, TransitionError> {
        can_transition(self, to, facts).map(|()| to)
    }
}

/// What the transition rules need to know about the document besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocFacts {
    /// Its type.
    pub doc_type: DocType,
    /// An issued, not cancelled NC or ND references it.
    pub has_rectifying_notes: bool,
    /// An issued, not cancelled receipt settles part of it.
    pub has_receipts: bool,
}

impl DocFacts {
    /// Facts for a document with nothing against it.
    pub fn plain(doc_type: DocType) -> DocFacts {
        DocFacts { doc_type, has_rectifying_notes: false, has_receipts: false }
    }
}

/// Why a state change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The life cycle has no such step.
    #[error("cannot go from {from:?} to {to:?}")]
    NotAllowed {
        /// Current state.
        from: DocState,
        /// Requested state.
        to: DocState,
    },
    /// Cancelling a document an NC/ND corrects: cancel that note first.
    #[error("a credit or debit note references this document")]
    HasRectifyingNotes,
    /// Cancelling a document receipts settle: cancel the receipts first.
    #[error("receipts settle this document")]
    HasReceipts,
    /// Cancelling without a reason (SAF-T status A carries one).
    #[error("a cancellation needs a reason")]
    MissingCancelReason,
    /// A reason beyond SAF-T's 50 characters, or with characters a reason cannot hold.
    #[error("the cancellation reason is too long or not plain text")]
    BadCancelReason,
    /// Payment states for a type that is never paid (quotes, credit notes, receipts).
    #[error("{0:?} documents are not paid")]
    NotPayable(DocType),
}

impl TransitionError {
    /// The message for the user, saying what to do.
    pub fn message(&self) -> Localized {
        match self {
            TransitionError::NotAllowed { from, to } => Localized::new(
                format!("Um documento «{}» não pode passar a «{}».", from.name().pt, to.name().pt),
                format!("A document that is «{}» cannot become «{}».", from.name().en, to.name().en),
            ),
            TransitionError::HasRectifyingNotes => Localized::new(
                "Este documento tem notas de crédito ou débito: anule-as primeiro, ou corrija com nova nota.",
                "This document has credit or debit notes: cancel them first, or correct with another note.",
            ),
            TransitionError::HasReceipts => Localized::new(
                "Este documento tem recibos: anule os recibos primeiro.",
                "This document has receipts: cancel the receipts first.",
            ),
            TransitionError::MissingCancelReason => {
                let a = cancel_advice();
                Localized::new(
                    format!("Indique o motivo da anulação (até 50 caracteres). {}", a.pt),
                    format!("Give the reason for cancelling (up to 50 characters). {}", a.en),
                )
            }
            TransitionError::BadCancelReason => Localized::new(
                "O motivo da anulação tem no máximo 50 caracteres, numa só linha.",
                "The cancellation reason is at most 50 characters, on one line.",
            ),
            TransitionError::NotPayable(t) => Localized::new(
                format!("Um(a) {} não é pago(a).", t.name().pt),
                format!("A {} is not paid.", t.name().en),
            ),
        }
    }
}

/// Whether `from → to` is a step of the life cycle for this document.
pub fn can_transition(from: DocState, to: DocState, facts: &DocFacts) -> Result<(), TransitionError> {
    use DocState::*;
    let t = facts.doc_type;
    let payment_state = matches!(to, Unpaid | PartiallyPaid | Paid);
    if payment_state && from.is_issued() && !t.is_receivable() && !(t.paid_at_issue() && to == Paid) {
        return Err(TransitionError::NotPayable(t));
    }
    let ok = match (from, to) {
        (Draft, IssueRequested) => true,
        (IssueRequested, Draft | Issuing) => true,
        // Issuing → IssueRequested: the lease lapsed or Moloni failed in a way worth retrying;
        // Issuing → Draft: Moloni refused the document, the user must fix it.
        (Issuing, Issued | IssueRequested | Draft) => true,
        (Issued, Paid) => true,
        (Issued, Unpaid | PartiallyPaid) => true,
        (Unpaid, PartiallyPaid | Paid) => true,
        (PartiallyPaid, Unpaid | Paid) => true,
        (Paid, Unpaid | PartiallyPaid) => t.is_receivable(),
        (Issued | Unpaid, Cancelled) => true,
        (Paid, Cancelled) => t.paid_at_issue(),
        (PartiallyPaid, Cancelled) => return Err(TransitionError::HasReceipts),
        _ => false,
    };
    if !ok {
        return Err(TransitionError::NotAllowed { from, to });
    }
    if to == Cancelled {
        if facts.has_rectifying_notes {
            return Err(TransitionError::HasRectifyingNotes);
        }
        if facts.has_receipts {
            return Err(TransitionError::HasReceipts);
        }
    }
    Ok(())
}

/// The longest cancellation reason: SAF-T `Reason` holds 50 characters.
pub const CANCEL_REASON_MAX: usize = 50;

/// What the app says before a cancellation: only errors that change neither value nor VAT are cancelled; any
/// change of value or VAT is corrected with a credit (or debit) note (AT binding information proc. 10376/2016
/// via pt-invoicing §3.2 [ANUL]; D8632 §2.2.6; fiscal-review L8).
pub fn cancel_advice() -> Localized {
    Localized::new(
        "Só se anula um documento por erros que não alteram o valor nem o IVA (por exemplo, o NIF do cliente). \
         Para corrigir valores ou IVA emita uma nota de crédito ou de débito.",
        "Cancel a document only for errors that change neither the amount nor the VAT (e.g. the customer's NIF). \
         To correct amounts or VAT, issue a credit or debit note.",
    )
}

/// Checks a cancellation: the step must be allowed ([`can_transition`] to [`DocState::Cancelled`]) and a reason
/// given; returns the reason cleaned for SAF-T.
pub fn can_cancel(from: DocState, facts: &DocFacts, reason: &str) -> Result<String, TransitionError> {
    can_transition(from, DocState::Cancelled, facts)?;
    match crate::text::clean(reason, CANCEL_REASON_MAX, true, false) {
        Ok(Some(r)) => Ok(r),
        Ok(None) | Err(crate::text::TextError::Required) => Err(TransitionError::MissingCancelReason),
        Err(_) => Err(TransitionError::BadCancelReason),
    }
}

/// The settlement state of an issued receivable from what is to pay and what receipts and credit notes settled.
/// Pass the amount payable ([`crate::document::Totals::payable`]: the total less withholding) and the notes'
/// amounts payable, so a withheld invoice is paid once the customer paid what it owes (fiscal-review S3).
pub fn settlement_state(total: Money, settled: Money) -> DocState {
    if settled.is_zero() || settled.is_negative() {
        DocState::Unpaid
    } else if settled >= total {
        DocState::Paid
    } else {
        DocState::PartiallyPaid
    }
}

/// Overdue: due before `today` and something still open (pt-invoicing §8.1).
pub fn is_overdue(due_date: Option<NaiveDate>, open_balance: Money, today: NaiveDate) -> bool {
    due_date.is_some_and(|due| due < today) && open_balance > Money::ZERO
}

/// Days past the due date (0 when not overdue).
pub fn days_overdue(due_date: Option<NaiveDate>, open_balance: Money, today: NaiveDate) -> i64 {
    match due_date {
        Some(due) if is_overdue(due_date, open_balance, today) => (today - due).num_days(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocState::*;

    fn ft() -> DocFacts {
        DocFacts::plain(DocType::Ft)
    }

    #[test]
    fn the_issue_path() {
        let mut s = Draft;
        for next in [IssueRequested, Issuing, Issued, Unpaid, PartiallyPaid, Paid] {
            s = s.transition(next, &ft()).expect("step");
        }
        assert_eq!(s, Paid);
        assert_eq!(Issuing.transition(IssueRequested, &ft()), Ok(IssueRequested));
        assert_eq!(Issuing.transition(Draft, &ft()), Ok(Draft));
    }

    #[test]
    fn no_shortcuts_and_no_way_back_after_issue() {
        for (from, to) in [
            (Draft, Issued),
            (Draft, Issuing),
            (IssueRequested, Issued),
            (Issued, Draft),
            (Paid, Draft),
            (Cancelled, Issued),
            (Draft, Cancelled),
            (Issued, Issuing),
        ] {
            assert_eq!(
                can_transition(from, to, &ft()),
                Err(TransitionError::NotAllowed { from, to }),
                "{from:?}→{to:?}"
            );
        }
    }

    #[test]
    fn cancelling_only_where_allowed() {
        assert_eq!(Unpaid.transition(Cancelled, &ft()), Ok(Cancelled));
        let noted = DocFacts { has_rectifying_notes: true, ..ft() };
        assert_eq!(Unpaid.transition(Cancelled, &noted), Err(TransitionError::HasRectifyingNotes));
        let paid = DocFacts { has_receipts: true, ..ft() };
        assert_eq!(Unpaid.transition(Cancelled, &paid), Err(TransitionError::HasReceipts));
        assert_eq!(PartiallyPaid.transition(Cancelled, &ft()), Err(TransitionError::HasReceipts));
        assert_eq!(Paid.transition(Cancelled, &ft()), Err(TransitionError::NotAllowed { from: Paid, to: Cancelled }));
        assert_eq!(Paid.transition(Cancelled, &DocFacts::plain(DocType::Fr)), Ok(Cancelled));
        assert_eq!(Issued.transition(Cancelled, &DocFacts::plain(DocType::Or)), Ok(Cancelled));
    }

    #[test]
    fn only_receivables_go_unpaid() {
        assert_eq!(Issued.transition(Paid, &DocFacts::plain(DocType::Fr)), Ok(Paid));
        assert_eq!(
            Issued.transition(Unpaid, &DocFacts::plain(DocType::Fr)),
            Err(TransitionError::NotPayable(DocType::Fr))
        );
        assert_eq!(
            Issued.transition(Paid, &DocFacts::plain(DocType::Nc)),
            Err(TransitionError::NotPayable(DocType::Nc))
        );
        assert_eq!(Issued.transition(Unpaid, &DocFacts::plain(DocType::Nd)), Ok(Unpaid));
    }

    #[test]
    fn settlement_and_overdue() {
        let total = Money::from_cents(10_000);
        assert_eq!(settlement_state(total, Money::ZERO), Unpaid);
        assert_eq!(settlement_state(total, Money::from_cents(1)), PartiallyPaid);
        assert_eq!(settlement_state(total, total), Paid);
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap_or_default();
        assert!(!is_overdue(Some(d(10)), total, d(10)));
        assert!(is_overdue(Some(d(10)), total, d(11)));
        assert!(!is_overdue(Some(d(10)), Money::ZERO, d(20)));
        assert!(!is_overdue(None, total, d(20)));
        assert_eq!(days_overdue(Some(d(10)), total, d(20)), 10);
    }

    #[test]
    fn rule_l8_cancelling_needs_a_reason_and_says_when_a_note_is_due() {
        assert_eq!(can_cancel(Unpaid, &ft(), "  NIF do cliente errado "), Ok("NIF do cliente errado".into()));
        let missing = can_cancel(Unpaid, &ft(), "   ");
        assert_eq!(missing, Err(TransitionError::MissingCancelReason));
        let m = TransitionError::MissingCancelReason.message();
        assert!(m.pt.contains("nota de crédito") && m.en.contains("credit or debit note"));
        assert_eq!(can_cancel(Unpaid, &ft(), &"x".repeat(51)), Err(TransitionError::BadCancelReason));
        assert_eq!(can_cancel(Unpaid, &ft(), "a\nb"), Err(TransitionError::BadCancelReason));
        let noted = DocFacts { has_rectifying_notes: true, ..ft() };
        assert_eq!(can_cancel(Unpaid, &noted, "Erro"), Err(TransitionError::HasRectifyingNotes));
    }

    #[test]
    fn rule_cirs_101_a_withheld_invoice_is_paid_at_its_amount_payable() {
        // Total 1,230.00, 23 % withheld on 1,000.00 = 230.00: payable 1,000.00. A receipt of 1,000.00 pays it.
        let (total, payable) = (Money::from_cents(123_000), Money::from_cents(100_000));
        let received = Money::from_cents(100_000);
        assert_eq!(settlement_state(payable, received), Paid);
        assert_eq!(crate::document::open_balance(payable, received, Money::ZERO), Money::ZERO);
        // Measured on the gross total it would stay open for ever: the reason callers pass the payable.
        assert_eq!(settlement_state(total, received), PartiallyPaid);
    }
}
