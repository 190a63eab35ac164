//! The top of the pages: on the first page the issuer (logo, name, NIF, address, share capital, registry), the
//! title with number and dates, and the customer box; on the following pages a one-band reminder of who,
//! what and which number (every page must show the document type and number).

use super::canvas::{Canvas, Ink, Style};
use super::compose::Ctx;
use super::geometry::{baseline, LEFT, RIGHT, TOP};
use super::logo::fit;
use super::wrap::wrap;

const LOGO_MAX_W: f32 = 55.0;
const LOGO_MAX_H: f32 = 20.0;
const CUSTOMER_LEFT: f32 = 112.0;
/// The issuer's lines may run under the title column's left part (the title block is narrow).
const ISSUER_WIDTH: f32 = 118.0;

/// Draws the first-page header; returns where the next block may start.
pub(crate) fn first_page(c: &mut Canvas<'_>, ctx: &Ctx<'_>) -> f32 {
    let issuer_bottom = issuer(c, ctx);
    let title_bottom = title(c, ctx);
    let customer_bottom = customer(c, ctx, title_bottom + 4.0);
    let mut y = issuer_bottom.max(customer_bottom) + 5.0;
    if !ctx.doc.references.is_empty() {
        let small = Style::plain(8.0);
        c.text(LEFT, y + 3.0, Style::bold(8.0).ink(Ink::Muted), &ctx.doc.labels.references);
        y += 3.0;
        for r in &ctx.doc.references {
            for line in wrap(c.fonts().face(false), r, 8.0, RIGHT - LEFT) {
                y += 3.8;
                c.text(LEFT, y, small, &line);
            }
        }
        y += 4.0;
    }
    y
}

fn issuer(c: &mut Canvas<'_>, ctx: &Ctx<'_>) -> f32 {
    let mut y = TOP;
    if let Some(logo) = ctx.logo {
        let (w, h) = fit(logo.px, LOGO_MAX_W, LOGO_MAX_H);
        c.image(&logo.id, LEFT, y, w, h, logo.px);
        y += h + 3.0;
    }
    let p = &ctx.doc.issuer;
    let name_style = Style::bold(11.0);
    for line in wrap(c.fonts().face(true), &p.name, 11.0, ISSUER_WIDTH) {
        y += 4.6;
        c.text(LEFT, y, name_style, &line);
    }
    let body = Style::plain(8.0);
    y += 4.0;
    c.text(LEFT, y, Style::bold(8.0), &p.tax_line);
    for line in &p.address_lines {
        y += 3.6;
        c.text(LEFT, y, body, line);
    }
    for line in &p.legal_lines {
        y += 3.6;
        c.text(LEFT, y, body.ink(Ink::Muted), line);
    }
    y + 2.0
}

/// Title, number, copy mark and dates, right-aligned; returns the bottom.
fn title(c: &mut Canvas<'_>, ctx: &Ctx<'_>) -> f32 {
    let d = ctx.doc;
    let mut y = TOP + 6.0;
    c.text_right(RIGHT, y, Style::bold(18.0).ink(Ink::Accent), &d.title);
    y += 7.0;
    c.text_right(RIGHT, y, Style::bold(12.0), &d.number);
    if let Some(sub) = &d.subtitle {
        y += 5.0;
        c.text_right(RIGHT, y, Style::plain(9.0).ink(Ink::Muted), sub);
    }
    if let Some(copy) = &ctx.copy {
        y += 5.0;
        c.text_right(RIGHT, y, Style::bold(8.5).ink(Ink::Accent), copy);
    }
    let label = Style::plain(8.5).ink(Ink::Muted);
    let value = Style::bold(8.5);
    let mut pairs = vec![(&d.labels.date, &d.date)];
    if let Some(due) = &d.due_date {
        pairs.push((&d.labels.due_date, due));
    }
    // CIVA art. 36 n.º 5 f): the date of supply when it is not the issue date.
    if let Some(supply) = &d.supply_date {
        pairs.push((&d.labels.supply_date, supply));
    }
    y += 1.0;
    for (l, v) in pairs {
        y += 4.2;
        let vw = c.width(value, v);
        c.text_right(RIGHT - vw - 2.5, y, label, l);
        c.text_right(RIGHT, y, value, v);
    }
    y
}

/// The customer box on the right; returns its bottom.
fn customer(c: &mut Canvas<'_>, ctx: &Ctx<'_>, top: f32) -> f32 {
    let p = &ctx.doc.customer;
    let inner = RIGHT - CUSTOMER_LEFT - 8.0;
    let x = CUSTOMER_LEFT + 4.0;
    let mut y = baseline(top + 3.0, 7.5);
    c.text(x, y, Style::bold(7.5).ink(Ink::Muted), &ctx.doc.labels.customer);
    for line in wrap(c.fonts().face(true), &p.name, 10.0, inner) {
        y += 4.6;
        c.text(x, y, Style::bold(10.0), &line);
    }
    y += 4.2;
    c.text(x, y, Style::plain(8.5), &p.tax_line);
    for line in &p.address_lines {
        for part in wrap(c.fonts().face(false), line, 8.5, inner) {
            y += 3.8;
            c.text(x, y, Style::plain(8.5), &part);
        }
    }
    let bottom = y + 3.5;
    c.fill(CUSTOMER_LEFT, top, 0.9, bottom - top, Ink::Accent);
    c.frame(CUSTOMER_LEFT, top, RIGHT - CUSTOMER_LEFT, bottom - top, 0.4, Ink::Hairline);
    bottom
}

/// The band at the top of the pages after the first; returns where the table starts.
pub(crate) fn continuation(c: &mut Canvas<'_>, ctx: &Ctx<'_>) -> f32 {
    let d = ctx.doc;
    let y = TOP + 4.0;
    c.text(LEFT, y, Style::bold(9.5), &d.issuer.name);
    c.text(LEFT, y + 4.2, Style::plain(8.0).ink(Ink::Muted), &d.issuer.tax_line);
    let heading = format!("{} {}", d.title, d.number);
    c.text_right(RIGHT, y, Style::bold(11.0).ink(Ink::Accent), &heading);
    let mut right = format!("{} {}", d.labels.date, d.date);
    if let Some(copy) = &ctx.copy {
        right = format!("{copy} · {right}");
    }
    c.text_right(RIGHT, y + 4.2, Style::plain(8.0).ink(Ink::Muted), &right);
    c.rule(LEFT, RIGHT, y + 7.5, 0.8, Ink::Accent);
    y + 12.0
}
