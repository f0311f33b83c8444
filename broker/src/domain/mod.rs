//! The broker's rules, as pure functions over data the store hands them (no I/O, no HTTP).

pub mod content;
pub mod names;
pub mod pacts;
