//! How the workspace's values are written to and read from SQLite columns: ids and times as text, decimals as
//! text (sqlx-sqlite has no Decimal codec), dates as ISO text, and the opaque keyset cursors of the lists.

use crate::error::{CoreError, CoreResult};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use desk_model::money::Money;
use desk_model::msg::Localized;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

/// A stored UUID.
pub fn uuid(s: &str) -> CoreResult<Uuid> {
    Uuid::parse_str(s).map_err(|e| CoreError::Decode(format!("id {s}: {e}")))
}

/// Ids as a JSON array, bound as one parameter and read with `json_each(?)`: one statement for a whole set,
/// whatever its size (no limit on bound variables).
pub fn ids_json<'a>(ids: impl IntoIterator<Item = &'a Uuid>) -> String {
    serde_json::Value::Array(ids.into_iter().map(|id| serde_json::Value::from(id.to_string())).collect()).to_string()
}

/// A stored optional UUID.
pub fn opt_uuid(s: Option<String>) -> CoreResult<Option<Uuid>> {
    s.as_deref().map(uuid).transpose()
}

/// A stored RFC 3339 time.
pub fn time(s: &str) -> CoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::Decode(format!("time {s}: {e}")))
}

/// A time as stored (RFC 3339, UTC, microseconds): what [`time`] reads back exactly.
pub fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// An amount as a read gives it back (stored as `to_plain_string`, to the cent).
pub fn money_as_stored(m: Money) -> Money {
    decimal(&m.to_plain_string()).map(Money).unwrap_or(m)
}

/// A stored ISO date.
pub fn date(s: &str) -> CoreResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Decode(format!("date {s}: {e}")))
}

/// A stored decimal.
pub fn decimal(s: &str) -> CoreResult<Decimal> {
    Decimal::from_str(s).map_err(|e| CoreError::Decode(format!("decimal {s}: {e}")))
}

/// A decimal as stored: normalised, no exponent (`12.5`, `0`).
pub fn decimal_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A whole-cent amount as the integer sort key stored beside its text (`12.34` → 1234). Only a change of
/// representation: the amount itself comes from desk-model.
pub fn cents(m: Money) -> i64 {
    let mut d = m.cents().0;
    d.rescale(2);
    i64::try_from(d.mantissa()).unwrap_or(if d.is_sign_negative() { i64::MIN } else { i64::MAX })
}

/// An opaque cursor from the sort key and id of a page's last row.
pub fn encode_cursor(key: &str, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{key}\u{1f}{id}"))
}

/// Reads a cursor back; a tampered one is a clear error.
pub fn decode_cursor(cursor: &str) -> CoreResult<(String, String)> {
    let bad = || {
        CoreError::invalid(
            "after",
            Localized::new(
                "Página inválida: volte ao início da lista.",
                "Invalid page: go back to the start of the list.",
            ),
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (k, id) = text.split_once('\u{1f}').ok_or_else(bad)?;
    Ok((k.to_string(), id.to_string()))
}

/// Turns what the user typed into an FTS5 query: every word must match as a word prefix.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = desk_model::text::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_keys() {
        assert_eq!(cents(Money(Decimal::new(1234, 2))), 1234);
        assert_eq!(cents(Money(Decimal::ZERO)), 0);
        assert_eq!(cents(Money(Decimal::new(7, 0))), 700);
        assert_eq!(cents(Money(Decimal::new(-5, 1))), -50);
        assert_eq!(decimal_text(Decimal::new(12500, 3)), "12.5");
    }
}
