//! `desk`: the desk-moloni engine from the command line (no tauri), against the same data folder the app uses.
//! Errors print the same user message the app shows and exit non-zero.

mod company;
mod customers;
mod documents;
mod export;
mod import;
mod issue;
mod moloni;
mod outbox;
mod pdf;
mod products;
mod report;
mod server;
mod sync;

/// The same allocator as the app (ARCHITECTURE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use desk_core::Workspace;
use desk_model::ipc::AppError;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "desk", version, about = "desk-moloni from the command line")]
struct Cli {
    /// The data folder (default: DESK_DATA_DIR, else the app's per-user folder).
    #[arg(long, global = true, env = "DESK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Print results as JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The companies of the data folder: list, add, switch, and the current one's profile.
    #[command(subcommand)]
    Company(company::CompanyCommand),
    /// Customers of the current company.
    #[command(subcommand)]
    Customers(customers::CustomersCommand),
    /// Products and services of the current company.
    #[command(subcommand)]
    Products(products::ProductsCommand),
    /// Documents (drafts, invoices, quotes, credit notes…) of the current company.
    #[command(subcommand)]
    Documents(documents::DocumentsCommand),
    /// The Moloni connection: `connect`, `status`, `disconnect` (secrets in the OS keyring).
    #[command(subcommand)]
    Moloni(moloni::MoloniCommand),
    /// Office mode: `init`/`upgrade` a PostgreSQL server, `join`/`leave` an office, `status`, the office's
    /// `users`, the server's `audit` trail.
    #[command(subcommand)]
    Server(server::ServerCommand),
    /// Print documents to PDF: one (`desk pdf FT 2026A/17 -o f.pdf`) or a filtered list (`--all --filter …`).
    Pdf(pdf::PdfArgs),
    /// Generate a large realistic Portuguese data set (for demos and benchmarks) in the demo company, which it
    /// creates and puts on screen (sample data never mixes with a real company and never syncs).
    SampleData {
        /// Customers to add.
        #[arg(long, default_value_t = 1000)]
        customers: usize,
        /// Documents to add.
        #[arg(long, default_value_t = 5000)]
        documents: usize,
        /// Products to add.
        #[arg(long, default_value_t = 300)]
        products: usize,
        /// Seed (the same seed gives the same data).
        #[arg(long, default_value_t = 2860)]
        seed: u64,
    },
    /// Import customers or products from CSV, Excel or SAF-T (PT), merging with what is stored: `--dry-run`
    /// shows the preview's summary and every row's problems.
    Import(import::ImportArgs),
    /// The review list: imported values that differ from the stored ones (`list`, `resolve <id> [--take]`).
    #[command(subcommand)]
    Review(import::ReviewCommand),
    /// Export customers, products or documents (with filters) to CSV or XLSX.
    Export(export::ExportArgs),
    /// Reports: sales, VAT summary, aged receivables, to CSV, XLSX or PDF.
    Report(report::ReportArgs),
    /// Issue through Moloni: a document now (a draft is queued first), or `--pending` to work the queue once.
    Issue(issue::IssueArgs),
    /// The issue queue: each request's document, state, attempts and last error.
    Queue,
    /// Cancel an issued document in Moloni, with the reason (errors in amounts or VAT need a credit note instead).
    Cancel(issue::CancelArgs),
    /// Office sync: a round with the joined server (`--once`), or keep syncing; `status`, `retry`, `dismiss`.
    Sync(sync::SyncArgs),
    /// The office's conflict queue: `list`, `resolve <id> mine|theirs|edited [--value …]`.
    #[command(subcommand)]
    Conflicts(sync::ConflictsCommand),
    /// Where the data lives and which company is current.
    Info,
    /// The ops waiting for the office server (every local edit writes one), oldest first, as the server receives
    /// them.
    Outbox {
        /// At most this many (0: all).
        #[arg(long, default_value_t = 0)]
        limit: u32,
    },
}

/// Output mode shared by the subcommands.
#[derive(Clone, Copy)]
pub struct Out {
    /// JSON instead of text.
    pub json: bool,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Out { json: cli.json };
    match run(cli, out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", e.message.en);
            for f in &e.fields {
                eprintln!("  {}: {}", f.field, f.message.en);
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, out: Out) -> Result<(), AppError> {
    let mut ws = Workspace::open(cli.data_dir).await?;
    match cli.command {
        Command::Company(c) => company::run(&mut ws, c, out).await,
        Command::Customers(c) => customers::run(&ws, c, out).await,
        Command::Products(c) => products::run(&ws, c, out).await,
        Command::Documents(c) => documents::run(&ws, c, out).await,
        Command::Pdf(a) => pdf::run(&ws, a, out).await,
        Command::Moloni(c) => moloni::run(&ws, c, out).await,
        Command::Server(c) => server::run(&mut ws, c, out).await,
        Command::SampleData { customers, documents, products, seed } => {
            documents::sample_data(&mut ws, customers, documents, products, seed, out).await
        }
        Command::Outbox { limit } => outbox::run(&ws, limit, out).await,
        Command::Import(a) => import::run(&ws, a, out).await,
        Command::Review(c) => import::review(&ws, c, out).await,
        Command::Export(a) => export::run(&ws, a, out).await,
        Command::Report(a) => report::run(&ws, a, out).await,
        Command::Issue(a) => issue::run(&ws, a, out).await,
        Command::Queue => issue::queue(&ws, out).await,
        Command::Sync(a) => sync::run(&ws, a, out).await,
        Command::Conflicts(c) => sync::conflicts(&ws, c, out).await,
        Command::Cancel(a) => issue::cancel(&ws, a, out).await,
        Command::Info => {
            let info = ws.info().await?;
            if out.json {
                println!("{}", serde_json::to_string_pretty(&info).unwrap_or_default());
            } else {
                println!(
                    "data folder: {}\ncompany:     {}{}",
                    info.data_dir,
                    info.company.name,
                    info.company.nif.map(|n| format!(" (NIF {n})")).unwrap_or_default()
                );
            }
            Ok(())
        }
    }
}
