//! HTTP API tests: `router(state).oneshot(request)` on a temp SQLite store.

mod support;

use accord_broker::store::{PostgresStore, SqliteStore, Store};
use accord_broker::{AppState, AuthConfig, BrokerConfig, Credential, router};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine;
use serde_json::{Value, json};
use tower::ServiceExt;

const HOST: &str = "broker.example:9292";

struct TestApp<S> {
    router: Router,
    store: S,
    _dir: Option<tempfile::TempDir>,
    _database: Option<support::TestDatabase>,
}

/// The app on a temp SQLite file.
async fn app(config: BrokerConfig) -> TestApp<SqliteStore> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("api.db").display());
    let store = SqliteStore::connect(&url).await.unwrap();
    let router = router(AppState::new(store.clone(), config));
    TestApp {
        router,
        store,
        _dir: Some(dir),
        _database: None,
    }
}

/// The app on a fresh PostgreSQL database (`None`: skipped, see `support`).
async fn app_on_postgres(config: BrokerConfig) -> Option<TestApp<PostgresStore>> {
    let database = support::TestDatabase::create().await?;
    let store = PostgresStore::connect(&database.url).await.unwrap();
    let router = router(AppState::new(store.clone(), config));
    Some(TestApp {
        router,
        store,
        _dir: None,
        _database: Some(database),
    })
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: Value,
}

impl<S: Store> TestApp<S> {
    async fn call(
        &self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Answer {
        self.call_as(method, uri, content_type, body, None).await
    }

    async fn call_as(
        &self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        authorization: Option<&str>,
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, HOST);
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        if let Some(auth) = authorization {
            request = request.header(header::AUTHORIZATION, auth);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            panic!(
                "{status}: body is not JSON: {}",
                String::from_utf8_lossy(&bytes)
            )
        });
        Answer {
            status,
            content_type,
            body,
        }
    }

    async fn json(&self, method: Method, uri: &str, body: Value) -> Answer {
        self.call(
            method,
            uri,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
        .await
    }

    async fn get(&self, uri: &str) -> Answer {
        self.call(Method::GET, uri, None, Vec::new()).await
    }
}

fn pact(consumer: &str, provider: &str, description: &str) -> Value {
    json!({
        "consumer": { "name": consumer },
        "provider": { "name": provider },
        "interactions": [{ "description": description, "request": { "method": "GET", "path": "/x" }, "response": { "status": 200 } }],
        "metadata": { "pactSpecification": { "version": "3.0.0" } }
    })
}

fn b64(value: &Value) -> String {
    base64::engine::general_purpose::STANDARD.encode(value.to_string())
}

fn publish_body(version: &str, content: &Value) -> Value {
    json!({
        "pacticipantName": "Web",
        "pacticipantVersionNumber": version,
        "branch": "main",
        "tags": ["dev"],
        "contracts": [{
            "consumerName": "Web", "providerName": "Orders", "specification": "pact",
            "contentType": "application/json", "content": b64(content)
        }]
    })
}

/// Strips the scheme and host of an absolute href.
fn path_of(href: &str) -> String {
    let url = url::Url::parse(href).unwrap();
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// (method, URI, content type, body, expected status, field named in the errors).
type Case<'a> = (Method, &'a str, Option<&'a str>, Vec<u8>, u16, &'a str);

#[tokio::test]
async fn malformed_requests_get_4xx_json_naming_the_problem_and_write_nothing() {
    malformed_requests(app(BrokerConfig::default()).await).await;
}

#[tokio::test]
async fn malformed_requests_on_postgres() {
    if let Some(app) = app_on_postgres(BrokerConfig::default()).await {
        malformed_requests(app).await;
    }
}

async fn malformed_requests<S: Store>(app: TestApp<S>) {
    let valid_contract = json!({
        "consumerName": "Web", "providerName": "Orders", "specification": "pact",
        "contentType": "application/json", "content": b64(&pact("Web", "Orders", "x"))
    });
    let publish = |patch: Value| {
        let mut body = json!({ "pacticipantName": "Web", "pacticipantVersionNumber": "1", "contracts": [valid_contract.clone()] });
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body.to_string().into_bytes()
    };
    let contract_with = |k: &str, v: Value| {
        let mut c = valid_contract.clone();
        c[k] = v;
        publish(json!({ "contracts": [c] }))
    };
    let json_ct = Some("application/json");
    let huge = vec![b' '; 10 * 1024 * 1024];
    let sha_url = "/pacts/provider/Orders/consumer/Web/pact-version/abc/verification-results";
    #[rustfmt::skip]
    let cases: Vec<Case<'_>> = vec![
        (Method::POST, "/contracts/publish", json_ct, b"{".to_vec(), 400, "body"),
        (Method::POST, "/contracts/publish", json_ct, b"{}".to_vec(), 400, "pacticipantName"),
        (Method::POST, "/contracts/publish", json_ct, b"{}".to_vec(), 400, "contracts"),
        (Method::POST, "/contracts/publish", json_ct, b"[1,2]".to_vec(), 400, "body"),
        (Method::POST, "/contracts/publish", Some("text/plain"), b"{}".to_vec(), 415, "contentType"),
        (Method::POST, "/contracts/publish", None, b"{\"a\":1}".to_vec(), 415, "contentType"),
        (Method::POST, "/contracts/publish", json_ct, huge.clone(), 413, "body"),
        (Method::POST, "/contracts/publish", json_ct, publish(json!({ "pacticipantName": "  " })), 400, "pacticipantName"),
        (Method::POST, "/contracts/publish", json_ct, publish(json!({ "pacticipantVersionNumber": "1\n2" })), 400, "pacticipantVersionNumber"),
        (Method::POST, "/contracts/publish", json_ct, publish(json!({ "tags": "x" })), 400, "body"),
        (Method::POST, "/contracts/publish", json_ct, publish(json!({ "tags": [""] })), 400, "tags[0]"),
        (Method::POST, "/contracts/publish", json_ct, publish(json!({ "branch": "x".repeat(300) })), 400, "branch"),
        (Method::POST, "/contracts/publish", json_ct, publish(json!({ "contracts": [] })), 400, "contracts"),
        (Method::POST, "/contracts/publish", json_ct, contract_with("content", json!("%%%not base64")), 400, "contracts[0].content"),
        (Method::POST, "/contracts/publish", json_ct, contract_with("content", json!(b64(&json!([1])))), 400, "contracts[0].content"),
        (Method::POST, "/contracts/publish", json_ct, contract_with("content", json!(base64::engine::general_purpose::STANDARD.encode("{not json"))), 400, "contracts[0].content"),
        (Method::POST, "/contracts/publish", json_ct, contract_with("consumerName", json!("Other")), 400, "contracts[0].consumerName"),
        (Method::POST, "/contracts/publish", json_ct, contract_with("providerName", Value::Null), 400, "contracts[0].providerName"),
        (Method::POST, "/contracts/publish", json_ct, contract_with("specification", json!("openapi")), 400, "contracts[0].specification"),
        (Method::POST, "/contracts/publish", json_ct, contract_with("contentType", json!("application/yaml")), 400, "contracts[0].contentType"),
        (Method::POST, "/contracts/publish", json_ct, contract_with("onConflict", json!("merge")), 400, "contracts[0].onConflict"),
        (Method::PUT, "/pacts/provider/Orders/consumer/Web/version/1", json_ct, b"[1,2]".to_vec(), 400, "content"),
        (Method::PUT, "/pacts/provider/Orders/consumer/Web/version/1", json_ct, b"not json".to_vec(), 400, "content"),
        (Method::PUT, "/pacts/provider/Orders/consumer/Web/version/1", Some("text/plain"), b"{}".to_vec(), 415, "contentType"),
        (Method::PUT, "/pacts/provider/Orders/consumer/Web/version/1", json_ct, huge, 413, "body"),
        (Method::PUT, "/pacts/provider/Web/consumer/Web/version/1", json_ct, b"{}".to_vec(), 400, "provider"),
        (Method::PUT, "/pacts/provider/Orders/consumer/%20Web/version/1", json_ct, b"{}".to_vec(), 400, "consumer"),
        (Method::POST, "/pacticipants", json_ct, b"{}".to_vec(), 400, "name"),
        (Method::POST, "/pacticipants", json_ct, b"".to_vec(), 400, "name"),
        (Method::POST, "/pacticipants", json_ct, br#"{"name": 5}"#.to_vec(), 400, "body"),
        (Method::POST, "/pacticipants", json_ct, br#"{"name": "ok", "mainBranch": "a\nb"}"#.to_vec(), 400, "mainBranch"),
        (Method::POST, "/pacticipants", json_ct, br#"{"name": "ok", "displayName": "a\u0000b"}"#.to_vec(), 400, "displayName"),
        (Method::PUT, "/pacticipants/%20bad", json_ct, b"{}".to_vec(), 400, "pacticipant"),
        (Method::PATCH, "/pacticipants/Web", json_ct, br#"{"name": "Other"}"#.to_vec(), 400, "name"),
        (Method::PUT, "/pacticipants/Web/versions/1", json_ct, br#"{"branch": ""}"#.to_vec(), 400, "branch"),
        (Method::PUT, "/pacticipants/Web/versions/1/tags/bad%0Atag", None, Vec::new(), 400, "tag"),
        (Method::PUT, "/pacticipants/Web/branches/%09/versions/1", None, Vec::new(), 400, "branch"),
        (Method::POST, "/environments", json_ct, br#"{"name": "has space"}"#.to_vec(), 400, "name"),
        (Method::POST, "/environments", json_ct, br#"{"name": "x", "production": "yes"}"#.to_vec(), 400, "production"),
        (Method::POST, "/environments", json_ct, br#"{"name": "x", "contacts": "bob"}"#.to_vec(), 400, "contacts"),
        (Method::POST, "/environments", json_ct, br#"{"name": "production"}"#.to_vec(), 409, "content"),
        (Method::PUT, "/environments/no-such-uuid", json_ct, br#"{"name": "x"}"#.to_vec(), 404, "resource"),
        (Method::POST, sha_url, json_ct, b"{}".to_vec(), 400, "success"),
        (Method::POST, sha_url, json_ct, b"{}".to_vec(), 400, "providerApplicationVersion"),
        (Method::POST, sha_url, json_ct, br#"{"success": "yes", "providerApplicationVersion": "1"}"#.to_vec(), 400, "success"),
        (Method::POST, sha_url, json_ct, br#"{"success": true, "providerApplicationVersion": 1}"#.to_vec(), 400, "providerApplicationVersion"),
        (Method::POST, sha_url, json_ct, br#"{"success": true, "providerApplicationVersion": "1"}"#.to_vec(), 404, "resource"),
        (Method::GET, "/pacts/provider/Orders/consumer/Web/pact-version/abc/verification-results/abc", None, Vec::new(), 400, "number"),
        (Method::GET, "/pacticipants/%FF", None, Vec::new(), 400, "path"),
        (Method::GET, "/pacticipants/a%00b", None, Vec::new(), 400, "path"),
        (Method::GET, "/environments/x/deployed-versions/currently-deployed?pacticipant=a%00", None, Vec::new(), 400, "query"),
        (Method::GET, "/pacticipants/Nobody", None, Vec::new(), 404, "resource"),
        (Method::GET, "/no/such/route", None, Vec::new(), 404, "resource"),
        (Method::DELETE, "/", None, Vec::new(), 405, "method"),
        (Method::PATCH, "/deployed-versions/nope", Some("application/merge-patch+json"), br#"{"currentlyDeployed": false}"#.to_vec(), 404, "resource"),
        (Method::PATCH, "/released-versions/nope", Some("application/merge-patch+json"), br#"{"currentlySupported": 3}"#.to_vec(), 400, "currentlySupported"),
        (Method::POST, "/pacticipants/Web/versions/1/deployed-versions/environment/x", json_ct, br#"{"applicationInstance": 5}"#.to_vec(), 400, "applicationInstance"),
        (Method::POST, "/pacticipants/Web/versions/1/deployed-versions/environment/x", json_ct, b"{}".to_vec(), 404, "resource"),
        (Method::GET, "/environments/x/deployed-versions/currently-deployed", None, Vec::new(), 404, "resource"),
    ];
    for (method, uri, ct, body, expected, field) in cases {
        let answer = app.call(method.clone(), uri, ct, body).await;
        assert_eq!(
            answer.status.as_u16(),
            expected,
            "{method} {uri} {field}: {}",
            answer.body
        );
        assert!(
            answer.content_type.starts_with("application/json"),
            "{method} {uri}: {}",
            answer.content_type
        );
        let messages = &answer.body["errors"][field];
        assert!(
            messages
                .as_array()
                .is_some_and(|m| !m.is_empty() && m.iter().all(Value::is_string)),
            "{method} {uri}: no message for {field} in {}",
            answer.body
        );
    }
    // Nothing was half-written.
    assert!(app.store.pacticipants().await.unwrap().is_empty());
    assert_eq!(app.store.environments().await.unwrap().len(), 2);
}

#[tokio::test]
async fn publish_read_verify_deploy_flow() {
    flow(app(BrokerConfig::default()).await).await;
}

#[tokio::test]
async fn publish_read_verify_deploy_flow_on_postgres() {
    if let Some(app) = app_on_postgres(BrokerConfig::default()).await {
        flow(app).await;
    }
}

async fn flow<S: Store>(app: TestApp<S>) {
    let content = pact("Web", "Orders", "one");
    let published = app
        .json(
            Method::POST,
            "/contracts/publish",
            publish_body("1.0.0", &content),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(published.content_type, "application/hal+json;charset=utf-8");
    assert_eq!(published.body["_embedded"]["version"]["number"], "1.0.0");
    assert!(
        published.body["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["type"] == "success")
    );
    let contract_href = published.body["_links"]["pb:contracts"][0]["href"]
        .as_str()
        .unwrap();
    assert_eq!(
        contract_href,
        format!("http://{HOST}/pacts/provider/Orders/consumer/Web/version/1.0.0")
    );
    assert_eq!(
        published.body["_links"]["pb:pacticipant-version-tags"][0]["name"],
        "dev"
    );

    // Identical content again: fine. Changed content for the same version: 409 with a notice.
    let again = app
        .json(
            Method::POST,
            "/contracts/publish",
            publish_body("1.0.0", &content),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    let changed = app
        .json(
            Method::POST,
            "/contracts/publish",
            publish_body("1.0.0", &pact("Web", "Orders", "two")),
        )
        .await;
    assert_eq!(changed.status, StatusCode::CONFLICT, "{}", changed.body);
    assert_eq!(changed.body["notices"][0]["type"], "error");
    assert!(
        changed.body["errors"]["content"][0]
            .as_str()
            .unwrap()
            .contains("1.0.0")
    );

    // The pact document is the content plus links.
    let doc = app.get(&path_of(contract_href)).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.body["interactions"], content["interactions"]);
    assert_eq!(doc.body["_links"]["pb:consumer-version"]["name"], "1.0.0");
    let verify_href = doc.body["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let sha_href = doc.body["_links"]["pb:pact-version"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(verify_href.starts_with(&format!(
        "http://{HOST}/pacts/provider/Orders/consumer/Web/pact-version/"
    )));
    for uri in [
        "/pacts/provider/Orders/consumer/Web/latest",
        "/pacts/provider/Orders/consumer/Web/latest/dev",
        "/pacts/provider/Orders/consumer/Web/branch/main/latest",
        "/pacts/provider/Orders/consumer/Web/branch/latest",
        &path_of(&sha_href),
        &format!("{}/metadata/c1s", path_of(&sha_href)),
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        assert_eq!(
            answer.body["_links"]["pb:consumer-version"]["name"], "1.0.0",
            "{uri}"
        );
    }
    let with_metadata = app
        .get(&format!("{}/metadata/c1s", path_of(&sha_href)))
        .await;
    assert!(
        with_metadata.body["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .unwrap()
            .contains("/metadata/c1s/")
    );

    // Lists.
    let latest = app.get("/pacts/latest").await;
    assert_eq!(
        latest.body["pacts"][0]["_embedded"]["consumer"]["_embedded"]["version"]["number"],
        "1.0.0"
    );
    assert_eq!(latest.body["_links"]["pb:pacts"][0]["name"], "Web");
    for uri in [
        "/pacts/provider/Orders",
        "/pacts/provider/Orders/latest",
        "/pacts/provider/Orders/latest/dev",
        "/pacts/provider/Orders/branch",
        "/pacts/provider/Orders/branch/main/latest",
        "/pacts/provider/Orders/consumer/Web/branch/main",
        "/pacts/provider/Orders/consumer/Web/versions",
    ] {
        let answer = app.get(uri).await;
        assert_eq!(
            answer.body["_links"]["pb:pacts"].as_array().map(Vec::len),
            Some(1),
            "{uri}: {}",
            answer.body
        );
    }
    let none = app.get("/pacts/provider/Orders/tag/prod").await;
    assert_eq!(none.body["_links"]["pb:pacts"], json!([]));

    // Verification results.
    let result = json!({ "success": true, "providerApplicationVersion": "p1", "testResults": [], "verifiedBy": { "implementation": "test" } });
    let posted = app.json(Method::POST, &path_of(&verify_href), result).await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.body);
    assert_eq!(posted.body["providerApplicationVersion"], "p1");
    let latest_result = app
        .get(&format!(
            "{}/verification-results/latest",
            path_of(&sha_href)
        ))
        .await;
    assert_eq!(latest_result.body["success"], true);
    assert_eq!(latest_result.body["verifiedBy"]["implementation"], "test");
    let by_version = app
        .get("/pacts/provider/Orders/consumer/Web/version/1.0.0/verification-results/latest")
        .await;
    assert_eq!(by_version.body["providerApplicationVersion"], "p1");

    // Deployment through the version's pb:record-deployment link.
    let version = app.get("/pacticipants/Web/versions/1.0.0").await;
    assert_eq!(version.body["_embedded"]["tags"][0]["name"], "dev");
    let links = version.body["_links"]["pb:record-deployment"]
        .as_array()
        .unwrap();
    let production = links.iter().find(|l| l["name"] == "production").unwrap();
    let deployed = app
        .json(
            Method::POST,
            &path_of(production["href"].as_str().unwrap()),
            json!({ "applicationInstance": null }),
        )
        .await;
    assert_eq!(deployed.status, StatusCode::CREATED, "{}", deployed.body);
    assert_eq!(deployed.body["currentlyDeployed"], true);
    let self_href = path_of(deployed.body["_links"]["self"]["href"].as_str().unwrap());
    let revive = app
        .call(
            Method::PATCH,
            &self_href,
            Some("application/merge-patch+json"),
            br#"{"currentlyDeployed": true}"#.to_vec(),
        )
        .await;
    assert_eq!(revive.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(revive.body["errors"]["currentlyDeployed"].is_array());
    let undeployed = app
        .call(
            Method::PATCH,
            &self_href,
            Some("application/merge-patch+json"),
            br#"{"currentlyDeployed": false}"#.to_vec(),
        )
        .await;
    assert_eq!(undeployed.status, StatusCode::OK);
    assert_eq!(undeployed.body["currentlyDeployed"], false);
}

#[tokio::test]
async fn index_links_are_absolute_on_the_public_url_or_host() {
    let app = app(BrokerConfig::default()).await;
    let index = app.get("/").await;
    for rel in [
        "pb:publish-contracts",
        "pb:latest-pact-versions",
        "pb:pacticipants",
        "pb:pacticipant",
        "pb:pacticipant-version",
        "pb:latest-version",
        "pb:latest-tagged-version",
        "pb:environments",
        "pb:environment",
    ] {
        let href = index.body["_links"][rel]["href"]
            .as_str()
            .unwrap_or_else(|| panic!("{rel} missing"));
        assert!(
            href.starts_with(&format!("http://{HOST}/")),
            "{rel}: {href}"
        );
    }
    assert_eq!(index.body["_links"]["pb:pacticipant"]["templated"], true);
    assert_eq!(index.body["_links"]["curies"][0]["name"], "pb");

    let config = BrokerConfig {
        public_url: Some("https://pacts.example.com/base/".into()),
        ..BrokerConfig::default()
    };
    let public = self::app(config).await;
    let index = public.get("/").await;
    assert_eq!(
        index.body["_links"]["pb:environments"]["href"],
        "https://pacts.example.com/base/environments"
    );
    let heartbeat = public.get("/diagnostic/status/heartbeat").await;
    assert_eq!(heartbeat.body["ok"], true);
}

#[tokio::test]
async fn delete_answers_carry_a_json_body() {
    let app = app(BrokerConfig::default()).await;
    app.json(
        Method::POST,
        "/contracts/publish",
        publish_body("1", &pact("Web", "Orders", "x")),
    )
    .await;
    for uri in [
        "/pacticipants/Web/versions/1/tags/dev",
        "/pacticipants/Web/branches/main",
        "/pacts/provider/Orders/consumer/Web/version/1",
        "/pacticipants/Web",
    ] {
        let answer = app.call(Method::DELETE, uri, None, Vec::new()).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        assert!(answer.body["_links"].is_object(), "{uri}");
    }
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

fn auth_config(public_read: bool) -> BrokerConfig {
    BrokerConfig {
        auth: AuthConfig {
            read_write: vec![Credential::Basic {
                username: "admin".into(),
                password: "secret".into(),
            }],
            read_only: vec![Credential::Token("read-token".into())],
            public_read,
        },
        ..BrokerConfig::default()
    }
}

/// Every route that changes data.
const WRITES: &[(&str, &str)] = &[
    ("POST", "/pacticipants"),
    ("PUT", "/pacticipants/Web"),
    ("PATCH", "/pacticipants/Web"),
    ("DELETE", "/pacticipants/Web"),
    ("PUT", "/pacticipants/Web/versions/1"),
    ("PATCH", "/pacticipants/Web/versions/1"),
    ("DELETE", "/pacticipants/Web/versions/1"),
    ("PUT", "/pacticipants/Web/versions/1/tags/prod"),
    ("DELETE", "/pacticipants/Web/versions/1/tags/prod"),
    ("DELETE", "/pacticipants/Web/branches/main"),
    ("PUT", "/pacticipants/Web/branches/main/versions/1"),
    ("DELETE", "/pacticipants/Web/branches/main/versions/1"),
    ("POST", "/contracts/publish"),
    ("PUT", "/pacts/provider/Orders/consumer/Web/version/1"),
    ("DELETE", "/pacts/provider/Orders/consumer/Web/version/1"),
    (
        "POST",
        "/pacts/provider/Orders/consumer/Web/pact-version/abc/verification-results",
    ),
    (
        "POST",
        "/pacts/provider/Orders/consumer/Web/pact-version/abc/metadata/m/verification-results",
    ),
    ("POST", "/environments"),
    ("PUT", "/environments/some-uuid"),
    ("DELETE", "/environments/some-uuid"),
    (
        "POST",
        "/pacticipants/Web/versions/1/deployed-versions/environment/some-uuid",
    ),
    (
        "POST",
        "/pacticipants/Web/versions/1/released-versions/environment/some-uuid",
    ),
    ("PATCH", "/deployed-versions/some-uuid"),
    ("PATCH", "/released-versions/some-uuid"),
];

#[tokio::test]
async fn every_write_refuses_anonymous_and_read_only_callers() {
    let app = app(auth_config(true)).await;
    let body = br#"{"name": "x"}"#.to_vec();
    for (method, uri) in WRITES {
        let method: Method = method.parse().unwrap();
        let anonymous = app
            .call(method.clone(), uri, Some("application/json"), body.clone())
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        assert!(anonymous.body["errors"]["authorization"].is_array());
        let read_only = app
            .call_as(
                method.clone(),
                uri,
                Some("application/json"),
                body.clone(),
                Some("Bearer read-token"),
            )
            .await;
        assert_eq!(read_only.status, StatusCode::FORBIDDEN, "{method} {uri}");
        let wrong = app
            .call_as(
                method.clone(),
                uri,
                Some("application/json"),
                body.clone(),
                Some(&basic("admin", "nope")),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        let admin = app
            .call_as(
                method.clone(),
                uri,
                Some("application/json"),
                body.clone(),
                Some(&basic("admin", "secret")),
            )
            .await;
        assert!(
            ![401, 403].contains(&admin.status.as_u16()),
            "{method} {uri}: {}",
            admin.status
        );
    }
    assert!(
        app.store.pacticipant("x").await.is_ok(),
        "the read-write caller's POST /pacticipants went through"
    );
}

#[tokio::test]
async fn reads_need_credentials_unless_public_read() {
    let closed = app(auth_config(false)).await;
    assert_eq!(closed.get("/").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        closed.get("/pacticipants").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        closed.get("/diagnostic/status/heartbeat").await.status,
        StatusCode::OK
    );
    let read = closed
        .call_as(
            Method::GET,
            "/pacticipants",
            None,
            Vec::new(),
            Some("Bearer read-token"),
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let admin = closed
        .call_as(
            Method::GET,
            "/environments",
            None,
            Vec::new(),
            Some(&basic("admin", "secret")),
        )
        .await;
    assert_eq!(admin.status, StatusCode::OK);

    let open = app(auth_config(true)).await;
    assert_eq!(open.get("/pacticipants").await.status, StatusCode::OK);
}

#[tokio::test]
async fn names_with_slashes_and_spaces_round_trip_through_links() {
    let app = app(BrokerConfig::default()).await;
    let put = app
        .call(
            Method::PUT,
            "/pacticipants/My%20App/branches/feat%2Fx/versions/1.0%2Bb",
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.body);
    let version_href = put.body["_links"]["pb:version"]["href"].as_str().unwrap();
    assert_eq!(
        version_href,
        format!("http://{HOST}/pacticipants/My%20App/versions/1.0+b")
    );
    let version = app.get(&path_of(version_href)).await;
    assert_eq!(
        version.body["_embedded"]["branchVersions"][0]["name"],
        "feat/x"
    );
    let branch_href = version.body["_embedded"]["branchVersions"][0]["_links"]["pb:branch"]["href"]
        .as_str()
        .unwrap();
    assert!(
        branch_href.ends_with("/pacticipants/My%20App/branches/feat%2Fx"),
        "{branch_href}"
    );
    let branch = app.get(&path_of(branch_href)).await;
    assert_eq!(branch.body["name"], "feat/x");
}

/// Values of every JSON type, and strings names must refuse.
fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(0),
        json!(-1),
        json!(1e308),
        json!(true),
        json!(""),
        json!(" "),
        json!("x\u{0}y"),
        json!("tab\there"),
        json!("é/ü?#%"),
        json!("x".repeat(3000)),
        json!([]),
        json!([{ "a": "\u{0}" }]),
        json!({}),
        json!({ "nested": [1, { "deep": null }] }),
    ]
}

/// Every field of every JSON write, set to every odd value: never a 5xx, always JSON.
async fn type_confusion<S: Store>(app: TestApp<S>) {
    let content = pact("Web", "Orders", "one");
    let published = app
        .json(
            Method::POST,
            "/contracts/publish",
            publish_body("1", &content),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK);
    let doc = app
        .get("/pacts/provider/Orders/consumer/Web/version/1")
        .await;
    let verify = path_of(
        doc.body["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .unwrap(),
    );
    let test_env = app
        .store
        .environments()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.name == "test")
        .unwrap();
    let deploy = format!(
        "/pacticipants/Web/versions/1/deployed-versions/environment/{}",
        test_env.uuid
    );
    let release = format!(
        "/pacticipants/Web/versions/1/released-versions/environment/{}",
        test_env.uuid
    );
    let deployed = app.json(Method::POST, &deploy, json!({})).await;
    let deployed = path_of(deployed.body["_links"]["self"]["href"].as_str().unwrap());
    let released = app.json(Method::POST, &release, json!({})).await;
    let released = path_of(released.body["_links"]["self"]["href"].as_str().unwrap());
    let environment = format!("/environments/{}", test_env.uuid);
    let contract = json!({
        "consumerName": "Web", "providerName": "Orders", "specification": "pact",
        "contentType": "application/json", "content": b64(&content)
    });

    let routes: Vec<(Method, String, Value, Vec<&str>)> = vec![
        (
            Method::POST,
            "/contracts/publish".into(),
            publish_body("1", &content),
            vec![
                "pacticipantName",
                "pacticipantVersionNumber",
                "branch",
                "tags",
                "buildUrl",
                "contracts",
            ],
        ),
        (
            Method::POST,
            "/pacticipants".into(),
            json!({ "name": "P" }),
            vec![
                "name",
                "displayName",
                "repositoryUrl",
                "repositoryName",
                "repositoryNamespace",
                "mainBranch",
            ],
        ),
        (
            Method::PATCH,
            "/pacticipants/Web".into(),
            json!({}),
            vec![
                "name",
                "displayName",
                "repositoryUrl",
                "repositoryName",
                "repositoryNamespace",
                "mainBranch",
            ],
        ),
        (
            Method::PUT,
            "/pacticipants/Web/versions/1".into(),
            json!({}),
            vec!["branch", "buildUrl"],
        ),
        (
            Method::POST,
            "/environments".into(),
            json!({ "name": "e1" }),
            vec!["name", "displayName", "production", "contacts"],
        ),
        (
            Method::PUT,
            environment,
            json!({ "name": "test" }),
            vec!["name", "displayName", "production", "contacts"],
        ),
        (
            Method::POST,
            verify,
            json!({ "success": true, "providerApplicationVersion": "p1" }),
            vec![
                "success",
                "providerApplicationVersion",
                "buildUrl",
                "testResults",
                "verifiedBy",
            ],
        ),
        (
            Method::POST,
            deploy,
            json!({}),
            vec!["applicationInstance", "target"],
        ),
        (Method::POST, release, json!({}), vec!["anything"]),
        (
            Method::PATCH,
            deployed,
            json!({}),
            vec!["currentlyDeployed"],
        ),
        (
            Method::PATCH,
            released,
            json!({}),
            vec!["currentlySupported"],
        ),
        (
            Method::POST,
            "/pacts/provider/Orders/for-verification".into(),
            json!({ "consumerVersionSelectors": [{ "mainBranch": true }] }),
            vec![
                "consumerVersionSelectors",
                "providerVersionBranch",
                "providerVersionTags",
                "includePendingStatus",
                "includeWipPactsSince",
            ],
        ),
    ];
    let mut bodies: Vec<(Method, String, Value)> = Vec::new();
    for field in [
        "mainBranch",
        "branch",
        "fallbackBranch",
        "matchingBranch",
        "tag",
        "fallbackTag",
        "latest",
        "deployed",
        "released",
        "deployedOrReleased",
        "environment",
        "consumer",
    ] {
        for value in odd_values() {
            let mut selector = json!({ "latest": true });
            selector[field] = value;
            bodies.push((
                Method::POST,
                "/pacts/provider/Orders/for-verification".into(),
                json!({ "consumerVersionSelectors": [selector], "providerVersionBranch": "main",
                        "includePendingStatus": true, "includeWipPactsSince": "2020-01-01" }),
            ));
        }
    }
    for (method, uri, base, fields) in &routes {
        for field in fields {
            for value in odd_values() {
                let mut body = base.clone();
                body[*field] = value;
                bodies.push((method.clone(), uri.clone(), body));
            }
        }
        for value in odd_values() {
            bodies.push((method.clone(), uri.clone(), value));
        }
    }
    for field in [
        "consumerName",
        "providerName",
        "specification",
        "contentType",
        "content",
        "onConflict",
    ] {
        for value in odd_values() {
            let mut c = contract.clone();
            c[field] = value;
            let mut body = publish_body("2", &content);
            body["contracts"] = json!([c]);
            bodies.push((Method::POST, "/contracts/publish".into(), body));
        }
    }
    for (method, uri, body) in bodies {
        let answer = app.json(method.clone(), &uri, body.clone()).await;
        assert!(
            answer.status.as_u16() < 500,
            "{method} {uri} {body}: {} {}",
            answer.status,
            answer.body
        );
        if answer.status.is_client_error() {
            assert!(
                answer.body["errors"]
                    .as_object()
                    .is_some_and(|e| !e.is_empty()),
                "{method} {uri} {body}: {}",
                answer.body
            );
        }
    }
}

#[tokio::test]
async fn no_field_value_causes_a_server_error() {
    type_confusion(app(BrokerConfig::default()).await).await;
}

#[tokio::test]
async fn no_field_value_causes_a_server_error_on_postgres() {
    if let Some(app) = app_on_postgres(BrokerConfig::default()).await {
        type_confusion(app).await;
    }
}

async fn can_i_deploy_and_pacts_for_verification<S: Store>(app: TestApp<S>) {
    let content = pact("Web", "Orders", "one");
    let mut body = publish_body("1", &content);
    body["branch"] = json!("main");
    assert_eq!(
        app.json(Method::POST, "/contracts/publish", body)
            .await
            .status,
        StatusCode::OK
    );
    let doc = app
        .get("/pacts/provider/Orders/consumer/Web/version/1")
        .await;
    let verify = path_of(
        doc.body["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .unwrap(),
    );
    let production = app
        .store
        .environments()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.name == "production")
        .unwrap();
    let ask = "/can-i-deploy?pacticipant=Web&version=1&environment=production";

    // Nothing of Orders in production: unknown.
    let answer = app.get(ask).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.body["summary"]["deployable"],
        Value::Null,
        "{}",
        answer.body
    );
    assert_eq!(answer.body["summary"]["unknown"], 1);

    // Orders 7 deployed and verified: yes, from every form of the question.
    app.json(Method::PUT, "/pacticipants/Orders/versions/7", json!({}))
        .await;
    let deploy = format!(
        "/pacticipants/Orders/versions/7/deployed-versions/environment/{}",
        production.uuid
    );
    assert!(
        app.json(Method::POST, &deploy, json!({}))
            .await
            .status
            .is_success()
    );
    let result = app
        .json(
            Method::POST,
            &verify,
            json!({ "success": true, "providerApplicationVersion": "7" }),
        )
        .await;
    assert!(result.status.is_success(), "{}", result.body);
    for uri in [
        ask.to_owned(),
        "/matrix?q%5B%5D%5Bpacticipant%5D=Web&q%5B%5D%5Bversion%5D=1&latestby=cvpv&environment=production".to_owned(),
        "/pacticipants/Web/branches/main/latest-version/can-i-deploy/to-environment/production".to_owned(),
    ] {
        let answer = app.get(&uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        let summary = &answer.body["summary"];
        assert_eq!(summary["deployable"], true, "{uri}: {}", answer.body);
        assert_eq!(summary["success"], 1);
        let row = &answer.body["matrix"][0];
        assert_eq!(row["consumer"]["version"]["number"], "1");
        assert_eq!(row["provider"]["version"]["number"], "7");
        assert_eq!(row["verificationResult"]["success"], true);
        assert!(row["verificationResult"]["_links"]["self"]["href"].as_str().unwrap().starts_with("http://"));
        assert_eq!(answer.body["notices"][0]["type"], "success");
    }
    // The tag variant: Web's latest "rc" against Orders' latest "prod".
    app.json(
        Method::PUT,
        "/pacticipants/Web/versions/1/tags/rc",
        json!({}),
    )
    .await;
    let tagged = "/pacticipants/Web/latest-version/rc/can-i-deploy/to/prod";
    let answer = app.get(tagged).await;
    assert_eq!(
        answer.body["summary"]["deployable"],
        Value::Null,
        "no Orders tagged prod: {}",
        answer.body
    );
    app.json(
        Method::PUT,
        "/pacticipants/Orders/versions/7/tags/prod",
        json!({}),
    )
    .await;
    let answer = app.get(tagged).await;
    assert_eq!(
        answer.body["summary"]["deployable"], true,
        "{}",
        answer.body
    );
    // Ignoring Orders: shown, not deciding.
    let answer = app.get(&format!("{ask}&ignore[]=Orders")).await;
    assert_eq!(answer.body["matrix"][0]["ignored"], true, "{}", answer.body);
    assert_eq!(answer.body["summary"]["ignored"], 1);
    // A matrix of every row of Web.
    let answer = app.get("/matrix?q[][pacticipant]=Web").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["matrix"].as_array().unwrap().len(), 1);

    // Questions that cannot be answered name the problem.
    for (uri, status, field) in [
        (
            "/can-i-deploy?version=1&environment=production",
            400,
            "pacticipant",
        ),
        (
            "/can-i-deploy?pacticipant=Web&version=1",
            400,
            "environment",
        ),
        (
            "/can-i-deploy?pacticipant=Web&version=1&environment=nowhere",
            400,
            "environment",
        ),
        (
            "/can-i-deploy?pacticipant=Nobody&version=1&environment=production",
            404,
            "resource",
        ),
        ("/matrix", 400, "q"),
        ("/matrix?q[][version]=1", 400, "q[0].pacticipant"),
        (
            "/matrix?q[][pacticipant]=Web&latestby=sideways",
            400,
            "latestby",
        ),
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status.as_u16(), status, "{uri}: {}", answer.body);
        assert!(
            answer.body["errors"][field].is_array(),
            "{uri}: {}",
            answer.body
        );
    }

    // Pacts for verification: the relation, the answer, the field-naming 400, the 404.
    let index = app.get("/").await;
    assert!(index.body["_links"]["pb:provider-pacts-for-verification"]["templated"] == true);
    let pacticipant = app.get("/pacticipants/Orders").await;
    assert!(pacticipant.body["_links"]["pb:provider-pacts-for-verification"]["href"].is_string());
    let request = json!({
        "consumerVersionSelectors": [{ "mainBranch": true }, { "deployedOrReleased": true }],
        "includePendingStatus": true,
        "providerVersionBranch": "main",
        "includeWipPactsSince": "2020-01-01",
    });
    let answer = app
        .json(
            Method::POST,
            "/pacts/provider/Orders/for-verification",
            request,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let pacts = answer.body["_embedded"]["pacts"].as_array().unwrap();
    assert_eq!(pacts.len(), 1, "{}", answer.body);
    assert_eq!(
        pacts[0]["verificationProperties"]["pending"], true,
        "7 is on no branch: {}",
        answer.body
    );
    assert!(
        pacts[0]["shortDescription"]
            .as_str()
            .unwrap()
            .contains("main")
    );
    let href = pacts[0]["_links"]["self"]["href"].as_str().unwrap();
    assert!(
        href.contains("/pact-version/") && href.contains("/metadata/"),
        "{href}"
    );
    let fetched = app.get(&path_of(href)).await;
    assert_eq!(fetched.status, StatusCode::OK);
    assert!(
        fetched.body["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .unwrap()
            .contains("/metadata/")
    );
    let get = app.get("/pacts/provider/Orders/for-verification").await;
    assert_eq!(get.status, StatusCode::OK, "{}", get.body);
    let bad = app
        .json(
            Method::POST,
            "/pacts/provider/Orders/for-verification",
            json!({ "consumerVersionSelectors": [{ "mainBranch": true }, { "latest": true }, { "fallbackTag": "x" }] }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(
        bad.body["errors"]["consumerVersionSelectors[2].fallbackTag"].is_array(),
        "{}",
        bad.body
    );
    let missing = app
        .json(
            Method::POST,
            "/pacts/provider/Nobody/for-verification",
            json!({}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn can_i_deploy_and_pacts_for_verification_on_sqlite() {
    can_i_deploy_and_pacts_for_verification(app(BrokerConfig::default()).await).await;
}

#[tokio::test]
async fn can_i_deploy_and_pacts_for_verification_on_postgres() {
    if let Some(app) = app_on_postgres(BrokerConfig::default()).await {
        can_i_deploy_and_pacts_for_verification(app).await;
    }
}

/// `pb:coupling` and `pb:deployment-plan`: linked from the index, errors name the field or the
/// unknown thing, and a publication shows up in the graph with its content's summary.
#[tokio::test]
async fn coupling_and_deployment_plan_resources() {
    let app = app(BrokerConfig::default()).await;
    let index = app.get("/").await;
    let coupling = path_of(
        index.body["_links"]["pb:coupling"]["href"]
            .as_str()
            .unwrap(),
    );
    let plan = path_of(
        index.body["_links"]["pb:deployment-plan"]["href"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(
        (coupling.as_str(), plan.as_str()),
        ("/coupling", "/deployment-plan")
    );

    let published = app
        .json(
            Method::POST,
            "/contracts/publish",
            publish_body("1", &pact("Web", "Orders", "one")),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);

    // Main-branch heads: Web 1 relies on Orders over HTTP (one interaction, no fields read).
    let report = app.get("/coupling").await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let edge = &report.body["graph"]["edges"][0];
    assert_eq!(
        (edge["consumer"].as_str(), edge["provider"].as_str()),
        (Some("Web"), Some("Orders"))
    );
    assert_eq!(
        (edge["kind"].as_str(), edge["httpInteractions"].as_u64()),
        (Some("http"), Some(1))
    );
    assert_eq!(report.body["scope"], "mainBranches");
    assert_eq!(report.body["findings"], json!([]));

    let answer = app.get("/coupling?environment=production&window=5").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    // Web 1 is a main-branch head not in production, and Orders has no version there.
    assert_eq!(answer.body["candidates"][0]["pacticipant"], "Web");
    for (uri, status, field) in [
        ("/coupling?environment=moon", 404, "resource"),
        ("/coupling?window=0", 400, "window"),
        ("/coupling?minRatio=2", 400, "minRatio"),
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status.as_u16(), status, "{uri}: {}", answer.body);
        assert!(
            answer.body["errors"][field].is_array(),
            "{uri}: {}",
            answer.body
        );
    }

    let plan_of = |body: Value| app.json(Method::POST, "/deployment-plan", body);
    let answer = plan_of(json!({"changes": [{"pacticipant": "Web", "version": "1"}]})).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body["errors"]["environment"].is_array(),
        "{}",
        answer.body
    );
    let answer =
        plan_of(json!({"environment": "production", "changes": [{"pacticipant": "Web"}]})).await;
    assert!(
        answer.body["errors"]["changes[0].version"].is_array(),
        "{}",
        answer.body
    );
    for body in [
        json!({"environment": "moon", "changes": [{"pacticipant": "Web", "version": "1"}]}),
        json!({"environment": "production", "changes": [{"pacticipant": "Nobody", "version": "1"}]}),
        json!({"environment": "production", "changes": [{"pacticipant": "Web", "version": "9"}]}),
    ] {
        let answer = plan_of(body.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{body}: {}",
            answer.body
        );
    }
    // Orders is not in production: Web 1 is blocked, until Orders is ignored.
    let answer = plan_of(
        json!({"environment": "production", "changes": [{"pacticipant": "Web", "version": "1"}]}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["outcome"], "blocked");
    assert_eq!(answer.body["blockingRows"][0]["provider"], "Orders");
    let answer = plan_of(json!({"environment": "production", "changes": [{"pacticipant": "Web", "version": "1"}], "ignore": ["Orders"]})).await;
    assert_eq!(answer.body["outcome"], "sequential", "{}", answer.body);
    assert_eq!(answer.body["steps"][0]["deploy"][0]["version"], "1");
}

/// A failed row names the interactions its own verification failed (from the posted
/// `testResults`) and links to that result, not to the latest one.
async fn failed_rows_name_their_failing_interactions<S: Store>(app: TestApp<S>) {
    let mut content = pact("Web", "Orders", "get an order");
    content["interactions"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "description": "list the orders", "request": { "method": "GET", "path": "/y" }, "response": { "status": 200 } }));
    let published = app
        .json(
            Method::POST,
            "/contracts/publish",
            publish_body("1", &content),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    let doc = app
        .get("/pacts/provider/Orders/consumer/Web/version/1")
        .await;
    let verify = path_of(
        doc.body["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .unwrap(),
    );
    let production = app
        .store
        .environments()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.name == "production")
        .unwrap();
    for (version, result) in [
        (
            "7",
            json!({
                "success": false,
                "providerApplicationVersion": "7",
                "testResults": [
                    { "interactionDescription": "get an order", "success": true },
                    {
                        "interactionDescription": "list the orders",
                        "success": false,
                        "mismatches": [{ "category": "body", "message": "$.orders: expected an array" }]
                    }
                ]
            }),
        ),
        (
            "8",
            json!({ "success": true, "providerApplicationVersion": "8" }),
        ),
    ] {
        app.json(
            Method::PUT,
            &format!("/pacticipants/Orders/versions/{version}"),
            json!({}),
        )
        .await;
        let posted = app.json(Method::POST, &verify, result).await;
        assert!(posted.status.is_success(), "{}", posted.body);
    }
    let deploy = format!(
        "/pacticipants/Orders/versions/7/deployed-versions/environment/{}",
        production.uuid
    );
    assert!(
        app.json(Method::POST, &deploy, json!({}))
            .await
            .status
            .is_success()
    );
    for uri in [
        "/can-i-deploy?pacticipant=Web&version=1&environment=production",
        "/matrix?q%5B%5D%5Bpacticipant%5D=Web&q%5B%5D%5Bversion%5D=1&latestby=cvpv&environment=production",
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        assert_eq!(
            answer.body["summary"]["deployable"], false,
            "{}",
            answer.body
        );
        let row = &answer.body["matrix"][0];
        assert_eq!(row["status"], "failed");
        let result = &row["verificationResult"];
        assert_eq!(
            result["failedInteractions"],
            json!([{ "description": "list the orders", "mismatches": ["$.orders: expected an array"] }]),
            "{}",
            answer.body
        );
        let href = result["_links"]["self"]["href"].as_str().unwrap();
        assert!(href.ends_with("/verification-results/1"), "{href}");
        assert_eq!(
            app.get(&path_of(href)).await.body["providerApplicationVersion"],
            "7"
        );
        for text in [
            answer.body["summary"]["reason"].as_str().unwrap(),
            row["reason"].as_str().unwrap(),
            row["fix"].as_str().unwrap(),
        ] {
            assert!(
                text.contains("(failing interaction: \"list the orders\")"),
                "{text}"
            );
            assert!(!text.contains("get an order"), "{text}");
        }
    }
}

#[tokio::test]
async fn failed_rows_name_their_failing_interactions_on_sqlite() {
    failed_rows_name_their_failing_interactions(app(BrokerConfig::default()).await).await;
}

#[tokio::test]
async fn failed_rows_name_their_failing_interactions_on_postgres() {
    if let Some(app) = app_on_postgres(BrokerConfig::default()).await {
        failed_rows_name_their_failing_interactions(app).await;
    }
}
