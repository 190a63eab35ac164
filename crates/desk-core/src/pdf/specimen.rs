//! Realistic specimen documents built through desk-model (never by hand), for the PDF tests, the bench, the
//! README pictures and a `desk pdf --specimen` preview: an issued invoice with 23 %, 6 % and an exempt line,
//! a draft of the same content, and a freelancer's invoice with IRS withholding.

use chrono::NaiveDate;
use desk_model::document::{compute, DocType, DraftDocument, DraftLine};
use desk_model::fiscal::{qr_payload, withholding_field, Atcud, QrInput, QrSpace, MOLONI_CERTIFICATE};
use desk_model::money::{Money, Percent, Quantity, UnitPrice};
use desk_model::msg::Lang;
use desk_model::party::Iban;
use desk_model::print::{build, IssuedInfo, PartyInfo, PaymentInfo, PrintDocument, PrintInput};
use desk_model::tax::{ExemptionCode, FiscalZone, LineTax, RateClass};
use rust_decimal::Decimal;

/// A specimen logo (PNG, 360 × 120, with transparency), for previews and tests.
pub const LOGO_PNG: &[u8] = include_bytes!("../../assets/specimen-logo.png");

/// The specimen's document number once issued.
pub const NUMBER: &str = "FT 2026A/17";

/// Description, quantity (mantissa, scale), unit price (mantissa, scale), rate class (`None`: exempt M07).
type Item = (&'static str, i64, u32, i64, u32, Option<RateClass>);

const ITEMS: [Item; 6] = [
    ("Consultoria fiscal — encerramento de contas de março", 12, 0, 6500, 2, Some(RateClass::Normal)),
    ("Formação profissional certificada em contabilidade (isenta)", 1, 0, 48000, 2, None),
    ("Livro «Código do IVA anotado», edição 2026", 2, 0, 3490, 2, Some(RateClass::Reduced)),
    ("Licença anual de software de gestão, 3 postos", 1, 0, 79000, 2, Some(RateClass::Normal)),
    ("Horas de apoio técnico à equipa de faturação", 75, 1, 4200, 2, Some(RateClass::Normal)),
    ("Deslocação ao cliente (Évora, ida e volta)", 1, 0, 8550, 2, Some(RateClass::Normal)),
];

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, d).unwrap_or_default()
}

fn draft_document(lines: usize) -> DraftDocument {
    let mut d = DraftDocument::new(DocType::Ft, date(15));
    d.due_date = Some(date(31));
    let exempt = ExemptionCode::parse("M07").map(|c| LineTax::exempt(FiscalZone::Pt, c));
    for i in 0..lines {
        let (description, qm, qs, pm, ps, class) = ITEMS[i % ITEMS.len()];
        let tax = match (class, &exempt) {
            (Some(class), _) => LineTax::rate(FiscalZone::Pt, class),
            (None, Some(e)) => e.clone(),
            (None, None) => LineTax::rate(FiscalZone::Pt, RateClass::Normal),
        };
        d.lines.push(DraftLine {
            description: if lines > ITEMS.len() { format!("{description} ({})", i + 1) } else { description.into() },
            quantity: Quantity(Decimal::new(qm, qs)),
            unit_price: UnitPrice(Decimal::new(pm, ps)),
            discount: if i % 4 == 3 { Percent(Decimal::new(10, 0)) } else { Percent::ZERO },
            tax,
            withholding: None,
        });
    }
    d.notes = "Obrigado pela preferência. Pagamento por transferência bancária até à data de vencimento, \
               indicando o número do documento."
        .into();
    d
}

/// The issuing company.
pub fn issuer() -> PartyInfo {
    PartyInfo {
        name: "Contas Certas — Contabilidade e Gestão, Lda.".into(),
        tax_id: Some("509442013".into()),
        address: Some("Avenida da República, 101, 3.º Esq.".into()),
        postal_code: Some("1050-190".into()),
        city: Some("Lisboa".into()),
        country: "PT".into(),
        share_capital: Some(Money(Decimal::new(5000, 0))),
        registry: Some("Matrícula na CRC de Lisboa n.º 509442013".into()),
    }
}

/// The customer.
pub fn customer() -> PartyInfo {
    PartyInfo {
        name: "Padaria São João & Filhos, Unipessoal Lda.".into(),
        tax_id: Some("501964843".into()),
        address: Some("Rua Conde de Ançã, 27".into()),
        postal_code: Some("3000-123".into()),
        city: Some("Coimbra".into()),
        country: "PT".into(),
        ..PartyInfo::default()
    }
}

fn payment() -> PaymentInfo {
    PaymentInfo { method: Some("Transferência bancária".into()), iban: Iban::parse("PT50000201231234567890154").ok() }
}

/// The specimen invoice as issued by Moloni, with `lines` lines, printed in `lang`; `customer` replaces the
/// usual one when given. The QR payload is built by desk-model from the computed totals.
pub fn issued(lines: usize, lang: Lang, customer: Option<PartyInfo>) -> Result<PrintDocument, String> {
    let customer = customer.unwrap_or_else(self::customer);
    as_issued(&draft_document(lines), &issuer(), &customer, (NUMBER, "Ab9z"), lang)
}

/// `d` as Moloni issues it: `number` and its signature characters, ATCUD, and the QR payload built by desk-model
/// from the computed totals (withholding included).
fn as_issued(
    d: &DraftDocument,
    issuer: &PartyInfo,
    customer: &PartyInfo,
    (number, hash4): (&str, &str),
    lang: Lang,
) -> Result<PrintDocument, String> {
    let totals = compute(d).map_err(|e| e.to_string())?;
    let atcud = Atcud::new("JJ8XK2PM", number).map_err(|e| e.to_string())?;
    let (spaces, not_subject) = QrSpace::from_summary(&totals.summary);
    let payload = qr_payload(&QrInput {
        issuer_nif: issuer.tax_id.clone().unwrap_or_default(),
        buyer_tax_id: customer.tax_id.clone().unwrap_or_else(|| "999999990".into()),
        buyer_country: customer.country.clone(),
        doc_type: "FT".into(),
        status: "N".into(),
        date: d.date,
        document_id: number.into(),
        atcud: atcud.as_str().into(),
        spaces,
        not_subject,
        stamp_duty: None,
        total_taxes: totals.vat,
        gross_total: totals.total,
        withholding: withholding_field(&totals),
        hash4: hash4.into(),
        certificate: MOLONI_CERTIFICATE.into(),
        other: None,
    })
    .map_err(|e| e.to_string())?;
    let info = IssuedInfo {
        number: number.into(),
        atcud,
        qr_payload: payload,
        hash4: hash4.into(),
        certificate: MOLONI_CERTIFICATE.into(),
    };
    let payment = payment();
    let input = PrintInput {
        document: d,
        totals: &totals,
        draft_id: "",
        issuer,
        customer,
        issued: Some(&info),
        payment: Some(&payment),
    };
    Ok(build(&input, lang))
}

/// The same content as a draft (never issued): watermark, internal id, no fiscal marks.
pub fn draft(lines: usize, lang: Lang) -> Result<PrintDocument, String> {
    let d = draft_document(lines);
    let totals = compute(&d).map_err(|e| e.to_string())?;
    let (issuer, customer, payment) = (issuer(), customer(), payment());
    let input = PrintInput {
        document: &d,
        totals: &totals,
        draft_id: "0197f3a2-5c1e",
        issuer: &issuer,
        customer: &customer,
        issued: None,
        payment: Some(&payment),
    };
    Ok(build(&input, lang))
}

/// The withholding specimen's number once issued.
pub const WITHHOLDING_NUMBER: &str = "FT 2026A/18";

/// A freelancer's invoice to a company, with IRS withholding at 23 % (CIRS art. 101, art. 151 professions):
/// 12 h × 65.00 = 780.00 of consultancy (withheld on) and 85.50 of recharged travel (not withheld on), both at
/// 23 % VAT. By hand: net 865.50, VAT 199.065 → 199.07, total 1,064.57, withholding 23 % × 780.00 = 179.40,
/// amount payable 885.17. QR field P carries the 179.40.
pub fn withholding(lang: Lang) -> Result<PrintDocument, String> {
    let mut d = DraftDocument::new(DocType::Ft, date(20));
    d.due_date = Some(date(31));
    d.withholding = Some(Percent(Decimal::new(23, 0)));
    let nor = LineTax::rate(FiscalZone::Pt, RateClass::Normal);
    d.lines.push(DraftLine {
        description: "Consultoria fiscal — apuramento do IVA de dezembro".into(),
        quantity: Quantity(Decimal::new(12, 0)),
        unit_price: UnitPrice(Decimal::new(6500, 2)),
        discount: Percent::ZERO,
        tax: nor.clone(),
        withholding: None,
    });
    d.lines.push(DraftLine {
        description: "Deslocação ao cliente (despesa refaturada, sem retenção)".into(),
        quantity: Quantity(Decimal::ONE),
        unit_price: UnitPrice(Decimal::new(8550, 2)),
        discount: Percent::ZERO,
        tax: nor,
        withholding: Some(Percent::ZERO),
    });
    let issuer = PartyInfo {
        name: "Ana Sofia Ribeiro — Consultora Fiscal".into(),
        tax_id: Some("123456789".into()),
        address: Some("Rua do Brasil, 12, 1.º Dto.".into()),
        postal_code: Some("3030-175".into()),
        city: Some("Coimbra".into()),
        country: "PT".into(),
        ..PartyInfo::default()
    };
    as_issued(&d, &issuer, &customer(), (WITHHOLDING_NUMBER, "Xq7T"), lang)
}
