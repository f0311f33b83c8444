//! The standalone mock provider (`MockServer`) driven through its control API by a plain
//! HTTP client, as a consumer written in another language would.

use serde_json::{Value, json};
use tokio::sync::oneshot;

use accord_consumer::{CONTROL_PREFIX, ContractWriter, MockServer};

struct Running {
    url: String,
    client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
}

impl Running {
    async fn start(mock: MockServer) -> Running {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(mock.serve(listener, async {
            let _ = stopped.await;
        }));
        Running {
            url,
            client: reqwest::Client::new(),
            stop: Some(stop),
        }
    }

    async fn control(
        &self,
        method: reqwest::Method,
        what: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{CONTROL_PREFIX}/{what}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.url))
            .header("accept", "application/json")
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn get_order(id: u32) -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": format!("get order {id}"),
        "providerStates": [{"name": "an order exists", "params": {"id": id}}],
        "request": {"method": "GET", "path": format!("/orders/{id}"),
                    "headers": {"Accept": ["application/json"]}},
        "response": {
            "status": 200,
            "headers": {"Content-Type": ["application/json"]},
            "body": {"content": {"id": id, "status": "open"}, "contentType": "application/json"},
            "matchingRules": {"body": {"$.status": {"combine": "AND", "matchers": [{"match": "type"}]}}}
        }
    })
}

#[tokio::test]
async fn a_full_session_writes_the_contract_through_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let mock = MockServer::new()
        .with_parties("web-app", "orders-api")
        .with_writer(ContractWriter::new().with_dir(dir.path()));
    let running = Running::start(mock).await;
    let post = reqwest::Method::POST;

    let (status, body) = running
        .control(
            post.clone(),
            "interactions",
            Some(json!([get_order(1), get_order(2)])),
        )
        .await;
    assert_eq!((status, body), (201, json!({"added": 2})));

    // Nothing received yet: verify fails and names both.
    let (status, report) = running.control(reqwest::Method::GET, "verify", None).await;
    assert_eq!(status, 422);
    assert_eq!(report["missing"], json!(["get order 1", "get order 2"]));

    assert_eq!(
        running.get("/orders/1").await,
        (200, json!({"id": 1, "status": "open"}))
    );
    assert_eq!(running.get("/orders/2").await.0, 200);
    let (status, report) = running.control(reqwest::Method::GET, "verify", None).await;
    assert_eq!((status, report["ok"].clone()), (200, json!(true)));

    let (status, written) = running.control(post.clone(), "write", None).await;
    assert_eq!(status, 200, "{written}");
    let file = dir.path().join("web-app-orders-api.json");
    assert_eq!(written["path"], json!(file.display().to_string()));
    let contract: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let descriptions: Vec<&str> = contract["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions, ["get order 1", "get order 2"]);
    assert_eq!(
        contract["interactions"][0]["response"]["matchingRules"]["body"]["$.status"]["matchers"][0]
            ["match"],
        "type"
    );

    // After a reset nothing is expected: the same request is now unexpected.
    let (status, _) = running.control(post.clone(), "reset", None).await;
    assert_eq!(status, 200);
    assert_eq!(running.get("/orders/1").await.0, 500);
    let (status, report) = running.control(reqwest::Method::GET, "verify", None).await;
    assert_eq!(status, 422);
    assert_eq!(report["unexpected"][0]["path"], "/orders/1");
    assert_eq!(report["missing"], json!([]));
}

#[tokio::test]
async fn mismatches_are_reported_and_block_the_write() {
    let dir = tempfile::tempdir().unwrap();
    let mock = MockServer::new().with_writer(ContractWriter::new().with_dir(dir.path()));
    let running = Running::start(mock).await;
    // A whole contract names the parties.
    let contract = json!({
        "consumer": {"name": "web-app"}, "provider": {"name": "orders-api"},
        "interactions": [get_order(1)],
        "metadata": {"pactSpecification": {"version": "4.0"}}
    });
    let (status, _) = running
        .control(reqwest::Method::POST, "interactions", Some(contract))
        .await;
    assert_eq!(status, 201);
    let response = running
        .client
        .get(format!("{}/orders/1", running.url))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 500);
    let diagnostic: Value = response.json().await.unwrap();
    assert_eq!(diagnostic["interaction"], "get order 1");
    assert_eq!(diagnostic["mismatches"][0]["category"], "header");

    let (status, report) = running.control(reqwest::Method::POST, "write", None).await;
    assert_eq!(status, 422);
    assert_eq!(report["mismatched"][0]["interaction"], "get order 1");
    assert_eq!(report["missing"], json!(["get order 1"]));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[tokio::test]
async fn bad_registrations_are_refused_with_the_reason() {
    let running = Running::start(MockServer::new()).await;
    let (status, body) = running
        .control(reqwest::Method::POST, "interactions", Some(json!(42)))
        .await;
    assert_eq!(status, 400);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expected an interaction")
    );

    let bad = json!({"type": "Synchronous/HTTP", "description": "x",
                     "request": {"method": "GET", "path": "/x"}, "response": {"status": "teapot"}});
    let (status, body) = running
        .control(reqwest::Method::POST, "interactions", Some(bad))
        .await;
    assert_eq!(status, 400, "{body}");

    // One interaction without parties: writing needs names.
    running
        .control(reqwest::Method::POST, "interactions", Some(get_order(3)))
        .await;
    assert_eq!(running.get("/orders/3").await.0, 200);
    let (status, body) = running.control(reqwest::Method::POST, "write", None).await;
    assert_eq!(status, 409, "{body}");
}

#[test]
fn contracts_between_other_parties_are_refused_without_fixed_names() {
    let mock = MockServer::new();
    let first = accord_contracts_format::Contract::new("web", "orders");
    let second = accord_contracts_format::Contract::new("mobile", "orders");
    assert_eq!(mock.add_contract(&first).unwrap(), 0);
    assert!(matches!(
        mock.add_contract(&second),
        Err(accord_consumer::MockServerError::OtherParties { .. })
    ));
    let fixed = MockServer::new().with_parties("web", "orders");
    assert!(fixed.add_contract(&second).is_ok());
}

#[tokio::test]
async fn v3_interactions_register_and_the_session_lists_them_as_v4() {
    let mock = MockServer::new().with_parties("web-app", "orders-api");
    let v3 = json!({
        "description": "delete order 4",
        "providerState": "order 4 exists",
        "request": {"method": "DELETE", "path": "/orders/4"},
        "response": {"status": 204}
    });
    assert_eq!(mock.add_json(v3).unwrap(), 1);
    let running = Running::start(mock).await;
    let (status, listed) = running
        .control(reqwest::Method::GET, "interactions", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(listed["consumer"]["name"], "web-app");
    assert_eq!(listed["interactions"][0]["type"], "Synchronous/HTTP");
    assert_eq!(
        listed["interactions"][0]["providerStates"][0]["name"],
        "order 4 exists"
    );
    let deleted = running
        .client
        .delete(format!("{}/orders/4", running.url))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let (status, _) = running.control(reqwest::Method::GET, "verify", None).await;
    assert_eq!(status, 200);
}
