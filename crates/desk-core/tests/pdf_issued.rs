//! An issued invoice, read back with pdftotext and zbarimg: every element CIVA art. 36 and Portaria 195/2020
//! ask for is on the page, and the QR code decodes to exactly desk-model's payload.

mod pdf_tools;

use desk_core::pdf::{self, specimen, CopyMark, RenderOptions};
use desk_model::msg::Lang;
use pdf_tools::{png, qr_codes, save, squash, text, workdir};

#[test]
fn pdf_an_issued_invoice_shows_every_mandatory_element() {
    let doc = specimen::issued(6, Lang::Pt, None).expect("specimen");
    let out = pdf::render(&doc, &RenderOptions::default()).expect("render");
    assert_eq!(out.pages, 1);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let dir = workdir();
    let t = squash(&text(&save(dir.path(), "ft.pdf", &out.bytes)));

    let expected = [
        // Issuer: name, NIF, address, share capital, registry.
        "Contas Certas — Contabilidade e Gestão, Lda.",
        "NIF 509442013",
        "Avenida da República, 101, 3.º Esq.",
        "1050-190 Lisboa",
        "Capital social 5.000,00 €",
        "Matrícula na CRC de Lisboa n.º 509442013",
        // Customer: name, NIF, address.
        "Padaria São João & Filhos, Unipessoal Lda.",
        "NIF 501964843",
        "Rua Conde de Ançã, 27",
        // Title, number, dates, copy mark.
        "Fatura",
        "FT 2026A/17",
        "Data 15/01/2026",
        "Vencimento 31/01/2026",
        "Original",
        // Lines: description, quantity, unit price, VAT, amount.
        "Consultoria fiscal — encerramento de contas",
        "12 65,00 23 % 780,00",
        "Formação profissional certificada em contabilidade",
        "1 480,00 [M07] 480,00",
        "Livro «Código do IVA anotado», edição 2026 2 34,90 6 % 69,80",
        "Licença anual de software de gestão, 3 postos 1 790,00 10 % 23 % 711,00",
        // Exemption legal text.
        "[M07] Isento artigo 9.º do CIVA",
        // Payment.
        "IBAN PT50 0002 0123 1234 5678 9015 4",
        "Pagar até 31/01/2026",
        // Fiscal marks.
        "ATCUD:JJ8XK2PM-17",
        "Ab9z-Processado por programa certificado n.º 2860/AT",
        "1 / 1",
    ];
    for e in expected {
        assert!(t.contains(e), "missing {e:?} in:\n{t}");
    }
    // VAT per rate with its amounts, and the totals, exactly as desk-model formatted them.
    for row in &doc.vat_summary {
        let line = format!("{} {} {}", row.rate, row.base, row.vat);
        assert!(t.contains(&line), "missing VAT row {line:?} in:\n{t}");
    }
    for total in &doc.totals {
        let line = format!("{} {}", total.label, total.amount);
        assert!(t.contains(&line), "missing total {line:?} in:\n{t}");
    }
}

#[test]
fn pdf_the_qr_code_decodes_to_the_payload_desk_model_built() {
    let doc = specimen::issued(6, Lang::Pt, None).expect("specimen");
    let payload = doc.fiscal.as_ref().map(|f| f.qr_payload.clone()).expect("issued");
    let out = pdf::render(&doc, &RenderOptions::default()).expect("render");
    let dir = workdir();
    let file = save(dir.path(), "ft.pdf", &out.bytes);
    let image = png(&file, 1, 300, dir.path(), "page1");
    assert_eq!(qr_codes(&image), vec![payload]);
}

#[test]
fn pdf_copy_marks_and_the_english_layout() {
    let doc = specimen::issued(3, Lang::En, None).expect("specimen");
    let options = RenderOptions { copy: CopyMark::Duplicate, ..RenderOptions::default() };
    let out = pdf::render(&doc, &options).expect("render");
    let dir = workdir();
    let t = squash(&text(&save(dir.path(), "ft-en.pdf", &out.bytes)));
    for e in ["Invoice", "Duplicate", "Date 2026-01-15", "Description", "VAT summary", "Pay by 2026-01-31", "ATCUD:"] {
        assert!(t.contains(e), "missing {e:?} in:\n{t}");
    }
    assert!(!t.contains("Original"), "{t}");
}
