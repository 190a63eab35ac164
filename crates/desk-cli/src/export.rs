//! `desk export customers|products|documents [--search …] [--filter …] -o <file>`: a list with its filters to
//! CSV (Portuguese: BOM and `;`; `--lang en`: `,`, no BOM) or XLSX (by the file's extension).

use crate::documents::Filter;
use crate::Out;
use clap::{Args, ValueEnum};
use desk_core::export::{self, Format};
use desk_core::Workspace;
use desk_model::ipc::{AppError, CustomerQuery, DocumentSort, ProductQuery};
use desk_model::msg::Lang;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum List {
    Customers,
    Products,
    Documents,
}

#[derive(Args)]
pub struct ExportArgs {
    /// Which list.
    list: List,
    /// Customers and products: words to search, as the list's search box.
    #[arg(long, short)]
    search: Option<String>,
    /// Customers and products: include archived ones.
    #[arg(long)]
    archived: bool,
    /// Documents: `type=FT`, `state=unpaid`, `customer=<NIF>`, `from=2026-01-01`, `to=…`, `overdue`.
    #[arg(long = "filter")]
    filters: Vec<String>,
    /// The file: `.xlsx` writes Excel, anything else CSV.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    /// Headers, numbers and dates in this language: pt (default; CSV with BOM and `;`) or en (`,`).
    #[arg(long, default_value = "pt", value_parser = crate::report::parse_lang)]
    lang: Lang,
}

pub async fn run(ws: &Workspace, a: ExportArgs, out: Out) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    let text = a.search.clone().unwrap_or_default();
    let sheet = match a.list {
        List::Customers => {
            let q = CustomerQuery { text, include_archived: a.archived, ..Default::default() };
            export::customers(ws, &q, a.lang).await?
        }
        List::Products => {
            let q = ProductQuery { text, include_archived: a.archived, ..Default::default() };
            export::products(ws, &q, a.lang).await?
        }
        List::Documents => {
            let q = Filter::parse_terms(&a.filters)?.to_query(ws, DocumentSort::DateAsc).await?;
            export::documents(ws, &q, a.lang).await?
        }
    };
    let format = Format::for_path(&a.output);
    export::write(&sheet, format, a.lang, &a.output)?;
    if out.json {
        println!("{}", serde_json::json!({ "path": a.output.display().to_string(), "rows": sheet.rows.len() }));
    } else {
        println!("{} ({} rows)", a.output.display(), sheet.rows.len());
    }
    Ok(())
}
