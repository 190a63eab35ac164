//! The desk-moloni desktop app's entry point.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    desk_shell::run();
}
