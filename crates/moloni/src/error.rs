//! What a Moloni call can end in, each with a message (pt-PT and English) that says what to do. No variant
//! carries a token, a password or a URL with `access_token`: transport errors are reduced to their kind.

use desk_model::msg::Localized;

/// A field Moloni refused (`"<code> <field> <params…>"`, or `{code, description}` with `human_errors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Moloni's code (1 required, 2 numeric, 3 e-mail, 4 unique, 5 invalid value, … 17 too long).
    pub code: u32,
    /// The field (`name`, `vat`, `products`, `document_set_id`…); for lines, `products[0]`-style paths may appear.
    pub field: String,
    /// The code's parameters (for code 2: integer, >, <, >=, <=).
    pub params: Vec<String>,
    /// Moloni's English description, when asked for with `human_errors`.
    pub description: Option<String>,
}

impl ValidationError {
    /// Reads `"2 language_id 1 0"`; `None` if it is not of that form.
    pub fn parse(code: &str, description: Option<String>) -> Option<ValidationError> {
        let mut parts = code.split_whitespace();
        let number = parts.next()?.parse().ok()?;
        let field = parts.next()?.to_string();
        Some(ValidationError { code: number, field, params: parts.map(str::to_string).collect(), description })
    }

    /// The field's name for people.
    fn label(&self) -> (String, String) {
        let (pt, en) = match self.field.as_str() {
            "name" => ("o nome", "the name"),
            "vat" => ("o NIF", "the VAT number (NIF)"),
            "number" => ("o código do cliente", "the customer code"),
            "email" => ("o e-mail", "the e-mail"),
            "zip_code" => ("o código postal", "the postal code"),
            "address" => ("a morada", "the address"),
            "city" => ("a localidade", "the town"),
            "country_id" => ("o país", "the country"),
            "language_id" => ("a língua", "the language"),
            "maturity_date_id" => ("o prazo de vencimento", "the payment term"),
            "payment_method_id" => ("a forma de pagamento", "the payment method"),
            "phone" => ("o telefone", "the phone number"),
            "customer_id" => ("o cliente", "the customer"),
            "document_set_id" | "document_set_wsat_id" => ("a série", "the series"),
            "date" => ("a data", "the date"),
            "expiration_date" => ("a data de vencimento", "the due date"),
            "products" => ("as linhas (artigo)", "the lines (product)"),
            "product_id" => ("o artigo", "the product"),
            "qty" => ("a quantidade", "the quantity"),
            "price" => ("o preço", "the price"),
            "discount" => ("o desconto", "the discount"),
            "exemption_reason" => ("o motivo de isenção", "the exemption reason"),
            "net_value" => ("o total", "the total"),
            "reference" => ("a referência", "the reference"),
            "category_id" => ("a categoria", "the category"),
            "unit_id" => ("a unidade", "the unit"),
            "associated_id" | "associated_documents" => ("o documento associado", "the associated document"),
            "related_id" => ("a linha do documento de origem", "the original document's line"),
            "status" => ("o estado", "the status"),
            other => return (format!("o campo «{other}»"), format!("the field «{other}»")),
        };
        (pt.to_string(), en.to_string())
    }

    /// What is wrong with the field and what to do, in both languages.
    pub fn message(&self) -> Localized {
        let (f_pt, f_en) = self.label();
        let greater_than_zero = self.params.get(2).is_some_and(|p| p == "0");
        let (pt, en) = match self.code {
            1 => (format!("Falta {f_pt}: preencha-o."), format!("{} is missing: fill it in.", cap(&f_en))),
            2 if greater_than_zero => (
                format!("{} tem de ser escolhido ou um número maior que zero.", cap(&f_pt)),
                format!("{} must be chosen, or be a number greater than zero.", cap(&f_en)),
            ),
            2 => (format!("{} tem de ser um número válido.", cap(&f_pt)), format!("{} must be a valid number.", cap(&f_en))),
            3 => (format!("{} não é um e-mail válido: corrija-o.", cap(&f_pt)), format!("{} is not a valid e-mail: correct it.", cap(&f_en))),
            4 => (
                format!("{} já existe no Moloni: use outro.", cap(&f_pt)),
                format!("{} already exists in Moloni: use another.", cap(&f_en)),
            ),
            5 => (
                format!("{} não tem um valor aceite pelo Moloni: escolha outro.", cap(&f_pt)),
                format!("{} has a value Moloni does not accept: choose another.", cap(&f_en)),
            ),
            6 => (format!("{} tem de ser um endereço web.", cap(&f_pt)), format!("{} must be a web address.", cap(&f_en))),
            7 => (
                format!("{} não é um código postal válido (em Portugal, 0000-000).", cap(&f_pt)),
                format!("{} is not a valid postal code (in Portugal, 0000-000).", cap(&f_en)),
            ),
            8 => (
                format!("{} não é um NIF português válido: confirme os 9 algarismos.", cap(&f_pt)),
                format!("{} is not a valid Portuguese NIF: check its 9 digits.", cap(&f_en)),
            ),
            9 => (
                format!("{} tem de ser uma data (AAAA-MM-DD).", cap(&f_pt)),
                format!("{} must be a date (YYYY-MM-DD).", cap(&f_en)),
            ),
            10 => (
                "A associação de documentos não é válida (tipo não associável ou nada por regularizar).".to_string(),
                "The document association is not valid (a type that cannot be associated, or nothing left to settle)."
                    .to_string(),
            ),
            11 => (
                "O documento não pode ser comunicado à AT: verifique a série e os dados do cliente.".to_string(),
                "The document cannot be sent to the Tax Authority: check the series and the customer's details.".to_string(),
            ),
            // The series' date rule: a document may not be dated before the series' last one (a request that sat
            // queued past midnight while another document was issued meets it).
            12 if self.field == "date" => {
                // shown as people write dates here: 29/11/2026
                let raw = self.params.get(1).map(String::as_str).unwrap_or("");
                let limit = match raw.get(..10).map(|d| d.split('-').collect::<Vec<_>>()).as_deref() {
                    Some([y, m, d]) => format!("{d}/{m}/{y}"),
                    _ => raw.to_string(),
                };
                let (pt, en) = match self.params.first().map(String::as_str) {
                    Some(">=") | Some(">") => ("igual ou posterior a", "on or after"),
                    Some("<=") | Some("<") => ("igual ou anterior a", "on or before"),
                    _ => ("conforme", "as"),
                };
                (
                    format!(
                        "O Moloni recusou a data do documento: tem de ser {pt} {limit}, porque a série já tem um documento com essa data. Mude a data do rascunho para hoje e emita de novo."
                    ),
                    format!(
                        "Moloni refused the document's date: it must be {en} {limit}, because the series already has a document of that date. Change the draft's date to today and issue it again."
                    ),
                )
            }
            12 => (
                format!("{} está fora do intervalo permitido ({}).", cap(&f_pt), self.params.join(" ")),
                format!("{} is outside the allowed range ({}).", cap(&f_en), self.params.join(" ")),
            ),
            13 => (format!("{} não é um telefone válido.", cap(&f_pt)), format!("{} is not a valid phone number.", cap(&f_en))),
            14 => (
                "Numa linha com outro imposto e IVA, o IVA tem de vir depois e ser cumulativo.".to_string(),
                "On a line with another tax and VAT, VAT must come after it and be cumulative.".to_string(),
            ),
            15 => ("Uma linha tem mais de uma taxa de IVA: deixe só uma.".to_string(), "A line has more than one VAT rate: keep only one.".to_string()),
            16 => (
                "Acima do limite legal o cliente tem de estar identificado (nome, morada, código postal): complete a ficha do cliente.".to_string(),
                "Above the legal limit the customer must be identified (name, address, postal code): complete the customer's details.".to_string(),
            ),
            17 => (format!("{} é demasiado longo: encurte-o.", cap(&f_pt)), format!("{} is too long: shorten it.", cap(&f_en))),
            _ => (
                format!("O Moloni recusou {f_pt} (código {}).", self.code),
                format!("Moloni refused {f_en} (code {}).", self.code),
            ),
        };
        Localized::new(pt, en)
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Everything a Moloni call can end in besides its answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The grant was refused (HTTP 400 `{error, error_description}`): wrong client id/secret, user or password,
    /// or an expired refresh token with no password to fall back on.
    #[error("Moloni refused the login: {code} ({description})")]
    Grant {
        /// `invalid_grant`, `invalid_client`, `too_many_login_attempts`…
        code: String,
        /// Moloni's description.
        description: String,
    },
    /// The access token was refused even after a refresh ("Invalid access token.").
    #[error("Moloni refused the access token: {description}")]
    Unauthorized {
        /// Moloni's description.
        description: String,
    },
    /// Moloni refused the call itself (`{"error": "forbidden", …}`): no permission, or no company.
    #[error("Moloni refused {endpoint}: {code} ({description})")]
    Refused {
        /// The call.
        endpoint: String,
        /// Moloni's error code.
        code: String,
        /// Moloni's description.
        description: String,
    },
    /// Field validation (HTTP 200 with an array): nothing was done.
    #[error("Moloni refused {} field(s) of {endpoint}", errors.len())]
    Validation {
        /// The call.
        endpoint: String,
        /// Each field refused.
        errors: Vec<ValidationError>,
    },
    /// `{"valid": 0}`: Moloni did not do it (a customer with documents cannot be deleted…).
    #[error("Moloni did not do {endpoint}")]
    NotDone {
        /// The call.
        endpoint: String,
    },
    /// The call may or may not have been done: a timeout, the connection lost before the answer, or a server
    /// error on a call that changes data. Never reported as failed: check before repeating it.
    #[error("outcome unknown for {endpoint}: {detail}")]
    OutcomeUnknown {
        /// The call.
        endpoint: String,
        /// What happened (no URL).
        detail: String,
        /// True for calls that change data (insert, update, cancel).
        write: bool,
    },
    /// Moloni could not be reached (nothing was sent).
    #[error("cannot reach Moloni: {detail}")]
    Unreachable {
        /// What happened (no URL).
        detail: String,
    },
    /// Moloni kept answering 429 or 5xx on a read, or 429 on a write, after the retries.
    #[error("Moloni is unavailable ({status}) for {endpoint}")]
    Unavailable {
        /// The call.
        endpoint: String,
        /// The last HTTP status.
        status: u16,
    },
    /// An answer that is not what the API answers (malformed JSON, unexpected shape).
    #[error("unexpected answer from Moloni to {endpoint}: {detail}")]
    Malformed {
        /// The call.
        endpoint: String,
        /// What could not be read (no body, which might hold personal data).
        detail: String,
    },
    /// The configuration is unusable (a URL that is not http(s)).
    #[error("invalid Moloni configuration: {0}")]
    Config(String),
}

impl Error {
    /// True if the call may have been done (so it must be checked, never blindly repeated).
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// The user-facing message: what happened and what to do.
    pub fn message(&self) -> Localized {
        match self {
            Error::Grant { code, description } => grant_message(code, description),
            Error::Unauthorized { .. } => Localized::new(
                "O Moloni recusou a sessão. Volte a ligar a conta em Definições › Moloni.",
                "Moloni refused the session. Connect the account again in Settings › Moloni.",
            ),
            Error::Refused { code, description, .. } => Localized::new(
                format!("O Moloni recusou o pedido ({code}: {description}). Confirme que o utilizador tem acesso a esta empresa no Moloni."),
                format!("Moloni refused the request ({code}: {description}). Check that the user has access to this company in Moloni."),
            ),
            Error::Validation { errors, .. } => {
                let pt: Vec<String> = errors.iter().map(|e| e.message().pt).collect();
                let en: Vec<String> = errors.iter().map(|e| e.message().en).collect();
                Localized::new(format!("O Moloni recusou os dados: {}", pt.join(" ")), format!("Moloni refused the data: {}", en.join(" ")))
            }
            Error::NotDone { .. } => Localized::new(
                "O Moloni não fez a operação (por exemplo, um registo com documentos não pode ser apagado).",
                "Moloni did not do it (for example, a record with documents cannot be deleted).",
            ),
            Error::OutcomeUnknown { write: true, .. } => Localized::new(
                "O Moloni não respondeu a tempo: não se sabe se a operação foi feita. Não a repita às cegas: a aplicação verifica no Moloni antes de tentar de novo.",
                "Moloni did not answer in time: it is not known whether it was done. Do not repeat it blindly: the app checks in Moloni before trying again.",
            ),
            Error::OutcomeUnknown { write: false, .. } => Localized::new(
                "O Moloni não respondeu a tempo. Verifique a ligação à Internet e tente de novo.",
                "Moloni did not answer in time. Check the Internet connection and try again.",
            ),
            Error::Unreachable { .. } => Localized::new(
                "Não foi possível contactar o Moloni. Verifique a ligação à Internet e o endereço do serviço, e tente de novo.",
                "Could not reach Moloni. Check the Internet connection and the service address, then try again.",
            ),
            Error::Unavailable { status, .. } => Localized::new(
                format!("O Moloni está indisponível de momento (HTTP {status}). Tente de novo dentro de alguns minutos."),
                format!("Moloni is unavailable at the moment (HTTP {status}). Try again in a few minutes."),
            ),
            Error::Malformed { .. } => Localized::new(
                "O Moloni deu uma resposta inesperada. Tente de novo; se persistir, comunique o erro ao suporte.",
                "Moloni gave an unexpected answer. Try again; if it persists, report it to support.",
            ),
            Error::Config(detail) => Localized::new(
                format!("Endereço do Moloni inválido ({detail}). Use https://api.moloni.pt/v1 ou o endereço do serviço de teste."),
                format!("Invalid Moloni address ({detail}). Use https://api.moloni.pt/v1 or the test service's address."),
            ),
        }
    }
}

/// The grant errors of the reference (§1.3), said so the user knows what to fix.
fn grant_message(code: &str, description: &str) -> Localized {
    let d = description.to_ascii_lowercase();
    match code {
        "invalid_grant" if d.contains("username") || d.contains("password") => Localized::new(
            "Utilizador ou palavra-passe do Moloni errados. Confirme-os (são os de entrada em moloni.pt) e tente de novo.",
            "Wrong Moloni user or password. Check them (they are the ones you log in to moloni.pt with) and try again.",
        ),
        "invalid_grant" => Localized::new(
            "A sessão do Moloni expirou. Volte a ligar a conta com a palavra-passe.",
            "The Moloni session has expired. Connect the account again with the password.",
        ),
        "invalid_client" | "unauthorized_client" => Localized::new(
            "Client ID ou Client Secret do Moloni errados. Copie-os de novo da área de programador do Moloni.",
            "Wrong Moloni Client ID or Client Secret. Copy them again from Moloni's developer area.",
        ),
        "too_many_login_attempts" => Localized::new(
            "Demasiadas tentativas de entrada: o Moloni bloqueou a conta por uns minutos. Aguarde e tente de novo.",
            "Too many login attempts: Moloni locked the account for a few minutes. Wait, then try again.",
        ),
        _ => Localized::new(
            format!("O Moloni recusou a entrada ({code}: {description})."),
            format!("Moloni refused the login ({code}: {description})."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_strings_read_and_explain_themselves() {
        let e = ValidationError::parse("2 language_id 1 0", None).expect("parse");
        assert_eq!(
            (e.code, e.field.as_str(), e.params.clone()),
            (2, "language_id", vec!["1".to_string(), "0".to_string()])
        );
        assert!(e.message().pt.contains("língua"), "{}", e.message().pt);
        let e = ValidationError::parse("8 vat", None).expect("parse");
        assert!(e.message().pt.contains("NIF"));
        assert!(ValidationError::parse("name", None).is_none());
    }

    #[test]
    fn the_series_date_rule_says_which_date_and_what_to_do() {
        let e = ValidationError::parse("12 date >= 2026-11-30", None).expect("parse");
        let m = e.message();
        assert!(m.pt.contains("posterior a 30/11/2026") && m.pt.contains("Mude a data"), "{}", m.pt);
        assert!(m.en.contains("on or after 30/11/2026") && m.en.contains("issue it again"), "{}", m.en);
    }

    #[test]
    fn wrong_password_is_said_in_portuguese() {
        let e = Error::Grant {
            code: "invalid_grant".into(),
            description: "Invalid username and password combination".into(),
        };
        assert!(e.message().pt.contains("palavra-passe"), "{}", e.message().pt);
    }
}
