//! Accord's consumer side: a builder DSL for describing the interactions a consumer has with
//! a provider, matcher helpers for the values it sends and expects, an in-process mock
//! provider that checks the consumer's requests against the contract, and the contract writer
//! that merges interactions from many tests into one Pact-compatible contract file.
//!
//! It does not verify providers (that is `accord-verifier`) nor talk to a broker. Matching
//! and generators are `accord-contracts-format`'s, so the mock provider reports mismatches
//! exactly as the verifier does.
//!
//! # A consumer test
//!
//! ```
//! use accord_consumer::{ContractBuilder, integer, like};
//! use serde_json::json;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! let mut orders = ContractBuilder::new("web-app", "orders-api");
//! # let mut orders = orders.with_output_dir(dir.path());
//! orders.interaction("get order 10", |i| {
//!     i.given("an order exists")
//!         .request(|r| r.get("/orders/10"))
//!         .response(|r| r.json_body(json!({"id": integer(10), "status": like("open")})))
//! });
//! let mock = orders.start_mock();
//!
//! // The code under test talks to the mock provider.
//! let order: serde_json::Value =
//!     reqwest::get(format!("{}/orders/10", mock.url())).await?.json().await?;
//! assert_eq!(order["status"], "open");
//!
//! // Checks that everything expected was received and nothing else, then writes
//! // target/contracts/web-app-orders-api.json.
//! let file = mock.finish();
//! # assert!(file.exists());
//! # Ok(())
//! # }
//! ```
//!
//! When a request does not match, the mock provider answers `500` with a JSON body naming
//! the closest interaction and every mismatch, and `finish` fails with a [`MockReport`]:
//! interactions never received, unexpected requests, mismatched requests.
//!
//! # HTTP interactions
//!
//! ```
//! use accord_consumer::{ContractBuilder, each_like, integer, like, regex};
//! use serde_json::json;
//!
//! let mut orders = ContractBuilder::new("web-app", "orders-api");
//! orders.interaction("get order 10", |i| {
//!     i.given_with("an order exists", json!({"id": 10}))
//!         .request(|r| r.get("/orders/10").header("Accept", "application/json"))
//!         .response(|r| {
//!             r.status(200).json_body(json!({
//!                 "id": integer(10),
//!                 "status": regex("^(open|shipped)$", "open"),
//!                 "lines": each_like(json!({"sku": like("A-1"), "qty": integer(2)}), 1, None),
//!             }))
//!         })
//! });
//!
//! let interaction = &orders.contract().interactions[0];
//! # let accord_contracts_format::InteractionKind::Http { response, .. } = &interaction.kind
//! #     else { unreachable!() };
//! # let body_rules = response.matching_rules
//! #     .category(accord_contracts_format::RuleCategory::Body).unwrap();
//! # assert!(body_rules.contains_key("$.lines[*].qty"));
//! assert_eq!(interaction.provider_states[0].name, "an order exists");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Every matcher helper ([`like`], [`each_like`], [`regex()`], [`integer`], [`decimal`],
//! [`number`], [`boolean`], [`datetime`], [`date`], [`time`], [`include()`], [`null`],
//! [`array_containing`], [`each_key`], [`each_value`], [`not_empty`], [`equality`],
//! [`semver`]) and the generator helpers [`from_provider_state`] and [`mock_server_url`]
//! return a [`Template`]: the builder records the example value and adds the matching rule
//! (or generator) at the helper's place (`$.lines[*].qty`). Helpers also work for paths, query parameters,
//! headers and message metadata.
//!
//! # Messages
//!
//! The consumer's handler must accept the example before the contract is written:
//!
//! ```
//! use accord_consumer::{ContractBuilder, like};
//! use serde_json::json;
//!
//! let dir = tempfile::tempdir()?;
//! let mut events = ContractBuilder::new("billing", "orders-events").with_output_dir(dir.path());
//! events
//!     .message("order created", |m| {
//!         m.given("an order is placed")
//!             .json_contents(json!({"id": like(10)}))
//!             .metadata("topic", "orders")
//!     })
//!     .verify_message("order created", |contents, metadata| {
//!         assert_eq!(metadata["topic"], "orders");
//!         contents["id"].as_i64().map(|_| ()).ok_or("order id missing")
//!     });
//! let file = events.write();
//! assert!(file.ends_with("billing-orders-events.json"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Contract files
//!
//! Files go to `target/contracts/<consumer>-<provider>.json` (relative to the working
//! directory), or to the folder named by `ACCORD_CONTRACTS_DIR`, or to the builder's
//! [`ContractBuilder::with_output_dir`]. They are written as Pact V4 (V3 on request with
//! [`ContractBuilder::with_spec_version`]). See [`ContractWriter::write`] for how
//! concurrent tests share one file.
//!
//! # Other languages, and working without the provider
//!
//! [`MockServer`] is the same mock provider as a standalone server (`accord mock`), driven
//! through a JSON control API under [`CONTROL_PREFIX`] (register interactions, verify, write
//! the contract, reset). [`Stub`] serves the responses of existing contracts (`accord
//! stub`); a request header [`STATE_HEADER`] picks the provider state. `MOCK_STUB.md` in this
//! crate documents both.
//!
//! ```
//! use accord_consumer::{ContractWriter, MockServer};
//! use serde_json::json;
//!
//! # let dir = tempfile::tempdir()?;
//! let mock = MockServer::new()
//!     .with_parties("ios-app", "orders-api")
//!     .with_writer(ContractWriter::new().with_dir(dir.path()));
//! let added = mock.add_json(json!({
//!     "type": "Synchronous/HTTP",
//!     "description": "get order 10",
//!     "request": {"method": "GET", "path": "/orders/10"},
//!     "response": {"status": 200}
//! }))?;
//! assert_eq!(added, 1);
//! // Serve it with `mock.serve(listener, shutdown)`; nothing was received yet:
//! assert_eq!(mock.report().missing, ["get order 10"]);
//! assert!(mock.write().is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Errors
//!
//! Methods that can fail come in pairs: `try_interaction` returns a [`BuildError`], while
//! `interaction` panics with it and reports the test's line, which suits test code.

#![warn(missing_docs)]

mod builder;
mod error;
mod http;
mod matchers;
mod mock;
mod routes;
mod stub;
mod writer;

pub use builder::{
    ContractBuilder, InteractionBuilder, MessageBuilder, MessageExample, MessagePartBuilder,
    RequestBuilder, ResponseBuilder, SyncMessageBuilder,
};
pub use error::{
    BuildError, MessageError, MockError, MockServerError, TemplateError, TemplateProblem,
    WriteContractError,
};
pub use matchers::{
    Template, array_containing, boolean, date, datetime, decimal, each_key, each_like, each_value,
    equality, from_provider_state, include, integer, like, mock_server_url, not_empty, null,
    number, regex, semver, time,
};
pub use mock::{
    CONTROL_PREFIX, MismatchedRequest, MockProvider, MockReport, MockServer, ReceivedRequest,
};
pub use stub::{STATE_HEADER, Stub};
pub use writer::{CONTRACTS_DIR_VAR, ContractWriter, DEFAULT_CONTRACTS_DIR};

pub use accord_contracts_format::{SpecVersion, StatusClass};
