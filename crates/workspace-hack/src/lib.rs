//! desk-workspace-hack: no code, only dependencies. It names every shared dependency with the features the whole
//! workspace uses, so `cargo xtask run`, `cargo xtask test` and `cargo run -p desk-cli` build each dependency
//! once, the same way. Managed by `cargo hakari generate` (see `.config/hakari.toml`); never edit its section.
