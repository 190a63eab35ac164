//! desk-core: the desk-moloni engine. It owns the local SQLite cache and every service the app and the `desk`
//! command line share. It never depends on tauri: the shell's commands are thin calls into [`Workspace`].
#![forbid(unsafe_code)]

pub mod api;
pub mod audit;
pub(crate) mod codec;
pub mod company;
pub mod context;
pub mod customers;
pub mod dashboard;
pub mod documents;
pub mod error;
pub mod export;
pub mod import;
pub mod lease_clock;
pub mod moloni;
pub mod paths;
pub mod payments;
pub mod pdf;
pub mod printing;
pub mod products;
pub mod reports;
pub mod review;
pub mod sample;
pub mod screen;
pub mod series;
pub mod server;
pub mod store;
pub mod sync;
pub mod unsaved;
pub mod workspace;

pub use context::Ctx;
pub use error::{CoreError, CoreResult};
pub use workspace::Workspace;
