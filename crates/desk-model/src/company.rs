//! The issuing company's profile (what its printed documents show as issuer: address, share capital, registry,
//! IBAN, logo) and the rules it must pass before it is stored, the same in the form and in the engine.

use crate::document::{DocType, RoundingMethod};
use crate::error::FieldError;
use crate::money::{parse_number, Money, NumberKind};
use crate::msg::{Lang, Localized};
use crate::party::postal::parse_pt_postal_code;
use crate::party::{Iban, Nif};
use crate::print::{PartyInfo, PaymentInfo};
use crate::text::clean;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// SAF-T's limit for a company name, as for customers.
pub const NAME_MAX: usize = 100;

/// A company as stored: the issuer block of its documents and how its customers pay it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CompanyProfile {
    /// Its id.
    pub id: Uuid,
    /// Name or firm.
    pub name: String,
    /// NIF, once set.
    pub nif: Option<String>,
    /// Street address (may hold several lines).
    pub address: Option<String>,
    /// Postal code, `NNNN-NNN`.
    pub postal_code: Option<String>,
    /// Town.
    pub city: Option<String>,
    /// ISO alpha-2 country.
    pub country: String,
    /// Share capital (CSC art. 171), printed when set.
    pub share_capital: Option<Money>,
    /// Commercial registry, as the company writes it.
    pub registry: Option<String>,
    /// The account customers pay into.
    pub iban: Option<Iban>,
    /// The payment method printed on documents ("Transferência bancária").
    pub payment_method: Option<String>,
    /// A PNG or JPEG file to print as logo.
    pub logo_path: Option<String>,
    /// VAT regime and rounding method.
    #[serde(default)]
    pub fiscal: FiscalSettings,
}

impl CompanyProfile {
    /// The issuer block of a printed document.
    pub fn party(&self) -> PartyInfo {
        PartyInfo {
            name: self.name.clone(),
            tax_id: self.nif.clone(),
            address: self.address.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
            share_capital: self.share_capital,
            registry: self.registry.clone(),
        }
    }

    /// The payment details of a printed document, when the company gave any.
    pub fn payment(&self) -> Option<PaymentInfo> {
        (self.iban.is_some() || self.payment_method.is_some())
            .then(|| PaymentInfo { method: self.payment_method.clone(), iban: self.iban.clone() })
    }

    /// The profile as the form shows it, numbers written in `lang`.
    pub fn to_input(&self, lang: Lang) -> CompanyInput {
        CompanyInput {
            name: self.name.clone(),
            nif: self.nif.clone().unwrap_or_default(),
            address: self.address.clone().unwrap_or_default(),
            postal_code: self.postal_code.clone().unwrap_or_default(),
            city: self.city.clone().unwrap_or_default(),
            country: self.country.clone(),
            share_capital: self
                .share_capital
                .map(|m| crate::money::format::format_decimal(m.0, lang, 2, 2))
                .unwrap_or_default(),
            registry: self.registry.clone().unwrap_or_default(),
            iban: self.iban.as_ref().map(ToString::to_string).unwrap_or_default(),
            payment_method: self.payment_method.clone().unwrap_or_default(),
            logo_path: self.logo_path.clone().unwrap_or_default(),
            lang,
            fiscal: self.fiscal,
        }
    }
}

/// The company's VAT regime, which decides what its documents may charge and must say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VatRegime {
    /// The normal regime: VAT due when invoiced.
    #[default]
    Normal,
    /// Cash VAT (IVA de caixa, DL 71/2013): VAT due when paid; every invoice says "IVA – regime de caixa" and
    /// receipts are RC (pt-invoicing §3.1, §6.1).
    CashVat,
    /// The small-business exemption of CIVA art. 53: no VAT charged, every line exempt with M10, whose mention
    /// "IVA – regime de isenção" art. 57 requires.
    SmallBusinessExempt,
}

impl VatRegime {
    /// Every regime, in the order a picker lists them.
    pub const ALL: [VatRegime; 3] = [VatRegime::Normal, VatRegime::CashVat, VatRegime::SmallBusinessExempt];

    /// The stored code (the serde name): `normal`, `cash_vat`, `small_business_exempt`.
    pub fn as_str(self) -> &'static str {
        match self {
            VatRegime::Normal => "normal",
            VatRegime::CashVat => "cash_vat",
            VatRegime::SmallBusinessExempt => "small_business_exempt",
        }
    }

    /// Reads a stored or typed code (`cash-vat` too).
    pub fn parse(s: &str) -> Option<VatRegime> {
        let c = s.trim().to_ascii_lowercase().replace('-', "_");
        VatRegime::ALL.into_iter().find(|r| r.as_str() == c)
    }

    /// The regime's name, for the company settings.
    pub fn name(self) -> Localized {
        match self {
            VatRegime::Normal => Localized::new("Regime normal", "Normal regime"),
            VatRegime::CashVat => Localized::new("IVA de caixa", "Cash VAT"),
            VatRegime::SmallBusinessExempt => {
                Localized::new("Regime de isenção (art. 53.º CIVA)", "Small-business exemption (CIVA art. 53)")
            }
        }
    }
}

/// The mention every invoice and rectifying note of a cash-VAT company carries (DL 71/2013; the wording is
/// the one pt-invoicing §6.1 gives, marked UNCONFIRMED there: keep it in data).
pub const CASH_VAT_MENTION: &str = "IVA – regime de caixa";

/// The company's fiscal settings: how its documents are taxed and totalled. Kept apart from the profile (the
/// issuer block) so the engine can store and sync them on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct FiscalSettings {
    /// VAT regime.
    #[serde(default)]
    pub vat_regime: VatRegime,
    /// How VAT is rounded: Moloni's `document_calc_method` for the company.
    #[serde(default)]
    pub rounding: RoundingMethod,
}

impl FiscalSettings {
    /// The regime mentions a document of this type must print ("IVA – regime de caixa"). The art. 53 mention
    /// comes with each M10 line's exemption text, so it is not repeated here.
    pub fn mentions(&self, doc_type: DocType) -> Vec<&'static str> {
        let invoicing = doc_type.is_invoice() || doc_type.is_rectifying();
        match self.vat_regime {
            VatRegime::CashVat if invoicing => vec![CASH_VAT_MENTION],
            _ => Vec::new(),
        }
    }
}

impl FiscalSettings {
    /// The SAF-T type of the company's receipts: RC under cash VAT (the receipt makes the VAT due and breaks it
    /// down per rate), RG otherwise (pt-invoicing §3.1, §8.3; P302 4.4.4.6).
    pub fn receipt_saft_code(&self) -> &'static str {
        match self.vat_regime {
            VatRegime::CashVat => "RC",
            _ => "RG",
        }
    }
}

/// A company as typed in its form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CompanyInput {
    /// Name.
    pub name: String,
    /// NIF (blank: not yet known).
    pub nif: String,
    /// Street address.
    pub address: String,
    /// Postal code.
    pub postal_code: String,
    /// Town.
    pub city: String,
    /// Country code (blank: PT).
    pub country: String,
    /// Share capital, as typed.
    pub share_capital: String,
    /// Commercial registry.
    pub registry: String,
    /// IBAN.
    pub iban: String,
    /// Payment method.
    pub payment_method: String,
    /// Logo file.
    pub logo_path: String,
    /// The language numbers are typed in.
    pub lang: Lang,
    /// VAT regime and rounding method (chosen from lists, nothing to type).
    #[serde(default)]
    pub fiscal: FiscalSettings,
}

/// The label of each field, for messages.
pub fn field_label(field: &str) -> Localized {
    match field {
        "name" => Localized::new("Nome da empresa", "Company name"),
        "nif" => Localized::new("NIF", "Tax number"),
        "address" => Localized::new("Morada", "Address"),
        "postal_code" => Localized::new("Código postal", "Postal code"),
        "city" => Localized::new("Localidade", "Town"),
        "country" => Localized::new("País", "Country"),
        "share_capital" => Localized::new("Capital social", "Share capital"),
        "registry" => Localized::new("Registo comercial", "Commercial registry"),
        "iban" => Localized::new("IBAN", "IBAN"),
        "payment_method" => Localized::new("Forma de pagamento", "Payment method"),
        "logo_path" => Localized::new("Logótipo", "Logo"),
        other => Localized::new(other, other),
    }
}

fn text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
    multiline: bool,
) -> Option<String> {
    clean(value, max, required, multiline).unwrap_or_else(|e| {
        errors.push(FieldError { field: field.into(), message: e.message(&field_label(field)) });
        None
    })
}

/// Validates a company as typed; every field's problem at once. The id is the caller's.
pub fn validate(id: Uuid, input: &CompanyInput) -> Result<CompanyProfile, Vec<FieldError>> {
    let mut errors = Vec::new();
    let push = |errors: &mut Vec<FieldError>, field: &str, message: Localized| {
        errors.push(FieldError { field: field.into(), message });
    };
    let name = text(&mut errors, "name", &input.name, NAME_MAX, true, false);
    let nif = match input.nif.trim() {
        "" => None,
        typed => match Nif::parse(typed) {
            Ok(n) if n.is_final_consumer() => {
                push(
                    &mut errors,
                    "nif",
                    Localized::new(
                        "999999990 é o NIF do consumidor final: indique o NIF da empresa.",
                        "999999990 is the final consumer's number: enter the company's own NIF.",
                    ),
                );
                None
            }
            Ok(n) => Some(n.to_string()),
            Err(e) => {
                push(&mut errors, "nif", e.message());
                None
            }
        },
    };
    let country = match input.country.trim().to_ascii_uppercase() {
        c if c.is_empty() => "PT".to_string(),
        c => c,
    };
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        push(
            &mut errors,
            "country",
            Localized::new(
                "Indique o país com o código de 2 letras (PT, ES, FR…).",
                "Give the country as its 2-letter code (PT, ES, FR…).",
            ),
        );
    }
    let address = text(&mut errors, "address", &input.address, 200, false, true);
    let postal_code = match text(&mut errors, "postal_code", &input.postal_code, 20, false, false) {
        Some(p) if country == "PT" => parse_pt_postal_code(&p).or_else(|| {
            push(
                &mut errors,
                "postal_code",
                Localized::new("Código postal inválido: use 1234-567.", "Invalid postal code: use 1234-567."),
            );
            None
        }),
        other => other,
    };
    let city = text(&mut errors, "city", &input.city, 50, false, false);
    let share_capital = match input.share_capital.trim() {
        "" => None,
        typed => match parse_number(typed, input.lang, NumberKind::Money) {
            Ok(d) => Some(Money(d)),
            Err(e) => {
                push(&mut errors, "share_capital", e.message());
                None
            }
        },
    };
    let registry = text(&mut errors, "registry", &input.registry, 120, false, false);
    let iban = match input.iban.trim() {
        "" => None,
        typed => match Iban::parse(typed) {
            Ok(i) => Some(i),
            Err(e) => {
                push(&mut errors, "iban", e.message());
                None
            }
        },
    };
    let payment_method = text(&mut errors, "payment_method", &input.payment_method, 60, false, false);
    let logo_path = text(&mut errors, "logo_path", &input.logo_path, 1000, false, false);
    match name {
        Some(name) if errors.is_empty() => Ok(CompanyProfile {
            id,
            name,
            nif,
            address,
            postal_code,
            city,
            country,
            share_capital,
            registry,
            iban,
            payment_method,
            logo_path,
            fiscal: input.fiscal,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CompanyInput {
        CompanyInput {
            name: " Contabilidade Rio, Lda ".into(),
            nif: "509 442 013".into(),
            address: "Rua do Ouro 12\n3.º".into(),
            postal_code: "1100060".into(),
            city: "Lisboa".into(),
            share_capital: "5.000,00".into(),
            registry: "CRC Lisboa".into(),
            iban: "pt50 0002 0123 1234 5678 9015 4".into(),
            payment_method: "Transferência bancária".into(),
            lang: Lang::Pt,
            ..CompanyInput::default()
        }
    }

    #[test]
    fn a_complete_profile_is_normalised() {
        let p = validate(Uuid::nil(), &input()).expect("valid");
        assert_eq!(p.name, "Contabilidade Rio, Lda");
        assert_eq!(p.nif.as_deref(), Some("509442013"));
        assert_eq!(p.postal_code.as_deref(), Some("1100-060"));
        assert_eq!(p.country, "PT");
        assert_eq!(p.share_capital, Some(Money(rust_decimal::Decimal::new(5000, 0))));
        assert_eq!(p.iban.as_ref().map(Iban::as_str), Some("PT50000201231234567890154"));
        let party = p.party();
        assert_eq!(party.share_capital, p.share_capital);
        let pay = p.payment().expect("payment");
        assert_eq!(pay.method.as_deref(), Some("Transferência bancária"));
        assert_eq!(p.to_input(Lang::Pt).share_capital, "5.000,00");
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = CompanyInput {
            name: "  ".into(),
            nif: "123456780".into(),
            postal_code: "12-3".into(),
            share_capital: "abc".into(),
            iban: "PT50 0002".into(),
            country: "Portugal".into(),
            ..CompanyInput::default()
        };
        let errors = validate(Uuid::nil(), &bad).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in ["name", "nif", "share_capital", "iban", "country"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn the_consumer_nif_is_not_a_company() {
        let mut i = input();
        i.nif = "999999990".into();
        let errors = validate(Uuid::nil(), &i).expect_err("invalid");
        assert_eq!(errors[0].field, "nif");
    }

    #[test]
    fn a_bare_profile_has_no_payment_block() {
        let p = validate(Uuid::nil(), &CompanyInput { name: "X".into(), ..CompanyInput::default() }).expect("valid");
        assert_eq!(p.payment(), None);
        assert_eq!(p.country, "PT");
    }

    #[test]
    fn rule_cash_vat_invoices_say_regime_de_caixa() {
        let cash = FiscalSettings { vat_regime: VatRegime::CashVat, ..FiscalSettings::default() };
        for t in [DocType::Ft, DocType::Fr, DocType::Fs, DocType::Nc, DocType::Nd] {
            assert_eq!(cash.mentions(t), ["IVA – regime de caixa"], "{t:?}");
        }
        assert!(cash.mentions(DocType::Or).is_empty());
        assert!(FiscalSettings::default().mentions(DocType::Ft).is_empty());
        assert_eq!(FiscalSettings::default().rounding, RoundingMethod::Document);
        let json = serde_json::to_string(&cash).unwrap_or_default();
        assert_eq!(json, r#"{"vat_regime":"cash_vat","rounding":"document"}"#);
        assert_eq!(serde_json::from_str::<FiscalSettings>("{}").ok(), Some(FiscalSettings::default()));
        assert_eq!((cash.receipt_saft_code(), FiscalSettings::default().receipt_saft_code()), ("RC", "RG"));
        for r in VatRegime::ALL {
            assert_eq!(VatRegime::parse(r.as_str()), Some(r));
        }
        assert_eq!(VatRegime::parse("Cash-VAT"), Some(VatRegime::CashVat));
        assert_eq!(RoundingMethod::parse("line"), Some(RoundingMethod::Line));
        assert_eq!(RoundingMethod::parse("x"), None);
    }

    #[test]
    fn rule_the_company_form_carries_its_vat_regime_and_rounding() {
        let fiscal = FiscalSettings { vat_regime: VatRegime::CashVat, rounding: RoundingMethod::Line };
        let p = validate(Uuid::nil(), &CompanyInput { fiscal, ..input() }).expect("valid");
        assert_eq!(p.fiscal, fiscal);
        assert_eq!(p.to_input(Lang::Pt).fiscal, fiscal);
        // A profile stored before the setting existed reads as the normal regime, per-document rounding.
        let old: CompanyProfile = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000000","name":"X","nif":null,"address":null,"postal_code":null,"city":null,"country":"PT","share_capital":null,"registry":null,"iban":null,"payment_method":null,"logo_path":null}"#).expect("old json");
        assert_eq!(old.fiscal, FiscalSettings::default());
    }
}
