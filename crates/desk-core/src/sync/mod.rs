//! Sync with the office server. The desktop's side: the outbox (`outbox`); the apply path a pull uses (`apply`)
//! and what it recomputes (`recompute`); one round of push, pull and conflicts (`round`); a first pull's list
//! indexes set aside and made again (`first_pull`); leases on the server's clock for issuing and the Moloni sync
//! (`lease`); the app's and CLI's calls and background loop (`office`). The protocol (`central`): the real server
//! in PostgreSQL (`pg`) and a model of it in memory (`model`) that the seeded simulation runs; both merge with
//! `merge`.

pub mod apply;
pub mod central;
pub mod first_pull;
pub mod lease;
pub mod merge;
pub mod model;
pub mod office;
pub mod outbox;
pub mod pg;
mod recompute;
pub mod round;
