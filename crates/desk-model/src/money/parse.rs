//! Reading the numbers people type, in pt-PT and English: "1.234,56", "1234.56", "1 234,56", "12,5 %", "€ 10", "10 €".
//!
//! One separator followed by exactly three digits ("1.234", "1,234") is read the way the user's language writes
//! it: thousands in pt-PT for ".", in English for ","; the other separator is the decimal one. Everything else is
//! unambiguous. So `parse_number(&format_*(x, lang), lang, kind)` always gives `x` back.

use crate::msg::{Lang, Localized};
use rust_decimal::Decimal;
use std::str::FromStr;

/// What a number is for, which sets its decimals, its symbols and its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    /// An amount in euros: 2 decimals, `€`/`EUR` allowed, up to 1 000 000 000 000.
    Money,
    /// A quantity: 3 decimals, up to 1 000 000 000 000.
    Quantity,
    /// A unit price in euros: 6 decimals (as Moloni allows), `€`/`EUR` allowed, up to 1 000 000 000 000.
    UnitPrice,
    /// A percentage: 4 decimals, `%` allowed, 0 to 100.
    Percent,
}

impl NumberKind {
    /// The most decimals it may have (trailing zeros do not count).
    pub fn max_decimals(self) -> u32 {
        match self {
            NumberKind::Money => 2,
            NumberKind::Quantity => 3,
            NumberKind::UnitPrice => 6,
            NumberKind::Percent => 4,
        }
    }

    /// The largest value accepted: anything bigger is a typing slip.
    pub fn max_value(self) -> Decimal {
        match self {
            NumberKind::Percent => Decimal::ONE_HUNDRED,
            _ => Decimal::from(1_000_000_000_000_i64),
        }
    }

    fn takes_currency(self) -> bool {
        matches!(self, NumberKind::Money | NumberKind::UnitPrice)
    }
}

/// Why what was typed is not a number of the kind asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Nothing was typed.
    #[error("empty")]
    Empty,
    /// A letter or symbol that has no place in a number.
    #[error("not a number: unexpected {0:?}")]
    NotANumber(char),
    /// `€` or `%` where this kind of number does not take it (a quantity in euros, an amount in percent).
    #[error("symbol {0:?} does not belong to this number")]
    WrongSymbol(char),
    /// Separators only, no digits.
    #[error("no digits")]
    NoDigits,
    /// Two decimal separators, as in "1,2,3" or "1.234,5,6".
    #[error("two decimal separators")]
    TwoDecimalSeparators,
    /// Thousands separators in the wrong place, as in "12.34,5" or "1 23".
    #[error("misplaced thousands separator")]
    BadGrouping,
    /// More decimals than the kind allows.
    #[error("too many decimals (at most {max})")]
    TooManyDecimals {
        /// Decimals allowed.
        max: u32,
    },
    /// Below zero where only zero or more makes sense.
    #[error("negative")]
    Negative,
    /// Beyond the largest plausible value.
    #[error("too large (at most {max})")]
    TooLarge {
        /// The largest value accepted.
        max: Decimal,
    },
}

impl NumberError {
    /// The message for the user, saying what to type instead.
    pub fn message(&self) -> Localized {
        match self {
            NumberError::Empty => Localized::new("Indique um número.", "Enter a number."),
            NumberError::NotANumber(c) => Localized::new(
                format!("«{c}» não pode constar de um número. Use só algarismos, vírgula e ponto."),
                format!("«{c}» cannot be part of a number. Use digits, comma and dot only."),
            ),
            NumberError::WrongSymbol(c) => Localized::new(
                format!("Retire «{c}»: este campo não é desse tipo."),
                format!("Remove «{c}»: this field is not of that kind."),
            ),
            NumberError::NoDigits => Localized::new("Faltam os algarismos.", "The digits are missing."),
            NumberError::TwoDecimalSeparators => Localized::new(
                "Há mais de um separador decimal. Use uma só vírgula para as casas decimais (ex.: 1.234,56).",
                "There is more than one decimal separator. Use one dot for the decimals (e.g. 1,234.56).",
            ),
            NumberError::BadGrouping => Localized::new(
                "Separador de milhares fora do sítio: os grupos têm 3 algarismos (ex.: 1.234.567,89).",
                "Thousands separator out of place: groups have 3 digits (e.g. 1,234,567.89).",
            ),
            NumberError::TooManyDecimals { max } => {
                Localized::new(format!("No máximo {max} casas decimais."), format!("At most {max} decimal places."))
            }
            NumberError::Negative => Localized::new(
                "Valores negativos não são permitidos; para corrigir um documento emita uma nota de crédito.",
                "Negative values are not allowed; to correct a document issue a credit note.",
            ),
            NumberError::TooLarge { max } => Localized::new(
                format!("Valor demasiado grande (máximo {max}). Verifique o número."),
                format!("Value too large (at most {max}). Check the number."),
            ),
        }
    }
}

const CURRENCY: [&str; 3] = ["€", "EUR", "eur"];

fn strip_sign(s: &str) -> (bool, &str) {
    for sign in ["-", "\u{2212}"] {
        if let Some(rest) = s.strip_prefix(sign) {
            return (true, rest.trim_start());
        }
    }
    (false, s.strip_prefix('+').map_or(s, str::trim_start))
}

/// Strips the unit symbols around the digits; reports one that does not fit `kind`.
fn strip_units(s: &str, kind: NumberKind) -> Result<&str, NumberError> {
    let mut s = s;
    for c in CURRENCY {
        if let Some(rest) = s.strip_prefix(c) {
            s = rest.trim_start();
            if !kind.takes_currency() {
                return Err(NumberError::WrongSymbol('€'));
            }
        }
        if let Some(rest) = s.strip_suffix(c) {
            s = rest.trim_end();
            if !kind.takes_currency() {
                return Err(NumberError::WrongSymbol('€'));
            }
        }
    }
    if let Some(rest) = s.strip_suffix('%') {
        if kind != NumberKind::Percent {
            return Err(NumberError::WrongSymbol('%'));
        }
        s = rest.trim_end();
    }
    Ok(s)
}

/// Checks thousands groups: the first 1–3 digits, every other exactly 3. Returns the digits.
fn ungroup(int_part: &str, seps: &[char]) -> Result<String, NumberError> {
    let groups: Vec<&str> = int_part.split(|c| seps.contains(&c)).collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(NumberError::BadGrouping);
        }
    }
    Ok(groups.concat())
}

/// Reads a number as typed, for the given UI language and kind. The result is exact and never negative.
pub fn parse_number(input: &str, lang: Lang, kind: NumberKind) -> Result<Decimal, NumberError> {
    let spaced: String =
        input.chars().map(|c| if matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}') { ' ' } else { c }).collect();
    let s = spaced.trim();
    if s.is_empty() {
        return Err(NumberError::Empty);
    }
    let (neg_before, s) = strip_sign(s);
    let s = strip_units(s, kind)?;
    let (neg_after, s) = strip_sign(s);
    if neg_before && neg_after {
        return Err(NumberError::NotANumber('-'));
    }
    if let Some(bad) = s.chars().find(|c| !(c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))) {
        return Err(match bad {
            '€' | '%' => NumberError::WrongSymbol(bad),
            _ => NumberError::NotANumber(bad),
        });
    }
    if !s.chars().any(|c| c.is_ascii_digit()) {
        return Err(NumberError::NoDigits);
    }

    let (int_part, frac_part) = split_decimal(s, lang)?;
    if frac_part.contains(|c: char| !c.is_ascii_digit()) {
        return Err(NumberError::BadGrouping);
    }
    let group_seps: Vec<char> = [' ', '.', ','].into_iter().filter(|c| int_part.contains(*c)).collect();
    if group_seps.len() > 1 {
        return Err(NumberError::BadGrouping);
    }
    let int_digits = ungroup(int_part, &group_seps)?;
    let int_digits = int_digits.trim_start_matches('0');
    let frac_digits = frac_part.trim_end_matches('0');
    if frac_digits.len() > kind.max_decimals() as usize {
        return Err(NumberError::TooManyDecimals { max: kind.max_decimals() });
    }
    if int_digits.len() > 13 {
        return Err(NumberError::TooLarge { max: kind.max_value() });
    }
    let text = format!("{}.{}", if int_digits.is_empty() { "0" } else { int_digits }, frac_digits);
    let value = Decimal::from_str(text.trim_end_matches('.')).map_err(|_| NumberError::NotANumber('.'))?;
    if (neg_before || neg_after) && !value.is_zero() {
        return Err(NumberError::Negative);
    }
    if value > kind.max_value() {
        return Err(NumberError::TooLarge { max: kind.max_value() });
    }
    Ok(value.normalize())
}

/// Splits at the decimal separator, deciding which of "." and "," it is.
fn split_decimal(s: &str, lang: Lang) -> Result<(&str, &str), NumberError> {
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let decimal = match (dots, commas) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let (sep, count) = if dots > 0 { ('.', dots) } else { (',', commas) };
            if count > 1 {
                // Several of one separator can only be thousands; if they are not, the user meant decimals twice.
                return if ungroup(s, &[sep]).is_ok() { Ok((s, "")) } else { Err(NumberError::TwoDecimalSeparators) };
            }
            let (int_part, frac) = s.split_once(sep).unwrap_or((s, ""));
            let looks_grouped =
                frac.len() == 3 && (1..=3).contains(&int_part.len()) && !int_part.starts_with('0') && !s.contains(' ');
            let thousands_sep = match lang {
                Lang::Pt => '.',
                Lang::En => ',',
            };
            if looks_grouped && sep == thousands_sep {
                None
            } else {
                Some(sep)
            }
        }
        _ => {
            let last = s.rfind(['.', ',']).and_then(|i| s[i..].chars().next());
            let sep = last.unwrap_or('.');
            if s.matches(sep).count() > 1 {
                return Err(NumberError::TwoDecimalSeparators);
            }
            Some(sep)
        }
    };
    Ok(match decimal {
        Some(sep) => s.rsplit_once(sep).unwrap_or((s, "")),
        None => (s, ""),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn pt(s: &str, k: NumberKind) -> Result<Decimal, NumberError> {
        parse_number(s, Lang::Pt, k)
    }
    fn en(s: &str, k: NumberKind) -> Result<Decimal, NumberError> {
        parse_number(s, Lang::En, k)
    }
    use NumberKind::*;

    #[test]
    fn what_people_type() {
        for lang in [Lang::Pt, Lang::En] {
            let p = |s| parse_number(s, lang, Money);
            assert_eq!(p("1.234,56"), Ok(dec!(1234.56)), "{lang:?}");
            assert_eq!(p("1,234.56"), Ok(dec!(1234.56)));
            assert_eq!(p("1234.56"), Ok(dec!(1234.56)));
            assert_eq!(p("1234,56"), Ok(dec!(1234.56)));
            assert_eq!(p("1 234,56"), Ok(dec!(1234.56)));
            assert_eq!(p("1\u{a0}234,56 €"), Ok(dec!(1234.56)));
            assert_eq!(p("€ 10"), Ok(dec!(10)));
            assert_eq!(p("10 €"), Ok(dec!(10)));
            assert_eq!(p("€10"), Ok(dec!(10)));
            assert_eq!(p("10 EUR"), Ok(dec!(10)));
            assert_eq!(p("1.234.567"), Ok(dec!(1234567)));
            assert_eq!(p("1.234.567,8"), Ok(dec!(1234567.8)));
            assert_eq!(p(",5"), Ok(dec!(0.5)));
            assert_eq!(p("0,50"), Ok(dec!(0.5)));
            assert_eq!(p("  7  "), Ok(dec!(7)));
            assert_eq!(p("1,5"), Ok(dec!(1.5)));
            assert_eq!(p("1.5"), Ok(dec!(1.5)));
            assert_eq!(p("-0"), Ok(dec!(0)));
            assert_eq!(parse_number("12,5 %", lang, Percent), Ok(dec!(12.5)));
            assert_eq!(parse_number("12.5%", lang, Percent), Ok(dec!(12.5)));
            assert_eq!(parse_number("0,123456", lang, UnitPrice), Ok(dec!(0.123456)));
            assert_eq!(parse_number("2,370000000", lang, UnitPrice), Ok(dec!(2.37)));
        }
    }

    #[test]
    fn one_separator_before_three_digits_follows_the_language() {
        assert_eq!(pt("1.234", Quantity), Ok(dec!(1234)));
        assert_eq!(en("1.234", Quantity), Ok(dec!(1.234)));
        assert_eq!(pt("1,234", Quantity), Ok(dec!(1.234)));
        assert_eq!(en("1,234", Quantity), Ok(dec!(1234)));
        assert_eq!(pt("0.234", Quantity), Ok(dec!(0.234)));
        assert_eq!(pt("1234.567", Quantity), Ok(dec!(1234.567)));
        assert_eq!(pt("1 234.567", Quantity), Ok(dec!(1234.567)));
    }

    #[test]
    fn precise_errors() {
        assert_eq!(pt("", Money), Err(NumberError::Empty));
        assert_eq!(pt("   ", Money), Err(NumberError::Empty));
        assert_eq!(pt("abc", Money), Err(NumberError::NotANumber('a')));
        assert_eq!(pt("12a", Money), Err(NumberError::NotANumber('a')));
        assert_eq!(pt("1e5", Money), Err(NumberError::NotANumber('e')));
        assert_eq!(pt("1,2,3", Money), Err(NumberError::TwoDecimalSeparators));
        assert_eq!(pt("1.234,5,6", Money), Err(NumberError::TwoDecimalSeparators));
        assert_eq!(pt("1.2.3", Money), Err(NumberError::TwoDecimalSeparators));
        assert_eq!(pt("12.34,5", Money), Err(NumberError::BadGrouping));
        assert_eq!(pt("1 23", Money), Err(NumberError::BadGrouping));
        assert_eq!(pt("1 234.567,5", Money), Err(NumberError::BadGrouping));
        assert_eq!(pt("1,5 5", Money), Err(NumberError::BadGrouping));
        assert_eq!(pt("1,2345", Quantity), Err(NumberError::TooManyDecimals { max: 3 }));
        assert_eq!(pt("1,234", Money), Err(NumberError::TooManyDecimals { max: 2 }));
        assert_eq!(pt("0,1234567", UnitPrice), Err(NumberError::TooManyDecimals { max: 6 }));
        assert_eq!(pt("-5", Quantity), Err(NumberError::Negative));
        assert_eq!(pt("- 5 €", Money), Err(NumberError::Negative));
        assert_eq!(pt("€ -5", Money), Err(NumberError::Negative));
        assert_eq!(pt("−5", Money), Err(NumberError::Negative));
        assert_eq!(pt("--5", Money), Err(NumberError::NotANumber('-')));
        assert_eq!(pt("1000000000001", Money), Err(NumberError::TooLarge { max: dec!(1000000000000) }));
        assert_eq!(
            pt("99999999999999999999999999999999", Money),
            Err(NumberError::TooLarge { max: dec!(1000000000000) })
        );
        assert_eq!(pt("100,01 %", Percent), Err(NumberError::TooLarge { max: dec!(100) }));
        assert_eq!(pt("5 €", Quantity), Err(NumberError::WrongSymbol('€')));
        assert_eq!(pt("5 %", Money), Err(NumberError::WrongSymbol('%')));
        assert_eq!(pt("5 € €", Money), Err(NumberError::WrongSymbol('€')));
        assert_eq!(pt(".", Money), Err(NumberError::NoDigits));
        assert_eq!(pt("€", Money), Err(NumberError::NoDigits));
    }

    #[test]
    fn every_error_has_both_languages() {
        let e = NumberError::TooManyDecimals { max: 3 }.message();
        assert!(e.pt.contains('3') && e.en.contains('3'));
    }
}
