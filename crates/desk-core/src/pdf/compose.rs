//! Lays one document out into pages: first-page header, the lines table flowing over as many pages as it
//! needs (carrying the running total from desk-model across each break), the closing summary on the last
//! page, then the footers once the page count is known.

use super::canvas::{Canvas, FontIds};
use super::error::{PdfError, RenderWarning, WarningKind};
use super::fonts::Fonts;
use super::geometry::{CARRY_ROW, CONTENT_BOTTOM, ROW_LINE, ROW_PAD};
use super::table::{self, Head};
use super::{header, marks, qr, summary, wrap, CopyMark};
use desk_model::msg::Localized;
use desk_model::print::PrintDocument;
use printpdf::{Op, XObjectId};

/// Notes longer than this many lines are cut (they would push the totals off the page).
const MAX_NOTE_LINES: usize = 24;

/// A logo already added to the PDF.
pub(crate) struct PlacedLogo {
    pub id: XObjectId,
    pub px: (usize, usize),
}

/// What every part of the layout reads.
pub(crate) struct Ctx<'a> {
    pub doc: &'a PrintDocument,
    pub logo: Option<&'a PlacedLogo>,
    /// "Original", "Duplicado"…: issued documents only.
    pub copy: Option<&'static str>,
    /// The QR matrix: issued documents only.
    pub qr: Option<qr::Matrix>,
    /// The notes, wrapped (and cut, if too long).
    pub notes: Vec<String>,
}

/// The operations of each page of `doc`.
pub(crate) fn pages(
    doc: &PrintDocument,
    fonts: &Fonts,
    ids: &FontIds,
    logo: Option<&PlacedLogo>,
    copy: CopyMark,
    warnings: &mut Vec<RenderWarning>,
) -> Result<Vec<Vec<Op>>, PdfError> {
    let qr = match &doc.fiscal {
        Some(f) => {
            Some(qr::matrix(&f.qr_payload).map_err(|reason| PdfError::Qr { number: doc.number.clone(), reason })?)
        }
        None => None,
    };
    let copy = doc.fiscal.as_ref().and_then(|_| copy.label(doc.lang));
    let notes = notes(doc, fonts, warnings);
    let ctx = Ctx { doc, logo, copy, qr, notes };
    let mut flow = Flow { ctx: &ctx, fonts, ids, done: Vec::new(), page: Canvas::new(fonts, ids), y: 0.0 };
    flow.start_page(true);
    let head = Head::new(&flow.page, doc);
    flow.y = head.draw(&mut flow.page, flow.y);

    let limit = CONTENT_BOTTOM - CARRY_ROW;
    let fresh_room = lines_between(flow.fresh_table_top(&head), limit);
    let mut carried: Option<&str> = None;
    for (i, line) in doc.lines.iter().enumerate() {
        let desc = table::wrap_description(&flow.page, line);
        let mut from = 0;
        while from < desc.len() {
            let first = from == 0;
            let rest = &desc[from..];
            let room = lines_between(flow.y, limit);
            let take = if rest.len() <= room {
                rest.len()
            } else if room == 0 || (first && desc.len() <= fresh_room) {
                0 // the row moves whole to the next page
            } else {
                room // a row taller than a page: split it
            };
            if take > 0 {
                flow.y = table::draw_part(&mut flow.page, line, &rest[..take], first, flow.y);
                from += take;
                if first {
                    carried = doc.running_totals.get(i).map(String::as_str);
                }
            }
            if from < desc.len() {
                flow.break_page(Some(&head), carried);
            }
        }
    }

    // The closing block goes where it fits whole, else on a page of its own (with the carried total).
    flow.y += 5.0;
    let needed = summary::draw(&mut Canvas::new(fonts, ids), &ctx, 0.0);
    if flow.y + needed > CONTENT_BOTTOM {
        // No lines follow, so no column titles: just the carried total above the summary.
        flow.break_page(None, carried);
        flow.y += 3.0;
    }
    summary::draw(&mut flow.page, &ctx, flow.y);

    let Flow { mut done, page, .. } = flow;
    done.push(page);
    let total = done.len();
    Ok(done
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            let last = i + 1 == total;
            marks::footer(&mut c, &ctx, i + 1, total, last && ctx.qr.is_some());
            c.into_ops()
        })
        .collect())
}

/// How many description lines fit between `top` and `limit`.
fn lines_between(top: f32, limit: f32) -> usize {
    let room = (limit - top - 2.0 * ROW_PAD) / ROW_LINE;
    if room < 1.0 {
        0
    } else {
        room.floor() as usize
    }
}

/// The pages drawn so far and the one being drawn.
struct Flow<'c, 'f> {
    ctx: &'c Ctx<'c>,
    fonts: &'f Fonts,
    ids: &'f FontIds,
    done: Vec<Canvas<'f>>,
    page: Canvas<'f>,
    y: f32,
}

impl<'c, 'f> Flow<'c, 'f> {
    fn start_page(&mut self, first: bool) {
        if let Some(w) = &self.ctx.doc.watermark {
            marks::watermark(&mut self.page, w);
        }
        self.y = if first {
            header::first_page(&mut self.page, self.ctx)
        } else {
            header::continuation(&mut self.page, self.ctx)
        };
    }

    /// Where the table's first row starts on a continuation page.
    fn fresh_table_top(&self, head: &Head) -> f32 {
        let mut scratch = Canvas::new(self.fonts, self.ids);
        let y = header::continuation(&mut scratch, self.ctx);
        head.draw(&mut scratch, y) + CARRY_ROW
    }

    /// Closes the page with "A transportar" and opens the next with the header row (when lines follow) and
    /// "Transporte".
    fn break_page(&mut self, head: Option<&Head>, carried: Option<&str>) {
        let labels = &self.ctx.doc.labels;
        if let Some(amount) = carried {
            table::carry_row(&mut self.page, &labels.carried_forward, amount, self.y);
        }
        let full = std::mem::replace(&mut self.page, Canvas::new(self.fonts, self.ids));
        self.done.push(full);
        self.start_page(false);
        if let Some(head) = head {
            self.y = head.draw(&mut self.page, self.y);
        }
        if let Some(amount) = carried {
            self.y = table::carry_row(&mut self.page, &labels.brought_forward, amount, self.y);
        }
    }
}

fn notes(doc: &PrintDocument, fonts: &Fonts, warnings: &mut Vec<RenderWarning>) -> Vec<String> {
    let Some(text) = &doc.notes else { return Vec::new() };
    let mut lines = wrap::wrap(fonts.face(false), text, 8.0, summary::notes_width(doc.fiscal.is_some()));
    if lines.len() > MAX_NOTE_LINES {
        lines.truncate(MAX_NOTE_LINES);
        if let Some(last) = lines.last_mut() {
            last.push_str(" […]");
        }
        warnings.push(RenderWarning {
            kind: WarningKind::Truncated,
            message: Localized::new(
                format!(
                    "As observações foram cortadas às primeiras {MAX_NOTE_LINES} linhas para caberem na página. \
                     Encurte-as se o resto for importante."
                ),
                format!("The notes were cut to their first {MAX_NOTE_LINES} lines to fit the page. Shorten them if the rest matters."),
            ),
        });
    }
    lines
}
