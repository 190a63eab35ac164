//! The app's office calls (Utilizadores, the audit viewer, the mode badge): each opens a connection to the
//! joined server with the keyring's password, does one thing, and closes it.

use super::{audit, join, users, ServerError};
use crate::context::Ctx;
use crate::error::CoreResult;
use desk_model::ipc::{AuditEntry, AuditQuery, ServerRole, ServerUser, ServerUserCreated};
use uuid::Uuid;

async fn with_server<T, F, Fut>(cx: &Ctx, f: F) -> CoreResult<T>
where
    F: FnOnce(sqlx::PgPool) -> Fut,
    Fut: std::future::Future<Output = Result<T, ServerError>>,
{
    let pool = join::open(cx.store()).await?;
    let result = f(pool.clone()).await;
    pool.close().await;
    Ok(result?)
}

/// Everyone.
pub async fn users_list(cx: &Ctx) -> CoreResult<Vec<ServerUser>> {
    with_server(cx, |p| async move { users::list(&p).await }).await
}

/// Adds a person, by default to the current company; the generated password comes back once.
pub async fn user_add(cx: &Ctx, name: &str, role: ServerRole, companies: &[Uuid]) -> CoreResult<ServerUserCreated> {
    let companies = if companies.is_empty() { vec![cx.company().id] } else { companies.to_vec() };
    let name = name.trim().to_string();
    with_server(cx, |p| async move { users::add(&p, &name, role, &companies, None).await }).await
}

/// Changes a person's role.
pub async fn user_set_role(cx: &Ctx, name: &str, role: ServerRole) -> CoreResult<ServerUser> {
    let name = name.to_string();
    with_server(cx, |p| async move { users::set_role(&p, &name, role).await }).await
}

/// Resets a person's password; the new one comes back once.
pub async fn user_reset(cx: &Ctx, name: &str) -> CoreResult<ServerUserCreated> {
    let name = name.to_string();
    with_server(cx, |p| async move { users::reset(&p, &name, None).await }).await
}

/// Deactivates a person.
pub async fn user_disable(cx: &Ctx, name: &str) -> CoreResult<ServerUser> {
    let name = name.to_string();
    with_server(cx, |p| async move { users::disable(&p, &name).await }).await
}

/// The audit trail.
pub async fn audit_list(cx: &Ctx, q: &AuditQuery) -> CoreResult<Vec<AuditEntry>> {
    let q = q.clone();
    with_server(cx, |p| async move { audit::list(&p, &q).await }).await
}
