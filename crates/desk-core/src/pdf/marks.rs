//! What every page carries: the footer (issuer, certification phrase, "x / y"), the ATCUD on pages without
//! the QR code, and the diagonal "RASCUNHO" watermark of drafts.

use super::canvas::{Canvas, Ink, Style, PAGE_H, PAGE_W};
use super::compose::Ctx;
use super::geometry::{ATCUD_BASELINE, FOOTER_LINE_1, FOOTER_LINE_2, FOOTER_RULE, LEFT, RIGHT};

/// Draws the footer of page `page` of `pages`; `has_qr` says the ATCUD is already above the QR code.
pub(crate) fn footer(c: &mut Canvas<'_>, ctx: &Ctx<'_>, page: usize, pages: usize, has_qr: bool) {
    let d = ctx.doc;
    if let (Some(fiscal), false) = (&d.fiscal, has_qr) {
        c.text(LEFT, ATCUD_BASELINE, Style::bold(8.5), &fiscal.atcud);
    }
    c.rule(LEFT, RIGHT, FOOTER_RULE, 0.5, Ink::Hairline);
    let muted = Style::plain(7.0).ink(Ink::Muted);
    c.text(LEFT, FOOTER_LINE_1, muted, &format!("{} · {}", d.issuer.name, d.issuer.tax_line));
    c.text_right(RIGHT, FOOTER_LINE_1, Style::bold(8.0), &format!("{page} / {pages}"));
    let heading = format!("{} {}", d.title, d.number);
    c.text_right(RIGHT, FOOTER_LINE_2, muted, &heading);
    if let Some(fiscal) = &d.fiscal {
        c.text(LEFT, FOOTER_LINE_2, Style::plain(7.0), &fiscal.phrase);
    }
}

/// The draft watermark across the page, from lower left to upper right, under everything else.
pub(crate) fn watermark(c: &mut Canvas<'_>, text: &str) {
    const ANGLE: f32 = 50.0;
    const LENGTH: f32 = 270.0;
    let at_one = c.width(Style::bold(1.0), text);
    if at_one <= 0.0 {
        return;
    }
    let size = (LENGTH / at_one).min(48.0);
    let w = at_one * size;
    let (sin, cos) = ANGLE.to_radians().sin_cos();
    // Centre the text on the page centre, also across its height (cap height ≈ 0.72 em).
    let half_h = size * 0.3528 * 0.36;
    let x = PAGE_W / 2.0 - w / 2.0 * cos + half_h * sin;
    let y = PAGE_H / 2.0 + w / 2.0 * sin + half_h * cos;
    c.text_rotated(x, y, ANGLE, Style::bold(size).ink(Ink::Watermark), text);
}
