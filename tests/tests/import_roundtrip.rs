//! Import, export, import again changes nothing (issue 17): customers and products through CSV in Portuguese
//! (BOM, `;`, decimal commas, dd/mm/yyyy) and English (`,`), and through XLSX with typed numbers and dates.

use calamine::{open_workbook_auto, Data, Reader};
use desk_core::export::{self, Format};
use desk_core::import;
use desk_core::Workspace;
use desk_model::ipc::{CustomerQuery, DocumentQuery, ImportKind, ImportProgress, ImportRequest, ProductQuery};
use desk_model::msg::Lang;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import").join(name)
}

fn request(kind: ImportKind, path: &Path) -> ImportRequest {
    ImportRequest { kind, path: path.display().to_string(), skip_invalid: true, ..Default::default() }
}

async fn footprint(ws: &Workspace) -> Vec<i64> {
    let mut out = Vec::new();
    for t in ["customers", "products", "audit_log", "outbox", "review_items"] {
        out.push(
            sqlx::query_scalar(&format!("SELECT count(*) FROM {t}")).fetch_one(ws.store().reader()).await.expect("n"),
        );
    }
    out
}

async fn import_file(ws: &Workspace, kind: ImportKind, path: &Path) {
    let progress = |_: ImportProgress| {};
    import::commit(ws, &request(kind, path), &progress, &AtomicBool::new(false)).await.expect("import");
}

#[tokio::test]
async fn an_export_imports_back_unchanged_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    import_file(&ws, ImportKind::Customers, &fixture("phc-windows-1252.csv")).await;
    import_file(&ws, ImportKind::Customers, &fixture("generic-utf8-bom.csv")).await;
    import_file(&ws, ImportKind::Products, &fixture("moloni-products-utf8.csv")).await;
    let before = footprint(&ws).await;
    assert_eq!(&before[..2], [6, 4]);

    for (format, lang, name) in
        [(Format::Csv, Lang::Pt, "pt.csv"), (Format::Csv, Lang::En, "en.csv"), (Format::Xlsx, Lang::Pt, "pt.xlsx")]
    {
        let customers = export::customers(&ws, &CustomerQuery::default(), lang).await.expect("customers");
        let products = export::products(&ws, &ProductQuery::default(), lang).await.expect("products");
        let (cpath, ppath) = (dir.path().join(format!("c-{name}")), dir.path().join(format!("p-{name}")));
        export::write(&customers, format, lang, &cpath).expect("write");
        export::write(&products, format, lang, &ppath).expect("write");
        for (kind, path, n) in [(ImportKind::Customers, &cpath, 6), (ImportKind::Products, &ppath, 4)] {
            let p = import::preview(&ws, &request(kind, path)).await.expect("preview");
            assert_eq!(
                (p.rows, p.new, p.updated, p.unchanged, p.differences.len(), p.invalid_rows),
                (n, 0, 0, n, 0, 0),
                "{name} {kind:?}: {:?} {:?}",
                p.problems,
                p.differences
            );
            import_file(&ws, kind, path).await;
            assert_eq!(footprint(&ws).await, before, "{name}: importing it changed nothing");
        }
        let bytes = std::fs::read(&cpath).expect("read");
        match (format, lang) {
            (Format::Csv, Lang::Pt) => {
                assert!(bytes.starts_with(b"\xEF\xBB\xBFNome;NIF;"), "BOM and ; for Portuguese Excel");
                let text = String::from_utf8_lossy(&std::fs::read(&ppath).expect("read")).into_owned();
                assert!(text.contains(";1234,50;"), "decimal comma without grouping: {text}");
            }
            (Format::Csv, Lang::En) => {
                assert!(bytes.starts_with(b"Name,NIF,"), "no BOM, commas");
                let text = String::from_utf8_lossy(&std::fs::read(&ppath).expect("read")).into_owned();
                assert!(text.contains(",1234.50,"), "{text}");
            }
            (Format::Xlsx, _) | (Format::Pdf, _) => {
                let mut book = open_workbook_auto(&ppath).expect("xlsx");
                let range = book.worksheet_range_at(0).expect("sheet").expect("range");
                let prices: Vec<&Data> = range.rows().skip(1).map(|r| &r[4]).collect();
                assert!(prices.iter().all(|d| matches!(d, Data::Float(_))), "prices are numbers: {prices:?}");
                assert!(prices.contains(&&Data::Float(1234.5)));
            }
        }
    }

    // documents: dates are dates in XLSX, dd/mm/yyyy in a Portuguese CSV
    let spec = desk_core::sample::SampleSpec { customers: 20, documents: 60, products: 10, ..Default::default() };
    desk_core::sample::generate(&ws, &spec, |_, _, _| {}).await.expect("sample");
    let docs = export::documents(&ws, &DocumentQuery::default(), Lang::Pt).await.expect("documents");
    let path = dir.path().join("docs.xlsx");
    export::write(&docs, Format::Xlsx, Lang::Pt, &path).expect("write");
    let mut book = open_workbook_auto(&path).expect("xlsx");
    let range = book.worksheet_range_at(0).expect("sheet").expect("range");
    assert_eq!(range.rows().next().map(|r| r[3].to_string()), Some("Data".into()));
    assert_eq!(range.rows().count(), 61);
    for r in range.rows().skip(1) {
        assert!(matches!(r[3], Data::DateTime(_)), "a date cell: {:?}", r[3]);
        assert!(matches!(r[7], Data::Float(_)), "a number cell: {:?}", r[7]);
    }
}
