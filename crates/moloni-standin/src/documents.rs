//! Documents: insert as draft (validated with Moloni's codes), getOne, getAll (filters, newest first),
//! getModifiedSince, count, update (only drafts; status 1 closes: number per series and type, ATCUD from the
//! series' AT code, a chained hash), getPDFLink, documentCancel, delete. Totals by the stand-in's own code.

use crate::errors::VErr;
use crate::handlers::Ctx;
use crate::params::Read;
use crate::seed::DOCUMENT_TYPES;
use crate::shapes::{dec, document_list_item};
use crate::state::{num, timestamp, State};
use base64::Engine;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use sha2::Digest;

/// The type id and SAF-T code of a document resource.
pub fn type_of(resource: &str) -> Option<(i64, &'static str)> {
    DOCUMENT_TYPES.iter().find(|(r, _, _)| *r == resource).map(|(_, id, code)| (*id, *code))
}

/// `YYYY-MM-DD` (or `DD-MM-YYYY`, which one plugin sends) as `YYYY-MM-DD`.
fn date(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.get(..10).unwrap_or(s);
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

fn r2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Lines priced: each line's taxes, and the document's totals. Taxes are summed per tax and rounded once.
fn price(s: &State, company: i64, body: &Value, errors: &mut Vec<VErr>) -> (Vec<Value>, Value) {
    let fin = dec(body.get("financial_discount")).unwrap_or_default();
    let special = dec(body.get("special_discount")).unwrap_or_default();
    let mut gross = Decimal::ZERO;
    let mut line_disc = Decimal::ZERO;
    let mut fin_value = Decimal::ZERO;
    let mut per_tax: std::collections::BTreeMap<i64, Decimal> = Default::default();
    // withholding per deduction: its lines' base after discounts (VAT excluded), rounded once per deduction
    let mut per_deduction: std::collections::BTreeMap<i64, Decimal> = Default::default();
    let mut lines = Vec::new();
    for (i, l) in body.list("products").iter().enumerate() {
        let product_id = l.int("product_id").unwrap_or(0);
        if s.find("products", "product_id", product_id, Some(company)).is_none() {
            errors.push(VErr::new(1, "products"));
            continue;
        }
        let qty = match dec(l.get("qty")) {
            Some(q) if q > Decimal::ZERO => q,
            _ => {
                errors.push(VErr::with(2, "qty", &["0", "0"]));
                continue;
            }
        };
        let price = match dec(l.get("price")) {
            Some(p) if p >= Decimal::ZERO => p,
            _ => {
                errors.push(VErr::with(2, "price", &["0", "null", "null", "0"]));
                continue;
            }
        };
        let discount = dec(l.get("discount")).unwrap_or_default();
        if discount < Decimal::ZERO || discount > Decimal::ONE_HUNDRED {
            errors.push(VErr::with(2, "discount", &["0", "null", "null", "0", "100"]));
        }
        let base = qty * price;
        let disc = base * discount / Decimal::ONE_HUNDRED;
        let after_fin = (base - disc) * (Decimal::ONE_HUNDRED - fin) / Decimal::ONE_HUNDRED;
        gross += base;
        line_disc += disc;
        fin_value += base - disc - after_fin;
        let mut taxes_out = Vec::new();
        let mut vat_count = 0;
        let mut running = after_fin;
        for (order, t) in l.list("taxes").iter().enumerate() {
            let tax_id = t.int("tax_id").unwrap_or(0);
            let Some(tax) = s.find("taxes", "tax_id", tax_id, Some(company)) else {
                errors.push(VErr::new(5, "tax_id"));
                continue;
            };
            let rate = dec(tax.get("value")).unwrap_or_default();
            if tax.int("saft_type") == Some(1) {
                vat_count += 1;
            }
            let cumulative = t.int("cumulative").unwrap_or(0) == 1;
            let incidence = if cumulative { running } else { after_fin };
            let value = incidence * rate / Decimal::ONE_HUNDRED;
            running += value;
            *per_tax.entry(tax_id).or_default() += value;
            taxes_out.push(json!({"tax_id": tax_id, "type": tax["type"], "saft_type": tax["saft_type"], "vat_type": tax["vat_type"],
                "stamp_tax": tax["stamp_tax"], "name": tax["name"], "value": tax["value"], "fiscal_zone": tax["fiscal_zone"],
                "order": t.int("order").unwrap_or(order as i64 + 1), "cumulative": i64::from(cumulative),
                "incidence_value": num(r2(incidence)), "total_value": num(r2(value))}));
        }
        if vat_count > 1 {
            errors.push(VErr::new(15, "taxes"));
        }
        let deduction_id = l.int("deduction_id").unwrap_or(0);
        if deduction_id != 0 {
            match s.find("deductions", "deduction_id", deduction_id, Some(company)) {
                Some(d) => {
                    let rate = dec(d.get("value")).unwrap_or_default();
                    *per_deduction.entry(deduction_id).or_default() += after_fin * rate / Decimal::ONE_HUNDRED;
                }
                None => errors.push(VErr::new(5, "deduction_id")),
            }
        }
        let exemption = l.text("exemption_reason");
        if vat_count == 0 && exemption.is_empty() {
            errors.push(VErr::new(1, "exemption_reason"));
        }
        let product = s.find("products", "product_id", product_id, Some(company)).cloned().unwrap_or(json!({}));
        lines.push(json!({
            "document_product_id": i as i64 + 1, "ean": "", "order": l.int("order").unwrap_or(i as i64 + 1), "origin_id": l.int("origin_id").unwrap_or(0),
            "product_id": product_id, "category_id": product["category_id"], "reference": product["reference"],
            "name": if l.text("name").is_empty() { product["name"].clone() } else { json!(l.text("name")) },
            "summary": l.text("summary"), "price": num(price), "unit_id": product["unit_id"], "discount": num(discount), "qty": num(qty),
            "deduction_id": deduction_id, "exemption_reason": exemption, "warehouse_id": 0, "properties": [], "child_products": [], "taxes": taxes_out,
        }));
    }
    let taxes_value: Decimal = per_tax.values().map(|v| r2(*v)).sum();
    let deduction_value: Decimal = per_deduction.values().map(|v| r2(*v)).sum();
    let comm = r2(line_disc + special);
    let (gross, fin_value) = (r2(gross), r2(fin_value));
    let net_value = gross - comm - fin_value + taxes_value + Decimal::new(s.total_skew_cents, 2);
    let totals = json!({"gross_value": num(gross), "comercial_discount_value": num(comm), "financial_discount_value": num(fin_value),
        "taxes_value": num(taxes_value), "deduction_value": num(deduction_value), "net_value": num(net_value), "financial_discount": num(fin), "special_discount": num(special)});
    (lines, totals)
}

/// Builds a document from an insert (or update) body; validation errors if any.
fn build(s: &mut State, ctx: &Ctx, resource: &str, body: &Value, existing: Option<&Value>) -> Result<Value, Vec<VErr>> {
    let (type_id, code) = type_of(resource).ok_or_else(|| vec![VErr::new(5, "document_type_id")])?;
    let company = ctx.company;
    let merged = match existing {
        Some(old) => {
            let mut m = old.get("_input").cloned().unwrap_or(json!({}));
            if let (Value::Object(m), Value::Object(b)) = (&mut m, body) {
                for (k, v) in b {
                    m.insert(k.clone(), v.clone());
                }
            }
            m
        }
        None => body.clone(),
    };
    let b = &merged;
    let mut errors = Vec::new();
    let doc_date = match b.text("date") {
        d if d.is_empty() => {
            errors.push(VErr::new(1, "date"));
            String::new()
        }
        d => date(&d).unwrap_or_else(|| {
            errors.push(VErr::new(9, "date"));
            String::new()
        }),
    };
    let expiration = match b.text("expiration_date") {
        d if d.is_empty() => None,
        d => date(&d).or_else(|| {
            errors.push(VErr::new(9, "expiration_date"));
            None
        }),
    };
    let set_id = b.int("document_set_id").unwrap_or(0);
    let set = if set_id <= 0 {
        errors.push(VErr::with(2, "document_set_id", &["1", "0"]));
        None
    } else {
        let set = s.find("documentSets", "document_set_id", set_id, Some(company)).cloned();
        if set.is_none() {
            errors.push(VErr::new(5, "document_set_id"));
        }
        set
    };
    let customer_id = b.int("customer_id").unwrap_or(0);
    let customer = s.find("customers", "customer_id", customer_id, Some(company)).cloned();
    if customer.is_none() {
        errors.push(if customer_id <= 0 {
            VErr::with(2, "customer_id", &["1", "0"])
        } else {
            VErr::new(5, "customer_id")
        });
    }
    let (lines, totals) = price(s, company, b, &mut errors);
    let associated = b.list("associated_documents");
    let is_receipt = resource == "receipts";
    if !is_receipt && lines.is_empty() && !errors.iter().any(|e| e.field == "products") {
        errors.push(VErr::new(1, "products"));
    }
    if matches!(resource, "creditNotes" | "debitNotes" | "receipts")
        && associated.is_empty()
        && b.get("rappel").is_none()
    {
        errors.push(VErr::new(1, "associated_documents"));
    }
    for a in &associated {
        let id = a.int("associated_id").unwrap_or(0);
        if s.find("documents", "document_id", id, Some(company)).is_none_or(|d| d.int("status") != Some(1)) {
            errors.push(VErr::new(10, "associated_id"));
        }
    }
    for (field, max) in [("our_reference", 35), ("your_reference", 35), ("notes", 65535)] {
        if b.text(field).chars().count() > max {
            errors.push(VErr::new(17, field));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let customer = customer.unwrap_or(json!({}));
    let set = set.unwrap_or(json!({}));
    let id = existing.and_then(|e| e.int("document_id")).unwrap_or_else(|| s.id());
    let mut totals = totals;
    if is_receipt {
        let v = dec(b.get("net_value")).unwrap_or_default();
        totals = json!({"gross_value": 0, "comercial_discount_value": 0, "financial_discount_value": 0, "taxes_value": 0, "deduction_value": 0, "net_value": num(v), "financial_discount": 0, "special_discount": 0});
    }
    let self_paid = matches!(resource, "invoiceReceipts" | "simplifiedInvoices" | "receipts");
    let net = dec(totals.get("net_value")).unwrap_or_default();
    let mut payments: Vec<Value> = b
        .list("payments")
        .iter()
        .map(|p| {
            let pm = p.int("payment_method_id").unwrap_or(0);
            let name = s.find("paymentMethods", "payment_method_id", pm, Some(company)).map(|m| m["name"].clone()).unwrap_or(json!(""));
            json!({"payment_method_id": pm, "payment_method_name": name, "date": p.text("date"), "value": num(dec(p.get("value")).unwrap_or_default()), "notes": p.text("notes")})
        })
        .collect();
    if self_paid && payments.is_empty() {
        // Omitted payments: one automatic payment of the whole total with the first method.
        let pm = s
            .table("paymentMethods")
            .iter()
            .find(|m| crate::state::company_of(m) == Some(company))
            .cloned()
            .unwrap_or(json!({}));
        payments.push(json!({"payment_method_id": pm["payment_method_id"], "payment_method_name": pm["name"], "date": doc_date, "value": num(net), "notes": ""}));
    }
    let now = ctx.now;
    let maturity = b.int("maturity_date_id").unwrap_or(0);
    let maturity_row = s.find("maturityDates", "maturity_date_id", maturity, Some(company)).cloned();
    Ok(json!({
        "terminal_id": 0, "lastmodified": timestamp(now), "lastmodifiedby": ctx.username, "document_id": id, "company_id": company,
        "document_type_id": type_id, "customer_id": customer_id, "supplier_id": 0, "salesman_id": 0, "document_set_id": set_id,
        "document_set_name": set["name"], "number": -1, "date": format!("{doc_date}T00:00:00+0000"),
        "expiration_date": expiration.map(|e| format!("{e}T00:00:00+0000")), "maturity_date_days": maturity_row.as_ref().map(|m| m["days"].clone()),
        "maturity_date_id": maturity, "maturity_date_name": maturity_row.map(|m| m["name"].clone()).unwrap_or(json!("")),
        "your_reference": b.text("your_reference"), "our_reference": b.text("our_reference"),
        "entity_number": customer["number"], "entity_name": customer["name"], "entity_vat": customer["vat"],
        "entity_address": customer["address"], "entity_city": customer["city"], "entity_zip_code": customer["zip_code"],
        "entity_country": customer["country"]["name"], "entity_country_id": customer["country_id"],
        "financial_discount": totals["financial_discount"], "gross_value": totals["gross_value"],
        "comercial_discount_value": totals["comercial_discount_value"], "financial_discount_value": totals["financial_discount_value"],
        "taxes_value": totals["taxes_value"], "deduction_value": totals["deduction_value"], "net_value": totals["net_value"],
        "reconciled_value": if self_paid { totals["net_value"].clone() } else { json!(0) }, "status": 0,
        "transport_code": "", "transport_code_set_by": 0, "global_guide": 0, "exchange_currency_id": 0, "exchange_total_value": 0, "exchange_rate": 0,
        "document_type": {"document_type_id": type_id, "saft_code": code}, "document_set": {"document_set_id": set_id, "name": set["name"]},
        "associated_documents": associated.iter().map(|a| json!({"associated_id": a.int("associated_id"), "value": num(dec(a.get("value")).unwrap_or_default())})).collect::<Vec<_>>(),
        "reverse_associated_documents": [], "document_calc_method": {"document_id": id, "calc_method_id": 2},
        "year": doc_date.get(..4).and_then(|y| y.parse::<i64>().ok()), "notes": b.text("notes"), "special_discount": totals["special_discount"],
        "rsa_hash": "", "hash_control": "", "atcud": "", "products": lines, "payments": payments,
        "_input": merged, "_modified": now, "_resource": resource,
    }))
}

/// Closes a draft: the next number in its series and type, the ATCUD, the chained signature.
fn close(s: &mut State, doc: &mut Value, expected_net: Option<Decimal>) -> Result<(), Vec<VErr>> {
    let net = dec(doc.get("net_value")).unwrap_or_default();
    if let Some(expected) = expected_net {
        if (expected - net).abs() > Decimal::new(1, 2) {
            return Err(vec![VErr::new(2, "net_value")]);
        }
    }
    let set_id = doc.int("document_set_id").unwrap_or(0);
    let type_id = doc.int("document_type_id").unwrap_or(0);
    let set = s.find("documentSets", "document_set_id", set_id, None).cloned().unwrap_or(json!({}));
    let at_code = set
        .list("document_set_at_codes")
        .iter()
        .find(|c| c.int("document_type_id") == Some(type_id))
        .map(|c| c.text("document_set_at_code"))
        .filter(|c| !c.is_empty());
    let Some(at_code) = at_code else {
        return Err(vec![VErr::new(5, "document_set_wsat_id")]);
    };
    let key = format!("{set_id}:{type_id}");
    // A series runs in date order: a draft dated before the series' last document is refused (Moloni's error 12,
    // as a request queued past midnight meets it when another document was issued meanwhile).
    let date = doc.text("date");
    if let Some(last) = s.last_date.get(&key).filter(|last| date.as_str() < last.as_str()) {
        return Err(vec![VErr::with(12, "date", &[">=", last])]);
    }
    s.last_date.insert(key.clone(), date);
    let number = s.sequences.get(&key).copied().unwrap_or(0) + 1;
    s.sequences.insert(key.clone(), number);
    let previous = s.last_hash.get(&key).cloned().unwrap_or_default();
    let message = format!(
        "{};{};{}/{};{};{}",
        doc.text("date"),
        doc.text("lastmodified"),
        doc.text("document_set_name"),
        number,
        net,
        previous
    );
    // 128 bytes, like an RSA-1024 signature: 172 base64 characters.
    let mut bytes = Vec::with_capacity(128);
    for i in 0..4 {
        bytes.extend_from_slice(&sha2::Sha256::digest(format!("{i}:{message}").as_bytes()));
    }
    let hash = base64::engine::general_purpose::STANDARD.encode(&bytes);
    s.last_hash.insert(key, hash.clone());
    doc["number"] = json!(number);
    doc["status"] = json!(1);
    doc["rsa_hash"] = json!(hash);
    doc["hash_control"] = json!("1");
    doc["atcud"] = json!(format!("{at_code}-{number}"));
    Ok(())
}

/// A closed document reconciles what it associates (a receipt what it pays, a credit note what it credits): the
/// other document's `reconciled_value` grows (and its `lastmodified` moves, so a change feed shows it).
fn reconcile(s: &mut State, doc: &Value, now: i64) {
    for a in doc.list("associated_documents") {
        let (aid, value) = (a.int("associated_id"), dec(a.get("value")).unwrap_or_default());
        if let Some(other) = s.table_mut("documents").iter_mut().find(|d| d.int("document_id") == aid) {
            let r = dec(other.get("reconciled_value")).unwrap_or_default() + value;
            other["reconciled_value"] = num(r);
            other["_modified"] = json!(now);
            other["lastmodified"] = json!(timestamp(now));
        }
    }
}

fn get_one(s: &State, ctx: &Ctx, resource: Option<&str>, body: &Value) -> Value {
    let type_id = resource.and_then(type_of).map(|t| t.0);
    let filters = ["document_id", "customer_id", "document_set_id", "number", "your_reference", "our_reference"];
    s.table("documents")
        .iter()
        .filter(|d| {
            d.int("company_id") == Some(ctx.company) && type_id.is_none_or(|t| d.int("document_type_id") == Some(t))
        })
        .find(|d| {
            filters.iter().all(|f| match body.get(*f) {
                None | Some(Value::Null) => true,
                Some(_) if body.text(f).is_empty() => true,
                Some(_) => d.text(f) == body.text(f),
            })
        })
        .map(crate::state::public)
        .unwrap_or(json!([]))
}

fn list(s: &State, ctx: &Ctx, resource: Option<&str>, body: &Value, since: Option<i64>) -> Vec<Value> {
    let type_id = resource.and_then(type_of).map(|t| t.0);
    let lag_cut = ctx.now - ctx.lag_seconds;
    let mut rows: Vec<&Value> = s
        .table("documents")
        .iter()
        .filter(|d| d.int("company_id") == Some(ctx.company))
        .filter(|d| type_id.is_none_or(|t| d.int("document_type_id") == Some(t)))
        .filter(|d| ctx.lag_seconds == 0 || d.int("_modified").unwrap_or(0) <= lag_cut)
        .filter(|d| since.is_none_or(|t| d.int("_modified").unwrap_or(0) >= t))
        .filter(|d| {
            ["customer_id", "document_set_id", "number", "your_reference", "our_reference", "status"].iter().all(|f| {
                let want = body.text(f);
                want.is_empty() || d.text(f) == want
            })
        })
        .filter(|d| body.int("year").is_none_or(|y| d.text("date").starts_with(&y.to_string())))
        .collect();
    rows.sort_by_key(|d| {
        (std::cmp::Reverse(d.int("number").unwrap_or(0)), std::cmp::Reverse(d.int("document_id").unwrap_or(0)))
    });
    // the page first, then its items' shape (a list of thousands is read 50 at a time)
    let qty = body.int("qty").filter(|q| *q > 0).unwrap_or(50).min(50) as usize;
    let offset = body.int("offset").unwrap_or(0).max(0) as usize;
    rows.into_iter().skip(offset).take(qty).map(document_list_item).collect()
}

/// Answers a document call; `resource` is `documents` or a type's resource.
pub fn handle(s: &mut State, ctx: &Ctx, resource: &str, method: &str, body: &Value) -> Result<Value, Vec<VErr>> {
    let typed = (resource != "documents").then_some(resource);
    match method {
        "insert" => {
            let mut doc = build(s, ctx, resource, body, None)?;
            let id = doc.int("document_id").unwrap_or(0);
            if body.int("status") == Some(1) {
                close(s, &mut doc, dec(body.get("net_value")).filter(|_| resource != "receipts"))?;
                reconcile(s, &doc, ctx.now);
            }
            s.table_mut("documents").push(doc);
            Ok(json!({"valid": 1, "document_id": id}))
        }
        "update" => {
            let id = body.int("document_id").ok_or_else(|| vec![VErr::new(1, "document_id")])?;
            let pos = s
                .table("documents")
                .iter()
                .position(|d| d.int("document_id") == Some(id) && d.int("company_id") == Some(ctx.company))
                .ok_or_else(|| vec![VErr::new(5, "document_id")])?;
            let old = s.table("documents")[pos].clone();
            if old.int("status") != Some(0) {
                // Closed documents cannot change.
                return Ok(json!({"valid": 0}));
            }
            let mut fields = body.clone();
            if let Value::Object(m) = &mut fields {
                m.remove("status");
            }
            let mut doc = build(s, ctx, old.text("_resource").as_str(), &fields, Some(&old))?;
            if body.int("status") == Some(1) {
                close(s, &mut doc, dec(body.get("net_value")).filter(|_| resource != "receipts"))?;
                reconcile(s, &doc, ctx.now);
            }
            s.table_mut("documents")[pos] = doc;
            Ok(json!({"valid": 1, "document_id": id}))
        }
        "getOne" => Ok(get_one(s, ctx, typed, body)),
        "getAll" => Ok(Value::Array(list(s, ctx, typed, body, None))),
        "getModifiedSince" => {
            let since = chrono::NaiveDateTime::parse_from_str(&body.text("lastmodified"), "%Y-%m-%d %H:%M:%S")
                .map_err(|_| vec![VErr::new(9, "lastmodified")])?
                .and_utc()
                .timestamp();
            Ok(Value::Array(list(s, ctx, typed, body, Some(since))))
        }
        "count" => {
            let all = Value::Object(Default::default());
            let n = list(s, ctx, typed, &all, None).len();
            Ok(json!({"count": n.to_string()}))
        }
        "getPDFLink" => {
            let id = body.int("document_id").unwrap_or(0);
            let doc = s
                .find("documents", "document_id", id, Some(ctx.company))
                .ok_or_else(|| vec![VErr::new(5, "document_id")])?;
            if doc.int("status") == Some(0) {
                return Err(vec![VErr::new(5, "document_id")]);
            }
            let token = s.new_token();
            s.pdf_tokens.insert(token.clone(), id);
            Ok(json!({"url": format!("{}/downloads/?h={token}", ctx.base_url)}))
        }
        "documentCancel" => {
            let id = body.int("document_id").unwrap_or(0);
            let doc = s
                .table_mut("documents")
                .iter_mut()
                .find(|d| d.int("document_id") == Some(id) && d.int("company_id") == Some(ctx.company))
                .ok_or_else(|| vec![VErr::new(5, "document_id")])?;
            if doc.int("status") != Some(1) {
                return Ok(json!({"valid": 0}));
            }
            doc["status"] = json!(2);
            doc["_modified"] = json!(ctx.now);
            doc["lastmodified"] = json!(timestamp(ctx.now));
            Ok(json!({"valid": 1, "document_id": id}))
        }
        "delete" => {
            let id = body.int("document_id").unwrap_or(0);
            let docs = s.table_mut("documents");
            match docs.iter().position(|d| d.int("document_id") == Some(id) && d.int("company_id") == Some(ctx.company))
            {
                Some(i) if docs[i].int("status") == Some(0) => {
                    docs.remove(i);
                    Ok(json!({"valid": 1}))
                }
                _ => Ok(json!({"valid": 0})),
            }
        }
        _ => Err(vec![VErr::new(5, "method")]),
    }
}
