//! IRS withholding through the engine (issue 13, CIRS art. 101): a draft saved with a 23 % rate stores the rate,
//! the amount and the supply date; once issued its open balance and paid state are measured on the amount
//! payable (total − withholding); its credit note gives the withholding back; its PDF shows it after the total.

mod pdf_tools;

use chrono::{Duration, Utc};
use desk_core::documents::{self, issue};
use desk_core::{customers, payments, printing, Workspace};
use desk_model::company::CompanyInput;
use desk_model::document::{DocState, DocType};
use desk_model::ipc::{CustomerInput, Document, DocumentInput, FiscalData, LineInput, PaymentInput};
use desk_model::money::{Money, Percent};
use desk_model::msg::Lang;
use pdf_tools::{squash, text, workdir};
use rust_decimal::Decimal;

async fn issue_it(ws: &Workspace, doc: &Document, n: i64) -> Document {
    issue::request_issue(ws, doc.id).await.expect("request");
    let claim = issue::claim_issue(ws, doc.id, "test", Duration::minutes(5)).await.expect("claim");
    let fiscal = FiscalData {
        moloni_id: 5000 + n,
        document_set_id: Some(1),
        number: format!("{} 2026A/{n}", doc.doc_type.saft_code()),
        series: "2026A".into(),
        atcud: format!("JJ8XK2PM-{n}"),
        hash4: "Ab9z".into(),
        issued_at: Utc::now(),
        net: doc.net,
        vat: doc.vat,
        total: doc.total,
    };
    issue::mark_issued(ws, &claim, &fiscal).await.expect("issued")
}

#[tokio::test]
async fn rule_cirs_101_a_withheld_invoice_is_paid_at_its_amount_payable() {
    let dir = workdir();
    let mut ws = Workspace::open_dir(&dir.path().join("data"), "tester".into()).await.expect("open");
    // A freelancer in the art. 151 table, billing a company that withholds.
    let profile = CompanyInput {
        name: "Ana Sofia Ribeiro".into(),
        nif: "123456789".into(),
        address: "Rua do Brasil 12".into(),
        postal_code: "3030-175".into(),
        city: "Coimbra".into(),
        lang: Lang::En,
        ..CompanyInput::default()
    };
    ws.update_company(&profile).await.expect("profile");
    let c = CustomerInput {
        name: "Padaria São João, Lda".into(),
        nif: "501964843".into(),
        address: "Rua Conde de Ançã, 27".into(),
        postal_code: "3000-123".into(),
        city: "Coimbra".into(),
        ..Default::default()
    };
    let customer = customers::create(&ws, &c).await.expect("customer").id;
    let today = Utc::now().date_naive();
    // 1,000.00 of fees at 23 % VAT: total 1,230.00; 23 % withheld on 1,000.00 = 230.00; payable 1,000.00.
    let input = DocumentInput {
        customer_id: Some(customer),
        withholding: "23".into(),
        supply_date: (today - Duration::days(2)).to_string(),
        lines: vec![LineInput {
            description: "Honorários de consultoria".into(),
            quantity: "1".into(),
            unit_price: "1000".into(),
            tax_code: "NOR".into(),
            ..Default::default()
        }],
        ..DocumentInput::new(DocType::Ft, &today.to_string())
    };
    let draft = documents::save_draft(&ws, None, &input).await.expect("draft");
    assert_eq!(draft.withholding_rate, Some(Percent(Decimal::new(23, 0))));
    assert_eq!((draft.total, draft.withholding), (Money::from_cents(123_000), Money::from_cents(23_000)));
    assert_eq!(draft.supply_date, Some(today - Duration::days(2)));
    assert_eq!(documents::get(&ws, draft.id).await.expect("read"), draft, "what a save returns is what a read gives");
    assert_eq!(draft.to_input().withholding, "23");

    let invoice = issue_it(&ws, &draft, 1).await;
    assert_eq!((invoice.state, invoice.open_balance), (DocState::Unpaid, Money::from_cents(100_000)));
    let pay = PaymentInput {
        document_id: invoice.id,
        date: today.to_string(),
        amount: "1000".into(),
        method: "Transferência bancária".into(),
        notes: String::new(),
        lang: Lang::En,
    };
    // More than the amount payable is refused: the 230.00 goes to the State, not to the issuer.
    assert!(payments::record(&ws, &PaymentInput { amount: "1000.01".into(), ..pay.clone() }).await.is_err());
    payments::record(&ws, &pay).await.expect("pay");
    let paid = documents::get(&ws, invoice.id).await.expect("paid");
    assert_eq!((paid.state, paid.open_balance), (DocState::Paid, Money::ZERO));

    // The printed invoice shows the withholding after the total, then the amount payable, and the supply date.
    let file = dir.path().join("ft.pdf");
    printing::save(&ws, invoice.id, Lang::Pt, &file).await.expect("pdf");
    let t = squash(&text(&file));
    for present in
        ["Total 1.230,00 €", "Retenção na fonte (23 %) 230,00 €", "Total a pagar 1.000,00 €", "Data de fornecimento"]
    {
        assert!(t.contains(present), "missing {present:?} in:\n{t}");
    }
    let view = printing::view(&ws, invoice.id, Lang::Pt).await.expect("view");
    let payload = view.fiscal.map(|f| f.qr_payload).unwrap_or_default();
    assert!(payload.contains("*O:1230.00*P:230.00*"), "{payload}");

    // A second invoice credited in full: the note carries the withholding, and the invoice is settled.
    let second = issue_it(&ws, &documents::save_draft(&ws, None, &input).await.expect("draft 2"), 2).await;
    let nc = documents::convert(&ws, second.id, DocType::Nc, "Serviço não prestado", Some(today)).await.expect("nc");
    assert_eq!((nc.withholding_rate, nc.withholding), (Some(Percent(Decimal::new(23, 0))), Money::from_cents(23_000)));
    issue_it(&ws, &nc, 3).await;
    let credited = documents::get(&ws, second.id).await.expect("credited");
    assert_eq!(
        (credited.credited, credited.open_balance, credited.state),
        (Money::from_cents(100_000), Money::ZERO, DocState::Paid)
    );
    // Credited in full, it cannot be credited again (Despacho 8632/2014 §3.3.7), and nothing is stored.
    let err = documents::convert(&ws, second.id, DocType::Nc, "Outra vez", Some(today)).await.expect_err("twice");
    let app = err.to_app_error();
    assert!(app.field("total").is_some_and(|m| m.en.contains("cannot credit more than the invoice")), "{app:?}");
}
