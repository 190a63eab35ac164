//! Connecting the current company to Moloni: test the credentials, keep the secrets (client secret,
//! password, refresh token) only in the OS keyring ([`secrets`]), keep the URL, client id, user and the
//! company mapping in the local settings (nothing secret), and build a client from them for the engine.

pub mod issuer;
#[cfg(target_os = "linux")]
mod kernel_keyring;
pub mod links;
pub mod pdf;
pub mod secrets;
pub mod sync;
pub mod worker;

use crate::error::{CoreError, CoreResult};
use crate::Ctx;
use desk_model::ipc::{AppError, ErrorKind, FieldError, MoloniCompany, MoloniConnectInput, MoloniStatus};
use desk_model::msg::Localized;
use moloni::{Client, Config, Credentials, Secret};
use std::sync::Arc;

const URL: &str = "moloni.url";
const CLIENT_ID: &str = "moloni.client_id";
const USER: &str = "moloni.user";
const COMPANIES: &str = "moloni.companies";

fn company_key(cx: &Ctx) -> String {
    format!("moloni.company.{}", cx.company().id)
}

/// The keyring account of one secret of one Moloni user at one address.
fn account(kind: &str, url: &str, user: &str) -> String {
    format!("moloni-{kind}:{user}@{url}")
}

const CLIENT_SECRET: &str = "client-secret";
const PASSWORD: &str = "password";
const REFRESH: &str = "refresh-token";

fn field(name: &str, pt: &str, en: &str) -> FieldError {
    FieldError { field: name.into(), message: Localized::new(pt, en) }
}

/// A Moloni failure as the user sees it: grant and validation errors on the form's fields, the rest as a
/// remote failure whose message says what to do.
pub fn app_error(e: &moloni::Error) -> AppError {
    let message = e.message();
    let fields = match e {
        moloni::Error::Grant { code, description } if code == "invalid_grant" && description.contains("username") => {
            vec![FieldError { field: "password".into(), message: message.clone() }]
        }
        moloni::Error::Grant { code, .. } if code == "invalid_client" => {
            vec![FieldError { field: "client_secret".into(), message: message.clone() }]
        }
        moloni::Error::Validation { errors, .. } => {
            errors.iter().map(|v| FieldError { field: v.field.clone(), message: v.message() }).collect()
        }
        moloni::Error::Config(_) => vec![FieldError { field: "url".into(), message: message.clone() }],
        _ => Vec::new(),
    };
    let kind = if fields.is_empty() { ErrorKind::Remote } else { ErrorKind::Validation };
    AppError { kind, message, fields }
}

struct Stored {
    url: String,
    client_id: String,
    user: String,
}

async fn stored(cx: &Ctx) -> CoreResult<Option<Stored>> {
    let s = cx.store();
    match (s.setting(URL).await?, s.setting(CLIENT_ID).await?, s.setting(USER).await?) {
        (Some(url), Some(client_id), Some(user)) => Ok(Some(Stored { url, client_id, user })),
        _ => Ok(None),
    }
}

fn companies_of(list: &[moloni::types::Company]) -> Vec<MoloniCompany> {
    list.iter().map(|c| MoloniCompany { id: c.company_id, name: c.name.clone(), vat: c.vat.clone() }).collect()
}

/// The Moloni company the current company issues into, once connected and chosen.
pub async fn company_id(cx: &Ctx) -> CoreResult<Option<i64>> {
    let chosen: Option<MoloniCompany> =
        cx.store().setting(&company_key(cx)).await?.and_then(|t| serde_json::from_str(&t).ok());
    Ok(chosen.map(|c| c.id))
}

/// A client for the stored connection: secrets from the keyring; each new refresh token goes back there.
pub async fn client(cx: &Ctx) -> CoreResult<Option<Client>> {
    let Some(st) = stored(cx).await? else { return Ok(None) };
    let secret = secrets::get(&account(CLIENT_SECRET, &st.url, &st.user))?;
    let password = secrets::get(&account(PASSWORD, &st.url, &st.user))?;
    let refresh = secrets::get(&account(REFRESH, &st.url, &st.user))?;
    let Some(secret) = secret else { return Ok(None) };
    if password.is_none() && refresh.is_none() {
        return Ok(None);
    }
    let creds = Credentials {
        client_id: st.client_id.clone(),
        client_secret: Secret::new(secret),
        username: st.user.clone(),
        password: password.map(Secret::new),
    };
    let refresh_account = account(REFRESH, &st.url, &st.user);
    let mut client = Client::new(Config::new(&st.url), creds)?.on_tokens(Arc::new(move |t: &Secret| {
        if let Err(e) = secrets::set(&refresh_account, t.expose()) {
            tracing::warn!("could not store the rotated Moloni refresh token: {e}");
        }
    }));
    if let Some(r) = refresh {
        client = client.with_refresh_token(Secret::new(r));
    }
    Ok(Some(client))
}

/// The connection's state; with `check`, Moloni is asked (with the stored secrets) for the companies.
pub async fn status(cx: &Ctx, check: bool) -> CoreResult<MoloniStatus> {
    let Some(st) = stored(cx).await? else { return Ok(MoloniStatus::default()) };
    let mut companies: Vec<MoloniCompany> =
        cx.store().setting(COMPANIES).await?.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    let has_secrets = secrets::get(&account(CLIENT_SECRET, &st.url, &st.user))?.is_some();
    if check {
        let client = client(cx).await?.ok_or(CoreError::MoloniNotConnected)?;
        companies = companies_of(&client.companies().await?);
        cx.store().set_setting(COMPANIES, &serde_json::to_string(&companies).unwrap_or_default()).await?;
    }
    let company: Option<MoloniCompany> =
        cx.store().setting(&company_key(cx)).await?.and_then(|t| serde_json::from_str(&t).ok());
    Ok(MoloniStatus {
        connected: has_secrets && company.is_some(),
        url: Some(st.url),
        client_id: Some(st.client_id),
        user: Some(st.user),
        company,
        companies,
        checked: check,
    })
}

/// Tests the credentials with Moloni, then stores them (secrets in the keyring) and picks the company.
pub async fn connect(cx: &Ctx, input: &MoloniConnectInput) -> CoreResult<MoloniStatus> {
    let mut errors = Vec::new();
    let url =
        if input.url.trim().is_empty() { moloni::PRODUCTION_URL.to_string() } else { input.url.trim().to_string() };
    let url = match moloni::client::normalize_url(&url) {
        Ok(u) => u,
        Err(e) => {
            errors.push(FieldError { field: "url".into(), message: e.message() });
            String::new()
        }
    };
    for (name, value, pt, en) in [
        ("client_id", &input.client_id, "Indique o Client ID do Moloni.", "Enter the Moloni Client ID."),
        (
            "client_secret",
            &input.client_secret,
            "Indique o Client Secret do Moloni.",
            "Enter the Moloni Client Secret.",
        ),
        ("user", &input.user, "Indique o utilizador (e-mail) do Moloni.", "Enter the Moloni user (e-mail)."),
        ("password", &input.password, "Indique a palavra-passe do Moloni.", "Enter the Moloni password."),
    ] {
        if value.trim().is_empty() {
            errors.push(field(name, pt, en));
        }
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let user = input.user.trim().to_string();
    let latest = Arc::new(std::sync::Mutex::new(None::<Secret>));
    let sink_latest = latest.clone();
    let creds = Credentials {
        client_id: input.client_id.trim().to_string(),
        client_secret: Secret::new(input.client_secret.trim()),
        username: user.clone(),
        password: Some(Secret::new(input.password.clone())),
    };
    let client = Client::new(Config::new(&url), creds)?.on_tokens(Arc::new(move |t: &Secret| {
        if let Ok(mut l) = sink_latest.lock() {
            *l = Some(t.clone());
        }
    }));
    client.login().await?;
    let list = companies_of(&client.companies().await?);
    let chosen = match input.company_id {
        Some(id) => Some(list.iter().find(|c| c.id == id).cloned().ok_or_else(|| {
            CoreError::invalid(
                "company_id",
                Localized::new(
                    format!("O utilizador não tem acesso à empresa {id} no Moloni. Escolha uma das suas empresas."),
                    format!("The user has no access to company {id} in Moloni. Choose one of its companies."),
                ),
            )
        })?),
        None if list.len() == 1 => list.first().cloned(),
        None => None,
    };
    // A previous connection's secrets go first (another user or address).
    if let Some(old) = stored(cx).await? {
        if old.url != url || old.user != user {
            forget_secrets(&old.url, &old.user)?;
        }
    }
    secrets::set(&account(CLIENT_SECRET, &url, &user), input.client_secret.trim())?;
    secrets::set(&account(PASSWORD, &url, &user), &input.password)?;
    let refresh = latest.lock().ok().and_then(|l| l.clone());
    if let Some(r) = refresh {
        secrets::set(&account(REFRESH, &url, &user), r.expose())?;
    }
    let s = cx.store();
    s.set_setting(URL, &url).await?;
    s.set_setting(CLIENT_ID, input.client_id.trim()).await?;
    s.set_setting(USER, &user).await?;
    s.set_setting(COMPANIES, &serde_json::to_string(&list).unwrap_or_default()).await?;
    if let Some(c) = &chosen {
        s.set_setting(&company_key(cx), &serde_json::to_string(c).unwrap_or_default()).await?;
    }
    tracing::info!(user = %user, url = %url, companies = list.len(), "Moloni connected");
    let mut st = status(cx, false).await?;
    st.checked = true;
    Ok(st)
}

/// Chooses the Moloni company for the current local company (one the user has).
pub async fn pick_company(cx: &Ctx, company_id: i64) -> CoreResult<MoloniStatus> {
    let st = status(cx, false).await?;
    if st.url.is_none() {
        return Err(CoreError::MoloniNotConnected);
    }
    let Some(c) = st.companies.iter().find(|c| c.id == company_id) else {
        return Err(CoreError::invalid(
            "company_id",
            Localized::new(
                format!("A empresa {company_id} não é uma das empresas deste utilizador no Moloni."),
                format!("Company {company_id} is not one of this user's Moloni companies."),
            ),
        ));
    };
    cx.store().set_setting(&company_key(cx), &serde_json::to_string(c).unwrap_or_default()).await?;
    status(cx, false).await
}

fn forget_secrets(url: &str, user: &str) -> CoreResult<()> {
    for kind in [CLIENT_SECRET, PASSWORD, REFRESH] {
        secrets::delete(&account(kind, url, user))?;
    }
    Ok(())
}

/// Forgets the connection: the keyring's secrets and every Moloni setting of the data folder.
pub async fn disconnect(cx: &Ctx) -> CoreResult<MoloniStatus> {
    if let Some(st) = stored(cx).await? {
        forget_secrets(&st.url, &st.user)?;
    }
    sqlx::query("DELETE FROM settings WHERE key LIKE 'moloni.%'").execute(cx.store().local()).await?;
    Ok(MoloniStatus::default())
}
