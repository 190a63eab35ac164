//! Issuing through Moloni, the rest of the flow against the stand-in: every type in its own series (FR, FS, ND
//! against its invoice, OR and its conversion), the series' date rule (Moloni's error 12) answered with what to
//! do, a request stopped for review tried again, the background issuer's pass (only companies connected to
//! Moloni; requests queued while Moloni was away go when it returns), and Moloni's PDF kept for offline use.

use desk_core::documents::{self, issue};
use desk_core::moloni::issuer::{issue_now, retry_now, Outcome};
use desk_core::moloni::{pdf, worker};
use desk_core::{customers, Workspace};
use desk_model::document::{DocState, DocType};
use desk_model::ipc::{CustomerInput, Document, DocumentInput, LineInput, MoloniConnectInput};
use moloni_standin::{Fault, FaultKind, Options, StandIn, When};
use uuid::Uuid;

const COMPANY: i64 = moloni_standin::seed::DEMO_COMPANY;

/// One keyring service for the whole binary (the variable is process-wide; accounts differ by stand-in address).
fn keyring() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::env::set_var("DESK_KEYRING", "kernel");
        std::env::set_var("DESK_KEYRING_SERVICE", format!("desk-test-flow-{}", Uuid::now_v7()));
    });
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn line(desc: &str, qty: &str, price: &str) -> LineInput {
    LineInput {
        description: desc.into(),
        quantity: qty.into(),
        unit_price: price.into(),
        tax_code: "NOR".into(),
        ..Default::default()
    }
}

/// A workspace with a customer, connected to the stand-in's demo company.
async fn connected(dir: &std::path::Path, standin: &StandIn) -> (Workspace, Uuid) {
    keyring();
    let ws = Workspace::open_dir(dir, "tester".into()).await.expect("open");
    let c = customers::create(
        &ws,
        &CustomerInput {
            name: "Padaria Ribeiro, Lda.".into(),
            nif: "501234560".into(),
            address: "Rua Direita 1".into(),
            postal_code: "4450-123".into(),
            city: "Matosinhos".into(),
            ..Default::default()
        },
    )
    .await
    .expect("customer");
    let input = MoloniConnectInput {
        url: standin.url(),
        client_id: "desk-demo".into(),
        client_secret: "desk-demo-secret".into(),
        user: "demo@desk.pt".into(),
        password: "demo".into(),
        company_id: Some(COMPANY),
    };
    desk_core::moloni::connect(&ws, &input).await.expect("connect");
    (ws, c.id)
}

async fn draft(ws: &Workspace, customer: Uuid, doc_type: DocType, date: chrono::NaiveDate) -> Document {
    let input = DocumentInput {
        customer_id: Some(customer),
        lines: vec![line("Consultoria", "2", "40,00")],
        ..DocumentInput::new(doc_type, &date.to_string())
    };
    documents::save_draft(ws, None, &input).await.expect("save")
}

fn issued(o: Outcome) -> Document {
    match o {
        Outcome::Issued { document } => *document,
        other => panic!("expected issued, got {other:?}"),
    }
}

#[tokio::test]
async fn every_type_is_issued_in_its_own_series_and_a_quote_converts_to_an_invoice() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let dir = tempfile::tempdir().expect("dir");
    let (ws, customer) = connected(dir.path(), &standin).await;
    for (t, prefix) in [(DocType::Fr, "FR "), (DocType::Fs, "FS "), (DocType::Ft, "FT "), (DocType::Or, "OR ")] {
        let d = draft(&ws, customer, t, today()).await;
        let doc = issued(issue_now(&ws, d.id, "t").await.expect("issue"));
        let number = doc.fiscal.as_ref().map(|f| f.number.clone()).unwrap_or_default();
        assert!(number.starts_with(prefix), "{t:?}: {number}");
        // 2 × 40,00 at 23 %
        assert_eq!(doc.total.to_plain_string(), "98.40", "{t:?}");
        // FR and FS are paid at issue; FT starts unpaid
        let expected = match t {
            DocType::Fr | DocType::Fs => DocState::Paid,
            DocType::Ft => DocState::Unpaid,
            _ => doc.state,
        };
        assert_eq!(doc.state, expected, "{t:?}");
        if t == DocType::Ft {
            // a debit note against the invoice, in its own series
            let nd = documents::convert(&ws, doc.id, DocType::Nd, "Portes não faturados", None).await.expect("ND");
            let nd = issued(issue_now(&ws, nd.id, "t").await.expect("issue ND"));
            let f = nd.fiscal.clone().expect("fiscal");
            assert!(f.number.starts_with("ND "), "{}", f.number);
            let api = desk_core::moloni::client(&ws).await.expect("client").expect("connected");
            let m = api
                .company(COMPANY)
                .document_get(moloni::DocumentKind::DebitNote, f.moloni_id)
                .await
                .expect("get")
                .expect("the debit note in Moloni");
            let invoice_moloni = doc.fiscal.as_ref().map(|f| f.moloni_id).expect("invoice");
            assert_eq!(m.associated_documents.iter().map(|a| a.associated_id).collect::<Vec<_>>(), [invoice_moloni]);
        }
        if t == DocType::Or {
            // the quote becomes an invoice, issued in the invoices' series
            let ft = documents::convert(&ws, doc.id, DocType::Ft, "", None).await.expect("convert");
            let ft = issued(issue_now(&ws, ft.id, "t").await.expect("issue converted"));
            assert!(ft.number.starts_with("FT "), "{}", ft.number);
            assert_eq!(ft.total, doc.total);
        }
    }
}

#[tokio::test]
async fn a_draft_dated_before_the_series_last_document_is_refused_with_what_to_do_then_issued_once_redated() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let dir = tempfile::tempdir().expect("dir");
    let (ws, customer) = connected(dir.path(), &standin).await;
    // queued yesterday, left there past midnight while today's invoice went first
    let yesterday = today() - chrono::Duration::days(1);
    let late = draft(&ws, customer, DocType::Ft, yesterday).await;
    issue::request_issue(&ws, late.id).await.expect("queue");
    let first = draft(&ws, customer, DocType::Ft, today()).await;
    issued(issue_now(&ws, first.id, "t").await.expect("issue today's"));
    let message = match issue_now(&ws, late.id, "t").await.expect("attempt") {
        Outcome::Refused { message } => message,
        other => panic!("expected Moloni's date rule, got {other:?}"),
    };
    let shown = today().format("%d/%m/%Y").to_string();
    assert!(message.pt.contains(&shown) && message.pt.contains("Mude a data"), "{}", message.pt);
    let back = documents::get(&ws, late.id).await.expect("doc");
    assert_eq!(back.state, DocState::Draft, "refused: back to draft, editable");
    let queue = issue::queue(&ws).await.expect("queue");
    let row = queue.iter().find(|r| r.document_id == late.id).expect("listed");
    assert!(row.last_message.as_ref().is_some_and(|m| m.pt.contains("Mude a data")), "{row:?}");
    // redated to today, it is issued (the Moloni draft of the old content is deleted, not closed)
    let mut input = back.to_input();
    input.date = today().to_string();
    documents::save_draft(&ws, Some(late.id), &input).await.expect("redate");
    let doc = issued(issue_now(&ws, late.id, "t").await.expect("issue again"));
    assert!(doc.number.starts_with("FT "), "{}", doc.number);
    let api = desk_core::moloni::client(&ws).await.expect("client").expect("connected");
    let all = api.company(COMPANY).documents_count(moloni::DocumentKind::Invoice).await.expect("count");
    assert_eq!(all, 2, "two invoices in Moloni, no draft left behind");
}

#[tokio::test]
async fn a_request_stopped_for_review_is_tried_again_and_issued() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let dir = tempfile::tempdir().expect("dir");
    let (ws, customer) = connected(dir.path(), &standin).await;
    let d = draft(&ws, customer, DocType::Ft, today()).await;
    standin.with_state(|s| s.set_total_skew_cents(1));
    assert!(matches!(issue_now(&ws, d.id, "t").await.expect("attempt"), Outcome::NeedsAttention { .. }));
    let summary = issue::queue_summary(&ws).await.expect("summary");
    assert_eq!((summary.waiting, summary.attention), (0, 1));
    // the cause seen to in Moloni
    standin.with_state(|s| s.set_total_skew_cents(0));
    let doc = issued(retry_now(&ws, d.id, "t").await.expect("retry"));
    assert_eq!(doc.total.to_plain_string(), "98.40");
    // the draft Moloni computed wrongly was deleted, not closed: one invoice in Moloni
    let api = desk_core::moloni::client(&ws).await.expect("client").expect("connected");
    assert_eq!(api.company(COMPANY).documents_count(moloni::DocumentKind::Invoice).await.expect("count"), 1);
    let summary = issue::queue_summary(&ws).await.expect("summary");
    assert_eq!((summary.waiting, summary.attention), (0, 0));
}

#[tokio::test]
async fn the_background_pass_sends_what_was_queued_while_moloni_was_away_and_leaves_unconnected_companies_alone() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let dir = tempfile::tempdir().expect("dir");
    let (mut ws, customer) = connected(dir.path(), &standin).await;
    let ours = draft(&ws, customer, DocType::Ft, today()).await;
    issue::request_issue(&ws, ours.id).await.expect("queue");
    // another company of this folder, not connected to any Moloni company: its request waits
    ws.create_company(&desk_model::company::CompanyInput {
        name: "Outra Empresa, Lda.".into(),
        nif: "503504564".into(),
        ..Default::default()
    })
    .await
    .expect("second company");
    let c2 = customers::create(
        &ws,
        &CustomerInput {
            name: "Cliente B".into(),
            nif: "501234560".into(),
            address: "Rua B 2".into(),
            postal_code: "1000-001".into(),
            city: "Lisboa".into(),
            ..Default::default()
        },
    )
    .await
    .expect("customer");
    let other = draft(&ws, c2.id, DocType::Ft, today()).await;
    issue::request_issue(&ws, other.id).await.expect("queue other");

    // Moloni away: the pass leaves the request queued, with why
    standin.add_fault(Fault::new("*", When::Before, FaultKind::Unavailable).times(1000));
    let away = worker::pass(&ws, "bg").await.expect("pass");
    assert_eq!((away.issued, away.retried), (0, 1), "{away:?}");
    assert!(away.error.is_some());
    // back: the next pass issues it
    standin.clear_faults();
    let back = worker::pass(&ws, "bg").await.expect("pass");
    assert_eq!((back.issued, back.retried, back.stopped), (1, 0, 0), "{back:?}");
    let first_company = ws.companies().await.expect("list").into_iter().find(|c| c.name != "Outra Empresa, Lda.");
    ws.switch_company(first_company.expect("first").id).await.expect("switch");
    assert!(documents::get(&ws, ours.id).await.expect("doc").state.is_issued());
    // the unconnected company's request is untouched
    let untouched = worker::pass(&ws, "bg").await.expect("pass");
    assert_eq!((untouched.issued, untouched.retried), (0, 0));
    let other_cx = ws.for_company(other.company_id).await.expect("ctx");
    let state = issue::request_state(&other_cx, other.id).await.expect("state").expect("request");
    assert_eq!((state.state.as_str(), state.attempts), ("pending", 0));
}

#[tokio::test]
async fn molonis_pdf_is_downloaded_once_and_opens_offline_afterwards() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let dir = tempfile::tempdir().expect("dir");
    let (ws, customer) = connected(dir.path(), &standin).await;
    let d = draft(&ws, customer, DocType::Ft, today()).await;
    let doc = issued(issue_now(&ws, d.id, "t").await.expect("issue"));
    let draft_refused = pdf::fetch(&ws, dir.path(), draft(&ws, customer, DocType::Ft, today()).await.id).await;
    assert!(draft_refused.is_err(), "a draft has no Moloni PDF");
    let kept = pdf::fetch(&ws, dir.path(), doc.id).await.expect("download");
    let bytes = std::fs::read(&kept.path).expect("kept file");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    assert_eq!(kept.pages, 1);
    assert!(kept.path.starts_with(&dir.path().join("moloni-pdf").display().to_string()), "{}", kept.path);
    // Moloni away: the kept copy still opens
    standin.add_fault(Fault::new("*", When::Before, FaultKind::Unavailable).times(1000));
    let again = pdf::fetch(&ws, dir.path(), doc.id).await.expect("offline");
    assert_eq!(again.path, kept.path);
}

/// Withholding per line (issue 13, CIRS art. 101) goes to Moloni as each line's deduction: 23 % on the fees'
/// 1.000,00 € and nothing on the book (its own rate 0): 230,00 € withheld, equal on both sides. A rate Moloni has
/// no deduction for is refused before anything is made, with what to do.
#[tokio::test]
async fn withholding_goes_to_moloni_per_line_and_an_unknown_rate_says_what_to_create() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let dir = tempfile::tempdir().expect("dir");
    let (ws, customer) = connected(dir.path(), &standin).await;
    let mut book = line("Livro de apoio", "1", "50");
    book.withholding = "0".into();
    let input = DocumentInput {
        customer_id: Some(customer),
        withholding: "23".into(),
        lines: vec![line("Honorários", "1", "1000"), book],
        ..DocumentInput::new(DocType::Ft, &today().to_string())
    };
    let d = documents::save_draft(&ws, None, &input).await.expect("save");
    assert_eq!(d.lines[1].withholding.map(|p| p.0.to_string()), Some("0".into()), "the line's own rate is stored");
    // 1.050,00 + 23 % VAT = 1.291,50; 23 % of 1.000,00 withheld = 230,00; 1.061,50 to pay
    assert_eq!(
        (d.total.to_plain_string(), d.withholding.to_plain_string(), (d.total - d.withholding).to_plain_string()),
        ("1291.50".into(), "230.00".into(), "1061.50".into())
    );
    let doc = issued(issue_now(&ws, d.id, "t").await.expect("issue"));
    let moloni_id = doc.fiscal.as_ref().map(|f| f.moloni_id).expect("fiscal");
    let api = desk_core::moloni::client(&ws).await.expect("client").expect("connected");
    let m = api
        .company(COMPANY)
        .document_get(moloni::DocumentKind::Invoice, moloni_id)
        .await
        .expect("get")
        .expect("in Moloni");
    assert_eq!(m.deduction_value, rust_decimal::Decimal::new(23000, 2));

    let mut odd = line("Arrendamento", "1", "100");
    odd.withholding = "20".into();
    let input = DocumentInput {
        customer_id: Some(customer),
        lines: vec![odd],
        ..DocumentInput::new(DocType::Ft, &today().to_string())
    };
    let d = documents::save_draft(&ws, None, &input).await.expect("save");
    match issue_now(&ws, d.id, "t").await.expect("attempt") {
        Outcome::Refused { message } => {
            assert!(message.pt.contains("20 %") && message.pt.contains("Retenções"), "{}", message.pt)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}
