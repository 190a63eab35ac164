//! The stand-in's state: apps and users that may log in, tokens, and every company's records as JSON
//! objects in Moloni's own shapes (so answers look like the recordings). Kept in memory, optionally saved
//! to a JSON file after each change.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A developer app (client id and secret).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct App {
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: String,
}

/// A Moloni user and the companies it may use.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    /// Login e-mail.
    pub username: String,
    /// Password.
    pub password: String,
    /// Company ids.
    pub companies: Vec<i64>,
}

/// A grant's tokens and when they expire (stand-in clock, seconds).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Token {
    /// Access token.
    pub access: String,
    /// Refresh token (rotated on each refresh).
    pub refresh: String,
    /// Its user.
    pub username: String,
    /// The client id it was granted to.
    pub client_id: String,
    /// Access expiry.
    pub access_expires: i64,
    /// Refresh expiry.
    pub refresh_expires: i64,
}

/// Everything the stand-in knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    /// Apps.
    pub apps: Vec<App>,
    /// Users.
    pub users: Vec<User>,
    /// Live tokens.
    pub tokens: Vec<Token>,
    /// Records by table (`customers`, `products`, `documents`, `taxes`…); company records carry `company_id`.
    pub tables: BTreeMap<String, Vec<Value>>,
    /// Last number given per `series:type`.
    pub sequences: BTreeMap<String, i64>,
    /// The last signature per `series:type` (each hash chains on the previous one).
    pub last_hash: BTreeMap<String, String>,
    /// The date of the last closed document per `series:type`: a series runs in date order (error 12 otherwise).
    #[serde(default)]
    pub last_date: BTreeMap<String, String>,
    /// PDF download tokens → document id.
    pub pdf_tokens: BTreeMap<String, i64>,
    /// Next id to give.
    pub next_id: i64,
    /// Seconds added to the real clock (tests move time to expire tokens).
    pub clock_offset: i64,
    /// A counter mixed into new tokens.
    pub token_counter: u64,
    /// Cents added to every document's `net_value` (a test's way to make Moloni compute one cent differently).
    #[serde(default)]
    pub total_skew_cents: i64,
}

impl State {
    /// Makes every new document's total differ from a correct one by `cents` (0: exact again).
    pub fn set_total_skew_cents(&mut self, cents: i64) {
        self.total_skew_cents = cents;
    }

    /// A new id.
    pub fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// A table's rows.
    pub fn table(&self, name: &str) -> &[Value] {
        self.tables.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// A table's rows, to change.
    pub fn table_mut(&mut self, name: &str) -> &mut Vec<Value> {
        self.tables.entry(name.to_string()).or_default()
    }

    /// The row of `table` whose `key` is `id` (and of this company, if the row has one).
    pub fn find(&self, table: &str, key: &str, id: i64, company: Option<i64>) -> Option<&Value> {
        self.table(table).iter().find(|r| {
            r.get(key).and_then(Value::as_i64) == Some(id)
                && company.is_none_or(|c| company_of(r).is_none_or(|rc| rc == c))
        })
    }

    /// The stand-in's clock: real time plus the offset, in seconds.
    pub fn now(&self) -> i64 {
        chrono::Utc::now().timestamp() + self.clock_offset
    }

    /// A fresh 40-hex token.
    pub fn new_token(&mut self) -> String {
        use sha2::Digest;
        self.token_counter += 1;
        let seed = format!("{}:{}:{:?}", self.token_counter, self.now(), std::time::SystemTime::now());
        let digest = sha2::Sha256::digest(seed.as_bytes());
        digest.iter().take(20).map(|b| format!("{b:02x}")).collect()
    }
}

/// The company a record belongs to: `company_id` where Moloni shows it, else the stand-in's own `_company`
/// (lists such as customers or payment methods do not carry the company in their answers).
pub fn company_of(r: &Value) -> Option<i64> {
    r.get("company_id").or_else(|| r.get("_company")).and_then(Value::as_i64)
}

/// Moloni's timestamp format, `2025-09-12T00:00:00+0000`.
pub fn timestamp(epoch: i64) -> String {
    chrono::DateTime::from_timestamp(epoch, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S+0000").to_string()
}

/// Removes the stand-in's own bookkeeping keys (`_modified`…) from an answer.
pub fn public(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().filter(|(k, _)| !k.starts_with('_')).map(|(k, v)| (k.clone(), public(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(public).collect()),
        other => other.clone(),
    }
}

/// A JSON number from a decimal's text (Moloni answers amounts as numbers).
pub fn num(d: rust_decimal::Decimal) -> Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap_or(Value::from(0))
}

/// Merges `fields` over `base`.
pub fn merged(base: Value, fields: &Map<String, Value>) -> Value {
    let mut out = base;
    if let Value::Object(m) = &mut out {
        for (k, v) in fields {
            m.insert(k.clone(), v.clone());
        }
    }
    out
}
