//! One page of a list with its cursor and count, and how a count reads ("mais de 10.000").

use crate::msg::Lang;
use serde::{Deserialize, Serialize};

/// One page of a list, with an opaque cursor for the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Pass this as `after` to get the next page; `None` on the last page.
    pub next: Option<String>,
    /// How many rows match in all; when `total_is_lower_bound`, at least this many (the engine stops counting
    /// at a cap so a broad filter over 500k rows still answers fast).
    pub total: u64,
    /// `total` is a lower bound ("more than 10,000"), not the exact count.
    #[serde(default)]
    pub total_is_lower_bound: bool,
}

impl<T> Page<T> {
    /// The count as people read it: "1.234" or "mais de 10.000" (pt-PT), "1,234" or "more than 10,000" (en).
    pub fn total_text(&self, lang: Lang) -> String {
        count_text(self.total, self.total_is_lower_bound, lang)
    }
}

/// A count with the language's thousands grouping, "mais de …" / "more than …" when it is a lower bound.
pub fn count_text(n: u64, lower_bound: bool, lang: Lang) -> String {
    let digits = crate::money::format::format_decimal(rust_decimal::Decimal::from(n), lang, 0, 0);
    match (lower_bound, lang) {
        (false, _) => digits,
        (true, Lang::Pt) => format!("mais de {digits}"),
        (true, Lang::En) => format!("more than {digits}"),
    }
}

#[cfg(test)]
mod count_tests {
    use super::*;

    #[test]
    fn counts_read_in_each_language() {
        assert_eq!(count_text(3430, false, Lang::Pt), "3.430");
        assert_eq!(count_text(3430, false, Lang::En), "3,430");
        assert_eq!(count_text(7, false, Lang::Pt), "7");
        assert_eq!(count_text(10_000, true, Lang::Pt), "mais de 10.000");
        assert_eq!(count_text(10_000, true, Lang::En), "more than 10,000");
    }

    #[test]
    fn an_older_page_without_the_flag_reads_as_exact() {
        let p: Page<u8> = serde_json::from_str(r#"{"items":[1],"next":null,"total":1}"#).expect("page");
        assert!(!p.total_is_lower_bound);
    }
}
