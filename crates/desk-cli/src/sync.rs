//! `desk sync [--once]`, `desk sync status`, `desk conflicts list|resolve`, `desk sync rejected|retry|dismiss`:
//! office sync from the command line, the same engine calls as the app's sync centre.

use crate::Out;
use clap::{Args, Subcommand};
use desk_core::sync::office;
use desk_core::Workspace;
use desk_model::ipc::{AppError, ConflictChoice, ErrorKind};
use desk_model::msg::Localized;
use std::io::Write;
use uuid::Uuid;

#[derive(Args)]
pub struct SyncArgs {
    /// One round (push, pull, conflicts) and exit; without it, keep syncing every few seconds until stopped.
    #[arg(long)]
    once: bool,
    #[command(subcommand)]
    command: Option<SyncCommand>,
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Last sync, edits waiting, conflicts and refused edits (no network).
    Status,
    /// Send a refused edit again (after its cause was fixed on the server).
    Retry {
        /// The refused edit's id (`desk sync status`).
        id: i64,
    },
    /// Take a refused edit off the list.
    Dismiss {
        /// The refused edit's id.
        id: i64,
    },
}

#[derive(Subcommand)]
pub enum ConflictsCommand {
    /// Fields both sides changed differently, with base, mine and theirs.
    List,
    /// Decide one: keep `mine`, `theirs`, or `edited` with --value.
    Resolve {
        /// The conflict's id.
        id: Uuid,
        /// mine, theirs or edited.
        choice: String,
        /// The value to keep, with `edited`.
        #[arg(long)]
        value: Option<String>,
    },
}

fn json<T: serde::Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

pub async fn run(ws: &Workspace, a: SyncArgs, out: Out) -> Result<(), AppError> {
    match a.command {
        Some(SyncCommand::Status) => {
            let s = office::status(ws).await?;
            if out.json {
                json(&s);
            } else {
                println!(
                    "joined: {}\nlast sync: {}\npending: {}\ncursor: {}\nconflicts: {}\nrefused: {}",
                    s.joined,
                    s.last_sync.as_deref().unwrap_or("never"),
                    s.pending,
                    s.cursor,
                    s.conflicts,
                    s.rejected.len()
                );
                if let Some(p) = &s.problem {
                    println!("problem: {}", p.en);
                }
                for r in &s.rejected {
                    println!("  #{}\t{} {}\t{}\t{}", r.id, r.entity, r.row_id, r.kind, r.reason);
                }
            }
            Ok(())
        }
        Some(SyncCommand::Retry { id }) => Ok(office::rejection_retry(ws, id).await?),
        Some(SyncCommand::Dismiss { id }) => Ok(office::rejection_dismiss(ws, id).await?),
        None => loop {
            let progress = |done: i64, of: i64| {
                if of > 0 {
                    eprint!("\rpull {done}/{of}");
                    let _ = std::io::stderr().flush();
                }
            };
            let report = office::sync_now(ws, &progress).await;
            eprintln!();
            match report {
                Ok(r) if out.json => json(&r),
                Ok(r) => println!(
                    "pushed {}, refused {}, conflicts made {}, pulled {}, open conflicts {}, pending {} ({} round trips)",
                    r.pushed, r.rejected, r.conflicts_made, r.pulled, r.open_conflicts, r.pending, r.round_trips
                ),
                Err(e) if a.once => return Err(e.into()),
                Err(e) => eprintln!("{}", e.to_app_error().message.en),
            }
            if a.once {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        },
    }
}

pub async fn conflicts(ws: &Workspace, c: ConflictsCommand, out: Out) -> Result<(), AppError> {
    match c {
        ConflictsCommand::List => {
            let list = office::conflicts(ws).await?;
            if out.json {
                json(&list);
            } else {
                for c in &list {
                    println!(
                        "{}\t{} {}\t{}\tbase: {}\tmine: {}\ttheirs: {} ({})",
                        c.id, c.entity, c.label, c.field, c.base, c.mine, c.theirs, c.by
                    );
                }
            }
            Ok(())
        }
        ConflictsCommand::Resolve { id, choice, value } => {
            let choice = ConflictChoice::parse(&choice).ok_or_else(|| {
                AppError::new(
                    ErrorKind::Validation,
                    Localized::new("Escolha mine, theirs ou edited.", "Choose mine, theirs or edited."),
                )
            })?;
            let c = office::resolve(ws, id, choice, value.as_deref()).await?;
            if out.json {
                json(&c);
            } else {
                println!("{} {} {}: {}", c.entity, c.label, c.field, choice.as_str());
            }
            Ok(())
        }
    }
}
