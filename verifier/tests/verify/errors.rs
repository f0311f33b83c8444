//! Things that go wrong: unreachable provider or broker, timeouts, malformed contracts.

use std::time::Duration;

use accord_verifier::report::Silent;
use accord_verifier::{
    BrokerError, BrokerSource, ContractSource, InteractionError, Outcome, SourceError, Verdict,
    Verifier, VerifyError, VerifyOptions,
};
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

/// An address where nothing listens: a port bound and released.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn simple_contract() -> serde_json::Value {
    contract(
        "web",
        "orders",
        vec![
            http(
                "get order 1",
                json!({"method": "GET", "path": "/orders/1"}),
                json!({"status": 200}),
            ),
            http(
                "get order 2",
                json!({"method": "GET", "path": "/orders/2"}),
                json!({"status": 200}),
            ),
        ],
    )
}

#[tokio::test]
async fn an_unreachable_provider_is_an_error_for_each_interaction_naming_the_url() {
    let contracts = Contracts::new();
    let file = contracts.write("c.json", &simple_contract());
    let url = closed_port_url();
    let results = verify(options_for(file, &url)).await;
    let outcomes = outcomes(&results);
    assert_eq!(outcomes.len(), 2);
    for outcome in outcomes {
        let Outcome::Error(error @ InteractionError::ProviderUnreachable { .. }) = outcome else {
            panic!("expected unreachable, got {outcome:?}");
        };
        assert!(error.to_string().contains(&url), "{error}");
    }
    assert_eq!(results.verdict(), Verdict::Errored);
}

#[tokio::test]
async fn an_unreachable_broker_stops_the_run() {
    let url = closed_port_url();
    let options = VerifyOptions::new(
        vec![ContractSource::Broker(BrokerSource {
            url: url.parse().unwrap(),
            auth: None,
            provider: "orders".into(),
            selectors: Vec::new(),
            enable_pending: false,
            include_wip_since: None,
            provider_branch: None,
            provider_tags: Vec::new(),
        })],
        "http://127.0.0.1:9".parse().unwrap(),
    );
    let error = Verifier::new(options)
        .unwrap()
        .verify(&mut Silent)
        .await
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::Broker(BrokerError::Unreachable { .. })),
        "{error:?}"
    );
    assert!(error.to_string().contains(&url), "{error}");
}

#[tokio::test]
async fn a_broker_refusing_the_credentials_says_so() {
    let broker = MockServer::start().await;
    Mock::given(path("/"))
        .respond_with(ResponseTemplate::new(401).set_body_string("bad token"))
        .mount(&broker)
        .await;
    let options = VerifyOptions::new(
        vec![ContractSource::Broker(BrokerSource {
            url: broker.uri().parse().unwrap(),
            auth: None,
            provider: "orders".into(),
            selectors: Vec::new(),
            enable_pending: false,
            include_wip_since: None,
            provider_branch: None,
            provider_tags: Vec::new(),
        })],
        "http://127.0.0.1:9".parse().unwrap(),
    );
    let error = Verifier::new(options)
        .unwrap()
        .verify(&mut Silent)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("HTTP 401: bad token"), "{error}");
}

#[tokio::test]
async fn a_slow_provider_times_out_and_the_next_interaction_still_runs() {
    let contracts = Contracts::new();
    let file = contracts.write("c.json", &simple_contract());
    let provider = MockServer::start().await;
    Mock::given(path("/orders/1"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&provider)
        .await;
    Mock::given(path("/orders/2"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&provider)
        .await;
    let mut options = options_for(file, &provider.uri());
    options.request_timeout = Duration::from_millis(200);
    let results = verify(options).await;
    let outcomes = outcomes(&results);
    let Outcome::Error(error @ InteractionError::Timeout { .. }) = outcomes[0] else {
        panic!("expected a timeout, got {:?}", outcomes[0]);
    };
    assert!(error.to_string().contains("200 ms"), "{error}");
    assert!(matches!(outcomes[1], Outcome::Passed));
}

#[tokio::test]
async fn malformed_contracts_are_named_and_the_others_are_verified() {
    let contracts = Contracts::new();
    contracts.write("a-good.json", &simple_contract());
    contracts.write_text("b-broken.json", "{\"consumer\": ");
    let mut bad_method = simple_contract();
    bad_method["interactions"][1]["request"]["method"] = json!(7);
    contracts.write("c-invalid.json", &bad_method);
    let provider = MockServer::start().await;
    Mock::given(path("/orders/1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&provider)
        .await;
    Mock::given(path("/orders/2"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&provider)
        .await;
    let options = VerifyOptions::new(
        vec![ContractSource::Dir(contracts.dir.path().to_owned())],
        provider.uri().parse().unwrap(),
    );
    let results = verify(options).await;
    assert_eq!(results.contracts.len(), 1);
    assert!(results.contracts[0].info.name.ends_with("a-good.json"));
    assert!(results.contracts[0].success());
    let failures: Vec<String> = results
        .load_failures
        .iter()
        .map(|(_, error)| {
            assert!(matches!(error, SourceError::Parse { .. }));
            error.to_string()
        })
        .collect();
    assert_eq!(failures.len(), 2);
    assert!(failures[0].contains("b-broken.json"), "{failures:?}");
    assert!(failures[1].contains("c-invalid.json"), "{failures:?}");
    assert!(
        failures[1].contains("$.interactions[1].request.method"),
        "{failures:?}"
    );
    assert!(
        failures[1].ends_with("(interaction \"get order 2\")"),
        "{failures:?}"
    );
    assert_eq!(results.verdict(), Verdict::Errored);
}

#[tokio::test]
async fn no_contracts_at_all_is_an_error_unless_ignored() {
    let contracts = Contracts::new();
    let mut options = VerifyOptions::new(
        vec![ContractSource::Dir(contracts.dir.path().to_owned())],
        "http://127.0.0.1:9".parse().unwrap(),
    );
    let error = Verifier::new(options.clone())
        .unwrap()
        .verify(&mut Silent)
        .await
        .unwrap_err();
    assert!(matches!(error, VerifyError::NoContracts));
    options.ignore_no_contracts = true;
    let results = verify(options).await;
    assert_eq!(results.verdict(), Verdict::Passed);
}

#[tokio::test]
async fn brokers_asking_to_try_again_are_retried_a_bounded_number_of_times() {
    let broker = MockServer::start().await;
    Mock::given(path("/"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&broker)
        .await;
    Mock::given(path("/"))
        .respond_with(ResponseTemplate::new(500).set_body_string("database down"))
        .mount(&broker)
        .await;
    let mut options = VerifyOptions::new(
        vec![ContractSource::Broker(BrokerSource {
            url: broker.uri().parse().unwrap(),
            auth: None,
            provider: "orders".into(),
            selectors: Vec::new(),
            enable_pending: false,
            include_wip_since: None,
            provider_branch: None,
            provider_tags: Vec::new(),
        })],
        "http://127.0.0.1:9".parse().unwrap(),
    );
    options.broker_retries = 1;
    let error = Verifier::new(options)
        .unwrap()
        .verify(&mut Silent)
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("HTTP 500: database down"),
        "{error}"
    );
    assert_eq!(broker.received_requests().await.unwrap().len(), 2);
}
