//! `accord verify` end to end: exit codes, reports and messages of the real binary against a
//! small provider running in the test.

mod broker;
mod broker_pending;
mod interop;
mod pact_libs;
mod provider;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

/// A provider answering `GET /orders/1` with an order and anything else with 404.
fn start_provider() -> String {
    provider::start(|request| {
        if request.method == "GET" && request.path == "/orders/1" {
            provider::Reply::json(200, r#"{"id":1,"item":"pencil"}"#)
        } else {
            provider::Reply::json(404, r#"{"error":"not found"}"#)
        }
    })
}

fn interaction(description: &str, path: &str, pending: bool) -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": description,
        "pending": pending,
        "request": {"method": "GET", "path": path},
        "response": {
            "status": 200,
            "body": {"contentType": "application/json", "content": {"id": 1, "item": "pencil"}}
        }
    })
}

fn write_contract(dir: &Path, interactions: Vec<Value>) -> String {
    let path = dir.join("web-orders.json");
    let document = json!({
        "consumer": {"name": "web"},
        "provider": {"name": "orders"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}}
    });
    std::fs::write(&path, document.to_string()).expect("write the contract");
    path.display().to_string()
}

fn accord_verify(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .arg("verify")
        .args(args)
        .env_remove("PACT_BROKER_BASE_URL")
        .output()
        .expect("run accord")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_passing_verification_exits_0_and_writes_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let contract = write_contract(
        dir.path(),
        vec![interaction("get order 1", "/orders/1", false)],
    );
    let provider = start_provider();
    let json_report = dir.path().join("report.json");
    let junit_report = dir.path().join("report.xml");
    let output = accord_verify(&[
        "--contract",
        &contract,
        "--provider-base-url",
        &provider,
        "--json",
        json_report.to_str().unwrap(),
        "--junit",
        junit_report.to_str().unwrap(),
    ]);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("get order 1 ... OK"), "{stdout}");
    assert!(
        stdout.contains("1 interactions: 1 passed, 0 failed"),
        "{stdout}"
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(json_report).unwrap()).unwrap();
    assert_eq!(report["result"], "passed");
    let junit = std::fs::read_to_string(junit_report).unwrap();
    assert!(
        junit.contains(r#"<testcase classname="web - orders" name="get order 1""#),
        "{junit}"
    );
}

#[test]
fn a_failure_exits_1_with_the_mismatch_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let contract = write_contract(
        dir.path(),
        vec![
            interaction("get order 1", "/orders/1", false),
            interaction("get order 2", "/orders/2", false),
        ],
    );
    let provider = start_provider();
    let output = accord_verify(&["--contract", &contract, "--provider-base-url", &provider]);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("get order 2 ... FAILED"), "{stdout}");
    assert!(
        stdout.contains("status: expected 200 but got 404"),
        "{stdout}"
    );
}

#[test]
fn a_pending_failure_is_reported_but_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let contract = write_contract(
        dir.path(),
        vec![
            interaction("get order 1", "/orders/1", false),
            interaction("get order 2", "/orders/2", true),
        ],
    );
    let provider = start_provider();
    let output = accord_verify(&["--contract", &contract, "--provider-base-url", &provider]);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("get order 2 ... FAILED (pending)"),
        "{stdout}"
    );
    assert!(stdout.contains("1 pending failed"), "{stdout}");
}

#[test]
fn errors_exit_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let contract = write_contract(
        dir.path(),
        vec![interaction("get order 1", "/orders/1", false)],
    );
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let output = accord_verify(&["--contract", &contract, "--provider-base-url", &closed]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("is unreachable"), "{stdout}");

    let output = accord_verify(&["--broker-url", &closed, "--provider-base-url", &closed]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--provider"),
        "{}",
        text(&output.stderr)
    );

    let output = accord_verify(&[
        "--broker-url",
        &closed,
        "--provider",
        "orders",
        "--provider-base-url",
        &closed,
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("cannot connect"), "{stderr}");
}
