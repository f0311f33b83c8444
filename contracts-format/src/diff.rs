//! Readable mismatch reports, shared by the mock provider and the verifier: which
//! interaction, every mismatch on one line, and a line diff of the bodies (JSON
//! pretty-printed). Plain text; callers add colour (lines of the diff start with `-`, `+` or
//! a space).

use std::fmt::Write;

use crate::matching::Mismatch;
use crate::model::{Body, BodyValue};

/// Largest number of lines per side that [`line_diff`] aligns; longer texts are shown as
/// removed-then-added blocks (aligning is quadratic).
const MAX_ALIGNED_LINES: usize = 2_000;

/// A report for one interaction:
///
/// ```text
/// Interaction "get order 1": 2 mismatches
///   1) body $.items[2].id: "x" does not match regex /\d+/
///   2) header "Accept": expected "application/json" but it is missing
///
///   Body (- expected, + actual):
///     {
///   -   "id": 1
///   +   "id": "x"
///     }
/// ```
///
/// The body diff is added when both bodies are present and some mismatch concerns the body.
pub fn mismatch_report(
    interaction: &str,
    mismatches: &[Mismatch],
    expected_body: &Body,
    actual_body: &Body,
) -> String {
    let mut out = String::new();
    let count = match mismatches.len() {
        0 => "matches".to_owned(),
        1 => "1 mismatch".to_owned(),
        n => format!("{n} mismatches"),
    };
    let _ = writeln!(out, "Interaction {interaction:?}: {count}");
    for (i, mismatch) in mismatches.iter().enumerate() {
        let _ = writeln!(out, "  {}) {mismatch}", i + 1);
    }
    let body_mismatch = mismatches
        .iter()
        .any(|m| m.category == crate::matching::MismatchCategory::Body);
    if body_mismatch && let Some(diff) = body_diff(expected_body, actual_body) {
        out.push_str("\n  Body (- expected, + actual):\n");
        for line in diff.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// A line diff of two bodies (`None` when either is absent). JSON is pretty-printed first so
/// that the diff follows the structure.
pub fn body_diff(expected: &Body, actual: &Body) -> Option<String> {
    let (e, a) = (body_text(expected)?, body_text(actual)?);
    Some(line_diff(&e, &a))
}

fn body_text(body: &Body) -> Option<String> {
    let content = body.content()?;
    Some(match &content.value {
        BodyValue::Json(value) => serde_json::to_string_pretty(value).ok()?,
        BodyValue::Text(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
                serde_json::to_string_pretty(&value).ok()?
            }
            _ => text.clone(),
        },
        BodyValue::Bytes(bytes) => format!("<{} bytes>", bytes.len()),
    })
}

/// A line diff: unchanged lines start with two spaces, removed ones with `- `, added ones
/// with `+ `. Lines are aligned on their longest common subsequence.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    if e.len() > MAX_ALIGNED_LINES || a.len() > MAX_ALIGNED_LINES {
        for line in &e {
            let _ = writeln!(out, "- {line}");
        }
        for line in &a {
            let _ = writeln!(out, "+ {line}");
        }
        return out;
    }
    // lcs[i][j]: length of the longest common subsequence of e[i..] and a[j..].
    let mut lcs = vec![vec![0u32; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if e[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            let _ = writeln!(out, "  {}", e[i]);
            i += 1;
            j += 1;
        } else if i < e.len() && (j == a.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", e[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", a[j]);
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::{MatchOptions, match_response};
    use crate::model::HttpResponse;
    use serde_json::json;

    #[test]
    fn line_diff_aligns_common_lines() {
        let diff = line_diff("a\nb\nc\n", "a\nx\nc\nd\n");
        assert_eq!(diff, "  a\n- b\n+ x\n  c\n+ d\n");
        assert_eq!(line_diff("same", "same"), "  same\n");
    }

    #[test]
    fn report_lists_mismatches_and_the_body_diff() {
        let expected = HttpResponse {
            body: Body::json(json!({"id": 1, "name": "a"})),
            ..HttpResponse::default()
        };
        let actual = HttpResponse {
            status: 201,
            body: Body::json(json!({"id": 2, "name": "a"})),
            ..HttpResponse::default()
        };
        let mismatches = match_response(&expected, &actual, &MatchOptions::default());
        let report = mismatch_report("get order", &mismatches, &expected.body, &actual.body);
        let wanted = "\
Interaction \"get order\": 2 mismatches
  1) status: expected 200 but got 201
  2) body $.id: expected 1 but got 2

  Body (- expected, + actual):
    {
  -   \"id\": 1,
  +   \"id\": 2,
      \"name\": \"a\"
    }
";
        assert_eq!(report, wanted);
    }

    #[test]
    fn no_body_diff_without_body_mismatches() {
        let report = mismatch_report("x", &[], &Body::Missing, &Body::Missing);
        assert_eq!(report, "Interaction \"x\": matches\n");
    }
}
