//! `desk report sales|vat|aged --from … --to … [--by month|customer|product] [--format csv|xlsx|pdf] -o <file>`:
//! the app's reports as files (without -o, the table on screen, or JSON with --json).

use crate::Out;
use clap::{Args, ValueEnum};
use desk_core::export::{self, Format, Sheet};
use desk_core::{reports, Workspace};
use desk_model::ipc::{AppError, ErrorKind, SalesBy};
use desk_model::msg::{Lang, Localized};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum Which {
    /// Sales of the period, by month, customer or product.
    Sales,
    /// VAT summary per fiscal zone and rate.
    Vat,
    /// Aged receivables per customer (on --to, default today).
    Aged,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    Month,
    Customer,
    Product,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FileFormat {
    Csv,
    Xlsx,
    Pdf,
}

#[derive(Args)]
pub struct ReportArgs {
    which: Which,
    /// First day (YYYY-MM-DD or DD/MM/YYYY); default: 1 January of this year.
    #[arg(long)]
    from: Option<String>,
    /// Last day; default: today. The aged report measures ages on it.
    #[arg(long)]
    to: Option<String>,
    /// Sales: how to group.
    #[arg(long, value_enum, default_value = "month")]
    by: By,
    /// The file format (default: by the extension of -o).
    #[arg(long, value_enum)]
    format: Option<FileFormat>,
    /// The file to write; without it the report prints.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Headers, numbers and dates in this language: pt (default) or en.
    #[arg(long, default_value = "pt", value_parser = parse_lang)]
    lang: Lang,
}

pub fn parse_lang(s: &str) -> Result<Lang, String> {
    match s.to_ascii_lowercase().as_str() {
        "pt" | "pt-pt" => Ok(Lang::Pt),
        "en" => Ok(Lang::En),
        _ => Err(format!("unknown language {s:?}: use pt or en")),
    }
}

fn date(text: Option<&str>, default: chrono::NaiveDate, field: &str) -> Result<chrono::NaiveDate, AppError> {
    match text {
        None => Ok(default),
        Some(t) => {
            desk_model::ipc::parse_date(t).map_err(|m| AppError::new(ErrorKind::Validation, m))?.ok_or_else(|| {
                AppError::new(
                    ErrorKind::Validation,
                    Localized::new(format!("Indique a data em --{field}."), format!("Give the date in --{field}.")),
                )
            })
        }
    }
}

fn print_sheet(s: &Sheet, lang: Lang) {
    println!("{}", s.headers.join("\t"));
    for row in &s.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                export::Cell::Number(d, dp) => desk_model::money::format::format_decimal(*d, lang, *dp, 4),
                other => export::csv_text(other, lang),
            })
            .collect();
        println!("{}", cells.join("\t"));
    }
}

pub async fn run(ws: &Workspace, a: ReportArgs, out: Out) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    let today = chrono::Local::now().date_naive();
    let jan1 = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today);
    let from = date(a.from.as_deref(), jan1, "from")?;
    let to = date(a.to.as_deref(), today, "to")?;
    let (sheet, json) = match a.which {
        Which::Sales => {
            let by = match a.by {
                By::Month => SalesBy::Month,
                By::Customer => SalesBy::Customer,
                By::Product => SalesBy::Product,
            };
            let r = reports::sales(ws, from, to, by).await?;
            (reports::sales_sheet(&r, a.lang), serde_json::to_value(&r))
        }
        Which::Vat => {
            let r = reports::vat(ws, from, to).await?;
            (reports::vat_sheet(&r, a.lang), serde_json::to_value(&r))
        }
        Which::Aged => {
            let r = reports::aged(ws, to).await?;
            (reports::aged_sheet(&r, a.lang), serde_json::to_value(&r))
        }
    };
    match a.output {
        Some(path) => {
            let format = match a.format {
                Some(FileFormat::Csv) => Format::Csv,
                Some(FileFormat::Xlsx) => Format::Xlsx,
                Some(FileFormat::Pdf) => Format::Pdf,
                None => Format::for_path(&path),
            };
            export::write(&sheet, format, a.lang, &path)?;
            if out.json {
                println!("{}", serde_json::json!({ "path": path.display().to_string(), "rows": sheet.rows.len() }));
            } else {
                println!("{} ({} rows)", path.display(), sheet.rows.len());
            }
        }
        None if out.json => println!("{}", json.map(|j| j.to_string()).unwrap_or_default()),
        None => print_sheet(&sheet, a.lang),
    }
    Ok(())
}
