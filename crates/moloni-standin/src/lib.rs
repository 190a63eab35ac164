//! moloni-standin: a local server that answers like the Moloni API v1, for tests and for trying the app
//! without a Moloni account. Grants with rotating tokens and a clock tests can move; customers, products,
//! settings lists and documents (draft → close with number, ATCUD and a chained hash) validated with Moloni's
//! own error codes; totals by its own arithmetic (never desk-model's: a stand-in sharing the client's
//! arithmetic would prove nothing); faults on demand. State in memory, optionally saved to a JSON file.
//!
//! Used in-process by tests ([`StandIn::start`] on port 0) and as the `moloni-standin` binary.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![recursion_limit = "256"]

pub mod documents;
pub mod errors;
pub mod faults;
pub mod handlers;
pub mod nif;
pub mod params;
pub mod seed;
pub mod server;
pub mod shapes;
pub mod state;

pub use faults::{Fault, FaultKind, When};
pub use state::State;

use server::Shared;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

/// What to start with when there is no saved state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// Only the global lists (no app, user or company).
    Empty,
    /// The demo company and its credentials (see [`seed`]).
    #[default]
    Demo,
}

/// How to start.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Port on 127.0.0.1 (0: any free one).
    pub port: u16,
    /// Load from and save to this JSON file.
    pub state_file: Option<PathBuf>,
    /// The seed when there is no saved state.
    pub seed: Seed,
}

/// A running stand-in; stops when dropped.
pub struct StandIn {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl StandIn {
    /// Binds 127.0.0.1:`port` and serves in the background.
    pub async fn start(options: Options) -> std::io::Result<StandIn> {
        let state = match options.state_file.as_ref().filter(|p| p.exists()) {
            Some(path) => {
                let text = std::fs::read_to_string(path)?;
                serde_json::from_str(&text).map_err(|e| {
                    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))
                })?
            }
            None => match options.seed {
                Seed::Empty => seed::base(),
                Seed::Demo => seed::demo(),
            },
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            faults: Mutex::new(Default::default()),
            lag_seconds: AtomicI64::new(0),
            token_status: AtomicU16::new(401),
            base_url: Mutex::new(format!("http://{addr}")),
            state_file: options.state_file,
        });
        let app = server::router(shared.clone());
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("moloni-standin stopped: {e}");
            }
        });
        Ok(StandIn { addr, shared, task })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Adds a fault.
    pub fn add_fault(&self, fault: Fault) {
        self.shared.faults().add(fault);
    }

    /// Forgets all faults and the lag.
    pub fn clear_faults(&self) {
        self.shared.faults().clear();
        self.shared.lag_seconds.store(0, Ordering::Relaxed);
    }

    /// Leaves changes younger than `seconds` out of getAll/getModifiedSince.
    pub fn set_lag(&self, seconds: i64) {
        self.shared.lag_seconds.store(seconds.max(0), Ordering::Relaxed);
    }

    /// The HTTP status of a refused access token (401 by default; the real one is unconfirmed).
    pub fn set_token_status(&self, status: u16) {
        self.shared.token_status.store(status, Ordering::Relaxed);
    }

    /// Moves the stand-in's clock (expires tokens: access after 1 h, refresh after 14 days).
    pub fn advance_clock(&self, seconds: i64) {
        self.shared.state().clock_offset += seconds;
    }

    /// Reads or changes the state directly (tests).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.shared.state())
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}
