//! The office's people (`desk server users …`, the Utilizadores screen): each is a PostgreSQL LOGIN role in
//! one of the desk groups, made and changed only through the server's `desk_user_*` functions (which check the
//! caller is an admin). Passwords leave this desktop only as SCRAM verifiers.

use super::{scram, ServerError, ServerResult};
use desk_model::ipc::{ServerCompany, ServerRole, ServerSession, ServerUser, ServerUserCreated};
use sqlx::PgPool;
use uuid::Uuid;

fn password_or_generated(password: Option<&str>) -> ServerResult<(String, Option<String>)> {
    match password {
        Some(p) => Ok((scram::verifier(p)?, None)),
        None => {
            let p = scram::generate()?;
            Ok((scram::verifier(&p)?, Some(p)))
        }
    }
}

/// Adds a person with this role, member of these companies. Without a password, a strong one is generated and
/// returned (to be shown once).
pub async fn add(
    pool: &PgPool,
    name: &str,
    role: ServerRole,
    companies: &[Uuid],
    password: Option<&str>,
) -> ServerResult<ServerUserCreated> {
    let (verifier, generated) = password_or_generated(password)?;
    sqlx::query("SELECT public.desk_user_add($1, $2, $3, $4)")
        .bind(name)
        .bind(&verifier)
        .bind(role.as_str())
        .bind(companies)
        .execute(pool)
        .await?;
    Ok(ServerUserCreated { user: get(pool, name).await?, password: generated })
}

/// Changes a person's role.
pub async fn set_role(pool: &PgPool, name: &str, role: ServerRole) -> ServerResult<ServerUser> {
    sqlx::query("SELECT public.desk_user_set_role($1, $2)").bind(name).bind(role.as_str()).execute(pool).await?;
    get(pool, name).await
}

/// Sets the companies a person belongs to (among the admin's own).
pub async fn set_companies(pool: &PgPool, name: &str, companies: &[Uuid]) -> ServerResult<ServerUser> {
    sqlx::query("SELECT public.desk_user_set_companies($1, $2)").bind(name).bind(companies).execute(pool).await?;
    get(pool, name).await
}

/// Resets a person's password (an admin, or the person themselves); without one, a strong one is generated.
pub async fn reset(pool: &PgPool, name: &str, password: Option<&str>) -> ServerResult<ServerUserCreated> {
    let (verifier, generated) = password_or_generated(password)?;
    sqlx::query("SELECT public.desk_user_reset($1, $2)").bind(name).bind(&verifier).execute(pool).await?;
    Ok(ServerUserCreated { user: get(pool, name).await?, password: generated })
}

/// Deactivates a person: they can no longer log in; their history stays.
pub async fn disable(pool: &PgPool, name: &str) -> ServerResult<ServerUser> {
    sqlx::query("SELECT public.desk_user_disable($1)").bind(name).execute(pool).await?;
    get(pool, name).await
}

/// Lets a deactivated person log in again.
pub async fn enable(pool: &PgPool, name: &str) -> ServerResult<ServerUser> {
    sqlx::query("SELECT public.desk_user_enable($1)").bind(name).execute(pool).await?;
    get(pool, name).await
}

const LIST: &str = "SELECT p.name, p.role, p.active,
        coalesce(json_agg(json_build_object('id', c.id, 'name', c.name, 'nif', c.nif) ORDER BY c.name)
                 FILTER (WHERE c.id IS NOT NULL), '[]'::json)
   FROM public.people p
   LEFT JOIN public.memberships m ON m.user_name = p.name
   LEFT JOIN public.companies c ON c.id = m.company_id";

type UserRow = (String, String, bool, serde_json::Value);

fn user(row: UserRow) -> ServerResult<ServerUser> {
    let (name, role, active, companies) = row;
    let role = ServerRole::parse(&role).ok_or_else(|| ServerError::Db(format!("unknown role {role}")))?;
    let companies: Vec<ServerCompany> =
        serde_json::from_value(companies).map_err(|e| ServerError::Db(format!("companies of {name}: {e}")))?;
    Ok(ServerUser { name, role, active, companies })
}

/// Every person, with the companies the caller can see them in.
pub async fn list(pool: &PgPool) -> ServerResult<Vec<ServerUser>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!("{LIST} GROUP BY p.name ORDER BY p.name")).fetch_all(pool).await?;
    rows.into_iter().map(user).collect()
}

/// One person.
pub async fn get(pool: &PgPool, name: &str) -> ServerResult<ServerUser> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("{LIST} WHERE p.name = $1 GROUP BY p.name")).bind(name).fetch_optional(pool).await?;
    match row {
        Some(r) => user(r),
        None => Err(ServerError::Refused { code: "42704".into(), message: format!("there is no user {name}") }),
    }
}

/// Who this connection is, and their role.
pub async fn session(pool: &PgPool) -> ServerResult<ServerSession> {
    let (user, role): (String, Option<String>) =
        sqlx::query_as("SELECT user_name, role FROM public.desk_session()").fetch_one(pool).await?;
    Ok(ServerSession { user, role: role.as_deref().and_then(ServerRole::parse) })
}
