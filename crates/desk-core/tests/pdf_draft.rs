//! A draft carries the "RASCUNHO" watermark on every page and none of the fiscal marks: no ATCUD, no
//! certification phrase, no series number, no QR code, no copy marking.

mod pdf_tools;

use desk_core::pdf::{self, specimen, RenderOptions};
use desk_model::msg::Lang;
use pdf_tools::{pages_text, png, qr_codes, run, save, squash, workdir};

#[test]
fn pdf_a_draft_is_watermarked_and_carries_no_fiscal_marks() {
    let doc = specimen::draft(60, Lang::Pt).expect("specimen");
    let out = pdf::render(&doc, &RenderOptions::default()).expect("render");
    assert!(out.pages >= 2, "60 lines fit on {} page(s)", out.pages);
    let dir = workdir();
    let file = save(dir.path(), "draft.pdf", &out.bytes);
    let pages = pages_text(&file);
    for (i, page) in pages.iter().enumerate() {
        // The watermark is set diagonally, so pdftotext spaces its letters out: compare without blanks.
        let letters: String = page.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(letters.contains("RASCUNHO—Estedocumentonãoservedefatura"), "page {} has no watermark:\n{page}", i + 1);
    }
    let all = squash(&pages.join("\n"));
    // Nor payment instructions: a draft with an IBAN and a due date would be a de facto pro-forma (fiscal-review
    // M6), so the specimen's bank details and due date are left out.
    for absent in [
        "ATCUD",
        "Processado por programa certificado",
        "2860/AT",
        "FT 2026A",
        "2026A/",
        "Original",
        "IBAN",
        "PT50",
        "Pagar até",
        "Vencimento",
        "Transferência bancária",
    ] {
        assert!(!all.contains(absent), "a draft shows {absent:?}:\n{all}");
    }
    for present in ["Rascunho interno", "Rascunho 0197f3a2-5c1e", "A emitir como: Fatura", "Resumo do IVA"] {
        assert!(all.contains(present), "missing {present:?}");
    }
    // No QR code, and no image at all (the QR would be vector squares, so decode the pages too).
    let images = run("pdfimages", &["-list", file.to_str().expect("utf-8 path")]);
    assert_eq!(images.lines().count(), 2, "a draft embeds no image:\n{images}");
    for p in 1..=pages.len() {
        assert!(qr_codes(&png(&file, p, 200, dir.path(), &format!("p{p}"))).is_empty(), "QR on page {p}");
    }
}
