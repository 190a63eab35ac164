//! Merge-on-match, field by field: a stored record gets the file's value only where its own field is empty; a
//! differing value goes to the review list instead of over the stored one. Each importable record says what its
//! fields hold as text (the review list's current and incoming values) and how to take one from another record.

use desk_model::ipc::{Customer, Product};

/// A record an import can add or fill in.
pub trait Mergeable: Clone {
    /// The fields compared, in form order.
    const FIELDS: &'static [&'static str];
    /// A field's value as text; empty when the field is empty.
    fn text(&self, field: &str) -> String;
    /// Copies one field from `other`.
    fn take(&mut self, field: &str, other: &Self);
    /// The record's label for messages and the review list.
    fn label(&self) -> String;
    /// Whether two values of a field say the same.
    fn same(field: &str, a: &str, b: &str) -> bool {
        let _ = field;
        a == b
    }
}

/// What merging a file's row into a stored record gives: the record with its empty fields filled in, and the
/// fields whose values differ (field, current, incoming).
pub fn merge<E: Mergeable>(stored: &E, incoming: &E, present: &[&str]) -> (E, Vec<(&'static str, String, String)>) {
    let mut after = stored.clone();
    let mut differ = Vec::new();
    for field in E::FIELDS.iter().copied().filter(|f| present.contains(f)) {
        let (cur, inc) = (stored.text(field), incoming.text(field));
        if inc.is_empty() || E::same(field, &cur, &inc) {
            continue;
        }
        if cur.is_empty() {
            after.take(field, incoming);
        } else {
            differ.push((field, cur, inc));
        }
    }
    (after, differ)
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

impl Mergeable for Customer {
    const FIELDS: &'static [&'static str] =
        &["name", "nif", "email", "phone", "address", "postal_code", "city", "country", "payment_terms_days", "notes"];
    fn text(&self, field: &str) -> String {
        match field {
            "name" => self.name.clone(),
            "nif" => opt(&self.nif),
            "email" => opt(&self.email),
            "phone" => opt(&self.phone),
            "address" => opt(&self.address),
            "postal_code" => opt(&self.postal_code),
            "city" => opt(&self.city),
            "country" => self.country.clone(),
            "payment_terms_days" => self.payment_terms_days.map(|d| d.to_string()).unwrap_or_default(),
            "notes" => opt(&self.notes),
            _ => String::new(),
        }
    }
    fn take(&mut self, field: &str, o: &Self) {
        match field {
            "name" => self.name = o.name.clone(),
            "nif" => self.nif = o.nif.clone(),
            "email" => self.email = o.email.clone(),
            "phone" => self.phone = o.phone.clone(),
            "address" => self.address = o.address.clone(),
            "postal_code" => self.postal_code = o.postal_code.clone(),
            "city" => self.city = o.city.clone(),
            "country" => self.country = o.country.clone(),
            "payment_terms_days" => self.payment_terms_days = o.payment_terms_days,
            "notes" => self.notes = o.notes.clone(),
            _ => {}
        }
    }
    /// E-mail addresses are compared without case (nobody keeps two mailboxes apart by case).
    fn same(field: &str, a: &str, b: &str) -> bool {
        if field == "email" {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }
    fn label(&self) -> String {
        match &self.nif {
            Some(n) => format!("{} ({n})", self.name),
            None => self.name.clone(),
        }
    }
}

impl Mergeable for Product {
    const FIELDS: &'static [&'static str] = &["name", "kind", "unit", "price", "tax", "category"];
    fn text(&self, field: &str) -> String {
        match field {
            "name" => self.name.clone(),
            "kind" => self.kind.as_str().to_string(),
            "unit" => self.unit.clone(),
            // a price of zero is a price nobody set
            "price" if self.price.0.is_zero() => String::new(),
            "price" => self.price.0.normalize().to_string(),
            "tax" => {
                let t = &self.tax;
                let mut s = format!("{} {}", t.zone.code(), t.code.as_str());
                if let Some(e) = &t.exemption {
                    s.push(' ');
                    s.push_str(&e.to_string());
                }
                s
            }
            "category" => opt(&self.category),
            _ => String::new(),
        }
    }
    fn take(&mut self, field: &str, o: &Self) {
        match field {
            "name" => self.name = o.name.clone(),
            "kind" => self.kind = o.kind,
            "unit" => self.unit = o.unit.clone(),
            "price" => self.price = o.price,
            "tax" => self.tax = o.tax.clone(),
            "category" => self.category = o.category.clone(),
            _ => {}
        }
    }
    fn label(&self) -> String {
        format!("{} {}", self.reference, self.name)
    }
}
