//! The mock provider's journal: which expected interactions were received, and which
//! requests were unexpected or did not match; turned into a [`MockReport`] at the end.

use std::fmt;

use serde_json::{Value, json};

use accord_contracts_format::{HttpRequest, Mismatch};

/// A request the mock provider received, as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedRequest {
    /// The method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
}

impl ReceivedRequest {
    pub(crate) fn of(request: &HttpRequest, raw_query: Option<&str>) -> Self {
        ReceivedRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            query: raw_query.filter(|q| !q.is_empty()).map(str::to_owned),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({ "method": self.method, "path": self.path, "query": self.query })
    }
}

impl fmt::Display for ReceivedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if let Some(query) = &self.query {
            write!(f, "?{query}")?;
        }
        Ok(())
    }
}

/// A request that came close to an expected interaction (same method and path) but did
/// not match it.
#[derive(Debug, Clone, PartialEq)]
pub struct MismatchedRequest {
    /// The request.
    pub request: ReceivedRequest,
    /// The description of the closest interaction.
    pub interaction: String,
    /// How the request differs from it.
    pub mismatches: Vec<Mismatch>,
}

/// What went wrong in a mock provider session; empty when everything went as expected.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockReport {
    /// Descriptions of expected interactions no request matched.
    pub missing: Vec<String>,
    /// Requests with no interaction of the same method and path.
    pub unexpected: Vec<ReceivedRequest>,
    /// Requests that did not match the interaction of their method and path.
    pub mismatched: Vec<MismatchedRequest>,
}

impl MockReport {
    /// True when every expected interaction was received and nothing else was.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty() && self.mismatched.is_empty()
    }

    /// The report as JSON, as the standalone mock provider's control API returns it:
    /// `{"ok", "missing": [description], "unexpected": [request], "mismatched":
    /// [{"request", "interaction", "mismatches"}]}`.
    pub fn to_json(&self) -> Value {
        json!({
            "ok": self.is_empty(),
            "missing": self.missing,
            "unexpected": self.unexpected.iter().map(ReceivedRequest::to_json).collect::<Vec<_>>(),
            "mismatched": self.mismatched.iter().map(|m| json!({
                "request": m.request.to_json(),
                "interaction": m.interaction,
                "mismatches": m.mismatches.iter().map(Mismatch::to_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

impl fmt::Display for MockReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for description in &self.missing {
            writeln!(f, "- expected but not received: \"{description}\"")?;
        }
        for request in &self.unexpected {
            writeln!(f, "- unexpected request: {request}")?;
        }
        for mismatched in &self.mismatched {
            writeln!(
                f,
                "- request {} does not match \"{}\":",
                mismatched.request, mismatched.interaction
            )?;
            for mismatch in &mismatched.mismatches {
                writeln!(f, "    {mismatch}")?;
            }
        }
        Ok(())
    }
}

/// The running record of a session.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    /// How often each interaction (by index in the contract) was matched.
    received: Vec<usize>,
    unexpected: Vec<ReceivedRequest>,
    mismatched: Vec<MismatchedRequest>,
}

impl Journal {
    pub(crate) fn count(&self, index: usize) -> usize {
        self.received.get(index).copied().unwrap_or(0)
    }

    pub(crate) fn matched(&mut self, index: usize) {
        if self.received.len() <= index {
            self.received.resize(index + 1, 0);
        }
        self.received[index] += 1;
    }

    pub(crate) fn unexpected(&mut self, request: ReceivedRequest) {
        self.unexpected.push(request);
    }

    pub(crate) fn mismatched(&mut self, record: MismatchedRequest) {
        self.mismatched.push(record);
    }

    /// The report, given which interactions were expected (HTTP ones, by index and
    /// description).
    pub(crate) fn report<'a>(
        &self,
        expected: impl Iterator<Item = (usize, &'a str)>,
    ) -> MockReport {
        MockReport {
            missing: expected
                .filter(|(index, _)| self.count(*index) == 0)
                .map(|(_, description)| description.to_owned())
                .collect(),
            unexpected: self.unexpected.clone(),
            mismatched: self.mismatched.clone(),
        }
    }
}
