//! Request bodies as the official plugins send them (PHP's `http_build_query`): nested arrays flattened
//! with brackets, `products[0][taxes][0][tax_id]=1`. Numbers are written as their text, booleans as 1/0.

use serde_json::Value;

/// Flattens a JSON object into the form's name/value pairs, in order.
pub fn flatten(body: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Value::Object(map) = body {
        for (k, v) in map {
            walk(k.clone(), v, &mut out);
        }
    }
    out
}

fn walk(prefix: String, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Bool(b) => out.push((prefix, if *b { "1" } else { "0" }.to_string())),
        Value::Number(n) => out.push((prefix, n.to_string())),
        Value::String(s) => out.push((prefix, s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(format!("{prefix}[{i}]"), item, out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                walk(format!("{prefix}[{k}]"), item, out);
            }
        }
    }
}

/// Reads PHP-bracket pairs back into JSON (the inverse of [`flatten`], for tests and tools).
pub fn unflatten(pairs: &[(String, String)]) -> Value {
    let mut root = Value::Object(Default::default());
    for (name, value) in pairs {
        let mut keys = Vec::new();
        let (head, rest) = name.split_once('[').map_or((name.as_str(), ""), |(h, r)| (h, r));
        keys.push(head.to_string());
        for part in rest.split('[') {
            keys.push(part.trim_end_matches(']').to_string());
        }
        if rest.is_empty() {
            keys.truncate(1);
        }
        let mut node = &mut root;
        for (i, key) in keys.iter().enumerate() {
            let last = i + 1 == keys.len();
            let Value::Object(map) = node else { break };
            node = map.entry(key.clone()).or_insert_with(|| Value::Object(Default::default()));
            if last {
                *node = Value::String(value.clone());
            }
        }
    }
    arrays(root)
}

/// Objects whose keys are 0, 1, 2… become arrays.
fn arrays(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let sequential = !map.is_empty() && map.keys().enumerate().all(|(i, k)| k.parse::<usize>() == Ok(i));
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_lines_use_php_brackets() {
        let body = json!({"company_id": 5, "products": [{"product_id": 9, "taxes": [{"tax_id": 1, "cumulative": false}]}], "notes": null});
        let pairs = flatten(&body);
        assert_eq!(
            pairs,
            vec![
                ("company_id".to_string(), "5".to_string()),
                ("products[0][product_id]".to_string(), "9".to_string()),
                ("products[0][taxes][0][cumulative]".to_string(), "0".to_string()),
                ("products[0][taxes][0][tax_id]".to_string(), "1".to_string()),
            ]
        );
        assert_eq!(
            unflatten(&pairs),
            json!({"company_id": "5", "products": [{"product_id": "9", "taxes": [{"cumulative": "0", "tax_id": "1"}]}]})
        );
    }
}
