//! `accord contract …` run as a real process: exit codes, stdout and stderr.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .output()
        .expect("the accord binary runs")
}

fn fixture(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../contracts-format/tests/fixtures")
        .join(relative)
        .to_string_lossy()
        .into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const ORDER_V3: &str = r#"{
  "consumer": {"name": "web"}, "provider": {"name": "orders"},
  "interactions": [{
    "description": "get order",
    "request": {"method": "GET", "path": "/orders/1"},
    "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                 "body": {"id": 1, "total": 5}}
  }],
  "metadata": {"pactSpecification": {"version": "3.0.0"}}
}"#;

#[test]
fn validate_accepts_valid_files() {
    let output = accord(&[
        "contract",
        "validate",
        &fixture("pact-libs/pact-js-mixed-v4.json"),
        &fixture("pact-libs/pact-python-http-v2.json"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(stdout(&output), "");
}

#[test]
fn validate_prints_every_problem_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.json",
        &ORDER_V3
            .replace("\"GET\"", "1")
            .replace("\"/orders/1\"", "2"),
    );
    let output = accord(&["contract", "validate", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let file = bad.display().to_string();
    assert_eq!(
        stdout(&output),
        format!("{file}: $.interactions[0].request.method: expected a string, found a number\n")
    );
}

#[test]
fn validate_exits_2_when_a_file_cannot_be_read() {
    let output = accord(&["contract", "validate", "/no/such/contract.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("reading /no/such/contract.json"));
}

#[test]
fn show_summarises_in_text_and_json() {
    let file = fixture("pact-libs/pact-python-messages-v4.json");
    let output = accord(&["contract", "show", &file]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with("py-listener-v4 -> py-inventory-events (Pact V4), 3 interactions"),
        "{text}"
    );
    assert!(text.contains("[sync message]"), "{text}");
    let output = accord(&["contract", "show", "--output", "json", &file]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["consumer"], "py-listener-v4");
    assert_eq!(json["interactions"].as_array().unwrap().len(), 3);
}

#[test]
fn convert_writes_the_target_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v4.json");
    let output = accord(&[
        "contract",
        "convert",
        "--to",
        "v4",
        &fixture("pact-libs/pact-js-http-v2.json"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["metadata"]["pactSpecification"]["version"], "4.0");
    assert_eq!(written["interactions"][0]["type"], "Synchronous/HTTP");
    assert_eq!(
        written["interactions"][0]["response"]["matchingRules"]["body"]["$.reference"]["matchers"]
            [0]["match"],
        "regex"
    );
}

#[test]
fn convert_explains_what_the_target_cannot_express() {
    let output = accord(&[
        "contract",
        "convert",
        "--to",
        "v3",
        &fixture("pact-libs/pact-js-mixed-v4.json"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "cannot write as Pact V3: $.interactions[0].response.body: binary bodies need V4"
        ),
        "{stderr}"
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn diff_exits_1_on_breaking_changes_only() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.json", ORDER_V3);
    let same = write(dir.path(), "same.json", ORDER_V3);
    let new = write(
        dir.path(),
        "new.json",
        &ORDER_V3.replace(", \"total\": 5", ""),
    );
    let output = accord(&[
        "contract",
        "diff",
        old.to_str().unwrap(),
        same.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "no differences\n");

    let output = accord(&[
        "contract",
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "~ changed get order\n    response.body.total: field removed [breaks consumer]\n\n\
         0 added, 0 removed, 1 changed; BREAKING\n"
    );
    let output = accord(&[
        "contract",
        "diff",
        "--output",
        "json",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["breaking"], true);
    assert_eq!(
        json["interactions"][0]["changes"][0]["breaksConsumer"],
        true
    );
}

#[test]
fn unreadable_contracts_are_errors_with_the_json_path() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.json", r#"{"provider": {"name": "x"}}"#);
    let output = accord(&["contract", "show", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: $: missing required field \"consumer\"",
            bad.display()
        )),
        "{stderr}"
    );
}
