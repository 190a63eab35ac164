//! Documents: types, drafts, totals, validation, the life cycle, conversions and payments, due dates.

pub mod credit;
pub mod draft;
pub mod flow;
pub mod input;
pub mod interest;
pub mod kind;
pub mod parties;
pub mod simplified;
pub mod state;
pub mod terms;
pub mod totals;
pub mod validate;

pub use credit::{check_credit, CreditError};
pub use draft::{document_label, draft_key, draft_label, DocRef, DraftDocument, DraftLine};
pub use flow::{
    can_convert, check_payment, convert, open_balance, Allocation, ConversionError, PaymentError, ReceiptDraft,
};
pub use input::{DocumentInput, LineInput, PaymentInput};
pub use kind::DocType;
pub use parties::{
    check_parties, party_errors, term_warning, BuyerKind, DocumentContext, PartyError, PartyProblem, Severity,
};
pub use state::{
    can_cancel, can_transition, cancel_advice, is_overdue, settlement_state, DocFacts, DocState, TransitionError,
};
pub use terms::{due_date, due_or_default, PaymentTerms};
pub use totals::{
    compute, compute_with, LineAmounts, RoundingMethod, Totals, TotalsError, VatSummaryRow, WithholdingRow,
};
pub use validate::{validate, validate_with, warnings, DraftError, DraftField, DraftProblem};
