//! Accord's broker: a Pact Broker compatible HTTP server storing contracts, versions, branches,
//! environments, deployments and verification results, on SQLite or PostgreSQL.

// The store and the HTTP layer call into `domain`; until they are merged, most of it is only
// reached from its tests.
#[allow(dead_code, unused_imports)]
mod domain;
