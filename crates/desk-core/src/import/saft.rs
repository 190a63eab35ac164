//! Customers and products from a SAF-T (PT) file (`MasterFiles/Customer`, `MasterFiles/Product`), so an office
//! can move from another certified program: read as a table whose columns are already this app's fields.
//! SAF-T's placeholders ("Desconhecido", the final consumer 999999990) are no data.

use super::read::{Row, Table};
use super::ImportError;
use desk_model::msg::Localized;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

/// The customer columns of the table a SAF-T file gives.
const CUSTOMER_FIELDS: [(&str, &str); 8] = [
    ("CompanyName", "name"),
    ("CustomerTaxID", "nif"),
    ("Email", "email"),
    ("Telephone", "phone"),
    ("AddressDetail", "address"),
    ("PostalCode", "postal_code"),
    ("City", "city"),
    ("Country", "country"),
];

/// The product columns.
const PRODUCT_FIELDS: [(&str, &str); 4] = [
    ("ProductCode", "reference"),
    ("ProductDescription", "name"),
    ("ProductType", "kind"),
    ("ProductGroup", "category"),
];

/// Both tables of a SAF-T file.
#[derive(Debug, Default)]
pub struct SafT {
    /// `MasterFiles/Customer`.
    pub customers: Table,
    /// `MasterFiles/Product`.
    pub products: Table,
}

fn bad(what: impl std::fmt::Display) -> ImportError {
    ImportError::Unreadable(Localized::new(
        format!("O ficheiro SAF-T não se lê ({what}): exporte-o de novo do programa de origem."),
        format!("The SAF-T file cannot be read ({what}): export it again from the program it came from."),
    ))
}

fn placeholder(v: &str) -> bool {
    let f = desk_model::text::fold(v.trim());
    f.is_empty() || f == "desconhecido" || f == "unknown" || f == "999999990"
}

/// Reads the master files of a SAF-T (PT) XML text.
pub fn parse(text: &str) -> Result<SafT, ImportError> {
    let mut reader = Reader::from_str(text);
    // text is kept whole: an entity (`&amp;`) splits it, and trimming the pieces would eat its spaces
    reader.config_mut().trim_text(false);
    let mut path: Vec<String> = Vec::new();
    let mut current: Option<(bool, HashMap<String, String>, u64)> = None;
    let mut out = SafT::default();
    let mut seen_audit = false;
    loop {
        let pos = reader.buffer_position();
        match reader.read_event().map_err(bad)? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                seen_audit |= name == "AuditFile";
                let in_master = path.last().is_some_and(|p| p == "MasterFiles");
                if in_master && (name == "Customer" || name == "Product") {
                    let line = text.get(..pos as usize).map(|t| t.lines().count() as u64 + 1).unwrap_or(0);
                    current = Some((name == "Customer", HashMap::new(), line));
                }
                path.push(name);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                if (name == "Customer" || name == "Product") && path.last().is_some_and(|p| p == "MasterFiles") {
                    if let Some((is_customer, fields, line)) = current.take() {
                        let spec: &[(&str, &str)] = if is_customer { &CUSTOMER_FIELDS } else { &PRODUCT_FIELDS };
                        let cells: Vec<String> = spec
                            .iter()
                            .map(|(tag, _)| {
                                fields
                                    .get(*tag)
                                    .map(|v| v.trim())
                                    .filter(|v| !placeholder(v))
                                    .unwrap_or_default()
                                    .to_string()
                            })
                            .collect();
                        // the final consumer is not a customer to import
                        if is_customer && cells[0].is_empty() && cells[1].is_empty() {
                            continue;
                        }
                        if is_customer && desk_model::text::fold(&cells[0]) == "consumidor final" && cells[1].is_empty()
                        {
                            continue;
                        }
                        let table = if is_customer { &mut out.customers } else { &mut out.products };
                        table.rows.push(Row { line, cells });
                    }
                }
            }
            Event::Text(t) => {
                if let (Some((_, fields, _)), Some(tag)) = (current.as_mut(), path.last()) {
                    let v = t.xml_content().map_err(bad)?;
                    fields.entry(tag.clone()).or_default().push_str(&v);
                }
            }
            Event::CData(t) => {
                if let (Some((_, fields, _)), Some(tag)) = (current.as_mut(), path.last()) {
                    fields.entry(tag.clone()).or_default().push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let (Some((_, fields, _)), Some(tag)) = (current.as_mut(), path.last()) {
                    let c = match r.resolve_char_ref().map_err(bad)? {
                        Some(c) => c,
                        None => match r.as_ref() {
                            b"amp" => '&',
                            b"lt" => '<',
                            b"gt" => '>',
                            b"quot" => '"',
                            b"apos" => '\'',
                            other => return Err(bad(format!("&{};", String::from_utf8_lossy(other)))),
                        },
                    };
                    fields.entry(tag.clone()).or_default().push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_audit {
        return Err(bad("AuditFile"));
    }
    out.customers.headers = CUSTOMER_FIELDS.iter().map(|(t, _)| t.to_string()).collect();
    out.products.headers = PRODUCT_FIELDS.iter().map(|(t, _)| t.to_string()).collect();
    for (t, name) in [(&mut out.customers, "saf-t customers"), (&mut out.products, "saf-t products")] {
        t.format = name.to_string();
        t.canonical = true;
    }
    Ok(out)
}

/// The fields of a SAF-T table's columns, in order.
pub fn fields(customers: bool) -> Vec<Option<String>> {
    let spec: &[(&str, &str)] = if customers { &CUSTOMER_FIELDS } else { &PRODUCT_FIELDS };
    spec.iter().map(|(_, f)| Some(f.to_string())).collect()
}

/// The customers or the products of a SAF-T (PT) XML text.
pub fn read(text: &str, customers: bool) -> Result<Table, ImportError> {
    let saft = parse(text)?;
    Ok(if customers { saft.customers } else { saft.products })
}
