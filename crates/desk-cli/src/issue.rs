//! `desk issue <document>` (queue a draft and issue it through Moloni now), `desk issue --pending` (work the
//! queue once and exit) and `desk queue` (the requests, their state, attempts and last error).

use crate::Out;
use clap::Args;
use desk_core::documents::{self, issue};
use desk_core::moloni::issuer::{self, Outcome};
use desk_core::{CoreError, Workspace};
use desk_model::ipc::{AppError, ErrorKind};
use desk_model::msg::Localized;
use serde_json::json;
use uuid::Uuid;

#[derive(Args)]
pub struct IssueArgs {
    /// The document: its id or draft label ("Rascunho FT/12"); a draft is queued first.
    #[arg(required_unless_present = "pending", conflicts_with = "pending")]
    document: Option<String>,
    /// Work every queued document once, then exit.
    #[arg(long)]
    pending: bool,
}

fn outcome_json(id: Uuid, o: &Outcome) -> serde_json::Value {
    match o {
        Outcome::Issued { document: d } => json!({"document_id": id, "outcome": "issued", "number": d.number,
            "atcud": d.fiscal.as_ref().map(|f| f.atcud.clone()), "total": d.total}),
        Outcome::Retry { message: m } => json!({"document_id": id, "outcome": "retry", "message": m}),
        Outcome::NeedsAttention { message: m } => {
            json!({"document_id": id, "outcome": "needs_attention", "message": m})
        }
        Outcome::Refused { message: m } => json!({"document_id": id, "outcome": "refused", "message": m}),
        Outcome::Busy => json!({"document_id": id, "outcome": "busy"}),
    }
}

fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Issued { document: d } => {
            format!("issued: {} (ATCUD {})", d.number, d.fiscal.as_ref().map(|f| f.atcud.as_str()).unwrap_or_default())
        }
        Outcome::Retry { message: m } => format!("still queued: {}", m.en),
        Outcome::NeedsAttention { message: m } => format!("stopped for review: {}", m.en),
        Outcome::Refused { message: m } => format!("refused, back to draft: {}", m.en),
        Outcome::Busy => "another worker is issuing it right now".into(),
    }
}

/// Exits non-zero unless everything asked for was issued (or there was nothing to do).
fn all_issued(outcomes: &[(Uuid, Outcome)]) -> Result<(), AppError> {
    if outcomes.iter().all(|(_, o)| matches!(o, Outcome::Issued { .. })) {
        return Ok(());
    }
    Err(AppError::new(
        ErrorKind::Remote,
        Localized::new(
            "Nem todos os documentos foram emitidos: veja «desk queue».",
            "Not every document was issued: see «desk queue».",
        ),
    ))
}

pub async fn run(ws: &Workspace, a: IssueArgs, out: Out) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    let outcomes = if a.pending {
        issuer::work_queue_now(ws, &issuer::owner()).await?
    } else {
        let key = a.document.unwrap_or_default();
        let id = documents::find(ws, &key).await.map_err(|e| match e {
            CoreError::NotFound { .. } => AppError::new(
                ErrorKind::NotFound,
                Localized::new(
                    format!("Nenhum documento «{key}». Veja os números com «desk documents list»."),
                    format!("No document «{key}». See the numbers with «desk documents list»."),
                ),
            ),
            other => other.into(),
        })?;
        vec![(id, issuer::issue_now(ws, id, &issuer::owner()).await?)]
    };
    if out.json {
        let list: Vec<_> = outcomes.iter().map(|(id, o)| outcome_json(*id, o)).collect();
        println!("{}", serde_json::to_string_pretty(&list).unwrap_or_default());
    } else if outcomes.is_empty() {
        println!("nothing queued");
    } else {
        for (_, o) in &outcomes {
            println!("{}", outcome_text(o));
        }
    }
    all_issued(&outcomes)
}

/// `desk queue`: the issue requests, newest first, and the background issuer's last pass.
pub async fn queue(ws: &Workspace, out: Out) -> Result<(), AppError> {
    let list = issue::queue(ws).await?;
    if out.json {
        println!("{}", serde_json::to_string_pretty(&list).unwrap_or_default());
        return Ok(());
    }
    if let Some(p) = issue::queue_summary(ws).await?.last_pass {
        println!(
            "last pass {}: {} issued, {} to retry, {} stopped{}",
            p.at.format("%d/%m/%Y %H:%M:%S"),
            p.issued,
            p.retried,
            p.stopped,
            p.error.map(|e| format!(" ({})", e.en)).unwrap_or_default()
        );
    }
    if list.is_empty() {
        println!("no issue requests");
    }
    for r in &list {
        println!(
            "{}\t{}\t{}\t{} attempt(s)\t{}",
            r.number,
            r.state,
            r.total.to_plain_string(),
            r.attempts,
            r.last_error.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

#[derive(Args)]
pub struct CancelArgs {
    /// The issued document: its id or fiscal number ("FT 2026A/17").
    document: String,
    /// Why (up to 50 characters; it goes into the SAF-T file). Only for errors that change neither amounts nor VAT.
    #[arg(long)]
    reason: String,
}

/// `desk cancel <document> --reason …`: cancels an issued document in Moloni, then here.
pub async fn cancel(ws: &Workspace, a: CancelArgs, out: Out) -> Result<(), AppError> {
    let id = documents::find(ws, &a.document).await?;
    let doc = issuer::cancel_now(ws, id, &a.reason).await?;
    if out.json {
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        println!("cancelled: {} ({})", doc.number, doc.cancel_reason.unwrap_or_default());
    }
    Ok(())
}
