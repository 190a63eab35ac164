//! Workspace speed (PRODUCT.md §6) on a generated data set of 100k customers and 500k documents:
//! customer search p95 ≤ 10 ms, a filtered and sorted documents page of 100 rows p95 ≤ 20 ms, saving a 50-line
//! draft ≤ 5 ms. `cargo bench -p desk-core --bench workspace`.
//!
//! The data set is generated once (`desk_core::sample::generate`) into `<target>/bench-data/…` and reused while
//! its `complete` marker is there. `DESK_BENCH_CUSTOMERS` / `DESK_BENCH_DOCUMENTS` change its size. Criterion
//! reports means; the p50/p95/max table at the end comes from our own timed iterations. `DESK_BENCH_ONLY=save`
//! (any part of a row's name) times only the matching rows of that table, e.g. to profile one case.

use criterion::Criterion;
use desk_core::sample::{self, SampleSpec};
use desk_core::{customers, documents, Workspace};
use desk_model::document::{DocState, DocType};
use desk_model::ipc::{CustomerQuery, DocumentInput, DocumentQuery, DocumentSort, LineInput};
use desk_model::msg::Lang;
use std::future::Future;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// The allocator the app's binaries use (ARCHITECTURE.md), so the figures are what a user gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn data_dir(customers: usize, docs: usize) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-data").join(format!("workspace-{customers}c-{docs}d-v1"))
}

/// Opens the cached data set, generating it first if it is missing or incomplete.
fn dataset(rt: &Runtime) -> Workspace {
    let (nc, nd) = (env_usize("DESK_BENCH_CUSTOMERS", 100_000), env_usize("DESK_BENCH_DOCUMENTS", 500_000));
    let dir = data_dir(nc, nd);
    let marker = dir.join("complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        println!("generating {nc} customers and {nd} documents into {} …", dir.display());
        let report = rt.block_on(async {
            let ws = Workspace::open_dir(&dir, "bench".into()).await.unwrap_or_else(|e| panic!("open: {e}"));
            let spec = SampleSpec { customers: nc, documents: nd, products: 2000, seed: 2860, today: None };
            let mut last = Instant::now();
            let r = sample::generate(&ws, &spec, |what, done, total| {
                if last.elapsed() > Duration::from_secs(5) {
                    println!("  {what} {done}/{total}");
                    last = Instant::now();
                }
            })
            .await
            .unwrap_or_else(|e| panic!("generate: {e}"));
            ws.store().close().await;
            r
        });
        println!(
            "generated {} customers, {} documents, {} lines, {} payments in {:.1} s",
            report.customers,
            report.documents,
            report.lines,
            report.payments,
            report.elapsed.as_secs_f64()
        );
        std::fs::write(&marker, format!("{report:?}\n")).unwrap_or_else(|e| panic!("marker: {e}"));
    } else {
        println!("reusing {}", dir.display());
    }
    // Sample data is demo data that never syncs (no ops); the bench measures saves as a user's company makes
    // them, ops included, so its company is made an ordinary one first.
    rt.block_on(async {
        let store = desk_core::store::Store::open(&dir).await.unwrap_or_else(|e| panic!("open: {e}"));
        let mut w = store.write("bench").await.unwrap_or_else(|e| panic!("write: {e}"));
        sqlx::query("UPDATE companies SET demo = 0").execute(w.conn()).await.unwrap_or_else(|e| panic!("demo: {e}"));
        w.commit().await.unwrap_or_else(|e| panic!("commit: {e}"));
        store.close().await;
    });
    rt.block_on(Workspace::open_dir(&dir, "bench".into())).unwrap_or_else(|e| panic!("open: {e}"))
}

/// Whether the table row `name` is wanted (`DESK_BENCH_ONLY`).
fn wanted(name: &str) -> bool {
    std::env::var("DESK_BENCH_ONLY").map_or(true, |only| name.contains(&only))
}

/// Runs `f` `n` times and returns the sorted durations.
fn timed<F, Fut>(rt: &Runtime, n: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut times: Vec<Duration> = (0..n)
        .map(|i| {
            let t = Instant::now();
            rt.block_on(f(i));
            t.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn pct(times: &[Duration], p: f64) -> f64 {
    let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
    times[i].as_secs_f64() * 1000.0
}

struct Row {
    name: String,
    goal_ms: f64,
    times: Vec<Duration>,
    note: String,
}

fn customer_queries() -> Vec<&'static str> {
    vec![
        "silva",
        "maria gonç",
        "5012",
        "conceicao",
        "geral@fer",
        "joao pereira",
        "ponta delg",
        "farmácia",
        "brandão l",
        "2345",
    ]
}

fn document_queries(ws_customer: Option<uuid::Uuid>) -> Vec<(&'static str, DocumentQuery)> {
    let today = chrono::Local::now().date_naive();
    let year_ago = today - chrono::Duration::days(365);
    let base = DocumentQuery { limit: 100, ..Default::default() };
    vec![
        ("all, newest first", base.clone()),
        (
            "FT unpaid/partial, newest first",
            DocumentQuery {
                doc_types: vec![DocType::Ft],
                states: vec![DocState::Unpaid, DocState::PartiallyPaid],
                ..base.clone()
            },
        ),
        ("overdue, by total", DocumentQuery { overdue: true, sort: DocumentSort::TotalDesc, ..base.clone() }),
        (
            "last 12 months, by customer",
            DocumentQuery { date_from: Some(year_ago), sort: DocumentSort::CustomerAsc, ..base.clone() },
        ),
        (
            "FT+FR+FS last 12 months, by number",
            DocumentQuery {
                doc_types: vec![DocType::Ft, DocType::Fr, DocType::Fs],
                date_from: Some(year_ago),
                sort: DocumentSort::NumberDesc,
                ..base.clone()
            },
        ),
        ("one customer, newest first", DocumentQuery { customer_id: ws_customer, ..base.clone() }),
        ("drafts", DocumentQuery { states: vec![DocState::Draft], ..base.clone() }),
        (
            "quotes by total, oldest year",
            DocumentQuery {
                doc_types: vec![DocType::Or],
                date_to: Some(today - chrono::Duration::days(730)),
                sort: DocumentSort::TotalAsc,
                ..base
            },
        ),
    ]
}

fn fifty_lines(customer: Option<uuid::Uuid>) -> DocumentInput {
    let today = chrono::Local::now().date_naive().to_string();
    let mut input = DocumentInput::new(DocType::Ft, &today);
    input.customer_id = customer;
    input.notes = "bench".into();
    input.lines = (0..50)
        .map(|i| LineInput {
            description: format!("Artigo de teste n.º {i}"),
            quantity: format!("{}", 1 + i % 7),
            unit_price: format!("{}.{:02}", 3 + i, i % 100),
            discount: if i % 5 == 0 { "10".into() } else { String::new() },
            tax_code: ["NOR", "INT", "RED", "ISE"][i % 4].into(),
            exemption: if i % 4 == 3 { "M07".into() } else { String::new() },
            ..Default::default()
        })
        .collect();
    input
}

fn main() {
    let rt =
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap_or_else(|e| panic!("runtime: {e}"));
    let ws = dataset(&rt);
    let counts: (i64, i64, i64) = rt
        .block_on(
            sqlx::query_as("SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM documents), (SELECT count(*) FROM document_lines)")
                .fetch_one(ws.store().reader()),
        )
        .unwrap_or_else(|e| panic!("counts: {e}"));
    let some_customer: Option<uuid::Uuid> = rt
        .block_on(
            sqlx::query_scalar::<_, String>(
                "SELECT customer_id FROM documents WHERE customer_id IS NOT NULL LIMIT 1 OFFSET 1000",
            )
            .fetch_optional(ws.store().reader()),
        )
        .ok()
        .flatten()
        .and_then(|s| uuid::Uuid::parse_str(&s).ok());

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("workspace");
    group.sample_size(30).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_millis(500));
    for q in customer_queries() {
        let query = CustomerQuery { text: q.into(), limit: 50, ..Default::default() };
        group.bench_function(format!("customer search {q:?}"), |b| {
            b.iter(|| rt.block_on(customers::list(&ws, black_box(&query))).map(|p| p.total))
        });
    }
    for (name, q) in document_queries(some_customer) {
        group.bench_function(format!("documents page: {name}"), |b| {
            b.iter(|| rt.block_on(documents::list(&ws, black_box(&q))).map(|p| p.total))
        });
    }
    let input = fifty_lines(some_customer);
    group.bench_function("save a 50-line draft", |b| {
        b.iter(|| rt.block_on(documents::save_draft(&ws, None, black_box(&input))).map(|d| d.total))
    });
    group.finish();

    // Our own percentiles.
    let mut rows = Vec::new();
    for q in customer_queries().into_iter().filter(|q| wanted(&format!("customer search {q:?}"))) {
        let query = CustomerQuery { text: q.into(), limit: 50, ..Default::default() };
        let total = rt.block_on(customers::list(&ws, &query)).map(|p| p.total_text(Lang::En)).unwrap_or_default();
        let times = timed(&rt, 200, |_| {
            let query = query.clone();
            let ws = &ws;
            async move {
                let _ = customers::list(ws, &query).await;
            }
        });
        rows.push(Row {
            name: format!("customer search {q:?}"),
            goal_ms: 10.0,
            times,
            note: format!("{total} matches"),
        });
    }
    for (name, q) in
        document_queries(some_customer).into_iter().filter(|(n, _)| wanted(&format!("documents page: {n}")))
    {
        let total = rt.block_on(documents::list(&ws, &q)).map(|p| p.total_text(Lang::En)).unwrap_or_default();
        let times = timed(&rt, 200, |_| {
            let q = q.clone();
            let ws = &ws;
            async move {
                let _ = documents::list(ws, &q).await;
            }
        });
        rows.push(Row {
            name: format!("documents page: {name}"),
            goal_ms: 20.0,
            times,
            note: format!("{total} matches"),
        });
        // and a deep page: the 11th page of the same list
        if name == "all, newest first" {
            let mut deep = q.clone();
            for _ in 0..10 {
                deep.after = rt.block_on(documents::list(&ws, &deep)).ok().and_then(|p| p.next);
            }
            let times = timed(&rt, 200, |_| {
                let deep = deep.clone();
                let ws = &ws;
                async move {
                    let _ = documents::list(ws, &deep).await;
                }
            });
            rows.push(Row { name: "documents page: all, 11th page".into(), goal_ms: 20.0, times, note: String::new() });
        }
    }
    // 500 timed saves after 20 untimed ones: the writer connection's page cache starts cold in a fresh process,
    // where in the app it is warm after the first few saves of the day.
    let n_saves = if wanted("save a 50-line draft") { 500 } else { 0 };
    let warm_up = if n_saves > 0 { 20 } else { 0 };
    timed(&rt, warm_up, |_| {
        let ws = &ws;
        let input = &input;
        async move {
            documents::save_draft(ws, None, input).await.unwrap_or_else(|e| panic!("save: {e}"));
        }
    });
    let times = timed(&rt, n_saves, |_| {
        let ws = &ws;
        let input = &input;
        async move {
            documents::save_draft(ws, None, input).await.unwrap_or_else(|e| panic!("save: {e}"));
        }
    });
    rows.push(Row {
        name: "save a 50-line draft (new)".into(),
        goal_ms: 5.0,
        times,
        note: "50 lines, 51 audit+outbox ops, fsync".into(),
    });
    let existing = rt.block_on(documents::save_draft(&ws, None, &input)).unwrap_or_else(|e| panic!("save: {e}"));
    let mut edit = existing.to_input();
    let times = timed(&rt, n_saves, |i| {
        edit.lines[i % 50].quantity = format!("{}", 2 + i % 9);
        let ws = &ws;
        let edit = edit.clone();
        async move {
            documents::save_draft(ws, Some(existing.id), &edit).await.unwrap_or_else(|e| panic!("save: {e}"));
        }
    });
    rows.push(Row { name: "save a 50-line draft (edit 1 line)".into(), goal_ms: 5.0, times, note: String::new() });

    // The bench's drafts go again (drafts may be deleted; their audit entries stay, as the trail is append-only).
    rt.block_on(async {
        let mut w = ws.store().write("bench").await.unwrap_or_else(|e| panic!("write: {e}"));
        let _ = sqlx::query("DELETE FROM document_lines WHERE document_id IN (SELECT id FROM documents WHERE notes = 'bench' AND state = 'draft')")
            .execute(w.conn())
            .await;
        let _ = sqlx::query("DELETE FROM documents WHERE notes = 'bench' AND state = 'draft'").execute(w.conn()).await;
        let _ = sqlx::query("DELETE FROM outbox WHERE entity IN ('documents', 'document_lines')").execute(w.conn()).await;
        let _ = w.commit().await;
    });

    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!("\n== workspace, {} customers, {} documents, {} lines, {cores} cores ==", counts.0, counts.1, counts.2);
    println!("{:<52} {:>5} {:>8} {:>8} {:>8} {:>6}", "", "p10", "p50 ms", "p95 ms", "max ms", "goal");
    for r in rows.iter().filter(|r| !r.times.is_empty()) {
        let p95 = pct(&r.times, 0.95);
        println!(
            "{:<52} {:>5.2} {:>8.2} {:>8.2} {:>8.2} {:>6}  {} {}",
            r.name,
            pct(&r.times, 0.10),
            pct(&r.times, 0.50),
            p95,
            pct(&r.times, 1.0),
            format!("≤{}", r.goal_ms),
            if p95 <= r.goal_ms { "ok" } else { "OVER" },
            r.note
        );
    }
    c.final_summary();
}
