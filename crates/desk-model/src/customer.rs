//! The rules a customer record must pass before it is stored, the same in the form and in the engine.

use crate::error::FieldError;
use crate::ipc::Customer;
use crate::money::format::format_decimal;
use crate::money::{format_percent, Percent};
use crate::msg::{Lang, Localized};
use crate::party::nif::Nif;
use crate::party::postal::parse_pt_postal_code;
use crate::party::{is_eu_country, vat_prefix, EuVat};
use crate::tax::withholding;
use crate::text::clean;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A customer as typed in the form or on the command line: raw text, validated by [`crate::customer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerInput {
    /// Name or firm (required).
    pub name: String,
    /// NIF as typed; blank for a consumer without one.
    pub nif: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Street address.
    pub address: String,
    /// Postal code.
    pub postal_code: String,
    /// Town.
    pub city: String,
    /// ISO country code; blank means PT.
    pub country: String,
    /// Days to pay, as typed.
    pub payment_terms_days: String,
    /// Free notes.
    pub notes: String,
    /// The IRS/IRC withholding rate in % this customer withholds on our services (CIRS art. 101), as typed ("23",
    /// "11,5"); blank: none. The editor starts a document for this customer with it.
    #[serde(default)]
    pub withholding: String,
    /// The language numbers are typed in.
    #[serde(default)]
    pub lang: Lang,
}

impl CustomerInput {
    /// The form for editing `c`, with its numbers written the way `lang` writes them (a stored 11.5 % reads back
    /// as "11,5" in Portuguese, not as 115).
    pub fn for_form(c: &Customer, lang: Lang) -> CustomerInput {
        CustomerInput {
            withholding: c.withholding_rate.map(|p| format_decimal(p.0, lang, 0, 4)).unwrap_or_default(),
            lang,
            ..CustomerInput::from(c)
        }
    }
}

impl From<&Customer> for CustomerInput {
    fn from(c: &Customer) -> Self {
        CustomerInput {
            name: c.name.clone(),
            nif: c.nif.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            phone: c.phone.clone().unwrap_or_default(),
            address: c.address.clone().unwrap_or_default(),
            postal_code: c.postal_code.clone().unwrap_or_default(),
            city: c.city.clone().unwrap_or_default(),
            country: c.country.clone(),
            payment_terms_days: c.payment_terms_days.map(|d| d.to_string()).unwrap_or_default(),
            notes: c.notes.clone().unwrap_or_default(),
            withholding: c.withholding_rate.map(|p| p.0.normalize().to_string()).unwrap_or_default(),
            lang: Lang::En,
        }
    }
}

/// SAF-T's limit for `CompanyName` (SAFPTtextTypeMandatoryMax100Car), which Moloni passes on to AT.
pub const NAME_MAX: usize = 100;
/// Foreign tax ids fit QR field B (30 characters).
pub const FOREIGN_TAX_ID_MAX: usize = 30;
/// Longest agreed payment term accepted, in days.
pub const PAYMENT_TERMS_MAX_DAYS: u32 = 365;

/// A customer that passed every rule, normalised for storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCustomer {
    /// Trimmed, NFC name.
    pub name: String,
    /// PT NIF (nine digits) or a foreign tax id without country prefix.
    pub nif: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// Postal code, `NNNN-NNN` for PT.
    pub postal_code: Option<String>,
    /// Town.
    pub city: Option<String>,
    /// ISO alpha-2, upper case.
    pub country: String,
    /// Agreed days to pay.
    pub payment_terms_days: Option<u32>,
    /// Notes.
    pub notes: Option<String>,
    /// The withholding rate this customer withholds (never zero: zero is none).
    pub withholding: Option<Percent>,
}

/// The label of each field, for messages.
pub fn field_label(field: &str) -> Localized {
    match field {
        "name" => Localized::new("Nome", "Name"),
        "nif" => Localized::new("NIF", "Tax number"),
        "email" => Localized::new("E-mail", "E-mail"),
        "phone" => Localized::new("Telefone", "Phone"),
        "address" => Localized::new("Morada", "Address"),
        "postal_code" => Localized::new("Código postal", "Postal code"),
        "city" => Localized::new("Localidade", "Town"),
        "country" => Localized::new("País", "Country"),
        "payment_terms_days" => Localized::new("Prazo de pagamento", "Payment terms"),
        "notes" => Localized::new("Notas", "Notes"),
        "withholding" => Localized::new("Retenção na fonte", "Withholding tax"),
        other => Localized::new(other, other),
    }
}

fn text_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
    multiline: bool,
) -> Option<String> {
    match clean(value, max, required, multiline) {
        Ok(v) => v,
        Err(e) => {
            errors.push(FieldError { field: field.into(), message: e.message(&field_label(field)) });
            None
        }
    }
}

fn push(errors: &mut Vec<FieldError>, field: &str, pt: impl Into<String>, en: impl Into<String>) {
    errors.push(FieldError { field: field.into(), message: Localized::new(pt, en) });
}

/// Validates a customer as typed. Returns every field's problem at once, so a form can mark them all.
pub fn validate(input: &CustomerInput) -> Result<ValidCustomer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = text_field(&mut errors, "name", &input.name, NAME_MAX, true, false);

    let country_raw = input.country.trim().to_ascii_uppercase();
    let country = if country_raw.is_empty() { "PT".to_string() } else { country_raw };
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        push(
            &mut errors,
            "country",
            "Indique o país com o código de 2 letras (PT, ES, FR…).",
            "Give the country as its 2-letter code (PT, ES, FR…).",
        );
    }

    let nif = if input.nif.trim().is_empty() {
        None
    } else if country == "PT" {
        match Nif::parse(&input.nif) {
            Ok(n) => Some(n.to_string()),
            Err(e) => {
                errors.push(FieldError { field: "nif".into(), message: e.message() });
                None
            }
        }
    } else if is_eu_country(&country) {
        // Another EU state: a VAT number in its format with its check digits (fiscal-review M1), stored without
        // its prefix; Greece's prefix is EL (ISO GR), either is accepted as typed.
        let id: String = input.nif.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        let id = id.to_ascii_uppercase();
        let prefix = vat_prefix(&country);
        let body = id.strip_prefix(&prefix).or_else(|| id.strip_prefix(&country)).unwrap_or(&id);
        match EuVat::parse(&format!("{prefix}{body}")) {
            Ok(v) => Some(v.number),
            Err(e) => {
                errors.push(FieldError { field: "nif".into(), message: e.message() });
                None
            }
        }
    } else {
        let id: String = input.nif.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        let id = id.to_ascii_uppercase();
        let id = id.strip_prefix(&country).map(str::to_string).unwrap_or(id);
        if id.is_empty() || id.chars().count() > FOREIGN_TAX_ID_MAX || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            push(
                &mut errors,
                "nif",
                "Número fiscal estrangeiro inválido: só letras e algarismos, até 30.",
                "Invalid foreign tax number: letters and digits only, up to 30.",
            );
            None
        } else {
            Some(id)
        }
    };

    let email = text_field(&mut errors, "email", &input.email, 254, false, false);
    if let Some(e) = &email {
        let ok = match e.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !e.contains(char::is_whitespace)
                    && !domain.contains('@')
            }
            None => false,
        };
        if !ok {
            push(
                &mut errors,
                "email",
                "E-mail inválido (ex.: nome@empresa.pt).",
                "Invalid e-mail (e.g. name@company.pt).",
            );
        }
    }

    let phone = text_field(&mut errors, "phone", &input.phone, 20, false, false);
    if let Some(p) = &phone {
        let ok = p.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'))
            && p.chars().filter(char::is_ascii_digit).count() >= 6;
        if !ok {
            push(
                &mut errors,
                "phone",
                "Telefone inválido: algarismos, espaços e + apenas.",
                "Invalid phone: digits, spaces and + only.",
            );
        }
    }

    let address = text_field(&mut errors, "address", &input.address, 200, false, true);
    let postal_raw = text_field(&mut errors, "postal_code", &input.postal_code, 20, false, false);
    let postal_code = match (postal_raw, country.as_str()) {
        (Some(p), "PT") => match parse_pt_postal_code(&p) {
            Some(p) => Some(p),
            None => {
                push(
                    &mut errors,
                    "postal_code",
                    "Código postal português no formato 1234-567.",
                    "Portuguese postal code as 1234-567.",
                );
                None
            }
        },
        (other, _) => other,
    };
    let city = text_field(&mut errors, "city", &input.city, 50, false, false);

    let payment_terms_days = match input.payment_terms_days.trim() {
        "" => None,
        t => match t.parse::<u32>() {
            Ok(d) if d <= PAYMENT_TERMS_MAX_DAYS => Some(d),
            _ => {
                push(
                    &mut errors,
                    "payment_terms_days",
                    format!("Prazo de pagamento em dias, de 0 a {PAYMENT_TERMS_MAX_DAYS}."),
                    format!("Payment terms in days, 0 to {PAYMENT_TERMS_MAX_DAYS}."),
                );
                None
            }
        },
    };
    let notes = text_field(&mut errors, "notes", &input.notes, 2000, false, true);

    // Who withholds is the payer: a Portuguese taxable person with a NIF (CIRS art. 101 n.º 1); issuing refuses
    // withholding towards anyone else, so the customer record does too.
    let withholding = match withholding::parse_rate(&input.withholding, input.lang) {
        Ok(p) => p.filter(|p| !p.0.is_zero()),
        Err(message) => {
            errors.push(FieldError { field: "withholding".into(), message });
            None
        }
    };
    let pays_with_withholding =
        country == "PT" && nif.as_deref().is_some_and(|n| Nif::parse(n).is_ok_and(|n| !n.is_final_consumer()));
    if withholding.is_some() && !pays_with_withholding {
        push(
            &mut errors,
            "withholding",
            "Só clientes portugueses com NIF fazem retenção na fonte (art. 101.º do CIRS): indique o NIF ou deixe a retenção em branco.",
            "Only Portuguese customers with a NIF withhold tax (CIRS art. 101): give the NIF or leave the withholding blank.",
        );
    }

    match (errors.is_empty(), name) {
        (true, Some(name)) => Ok(ValidCustomer {
            name,
            nif,
            email,
            phone,
            address,
            postal_code,
            city,
            country,
            payment_terms_days,
            notes,
            withholding,
        }),
        _ => Err(errors),
    }
}

/// Agreed terms between businesses beyond this many days need an express agreement (DL 62/2013 art. 5).
pub const B2B_TERMS_WARN_DAYS: u32 = 60;

/// Warnings about a valid customer, never refusals: payment terms beyond 60 days for a business (DL 62/2013;
/// fiscal-review L6); a withholding rate that is no kind's rate `today` (special cases exist, so it is allowed).
pub fn warnings(customer: &ValidCustomer, today: NaiveDate) -> Vec<FieldError> {
    let mut out = terms_warnings(customer);
    if let Some(p) = customer.withholding.filter(|p| !withholding::is_known_rate(*p, today)) {
        out.push(FieldError {
            field: "withholding".into(),
            message: Localized::new(
                format!("Taxa de retenção de {} fora da tabela em vigor: confirme-a.", format_percent(p, Lang::Pt)),
                format!("Withholding rate {} is not in the table in force: check it.", format_percent(p, Lang::En)),
            ),
        });
    }
    out
}

fn terms_warnings(customer: &ValidCustomer) -> Vec<FieldError> {
    let business = match (&customer.nif, customer.country.as_str()) {
        (Some(n), "PT") => Nif::parse(n).is_ok_and(|n| !n.is_individual() && !n.is_final_consumer()),
        (Some(_), _) => true,
        (None, _) => false,
    };
    match customer.payment_terms_days {
        Some(d) if business && d > B2B_TERMS_WARN_DAYS => vec![FieldError {
            field: "payment_terms_days".into(),
            message: Localized::new(
                format!("Prazo de {d} dias: entre empresas, mais de 60 dias exige acordo expresso (DL 62/2013)."),
                format!(
                    "A {d}-day term: between businesses, more than 60 days needs an express agreement (DL 62/2013)."
                ),
            ),
        }],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, nif: &str) -> CustomerInput {
        CustomerInput { name: name.into(), nif: nif.into(), ..Default::default() }
    }

    fn fields(r: Result<ValidCustomer, Vec<FieldError>>) -> Vec<String> {
        r.err().unwrap_or_default().into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_good_customer_is_normalised() {
        let mut i = input("  Padaria Ribeiro ", "501 234 560");
        i.postal_code = "4450123".into();
        i.payment_terms_days = "30".into();
        let v = validate(&i).expect("valid");
        assert_eq!(v.name, "Padaria Ribeiro");
        assert_eq!(v.nif.as_deref(), Some("501234560"));
        assert_eq!(v.postal_code.as_deref(), Some("4450-123"));
        assert_eq!(v.country, "PT");
        assert_eq!(v.payment_terms_days, Some(30));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut i = input("", "501234561");
        i.email = "no-at-sign".into();
        i.payment_terms_days = "-3".into();
        assert_eq!(fields(validate(&i)), ["name", "nif", "email", "payment_terms_days"]);
    }

    #[test]
    fn bad_names() {
        assert_eq!(fields(validate(&input(&"x".repeat(2000), ""))), ["name"]);
        assert_eq!(fields(validate(&input("Padaria 🥐", ""))), ["name"]);
        assert!(validate(&input("D'Ávila \"& Filhos\"; DROP TABLE customers;--", "")).is_ok());
    }

    #[test]
    fn foreign_tax_ids_lose_their_prefix() {
        let mut i = input("Société X", "FR 40 3032 65045");
        i.country = "fr".into();
        let v = validate(&i).expect("valid");
        assert_eq!((v.nif.as_deref(), v.country.as_str()), (Some("40303265045"), "FR"));
        let mut i = input("Company Inc.", "12-3456789");
        i.country = "US".into();
        assert_eq!(validate(&i).expect("valid").nif.as_deref(), Some("123456789"));
    }

    #[test]
    fn rule_eu_customers_need_a_valid_vat_number_and_greece_is_el() {
        // fiscal-review M1/L5: an EU customer's number is checked with its country's format and check digits.
        let mut i = input("Société X", "FR 41 303265045");
        i.country = "FR".into();
        assert_eq!(fields(validate(&i)), ["nif"]);
        i.nif = "ES A1234567".into();
        i.country = "ES".into();
        assert_eq!(fields(validate(&i)), ["nif"]);
        for typed in ["EL094259216", "GR094259216", "094259216", "el 094 259 216"] {
            let mut g = input("Εταιρεία", typed);
            g.country = "GR".into();
            assert_eq!(validate(&g).map(|v| v.nif), Ok(Some("094259216".into())), "{typed}");
        }
    }

    #[test]
    fn rule_dl_62_2013_b2b_terms_beyond_60_days_warn() {
        let mut i = input("Padaria Ribeiro", "501964843");
        i.payment_terms_days = "90".into();
        let v = validate(&i).expect("valid");
        assert_eq!(warnings(&v, today()).iter().map(|w| w.field.as_str()).collect::<Vec<_>>(), ["payment_terms_days"]);
        i.payment_terms_days = "60".into();
        assert!(warnings(&validate(&i).expect("valid"), today()).is_empty());
        // A consumer's terms are not a B2B agreement.
        let mut c = input("Ana Silva", "123456789");
        c.payment_terms_days = "90".into();
        assert!(warnings(&validate(&c).expect("valid"), today()).is_empty());
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
    }

    #[test]
    fn rule_cirs_101_a_customer_that_withholds_is_a_portuguese_taxable_person() {
        use rust_decimal_macros::dec;
        let mut i = input("Padaria Ribeiro, Lda.", "501964843");
        i.withholding = "11,5".into();
        i.lang = Lang::Pt;
        assert_eq!(validate(&i).map(|v| v.withholding), Ok(Some(Percent(dec!(11.5)))));
        // Typed the English way, the same rate.
        i.withholding = "11.5 %".into();
        i.lang = Lang::En;
        assert_eq!(validate(&i).map(|v| v.withholding), Ok(Some(Percent(dec!(11.5)))));
        // Zero is none; 100 % or text is refused.
        i.withholding = "0".into();
        assert_eq!(validate(&i).map(|v| v.withholding), Ok(None));
        for bad in ["100", "vinte"] {
            i.withholding = bad.into();
            assert_eq!(fields(validate(&i)), ["withholding"], "{bad}");
        }
        // An individual with a NIF (a self-employed customer with organised accounts) may withhold.
        let mut person = input("Ana Silva", "123456789");
        person.withholding = "23".into();
        assert!(validate(&person).is_ok());
        // No NIF, the final consumer's NIF, or a foreign customer: nobody withholds.
        for (nif, country) in [("", "PT"), ("999999990", "PT"), ("ESA12345674", "ES")] {
            let mut c = input("Cliente", nif);
            c.country = country.into();
            c.withholding = "23".into();
            assert_eq!(fields(validate(&c)), ["withholding"], "{nif} {country}");
        }
    }

    #[test]
    fn rule_cirs_101_an_unusual_customer_withholding_rate_warns() {
        let mut i = input("Padaria Ribeiro, Lda.", "501964843");
        i.withholding = "23".into();
        assert!(warnings(&validate(&i).expect("valid"), today()).is_empty());
        i.withholding = "21.5".into();
        i.lang = Lang::En;
        let w = warnings(&validate(&i).expect("valid"), today());
        assert_eq!(w.iter().map(|w| w.field.as_str()).collect::<Vec<_>>(), ["withholding"]);
        assert_eq!(w[0].message.pt, "Taxa de retenção de 21,5 % fora da tabela em vigor: confirme-a.");
    }

    #[test]
    fn a_stored_rate_reads_back_in_the_forms_language() {
        use rust_decimal_macros::dec;
        let mut i = input("Padaria Ribeiro, Lda.", "501964843");
        i.withholding = "11.5".into();
        i.lang = Lang::En;
        let v = validate(&i).expect("valid");
        let c = Customer {
            id: uuid::Uuid::nil(),
            company_id: uuid::Uuid::nil(),
            name: v.name,
            nif: v.nif,
            email: None,
            phone: None,
            address: None,
            postal_code: None,
            city: None,
            country: v.country,
            payment_terms_days: None,
            notes: None,
            withholding_rate: v.withholding,
            archived: false,
            created_at: chrono::DateTime::default(),
            updated_at: chrono::DateTime::default(),
        };
        assert_eq!(c.withholding_rate, Some(Percent(dec!(11.5))));
        assert_eq!(CustomerInput::for_form(&c, Lang::Pt).withholding, "11,5");
        assert_eq!(CustomerInput::for_form(&c, Lang::En).withholding, "11.5");
        let again = CustomerInput::for_form(&c, Lang::Pt);
        assert_eq!(validate(&again).map(|v| v.withholding), Ok(Some(Percent(dec!(11.5)))));
    }
}
