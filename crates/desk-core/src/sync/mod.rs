//! The desktop's side of office sync that exists before the server does: the outbox as a server will receive
//! it (listing, acknowledging, the solo-mode bound) and the apply path a pull uses ([`apply`]).

pub mod apply;
pub mod outbox;
