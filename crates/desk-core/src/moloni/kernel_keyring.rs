//! The Linux kernel keyring as a `keyring` store, in the **user** keyring (`@u`) rather than the session
//! keyring the `keyring` crate's own keyutils store uses: on a headless server each login (and, on this
//! project's CI machines, each process) gets its own session keyring, so a secret stored by `desk moloni
//! connect` was invisible to the next `desk` — and the crate's link into the persistent keyring is refused in
//! containers (`EACCES`, reported as "no entry"). The user keyring is shared by every process of the user and
//! lives until reboot; the key is made readable by the user (not only its possessor) for that reason.

use keyring::credential::{Credential, CredentialApi, CredentialBuilder, CredentialBuilderApi, CredentialPersistence};
use keyring::Error;
use linux_keyutils::{KeyError, KeyPermissions, KeyRing, KeyRingIdentifier, Permission};

/// One secret in the user keyring, named `desk:<service>:<account>`.
#[derive(Debug, Clone)]
struct UserKeyringCredential {
    description: String,
}

fn decode(e: KeyError) -> Error {
    match e {
        KeyError::KeyDoesNotExist | KeyError::KeyRevoked | KeyError::KeyExpired => Error::NoEntry,
        other => Error::PlatformFailure(Box::new(std::io::Error::other(format!("kernel keyring: {other:?}")))),
    }
}

fn ring() -> Result<KeyRing, Error> {
    KeyRing::from_special_id(KeyRingIdentifier::User, true).map_err(decode)
}

impl CredentialApi for UserKeyringCredential {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        if secret.is_empty() {
            return Err(Error::Invalid("secret".into(), "cannot be empty".into()));
        }
        let key = ring()?.add_key(&self.description, secret).map_err(decode)?;
        let mut perms = KeyPermissions::new();
        perms.set_posessor_perms(Permission::ALL);
        perms.set_user_perms(
            Permission::VIEW | Permission::READ | Permission::WRITE | Permission::SEARCH | Permission::SETATTR,
        );
        key.set_perms(perms).map_err(decode)
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        let key = ring()?.search(&self.description).map_err(decode)?;
        key.read_to_vec().map_err(decode)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        let key = ring()?.search(&self.description).map_err(decode)?;
        key.invalidate().map_err(decode)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Builds [`UserKeyringCredential`]s.
#[derive(Debug)]
struct UserKeyringBuilder;

impl CredentialBuilderApi for UserKeyringBuilder {
    fn build(&self, target: Option<&str>, service: &str, user: &str) -> keyring::Result<Box<Credential>> {
        let description = target.map(str::to_string).unwrap_or_else(|| format!("desk:{service}:{user}"));
        Ok(Box::new(UserKeyringCredential { description }))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn persistence(&self) -> CredentialPersistence {
        CredentialPersistence::UntilReboot
    }
}

/// The store.
pub fn builder() -> Box<CredentialBuilder> {
    Box::new(UserKeyringBuilder)
}
