//! Helpers: contract documents, options pointing at a mock provider, a recording reporter.

use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use accord_verifier::report::{Event, Reporter, Silent};
use accord_verifier::{ContractSource, Outcome, VerificationResults, Verifier, VerifyOptions};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A V4 contract document.
pub(crate) fn contract(consumer: &str, provider: &str, interactions: Vec<Value>) -> Value {
    json!({
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
}

/// A V4 HTTP interaction.
pub(crate) fn http(description: &str, request: Value, response: Value) -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": description,
        "request": request,
        "response": response
    })
}

/// A V4 JSON body.
pub(crate) fn json_body(content: Value) -> Value {
    json!({"contentType": "application/json", "content": content})
}

/// Writes contracts into a temporary directory.
pub(crate) struct Contracts {
    pub(crate) dir: TempDir,
}

impl Contracts {
    pub(crate) fn new() -> Self {
        Contracts {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn write(&self, name: &str, document: &Value) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, serde_json::to_string_pretty(document).unwrap()).unwrap();
        path
    }

    pub(crate) fn write_text(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

/// Options verifying one contract file against `provider_url`.
pub(crate) fn options_for(file: PathBuf, provider_url: &str) -> VerifyOptions {
    VerifyOptions::new(
        vec![ContractSource::File(file)],
        provider_url.parse().unwrap(),
    )
}

pub(crate) async fn verify(options: VerifyOptions) -> VerificationResults {
    Verifier::new(options)
        .unwrap()
        .verify(&mut Silent)
        .await
        .unwrap()
}

/// The outcomes of every interaction, in order.
pub(crate) fn outcomes(results: &VerificationResults) -> Vec<&Outcome> {
    results
        .contracts
        .iter()
        .flat_map(|c| &c.interactions)
        .map(|r| &r.outcome)
        .collect()
}

/// The one-line messages of the mismatches of a failed outcome.
pub(crate) fn mismatch_lines(outcome: &Outcome) -> Vec<String> {
    match outcome {
        Outcome::Failed(mismatches) => mismatches.iter().map(|m| m.to_string()).collect(),
        other => panic!("expected a failure, got {other:?}"),
    }
}

/// A shared, ordered log that reporters, state executors and fake providers write to.
#[derive(Clone, Default)]
pub(crate) struct Log(pub(crate) Arc<Mutex<Vec<String>>>);

impl Log {
    pub(crate) fn push(&self, line: impl Into<String>) {
        self.0.lock().unwrap().push(line.into());
    }

    pub(crate) fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// Records the name of every event.
pub(crate) struct Recorder(pub(crate) Log);

impl Reporter for Recorder {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        let line = match event {
            Event::LoadFailed { source, .. } => format!("load failed {source}"),
            Event::ContractStarted {
                contract,
                interactions,
            } => {
                format!("contract {} {interactions}", contract.consumer)
            }
            Event::Started { total } => format!("started {total}"),
            Event::InteractionStarted { description, .. } => format!("start {description}"),
            Event::StateChange {
                state,
                action,
                error,
                ..
            } => format!(
                "state {} {}{}",
                action.as_str(),
                state.name,
                if error.is_some() { " failed" } else { "" }
            ),
            Event::Mismatches {
                description,
                mismatches,
                ..
            } => {
                format!("mismatches {description} {}", mismatches.len())
            }
            Event::InteractionFinished { result, .. } => format!("finish {}", result.description),
            Event::Published { .. } => "published".to_owned(),
            Event::Finished { .. } => "finished".to_owned(),
            _ => "other".to_owned(),
        };
        self.0.push(line);
        Ok(())
    }
}

/// Collects what a reporter writes.
pub(crate) struct LogWriter(pub(crate) Log);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.push(String::from_utf8_lossy(buf).into_owned());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
