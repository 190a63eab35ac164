//! Printing stored documents (issue 5's app and CLI side): the company profile as issuer, the customer's
//! address, draft vs issued marks, the QR code built from the stored fiscal data, batches of a filtered list,
//! companies kept apart. PDFs are read back with pdftotext and zbarimg.

mod pdf_tools;

use chrono::Utc;
use desk_core::documents::{self, issue};
use desk_core::pdf::{BatchTarget, WarningKind};
use desk_core::{customers, printing, CoreError, Workspace};
use desk_model::company::CompanyInput;
use desk_model::document::DocType;
use desk_model::ipc::{CustomerInput, DocumentInput, DocumentQuery, FiscalData, LineInput};
use desk_model::msg::Lang;
use pdf_tools::{png, qr_codes, squash, text, workdir};
use std::ops::ControlFlow;
use uuid::Uuid;

fn profile() -> CompanyInput {
    CompanyInput {
        name: "Contabilidade Rio, Lda".into(),
        nif: "509442013".into(),
        address: "Rua do Ouro 12".into(),
        postal_code: "1100-060".into(),
        city: "Lisboa".into(),
        share_capital: "5000".into(),
        registry: "CRC Lisboa 509442013".into(),
        iban: "PT50000201231234567890154".into(),
        payment_method: "Transferência bancária".into(),
        lang: Lang::En,
        ..CompanyInput::default()
    }
}

async fn workspace(dir: &std::path::Path) -> Workspace {
    let mut ws = Workspace::open_dir(dir, "tester".into()).await.expect("open");
    ws.update_company(&profile()).await.expect("profile");
    ws
}

/// A draft invoice with three lines (23 %, 6 %, M07) for the folder's one customer, created on first use.
async fn draft(ws: &Workspace) -> Uuid {
    let existing = customers::list(ws, &Default::default()).await.expect("customers").items.into_iter().next();
    let c = CustomerInput {
        name: "Padaria Ribeiro, Lda".into(),
        nif: "501234560".into(),
        address: "Largo da Sé 3".into(),
        postal_code: "4050-573".into(),
        city: "Porto".into(),
        ..Default::default()
    };
    let customer = match existing {
        Some(c) => c.id,
        None => customers::create(ws, &c).await.expect("customer").id,
    };
    let line = |d: &str, q: &str, p: &str, code: &str, ex: &str| LineInput {
        description: d.into(),
        quantity: q.into(),
        unit_price: p.into(),
        tax_code: code.into(),
        exemption: ex.into(),
        ..Default::default()
    };
    let input = DocumentInput {
        customer_id: Some(customer),
        lines: vec![
            line("Consultoria fiscal", "2", "100", "NOR", ""),
            line("Pão de Ló", "10", "3", "RED", ""),
            line("Formação", "1", "50", "ISE", "M07"),
        ],
        ..DocumentInput::new(DocType::Ft, "2026-11-21")
    };
    documents::save_draft(ws, None, &input).await.expect("draft").id
}

async fn issue_it(ws: &Workspace, id: Uuid, n: i64) {
    issue::request_issue(ws, id).await.expect("request");
    let claim = issue::claim_issue(ws, id, "test", chrono::TimeDelta::seconds(60)).await.expect("claim");
    let doc = documents::get(ws, id).await.expect("get");
    let fiscal = FiscalData {
        moloni_id: 9000 + n,
        document_set_id: Some(1),
        number: format!("FT 2026A/{n}"),
        series: "2026A".into(),
        atcud: format!("JJ8XK2PM-{n}"),
        hash4: "Ab9z".into(),
        issued_at: Utc::now(),
        net: doc.net,
        vat: doc.vat,
        total: doc.total,
    };
    issue::mark_issued(ws, &claim, &fiscal).await.expect("issued");
}

#[tokio::test]
async fn printing_a_stored_draft_shows_the_company_profile_and_no_fiscal_marks() {
    let dir = workdir();
    let ws = workspace(&dir.path().join("data")).await;
    let id = draft(&ws).await;
    let file = dir.path().join("rascunho.pdf");
    let saved = printing::save(&ws, id, Lang::Pt, &file).await.expect("save");
    assert_eq!(saved.pages, 1);
    let t = squash(&text(&file));
    let letters: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(letters.contains("RASCUNHO—Estedocumentonãoservedefatura"), "no watermark in:\n{t}");
    for expected in [
        "Rascunho FT/1",
        "Contabilidade Rio, Lda",
        "NIF 509442013",
        "1100-060 Lisboa",
        "Capital social 5.000,00 €",
        "Padaria Ribeiro, Lda",
        "Largo da Sé 3",
        "4050-573 Porto",
        "[M07]",
        "327,80 €",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    // A draft is never a pro-forma (fiscal-review M6): the company's IBAN, the payment method and the due date
    // are left out.
    for absent in ["ATCUD", "Processado por programa certificado", "IBAN", "PT50", "Pagar até", "Vencimento"] {
        assert!(!t.contains(absent), "a draft shows {absent:?}");
    }
    // The same folder's CLI-style lookup finds it by its draft label.
    assert_eq!(documents::find(&ws, "Rascunho FT/1").await.expect("find"), id);
    assert_eq!(documents::find(&ws, "ft/1").await.expect("find"), id);
    // Printed in English, its label is English; the English label finds it too.
    let english = printing::view(&ws, id, Lang::En).await.expect("view");
    assert_eq!((english.title.as_str(), english.number.as_str()), ("Internal draft", "Draft FT/1"));
    assert_eq!(documents::find(&ws, "Draft FT/1").await.expect("find"), id);
}

#[tokio::test]
async fn printing_an_issued_document_draws_the_qr_code_of_its_stored_fiscal_data() {
    let dir = workdir();
    let ws = workspace(&dir.path().join("data")).await;
    let id = draft(&ws).await;
    issue_it(&ws, id, 7).await;
    let view = printing::view(&ws, id, Lang::Pt).await.expect("view");
    let payload = view.fiscal.as_ref().map(|f| f.qr_payload.clone()).expect("fiscal block");
    for field in [
        "A:509442013",
        "B:501234560",
        "C:PT",
        "D:FT",
        "E:N",
        "F:20261121",
        "G:FT 2026A/7",
        "H:JJ8XK2PM-7",
        "Q:Ab9z",
        "R:2860",
    ] {
        assert!(payload.split('*').any(|f| f == field), "{field} missing from {payload}");
    }
    assert!(payload.contains("*O:327.80*"), "{payload}");
    let file = dir.path().join("ft.pdf");
    printing::save(&ws, id, Lang::Pt, &file).await.expect("save");
    let t = squash(&text(&file));
    for expected in ["Fatura", "FT 2026A/7", "ATCUD:JJ8XK2PM-7", "Ab9z-Processado por programa certificado n.º 2860/AT"]
    {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    assert!(!t.contains("RASCUNHO"));
    let image = png(&file, 1, 300, dir.path(), "ft");
    assert_eq!(qr_codes(&image), vec![payload]);
    assert_eq!(documents::find(&ws, "FT  2026A/7").await.expect("find"), id);
}

#[tokio::test]
async fn an_issued_document_of_a_company_without_nif_is_refused_with_what_to_do() {
    let dir = workdir();
    let mut ws = workspace(&dir.path().join("data")).await;
    let id = draft(&ws).await;
    // issued while the company had no NIF on file: what it prints from has none
    ws.update_company(&CompanyInput { nif: String::new(), ..profile() }).await.expect("clear nif");
    issue_it(&ws, id, 1).await;
    let file = dir.path().join("x.pdf");
    match printing::save(&ws, id, Lang::Pt, &file).await {
        Err(CoreError::Fiscal(m)) => assert!(m.pt.contains("Dados da empresa"), "{}", m.pt),
        other => panic!("expected a fiscal error, got {other:?}"),
    }
    assert!(!file.exists(), "nothing written");
}

/// An issued document reprints exactly as it was issued: changing the company's address and name, the
/// customer's address and the company's rounding afterwards changes neither its text nor its QR code.
#[tokio::test]
async fn a_reprint_is_the_document_as_issued_whatever_changed_since() {
    let dir = workdir();
    let mut ws = workspace(&dir.path().join("data")).await;
    let id = draft(&ws).await;
    issue_it(&ws, id, 11).await;
    let (first, second) = (dir.path().join("first.pdf"), dir.path().join("second.pdf"));
    printing::save(&ws, id, Lang::Pt, &first).await.expect("print");
    let before = text(&first);
    assert!(squash(&before).contains("Rua do Ouro 12") && squash(&before).contains("Largo da Sé 3"), "{before}");

    let moved = CompanyInput {
        name: "Contabilidade Rio & Filhos, Lda".into(),
        address: "Avenida da Liberdade 200".into(),
        postal_code: "1250-147".into(),
        fiscal: desk_model::company::FiscalSettings {
            rounding: desk_model::document::RoundingMethod::Line,
            ..Default::default()
        },
        ..profile()
    };
    ws.update_company(&moved).await.expect("company moved");
    let customer = customers::list(&ws, &Default::default()).await.expect("list").items[0].clone();
    let input = CustomerInput {
        name: customer.name.clone(),
        nif: customer.nif.clone().unwrap_or_default(),
        address: "Rua Nova 99".into(),
        postal_code: "4000-001".into(),
        city: "Porto".into(),
        ..Default::default()
    };
    customers::update(&ws, customer.id, &input).await.expect("customer moved");

    printing::save(&ws, id, Lang::Pt, &second).await.expect("reprint");
    let after = text(&second);
    assert_eq!(squash(&after), squash(&before), "the reprint's text is the issued one");
    assert!(!after.contains("Avenida da Liberdade") && !after.contains("Rua Nova 99"));
    let (qr_before, qr_after) =
        (qr_codes(&png(&first, 1, 300, dir.path(), "first")), qr_codes(&png(&second, 1, 300, dir.path(), "second")));
    assert_eq!(qr_before.len(), 1);
    assert_eq!(qr_after, qr_before, "the QR code is the issued one");
    // a new draft prints today's data
    let fresh = draft(&ws).await;
    let view = printing::view(&ws, fresh, Lang::Pt).await.expect("view");
    assert!(format!("{view:?}").contains("Avenida da Liberdade 200"));
}

/// A batch that meets a document it cannot print prints the rest and says which it skipped and why.
#[tokio::test]
async fn a_batch_prints_what_it_can_and_lists_what_it_skipped() {
    let dir = workdir();
    let mut ws = workspace(&dir.path().join("data")).await;
    let issued = draft(&ws).await;
    // issued while the company had no NIF on file: no valid QR code, so it cannot be printed; the drafts can
    ws.update_company(&CompanyInput { nif: String::new(), ..profile() }).await.expect("clear nif");
    issue_it(&ws, issued, 7).await;
    draft(&ws).await;
    draft(&ws).await;
    let folder = dir.path().join("lote");
    let report =
        printing::batch(&ws, &DocumentQuery::default(), Lang::En, BatchTarget::Folder(folder.clone()), |_, _| {
            ControlFlow::Continue(())
        })
        .await
        .expect("the batch goes on");
    assert_eq!((report.documents, report.files.len()), (2, 2));
    let skipped: Vec<_> = report.warnings.iter().filter(|w| w.warning.kind == WarningKind::Skipped).collect();
    assert_eq!(skipped.len(), 1, "{:?}", report.warnings);
    let m = skipped[0].message();
    assert!(m.en.starts_with("FT 2026A/7: not printed:"), "{}", m.en);
    assert!(m.pt.contains("não impresso") && m.pt.contains("Dados da empresa"), "{}", m.pt);
}

#[tokio::test]
async fn a_filtered_list_prints_to_a_folder_or_merged_and_cancel_writes_no_merged_file() {
    let dir = workdir();
    let ws = workspace(&dir.path().join("data")).await;
    let first = draft(&ws).await;
    issue_it(&ws, first, 1).await;
    for _ in 0..3 {
        draft(&ws).await;
    }
    let only_drafts = DocumentQuery { states: vec![desk_model::document::DocState::Draft], ..Default::default() };
    let folder = dir.path().join("lote");
    let report = printing::batch(&ws, &only_drafts, Lang::Pt, BatchTarget::Folder(folder.clone()), |_, _| {
        ControlFlow::Continue(())
    })
    .await
    .expect("batch");
    assert_eq!(report.documents, 3);
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Rascunho_FT-2.pdf", "Rascunho_FT-3.pdf", "Rascunho_FT-4.pdf"]);

    let merged = dir.path().join("todos.pdf");
    let all = DocumentQuery::default();
    let report =
        printing::batch(&ws, &all, Lang::En, BatchTarget::Merged(merged.clone()), |_, _| ControlFlow::Continue(()))
            .await
            .expect("merged");
    assert_eq!((report.documents, report.pages), (4, 4));
    let t = squash(&text(&merged));
    assert!(t.contains("FT 2026A/1") && t.contains("Draft FT/4"), "{t}");

    let cancelled = dir.path().join("cancelado.pdf");
    let report = printing::batch(&ws, &all, Lang::Pt, BatchTarget::Merged(cancelled.clone()), |done, _| {
        if done >= 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .await
    .expect("cancelled batch");
    assert!(report.cancelled);
    assert!(!cancelled.exists(), "a cancelled merged batch writes nothing");
}

#[tokio::test]
async fn companies_are_kept_apart_and_switching_changes_what_prints() {
    let dir = workdir();
    let mut ws = workspace(&dir.path().join("data")).await;
    let rio = ws.company().id;
    let id = draft(&ws).await;
    let duplicate = ws.create_company(&CompanyInput { name: "Outra".into(), ..profile() }).await;
    assert!(matches!(duplicate, Err(CoreError::Invalid(ref f)) if f[0].field == "nif"), "{duplicate:?}");
    assert_eq!(ws.company().id, rio, "a refused company changes nothing");
    let tejo = ws
        .create_company(&CompanyInput {
            name: "Tejo Serviços".into(),
            nif: "503504564".into(),
            lang: Lang::En,
            ..Default::default()
        })
        .await
        .expect("second company");
    assert_eq!(ws.company().id, tejo.id);
    assert_eq!(ws.companies().await.expect("list").len(), 2);
    assert!(matches!(documents::find(&ws, &id.to_string()).await, Err(CoreError::NotFound { .. })));
    ws.switch_company(rio).await.expect("switch back");
    let view = printing::view(&ws, id, Lang::Pt).await.expect("view");
    assert_eq!(view.issuer.name, "Contabilidade Rio, Lda");
    // The choice survives a restart.
    ws.store().close().await;
    let reopened = Workspace::open_dir(&dir.path().join("data"), "tester".into()).await.expect("reopen");
    assert_eq!(reopened.company().id, rio);
}
