//! Exports of every list with its current filters (issue 17): a sheet of typed cells written as CSV (UTF-8 with
//! BOM and `;` in Portuguese, so Excel opens it right; `,` without BOM in English) or XLSX (rust_xlsxwriter:
//! numbers as numbers, dates as dates). The headers are the ones an import recognises, so an export imports back.

use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::{customers, documents, products};
use chrono::NaiveDate;
use desk_model::ipc::{CustomerQuery, DocumentQuery, ProductQuery};
use desk_model::money::format::format_decimal;
use desk_model::msg::{Lang, Localized};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::path::Path;

/// A typed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// An exact decimal (money, prices, rates), written with `dp` decimals at least in CSV.
    Number(Decimal, u32),
    /// A date.
    Date(NaiveDate),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}
impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map_or(Cell::Empty, Cell::Text)
    }
}

/// A table to write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// Its name (the XLSX sheet's tab, the PDF's title).
    pub name: String,
    /// A line under the title in a PDF (a report's period).
    pub subtitle: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV.
    Csv,
    /// Excel.
    Xlsx,
    /// PDF (a report's table).
    Pdf,
}

impl Format {
    /// By the output file's extension (`.xlsx` is Excel, anything else CSV), unless named.
    pub fn for_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("xlsx") => Format::Xlsx,
            Some("pdf") => Format::Pdf,
            _ => Format::Csv,
        }
    }
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> CoreError {
    CoreError::invalid(
        "output",
        Localized::new(
            format!(
                "Não foi possível gravar {} ({e}). Escolha outra pasta ou feche o ficheiro no Excel.",
                path.display()
            ),
            format!("Could not write {} ({e}). Choose another folder or close the file in Excel.", path.display()),
        ),
    )
}

/// The CSV text of a cell: numbers with the language's decimal mark and no grouping (Excel reads `1234,56` in
/// Portuguese), dates as `31/03/2026` in Portuguese and `2026-03-31` in English.
pub fn csv_text(c: &Cell, lang: Lang) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Int(i) => i.to_string(),
        Cell::Number(d, dp) => {
            let plain = format_decimal(*d, Lang::En, *dp, 28).replace(',', "");
            match lang {
                Lang::Pt => plain.replace('.', ","),
                Lang::En => plain,
            }
        }
        Cell::Date(d) => match lang {
            Lang::Pt => d.format("%d/%m/%Y").to_string(),
            Lang::En => d.to_string(),
        },
    }
}

/// Writes the sheet as CSV in the language's way, or as XLSX.
pub fn write(sheet: &Sheet, format: Format, lang: Lang, path: &Path) -> CoreResult<()> {
    match format {
        Format::Csv => {
            let mut bytes = Vec::new();
            if lang == Lang::Pt {
                bytes.extend_from_slice(b"\xEF\xBB\xBF");
            }
            {
                let mut w = csv::WriterBuilder::new()
                    .delimiter(if lang == Lang::Pt { b';' } else { b',' })
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(&mut bytes);
                w.write_record(&sheet.headers).map_err(|e| write_error(path, e))?;
                for row in &sheet.rows {
                    w.write_record(row.iter().map(|c| csv_text(c, lang))).map_err(|e| write_error(path, e))?;
                }
                w.flush().map_err(|e| write_error(path, e))?;
            }
            std::fs::write(path, bytes).map_err(|e| write_error(path, e))
        }
        Format::Xlsx => write_xlsx(sheet, path),
        Format::Pdf => {
            let bytes = crate::pdf::sheet::render(sheet, &sheet.subtitle, lang)?;
            std::fs::write(path, bytes).map_err(|e| write_error(path, e))
        }
    }
}

fn write_xlsx(sheet: &Sheet, path: &Path) -> CoreResult<()> {
    use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| write_error(path, e);
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    if !sheet.name.is_empty() {
        ws.set_name(sheet.name.chars().take(31).collect::<String>()).map_err(err)?;
    }
    let bold = XFormat::new().set_bold();
    let date = XFormat::new().set_num_format("dd/mm/yyyy");
    let money = XFormat::new().set_num_format("#,##0.00");
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold).map_err(err)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s).map_err(err)?;
                }
                Cell::Int(i) => {
                    ws.write_number(r, c, *i as f64).map_err(err)?;
                }
                // a spreadsheet cell holds a binary float; the exact decimal stays in the app
                Cell::Number(d, 2) => {
                    ws.write_number_with_format(r, c, d.to_f64().unwrap_or(0.0), &money).map_err(err)?;
                }
                Cell::Number(d, _) => {
                    ws.write_number(r, c, d.to_f64().unwrap_or(0.0)).map_err(err)?;
                }
                Cell::Date(d) => {
                    let dt = ExcelDateTime::parse_from_str(&d.to_string()).map_err(err)?;
                    ws.write_datetime_with_format(r, c, &dt, &date).map_err(err)?;
                }
            }
        }
    }
    ws.autofit();
    book.save(path).map_err(err)
}

fn headers(lang: Lang, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs.iter().map(|(pt, en)| if lang == Lang::Pt { pt } else { en }.to_string()).collect()
}

/// Every customer the list's query selects (all pages).
pub async fn customers(cx: &Ctx, query: &CustomerQuery, lang: Lang) -> CoreResult<Sheet> {
    let mut q = CustomerQuery { limit: customers::MAX_PAGE, after: None, ..query.clone() };
    let mut rows = Vec::new();
    loop {
        let page = customers::list(cx, &q).await?;
        for c in page.items {
            rows.push(vec![
                c.name.into(),
                c.nif.into(),
                c.email.into(),
                c.phone.into(),
                c.address.into(),
                c.postal_code.into(),
                c.city.into(),
                c.country.into(),
                c.payment_terms_days.map_or(Cell::Empty, |d| Cell::Int(i64::from(d))),
                c.notes.into(),
            ]);
        }
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    Ok(Sheet {
        subtitle: String::new(),
        name: if lang == Lang::Pt { "Clientes" } else { "Customers" }.into(),
        headers: headers(
            lang,
            &[
                ("Nome", "Name"),
                ("NIF", "NIF"),
                ("Email", "Email"),
                ("Telefone", "Phone"),
                ("Morada", "Address"),
                ("Código Postal", "Postal code"),
                ("Localidade", "City"),
                ("País", "Country"),
                ("Prazo de pagamento", "Payment terms"),
                ("Observações", "Notes"),
            ],
        ),
        rows,
    })
}

/// Every product the list's query selects.
pub async fn products(cx: &Ctx, query: &ProductQuery, lang: Lang) -> CoreResult<Sheet> {
    let mut q = ProductQuery { limit: products::MAX_PAGE, after: None, ..query.clone() };
    let mut rows = Vec::new();
    loop {
        let page = products::list(cx, &q).await?;
        for p in page.items {
            rows.push(vec![
                p.reference.into(),
                p.name.into(),
                p.kind.as_str().into(),
                p.unit.into(),
                Cell::Number(p.price.0, 2),
                p.tax.zone.code().into(),
                p.tax.code.as_str().into(),
                p.tax.exemption.map(|e| e.to_string()).into(),
                p.category.into(),
            ]);
        }
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    Ok(Sheet {
        subtitle: String::new(),
        name: if lang == Lang::Pt { "Artigos" } else { "Products" }.into(),
        headers: headers(
            lang,
            &[
                ("Referência", "Reference"),
                ("Nome", "Name"),
                ("Tipo", "Type"),
                ("Unidade", "Unit"),
                ("Preço", "Price"),
                ("Zona", "Zone"),
                ("Taxa", "VAT"),
                ("Isenção", "Exemption"),
                ("Categoria", "Category"),
            ],
        ),
        rows,
    })
}

/// Every document the list's filters select, in the list's order.
pub async fn documents(cx: &Ctx, query: &DocumentQuery, lang: Lang) -> CoreResult<Sheet> {
    let mut q = DocumentQuery { limit: documents::list::MAX_PAGE, after: None, ..query.clone() };
    let mut rows = Vec::new();
    loop {
        let page = documents::list(cx, &q).await?;
        for d in page.items {
            rows.push(vec![
                d.label(lang).into(),
                d.doc_type.saft_code().into(),
                d.state.name().get(lang).to_string().into(),
                Cell::Date(d.date),
                d.due_date.map_or(Cell::Empty, Cell::Date),
                d.customer_name.clone().into(),
                d.customer_nif.clone().into(),
                Cell::Number(d.total.0, 2),
                Cell::Number(d.open_balance.0, 2),
            ]);
        }
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    Ok(Sheet {
        subtitle: String::new(),
        name: if lang == Lang::Pt { "Documentos" } else { "Documents" }.into(),
        headers: headers(
            lang,
            &[
                ("Número", "Number"),
                ("Tipo", "Type"),
                ("Estado", "State"),
                ("Data", "Date"),
                ("Vencimento", "Due date"),
                ("Cliente", "Customer"),
                ("NIF", "NIF"),
                ("Total", "Total"),
                ("Em dívida", "Open balance"),
            ],
        ),
        rows,
    })
}

/// Writes a list or a report into `dir` (the user's documents folder), named after it and the time, in the
/// format and language asked.
pub async fn to_folder(
    cx: &Ctx,
    input: &desk_model::ipc::ExportInput,
    dir: &Path,
) -> CoreResult<desk_model::ipc::ExportSaved> {
    use desk_model::ipc::{ExportFormat, ExportWhat};
    let lang = input.lang;
    let (sheet, stem) = match &input.what {
        ExportWhat::Customers { query } => (customers(cx, query, lang).await?, "clientes"),
        ExportWhat::Products { query } => (products(cx, query, lang).await?, "artigos"),
        ExportWhat::Documents { query } => (documents(cx, query, lang).await?, "documentos"),
        ExportWhat::Report { request } => {
            // every row, whatever the screen showed
            let all = desk_model::ipc::ReportRequest { limit: None, ..request.clone() };
            let data = crate::reports::get(cx, &all).await?;
            let stem = match request.kind {
                desk_model::ipc::ReportKind::Sales => "vendas",
                desk_model::ipc::ReportKind::Vat => "iva",
                desk_model::ipc::ReportKind::Aged => "antiguidade-saldos",
            };
            (crate::reports::sheet(&data, lang), stem)
        }
    };
    let (format, ext) = match input.format {
        ExportFormat::Csv => (Format::Csv, "csv"),
        ExportFormat::Xlsx => (Format::Xlsx, "xlsx"),
        ExportFormat::Pdf => (Format::Pdf, "pdf"),
    };
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let mut path = dir.join(format!("{stem}-{stamp}.{ext}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}-{stamp}-{n}.{ext}"));
    }
    write(&sheet, format, lang, &path)?;
    Ok(desk_model::ipc::ExportSaved { path: path.display().to_string(), rows: sheet.rows.len() as u64 })
}
