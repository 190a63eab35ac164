//! Everything but documents and grants: companies, customers, products and the settings lists, with the
//! validation Moloni applies to inserts and updates.

use crate::errors::VErr;
use crate::params::{as_int, Read};
use crate::shapes;
use crate::state::{public, State};
use serde_json::{json, Map, Value};

/// Who is calling and when.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The company of the call.
    pub company: i64,
    /// The user.
    pub username: String,
    /// The stand-in's own address (for PDF links).
    pub base_url: String,
    /// The stand-in's clock.
    pub now: i64,
    /// Records changed in the last so many seconds are not yet in getAll/getModifiedSince.
    pub lag_seconds: i64,
}

/// `qty` (at most 50) and `offset` applied to a list.
pub fn page(rows: Vec<Value>, body: &Value) -> Vec<Value> {
    let qty = body.int("qty").filter(|q| *q > 0).unwrap_or(50).min(50) as usize;
    let offset = body.int("offset").unwrap_or(0).max(0) as usize;
    rows.into_iter().skip(offset).take(qty).collect()
}

/// Settings and global lists: table name and id key.
const LISTS: &[(&str, &str)] = &[
    ("taxes", "tax_id"),
    ("deductions", "deduction_id"),
    ("documentSets", "document_set_id"),
    ("paymentMethods", "payment_method_id"),
    ("maturityDates", "maturity_date_id"),
    ("measurementUnits", "unit_id"),
    ("countries", "country_id"),
    ("taxExemptions", "code"),
    ("languages", "language_id"),
    ("currencies", "currency_id"),
    ("fiscalZones", "fiscal_zone_id"),
    ("geographicZones", "geographic_zone_id"),
    ("salesmen", "salesman_id"),
    ("users", "user_id"),
    ("warehouses", "warehouse_id"),
    ("productCategories", "category_id"),
];

fn company_rows<'a>(s: &'a State, ctx: &'a Ctx, table: &str) -> impl Iterator<Item = &'a Value> + 'a {
    let company = ctx.company;
    let lag_cut = ctx.now - ctx.lag_seconds;
    let lag = ctx.lag_seconds;
    s.table(table)
        .iter()
        .filter(move |r| crate::state::company_of(r).is_none_or(|c| c == company))
        .filter(move |r| lag == 0 || r.int("_modified").unwrap_or(0) <= lag_cut)
}

fn since(body: &Value) -> Result<i64, Vec<VErr>> {
    chrono::NaiveDateTime::parse_from_str(&body.text("lastmodified"), "%Y-%m-%d %H:%M:%S")
        .map(|t| t.and_utc().timestamp())
        .map_err(|_| vec![VErr::new(9, "lastmodified")])
}

fn out(rows: Vec<&Value>, body: &Value) -> Value {
    Value::Array(page(rows.into_iter().map(public).collect(), body))
}

/// Answers a call that is not a grant or a document.
pub fn handle(s: &mut State, ctx: &Ctx, resource: &str, method: &str, body: &Value) -> Result<Value, Vec<VErr>> {
    match resource {
        "customers" => customers(s, ctx, method, body),
        "products" => products(s, ctx, method, body),
        "subscription" => Ok(company_rows(s, ctx, "subscription").next().map(public).unwrap_or(json!([]))),
        _ => {
            let Some((table, _)) = LISTS.iter().find(|(t, _)| *t == resource) else {
                return Err(vec![VErr::new(5, "resource")]);
            };
            let rows: Vec<&Value> = company_rows(s, ctx, table).collect();
            match method {
                "getAll" => Ok(out(rows, body)),
                "getModifiedSince" => {
                    let t = since(body)?;
                    Ok(out(rows.into_iter().filter(|r| r.int("_modified").unwrap_or(0) >= t).collect(), body))
                }
                "count" => Ok(json!({"count": rows.len().to_string()})),
                _ => Err(vec![VErr::new(5, "method")]),
            }
        }
    }
}

/// Moloni's customer rules (§4.2): required fields, unique number, PT postal code and NIF, e-mail.
fn check_customer(s: &State, ctx: &Ctx, b: &Value, id: Option<i64>) -> Vec<VErr> {
    let mut e = Vec::new();
    for f in ["vat", "number", "name", "address", "city"] {
        if b.text(f).trim().is_empty() {
            e.push(VErr::new(1, f));
        }
    }
    for f in ["language_id", "country_id"] {
        if b.int(f).unwrap_or(0) <= 0 {
            e.push(VErr::with(2, f, &["1", "0"]));
        }
    }
    // 0 is accepted for these in practice (plugins send it), though the docs list them as required.
    for (f, table) in [("maturity_date_id", "maturityDates"), ("payment_method_id", "paymentMethods")] {
        let v = b.int(f).unwrap_or(0);
        if v > 0 && s.find(table, f, v, Some(ctx.company)).is_none() {
            e.push(VErr::new(5, f));
        }
    }
    let number = b.text("number");
    if !number.is_empty()
        && company_rows(s, ctx, "customers").any(|c| c.text("number") == number && c.int("customer_id") != id)
    {
        e.push(VErr::new(4, "number"));
    }
    if number.chars().count() > 20 {
        e.push(VErr::new(17, "number"));
    }
    if b.int("country_id") == Some(1) {
        let zip = b.text("zip_code");
        let ok = zip.len() == 8 && zip.char_indices().all(|(i, c)| if i == 4 { c == '-' } else { c.is_ascii_digit() });
        if !zip.is_empty() && !ok {
            e.push(VErr::new(7, "zip_code"));
        }
        let vat = b.text("vat");
        if !vat.is_empty() && !crate::nif::valid(&vat) {
            e.push(VErr::new(8, "vat"));
        }
    }
    let email = b.text("email");
    let looks_valid = email.contains('@') && email.rsplit('@').next().is_some_and(|d| d.contains('.'));
    if !email.is_empty() && !looks_valid {
        e.push(VErr::new(3, "email"));
    }
    e
}

fn customers(s: &mut State, ctx: &Ctx, method: &str, b: &Value) -> Result<Value, Vec<VErr>> {
    let rows: Vec<&Value> = company_rows(s, ctx, "customers").collect();
    let field_is = |f: &'static str, exact: bool| {
        let want = b.text(f).to_lowercase();
        move |r: &&Value| {
            let have = r.text(f).to_lowercase();
            if exact {
                have == want
            } else {
                have.contains(&want)
            }
        }
    };
    match method {
        "getAll" => Ok(out(rows, b)),
        "getOne" => {
            let id = b.int("customer_id").unwrap_or(0);
            Ok(rows.into_iter().find(|r| r.int("customer_id") == Some(id)).map(public).unwrap_or(json!([])))
        }
        "getByVat" => Ok(out(rows.into_iter().filter(field_is("vat", b.int("exact") == Some(1))).collect(), b)),
        "getByEmail" => Ok(out(rows.into_iter().filter(field_is("email", true)).collect(), b)),
        "getByNumber" => Ok(out(rows.into_iter().filter(field_is("number", true)).collect(), b)),
        "getByName" => Ok(out(rows.into_iter().filter(field_is("name", false)).collect(), b)),
        "getBySearch" => {
            let q = b.text("search").to_lowercase();
            Ok(out(
                rows.into_iter()
                    .filter(|r| ["name", "vat", "number"].iter().any(|f| r.text(f).to_lowercase().contains(&q)))
                    .collect(),
                b,
            ))
        }
        "getNextNumber" => {
            let max = s
                .table("customers")
                .iter()
                .filter(|r| crate::state::company_of(r) == Some(ctx.company))
                .filter_map(|r| r.text("number").parse::<i64>().ok())
                .max()
                .unwrap_or(0);
            Ok(json!({"number": (max + 1).to_string()}))
        }
        "getModifiedSince" => {
            let t = since(b)?;
            Ok(out(rows.into_iter().filter(|r| r.int("_modified").unwrap_or(0) >= t).collect(), b))
        }
        "count" => Ok(json!({"count": rows.len().to_string()})),
        "insert" => {
            let errors = check_customer(s, ctx, b, None);
            if !errors.is_empty() {
                return Err(errors);
            }
            let id = s.id();
            let row = shapes::customer(s, id, ctx.company, b.as_object().cloned().unwrap_or_default());
            s.table_mut("customers").push(row);
            Ok(json!({"valid": 1, "customer_id": id}))
        }
        "update" => {
            let id = b.int("customer_id").ok_or_else(|| vec![VErr::new(1, "customer_id")])?;
            let old = rows
                .iter()
                .find(|r| r.int("customer_id") == Some(id))
                .map(|r| (*r).clone())
                .ok_or_else(|| vec![VErr::new(5, "customer_id")])?;
            let mut fields: Map<String, Value> = old.as_object().cloned().unwrap_or_default();
            let used = s.table("documents").iter().any(|d| d.int("customer_id") == Some(id));
            for (k, v) in b.as_object().into_iter().flatten() {
                // A customer with documents keeps its NIF and number (changes are silently ignored).
                if used && (k == "vat" || k == "number") {
                    continue;
                }
                fields.insert(k.clone(), v.clone());
            }
            let errors = check_customer(s, ctx, &Value::Object(fields.clone()), Some(id));
            if !errors.is_empty() {
                return Err(errors);
            }
            let row = shapes::customer(s, id, ctx.company, fields);
            if let Some(slot) = s.table_mut("customers").iter_mut().find(|r| r.int("customer_id") == Some(id)) {
                *slot = row;
            }
            Ok(json!({"valid": 1, "customer_id": id}))
        }
        "delete" => {
            let id = b.int("customer_id").unwrap_or(0);
            if s.table("documents").iter().any(|d| d.int("customer_id") == Some(id)) {
                return Ok(json!({"valid": 0}));
            }
            let t = s.table_mut("customers");
            let before = t.len();
            t.retain(|r| r.int("customer_id") != Some(id));
            Ok(json!({"valid": i64::from(t.len() < before)}))
        }
        _ => Err(vec![VErr::new(5, "method")]),
    }
}

fn check_product(s: &State, ctx: &Ctx, b: &Value, id: Option<i64>) -> Vec<VErr> {
    let mut e = Vec::new();
    for f in ["name", "reference"] {
        if b.text(f).trim().is_empty() {
            e.push(VErr::new(1, f));
        }
    }
    for (f, table) in [("category_id", "productCategories"), ("unit_id", "measurementUnits")] {
        match b.int(f) {
            Some(v) if v > 0 && s.find(table, f, v, Some(ctx.company)).is_some() => {}
            Some(v) if v > 0 => e.push(VErr::new(5, f)),
            _ => e.push(VErr::with(2, f, &["1", "0"])),
        }
    }
    if !matches!(b.int("type"), Some(1..=4)) {
        e.push(VErr::new(5, "type"));
    }
    match shapes::dec(b.get("price")) {
        Some(p) if p >= rust_decimal::Decimal::ZERO => {}
        _ => e.push(VErr::with(2, "price", &["0", "null", "null", "0"])),
    }
    let reference = b.text("reference");
    if company_rows(s, ctx, "products").any(|p| p.text("reference") == reference && p.int("product_id") != id) {
        e.push(VErr::new(4, "reference"));
    }
    if reference.chars().count() > 30 {
        e.push(VErr::new(17, "reference"));
    }
    let has_vat = b.list("taxes").iter().any(|t| {
        let tax = t.get("tax_id").and_then(as_int).and_then(|tid| s.find("taxes", "tax_id", tid, Some(ctx.company)));
        tax.is_some_and(|x| x.int("saft_type") == Some(1) && shapes::dec(x.get("value")).is_some_and(|v| !v.is_zero()))
    });
    if !has_vat && b.text("exemption_reason").is_empty() {
        e.push(VErr::new(1, "exemption_reason"));
    }
    e
}

fn products(s: &mut State, ctx: &Ctx, method: &str, b: &Value) -> Result<Value, Vec<VErr>> {
    let rows: Vec<&Value> = company_rows(s, ctx, "products").collect();
    match method {
        "getAll" => {
            // v1 documents category_id as required; without one (as v2 plugins call it) every product is listed.
            let cat = b.int("category_id").filter(|c| *c != 0);
            Ok(out(rows.into_iter().filter(|p| cat.is_none_or(|c| p.int("category_id") == Some(c))).collect(), b))
        }
        "getOne" => {
            let id = b.int("product_id").unwrap_or(0);
            Ok(rows.into_iter().find(|r| r.int("product_id") == Some(id)).map(public).unwrap_or(json!([])))
        }
        "getByReference" => {
            let r = b.text("reference").to_lowercase();
            let exact = b.int("exact") == Some(1);
            Ok(out(
                rows.into_iter()
                    .filter(|p| {
                        let have = p.text("reference").to_lowercase();
                        if exact {
                            have == r
                        } else {
                            have.contains(&r)
                        }
                    })
                    .collect(),
                b,
            ))
        }
        "getBySearch" => {
            let q = b.text("search").to_lowercase();
            Ok(out(
                rows.into_iter()
                    .filter(|p| ["name", "reference", "ean"].iter().any(|f| p.text(f).to_lowercase().contains(&q)))
                    .collect(),
                b,
            ))
        }
        "getModifiedSince" => {
            let t = since(b)?;
            Ok(out(rows.into_iter().filter(|r| r.int("_modified").unwrap_or(0) >= t).collect(), b))
        }
        "count" => Ok(json!({"count": rows.len().to_string()})),
        "insert" => {
            let errors = check_product(s, ctx, b, None);
            if !errors.is_empty() {
                return Err(errors);
            }
            let id = s.id();
            let row = shapes::product(s, id, ctx.company, b.as_object().cloned().unwrap_or_default());
            s.table_mut("products").push(row);
            Ok(json!({"valid": 1, "product_id": id}))
        }
        "update" => {
            let id = b.int("product_id").ok_or_else(|| vec![VErr::new(1, "product_id")])?;
            let old = rows
                .iter()
                .find(|r| r.int("product_id") == Some(id))
                .map(|r| (*r).clone())
                .ok_or_else(|| vec![VErr::new(5, "product_id")])?;
            let mut fields: Map<String, Value> = old.as_object().cloned().unwrap_or_default();
            // Taxes come back with the nested tax; resend them as ids.
            fields.insert("taxes".into(), Value::Array(old.list("taxes")));
            for (k, v) in b.as_object().into_iter().flatten() {
                fields.insert(k.clone(), v.clone());
            }
            let errors = check_product(s, ctx, &Value::Object(fields.clone()), Some(id));
            if !errors.is_empty() {
                return Err(errors);
            }
            let row = shapes::product(s, id, ctx.company, fields);
            if let Some(slot) = s.table_mut("products").iter_mut().find(|r| r.int("product_id") == Some(id)) {
                *slot = row;
            }
            Ok(json!({"valid": 1, "product_id": id}))
        }
        _ => Err(vec![VErr::new(5, "method")]),
    }
}
