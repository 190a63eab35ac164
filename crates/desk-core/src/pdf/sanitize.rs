//! Makes every string of a document drawable before layout: characters the embedded font has no glyph for
//! (emoji, rare scripts) become `?` and control characters become spaces, with one warning per field that
//! changed, so the user learns what the PDF does not show as typed.

use super::error::{RenderWarning, WarningKind};
use super::fonts::Fonts;
use desk_model::msg::Localized;
use desk_model::print::PrintDocument;
use std::borrow::Cow;

/// The part of the document a string belongs to, for the warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Issuer,
    Customer,
    Heading,
    References,
    Lines,
    Summary,
    Payment,
    Notes,
}

impl Field {
    /// The subject and verb of the warning ("Os dados do cliente têm").
    fn name(self) -> (&'static str, &'static str) {
        match self {
            Field::Issuer => ("Os dados do emitente têm", "The issuer's details have"),
            Field::Customer => ("Os dados do cliente têm", "The customer's details have"),
            Field::Heading => ("O cabeçalho tem", "The heading has"),
            Field::References => ("As referências têm", "The references have"),
            Field::Lines => ("As linhas têm", "The lines have"),
            Field::Summary => ("O resumo e os totais têm", "The summary and totals have"),
            Field::Payment => ("Os dados de pagamento têm", "The payment details have"),
            Field::Notes => ("As observações têm", "The notes have"),
        }
    }

    /// Fields whose line breaks are meaningful (they are wrapped, not drawn on one line).
    fn multiline(self) -> bool {
        matches!(self, Field::Lines | Field::Notes)
    }
}

/// Calls `$f(field, string)` for every string the renderer draws; `mut` gives mutable access.
macro_rules! each_string {
    ($d:expr, $f:expr $(, $m:tt)?) => {{
        let f = &mut $f;
        for (field, party) in [(Field::Issuer, & $($m)? $d.issuer), (Field::Customer, & $($m)? $d.customer)] {
            f(field, & $($m)? party.name);
            f(field, & $($m)? party.tax_line);
            for s in & $($m)? party.address_lines { f(field, s); }
            for s in & $($m)? party.legal_lines { f(field, s); }
        }
        f(Field::Heading, & $($m)? $d.title);
        f(Field::Heading, & $($m)? $d.number);
        f(Field::Heading, & $($m)? $d.date);
        if let Some(s) = & $($m)? $d.subtitle { f(Field::Heading, s); }
        if let Some(s) = & $($m)? $d.due_date { f(Field::Heading, s); }
        if let Some(s) = & $($m)? $d.supply_date { f(Field::Heading, s); }
        for s in & $($m)? $d.mentions { f(Field::Payment, s); }
        for s in & $($m)? $d.references { f(Field::References, s); }
        for l in & $($m)? $d.lines {
            f(Field::Lines, & $($m)? l.description);
            f(Field::Lines, & $($m)? l.quantity);
            f(Field::Lines, & $($m)? l.unit_price);
            f(Field::Lines, & $($m)? l.discount);
            f(Field::Lines, & $($m)? l.tax);
            f(Field::Lines, & $($m)? l.amount);
        }
        for s in & $($m)? $d.running_totals { f(Field::Lines, s); }
        for r in & $($m)? $d.vat_summary {
            f(Field::Summary, & $($m)? r.zone);
            f(Field::Summary, & $($m)? r.rate);
            f(Field::Summary, & $($m)? r.base);
            f(Field::Summary, & $($m)? r.vat);
            if let Some(s) = & $($m)? r.exemption { f(Field::Summary, s); }
        }
        for t in & $($m)? $d.totals {
            f(Field::Summary, & $($m)? t.label);
            f(Field::Summary, & $($m)? t.amount);
        }
        for s in & $($m)? $d.payment { f(Field::Payment, s); }
        if let Some(s) = & $($m)? $d.notes { f(Field::Notes, s); }
    }};
}

fn drawable(fonts: &Fonts, field: Field, c: char) -> bool {
    if c.is_control() {
        return field.multiline() && c == '\n';
    }
    fonts.has(c)
}

/// The document with every string drawable, and the warnings for what had to change.
pub(crate) fn sanitize<'d>(doc: &'d PrintDocument, fonts: &Fonts) -> (Cow<'d, PrintDocument>, Vec<RenderWarning>) {
    let mut clean = true;
    each_string!(doc, |field: Field, s: &String| {
        clean &= s.chars().all(|c| drawable(fonts, field, c));
    });
    if clean {
        return (Cow::Borrowed(doc), Vec::new());
    }
    let mut doc = doc.clone();
    let mut lost: Vec<(Field, String)> = Vec::new();
    each_string!(
        doc,
        |field: Field, s: &mut String| {
            if s.chars().all(|c| drawable(fonts, field, c)) {
                return;
            }
            let mut fixed = String::with_capacity(s.len());
            for c in s.chars() {
                match c {
                    c if drawable(fonts, field, c) => fixed.push(c),
                    '\t' | '\n' | '\r' => fixed.push(' '),
                    c if c.is_control() => {}
                    // Variation selectors and joiners only shape the emoji before them: drop them silently.
                    '\u{FE00}'..='\u{FE0F}' | '\u{200D}' => {}
                    c => {
                        fixed.push('?');
                        let i = lost.iter().position(|(f, _)| *f == field).unwrap_or_else(|| {
                            lost.push((field, String::new()));
                            lost.len() - 1
                        });
                        let chars = &mut lost[i].1;
                        if !chars.contains(c) && chars.chars().count() < 8 {
                            chars.push(c);
                        }
                    }
                }
            }
            *s = fixed;
        },
        mut
    );
    let warnings = lost
        .into_iter()
        .map(|(field, chars)| {
            let (pt, en) = field.name();
            RenderWarning {
                kind: WarningKind::MissingGlyphs,
                message: Localized::new(
                    format!(
                        "{pt} caracteres que o tipo de letra do PDF não consegue desenhar ({chars}); foram \
                         substituídos por «?». Se forem importantes, escreva-os por extenso."
                    ),
                    format!(
                        "{en} characters the PDF font cannot draw ({chars}); they were replaced by “?”. If \
                         they matter, spell them out in words."
                    ),
                ),
            }
        })
        .collect();
    (Cow::Owned(doc), warnings)
}
