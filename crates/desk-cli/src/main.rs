//! `desk`: the desk-moloni engine from the command line (no tauri), against the same data folder the app uses.
//! Errors print the same user message the app shows and exit non-zero.

mod customers;

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
    /// Customers of the current company.
    #[command(subcommand)]
    Customers(customers::CustomersCommand),
    /// Where the data lives and which company is current.
    Info,
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
    let ws = Workspace::open(cli.data_dir).await?;
    match cli.command {
        Command::Customers(c) => customers::run(&ws, c, out).await,
        Command::Info => {
            let info = ws.info().await?;
            if out.json {
                println!("{}", serde_json::to_string_pretty(&info).unwrap_or_default());
            } else {
                println!("data folder: {}\ncompany:     {}{}", info.data_dir, info.company.name,
                    info.company.nif.map(|n| format!(" (NIF {n})")).unwrap_or_default());
            }
            Ok(())
        }
    }
}
