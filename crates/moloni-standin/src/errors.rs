//! Validation errors as Moloni answers them: HTTP 200 with an array of `"<code> <field> <params>"`, or of
//! `{code, description}` objects when the call asked for `human_errors=true`.

use serde_json::{json, Value};

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VErr {
    /// Moloni's code (1 required, 2 numeric, 3 e-mail, 4 unique, 5 invalid, 7 postal code, 8 NIF, 9 date…).
    pub code: u32,
    /// The field.
    pub field: String,
    /// The code's parameters.
    pub params: Vec<String>,
}

impl VErr {
    /// A refused field.
    pub fn new(code: u32, field: &str) -> VErr {
        VErr { code, field: field.to_string(), params: Vec::new() }
    }

    /// With parameters (`2 language_id 1 0`: integer, greater than 0).
    pub fn with(code: u32, field: &str, params: &[&str]) -> VErr {
        VErr { code, field: field.to_string(), params: params.iter().map(|p| p.to_string()).collect() }
    }

    /// Parses `"2 net_value"` (faults give errors as text).
    pub fn parse(s: &str) -> Option<VErr> {
        let mut parts = s.split_whitespace();
        let code = parts.next()?.parse().ok()?;
        let field = parts.next()?.to_string();
        Some(VErr { code, field, params: parts.map(str::to_string).collect() })
    }

    /// The plain form.
    pub fn code_string(&self) -> String {
        let mut s = format!("{} {}", self.code, self.field);
        for p in &self.params {
            s.push(' ');
            s.push_str(p);
        }
        s
    }

    /// The `human_errors` description (the strings the reference quotes).
    pub fn description(&self) -> String {
        let f = &self.field;
        match self.code {
            1 => format!("Field '{f}' is required"),
            2 if self.params.get(1).is_some_and(|p| p == "0") => format!("Field '{f}' must be integer, greater than 0"),
            2 => format!("Field '{f}' must be numeric"),
            3 => format!("Field '{f}' must be a valid email address"),
            4 => format!("Field '{f}' must be unique"),
            5 => format!("Field '{f}' must be valid"),
            7 => format!("Field '{f}' must be a valid postal code"),
            8 => format!("Field '{f}' must be a valid Portuguese VAT number"),
            9 => format!("Field '{f}' must be a date YYYY-mm-dd"),
            10 => format!("Field '{f}' is an invalid document association"),
            15 => format!("Field '{f}' has more than one VAT"),
            16 => "Customer must be identified (CIVA art. 36 nº15)".to_string(),
            17 => format!("Field '{f}' reached its length limit"),
            _ => format!("Field '{f}' is invalid"),
        }
    }
}

/// The answer body for a list of errors.
pub fn render(errors: &[VErr], human: bool) -> Value {
    Value::Array(
        errors
            .iter()
            .map(|e| {
                if human {
                    json!({"code": e.code_string(), "description": e.description()})
                } else {
                    json!(e.code_string())
                }
            })
            .collect(),
    )
}
