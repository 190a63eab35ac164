//! Regenerates the README pictures in docs/pdf/ (pdftoppm at 70 dpi): a one-page invoice, the first and last
//! pages of a multi-page invoice, and a draft. Run on purpose:
//! `cargo test -p desk-core --test pdf_renderings -- --ignored`.

mod pdf_tools;

use desk_core::pdf::{self, specimen, Logo, RenderOptions};
use desk_model::msg::Lang;
use pdf_tools::{png, save, workdir};
use std::path::PathBuf;

#[test]
#[ignore = "writes docs/pdf/*.png; run it when the layout changes"]
fn pdf_renderings_for_the_readme() {
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/pdf");
    std::fs::create_dir_all(&docs).expect("docs/pdf");
    let options = RenderOptions { logo: Some(Logo::Bytes(specimen::LOGO_PNG.to_vec())), ..Default::default() };
    let dir = workdir();
    let cases = [
        ("invoice", specimen::issued(6, Lang::Pt, None)),
        ("invoice-multipage", specimen::issued(60, Lang::Pt, None)),
        ("draft", specimen::draft(6, Lang::Pt)),
    ];
    for (name, doc) in cases {
        let out = pdf::render(&doc.expect("specimen"), &options).expect("render");
        let file = save(dir.path(), &format!("{name}.pdf"), &out.bytes);
        let wanted: Vec<usize> = if out.pages == 1 { vec![1] } else { vec![1, out.pages] };
        for page in wanted {
            let stem = if out.pages == 1 { name.to_string() } else { format!("{name}-{page}") };
            let made = png(&file, page, 70, dir.path(), &stem);
            std::fs::copy(&made, docs.join(format!("{stem}.png"))).expect("copy the PNG");
        }
    }
}
