//! End-to-end tests: they run the real `accord` binary.

mod consumer_interop;
mod consumer_servers;
