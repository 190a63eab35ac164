//! Reports (issue 17): sales by month, customer or product; the VAT summary per zone and rate for a period;
//! aged receivables per customer. Amounts are whole cents computed by desk-model (no floating point).

use crate::money::{Money, Percent};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How sales are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SalesBy {
    /// Calendar month of the issue date.
    #[default]
    Month,
    /// Customer.
    Customer,
    /// Product (line amounts, before the document's global discount).
    Product,
}

/// One group of sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesRow {
    /// The group's key: `2026-03`, a customer's NIF or name, a product's reference.
    pub key: String,
    /// What the group is called.
    pub label: String,
    /// Documents in it (credit notes included).
    pub documents: u64,
    /// Net (taxable) amount: invoices less credit notes.
    pub net: Money,
    /// Total with VAT.
    pub total: Money,
}

/// Sales of a period: issued invoices (FT, FR, FS), debit notes less credit notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesReport {
    /// Grouping.
    pub by: SalesBy,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The groups, in key order (months) or by net amount, largest first.
    pub rows: Vec<SalesRow>,
    /// Documents counted.
    pub documents: u64,
    /// Net of all rows.
    pub net: Money,
    /// Total of all rows.
    pub total: Money,
    /// The rows stop at the request's limit: there are more groups (the totals count them all).
    #[serde(default)]
    pub more: bool,
}

/// One line of the VAT summary: a zone, a code, its rate and exemption reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatReportRow {
    /// `PT`, `PT-AC`, `PT-MA`.
    pub zone: String,
    /// `NOR`, `INT`, `RED`, `ISE`, `OUT`.
    pub code: String,
    /// The rate.
    pub percent: Percent,
    /// The exemption reason (ISE/OUT).
    pub exemption: Option<String>,
    /// Taxable base (credit notes subtract).
    pub base: Money,
    /// VAT.
    pub vat: Money,
}

/// The VAT summary of a period, per fiscal zone and rate: what the periodic VAT return needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Zone by zone, rate by rate.
    pub rows: Vec<VatReportRow>,
    /// Documents counted.
    pub documents: u64,
    /// Sum of bases.
    pub base: Money,
    /// Sum of VAT.
    pub vat: Money,
}

/// The ages of open amounts: not yet due, then days overdue.
pub const AGE_BUCKETS: [(&str, &str); 5] =
    [("Por vencer", "Not yet due"), ("0–30", "0–30"), ("31–60", "31–60"), ("61–90", "61–90"), ("> 90", "> 90")];

/// A customer's open amounts by age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgedRow {
    /// The customer's name on its documents.
    pub customer: String,
    /// Its NIF.
    pub nif: Option<String>,
    /// Open amounts per [`AGE_BUCKETS`].
    pub buckets: [Money; 5],
    /// All open.
    pub total: Money,
    /// Open documents past their due date.
    pub overdue_documents: u64,
    /// Open documents.
    pub documents: u64,
}

/// Aged receivables on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgedReport {
    /// The day ages are measured on.
    pub today: NaiveDate,
    /// Customers, most overdue first.
    pub rows: Vec<AgedRow>,
    /// Per bucket over all customers.
    pub buckets: [Money; 5],
    /// All open.
    pub total: Money,
    /// The rows stop at the request's limit: there are more customers (the totals count them all).
    #[serde(default)]
    pub more: bool,
}

/// The [`AGE_BUCKETS`] index of an open amount due on `due` (none: due at issue, `issued`) seen on `today`.
pub fn age_bucket(due: NaiveDate, today: NaiveDate) -> usize {
    match (today - due).num_days() {
        d if d <= 0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        _ => 4,
    }
}

/// The earliest due date of each of the first four buckets on `today` (a due date before the last is in bucket
/// 4): what [`age_bucket`] decides, as dates a query can compare with.
pub fn age_bucket_starts(today: NaiveDate) -> [NaiveDate; 4] {
    [0, 30, 60, 90].map(|days| today - chrono::Duration::days(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_starts_agree_with_the_buckets() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        let starts = age_bucket_starts(today);
        for back in -3..130 {
            let due = today - chrono::Duration::days(back);
            let by_starts = starts.iter().position(|s| due >= *s).unwrap_or(4);
            assert_eq!(by_starts, age_bucket(due, today), "due {due}");
        }
    }

    #[test]
    fn buckets_start_the_day_after_the_due_date() {
        let due = NaiveDate::from_ymd_opt(2026, 1, 31).expect("date");
        let on = |d: i64| age_bucket(due, due + chrono::Duration::days(d));
        assert_eq!([on(-5), on(0), on(1), on(30), on(31), on(60), on(61), on(90), on(91)], [0, 0, 1, 1, 2, 2, 3, 3, 4]);
    }
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Sales.
    #[default]
    Sales,
    /// VAT summary.
    Vat,
    /// Aged receivables.
    Aged,
}

/// What the reports screen asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRequest {
    /// Which report.
    pub kind: ReportKind,
    /// First day.
    pub from: NaiveDate,
    /// Last day (the aged report's day).
    pub to: NaiveDate,
    /// Sales: grouping.
    #[serde(default)]
    pub by: SalesBy,
    /// At most this many rows (the largest first; the screen shows a few hundred, exports everything); all when
    /// absent. Totals always cover every row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// A report's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportData {
    /// Sales.
    Sales(SalesReport),
    /// VAT summary.
    Vat(VatReport),
    /// Aged receivables.
    Aged(AgedReport),
}

/// Sales of one month this year and the same month last year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSales {
    /// `2026-03`.
    pub month: String,
    /// Total with VAT this year.
    pub this_year: Money,
    /// The same month a year before.
    pub last_year: Money,
}

/// The dashboard's sales against last year's, from the local cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesOverview {
    /// The day it is measured on.
    pub today: NaiveDate,
    /// This month up to today.
    pub month: Money,
    /// The same days of the same month last year.
    pub month_last_year: Money,
    /// This year up to today.
    pub year: Money,
    /// The same days of last year.
    pub year_last_year: Money,
    /// The year's five largest customers by net sales (before VAT), largest first.
    pub top_customers: Vec<SalesRow>,
    /// January to this month, with last year's.
    pub months: Vec<MonthSales>,
}

/// A list or report to write to a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "list", rename_all = "snake_case")]
pub enum ExportWhat {
    /// Customers as the list shows them.
    Customers {
        /// The list's search.
        query: crate::ipc::CustomerQuery,
    },
    /// Products.
    Products {
        /// The list's search.
        query: crate::ipc::ProductQuery,
    },
    /// Documents with the list's filters.
    Documents {
        /// The filters.
        query: crate::ipc::DocumentQuery,
    },
    /// A report.
    Report {
        /// Which, and its period.
        request: ReportRequest,
    },
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// CSV (Portuguese: BOM and `;`; English: `,`).
    Csv,
    /// Excel.
    Xlsx,
    /// PDF (reports).
    Pdf,
}

/// An export request from a list or the reports screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportInput {
    /// What.
    pub what: ExportWhat,
    /// CSV or XLSX.
    pub format: ExportFormat,
    /// Headers, numbers and dates in this language.
    pub lang: crate::msg::Lang,
}

/// A written export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSaved {
    /// The file.
    pub path: String,
    /// Data rows written.
    pub rows: u64,
}
