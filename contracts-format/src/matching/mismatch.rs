//! Mismatches: structured descriptions of how an actual request, response or message differs
//! from the expected one. A mismatch is data; [`std::fmt::Display`] gives one line for people.

use std::fmt;

use serde_json::{Value, json};

use crate::model::Matcher;

/// The part of an interaction a mismatch is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MismatchCategory {
    /// The HTTP method.
    Method,
    /// The request path.
    Path,
    /// A query parameter (or, in V1, the query string).
    Query,
    /// A header.
    Header,
    /// The body or message contents.
    Body,
    /// The response status.
    Status,
    /// A message metadata entry.
    Metadata,
}

impl MismatchCategory {
    /// The category's name: `method`, `path`, `query`, `header`, `body`, `status`, `metadata`.
    pub fn as_str(self) -> &'static str {
        match self {
            MismatchCategory::Method => "method",
            MismatchCategory::Path => "path",
            MismatchCategory::Query => "query",
            MismatchCategory::Header => "header",
            MismatchCategory::Body => "body",
            MismatchCategory::Status => "status",
            MismatchCategory::Metadata => "metadata",
        }
    }
}

/// What kind of difference was found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MismatchKind {
    /// The values differ (compared by equality).
    Value,
    /// The values have different types (string vs number, object vs array...).
    Type,
    /// A matcher rejected the actual value; the mismatch's `rule` field names it.
    Rule,
    /// Something expected (key, element, header, parameter, attribute, body) is absent.
    Missing,
    /// Something not expected is present (key, element, parameter, body).
    Unexpected,
    /// An array (or list of values) has a different length than required.
    Length {
        /// Smallest accepted length.
        min: Option<usize>,
        /// Largest accepted length.
        max: Option<usize>,
        /// The actual length.
        actual: usize,
    },
    /// The body's content type differs from the expected one.
    ContentType,
    /// The actual body cannot be read as its content type says (invalid JSON or XML).
    Unreadable(String),
}

/// One difference between an expected and an actual request, response or message.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The part of the interaction.
    pub category: MismatchCategory,
    /// Where: a body path such as `$.items[2].id`, a header or parameter name, or `$` for
    /// single-valued parts (method, path, status, the body as a whole).
    pub path: String,
    /// What kind of difference.
    pub kind: MismatchKind,
    /// The expected value, when there is one.
    pub expected: Option<Value>,
    /// The actual value, when there is one.
    pub actual: Option<Value>,
    /// The matcher that failed, for [`MismatchKind::Rule`] (and length failures of `type`
    /// matchers).
    pub rule: Option<Matcher>,
}

impl Mismatch {
    pub(crate) fn new(
        category: MismatchCategory,
        path: impl Into<String>,
        kind: MismatchKind,
    ) -> Self {
        Mismatch {
            category,
            path: path.into(),
            kind,
            expected: None,
            actual: None,
            rule: None,
        }
    }

    pub(crate) fn expected(mut self, value: impl Into<Option<Value>>) -> Self {
        self.expected = value.into();
        self
    }

    pub(crate) fn actual(mut self, value: impl Into<Option<Value>>) -> Self {
        self.actual = value.into();
        self
    }

    pub(crate) fn rule(mut self, rule: &Matcher) -> Self {
        self.rule = Some(rule.clone());
        self
    }

    /// A JSON rendering for machine-readable reports:
    /// `{"category", "path", "kind", "expected", "actual", "rule", "message"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "category": self.category.as_str(),
            "path": self.path,
            "kind": kind_name(&self.kind),
            "expected": self.expected,
            "actual": self.actual,
            "rule": self.rule.as_ref().map(describe_rule),
            "message": self.to_string(),
        })
    }
}

fn kind_name(kind: &MismatchKind) -> &'static str {
    match kind {
        MismatchKind::Value => "value",
        MismatchKind::Type => "type",
        MismatchKind::Rule => "rule",
        MismatchKind::Missing => "missing",
        MismatchKind::Unexpected => "unexpected",
        MismatchKind::Length { .. } => "length",
        MismatchKind::ContentType => "contentType",
        MismatchKind::Unreadable(_) => "unreadable",
    }
}

/// A short description of a matcher with its main attribute: `regex /\d+/`, `type (min 1)`.
pub(crate) fn describe_rule(rule: &Matcher) -> String {
    match rule {
        Matcher::Regex(pattern) => format!("regex /{pattern}/"),
        Matcher::Type { min, max } => match (min, max) {
            (None, None) => "type".to_owned(),
            (Some(min), None) => format!("type (min {min})"),
            (None, Some(max)) => format!("type (max {max})"),
            (Some(min), Some(max)) => format!("type (min {min}, max {max})"),
        },
        Matcher::Include(text) => format!("include {text:?}"),
        Matcher::Date(Some(f)) | Matcher::Time(Some(f)) | Matcher::DateTime(Some(f)) => {
            format!("{} {f:?}", rule.name())
        }
        Matcher::ContentType(ct) => format!("contentType {ct}"),
        Matcher::StatusCode(codes) => match codes {
            crate::model::StatusCodes::Class(class) => format!("statusCode {}", class.as_str()),
            crate::model::StatusCodes::Codes(list) => format!("statusCode {list:?}"),
        },
        other => other.name().to_owned(),
    }
}

struct Shown<'a>(&'a Option<Value>);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("nothing"),
            Some(Value::String(s)) => write!(f, "{s:?}"),
            Some(other) => {
                let text = other.to_string();
                if text.chars().count() > 80 {
                    let cut: String = text.chars().take(77).collect();
                    write!(f, "{cut}...")
                } else {
                    f.write_str(&text)
                }
            }
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.category {
            MismatchCategory::Method => "method".to_owned(),
            MismatchCategory::Path => "path".to_owned(),
            MismatchCategory::Status => "status".to_owned(),
            MismatchCategory::Query if self.path == "$" => "query string".to_owned(),
            MismatchCategory::Query => format!("query parameter {:?}", self.path),
            MismatchCategory::Header => format!("header {:?}", self.path),
            MismatchCategory::Metadata => format!("metadata {:?}", self.path),
            MismatchCategory::Body => format!("body {}", self.path),
        };
        let expected = Shown(&self.expected);
        let actual = Shown(&self.actual);
        match &self.kind {
            MismatchKind::Value => write!(f, "{what}: expected {expected} but got {actual}"),
            MismatchKind::Type => {
                write!(
                    f,
                    "{what}: expected {expected} but got {actual} (a different type)"
                )
            }
            MismatchKind::Rule => {
                let rule = self.rule.as_ref().map(describe_rule).unwrap_or_default();
                write!(f, "{what}: {actual} does not match {rule}")
            }
            MismatchKind::Missing => write!(f, "{what}: expected {expected} but it is missing"),
            MismatchKind::Unexpected => write!(f, "{what}: unexpected {actual}"),
            MismatchKind::Length { min, max, actual } => {
                let bound = match (min, max) {
                    (Some(a), Some(b)) if a == b => format!("exactly {a}"),
                    (Some(a), Some(b)) => format!("{a} to {b}"),
                    (Some(a), None) => format!("at least {a}"),
                    (None, Some(b)) => format!("at most {b}"),
                    (None, None) => "a different number of".to_owned(),
                };
                write!(f, "{what}: expected {bound} elements but got {actual}")
            }
            MismatchKind::ContentType => {
                write!(
                    f,
                    "{what}: expected content type {expected} but got {actual}"
                )
            }
            MismatchKind::Unreadable(reason) => write!(f, "{what}: cannot be read: {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Pattern;

    #[test]
    fn one_line_messages() {
        let m = Mismatch::new(MismatchCategory::Body, "$.items[2].id", MismatchKind::Rule)
            .expected(json!("1"))
            .actual(json!("x"))
            .rule(&Matcher::Regex(Pattern::new("\\d+")));
        assert_eq!(
            m.to_string(),
            r#"body $.items[2].id: "x" does not match regex /\d+/"#
        );
        let m = Mismatch::new(
            MismatchCategory::Body,
            "$.a",
            MismatchKind::Length {
                min: Some(2),
                max: None,
                actual: 1,
            },
        );
        assert_eq!(
            m.to_string(),
            "body $.a: expected at least 2 elements but got 1"
        );
        let m = Mismatch::new(MismatchCategory::Header, "Accept", MismatchKind::Missing)
            .expected(json!("text/plain"));
        assert_eq!(
            m.to_string(),
            r#"header "Accept": expected "text/plain" but it is missing"#
        );
        assert_eq!(m.to_json()["kind"], "missing");
    }
}
