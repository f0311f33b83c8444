//! The interactions a failed verification reports as failing, read from its `testResults`.
//!
//! Two shapes are read: Accord's and Pact's Rust verifier's list of per-interaction results
//! (`[{"interactionId", "interactionDescription", "success", "mismatches": [...], "error"}]`),
//! and the Ruby/JS verifier's object (`{"tests": [{"testDescription", "status", ...}]}`).

use serde_json::Value;

/// At most this many mismatch lines are kept per interaction.
const MAX_MISMATCHES: usize = 3;
/// Mismatch lines longer than this are shortened.
const MAX_MISMATCH_CHARS: usize = 200;

/// One interaction that failed verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FailedInteraction {
    pub(crate) description: String,
    /// A short summary of what did not match (or the error), possibly empty.
    pub(crate) mismatches: Vec<String>,
}

/// The failed interactions in a verification's `testResults` JSON text (none when it does not
/// parse or has no failed entries).
pub(crate) fn failed_interactions(test_results: &str) -> Vec<FailedInteraction> {
    let Ok(value) = serde_json::from_str::<Value>(test_results) else {
        return Vec::new();
    };
    let entries = match &value {
        Value::Array(list) => list.as_slice(),
        Value::Object(map) => map
            .get("tests")
            .or_else(|| map.get("testResults"))
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice),
        _ => &[],
    };
    entries.iter().filter_map(failed_entry).collect()
}

fn failed_entry(entry: &Value) -> Option<FailedInteraction> {
    let failed = match (entry.get("success"), entry.get("status")) {
        (Some(Value::Bool(success)), _) => !success,
        (_, Some(Value::String(status))) => !matches!(status.as_str(), "passed" | "pending"),
        _ => false,
    };
    if !failed {
        return None;
    }
    let description = ["interactionDescription", "description", "testDescription"]
        .iter()
        .find_map(|k| entry.get(*k).and_then(Value::as_str))
        .or_else(|| entry.get("interactionId").and_then(Value::as_str))
        .unwrap_or("(an interaction without a description)")
        .to_owned();
    let mut mismatches: Vec<String> = entry
        .get("mismatches")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(mismatch_line)
        .collect();
    let error = entry
        .get("error")
        .and_then(Value::as_str)
        .or_else(|| entry.pointer("/exception/message").and_then(Value::as_str));
    if let Some(error) = error {
        mismatches.push(error.to_owned());
    }
    let total = mismatches.len();
    mismatches.truncate(MAX_MISMATCHES);
    let mut mismatches: Vec<String> = mismatches.into_iter().map(shorten).collect();
    if total > MAX_MISMATCHES {
        mismatches.push(format!("… and {} more", total - MAX_MISMATCHES));
    }
    Some(FailedInteraction {
        description,
        mismatches,
    })
}

/// One line for a mismatch: its message (Accord), description (Pact) or the JSON itself.
fn mismatch_line(mismatch: &Value) -> Option<String> {
    match mismatch {
        Value::String(text) => Some(text.clone()),
        Value::Object(map) => ["message", "description", "mismatch"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .map(str::to_owned)
            .or_else(|| Some(mismatch.to_string())),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn shorten(line: String) -> String {
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MAX_MISMATCH_CHARS {
        return line;
    }
    let mut short: String = line.chars().take(MAX_MISMATCH_CHARS).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_accord_and_pact_rust_results() {
        let text = r#"[
            {"interactionId": "a", "interactionDescription": "get a SKU", "success": true},
            {"interactionId": "b", "interactionDescription": "get the stock level of a SKU",
             "success": false,
             "mismatches": [{"category": "body", "message": "$.level: expected 3, got \"3\""}]},
            {"interactionId": "c", "success": false,
             "mismatches": [{"attribute": "status", "description": "expected 200 but was 404"}]},
            {"interactionDescription": "boom", "success": false, "error": "connection refused"}
        ]"#;
        let failed = failed_interactions(text);
        assert_eq!(
            failed,
            [
                FailedInteraction {
                    description: "get the stock level of a SKU".into(),
                    mismatches: vec!["$.level: expected 3, got \"3\"".into()],
                },
                FailedInteraction {
                    description: "c".into(),
                    mismatches: vec!["expected 200 but was 404".into()],
                },
                FailedInteraction {
                    description: "boom".into(),
                    mismatches: vec!["connection refused".into()],
                },
            ]
        );
    }

    #[test]
    fn reads_pact_ruby_results_and_ignores_garbage() {
        let text = r#"{"tests": [
            {"testDescription": "a request for X", "status": "passed"},
            {"testDescription": "a request for Y", "status": "failed",
             "exception": {"message": "Expected 1\n   got 2"}}
        ], "summary": {"testCount": 2, "failureCount": 1}}"#;
        let failed = failed_interactions(text);
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].description, "a request for Y");
        assert_eq!(failed[0].mismatches, ["Expected 1 got 2"]);
        assert!(failed_interactions("not json").is_empty());
        assert!(failed_interactions("{}").is_empty());
        let many: Vec<String> = (0..5)
            .map(|i| format!(r#"{{"message": "m{i}"}}"#))
            .collect();
        let text = format!(
            r#"[{{"description": "d", "success": false, "mismatches": [{}]}}]"#,
            many.join(",")
        );
        assert_eq!(
            failed_interactions(&text)[0].mismatches,
            ["m0", "m1", "m2", "… and 2 more"]
        );
    }
}
