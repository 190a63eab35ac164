//! Renders the README pictures (pdftoppm at 70 dpi): a one-page invoice, the first and last pages of a
//! multi-page invoice, a draft and an invoice with withholding, and checks each page turned into a real
//! picture. With `DESK_UPDATE_DOCS=1` it also copies them over docs/pdf/ (do that when the layout changes, then
//! look at them).

mod pdf_tools;

use desk_core::pdf::{self, specimen, Logo, RenderOptions};
use desk_model::msg::Lang;
use pdf_tools::{png, save, workdir};
use std::path::PathBuf;

#[test]
fn pdf_renderings_for_the_readme() {
    let update_docs = std::env::var("DESK_UPDATE_DOCS").is_ok_and(|v| v == "1");
    let docs =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
            .join("../../docs/pdf");
    if update_docs {
        std::fs::create_dir_all(&docs).expect("docs/pdf");
    }
    let options = RenderOptions { logo: Some(Logo::Bytes(specimen::LOGO_PNG.to_vec())), ..Default::default() };
    let dir = workdir();
    let cases = [
        ("invoice", specimen::issued(6, Lang::Pt, None)),
        ("invoice-multipage", specimen::issued(60, Lang::Pt, None)),
        ("draft", specimen::draft(6, Lang::Pt)),
        ("invoice-withholding", specimen::withholding(Lang::Pt)),
    ];
    for (name, doc) in cases {
        let out = pdf::render(&doc.expect("specimen"), &options).expect("render");
        let file = save(dir.path(), &format!("{name}.pdf"), &out.bytes);
        assert_eq!(out.pages > 1, name == "invoice-multipage", "{name}: {} pages", out.pages);
        let wanted: Vec<usize> = if out.pages == 1 { vec![1] } else { vec![1, out.pages] };
        for page in wanted {
            let stem = if out.pages == 1 { name.to_string() } else { format!("{name}-{page}") };
            let made = png(&file, page, 70, dir.path(), &stem);
            let bytes = std::fs::read(&made).expect("read the PNG");
            assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000, "{stem}: pdftoppm made no real picture");
            if update_docs {
                std::fs::copy(&made, docs.join(format!("{stem}.png"))).expect("copy the PNG");
            }
        }
    }
}
