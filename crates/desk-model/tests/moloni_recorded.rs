//! The 50 real Moloni invoices recorded in `tests/fixtures/moloni-recorded/v1/invoices/getAll/response.json`:
//! from each one's gross value, commercial discount and VAT rate, the model must give Moloni's `taxes_value`
//! and `net_value` (Moloni's name for the grand total including VAT) to the cent.
//!
//! What the list holds, and so what can be checked: `getAll` returns document headers only, no lines. Each
//! invoice is modelled as one line at its gross value with its commercial discount as a global discount
//! percentage, at the one PT rate its header implies.
//!
//! Skipped before comparing, with the reason printed:
//! - not closed (`status` ≠ 1), foreign currency, a financial discount or a withholding (`deduction_value`):
//!   those change what `net_value` means; none of the 50 has any of these today;
//! - no single rate: when no PT rate class puts the header's VAT within 3 cents, the invoice mixes rates or
//!   has exempt lines, and without its lines the base cannot be split.
//!
//! Not determinable from the header: Moloni's `gross_value` and `comercial_discount_value` are sums of line
//! amounts each already rounded to cents, while the VAT is charged on the unrounded bases (the document
//! method this crate implements), and a small line at another rate would hide inside the 3-cent tolerance
//! above. On a multi-line invoice the header base can therefore differ from the base Moloni taxed, which moves
//! the VAT by a cent or two. Those invoices are listed, not compared exactly; the test still requires them to
//! be within 2 cents (more would be a real disagreement) and requires Moloni's own identity
//! net_value = gross − discount + VAT on every invoice.
//! So that this class cannot quietly absorb a regression, at least 30 of the 50 must reproduce exactly
//! (33 do at the time of writing).

use chrono::NaiveDate;
use desk_model::document::{compute, DocType, DraftDocument, DraftLine};
use desk_model::money::{Money, Percent, Quantity, UnitPrice};
use desk_model::tax::{rate_for, FiscalZone, LineTax, RateClass};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

const RECORDED: &str = "../../tests/fixtures/moloni-recorded/v1/invoices/getAll/response.json";
const MIN_REPRODUCED: usize = 30;

fn money(v: &Value, field: &str) -> Result<Decimal, String> {
    let n = v.get(field).ok_or_else(|| format!("no field {field}"))?;
    let text = match n {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => return Err(format!("{field} is {other}")),
    };
    Decimal::from_str(&text).map_err(|e| format!("{field} = {text}: {e}"))
}

fn int(v: &Value, field: &str) -> i64 {
    v.get(field).and_then(Value::as_i64).unwrap_or(-1)
}

fn date(v: &Value) -> Result<NaiveDate, String> {
    let s = v.get("date").and_then(Value::as_str).ok_or("no date")?;
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").map_err(|e| format!("date {s}: {e}"))
}

enum Outcome {
    Reproduced,
    NotDeterminable { ours: Money, moloni: Money },
    Skipped(&'static str),
}

fn check(inv: &Value) -> Result<Outcome, String> {
    if int(inv, "status") != 1 {
        return Ok(Outcome::Skipped("not closed"));
    }
    if int(inv, "exchange_currency_id") != 0 {
        return Ok(Outcome::Skipped("foreign currency"));
    }
    let gross = money(inv, "gross_value")?;
    let discount = money(inv, "comercial_discount_value")?;
    let taxes = money(inv, "taxes_value")?;
    let net_value = money(inv, "net_value")?;
    if !money(inv, "financial_discount_value")?.is_zero() {
        return Ok(Outcome::Skipped("financial discount"));
    }
    if !money(inv, "deduction_value")?.is_zero() {
        return Ok(Outcome::Skipped("withholding"));
    }
    if gross <= Decimal::ZERO {
        return Ok(Outcome::Skipped("no gross value"));
    }
    if net_value != gross - discount + taxes {
        return Err(format!("Moloni's identity fails: {net_value} ≠ {gross} − {discount} + {taxes}"));
    }
    let day = date(inv)?;
    let base = gross - discount;
    let tolerance = Decimal::new(3, 2);
    let classes: Vec<RateClass> = [RateClass::Normal, RateClass::Intermediate, RateClass::Reduced]
        .into_iter()
        .filter(|c| rate_for(FiscalZone::Pt, *c, day).is_ok_and(|p| (base * p.fraction() - taxes).abs() <= tolerance))
        .collect();
    let [class] = classes[..] else {
        return Ok(Outcome::Skipped("no single rate (mixed or exempt lines)"));
    };

    let mut draft = DraftDocument::new(DocType::Ft, day);
    draft.lines.push(DraftLine {
        description: "Moloni invoice".into(),
        quantity: Quantity(Decimal::ONE),
        unit_price: UnitPrice(gross),
        discount: Percent::ZERO,
        tax: LineTax::rate(FiscalZone::Pt, class),
        withholding: None,
    });
    draft.global_discount = Percent(discount / gross * Decimal::ONE_HUNDRED);
    let t = compute(&draft).map_err(|e| e.to_string())?;
    if t.gross != Money(gross) || t.net != Money(base) {
        return Err(format!("model base {} / gross {} differ from Moloni's {base} / {gross}", t.net.0, t.gross.0));
    }
    if t.vat == Money(taxes) && t.total == Money(net_value) {
        return Ok(Outcome::Reproduced);
    }
    if (t.vat.0 - taxes).abs() > Decimal::new(2, 2) {
        return Err(format!("VAT {} vs Moloni {taxes}: more than per-line rounding explains", t.vat.0));
    }
    Ok(Outcome::NotDeterminable { ours: t.vat, moloni: Money(taxes) })
}

#[test]
fn recorded_moloni_invoices_are_reproduced() {
    let path = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join(RECORDED);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("the recorded Moloni invoices are missing at {}: {e}. They are part of the repository, in tests/fixtures/moloni-recorded.", path.display())
    });
    let invoices: Vec<Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not a JSON list: {e}", path.display()));
    assert_eq!(invoices.len(), 50, "the recording holds 50 invoices");

    let (mut reproduced, mut undetermined, mut skipped, mut failures) = (0, Vec::new(), Vec::new(), Vec::new());
    for inv in &invoices {
        let number = int(inv, "number");
        match check(inv) {
            Ok(Outcome::Reproduced) => reproduced += 1,
            Ok(Outcome::NotDeterminable { ours, moloni }) => {
                undetermined.push(format!("{number} ({} vs {})", ours.0, moloni.0))
            }
            Ok(Outcome::Skipped(why)) => skipped.push(format!("{number}: {why}")),
            Err(e) => failures.push(format!("invoice {number}: {e}")),
        }
    }
    println!("Moloni recorded invoices: {} in the file", invoices.len());
    println!("  reproduced to the cent (VAT and total): {reproduced}");
    println!("  within 2 cents, not determinable from header totals (VAT ours vs Moloni): {}", undetermined.len());
    for u in &undetermined {
        println!("    {u}");
    }
    println!("  skipped: {}", skipped.len());
    for s in &skipped {
        println!("    {s}");
    }
    assert!(failures.is_empty(), "invoices the model disagrees with:\n{}", failures.join("\n"));
    assert!(
        reproduced >= MIN_REPRODUCED,
        "only {reproduced} invoices reproduced exactly, expected at least {MIN_REPRODUCED}"
    );
}
