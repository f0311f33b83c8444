//! The mock provider: in process for Rust tests, standalone (with a control API) for
//! consumers written in other languages.

mod journal;
mod server;
mod session;
mod standalone;

pub use journal::{MismatchedRequest, MockReport, ReceivedRequest};
pub use server::MockProvider;
pub use standalone::{CONTROL_PREFIX, MockServer};
