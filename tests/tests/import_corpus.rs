//! The import torture corpus (issue 17): Windows-1252 with `;`, a BOM, quoted fields with `;` and line breaks,
//! blank lines, duplicated NIFs, a wrong column count, formulas and date serials in XLSX, SAF-T, 100k rows —
//! each gets the right preview; a failed or cancelled import changes nothing; matches fill empty fields and send
//! differing values to the review list.

use desk_core::import::{self, ImportError};
use desk_core::{customers, review, Workspace};
use desk_model::ipc::{CustomerInput, ImportKind, ImportPreview, ImportProgress, ImportRequest, Resolution};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import").join(name)
}

async fn workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = Workspace::open_dir(dir.path(), "tester".into()).await.expect("open");
    (dir, ws)
}

fn request(kind: ImportKind, path: &Path) -> ImportRequest {
    ImportRequest { kind, path: path.display().to_string(), ..Default::default() }
}

async fn count(ws: &Workspace, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(ws.store().reader()).await.expect("count")
}

/// Rows of every table an import may touch: nothing else can change.
async fn footprint(ws: &Workspace) -> Vec<i64> {
    let mut out = Vec::new();
    for t in ["customers", "products", "audit_log", "outbox", "review_items"] {
        out.push(count(ws, t).await);
    }
    out
}

async fn preview(ws: &Workspace, kind: ImportKind, path: &Path) -> ImportPreview {
    import::preview(ws, &request(kind, path)).await.expect("preview")
}

fn no_progress(_: ImportProgress) {}

async fn commit(ws: &Workspace, req: &ImportRequest) -> Result<desk_model::ipc::ImportOutcome, ImportError> {
    import::commit(ws, req, &no_progress, &AtomicBool::new(false)).await
}

#[tokio::test]
async fn windows_1252_with_semicolons_quotes_line_breaks_and_blank_lines() {
    let (_d, ws) = workspace().await;
    let ops = count(&ws, "outbox").await;
    let p = preview(&ws, ImportKind::Customers, &fixture("phc-windows-1252.csv")).await;
    assert_eq!(p.format, "csv (windows-1252, ';')");
    assert_eq!(p.columns[0], "nome");
    let mapped: Vec<Option<&str>> = p.mapping.iter().map(|m| m.as_deref()).collect();
    assert_eq!(
        mapped,
        [
            Some("name"),
            Some("nif"),
            Some("address"),
            Some("postal_code"),
            Some("city"),
            Some("email"),
            Some("phone"),
            Some("notes")
        ]
    );
    assert_eq!(p.rows, 4, "blank lines and a line of separators are no rows");
    assert_eq!((p.new, p.invalid_rows), (4, 0), "{:?}", p.problems);
    assert_eq!(p.sample[0][0], "Padaria Conceição, Lda.");
    assert_eq!(p.sample[0][2], "Rua da Prata, 12; 2.º Esq.", "a quoted ; stays in its field");
    assert_eq!(p.sample[2][2], "Rua do Mercado\nEdifício Sol, loja 3", "a quoted line break stays in its field");
    assert_eq!(p.sample[3][7], "Multi\nlinha\ncom ; e \"aspas\"");

    let o = commit(&ws, &request(ImportKind::Customers, &fixture("phc-windows-1252.csv"))).await.expect("commit");
    assert_eq!(o.added, 4);
    let c = customers::list(&ws, &desk_model::ipc::CustomerQuery { text: "otica".into(), ..Default::default() })
        .await
        .expect("search");
    assert_eq!(c.items[0].name, "Ótica Açoriana");
    assert_eq!(c.items[0].address.as_deref(), Some("Rua do Mercado\nEdifício Sol, loja 3"));
    assert_eq!(count(&ws, "outbox").await, ops + 4, "each new customer writes its op");
}

#[tokio::test]
async fn a_bom_and_english_headers_with_commas() {
    let (_d, ws) = workspace().await;
    let p = preview(&ws, ImportKind::Customers, &fixture("generic-utf8-bom.csv")).await;
    assert_eq!(p.format, "csv (utf-8 bom, ',')");
    assert_eq!(p.columns[0], "Name", "the BOM is not part of the first header");
    assert_eq!(p.mapping[1].as_deref(), Some("nif"), "VAT number");
    assert_eq!(p.mapping[5].as_deref(), Some("email"), "E-mail");
    assert_eq!((p.rows, p.new, p.invalid_rows), (2, 2, 0), "{:?}", p.problems);
    assert_eq!(p.sample[0][7], "Paga, \"sempre\", a tempo");
}

#[tokio::test]
async fn every_rows_problem_is_in_the_preview_and_a_file_with_problems_imports_nothing() {
    let (_d, ws) = workspace().await;
    let path = fixture("problems-windows-1252.csv");
    let p = preview(&ws, ImportKind::Customers, &path).await;
    let got: Vec<(u64, &str)> = p.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(got, [(3, "nif"), (4, "nif"), (5, "name"), (6, "row"), (7, "email")], "{:#?}", p.problems);
    assert!(p.problems[0].message.en.contains("already on line 2"), "{}", p.problems[0].message.en);
    assert!(p.problems[3].message.en.contains("3 columns and the header 4"), "{}", p.problems[3].message.en);
    assert_eq!((p.rows, p.new, p.invalid_rows), (7, 2, 5));

    let before = footprint(&ws).await;
    let err = commit(&ws, &request(ImportKind::Customers, &path)).await.expect_err("refused");
    assert!(matches!(err, ImportError::HasProblems(5)), "{err:?}");
    assert!(err.to_app_error().message.pt.contains("nada foi importado"));
    assert_eq!(footprint(&ws).await, before, "a refused import changes nothing");

    let skip = ImportRequest { skip_invalid: true, ..request(ImportKind::Customers, &path) };
    let o = commit(&ws, &skip).await.expect("the good rows");
    assert_eq!((o.added, o.skipped), (2, 5));
}

#[tokio::test]
async fn an_unreadable_or_empty_file_is_a_clear_error() {
    let (d, ws) = workspace().await;
    let empty = d.path().join("empty.csv");
    std::fs::write(&empty, "\r\n\r\n").expect("write");
    let e = import::preview(&ws, &request(ImportKind::Customers, &empty)).await.expect_err("empty");
    assert!(e.to_app_error().message.en.contains("empty"), "{e:?}");
    let missing = import::preview(&ws, &request(ImportKind::Customers, &d.path().join("nope.csv"))).await;
    assert!(missing.expect_err("missing").to_app_error().message.en.starts_with("Cannot read"));
    let no_name = d.path().join("no-name.csv");
    std::fs::write(&no_name, "NIF;Email\n501234560;a@b.pt\n").expect("write");
    let e = import::preview(&ws, &request(ImportKind::Customers, &no_name)).await.expect_err("no name column");
    assert!(e.to_app_error().message.en.contains("No column is mapped to «Name»"), "{:?}", e.to_app_error());
    let bad_profile = ImportRequest { profile: Some("sage".into()), ..request(ImportKind::Customers, &no_name) };
    let e = import::preview(&ws, &bad_profile).await.expect_err("no such profile");
    assert!(e.to_app_error().message.en.contains("moloni, phc, primavera, generic"), "{:?}", e.to_app_error());
}

#[tokio::test]
async fn products_with_decimal_commas_rate_labels_and_exemptions() {
    let (_d, ws) = workspace().await;
    let path = fixture("moloni-products-utf8.csv");
    let req = ImportRequest { profile: Some("moloni".into()), ..request(ImportKind::Products, &path) };
    let p = import::preview(&ws, &req).await.expect("preview");
    assert_eq!(p.profile.as_deref(), Some("moloni"));
    let got: Vec<(u64, &str)> = p.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(got, [(6, "reference"), (7, "price")], "{:#?}", p.problems);
    let o = import::commit(&ws, &ImportRequest { skip_invalid: true, ..req }, &no_progress, &AtomicBool::new(false))
        .await
        .expect("commit");
    assert_eq!(o.added, 4);
    let book = desk_core::products::by_reference(&ws, "LIV-01").await.expect("book");
    assert_eq!(book.price.0.to_string(), "1234.5");
    assert_eq!(book.tax.code.as_str(), "RED");
    let course = desk_core::products::by_reference(&ws, "FORM-1").await.expect("course");
    assert_eq!((course.tax.code.as_str(), course.tax.exemption.map(|e| e.to_string())), ("ISE", Some("M07".into())));
    assert_eq!(desk_core::products::by_reference(&ws, "CAFE").await.expect("cafe").tax.code.as_str(), "INT");
}

#[tokio::test]
async fn xlsx_formulas_give_their_values_and_date_serials_read_as_dates() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let (d, ws) = workspace().await;
    let path = d.path().join("clientes.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Nome", "NIF", "Morada", "Código Postal", "Observações", "Prazo de pagamento"].iter().enumerate()
    {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    // the NIF typed as a number, the name and the address made by formulas, a date cell in the notes column
    sheet.write_formula(1, 0, Formula::new("=\"Padaria \"&\"Ribeiro\"").set_result("Padaria Ribeiro")).expect("f");
    sheet.write_number(1, 1, 501234560.0).expect("nif");
    sheet.write_formula(1, 2, Formula::new("=CONCAT(\"Rua \",\"do Ouro\")").set_result("Rua do Ouro")).expect("f");
    sheet.write_string(1, 3, "1100-060").expect("cp");
    let date = ExcelDateTime::from_ymd(2024, 3, 1).expect("date");
    sheet.write_datetime_with_format(1, 4, &date, &Format::new().set_num_format("dd/mm/yyyy")).expect("date");
    sheet.write_number(1, 5, 30.0).expect("terms");
    sheet.write_string(3, 0, "Zé da Esquina").expect("after a blank row");
    book.save(&path).expect("save");

    let p = preview(&ws, ImportKind::Customers, &path).await;
    assert_eq!(p.format, "xlsx");
    assert_eq!((p.rows, p.new, p.invalid_rows), (2, 2, 0), "{:?}", p.problems);
    assert_eq!(p.sample[0], ["Padaria Ribeiro", "501234560", "Rua do Ouro", "1100-060", "2024-03-01", "30"]);
    commit(&ws, &request(ImportKind::Customers, &path)).await.expect("commit");
    let c = customers::list(&ws, &desk_model::ipc::CustomerQuery { text: "ribeiro".into(), ..Default::default() })
        .await
        .expect("list");
    assert_eq!(c.items[0].nif.as_deref(), Some("501234560"));
    assert_eq!(c.items[0].payment_terms_days, Some(30));
}

#[tokio::test]
async fn saf_t_customers_and_products_without_the_final_consumer() {
    let (_d, ws) = workspace().await;
    let path = fixture("saft-pt.xml");
    let p = preview(&ws, ImportKind::Customers, &path).await;
    assert_eq!(p.format, "saf-t customers");
    assert_eq!(p.rows, 2, "the final consumer is no customer to import");
    assert_eq!(p.sample[0][0], "Padaria & Pastelaria Ribeiro, Lda.");
    assert_eq!(p.sample[0][4], "Rua do Ouro, 12");
    let products = preview(&ws, ImportKind::Products, &path).await;
    assert_eq!((products.rows, products.new, products.invalid_rows), (2, 2, 0), "{:?}", products.problems);
    assert_eq!(products.sample[1][1], "Livro técnico – edição 2");
    commit(&ws, &request(ImportKind::Products, &path)).await.expect("products");
    let cons = desk_core::products::by_reference(&ws, "CONS-H").await.expect("service");
    assert_eq!(cons.kind, desk_model::ipc::ProductKind::Service);
}

#[tokio::test]
async fn matches_fill_empty_fields_and_differing_values_go_to_the_review_list() {
    let (d, ws) = workspace().await;
    let stored = customers::create(
        &ws,
        &CustomerInput {
            name: "Padaria Ribeiro".into(),
            nif: "501234560".into(),
            city: "Lisboa".into(),
            ..Default::default()
        },
    )
    .await
    .expect("stored");
    let by_email = customers::create(
        &ws,
        &CustomerInput { name: "Loja da Esquina".into(), email: "loja@esquina.pt".into(), ..Default::default() },
    )
    .await
    .expect("stored");
    let path = d.path().join("update.csv");
    std::fs::write(
        &path,
        "Nome;NIF;Email;Localidade\n\
         Padaria Ribeiro;501234560;geral@ribeiro.pt;Porto\n\
         Loja da Esquina;216859506;LOJA@esquina.pt;\n\
         Cliente Novo;509964842;;Faro\n",
    )
    .expect("write");
    let p = preview(&ws, ImportKind::Customers, &path).await;
    assert_eq!((p.new, p.updated, p.unchanged), (1, 2, 0), "{:?}", p.problems);
    assert_eq!(p.differences.len(), 1);
    let diff = &p.differences[0];
    assert_eq!((diff.field.as_str(), diff.current.as_str(), diff.incoming.as_str()), ("city", "Lisboa", "Porto"));

    let o = commit(&ws, &request(ImportKind::Customers, &path)).await.expect("commit");
    assert_eq!((o.added, o.updated, o.to_review), (1, 2, 1));
    let after = customers::get(&ws, stored.id).await.expect("get");
    assert_eq!(after.email.as_deref(), Some("geral@ribeiro.pt"), "an empty field is filled in");
    assert_eq!(after.city.as_deref(), Some("Lisboa"), "a differing value is not overwritten");
    let matched = customers::get(&ws, by_email.id).await.expect("get");
    assert_eq!(matched.nif.as_deref(), Some("216859506"), "matched by e-mail, its empty NIF filled in");

    // importing the same file again changes nothing and asks nothing new
    let again = preview(&ws, ImportKind::Customers, &path).await;
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 3));
    let before = footprint(&ws).await;
    commit(&ws, &request(ImportKind::Customers, &path)).await.expect("again");
    assert_eq!(footprint(&ws).await, before, "the same question is not asked twice");

    let items = review::list(&ws).await.expect("list");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].source, "import:update.csv");
    assert_eq!(items[0].record, "Padaria Ribeiro");
    let ops = count(&ws, "outbox").await;
    review::resolve(&ws, items[0].id, Resolution::TakeIncoming).await.expect("take");
    assert_eq!(customers::get(&ws, stored.id).await.expect("get").city.as_deref(), Some("Porto"));
    assert_eq!(count(&ws, "outbox").await, ops + 1, "taking the value is an edit with its op");
    assert!(review::list(&ws).await.expect("list").is_empty());
    assert!(review::resolve(&ws, items[0].id, Resolution::KeepCurrent).await.is_err(), "settled once");
}

/// A CSV of `n` valid customers (NIFs made with their check digit).
fn big_csv(path: &Path, n: usize) {
    let mut s = String::with_capacity(n * 80);
    s.push_str("Nome;Contribuinte;Email;Localidade\r\n");
    for i in 0..n {
        let base = format!("2{:07}", i);
        let sum: u32 = base.chars().zip((2..=9).rev()).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
        let check = match 11 - sum % 11 {
            10 | 11 => 0,
            c => c,
        };
        s.push_str(&format!("Cliente {i};{base}{check};c{i}@exemplo.pt;Lisboa\r\n"));
    }
    std::fs::write(path, s).expect("write");
}

#[tokio::test]
async fn a_hundred_thousand_rows_preview_and_commit_in_one_transaction() {
    let (d, ws) = workspace().await;
    let path = d.path().join("big.csv");
    big_csv(&path, 100_000);
    let p = preview(&ws, ImportKind::Customers, &path).await;
    assert_eq!((p.rows, p.new, p.invalid_rows), (100_000, 100_000, 0), "{:?}", p.problems.first());
    let seen = std::sync::Mutex::new(Vec::new());
    let progress = |p: ImportProgress| seen.lock().expect("lock").push(p.done);
    let o = import::commit(&ws, &request(ImportKind::Customers, &path), &progress, &AtomicBool::new(false))
        .await
        .expect("commit");
    assert_eq!(o.added, 100_000);
    assert_eq!(count(&ws, "customers").await, 100_000);
    let seen = seen.into_inner().expect("lock");
    assert_eq!(seen.first(), Some(&0));
    assert_eq!(seen.last(), Some(&100_000));
    assert_eq!(seen.len(), 100_000 / import::CHUNK + 1, "progress after every chunk");
}

#[tokio::test]
async fn a_cancelled_import_changes_nothing() {
    let (d, ws) = workspace().await;
    customers::create(&ws, &CustomerInput { name: "Já cá estava".into(), ..Default::default() }).await.expect("one");
    let path = d.path().join("big.csv");
    big_csv(&path, 10_000);
    let before = footprint(&ws).await;
    let cancel = AtomicBool::new(false);
    // the user presses cancel once the progress bar has moved
    let progress = |p: ImportProgress| {
        if p.done >= 4000 {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let err =
        import::commit(&ws, &request(ImportKind::Customers, &path), &progress, &cancel).await.expect_err("cancel");
    assert!(matches!(err, ImportError::Cancelled), "{err:?}");
    assert_eq!(footprint(&ws).await, before);
    // and the writer is free again
    customers::create(&ws, &CustomerInput { name: "Depois".into(), ..Default::default() }).await.expect("after");
}
