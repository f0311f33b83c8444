//! The seam to the matching engine of `accord-contracts-format`: request generation before
//! sending, and comparison of the provider's answers with the contract.

use accord_contracts_format::{
    Body, GeneratorContext, HttpRequest, HttpResponse, MatchOptions, Message, Mismatch,
    MismatchCategory, SpecVersion, apply_request_generators, match_message, match_response,
};
use serde_json::{Map, Value};

/// The request to send: the contract's request with its generators applied, `ProviderState`
/// generators fed by the values the state setup returned.
pub(crate) fn generate_request(
    request: &HttpRequest,
    state_values: &Map<String, Value>,
) -> HttpRequest {
    apply_request_generators(
        request,
        &GeneratorContext::for_provider(state_values.clone()),
    )
}

/// Differences between the expected and the actual response.
pub(crate) fn response_mismatches(
    expected: &HttpResponse,
    actual: &HttpResponse,
    spec_version: SpecVersion,
) -> Vec<Mismatch> {
    match_response(expected, actual, &MatchOptions::new(spec_version))
}

/// Differences between the expected and the actual message.
pub(crate) fn message_mismatches(
    expected: &Message,
    actual: &Message,
    spec_version: SpecVersion,
) -> Vec<Mismatch> {
    match_message(expected, actual, &MatchOptions::new(spec_version))
}

/// A line diff of the bodies when some mismatch concerns the body.
pub(crate) fn body_diff(mismatches: &[Mismatch], expected: &Body, actual: &Body) -> Option<String> {
    if mismatches
        .iter()
        .any(|m| m.category == MismatchCategory::Body)
    {
        accord_contracts_format::body_diff(expected, actual)
    } else {
        None
    }
}
