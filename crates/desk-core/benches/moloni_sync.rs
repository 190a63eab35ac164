//! `cargo xtask bench` (issue 16): the first Moloni master sync of an office's seed (2,000 customers) from the
//! stand-in on loopback, with the time in our code (matching, SQLite, rules) reported apart from the time waiting
//! on HTTP answers; then a second run, which transfers nothing.

use desk_core::moloni::sync;
use desk_core::Workspace;
use std::time::Instant;

/// The allocator the app's binaries use (ARCHITECTURE.md), so the figures are what a user gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CUSTOMERS: usize = 2_000;

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
        standin.with_state(|s| moloni_standin::seed::bulk(s, moloni_standin::seed::DEMO_COMPANY, CUSTOMERS, 0));
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
        let started = Instant::now();
        let first =
            sync::run_with(&ws, &api, false, "bench", &mut |_| {}).await.unwrap_or_else(|e| panic!("sync: {e}"));
        let total = started.elapsed();
        let http = client.http_time();
        assert!(first.pulled as usize > CUSTOMERS, "every customer brought: {first:?}");
        let again = Instant::now();
        let second =
            sync::run_with(&ws, &api, false, "bench", &mut |_| {}).await.unwrap_or_else(|e| panic!("sync: {e}"));
        let second_time = again.elapsed();
        assert_eq!((second.pulled, second.pushed), (0, 0), "the second run transfers nothing");
        let ours = total.saturating_sub(http);
        println!("\n== first Moloni sync of {CUSTOMERS} customers from the stand-in (loopback) ==");
        println!("{:<40} {:>10}", "", "s");
        println!("{:<40} {:>10.2}", "all", total.as_secs_f64());
        println!("{:<40} {:>10.2}", "waiting on HTTP (stand-in + loopback)", http.as_secs_f64());
        println!("{:<40} {:>10.2}", "our code (matching, SQLite, rules)", ours.as_secs_f64());
        println!("{:<40} {:>10.2}", "second run (nothing changed)", second_time.as_secs_f64());
    });
}
