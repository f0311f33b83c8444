//! Message interactions: over HTTP the way Pact's verifier asks for them, and from callbacks.

use accord_contracts_format::{Body, Message, MismatchCategory};
use accord_verifier::report::Silent;
use accord_verifier::{BoxError, BoxFuture, MessageProvider, MessageRequest, Outcome, Verifier};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

fn order_created() -> Value {
    json!({
        "type": "Asynchronous/Messages",
        "description": "an order was created",
        "providerStates": [{"name": "an order exists", "params": {"id": 7}}],
        "contents": json_body(json!({"id": 7, "status": "new"})),
        "metadata": {"topic": "orders"},
        "matchingRules": {"content": {"$.id": {"matchers": [{"match": "integer"}]}}}
    })
}

async fn message_provider(body: Value, metadata: Value) -> MockServer {
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/messages"))
        .and(body_json(json!({
            "description": "an order was created",
            "providerStates": [{"name": "an order exists", "params": {"id": 7}}]
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .insert_header(
                    "Pact-Message-Metadata",
                    STANDARD.encode(metadata.to_string()),
                ),
        )
        .expect(1)
        .mount(&provider)
        .await;
    provider
}

#[tokio::test]
async fn async_messages_are_fetched_over_http_with_metadata() {
    let contracts = Contracts::new();
    let file = contracts.write(
        "m.json",
        &contract("billing", "orders", vec![order_created()]),
    );
    let provider = message_provider(
        json!({"id": 8, "status": "new"}),
        json!({"topic": "orders"}),
    )
    .await;
    let results = verify(options_for(file, &format!("{}/messages", provider.uri()))).await;
    assert!(
        matches!(outcomes(&results)[..], [Outcome::Passed]),
        "{:?}",
        outcomes(&results)
    );
}

#[tokio::test]
async fn message_metadata_and_contents_mismatches_fail() {
    let contracts = Contracts::new();
    let file = contracts.write(
        "m.json",
        &contract("billing", "orders", vec![order_created()]),
    );
    let provider = message_provider(
        json!({"id": 8, "status": "old"}),
        json!({"topic": "payments"}),
    )
    .await;
    let results = verify(options_for(file, &format!("{}/messages", provider.uri()))).await;
    let Outcome::Failed(mismatches) = outcomes(&results)[0] else {
        panic!("expected a failure: {:?}", outcomes(&results));
    };
    let categories: Vec<(MismatchCategory, &str)> = mismatches
        .iter()
        .map(|m| (m.category, m.path.as_str()))
        .collect();
    assert!(
        categories.contains(&(MismatchCategory::Body, "$.status")),
        "{categories:?}"
    );
    assert!(
        categories.contains(&(MismatchCategory::Metadata, "topic")),
        "{categories:?}"
    );
}

/// Produces messages from Rust: an order for async messages, an echo for sync ones.
struct Producer;

impl MessageProvider for Producer {
    fn produce<'a>(
        &'a self,
        request: MessageRequest<'a>,
    ) -> BoxFuture<'a, Result<Message, BoxError>> {
        Box::pin(async move {
            match request.request {
                None if request.description == "an order was created" => Ok(Message {
                    contents: Body::json(json!({"id": 1, "status": "new"})),
                    metadata: json!({"topic": "orders"})
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                    ..Message::default()
                }),
                Some(incoming) => {
                    let Some(Value::Object(fields)) =
                        incoming.contents.content().and_then(|c| match &c.value {
                            accord_contracts_format::BodyValue::Json(v) => Some(v.clone()),
                            _ => None,
                        })
                    else {
                        return Err("request is not a JSON object".into());
                    };
                    Ok(Message {
                        contents: Body::json(json!({"echo": fields.get("say")})),
                        ..Message::default()
                    })
                }
                None => Err(format!("no message called {:?}", request.description).into()),
            }
        })
    }
}

#[tokio::test]
async fn rust_callbacks_produce_async_and_sync_messages() {
    let contracts = Contracts::new();
    let sync = json!({
        "type": "Synchronous/Messages",
        "description": "echo",
        "request": {"contents": json_body(json!({"say": "hi"}))},
        "response": [{"contents": json_body(json!({"echo": "hi"}))}]
    });
    let unknown = json!({
        "type": "Asynchronous/Messages",
        "description": "an unknown message",
        "contents": json_body(json!({}))
    });
    let file = contracts.write(
        "m.json",
        &contract("billing", "orders", vec![order_created(), sync, unknown]),
    );
    let results = Verifier::new(options_for(file, "http://127.0.0.1:9"))
        .unwrap()
        .with_message_provider(Producer)
        .verify(&mut Silent)
        .await
        .unwrap();
    let outcomes = outcomes(&results);
    assert!(matches!(outcomes[0], Outcome::Passed), "{:?}", outcomes[0]);
    assert!(matches!(outcomes[1], Outcome::Passed), "{:?}", outcomes[1]);
    let Outcome::Error(error) = outcomes[2] else {
        panic!("expected an error: {:?}", outcomes[2]);
    };
    assert!(error.to_string().contains("no message called"), "{error}");
}

#[tokio::test]
async fn sync_messages_over_http_send_the_request_message() {
    let contracts = Contracts::new();
    let sync = json!({
        "type": "Synchronous/Messages",
        "description": "price request",
        "request": {
            "contents": json_body(json!({"item": "pencil"})),
            "metadata": {"queue": "prices"}
        },
        "response": [{"contents": json_body(json!({"item": "pencil", "price": 1.5}))}],
        "matchingRules": {}
    });
    let file = contracts.write("m.json", &contract("shop", "prices", vec![sync]));
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_json(json!({
            "description": "price request",
            "providerStates": [],
            "request": {
                "contents": {"item": "pencil"},
                "contentType": "application/json",
                "metadata": {"queue": "prices"}
            }
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"item": "pencil", "price": 2.5})),
        )
        .expect(1)
        .mount(&provider)
        .await;
    let results = verify(options_for(file, &provider.uri())).await;
    let lines = mismatch_lines(outcomes(&results)[0]);
    assert_eq!(
        lines,
        [r#"body $.price: expected 1.5 but got 2.5"#],
        "{lines:?}"
    );
}
