//! Connecting a Moloni account (Definições › Moloni, `desk moloni`): what is typed, and the connection's state.
//! Nothing here is stored as typed: the secrets go to the OS keyring, the rest to the local settings.

use serde::{Deserialize, Serialize};

/// The connection form. Its `Debug` hides the secrets.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MoloniConnectInput {
    /// The API address; blank means production (`https://api.moloni.pt/v1`).
    pub url: String,
    /// The developer client id.
    pub client_id: String,
    /// The developer client secret (kept in the keyring).
    pub client_secret: String,
    /// The Moloni login e-mail.
    pub user: String,
    /// The Moloni password (kept in the keyring, to log in again when the session expires).
    pub password: String,
    /// The Moloni company for the current local company; none: the only one, or ask.
    pub company_id: Option<i64>,
}

impl std::fmt::Debug for MoloniConnectInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MoloniConnectInput")
            .field("url", &self.url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("user", &self.user)
            .field("password", &"***")
            .field("company_id", &self.company_id)
            .finish()
    }
}

/// A Moloni company the user can work in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoloniCompany {
    /// Moloni's company id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// NIF.
    pub vat: String,
}

/// The state of the Moloni connection for the current local company.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MoloniStatus {
    /// Connected: credentials in the keyring and a Moloni company chosen for this local company.
    pub connected: bool,
    /// The API address.
    pub url: Option<String>,
    /// The developer client id.
    pub client_id: Option<String>,
    /// The Moloni user.
    pub user: Option<String>,
    /// The Moloni company chosen for this local company.
    pub company: Option<MoloniCompany>,
    /// The user's companies, to choose from when there are several.
    pub companies: Vec<MoloniCompany>,
    /// Whether Moloni was asked just now (a status check or a connection), rather than only the stored state.
    pub checked: bool,
}
