//! `desk import customers|products <file> [--dry-run] [--profile …] [--skip-invalid]` and `desk review
//! list|resolve`: the app's import, its preview's summary, and the review list of differing values.

use crate::Out;
use clap::{Args, Subcommand, ValueEnum};
use desk_core::import::{self, ImportError};
use desk_core::Workspace;
use desk_model::ipc::{AppError, ImportKind, ImportPreview, ImportRequest, Resolution};
use std::sync::atomic::AtomicBool;

#[derive(Clone, Copy, ValueEnum)]
pub enum What {
    Customers,
    Products,
}

#[derive(Args)]
pub struct ImportArgs {
    /// What the file holds.
    what: What,
    /// A CSV (UTF-8 or Windows-1252; `;`, `,` or tab), Excel (.xlsx, .xls, .ods) or SAF-T (PT) XML file.
    file: String,
    /// Show what would happen (and every row's problems) without changing anything.
    #[arg(long)]
    dry_run: bool,
    /// Read the columns as this profile names them: moloni, phc, primavera, generic, or one saved in the app.
    #[arg(long)]
    profile: Option<String>,
    /// Import the good rows and leave out the rows with problems (otherwise any problem imports nothing).
    #[arg(long)]
    skip_invalid: bool,
}

fn print_preview(p: &ImportPreview, out: Out) {
    if out.json {
        println!("{}", serde_json::to_string_pretty(p).unwrap_or_default());
        return;
    }
    println!("file:       {} ({})", p.file_name, p.format);
    if let Some(profile) = &p.profile {
        println!("profile:    {profile}");
    }
    let mapped: Vec<String> =
        p.columns.iter().zip(&p.mapping).map(|(c, f)| format!("{c} → {}", f.as_deref().unwrap_or("-"))).collect();
    println!("columns:    {}", mapped.join(", "));
    println!("rows:       {}", p.rows);
    println!("new:        {}", p.new);
    println!("updated:    {}", p.updated);
    println!("unchanged:  {}", p.unchanged);
    println!("to review:  {}", p.differences.len());
    println!("problems:   {} in {} rows", p.problems.len(), p.invalid_rows);
    for pr in p.problems.iter().take(50) {
        println!("  line {}: {}: {}", pr.line, pr.field, pr.message.en);
    }
    if p.problems.len() > 50 {
        println!("  … and {} more (--json lists all)", p.problems.len() - 50);
    }
    for d in p.differences.iter().take(20) {
        println!("  review line {}: {} {}: «{}» ≠ «{}»", d.line, d.record, d.field, d.current, d.incoming);
    }
}

pub async fn run(ws: &Workspace, a: ImportArgs, out: Out) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    let kind = match a.what {
        What::Customers => ImportKind::Customers,
        What::Products => ImportKind::Products,
    };
    let req = ImportRequest { kind, path: a.file, profile: a.profile, mapping: None, skip_invalid: a.skip_invalid };
    let map = |e: ImportError| e.to_app_error();
    if a.dry_run {
        let p = import::preview(ws, &req).await.map_err(map)?;
        print_preview(&p, out);
        return Ok(());
    }
    // Ctrl+C is the cancel key: the import stops at its next chunk and rolls everything back
    let cancel = std::sync::Arc::new(AtomicBool::new(false));
    let watcher = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                eprintln!("cancelling: nothing will be changed");
            }
        })
    };
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        // told to a person at a terminal; scripts keep an error as the first line they read
        eprintln!("Ctrl+C cancels (nothing is changed)");
    }
    let progress = |p: desk_model::ipc::ImportProgress| eprintln!("writing {}/{}", p.done, p.total);
    let result = import::commit(ws, &req, &progress, &cancel).await;
    watcher.abort();
    let o = result.map_err(map)?;
    if out.json {
        println!("{}", serde_json::to_string_pretty(&o).unwrap_or_default());
    } else {
        println!("added {}, updated {}, to review {}, skipped {}", o.added, o.updated, o.to_review, o.skipped);
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// The values waiting for a decision: stored and incoming, field by field.
    List,
    /// Settle one: keep the stored value, or take the incoming one.
    Resolve {
        /// The item's id (from `desk review list`).
        id: i64,
        /// Take the incoming value (default: keep the stored one).
        #[arg(long)]
        take: bool,
    },
}

pub async fn review(ws: &Workspace, cmd: ReviewCommand, out: Out) -> Result<(), AppError> {
    match cmd {
        ReviewCommand::List => {
            let items = desk_core::review::list(ws).await?;
            if out.json {
                println!("{}", serde_json::to_string_pretty(&items).unwrap_or_default());
            } else {
                for i in &items {
                    println!(
                        "{}\t{}\t{}\t{}\t«{}»\t«{}»\t{}",
                        i.id, i.entity, i.record, i.field, i.current, i.incoming, i.source
                    );
                }
            }
            Ok(())
        }
        ReviewCommand::Resolve { id, take } => {
            let r = if take { Resolution::TakeIncoming } else { Resolution::KeepCurrent };
            desk_core::review::resolve(ws, id, r).await?;
            if out.json {
                println!("{}", serde_json::json!({ "id": id, "resolution": r }));
            } else {
                println!("{id}\t{}", r.as_str());
            }
            Ok(())
        }
    }
}
