//! The document form's withholding and supply date reach the draft, its totals and back (issue 13): what
//! `desk documents add --withholding 23` and the editor send.

use desk_model::document::compute;
use desk_model::document::DocType;
use desk_model::ipc::{DocumentInput, LineInput};
use desk_model::money::{Money, Percent};
use desk_model::msg::Lang;
use rust_decimal::Decimal;

fn input(withholding: &str, supply: &str) -> DocumentInput {
    let mut i = DocumentInput::new(DocType::Ft, "2026-03-10");
    i.lang = Lang::Pt;
    i.withholding = withholding.into();
    i.supply_date = supply.into();
    i.lines = vec![LineInput {
        description: "Honorários".into(),
        quantity: "1".into(),
        unit_price: "1000".into(),
        tax_code: "NOR".into(),
        ..LineInput::default()
    }];
    i
}

#[test]
fn rule_cirs_101_withholding_typed_in_the_form_reaches_the_totals() {
    // 1,000.00 at 23 % VAT = 1,230.00; 11,5 % withheld = 115.00; payable 1,115.00.
    let d = input("11,5", "05/03/2026").to_draft().expect("draft");
    assert_eq!(d.withholding, Some(Percent(Decimal::new(115, 1))));
    assert_eq!(d.supply_date.map(|s| s.to_string()).as_deref(), Some("2026-03-05"));
    let t = compute(&d).expect("totals");
    assert_eq!(
        (t.total, t.withholding, t.payable),
        (Money::from_cents(123_000), Money::from_cents(11_500), Money::from_cents(111_500))
    );
    assert_eq!(input("", "").to_draft().map(|d| (d.withholding, d.supply_date)), Ok((None, None)));
    let errors = input("abc", "32/13/2026").to_draft().expect_err("bad input");
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["withholding", "supply_date"]);
}
