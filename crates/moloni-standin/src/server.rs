//! The HTTP side (axum): `/v1/grant/`, `POST /v1/<resource>/<method>/` (with or without the slash), the PDF
//! download pages, and the admin routes `/_standin/faults`, `/_standin/clock`, `/_standin/state`.

use crate::errors::{render, VErr};
use crate::faults::{Fault, FaultKind, Faults, FaultsRequest, When};
use crate::handlers::Ctx;
use crate::params::{form_to_json, Read};
use crate::state::{State, Token};
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU16, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// What every request shares.
pub struct Shared {
    /// The records.
    pub state: Mutex<State>,
    /// Faults waiting.
    pub faults: Mutex<Faults>,
    /// List lag in seconds.
    pub lag_seconds: AtomicI64,
    /// HTTP status of a refused access token (the real one is unconfirmed; 401 by default).
    pub token_status: AtomicU16,
    /// The stand-in's own address.
    pub base_url: Mutex<String>,
    /// Where to save the state, if anywhere.
    pub state_file: Option<PathBuf>,
}

impl Shared {
    /// The state (a poisoned lock is taken over: the stand-in keeps answering).
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The faults.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn save(&self, s: &State) {
        if let Some(path) = &self.state_file {
            if let Ok(text) = serde_json::to_string_pretty(s) {
                let tmp = path.with_extension("tmp");
                if std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, path)).is_err() {
                    eprintln!("moloni-standin: could not save the state to {}", path.display());
                }
            }
        }
    }
}

type App = Arc<Shared>;

/// The routes.
pub fn router(shared: App) -> Router {
    Router::new()
        .route("/v1/grant", get(grant).post(grant))
        .route("/v1/grant/", get(grant).post(grant))
        .route("/sandbox/grant/", get(grant).post(grant))
        .route("/v1/{resource}/{method}", post(resource))
        .route("/v1/{resource}/{method}/", post(resource))
        .route("/sandbox/{resource}/{method}/", post(resource))
        .route("/downloads/", get(download_page))
        .route("/downloads/index.php", get(download))
        .route("/_standin/faults", post(set_faults).get(list_faults).delete(clear_faults))
        .route("/_standin/clock", post(clock))
        .route("/_standin/state", get(dump))
        .with_state(shared)
}

fn json_response(status: u16, v: &Value) -> Response {
    let mut r = (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), v.to_string()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

fn query_pairs(q: &Option<String>) -> Value {
    form_to_json(q.as_deref().unwrap_or(""))
}

fn grant_error(code: &str, description: &str) -> Response {
    json_response(400, &json!({"error": code, "error_description": description}))
}

async fn grant(AxState(app): AxState<App>, RawQuery(q): RawQuery, body: Bytes) -> Response {
    if let Some(r) = fault_response(&app, "grant", When::Before, None).await {
        return r;
    }
    let mut p = query_pairs(&q);
    // Production reads the query; accept a form body too (the sandbox does).
    if let (Value::Object(m), Value::Object(b)) = (&mut p, form_to_json(&String::from_utf8_lossy(&body))) {
        for (k, v) in b {
            m.entry(k).or_insert(v);
        }
    }
    let answer = {
        let mut s = app.state();
        let grant_type = p.text("grant_type");
        if grant_type.is_empty() {
            return grant_error("invalid_request", "The grant type was not specified in the request");
        }
        if !matches!(grant_type.as_str(), "password" | "refresh_token" | "authorization_code") {
            return grant_error("unsupported_grant_type", &format!("Grant type \"{grant_type}\" not supported"));
        }
        let client_id = p.text("client_id");
        if client_id.is_empty() {
            return grant_error("invalid_client", "No client id supplied");
        }
        if !s.apps.iter().any(|a| a.client_id == client_id && a.client_secret == p.text("client_secret")) {
            return grant_error("invalid_client", "The client credentials are invalid");
        }
        let now = s.now();
        let username = match grant_type.as_str() {
            "password" => {
                let (user, password) = (p.text("username"), p.text("password"));
                if user.is_empty() || password.is_empty() {
                    return grant_error(
                        "invalid_request",
                        "Missing parameters: \"username\" and \"password\" required",
                    );
                }
                if !s.users.iter().any(|u| u.username.eq_ignore_ascii_case(&user) && u.password == password) {
                    return grant_error("invalid_grant", "Invalid username and password combination");
                }
                user
            }
            "refresh_token" => {
                let refresh = p.text("refresh_token");
                if refresh.is_empty() {
                    return grant_error("invalid_request", "Missing parameter: \"refresh_token\" is required");
                }
                let Some(i) = s.tokens.iter().position(|t| t.refresh == refresh && t.client_id == client_id) else {
                    return grant_error("invalid_grant", "Invalid refresh token");
                };
                let old = s.tokens.remove(i);
                if old.refresh_expires <= now {
                    return grant_error("invalid_grant", "Refresh token has expired");
                }
                old.username
            }
            _ => return grant_error("invalid_grant", "Authorization code doesn't exist or is invalid for the client"),
        };
        let (access, refresh) = (s.new_token(), s.new_token());
        s.tokens.push(Token {
            access: access.clone(),
            refresh: refresh.clone(),
            username,
            client_id,
            access_expires: now + 3600,
            refresh_expires: now + 14 * 24 * 3600,
        });
        app.save(&s);
        json!({"access_token": access, "expires_in": 3600, "token_type": "bearer", "scope": null, "refresh_token": refresh})
    };
    if let Some(r) = fault_response(&app, "grant", When::After, None).await {
        return r;
    }
    json_response(200, &answer)
}

/// Global lists need no company.
fn global(resource: &str) -> bool {
    matches!(resource, "countries" | "taxExemptions" | "languages" | "currencies" | "fiscalZones")
}

async fn resource(
    AxState(app): AxState<App>,
    Path((resource, method)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let endpoint = format!("{resource}/{method}");
    let query = query_pairs(&q);
    let token = query.text("access_token");
    if let Some(r) = fault_response(&app, &endpoint, When::Before, Some(&token)).await {
        return r;
    }
    let human = query.text("human_errors") == "true";
    let token_status = app.token_status.load(Ordering::Relaxed);
    let text = String::from_utf8_lossy(&body).to_string();
    let answer = {
        let mut s = app.state();
        let now = s.now();
        let Some(user) =
            s.tokens.iter().find(|t| t.access == token && t.access_expires > now).map(|t| t.username.clone())
        else {
            return json_response(
                token_status,
                &json!({"error": "invalid_token", "error_description": "Invalid access token."}),
            );
        };
        let json_mode = query.text("json") == "true";
        let b = if json_mode {
            serde_json::from_str::<Value>(&text).unwrap_or(json!({}))
        } else if text.trim_start().starts_with('{') {
            // A JSON body without json=true is not read as JSON.
            return json_response(200, &json!({"error": "forbidden", "error_description": "No company_id received"}));
        } else {
            form_to_json(&text)
        };
        let companies = s
            .users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(&user))
            .map(|u| u.companies.clone())
            .unwrap_or_default();
        if endpoint == "companies/getAll" {
            let rows: Vec<Value> = s
                .table("companies")
                .iter()
                .filter(|c| c.int("company_id").is_some_and(|id| companies.contains(&id)))
                .map(crate::state::public)
                .collect();
            Value::Array(rows)
        } else {
            let company = b.int("company_id");
            let company = match company {
                Some(c) if companies.contains(&c) => c,
                Some(_) => return json_response(200, &json!({"error": "forbidden", "error_description": "Forbidden"})),
                None if global(&resource) => 0,
                None => {
                    return json_response(
                        200,
                        &json!({"error": "forbidden", "error_description": "No company_id received"}),
                    )
                }
            };
            let base_url = app.base_url.lock().map(|u| u.clone()).unwrap_or_default();
            let ctx =
                Ctx { company, username: user, base_url, now, lag_seconds: app.lag_seconds.load(Ordering::Relaxed) };
            let result = if resource == "documents" || crate::documents::type_of(&resource).is_some() {
                crate::documents::handle(&mut s, &ctx, &resource, &method, &b)
            } else {
                crate::handlers::handle(&mut s, &ctx, &resource, &method, &b)
            };
            if !(method.starts_with("get") || method == "count") || method == "getPDFLink" {
                app.save(&s);
            }
            match result {
                Ok(v) => v,
                Err(errors) => render(&errors, human),
            }
        }
    };
    if let Some(r) = fault_response(&app, &endpoint, When::After, Some(&token)).await {
        return r;
    }
    json_response(200, &answer)
}

/// The fault for this call, as the answer it gives (after the work for `When::After`).
async fn fault_response(app: &App, endpoint: &str, when: When, token: Option<&str>) -> Option<Response> {
    let fault: Fault = app.faults().take(endpoint, when)?;
    Some(match fault.kind {
        FaultKind::Timeout => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms.unwrap_or(60_000))).await;
            (StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout").into_response()
        }
        FaultKind::ServerError => (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response(),
        FaultKind::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response(),
        FaultKind::RateLimit => {
            let mut r = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            let after = fault.retry_after.unwrap_or(1).to_string();
            if let Ok(v) = HeaderValue::from_str(&after) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        FaultKind::MalformedJson => json_text(r#"{"valid": 1, "document_id": "#),
        FaultKind::ExpiredToken => {
            if let Some(t) = token {
                let mut s = app.state();
                let now = s.now();
                if let Some(tok) = s.tokens.iter_mut().find(|x| x.access == t) {
                    tok.access_expires = now - 1;
                }
            }
            let status = app.token_status.load(Ordering::Relaxed);
            json_response(status, &json!({"error": "invalid_token", "error_description": "Invalid access token."}))
        }
        FaultKind::LostResponse => {
            // Headers go out, then the body breaks: the client never gets a whole answer.
            let chunks: Vec<Result<Bytes, std::io::Error>> =
                vec![Ok(Bytes::from_static(b"{\"valid\":")), Err(std::io::Error::other("connection lost"))];
            let mut r = Response::new(Body::from_stream(futures_stream(chunks)));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        FaultKind::Validation => {
            let errors: Vec<VErr> = fault.errors.iter().filter_map(|e| VErr::parse(e)).collect();
            json_response(200, &render(&errors, true))
        }
    })
}

fn json_text(text: &'static str) -> Response {
    let mut r = (StatusCode::OK, text).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// A stream over ready items, without a futures dependency.
fn futures_stream(
    items: Vec<Result<Bytes, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> {
    struct Iter(std::vec::IntoIter<Result<Bytes, std::io::Error>>);
    impl futures_core::Stream for Iter {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Iter(items.into_iter())
}

async fn download_page(AxState(app): AxState<App>, RawQuery(q): RawQuery) -> Response {
    let h = query_pairs(&q).text("h");
    if !app.state().pdf_tokens.contains_key(&h) {
        return (StatusCode::NOT_FOUND, "Documento não encontrado").into_response();
    }
    let html = format!(
        "<!doctype html><html><head><title>Documento para descarregar</title></head><body><h1>Documento para descarregar</h1>\
         <a id=\"downloadBtn\" href=\"index.php?action=getDownload&amp;h={h}&amp;t=n\">Descarregar</a></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

async fn download(AxState(app): AxState<App>, RawQuery(q): RawQuery) -> Response {
    let p = query_pairs(&q);
    let s = app.state();
    let Some(id) = s.pdf_tokens.get(&p.text("h")).copied().filter(|_| p.text("action") == "getDownload") else {
        return (StatusCode::NOT_FOUND, "Documento não encontrado").into_response();
    };
    let doc = s.find("documents", "document_id", id, None).cloned().unwrap_or(json!({}));
    let title = format!(
        "{} {}/{}",
        doc["document_type"]["saft_code"].as_str().unwrap_or(""),
        doc.text("document_set_name"),
        doc.text("number")
    );
    let pdf = minimal_pdf(&title);
    ([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response()
}

/// A one-page PDF naming the document (the stand-in does not draw Moloni's layout).
fn minimal_pdf(title: &str) -> Vec<u8> {
    let text: String = title.chars().filter(|c| c.is_ascii_alphanumeric() || " /-".contains(*c)).collect();
    let content = format!("BT /F1 18 Tf 72 770 Td (moloni-standin {text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

async fn set_faults(AxState(app): AxState<App>, body: Bytes) -> Response {
    let request: FaultsRequest = match serde_json::from_slice::<FaultsRequest>(&body) {
        Ok(r) if !r.faults.is_empty() || r.lag_seconds.is_some() || r.clear => r,
        _ => match serde_json::from_slice::<Fault>(&body) {
            Ok(f) => FaultsRequest { faults: vec![f], ..Default::default() },
            Err(e) => return json_response(400, &json!({"error": format!("not a fault: {e}")})),
        },
    };
    let mut faults = app.faults();
    if request.clear {
        faults.clear();
    }
    for f in request.faults {
        faults.add(f);
    }
    if let Some(lag) = request.lag_seconds {
        app.lag_seconds.store(lag.max(0), Ordering::Relaxed);
    }
    json_response(200, &json!({"pending": faults.pending(), "lag_seconds": app.lag_seconds.load(Ordering::Relaxed)}))
}

async fn list_faults(AxState(app): AxState<App>) -> Response {
    json_response(
        200,
        &json!({"pending": app.faults().pending(), "lag_seconds": app.lag_seconds.load(Ordering::Relaxed)}),
    )
}

async fn clear_faults(AxState(app): AxState<App>) -> Response {
    app.faults().clear();
    app.lag_seconds.store(0, Ordering::Relaxed);
    json_response(200, &json!({"pending": []}))
}

async fn clock(AxState(app): AxState<App>, body: Bytes) -> Response {
    let v: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
    let mut s = app.state();
    s.clock_offset += v.int("advance_seconds").unwrap_or(0);
    let now = s.now();
    json_response(200, &json!({"now": crate::state::timestamp(now)}))
}

async fn dump(AxState(app): AxState<App>) -> Response {
    let s = app.state();
    json_response(
        200,
        &json!({"documents": s.table("documents").iter().map(crate::state::public).collect::<Vec<_>>(), "sequences": s.sequences}),
    )
}
