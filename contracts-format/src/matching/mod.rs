//! The matching engine: compares an actual request, response or message with the expected
//! one of a contract and returns every difference as a [`Mismatch`].
//!
//! It is pure: no I/O, no environment, no global state. Options arrive as [`MatchOptions`].
//! Requests reject JSON keys, XML attributes and elements the contract does not mention;
//! responses and messages accept them. Extra headers are always fine.

mod body;
mod content;
mod json;
mod mismatch;
mod parts;
mod rules;
mod states;
mod values;
mod xml;

pub use mismatch::{Mismatch, MismatchCategory, MismatchKind};

use crate::model::{HttpRequest, HttpResponse, Message, RuleCategory, SpecVersion, SyncMessage};
use body::BodyContext;

/// Options of one match.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MatchOptions {
    /// The specification version the contract was read as. V1 compares query strings as
    /// strings; later versions compare parsed parameters.
    pub spec_version: SpecVersion,
}

impl MatchOptions {
    /// Options for a contract of `spec_version`.
    pub fn new(spec_version: SpecVersion) -> Self {
        MatchOptions { spec_version }
    }
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions::new(SpecVersion::V4)
    }
}

/// Compares an actual request (as received by the mock provider) with the expected one.
pub fn match_request(
    expected: &HttpRequest,
    actual: &HttpRequest,
    options: &MatchOptions,
) -> Vec<Mismatch> {
    let rules = &expected.matching_rules;
    let mut mismatches = Vec::new();
    mismatches.extend(parts::method(&expected.method, &actual.method, rules));
    mismatches.extend(parts::path(&expected.path, &actual.path, rules));
    match (&expected.raw_query, &actual.raw_query) {
        (Some(e), Some(a)) if options.spec_version == SpecVersion::V1 => {
            mismatches.extend(parts::raw_query(e, a));
        }
        _ => mismatches.extend(parts::query(
            expected.query.as_ref(),
            actual.query.as_ref(),
            rules,
        )),
    }
    mismatches.extend(parts::headers(
        expected.headers.as_ref(),
        actual.headers.as_ref(),
        rules,
    ));
    mismatches.extend(body::compare(
        &expected.body,
        &actual.body,
        BodyContext {
            expected_type: expected.content_type(),
            actual_type: actual.content_type(),
            rules: rules.category(RuleCategory::Body),
            allow_unexpected: false,
        },
    ));
    mismatches
}

/// Compares an actual response (as returned by the provider) with the expected one.
pub fn match_response(
    expected: &HttpResponse,
    actual: &HttpResponse,
    _options: &MatchOptions,
) -> Vec<Mismatch> {
    let rules = &expected.matching_rules;
    let mut mismatches = Vec::new();
    mismatches.extend(parts::status(expected.status, actual.status, rules));
    mismatches.extend(parts::headers(
        expected.headers.as_ref(),
        actual.headers.as_ref(),
        rules,
    ));
    mismatches.extend(body::compare(
        &expected.body,
        &actual.body,
        BodyContext {
            expected_type: expected.content_type(),
            actual_type: actual.content_type(),
            rules: rules.category(RuleCategory::Body),
            allow_unexpected: true,
        },
    ));
    mismatches
}

/// Compares an actual message (as produced by the provider) with the expected one: the
/// contents like a response body, then the metadata.
pub fn match_message(
    expected: &Message,
    actual: &Message,
    _options: &MatchOptions,
) -> Vec<Mismatch> {
    let rules = &expected.matching_rules;
    let mut mismatches = body::compare(
        &expected.contents,
        &actual.contents,
        BodyContext {
            expected_type: message_content_type(expected),
            actual_type: message_content_type(actual),
            rules: rules.category(RuleCategory::Body),
            allow_unexpected: true,
        },
    );
    mismatches.extend(parts::metadata(&expected.metadata, &actual.metadata, rules));
    mismatches
}

/// Compares a synchronous message exchange: the request message, then each response message
/// in order (a missing or extra response is a mismatch of the contents at `$`).
pub fn match_sync_message(
    expected: &SyncMessage,
    actual: &SyncMessage,
    options: &MatchOptions,
) -> Vec<Mismatch> {
    let mut mismatches = match_message(&expected.request, &actual.request, options);
    for (e, a) in expected.responses.iter().zip(&actual.responses) {
        mismatches.extend(match_message(e, a, options));
    }
    if expected.responses.len() != actual.responses.len() {
        mismatches.push(Mismatch::new(
            MismatchCategory::Body,
            "$",
            MismatchKind::Length {
                min: Some(expected.responses.len()),
                max: Some(expected.responses.len()),
                actual: actual.responses.len(),
            },
        ));
    }
    mismatches
}

fn message_content_type(message: &Message) -> Option<&str> {
    [
        "contentType",
        "content-type",
        "content_type",
        "Content-Type",
    ]
    .iter()
    .find_map(|key| message.metadata.get(*key).and_then(|v| v.as_str()))
    .or_else(|| message.contents.content_type())
}

#[cfg(test)]
mod tests;
