//! Data in and answers out (issue 17): importing 100k customers from a CSV ≤ 10 s (read, check every row,
//! merge-plan, write them with their audit entries and ops in one transaction, commit); each report over the
//! generated data set of 500k documents ≤ 200 ms. `cargo bench -p desk-core --bench data`.
//!
//! The reports use the workspace bench's data set (`<target>/bench-data/…`, generated once, see
//! `benches/workspace.rs`); `DESK_BENCH_CUSTOMERS` / `DESK_BENCH_DOCUMENTS` change its size.

use chrono::NaiveDate;
use desk_core::import;
use desk_core::sample::{self, SampleSpec};
use desk_core::{reports, Workspace};
use desk_model::ipc::{ImportKind, ImportProgress, ImportRequest, SalesBy};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// The allocator the app's binaries use (ARCHITECTURE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// The workspace bench's data set, generated here too when it is missing.
fn dataset(rt: &Runtime) -> Workspace {
    let (nc, nd) = (env_usize("DESK_BENCH_CUSTOMERS", 100_000), env_usize("DESK_BENCH_DOCUMENTS", 500_000));
    let dir = target().join("bench-data").join(format!("workspace-{nc}c-{nd}d-v1"));
    let marker = dir.join("complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        println!("generating {nc} customers and {nd} documents into {} …", dir.display());
        let report = rt.block_on(async {
            let ws = Workspace::open_dir(&dir, "bench".into()).await.unwrap_or_else(|e| panic!("open: {e}"));
            let spec = SampleSpec { customers: nc, documents: nd, products: 2000, seed: 2860, today: None };
            let r = sample::generate(&ws, &spec, |_, _, _| {}).await.unwrap_or_else(|e| panic!("generate: {e}"));
            ws.store().close().await;
            r
        });
        std::fs::write(&marker, format!("{report:?}\n")).unwrap_or_else(|e| panic!("marker: {e}"));
    }
    rt.block_on(Workspace::open_dir(&dir, "bench".into())).unwrap_or_else(|e| panic!("open: {e}"))
}

/// A CSV of `n` valid customers as an office's old program exports them (Windows-1252, `;`).
fn customers_csv(path: &Path, n: usize) {
    let mut s = String::with_capacity(n * 120);
    s.push_str("Nome;Contribuinte;Morada;Código Postal;Localidade;Email;Telefone\r\n");
    for i in 0..n {
        let base = format!("2{:07}", i);
        let sum: u32 = base.chars().zip((2..=9).rev()).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
        let check = match 11 - sum % 11 {
            10 | 11 => 0,
            c => c,
        };
        s.push_str(&format!(
            "Cliente Conceição {i};{base}{check};Rua da Prata {i};1100-{:03};Lisboa;c{i}@exemplo.pt;21{:07}\r\n",
            i % 1000,
            i
        ));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&s);
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("write: {e}"));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks "import" or "reports"
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let rt =
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap_or_else(|e| panic!("runtime: {e}"));
    let mut table: Vec<(String, f64, f64, String)> = Vec::new();

    if wanted("import") {
        let n = env_usize("DESK_BENCH_IMPORT", 100_000);
        let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let csv = scratch.path().join("clientes.csv");
        customers_csv(&csv, n);
        let mut runs = Vec::new();
        for run in 0..3 {
            let dir = scratch.path().join(format!("ws{run}"));
            let ws = rt.block_on(Workspace::open_dir(&dir, "bench".into())).unwrap_or_else(|e| panic!("open: {e}"));
            let req =
                ImportRequest { kind: ImportKind::Customers, path: csv.display().to_string(), ..Default::default() };
            let progress = |_: ImportProgress| {};
            let t = Instant::now();
            let preview = rt.block_on(import::preview(&ws, &req)).unwrap_or_else(|e| panic!("preview: {e}"));
            let preview_time = t.elapsed();
            let t = Instant::now();
            let o = rt
                .block_on(import::commit(&ws, &req, &progress, &AtomicBool::new(false)))
                .unwrap_or_else(|e| panic!("import: {e}"));
            let commit_time = t.elapsed();
            assert_eq!((preview.new, o.added), (n as u64, n as u64));
            println!(
                "import run {run}: preview (dry run) {:.0} ms, commit {:.0} ms",
                ms(preview_time),
                ms(commit_time)
            );
            runs.push((preview_time, commit_time));
            rt.block_on(ws.store().close());
        }
        let best_commit = runs.iter().map(|r| r.1).min().unwrap_or_default();
        let worst_commit = runs.iter().map(|r| r.1).max().unwrap_or_default();
        let best_preview = runs.iter().map(|r| r.0).min().unwrap_or_default();
        table.push((
            format!("import {n} customers (commit: read, check, write, fsync)"),
            ms(best_commit),
            ms(worst_commit),
            "≤ 10000 ms".into(),
        ));
        table.push((format!("import {n} customers (dry-run preview)"), ms(best_preview), 0.0, String::new()));
    }

    if wanted("reports") {
        let ws = dataset(&rt);
        let (docs, from, to): (i64, String, String) = rt
            .block_on(
                sqlx::query_as("SELECT count(*), min(issue_date), max(issue_date) FROM documents")
                    .fetch_one(ws.store().reader()),
            )
            .unwrap_or_else(|e| panic!("count: {e}"));
        let from = NaiveDate::parse_from_str(&from, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"));
        let to = NaiveDate::parse_from_str(&to, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"));
        let year_from = to - chrono::Duration::days(365);
        let cases: Vec<(&str, NaiveDate)> = vec![("all", from), ("last 12 months", year_from)];
        // the first report after the data arrived builds every month's summaries and each document's VAT summary;
        // it is timed apart (they are dropped first, so every run measures it)
        rt.block_on(async {
            use sqlx::Connection;
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", ws.store().path().display())).await?;
            sqlx::query("DELETE FROM report_months; DELETE FROM document_vat_state; DELETE FROM document_vat")
                .execute(&mut c)
                .await
        })
        .unwrap_or_else(|e| panic!("drop the summaries: {e}"));
        let t = Instant::now();
        let first = rt.block_on(reports::vat(&ws, from, to)).unwrap_or_else(|e| panic!("vat: {e}"));
        table.push((
            format!("VAT report, first run: every month built ({} documents)", first.documents),
            ms(t.elapsed()),
            0.0,
            "once".into(),
        ));
        for (period, start) in cases {
            let mut run = |name: String, f: &dyn Fn() -> Result<(), desk_core::CoreError>| {
                let mut times: Vec<Duration> = (0..5)
                    .map(|_| {
                        let t = Instant::now();
                        f().unwrap_or_else(|e| panic!("{name}: {e}"));
                        t.elapsed()
                    })
                    .collect();
                times.sort();
                table.push((name, ms(times[times.len() / 2]), ms(times[times.len() - 1]), "≤ 200 ms".into()));
            };
            // as the reports screen asks: the 300 largest rows, totals over all
            for by in [SalesBy::Month, SalesBy::Customer, SalesBy::Product] {
                run(format!("sales by {by:?}, {period}"), &|| {
                    rt.block_on(reports::sales_top(&ws, start, to, by, Some(300))).map(|_| ())
                });
            }
            run(format!("VAT per zone and rate, {period}"), &|| rt.block_on(reports::vat(&ws, start, to)).map(|_| ()));
            run(format!("aged receivables ({period})"), &|| {
                rt.block_on(reports::aged_top(&ws, to, Some(300))).map(|_| ())
            });
            // every row, as an export or the CLI takes them
            run(format!("sales by Customer, {period}, every row (export)"), &|| {
                rt.block_on(reports::sales(&ws, start, to, SalesBy::Customer)).map(|_| ())
            });
            run(format!("aged receivables ({period}), every row (export)"), &|| {
                rt.block_on(reports::aged(&ws, to)).map(|_| ())
            });
        }
        println!("\n== reports over {docs} documents ==");
    }

    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!("\n== data in and answers out, {cores} cores ==");
    println!("{:<64} {:>10} {:>10} {:>12}", "", "p50/best", "max/worst", "goal");
    for (name, a, b, goal) in &table {
        println!("{name:<64} {a:>10.1} {b:>10.1} {goal:>12}");
    }
}
