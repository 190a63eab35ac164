//! The OS keyring, the only place secrets live (Moloni client secret, password, refresh token): Windows
//! Credential Manager, macOS Keychain, Secret Service on Linux desktops, and the kernel keyring where no
//! Secret Service answers (a headless server), so `desk` works there too.
//!
//! `DESK_KEYRING=secret-service|kernel` forces a Linux store; `DESK_KEYRING_SERVICE` names the service the
//! entries are filed under (default `desk-moloni`), so tests can use their own without clobbering anyone's.

use desk_model::msg::Localized;
use keyring::Entry;
use std::sync::OnceLock;

/// The default service name.
pub const SERVICE: &str = "desk-moloni";

/// A keyring failure, said so the user knows what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("keyring: {0}")]
pub struct SecretsError(pub String);

impl SecretsError {
    /// For the user.
    pub fn message(&self) -> Localized {
        Localized::new(
            format!("Não foi possível usar o cofre de senhas do sistema ({}). No Linux, instale e desbloqueie o gnome-keyring (ou outro Secret Service); num servidor sem ambiente gráfico é usado o keyring do kernel.", self.0),
            format!("Could not use the system's password store ({}). On Linux, install and unlock gnome-keyring (or another Secret Service); on a server without a desktop the kernel keyring is used.", self.0),
        )
    }
}

/// Which store this process uses (chosen once).
pub fn store_name() -> &'static str {
    choose()
}

fn choose() -> &'static str {
    static CHOSEN: OnceLock<&'static str> = OnceLock::new();
    CHOSEN.get_or_init(|| {
        #[cfg(target_os = "linux")]
        {
            let wanted = std::env::var("DESK_KEYRING").unwrap_or_default();
            let secret_service_works = || {
                if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
                    return false;
                }
                keyring::set_default_credential_builder(keyring::secret_service::default_credential_builder());
                // A probe: "no entry" means the service answered.
                matches!(
                    Entry::new(SERVICE, "probe").map(|e| e.get_password()),
                    Ok(Ok(_)) | Ok(Err(keyring::Error::NoEntry))
                )
            };
            if wanted == "secret-service" || (wanted != "kernel" && secret_service_works()) {
                keyring::set_default_credential_builder(keyring::secret_service::default_credential_builder());
                return "secret-service";
            }
            keyring::set_default_credential_builder(super::kernel_keyring::builder());
            "kernel"
        }
        #[cfg(not(target_os = "linux"))]
        {
            "os"
        }
    })
}

fn service() -> String {
    std::env::var("DESK_KEYRING_SERVICE").ok().filter(|s| !s.is_empty()).unwrap_or_else(|| SERVICE.to_string())
}

fn entry(account: &str) -> Result<Entry, SecretsError> {
    choose();
    Entry::new(&service(), account).map_err(|e| SecretsError(e.to_string()))
}

/// Stores a secret (replacing any).
pub fn set(account: &str, secret: &str) -> Result<(), SecretsError> {
    entry(account)?.set_password(secret).map_err(|e| SecretsError(e.to_string()))
}

/// Reads a secret; `None` if there is none.
pub fn get(account: &str) -> Result<Option<String>, SecretsError> {
    match entry(account)?.get_password() {
        Ok(s) => Ok(Some(s)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(SecretsError(e.to_string())),
    }
}

/// Removes a secret (fine if there was none).
pub fn delete(account: &str) -> Result<(), SecretsError> {
    match entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(SecretsError(e.to_string())),
    }
}
