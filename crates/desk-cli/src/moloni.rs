//! `desk moloni connect|status|disconnect`: connecting the current company to Moloni. The password is asked
//! on the terminal (or read with `--password-stdin`), never taken as an argument; the secrets go to the OS
//! keyring, the rest to the data folder's settings.

use crate::Out;
use clap::Subcommand;
use desk_core::api::Run;
use desk_core::Workspace;
use desk_model::ipc::{call, AppError, ErrorKind, MoloniConnectInput, MoloniStatus};
use desk_model::msg::Localized;
use std::io::BufRead;

#[derive(Subcommand)]
pub enum MoloniCommand {
    /// Test the credentials with Moloni and keep them (secrets in the OS keyring).
    Connect {
        /// The API address (a stand-in's, e.g. http://127.0.0.1:8690).
        #[arg(long, default_value = moloni::PRODUCTION_URL)]
        url: String,
        /// The developer Client ID.
        #[arg(long)]
        client_id: String,
        /// The developer Client Secret.
        #[arg(long, env = "DESK_MOLONI_CLIENT_SECRET", hide_env_values = true)]
        client_secret: String,
        /// The Moloni user (login e-mail).
        #[arg(long)]
        user: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
        /// The Moloni company for the current company (needed when the user has several).
        #[arg(long)]
        company: Option<i64>,
    },
    /// The connection's state; `--check` asks Moloni with the stored secrets.
    Status {
        /// Ask Moloni, not only the stored state.
        #[arg(long)]
        check: bool,
    },
    /// Forget the connection (keyring secrets and settings).
    Disconnect,
}

fn read_password(stdin: bool) -> Result<String, AppError> {
    let failed = |e: std::io::Error| {
        AppError::new(
            ErrorKind::Validation,
            Localized::new(
                format!("Não foi possível ler a palavra-passe ({e})."),
                format!("Could not read the password ({e})."),
            ),
        )
    };
    if stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(failed)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    } else {
        rpassword::prompt_password("Palavra-passe do Moloni / Moloni password: ").map_err(failed)
    }
}

fn print(status: &MoloniStatus, out: Out) {
    if out.json {
        println!("{}", serde_json::to_string_pretty(status).unwrap_or_default());
        return;
    }
    let Some(url) = &status.url else {
        println!("Moloni: not connected");
        return;
    };
    println!("Moloni:  {}", if status.connected { "connected" } else { "company not chosen" });
    println!("address: {url}");
    println!("user:    {}", status.user.as_deref().unwrap_or(""));
    match &status.company {
        Some(c) => println!("company: {} {} (NIF {})", c.id, c.name, c.vat),
        None => {
            for c in &status.companies {
                println!("  --company {}\t{} (NIF {})", c.id, c.name, c.vat);
            }
        }
    }
}

pub async fn run(ws: &Workspace, command: MoloniCommand, out: Out) -> Result<(), AppError> {
    let status = match command {
        MoloniCommand::Connect { url, client_id, client_secret, user, password_stdin, company } => {
            let password = read_password(password_stdin)?;
            let input = MoloniConnectInput { url, client_id, client_secret, user, password, company_id: company };
            let status = call::MoloniConnect { input }.run(ws).await?;
            if status.company.is_none() {
                print(&status, out);
                return Err(AppError::new(
                    ErrorKind::Validation,
                    Localized::new(
                        "O utilizador tem várias empresas no Moloni: repita com --company <id> (listadas acima).",
                        "The user has several companies in Moloni: run it again with --company <id> (listed above).",
                    ),
                ));
            }
            status
        }
        MoloniCommand::Status { check } => call::MoloniStatusGet { check }.run(ws).await?,
        MoloniCommand::Disconnect => call::MoloniDisconnect {}.run(ws).await?,
    };
    print(&status, out);
    Ok(())
}
