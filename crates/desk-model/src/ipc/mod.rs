//! The contract across the Tauri bridge: every command's typed declaration ([`call`]), the records they
//! return, and the one error type the UI sees ([`AppError`], defined beside [`crate::msg`]).
//!
//! The shell, the UI and the `desk` CLI all use the declarations in [`call`]: a command's name, its argument
//! struct and its result type are written once, so a renamed argument fails to compile everywhere.
//! The input types live beside their rules ([`crate::customer`], [`crate::product`], [`crate::document`],
//! [`crate::company`]) and are re-exported here, as are the form readers of [`crate::form`].

pub mod app;
pub mod call;
pub mod customers;
pub mod documents;
pub mod import;
pub mod issue;
pub mod moloni;
pub mod moloni_sync;
pub mod office_sync;
pub mod page;
pub mod pdf;
pub mod products;
pub mod reports;
pub mod server;

pub use crate::customer::CustomerInput;
pub use crate::document::{DocumentInput, LineInput, PaymentInput};
pub use crate::error::{AppError, ErrorKind, FieldError};
pub use crate::form::{parse_date, read_tax};
pub use crate::product::{ProductInput, ProductKind};
pub use app::{AppInfo, CompanySummary, FirstRunInput, Mode};
pub use call::{Command, Reply};
pub use customers::{Customer, CustomerQuery};
pub use documents::{
    CountAmount, Dashboard, Document, DocumentLine, DocumentQuery, DocumentRow, DocumentSort, FiscalData, Payment,
};
pub use import::{
    FieldDifference, ImportKind, ImportOutcome, ImportPreview, ImportProfile, ImportProgress, ImportRequest,
    ImportStatus, Resolution, ReviewItem, RowProblem,
};
pub use issue::{IssueOutcome, IssueQueueSummary, IssueRequestInfo, IssuerPass};
pub use moloni::{MoloniCompany, MoloniConnectInput, MoloniStatus};
pub use moloni_sync::{KindCounts, MoloniSyncReport, MoloniSyncSettings, MoloniSyncStatus, SyncIssue, SyncProgress};
pub use office_sync::{ConflictChoice, OfficeConflict, OfficeRejection, OfficeSyncReport, OfficeSyncStatus};
pub use page::{count_text, Page};
pub use pdf::{PdfBatchInput, PdfBatchStatus, PdfPreview, PdfSaved};
pub use products::{Product, ProductQuery};
pub use reports::{
    age_bucket, age_bucket_starts, AgedReport, AgedRow, ExportFormat, ExportInput, ExportSaved, ExportWhat, MonthSales,
    ReportData, ReportKind, ReportRequest, SalesBy, SalesOverview, SalesReport, SalesRow, VatReport, VatReportRow,
    AGE_BUCKETS,
};
pub use server::{
    AuditEntry, AuditField, AuditQuery, ServerCompany, ServerRole, ServerSession, ServerStatus, ServerUser,
    ServerUserCreated,
};
