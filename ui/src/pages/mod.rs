//! The app's screens.

pub mod audit;
pub mod company;
pub mod customers;
pub mod dashboard;
pub mod documents;
pub mod editor;
pub mod first_run;
pub mod import;
pub mod office_sync;
pub mod products;
pub mod queue;
pub mod reports;
pub mod review;
pub mod settings;
pub mod users;
