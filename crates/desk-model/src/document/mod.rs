//! Documents: types, drafts, totals, validation, the life cycle, conversions and payments, due dates.

pub mod draft;
pub mod kind;
pub mod simplified;
pub mod totals;
pub mod validate;

pub use draft::{DocRef, DraftDocument, DraftLine};
pub use kind::DocType;
pub use totals::{compute, LineAmounts, Totals, TotalsError, VatSummaryRow};
pub use validate::{validate, warnings, DraftError, DraftField, DraftProblem};
