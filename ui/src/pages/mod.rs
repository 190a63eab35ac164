//! The app's screens.

pub mod customers;
pub mod first_run;
