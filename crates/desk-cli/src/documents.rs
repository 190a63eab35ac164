//! `desk documents list|show|add`, and `desk sample-data`.

use crate::Out;
use clap::{Args, Subcommand, ValueEnum};
use desk_core::api::Run;
use desk_core::{customers, sample, Workspace};
use desk_model::document::{DocState, DocType};
use desk_model::ipc::call;
use desk_model::ipc::{
    AppError, CustomerQuery, Document, DocumentInput, DocumentQuery, DocumentRow, DocumentSort, ErrorKind, LineInput,
};
use desk_model::money::format_money;
use desk_model::msg::{Lang, Localized};
use uuid::Uuid;

#[derive(Subcommand)]
pub enum DocumentsCommand {
    /// List documents, newest first by default.
    List(ListArgs),
    /// Show one document with its lines.
    Show {
        /// The document's id.
        id: Uuid,
    },
    /// Add a draft from the command line.
    Add(AddArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Sort {
    Date,
    DateAsc,
    Number,
    Customer,
    Total,
}

/// Which documents: the filters `documents list` and `pdf --all` share.
#[derive(Args, Default)]
pub struct Filter {
    /// Only this type (FT, FR, FS, NC, ND, OR, RG); repeatable.
    #[arg(long = "type", value_parser = parse_type)]
    pub types: Vec<DocType>,
    /// Only this state (draft, unpaid, partially_paid, paid, …); repeatable.
    #[arg(long, value_parser = parse_state)]
    pub state: Vec<DocState>,
    /// Only this customer (NIF or id).
    #[arg(long)]
    pub customer: Option<String>,
    /// Issued on or after (YYYY-MM-DD or DD/MM/YYYY).
    #[arg(long)]
    pub from: Option<String>,
    /// Issued on or before.
    #[arg(long)]
    pub to: Option<String>,
    /// Only overdue documents.
    #[arg(long)]
    pub overdue: bool,
}

impl Filter {
    /// Reads `key=value` terms (`type=FT,state=unpaid`, `from=2026-01-01`, `customer=501964843`, `overdue`), as
    /// `desk pdf --all --filter …` takes them; several terms may share one argument, separated by commas.
    pub fn parse_terms(terms: &[String]) -> Result<Filter, AppError> {
        let mut f = Filter::default();
        for term in terms.iter().flat_map(|t| t.split(',')).map(str::trim).filter(|t| !t.is_empty()) {
            let (key, value) = term.split_once('=').map_or((term, ""), |(k, v)| (k.trim(), v.trim()));
            let bad = |why: String| {
                date_error(
                    "filter",
                    Localized::new(
                        format!("Filtro «{term}»: {why}. Use type=FT, state=unpaid, customer=NIF, from=AAAA-MM-DD, to=…, overdue."),
                        format!("Filter «{term}»: {why}. Use type=FT, state=unpaid, customer=NIF, from=YYYY-MM-DD, to=…, overdue."),
                    ),
                )
            };
            match key {
                "type" => f.types.push(parse_type(value).map_err(bad)?),
                "state" => f.state.push(parse_state(value).map_err(bad)?),
                "customer" => f.customer = Some(value.to_string()),
                "from" => f.from = Some(value.to_string()),
                "to" => f.to = Some(value.to_string()),
                "overdue" if value.is_empty() || value == "true" => f.overdue = true,
                _ => return Err(bad(format!("unknown key «{key}»"))),
            }
        }
        Ok(f)
    }

    /// The engine query for these filters, sorted by `sort`.
    pub async fn to_query(&self, ws: &Workspace, sort: DocumentSort) -> Result<DocumentQuery, AppError> {
        let customer_id = match &self.customer {
            Some(c) => Some(find_customer(ws, c).await?),
            None => None,
        };
        Ok(DocumentQuery {
            doc_types: self.types.clone(),
            states: self.state.clone(),
            customer_id,
            date_from: desk_model::ipc::parse_date(self.from.as_deref().unwrap_or(""))
                .map_err(|m| date_error("from", m))?,
            date_to: desk_model::ipc::parse_date(self.to.as_deref().unwrap_or("")).map_err(|m| date_error("to", m))?,
            overdue: self.overdue,
            sort,
            ..Default::default()
        })
    }
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    filter: Filter,
    #[arg(long, value_enum, default_value = "date")]
    sort: Sort,
    /// How many rows at most.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

#[derive(Args)]
pub struct AddArgs {
    /// Document type (FT, FR, FS, OR, NC, ND).
    #[arg(long = "type", default_value = "FT", value_parser = parse_type)]
    doc_type: DocType,
    /// The customer's NIF or id (omit for an anonymous consumer on FS/FR).
    #[arg(long)]
    customer: Option<String>,
    /// Issue date (default today).
    #[arg(long, default_value = "")]
    date: String,
    /// Due date (default from the customer's payment terms).
    #[arg(long, default_value = "")]
    due: String,
    /// A line as "description;quantity;unit price;tax[;withholding %]" where tax is NOR, INT, RED or ISE:M07 and the
    /// optional withholding is the line's own rate (0: none on this line, e.g. goods); repeatable.
    #[arg(long = "line", required = true)]
    lines: Vec<String>,
    /// Global discount in %.
    #[arg(long, default_value = "")]
    discount: String,
    #[arg(long, default_value = "")]
    notes: String,
    /// IRS/IRC withholding rate in % (CIRS art. 101: 23 for art. 151 professions, 11.5, 16.5, 25 for rents).
    #[arg(long, default_value = "")]
    withholding: String,
    /// Date of supply, when it differs from the issue date (CIVA art. 36 n.º 5 f)).
    #[arg(long = "supply-date", default_value = "")]
    supply_date: String,
    /// Read numbers the Portuguese way (1.234,56).
    #[arg(long)]
    pt: bool,
}

pub fn parse_type(s: &str) -> Result<DocType, String> {
    DocType::parse(s).ok_or_else(|| format!("unknown document type {s:?}: use FT, FR, FS, NC, ND, OR or RG"))
}

pub fn parse_state(s: &str) -> Result<DocState, String> {
    desk_core::documents::parse_state(s).map_err(|_| format!("unknown state {s:?}"))
}

pub fn date_error(field: &str, message: Localized) -> AppError {
    AppError::validation(vec![desk_model::ipc::FieldError { field: field.into(), message }])
}

/// A customer by id or NIF.
pub async fn find_customer(ws: &Workspace, key: &str) -> Result<Uuid, AppError> {
    if let Ok(id) = Uuid::parse_str(key) {
        return Ok(customers::get(ws, id).await?.id);
    }
    let nif: String = key.chars().filter(char::is_ascii_digit).collect();
    let page =
        customers::list(ws, &CustomerQuery { text: nif.clone(), include_archived: true, after: None, limit: 50 })
            .await?;
    page.items.into_iter().find(|c| c.nif.as_deref() == Some(nif.as_str())).map(|c| c.id).ok_or_else(|| {
        AppError::new(
            ErrorKind::NotFound,
            Localized::new(
                format!("Nenhum cliente com id ou NIF «{key}»."),
                format!("No customer with id or NIF «{key}»."),
            ),
        )
    })
}

fn print_row(r: &DocumentRow) {
    println!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}{}",
        r.id,
        r.date,
        r.number,
        serde_json::to_value(r.state).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        r.customer_name,
        format_money(r.total, Lang::En),
        format_money(r.open_balance, Lang::En),
        if r.overdue { "\toverdue" } else { "" }
    );
}

fn print_doc(d: &Document, out: Out) {
    if out.json {
        println!("{}", serde_json::to_string_pretty(d).unwrap_or_default());
        return;
    }
    println!("{}  {}  {}", d.number, d.doc_type.name_in(Lang::En), d.state.name().en);
    println!("id:       {}", d.id);
    println!(
        "customer: {}{}",
        d.customer_name,
        d.customer_nif.as_deref().map(|n| format!(" (NIF {n})")).unwrap_or_default()
    );
    println!("date:     {}{}", d.date, d.due_date.map(|x| format!("   due {x}")).unwrap_or_default());
    for (i, l) in d.lines.iter().enumerate() {
        let tax = match &l.tax.exemption {
            Some(e) => format!("{} {e}", l.tax.code.as_str()),
            None => l.tax.code.as_str().to_string(),
        };
        println!(
            "  {:>3}. {}\t{} × {}\t{}\t{}",
            i + 1,
            l.description,
            l.quantity.0,
            l.unit_price.0,
            tax,
            format_money(l.amount, Lang::En)
        );
    }
    println!(
        "net {}   VAT {}   total {}",
        format_money(d.net, Lang::En),
        format_money(d.vat, Lang::En),
        format_money(d.total, Lang::En)
    );
    if let Some(rate) = d.withholding_rate.filter(|_| !d.withholding.is_zero()) {
        let pct = desk_model::money::format_percent(rate, Lang::En);
        let payable = d.total - d.withholding;
        println!(
            "withholding ({pct}) {}   amount payable {}",
            format_money(d.withholding, Lang::En),
            format_money(payable, Lang::En)
        );
    }
    if d.state.is_issued() {
        println!("open balance {}", format_money(d.open_balance, Lang::En));
    }
}

/// "desc;qty;price;tax" → a line input (tax: NOR, INT, RED, ISE:M07, OUT:M99, optionally zone-prefixed PT-AC/NOR).
fn line_arg(s: &str, i: usize) -> Result<LineInput, AppError> {
    let parts: Vec<&str> = s.split(';').collect();
    if !(4..=5).contains(&parts.len()) {
        return Err(AppError::validation(vec![desk_model::ipc::FieldError {
            field: format!("lines[{i}]"),
            message: Localized::new(
                format!("Linha {}: escreva \"descrição;quantidade;preço;IVA[;retenção %]\" (ex.: \"Consultoria;2;65;NOR\").", i + 1),
                format!("Line {}: write \"description;quantity;price;VAT[;withholding %]\" (e.g. \"Consulting;2;65;NOR\").", i + 1),
            ),
        }]));
    }
    let (zone, tax) = match parts[3].split_once('/') {
        Some((z, t)) => (z, t),
        None => ("", parts[3]),
    };
    let (code, exemption) = tax.split_once(':').unwrap_or((tax, ""));
    Ok(LineInput {
        description: parts[0].to_string(),
        quantity: parts[1].to_string(),
        unit_price: parts[2].to_string(),
        tax_zone: zone.to_string(),
        tax_code: code.to_string(),
        exemption: exemption.to_string(),
        // the line's own withholding rate ("0": none on this line); absent: the document's
        withholding: parts.get(4).map(|w| w.trim().to_string()).unwrap_or_default(),
        ..Default::default()
    })
}

pub async fn run(ws: &Workspace, cmd: DocumentsCommand, out: Out) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    match cmd {
        DocumentsCommand::List(a) => {
            let sort = match a.sort {
                Sort::Date => DocumentSort::DateDesc,
                Sort::DateAsc => DocumentSort::DateAsc,
                Sort::Number => DocumentSort::NumberAsc,
                Sort::Customer => DocumentSort::CustomerAsc,
                Sort::Total => DocumentSort::TotalDesc,
            };
            let mut query = a.filter.to_query(ws, sort).await?;
            query.limit = a.limit.min(500);
            let mut rows = Vec::new();
            let mut total;
            loop {
                let page = call::DocumentsList { query: query.clone() }.run(ws).await?;
                total = page.total;
                rows.extend(page.items);
                match page.next {
                    Some(next) if (rows.len() as u32) < a.limit => query.after = Some(next),
                    _ => break,
                }
            }
            rows.truncate(a.limit as usize);
            if out.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({"total": total, "items": rows}))
                        .unwrap_or_default()
                );
            } else {
                for r in &rows {
                    print_row(r);
                }
                eprintln!("{} of {total}", rows.len());
            }
            Ok(())
        }
        DocumentsCommand::Show { id } => {
            print_doc(&call::DocumentGet { id }.run(ws).await?, out);
            Ok(())
        }
        DocumentsCommand::Add(a) => {
            let customer_id = match &a.customer {
                Some(c) => Some(find_customer(ws, c).await?),
                None => None,
            };
            // As the editor does: a customer who withholds gives a new document its default rate, unless
            // --withholding says otherwise (`--withholding 0` for none).
            let mut withholding = a.withholding;
            if let (true, Some(id)) = (withholding.trim().is_empty(), customer_id) {
                let customer = call::CustomerGet { id }.run(ws).await?;
                if let Some(p) = desk_model::tax::withholding::line_default(customer.withholding_rate, None) {
                    withholding = p.0.normalize().to_string();
                }
            }
            let date = if a.date.trim().is_empty() { desk_core::documents::today().to_string() } else { a.date };
            let mut input = DocumentInput::new(a.doc_type, &date);
            input.customer_id = customer_id;
            input.due_date = a.due;
            input.global_discount = a.discount;
            input.notes = a.notes;
            input.withholding = withholding;
            input.supply_date = a.supply_date;
            input.lang = if a.pt { Lang::Pt } else { Lang::En };
            input.lines = a.lines.iter().enumerate().map(|(i, l)| line_arg(l, i)).collect::<Result<_, _>>()?;
            let doc = call::DocumentSave { id: None, input }.run(ws).await?;
            print_doc(&doc, out);
            Ok(())
        }
    }
}

/// `desk sample-data`: a large realistic data set into the current company.
pub async fn sample_data(
    ws: &mut Workspace,
    customers: usize,
    documents: usize,
    products: usize,
    seed: u64,
    out: Out,
) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    let demo = ws.open_demo_company().await?;
    eprintln!("sample data goes into the demo company «{}» (now the current one)", demo.name);
    let spec = sample::SampleSpec { customers, documents, products, seed, today: None };
    let mut last = std::time::Instant::now();
    let report = sample::generate(ws, &spec, |what, done, total| {
        if last.elapsed().as_millis() > 500 {
            eprintln!("{what}: {done}/{total}");
            last = std::time::Instant::now();
        }
    })
    .await?;
    if out.json {
        println!(
            "{}",
            serde_json::json!({"customers": report.customers, "products": report.products, "documents": report.documents,
                "lines": report.lines, "payments": report.payments, "seconds": report.elapsed.as_secs_f64()})
        );
    } else {
        println!(
            "{} customers, {} products, {} documents ({} lines, {} payments) in {:.1} s",
            report.customers,
            report.products,
            report.documents,
            report.lines,
            report.payments,
            report.elapsed.as_secs_f64()
        );
    }
    Ok(())
}
