//! `desk server init` and `upgrade`: the central schema on an empty database, later migrations on an
//! initialised one, and the version check every connection makes (a desktop older than its server is refused).

use super::{schema_version, ServerError, ServerResult, CENTRAL};
use sqlx::PgPool;

/// Whether the database holds the office schema, and at which version.
pub async fn installed_version(pool: &PgPool) -> ServerResult<Option<i64>> {
    let has: bool =
        sqlx::query_scalar("SELECT to_regclass('public._sqlx_migrations') IS NOT NULL").fetch_one(pool).await?;
    if !has {
        return Ok(None);
    }
    let v: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM public._sqlx_migrations WHERE success").fetch_one(pool).await?;
    Ok(Some(v.unwrap_or(0)))
}

async fn require_createrole(pool: &PgPool) -> ServerResult<()> {
    let (user, can): (String, bool) = sqlx::query_as(
        "SELECT current_user::text, rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(pool)
    .await?;
    if can {
        Ok(())
    } else {
        Err(ServerError::NotCreateRole { user })
    }
}

/// Creates the office schema on an empty database; the connecting user (a superuser or one with CREATEROLE)
/// owns it and becomes the first administrator. On a database already initialised, or holding other tables,
/// it changes nothing and says so. Returns the schema version.
pub async fn init(pool: &PgPool) -> ServerResult<i64> {
    if let Some(version) = installed_version(pool).await? {
        return Err(ServerError::AlreadyInitialised { version });
    }
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetch_one(pool).await?;
    if tables > 0 {
        return Err(ServerError::NotEmpty { tables });
    }
    require_createrole(pool).await?;
    CENTRAL.run(pool).await.map_err(migrate_error)?;
    Ok(schema_version())
}

/// Applies the migrations this build has and the server lacks. Returns (before, after). Refuses a server
/// newer than this build, and one not initialised.
pub async fn upgrade(pool: &PgPool) -> ServerResult<(i64, i64)> {
    let before = installed_version(pool).await?.ok_or(ServerError::NotInitialised)?;
    let ours = schema_version();
    if before > ours {
        return Err(ServerError::ServerNewer { server: before, ours });
    }
    CENTRAL.run(pool).await.map_err(migrate_error)?;
    Ok((before, installed_version(pool).await?.unwrap_or(before)))
}

/// The server's schema version as any of its people reads it, checked against this build's: a server newer
/// than the app refuses the app; an older one asks for `desk server upgrade`.
pub async fn check_version(pool: &PgPool) -> ServerResult<i64> {
    let server: Option<i64> = match sqlx::query_scalar("SELECT public.desk_schema_version()").fetch_one(pool).await {
        Ok(v) => v,
        // 42883: no such function: not an office database
        Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("42883") => {
            return Err(ServerError::NotInitialised)
        }
        Err(e) => return Err(e.into()),
    };
    let server = server.ok_or(ServerError::NotInitialised)?;
    let ours = schema_version();
    match server.cmp(&ours) {
        std::cmp::Ordering::Greater => Err(ServerError::ServerNewer { server, ours }),
        std::cmp::Ordering::Less => Err(ServerError::ServerOlder { server, ours }),
        std::cmp::Ordering::Equal => Ok(server),
    }
}

fn migrate_error(e: sqlx::migrate::MigrateError) -> ServerError {
    use sqlx::migrate::MigrateError as M;
    match e {
        M::Execute(e) => ServerError::from_sqlx(e),
        M::VersionMissing(v) => ServerError::ServerNewer { server: v, ours: schema_version() },
        other => ServerError::Db(other.to_string()),
    }
}
