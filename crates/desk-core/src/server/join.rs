//! Joining an office (`desk server join`, Definições › Escritório) and leaving it: the address goes to the
//! local settings, the password only to the OS keyring; the server's schema version and the person's role are
//! checked; the current company is adopted by NIF (the server's id is taken and this desktop's rows re-keyed to
//! it, or an admin puts the company on the server). Sending the desktop's records as a snapshot is the sync's
//! first push (issue 19).

use super::{connect, init, users, ServerAddress, ServerError, ServerResult};
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::moloni::secrets;
use crate::store::{Entity, Policy, Store, Value};
use desk_model::ipc::{ServerRole, ServerSession, ServerStatus};
use sqlx::PgPool;
use uuid::Uuid;

/// The setting holding the joined server's address (without its password).
pub const URL: &str = "server.url";
/// The role the server last gave this desktop's user, so the screens know it while the server is away.
const ROLE: &str = "server.role";

/// The joined server's address, if any.
pub async fn address(store: &Store) -> CoreResult<Option<ServerAddress>> {
    match store.setting(URL).await? {
        Some(url) => Ok(Some(ServerAddress::parse(&url)?)),
        None => Ok(None),
    }
}

/// A connection to the joined server with the password from the keyring, its version checked.
pub async fn open(store: &Store) -> CoreResult<PgPool> {
    let address = address(store).await?.ok_or(ServerError::NotJoined)?;
    let password = secrets::get(&address.keyring_account())?.ok_or(ServerError::NotJoined)?;
    let pool = connect(&address, Some(&password)).await?;
    init::check_version(&pool).await?;
    Ok(pool)
}

/// What adopting the current company did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adoption {
    /// The server already had it under the same id.
    Same,
    /// It was not on the server: this (admin) desktop put it there.
    Added,
    /// The server had it under another id: this desktop's rows now carry that id.
    Rekeyed {
        /// The id it had here.
        from: Uuid,
    },
}

/// What joining did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// The connection's state.
    pub status: ServerStatus,
    /// What happened to the current company.
    pub adoption: Adoption,
    /// What this desktop's snapshot sent (none for a viewer, who sends nothing).
    pub sent: Option<super::snapshot::Sent>,
}

/// Joins the office at `url` as its user with `password`: checks the login, the schema version and the
/// person's role, adopts the current company, sends this desktop's rows as a snapshot (unless a viewer), then
/// keeps the address (settings) and the password (keyring). The workspace's company may have a new id: the
/// caller reopens it. Joining again is safe: rows the server has are not sent twice.
pub async fn join(cx: &Ctx, url: &str, password: &str) -> CoreResult<Joined> {
    let address = ServerAddress::parse(url)?;
    let pool = connect(&address, Some(password)).await?;
    let version = init::check_version(&pool).await?;
    let session = users::session(&pool).await?;
    let role = session.role.ok_or_else(|| ServerError::Refused {
        code: "42501".into(),
        message: format!("{} is not one of the office's people", session.user),
    })?;
    let adoption = adopt_company(cx, &pool, role).await?;
    forget_company_history(cx, &adoption).await?;
    let sent = if role.can_edit() {
        // the snapshot goes under the company's (possibly new) id: read it again from the store
        let company = crate::company::current_or_create(cx.store(), &cx.actor).await?;
        let cx = Ctx { company, ..cx.clone() };
        Some(super::snapshot::send(&cx, &pool).await?)
    } else {
        None
    };
    secrets::set(&address.keyring_account(), password)?;
    cx.store().set_setting(URL, &address.url()).await?;
    cx.store().set_setting(ROLE, role.as_str()).await?;
    cx.store().set_office(true);
    pool.close().await;
    let status = ServerStatus {
        joined: true,
        url: Some(address.url()),
        reachable: true,
        session: Some(session),
        schema_version: Some(version),
        problem: None,
    };
    Ok(Joined { status, adoption, sent })
}

/// Leaves the office: forgets the address and removes the password from the keyring. The local data stays.
pub async fn leave(store: &Store) -> CoreResult<ServerStatus> {
    if let Some(address) = address(store).await? {
        secrets::delete(&address.keyring_account())?;
    }
    sqlx::query("DELETE FROM settings WHERE key IN (?, ?)").bind(URL).bind(ROLE).execute(store.local()).await?;
    store.set_office(false);
    Ok(not_joined())
}

fn not_joined() -> ServerStatus {
    ServerStatus { joined: false, url: None, reachable: false, session: None, schema_version: None, problem: None }
}

/// The office connection's state; with `check`, the server is asked (login, version, role).
pub async fn status(store: &Store, check: bool) -> CoreResult<ServerStatus> {
    let Some(address) = address(store).await? else {
        return Ok(not_joined());
    };
    // who this desktop is there, as last seen (the server may be away)
    let remembered = store.setting(ROLE).await?.as_deref().and_then(ServerRole::parse);
    let session = ServerSession { user: address.user.clone(), role: remembered };
    let mut status = ServerStatus { joined: true, url: Some(address.url()), session: Some(session), ..not_joined() };
    if !check {
        return Ok(status);
    }
    let asked = async {
        let pool = open(store).await?;
        let version = init::check_version(&pool).await?;
        let session = users::session(&pool).await?;
        pool.close().await;
        Ok::<_, CoreError>((version, session))
    };
    match asked.await {
        Ok((version, session)) => {
            if let Some(role) = session.role {
                store.set_setting(ROLE, role.as_str()).await?;
            }
            status.reachable = true;
            status.schema_version = Some(version);
            status.session = Some(session);
        }
        Err(e) => status.problem = Some(e.to_app_error().message),
    }
    Ok(status)
}

/// Takes the server's company with the current company's NIF, or puts the current company on the server.
async fn adopt_company(cx: &Ctx, pool: &PgPool, role: ServerRole) -> CoreResult<Adoption> {
    let local = cx.company().id;
    if cx.store().is_demo(local) {
        return Err(ServerError::DemoCompany.into());
    }
    let nif = cx.company().nif.clone().ok_or(ServerError::CompanyWithoutNif)?;
    let server: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM public.companies WHERE nif = $1 AND deleted_at IS NULL")
            .bind(&nif)
            .fetch_optional(pool)
            .await
            .map_err(ServerError::from)?;
    match server {
        Some(id) if id == local => Ok(Adoption::Same),
        Some(id) => {
            rekey(cx, local, id).await?;
            Ok(Adoption::Rekeyed { from: local })
        }
        None if role == ServerRole::Admin => {
            let row = {
                let mut conn = cx.store().reader().acquire().await?;
                crate::company::row_in(&mut conn, local).await?
            };
            match insert_row(pool, &row).await {
                Ok(()) => Ok(Adoption::Added),
                // 23505: the NIF is on the server, in a company this admin is not a member of
                Err(e) if e.code() == Some("23505") => Err(ServerError::CompanyNotOnServer { nif }.into()),
                Err(e) => Err(e.into()),
            }
        }
        None => Err(ServerError::CompanyNotOnServer { nif }.into()),
    }
}

/// The company's own edits made here before joining leave the outbox: the server now holds the company (this
/// desktop put it there as it is, or the server's, under its id, wins).
async fn forget_company_history(cx: &Ctx, adoption: &Adoption) -> CoreResult<()> {
    let ids: Vec<String> = match adoption {
        Adoption::Same => return Ok(()),
        Adoption::Added => vec![cx.company().id.to_string()],
        Adoption::Rekeyed { from } => vec![from.to_string(), cx.company().id.to_string()],
    };
    let mut w = cx.store().write(&cx.actor).await?;
    for id in ids {
        sqlx::query("DELETE FROM outbox WHERE entity = 'companies' AND row_id = ?").bind(id).execute(w.conn()).await?;
    }
    w.commit().await
}

/// Inserts an entity's row on the server as it is here (its synced columns, each cast to the server's type).
async fn insert_row<E: Entity>(pool: &PgPool, row: &E) -> ServerResult<()> {
    let types: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, udt_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1",
    )
    .bind(E::TABLE)
    .fetch_all(pool)
    .await?;
    let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new(format!("INSERT INTO public.{} (id", E::TABLE));
    let columns: Vec<_> = E::COLUMNS.iter().zip(row.values()).filter(|(c, _)| c.policy != Policy::Local).collect();
    for (c, _) in &columns {
        q.push(", ").push(c.name);
    }
    q.push(") VALUES (").push_bind(row.id()).push("::uuid");
    for (c, v) in columns {
        let ty = types.iter().find(|(n, _)| n == c.name).map_or("text", |(_, t)| t.as_str());
        q.push(", CAST(");
        match v {
            Value::Null => q.push_bind(None::<String>),
            Value::Int(i) => q.push_bind(i.to_string()),
            Value::Text(s) => q.push_bind(s),
        };
        q.push(format!(" AS {ty})"));
    }
    q.push(")");
    q.build().execute(pool).await?;
    Ok(())
}

/// Gives the local company the server's id: every row of it here is re-keyed in one transaction. Nothing it
/// wrote has left this desktop yet, so no one else knows the old id. A company whose documents were issued
/// here keeps its id (an issued document never changes): that needs the sync's merge (issue 19).
async fn rekey(cx: &Ctx, from: Uuid, to: Uuid) -> CoreResult<()> {
    let issued: i64 = sqlx::query_scalar("SELECT count(*) FROM documents WHERE company_id = ? AND state <> 'draft'")
        .bind(from.to_string())
        .fetch_one(cx.store().reader())
        .await?;
    if issued > 0 {
        return Err(CoreError::Server(ServerError::Refused {
            code: "55000".into(),
            message: format!(
                "this desktop holds {issued} issued documents of a company another desktop already put on the server"
            ),
        }));
    }
    let mut w = cx.store().write(&cx.actor).await?;
    let conn = w.conn();
    sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *conn).await?;
    let (f, t) = (from.to_string(), to.to_string());
    // the company row first, then every table that names it (the audit log keeps its history as written)
    sqlx::query("UPDATE companies SET id = ? WHERE id = ?").bind(&t).bind(&f).execute(&mut *conn).await?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
          WHERE m.type = 'table' AND c.name = 'company_id' AND m.name <> 'audit_log'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for table in tables {
        sqlx::query(&format!("UPDATE \"{table}\" SET company_id = ? WHERE company_id = ?"))
            .bind(&t)
            .bind(&f)
            .execute(&mut *conn)
            .await?;
    }
    // series ids derive from the company (UUIDv5), the same on every desktop
    let series: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, doc_type, name FROM document_series WHERE company_id = ?")
            .bind(&t)
            .fetch_all(&mut *conn)
            .await?;
    for (old, doc_type, name) in series {
        let Some(kind) = desk_model::document::DocType::parse(&doc_type) else { continue };
        let new = crate::series::series_id(to, kind, &name).to_string();
        sqlx::query("UPDATE document_series SET id = ? WHERE id = ?").bind(&new).bind(&old).execute(&mut *conn).await?;
        sqlx::query("UPDATE documents SET series_id = ? WHERE series_id = ?")
            .bind(&new)
            .bind(&old)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE settings SET value = ? WHERE value = ?").bind(&t).bind(&f).execute(&mut *conn).await?;
    sqlx::query("UPDATE settings SET key = ? WHERE key = ?")
        .bind(format!("moloni.company.{to}"))
        .bind(format!("moloni.company.{from}"))
        .execute(&mut *conn)
        .await?;
    w.commit().await
}
