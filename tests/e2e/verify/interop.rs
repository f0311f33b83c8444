//! Interoperability with Pact's own verifier (`pact verifier`, installed by
//! `shared/peers/install.sh`): a provider written for Pact's verifier works unchanged with
//! `accord verify`, and both give the same verdicts.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

use super::provider::{self, Journal, Reply, Seen};

/// Pact's CLI, or `None` outside CI when it is not installed (CI installs it and must run
/// these tests).
fn pact_cli() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("pact"))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Pact's CLI is not on PATH: run shared/peers/install.sh and source env.sh"
        );
        eprintln!("skipped: Pact's CLI is not on PATH (shared/peers/install.sh installs it)");
    }
    found
}

/// A provider written the way Pact's verifier expects: a state-change endpoint that returns
/// values for generators, HTTP endpoints, and messages produced on `POST /`.
fn pact_style_provider(seen: &Seen) -> Reply {
    match (seen.method.as_str(), seen.path.as_str()) {
        ("POST", "/_states") => {
            let change: Value = serde_json::from_str(&seen.body).unwrap_or(Value::Null);
            if change["action"] == "setup" && change["state"] == "an order exists" {
                Reply::json(200, r#"{"id": 42}"#)
            } else {
                Reply::json(200, "{}")
            }
        }
        ("GET", "/orders/42") if seen.header("x-api-key") == Some("k1") => {
            Reply::json(200, r#"{"id": 42, "item": "pencil", "count": 3}"#)
        }
        ("GET", "/orders/broken") => Reply::json(200, r#"{"id": "x"}"#),
        ("POST", "/") => {
            // base64 of {"topic": "orders", "contentType": "application/json"}
            let metadata =
                "eyJ0b3BpYyI6ICJvcmRlcnMiLCAiY29udGVudFR5cGUiOiAiYXBwbGljYXRpb24vanNvbiJ9";
            Reply::json(200, r#"{"id": 7, "status": "new"}"#)
                .header("Pact-Message-Metadata", metadata)
        }
        _ => Reply::json(404, "{}"),
    }
}

fn contract() -> Value {
    json!({
        "consumer": {"name": "web"},
        "provider": {"name": "orders"},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "get the created order",
                "providerStates": [{"name": "an order exists", "params": {"item": "pencil"}}],
                "request": {
                    "method": "GET",
                    "path": "/orders/1",
                    "generators": {"path": {
                        "type": "ProviderState", "expression": "/orders/${id}", "dataType": "STRING"
                    }}
                },
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"contentType": "application/json",
                             "content": {"id": 1, "item": "pencil", "count": 1}},
                    "matchingRules": {"body": {
                        "$.id": {"matchers": [{"match": "integer"}]},
                        "$.count": {"matchers": [{"match": "integer"}]}
                    }}
                }
            },
            {
                "type": "Synchronous/HTTP",
                "description": "a broken order",
                "request": {"method": "GET", "path": "/orders/broken"},
                "response": {
                    "status": 200,
                    "body": {"contentType": "application/json", "content": {"id": 1}},
                    "matchingRules": {"body": {"$.id": {"matchers": [{"match": "integer"}]}}}
                }
            },
            {
                "type": "Asynchronous/Messages",
                "description": "an order was created",
                "providerStates": [{"name": "an order exists", "params": {"item": "pencil"}}],
                "contents": {"contentType": "application/json", "content": {"id": 1, "status": "new"}},
                "metadata": {"topic": "orders"},
                "matchingRules": {"content": {"$.id": {"matchers": [{"match": "integer"}]}}}
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
}

/// What a verifier asked of the provider, apart from Pact's state changes for interactions
/// without a state (it sends an empty state name for them; Accord sends nothing).
fn requests(journal: &Journal) -> Vec<String> {
    let mut lines: Vec<String> = journal
        .lock()
        .unwrap()
        .iter()
        .filter_map(|seen| {
            let body: Value = serde_json::from_str(&seen.body).unwrap_or(Value::Null);
            if seen.path == "/_states" && body["state"] == "" {
                return None;
            }
            Some(format!(
                "{} {} {}",
                seen.method,
                seen.path,
                sorted_keys(&body)
            ))
        })
        .collect();
    lines.sort();
    lines
}

/// The value with object keys in alphabetical order, so that texts compare.
fn sorted_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|key| (key.clone(), sorted_keys(&map[key])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

#[test]
fn a_provider_written_for_pacts_verifier_gets_the_same_requests_and_verdicts() {
    let Some(pact) = pact_cli() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("web-orders.json");
    std::fs::write(&file, contract().to_string()).unwrap();
    let file = file.to_str().unwrap();

    let mut runs = Vec::new();
    let verifiers = [
        (pact, "verifier"),
        (PathBuf::from(env!("CARGO_BIN_EXE_accord")), "verify"),
    ];
    for (program, subcommand) in verifiers {
        let (url, journal) = provider::start_with_journal(pact_style_provider);
        let port = url.rsplit(':').next().unwrap().to_owned();
        let state_change_url = format!("{url}/_states");
        let output = Command::new(&program)
            .arg(subcommand)
            .args(["-f", file, "-p", &port, "-n", "orders", "--no-colour"])
            .args(["-s", &state_change_url, "--state-change-teardown"])
            .args(["-H", "X-Api-Key=k1"])
            .env("PACT_DO_NOT_TRACK", "true")
            .env_remove("PACT_BROKER_BASE_URL")
            .output()
            .expect("run the verifier");
        runs.push((output, journal));
    }
    let (pact_output, pact_journal) = &runs[0];
    let (accord_output, accord_journal) = &runs[1];
    let pact_stdout = String::from_utf8_lossy(&pact_output.stdout);
    let accord_stdout = String::from_utf8_lossy(&accord_output.stdout);

    // Both fail the run because of the broken order, and only because of it.
    assert_eq!(pact_output.status.code(), Some(1), "{pact_stdout}");
    assert_eq!(accord_output.status.code(), Some(1), "{accord_stdout}");
    assert!(pact_stdout.contains("1) Verifying a pact between web and orders - a broken order"));
    assert!(
        accord_stdout.contains("a broken order ... FAILED"),
        "{accord_stdout}"
    );
    assert!(
        accord_stdout.contains("get the created order ... OK"),
        "{accord_stdout}"
    );
    assert!(
        accord_stdout.contains("an order was created ... OK"),
        "{accord_stdout}"
    );
    assert!(accord_stdout.contains(r#"body $.id: "x" does not match integer"#));

    // The provider saw the same state changes, requests and message requests.
    assert_eq!(requests(pact_journal), requests(accord_journal));
    assert_eq!(
        requests(accord_journal).len(),
        7,
        "{:#?}",
        requests(accord_journal)
    );
}
