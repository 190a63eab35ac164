//! A report's table as a PDF (issue 17): a title, a subtitle (the period), the header row and the rows, numbers
//! right-aligned in the language's format, page after page with the header repeated. The sheet's text is drawn
//! with the documents' fonts; a character they lack prints as `?`.

use super::canvas::{Canvas, Ink, Style, PAGE_H, PAGE_W};
use super::error::PdfError;
use super::session::Session;
use crate::export::{Cell, Sheet};
use desk_model::money::format::format_decimal;
use desk_model::msg::Lang;

const MARGIN: f32 = 14.0;
const ROW: f32 = 5.2;
const SIZE: f32 = 7.5;

fn cell_text(c: &Cell, lang: Lang) -> String {
    match c {
        Cell::Number(d, dp) => format_decimal(*d, lang, *dp, (*dp).max(2)),
        Cell::Date(d) if lang == Lang::Pt => d.format("%d/%m/%Y").to_string(),
        other => crate::export::csv_text(other, lang),
    }
}

/// The PDF of a sheet.
pub fn render(sheet: &Sheet, subtitle: &str, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let mut session = Session::new(&sheet.name, None)?;
    session.add_pages(|fonts, ids| {
        let clean = |s: &str| -> String { s.chars().map(|c| if fonts.has(c) { c } else { '?' }).collect() };
        let texts: Vec<Vec<String>> =
            sheet.rows.iter().map(|r| r.iter().map(|c| clean(&cell_text(c, lang))).collect()).collect();
        let headers: Vec<String> = sheet.headers.iter().map(|h| clean(h)).collect();
        let numeric: Vec<bool> = (0..headers.len())
            .map(|i| sheet.rows.iter().any(|r| matches!(r.get(i), Some(Cell::Number(..) | Cell::Int(_)))))
            .collect();
        // each column as wide as its widest text, then scaled to the page
        let probe = Canvas::new(fonts, ids);
        let mut widths: Vec<f32> = headers.iter().map(|h| probe.width(Style::bold(SIZE), h) + 3.0).collect();
        for row in &texts {
            for (i, t) in row.iter().enumerate().take(widths.len()) {
                widths[i] = widths[i].max(probe.width(Style::plain(SIZE), t) + 3.0);
            }
        }
        let total: f32 = widths.iter().sum();
        let room = PAGE_W - 2.0 * MARGIN;
        if total > room {
            widths.iter_mut().for_each(|w| *w *= room / total);
        }
        let per_page = ((PAGE_H - 2.0 * MARGIN - 24.0) / ROW).floor().max(1.0) as usize;
        let chunks: Vec<&[Vec<String>]> =
            if texts.is_empty() { vec![&[][..]] } else { texts.chunks(per_page).collect() };
        let pages = chunks.len();
        let mut out = Vec::with_capacity(pages);
        for (p, chunk) in chunks.into_iter().enumerate() {
            let mut c = Canvas::new(fonts, ids);
            c.text(MARGIN, MARGIN + 6.0, Style::bold(13.0).ink(Ink::Accent), &clean(&sheet.name));
            c.text(MARGIN, MARGIN + 12.0, Style::plain(8.5).ink(Ink::Muted), &clean(subtitle));
            c.text_right(
                PAGE_W - MARGIN,
                MARGIN + 12.0,
                Style::plain(7.5).ink(Ink::Muted),
                &format!("{}/{pages}", p + 1),
            );
            let mut y = MARGIN + 22.0;
            c.fill(MARGIN, y - 3.8, room.min(widths.iter().sum()), ROW, Ink::Shade);
            let mut x = MARGIN;
            for (i, h) in headers.iter().enumerate() {
                if numeric[i] {
                    c.text_right(x + widths[i] - 1.5, y, Style::bold(SIZE), h);
                } else {
                    c.text(x + 1.0, y, Style::bold(SIZE), h);
                }
                x += widths[i];
            }
            for row in chunk {
                y += ROW;
                let mut x = MARGIN;
                for (i, t) in row.iter().enumerate().take(widths.len()) {
                    if numeric[i] {
                        c.text_right(x + widths[i] - 1.5, y, Style::plain(SIZE), t);
                    } else {
                        c.text(x + 1.0, y, Style::plain(SIZE), t);
                    }
                    x += widths[i];
                }
                c.rule(MARGIN, MARGIN + widths.iter().sum::<f32>(), y + 1.4, 0.2, Ink::Hairline);
            }
            out.push(c.into_ops());
        }
        out
    });
    session.finish()
}
