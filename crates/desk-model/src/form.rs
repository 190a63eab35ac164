//! Reading what people type into forms and on the command line: numbers in their language (a typed minus
//! kept for the rules to explain), a line's tax from its three fields, and dates in the ways people write them.

use crate::error::FieldError;
use crate::money::{parse_number, NumberKind};
use crate::msg::{Lang, Localized};
use crate::tax::{ExemptionCode, FiscalZone, LineTax, TaxCode};
use chrono::NaiveDate;

/// Reads a number field; blank is zero when `blank_ok`. A typed minus sign is kept so the rules can say
/// "negative quantities are not allowed: issue a credit note" rather than "not a number".
pub(crate) fn read_number(
    text: &str,
    lang: Lang,
    kind: NumberKind,
    blank_ok: bool,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<rust_decimal::Decimal> {
    let t = text.trim();
    if t.is_empty() && blank_ok {
        return Some(rust_decimal::Decimal::ZERO);
    }
    let (negative, body) = match t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    match parse_number(body, lang, kind) {
        Ok(v) if negative => Some(-v),
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(FieldError { field: field.into(), message: e.message() });
            None
        }
    }
}

/// Reads a line or product tax from its three text fields (blank zone = PT, blank code = NOR).
pub fn read_tax(zone: &str, code: &str, exemption: &str) -> Result<LineTax, Localized> {
    let zone = if zone.trim().is_empty() {
        FiscalZone::Pt
    } else {
        FiscalZone::parse(zone).ok_or_else(|| {
            Localized::new(
                format!("Zona fiscal «{}» desconhecida: use PT, PT-AC ou PT-MA.", zone.trim()),
                format!("Unknown fiscal zone «{}»: use PT, PT-AC or PT-MA.", zone.trim()),
            )
        })?
    };
    let code = if code.trim().is_empty() {
        TaxCode::Nor
    } else {
        TaxCode::parse(code).ok_or_else(|| {
            Localized::new(
                format!("Código de IVA «{}» desconhecido: use NOR, INT, RED, ISE ou OUT.", code.trim()),
                format!("Unknown VAT code «{}»: use NOR, INT, RED, ISE or OUT.", code.trim()),
            )
        })?
    };
    let exemption = if exemption.trim().is_empty() {
        None
    } else {
        Some(ExemptionCode::parse(exemption).ok_or_else(|| {
            Localized::new(
                format!("Motivo de isenção «{}» inválido: é M seguido de dois algarismos (M07).", exemption.trim()),
                format!("Invalid exemption reason «{}»: it is M and two digits (M07).", exemption.trim()),
            )
        })?)
    };
    Ok(LineTax { zone, code, exemption })
}

/// Reads a date as people type it: `2026-03-31`, `31/03/2026`, `31-03-2026`, `31.03.2026`. Blank is `None`;
/// an impossible date (31/02) is an error that says so.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, Localized> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let bad = || {
        Localized::new(
            format!("«{t}» não é uma data: escreva dia/mês/ano (31/03/2026)."),
            format!("«{t}» is not a date: write day/month/year (31/03/2026) or 2026-03-31."),
        )
    };
    let nums: Vec<u32> = parts.iter().map(|p| p.trim().parse::<u32>()).collect::<Result<_, _>>().map_err(|_| bad())?;
    let [a, b, c] = nums[..] else { return Err(bad()) };
    let (y, m, d) = if parts[0].trim().len() == 4 {
        (a, b, c)
    } else if parts[2].trim().len() == 4 {
        (c, b, a)
    } else {
        return Err(bad());
    };
    let y = i32::try_from(y).map_err(|_| bad())?;
    if !(1900..=9999).contains(&y) || !(1..=12).contains(&m) {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(y, m, d).map(Some).ok_or_else(|| {
        Localized::new(
            format!("A data {d:02}/{m:02}/{y} não existe: esse mês não tem dia {d}."),
            format!("The date {y}-{m:02}-{d:02} does not exist: that month has no day {d}."),
        )
    })
}

/// The VAT code a spreadsheet from another program writes for a product's tax, as a code this app reads: the code
/// itself (`NOR`), the class's name in Portuguese or English (`Normal`, `Intermédia`, `Reduzida`, `Isento`), or
/// the rate in any zone (23, 22, 16 are the normal rate on the mainland, Madeira and the Azores; 13, 12, 9 the
/// intermediate; 6, 5, 4 the reduced; 0 exempt). Blank stays blank (NOR); anything else is returned as given, for
/// [`read_tax`] to explain.
pub fn tax_code_from_label(text: &str) -> String {
    let t = crate::text::fold(text.trim());
    let t = t.trim_end_matches('%').trim();
    let number = t.replace(',', ".");
    let number = number.trim_end_matches(".00").trim_end_matches(".0");
    let code = match (t, number) {
        ("", _) => "",
        ("normal" | "nor" | "taxa normal", _) | (_, "23" | "22" | "16") => "NOR",
        ("intermedia" | "int" | "intermediate" | "taxa intermedia", _) | (_, "13" | "12" | "9") => "INT",
        ("reduzida" | "red" | "reduced" | "taxa reduzida", _) | (_, "6" | "5" | "4") => "RED",
        ("isento" | "isenta" | "ise" | "exempt" | "isencao", _) | (_, "0") => "ISE",
        ("out" | "outros", _) => "OUT",
        _ => return text.trim().to_string(),
    };
    code.to_string()
}

#[cfg(test)]
mod import_labels {
    use super::tax_code_from_label;

    #[test]
    fn labels_and_rates_of_every_zone_read_as_codes() {
        for (label, code) in [
            ("23%", "NOR"),
            ("Normal", "NOR"),
            ("16", "NOR"),
            ("Intermédia", "INT"),
            ("13,0", "INT"),
            ("Reduzida", "RED"),
            ("6.00", "RED"),
            ("Isento", "ISE"),
            ("0%", "ISE"),
            ("", ""),
            ("17", "17"),
        ] {
            assert_eq!(tax_code_from_label(label), code, "{label}");
        }
    }
}
