//! Interoperability of the consumer side with Pact's own tools: contracts written by the
//! Accord DSL (and by `accord mock`) are verified by Pact's verifier against a provider that
//! honours them, and fail against one that breaks an interaction.
//!
//! Pact's tools are found on `PATH` or in `$PEERS_HOME/bin` (default `/opt/peers/bin`).
//! Without them the tests say so and pass, except under CI (`CI` set), where they fail.

mod orders_client;
mod orders_provider;
mod peers;

use std::path::Path;

use serde_json::{Value, json};

use accord_consumer::{ContractBuilder, MockProvider, datetime, each_like, integer, like, regex};

use orders_client::{NewOrder, OrdersClient};
use orders_provider::Provider;

use crate::consumer_servers::Server;

/// The web shop's contract with the orders service, exercised through the real client.
async fn write_contract_with_the_dsl(dir: &Path) -> std::path::PathBuf {
    let mut orders = ContractBuilder::new("web-shop", "orders-service").with_output_dir(dir);
    orders
        .interaction("get order 10", |i| {
            i.given_with("an order exists", json!({"id": 10}))
                .request(|r| r.get("/orders/10").header("Accept", "application/json"))
                .response(|r| {
                    r.status(200).json_body(json!({
                        "id": integer(10),
                        "status": regex("^(open|shipped)$", "open"),
                        "placedAt": datetime("yyyy-MM-dd'T'HH:mm:ss", "2024-05-01T10:00:00"),
                        "lines": each_like(json!({"sku": like("A-1"), "qty": integer(2)}), 1, None),
                    }))
                })
        })
        .interaction("get a missing order", |i| {
            i.given("there are no orders")
                .request(|r| r.get("/orders/99").header("Accept", "application/json"))
                .response(|r| {
                    r.status(404)
                        .json_body(json!({"error": like("no order 99")}))
                })
        })
        .interaction("place an order", |i| {
            i.given("there are no orders")
                .request(|r| {
                    r.post("/orders")
                        .header("Content-Type", "application/json")
                        .json_body(json!({"sku": like("A-1"), "qty": integer(2)}))
                })
                .response(|r| {
                    r.status(201)
                        .header("Location", regex("^/orders/\\d+$", "/orders/1"))
                        .json_body(json!({"id": integer(1), "status": "open"}))
                })
        })
        .interaction("list open orders", |i| {
            i.given_with("an order exists", json!({"id": 10}))
                .request(|r| r.get("/orders").query("status", "open"))
                .response(|r| {
                    r.status(200).json_body(each_like(
                        json!({"id": integer(10), "status": "open"}),
                        1,
                        None,
                    ))
                })
        });
    let mock: MockProvider = orders.start_mock();
    let client = OrdersClient::new(mock.url());

    let order = client.order(10).await.expect("get order 10");
    assert_eq!((order.id, order.status.as_str()), (10, "open"));
    assert_eq!(order.lines[0].qty, 2);
    assert!(client.find(99).await.expect("get order 99").is_none());
    let placed = client
        .place(&NewOrder {
            sku: "A-1".into(),
            qty: 2,
        })
        .await
        .expect("place an order");
    assert_eq!(placed.location, "/orders/1");
    let open = client.open_orders().await.expect("list open orders");
    assert_eq!(open.len(), 1);

    mock.finish()
}

/// Runs Pact's verifier on `contract` against the provider; returns success and the output.
async fn pact_verify(verifier: &Path, contract: &Path, provider: &Provider) -> (bool, String) {
    let output = tokio::process::Command::new(verifier)
        .arg("--file")
        .arg(contract)
        .args(["--hostname", "127.0.0.1", "--port"])
        .arg(provider.port().to_string())
        .arg("--state-change-url")
        .arg(format!("{}/_pact/state", provider.url()))
        .args(["--no-colour", "--loglevel", "warn"])
        .env("PACT_DO_NOT_TRACK", "true")
        .output()
        .await
        .expect("run pact-verifier");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pact_verifier_accepts_dsl_contracts_against_an_honest_provider() {
    let Some(verifier) = peers::tool("pact-verifier") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let contract = write_contract_with_the_dsl(dir.path()).await;
    let provider = Provider::start(false).await;
    let (ok, output) = pact_verify(&verifier, &contract, &provider).await;
    assert!(ok, "Pact's verifier rejected the contract:\n{output}");
    assert!(!output.contains("(FAILED)"), "{output}");
    for description in [
        "get order 10",
        "get a missing order",
        "place an order",
        "list open orders",
    ] {
        assert!(
            output.contains(description),
            "{description} not verified:\n{output}"
        );
    }
    // The provider saw the state set-ups Pact's verifier sent for the contract's states.
    let states = provider.states_seen();
    assert!(states.contains(&"an order exists".to_owned()), "{states:?}");
    assert!(
        states.contains(&"there are no orders".to_owned()),
        "{states:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pact_verifier_rejects_a_provider_that_breaks_one_interaction() {
    let Some(verifier) = peers::tool("pact-verifier") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let contract = write_contract_with_the_dsl(dir.path()).await;
    // This provider sends the line quantity as a string.
    let provider = Provider::start(true).await;
    let (ok, output) = pact_verify(&verifier, &contract, &provider).await;
    assert!(!ok, "Pact's verifier accepted a broken provider:\n{output}");
    // Exactly the broken interaction fails, for the broken field.
    assert_eq!(output.matches("(FAILED)").count(), 1, "{output}");
    assert!(
        output.contains("get order 10") && output.contains("$.lines[0].qty"),
        "the failure should name the interaction and the broken field:\n{output}"
    );
}

/// The same flow through the `accord mock` binary and its control API, as a consumer in
/// another language would drive it; then `accord stub` serves the written contract.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contracts_written_by_accord_mock_pass_pact_verifier_and_feed_accord_stub() {
    let Some(verifier) = peers::tool("pact-verifier") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mock = Server::start(&[
        "mock",
        "--port",
        "0",
        "--consumer",
        "mobile-app",
        "--provider",
        "orders-service",
        "--output-dir",
        dir.path().to_str().unwrap(),
    ])
    .await;
    let http = reqwest::Client::new();
    let interaction = json!({
        "type": "Synchronous/HTTP",
        "description": "get order 10 from the app",
        "providerStates": [{"name": "an order exists", "params": {"id": 10}}],
        "request": {"method": "GET", "path": "/orders/10", "headers": {"Accept": ["application/json"]}},
        "response": {
            "status": 200,
            "headers": {"Content-Type": ["application/json"]},
            "body": {"content": {"id": 10, "status": "open"}, "contentType": "application/json"},
            "matchingRules": {"body": {"$.status": {"combine": "AND", "matchers": [{"match": "regex", "regex": "^(open|shipped)$"}]}}}
        }
    });
    let control = |what: &str| format!("{}/__accord/{what}", mock.url);
    let added: Value = http
        .post(control("interactions"))
        .json(&interaction)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(added, json!({"added": 1}));
    let order = OrdersClient::new(&mock.url)
        .order(10)
        .await
        .expect("get order 10");
    assert_eq!(order.status, "open");
    let verify = http.get(control("verify")).send().await.unwrap();
    assert_eq!(verify.status().as_u16(), 200);
    let written: Value = http
        .post(control("write"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let contract = std::path::PathBuf::from(written["path"].as_str().expect("written path"));
    assert_eq!(contract, dir.path().join("mobile-app-orders-service.json"));
    drop(mock);

    let provider = Provider::start(false).await;
    let (ok, output) = pact_verify(&verifier, &contract, &provider).await;
    assert!(ok, "Pact's verifier rejected the contract:\n{output}");

    // The stub reads the folder: the contract, not the writer's lock file beside it.
    let stub = Server::start(&["stub", "--contract", dir.path().to_str().unwrap()]).await;
    let response = http
        .get(format!("{}/orders/10", stub.url))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"id": 10, "status": "open"}));
    let missing = http
        .get(format!("{}/orders/11", stub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}
