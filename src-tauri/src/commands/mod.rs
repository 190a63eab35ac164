//! The Tauri commands, one file per area. Each is a thin call into `desk-core`, mapping its error to `AppError`.

pub mod app;
pub mod company;
pub mod customers;
pub mod documents;
pub mod pdf;
pub mod products;
pub mod unsaved;
