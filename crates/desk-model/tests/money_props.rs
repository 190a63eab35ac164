//! Property tests: every formatted number parses back to itself, in both languages.

use desk_model::money::{
    format::format_decimal, format_money, format_percent, format_quantity, format_unit_price, parse_number, Money,
    NumberKind, Percent, Quantity, UnitPrice,
};
use desk_model::msg::Lang;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn lang() -> impl Strategy<Value = Lang> {
    prop_oneof![Just(Lang::Pt), Just(Lang::En)]
}

/// A decimal `units / 10^scale` up to `max` (inclusive) in absolute value.
fn decimal(max_units: i64, scale: u32) -> impl Strategy<Value = Decimal> {
    (0..=max_units).prop_map(move |u| Decimal::new(u, scale))
}

proptest! {
    #[test]
    fn money_round_trips(cents in decimal(100_000_000_000_000, 2), lang in lang()) {
        let text = format_money(Money(cents), lang);
        prop_assert_eq!(parse_number(&text, lang, NumberKind::Money), Ok(cents), "{}", text);
    }

    #[test]
    fn quantities_round_trip(q in decimal(1_000_000_000_000_000, 3), lang in lang()) {
        let text = format_quantity(Quantity(q), lang);
        prop_assert_eq!(parse_number(&text, lang, NumberKind::Quantity), Ok(q), "{}", text);
    }

    #[test]
    fn unit_prices_round_trip(p in decimal(1_000_000_000_000, 6), lang in lang()) {
        let text = format_unit_price(UnitPrice(p), lang);
        prop_assert_eq!(parse_number(&text, lang, NumberKind::UnitPrice), Ok(p), "{}", text);
    }

    #[test]
    fn percentages_round_trip(p in decimal(1_000_000, 4), lang in lang()) {
        let text = format_percent(Percent(p), lang);
        prop_assert_eq!(parse_number(&text, lang, NumberKind::Percent), Ok(p), "{}", text);
    }

    #[test]
    fn plain_grouped_decimals_round_trip(u in decimal(1_000_000_000_000_000, 3), lang in lang()) {
        let text = format_decimal(u, lang, 0, 3);
        prop_assert_eq!(parse_number(&text, lang, NumberKind::Quantity), Ok(u), "{}", text);
    }

    #[test]
    fn parsing_never_panics(s in "\\PC{0,40}", lang in lang()) {
        let _ = parse_number(&s, lang, NumberKind::Money);
        let _ = parse_number(&s, lang, NumberKind::Percent);
    }
}
