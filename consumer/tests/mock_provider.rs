//! The mock provider seen from a consumer test: a real HTTP client (reqwest) against the
//! server, then `finish` and the contract file or the report.

use serde_json::{Value, json};

use accord_consumer::{
    ContractBuilder, MockError, MockProvider, WriteContractError, each_like, integer, like,
    mock_server_url, regex,
};

fn orders(dir: &std::path::Path) -> ContractBuilder {
    let mut builder = ContractBuilder::new("web-app", "orders-api").with_output_dir(dir);
    builder
        .interaction("get order 10", |i| {
            i.given_with("an order exists", json!({"id": 10}))
                .request(|r| {
                    r.get("/orders/10")
                        .query("fields", "all")
                        .header("Accept", "application/json")
                })
                .response(|r| {
                    r.status(200).header("X-Version", "1").json_body(json!({
                        "id": integer(10),
                        "self": mock_server_url("^https?://[^/]+(/orders/\\d+)$", "http://orders.example/orders/10"),
                    }))
                })
        })
        .interaction("add a line", |i| {
            i.request(|r| {
                r.post(regex("^/orders/\\d+/lines$", "/orders/10/lines"))
                    .json_body(json!({"sku": like("A-1"), "qty": integer(1)}))
            })
            .response(|r| r.status(201).json_body(json!({"lines": each_like(json!({"sku": "A-1"}), 1, None)})))
        });
    builder
}

async fn get_order(client: &reqwest::Client, mock: &MockProvider) -> reqwest::Response {
    client
        .get(format!("{}/orders/10?fields=all", mock.url()))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
}

async fn add_line(
    client: &reqwest::Client,
    mock: &MockProvider,
    path: &str,
    body: Value,
) -> reqwest::Response {
    client
        .post(format!("{}{path}", mock.url()))
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn failed_report(result: Result<std::path::PathBuf, MockError>) -> accord_consumer::MockReport {
    match result {
        Err(MockError::Failed(report)) => report,
        other => panic!("expected a failed session, got {other:?}"),
    }
}

#[tokio::test]
async fn answers_matching_requests_and_writes_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let mock = orders(dir.path()).start_mock();
    let client = reqwest::Client::new();

    let response = get_order(&client, &mock).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-version"], "1");
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    // The response generator points the link at the mock provider itself.
    assert_eq!(
        body,
        json!({"id": 10, "self": format!("{}/orders/10", mock.url())})
    );

    // Matchers let the consumer send other values than the examples.
    let response = add_line(
        &client,
        &mock,
        "/orders/77/lines",
        json!({"sku": "B-2", "qty": 3}),
    )
    .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"lines": [{"sku": "A-1"}]})
    );

    let path = mock.try_finish().unwrap();
    assert_eq!(path, dir.path().join("web-app-orders-api.json"));
    let contract =
        accord_contracts_format::parse_contract(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let descriptions: Vec<_> = contract
        .interactions
        .iter()
        .map(|i| i.description.as_str())
        .collect();
    assert_eq!(descriptions, ["add a line", "get order 10"]);
}

#[tokio::test]
async fn an_interaction_never_received_fails_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let mock = orders(dir.path()).start_mock();
    let client = reqwest::Client::new();
    assert_eq!(get_order(&client, &mock).await.status(), 200);

    let report = failed_report(mock.try_finish());
    assert_eq!(report.missing, ["add a line"]);
    assert!(report.unexpected.is_empty() && report.mismatched.is_empty());
    assert_eq!(
        report.to_string(),
        "- expected but not received: \"add a line\"\n"
    );
    assert!(!dir.path().join("web-app-orders-api.json").exists());
}

#[tokio::test]
async fn an_unexpected_request_gets_a_diagnostic_and_fails_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let mock = orders(dir.path()).start_mock();
    let client = reqwest::Client::new();
    get_order(&client, &mock).await;
    add_line(
        &client,
        &mock,
        "/orders/10/lines",
        json!({"sku": "A", "qty": 1}),
    )
    .await;

    let response = client
        .delete(format!("{}/orders/10?force=yes", mock.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    let diagnostic: Value = response.json().await.unwrap();
    assert_eq!(
        diagnostic["error"],
        "unexpected request DELETE /orders/10?force=yes: no interaction has this method and path"
    );
    assert_eq!(
        diagnostic["expected"],
        json!(["GET /orders/10", "POST /orders/10/lines"])
    );

    let report = failed_report(mock.try_finish());
    assert!(report.missing.is_empty());
    assert_eq!(report.unexpected.len(), 1);
    assert_eq!(
        report.unexpected[0].to_string(),
        "DELETE /orders/10?force=yes"
    );
    assert_eq!(
        report.to_string(),
        "- unexpected request: DELETE /orders/10?force=yes\n"
    );
}

#[tokio::test]
async fn a_mismatched_request_gets_the_mismatches_and_fails_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let mock = orders(dir.path()).start_mock();
    let client = reqwest::Client::new();
    get_order(&client, &mock).await;

    let response = add_line(
        &client,
        &mock,
        "/orders/10/lines",
        json!({"sku": "A-1", "qty": "two"}),
    )
    .await;
    assert_eq!(response.status(), 500);
    let diagnostic: Value = response.json().await.unwrap();
    assert_eq!(diagnostic["interaction"], "add a line");
    let mismatches = diagnostic["mismatches"].as_array().unwrap();
    assert_eq!(mismatches.len(), 1, "{diagnostic:#}");
    assert_eq!(mismatches[0]["category"], "body");
    assert_eq!(mismatches[0]["path"], "$.qty");

    let report = failed_report(mock.try_finish());
    // The mismatched request did not count as receiving the interaction.
    assert_eq!(report.missing, ["add a line"]);
    assert_eq!(report.mismatched.len(), 1);
    let mismatched = &report.mismatched[0];
    assert_eq!(mismatched.interaction, "add a line");
    assert_eq!(mismatched.request.to_string(), "POST /orders/10/lines");
    assert_eq!(mismatched.mismatches[0].path, "$.qty");
    let text = report.to_string();
    assert!(
        text.contains(
            "- request POST /orders/10/lines does not match \"add a line\":\n    body $.qty"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn finish_panics_with_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let mock = orders(dir.path()).start_mock();
    let panic =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mock.finish())).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("the contract was not written"),
        "{message}"
    );
    assert!(
        message.contains("- expected but not received: \"add a line\""),
        "{message}"
    );
    assert!(
        message.contains("- expected but not received: \"get order 10\""),
        "{message}"
    );
}

#[tokio::test]
async fn the_same_request_under_different_states_is_answered_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut builder = ContractBuilder::new("web-app", "orders-api").with_output_dir(dir.path());
    for (state, status) in [("no orders", 404), ("an order exists", 200)] {
        builder.interaction("get order", |i| {
            i.given(state)
                .request(|r| r.get("/orders/1"))
                .response(|r| r.status(status))
        });
    }
    let mock = builder.start_mock();
    let client = reqwest::Client::new();
    let first = client
        .get(format!("{}/orders/1", mock.url()))
        .send()
        .await
        .unwrap();
    let second = client
        .get(format!("{}/orders/1", mock.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (404, 200)
    );
    mock.finish();
}

#[test]
fn works_without_an_async_runtime_and_requires_verified_messages() {
    let dir = tempfile::tempdir().unwrap();
    let mut builder = ContractBuilder::new("web-app", "orders-api").with_output_dir(dir.path());
    builder
        .interaction("health", |i| {
            i.request(|r| r.get("/health")).response(|r| r.status(204))
        })
        .message("order created", |m| m.json_contents(json!({"id": 1})));
    let mock = builder.start_mock();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = runtime.block_on(async {
        reqwest::get(format!("{}/health", mock.url()))
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 204);
    match mock.try_finish() {
        Err(MockError::Write(WriteContractError::Unexercised(names))) => {
            assert_eq!(names, ["order created"]);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_path_outside_an_interactions_path_pattern_is_unexpected() {
    let dir = tempfile::tempdir().unwrap();
    let mock = orders(dir.path()).start_mock();
    let client = reqwest::Client::new();
    get_order(&client, &mock).await;
    let ok = add_line(
        &client,
        &mock,
        "/orders/5/lines",
        json!({"sku": "A", "qty": 1}),
    )
    .await;
    assert_eq!(ok.status(), 201);
    let wrong = add_line(
        &client,
        &mock,
        "/orders/five/lines",
        json!({"sku": "A", "qty": 1}),
    )
    .await;
    assert_eq!(wrong.status(), 500);

    let report = failed_report(mock.try_finish());
    assert!(report.missing.is_empty() && report.mismatched.is_empty());
    assert_eq!(report.unexpected.len(), 1);
    assert_eq!(report.unexpected[0].path, "/orders/five/lines");
}

#[test]
fn finish_does_not_wait_for_a_client_that_never_completes_its_request() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut builder = ContractBuilder::new("web-app", "orders-api").with_output_dir(dir.path());
    builder.interaction("health", |i| i.request(|r| r.get("/health")));
    let mock = builder.start_mock();
    let address = mock.url().trim_start_matches("http://").to_owned();
    let mut stalled = std::net::TcpStream::connect(address).unwrap();
    // Headers without the blank line that ends them: the server waits for the rest.
    stalled
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // Without a deadline this blocks forever once the server has read the partial request.
    let report = failed_report(mock.try_finish());
    assert_eq!(report.missing, ["health"]);
}
