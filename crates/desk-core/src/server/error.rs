//! What can go wrong talking to the office server, each said so the user knows what to do.

use desk_model::msg::Localized;

/// An office-server failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerError {
    /// The address could not be read.
    #[error("invalid server address: {0}")]
    BadUrl(String),
    /// The server did not answer (network, TLS, wrong host or port).
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    /// The user name or password was refused.
    #[error("the server refused the user name or password")]
    BadLogin,
    /// `init` on a database that already holds the office schema.
    #[error("the server is already initialised (schema version {version}); nothing was changed")]
    AlreadyInitialised {
        /// Its schema version.
        version: i64,
    },
    /// `init` on a database that holds other tables.
    #[error("the database is not empty ({tables} tables); nothing was changed")]
    NotEmpty {
        /// How many tables it holds.
        tables: i64,
    },
    /// The database has no office schema yet.
    #[error("the server is not initialised")]
    NotInitialised,
    /// `init` by a user who cannot create roles.
    #[error("user {user} cannot create roles")]
    NotCreateRole {
        /// The user.
        user: String,
    },
    /// The server's schema is newer than this desktop knows.
    #[error("the server's schema ({server}) is newer than this app's ({ours})")]
    ServerNewer {
        /// The server's version.
        server: i64,
        /// This app's.
        ours: i64,
    },
    /// The server's schema is older than this desktop's.
    #[error("the server's schema ({server}) is older than this app's ({ours})")]
    ServerOlder {
        /// The server's version.
        server: i64,
        /// This app's.
        ours: i64,
    },
    /// The database refused the statement (a role or rule of the server).
    #[error("the server refused: {message} ({code})")]
    Refused {
        /// SQLSTATE.
        code: String,
        /// The server's message.
        message: String,
    },
    /// A password that the app does not accept.
    #[error("the password does not meet the rules")]
    WeakPassword,
    /// This desktop has not joined an office.
    #[error("this desktop has not joined an office")]
    NotJoined,
    /// The current company is not on the server and this user may not add it.
    #[error("company {nif} is not on the server")]
    CompanyNotOnServer {
        /// Its NIF.
        nif: String,
    },
    /// The current company holds sample data, which never leaves the desktop.
    #[error("the current company holds sample data")]
    DemoCompany,
    /// The current company has no NIF, so it cannot be matched with the server's.
    #[error("the current company has no NIF")]
    CompanyWithoutNif,
    /// Any other database failure.
    #[error("server error: {0}")]
    Db(String),
}

impl ServerError {
    /// From a sqlx error on a server connection.
    pub fn from_sqlx(e: sqlx::Error) -> ServerError {
        match e {
            sqlx::Error::Database(d) => {
                let code = d.code().map(|c| c.to_string()).unwrap_or_default();
                if code == "28P01" || code == "28000" {
                    ServerError::BadLogin
                } else {
                    ServerError::Refused { code, message: d.message().to_string() }
                }
            }
            sqlx::Error::Io(e) => ServerError::Unreachable(e.to_string()),
            sqlx::Error::Tls(e) => ServerError::Unreachable(format!("TLS: {e}")),
            sqlx::Error::PoolTimedOut => ServerError::Unreachable("timed out".into()),
            sqlx::Error::Configuration(e) => ServerError::BadUrl(e.to_string()),
            other => ServerError::Db(other.to_string()),
        }
    }

    /// The SQLSTATE of a refusal.
    pub fn code(&self) -> Option<&str> {
        match self {
            ServerError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    /// For the user.
    pub fn message(&self) -> Localized {
        match self {
            ServerError::BadUrl(e) => Localized::new(
                format!("Endereço do servidor inválido ({e}). Use postgres://utilizador@servidor:5432/base."),
                format!("Invalid server address ({e}). Use postgres://user@host:5432/database."),
            ),
            ServerError::Unreachable(e) => Localized::new(
                format!("O servidor do escritório não respondeu ({e}). Verifique a rede, o endereço e a porta; o trabalho continua guardado neste computador."),
                format!("The office server did not answer ({e}). Check the network, the address and the port; your work stays saved on this computer."),
            ),
            ServerError::BadLogin => Localized::new(
                "O servidor recusou o utilizador ou a palavra-passe. Confirme-os ou peça ao administrador que reponha a palavra-passe.",
                "The server refused the user name or password. Check them, or ask the administrator to reset the password.",
            ),
            ServerError::AlreadyInitialised { version } => Localized::new(
                format!("O servidor já está preparado (esquema versão {version}); nada foi alterado. Para o atualizar use `desk server upgrade`."),
                format!("The server is already initialised (schema version {version}); nothing was changed. To update it use `desk server upgrade`."),
            ),
            ServerError::NotEmpty { tables } => Localized::new(
                format!("A base de dados não está vazia ({tables} tabelas); nada foi alterado. Crie uma base de dados nova para o escritório."),
                format!("The database is not empty ({tables} tables); nothing was changed. Create a new database for the office."),
            ),
            ServerError::NotInitialised => Localized::new(
                "O servidor ainda não foi preparado. Um administrador deve executar `desk server init`.",
                "The server has not been initialised. An administrator must run `desk server init`.",
            ),
            ServerError::NotCreateRole { user } => Localized::new(
                format!("O utilizador {user} não pode criar utilizadores na base de dados. Prepare o servidor com um superutilizador ou um utilizador com CREATEROLE."),
                format!("User {user} cannot create database users. Initialise the server as a superuser or a user with CREATEROLE."),
            ),
            ServerError::ServerNewer { server, ours } => Localized::new(
                format!("O servidor tem uma versão mais recente ({server}) do que esta aplicação ({ours}). Atualize a aplicação."),
                format!("The server has a newer version ({server}) than this app ({ours}). Update the app."),
            ),
            ServerError::ServerOlder { server, ours } => Localized::new(
                format!("O servidor tem uma versão anterior ({server}) à desta aplicação ({ours}). Peça ao administrador que execute `desk server upgrade`."),
                format!("The server has an older version ({server}) than this app ({ours}). Ask the administrator to run `desk server upgrade`."),
            ),
            ServerError::Refused { code, message } => {
                let (pt, en) = match code.as_str() {
                    "42501" => ("O servidor não permite esta operação ao seu utilizador", "The server does not allow this to your user"),
                    "55000" => ("O servidor recusou: o registo está num estado que não o permite", "The server refused: the record is in a state that does not allow it"),
                    "42710" => ("Já existe um utilizador com esse nome no servidor", "A user with that name already exists on the server"),
                    "42704" => ("Esse utilizador não existe no servidor", "That user does not exist on the server"),
                    "22023" => ("O servidor recusou um valor", "The server refused a value"),
                    _ => ("O servidor recusou a operação", "The server refused the operation"),
                };
                Localized::new(format!("{pt} ({message})."), format!("{en} ({message})."))
            }
            ServerError::WeakPassword => Localized::new(
                "A palavra-passe deve ter pelo menos 12 caracteres, só letras, algarismos e sinais do teclado (sem acentos nem espaços).",
                "The password must have at least 12 characters, only letters, digits and keyboard symbols (no accents or spaces).",
            ),
            ServerError::NotJoined => Localized::new(
                "Este computador não está ligado a um escritório. Ligue-o com `desk server join` ou em Definições › Escritório.",
                "This computer has not joined an office. Join with `desk server join` or in Settings › Office.",
            ),
            ServerError::CompanyNotOnServer { nif } => Localized::new(
                format!("A empresa com o NIF {nif} não existe no servidor e o seu utilizador não a pode acrescentar. Peça a um administrador que se ligue primeiro com esta empresa."),
                format!("The company with NIF {nif} is not on the server and your user cannot add it. Ask an administrator to join with this company first."),
            ),
            ServerError::DemoCompany => Localized::new(
                "A empresa atual é a de demonstração, cujos dados nunca saem deste computador. Mude para a sua empresa e ligue de novo.",
                "The current company is the demo company, whose data never leaves this computer. Switch to your company and join again.",
            ),
            ServerError::CompanyWithoutNif => Localized::new(
                "A empresa atual não tem NIF; sem ele não é possível encontrá-la no servidor. Preencha o NIF em Empresa.",
                "The current company has no NIF; without it it cannot be found on the server. Fill in the NIF under Company.",
            ),
            ServerError::Db(e) => Localized::new(
                format!("Erro do servidor do escritório ({e}). Tente de novo; se persistir, fale com o administrador."),
                format!("Office server error ({e}). Try again; if it persists, talk to the administrator."),
            ),
        }
    }
}
