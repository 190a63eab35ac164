//! From a read table to what an import would do: each row read into a customer or product with desk-model's
//! rules (every problem reported by line and field), duplicates in the file found, and each row matched with a
//! stored record (NIF first, then e-mail; a product by its reference) and merged field by field.

use super::merge::{merge, Mergeable};
use super::read::Table;
use crate::error::CoreResult;
use crate::{customers, products};
use chrono::{DateTime, Utc};
use desk_model::ipc::{
    Customer, CustomerInput, FieldDifference, ImportKind, Product, ProductInput, ProductKind, RowProblem,
};
use desk_model::msg::{Lang, Localized};
use sqlx::SqliteConnection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A stored record to change: before and after.
pub type Change<E> = (E, E);

/// What committing would write, for one kind of record.
#[derive(Debug)]
pub struct Writes<E> {
    /// New records.
    pub new: Vec<E>,
    /// Stored records with empty fields filled in.
    pub updated: Vec<Change<E>>,
    /// Rows equal to what is stored.
    pub unchanged: u64,
    /// (record id, label, field, current, incoming, line).
    pub differences: Vec<(Uuid, FieldDifference)>,
}

impl<E> Default for Writes<E> {
    fn default() -> Self {
        Writes { new: Vec::new(), updated: Vec::new(), unchanged: 0, differences: Vec::new() }
    }
}

/// What an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    /// Customers, for a customers import.
    pub customers: Writes<Customer>,
    /// Products, for a products import.
    pub products: Writes<Product>,
    /// Every problem, in line order.
    pub problems: Vec<RowProblem>,
    /// Rows with problems.
    pub invalid_rows: u64,
}

fn problem(line: u64, field: &str, message: Localized) -> RowProblem {
    RowProblem { line, field: field.into(), message }
}

/// A number as another program wrote it: `1.234,56` and `12,5` (Portuguese), `1,234.56` and `12.5` (English).
/// Whichever of `,` and `.` comes last is the decimal mark; a lone `.` before exactly three digits in a file
/// with decimal commas is a thousands dot.
fn number_lang(text: &str, decimal_comma: bool) -> Lang {
    let (comma, dot) = (text.rfind(','), text.rfind('.'));
    match (comma, dot) {
        (Some(c), Some(d)) => {
            if c > d {
                Lang::Pt
            } else {
                Lang::En
            }
        }
        (Some(_), None) => Lang::Pt,
        (None, Some(d)) => {
            let after = text[d + 1..].trim();
            if decimal_comma && after.len() == 3 && after.chars().all(|c| c.is_ascii_digit()) {
                Lang::Pt
            } else {
                Lang::En
            }
        }
        (None, None) => Lang::En,
    }
}

/// One row's cells by field.
struct Cells<'a> {
    map: HashMap<&'a str, &'a str>,
}

impl<'a> Cells<'a> {
    fn get(&self, field: &str) -> &'a str {
        self.map.get(field).map(|v| v.trim()).unwrap_or("")
    }
    /// The fields the row gives a value for.
    fn present(&self) -> Vec<&'a str> {
        self.map.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, _)| *k).collect()
    }
}

fn customer_from(
    c: &Cells<'_>,
    company: Uuid,
    now: DateTime<Utc>,
) -> Result<Customer, Vec<desk_model::ipc::FieldError>> {
    let input = CustomerInput {
        name: c.get("name").into(),
        nif: c.get("nif").into(),
        email: c.get("email").into(),
        phone: c.get("phone").into(),
        address: c.get("address").into(),
        postal_code: c.get("postal_code").into(),
        city: c.get("city").into(),
        country: c.get("country").into(),
        payment_terms_days: c.get("payment_terms_days").into(),
        notes: c.get("notes").into(),
        withholding: String::new(),
        lang: Lang::Pt,
    };
    crate::customers::record_from(&input, company, now)
}

fn product_from(
    c: &Cells<'_>,
    decimal_comma: bool,
    company: Uuid,
    now: DateTime<Utc>,
) -> Result<Product, Vec<desk_model::ipc::FieldError>> {
    let kind_text = c.get("kind");
    let kind = ProductKind::parse(kind_text);
    let price = c.get("price");
    // a file without prices (SAF-T's products) gives products priced at zero, filled in later
    let price = if price.is_empty() { "0" } else { price };
    let input = ProductInput {
        reference: c.get("reference").into(),
        name: c.get("name").into(),
        kind: kind.unwrap_or_default(),
        unit: c.get("unit").into(),
        price: price.trim_end_matches('€').trim().into(),
        tax_zone: c.get("tax_zone").into(),
        tax_code: desk_model::form::tax_code_from_label(c.get("tax_code")),
        exemption: c.get("exemption").into(),
        category: c.get("category").into(),
        withholding: c.get("withholding").into(),
        lang: number_lang(price, decimal_comma),
    };
    let mut result = crate::products::validate(&input);
    if kind.is_none() && !kind_text.is_empty() {
        let e = desk_model::ipc::FieldError {
            field: "kind".into(),
            message: Localized::new(
                format!("Tipo «{kind_text}» desconhecido: use P (produto) ou S (serviço)."),
                format!("Unknown type «{kind_text}»: use P (product) or S (service)."),
            ),
        };
        match &mut result {
            Ok(_) => result = Err(vec![e]),
            Err(list) => list.push(e),
        }
    }
    Ok(crate::products::new_record(result?, company, now))
}

/// Stored records of the company, by id, with the keys rows are matched on.
struct Stored<E> {
    rows: HashMap<Uuid, E>,
    by_key: Vec<HashMap<String, Uuid>>,
}

async fn stored_customers(conn: &mut SqliteConnection, company: Uuid) -> CoreResult<Stored<Customer>> {
    let all = customers::all_live(conn, company).await?;
    let mut by_nif = HashMap::new();
    let mut by_email: HashMap<String, Option<Uuid>> = HashMap::new();
    for c in &all {
        if let Some(n) = c.nif.as_deref().filter(|n| *n != desk_model::party::FINAL_CONSUMER_NIF) {
            by_nif.insert(n.to_string(), c.id);
        }
        if let Some(e) = &c.email {
            // an e-mail two stored customers share (an accountant's) matches neither
            by_email.entry(e.to_lowercase()).and_modify(|v| *v = None).or_insert(Some(c.id));
        }
    }
    let by_email = by_email.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
    Ok(Stored { rows: all.into_iter().map(|c| (c.id, c)).collect(), by_key: vec![by_nif, by_email] })
}

async fn stored_products(conn: &mut SqliteConnection, company: Uuid) -> CoreResult<Stored<Product>> {
    let all = products::all_live(conn, company).await?;
    let by_ref = all.iter().map(|p| (p.reference.clone(), p.id)).collect();
    Ok(Stored { rows: all.into_iter().map(|p| (p.id, p)).collect(), by_key: vec![by_ref] })
}

fn customer_keys(c: &Customer) -> Vec<Option<String>> {
    vec![
        c.nif.clone().filter(|n| n != desk_model::party::FINAL_CONSUMER_NIF),
        c.email.as_ref().map(|e| e.to_lowercase()),
    ]
}

fn product_keys(p: &Product) -> Vec<Option<String>> {
    vec![Some(p.reference.clone())]
}

/// Matches and merges the valid rows of one kind.
fn merge_rows<E: Mergeable>(
    rows: Vec<(u64, E, Vec<&str>)>,
    stored: &Stored<E>,
    keys: fn(&E) -> Vec<Option<String>>,
    problems: &mut Vec<RowProblem>,
    invalid: &mut HashSet<u64>,
) -> Writes<E> {
    let mut out = Writes::default();
    // the first row of the file that holds each key (the key's position in `keys` with its value)
    let mut seen: HashMap<(usize, String), u64> = HashMap::new();
    let mut matched: HashMap<Uuid, u64> = HashMap::new();
    'rows: for (line, row, present) in rows {
        let ks = keys(&row);
        // duplicates in the file: the first key (NIF, reference) only; e-mails may be shared
        if let Some(Some(k)) = ks.first() {
            if let Some(first) = seen.get(&(0, k.clone())) {
                problems.push(problem(
                    line,
                    if E::FIELDS.contains(&"nif") { "nif" } else { "reference" },
                    Localized::new(
                        format!("Repetido no ficheiro: {k} já está na linha {first}. Fica a primeira."),
                        format!("Repeated in the file: {k} is already on line {first}. The first one is kept."),
                    ),
                ));
                invalid.insert(line);
                continue;
            }
            seen.insert((0, k.clone()), line);
        }
        let found =
            ks.iter().enumerate().find_map(|(i, k)| k.as_ref().and_then(|k| stored.by_key.get(i)?.get(k)).copied());
        let Some(id) = found else {
            out.new.push(row);
            continue;
        };
        if let Some(first) = matched.get(&id) {
            problems.push(problem(
                line,
                "row",
                Localized::new(
                    format!("Corresponde ao mesmo registo que a linha {first}. Fica a primeira."),
                    format!("Matches the same record as line {first}. The first one is kept."),
                ),
            ));
            invalid.insert(line);
            continue 'rows;
        }
        matched.insert(id, line);
        let Some(before) = stored.rows.get(&id) else { continue };
        let (after, differ) = merge(before, &row, &present);
        for (field, current, incoming) in differ {
            out.differences
                .push((id, FieldDifference { line, record: before.label(), field: field.into(), current, incoming }));
        }
        if E::FIELDS.iter().all(|f| after.text(f) == before.text(f)) {
            out.unchanged += 1;
        } else {
            out.updated.push((before.clone(), after));
        }
    }
    out
}

/// Plans an import of `table` mapped by `mapping`, against the records stored in `conn` for `company`.
pub async fn plan(
    conn: &mut SqliteConnection,
    company: Uuid,
    kind: ImportKind,
    table: &Table,
    mapping: &[Option<String>],
) -> CoreResult<Plan> {
    let now = Utc::now();
    let width = table.headers.len();
    let mut problems = Vec::new();
    let mut invalid: HashSet<u64> = HashSet::new();
    let mut valid_customers = Vec::new();
    let mut valid_products = Vec::new();
    for row in &table.rows {
        if row.cells.len() != width {
            problems.push(problem(
                row.line,
                "row",
                Localized::new(
                    format!(
                        "A linha tem {} colunas e o cabeçalho {width}: verifique separadores e aspas.",
                        row.cells.len()
                    ),
                    format!(
                        "The row has {} columns and the header {width}: check separators and quotes.",
                        row.cells.len()
                    ),
                ),
            ));
            invalid.insert(row.line);
            continue;
        }
        let cells = Cells {
            map: mapping.iter().zip(&row.cells).filter_map(|(f, v)| Some((f.as_deref()?, v.as_str()))).collect(),
        };
        let present = cells.present();
        let result = match kind {
            ImportKind::Customers => {
                customer_from(&cells, company, now).map(|c| valid_customers.push((row.line, c, present)))
            }
            ImportKind::Products => {
                let mut present = present;
                if present.iter().any(|f| matches!(*f, "tax_zone" | "tax_code" | "exemption")) {
                    present.push("tax");
                }
                product_from(&cells, table.decimal_comma, company, now)
                    .map(|p| valid_products.push((row.line, p, present)))
            }
        };
        if let Err(fields) = result {
            invalid.insert(row.line);
            for f in fields {
                problems.push(problem(row.line, &f.field, f.message));
            }
        }
    }
    let mut plan = Plan::default();
    match kind {
        ImportKind::Customers => {
            let stored = stored_customers(conn, company).await?;
            plan.customers = merge_rows(valid_customers, &stored, customer_keys, &mut problems, &mut invalid);
        }
        ImportKind::Products => {
            let stored = stored_products(conn, company).await?;
            plan.products = merge_rows(valid_products, &stored, product_keys, &mut problems, &mut invalid);
        }
    }
    problems.sort_by_key(|p| p.line);
    plan.problems = problems;
    plan.invalid_rows = invalid.len() as u64;
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_mark_is_the_decimal_one() {
        assert_eq!(number_lang("1.234,56", false), Lang::Pt);
        assert_eq!(number_lang("1,234.56", true), Lang::En);
        assert_eq!(number_lang("12,5", false), Lang::Pt);
        assert_eq!(number_lang("12.5", true), Lang::En);
        assert_eq!(number_lang("1.234", true), Lang::Pt);
        assert_eq!(number_lang("1.234", false), Lang::En);
    }
}
