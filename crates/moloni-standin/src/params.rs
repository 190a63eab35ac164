//! Reading a request as Moloni does: `access_token`, `json`, `human_errors` from the query; the body as a
//! PHP-bracket form, or as JSON when `json=true` (whatever the Content-Type). Values stay text or JSON; the
//! handlers read them leniently (`''`, `0` and absent are alike for optional fields).

use serde_json::{Map, Value};

/// The body as one JSON object.
pub fn form_to_json(body: &str) -> Value {
    let pairs: Vec<(String, String)> = body
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    unflatten(&pairs)
}

/// Percent-decoding with `+` as space (application/x-www-form-urlencoded).
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a[0][b]=1` pairs into nested JSON (objects with keys 0, 1… become arrays).
pub fn unflatten(pairs: &[(String, String)]) -> Value {
    let mut root = Value::Object(Map::new());
    for (name, value) in pairs {
        let (head, rest) = name.split_once('[').unwrap_or((name.as_str(), ""));
        let mut keys = vec![head.to_string()];
        if !rest.is_empty() {
            keys.extend(rest.split('[').map(|k| k.trim_end_matches(']').to_string()));
        }
        let mut node = &mut root;
        for (i, key) in keys.iter().enumerate() {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            let Value::Object(map) = node else { break };
            node = map.entry(key.clone()).or_insert(Value::Null);
            if i + 1 == keys.len() {
                *node = Value::String(value.clone());
            }
        }
    }
    arrays(root)
}

fn arrays(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let sequential = !map.is_empty() && map.keys().all(|k| k.parse::<usize>().is_ok());
            let mut entries: Vec<(String, Value)> = map.into_iter().map(|(k, v)| (k, arrays(v))).collect();
            if sequential {
                entries.sort_by_key(|(k, _)| k.parse::<usize>().unwrap_or(usize::MAX));
                Value::Array(entries.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(entries.into_iter().collect())
            }
        }
        other => other,
    }
}

/// Lenient readers over a request's JSON.
pub trait Read {
    /// An integer field (`"5"`, `5`, `5.0`); absent, `''` → None.
    fn int(&self, key: &str) -> Option<i64>;
    /// A text field; absent → "".
    fn text(&self, key: &str) -> String;
    /// A list field (absent → empty).
    fn list(&self, key: &str) -> Vec<Value>;
}

impl Read for Value {
    fn int(&self, key: &str) -> Option<i64> {
        as_int(self.get(key)?)
    }

    fn text(&self, key: &str) -> String {
        match self.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => if *b { "1" } else { "0" }.to_string(),
            _ => String::new(),
        }
    }

    fn list(&self, key: &str) -> Vec<Value> {
        match self.get(key) {
            Some(Value::Array(a)) => a.clone(),
            Some(Value::Object(m)) => m.values().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

/// An integer from a JSON value.
pub fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_brackets_and_percent_encoding() {
        let v =
            form_to_json("company_id=5&products%5B0%5D%5Bname%5D=Caf%C3%A9+com+leite&products[0][taxes][0][tax_id]=1");
        assert_eq!(v.int("company_id"), Some(5));
        assert_eq!(v["products"][0]["name"], "Café com leite");
        assert_eq!(v["products"][0]["taxes"][0].int("tax_id"), Some(1));
    }
}
