//! Every part of every case in the Pact specification corpus (`../shared/conformance/pact-spec`)
//! parses into the model with the reader of its version.

use std::path::PathBuf;

use accord_contracts_format::{SpecVersion, read_message, read_request, read_response};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    match std::env::var_os("ACCORD_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/pact-spec")
        }
    }
}

fn version_of(folder: &str) -> SpecVersion {
    match folder {
        "v1" => SpecVersion::V1,
        "v1_1" => SpecVersion::V1_1,
        "v2" => SpecVersion::V2,
        "v3" => SpecVersion::V3,
        "v4" => SpecVersion::V4,
        other => panic!("unexpected version folder {other}"),
    }
}

#[test]
fn every_case_of_the_corpus_parses() {
    let dir = corpus_dir();
    let index_path = dir.join("index.json");
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(&index_path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", index_path.display())),
    )
    .unwrap();
    let entries = index
        .as_array()
        .or_else(|| index.get("cases").and_then(Value::as_array))
        .expect("index.json lists the cases");
    let mut parsed = 0;
    let mut failures = Vec::new();
    for entry in entries {
        let path = entry["path"].as_str().expect("each entry has a path");
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        let case: Value = serde_json::from_str(&text).unwrap();
        let mut parts = path.split('/');
        let version = version_of(parts.next().unwrap());
        let kind = parts.next().unwrap();
        for side in ["expected", "actual"] {
            let part = case[side].clone();
            let result = match kind {
                "request" => read_request(part, version).map(drop),
                "response" => read_response(part, version).map(drop),
                "message" => read_message(part, version).map(drop),
                other => panic!("unexpected kind {other}"),
            };
            match result {
                Ok(()) => parsed += 1,
                Err(error) => failures.push(format!("{path} ({side}): {error}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} parts failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(parsed, 2 * 803, "the corpus has 803 cases");
}
