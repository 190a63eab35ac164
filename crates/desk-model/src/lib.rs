//! desk-model: every rule about money, tax, parties and documents for Portuguese invoicing, with no I/O.
//!
//! It builds for `wasm32-unknown-unknown` (the Yew UI validates and totals live with it) and for native (the
//! engine stores exactly what the UI showed). Only the types in [`ipc`] cross the Tauri bridge.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod customer;
pub mod document;
pub mod fiscal;
pub mod ipc;
pub mod money;
pub mod msg;
pub mod party;
pub mod print;
pub mod tax;
pub mod text;
