//! moloni: a client for the Moloni API v1 (the certified issuer, n.º 2860), with no tauri and no SQLite.
//!
//! - [`client`]: grants (password; refresh with rotation), calls as the API takes them, its error shapes,
//!   one refresh and retry on a refused token, paging by 50, back-off on 429/5xx honouring `Retry-After`,
//!   timeouts reported as outcome unknown.
//! - [`api`]: the endpoints the app uses, typed; [`types`]: the API's own answers, read tolerantly ([`de`]).
//! - [`convert`]: the one place where they become desk-model types.
//! - [`error`]: what a call can end in, with pt-PT/English messages; [`secret`]: values that never print.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api;
pub mod client;
pub mod convert;
pub mod de;
pub mod error;
pub mod form;
pub mod secret;
pub mod types;

pub use api::{
    CompanyApi, DocumentKind, LineTax, NewAssociation, NewCustomer, NewDocument, NewLine, NewPayment, NewProduct,
};
pub use client::{Client, Config, Credentials, RetryPolicy, TokenSink, PRODUCTION_URL};
pub use error::{Error, ValidationError};
pub use secret::Secret;
