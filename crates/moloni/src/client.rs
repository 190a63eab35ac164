//! The transport: grants (password, refresh with rotation), every call as the API takes it (POST,
//! `access_token` in the query, PHP-bracket form body or `json=true`), the error shapes it really answers,
//! one refresh and one retry on a refused token, back-off with jitter on 429/5xx honouring `Retry-After`,
//! and timeouts reported as "outcome unknown". Nothing here logs or returns a secret or a URL with one.

use crate::error::{Error, ValidationError};
use crate::form;
use crate::secret::Secret;
use crate::types::TokenResponse;
use backon::{ExponentialBuilder, Retryable};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The production API.
pub const PRODUCTION_URL: &str = "https://api.moloni.pt/v1";

/// Lists are paged by at most this many rows (the API's maximum `qty`).
pub const PAGE: i64 = 50;

/// Who connects: the developer app's id and secret, and the Moloni user.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// Developer client id.
    pub client_id: String,
    /// Developer client secret.
    pub client_secret: Secret,
    /// The login e-mail.
    pub username: String,
    /// The password, kept to log in again when the refresh token has expired (14 days).
    pub password: Option<Secret>,
}

/// How hard to retry 429/5xx answers.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt (the WooCommerce plugin makes 5 attempts in all).
    pub max_retries: usize,
    /// First wait.
    pub min_delay: Duration,
    /// Longest wait between two attempts.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the call fails as unavailable.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// Connection settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The API's base (`https://api.moloni.pt/v1`; a stand-in's `http://127.0.0.1:8690`).
    pub url: String,
    /// Whole-request timeout; past it the outcome is unknown.
    pub timeout: Duration,
    /// Connection timeout (nothing was sent when it passes).
    pub connect_timeout: Duration,
    /// Back-off.
    pub retry: RetryPolicy,
    /// Send bodies as JSON with `json=true` instead of PHP-bracket forms.
    pub json_bodies: bool,
}

impl Config {
    /// Production defaults for a URL.
    pub fn new(url: impl Into<String>) -> Config {
        Config {
            url: url.into(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            json_bodies: false,
        }
    }
}

/// Called with the new refresh token after every grant (it rotates), so it can be stored in the keyring.
pub type TokenSink = Arc<dyn Fn(&Secret) + Send + Sync>;

#[derive(Clone)]
struct Session {
    access: Secret,
    refresh: Secret,
    expires_at: Instant,
}

/// A Moloni API client for one user. Cheap to share behind an `Arc`; one refresh at a time.
pub struct Client {
    http: reqwest::Client,
    base: String,
    creds: Credentials,
    config: Config,
    session: Mutex<Option<Session>>,
    stored_refresh: Mutex<Option<Secret>>,
    sink: Option<TokenSink>,
    /// Time spent waiting on HTTP (request sent → whole answer read), in nanoseconds: what the issuing bench
    /// reports apart from the time spent in our code.
    http_nanos: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base", &self.base).field("user", &self.creds.username).finish_non_exhaustive()
    }
}

/// Normalises a base URL: no trailing slash, `/v1` added when only a host was given.
pub fn normalize_url(url: &str) -> Result<String, Error> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| Error::Config("the address must start with https:// or http://".into()))?;
    if rest.is_empty() || rest.contains('?') || rest.contains('#') || rest.contains(' ') {
        return Err(Error::Config("the address has no host, or has a query".into()));
    }
    Ok(if rest.contains('/') { url.to_string() } else { format!("{url}/v1") })
}

/// Whether a call changes data: only `get*`/`count*` are safe to repeat.
pub fn is_write(endpoint: &str) -> bool {
    let method = endpoint.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    !(method.starts_with("get") || method.starts_with("count"))
}

/// One attempt's failure, and whether another attempt may follow.
struct Attempt {
    error: Error,
    retry: bool,
    retry_after: Option<Duration>,
}

impl Attempt {
    fn fatal(error: Error) -> Attempt {
        Attempt { error, retry: false, retry_after: None }
    }
}

/// What an answer to a resource call means.
enum Outcome {
    Ok(Value),
    /// The token was refused: refresh once and try again.
    Token(Error),
}

impl Client {
    /// A client for these credentials (no network yet).
    pub fn new(config: Config, creds: Credentials) -> Result<Client, Error> {
        let base = normalize_url(&config.url)?;
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("desk-moloni/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| Error::Config("the HTTP client could not start".into()))?;
        Ok(Client {
            http,
            base,
            creds,
            config,
            session: Mutex::new(None),
            stored_refresh: Mutex::new(None),
            sink: None,
            http_nanos: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The total time this client has spent waiting on HTTP answers.
    pub fn http_time(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.http_nanos.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Starts from a stored refresh token (the first call refreshes it instead of logging in).
    pub fn with_refresh_token(mut self, refresh: Secret) -> Client {
        self.stored_refresh = Mutex::new(Some(refresh));
        self
    }

    /// Calls `sink` with each new refresh token.
    pub fn on_tokens(mut self, sink: TokenSink) -> Client {
        self.sink = Some(sink);
        self
    }

    /// Downloads the PDF behind a `getPDFLink` answer. The link is a landing page, not the file: like Moloni's own
    /// shop plugin, this asks its `index.php?action=getDownload` with the link's query (reference §4.7), and checks
    /// that what comes back is a PDF.
    pub async fn download_pdf(&self, link: &crate::types::PdfLink) -> Result<Vec<u8>, Error> {
        const ENDPOINT: &str = "downloads/getDownload";
        let bad = |detail: &str| Error::Malformed { endpoint: ENDPOINT.into(), detail: detail.into() };
        let page = reqwest::Url::parse(&link.url).map_err(|_| bad("the PDF link is not an address"))?;
        let query = page.query().filter(|q| !q.is_empty()).ok_or_else(|| bad("the PDF link has no token"))?;
        let mut url = page.join("index.php").map_err(|_| bad("the PDF link is not an address"))?;
        url.set_query(Some(&format!("action=getDownload&{query}&e=&t=n")));
        let started = std::time::Instant::now();
        let answer = self.http.get(url).send().await;
        let waited = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.http_nanos.fetch_add(waited, std::sync::atomic::Ordering::Relaxed);
        let answer = answer.map_err(|e| transport(ENDPOINT, false, e).error)?;
        let status = answer.status();
        if !status.is_success() {
            return Err(Error::Unavailable { endpoint: ENDPOINT.into(), status: status.as_u16() });
        }
        let bytes = answer.bytes().await.map_err(|e| transport(ENDPOINT, false, e).error)?;
        if !bytes.starts_with(b"%PDF") {
            return Err(bad("the download is not a PDF"));
        }
        Ok(bytes.to_vec())
    }

    /// The API base in use.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Logs in with the password (the connection test).
    pub async fn login(&self) -> Result<(), Error> {
        let mut session = self.session.lock().await;
        *session = Some(self.password_grant().await?);
        Ok(())
    }

    async fn password_grant(&self) -> Result<Session, Error> {
        let Some(password) = self.creds.password.as_ref() else {
            return Err(Error::Grant {
                code: "invalid_grant".into(),
                description: "Refresh token has expired and no password is stored".into(),
            });
        };
        self.grant(&[
            ("grant_type", "password"),
            ("client_id", &self.creds.client_id),
            ("client_secret", self.creds.client_secret.expose()),
            ("username", &self.creds.username),
            ("password", password.expose()),
        ])
        .await
    }

    async fn refresh_grant(&self, refresh: &Secret) -> Result<Session, Error> {
        self.grant(&[
            ("grant_type", "refresh_token"),
            ("client_id", &self.creds.client_id),
            ("client_secret", self.creds.client_secret.expose()),
            ("refresh_token", refresh.expose()),
        ])
        .await
    }

    /// `POST …/grant/` with the parameters in the query string (production refuses them in the body).
    async fn grant(&self, params: &[(&str, &str)]) -> Result<Session, Error> {
        let endpoint = "grant";
        let url = format!("{}/grant/", self.base);
        let send = || async {
            let response =
                self.http.post(&url).query(params).send().await.map_err(|e| transport(endpoint, false, e))?;
            let status = response.status().as_u16();
            let retry_after = retry_after(response.headers());
            let bytes = response.bytes().await.map_err(|e| transport(endpoint, false, e))?;
            if status == 429 || status >= 500 {
                return Err(Attempt {
                    error: Error::Unavailable { endpoint: endpoint.into(), status },
                    retry: true,
                    retry_after,
                });
            }
            let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
                Attempt::fatal(Error::Malformed { endpoint: endpoint.into(), detail: format!("HTTP {status}: {e}") })
            })?;
            if let Some(code) = value.get("error").and_then(Value::as_str) {
                let description = value.get("error_description").and_then(Value::as_str).unwrap_or("").to_string();
                return Err(Attempt::fatal(Error::Grant { code: code.to_string(), description }));
            }
            serde_json::from_value::<TokenResponse>(value).map_err(|e| {
                Attempt::fatal(Error::Malformed { endpoint: endpoint.into(), detail: format!("HTTP {status}: {e}") })
            })
        };
        let tokens = self.with_retries(send).await?;
        let expires_in = u64::try_from(tokens.expires_in).unwrap_or(0).clamp(60, 3600);
        let session = Session {
            access: Secret::new(tokens.access_token),
            refresh: Secret::new(tokens.refresh_token),
            // Renew a little early (plugins use 50 of the 60 minutes).
            expires_at: Instant::now() + Duration::from_secs(expires_in * 5 / 6),
        };
        if let Some(sink) = &self.sink {
            sink(&session.refresh);
        }
        Ok(session)
    }

    /// A valid access token: the current one, else a refresh, else the password.
    async fn access_token(&self, refused: Option<&Secret>) -> Result<Secret, Error> {
        let mut session = self.session.lock().await;
        if let Some(s) = session.as_ref() {
            // Someone else already refreshed since our token was refused: use theirs.
            let refused_this = refused.is_some_and(|r| r == &s.access);
            if !refused_this && s.expires_at > Instant::now() {
                return Ok(s.access.clone());
            }
        }
        let refresh = match session.as_ref() {
            Some(s) => Some(s.refresh.clone()),
            None => self.stored_refresh.lock().await.take(),
        };
        let fresh = match refresh {
            Some(r) => match self.refresh_grant(&r).await {
                Ok(s) => s,
                // Expired or rotated away (another desktop refreshed): log in again if we can.
                Err(Error::Grant { .. }) if self.creds.password.is_some() => self.password_grant().await?,
                Err(e) => return Err(e),
            },
            None => self.password_grant().await?,
        };
        let access = fresh.access.clone();
        *session = Some(fresh);
        Ok(access)
    }

    /// Calls `resource/method` with a body; the answer parsed into `T`.
    pub async fn call<T: DeserializeOwned>(&self, endpoint: &str, body: Value) -> Result<T, Error> {
        let value = self.call_value(endpoint, body).await?;
        serde_json::from_value(value)
            .map_err(|e| Error::Malformed { endpoint: endpoint.to_string(), detail: format!("unexpected shape: {e}") })
    }

    /// Calls `resource/method` and returns the JSON answer (errors already recognised).
    pub async fn call_value(&self, endpoint: &str, body: Value) -> Result<Value, Error> {
        let token = self.access_token(None).await?;
        match self.call_with(endpoint, &body, &token).await? {
            Outcome::Ok(v) => Ok(v),
            Outcome::Token(_) => {
                // One refresh, one retry.
                tracing::info!(endpoint, "Moloni refused the access token; refreshing once");
                let token = self.access_token(Some(&token)).await?;
                match self.call_with(endpoint, &body, &token).await? {
                    Outcome::Ok(v) => Ok(v),
                    Outcome::Token(e) => Err(e),
                }
            }
        }
    }

    /// Every page of a list (`qty` 50, `offset` +50) until a short page; stops if a page repeats.
    pub async fn get_all<T: DeserializeOwned>(&self, endpoint: &str, body: Value) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        let mut offset = 0;
        let mut previous: Option<Value> = None;
        loop {
            let mut page_body = body.clone();
            if let Value::Object(m) = &mut page_body {
                m.insert("qty".into(), PAGE.into());
                m.insert("offset".into(), offset.into());
            }
            let page = self.call_value(endpoint, page_body).await?;
            let Value::Array(rows) = &page else {
                return Err(Error::Malformed { endpoint: endpoint.into(), detail: "a list was expected".into() });
            };
            // Some filters ignore `offset` and answer the same page again: stop rather than loop.
            if rows.is_empty() || previous.as_ref() == Some(&page) {
                break;
            }
            let n = rows.len() as i64;
            for row in rows {
                all.push(serde_json::from_value(row.clone()).map_err(|e| Error::Malformed {
                    endpoint: endpoint.into(),
                    detail: format!("unexpected shape: {e}"),
                })?);
            }
            if n < PAGE {
                break;
            }
            offset += n;
            previous = Some(page);
        }
        Ok(all)
    }

    async fn call_with(&self, endpoint: &str, body: &Value, token: &Secret) -> Result<Outcome, Error> {
        let write = is_write(endpoint);
        let url = format!("{}/{}/", self.base, endpoint.trim_matches('/'));
        let mut query = vec![("access_token", token.expose()), ("human_errors", "true")];
        if self.config.json_bodies {
            query.push(("json", "true"));
        }
        let send = || async {
            let request = self.http.post(&url).query(&query);
            let request = if self.config.json_bodies {
                request.header("content-type", "application/json").body(body.to_string())
            } else {
                request.form(&form::flatten(body))
            };
            let started = std::time::Instant::now();
            let answer = async {
                let response = request.send().await.map_err(|e| transport(endpoint, write, e))?;
                let status = response.status().as_u16();
                let retry_after = retry_after(response.headers());
                let bytes = response.bytes().await.map_err(|e| transport(endpoint, write, e))?;
                Ok::<_, Attempt>((status, retry_after, bytes))
            }
            .await;
            let waited = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
            self.http_nanos.fetch_add(waited, std::sync::atomic::Ordering::Relaxed);
            let (status, retry_after, bytes) = answer?;
            classify(endpoint, write, status, retry_after, &bytes)
        };
        self.with_retries(send).await
    }

    /// Runs attempts with exponential back-off and jitter; a `Retry-After` header sets the wait.
    async fn with_retries<T, F, Fut>(&self, attempt: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, Attempt>>,
    {
        let p = self.config.retry;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(p.min_delay)
            .with_max_delay(p.max_delay)
            .with_max_times(p.max_retries)
            .with_jitter();
        let max_after = p.max_retry_after;
        attempt
            .retry(backoff)
            .when(move |a: &Attempt| a.retry && a.retry_after.is_none_or(|d| d <= max_after))
            .adjust(|a: &Attempt, d| match (a.retry_after, d) {
                // Honour the server's wait (the back-off's own schedule still bounds the number of tries).
                (Some(after), Some(_)) => Some(after),
                (_, d) => d,
            })
            .notify(|a: &Attempt, d| {
                tracing::info!(wait_ms = d.as_millis() as u64, "Moloni: retrying after {}", a.error)
            })
            .await
            .map_err(|a| a.error)
    }
}

/// Reads a `Retry-After` given in seconds.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers.get("retry-after")?.to_str().ok()?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A transport failure as an attempt, with no URL (reqwest's messages carry the query, hence the token).
fn transport(endpoint: &str, write: bool, e: reqwest::Error) -> Attempt {
    let endpoint = endpoint.to_string();
    if e.is_connect() {
        // Nothing was sent: safe to try again, for writes too.
        return Attempt {
            error: Error::Unreachable { detail: "connection failed".into() },
            retry: true,
            retry_after: None,
        };
    }
    let detail = if e.is_timeout() { "no answer within the time limit" } else { "connection lost before the answer" };
    // A write may have been done: never repeat it here. A read may be repeated.
    Attempt {
        error: Error::OutcomeUnknown { endpoint, detail: detail.into(), write },
        retry: !write,
        retry_after: None,
    }
}

/// What an HTTP answer to a resource call means.
fn classify(
    endpoint: &str,
    write: bool,
    status: u16,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<Outcome, Attempt> {
    let ep = || endpoint.to_string();
    if status == 429 {
        // Rate limited: not done, so safe to retry even a write.
        return Err(Attempt { error: Error::Unavailable { endpoint: ep(), status }, retry: true, retry_after });
    }
    if status >= 500 {
        if write {
            // The server may have done the work before failing.
            return Err(Attempt::fatal(Error::OutcomeUnknown {
                endpoint: ep(),
                detail: format!("server error HTTP {status}"),
                write,
            }));
        }
        return Err(Attempt { error: Error::Unavailable { endpoint: ep(), status }, retry: true, retry_after });
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) if write && status < 300 => {
            return Err(Attempt::fatal(Error::OutcomeUnknown {
                endpoint: ep(),
                detail: format!("unreadable answer: {e}"),
                write,
            }))
        }
        Err(e) => {
            let error = Error::Malformed { endpoint: ep(), detail: format!("HTTP {status}: {e}") };
            // A garbled read can be asked again.
            return Err(Attempt { error, retry: !write, retry_after: None });
        }
    };
    if let Some(code) = value.get("error").filter(|_| value.is_object()) {
        let code = code.as_str().unwrap_or("error").to_string();
        let description = value.get("error_description").and_then(Value::as_str).unwrap_or("").to_string();
        let token_error = status == 401
            || description.to_ascii_lowercase().contains("access token")
            || matches!(code.as_str(), "invalid_token" | "expired_token" | "invalid_grant" | "forbidden");
        if token_error && !description.to_ascii_lowercase().contains("company_id") {
            let error = if code == "forbidden" {
                Error::Refused { endpoint: ep(), code, description }
            } else {
                Error::Unauthorized { description }
            };
            return Ok(Outcome::Token(error));
        }
        return Err(Attempt::fatal(Error::Refused { endpoint: ep(), code, description }));
    }
    if status >= 400 {
        return Err(Attempt::fatal(Error::Malformed { endpoint: ep(), detail: format!("HTTP {status}") }));
    }
    if let Some(errors) = validation_errors(&value) {
        return Err(Attempt::fatal(Error::Validation { endpoint: ep(), errors }));
    }
    if value.get("valid").and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))) == Some(0) {
        return Err(Attempt::fatal(Error::NotDone { endpoint: ep() }));
    }
    Ok(Outcome::Ok(value))
}

/// A non-empty array whose every entry is a validation error: `"1 name"`, `{code, description}`, or nested
/// arrays of those (line errors).
pub fn validation_errors(value: &Value) -> Option<Vec<ValidationError>> {
    let Value::Array(items) = value else { return None };
    if items.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::String(s) => out.push(ValidationError::parse(s, None)?),
            Value::Object(o) => {
                let code = o.get("code")?.as_str()?;
                let description = o.get("description").and_then(Value::as_str).map(str::to_string);
                out.push(ValidationError::parse(code, description)?);
            }
            Value::Array(_) => out.extend(validation_errors(item)?),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls_and_write_calls() {
        assert_eq!(normalize_url("http://127.0.0.1:8690").expect("url"), "http://127.0.0.1:8690/v1");
        assert_eq!(normalize_url("https://api.moloni.pt/v1/").expect("url"), "https://api.moloni.pt/v1");
        assert!(normalize_url("ftp://x").is_err());
        assert!(is_write("invoices/insert") && is_write("documents/documentCancel"));
        assert!(!is_write("customers/getByVat") && !is_write("documents/count"));
    }

    #[test]
    fn every_error_shape_is_recognised() {
        let plain = validation_errors(&json!(["1 name", "2 language_id 1 0"])).expect("plain");
        assert_eq!(plain.len(), 2);
        let human = validation_errors(
            &json!([{"code": "3 email", "description": "Field 'email' must be a valid email address"}]),
        )
        .expect("human");
        assert_eq!(human[0].description.as_deref(), Some("Field 'email' must be a valid email address"));
        assert_eq!(validation_errors(&json!([["10 associated_id"], "5 related_id"])).expect("nested").len(), 2);
        // A list of records is not an error list (tax exemptions have a `code` too).
        assert!(validation_errors(&json!([{"code": "M01", "name": "Artigo 16.º"}])).is_none());
        assert!(validation_errors(&json!([])).is_none());
        let token = classify(
            "customers/getAll",
            false,
            200,
            None,
            br#"{"error":"invalid_token","error_description":"Invalid access token."}"#,
        );
        assert!(matches!(token, Ok(Outcome::Token(_))));
        let not_done = classify("customers/delete", true, 200, None, br#"{"valid":0}"#);
        assert!(matches!(not_done, Err(Attempt { error: Error::NotDone { .. }, .. })));
        let lost = classify("invoices/insert", true, 200, None, b"{\"valid\":1,");
        assert!(matches!(lost, Err(Attempt { error: Error::OutcomeUnknown { write: true, .. }, retry: false, .. })));
    }
}
