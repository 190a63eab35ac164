//! `cargo xtask bench` (issue 15): issuing 100 queued drafts through the Moloni stand-in on loopback, one queue run,
//! with the time per document spent in our code (SQLite, desk-model, JSON) reported apart from the time waiting on
//! HTTP answers (the stand-in's work and the loopback).

use desk_core::documents::{self, issue};
use desk_core::moloni::issuer::{Issuer, Outcome};
use desk_core::{customers, Workspace};
use desk_model::document::DocType;
use desk_model::ipc::{CustomerInput, DocumentInput, LineInput};
use std::time::Instant;

/// The allocator the app's binaries use (ARCHITECTURE.md), so the figures are what a user gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DOCUMENTS: usize = 100;

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
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("dir: {e}"));
        let ws = Workspace::open_dir(dir.path(), "bench".into()).await.unwrap_or_else(|e| panic!("open: {e}"));
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
        .unwrap_or_else(|e| panic!("customer: {e}"));
        let today = chrono::Local::now().date_naive().to_string();
        for n in 0..DOCUMENTS {
            let lines = (0..5)
                .map(|i| LineInput {
                    description: format!("Artigo {n}.{i}"),
                    quantity: format!("{}", 1 + i),
                    unit_price: format!("{}.{:02}", 3 + i, n % 100),
                    tax_code: ["NOR", "INT", "RED", "NOR", "RED"][i].into(),
                    ..Default::default()
                })
                .collect();
            let input = DocumentInput { customer_id: Some(c.id), lines, ..DocumentInput::new(DocType::Ft, &today) };
            let d = documents::save_draft(&ws, None, &input).await.unwrap_or_else(|e| panic!("draft: {e}"));
            issue::request_issue(&ws, d.id).await.unwrap_or_else(|e| panic!("queue: {e}"));
        }
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
        let issuer = Issuer::new(&ws, client.company(moloni_standin::seed::DEMO_COMPANY), "bench");
        let started = Instant::now();
        let outcomes = issuer.work_queue().await.unwrap_or_else(|e| panic!("queue: {e}"));
        let total = started.elapsed();
        let issued = outcomes.iter().filter(|(_, o)| matches!(o, Outcome::Issued { .. })).count();
        assert_eq!(issued, DOCUMENTS, "every queued draft issued");
        let http = client.http_time();
        let ours = total.saturating_sub(http);
        let per = |d: std::time::Duration| d.as_secs_f64() * 1000.0 / DOCUMENTS as f64;
        println!("\n== issuing {DOCUMENTS} queued 5-line invoices through the stand-in (loopback) ==");
        println!("{:<40} {:>10} {:>14}", "", "total s", "per doc ms");
        println!("{:<40} {:>10.2} {:>14.2}", "all", total.as_secs_f64(), per(total));
        println!("{:<40} {:>10.2} {:>14.2}", "waiting on HTTP (stand-in + loopback)", http.as_secs_f64(), per(http));
        println!("{:<40} {:>10.2} {:>14.2}", "our code (SQLite, rules, JSON)", ours.as_secs_f64(), per(ours));
    });
}
