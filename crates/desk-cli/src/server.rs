//! `desk server init|upgrade|join|leave|status|users|audit`: office mode from the command line. Passwords are
//! never arguments: they are asked on the terminal, read with `--password-stdin`, or taken from `PGPASSWORD`
//! (for scripts); a joined desktop keeps its password only in the OS keyring.

use crate::Out;
use clap::{Args, Subcommand};
use desk_core::server::{self, join, ServerAddress, ServerError};
use desk_core::{CoreError, Workspace};
use desk_model::ipc::{AppError, AuditQuery, ErrorKind, ServerRole, ServerStatus, ServerUser, ServerUserCreated};
use desk_model::msg::Localized;
use sqlx::PgPool;
use std::io::{BufRead, IsTerminal};
use uuid::Uuid;

#[derive(Subcommand)]
pub enum ServerCommand {
    /// Create the office schema on an empty PostgreSQL database (as a superuser or a user with CREATEROLE,
    /// who becomes the first administrator). On an initialised database it changes nothing and says so.
    Init {
        /// postgres://user@host:port/database[?sslmode=…&sslrootcert=…] (no password in it).
        #[arg(long)]
        url: String,
    },
    /// Apply the migrations this version brings to an initialised server.
    Upgrade {
        /// postgres://user@host:port/database (no password in it).
        #[arg(long)]
        url: String,
    },
    /// Join this desktop to an office: checks the login, the server's version and the role, adopts the current
    /// company by NIF, keeps the password in the OS keyring.
    Join {
        /// postgres://user@host:port/database[?sslmode=…&sslrootcert=…] (no password in it).
        #[arg(long)]
        url: String,
        /// Read the password from the first line of standard input (else PGPASSWORD, else asked).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Leave the office: forget the address and the keyring password (the local data stays).
    Leave,
    /// The office connection; `--check` asks the server (login, version, role).
    Status {
        /// Ask the server.
        #[arg(long)]
        check: bool,
    },
    /// The office's people (admins only, except `reset` of one's own password).
    #[command(subcommand)]
    Users(UsersCommand),
    /// The server's audit trail, newest first.
    Audit(AuditArgs),
}

#[derive(Subcommand)]
pub enum UsersCommand {
    /// Add a person. Without --password-stdin a strong first password is generated and printed once.
    Add {
        /// Their database user name (lower-case letters, digits, _ . -).
        name: String,
        /// admin, accountant or viewer.
        #[arg(long)]
        role: String,
        /// The companies they belong to, by NIF or id, comma-separated (default: the current company).
        #[arg(long, value_delimiter = ',')]
        companies: Vec<String>,
        /// Read their password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Everyone, with role, state and companies.
    List,
    /// Change a person's role.
    SetRole {
        /// The person.
        name: String,
        /// admin, accountant or viewer.
        role: String,
    },
    /// Set the companies a person belongs to (by NIF or id, comma-separated).
    SetCompanies {
        /// The person.
        name: String,
        /// The companies.
        #[arg(value_delimiter = ',')]
        companies: Vec<String>,
    },
    /// Reset a person's password (a new one is generated and printed once, unless --password-stdin).
    Reset {
        /// The person.
        name: String,
        /// Read the new password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Deactivate a person: they can no longer log in; their history stays.
    Disable {
        /// The person.
        name: String,
    },
    /// Let a deactivated person log in again.
    Enable {
        /// The person.
        name: String,
    },
}

#[derive(Args)]
pub struct AuditArgs {
    /// Only this database user's changes.
    #[arg(long)]
    user: Option<String>,
    /// Only this table's (customers, products, documents, document_lines, payments, companies, people…).
    #[arg(long)]
    entity: Option<String>,
    /// From this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// To this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// At most this many (default 200).
    #[arg(long, default_value_t = 200)]
    limit: u32,
}

fn read_failed(e: std::io::Error) -> AppError {
    AppError::new(
        ErrorKind::Validation,
        Localized::new(
            format!("Não foi possível ler a palavra-passe ({e})."),
            format!("Could not read the password ({e})."),
        ),
    )
}

fn stdin_line() -> Result<String, AppError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(read_failed)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The server password: standard input, PGPASSWORD, or asked on a terminal; None when there is no way to ask
/// (a superuser on a trusted local connection needs none).
fn server_password(stdin: bool, prompt: &str) -> Result<Option<String>, AppError> {
    if stdin {
        return stdin_line().map(Some);
    }
    if let Some(p) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
        return Ok(Some(p));
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).map(Some).map_err(read_failed);
    }
    Ok(None)
}

fn core(e: impl Into<CoreError>) -> AppError {
    e.into().to_app_error()
}

fn json<T: serde::Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

async fn admin_connection(url: &str) -> Result<PgPool, AppError> {
    let address = ServerAddress::parse(url).map_err(core)?;
    let password = server_password(false, "Palavra-passe do servidor / Server password: ")?;
    server::connect(&address, password.as_deref()).await.map_err(core)
}

fn role(s: &str) -> Result<ServerRole, AppError> {
    ServerRole::parse(s).ok_or_else(|| {
        AppError::new(
            ErrorKind::Validation,
            Localized::new(
                format!("Papel desconhecido «{s}»: use admin, accountant ou viewer."),
                format!("Unknown role «{s}»: use admin, accountant or viewer."),
            ),
        )
    })
}

/// Companies by NIF or id, as the server knows them (those the caller belongs to).
async fn companies(pool: &PgPool, ws: &Workspace, given: &[String]) -> Result<Vec<Uuid>, AppError> {
    if given.is_empty() {
        return Ok(vec![ws.company().id]);
    }
    let mut out = Vec::new();
    for g in given.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let id: Option<Uuid> = match Uuid::parse_str(g) {
            Ok(id) => Some(id),
            Err(_) => sqlx::query_scalar("SELECT id FROM public.companies WHERE nif = $1 AND deleted_at IS NULL")
                .bind(g)
                .fetch_optional(pool)
                .await
                .map_err(|e| core(ServerError::from(e)))?,
        };
        match id {
            Some(id) => out.push(id),
            None => return Err(core(ServerError::CompanyNotOnServer { nif: g.to_string() })),
        }
    }
    Ok(out)
}

fn print_user(u: &ServerUser) {
    let companies: Vec<String> = u
        .companies
        .iter()
        .map(|c| format!("{}{}", c.name, c.nif.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()))
        .collect();
    println!(
        "{:<24} {:<10} {:<8} {}",
        u.name,
        u.role.as_str(),
        if u.active { "active" } else { "disabled" },
        companies.join(", ")
    );
}

fn print_created(c: &ServerUserCreated, out: Out) {
    if out.json {
        json(c);
        return;
    }
    print_user(&c.user);
    if let Some(p) = &c.password {
        println!("password (shown once, give it to {} in person): {p}", c.user.name);
    }
}

fn print_status(s: &ServerStatus, out: Out) {
    if out.json {
        json(s);
        return;
    }
    let Some(url) = &s.url else {
        println!("office: not joined (solo)");
        return;
    };
    println!("office:  {url}");
    if let Some(session) = &s.session {
        println!("user:    {} ({})", session.user, session.role.map_or("not a desk user", |r| r.as_str()));
    }
    if s.reachable {
        println!("schema:  {}", s.schema_version.unwrap_or_default());
        println!("state:   connected");
    } else if let Some(p) = &s.problem {
        println!("state:   not connected: {}", p.en);
    }
}

pub async fn run(ws: &mut Workspace, command: ServerCommand, out: Out) -> Result<(), AppError> {
    match command {
        ServerCommand::Init { url } => {
            let pool = admin_connection(&url).await?;
            let version = server::init::init(&pool).await.map_err(core)?;
            if out.json {
                json(&serde_json::json!({ "initialised": true, "schema_version": version }));
            } else {
                println!("office server initialised (schema version {version}); its first administrator is the user of {url}");
            }
        }
        ServerCommand::Upgrade { url } => {
            let pool = admin_connection(&url).await?;
            let (from, to) = server::init::upgrade(&pool).await.map_err(core)?;
            if out.json {
                json(&serde_json::json!({ "from": from, "to": to }));
            } else if from == to {
                println!("the server is up to date (schema version {to})");
            } else {
                println!("server upgraded from schema version {from} to {to}");
            }
        }
        ServerCommand::Join { url, password_stdin } => {
            let password = server_password(password_stdin, "Palavra-passe do servidor / Server password: ")?
                .ok_or_else(|| core(ServerError::BadLogin))?;
            let joined = ws.join_office(&url, &password).await?;
            if out.json {
                let mut v = serde_json::to_value(&joined.status).unwrap_or_default();
                v["company"] =
                    serde_json::json!({ "id": ws.company().id, "adoption": format!("{:?}", joined.adoption) });
                v["sent"] = serde_json::to_value(&joined.sent).unwrap_or_default();
                json(&v);
            } else {
                print_status(&joined.status, out);
                match joined.adoption {
                    join::Adoption::Same => println!("company: {} (already on the server)", ws.company().name),
                    join::Adoption::Added => println!("company: {} (added to the server)", ws.company().name),
                    join::Adoption::Rekeyed { .. } => println!("company: {} (now the server's)", ws.company().name),
                }
                if let Some(sent) = &joined.sent {
                    let rows: Vec<String> = sent.rows.iter().map(|(t, n)| format!("{n} {t}")).collect();
                    println!("sent:    {}", rows.join(", "));
                    for d in &sent.duplicates {
                        println!(
                            "  probable duplicate: {} {} has the {} of the server's {}",
                            d.entity, d.local_id, d.key, d.incoming_id
                        );
                    }
                    if sent.held_back > 0 {
                        println!(
                            "  {} issued documents stay on this desktop until the sync can merge them",
                            sent.held_back
                        );
                    }
                }
            }
        }
        ServerCommand::Leave => print_status(&join::leave(ws.store()).await?, out),
        ServerCommand::Status { check } => print_status(&join::status(ws.store(), check).await?, out),
        ServerCommand::Users(c) => {
            let pool = join::open(ws.store()).await?;
            users(&pool, ws, c, out).await?;
        }
        ServerCommand::Audit(a) => {
            let pool = join::open(ws.store()).await?;
            let q = AuditQuery { user: a.user, entity: a.entity, from: a.from, to: a.to, limit: a.limit };
            let entries = server::audit::list(&pool, &q).await.map_err(core)?;
            if out.json {
                json(&entries);
            } else {
                for e in &entries {
                    println!("{}  {:<16} {:<7} {:<15} {}", e.at, e.user, e.action, e.entity, e.row_id);
                }
            }
        }
    }
    Ok(())
}

async fn users(pool: &PgPool, ws: &Workspace, command: UsersCommand, out: Out) -> Result<(), AppError> {
    let user = |u: ServerUser| {
        if out.json {
            json(&u);
        } else {
            print_user(&u);
        }
    };
    match command {
        UsersCommand::Add { name, role: r, companies: given, password_stdin } => {
            let role = role(&r)?;
            let ids = companies(pool, ws, &given).await?;
            let password = if password_stdin { Some(stdin_line()?) } else { None };
            let created = server::users::add(pool, &name, role, &ids, password.as_deref()).await.map_err(core)?;
            print_created(&created, out);
        }
        UsersCommand::List => {
            let list = server::users::list(pool).await.map_err(core)?;
            if out.json {
                json(&list);
            } else {
                list.iter().for_each(print_user);
            }
        }
        UsersCommand::SetRole { name, role: r } => {
            user(server::users::set_role(pool, &name, role(&r)?).await.map_err(core)?)
        }
        UsersCommand::SetCompanies { name, companies: given } => {
            let ids = companies(pool, ws, &given).await?;
            user(server::users::set_companies(pool, &name, &ids).await.map_err(core)?)
        }
        UsersCommand::Reset { name, password_stdin } => {
            let password = if password_stdin { Some(stdin_line()?) } else { None };
            let reset = server::users::reset(pool, &name, password.as_deref()).await.map_err(core)?;
            print_created(&reset, out);
        }
        UsersCommand::Disable { name } => user(server::users::disable(pool, &name).await.map_err(core)?),
        UsersCommand::Enable { name } => user(server::users::enable(pool, &name).await.map_err(core)?),
    }
    Ok(())
}
