//! HTTP interactions: passing, each kind of mismatch, what is sent, reports.

use accord_contracts_format::{HttpRequest, MismatchCategory};
use accord_verifier::report::human::HumanReporter;
use accord_verifier::report::json::JsonReporter;
use accord_verifier::report::junit::JunitReporter;
use accord_verifier::report::{Reporter, Reporters};
use accord_verifier::{Outcome, RequestFilter, Verdict, Verifier};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

fn order_contract() -> serde_json::Value {
    contract(
        "web",
        "orders",
        vec![http(
            "get order 1",
            json!({"method": "GET", "path": "/orders/1"}),
            json!({
                "status": 200,
                "headers": {"Content-Type": ["application/json"], "X-Version": ["2"]},
                "body": json_body(json!({"id": 1, "name": "pencils"})),
                "matchingRules": {"body": {"$.name": {"matchers": [{"match": "type"}]}}}
            }),
        )],
    )
}

async fn provider_answering(template: ResponseTemplate) -> MockServer {
    let provider = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders/1"))
        .respond_with(template)
        .mount(&provider)
        .await;
    provider
}

fn order_response(status: u16, version: &str, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("X-Version", version)
        .set_body_json(body)
}

#[tokio::test]
async fn a_provider_that_honours_the_contract_passes() {
    let contracts = Contracts::new();
    let file = contracts.write("web-orders.json", &order_contract());
    // Another name (the rule asks for a string) and an extra key are fine in a response.
    let provider = provider_answering(order_response(
        200,
        "2",
        json!({"id": 1, "name": "rulers", "stock": 4}),
    ))
    .await;
    let results = verify(options_for(file, &provider.uri())).await;
    assert!(matches!(outcomes(&results)[..], [Outcome::Passed]));
    assert_eq!(results.verdict(), Verdict::Passed);
    assert_eq!(results.contracts[0].info.consumer, "web");
}

#[tokio::test]
async fn a_wrong_status_fails() {
    let contracts = Contracts::new();
    let file = contracts.write("c.json", &order_contract());
    let provider =
        provider_answering(order_response(404, "2", json!({"id": 1, "name": "x"}))).await;
    let results = verify(options_for(file, &provider.uri())).await;
    let Outcome::Failed(mismatches) = outcomes(&results)[0] else {
        panic!("expected a failure");
    };
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert_eq!(mismatches[0].category, MismatchCategory::Status);
    assert_eq!(results.verdict(), Verdict::Failed);
    let result = &results.contracts[0].interactions[0];
    assert!(result.body_diff.is_none());
    assert_eq!(
        result.sent.as_deref(),
        Some(format!("GET {}/orders/1", provider.uri()).as_str())
    );
}

#[tokio::test]
async fn a_wrong_header_fails() {
    let contracts = Contracts::new();
    let file = contracts.write("c.json", &order_contract());
    let provider =
        provider_answering(order_response(200, "1", json!({"id": 1, "name": "x"}))).await;
    let results = verify(options_for(file, &provider.uri())).await;
    let Outcome::Failed(mismatches) = outcomes(&results)[0] else {
        panic!("expected a failure");
    };
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert_eq!(mismatches[0].category, MismatchCategory::Header);
    assert!(mismatches[0].path.eq_ignore_ascii_case("x-version"));
}

#[tokio::test]
async fn a_wrong_body_fails_with_the_path_of_each_difference() {
    let contracts = Contracts::new();
    let file = contracts.write("c.json", &order_contract());
    let provider = provider_answering(order_response(200, "2", json!({"id": 2, "name": 7}))).await;
    let results = verify(options_for(file, &provider.uri())).await;
    let lines = mismatch_lines(outcomes(&results)[0]);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("$.id")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("$.name")), "{lines:?}");
    let diff = results.contracts[0].interactions[0]
        .body_diff
        .as_deref()
        .unwrap();
    assert!(
        diff.contains("-   \"id\": 1,") && diff.contains("+   \"id\": 2,"),
        "{diff}"
    );
}

struct AddAuth;

impl RequestFilter for AddAuth {
    fn filter(&self, request: &mut HttpRequest) {
        request
            .headers
            .get_or_insert_with(Default::default)
            .insert("Authorization".into(), vec!["Bearer from-filter".into()]);
    }
}

#[tokio::test]
async fn requests_are_sent_as_the_contract_says_with_custom_headers_and_filters() {
    let contracts = Contracts::new();
    let file = contracts.write(
        "c.json",
        &contract(
            "web",
            "orders",
            vec![http(
                "create an order",
                json!({
                    "method": "POST",
                    "path": "/orders",
                    "query": {"dry": ["true"]},
                    // Recorded from real traffic: the client must not send this length.
                    "headers": {"X-Trace": ["from-contract"], "X-Tenant": ["a"], "Content-Length": ["999"]},
                    "body": json_body(json!({"item": "pencil", "count": 3}))
                }),
                json!({"status": 201}),
            )],
        ),
    );
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/orders"))
        .and(query_param("dry", "true"))
        .and(header("x-trace", "from-contract"))
        .and(header("x-tenant", "b"))
        .and(header("authorization", "Bearer from-filter"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"item": "pencil", "count": 3})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&provider)
        .await;
    let mut options = options_for(file, &format!("{}/api", provider.uri()));
    options.custom_headers = vec![("x-tenant".into(), "b".into())];
    let results = Verifier::new(options)
        .unwrap()
        .with_request_filter(AddAuth)
        .verify(&mut accord_verifier::report::Silent)
        .await
        .unwrap();
    assert!(
        matches!(outcomes(&results)[..], [Outcome::Passed]),
        "{:?}",
        outcomes(&results)
    );
}

#[tokio::test]
async fn reports_keep_contract_order_with_concurrency_and_show_the_mismatches() {
    let contracts = Contracts::new();
    let interactions = (0..8)
        .map(|i| {
            http(
                &format!("item {i}"),
                json!({"method": "GET", "path": format!("/items/{i}")}),
                json!({"status": 200, "body": json_body(json!({"n": i}))}),
            )
        })
        .collect();
    let file = contracts.write("c.json", &contract("web", "items", interactions));
    let provider = MockServer::start().await;
    for i in 0..8 {
        // Item 5 answers with the wrong number.
        let n = if i == 5 { 50 } else { i };
        Mock::given(path(format!("/items/{i}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"n": n})))
            .mount(&provider)
            .await;
    }
    let mut options = options_for(file, &provider.uri());
    options.jobs = 4;
    let json_path = contracts.dir.path().join("report.json");
    let junit_path = contracts.dir.path().join("report.xml");
    let human_out = Log::default();
    let mut reporter = Reporters(vec![
        Box::new(HumanReporter::new(
            Box::new(LogWriter(human_out.clone())),
            false,
        )) as Box<dyn Reporter + Send>,
        Box::new(JsonReporter::new(&json_path)),
        Box::new(JunitReporter::new(&junit_path)),
    ]);
    let results = Verifier::new(options)
        .unwrap()
        .verify(&mut reporter)
        .await
        .unwrap();
    let descriptions: Vec<&str> = results.contracts[0]
        .interactions
        .iter()
        .map(|r| r.description.as_str())
        .collect();
    assert_eq!(
        descriptions,
        (0..8).map(|i| format!("item {i}")).collect::<Vec<_>>()
    );
    assert_eq!(results.verdict(), Verdict::Failed);

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(report["result"], "failed");
    assert_eq!(report["summary"]["failed"], 1);
    let failed = &report["contracts"][0]["interactions"][5];
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["mismatches"][0]["path"], "$.n");

    let junit = std::fs::read_to_string(&junit_path).unwrap();
    assert!(
        junit.contains(r#"tests="8" failures="1" errors="0""#),
        "{junit}"
    );
    assert!(
        junit.contains(r#"<failure message="1 mismatch(es)">body $.n"#),
        "{junit}"
    );

    let human = human_out.lines().concat();
    assert!(human.contains("item 5 ... FAILED"), "{human}");
    assert!(human.contains("body $.n: expected 5 but got 50"), "{human}");
    assert!(
        human.contains("8 interactions: 7 passed, 1 failed"),
        "{human}"
    );
}

#[tokio::test]
async fn only_the_contracts_of_the_chosen_consumers_are_verified() {
    let contracts = Contracts::new();
    contracts.write("web.json", &order_contract());
    let mut other = order_contract();
    other["consumer"]["name"] = json!("mobile");
    contracts.write("mobile.json", &other);
    let provider =
        provider_answering(order_response(200, "2", json!({"id": 1, "name": "x"}))).await;
    let mut options = accord_verifier::VerifyOptions::new(
        vec![accord_verifier::ContractSource::Dir(
            contracts.dir.path().to_owned(),
        )],
        provider.uri().parse().unwrap(),
    );
    let both = verify(options.clone()).await;
    assert_eq!(both.contracts.len(), 2);
    options.filter.consumers = vec!["mobile".into()];
    let results = verify(options).await;
    let consumers: Vec<&str> = results
        .contracts
        .iter()
        .map(|c| c.info.consumer.as_str())
        .collect();
    assert_eq!(consumers, ["mobile"]);
}
