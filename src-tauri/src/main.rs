//! The desk-moloni desktop app's entry point.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc: faster than the system allocator for the engine's many small allocations (ARCHITECTURE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    desk_shell::run();
}
