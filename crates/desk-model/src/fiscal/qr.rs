//! The QR code payload of Portaria 195/2020 (AT "Especificações Técnicas Código QR"; pt-invoicing §4.5–4.7):
//! `CODE:value` fields A…S in the spec's order, joined by `*`, EUR amounts with a dot and 2 decimals,
//! optional fields omitted when there is nothing to say, 1 to 3 fiscal spaces (I, J, K), `I1:0` without VAT,
//! and every field within its maximum length.

use crate::document::VatSummaryRow;
use crate::money::Money;
use crate::msg::Localized;
use crate::tax::TaxCode;
use chrono::{Datelike, NaiveDate};

/// One fiscal space (QR I, J or K): its region and the accumulated bases and VAT per rate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QrSpace {
    /// `PT`, `PT-AC`, `PT-MA` or an ISO country code (field 1).
    pub region: String,
    /// Base of exempt (ISE) lines (field 2).
    pub exempt_base: Option<Money>,
    /// Base at the reduced rate (field 3).
    pub reduced_base: Option<Money>,
    /// VAT at the reduced rate (field 4).
    pub reduced_vat: Option<Money>,
    /// Base at the intermediate rate (field 5).
    pub intermediate_base: Option<Money>,
    /// VAT at the intermediate rate (field 6).
    pub intermediate_vat: Option<Money>,
    /// Base at the normal rate (field 7).
    pub normal_base: Option<Money>,
    /// VAT at the normal rate (field 8).
    pub normal_vat: Option<Money>,
}

/// Everything the QR code says, structured. Optional fields are `None` when there is no information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrInput {
    /// A: issuer NIF, 9 digits without prefix.
    pub issuer_nif: String,
    /// B: buyer's tax id without prefix; `999999990` for a consumer without NIF.
    pub buyer_tax_id: String,
    /// C: buyer's country (ISO alpha-2), or `Desconhecido`.
    pub buyer_country: String,
    /// D: SAF-T document type (`FT`, `FS`, `RG`…).
    pub doc_type: String,
    /// E: SAF-T status (`N`, `A`…).
    pub status: String,
    /// F: document date.
    pub date: NaiveDate,
    /// G: document unique id, `FT AB2019/0035`.
    pub document_id: String,
    /// H: ATCUD without the `ATCUD:` prefix.
    pub atcud: String,
    /// I, J, K: up to three fiscal spaces; none means the document has no VAT (`I1:0`).
    pub spaces: Vec<QrSpace>,
    /// L: not subject / not taxable / other situations (OUT).
    pub not_subject: Option<Money>,
    /// M: stamp duty.
    pub stamp_duty: Option<Money>,
    /// N: total taxes (all VAT plus stamp duty).
    pub total_taxes: Money,
    /// O: document total with taxes (GrossTotal), not reduced by withholding.
    pub gross_total: Money,
    /// P: withholding tax.
    pub withholding: Option<Money>,
    /// Q: the 4 signature characters.
    pub hash4: String,
    /// R: certificate number of the issuing program.
    pub certificate: String,
    /// S: other information, `;`-separated (e.g. `NU;0.80`).
    pub other: Option<String>,
}

/// Why a QR payload cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// A mandatory field is empty.
    #[error("QR field {0} is empty")]
    Missing(String),
    /// A field is longer than the spec allows.
    #[error("QR field {field} has {len} characters, at most {max}")]
    TooLong {
        /// Field code.
        field: String,
        /// Its length.
        len: usize,
        /// The maximum.
        max: usize,
    },
    /// A field holds `*` (the field separator) or a line break.
    #[error("QR field {0} contains a separator character")]
    Separator(String),
    /// A negative amount (QR amounts are never negative).
    #[error("QR field {0} is negative")]
    Negative(String),
    /// More than three fiscal spaces.
    #[error("at most 3 fiscal spaces")]
    TooManySpaces,
}

impl QrError {
    /// The message for the user (this is a data problem in what Moloni returned or in the app).
    pub fn message(&self) -> Localized {
        Localized::new(
            format!("Não foi possível compor o código QR ({self}). Volte a sincronizar o documento."),
            format!("Could not build the QR code ({self}). Sync the document again."),
        )
    }
}

const AMOUNT_MAX: usize = 16;

struct Writer {
    fields: Vec<String>,
}

impl Writer {
    fn text(&mut self, code: &str, value: &str, max: usize) -> Result<(), QrError> {
        if value.is_empty() {
            return Err(QrError::Missing(code.into()));
        }
        if value.contains(['*', '\n', '\r']) {
            return Err(QrError::Separator(code.into()));
        }
        let len = value.chars().count();
        if len > max {
            return Err(QrError::TooLong { field: code.into(), len, max });
        }
        self.fields.push(format!("{code}:{value}"));
        Ok(())
    }

    fn amount(&mut self, code: &str, value: Money) -> Result<(), QrError> {
        if value.cents().is_negative() {
            return Err(QrError::Negative(code.into()));
        }
        self.text(code, &value.to_plain_string(), AMOUNT_MAX)
    }

    fn optional(&mut self, code: &str, value: Option<Money>) -> Result<(), QrError> {
        value.map_or(Ok(()), |v| self.amount(code, v))
    }
}

/// QR field P from a document's totals: the withholding when there is any (`++`: written when the information
/// exists, omitted otherwise), so O stays the gross total and S's amount to pay is O − P.
pub fn withholding_field(totals: &crate::document::Totals) -> Option<Money> {
    (!totals.withholding.is_zero()).then_some(totals.withholding)
}

/// Builds the payload string to encode in the QR image (not URL-encoded).
pub fn qr_payload(q: &QrInput) -> Result<String, QrError> {
    if q.spaces.len() > 3 {
        return Err(QrError::TooManySpaces);
    }
    let mut w = Writer { fields: Vec::with_capacity(40) };
    w.text("A", &q.issuer_nif, 9)?;
    w.text("B", &q.buyer_tax_id, 30)?;
    w.text("C", &q.buyer_country, 12)?;
    w.text("D", &q.doc_type, 2)?;
    w.text("E", &q.status, 1)?;
    w.text("F", &format!("{:04}{:02}{:02}", q.date.year(), q.date.month(), q.date.day()), 8)?;
    w.text("G", &q.document_id, 60)?;
    w.text("H", &q.atcud, 70)?;
    if q.spaces.is_empty() {
        w.text("I1", "0", 5)?;
    }
    for (space, letter) in q.spaces.iter().zip(['I', 'J', 'K']) {
        w.text(&format!("{letter}1"), &space.region, 5)?;
        let amounts = [
            space.exempt_base,
            space.reduced_base,
            space.reduced_vat,
            space.intermediate_base,
            space.intermediate_vat,
            space.normal_base,
            space.normal_vat,
        ];
        for (n, value) in (2..).zip(amounts) {
            w.optional(&format!("{letter}{n}"), value)?;
        }
    }
    w.optional("L", q.not_subject)?;
    w.optional("M", q.stamp_duty)?;
    w.amount("N", q.total_taxes)?;
    w.amount("O", q.gross_total)?;
    w.optional("P", q.withholding)?;
    w.text("Q", &q.hash4, 4)?;
    w.text("R", &q.certificate, 4)?;
    if let Some(s) = q.other.as_deref().filter(|s| !s.is_empty()) {
        w.text("S", s, 65)?;
    }
    Ok(w.fields.join("*"))
}

/// Fills `Some` with a non-zero amount added to what is there.
fn add(slot: &mut Option<Money>, value: Money) {
    if !value.is_zero() {
        *slot = Some(slot.unwrap_or(Money::ZERO) + value);
    }
}

impl QrSpace {
    /// The fiscal spaces and the not-subject amount (L) of a VAT summary: one space per zone of its rows, in
    /// summary order; OUT rows go to L. Zero amounts are left out, as the spec asks. An invoice whose lines are
    /// all OUT still names its zone (`I1:PT` with L), since `I1:0` is for SAF-T 4.2/4.3/4.4 documents without
    /// VAT only (fiscal-review L3).
    pub fn from_summary(summary: &[VatSummaryRow]) -> (Vec<QrSpace>, Option<Money>) {
        let mut spaces: Vec<QrSpace> = Vec::new();
        let mut not_subject = None;
        for row in summary {
            let region = row.tax.zone.code();
            let idx = match spaces.iter().position(|s| s.region == region) {
                Some(i) => i,
                None => {
                    spaces.push(QrSpace { region: region.into(), ..QrSpace::default() });
                    spaces.len() - 1
                }
            };
            if row.tax.code == TaxCode::Out {
                add(&mut not_subject, row.base);
                continue;
            }
            let s = &mut spaces[idx];
            let (base, vat) = match row.tax.code {
                TaxCode::Ise | TaxCode::Out => (&mut s.exempt_base, None), // OUT went to L above
                TaxCode::Red => (&mut s.reduced_base, Some(&mut s.reduced_vat)),
                TaxCode::Int => (&mut s.intermediate_base, Some(&mut s.intermediate_vat)),
                TaxCode::Nor => (&mut s.normal_base, Some(&mut s.normal_vat)),
            };
            add(base, row.base);
            if let Some(vat) = vat {
                add(vat, row.vat);
            }
        }
        (spaces, not_subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{compute, DocType, DraftDocument, DraftLine};
    use crate::money::{Percent, Quantity, UnitPrice};
    use crate::tax::{FiscalZone, LineTax, RateClass};
    use rust_decimal_macros::dec;

    fn m(s: rust_decimal::Decimal) -> Option<Money> {
        Some(Money(s))
    }
    fn day(y: i32, mo: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap_or_default()
    }
    fn base_input(doc_type: &str, date: NaiveDate, id: &str, atcud: &str) -> QrInput {
        QrInput {
            issuer_nif: "123456789".into(),
            buyer_tax_id: "999999990".into(),
            buyer_country: "PT".into(),
            doc_type: doc_type.into(),
            status: "N".into(),
            date,
            document_id: id.into(),
            atcud: atcud.into(),
            spaces: Vec::new(),
            not_subject: None,
            stamp_duty: None,
            total_taxes: Money::ZERO,
            gross_total: Money::ZERO,
            withholding: None,
            hash4: String::new(),
            certificate: "9999".into(),
            other: None,
        }
    }

    #[test]
    fn at_full_specimen() {
        let space = |region: &str, v: [rust_decimal::Decimal; 7]| QrSpace {
            region: region.into(),
            exempt_base: m(v[0]),
            reduced_base: m(v[1]),
            reduced_vat: m(v[2]),
            intermediate_base: m(v[3]),
            intermediate_vat: m(v[4]),
            normal_base: m(v[5]),
            normal_vat: m(v[6]),
        };
        let q = QrInput {
            spaces: vec![
                space("PT", [dec!(12000), dec!(15000), dec!(900), dec!(50000), dec!(6500), dec!(80000), dec!(18400)]),
                space(
                    "PT-AC",
                    [dec!(10000), dec!(25000.56), dec!(1000.02), dec!(75000), dec!(6750), dec!(100000), dec!(18000)],
                ),
                space("PT-MA", [dec!(5000), dec!(12500), dec!(625), dec!(25000), dec!(3000), dec!(40000), dec!(8800)]),
            ],
            not_subject: m(dec!(100)),
            stamp_duty: m(dec!(25)),
            total_taxes: Money(dec!(64000.02)),
            gross_total: Money(dec!(513600.58)),
            withholding: m(dec!(100)),
            hash4: "kLp0".into(),
            other: Some("TB;PT00000000000000000000000;513500.58".into()),
            ..base_input("FT", day(2019, 12, 31), "FT AB2019/0035", "CSDF7T5H-0035")
        };
        assert_eq!(
            qr_payload(&q).as_deref(),
            Ok("A:123456789*B:999999990*C:PT*D:FT*E:N*F:20191231*G:FT AB2019/0035*H:CSDF7T5H-0035*I1:PT*I2:12000.00*I3:15000.00*I4:900.00*I5:50000.00*I6:6500.00*I7:80000.00*I8:18400.00*J1:PT-AC*J2:10000.00*J3:25000.56*J4:1000.02*J5:75000.00*J6:6750.00*J7:100000.00*J8:18000.00*K1:PT-MA*K2:5000.00*K3:12500.00*K4:625.00*K5:25000.00*K6:3000.00*K7:40000.00*K8:8800.00*L:100.00*M:25.00*N:64000.02*O:513600.58*P:100.00*Q:kLp0*R:9999*S:TB;PT00000000000000000000000;513500.58")
        );
    }

    fn from_draft(
        lines: Vec<(rust_decimal::Decimal, RateClass)>,
        date: NaiveDate,
    ) -> (Vec<QrSpace>, Option<Money>, Money, Money) {
        let mut d = DraftDocument::new(DocType::Ft, date);
        for (price, class) in lines {
            d.lines.push(DraftLine {
                description: "x".into(),
                quantity: Quantity(dec!(1)),
                unit_price: UnitPrice(price),
                discount: Percent::ZERO,
                tax: LineTax::rate(FiscalZone::Pt, class),
                withholding: None,
            });
        }
        let t = compute(&d).expect("totals");
        let (spaces, l) = QrSpace::from_summary(&t.summary);
        (spaces, l, t.vat, t.total)
    }

    #[test]
    fn at_simplified_invoice_specimen_from_a_computed_document() {
        let date = day(2019, 8, 12);
        let (spaces, l, vat, total) = from_draft(vec![(dec!(0.65), RateClass::Normal)], date);
        let q = QrInput {
            spaces,
            not_subject: l,
            total_taxes: vat,
            gross_total: total,
            hash4: "YhGV".into(),
            other: Some("NU;0.80".into()),
            ..base_input("FS", date, "FS CDVF/12345", "CDF7T5HD-12345")
        };
        assert_eq!(
            qr_payload(&q).as_deref(),
            Ok("A:123456789*B:999999990*C:PT*D:FS*E:N*F:20190812*G:FS CDVF/12345*H:CDF7T5HD-12345*I1:PT*I7:0.65*I8:0.15*N:0.15*O:0.80*Q:YhGV*R:9999*S:NU;0.80")
        );
    }

    #[test]
    fn illustrative_moloni_invoice_from_a_computed_document() {
        let date = day(2026, 1, 15);
        let (spaces, l, vat, total) =
            from_draft(vec![(dec!(100), RateClass::Reduced), (dec!(250), RateClass::Normal)], date);
        let q = QrInput {
            buyer_tax_id: "501964843".into(),
            spaces,
            not_subject: l,
            total_taxes: vat,
            gross_total: total,
            hash4: "Ab9z".into(),
            certificate: crate::fiscal::MOLONI_CERTIFICATE.into(),
            ..base_input("FT", date, "FT 2026A/17", "JJ8XK2PM-17")
        };
        assert_eq!(
            qr_payload(&q).as_deref(),
            Ok("A:123456789*B:501964843*C:PT*D:FT*E:N*F:20260115*G:FT 2026A/17*H:JJ8XK2PM-17*I1:PT*I3:100.00*I4:6.00*I7:250.00*I8:57.50*N:63.50*O:413.50*Q:Ab9z*R:2860")
        );
    }

    #[test]
    fn no_vat_means_i1_zero_and_limits_are_enforced() {
        let mut q = base_input("RG", day(2026, 2, 1), "RG 2026A/3", "ABCDEFGH-3");
        q.gross_total = Money(dec!(50));
        q.hash4 = "0".into();
        assert_eq!(
            qr_payload(&q).as_deref(),
            Ok("A:123456789*B:999999990*C:PT*D:RG*E:N*F:20260201*G:RG 2026A/3*H:ABCDEFGH-3*I1:0*N:0.00*O:50.00*Q:0*R:9999")
        );
        let long = QrInput { buyer_tax_id: "X".repeat(31), ..q.clone() };
        assert_eq!(qr_payload(&long), Err(QrError::TooLong { field: "B".into(), len: 31, max: 30 }));
        let huge = QrInput { gross_total: Money(dec!(1000000000000000)), ..q.clone() };
        assert_eq!(qr_payload(&huge), Err(QrError::TooLong { field: "O".into(), len: 19, max: 16 }));
        let neg = QrInput { withholding: m(dec!(-1)), ..q.clone() };
        assert_eq!(qr_payload(&neg), Err(QrError::Negative("P".into())));
        let star = QrInput { other: Some("a*b".into()), ..q.clone() };
        assert_eq!(qr_payload(&star), Err(QrError::Separator("S".into())));
        let missing = QrInput { hash4: String::new(), ..q.clone() };
        assert_eq!(qr_payload(&missing), Err(QrError::Missing("Q".into())));
        let four = QrInput { spaces: vec![QrSpace::default(); 4], ..q };
        assert_eq!(qr_payload(&four), Err(QrError::TooManySpaces));
    }

    #[test]
    fn rule_l3_an_all_not_subject_invoice_names_its_zone_and_puts_the_base_in_l() {
        // One OUT line of 200.00 (margin scheme M13): I1:PT, L:200.00, N:0.00, O:200.00, never I1:0.
        let mut d = DraftDocument::new(DocType::Ft, day(2026, 3, 2));
        let m13 = crate::tax::ExemptionCode::parse("M13").expect("M13");
        d.lines.push(DraftLine {
            description: "Automóvel usado".into(),
            quantity: Quantity(dec!(1)),
            unit_price: UnitPrice(dec!(200)),
            discount: Percent::ZERO,
            tax: LineTax { zone: FiscalZone::Pt, code: TaxCode::Out, exemption: Some(m13) },
            withholding: None,
        });
        let t = compute(&d).expect("totals");
        let (spaces, l) = QrSpace::from_summary(&t.summary);
        let q = QrInput {
            spaces,
            not_subject: l,
            total_taxes: t.vat,
            gross_total: t.total,
            hash4: "Ab9z".into(),
            ..base_input("FT", day(2026, 3, 2), "FT 2026A/20", "JJ8XK2PM-20")
        };
        assert_eq!(
            qr_payload(&q).as_deref(),
            Ok("A:123456789*B:999999990*C:PT*D:FT*E:N*F:20260302*G:FT 2026A/20*H:JJ8XK2PM-20*I1:PT*L:200.00*N:0.00*O:200.00*Q:Ab9z*R:9999")
        );
    }

    #[test]
    fn rule_qr_p_carries_the_withholding_and_o_stays_gross() {
        // 1,000.00 of services at 23 %, 23 % withheld: O:1230.00, P:230.00; S's amount to pay is 1000.00.
        let mut d = DraftDocument::new(DocType::Ft, day(2026, 3, 2));
        d.withholding = Some(Percent(dec!(23)));
        d.lines.push(DraftLine {
            description: "Honorários".into(),
            quantity: Quantity(dec!(1)),
            unit_price: UnitPrice(dec!(1000)),
            discount: Percent::ZERO,
            tax: LineTax::rate(FiscalZone::Pt, RateClass::Normal),
            withholding: None,
        });
        let t = compute(&d).expect("totals");
        let (spaces, l) = QrSpace::from_summary(&t.summary);
        let q = QrInput {
            buyer_tax_id: "501964843".into(),
            spaces,
            not_subject: l,
            total_taxes: t.vat,
            gross_total: t.total,
            withholding: withholding_field(&t),
            hash4: "Ab9z".into(),
            other: Some(format!("TB;PT50000201231234567890154;{}", t.payable.to_plain_string())),
            ..base_input("FT", day(2026, 3, 2), "FT 2026A/21", "JJ8XK2PM-21")
        };
        assert_eq!(
            qr_payload(&q).as_deref(),
            Ok("A:123456789*B:501964843*C:PT*D:FT*E:N*F:20260302*G:FT 2026A/21*H:JJ8XK2PM-21*I1:PT*I7:1000.00*I8:230.00*N:230.00*O:1230.00*P:230.00*Q:Ab9z*R:9999*S:TB;PT50000201231234567890154;1000.00")
        );
        d.withholding = None;
        assert_eq!(withholding_field(&compute(&d).expect("totals")), None);
    }
}
