//! The stand-in against the recordings: for each recorded request (tests/fixtures/moloni-recorded), the
//! stand-in's answer to the same request has the same shape — the same keys, and values of the same JSON
//! types, down every nested object and list.

use moloni::{Client, Config, Credentials, DocumentKind, NewAssociation, NewDocument, NewLine, Secret};
use moloni_standin::{Options, StandIn};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::path::Path;

const COMPANY: i64 = moloni_standin::seed::DEMO_COMPANY;

/// Differences between a recorded value and ours. A recorded `null` says nothing about the type; an empty
/// list on either side has no element to compare.
fn diff(path: &str, recorded: &Value, ours: &Value, out: &mut Vec<String>) {
    match (recorded, ours) {
        (Value::Null, _) => {}
        (Value::Object(r), Value::Object(o)) => {
            for k in r.keys().filter(|k| !o.contains_key(*k)) {
                out.push(format!("{path}.{k}: missing"));
            }
            for k in o.keys().filter(|k| !r.contains_key(*k)) {
                out.push(format!("{path}.{k}: not in the recording"));
            }
            for (k, v) in r {
                if let Some(ov) = o.get(k) {
                    diff(&format!("{path}.{k}"), v, ov, out);
                }
            }
        }
        (Value::Array(r), Value::Array(o)) => {
            if let (Some(r0), Some(o0)) = (r.first(), o.first()) {
                diff(&format!("{path}[0]"), r0, o0, out);
            }
        }
        (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        (r, o) => out.push(format!("{path}: recorded {}, stand-in {}", kind(r), kind(o))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[tokio::test]
async fn every_recorded_request_gets_an_answer_of_the_same_shape() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let creds = Credentials {
        client_id: "desk-demo".into(),
        client_secret: Secret::new("desk-demo-secret"),
        username: "demo@desk.pt".into(),
        password: Some(Secret::new("demo")),
    };
    let client = Client::new(Config::new(standin.url()), creds).expect("client");
    let api = client.company(COMPANY);
    // Something in every list: a closed document of each recorded type.
    let customer = api.customers_by_vat("501234560").await.expect("customer")[0].customer_id;
    let product = api.products_by_reference("CONS-H").await.expect("product")[0].product_id;
    let line = NewLine {
        product_id: product,
        qty: Decimal::ONE,
        price: Decimal::from(60),
        taxes: vec![moloni::LineTax { tax_id: 101, value: Decimal::from(23), order: 1, cumulative: 0 }],
        ..NewLine::default()
    };
    let base = NewDocument {
        date: "2026-03-02".into(),
        expiration_date: "2026-04-01".into(),
        document_set_id: 201,
        customer_id: customer,
        products: vec![line],
        ..NewDocument::default()
    };
    let invoice = api.document_insert(DocumentKind::Invoice, &base).await.expect("invoice");
    api.document_close(DocumentKind::Invoice, invoice).await.expect("close");
    let assoc = vec![NewAssociation { associated_id: invoice, value: Decimal::new(7380, 2) }];
    for resource in [
        "creditNotes",
        "invoiceReceipts",
        "receipts",
        "billsOfLading",
        "purchaseOrder",
        "supplierInvoices",
        "supplierPurchaseOrder",
    ] {
        let mut body = serde_json::to_value(&base).expect("json");
        body["company_id"] = COMPANY.into();
        body["status"] = 1.into();
        if matches!(resource, "creditNotes" | "receipts") {
            body["associated_documents"] = serde_json::to_value(&assoc).expect("json");
        }
        if resource == "receipts" {
            body["products"] = json!([]);
            body["net_value"] = json!("73.80");
        }
        let answer =
            client.call_value(&format!("{resource}/insert"), body).await.unwrap_or_else(|e| panic!("{resource}: {e}"));
        assert_eq!(answer["valid"], 1, "{resource}");
    }

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/moloni-recorded/v1");
    let mut compared = 0;
    let mut problems = Vec::new();
    for resource in std::fs::read_dir(&dir).expect("recordings") {
        let resource = resource.expect("entry").path();
        for method in std::fs::read_dir(&resource).expect("methods") {
            let method = method.expect("entry").path();
            let endpoint = format!(
                "{}/{}",
                resource.file_name().and_then(|n| n.to_str()).unwrap_or_default(),
                method.file_name().and_then(|n| n.to_str()).unwrap_or_default()
            );
            let recorded: Value =
                serde_json::from_slice(&std::fs::read(method.join("response.json")).expect("read")).expect("json");
            let ours = client
                .call_value(&endpoint, json!({ "company_id": COMPANY }))
                .await
                .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
            let recorded_one =
                if let Value::Array(a) = &recorded { a.first().cloned() } else { Some(recorded.clone()) };
            let ours_one = if let Value::Array(a) = &ours { a.first().cloned() } else { Some(ours.clone()) };
            assert_eq!(recorded.is_array(), ours.is_array(), "{endpoint}: a list on one side only");
            match (recorded_one, ours_one) {
                (Some(r), Some(o)) => diff(&endpoint, &r, &o, &mut problems),
                (None, _) => {} // the recording is an empty list: nothing to compare
                (Some(_), None) => problems.push(format!("{endpoint}: the stand-in answered an empty list")),
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 27);
    assert!(problems.is_empty(), "shape differences:\n{}", problems.join("\n"));
}
