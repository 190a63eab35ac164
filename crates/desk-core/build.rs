//! Rebuilds desk-core when a migration is added or changed: `sqlx::migrate!` embeds them at compile time, and
//! on stable Rust it cannot tell cargo to watch the folder itself.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations/local");
    println!("cargo:rerun-if-changed=../../migrations/central");
}
