//! The office set-up the Moloni end-to-end tests share: a company with its issuer block, connected to the
//! stand-in, a customer and a draft invoice.

use desk_core::{customers, documents, Workspace};
use desk_model::company::CompanyInput;
use desk_model::document::DocType;
use desk_model::ipc::{CustomerInput, DocumentInput, FirstRunInput, LineInput, MoloniConnectInput};
use moloni_standin::StandIn;
use uuid::Uuid;

/// A line at a VAT code.
#[allow(dead_code)] // not every test file that includes this module makes lines of its own
pub fn line(desc: &str, qty: &str, price: &str, code: &str) -> LineInput {
    LineInput {
        description: desc.into(),
        quantity: qty.into(),
        unit_price: price.into(),
        tax_code: code.into(),
        ..Default::default()
    }
}

/// The office's set-up, through the engine: a company with its issuer block, connected to Moloni, a customer and
/// a draft invoice (3 × 2,37 at 23 % and 2 × 1,50 at 6 %: 11,93 €). Returns the draft and the customer.
pub async fn office(dir: &std::path::Path, standin: &StandIn) -> (Uuid, Uuid) {
    let mut ws = Workspace::open_dir(dir, "set-up".into()).await.expect("open");
    let first = FirstRunInput {
        company_name: "Demo Contabilidade, Lda".into(),
        company_nif: String::new(),
        load_sample_data: false,
    };
    ws.complete_first_run(&first).await.expect("first run");
    let profile = CompanyInput {
        name: "Demo Contabilidade, Lda".into(),
        nif: "509442013".into(),
        address: "Rua do Ouro 12".into(),
        postal_code: "1100-060".into(),
        city: "Lisboa".into(),
        ..Default::default()
    };
    ws.update_company(&profile).await.expect("company");
    let connect = MoloniConnectInput {
        url: standin.url(),
        client_id: "desk-demo".into(),
        client_secret: "desk-demo-secret".into(),
        user: "demo@desk.pt".into(),
        password: "demo".into(),
        company_id: Some(moloni_standin::seed::DEMO_COMPANY),
    };
    desk_core::moloni::connect(&ws, &connect).await.expect("connect");
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
    let input = DocumentInput {
        customer_id: Some(c.id),
        lines: vec![line("Pão", "3", "2,37", "NOR"), line("Bolo", "2", "1,50", "RED")],
        ..DocumentInput::new(DocType::Ft, &chrono::Local::now().date_naive().to_string())
    };
    let d = documents::save_draft(&ws, None, &input).await.expect("draft");
    ws.store().close().await;
    (d.id, c.id)
}
