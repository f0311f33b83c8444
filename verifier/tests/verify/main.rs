//! Integration tests of the verifier: wiremock plays the provider and the broker.

mod broker;
mod errors;
mod http;
mod messages;
mod states;
mod support;
