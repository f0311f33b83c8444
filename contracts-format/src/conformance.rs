//! Running one case of the Pact specification's matching test suite
//! (`<version>/<kind>/<area>/<description>.json` files with `match`, `expected`, `actual`).
//!
//! This module takes already-read JSON; callers find and read the files.

use serde_json::Value;

use crate::matching::{MatchOptions, Mismatch, match_message, match_request, match_response};
use crate::model::SpecVersion;
use crate::spec::{read_message, read_request, read_response};

/// The verdict of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct ConformanceOutcome {
    /// The case's `match` member: whether the specification says the two sides match.
    pub expected: bool,
    /// Whether Accord found no mismatch.
    pub actual: bool,
    /// What Accord found.
    pub mismatches: Vec<Mismatch>,
}

impl ConformanceOutcome {
    /// True when Accord agrees with the specification.
    pub fn passed(&self) -> bool {
        self.expected == self.actual
    }
}

/// Why a case could not be run.
#[derive(Debug, thiserror::Error)]
pub enum ConformanceError {
    /// The path does not start with `<version>/<kind>/`.
    #[error("{0}: the path does not start with <version>/<request|response|message>/")]
    BadPath(String),
    /// A member is missing or has the wrong type.
    #[error("the case has no {0}")]
    BadCase(&'static str),
    /// The expected or actual side does not read as its kind.
    #[error("the {side} side cannot be read")]
    Unreadable {
        /// `expected` or `actual`.
        side: &'static str,
        /// The reader's error.
        #[source]
        source: crate::ParseError,
    },
}

/// The spec version of a corpus folder name (`v1`, `v1_1`, `v2`, `v3`, `v4`).
pub(crate) fn version_of_folder(folder: &str) -> Option<SpecVersion> {
    Some(match folder {
        "v1" => SpecVersion::V1,
        "v1_1" => SpecVersion::V1_1,
        "v2" => SpecVersion::V2,
        "v3" => SpecVersion::V3,
        "v4" => SpecVersion::V4,
        _ => return None,
    })
}

/// Runs the case at `relative_path` (which gives its version and kind) with content `case`.
pub fn run_conformance_case(
    relative_path: &str,
    case: &Value,
) -> Result<ConformanceOutcome, ConformanceError> {
    let normalised = relative_path.replace('\\', "/");
    let mut parts = normalised.split('/');
    let bad_path = || ConformanceError::BadPath(relative_path.to_owned());
    let version = parts
        .next()
        .and_then(version_of_folder)
        .ok_or_else(bad_path)?;
    let kind = parts.next().ok_or_else(bad_path)?;
    let expected_verdict = case
        .get("match")
        .and_then(Value::as_bool)
        .ok_or(ConformanceError::BadCase("boolean `match`"))?;
    let side = |name: &'static str| {
        case.get(name)
            .filter(|v| v.is_object())
            .cloned()
            .ok_or(ConformanceError::BadCase(name))
    };
    let (expected, actual) = (side("expected")?, side("actual")?);
    let options = MatchOptions::new(version);
    let unreadable = |side| move |source| ConformanceError::Unreadable { side, source };
    let mismatches = match kind {
        "request" => match_request(
            &read_request(expected, version).map_err(unreadable("expected"))?,
            &read_request(actual, version).map_err(unreadable("actual"))?,
            &options,
        ),
        "response" => match_response(
            &read_response(expected, version).map_err(unreadable("expected"))?,
            &read_response(actual, version).map_err(unreadable("actual"))?,
            &options,
        ),
        "message" => match_message(
            &read_message(expected, version).map_err(unreadable("expected"))?,
            &read_message(actual, version).map_err(unreadable("actual"))?,
            &options,
        ),
        _ => return Err(bad_path()),
    };
    Ok(ConformanceOutcome {
        expected: expected_verdict,
        actual: mismatches.is_empty(),
        mismatches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn runs_a_request_case() {
        let case = json!({
            "match": false, "comment": "",
            "expected": {"method": "POST", "path": "/", "body": {"a": 1}},
            "actual": {"method": "POST", "path": "/", "body": {"a": 2}}
        });
        let outcome = run_conformance_case("v3/request/body/x.json", &case).unwrap();
        assert!(outcome.passed());
        assert_eq!(outcome.mismatches.len(), 1);
        assert_eq!(outcome.mismatches[0].path, "$.a");
    }

    #[test]
    fn rejects_bad_paths_and_cases() {
        let case = json!({"match": true, "expected": {}, "actual": {}});
        assert!(matches!(
            run_conformance_case("v9/request/x.json", &case),
            Err(ConformanceError::BadPath(_))
        ));
        assert!(matches!(
            run_conformance_case("v3/other/x.json", &case),
            Err(ConformanceError::BadPath(_))
        ));
        let no_verdict = json!({"expected": {}, "actual": {}});
        assert!(matches!(
            run_conformance_case("v3/request/x.json", &no_verdict),
            Err(ConformanceError::BadCase(_))
        ));
    }
}
