//! The lines table: its shaded header row, the rows (descriptions wrapped inside their column; the figures on
//! the row's first line), and the "A transportar" / "Transporte" rows that carry the running total between
//! pages.

use super::canvas::{Canvas, Ink, Style};
use super::geometry::{baseline, Align, Column, COLUMNS, LEFT, RIGHT, ROW_LINE, ROW_PAD, ROW_SIZE};
use super::wrap::wrap;
use desk_model::print::{PrintDocument, PrintLine};

const HEAD_SIZE: f32 = 7.5;
const HEAD_LINE: f32 = 3.2;

/// The table's column titles, each wrapped to its column.
pub(crate) struct Head {
    titles: Vec<Vec<String>>,
    height: f32,
}

impl Head {
    /// Wraps the column titles of `doc`.
    pub fn new(c: &Canvas<'_>, doc: &PrintDocument) -> Head {
        let l = &doc.labels;
        let face = c.fonts().face(true);
        let titles: Vec<Vec<String>> = [&l.description, &l.quantity, &l.unit_price, &l.discount, &l.tax, &l.amount]
            .iter()
            .zip(COLUMNS)
            .map(|(t, col)| wrap(face, t, HEAD_SIZE, col.width() + 1.5))
            .collect();
        let lines = titles.iter().map(Vec::len).max().unwrap_or(1);
        Head { titles, height: lines as f32 * HEAD_LINE + 2.8 }
    }

    /// Draws the header row at `y`; returns its bottom.
    pub fn draw(&self, c: &mut Canvas<'_>, y: f32) -> f32 {
        c.fill(LEFT, y, RIGHT - LEFT, self.height, Ink::Shade);
        let style = Style::bold(HEAD_SIZE).ink(Ink::Accent);
        for (lines, col) in self.titles.iter().zip(COLUMNS) {
            // Bottom-align multi-line titles so single-line ones share the last baseline.
            let offset = (self.titles.iter().map(Vec::len).max().unwrap_or(1) - lines.len()) as f32 * HEAD_LINE;
            for (i, line) in lines.iter().enumerate() {
                let b = baseline(y + 1.4 + offset + i as f32 * HEAD_LINE, HEAD_SIZE);
                cell(c, col, b, style, line);
            }
        }
        y + self.height
    }
}

fn cell(c: &mut Canvas<'_>, col: Column, y: f32, style: Style, s: &str) {
    match col.align {
        Align::Left => c.text(col.anchor(), y, style, s),
        Align::Right => c.text_right(col.anchor(), y, style, s),
    }
}

/// The description of a line, wrapped to its column.
pub(crate) fn wrap_description(c: &Canvas<'_>, line: &PrintLine) -> Vec<String> {
    wrap(c.fonts().face(false), &line.description, ROW_SIZE, COLUMNS[0].width())
}

/// Height of a row part with `n` description lines.
pub(crate) fn part_height(n: usize) -> f32 {
    n.max(1) as f32 * ROW_LINE + 2.0 * ROW_PAD
}

/// Draws part of a row: `desc` are the description lines that go on this page; the figures only with the
/// first part. Returns the bottom.
pub(crate) fn draw_part(c: &mut Canvas<'_>, line: &PrintLine, desc: &[String], first: bool, y: f32) -> f32 {
    let style = Style::plain(ROW_SIZE);
    let top = y + ROW_PAD;
    for (i, text) in desc.iter().enumerate() {
        c.text(COLUMNS[0].anchor(), baseline(top + i as f32 * ROW_LINE, ROW_SIZE) + 0.4, style, text);
    }
    if first {
        let b = baseline(top, ROW_SIZE) + 0.4;
        let figures = [&line.quantity, &line.unit_price, &line.discount, &line.tax, &line.amount];
        for (text, col) in figures.into_iter().zip(&COLUMNS[1..]) {
            cell(c, *col, b, style, text);
        }
    }
    let bottom = y + part_height(desc.len());
    c.rule(LEFT, RIGHT, bottom, 0.3, Ink::Hairline);
    bottom
}

/// An "A transportar" / "Transporte" row: the caption and the running total, right-aligned and shaded.
pub(crate) fn carry_row(c: &mut Canvas<'_>, caption: &str, amount: &str, y: f32) -> f32 {
    let h = super::geometry::CARRY_ROW;
    let left = COLUMNS[3].left;
    c.fill(left, y + 0.8, RIGHT - left, h - 1.6, Ink::Shade);
    let b = baseline(y + 2.2, 8.5);
    c.text(left + 2.0, b, Style::bold(8.5).ink(Ink::Accent), caption);
    c.text_right(COLUMNS[5].anchor(), b, Style::bold(8.5), amount);
    y + h
}
