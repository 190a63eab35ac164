//! `desk moloni connect|status|disconnect`: connecting the current company to Moloni. The password is asked
//! on the terminal (or read with `--password-stdin`), never taken as an argument; the secrets go to the OS
//! keyring, the rest to the data folder's settings.

use crate::Out;
use clap::Subcommand;
use desk_core::api::Run;
use desk_core::Workspace;
use desk_model::ipc::{call, AppError, ErrorKind, MoloniConnectInput, MoloniStatus};
use desk_model::msg::Localized;
use std::io::BufRead;

#[derive(Subcommand)]
pub enum MoloniCommand {
    /// Test the credentials with Moloni and keep them (secrets in the OS keyring).
    Connect {
        /// The API address (a stand-in's, e.g. http://127.0.0.1:8690).
        #[arg(long, default_value = moloni::PRODUCTION_URL)]
        url: String,
        /// The developer Client ID.
        #[arg(long)]
        client_id: String,
        /// The developer Client Secret.
        #[arg(long, env = "DESK_MOLONI_CLIENT_SECRET", hide_env_values = true)]
        client_secret: String,
        /// The Moloni user (login e-mail).
        #[arg(long)]
        user: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
        /// The Moloni company for the current company (needed when the user has several).
        #[arg(long)]
        company: Option<i64>,
    },
    /// The connection's state; `--check` asks Moloni with the stored secrets.
    Status {
        /// Ask Moloni, not only the stored state.
        #[arg(long)]
        check: bool,
    },
    /// Forget the connection (keyring secrets and settings).
    Disconnect,
    /// Sync with Moloni now: its reference data, then customers and products both ways, then documents issued
    /// elsewhere (the kinds chosen in Definições › Sincronização); prints the run's summary, per kind too.
    Sync {
        /// Read everything, not only what changed since the last run.
        #[arg(long)]
        full: bool,
    },
    /// The sync log, newest first (`--csv` for a spreadsheet).
    SyncLog {
        /// How many runs.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// As CSV (one row per run).
        #[arg(long)]
        csv: bool,
    },
}

fn print_report(r: &desk_model::ipc::MoloniSyncReport) {
    println!(
        "{} sync in {:.1} s: {} pulled, {} pushed, {} linked, {} to review, {} failed ({})",
        if r.full { "full" } else { "incremental" },
        r.duration_ms as f64 / 1000.0,
        r.pulled,
        r.pushed,
        r.linked,
        r.review,
        r.failed,
        r.kinds.join(", ")
    );
    for k in &r.by_kind {
        println!("  {}: {} pulled, {} pushed, {} linked, {} failed", k.kind, k.pulled, k.pushed, k.linked, k.failed);
    }
    for i in &r.issues {
        println!("  {}	{}	{}", i.kind, i.record, i.message.en);
    }
}

async fn sync(ws: &Workspace, full: bool, out: Out) -> Result<(), AppError> {
    let mut last = std::time::Instant::now();
    let mut progress = move |p: desk_model::ipc::SyncProgress| {
        if last.elapsed().as_millis() > 500 || p.total == Some(p.done) {
            match p.total {
                Some(t) => eprintln!("{}: {}/{t}", p.kind, p.done),
                None => eprintln!("{}: {}", p.kind, p.done),
            }
            last = std::time::Instant::now();
        }
    };
    let report = desk_core::moloni::sync::run(ws, full, &desk_core::moloni::issuer::owner(), &mut progress).await?;
    if out.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print_report(&report);
    }
    if report.issues.iter().any(|i| i.kind == "run") {
        return Err(AppError::new(
            ErrorKind::Remote,
            Localized::new("A sincronização não terminou: veja acima.", "The sync did not finish: see above."),
        ));
    }
    Ok(())
}

async fn sync_log(ws: &Workspace, limit: u32, csv: bool, out: Out) -> Result<(), AppError> {
    let runs = desk_core::moloni::sync::history(ws, limit).await?;
    if out.json {
        println!("{}", serde_json::to_string_pretty(&runs).unwrap_or_default());
    } else if csv {
        println!("started_at;duration_ms;full;kinds;pulled;pushed;linked;review;failed;issues");
        for r in &runs {
            let issues: Vec<String> =
                r.issues.iter().map(|i| format!("{} {}: {}", i.kind, i.record, i.message.en)).collect();
            println!(
                "{};{};{};{};{};{};{};{};{};\"{}\"",
                r.started_at.to_rfc3339(),
                r.duration_ms,
                r.full,
                r.kinds.join(" "),
                r.pulled,
                r.pushed,
                r.linked,
                r.review,
                r.failed,
                issues.join(" | ").replace('"', "'")
            );
        }
    } else {
        for r in &runs {
            print!("{}  ", r.started_at.format("%d/%m/%Y %H:%M:%S"));
            print_report(r);
        }
    }
    Ok(())
}

fn read_password(stdin: bool) -> Result<String, AppError> {
    let failed = |e: std::io::Error| {
        AppError::new(
            ErrorKind::Validation,
            Localized::new(
                format!("Não foi possível ler a palavra-passe ({e})."),
                format!("Could not read the password ({e})."),
            ),
        )
    };
    if stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(failed)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    } else {
        rpassword::prompt_password("Palavra-passe do Moloni / Moloni password: ").map_err(failed)
    }
}

fn print(status: &MoloniStatus, out: Out) {
    if out.json {
        println!("{}", serde_json::to_string_pretty(status).unwrap_or_default());
        return;
    }
    let Some(url) = &status.url else {
        println!("Moloni: not connected");
        return;
    };
    println!("Moloni:  {}", if status.connected { "connected" } else { "company not chosen" });
    println!("address: {url}");
    println!("user:    {}", status.user.as_deref().unwrap_or(""));
    match &status.company {
        Some(c) => println!("company: {} {} (NIF {})", c.id, c.name, c.vat),
        None => {
            for c in &status.companies {
                println!("  --company {}\t{} (NIF {})", c.id, c.name, c.vat);
            }
        }
    }
}

pub async fn run(ws: &Workspace, command: MoloniCommand, out: Out) -> Result<(), AppError> {
    let status = match command {
        MoloniCommand::Connect { url, client_id, client_secret, user, password_stdin, company } => {
            let password = read_password(password_stdin)?;
            let input = MoloniConnectInput { url, client_id, client_secret, user, password, company_id: company };
            let status = call::MoloniConnect { input }.run(ws).await?;
            if status.company.is_none() {
                print(&status, out);
                return Err(AppError::new(
                    ErrorKind::Validation,
                    Localized::new(
                        "O utilizador tem várias empresas no Moloni: repita com --company <id> (listadas acima).",
                        "The user has several companies in Moloni: run it again with --company <id> (listed above).",
                    ),
                ));
            }
            status
        }
        MoloniCommand::Status { check } => call::MoloniStatusGet { check }.run(ws).await?,
        MoloniCommand::Disconnect => call::MoloniDisconnect {}.run(ws).await?,
        MoloniCommand::Sync { full } => return sync(ws, full, out).await,
        MoloniCommand::SyncLog { limit, csv } => return sync_log(ws, limit, csv, out).await,
    };
    print(&status, out);
    Ok(())
}
