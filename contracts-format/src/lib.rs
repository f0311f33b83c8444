//! The Accord contract model.
