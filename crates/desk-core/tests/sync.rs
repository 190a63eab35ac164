//! The write path's ops are enough for a server: replaying only them into an empty file reproduces every synced
//! column of every row (a property test over random sequences of engine operations); edits on two desktops
//! merge (different lines, two payments); incoming natural keys never fail a pull.

use chrono::{Duration, Utc};
use desk_core::documents::{self, issue};
use desk_core::store::Store;
use desk_core::sync::apply::{apply, synced_tables, Incoming};
use desk_core::sync::outbox;
use desk_core::{customers, payments, products, CoreError, Workspace};
use desk_model::document::{DocState, DocType};
use desk_model::ipc::{
    CustomerInput, Document, DocumentInput, FiscalData, LineInput, PaymentInput, ProductInput, ProductKind,
};
use desk_model::money::Money;
use proptest::prelude::*;
use serde_json::json;
use sqlx::Row;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use uuid::Uuid;

const NIFS: [&str; 5] = ["501234560", "501964843", "506802698", "512345678", "123456789"];

fn line(desc: &str, qty: &str, price: &str) -> LineInput {
    LineInput {
        description: desc.into(),
        quantity: qty.into(),
        unit_price: price.into(),
        tax_code: "NOR".into(),
        ..Default::default()
    }
}

fn customer_input(name: &str, nif: &str) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        nif: nif.into(),
        address: "Rua Direita 1".into(),
        postal_code: "2510-001".into(),
        city: "Óbidos".into(),
        payment_terms_days: "30".into(),
        ..Default::default()
    }
}

fn product_input(reference: &str, price: &str) -> ProductInput {
    ProductInput {
        reference: reference.into(),
        name: format!("Artigo {reference}"),
        kind: ProductKind::Product,
        unit: "un".into(),
        price: price.into(),
        tax_code: "NOR".into(),
        ..Default::default()
    }
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

static FISCAL: AtomicI64 = AtomicI64::new(1);

/// Issues a draft the way the Moloni flow will: request, claim, record fiscal data with our own totals.
async fn issue_it(ws: &Workspace, id: Uuid) -> Result<Document, CoreError> {
    let doc = issue::request_issue(ws, id).await?;
    let claim = issue::claim_issue(ws, id, "test", Duration::minutes(5)).await?;
    let n = FISCAL.fetch_add(1, Ordering::SeqCst);
    let fiscal = FiscalData {
        moloni_id: 10_000 + n,
        document_set_id: Some(7),
        number: format!("{} 2026A/{n}", doc.doc_type.saft_code()),
        series: "2026A".into(),
        atcud: format!("CSDF7T5H-{n}"),
        hash4: "kLp0".into(),
        issued_at: Utc::now(),
        net: doc.net,
        vat: doc.vat,
        total: doc.total,
    };
    issue::mark_issued(ws, &claim, &fiscal).await
}

/// Every synced column of every row of the synced tables, as text, by table and id (tombstones as a flag: their
/// time is the applying desktop's).
async fn synced_rows(store: &Store) -> Vec<(String, Vec<Vec<Option<String>>>)> {
    let mut out = Vec::new();
    for (table, cols) in synced_tables() {
        let select: Vec<String> = cols.iter().map(|c| format!("CAST({c} AS TEXT)")).collect();
        let sql =
            format!("SELECT id, {}, CAST(deleted_at IS NULL AS TEXT) FROM {table} ORDER BY id", select.join(", "));
        let rows = sqlx::query(&sql).fetch_all(store.reader()).await.expect("select");
        let rows = rows
            .iter()
            .map(|r| (0..cols.len() + 2).map(|i| r.try_get::<Option<String>, _>(i).expect("text")).collect())
            .collect();
        out.push((table.to_string(), rows));
    }
    out
}

/// Applies every pending op of `from` to the store at `to`, in order.
async fn replay(from: &Store, to: &Store) {
    let ops = outbox::pending(from, 0).await.expect("ops");
    let incoming: Vec<Incoming> = ops.iter().map(Incoming::from).collect();
    apply(to, &incoming).await.expect("apply");
}

/// An error a random operation may legitimately meet (a rule said no): nothing was stored.
fn refused(e: &CoreError) -> bool {
    matches!(
        e,
        CoreError::Invalid(_)
            | CoreError::NotEditable(_)
            | CoreError::DuplicateNif { .. }
            | CoreError::DuplicateReference { .. }
            | CoreError::Transition(_)
            | CoreError::Conversion(_)
            | CoreError::NotFound { .. }
    )
}

fn ok<T>(r: Result<T, CoreError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) if refused(&e) => None,
        Err(e) => panic!("an engine operation failed: {e:?}"),
    }
}

/// The state of a random run: what exists to act on.
#[derive(Default)]
struct World {
    customers: Vec<Uuid>,
    products: Vec<Uuid>,
    drafts: Vec<Uuid>,
    invoices: Vec<Uuid>,
}

fn pick(v: &[Uuid], i: u8) -> Option<Uuid> {
    (!v.is_empty()).then(|| v[usize::from(i) % v.len()])
}

async fn step(ws: &Workspace, world: &mut World, (op, a, b): (u8, u8, u8)) {
    match op % 12 {
        0 => {
            let mut input = customer_input(&format!("Cliente {a}"), NIFS[usize::from(a) % NIFS.len()]);
            // some customers withhold IRS (a mergeable column added by migration 0011)
            input.withholding = if a % 4 == 0 { "11,5".into() } else { String::new() };
            if let Some(c) = ok(customers::create(ws, &input).await) {
                world.customers.push(c.id);
            }
        }
        1 => {
            if let Some(id) = pick(&world.customers, a) {
                let c = customers::get(ws, id).await.expect("get");
                let mut input = customer_input(&c.name, c.nif.as_deref().unwrap_or_default());
                input.city = format!("Vila {b}");
                input.email = if b % 2 == 0 { format!("c{b}@exemplo.pt") } else { String::new() };
                input.withholding = if b % 3 == 0 { "23".into() } else { String::new() };
                ok(customers::update(ws, id, &input).await);
            }
        }
        2 => {
            if let Some(id) = pick(&world.customers, a) {
                ok(customers::set_archived(ws, id, b % 2 == 0).await);
            }
        }
        3 => {
            let input = product_input(&format!("P{a}"), &format!("{b},50"));
            if let Some(p) = ok(products::create(ws, &input).await) {
                world.products.push(p.id);
            }
        }
        4 => {
            if let Some(id) = pick(&world.products, a) {
                let p = products::get(ws, id).await.expect("get");
                ok(products::update(ws, id, &product_input(&p.reference, &format!("{},25", u16::from(b) + 1))).await);
                if b % 3 == 0 {
                    ok(products::set_archived(ws, id, true).await);
                }
            }
        }
        5 => {
            let n = 1 + usize::from(b % 4);
            let lines =
                (0..n).map(|i| line(&format!("Linha {i}"), &format!("{}", i + 1), &format!("{a},10"))).collect();
            let t = if b % 5 == 0 { DocType::Fr } else { DocType::Ft };
            let input =
                DocumentInput { customer_id: pick(&world.customers, a), lines, ..DocumentInput::new(t, &today()) };
            if let Some(d) = ok(documents::save_draft(ws, None, &input).await) {
                world.drafts.push(d.id);
            }
        }
        6 => {
            if let Some(id) = pick(&world.drafts, a) {
                let Some(doc) = ok(documents::get(ws, id).await) else { return };
                let mut input = doc.to_input();
                match b % 6 {
                    0 => input.lines.insert(0, line("Nova no topo", "2", "3,33")),
                    1 => {
                        if let Some(l) = input.lines.first_mut() {
                            l.quantity = format!("{}", b % 7 + 1);
                        }
                    }
                    2 => {
                        if input.lines.len() > 1 {
                            input.lines.pop();
                        }
                    }
                    3 => {
                        if let Some(last) = input.lines.pop() {
                            input.lines.insert(0, last);
                        }
                    }
                    4 => input.notes = format!("Nota {b}"),
                    _ => {
                        input.doc_type = if input.doc_type == DocType::Ft { DocType::Fr } else { DocType::Ft };
                    }
                }
                ok(documents::save_draft(ws, Some(id), &input).await);
            }
        }
        7 => {
            if let Some(id) = pick(&world.drafts, a) {
                if ok(documents::delete_draft(ws, id).await).is_some() {
                    world.drafts.retain(|d| *d != id);
                }
            }
        }
        8 => {
            if let Some(id) = pick(&world.drafts, a) {
                if let Some(d) = ok(issue_it(ws, id).await) {
                    world.drafts.retain(|x| *x != id);
                    if d.doc_type == DocType::Ft {
                        world.invoices.push(id);
                    }
                }
            }
        }
        9 => {
            if let Some(id) = pick(&world.invoices, a) {
                let input = PaymentInput {
                    document_id: id,
                    date: Utc::now().date_naive().to_string(),
                    amount: format!("{},00", b % 3 + 1),
                    method: "Transferência".into(),
                    notes: String::new(),
                    lang: desk_model::msg::Lang::Pt,
                };
                ok(payments::record(ws, &input).await);
            }
        }
        10 => {
            if let Some(id) = pick(&world.drafts, a) {
                if ok(issue::request_issue(ws, id).await).is_some() {
                    ok(issue::withdraw_issue(ws, id).await);
                }
            }
        }
        _ => {
            if let Some(id) = pick(&world.drafts, a) {
                if let Some(doc) = ok(documents::get(ws, id).await) {
                    let mut input = doc.to_input();
                    input.lines.push(line("Acrescento", "1", &format!("{b},99")));
                    ok(documents::save_draft(ws, Some(id), &input).await);
                }
            }
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

async fn open(dir: &Path) -> Workspace {
    Workspace::open_dir(dir, "tester".into()).await.expect("open")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Applying only a file's ops, in order, to an empty file reproduces every synced column of every row.
    #[test]
    fn replaying_the_ops_reproduces_every_synced_column(steps in prop::collection::vec((0u8..12, any::<u8>(), any::<u8>()), 1..40)) {
        runtime().block_on(async {
            let (da, db) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
            let ws = open(da.path()).await;
            let mut world = World::default();
            for s in &steps {
                step(&ws, &mut world, *s).await;
            }
            let replica = Store::open(db.path()).await.expect("open replica");
            replay(ws.store(), &replica).await;
            let (ours, theirs) = (synced_rows(ws.store()).await, synced_rows(&replica).await);
            for ((table, a), (_, b)) in ours.iter().zip(&theirs) {
                assert_eq!(a.len(), b.len(), "{table}: rows");
                for (ra, rb) in a.iter().zip(b) {
                    assert_eq!(ra, rb, "{table}: a row differs after the replay");
                }
            }
        });
    }
}

/// A second desktop: a fresh file that pulled everything the first one wrote, then opened as a workspace (it
/// adopts the first desktop's company, the only one in the file).
async fn second_desktop(first: &Workspace, dir: &Path) -> Workspace {
    let store = Store::open(dir).await.expect("open");
    replay(first.store(), &store).await;
    store.close().await;
    let ws = open(dir).await;
    assert_eq!(ws.company().id, first.company().id);
    ws
}

/// The ops written since `from` (their seq).
async fn ops_since(store: &Store, from: i64) -> Vec<outbox::Op> {
    outbox::pending(store, 0).await.expect("ops").into_iter().filter(|o| o.seq > from).collect()
}

async fn last_seq(store: &Store) -> i64 {
    outbox::pending(store, 0).await.expect("ops").last().map_or(0, |o| o.seq)
}

#[tokio::test]
async fn two_desktops_editing_different_lines_of_one_draft_write_no_field_in_common() {
    let (da, db, dc) =
        (tempfile::tempdir().expect("d"), tempfile::tempdir().expect("d"), tempfile::tempdir().expect("d"));
    let a = open(da.path()).await;
    let input = DocumentInput {
        lines: vec![line("Pão", "3", "2,37"), line("Bolo", "2", "1,50"), line("Café", "1", "0,65")],
        ..DocumentInput::new(DocType::Ft, &today())
    };
    let draft = documents::save_draft(&a, None, &input).await.expect("save");
    let b = second_desktop(&a, db.path()).await;
    let (mark_a, mark_b) = (last_seq(a.store()).await, last_seq(b.store()).await);
    assert_eq!(mark_b, 0, "a pull writes no ops");

    // offline: A changes line 0's quantity and inserts a line at the top; B changes line 2's price and adds one
    let mut on_a = draft.to_input();
    on_a.lines[0].quantity = "5".into();
    on_a.lines.insert(0, line("Entrega", "1", "4"));
    documents::save_draft(&a, Some(draft.id), &on_a).await.expect("edit on A");
    let mut on_b = documents::get(&b, draft.id).await.expect("on B").to_input();
    on_b.lines[2].unit_price = "0,70".into();
    on_b.lines.insert(0, line("Embalagem", "1", "0,10"));
    documents::save_draft(&b, Some(draft.id), &on_b).await.expect("edit on B");

    let (ops_a, ops_b) = (ops_since(a.store(), mark_a).await, ops_since(b.store(), mark_b).await);
    let fields = |ops: &[outbox::Op]| -> std::collections::BTreeSet<(Uuid, String)> {
        ops.iter().flat_map(|o| o.new.keys().map(move |k| (o.row_id, k.clone()))).collect()
    };
    let (fa, fb) = (fields(&ops_a), fields(&ops_b));
    assert!(fa.is_disjoint(&fb), "common fields: {:?}", fa.intersection(&fb).collect::<Vec<_>>());
    assert!(ops_a.iter().chain(&ops_b).all(|o| o.entity == "document_lines"), "no header op: totals are derived");
    assert!(ops_a.iter().all(|o| o.group_id == ops_a[0].group_id), "one save, one group");

    // the office applies both: every line is there, both new ones at the top in a stable order, totals follow
    let c = second_desktop(&a, dc.path()).await;
    apply(c.store(), &ops_b.iter().map(Incoming::from).collect::<Vec<_>>()).await.expect("apply B");
    let merged = documents::get(&c, draft.id).await.expect("merged");
    let names: Vec<&str> = merged.lines.iter().map(|l| l.description.as_str()).collect();
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names[..2].contains(&"Entrega") && names[..2].contains(&"Embalagem"), "{names:?}");
    assert_eq!(&names[2..], ["Pão", "Bolo", "Café"]);
    assert_eq!(merged.lines[2].quantity.0.to_string(), "5");
    assert_eq!(merged.lines[4].unit_price.0.to_string(), "0.7");
    // 4 + 0.10 + 5 × 2.37 + 2 × 1.50 + 0.70 = 19.65 net; VAT 23 % = 4.52
    assert_eq!(merged.net, Money::from_cents(1965));
    assert_eq!(merged.total, Money::from_cents(2417));
    // B applies A's edit too: the same order on both
    apply(b.store(), &ops_a.iter().map(Incoming::from).collect::<Vec<_>>()).await.expect("apply A");
    let on_b_now = documents::get(&b, draft.id).await.expect("B");
    assert_eq!(
        on_b_now.lines.iter().map(|l| l.id).collect::<Vec<_>>(),
        merged.lines.iter().map(|l| l.id).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn two_offline_payments_on_one_invoice_are_two_rows_and_both_count() {
    let (da, db) = (tempfile::tempdir().expect("d"), tempfile::tempdir().expect("d"));
    let a = open(da.path()).await;
    let c = customers::create(&a, &customer_input("Padaria Ribeiro, Lda.", "501234560")).await.expect("customer");
    let input = DocumentInput {
        customer_id: Some(c.id),
        lines: vec![line("Pão", "100", "1")],
        ..DocumentInput::new(DocType::Ft, &today())
    };
    let draft = documents::save_draft(&a, None, &input).await.expect("save");
    let invoice = issue_it(&a, draft.id).await.expect("issue");
    assert_eq!(invoice.total, Money::from_cents(12300));
    let b = second_desktop(&a, db.path()).await;
    let mark_a = last_seq(a.store()).await;
    let pay = |amount: &str| PaymentInput {
        document_id: invoice.id,
        date: Utc::now().date_naive().to_string(),
        amount: amount.into(),
        method: "Numerário".into(),
        notes: String::new(),
        lang: desk_model::msg::Lang::Pt,
    };
    payments::record(&a, &pay("20,00")).await.expect("A's payment");
    payments::record(&b, &pay("50,00")).await.expect("B's payment");
    let (ops_a, ops_b) = (ops_since(a.store(), mark_a).await, ops_since(b.store(), 0).await);
    for ops in [&ops_a, &ops_b] {
        assert!(
            ops.iter().all(|o| !(o.entity == "documents" && o.row_id == invoice.id)),
            "what the invoice received is derived, never sent: {ops:?}"
        );
    }
    apply(a.store(), &ops_b.iter().map(Incoming::from).collect::<Vec<_>>()).await.expect("B's into A");
    apply(b.store(), &ops_a.iter().map(Incoming::from).collect::<Vec<_>>()).await.expect("A's into B");
    for ws in [&a, &b] {
        let doc = documents::get(ws, invoice.id).await.expect("invoice");
        assert_eq!(payments::for_document(ws, invoice.id).await.expect("payments").len(), 2);
        assert_eq!((doc.received, doc.open_balance), (Money::from_cents(7000), Money::from_cents(5300)));
        assert_eq!(doc.state, DocState::PartiallyPaid);
    }
}

/// For each natural key: a row arriving with the key of a local one applies, both are kept, the local one is
/// marked its probable duplicate (and leaves the unique index, so the local form no longer refuses the key).
#[tokio::test]
async fn an_incoming_natural_key_never_fails_the_pull_and_marks_the_local_duplicate() {
    let dir = tempfile::tempdir().expect("d");
    let ws = open(dir.path()).await;
    let company = ws.company().id;
    let local_c = customers::create(&ws, &customer_input("Padaria Ribeiro", "501234560")).await.expect("customer");
    let local_p = products::create(&ws, &product_input("PAO-01", "1")).await.expect("product");
    let mut w = ws.store().write("test").await.expect("write");
    sqlx::query("UPDATE companies SET nif = '508123456' WHERE id = ?")
        .bind(company.to_string())
        .execute(w.conn())
        .await
        .expect("nif");
    w.commit().await.expect("commit");
    let now = "2026-11-29T10:00:00.000000Z";
    let (c2, p2, co2) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let incoming = vec![
        Incoming {
            entity: "companies".into(),
            row_id: co2,
            kind: "insert".into(),
            fields: json!({"name": "Outro desktop, Lda.", "nif": "508123456", "country": "PT", "vat_regime": "normal",
                "rounding": "document", "created_at": now})
            .as_object()
            .cloned()
            .unwrap_or_default(),
            rev: Some(7),
        },
        Incoming {
            entity: "customers".into(),
            row_id: c2,
            kind: "insert".into(),
            fields: json!({"company_id": company, "name": "Padaria Ribeiro, Lda.", "nif": "501234560", "country": "PT",
                "archived": false, "created_at": now})
            .as_object()
            .cloned()
            .unwrap_or_default(),
            rev: Some(8),
        },
        Incoming {
            entity: "products".into(),
            row_id: p2,
            kind: "insert".into(),
            fields:
                json!({"company_id": company, "reference": "PAO-01", "name": "Pão", "kind": "product", "unit": "un",
                "price": "1.2", "tax_zone": "PT", "tax_code": "NOR", "archived": false, "created_at": now})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            rev: Some(9),
        },
    ];
    let done = apply(ws.store(), &incoming).await.expect("the pull applies");
    let marked: Vec<(String, Uuid, Uuid)> =
        done.duplicates.iter().map(|d| (d.entity.clone(), d.local_id, d.incoming_id)).collect();
    assert_eq!(
        marked,
        [("companies".into(), company, co2), ("customers".into(), local_c.id, c2), ("products".into(), local_p.id, p2)]
    );
    for (table, local, incoming) in
        [("companies", company, co2), ("customers", local_c.id, c2), ("products", local_p.id, p2)]
    {
        let dup: Option<String> = sqlx::query_scalar(&format!("SELECT duplicate_of FROM {table} WHERE id = ?"))
            .bind(local.to_string())
            .fetch_one(ws.store().reader())
            .await
            .expect("local row kept");
        assert_eq!(dup, Some(incoming.to_string()), "{table}");
        let rev: Option<i64> = sqlx::query_scalar(&format!("SELECT rev FROM {table} WHERE id = ?"))
            .bind(incoming.to_string())
            .fetch_one(ws.store().reader())
            .await
            .expect("incoming row there");
        assert!(rev.is_some(), "{table}: the server's revision is kept");
    }
    // the incoming customer is searchable: its derived columns were computed here
    let page =
        customers::list(&ws, &desk_model::ipc::CustomerQuery { text: "ribeiro lda".into(), ..Default::default() })
            .await
            .expect("search");
    assert!(page.items.iter().any(|c| c.id == c2), "{:?}", page.items);
}

#[tokio::test]
async fn an_edit_can_not_write_a_server_owned_column_and_the_solo_outbox_stays_bounded() {
    let dir = tempfile::tempdir().expect("d");
    let ws = open(dir.path()).await;
    let input = DocumentInput { lines: vec![line("Pão", "1", "1")], ..DocumentInput::new(DocType::Ft, &today()) };
    let d = documents::save_draft(&ws, None, &input).await.expect("save");
    let mut forged = d.clone();
    forged.issue_requested_at = Some(Utc::now());
    let mut w = ws.store().write("test").await.expect("write");
    let err = w.update(&d, &forged).await.expect_err("refused");
    assert!(matches!(err, CoreError::WritePolicy { column: "issue_requested_at", .. }), "{err:?}");
    drop(w);
    for i in 0..30 {
        let mut edit = d.to_input();
        edit.notes = format!("nota {i}");
        documents::save_draft(&ws, Some(d.id), &edit).await.expect("save");
    }
    assert!(outbox::pending_count(ws.store()).await.expect("count") > 30);
    outbox::trim_solo(ws.store(), 10).await.expect("trim");
    let left = outbox::pending(ws.store(), 0).await.expect("ops");
    assert_eq!(left.len(), 10);
    assert_eq!(left.last().map(|o| o.new["notes"].clone()), Some(json!("nota 29")), "the newest stay");
    let acked = outbox::acknowledge(ws.store(), left[4].seq).await.expect("ack");
    assert_eq!(acked, 5);
    assert_eq!(outbox::pending_count(ws.store()).await.expect("count"), 5);

    // a desktop joined to an office keeps every op for the server, also after a restart
    ws.store().set_setting(desk_core::server::join::URL, "postgres://ana@h:5432/of").await.expect("joined");
    ws.store().close().await;
    let ws = open(dir.path()).await;
    assert!(ws.store().is_office());
    for i in 0..20 {
        let mut edit = d.to_input();
        edit.notes = format!("escritório {i}");
        documents::save_draft(&ws, Some(d.id), &edit).await.expect("save");
    }
    let pending = outbox::pending_count(ws.store()).await.expect("count");
    assert_eq!(outbox::trim_solo(ws.store(), 10).await.expect("trim"), 0);
    assert_eq!(outbox::pending_count(ws.store()).await.expect("count"), pending);
    assert!(pending > 20);
}
