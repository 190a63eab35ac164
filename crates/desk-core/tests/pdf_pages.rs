//! A 200-line invoice flows over several pages: every page but the last ends with "A transportar" and the
//! next starts with "Transporte", both equal to desk-model's running total after the last line of the page;
//! every page says "x / y", its number and the ATCUD; the totals and the QR code only on the last page.

mod pdf_tools;

use desk_core::pdf::{self, specimen, RenderOptions};
use desk_model::msg::Lang;
use pdf_tools::{pages_text, png, qr_codes, save, squash, workdir};

/// The amount after `caption` on the page, e.g. "A transportar 12.345,67 €" → "12.345,67 €".
fn amount_after(page: &str, caption: &str) -> Option<String> {
    let line = page.lines().find(|l| l.contains(caption))?;
    let rest = &line[line.find(caption)? + caption.len()..];
    Some(squash(rest))
}

/// The highest "(n)" line marker on the page: the specimen numbers its descriptions when it has many lines.
fn last_line_number(page: &str) -> Option<usize> {
    page.match_indices('(')
        .filter_map(|(i, _)| {
            let tail = &page[i + 1..];
            let end = tail.find(')')?;
            tail[..end].parse::<usize>().ok()
        })
        .max()
}

#[test]
fn pdf_two_hundred_lines_carry_their_totals_across_pages() {
    let doc = specimen::issued(200, Lang::Pt, None).expect("specimen");
    let out = pdf::render(&doc, &RenderOptions::default()).expect("render");
    assert!(out.pages >= 4, "200 lines on {} pages", out.pages);
    let dir = workdir();
    let file = save(dir.path(), "ft-200.pdf", &out.bytes);
    let pages = pages_text(&file);
    assert_eq!(pages.len(), out.pages);
    let n = pages.len();

    for (i, page) in pages.iter().enumerate() {
        let flat = squash(page);
        assert!(flat.contains(&format!("{} / {n}", i + 1)), "page {} has no page label:\n{flat}", i + 1);
        assert!(flat.contains("FT 2026A/17"), "page {} lacks the number", i + 1);
        assert!(flat.contains("ATCUD:JJ8XK2PM-17"), "page {} lacks the ATCUD", i + 1);
        assert!(flat.contains("Processado por programa certificado n.º 2860/AT"), "page {}", i + 1);
        let last = i + 1 == n;
        assert_eq!(flat.contains("Resumo do IVA"), last, "VAT summary only on the last page ({})", i + 1);
        if last {
            assert!(amount_after(page, "A transportar").is_none());
            continue;
        }
        let carried = amount_after(page, "A transportar").unwrap_or_else(|| panic!("page {} ends without it", i + 1));
        let brought =
            amount_after(&pages[i + 1], "Transporte").unwrap_or_else(|| panic!("page {} starts without it", i + 2));
        assert_eq!(carried, brought, "page {} → {}", i + 1, i + 2);
        let k = last_line_number(page).expect("line markers");
        assert_eq!(carried, doc.running_totals[k - 1], "carried total after line {k} (page {})", i + 1);
    }
    // The last page shows the document total, the QR only there.
    let total = doc.totals.last().map(|t| t.amount.clone()).expect("total");
    assert!(squash(&pages[n - 1]).contains(&format!("Total {total}")));
    let payload = doc.fiscal.as_ref().map(|f| f.qr_payload.clone()).expect("issued");
    assert_eq!(qr_codes(&png(&file, n, 300, dir.path(), "last")), vec![payload]);
    assert!(qr_codes(&png(&file, 1, 150, dir.path(), "first")).is_empty());
}
