//! Small building blocks shared by the pages.

pub mod export;
pub mod field;
pub mod notice;
pub mod pdf_batch;
pub mod print_preview;
pub mod tax;
