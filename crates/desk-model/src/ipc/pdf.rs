//! Printing from the app: the preview, a saved PDF, and a batch over a filtered list with its progress.

use crate::error::AppError;
use crate::ipc::DocumentQuery;
use crate::msg::{Lang, Localized};
use serde::{Deserialize, Serialize};

/// A document as it will print, for the app's preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfPreview {
    /// Every printed string, the same view the PDF is drawn from.
    pub document: crate::print::PrintDocument,
    /// The QR code as an SVG image, for issued documents.
    pub qr_svg: Option<String>,
    /// Pages the PDF has.
    pub pages: usize,
    /// What the PDF leaves out or changes (a logo that cannot be read, characters the font lacks).
    pub warnings: Vec<Localized>,
}

/// A PDF written to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfSaved {
    /// Where.
    pub path: String,
    /// Its pages.
    pub pages: usize,
    /// What it leaves out or changes.
    pub warnings: Vec<Localized>,
}

/// Print a filtered list of documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfBatchInput {
    /// The list's filter (its sort is the print order; paging fields are ignored).
    pub query: DocumentQuery,
    /// One merged PDF (`path` is the file) instead of one file per document (`path` is the folder).
    pub merged: bool,
    /// The folder or file.
    pub path: String,
    /// The language to print in.
    pub lang: Lang,
}

/// A batch's progress, polled by the app while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PdfBatchStatus {
    /// Documents rendered so far.
    pub done: usize,
    /// Documents to render (0 while the list is being read).
    pub total: usize,
    /// True once the batch has stopped, finished or not.
    pub finished: bool,
    /// It stopped because the user cancelled.
    pub cancelled: bool,
    /// The files written.
    pub files: Vec<String>,
    /// Pages rendered.
    pub pages: usize,
    /// What the PDFs leave out or change, prefixed with the document number.
    pub warnings: Vec<Localized>,
    /// Why it failed, if it did.
    pub error: Option<AppError>,
}
