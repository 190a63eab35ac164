//! `desk customers list|add|show`.

use crate::Out;
use clap::{Args, Subcommand};
use desk_core::api::Run;
use desk_core::Workspace;
use desk_model::ipc::call;
use desk_model::ipc::{AppError, Customer, CustomerInput, CustomerQuery, ErrorKind};
use desk_model::msg::Localized;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum CustomersCommand {
    /// List customers by name, optionally searching.
    List {
        /// Words to find in name, NIF, e-mail or town.
        #[arg(long, short)]
        search: Option<String>,
        /// Include archived customers.
        #[arg(long)]
        archived: bool,
        /// How many rows (all pages up to this many).
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Add a customer.
    Add(Box<AddArgs>),
    /// Show one customer by id or NIF.
    Show {
        /// The customer's id (UUID) or NIF.
        key: String,
    },
    /// Edit a customer by id or NIF: only the fields given change (an empty value clears one).
    Edit(Box<EditArgs>),
}

#[derive(Args)]
pub struct EditArgs {
    /// The customer's id (UUID) or NIF.
    key: String,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    nif: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    address: Option<String>,
    #[arg(long)]
    postal_code: Option<String>,
    #[arg(long)]
    city: Option<String>,
    #[arg(long)]
    country: Option<String>,
    #[arg(long)]
    payment_terms_days: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    #[arg(long)]
    withholding: Option<String>,
}

#[derive(Args)]
pub struct AddArgs {
    /// Name or firm.
    #[arg(long)]
    name: String,
    /// NIF (Portuguese, or foreign with --country).
    #[arg(long, default_value = "")]
    nif: String,
    #[arg(long, default_value = "")]
    email: String,
    #[arg(long, default_value = "")]
    phone: String,
    #[arg(long, default_value = "")]
    address: String,
    #[arg(long, default_value = "")]
    postal_code: String,
    #[arg(long, default_value = "")]
    city: String,
    /// ISO country code (default PT).
    #[arg(long, default_value = "PT")]
    country: String,
    /// Days to pay.
    #[arg(long, default_value = "")]
    payment_terms_days: String,
    #[arg(long, default_value = "")]
    notes: String,
    /// The IRS withholding rate in % this customer withholds on your services (CIRS art. 101), e.g. 23 or 11.5;
    /// new documents for it start with it in the app.
    #[arg(long, default_value = "")]
    withholding: String,
}

fn print_one(c: &Customer, out: Out) {
    if out.json {
        println!("{}", serde_json::to_string_pretty(c).unwrap_or_default());
    } else {
        println!("{}\t{}\t{}\t{}", c.id, c.nif.as_deref().unwrap_or("-"), c.name, c.city.as_deref().unwrap_or(""));
    }
}

pub async fn run(ws: &Workspace, cmd: CustomersCommand, out: Out) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    match cmd {
        CustomersCommand::List { search, archived, limit } => {
            let mut query = CustomerQuery {
                text: search.unwrap_or_default(),
                include_archived: archived,
                after: None,
                limit: limit.min(500),
            };
            let mut rows = Vec::new();
            loop {
                let page = call::CustomersList { query: query.clone() }.run(ws).await?;
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
                for c in &rows {
                    print_one(c, out);
                }
            }
            Ok(())
        }
        CustomersCommand::Add(a) => {
            let input = CustomerInput {
                name: a.name,
                nif: a.nif,
                email: a.email,
                phone: a.phone,
                address: a.address,
                postal_code: a.postal_code,
                city: a.city,
                country: a.country,
                payment_terms_days: a.payment_terms_days,
                notes: a.notes,
                withholding: a.withholding,
                lang: desk_model::msg::Lang::En,
            };
            let c = call::CustomerCreate { input }.run(ws).await?;
            print_one(&c, out);
            Ok(())
        }
        CustomersCommand::Show { key } => {
            print_one(&find(ws, &key).await?, out);
            Ok(())
        }
        CustomersCommand::Edit(a) => {
            let c = find(ws, &a.key).await?;
            let given = [
                ("name", &a.name),
                ("nif", &a.nif),
                ("email", &a.email),
                ("phone", &a.phone),
                ("address", &a.address),
                ("postal_code", &a.postal_code),
                ("city", &a.city),
                ("country", &a.country),
                ("payment_terms_days", &a.payment_terms_days),
                ("notes", &a.notes),
                ("withholding", &a.withholding),
            ];
            let changes: Vec<(&str, &str)> = given.iter().filter_map(|(f, v)| v.as_deref().map(|v| (*f, v))).collect();
            let input = desk_core::review::customer_edit(&c, &changes);
            let c = call::CustomerUpdate { id: c.id, input }.run(ws).await?;
            print_one(&c, out);
            Ok(())
        }
    }
}

/// A customer by id or NIF.
async fn find(ws: &Workspace, key: &str) -> Result<Customer, AppError> {
    {
        {
            let key = key.to_string();
            let c = match Uuid::parse_str(&key) {
                Ok(id) => call::CustomerGet { id }.run(ws).await?,
                Err(_) => {
                    let query = CustomerQuery { text: key.clone(), include_archived: true, after: None, limit: 50 };
                    call::CustomersList { query: query.clone() }
                        .run(ws)
                        .await?
                        .items
                        .into_iter()
                        .find(|c| c.nif.as_deref() == Some(key.trim()))
                        .ok_or_else(|| {
                            AppError::new(
                                ErrorKind::NotFound,
                                Localized::new(
                                    format!("Nenhum cliente com id ou NIF «{key}»."),
                                    format!("No customer with id or NIF «{key}»."),
                                ),
                            )
                        })?
                }
            };
            Ok(c)
        }
    }
}
