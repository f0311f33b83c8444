//! Provider states: the state-change URL, values for generators, callbacks, serialisation.

use accord_contracts_format::ProviderState;
use accord_verifier::report::Silent;
use accord_verifier::{
    BoxFuture, InteractionError, Outcome, ProviderStateExecutor, StateAction, StateChangeError,
    Verdict, Verifier,
};
use serde_json::{Map, Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::*;

fn order_by_id_interaction() -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": "get the order the state created",
        "providerStates": [{"name": "an order exists", "params": {"item": "pencil"}}],
        "request": {
            "method": "GET",
            "path": "/orders/1",
            "generators": {"path": {"type": "ProviderState", "expression": "/orders/${id}"}}
        },
        "response": {"status": 200}
    })
}

#[tokio::test]
async fn states_are_set_up_with_params_and_feed_provider_state_generators() {
    let contracts = Contracts::new();
    let file = contracts.write(
        "c.json",
        &contract("web", "orders", vec![order_by_id_interaction()]),
    );
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/_states"))
        .and(body_json(json!({
            "state": "an order exists",
            "params": {"item": "pencil"},
            "action": "setup"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 42})))
        .expect(1)
        .mount(&provider)
        .await;
    Mock::given(method("POST"))
        .and(path("/_states"))
        .and(body_json(json!({
            "state": "an order exists",
            "params": {"item": "pencil"},
            "action": "teardown"
        })))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&provider)
        .await;
    Mock::given(method("GET"))
        .and(path("/orders/42"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&provider)
        .await;
    let mut options = options_for(file, &provider.uri());
    options.state_change_url = Some(format!("{}/_states", provider.uri()).parse().unwrap());
    options.state_change_teardown = true;
    let results = verify(options).await;
    assert!(
        matches!(outcomes(&results)[..], [Outcome::Passed]),
        "{:?}",
        outcomes(&results)
    );
    assert_eq!(
        results.contracts[0].interactions[0].provider_states,
        ["an order exists"]
    );
}

#[tokio::test]
async fn a_missing_state_change_endpoint_is_an_error_naming_the_flag_and_others_go_on() {
    let contracts = Contracts::new();
    let stateless = http(
        "list orders",
        json!({"method": "GET", "path": "/orders"}),
        json!({"status": 200}),
    );
    let file = contracts.write(
        "c.json",
        &contract("web", "orders", vec![order_by_id_interaction(), stateless]),
    );
    let provider = MockServer::start().await;
    Mock::given(path("/orders"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&provider)
        .await;
    let mut options = options_for(file, &provider.uri());
    options.state_change_url = Some(format!("{}/nowhere", provider.uri()).parse().unwrap());
    let results = verify(options).await;
    let outcomes = outcomes(&results);
    let Outcome::Error(error) = outcomes[0] else {
        panic!("expected an error, got {:?}", outcomes[0]);
    };
    assert!(matches!(
        error,
        InteractionError::StateChange {
            source: StateChangeError::MissingEndpoint { status: 404, .. },
            ..
        }
    ));
    let message = error.to_string();
    assert!(message.contains("an order exists"), "{message}");
    assert!(message.contains("--state-change-url"), "{message}");
    assert!(matches!(outcomes[1], Outcome::Passed));
    assert_eq!(results.verdict(), Verdict::Errored);
}

/// Logs setups and teardowns, and returns an id from setup.
struct LoggingStates(Log);

impl ProviderStateExecutor for LoggingStates {
    fn change_state<'a>(
        &'a self,
        state: &'a ProviderState,
        action: StateAction,
    ) -> BoxFuture<'a, Result<Map<String, Value>, StateChangeError>> {
        Box::pin(async move {
            self.0.push(format!("{} {}", action.as_str(), state.name));
            let mut values = Map::new();
            values.insert("id".into(), json!(state.name.len()));
            Ok(values)
        })
    }
}

/// A provider that logs each request's path before answering.
struct LoggingProvider(Log);

impl Respond for LoggingProvider {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.push(format!("request {}", request.url.path()));
        ResponseTemplate::new(200)
    }
}

#[tokio::test]
async fn stateful_interactions_never_interleave_even_with_many_jobs() {
    let contracts = Contracts::new();
    let mut interactions = Vec::new();
    for i in 0..6 {
        interactions.push(json!({
            "type": "Synchronous/HTTP",
            "description": format!("stateful {i}"),
            "providerStates": [{"name": format!("state {i}")}],
            "request": {"method": "GET", "path": format!("/s/{i}")},
            "response": {"status": 200}
        }));
        interactions.push(http(
            &format!("stateless {i}"),
            json!({"method": "GET", "path": format!("/free/{i}")}),
            json!({"status": 200}),
        ));
    }
    let file = contracts.write("c.json", &contract("web", "orders", interactions));
    let log = Log::default();
    let provider = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(LoggingProvider(log.clone()))
        .mount(&provider)
        .await;
    let mut options = options_for(file, &provider.uri());
    options.jobs = 4;
    options.state_change_teardown = true;
    let results = Verifier::new(options)
        .unwrap()
        .with_state_executor(LoggingStates(log.clone()))
        .verify(&mut Silent)
        .await
        .unwrap();
    assert_eq!(results.verdict(), Verdict::Passed);
    // Without the stateless requests, the log is setup, request, teardown per interaction,
    // with nothing of another stateful interaction in between.
    let stateful: Vec<String> = log
        .lines()
        .into_iter()
        .filter(|line| !line.starts_with("request /free"))
        .collect();
    assert_eq!(stateful.len(), 18, "{stateful:?}");
    for chunk in stateful.chunks(3) {
        let i = chunk[0].trim_start_matches("setup state ");
        assert_eq!(
            chunk,
            [
                format!("setup state {i}"),
                format!("request /s/{i}"),
                format!("teardown state {i}")
            ],
            "{stateful:?}"
        );
    }
    let free = log
        .lines()
        .iter()
        .filter(|l| l.starts_with("request /free"))
        .count();
    assert_eq!(free, 6);
}

#[tokio::test]
async fn callback_state_values_feed_body_generators() {
    let contracts = Contracts::new();
    let file = contracts.write(
        "c.json",
        &contract(
            "web",
            "orders",
            vec![json!({
                "type": "Synchronous/HTTP",
                "description": "rename the order",
                "providerStates": [{"name": "abc"}],
                "request": {
                    "method": "PUT",
                    "path": "/orders",
                    "body": json_body(json!({"id": 0})),
                    "generators": {"body": {"$.id": {
                        "type": "ProviderState", "expression": "${id}", "dataType": "INTEGER"
                    }}}
                },
                "response": {"status": 204}
            })],
        ),
    );
    let provider = MockServer::start().await;
    // The executor returns the state name's length: 3.
    Mock::given(method("PUT"))
        .and(body_json(json!({"id": 3})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&provider)
        .await;
    let log = Log::default();
    let results = Verifier::new(options_for(file, &provider.uri()))
        .unwrap()
        .with_state_executor(LoggingStates(log.clone()))
        .verify(&mut Recorder(log.clone()))
        .await
        .unwrap();
    assert!(
        matches!(outcomes(&results)[..], [Outcome::Passed]),
        "{:?}",
        outcomes(&results)
    );
    let lines = log.lines();
    let setup = lines.iter().position(|l| l == "state setup abc").unwrap();
    let start = lines
        .iter()
        .position(|l| l == "start rename the order")
        .unwrap();
    let finish = lines
        .iter()
        .position(|l| l == "finish rename the order")
        .unwrap();
    assert!(start < setup && setup < finish, "{lines:?}");
    // Teardown is off by default.
    assert!(!lines.iter().any(|l| l.contains("teardown")), "{lines:?}");
}

#[tokio::test]
async fn state_changes_can_travel_as_query_parameters() {
    let contracts = Contracts::new();
    let file = contracts.write(
        "c.json",
        &contract("web", "orders", vec![order_by_id_interaction()]),
    );
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/_states"))
        .and(wiremock::matchers::query_param("state", "an order exists"))
        .and(wiremock::matchers::query_param("action", "setup"))
        .and(wiremock::matchers::query_param("item", "pencil"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 5})))
        .expect(1)
        .mount(&provider)
        .await;
    Mock::given(method("GET"))
        .and(path("/orders/5"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&provider)
        .await;
    let mut options = options_for(file, &provider.uri());
    options.state_change_url = Some(format!("{}/_states", provider.uri()).parse().unwrap());
    options.state_change_as_query = true;
    let results = verify(options).await;
    assert!(
        matches!(outcomes(&results)[..], [Outcome::Passed]),
        "{:?}",
        outcomes(&results)
    );
}
