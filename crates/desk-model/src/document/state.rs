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

/// The settlement state of an issued receivable from its total and what receipts and credit notes settled.
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
}
