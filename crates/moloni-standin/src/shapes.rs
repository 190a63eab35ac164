//! Records in the shapes the recordings show: every key a real answer has, with the same value types, and
//! the nested objects (country, payment method, tax…) filled in from the company's lists.

use crate::params::{as_int, Read};
use crate::state::{num, State};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use std::str::FromStr;

/// An amount read leniently (`"12,5"` is not a number for Moloni either).
pub fn dec(v: Option<&Value>) -> Option<Decimal> {
    match v? {
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        Value::String(s) if !s.trim().is_empty() => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
}

fn country_of(s: &State, id: i64) -> Value {
    s.find("countries", "country_id", id, None)
        .map(|c| json!({"iso_3166_1": c["iso_3166_1"], "country_id": id, "name": c["name"]}))
        .unwrap_or_else(|| json!({"iso_3166_1": "", "country_id": id, "name": ""}))
}

fn int_field(fields: &Map<String, Value>, key: &str) -> i64 {
    fields.get(key).and_then(as_int).unwrap_or(0)
}

fn text_field(fields: &Map<String, Value>, key: &str) -> String {
    Value::Object(fields.clone()).text(key)
}

/// A customer record.
pub fn customer(s: &State, id: i64, company: i64, f: Map<String, Value>) -> Value {
    let payment = int_field(&f, "payment_method_id");
    let payment_name = s
        .find("paymentMethods", "payment_method_id", payment, Some(company))
        .map(|p| p["name"].clone())
        .unwrap_or(json!(""));
    let country = int_field(&f, "country_id");
    json!({
        "email": text_field(&f, "email"), "website": text_field(&f, "website"), "fax": text_field(&f, "fax"),
        "customer_id": id, "visibility_id": 1, "salesman_id": int_field(&f, "salesman_id"),
        "number": text_field(&f, "number"), "name": text_field(&f, "name"), "vat": text_field(&f, "vat"),
        "address": text_field(&f, "address"), "city": text_field(&f, "city"), "zip_code": text_field(&f, "zip_code"),
        "country_id": country, "phone": text_field(&f, "phone"), "contact_name": text_field(&f, "contact_name"),
        "contact_email": text_field(&f, "contact_email"), "contact_phone": text_field(&f, "contact_phone"),
        "notes": text_field(&f, "notes"), "discount": num(dec(f.get("discount")).unwrap_or_default()),
        "credit_limit": num(dec(f.get("credit_limit")).unwrap_or_default()), "qty_copies_document": null,
        "maturity_date_id": int_field(&f, "maturity_date_id"), "payment_day": int_field(&f, "payment_day"),
        "field_notes": text_field(&f, "field_notes"), "language_id": int_field(&f, "language_id"),
        "payment_method_id": payment, "delivery_method_id": int_field(&f, "delivery_method_id"), "price_class_id": 0,
        "document_set_id": 0, "geographic_zone_id": 0, "exemption_reason": text_field(&f, "exemption_reason"),
        "print_document_notes": 0, "country": country_of(s, country),
        "payment_method": {"payment_method_id": payment, "name": payment_name},
        "delivery_method": {"delivery_method_id": 0, "name": ""},
        "salesman": {"salesman_id": 0, "number": "", "name": "", "base_commission": 0},
        "alternate_addresses": [], "associated_taxes": [],
        "_company": company, "_modified": s.now(),
    })
}

/// A product's taxes with the nested tax.
pub fn product_taxes(s: &State, company: i64, product_id: i64, price: Decimal, taxes: &[Value]) -> Vec<Value> {
    taxes
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let tax_id = t.int("tax_id").unwrap_or(0);
            let tax = s.find("taxes", "tax_id", tax_id, Some(company)).cloned().unwrap_or(json!({}));
            let rate = dec(tax.get("value")).unwrap_or_default();
            json!({
                "product_tax_id": product_id * 10 + i as i64, "product_id": product_id, "tax_id": tax_id,
                // As in the recordings: the outer value is the tax on the price, the rate is nested.
                "value": num((price * rate / Decimal::ONE_HUNDRED).round_dp(4)),
                "order": t.int("order").unwrap_or(i as i64 + 1), "cumulative": t.int("cumulative").unwrap_or(0),
                "tax": {"tax_id": tax_id, "type": tax["type"], "saft_type": tax["saft_type"], "vat_type": tax["vat_type"],
                    "stamp_tax": tax["stamp_tax"], "name": tax["name"], "value": tax["value"], "fiscal_zone": tax["fiscal_zone"],
                    "active_by_default": tax["active_by_default"], "exemption_reason": tax["exemption_reason"]},
            })
        })
        .collect()
}

/// A product record.
pub fn product(s: &State, id: i64, company: i64, f: Map<String, Value>) -> Value {
    let price = dec(f.get("price")).unwrap_or_default();
    let unit = int_field(&f, "unit_id");
    let unit_row = s
        .find("measurementUnits", "unit_id", unit, Some(company))
        .cloned()
        .unwrap_or(json!({"name": "", "short_name": ""}));
    let category = int_field(&f, "category_id");
    let cat = s
        .find("productCategories", "category_id", category, Some(company))
        .cloned()
        .unwrap_or(json!({"parent_id": 0, "name": ""}));
    let taxes = Value::Object(f.clone()).list("taxes");
    json!({
        "ean": text_field(&f, "ean"), "stock": num(dec(f.get("stock")).unwrap_or_default()), "created": crate::state::timestamp(s.now()),
        "product_id": id, "visibility_id": 1, "company_id": company, "category_id": category, "type": int_field(&f, "type"),
        "name": text_field(&f, "name"), "summary": text_field(&f, "summary"), "notes": text_field(&f, "notes"),
        "reference": text_field(&f, "reference"), "price": num(price), "unit_id": unit, "has_stock": int_field(&f, "has_stock"),
        "minimum_stock": 0, "image": "", "exemption_reason": text_field(&f, "exemption_reason"), "pos_favorite": 0,
        "at_product_category": text_field(&f, "at_product_category"), "composition_type": 0, "warehouse_id": 0,
        "category": {"category_id": category, "parent_id": cat["parent_id"], "name": cat["name"], "description": "", "image": ""},
        "measurement_unit": {"unit_id": unit, "name": unit_row["name"], "short_name": unit_row["short_name"]},
        "suppliers": [], "taxes": product_taxes(s, company, id, price, &taxes), "properties": [], "price_classes": [],
        "warehouses": [], "child_products": [], "_modified": s.now(),
    })
}

/// The list fields of a document (what `getAll` answers); `getOne` adds lines, payments and fiscal marks.
pub fn document_list_item(d: &Value) -> Value {
    let mut out = Map::new();
    for key in [
        "terminal_id",
        "lastmodified",
        "lastmodifiedby",
        "document_id",
        "company_id",
        "document_type_id",
        "customer_id",
        "supplier_id",
        "salesman_id",
        "document_set_id",
        "document_set_name",
        "number",
        "date",
        "expiration_date",
        "maturity_date_days",
        "maturity_date_id",
        "maturity_date_name",
        "your_reference",
        "our_reference",
        "entity_number",
        "entity_name",
        "entity_vat",
        "entity_address",
        "entity_city",
        "entity_zip_code",
        "entity_country",
        "entity_country_id",
        "financial_discount",
        "gross_value",
        "comercial_discount_value",
        "financial_discount_value",
        "taxes_value",
        "deduction_value",
        "net_value",
        "reconciled_value",
        "status",
        "transport_code",
        "transport_code_set_by",
        "global_guide",
        "exchange_currency_id",
        "exchange_total_value",
        "exchange_rate",
        "document_type",
        "document_set",
        "associated_documents",
        "reverse_associated_documents",
        "document_calc_method",
    ] {
        out.insert(key.to_string(), d.get(key).cloned().unwrap_or(Value::Null));
    }
    let assoc: Vec<Value> =
        d.list("associated_documents").iter().map(|a| json!({"associated_id": a["associated_id"]})).collect();
    out.insert("associated_documents".into(), Value::Array(assoc));
    Value::Object(out)
}
