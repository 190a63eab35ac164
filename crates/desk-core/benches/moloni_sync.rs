//! `cargo xtask bench` (issue 16): the first Moloni master sync of an office's seed (2,000 customers, 1,000
//! products, 5,000 documents issued elsewhere) from the stand-in on loopback, with the time in our code (matching,
//! SQLite, rules, snapshots) reported apart from the time waiting on HTTP answers, per kind; then a second run,
//! which transfers nothing.

use desk_core::moloni::sync;
use desk_core::Workspace;
use std::time::Instant;

/// The allocator the app's binaries use (ARCHITECTURE.md), so the figures are what a user gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CUSTOMERS: usize = 2_000;
const PRODUCTS: usize = 1_000;
const DOCUMENTS: usize = 5_000;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    rt.block_on(async {
        let standin = moloni_standin::StandIn::start(moloni_standin::Options::default())
            .await
            .unwrap_or_else(|e| panic!("stand-in: {e}"));
        standin.with_state(|s| {
            moloni_standin::seed::bulk(s, moloni_standin::seed::DEMO_COMPANY, CUSTOMERS, PRODUCTS);
            moloni_standin::seed::bulk_documents(s, moloni_standin::seed::DEMO_COMPANY, DOCUMENTS);
        });
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("dir: {e}"));
        let ws = Workspace::open_dir(dir.path(), "bench".into()).await.unwrap_or_else(|e| panic!("open: {e}"));
        let client = moloni::Client::new(
            moloni::Config::new(standin.url()),
            moloni::Credentials {
                client_id: "desk-demo".into(),
                client_secret: moloni::Secret::new("desk-demo-secret"),
                username: "demo@desk.pt".into(),
                password: Some(moloni::Secret::new("demo")),
            },
        )
        .unwrap_or_else(|e| panic!("client: {e}"));
        let api = client.company(moloni_standin::seed::DEMO_COMPANY);
        // the time and the HTTP time at each change of kind, from the progress reports
        let started = Instant::now();
        let marks = std::sync::Mutex::new(Vec::<(String, std::time::Duration, std::time::Duration)>::new());
        let first = sync::run_with(&ws, &api, false, "bench", &mut |p| {
            let mut m = marks.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if m.last().is_none_or(|(k, _, _)| *k != p.kind) {
                m.push((p.kind.clone(), started.elapsed(), client.http_time()));
            }
        })
        .await
        .unwrap_or_else(|e| panic!("sync: {e}"));
        let total = started.elapsed();
        let http = client.http_time();
        let documents = first.by_kind.iter().find(|k| k.kind == "documents").map_or(0, |k| k.pulled);
        assert_eq!(documents as usize, DOCUMENTS, "every document brought: {first:?}");
        assert!(first.pulled as usize > CUSTOMERS + PRODUCTS + DOCUMENTS, "everything brought: {first:?}");
        let again = Instant::now();
        let second =
            sync::run_with(&ws, &api, false, "bench", &mut |_| {}).await.unwrap_or_else(|e| panic!("sync: {e}"));
        let second_time = again.elapsed();
        assert_eq!((second.pulled, second.pushed), (0, 0), "the second run transfers nothing");
        let ours = total.saturating_sub(http);
        println!(
            "\n== first Moloni sync of {CUSTOMERS} customers, {PRODUCTS} products, {DOCUMENTS} documents from the stand-in (loopback) =="
        );
        println!("{:<40} {:>10} {:>10} {:>10}", "", "all s", "HTTP s", "ours s");
        let mut marks = marks.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        marks.push(("end".into(), total, http));
        // each kind from its first progress report to the next kind's (the reference data before the first; a kind's
        // first report comes once its list is read, so that list's reading counts to the kind before)
        let mut previous = ("reference data".to_string(), std::time::Duration::ZERO, std::time::Duration::ZERO);
        for (kind, at, http_at) in &marks {
            let (all, web) = (at.saturating_sub(previous.1), http_at.saturating_sub(previous.2));
            println!(
                "{:<40} {:>10.2} {:>10.2} {:>10.2}",
                previous.0,
                all.as_secs_f64(),
                web.as_secs_f64(),
                all.saturating_sub(web).as_secs_f64()
            );
            previous = (kind.clone(), *at, *http_at);
        }
        println!("{:<40} {:>10.2}", "all", total.as_secs_f64());
        println!("{:<40} {:>10.2}", "waiting on HTTP (stand-in + loopback)", http.as_secs_f64());
        println!("{:<40} {:>10.2}", "our code (matching, SQLite, rules)", ours.as_secs_f64());
        println!("{:<40} {:>10.2}", "second run (nothing changed)", second_time.as_secs_f64());
    });
}
