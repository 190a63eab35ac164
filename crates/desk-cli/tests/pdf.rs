//! `desk company` and `desk pdf` on a real data folder: one document by its label, a filtered list to a folder
//! or merged, and bad input that fails with a clear message and writes nothing.

use std::path::Path;
use std::process::{Command, Output};

fn desk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk")).args(args).env("DESK_DATA_DIR", dir).output().expect("run desk")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = desk(dir, args);
    assert!(o.status.success(), "desk {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn pdf_text(file: &Path) -> String {
    let o = Command::new("pdftotext").args(["-layout"]).arg(file).arg("-").output().expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&o.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn desk_pdf_prints_one_document_or_a_filtered_list() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    ok(
        &data,
        &[
            "company",
            "set",
            "--name",
            "Contabilidade Rio, Lda",
            "--nif",
            "509442013",
            "--city",
            "Lisboa",
            "--iban",
            "PT50000201231234567890154",
        ],
    );
    let shown = ok(&data, &["company", "show"]);
    assert!(shown.contains("IBAN: PT50 0002 0123 1234 5678 9015 4"), "{shown}");
    ok(&data, &["customers", "add", "--name", "Padaria Ribeiro", "--nif", "501234560"]);
    ok(&data, &["documents", "add", "--customer", "501234560", "--line", "Consultoria;2;100;NOR"]);
    ok(&data, &["documents", "add", "--type", "OR", "--customer", "501234560", "--line", "Pão;10;3;RED"]);

    let one = tmp.path().join("rascunho.pdf");
    let out = ok(&data, &["pdf", "Rascunho FT/1", "-o", one.to_str().expect("path")]);
    assert!(out.contains("(1 page)"), "{out}");
    let t = pdf_text(&one);
    assert!(t.contains("Rascunho FT/1") && t.contains("Contabilidade Rio, Lda") && t.contains("246,00 €"), "{t}");

    let folder = tmp.path().join("lote");
    ok(&data, &["pdf", "--all", "--filter", "type=FT", "-o", folder.to_str().expect("path")]);
    let files: Vec<_> =
        std::fs::read_dir(&folder).expect("folder").filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(files, ["Rascunho_FT-1.pdf"]);

    let merged = tmp.path().join("todos.pdf");
    let out = ok(&data, &["--json", "pdf", "--all", "--merged", "--lang", "en", "-o", merged.to_str().expect("path")]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!((json["documents"].as_u64(), json["pages"].as_u64()), (Some(2), Some(2)));
    let t = pdf_text(&merged);
    assert!(t.contains("Draft FT/1") && t.contains("Draft OR/1"), "{t}");
}

#[test]
fn desk_pdf_bad_input_fails_clearly_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let file = tmp.path().join("x.pdf");
    let folder = tmp.path().join("lote");
    let cases: [(Vec<&str>, &str); 4] = [
        (vec!["pdf", "FT 2026A/99", "-o", file.to_str().expect("path")], "No document «FT 2026A/99»"),
        (vec!["pdf", "--all", "--filter", "tipo=FT", "-o", folder.to_str().expect("path")], "unknown key «tipo»"),
        (vec!["pdf", "--all", "--filter", "from=31/02/2026", "-o", folder.to_str().expect("path")], "does not exist"),
        (vec!["company", "set", "--iban", "PT50 0002"], "IBAN"),
    ];
    for (args, expected) in cases {
        let o = desk(&data, &args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?} must fail");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    assert!(!file.exists() && !folder.exists(), "nothing written");
    assert!(!ok(&data, &["company", "show"]).contains("IBAN"), "a refused profile changes nothing");
}
