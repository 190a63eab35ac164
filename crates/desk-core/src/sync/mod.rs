//! Sync with the office server. The desktop's side: the outbox (`outbox`), the apply path a pull uses (`apply`) and what it
//! recomputes (`recompute`),
//! one round of push, pull and conflicts (`round`),
//! leases on the server's clock for issuing and the Moloni sync (`lease`), the conflict queue (`conflicts`). The protocol (`central`):
//! the real server in PostgreSQL (`pg`) and a model of it in memory (`model`) that the seeded simulation runs;
//! both merge with `merge`.

pub mod apply;
pub mod central;
pub mod lease;
pub mod merge;
pub mod model;
pub mod office;
pub mod outbox;
pub mod pg;
mod recompute;
pub mod round;
