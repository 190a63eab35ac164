//! Due dates from payment terms (pt-invoicing §8.1): immediate ("pronto pagamento"), N days, end of month,
//! N days then end of that month. With no agreed term DL 62/2013 sets 30 days.

use super::draft::DraftDocument;
use crate::msg::Localized;
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest term accepted, in days.
pub const MAX_TERM_DAYS: u32 = 365;

/// Agreed payment terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "days")]
pub enum PaymentTerms {
    /// Due on the issue date ("pronto pagamento").
    Immediate,
    /// Due N days after the issue date.
    Days(u32),
    /// Due on the last day of the issue month.
    EndOfMonth,
    /// Due on the last day of the month in which issue date + N days falls ("30 dias fim do mês").
    DaysEndOfMonth(u32),
}

impl Default for PaymentTerms {
    /// 30 days: DL 62/2013's term when none is agreed.
    fn default() -> Self {
        PaymentTerms::Days(30)
    }
}

/// Terms beyond [`MAX_TERM_DAYS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("payment term of {0} days is beyond {MAX_TERM_DAYS}")]
pub struct TermsError(pub u32);

impl TermsError {
    /// The message for the user.
    pub fn message(&self) -> Localized {
        Localized::new(
            format!("Prazo de pagamento de {} dias: o máximo é {MAX_TERM_DAYS}.", self.0),
            format!("Payment term of {} days: the maximum is {MAX_TERM_DAYS}.", self.0),
        )
    }
}

fn end_of_month(d: NaiveDate) -> NaiveDate {
    let first_next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    };
    first_next.and_then(|f| f.pred_opt()).unwrap_or(d)
}

/// The due date of a document issued on `issue` under `terms`.
pub fn due_date(issue: NaiveDate, terms: PaymentTerms) -> Result<NaiveDate, TermsError> {
    let add = |n: u32| {
        if n > MAX_TERM_DAYS {
            return Err(TermsError(n));
        }
        Ok(issue.checked_add_days(Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX))
    };
    match terms {
        PaymentTerms::Immediate => Ok(issue),
        PaymentTerms::Days(n) => add(n),
        PaymentTerms::EndOfMonth => Ok(end_of_month(issue)),
        PaymentTerms::DaysEndOfMonth(n) => add(n).map(end_of_month),
    }
}

/// The due date a draft is stored with: the one typed, else, for a receivable, the one its agreed `terms` give
/// (the form's, else the customer's), else DL 62/2013's 30 days; other types have none. The engine stores this
/// and the editor warns on it.
pub fn due_or_default(draft: &DraftDocument, terms: Option<PaymentTerms>) -> Result<Option<NaiveDate>, TermsError> {
    match draft.due_date {
        Some(d) => Ok(Some(d)),
        None if draft.doc_type.is_receivable() => due_date(draft.date, terms.unwrap_or_default()).map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn due_dates() {
        assert_eq!(due_date(d(2026, 1, 15), PaymentTerms::Immediate), Ok(d(2026, 1, 15)));
        assert_eq!(due_date(d(2026, 1, 15), PaymentTerms::default()), Ok(d(2026, 2, 14)));
        assert_eq!(due_date(d(2026, 1, 31), PaymentTerms::Days(30)), Ok(d(2026, 3, 2)));
        assert_eq!(due_date(d(2026, 2, 3), PaymentTerms::EndOfMonth), Ok(d(2026, 2, 28)));
        assert_eq!(due_date(d(2028, 2, 3), PaymentTerms::EndOfMonth), Ok(d(2028, 2, 29)));
        assert_eq!(due_date(d(2026, 12, 10), PaymentTerms::EndOfMonth), Ok(d(2026, 12, 31)));
        assert_eq!(due_date(d(2026, 1, 15), PaymentTerms::DaysEndOfMonth(30)), Ok(d(2026, 2, 28)));
        assert_eq!(due_date(d(2026, 12, 15), PaymentTerms::DaysEndOfMonth(30)), Ok(d(2027, 1, 31)));
        assert_eq!(due_date(d(2026, 1, 15), PaymentTerms::Days(366)), Err(TermsError(366)));
        assert_eq!(due_date(NaiveDate::MAX, PaymentTerms::Days(30)), Ok(NaiveDate::MAX));
    }

    #[test]
    fn a_draft_without_a_due_date_falls_due_by_its_terms_else_in_30_days() {
        use crate::document::DocType;
        let mut ft = DraftDocument::new(DocType::Ft, d(2026, 1, 15));
        assert_eq!(due_or_default(&ft, Some(PaymentTerms::Days(90))), Ok(Some(d(2026, 4, 15))));
        assert_eq!(due_or_default(&ft, None), Ok(Some(d(2026, 2, 14))));
        ft.due_date = Some(d(2026, 1, 31));
        assert_eq!(due_or_default(&ft, Some(PaymentTerms::Days(90))), Ok(Some(d(2026, 1, 31))));
        // A quote is no receivable: no due date.
        assert_eq!(due_or_default(&DraftDocument::new(DocType::Or, d(2026, 1, 15)), None), Ok(None));
        assert_eq!(
            due_or_default(&DraftDocument::new(DocType::Ft, d(2026, 1, 15)), Some(PaymentTerms::Days(400))),
            Err(TermsError(400))
        );
    }

    #[test]
    fn serialised_form() {
        let json = serde_json::to_string(&PaymentTerms::DaysEndOfMonth(30)).unwrap_or_default();
        assert_eq!(json, r#"{"kind":"days_end_of_month","days":30}"#);
    }
}
