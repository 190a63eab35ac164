//! Many documents at once: one file per document in a folder (safe, unique names) or one merged PDF, with
//! progress reported after each document and cancel honoured at once.

mod pdf_tools;

use desk_core::pdf::{render_many, specimen, BatchTarget, Logo, RenderOptions, WarningKind};
use desk_model::msg::Lang;
use pdf_tools::{pages_text, squash, workdir};
use std::ops::ControlFlow;

fn documents() -> Vec<desk_model::print::PrintDocument> {
    vec![
        specimen::issued(3, Lang::Pt, None).expect("specimen"),
        specimen::issued(80, Lang::Pt, None).expect("specimen"),
        specimen::draft(3, Lang::Pt).expect("specimen"),
        specimen::issued(3, Lang::En, None).expect("specimen"),
    ]
}

#[test]
fn pdf_batch_to_a_folder_writes_one_safe_file_per_document() {
    let docs = documents();
    let dir = workdir();
    let target = BatchTarget::Folder(dir.path().join("lote"));
    let mut seen = Vec::new();
    let report = render_many(&docs, &RenderOptions::default(), &target, |done, total| {
        seen.push((done, total));
        ControlFlow::Continue(())
    })
    .expect("batch");
    assert_eq!(seen, [(1, 4), (2, 4), (3, 4), (4, 4)]);
    assert!(!report.cancelled);
    assert_eq!(report.documents, 4);
    let names: Vec<String> =
        report.files.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["FT_2026A-17.pdf", "FT_2026A-17 (2).pdf", "Rascunho_0197f3a2-5c1e.pdf", "FT_2026A-17 (3).pdf"]);
    let pages: usize = report.files.iter().map(|f| pages_text(f).len()).sum();
    assert_eq!(pages, report.pages);
    assert!(report.files.iter().all(|f| f.starts_with(dir.path().join("lote"))));
    // Nothing half-written is left behind.
    let leftovers = std::fs::read_dir(dir.path().join("lote")).expect("folder").count();
    assert_eq!(leftovers, 4);
}

#[test]
fn pdf_batch_merged_puts_every_document_in_one_file() {
    let docs = documents();
    let dir = workdir();
    let file = dir.path().join("todos.pdf");
    let report = render_many(&docs, &RenderOptions::default(), &BatchTarget::Merged(file.clone()), |_, _| {
        ControlFlow::Continue(())
    })
    .expect("batch");
    assert_eq!(report.files, std::slice::from_ref(&file));
    let pages = pages_text(&file);
    assert_eq!(pages.len(), report.pages);
    assert!(report.pages > docs.len(), "the 80-line invoice takes more than one page");
    // Each document keeps its own page numbering.
    let labels = pages.iter().filter(|p| squash(p).contains("1 / 1")).count();
    assert_eq!(labels, 3, "three one-page documents");
    let letters: String = pages.join("").chars().filter(|c| !c.is_whitespace()).collect();
    assert!(letters.contains("RASCUNHO"), "the draft is in the merged file, watermarked");
}

#[test]
fn pdf_batch_cancel_stops_at_once() {
    let docs = documents();
    let dir = workdir();
    let folder = BatchTarget::Folder(dir.path().join("lote"));
    let report = render_many(&docs, &RenderOptions::default(), &folder, |done, _| {
        if done == 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .expect("batch");
    assert!(report.cancelled);
    assert_eq!((report.documents, report.files.len()), (2, 2));

    let merged = dir.path().join("todos.pdf");
    let report = render_many(&docs, &RenderOptions::default(), &BatchTarget::Merged(merged.clone()), |_, _| {
        ControlFlow::Break(())
    })
    .expect("batch");
    assert!(report.cancelled && report.files.is_empty());
    assert!(!merged.exists(), "a cancelled merge writes nothing");
}

#[test]
fn pdf_batch_reports_a_bad_logo_once_and_still_prints() {
    let docs = documents();
    let dir = workdir();
    let options = RenderOptions { logo: Some(Logo::Path(dir.path().join("falta.png"))), ..Default::default() };
    let report =
        render_many(&docs, &options, &BatchTarget::Folder(dir.path().join("lote")), |_, _| ControlFlow::Continue(()))
            .expect("batch");
    assert_eq!(report.files.len(), 4);
    let logo: Vec<_> = report.warnings.iter().filter(|w| w.warning.kind == WarningKind::Logo).collect();
    assert_eq!(logo.len(), 1);
    assert_eq!(logo[0].document, None);
}

#[test]
fn pdf_batch_to_an_unwritable_place_says_what_to_do() {
    let docs = documents();
    let dir = workdir();
    let blocker = dir.path().join("ficheiro");
    std::fs::write(&blocker, b"x").expect("file");
    let err = render_many(&docs, &RenderOptions::default(), &BatchTarget::Folder(blocker.join("lote")), |_, _| {
        ControlFlow::Continue(())
    })
    .expect_err("a file stands where the folder should be");
    let m = err.message();
    assert!(m.pt.contains("Verifique se a pasta existe"), "{}", m.pt);
    assert!(m.en.contains("check that the folder exists"), "{}", m.en);
}
