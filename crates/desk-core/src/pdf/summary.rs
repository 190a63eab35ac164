//! The closing block of the last page: the VAT summary per rate with the exemption reasons' legal text, the
//! totals, then the fiscal corner (ATCUD above the QR code, issued documents only) beside the payment details
//! and the notes.

use super::canvas::{Canvas, Ink, Style};
use super::compose::Ctx;
use super::geometry::{baseline, LEFT, RIGHT};
use super::qr;
use super::wrap::wrap;

const VAT_RIGHT: f32 = 118.0;
const TOTALS_LEFT: f32 = 128.0;
/// The QR code's side (the spec asks at least 30 mm).
pub(crate) const QR_SIZE: f32 = 31.0;

/// Draws the block from `y`; returns its bottom. Drawing on a scratch canvas measures it.
pub(crate) fn draw(c: &mut Canvas<'_>, ctx: &Ctx<'_>, y: f32) -> f32 {
    let vat_bottom = vat_summary(c, ctx, y);
    let totals_bottom = totals(c, ctx, y);
    let y = vat_bottom.max(totals_bottom) + 6.0;
    let mut text_left = LEFT;
    let mut qr_bottom = y;
    if let (Some(fiscal), Some(code)) = (&ctx.doc.fiscal, &ctx.qr) {
        // ATCUD immediately above the QR code, the quiet zone kept clear around the code.
        let b = baseline(y, 8.5);
        c.text(LEFT, b, Style::bold(8.5), &fiscal.atcud);
        let qr_top = b + 1.5 + qr::QUIET_MM;
        qr::draw(c, code, LEFT + qr::QUIET_MM, qr_top, QR_SIZE);
        qr_bottom = qr_top + QR_SIZE + qr::QUIET_MM;
        text_left = LEFT + QR_SIZE + 2.0 * qr::QUIET_MM + 6.0;
    }
    let text_bottom = payment_and_notes(c, ctx, text_left, y);
    qr_bottom.max(text_bottom)
}

fn vat_summary(c: &mut Canvas<'_>, ctx: &Ctx<'_>, top: f32) -> f32 {
    let d = ctx.doc;
    let l = &d.labels;
    if d.vat_summary.is_empty() {
        return top;
    }
    let mut y = top;
    c.text(LEFT, baseline(y, 9.0), Style::bold(9.0).ink(Ink::Accent), &l.vat_summary);
    y += 5.0;
    c.fill(LEFT, y, VAT_RIGHT - LEFT, 5.0, Ink::Shade);
    let head = Style::bold(7.5).ink(Ink::Accent);
    let hb = baseline(y + 1.3, 7.5);
    c.text(LEFT + 1.0, hb, head, &l.rate);
    c.text_right(92.0, hb, head, &l.base);
    c.text_right(VAT_RIGHT - 1.0, hb, head, &l.vat);
    y += 5.0;
    let several_zones = d.vat_summary.iter().any(|r| r.zone != d.vat_summary[0].zone);
    let body = Style::plain(8.0);
    for r in &d.vat_summary {
        let b = baseline(y + 1.2, 8.0);
        let rate = if several_zones { format!("{} ({})", r.rate, r.zone) } else { r.rate.clone() };
        c.text(LEFT + 1.0, b, body, &rate);
        c.text_right(92.0, b, body, &r.base);
        c.text_right(VAT_RIGHT - 1.0, b, body, &r.vat);
        y += 4.6;
        c.rule(LEFT, VAT_RIGHT, y, 0.3, Ink::Hairline);
    }
    let exemptions: Vec<&String> = d.vat_summary.iter().filter_map(|r| r.exemption.as_ref()).collect();
    if !exemptions.is_empty() {
        y += 4.0;
        c.text(LEFT, y, Style::bold(7.5).ink(Ink::Muted), &l.exemption);
        for e in exemptions {
            for line in wrap(c.fonts().face(false), e, 7.5, VAT_RIGHT - LEFT) {
                y += 3.4;
                c.text(LEFT, y, Style::plain(7.5), &line);
            }
        }
    }
    y + 1.0
}

fn totals(c: &mut Canvas<'_>, ctx: &Ctx<'_>, top: f32) -> f32 {
    let all = &ctx.doc.totals;
    let Some((grand, rest)) = all.split_last() else {
        return top;
    };
    let mut y = top + 1.0;
    for t in rest {
        y += 4.6;
        c.text(TOTALS_LEFT + 2.0, y, Style::plain(8.5).ink(Ink::Muted), &t.label);
        c.text_right(RIGHT - 1.0, y, Style::plain(8.5), &t.amount);
    }
    y += 2.5;
    c.fill(TOTALS_LEFT, y, RIGHT - TOTALS_LEFT, 8.0, Ink::Accent);
    let b = baseline(y + 2.2, 11.0);
    let white = Style::bold(11.0).ink(Ink::Shade);
    c.text(TOTALS_LEFT + 2.0, b, white, &grand.label);
    c.text_right(RIGHT - 1.0, b, white, &grand.amount);
    y + 8.0
}

fn payment_and_notes(c: &mut Canvas<'_>, ctx: &Ctx<'_>, left: f32, top: f32) -> f32 {
    let d = ctx.doc;
    let width = RIGHT - left;
    let mut y = top;
    // Regime mentions the law requires ("IVA – regime de caixa"), in bold before the payment details.
    for m in &d.mentions {
        for line in wrap(c.fonts().face(true), m, 8.5, width) {
            y += 4.0;
            c.text(left, y, Style::bold(8.5), &line);
        }
    }
    if !d.mentions.is_empty() {
        y += 2.0;
    }
    if !d.payment.is_empty() {
        c.text(left, baseline(y, 8.5), Style::bold(8.5).ink(Ink::Accent), &d.labels.payment);
        y = baseline(y, 8.5);
        for p in &d.payment {
            for line in wrap(c.fonts().face(false), p, 8.5, width) {
                y += 4.0;
                c.text(left, y, Style::plain(8.5), &line);
            }
        }
        y += 4.0;
    }
    if !ctx.notes.is_empty() {
        c.text(left, baseline(y, 8.5), Style::bold(8.5).ink(Ink::Accent), &d.labels.notes);
        y = baseline(y, 8.5);
        for line in &ctx.notes {
            y += 3.6;
            c.text(left, y, Style::plain(8.0), line);
        }
        y += 2.0;
    }
    y
}

/// The width notes wrap to (beside the QR code on issued documents).
pub(crate) fn notes_width(issued: bool) -> f32 {
    if issued {
        RIGHT - (LEFT + QR_SIZE + 2.0 * qr::QUIET_MM + 6.0)
    } else {
        RIGHT - LEFT
    }
}
