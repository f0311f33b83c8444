//! End-to-end tests: they run the real `accord` binary.

mod verify;
