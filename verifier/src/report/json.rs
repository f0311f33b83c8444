//! The JSON report: the whole run as one document, written when the run finishes.

use std::io;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::{Event, Reporter};
use crate::result::{
    ContractResult, InteractionResult, Outcome, Publication, Verdict, VerificationResults,
};

/// Writes [`render`]'s document to a file at the end of the run.
#[derive(Debug)]
pub struct JsonReporter {
    path: PathBuf,
}

impl JsonReporter {
    /// A reporter writing to `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        JsonReporter { path: path.into() }
    }
}

impl Reporter for JsonReporter {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        if let Event::Finished { results } = event {
            let text = serde_json::to_string_pretty(&render(results)).map_err(io::Error::other)?;
            std::fs::write(&self.path, text + "\n").map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("writing the JSON report {}: {error}", self.path.display()),
                )
            })?;
        }
        Ok(())
    }
}

/// The run as JSON: `result`, `summary`, `contracts[].interactions[]` with mismatches and
/// errors, and `loadFailures`.
pub fn render(results: &VerificationResults) -> Value {
    let summary = results.summary();
    json!({
        "result": match results.verdict() {
            Verdict::Passed => "passed",
            Verdict::Failed => "failed",
            Verdict::Errored => "error",
        },
        "summary": {
            "interactions": summary.total,
            "passed": summary.passed,
            "failed": summary.failed,
            "errors": summary.errored,
            "pendingFailed": summary.pending_failed,
        },
        "contracts": results.contracts.iter().map(contract).collect::<Vec<_>>(),
        "loadFailures": results.load_failures.iter().map(|(source, error)| json!({
            "source": source,
            "error": error.to_string(),
        })).collect::<Vec<_>>(),
    })
}

fn contract(result: &ContractResult) -> Value {
    let info = &result.info;
    let publication = result.publication.as_ref().map(|p| match p {
        Publication::Published { url } => json!({"published": true, "url": url}),
        Publication::NotPublishable => json!({"published": false}),
        Publication::Filtered => json!({"published": false, "reason": "filtered"}),
        Publication::Failed(error) => json!({"published": false, "error": error.to_string()}),
    });
    json!({
        "source": info.name,
        "consumer": info.consumer,
        "provider": info.provider,
        "pending": info.pending,
        "wip": info.wip,
        "notices": info.notices,
        "success": result.success(),
        "publication": publication,
        "interactions": result.interactions.iter().map(interaction).collect::<Vec<_>>(),
    })
}

fn interaction(result: &InteractionResult) -> Value {
    let (status, mismatches, error) = match &result.outcome {
        Outcome::Passed => ("passed", Vec::new(), None),
        Outcome::Failed(mismatches) => (
            "failed",
            mismatches.iter().map(|m| m.to_json()).collect(),
            None,
        ),
        Outcome::Error(error) => ("error", Vec::new(), Some(error.to_string())),
    };
    json!({
        "description": result.description,
        "key": result.key,
        "providerStates": result.provider_states,
        "pending": result.pending,
        "request": result.sent,
        "bodyDiff": result.body_diff,
        "status": status,
        "durationMs": u64::try_from(result.duration.as_millis()).unwrap_or(u64::MAX),
        "mismatches": mismatches,
        "error": error,
    })
}
