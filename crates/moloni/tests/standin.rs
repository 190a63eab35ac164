//! The client against the stand-in (in-process, port 0): every endpoint the app uses, and each fault —
//! a refresh on an expired token, back-off honouring Retry-After, a lost answer reported as unknown,
//! validation errors with their field and a pt-PT message.

use moloni::types::Document;
use moloni::{
    Client, Config, Credentials, DocumentKind, Error, NewAssociation, NewCustomer, NewDocument, NewLine, RetryPolicy,
    Secret,
};
use moloni::{LineTax, NewProduct};
use moloni_standin::{Fault, FaultKind, Options, StandIn, When};
use rust_decimal::Decimal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COMPANY: i64 = moloni_standin::seed::DEMO_COMPANY;

fn config(url: &str) -> Config {
    Config {
        timeout: Duration::from_millis(1500),
        retry: RetryPolicy {
            max_retries: 3,
            min_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(5),
        },
        ..Config::new(url)
    }
}

fn creds(password: &str) -> Credentials {
    Credentials {
        client_id: "desk-demo".into(),
        client_secret: Secret::new("desk-demo-secret"),
        username: "demo@desk.pt".into(),
        password: Some(Secret::new(password)),
    }
}

async fn setup() -> (StandIn, Client, Arc<Mutex<Vec<String>>>) {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink_seen = seen.clone();
    let client = Client::new(config(&standin.url()), creds("demo"))
        .expect("client")
        .on_tokens(Arc::new(move |t: &Secret| sink_seen.lock().expect("lock").push(t.expose().to_string())));
    (standin, client, seen)
}

fn line(product_id: i64, qty: i64, price: Decimal, tax_id: i64) -> NewLine {
    NewLine {
        product_id,
        name: String::new(),
        qty: Decimal::from(qty),
        price,
        taxes: vec![LineTax { tax_id, value: Decimal::ZERO, order: 1, cumulative: 0 }],
        ..NewLine::default()
    }
}

fn invoice(customer_id: i64, product_id: i64, reference: &str) -> NewDocument {
    NewDocument {
        date: "2026-03-02".into(),
        expiration_date: "2026-04-01".into(),
        document_set_id: 201,
        customer_id,
        our_reference: reference.into(),
        products: vec![line(product_id, 2, Decimal::new(6000, 2), 101)],
        ..NewDocument::default()
    }
}

async fn ids(client: &Client) -> (i64, i64) {
    let api = client.company(COMPANY);
    let customer = api.customers_by_vat("501234560").await.expect("by vat")[0].customer_id;
    let product = api.products_by_reference("CONS-H").await.expect("by reference")[0].product_id;
    (customer, product)
}

#[tokio::test]
async fn every_endpoint_the_app_uses() {
    let (standin, client, seen) = setup().await;
    client.login().await.expect("login");
    let companies = client.companies().await.expect("companies");
    assert_eq!(companies.len(), 1);
    assert_eq!(companies[0].company_id, COMPANY);
    let api = client.company(COMPANY);
    assert_eq!(api.taxes().await.expect("taxes").len(), 4);
    let sets = api.document_sets().await.expect("sets");
    assert!(sets[0].document_set_at_codes.iter().any(|c| c.document_type_id == 1));
    assert_eq!(api.payment_methods().await.expect("payment methods").len(), 3);
    assert_eq!(api.maturity_dates().await.expect("maturity dates")[1].days, 30);
    assert_eq!(api.measurement_units().await.expect("units").len(), 3);
    assert_eq!(api.countries().await.expect("countries")[0].iso_3166_1, "pt");
    assert!(api.tax_exemptions().await.expect("exemptions").iter().any(|e| e.code == "M07"));

    // Customers.
    assert_eq!(api.customers().await.expect("customers").len(), 3);
    let next = api.customers_next_number().await.expect("next number");
    assert_eq!(next, "10000");
    let new = NewCustomer {
        number: next.clone(),
        name: "Oficina Lopes".into(),
        vat: "503504564".into(),
        address: "Rua Direita 5".into(),
        zip_code: "3000-001".into(),
        city: "Coimbra".into(),
        country_id: 1,
        language_id: 1,
        email: "lopes@example.pt".into(),
        ..NewCustomer::default()
    };
    let id = api.customer_insert(&new).await.expect("insert customer");
    assert_eq!(api.customers_by_email("lopes@example.pt").await.expect("by email")[0].customer_id, id);
    let renamed = NewCustomer { name: "Oficina Lopes & Filhos".into(), ..new.clone() };
    assert_eq!(api.customer_update(id, &renamed).await.expect("update"), id);
    let changed = api.customers_modified_since("2000-01-01 00:00:00").await.expect("modified since");
    assert!(changed.iter().any(|c| c.customer_id == id && c.name == "Oficina Lopes & Filhos"));

    // Products.
    assert_eq!(api.products(601).await.expect("products").len(), 3);
    let pid = api
        .product_insert(&NewProduct {
            category_id: 601,
            kind: 2,
            name: "Auditoria".into(),
            reference: "AUD".into(),
            price: Decimal::from(500),
            unit_id: 502,
            taxes: vec![LineTax { tax_id: 101, value: Decimal::from(23), order: 1, cumulative: 0 }],
            ..NewProduct::default()
        })
        .await
        .expect("insert product");
    assert_eq!(api.products_by_reference("AUD").await.expect("by ref")[0].product_id, pid);
    assert!(api
        .products_modified_since("2000-01-01 00:00:00")
        .await
        .expect("modified")
        .iter()
        .any(|p| p.product_id == pid));

    // Every document type: insert as draft, read back, find by our reference, close, PDF, cancel.
    let (customer, product) = ids(&client).await;
    let mut closed_invoice = 0;
    for kind in DocumentKind::ALL {
        let reference = format!("desk-{}", kind.resource());
        let mut d = invoice(customer, product, &reference);
        if matches!(kind, DocumentKind::CreditNote | DocumentKind::DebitNote) {
            d.associated_documents = vec![NewAssociation { associated_id: closed_invoice, value: Decimal::ZERO }];
        }
        if kind == DocumentKind::Receipt {
            d.products.clear();
            d.associated_documents =
                vec![NewAssociation { associated_id: closed_invoice, value: Decimal::new(14760, 2) }];
            d.net_value = Some(Decimal::new(14760, 2));
        }
        let id = api.document_insert(kind, &d).await.unwrap_or_else(|e| panic!("insert {kind:?}: {e}"));
        let draft = api.document_get(kind, id).await.expect("get").expect("exists");
        assert_eq!((draft.status, draft.number), (0, -1));
        if kind != DocumentKind::Receipt {
            // 2 × 60 + 23 % VAT, by the stand-in's own arithmetic.
            assert_eq!(draft.net_value, Decimal::new(14760, 2), "{kind:?}");
            assert_eq!(draft.products.len(), 1);
        }
        let found = api.documents_by_our_reference(kind, &reference).await.expect("by reference");
        assert_eq!(found.iter().map(|d| d.document_id).collect::<Vec<_>>(), vec![id]);
        assert_eq!(api.document_close(kind, id).await.expect("close"), id);
        let closed: Document = api.document_get(kind, id).await.expect("get").expect("exists");
        assert_eq!((closed.status, closed.number), (1, 1), "{kind:?}");
        let at = &sets[0]
            .document_set_at_codes
            .iter()
            .find(|c| c.document_type_id == closed.document_type_id)
            .expect("code")
            .document_set_at_code;
        let fiscal = moloni::convert::fiscal_data(kind, &closed, Some(at)).expect("fiscal data");
        assert_eq!(fiscal.atcud, format!("{at}-1"));
        assert_eq!(fiscal.number, format!("{} 2026A/1", moloni::convert::doc_type_of(kind).saft_code()));
        if kind == DocumentKind::Invoice {
            closed_invoice = id;
            assert_eq!(fiscal.hash4.chars().count(), 4);
            let link = api.document_pdf_link(id).await.expect("pdf link");
            assert!(link.url.starts_with(&standin.url()), "{}", link.url);
        }
    }
    assert_eq!(api.documents_count(DocumentKind::Invoice).await.expect("count"), 1);
    let changed = api.documents_modified_since(DocumentKind::Invoice, "2000-01-01 00:00:00").await.expect("modified");
    assert_eq!(changed.len(), 1);
    api.document_cancel(closed_invoice).await.expect("cancel");
    assert_eq!(api.document_get(DocumentKind::Invoice, closed_invoice).await.expect("get").expect("exists").status, 2);
    assert!(api.document_get(DocumentKind::Invoice, 999_999).await.expect("get").is_none());
    // One grant so far: the access token lasted.
    assert_eq!(seen.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn lists_are_paged_by_fifty() {
    let (standin, client, _) = setup().await;
    standin.with_state(|s| {
        for i in 0..120 {
            let id = s.id();
            let fields = serde_json::json!({"number": format!("P{i}"), "name": format!("Cliente {i}"), "vat": "999999990", "country_id": 1});
            let row = moloni_standin::shapes::customer(s, id, COMPANY, fields.as_object().cloned().unwrap_or_default());
            s.table_mut("customers").push(row);
        }
    });
    let all = client.company(COMPANY).customers().await.expect("all pages");
    assert_eq!(all.len(), 123);
    let mut ids: Vec<i64> = all.iter().map(|c| c.customer_id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 123, "no row twice");
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_rotated() {
    let (standin, client, seen) = setup().await;
    client.login().await.expect("login");
    standin.add_fault(Fault::new("companies/getAll", When::Before, FaultKind::ExpiredToken));
    assert_eq!(client.companies().await.expect("after a refresh").len(), 1);
    let tokens = seen.lock().expect("lock").clone();
    assert_eq!(tokens.len(), 2, "login, then one refresh");
    assert_ne!(tokens[0], tokens[1], "the refresh token rotates");
    // The old refresh token is spent.
    let spent = standin.with_state(|s| s.tokens.iter().any(|t| t.refresh == tokens[0]));
    assert!(!spent);
    // An hour later the access token has expired on the server: refreshed again, the call succeeds.
    standin.advance_clock(3700);
    assert_eq!(client.companies().await.expect("after expiry").len(), 1);
    assert_eq!(seen.lock().expect("lock").len(), 3);
    // Fifteen days later the refresh token is dead too: the stored password logs in again.
    standin.advance_clock(15 * 24 * 3600);
    assert_eq!(client.companies().await.expect("after the refresh token expired").len(), 1);
    assert_eq!(seen.lock().expect("lock").len(), 4, "the refresh was refused (no new token), then a password grant");
}

#[tokio::test]
async fn a_token_refused_twice_is_an_error_not_a_loop() {
    let (standin, client, seen) = setup().await;
    client.login().await.expect("login");
    standin.add_fault(Fault::new("taxes/getAll", When::Before, FaultKind::ExpiredToken).times(2));
    let e = client.company(COMPANY).taxes().await.expect_err("refused twice");
    assert!(matches!(e, Error::Unauthorized { .. }), "{e:?}");
    assert_eq!(seen.lock().expect("lock").len(), 2, "exactly one refresh");
    assert!(e.message().pt.contains("Definições › Moloni"));
}

#[tokio::test]
async fn rate_limits_wait_as_retry_after_says() {
    let (standin, client, _) = setup().await;
    client.login().await.expect("login");
    let mut f = Fault::new("taxes/getAll", When::Before, FaultKind::RateLimit);
    f.retry_after = Some(1);
    standin.add_fault(f.times(2));
    let start = Instant::now();
    assert_eq!(client.company(COMPANY).taxes().await.expect("after two 429s").len(), 4);
    let waited = start.elapsed();
    // Two waits of Retry-After: 1 s each, although the back-off alone would wait 20–60 ms.
    assert!(waited >= Duration::from_secs(2), "waited {waited:?}");
    assert!(waited < Duration::from_secs(4), "waited {waited:?}");
    // A write is retried on 429 too (nothing was done), and done once.
    let (customer, product) = ids(&client).await;
    standin.add_fault(Fault::new("invoices/insert", When::Before, FaultKind::RateLimit));
    client
        .company(COMPANY)
        .document_insert(DocumentKind::Invoice, &invoice(customer, product, "rl"))
        .await
        .expect("insert");
    assert_eq!(
        client.company(COMPANY).documents_by_our_reference(DocumentKind::Invoice, "rl").await.expect("find").len(),
        1
    );
}

#[tokio::test]
async fn server_errors_are_retried_on_reads_and_unknown_on_writes() {
    let (standin, client, _) = setup().await;
    client.login().await.expect("login");
    let api = client.company(COMPANY);
    standin.add_fault(Fault::new("paymentMethods/getAll", When::Before, FaultKind::Unavailable));
    standin.add_fault(Fault::new("paymentMethods/getAll", When::Before, FaultKind::ServerError));
    standin.add_fault(Fault::new("paymentMethods/getAll", When::Before, FaultKind::MalformedJson));
    assert_eq!(api.payment_methods().await.expect("after 503, 500 and garbage").len(), 3);
    // Too many: unavailable, said so.
    standin.add_fault(Fault::new("paymentMethods/getAll", When::Before, FaultKind::Unavailable).times(10));
    let e = api.payment_methods().await.expect_err("gives up");
    assert!(matches!(e, Error::Unavailable { status: 503, .. }), "{e:?}");
    standin.clear_faults();
    // A 500 after the work on an insert: the outcome is unknown, and the document is there.
    let (customer, product) = ids(&client).await;
    standin.add_fault(Fault::new("invoices/insert", When::After, FaultKind::ServerError));
    let e = api.document_insert(DocumentKind::Invoice, &invoice(customer, product, "s500")).await.expect_err("unknown");
    assert!(e.outcome_unknown(), "{e:?}");
    assert_eq!(
        api.documents_by_our_reference(DocumentKind::Invoice, "s500").await.expect("find").len(),
        1,
        "done once, not retried"
    );
}

#[tokio::test]
async fn timeouts_and_lost_answers_are_outcome_unknown() {
    let (standin, client, _) = setup().await;
    client.login().await.expect("login");
    let api = client.company(COMPANY);
    let (customer, product) = ids(&client).await;
    for (kind, reference) in [
        (FaultKind::Timeout, "t-after"),
        (FaultKind::LostResponse, "lost-after"),
        (FaultKind::MalformedJson, "bad-after"),
    ] {
        let mut f = Fault::new("invoices/insert", When::After, kind);
        f.delay_ms = Some(3000);
        standin.add_fault(f);
        let e = api
            .document_insert(DocumentKind::Invoice, &invoice(customer, product, reference))
            .await
            .expect_err("unknown");
        assert!(matches!(e, Error::OutcomeUnknown { write: true, .. }), "{kind:?}: {e:?}");
        assert!(e.message().pt.contains("não se sabe"), "{}", e.message().pt);
        // Not failed: it was done, exactly once.
        assert_eq!(
            api.documents_by_our_reference(DocumentKind::Invoice, reference).await.expect("find").len(),
            1,
            "{kind:?}"
        );
    }
    // Before the work: unknown too (the client cannot tell), and indeed nothing was done.
    standin.add_fault(Fault::new("invoices/insert", When::Before, FaultKind::LostResponse));
    let e = api
        .document_insert(DocumentKind::Invoice, &invoice(customer, product, "lost-before"))
        .await
        .expect_err("unknown");
    assert!(e.outcome_unknown());
    assert!(api.documents_by_our_reference(DocumentKind::Invoice, "lost-before").await.expect("find").is_empty());
    // A read that times out once is simply asked again.
    let mut f = Fault::new("taxes/getAll", When::Before, FaultKind::Timeout);
    f.delay_ms = Some(3000);
    standin.add_fault(f);
    assert_eq!(api.taxes().await.expect("retried").len(), 4);
    // No message carries a token or the URL with it.
    let token = standin.with_state(|s| s.tokens.last().map(|t| t.access.clone())).expect("a token");
    assert!(!format!("{e} {e:?} {}", e.message()).contains(&token));
    assert!(!format!("{e} {e:?}").contains("access_token"));
}

#[tokio::test]
async fn validation_errors_name_the_field_and_say_what_to_fix() {
    let (standin, client, _) = setup().await;
    client.login().await.expect("login");
    let api = client.company(COMPANY);
    let bad = NewCustomer {
        number: "77".into(),
        name: "X".into(),
        vat: "501234561".into(),
        address: "R".into(),
        city: "C".into(),
        country_id: 1,
        language_id: 1,
        zip_code: "1000".into(),
        ..NewCustomer::default()
    };
    let Error::Validation { errors, .. } = api.customer_insert(&bad).await.expect_err("refused") else {
        panic!("not a validation error")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["zip_code", "vat"]);
    assert!(errors[1].message().pt.contains("NIF"), "{}", errors[1].message().pt);
    assert_eq!(errors[1].description.as_deref(), Some("Field 'vat' must be a valid Portuguese VAT number"));
    // A draft without a series.
    let (customer, product) = ids(&client).await;
    let mut d = invoice(customer, product, "no-set");
    d.document_set_id = 0;
    let Error::Validation { errors, .. } = api.document_insert(DocumentKind::Invoice, &d).await.expect_err("refused")
    else {
        panic!()
    };
    assert_eq!((errors[0].code, errors[0].field.as_str()), (2, "document_set_id"));
    assert!(errors[0].message().pt.contains("série"), "{}", errors[0].message().pt);
    // A validation error on demand, when closing.
    let id = api.document_insert(DocumentKind::Invoice, &invoice(customer, product, "close")).await.expect("insert");
    let mut f = Fault::new("invoices/update", When::Before, FaultKind::Validation);
    f.errors = vec!["2 net_value".into()];
    standin.add_fault(f);
    let Error::Validation { errors, .. } = api.document_close(DocumentKind::Invoice, id).await.expect_err("refused")
    else {
        panic!()
    };
    assert_eq!(errors[0].field, "net_value");
    assert!(errors[0].message().pt.contains("total"));
    assert_eq!(
        api.document_get(DocumentKind::Invoice, id).await.expect("get").expect("exists").status,
        0,
        "still a draft"
    );
}

#[tokio::test]
async fn wrong_credentials_are_grant_errors() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let client = Client::new(config(&standin.url()), creds("wrong")).expect("client");
    let e = client.login().await.expect_err("refused");
    assert_eq!(
        e,
        Error::Grant { code: "invalid_grant".into(), description: "Invalid username and password combination".into() }
    );
    assert!(e.message().pt.contains("palavra-passe"));
    let mut c = creds("demo");
    c.client_secret = Secret::new("nope");
    let e = Client::new(config(&standin.url()), c).expect("client").login().await.expect_err("refused");
    assert!(matches!(&e, Error::Grant { code, .. } if code == "invalid_client"), "{e:?}");
    // Nothing listens: unreachable, after the retries.
    let e = Client::new(config("http://127.0.0.1:9"), creds("demo")).expect("client").login().await.expect_err("down");
    assert!(matches!(e, Error::Unreachable { .. }), "{e:?}");
}

#[tokio::test]
async fn lists_lag_behind_inserts_when_asked() {
    let (standin, client, _) = setup().await;
    let api = client.company(COMPANY);
    standin.set_lag(60);
    let n = api.customers_next_number().await.expect("next");
    let c = NewCustomer {
        number: n,
        name: "Recente".into(),
        vat: "999999990".into(),
        address: "R".into(),
        city: "C".into(),
        country_id: 1,
        language_id: 1,
        ..NewCustomer::default()
    };
    let id = api.customer_insert(&c).await.expect("insert");
    assert!(!api.customers().await.expect("list").iter().any(|x| x.customer_id == id), "not listed yet");
    standin.advance_clock(61);
    assert!(api.customers().await.expect("list").iter().any(|x| x.customer_id == id), "listed a minute later");
}

#[tokio::test]
async fn json_bodies_work_with_json_true() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let mut cfg = config(&standin.url());
    cfg.json_bodies = true;
    let client = Client::new(cfg, creds("demo")).expect("client");
    assert_eq!(client.company(COMPANY).taxes().await.expect("taxes").len(), 4);
}
