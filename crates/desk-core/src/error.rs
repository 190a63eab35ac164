//! The engine's typed errors, and how each one reads to the user across the bridge or on the command line.

use desk_model::document::{ConversionError, DocState, TransitionError};
use desk_model::ipc::{AppError, ErrorKind, FieldError};
use desk_model::money::{format_money, Money};
use desk_model::msg::Lang;
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
    /// The app's own earlier write still holds the writer connection after the wait.
    #[error("the database {0} is still busy with an earlier change")]
    Busy(PathBuf),
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
    /// Another product of this company already has this reference.
    #[error("reference {reference} is already used by product {other}")]
    DuplicateReference {
        /// The reference.
        reference: String,
        /// The product that has it.
        other: String,
    },
    /// The document is no longer a draft (queued, issued or cancelled): it cannot be edited or deleted.
    #[error("the document is {0:?} and cannot be changed")]
    NotEditable(DocState),
    /// The life cycle has no such step (desk-model's state machine said no).
    #[error("state change refused: {0}")]
    Transition(#[from] TransitionError),
    /// The rules have no such conversion, or the source cannot be converted.
    #[error("conversion refused: {0}")]
    Conversion(#[from] ConversionError),
    /// Moloni's totals differ from ours: stop for review, never record.
    #[error("totals differ: ours {ours:?}, Moloni's {moloni:?}")]
    TotalsMismatch {
        /// Our total.
        ours: Money,
        /// Moloni's total.
        moloni: Money,
    },
    /// The issue lease was lost (another claim took over, or the request is no longer waiting).
    #[error("the issue lease was lost")]
    LeaseLost,
    /// A PDF could not be made or written.
    #[error("{0}")]
    Pdf(#[from] crate::pdf::PdfError),
    /// An issued document's stored fiscal data does not make a valid QR code or ATCUD.
    #[error("fiscal data: {0}")]
    Fiscal(Localized),
    /// A write broke a column's sync policy (an edit of a server-owned or fixed column): a bug, refused
    /// before anything is stored.
    #[error("{table}.{column} cannot be changed by {how}")]
    WritePolicy {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// The kind of write that tried.
        how: &'static str,
    },
    /// A Moloni call failed (its message says what to do; it carries no secret).
    #[error("{0}")]
    Moloni(#[from] moloni::Error),
    /// The OS keyring could not be used.
    #[error("{0}")]
    Secrets(#[from] crate::moloni::secrets::SecretsError),
    /// The office server refused or failed (its message says what to do).
    #[error("{0}")]
    Server(#[from] crate::server::ServerError),
    /// Moloni is not connected (or its secrets are gone from the keyring).
    #[error("Moloni is not connected")]
    MoloniNotConnected,
    /// An import could not run (issue 17); nothing was stored.
    #[error("{0}")]
    Import(Box<crate::import::ImportError>),
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
            CoreError::NotFound { what } => AppError::new(ErrorKind::NotFound, not_found_message(what)),
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
            CoreError::Busy(path) => AppError::new(
                ErrorKind::Locked,
                Localized::new(
                    format!("A base de dados {} ainda está ocupada com uma alteração anterior. Aguarde uns segundos e tente de novo.", path.display()),
                    format!("The database {} is still busy with an earlier change. Wait a few seconds and try again.", path.display()),
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
            CoreError::WritePolicy { .. } => AppError::new(
                ErrorKind::Internal,
                Localized::new(
                    format!("Alteração recusada ({self}); nada foi gravado. Comunique este erro ao suporte."),
                    format!("Change refused ({self}); nothing was stored. Report this error to support."),
                ),
            ),
            CoreError::Decode(e) => AppError::new(
                ErrorKind::Internal,
                Localized::new(
                    format!("Dados locais ilegíveis ({e}). Comunique este erro ao suporte."),
                    format!("Unreadable local data ({e}). Report this error to support."),
                ),
            ),
            CoreError::DuplicateReference { reference, other } => {
                let message = Localized::new(
                    format!("A referência {reference} já pertence ao artigo «{other}». Escolha outra referência."),
                    format!("Reference {reference} already belongs to product «{other}». Choose another reference."),
                );
                AppError {
                    kind: ErrorKind::Conflict,
                    message: message.clone(),
                    fields: vec![FieldError { field: "reference".into(), message }],
                }
            }
            CoreError::NotEditable(state) => {
                let (pt, en) = match state {
                    DocState::IssueRequested | DocState::Issuing => (
                        "Este documento está na fila de emissão e já não pode ser alterado. Retire-o da fila para o editar.",
                        "This document is queued for issue and can no longer be changed. Withdraw it from the queue to edit it.",
                    ),
                    DocState::Cancelled => ("Este documento está anulado e não pode ser alterado.", "This document is cancelled and cannot be changed."),
                    _ => (
                        "Este documento já foi emitido e não pode ser alterado nem apagado. Para o corrigir, emita uma nota de crédito.",
                        "This document has been issued and cannot be changed or deleted. To correct it, issue a credit note.",
                    ),
                };
                AppError::new(ErrorKind::Conflict, Localized::new(pt, en))
            }
            CoreError::Transition(e) => AppError::new(ErrorKind::Conflict, e.message()),
            CoreError::Conversion(e) => AppError::new(ErrorKind::Conflict, e.message()),
            CoreError::TotalsMismatch { ours, moloni } => AppError::new(
                ErrorKind::Conflict,
                Localized::new(
                    format!(
                        "O total do Moloni ({}) difere do nosso ({}). O documento fica por rever e não foi fechado.",
                        format_money(*moloni, Lang::Pt),
                        format_money(*ours, Lang::Pt)
                    ),
                    format!(
                        "Moloni's total ({}) differs from ours ({}). The document awaits review and was not closed.",
                        format_money(*moloni, Lang::En),
                        format_money(*ours, Lang::En)
                    ),
                ),
            ),
            CoreError::Pdf(e) => AppError::new(
                match e {
                    crate::pdf::PdfError::Write { .. } => ErrorKind::Storage,
                    crate::pdf::PdfError::Qr { .. } => ErrorKind::Conflict,
                    _ => ErrorKind::Internal,
                },
                e.message(),
            ),
            CoreError::Fiscal(message) => AppError::new(ErrorKind::Conflict, message.clone()),
            CoreError::Moloni(e) => crate::moloni::app_error(e),
            CoreError::Secrets(e) => AppError::new(ErrorKind::Storage, e.message()),
            CoreError::Server(e) => AppError::new(
                match e {
                    crate::server::ServerError::Unreachable(_) => ErrorKind::Storage,
                    crate::server::ServerError::BadUrl(_) | crate::server::ServerError::WeakPassword => ErrorKind::Validation,
                    crate::server::ServerError::Db(_) => ErrorKind::Internal,
                    _ => ErrorKind::Conflict,
                },
                e.message(),
            ),
            CoreError::MoloniNotConnected => AppError::new(
                ErrorKind::NotFound,
                Localized::new(
                    "O Moloni não está ligado (ou as credenciais já não estão no cofre do sistema). Ligue a conta em Definições › Moloni ou com `desk moloni connect`.",
                    "Moloni is not connected (or the credentials are no longer in the system's keyring). Connect the account in Settings › Moloni or with `desk moloni connect`.",
                ),
            ),
            CoreError::Import(e) => e.to_app_error(),
            CoreError::LeaseLost => AppError::new(
                ErrorKind::Conflict,
                Localized::new(
                    "Outro posto assumiu a emissão deste documento. Nada foi alterado aqui.",
                    "Another desktop took over issuing this document. Nothing was changed here.",
                ),
            ),
        }
    }
}

/// What a [`CoreError::NotFound`] says: the thing named in each language (`what` is the engine's word or the
/// writer's table name), and what to do.
fn not_found_message(what: &str) -> Localized {
    let (pt, en) = match what {
        "company" | "companies" => ("A empresa não foi encontrada", "The company was not found"),
        "customer" | "customers" => ("O cliente não foi encontrado", "The customer was not found"),
        "document" | "documents" => ("O documento não foi encontrado", "The document was not found"),
        "document_lines" => ("A linha do documento não foi encontrada", "The document line was not found"),
        "product" | "products" => ("O produto não foi encontrado", "The product was not found"),
        "payment" | "payments" => ("O pagamento não foi encontrado", "The payment was not found"),
        _ => ("O registo não foi encontrado", "The record was not found"),
    };
    Localized::new(
        format!("{pt}. Talvez já não exista: atualize a lista."),
        format!("{en}. It may have been removed: refresh the list."),
    )
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> AppError {
        e.to_app_error()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_names_the_thing_in_each_language() {
        let m = CoreError::NotFound { what: "customer" }.to_app_error();
        assert_eq!(m.kind, ErrorKind::NotFound);
        assert_eq!(m.message.pt, "O cliente não foi encontrado. Talvez já não exista: atualize a lista.");
        assert_eq!(m.message.en, "The customer was not found. It may have been removed: refresh the list.");
        // The writer names tables; they read the same as the engine's words.
        let company = CoreError::NotFound { what: "companies" }.to_app_error().message;
        assert_eq!(company.pt, "A empresa não foi encontrada. Talvez já não exista: atualize a lista.");
        assert_eq!(company.en, "The company was not found. It may have been removed: refresh the list.");
        let line = CoreError::NotFound { what: "document_lines" }.to_app_error().message;
        assert!(line.pt.starts_with("A linha do documento não foi encontrada.") && !line.pt.contains("document_lines"));
        let other = CoreError::NotFound { what: "issue_requests" }.to_app_error().message;
        assert!(
            other.pt.starts_with("O registo não foi encontrado.") && other.en.starts_with("The record was not found.")
        );
    }
}
