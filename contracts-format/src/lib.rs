//! The Accord contract model and Pact contract files.
//!
//! This crate reads contract files of every Pact specification version (V1, V1.1, V2, V3 and
//! V4, including V3 message pacts) into one model, writes the model back as V4 (or V3, V2,
//! V1), validates files against Accord's JSON schema and semantic rules, and matches actual
//! requests, responses and messages against expected ones.
//!
//! It does no I/O beyond (de)serialisation: callers read and write files and sockets. The
//! matching engine, generators and reports take their options as values and read no
//! environment.
//!
//! ```
//! use accord_contracts_format::{parse_contract, to_json_string, SpecVersion};
//!
//! let v2 = r#"{
//!   "consumer": {"name": "web"}, "provider": {"name": "orders"},
//!   "interactions": [{
//!     "description": "get order 1", "providerState": "order 1 exists",
//!     "request": {"method": "GET", "path": "/orders/1"},
//!     "response": {"status": 200, "body": {"id": 1},
//!                  "matchingRules": {"$.body.id": {"match": "type"}}}
//!   }],
//!   "metadata": {"pactSpecification": {"version": "2.0.0"}}
//! }"#;
//! let contract = parse_contract(v2)?;
//! assert_eq!(contract.spec_version, SpecVersion::V2);
//! let v4 = to_json_string(&contract, SpecVersion::V4)?;
//! assert!(v4.contains("Synchronous/HTTP"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Matching an actual response against the expected one gives structured mismatches; the
//! same engine serves the mock provider (requests) and the verifier (responses):
//!
//! ```
//! use accord_contracts_format::{
//!     Body, HttpResponse, MatchOptions, Matcher, RuleCategory, match_response, mismatch_report,
//! };
//! use serde_json::json;
//!
//! let mut expected = HttpResponse {
//!     body: Body::json(json!({"id": 1, "tags": ["a"]})),
//!     ..HttpResponse::default()
//! };
//! expected.matching_rules.add(RuleCategory::Body, "$.tags", Matcher::Type { min: Some(1), max: None });
//! let actual = HttpResponse {
//!     body: Body::json(json!({"id": 2, "tags": ["x", "y"], "extra": true})),
//!     ..HttpResponse::default()
//! };
//! let mismatches = match_response(&expected, &actual, &MatchOptions::default());
//! assert_eq!(mismatches.len(), 1);
//! assert_eq!(mismatches[0].to_string(), "body $.id: expected 1 but got 2");
//! let report = mismatch_report("get order 1", &mismatches, &expected.body, &actual.body);
//! assert!(report.starts_with("Interaction \"get order 1\": 1 mismatch"));
//! ```

#![warn(missing_docs)]

mod conformance;
mod datefmt;
mod diff;
mod error;
mod generate;
mod matching;
mod model;
mod path;
mod spec;

pub use conformance::{ConformanceError, ConformanceOutcome, run_conformance_case};
pub use diff::{body_diff, line_diff, mismatch_report};
pub use error::{ParseError, Problem, WriteError};
pub use generate::{
    GeneratorContext, apply_body_generators, apply_message_generators, apply_request_generators,
    apply_response_generators, generate_value,
};
pub use matching::{
    MatchOptions, Mismatch, MismatchCategory, MismatchKind, match_message, match_request,
    match_response, match_sync_message,
};
pub use model::*;
pub use path::{PathError, PathExpr, PathStep};
pub use spec::{
    contract_from_value, parse_contract, parse_query_string, read_message, read_request,
    read_response, to_json, to_json_string,
};
