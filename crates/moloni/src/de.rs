//! Tolerant readers for the API's JSON: the recordings show ids and counts as numbers or as strings, and
//! `null`, `""` or a missing key for unset fields. Each reader accepts every such variant.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::str::FromStr;

/// An integer from a number, a numeric string, `null` or `""` (both 0).
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(opt_int(d)?.unwrap_or(0))
}

/// An optional integer: `null`, `""` and a missing key are `None`.
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(Some(i)),
            // A float that is a whole number (1.0) is still an id; anything else is not.
            None => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| Some(f as i64))
                .ok_or_else(|| serde::de::Error::custom(format!("expected an integer, got {n}"))),
        },
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => {
            s.trim().parse().map(Some).map_err(|_| serde::de::Error::custom(format!("expected an integer, got {s:?}")))
        }
        Value::Bool(b) => Ok(Some(i64::from(b))),
        other => Err(serde::de::Error::custom(format!("expected an integer, got {other}"))),
    }
}

/// An amount from a JSON number or a numeric string; `null`/`""` are 0.
///
/// JSON numbers arrive as doubles; their shortest text (what Moloni wrote, for amounts of up to 15
/// significant digits) is read as a decimal, so no binary fraction reaches the amount.
pub fn dec<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    Ok(opt_dec(d)?.unwrap_or(Decimal::ZERO))
}

/// An optional amount.
pub fn opt_dec<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let text = match Value::deserialize(d)? {
        Value::Null => return Ok(None),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => s.trim().to_string(),
        other => return Err(serde::de::Error::custom(format!("expected an amount, got {other}"))),
    };
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map(|d| Some(d.normalize()))
        .map_err(|_| serde::de::Error::custom(format!("expected an amount, got {text:?}")))
}

/// Text from a string, a number (codes such as `vat` or `zip_code` may come as numbers) or `null` (empty).
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => String::new(),
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => return Err(serde::de::Error::custom(format!("expected text, got {other}"))),
    })
}

/// Optional text: `null` and `""` are `None`.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = text(d)?;
    Ok((!s.is_empty()).then_some(s))
}

/// A list that may come as `null`, `""`, `{}` (PHP's empty array) or an object keyed by index.
pub fn list<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    let items: Vec<Value> = match Value::deserialize(d)? {
        Value::Null => Vec::new(),
        Value::String(s) if s.is_empty() => Vec::new(),
        Value::Array(a) => a,
        Value::Object(m) => m.into_iter().map(|(_, v)| v).collect(),
        other => return Err(serde::de::Error::custom(format!("expected a list, got {other}"))),
    };
    items.into_iter().map(|v| serde_json::from_value(v).map_err(serde::de::Error::custom)).collect()
}

/// An optional nested object: `null`, `""`, `[]` (PHP's empty array) are `None`.
pub fn opt_obj<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::Array(a) if a.is_empty() => Ok(None),
        v => serde_json::from_value(v).map(Some).map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(deserialize_with = "int", default)]
        i: i64,
        #[serde(deserialize_with = "dec", default)]
        d: Decimal,
        #[serde(deserialize_with = "text", default)]
        t: String,
    }

    #[test]
    fn numbers_as_strings_nulls_and_floats() {
        let t: T = serde_json::from_str(r#"{"i":"187383","d":65.93,"t":1000}"#).expect("parse");
        assert_eq!((t.i, t.d.to_string(), t.t.as_str()), (187383, "65.93".to_string(), "1000"));
        let t: T = serde_json::from_str(r#"{"i":null,"d":"0.5934","t":null}"#).expect("parse");
        assert_eq!((t.i, t.d.to_string(), t.t.as_str()), (0, "0.5934".to_string(), ""));
        let t: T = serde_json::from_str(r#"{}"#).expect("parse");
        assert_eq!(t.i, 0);
        assert!(serde_json::from_str::<T>(r#"{"i":"abc"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"d":"1,5"}"#).is_err());
    }
}
