//! Accord's broker: a Pact Broker compatible HTTP server storing contracts, versions, branches,
//! environments, deployments and verification results, on SQLite or PostgreSQL.
