//! `desk pdf <document> -o file.pdf` and `desk pdf --all --filter … -o folder/`: the same PDFs the app prints.

use crate::documents::Filter;
use crate::Out;
use clap::Args;
use desk_core::pdf::BatchTarget;
use desk_core::{documents, printing, Workspace};
use desk_model::ipc::{AppError, DocumentSort, ErrorKind};
use desk_model::msg::{Lang, Localized};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args)]
pub struct PdfArgs {
    /// The document: its id, fiscal number ("FT 2026A/17") or draft label ("Rascunho FT/12").
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    document: Option<String>,
    /// Print every document the filters select (all of them without filters), in date order.
    #[arg(long)]
    all: bool,
    /// With --all: `type=FT`, `state=unpaid`, `customer=<NIF>`, `from=2026-01-01`, `to=…`, `overdue`; repeatable
    /// or comma-separated.
    #[arg(long = "filter", requires = "all")]
    filters: Vec<String>,
    /// With --all: one merged PDF in the file -o names, instead of one file per document in the folder -o names.
    #[arg(long, requires = "all")]
    merged: bool,
    /// The PDF file (one document, or --merged) or the folder (--all).
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    /// Moloni's own PDF of an issued document instead of ours (downloaded once, then kept in the data folder).
    #[arg(long, conflicts_with = "all")]
    moloni: bool,
    /// The language to print in: pt (default) or en.
    #[arg(long, default_value = "pt", value_parser = parse_lang)]
    lang: Lang,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    match s.to_ascii_lowercase().as_str() {
        "pt" | "pt-pt" => Ok(Lang::Pt),
        "en" => Ok(Lang::En),
        _ => Err(format!("unknown language {s:?}: use pt or en")),
    }
}

fn warn_all(warnings: impl IntoIterator<Item = Localized>) {
    for w in warnings {
        eprintln!("warning: {}", w.en);
    }
}

pub async fn run(ws: &Workspace, a: PdfArgs, out: Out) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    if !a.all {
        let key = a.document.unwrap_or_default();
        let id = documents::find(ws, &key).await.map_err(|e| match e {
            desk_core::CoreError::NotFound { .. } => AppError::new(
                ErrorKind::NotFound,
                Localized::new(
                    format!("Nenhum documento «{key}». Veja os números com «desk documents list»."),
                    format!("No document «{key}». See the numbers with «desk documents list»."),
                ),
            ),
            other => other.into(),
        })?;
        let saved = if a.moloni {
            let kept = desk_core::moloni::pdf::fetch(ws, ws.dir(), id).await?;
            std::fs::copy(&kept.path, &a.output).map_err(|e| {
                AppError::new(
                    ErrorKind::Storage,
                    Localized::new(
                        format!("Não foi possível escrever {} ({e}).", a.output.display()),
                        format!("Could not write {} ({e}).", a.output.display()),
                    ),
                )
            })?;
            desk_model::ipc::PdfSaved { path: a.output.display().to_string(), ..kept }
        } else {
            printing::save(ws, id, a.lang, &a.output).await?
        };
        warn_all(saved.warnings.clone());
        if out.json {
            println!("{}", serde_json::to_string_pretty(&saved).unwrap_or_default());
        } else {
            println!("{} ({} page{})", saved.path, saved.pages, if saved.pages == 1 { "" } else { "s" });
        }
        return Ok(());
    }
    let filter = Filter::parse_terms(&a.filters)?;
    let query = filter.to_query(ws, DocumentSort::DateAsc).await?;
    let target = if a.merged { BatchTarget::Merged(a.output.clone()) } else { BatchTarget::Folder(a.output.clone()) };
    let started = Instant::now();
    let mut last = Instant::now();
    let report = printing::batch(ws, &query, a.lang, target, move |done, total| {
        if last.elapsed().as_millis() > 500 || done == total {
            eprintln!("{done}/{total}");
            last = Instant::now();
        }
        ControlFlow::Continue(())
    })
    .await?;
    warn_all(report.warnings.iter().map(|w| w.message()));
    let seconds = started.elapsed().as_secs_f64();
    if out.json {
        let files: Vec<String> = report.files.iter().map(|f| f.display().to_string()).collect();
        println!(
            "{}",
            serde_json::json!({"documents": report.documents, "pages": report.pages, "files": files, "seconds": seconds})
        );
    } else {
        println!(
            "{} documents, {} pages, {} file(s) in {} ({seconds:.1} s)",
            report.documents,
            report.pages,
            report.files.len(),
            a.output.display()
        );
    }
    Ok(())
}
