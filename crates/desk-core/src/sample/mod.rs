//! Sample data: a handful of realistic Portuguese customers so a new user can try the app, and [`bulk`], a
//! generator of large realistic data sets for benchmarks and demos (`desk sample-data`).

use crate::context::Ctx;
use crate::customers;
use crate::error::CoreResult;
use desk_model::ipc::CustomerInput;

/// (name, NIF, e-mail, postal code, town, payment days)
const STARTER_CUSTOMERS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("Padaria Ribeiro, Lda.", "501234560", "encomendas@padariaribeiro.pt", "4450-123", "Matosinhos", "30"),
    ("João Gonçalves & Filhos, Lda.", "501964843", "geral@jgfilhos.pt", "1100-148", "Lisboa", "60"),
    ("Câmara Municipal de Óbidos", "506802698", "financeiro@cm-obidos.pt", "2510-001", "Óbidos", "30"),
    ("Maria Inês Araújo", "123456789", "mines.araujo@mail.pt", "3000-456", "Coimbra", ""),
    ("Consumidor final", "999999990", "", "", "", ""),
    ("Açores Pescas, S.A.", "512345678", "contabilidade@acorespescas.pt", "9500-150", "Ponta Delgada", "90"),
];

/// Adds the starter customers to the current company, skipping any whose NIF is already there.
pub async fn load_starter_customers(cx: &Ctx) -> CoreResult<usize> {
    let mut added = 0;
    for (name, nif, email, postal, city, days) in STARTER_CUSTOMERS {
        let input = CustomerInput {
            name: (*name).into(),
            nif: (*nif).into(),
            email: (*email).into(),
            postal_code: (*postal).into(),
            city: (*city).into(),
            payment_terms_days: (*days).into(),
            ..Default::default()
        };
        match customers::create(cx, &input).await {
            Ok(_) => added += 1,
            Err(crate::CoreError::DuplicateNif { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(added)
}

pub mod bulk;

pub use bulk::{generate, SampleReport, SampleSpec};
