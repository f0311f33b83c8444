//! The stub server: best match, provider state selection, generators and the 404 diagnosis.

use serde_json::{Value, json};
use tokio::sync::oneshot;

use accord_consumer::{STATE_HEADER, Stub};
use accord_contracts_format::contract_from_value;

fn contract() -> Value {
    let get = |description: &str, state: &str, body: Value, status: u16| {
        json!({
            "type": "Synchronous/HTTP",
            "description": description,
            "providerStates": [{"name": state, "params": {"id": 7}}],
            "request": {"method": "GET", "path": "/orders/7", "headers": {"Accept": ["application/json"]}},
            "response": {"status": status, "headers": {"Content-Type": ["application/json"]},
                         "body": {"content": body, "contentType": "application/json"}}
        })
    };
    json!({
        "consumer": {"name": "web"}, "provider": {"name": "orders"},
        "metadata": {"pactSpecification": {"version": "4.0"}},
        "interactions": [
            get("get order 7", "order 7 exists", json!({"id": 7}), 200),
            get("get order 7 when missing", "no orders", json!({"error": "not found"}), 404),
            {
                "type": "Synchronous/HTTP",
                "description": "orders of a customer named with a space",
                "request": {"method": "GET", "path": "/customers/Ada Lovelace/orders"},
                "response": {"status": 200, "body": {"content": [{"id": 3}], "contentType": "application/json"}}
            },
            {
                "type": "Synchronous/HTTP",
                "description": "search orders",
                "request": {"method": "GET", "path": "/orders", "query": {"status": ["open"]}},
                "response": {"status": 200, "body": {"content": [], "contentType": "application/json"}}
            },
            {
                "type": "Synchronous/HTTP",
                "description": "any order by pattern",
                "providerStates": [{"name": "an order", "params": {"id": 42}}],
                "request": {"method": "GET", "path": "/orders/1",
                            "matchingRules": {"path": {"combine": "AND", "matchers": [{"match": "regex", "regex": "^/orders/\\d+$"}]}}},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"content": {"id": 1, "at": "2020-01-01"}, "contentType": "application/json"},
                    "generators": {"body": {
                        "$.id": {"type": "ProviderState", "expression": "${id}", "dataType": "INTEGER"},
                        "$.at": {"type": "Date", "format": "yyyy-MM-dd"}
                    }}
                }
            }
        ]
    })
}

async fn start(stub: Stub) -> (String, oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(stub.serve(listener, async {
        let _ = stopped.await;
    }));
    (url, stop)
}

async fn get(url: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn stub() -> Stub {
    let mut stub = Stub::new();
    stub.add_contract(&contract_from_value(contract()).unwrap(), "orders.json");
    stub
}

#[tokio::test]
async fn the_first_full_match_answers_and_a_state_header_picks_another() {
    let (url, _stop) = start(stub()).await;
    let accept = ("accept", "application/json");
    // Both literal interactions and the patterned one match; the first in file order wins.
    assert_eq!(
        get(&format!("{url}/orders/7"), &[accept]).await,
        (200, json!({"id": 7}))
    );
    assert_eq!(
        get(
            &format!("{url}/orders/7"),
            &[accept, (STATE_HEADER, "no orders")]
        )
        .await,
        (404, json!({"error": "not found"}))
    );
    assert_eq!(
        get(&format!("{url}/orders?status=open"), &[]).await,
        (200, json!([]))
    );
}

#[tokio::test]
async fn generators_run_with_the_interaction_state_parameters() {
    let (url, _stop) = start(stub()).await;
    let (status, body) = get(&format!("{url}/orders/99"), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], 42, "{body}");
    let today = body["at"].as_str().unwrap();
    assert_ne!(today, "2020-01-01");
    assert_eq!(today.len(), 10);
}

#[tokio::test]
async fn unmatched_requests_get_the_closest_candidates_and_their_mismatches() {
    let (url, _stop) = start(stub()).await;
    let (status, body) = get(&format!("{url}/orders?status=closed"), &[]).await;
    assert_eq!(status, 404);
    assert_eq!(body["candidates"][0]["interaction"], "search orders");
    assert_eq!(body["candidates"][0]["mismatches"][0]["category"], "query");

    let (status, body) = get(&format!("{url}/orders/7"), &[(STATE_HEADER, "ghost state")]).await;
    assert_eq!(status, 404);
    assert!(
        body["error"].as_str().unwrap().contains("ghost state"),
        "{body}"
    );
    assert_eq!(
        body["statesForRoute"],
        json!(["an order", "no orders", "order 7 exists"])
    );

    let (status, body) = get(&format!("{url}/customers"), &[]).await;
    assert_eq!(status, 404);
    assert_eq!(body["candidates"], json!([]));
}

#[test]
fn messages_are_skipped_and_counted() {
    let mut with_message = contract();
    with_message["interactions"].as_array_mut().unwrap().push(
        json!({"type": "Asynchronous/Messages", "description": "order created",
                     "contents": {"content": {"id": 1}, "contentType": "application/json"}}),
    );
    let mut stub = Stub::new();
    stub.add_contract(&contract_from_value(with_message).unwrap(), "orders.json");
    assert_eq!((stub.len(), stub.skipped()), (5, 1));
    assert_eq!(stub.states()[0], ("an order".to_owned(), 1));
}

#[tokio::test]
async fn cors_preflights_are_answered_and_responses_allow_the_origin() {
    let (url, _stop) = start(stub().with_cors(true)).await;
    let client = reqwest::Client::new();
    let preflight = client
        .request(reqwest::Method::OPTIONS, format!("{url}/orders/7"))
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "accept, x-accord-state")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status().as_u16(), 204);
    let allowed = |response: &reqwest::Response, name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        allowed(&preflight, "access-control-allow-origin").as_deref(),
        Some("http://localhost:3000")
    );
    assert_eq!(
        allowed(&preflight, "access-control-allow-headers").as_deref(),
        Some("accept, x-accord-state")
    );
    let response = client
        .get(format!("{url}/orders/7"))
        .header("origin", "http://localhost:3000")
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        allowed(&response, "access-control-allow-origin").as_deref(),
        Some("http://localhost:3000")
    );

    // Without CORS, a preflight is a request like any other: no interaction, 404.
    let (plain, _stop) = start(stub()).await;
    let refused = client
        .request(reqwest::Method::OPTIONS, format!("{plain}/orders/7"))
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 404);
    assert!(allowed(&refused, "access-control-allow-origin").is_none());
}
