//! The company's fiscal settings through the engine (issue 13): the VAT regime and Moloni's rounding method are
//! stored with the company; drafts are totalled by its method; a cash-VAT company's documents say "IVA – regime
//! de caixa"; and issuing is refused when the document lacks what its exemption codes or withholding need from
//! the parties, or what an FS needs (goods only under the retail limit, a company buyer's NIF).

mod pdf_tools;

use chrono::{Duration, Utc};
use desk_core::documents::{self, issue};
use desk_core::{customers, printing, products, Workspace};
use desk_model::company::{CompanyInput, FiscalSettings, VatRegime};
use desk_model::document::{DocType, RoundingMethod};
use desk_model::ipc::{CustomerInput, DocumentInput, FiscalData, LineInput, ProductInput, ProductKind};
use desk_model::money::Money;
use desk_model::msg::Lang;
use pdf_tools::{squash, text, workdir};
use uuid::Uuid;

fn company(fiscal: FiscalSettings) -> CompanyInput {
    CompanyInput {
        name: "Contabilidade Rio, Lda".into(),
        nif: "509442013".into(),
        address: "Rua do Ouro 12".into(),
        postal_code: "1100-060".into(),
        city: "Lisboa".into(),
        lang: Lang::En,
        fiscal,
        ..CompanyInput::default()
    }
}

async fn customer(ws: &Workspace, nif: &str, country: &str) -> Uuid {
    let c = CustomerInput {
        name: "Cliente".into(),
        nif: nif.into(),
        country: country.into(),
        address: "Rua 1".into(),
        city: "Cidade".into(),
        ..Default::default()
    };
    customers::create(ws, &c).await.expect("customer").id
}

fn line(description: &str, price: &str, code: &str, exemption: &str) -> LineInput {
    LineInput {
        description: description.into(),
        quantity: "1".into(),
        unit_price: price.into(),
        tax_code: code.into(),
        exemption: exemption.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn rule_moloni_rounding_per_line_and_cash_vat_mention_come_from_the_company() {
    let dir = workdir();
    let mut ws = Workspace::open_dir(&dir.path().join("data"), "tester".into()).await.expect("open");
    let fiscal = FiscalSettings { vat_regime: VatRegime::CashVat, rounding: RoundingMethod::Line };
    assert_eq!(ws.update_company(&company(fiscal)).await.expect("company").fiscal, fiscal);
    assert_eq!(ws.company_profile().await.expect("read").fiscal, fiscal, "stored with the company");
    let c = customer(&ws, "501964843", "PT").await;
    // Three lines of 2.37 at 23 %: per line 3 × 0.55 = 1.65 VAT, total 8.76 (per document it would be 8.75).
    let input = DocumentInput {
        customer_id: Some(c),
        lines: vec![line("Caneta", "2.37", "NOR", ""); 3],
        ..DocumentInput::new(DocType::Ft, &Utc::now().date_naive().to_string())
    };
    let d = documents::save_draft(&ws, None, &input).await.expect("draft");
    assert_eq!((d.vat, d.total), (Money::from_cents(165), Money::from_cents(876)));
    let file = dir.path().join("ft.pdf");
    printing::save(&ws, d.id, Lang::Pt, &file).await.expect("pdf");
    let t = squash(&text(&file));
    assert!(t.contains("IVA – regime de caixa") && t.contains("Total 8,76 €"), "{t}");
}

#[tokio::test]
async fn rule_issuing_is_refused_when_the_parties_do_not_fit_the_exemption_or_withholding() {
    let dir = workdir();
    let mut ws = Workspace::open_dir(&dir.path().join("data"), "tester".into()).await.expect("open");
    ws.update_company(&company(FiscalSettings::default())).await.expect("company");
    let today = Utc::now().date_naive().to_string();
    let pt = customer(&ws, "501964843", "PT").await;
    let es = customer(&ws, "ESA12345674", "ES").await;
    let try_issue = |customer: Uuid, lines: Vec<LineInput>, withholding: &str| {
        let input = DocumentInput {
            customer_id: Some(customer),
            lines,
            withholding: withholding.into(),
            ..DocumentInput::new(DocType::Ft, &today)
        };
        let ws = &ws;
        async move {
            let d = documents::save_draft(ws, None, &input).await.expect("a draft may be saved");
            issue::request_issue(ws, d.id).await.map_err(|e| e.to_app_error())
        }
    };
    // M16 (intra-EU supply of goods) to a Portuguese customer: refused, on the line's tax.
    let e = try_issue(pt, vec![line("Cortiça", "100", "ISE", "M16")], "").await.expect_err("M16 to PT");
    assert!(e.field("lines[0].tax").is_some_and(|m| m.en.contains("valid VAT number")), "{e:?}");
    // The same to a Spanish company with a valid VAT number: queued.
    let d = try_issue(es, vec![line("Cortiça", "100", "ISE", "M16")], "").await.expect("M16 to ES");
    // Withholding towards a foreign customer: refused.
    let e = try_issue(es, vec![line("Consultoria", "100", "ISE", "M40")], "23").await.expect_err("withholding");
    assert!(e.field("withholding").is_some(), "{e:?}");
    // M10 by a company not in the art. 53 regime: refused.
    let e = try_issue(pt, vec![line("Serviço", "100", "ISE", "M10")], "").await.expect_err("M10");
    assert!(e.field("lines[0].tax").is_some_and(|m| m.en.contains("art. 53")), "{e:?}");
    // The queued document goes on to be issued normally.
    let claim = issue::claim_issue(&ws, d.id, "test", Duration::minutes(5)).await.expect("claim");
    let fiscal = FiscalData {
        moloni_id: 1,
        document_set_id: Some(1),
        number: "FT 2026A/1".into(),
        series: "2026A".into(),
        atcud: "JJ8XK2PM-1".into(),
        hash4: "Ab9z".into(),
        issued_at: Utc::now(),
        net: d.net,
        vat: d.vat,
        total: d.total,
    };
    issue::mark_issued(&ws, &claim, &fiscal).await.expect("issued");
}

#[tokio::test]
async fn rule_civa_40_an_fs_checks_what_each_line_sold_and_a_company_buyers_nif() {
    let dir = workdir();
    let mut ws = Workspace::open_dir(&dir.path().join("data"), "tester".into()).await.expect("open");
    ws.update_company(&company(FiscalSettings::default())).await.expect("company");
    let today = Utc::now().date_naive().to_string();
    let product = |reference: &str, kind: ProductKind| ProductInput {
        reference: reference.into(),
        name: reference.into(),
        kind,
        price: "200".into(),
        lang: Lang::En,
        ..ProductInput::default()
    };
    let goods = products::create(&ws, &product("CADEIRA", ProductKind::Product)).await.expect("goods").id;
    let service = products::create(&ws, &product("MONTAGEM", ProductKind::Service)).await.expect("service").id;
    let fs = |customer: Option<Uuid>, product_id: Option<Uuid>| DocumentInput {
        customer_id: customer,
        retail_b2c: true,
        lines: vec![LineInput { product_id, ..line("Cadeira", "200", "NOR", "") }],
        ..DocumentInput::new(DocType::Fs, &today)
    };
    let try_issue = |input: DocumentInput| {
        let ws = &ws;
        async move {
            let d = documents::save_draft(ws, None, &input).await.expect("a draft may be saved");
            issue::request_issue(ws, d.id).await.map_err(|e| e.to_app_error())
        }
    };
    // 200 + 23 % = 246.00: over the €100 of any FS, within the €1,000 a retailer may sell to a consumer — goods only.
    let e = try_issue(fs(None, Some(service))).await.expect_err("a service under the retail limit");
    assert!(e.field("lines[0].retail_b2c").is_some_and(|m| m.en.contains("goods only")), "{e:?}");
    let d = try_issue(fs(None, Some(goods))).await.expect("goods to a consumer");
    assert_eq!(d.total, Money::from_cents(24_600));
    // A line typed freely is not known to be a service.
    try_issue(fs(None, None)).await.expect("a line without a product");

    // A buyer named as a company needs its NIF on an FS too (art. 40 n.º 2); 50 + 23 % = 61.50, an ordinary FS.
    let company_buyer =
        |nif: &str| CustomerInput { name: "Padaria Ribeiro, Lda.".into(), nif: nif.into(), ..Default::default() };
    let no_nif = customers::create(&ws, &company_buyer("")).await.expect("customer").id;
    let small = |customer| DocumentInput {
        customer_id: Some(customer),
        lines: vec![line("Pão", "50", "NOR", "")],
        ..DocumentInput::new(DocType::Fs, &today)
    };
    let e = try_issue(small(no_nif)).await.expect_err("a company without its NIF");
    assert!(e.field("customer").is_some_and(|m| m.pt.contains("indique o NIF")), "{e:?}");
    let with_nif = customers::create(&ws, &company_buyer("501964843")).await.expect("customer").id;
    try_issue(small(with_nif)).await.expect("the same FS with the company's NIF");
}
