//! End-to-end tests: they run the real `accord` binary.

mod broker_accord_client;
mod broker_pact_client;
mod can_i_deploy;
mod consumer_interop;
mod consumer_servers;
mod coupling;
mod harness;
mod verify;
