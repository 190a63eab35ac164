//! Local PDF printing (issue 5): draws a finished [`PrintDocument`] from desk-model on A4 with printpdf, no
//! browser engine. The view model arrives with every amount computed and formatted; this module only lays
//! text out. Issued documents get their fiscal marks (ATCUD on every page, the QR code as vector squares,
//! the certification phrase, the copy mark); drafts get the "RASCUNHO" watermark and none of those.
//!
//! [`render`] makes one PDF; [`render_many`] makes many, to a folder or merged, with progress and cancel.

mod batch;
mod canvas;
mod compose;
mod error;
mod fonts;
mod geometry;
mod header;
mod logo;
mod marks;
pub mod qr;
mod sanitize;
mod session;
pub mod sheet;
pub mod specimen;
mod summary;
mod table;
mod wrap;

pub use batch::{render_many, safe_file_name, write_whole, BatchReport, BatchTarget, BatchWarning};
pub use error::{PdfError, RenderWarning, WarningKind};
pub use logo::Logo;

use desk_model::msg::Lang;
use desk_model::print::PrintDocument;
use session::Session;

/// Which copy of an issued document this print is (D8632 §2.2.8, §2.2.15). Drafts never show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CopyMark {
    /// "Original".
    #[default]
    Original,
    /// "Duplicado".
    Duplicate,
    /// "Triplicado".
    Triplicate,
    /// "Cópia do documento original": a reprint made from the issued data.
    Copy,
    /// No marking.
    None,
}

impl CopyMark {
    /// The printed words in `lang`.
    pub fn label(self, lang: Lang) -> Option<&'static str> {
        let (pt, en) = match self {
            CopyMark::Original => ("Original", "Original"),
            CopyMark::Duplicate => ("Duplicado", "Duplicate"),
            CopyMark::Triplicate => ("Triplicado", "Triplicate"),
            CopyMark::Copy => ("Cópia do documento original", "Copy of the original document"),
            CopyMark::None => return None,
        };
        Some(match lang {
            Lang::Pt => pt,
            Lang::En => en,
        })
    }
}

/// How to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// The issuer's logo (PNG or JPEG); left out with a warning if it cannot be read.
    pub logo: Option<Logo>,
    /// The copy marking of issued documents.
    pub copy: CopyMark,
}

/// A finished PDF.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its page count.
    pub pages: usize,
    /// What was left out or changed; empty when the PDF shows everything as given.
    pub warnings: Vec<RenderWarning>,
}

/// Draws `doc` as a PDF.
pub fn render(doc: &PrintDocument, options: &RenderOptions) -> Result<Rendered, PdfError> {
    let (logo, mut warnings) = load_logo(options);
    let mut session = Session::new(&doc.number, logo.as_ref())?;
    let (pages, more) = session.add(doc, options.copy)?;
    warnings.extend(more);
    Ok(Rendered { bytes: session.finish()?, pages, warnings })
}

fn load_logo(options: &RenderOptions) -> (Option<logo::Decoded>, Vec<RenderWarning>) {
    match options.logo.as_ref().map(logo::load) {
        None => (None, Vec::new()),
        Some(Ok(decoded)) => (Some(decoded), Vec::new()),
        Some(Err(w)) => (None, vec![w]),
    }
}
