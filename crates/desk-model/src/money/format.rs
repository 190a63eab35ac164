//! Writing numbers for people: "1.234,56 €" in pt-PT (dot thousands, comma decimals, space and € after) and
//! "€1,234.56" in English. What these write, [`super::parse_number`] reads back in the same language.

use super::{round_dp, Money, Percent, Quantity, UnitPrice};
use crate::msg::Lang;
use rust_decimal::Decimal;

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Pt => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// Writes `value` rounded to `max_dp` decimals, keeping at least `min_dp`, with the language's thousands
/// grouping. The sign, if any, comes first.
pub fn format_decimal(value: Decimal, lang: Lang, min_dp: u32, max_dp: u32) -> String {
    let (group, decimal) = separators(lang);
    let rounded = round_dp(value, max_dp).normalize();
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let mut abs = rounded.abs();
    if abs.scale() < min_dp {
        abs.rescale(min_dp);
    }
    let text = abs.to_string();
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 2);
    if negative {
        out.push('-');
    }
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac_part.is_empty() {
        out.push(decimal);
        out.push_str(frac_part);
    }
    out
}

/// An amount in euros, rounded to cents: "1.234,56 €" (pt-PT), "€1,234.56" (en); negatives "-1,00 €", "-€1.00".
pub fn format_money(amount: Money, lang: Lang) -> String {
    let text = format_decimal(amount.0, lang, 2, 2);
    match lang {
        Lang::Pt => format!("{text} €"),
        Lang::En => match text.strip_prefix('-') {
            Some(abs) => format!("-€{abs}"),
            None => format!("€{text}"),
        },
    }
}

/// A quantity with as many decimals as it has (at most 3): "2", "1,5", "1.234,125".
pub fn format_quantity(quantity: Quantity, lang: Lang) -> String {
    format_decimal(quantity.0, lang, 0, 3)
}

/// A unit price with 2 to 6 decimals, without the currency sign (the column header says €): "2,37", "0,123456".
pub fn format_unit_price(price: UnitPrice, lang: Lang) -> String {
    format_decimal(price.0, lang, 2, 6)
}

/// A percentage: "23 %", "12,5 %" (pt-PT), "23%", "12.5%" (en).
pub fn format_percent(percent: Percent, lang: Lang) -> String {
    let text = format_decimal(percent.0, lang, 0, 4);
    match lang {
        Lang::Pt => format!("{text} %"),
        Lang::En => format!("{text}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_in_both_languages() {
        let m = Money(dec!(1234.56));
        assert_eq!(format_money(m, Lang::Pt), "1.234,56 €");
        assert_eq!(format_money(m, Lang::En), "€1,234.56");
        assert_eq!(format_money(Money(dec!(0.1495)), Lang::Pt), "0,15 €");
        assert_eq!(format_money(Money(dec!(1234567.8)), Lang::Pt), "1.234.567,80 €");
        assert_eq!(format_money(Money(dec!(100)), Lang::En), "€100.00");
        assert_eq!(format_money(Money(dec!(-1)), Lang::Pt), "-1,00 €");
        assert_eq!(format_money(Money(dec!(-1)), Lang::En), "-€1.00");
        assert_eq!(format_money(Money(dec!(-0.001)), Lang::En), "€0.00");
    }

    #[test]
    fn quantities_prices_percentages() {
        assert_eq!(format_quantity(Quantity(dec!(2.000)), Lang::Pt), "2");
        assert_eq!(format_quantity(Quantity(dec!(1.5)), Lang::Pt), "1,5");
        assert_eq!(format_quantity(Quantity(dec!(1234.125)), Lang::Pt), "1.234,125");
        assert_eq!(format_quantity(Quantity(dec!(1234.125)), Lang::En), "1,234.125");
        assert_eq!(format_unit_price(UnitPrice(dec!(2.37)), Lang::Pt), "2,37");
        assert_eq!(format_unit_price(UnitPrice(dec!(10)), Lang::En), "10.00");
        assert_eq!(format_unit_price(UnitPrice(dec!(0.123456)), Lang::Pt), "0,123456");
        assert_eq!(format_percent(Percent(dec!(23)), Lang::Pt), "23 %");
        assert_eq!(format_percent(Percent(dec!(12.5)), Lang::Pt), "12,5 %");
        assert_eq!(format_percent(Percent(dec!(12.5)), Lang::En), "12.5%");
    }
}
