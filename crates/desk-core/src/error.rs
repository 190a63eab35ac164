//! The engine's typed errors, and how each one reads to the user across the bridge or on the command line.

use desk_model::ipc::{AppError, ErrorKind, FieldError};
use desk_model::msg::Localized;
use std::path::PathBuf;

/// Result of an engine call.
pub type CoreResult<T> = Result<T, CoreError>;

/// Everything the engine can fail with. Every variant maps to a message that says what to do.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Input broke the rules in `desk-model`; nothing was stored.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// No such record.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, for the message.
        what: &'static str,
    },
    /// Another customer of this company already has this NIF.
    #[error("NIF {nif} is already used by customer {other}")]
    DuplicateNif {
        /// The NIF.
        nif: String,
        /// The customer that has it.
        other: String,
    },
    /// The data folder cannot be created or written.
    #[error("cannot use the data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Another program holds the database.
    #[error("the database {0} is locked by another program")]
    Locked(PathBuf),
    /// The file is not a database or is damaged.
    #[error("the database {0} is damaged or not a desk-moloni database")]
    Corrupt(PathBuf),
    /// The schema could not be brought up to date.
    #[error("could not update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A stored value could not be read back (a bug or a hand-edited file).
    #[error("stored data is unreadable: {0}")]
    Decode(String),
}

impl CoreError {
    /// A single-field validation error.
    pub fn invalid(field: &str, message: Localized) -> Self {
        CoreError::Invalid(vec![FieldError { field: field.into(), message }])
    }

    /// The user-facing error that crosses the bridge.
    pub fn to_app_error(&self) -> AppError {
        match self {
            CoreError::Invalid(fields) => AppError::validation(fields.clone()),
            CoreError::NotFound { what } => AppError::new(
                ErrorKind::NotFound,
                Localized::new(
                    format!("Não encontrado ({what}). Pode ter sido apagado: atualize a lista."),
                    format!("Not found ({what}). It may have been removed: refresh the list."),
                ),
            ),
            CoreError::DuplicateNif { nif, other } => {
                let message = Localized::new(
                    format!("O NIF {nif} já pertence ao cliente «{other}». Procure-o na lista em vez de o criar de novo."),
                    format!("NIF {nif} already belongs to customer «{other}». Find it in the list instead of creating it again."),
                );
                AppError {
                    kind: ErrorKind::Conflict,
                    message: message.clone(),
                    fields: vec![FieldError { field: "nif".into(), message }],
                }
            }
            CoreError::DataDir { path, source } => AppError::new(
                ErrorKind::Storage,
                Localized::new(
                    format!("Não é possível usar a pasta de dados {} ({source}). Verifique as permissões ou escolha outra pasta (DESK_DATA_DIR).", path.display()),
                    format!("Cannot use the data folder {} ({source}). Check its permissions or choose another folder (DESK_DATA_DIR).", path.display()),
                ),
            ),
            CoreError::Locked(path) => AppError::new(
                ErrorKind::Locked,
                Localized::new(
                    format!("A base de dados {} está a ser usada por outro programa. Feche a outra janela do desk-moloni e tente de novo.", path.display()),
                    format!("The database {} is in use by another program. Close the other desk-moloni window and try again.", path.display()),
                ),
            ),
            CoreError::Corrupt(path) => AppError::new(
                ErrorKind::Corrupt,
                Localized::new(
                    format!("O ficheiro {} está danificado ou não é uma base de dados do desk-moloni. Reponha uma cópia de segurança ou mova o ficheiro para outro lado para começar de novo.", path.display()),
                    format!("The file {} is damaged or not a desk-moloni database. Restore a backup, or move the file aside to start afresh.", path.display()),
                ),
            ),
            CoreError::Migrate(e) => AppError::new(
                ErrorKind::Storage,
                Localized::new(
                    format!("Não foi possível atualizar a base de dados ({e}). Se usou uma versão mais recente da aplicação, volte a usá-la."),
                    format!("Could not update the database ({e}). If you used a newer version of the app, go back to it."),
                ),
            ),
            CoreError::Db(e) => AppError::new(
                ErrorKind::Storage,
                Localized::new(
                    format!("Erro ao ler ou gravar os dados locais ({e}). Tente de novo; se persistir, reinicie a aplicação."),
                    format!("Error reading or writing local data ({e}). Try again; if it persists, restart the app."),
                ),
            ),
            CoreError::Decode(e) => AppError::new(
                ErrorKind::Internal,
                Localized::new(
                    format!("Dados locais ilegíveis ({e}). Comunique este erro ao suporte."),
                    format!("Unreadable local data ({e}). Report this error to support."),
                ),
            ),
        }
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> AppError {
        e.to_app_error()
    }
}
