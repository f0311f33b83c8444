//! `accord mock` and `accord stub` as processes: start-up line, preloaded contracts, the
//! control API and errors, without Pact's tools.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

fn contract(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("web-orders.json");
    let contract = json!({
        "consumer": {"name": "web"}, "provider": {"name": "orders"},
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
        "interactions": [
            {"description": "get order 1", "providerState": "order 1 exists",
             "request": {"method": "GET", "path": "/orders/1"},
             "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 1}}},
            {"description": "get order 1 when gone", "providerState": "no orders",
             "request": {"method": "GET", "path": "/orders/1"},
             "response": {"status": 404}}
        ]
    });
    std::fs::write(&path, contract.to_string()).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accord_mock_preloads_contracts_and_reports_through_its_control_api() {
    let dir = tempfile::tempdir().unwrap();
    let file = contract(dir.path());
    let out = dir.path().join("out");
    let mock = Server::start(&[
        "mock",
        "--contract",
        file.to_str().unwrap(),
        "--output-dir",
        out.to_str().unwrap(),
    ])
    .await;
    let http = reqwest::Client::new();
    let first = http
        .get(format!("{}/orders/1", mock.url))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status().as_u16(), 200);
    // The same request again gets the interaction not received yet.
    let second = http
        .get(format!("{}/orders/1", mock.url))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status().as_u16(), 404);
    let unexpected = http
        .get(format!("{}/orders/2", mock.url))
        .send()
        .await
        .unwrap();
    assert_eq!(unexpected.status().as_u16(), 500);

    let verify = http
        .get(format!("{}/__accord/verify", mock.url))
        .send()
        .await
        .unwrap();
    assert_eq!(verify.status().as_u16(), 422);
    let report: Value = verify.json().await.unwrap();
    assert_eq!(report["unexpected"][0]["path"], "/orders/2");
    assert_eq!(report["missing"], json!([]));
    let write = http
        .post(format!("{}/__accord/write", mock.url))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status().as_u16(), 422);
    assert!(!out.exists(), "nothing is written after a failed session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accord_stub_picks_the_provider_state_named_by_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let file = contract(dir.path());
    let stub = Server::start(&["stub", "--contract", file.to_str().unwrap()]).await;
    let http = reqwest::Client::new();
    let get = |state: Option<&'static str>| {
        let mut request = http.get(format!("{}/orders/1", stub.url));
        if let Some(state) = state {
            request = request.header("X-Accord-State", state);
        }
        request.send()
    };
    assert_eq!(get(None).await.unwrap().status().as_u16(), 200);
    assert_eq!(get(Some("no orders")).await.unwrap().status().as_u16(), 404);
    let unknown = get(Some("order 9 exists")).await.unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(
        body["statesForRoute"],
        json!(["no orders", "order 1 exists"])
    );
}

#[test]
fn accord_stub_names_the_file_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, "{\"consumer\": ").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["stub", "--contract", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.json"), "{stderr}");
}

/// A running `accord` server subcommand, killed on drop.
pub(crate) struct Server {
    child: tokio::process::Child,
    pub(crate) url: String,
}

impl Server {
    /// Starts `accord <args>` and waits (to a deadline) for its "listening on" line.
    pub(crate) async fn start(args: &[&str]) -> Server {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start accord");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("accord printed nothing within 30 s")
            .expect("read accord's stdout")
            .expect("accord exited before listening");
        let url = line
            .split_once(" listening on ")
            .map(|(_, url)| url.trim().to_owned())
            .unwrap_or_else(|| panic!("unexpected first line: {line}"));
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}
