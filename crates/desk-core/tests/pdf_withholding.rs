//! An invoice with IRS withholding (CIRS art. 101), read back with pdftotext and zbarimg: the withholding is
//! shown after the total with the amount payable (Despacho 8632/2014 §2.2.7), and the QR code's P field carries
//! it while O stays the gross total. The figures are worked out by hand in `specimen::withholding`.

mod pdf_tools;

use desk_core::pdf::{self, specimen, RenderOptions};
use desk_model::msg::Lang;
use pdf_tools::{png, qr_codes, save, squash, text, workdir};

#[test]
fn pdf_an_invoice_with_withholding_shows_it_and_the_amount_payable() {
    let doc = specimen::withholding(Lang::Pt).expect("specimen");
    let out = pdf::render(&doc, &RenderOptions::default()).expect("render");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let dir = workdir();
    let file = save(dir.path(), "ft-withholding.pdf", &out.bytes);
    let t = squash(&text(&file));
    for present in [
        "Total sem IVA 865,50 €",
        "IVA 199,07 €",
        "Total 1.064,57 €",
        "Retenção na fonte (23 %) 179,40 €",
        "Total a pagar 885,17 €",
        "FT 2026A/18",
    ] {
        assert!(t.contains(present), "missing {present:?} in:\n{t}");
    }
    // The withholding comes after the total, the amount payable last.
    let (total, withheld, payable) =
        (t.find("Total 1.064,57 €"), t.find("Retenção na fonte"), t.find("Total a pagar 885,17 €"));
    assert!(total < withheld && withheld < payable, "order: {total:?} {withheld:?} {payable:?}");
    let codes = qr_codes(&png(&file, 1, 200, dir.path(), "p1"));
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert!(codes[0].contains("*N:199.07*O:1064.57*P:179.40*Q:Xq7T*"), "{}", codes[0]);
    // In English too.
    let en =
        pdf::render(&specimen::withholding(Lang::En).expect("specimen"), &RenderOptions::default()).expect("render");
    let t = squash(&text(&save(dir.path(), "ft-withholding-en.pdf", &en.bytes)));
    assert!(t.contains("Withholding tax (23%) €179.40") && t.contains("Amount payable €885.17"), "{t}");
}
