//! `moloni-standin --port 8690 [--state file.json] [--seed demo|empty]`: Moloni as the client sees it, on
//! 127.0.0.1. Prints `listening on http://127.0.0.1:PORT` once it accepts connections.

use moloni_standin::{Options, Seed, StandIn};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: moloni-standin [--port 8690] [--state file.json] [--seed demo|empty]
  demo credentials: client id desk-demo, secret desk-demo-secret, user demo@desk.pt, password demo
  faults: POST /_standin/faults {\"endpoint\":\"invoices/insert\",\"when\":\"after\",\"kind\":\"timeout\",\"times\":1}";

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options { port: 8690, ..Options::default() };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--port" => o.port = value()?.parse().map_err(|_| "--port takes a number".to_string())?,
            "--state" => o.state_file = Some(PathBuf::from(value()?)),
            "--seed" => {
                o.seed = match value()?.as_str() {
                    "demo" => Seed::Demo,
                    "empty" => Seed::Empty,
                    other => return Err(format!("unknown seed {other:?} (demo or empty)")),
                }
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(o)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("moloni-standin: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let standin = match StandIn::start(options).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("moloni-standin: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {}", standin.url());
    // Serves until the process is stopped (Ctrl+C, SIGTERM).
    std::future::pending::<ExitCode>().await
}
