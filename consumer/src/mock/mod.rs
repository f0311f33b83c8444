//! The mock provider and its journal.

mod journal;
mod server;

pub use journal::{MismatchedRequest, MockReport, ReceivedRequest};
pub use server::MockProvider;
