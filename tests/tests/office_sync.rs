//! Office sync against a real throwaway PostgreSQL, with two engines on separate SQLite files (issue 19):
//! offline edits to different fields of one customer merge; the same field goes to the conflict queue with both
//! values and a decision settles it everywhere; two desktops adding lines to one draft keep both; a desktop whose
//! cache was tampered with cannot change an issued document on the server; a push whose answer was lost applies
//! once.

mod office;

use chrono::{Datelike, Duration, Utc};
use desk_core::documents::{self, issue};
use desk_core::server::join;
use desk_core::sync::central::Central;
use desk_core::sync::office as sync;
use desk_core::sync::outbox;
use desk_core::sync::pg::PgCentral;
use desk_core::{customers, Workspace};
use desk_model::company::CompanyInput;
use desk_model::document::DocType;
use desk_model::ipc::{ConflictChoice, CustomerInput, DocumentInput, FiscalData, LineInput, ServerRole};
use office::{password, Office};
use tempfile::TempDir;
use uuid::Uuid;

const NIF: &str = "509442013";

struct Desk {
    _dir: TempDir,
    ws: Workspace,
}

fn keyring() {
    std::env::set_var("DESK_KEYRING", "kernel");
    std::env::set_var("DESK_KEYRING_SERVICE", format!("desk-office-sync-{}", std::process::id()));
}

/// A desktop with the office's company (same NIF), joined as `user`.
async fn desktop(office: &Office, user: &str) -> Desk {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = Workspace::open_dir(dir.path(), user.into()).await.expect("open");
    ws.skip_first_run().await.expect("first run");
    ws.update_company(&CompanyInput { name: "Contabilidade Rio, Lda".into(), nif: NIF.into(), ..Default::default() })
        .await
        .expect("company");
    join::join(&ws, &office.address(user).url(), &password(user)).await.expect("join");
    // the company may have taken the server's id: open again
    let ws = Workspace::open_dir(dir.path(), user.into()).await.expect("reopen");
    Desk { _dir: dir, ws }
}

async fn round(d: &Desk) -> desk_model::ipc::OfficeSyncReport {
    sync::sync_now(&d.ws, &|_, _| {}).await.expect("sync round")
}

async fn setup(tag: &str) -> (Office, Desk, Desk) {
    keyring();
    let office = Office::initialised(tag).await;
    let company = office.company("Contabilidade Rio, Lda", NIF).await;
    let ana = office.person(&office.root, "ana", ServerRole::Accountant, &[company]).await;
    let bea = office.person(&office.root, "bea", ServerRole::Accountant, &[company]).await;
    let a = desktop(&office, &ana).await;
    let b = desktop(&office, &bea).await;
    assert_eq!(a.ws.company().id, company, "A took the office's company");
    assert_eq!(b.ws.company().id, company, "B took the office's company");
    (office, a, b)
}

fn customer(name: &str, nif: &str) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        nif: nif.into(),
        address: "Rua Direita 1".into(),
        postal_code: "2510-001".into(),
        city: "Óbidos".into(),
        ..Default::default()
    }
}

fn line(desc: &str) -> LineInput {
    LineInput {
        description: desc.into(),
        quantity: "1".into(),
        unit_price: "10".into(),
        tax_code: "NOR".into(),
        ..Default::default()
    }
}

/// A Moloni stand-in for the test and a client signed in to it (its demo app and user).
async fn moloni() -> (moloni_standin::StandIn, moloni::Client) {
    let standin = moloni_standin::StandIn::start(moloni_standin::Options::default()).await.expect("stand-in");
    let creds = moloni::Credentials {
        client_id: "desk-demo".into(),
        client_secret: moloni::Secret::new("desk-demo-secret"),
        username: "demo@desk.pt".into(),
        password: Some(moloni::Secret::new("demo")),
    };
    let client = moloni::Client::new(moloni::Config::new(standin.url()), creds).expect("client");
    (standin, client)
}

/// Documents of `company` the Moloni stand-in holds.
fn moloni_documents(standin: &moloni_standin::StandIn, company: i64) -> usize {
    standin.with_state(|s| {
        s.tables.get("documents").map_or(0, |d| d.iter().filter(|d| d["company_id"] == company).count())
    })
}

/// An invoice drafted on A, seen by B, and queued for issuing on both (each offline).
async fn queued_on_both(a: &Desk, b: &Desk) -> desk_model::ipc::Document {
    let input = DocumentInput {
        customer_id: Some(customers::create(&a.ws, &customer("Padaria Ribeiro", "501234560")).await.expect("c").id),
        lines: vec![line("Consultoria")],
        ..DocumentInput::new(DocType::Ft, &today())
    };
    let draft = documents::save_draft(&a.ws, None, &input).await.expect("draft");
    round(a).await;
    round(b).await;
    issue::request_issue(&a.ws, draft.id).await.expect("A queues");
    issue::request_issue(&b.ws, draft.id).await.expect("B queues");
    draft
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_edits_merge_by_field_and_the_same_field_waits_in_the_conflict_queue() {
    let (office, a, b) = setup("osync_merge").await;
    let c = customers::create(&a.ws, &customer("Padaria Ribeiro", "501234560")).await.expect("customer");
    round(&a).await;
    let pulled = round(&b).await;
    assert!(pulled.pulled >= 1, "{pulled:?}");
    let on_b = customers::get(&b.ws, c.id).await.expect("B has the customer");
    assert_eq!(on_b.city.as_deref(), Some("Óbidos"));

    // both offline: A changes the city and the e-mail, B the phone and the e-mail
    let mut ia = CustomerInput::for_form(&c, desk_model::msg::Lang::Pt);
    ia.city = "Porto".into();
    ia.email = "ana@padaria.pt".into();
    customers::update(&a.ws, c.id, &ia).await.expect("A edits");
    let mut ib = CustomerInput::for_form(&on_b, desk_model::msg::Lang::Pt);
    ib.phone = "912345678".into();
    ib.email = "bea@padaria.pt".into();
    customers::update(&b.ws, c.id, &ib).await.expect("B edits");

    let ra = round(&a).await;
    assert_eq!((ra.pushed, ra.conflicts_made), (1, 0), "{ra:?}");
    let rb = round(&b).await;
    assert_eq!(rb.conflicts_made, 1, "B's e-mail meets A's: {rb:?}");
    round(&a).await;

    // different fields merged; the e-mail keeps the server's (A's) value and waits with both values
    for d in [&a, &b] {
        let now = customers::get(&d.ws, c.id).await.expect("customer");
        assert_eq!(now.city.as_deref(), Some("Porto"));
        assert_eq!(now.phone.as_deref(), Some("912345678"));
        assert_eq!(now.email.as_deref(), Some("ana@padaria.pt"));
        let queue = sync::conflicts(&d.ws).await.expect("queue");
        assert_eq!(queue.len(), 1, "{queue:?}");
        assert_eq!(
            (queue[0].field.as_str(), queue[0].theirs.as_str(), queue[0].mine.as_str()),
            ("email", "ana@padaria.pt", "bea@padaria.pt")
        );
        assert_eq!(queue[0].label, "Padaria Ribeiro");
    }
    let server_email: Option<String> = sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
        .bind(c.id)
        .fetch_one(&office.root)
        .await
        .expect("server row");
    assert_eq!(server_email.as_deref(), Some("ana@padaria.pt"), "nothing overwritten");

    // B keeps its own value: a normal edit, merged on the next push; the conflict closes everywhere
    let id = sync::conflicts(&b.ws).await.expect("queue")[0].id;
    sync::resolve(&b.ws, id, ConflictChoice::Mine, None).await.expect("resolve");
    let rb = round(&b).await;
    assert_eq!((rb.open_conflicts, rb.rejected), (0, 0), "{rb:?}");
    round(&a).await;
    for d in [&a, &b] {
        assert_eq!(customers::get(&d.ws, c.id).await.expect("customer").email.as_deref(), Some("bea@padaria.pt"));
        assert!(sync::conflicts(&d.ws).await.expect("queue").is_empty());
    }
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM conflicts WHERE status = 'open'")
        .fetch_one(&office.root)
        .await
        .expect("count");
    assert_eq!(open, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_desktops_adding_lines_to_one_draft_keep_both() {
    let (_office, a, b) = setup("osync_lines").await;
    let input = DocumentInput { lines: vec![line("Primeira")], ..DocumentInput::new(DocType::Ft, &today()) };
    let draft = documents::save_draft(&a.ws, None, &input).await.expect("draft");
    round(&a).await;
    round(&b).await;
    let on_b = documents::get(&b.ws, draft.id).await.expect("B has the draft");
    assert_eq!(on_b.lines.len(), 1);

    let mut ia = draft.to_input();
    ia.lines.push(line("Da Ana"));
    documents::save_draft(&a.ws, Some(draft.id), &ia).await.expect("A adds");
    let mut ib = on_b.to_input();
    ib.lines.push(line("Da Bea"));
    documents::save_draft(&b.ws, Some(draft.id), &ib).await.expect("B adds");
    round(&a).await;
    round(&b).await;
    round(&a).await;
    for d in [&a, &b] {
        let doc = documents::get(&d.ws, draft.id).await.expect("draft");
        let mut lines: Vec<String> = doc.lines.iter().map(|l| l.description.clone()).collect();
        lines.sort();
        assert_eq!(lines, ["Da Ana", "Da Bea", "Primeira"]);
        assert_eq!(doc.total.0.to_string(), "36.90", "totals recomputed from the merged lines");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_cache_cannot_change_an_issued_document_on_the_server() {
    let (office, a, b) = setup("osync_tamper").await;
    let input = DocumentInput {
        customer_id: Some(customers::create(&a.ws, &customer("Padaria Ribeiro", "501234560")).await.expect("c").id),
        lines: vec![line("Serviço")],
        ..DocumentInput::new(DocType::Ft, &today())
    };
    let draft = documents::save_draft(&a.ws, None, &input).await.expect("draft");
    let doc = issue::request_issue(&a.ws, draft.id).await.expect("request");
    let claim = issue::claim_issue(&a.ws, draft.id, "test", Duration::minutes(5)).await.expect("claim");
    let fiscal = FiscalData {
        moloni_id: 4242,
        document_set_id: Some(7),
        number: "FT 2026A/1".into(),
        series: "2026A".into(),
        atcud: "CSDF7T5H-1".into(),
        hash4: "kLp0".into(),
        issued_at: Utc::now(),
        net: doc.net,
        vat: doc.vat,
        total: doc.total,
    };
    issue::mark_issued(&a.ws, &claim, &fiscal).await.expect("issued");
    let r = round(&a).await;
    assert_eq!(r.rejected, 0, "{r:?}");
    round(&b).await;
    let on_b = documents::get(&b.ws, draft.id).await.expect("B has it");
    assert_eq!(on_b.number, "FT 2026A/1");
    assert_eq!(on_b.total, doc.total);

    // plain SQL on B's file: the freeze trigger dropped, the total and notes changed, an op forged
    let file = b.ws.store().path().to_path_buf();
    let group = Uuid::now_v7().to_string();
    let sql = format!(
        "DROP TRIGGER documents_issued_frozen;
         UPDATE documents SET notes = 'forjado', total = '1.00' WHERE id = '{id}';
         INSERT INTO outbox (op_id, desktop_id, group_id, company_id, entity, row_id, kind, old_values, new_values,
                             schema_version, created_at)
         VALUES ('{op}', '{desk}', '{group}', '{company}', 'documents', '{id}', 'update', '{{\"notes\":null}}',
                 '{{\"notes\":\"forjado\"}}', 16, '2026-11-30T00:00:00Z');",
        id = draft.id,
        op = Uuid::now_v7(),
        desk = b.ws.store().desktop_id(),
        company = b.ws.company().id,
    );
    let out = std::process::Command::new("sqlite3").arg(&file).arg(&sql).output().expect("sqlite3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = round(&b).await;
    assert_eq!(r.rejected, 1, "{r:?}");
    let status = sync::status(&b.ws).await.expect("status");
    assert!(status.rejected[0].reason.contains("issued"), "{:?}", status.rejected);
    assert!(status.rejected[0].values.contains("forjado"), "what was sent is kept: {:?}", status.rejected);
    let (notes, total): (Option<String>, String) = sqlx::query_as("SELECT notes, total FROM documents WHERE id = $1")
        .bind(draft.id)
        .fetch_one(&office.root)
        .await
        .expect("row");
    assert_eq!(
        (notes.as_deref() == Some("forjado"), total),
        (false, doc.total.0.to_string()),
        "the server's issued document is unchanged"
    );
    let back = documents::get(&b.ws, draft.id).await.expect("B's copy");
    assert_ne!(back.notes, "forjado", "B's copy took the server's row back");
    assert_eq!(back.total, doc.total);
    assert_eq!(outbox::pending_count(b.ws.store()).await.expect("pending"), 0, "nothing stuck");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_whose_answer_was_lost_applies_once() {
    let (office, a, _b) = setup("osync_replay").await;
    customers::create(&a.ws, &customer("Padaria Ribeiro", "501234560")).await.expect("customer");
    let ops = outbox::pending(a.ws.store(), 0).await.expect("ops");
    let groups = vec![desk_core::sync::central::Group { group_id: ops[0].group_id, ops }];
    let pool = office.as_person(&office.name("ana")).await;
    let mut central = PgCentral::new(pool);
    let first = central.push(a.ws.store().desktop_id(), &groups).await.expect("push");
    assert!(!first[0].replayed);
    // the answer never reached the desktop: it pushes the same group again
    let again = central.push(a.ws.store().desktop_id(), &groups).await.expect("push again");
    assert!(again[0].replayed);
    assert_eq!(again[0].outcome, first[0].outcome);
    let r = round(&a).await;
    assert_eq!(r.pending, 0);
    let (rows, applied): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM applied_ops)")
            .fetch_one(&office.root)
            .await
            .expect("count");
    assert_eq!((rows, applied), (1, 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_desktop_that_first_meets_an_issued_document_in_a_pull_has_its_lines_and_number_as_issued() {
    let (_office, a, b) = setup("osync_issued_pull").await;
    let priced = |desc: &str, qty: &str, price: &str| LineInput {
        quantity: qty.into(),
        unit_price: price.into(),
        discount: "10".into(),
        ..line(desc)
    };
    let input = DocumentInput {
        customer_id: Some(customers::create(&a.ws, &customer("Padaria Ribeiro", "501234560")).await.expect("c").id),
        lines: vec![priced("Farinha", "3", "12.50"), priced("Fermento", "2", "4.35"), priced("Sal", "1", "0.99")],
        ..DocumentInput::new(DocType::Ft, &today())
    };
    let draft = documents::save_draft(&a.ws, None, &input).await.expect("draft");
    let doc = issue::request_issue(&a.ws, draft.id).await.expect("request");
    let claim = issue::claim_issue(&a.ws, draft.id, "test", Duration::minutes(5)).await.expect("claim");
    let fiscal = FiscalData {
        moloni_id: 4243,
        document_set_id: Some(7),
        number: "FT 2026A/12".into(),
        series: "2026A".into(),
        atcud: "CSDF7T5H-12".into(),
        hash4: "Qw3e".into(),
        issued_at: Utc::now(),
        net: doc.net,
        vat: doc.vat,
        total: doc.total,
    };
    issue::mark_issued(&a.ws, &claim, &fiscal).await.expect("issued");
    assert_eq!(round(&a).await.rejected, 0);

    // B never saw the draft: the lines and the issued document arrive in one pull
    let r = round(&b).await;
    assert_eq!(r.rejected, 0, "{r:?}");
    let on_a = documents::get(&a.ws, draft.id).await.expect("A");
    let on_b = documents::get(&b.ws, draft.id).await.expect("B has it");
    assert_eq!(on_b.number, "FT 2026A/12");
    assert!(on_b.state.is_issued(), "{:?}", on_b.state);
    assert_eq!((on_b.net, on_b.vat, on_b.total), (on_a.net, on_a.vat, on_a.total));
    let lines = |d: &desk_model::ipc::Document| {
        d.lines.iter().map(|l| (l.description.clone(), l.amount.to_plain_string())).collect::<Vec<_>>()
    };
    assert_eq!(lines(&on_b), lines(&on_a), "the lines' amounts and order are the issuer's");
    assert_eq!(lines(&on_b)[0], ("Farinha".to_string(), "33.75".to_string()));
    let stored: Vec<(i64, String)> =
        sqlx::query_as("SELECT position, amount FROM document_lines WHERE document_id = ? ORDER BY position")
            .bind(draft.id.to_string())
            .fetch_all(b.ws.store().reader())
            .await
            .expect("lines");
    assert_eq!(stored.iter().map(|(p, _)| *p).collect::<Vec<_>>(), vec![0, 1, 2], "positions as on A");
    let key: String = sqlx::query_scalar("SELECT number_key FROM documents WHERE id = ?")
        .bind(draft.id.to_string())
        .fetch_one(b.ws.store().reader())
        .await
        .expect("key");
    assert_eq!(key, "FT 2026A/0000000012", "sorted by its fiscal number in the list");

    // B's reports count it, and a month B had summed already follows a second invoice that arrives by pull
    let day = chrono::Local::now().date_naive();
    let month_start = day.with_day(1).expect("first day");
    let sales = || async {
        let r =
            desk_core::reports::sales(&b.ws, month_start, day, desk_model::ipc::SalesBy::Month).await.expect("sales");
        (r.documents, r.total)
    };
    assert_eq!(sales().await, (1, on_a.total), "B's report of the month");
    let built: i64 =
        sqlx::query_scalar("SELECT count(*) FROM report_months").fetch_one(b.ws.store().reader()).await.expect("built");
    assert_eq!(built, 1, "B summed its month");
    let second =
        documents::save_draft(&a.ws, None, &DocumentInput { lines: vec![priced("Sal", "4", "0.99")], ..input.clone() })
            .await
            .expect("second draft");
    let second_doc = issue::request_issue(&a.ws, second.id).await.expect("request");
    let claim = issue::claim_issue(&a.ws, second.id, "test", Duration::minutes(5)).await.expect("claim");
    let fiscal = FiscalData {
        moloni_id: 4244,
        number: "FT 2026A/13".into(),
        atcud: "CSDF7T5H-13".into(),
        net: second_doc.net,
        vat: second_doc.vat,
        total: second_doc.total,
        ..fiscal
    };
    issue::mark_issued(&a.ws, &claim, &fiscal).await.expect("issued");
    assert_eq!(round(&a).await.rejected, 0);
    assert_eq!(round(&b).await.rejected, 0);
    assert_eq!(sales().await, (2, on_a.total + second_doc.total), "the pulled invoice is in B's month");
}

/// Issue 19, Moloni in office mode: two desktops with the same draft queued issue it at the same moment through
/// one Moloni company; the server's lease lets one work it, the other stands back, and Moloni ends with one
/// document. The other desktop then learns it was issued (its request closes, its copy carries the number).
#[tokio::test(flavor = "multi_thread")]
async fn two_desktops_issuing_one_draft_at_once_make_one_moloni_document() {
    use desk_core::moloni::issuer::{Issuer, Outcome};
    let (office, a, b) = setup("osync_issue_race").await;
    let (standin, client) = moloni().await;
    let company = moloni_standin::seed::DEMO_COMPANY;
    let moloni_documents = || moloni_documents(&standin, company);
    let before = moloni_documents();

    // both queue it (each offline), then both issuers start at once
    let draft = queued_on_both(&a, &b).await;
    let (issuer_a, issuer_b) = (
        Issuer::new(&a.ws, client.company(company), "desktop-a"),
        Issuer::new(&b.ws, client.company(company), "desktop-b"),
    );
    let (x, y) = tokio::join!(issuer_a.issue(draft.id), issuer_b.issue(draft.id));
    let (x, y) = (x.expect("A's attempt"), y.expect("B's attempt"));
    // one issues it; the other stands back (Busy) or, coming after the first released the document, finds it
    // closed in Moloni and records the same number
    match (&x, &y) {
        (Outcome::Issued { .. }, Outcome::Busy) | (Outcome::Busy, Outcome::Issued { .. }) => {}
        (Outcome::Issued { .. }, Outcome::Issued { .. }) => {
            let (da, db) = (documents::get(&a.ws, draft.id).await, documents::get(&b.ws, draft.id).await);
            assert_eq!(da.expect("A's").number, db.expect("B's").number, "one number");
        }
        _ => panic!("one desktop issued it, the other stood back: {x:?} / {y:?}"),
    }
    assert_eq!(moloni_documents() - before, 1, "Moloni has one document");

    // the issuer's desktop pushes the record; the other pulls it: same number, its request closed, and a later
    // attempt there makes nothing in Moloni
    let (issuer, other) = if matches!(x, Outcome::Issued { .. }) { (&a, &b) } else { (&b, &a) };
    round(issuer).await;
    round(other).await;
    let theirs = documents::get(&issuer.ws, draft.id).await.expect("issuer's copy");
    let ours = documents::get(&other.ws, draft.id).await.expect("other's copy");
    assert!(theirs.fiscal.is_some(), "{:?}", theirs.state);
    assert_eq!(ours.number, theirs.number, "the other desktop carries the fiscal number");
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM issue_requests WHERE state IN ('pending', 'drafted')")
        .fetch_one(other.ws.store().reader())
        .await
        .expect("queue");
    assert_eq!(open, 0, "the other desktop's request is done");
    let again_issuer = Issuer::new(&other.ws, client.company(company), "again");
    let again = again_issuer.work_queue().await.expect("pass");
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(moloni_documents() - before, 1, "still one document in Moloni");
    let server_number: Option<String> = sqlx::query_scalar("SELECT fiscal_number FROM documents WHERE id = $1")
        .bind(draft.id)
        .fetch_one(&office.root)
        .await
        .expect("server row");
    assert_eq!(server_number.as_deref(), Some(theirs.number.as_str()));
}

/// A pull derives a new customer's and product's folded name and search words as it stores them: the same as
/// the desktop that made them wrote, and search finds them by those words.
#[tokio::test(flavor = "multi_thread")]
async fn pulled_customers_and_products_carry_the_same_search_words() {
    let (_office, a, b) = setup("osync_search_words").await;
    customers::create(
        &a.ws,
        &CustomerInput { email: "Joao@Exemplo.PT".into(), ..customer("João Gonçalves", "501234560") },
    )
    .await
    .expect("customer");
    customers::create(&a.ws, &CustomerInput { name: "Ângela Sá".into(), ..Default::default() })
        .await
        .expect("customer without NIF");
    desk_core::products::create(
        &a.ws,
        &desk_model::product::ProductInput {
            reference: "SERV-01".into(),
            name: "Consultoria Fiscal".into(),
            price: "50".into(),
            category: "Serviços Técnicos".into(),
            ..Default::default()
        },
    )
    .await
    .expect("product");
    round(&a).await;
    round(&b).await;
    let words = |d: &Desk, table: &'static str| {
        let pool = d.ws.store().reader().clone();
        async move {
            let rows: Vec<(String, String, String)> =
                sqlx::query_as(&format!("SELECT id, name_key, search_text FROM {table} ORDER BY id"))
                    .fetch_all(&pool)
                    .await
                    .expect("rows");
            rows
        }
    };
    for table in ["customers", "products"] {
        let (made, pulled) = (words(&a, table).await, words(&b, table).await);
        assert!(!made.is_empty() && made.iter().all(|(_, k, w)| !k.is_empty() && !w.is_empty()), "{made:?}");
        assert_eq!(pulled, made, "{table}: the pulled rows' folded keys");
    }
    let found = customers::list(
        &b.ws,
        &desk_model::ipc::CustomerQuery { text: "goncalves exemplo".into(), ..Default::default() },
    )
    .await
    .expect("search");
    assert_eq!(found.items.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["João Gonçalves"]);
}

/// A desktop that queued a draft another desktop has since issued (and not yet pushed) finds the document closed
/// in Moloni by its reference and records it: the same number, nothing new in Moloni.
#[tokio::test(flavor = "multi_thread")]
async fn a_desktop_coming_after_another_issued_the_draft_records_the_same_document() {
    use desk_core::moloni::issuer::{Issuer, Outcome};
    let (_office, a, b) = setup("osync_issue_after").await;
    let (standin, client) = moloni().await;
    let company = moloni_standin::seed::DEMO_COMPANY;
    let moloni_documents = || moloni_documents(&standin, company);
    let before = moloni_documents();
    let draft = queued_on_both(&a, &b).await;
    let first = Issuer::new(&a.ws, client.company(company), "desktop-a").issue(draft.id).await.expect("A");
    assert!(matches!(first, Outcome::Issued { .. }), "{first:?}");
    let second = Issuer::new(&b.ws, client.company(company), "desktop-b").issue(draft.id).await.expect("B");
    assert!(matches!(second, Outcome::Issued { .. }), "B records what Moloni has: {second:?}");
    let (ours, theirs) =
        (documents::get(&b.ws, draft.id).await.expect("B"), documents::get(&a.ws, draft.id).await.expect("A"));
    assert_eq!(ours.number, theirs.number);
    assert_eq!(ours.fiscal.as_ref().map(|f| &f.atcud), theirs.fiscal.as_ref().map(|f| &f.atcud));
    assert_eq!(moloni_documents() - before, 1, "one document in Moloni");
}

/// A first pull sets the list indexes aside while the rows arrive: done whole it leaves every one of them made
/// again, and cut short (the process gone mid-pull) the next opening of the file makes them again.
#[tokio::test(flavor = "multi_thread")]
async fn a_first_pull_leaves_every_list_index_in_place_even_when_cut_short() {
    use desk_core::sync::first_pull;
    let (_office, a, b) = setup("osync_first_pull").await;
    for i in 0..30 {
        customers::create(&a.ws, &CustomerInput { name: format!("Cliente {i}"), ..Default::default() })
            .await
            .expect("customer");
    }
    round(&a).await;
    let indexes = |ws: &Workspace| {
        let pool = ws.store().reader().clone();
        async move {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                   AND tbl_name IN ('customers', 'products', 'documents', 'document_lines', 'payments') ORDER BY name",
            )
            .fetch_all(&pool)
            .await
            .expect("indexes");
            names
        }
    };
    let all = indexes(&b.ws).await;
    assert!(all.iter().any(|n| n == "documents_by_number"), "{all:?}");

    // done whole
    let r = round(&b).await;
    assert!(r.pulled >= 30, "{r:?}");
    assert_eq!(indexes(&b.ws).await, all, "every index made again after the first pull");

    // cut short: set aside as a first pull does, then the process is gone
    first_pull::set_aside(b.ws.store()).await.expect("set aside");
    let during = indexes(&b.ws).await;
    assert!(during.len() < all.len() && !during.contains(&"documents_by_number".to_string()), "{during:?}");
    assert!(during.contains(&"customers_company_nif".to_string()), "unique indexes stay: {during:?}");
    let again = Workspace::open_dir(b._dir.path(), "bea".into()).await.expect("reopen");
    assert_eq!(indexes(&again).await, all, "opening the file makes them again");
    let list = customers::list(&again, &Default::default()).await.expect("list");
    assert_eq!(list.total, 30, "the pulled customers are all there");
}

/// Issue 19, Moloni in office mode: the Moloni master sync of a company runs on one desktop at a time, under a
/// lease on the server's clock; another desktop's run stands back with a reason while it is held.
#[tokio::test(flavor = "multi_thread")]
async fn one_desktop_at_a_time_syncs_a_company_with_moloni() {
    use desk_core::moloni::sync as moloni_sync;
    use desk_core::sync::lease::{self, Asked};
    let (_office, a, b) = setup("osync_moloni_lease").await;
    let (_standin, client) = moloni().await;
    let api = client.company(moloni_standin::seed::DEMO_COMPANY);
    let company = a.ws.company().id;

    // A is syncing (it holds the company's lease on the server)
    let held = match lease::ask(a.ws.store(), &lease::moloni_key(company), company, 600).await.expect("ask") {
        Asked::Held(l) => l,
        _ => panic!("A takes the free lease"),
    };
    let refused = moloni_sync::run_with(&b.ws, &api, false, "desktop-b", &mut |_| {}).await;
    let shown = format!("{:?}", refused.expect_err("B stands back").to_app_error());
    assert!(shown.contains("Outro posto do escritório está a sincronizar"), "{shown}");
    assert!(shown.contains("Another desktop of the office is syncing"), "{shown}");
    assert!(matches!(
        lease::ask(b.ws.store(), &lease::moloni_key(company), company, 600).await.expect("ask"),
        Asked::Elsewhere
    ));

    // A's run ends: B's runs
    held.release().await;
    let report = moloni_sync::run_with(&b.ws, &api, false, "desktop-b", &mut |_| {}).await.expect("B syncs");
    assert!(report.full, "{report:?}");
    // and B gave the lease up at its end: A may run again
    assert!(matches!(
        lease::ask(a.ws.store(), &lease::moloni_key(company), company, 600).await.expect("ask"),
        Asked::Held(_)
    ));
}
