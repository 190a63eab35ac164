//! `desk products list|show|add`.

use crate::Out;
use clap::{Args, Subcommand};
use desk_core::api::Run;
use desk_core::{products, Workspace};
use desk_model::ipc::call;
use desk_model::ipc::{AppError, Product, ProductInput, ProductKind, ProductQuery};
use desk_model::msg::Lang;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum ProductsCommand {
    /// List products by name, optionally searching.
    List {
        /// Words to find in reference, name or category.
        #[arg(long, short)]
        search: Option<String>,
        /// Include archived products.
        #[arg(long)]
        archived: bool,
        /// How many rows at most.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Add a product or service.
    Add(AddArgs),
    /// Edit a product by id or reference: only the fields given change.
    Edit(Box<ProductEditArgs>),
    /// Show one product by id or reference.
    Show {
        /// The product's id (UUID) or reference.
        key: String,
    },
}

#[derive(Args)]
pub struct AddArgs {
    /// Reference, unique in the company.
    #[arg(long)]
    reference: String,
    /// Name.
    #[arg(long)]
    name: String,
    /// Unit price excluding VAT (1234.56 or 1.234,56 with --pt).
    #[arg(long)]
    price: String,
    /// A service rather than goods.
    #[arg(long)]
    service: bool,
    /// Unit (default un).
    #[arg(long, default_value = "")]
    unit: String,
    /// VAT code: NOR, INT, RED, ISE, OUT.
    #[arg(long, default_value = "NOR")]
    tax: String,
    /// Exemption reason for ISE/OUT (M07…).
    #[arg(long, default_value = "")]
    exemption: String,
    /// Fiscal zone: PT, PT-AC, PT-MA.
    #[arg(long, default_value = "PT")]
    zone: String,
    #[arg(long, default_value = "")]
    category: String,
    /// The IRS/IRC withholding rate in % its lines start with when the customer withholds (0: none).
    #[arg(long, default_value = "")]
    withholding: String,
    /// Read numbers the Portuguese way (1.234,56).
    #[arg(long)]
    pt: bool,
}

fn print_one(p: &Product, out: Out) {
    if out.json {
        println!("{}", serde_json::to_string_pretty(p).unwrap_or_default());
    } else {
        let tax = match &p.tax.exemption {
            Some(e) => format!("{} {e}", p.tax.code.as_str()),
            None => p.tax.code.as_str().to_string(),
        };
        println!("{}\t{}\t{}\t{}\t{}/{}\t{}", p.id, p.reference, p.name, tax, p.price.0, p.unit, p.tax.zone.code());
    }
}

pub async fn run(ws: &Workspace, cmd: ProductsCommand, out: Out) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    match cmd {
        ProductsCommand::List { search, archived, limit } => {
            let mut query = ProductQuery {
                text: search.unwrap_or_default(),
                include_archived: archived,
                after: None,
                limit: limit.min(500),
            };
            let mut rows = Vec::new();
            loop {
                let page = call::ProductsList { query: query.clone() }.run(ws).await?;
                rows.extend(page.items);
                match page.next {
                    Some(next) if (rows.len() as u32) < limit => query.after = Some(next),
                    _ => break,
                }
            }
            rows.truncate(limit as usize);
            if out.json {
                println!("{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
            } else {
                for p in &rows {
                    print_one(p, out);
                }
            }
            Ok(())
        }
        ProductsCommand::Add(a) => {
            let input = ProductInput {
                reference: a.reference,
                name: a.name,
                kind: if a.service { ProductKind::Service } else { ProductKind::Product },
                unit: a.unit,
                price: a.price,
                tax_zone: a.zone,
                tax_code: a.tax,
                exemption: a.exemption,
                category: a.category,
                withholding: a.withholding,
                lang: if a.pt { Lang::Pt } else { Lang::En },
            };
            let p = call::ProductCreate { input }.run(ws).await?;
            print_one(&p, out);
            Ok(())
        }
        ProductsCommand::Edit(a) => {
            let p = match Uuid::parse_str(&a.key) {
                Ok(id) => products::get(ws, id).await?,
                Err(_) => products::by_reference(ws, &a.key).await?,
            };
            let tax = a
                .tax
                .as_ref()
                .map(|t| format!("{} {t} {}", a.zone.as_deref().unwrap_or("PT"), a.exemption.as_deref().unwrap_or("")));
            let given = [
                ("reference", &a.reference),
                ("name", &a.name),
                ("unit", &a.unit),
                ("price", &a.price),
                ("category", &a.category),
                ("withholding", &a.withholding),
                ("tax", &tax),
            ];
            let changes: Vec<(&str, &str)> = given.iter().filter_map(|(f, v)| v.as_deref().map(|v| (*f, v))).collect();
            let input = desk_core::review::product_edit(&p, &changes);
            let p = products::update(ws, p.id, &input).await?;
            print_one(&p, out);
            Ok(())
        }
        ProductsCommand::Show { key } => {
            let p = match Uuid::parse_str(&key) {
                Ok(id) => products::get(ws, id).await?,
                Err(_) => products::by_reference(ws, &key).await?,
            };
            print_one(&p, out);
            Ok(())
        }
    }
}

#[derive(clap::Args)]
pub struct ProductEditArgs {
    /// The product's id (UUID) or reference.
    key: String,
    #[arg(long)]
    reference: Option<String>,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    unit: Option<String>,
    /// Price without VAT (1234.5 or 1.234,50).
    #[arg(long)]
    price: Option<String>,
    #[arg(long)]
    category: Option<String>,
    /// VAT code: NOR, INT, RED, ISE (with --exemption) or OUT.
    #[arg(long)]
    tax: Option<String>,
    /// Fiscal zone with --tax: PT, PT-AC, PT-MA.
    #[arg(long)]
    zone: Option<String>,
    /// Exemption code with --tax ISE (M01…M99).
    #[arg(long)]
    exemption: Option<String>,
    /// IRS withholding rate in % (services only).
    #[arg(long)]
    withholding: Option<String>,
}
