//! Bad input never stops the PDF: a missing or corrupt logo is left out, an emoji the font lacks becomes
//! "?", a 5 000-character description wraps across pages, over-long notes are cut; each time with a warning
//! in pt-PT and English where something was left out or changed.

mod pdf_tools;

use desk_core::pdf::{self, specimen, Logo, RenderOptions, WarningKind};
use desk_model::msg::Lang;
use pdf_tools::{pages_text, save, squash, text, workdir};

#[test]
fn pdf_a_missing_logo_file_is_left_out_with_a_warning() {
    let doc = specimen::issued(3, Lang::Pt, None).expect("specimen");
    let dir = workdir();
    let options = RenderOptions { logo: Some(Logo::Path(dir.path().join("nao-existe.png"))), ..Default::default() };
    let out = pdf::render(&doc, &options).expect("renders without the logo");
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    let w = &out.warnings[0];
    assert_eq!(w.kind, WarningKind::Logo);
    assert!(w.message.pt.contains("O logótipo não foi incluído") && w.message.pt.contains("nao-existe.png"));
    assert!(w.message.en.contains("Choose a valid PNG or JPEG"));
    assert!(squash(&text(&save(dir.path(), "a.pdf", &out.bytes))).contains("FT 2026A/17"));
}

#[test]
fn pdf_a_corrupt_logo_is_left_out_with_a_warning() {
    let doc = specimen::issued(3, Lang::Pt, None).expect("specimen");
    let mut not_png = b"\x89PNG\r\n\x1a\n".to_vec();
    not_png.extend_from_slice(&[0u8; 40]);
    for bytes in [not_png, b"GIF89a? not really".to_vec(), Vec::new()] {
        let options = RenderOptions { logo: Some(Logo::Bytes(bytes)), ..Default::default() };
        let out = pdf::render(&doc, &options).expect("renders without the logo");
        assert_eq!(out.warnings.iter().map(|w| w.kind).collect::<Vec<_>>(), [WarningKind::Logo]);
        assert!(out.warnings[0].message.pt.contains("não é uma imagem PNG ou JPEG legível"));
    }
}

#[test]
fn pdf_a_good_logo_is_embedded_without_warnings() {
    let doc = specimen::issued(3, Lang::Pt, None).expect("specimen");
    let options = RenderOptions { logo: Some(Logo::Bytes(specimen::LOGO_PNG.to_vec())), ..Default::default() };
    let out = pdf::render(&doc, &options).expect("render");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let dir = workdir();
    let file = save(dir.path(), "logo.pdf", &out.bytes);
    let list = pdf_tools::run("pdfimages", &["-list", file.to_str().expect("utf-8")]);
    assert!(list.lines().skip(2).any(|l| l.contains(" image ")), "the logo is embedded:\n{list}");
}

#[test]
fn pdf_an_emoji_the_font_lacks_is_replaced_and_reported() {
    let mut customer = specimen::customer();
    // DejaVu Sans draws 😀 (its Emoticons block) but has no rocket.
    customer.name = "Café Estrela 😀 🚀 Lda".into();
    let doc = specimen::issued(3, Lang::Pt, Some(customer)).expect("specimen");
    let out = pdf::render(&doc, &RenderOptions::default()).expect("render");
    let missing: Vec<_> = out.warnings.iter().filter(|w| w.kind == WarningKind::MissingGlyphs).collect();
    assert_eq!(missing.len(), 1, "{:?}", out.warnings);
    assert!(missing[0].message.pt.starts_with("Os dados do cliente têm caracteres"), "{}", missing[0].message.pt);
    assert!(missing[0].message.pt.contains("(🚀)"), "{}", missing[0].message.pt);
    assert!(missing[0].message.en.contains("replaced by “?”"));
    let dir = workdir();
    let t = squash(&text(&save(dir.path(), "emoji.pdf", &out.bytes)));
    assert!(t.contains("Café Estrela 😀 ? Lda"), "{t}");
    assert!(!t.contains('🚀'));
}

#[test]
fn pdf_a_five_thousand_character_description_wraps_across_pages() {
    let mut doc = specimen::issued(3, Lang::Pt, None).expect("specimen");
    let words = "serviço de consultoria técnica prestado nas instalações do cliente ";
    let mut long: String = words.repeat(5000 / words.len() + 1).chars().take(4990).collect();
    long.push_str(" FIMDOTEXTO");
    doc.lines[1].description = long.clone();
    // A word without spaces that is wider than the column is broken too.
    doc.lines[2].description = "X".repeat(400);
    let out = pdf::render(&doc, &RenderOptions::default()).expect("render");
    assert!(out.pages >= 2, "{} page(s)", out.pages);
    assert!(out.warnings.is_empty(), "nothing is left out: {:?}", out.warnings);
    let dir = workdir();
    let pages = pages_text(&save(dir.path(), "long.pdf", &out.bytes));
    let all = squash(&pages.join(" "));
    assert!(all.contains("FIMDOTEXTO"), "the end of the description is printed");
    let printed_words = all.matches("consultoria técnica").count();
    assert_eq!(printed_words, long.matches("consultoria técnica").count(), "every word is printed");
    assert_eq!(
        all.replace("JJ8XK2PM", "").replace("FIMDOTEXTO", "").matches('X').count(),
        400,
        "every X of the unbreakable word"
    );
    // The carried total still bridges the split row.
    assert!(squash(&pages[0]).contains("A transportar"));
    assert!(squash(&pages[1]).contains("Transporte"));
}

#[test]
fn pdf_over_long_notes_are_cut_with_a_warning() {
    let mut doc = specimen::draft(2, Lang::En).expect("specimen");
    doc.notes = Some("Linha de observações.\n".repeat(60));
    let out = pdf::render(&doc, &RenderOptions::default()).expect("render");
    let kinds: Vec<_> = out.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, [WarningKind::Truncated]);
    assert!(out.warnings[0].message.en.contains("The notes were cut"));
}
