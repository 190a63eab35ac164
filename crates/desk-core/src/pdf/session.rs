//! One PDF file being built: the fonts and the logo added once, then the pages of one or many documents.
//! `render` uses a session per document; the merged batch uses one session for all of them, so the fonts
//! and the logo are embedded once.

use super::canvas::FontIds;
use super::compose::{self, PlacedLogo};
use super::error::{PdfError, RenderWarning};
use super::fonts::Fonts;
use super::logo::Decoded;
use super::sanitize::sanitize;
use super::CopyMark;
use desk_model::print::PrintDocument;
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

/// zlib level: 1–2 give nearly level 9's size for fonts and content streams at a fraction of the time.
const LEVEL: u32 = 2;

pub(crate) struct Session {
    pdf: PdfDocument,
    fonts: &'static Fonts,
    ids: FontIds,
    logo: Option<PlacedLogo>,
    pages: Vec<PdfPage>,
}

impl Session {
    /// A new file titled `title`, with the logo if there is one.
    pub fn new(title: &str, logo: Option<&Decoded>) -> Result<Session, PdfError> {
        let fonts = Fonts::get()?;
        let mut pdf = PdfDocument::new(title);
        pdf.metadata.info.creator = "desk-moloni".into();
        pdf.metadata.info.producer = "desk-moloni (printpdf)".into();
        let ids = FontIds { regular: pdf.add_font(&fonts.regular.parsed), bold: pdf.add_font(&fonts.bold.parsed) };
        let logo = logo.map(|l| PlacedLogo { id: pdf.add_image(&l.image), px: l.px });
        Ok(Session { pdf, fonts, ids, logo, pages: Vec::new() })
    }

    /// Appends the pages of `doc`; returns how many, and what had to be left out or changed.
    pub fn add(&mut self, doc: &PrintDocument, copy: CopyMark) -> Result<(usize, Vec<RenderWarning>), PdfError> {
        let (doc, mut warnings) = sanitize(doc, self.fonts);
        let pages = compose::pages(&doc, self.fonts, &self.ids, self.logo.as_ref(), copy, &mut warnings)?;
        let n = pages.len();
        self.pages.extend(pages.into_iter().map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops)));
        Ok((n, warnings))
    }

    /// Appends pages drawn by `draw` with this file's fonts (a report's table).
    pub fn add_pages(&mut self, draw: impl FnOnce(&'static Fonts, &FontIds) -> Vec<Vec<printpdf::Op>>) {
        let pages = draw(self.fonts, &self.ids);
        self.pages.extend(pages.into_iter().map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops)));
    }

    /// The pages drawn so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The finished file (fonts subset to the glyphs used, streams deflated).
    pub fn finish(mut self) -> Result<Vec<u8>, PdfError> {
        self.pdf.with_pages(self.pages);
        let raw = PdfSaveOptions { optimize: false, ..PdfSaveOptions::default() };
        let mut doc = self.pdf.to_lopdf_document(&raw, &mut Vec::new());
        for object in doc.objects.values_mut() {
            if let lopdf::Object::Stream(stream) = object {
                deflate(stream);
            }
        }
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).map_err(|e| PdfError::Encode(e.to_string()))?;
        Ok(bytes)
    }
}

/// Deflates a stream that is not encoded yet, at a fast level (printpdf would use the slowest).
fn deflate(stream: &mut lopdf::Stream) {
    use std::io::Write;
    if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
        return;
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(LEVEL));
    let Ok(compressed) = encoder.write_all(&stream.content).and_then(|()| encoder.finish()) else {
        return;
    };
    if compressed.len() < stream.content.len() {
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(compressed);
    }
}
