//! Content summaries: what one contract holds, for the service graph. The store calls
//! [`summarise_contract`] once per new content at publish time (contents are immutable, keyed
//! by their hash) and keeps the result next to the content.
//!
//! A field is one thing the consumer reads or sends, named so that the same thing in two
//! interactions of one endpoint counts once:
//!
//! - HTTP: `"<METHOD> <path> <part>"`, where `<path>` has numeric, UUID-like and long
//!   hexadecimal segments replaced by `{id}` (`/orders/42` and `/orders/43` are one endpoint),
//!   and `<part>` is `response.body<json path>` per leaf of a JSON response body (array items
//!   as `[*]`), `request.body<json path>` per leaf of a JSON request body, `response.body` or
//!   `request.body` for any other present body, `request.query.<name>`,
//!   `request.header.<name>` and `response.header.<name>` (header names lower-cased);
//! - messages: `"message <description> <part>"` with `body<json path>` per leaf of the
//!   contents (`request.body…` and `response.body…` for synchronous messages) and
//!   `metadata.<key>`.

use std::collections::BTreeSet;

use accord_contracts_format::{Body, BodyValue, Contract, InteractionKind, Message};
use serde_json::Value;

use super::model::ContentSummary;

/// Summarises a parsed contract whose normalised content hashes to `sha`.
pub(crate) fn summarise_contract(sha: &str, contract: &Contract) -> ContentSummary {
    let mut summary = ContentSummary {
        content_sha: sha.to_owned(),
        ..ContentSummary::default()
    };
    let fields = &mut summary.fields;
    for interaction in &contract.interactions {
        match &interaction.kind {
            InteractionKind::Http { request, response } => {
                summary.http_interactions += 1;
                let endpoint = format!(
                    "{} {}",
                    request.method.to_uppercase(),
                    endpoint_path(&request.path)
                );
                body_fields(fields, &format!("{endpoint} request.body"), &request.body);
                body_fields(fields, &format!("{endpoint} response.body"), &response.body);
                for name in request.query.iter().flat_map(|q| q.keys()) {
                    fields.insert(format!("{endpoint} request.query.{name}"));
                }
                for (side, headers) in [
                    ("request", &request.headers),
                    ("response", &response.headers),
                ] {
                    for name in headers.iter().flat_map(|h| h.keys()) {
                        fields.insert(format!("{endpoint} {side}.header.{}", name.to_lowercase()));
                    }
                }
            }
            InteractionKind::AsyncMessage(message) => {
                summary.message_interactions += 1;
                let prefix = format!("message {}", interaction.description);
                message_fields(fields, &prefix, "", message);
            }
            InteractionKind::SyncMessage(exchange) => {
                summary.message_interactions += 1;
                let prefix = format!("message {}", interaction.description);
                message_fields(fields, &prefix, "request.", &exchange.request);
                for response in &exchange.responses {
                    message_fields(fields, &prefix, "response.", response);
                }
            }
        }
    }
    summary
}

fn message_fields(fields: &mut BTreeSet<String>, prefix: &str, side: &str, message: &Message) {
    body_fields(fields, &format!("{prefix} {side}body"), &message.contents);
    for key in message.metadata.keys() {
        fields.insert(format!("{prefix} {side}metadata.{key}"));
    }
}

/// One field per leaf of a JSON body; one for any other present body; none when absent.
fn body_fields(fields: &mut BTreeSet<String>, prefix: &str, body: &Body) {
    let Some(content) = body.content() else {
        return;
    };
    match &content.value {
        BodyValue::Json(value) => json_leaves(fields, prefix, "$", value),
        BodyValue::Text(_) | BodyValue::Bytes(_) => {
            fields.insert(prefix.to_owned());
        }
    }
}

fn json_leaves(fields: &mut BTreeSet<String>, prefix: &str, path: &str, value: &Value) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, v) in map {
                let simple = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                let child = if simple {
                    format!("{path}.{key}")
                } else {
                    format!("{path}['{}']", key.replace('\'', "\\'"))
                };
                json_leaves(fields, prefix, &child, v);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let child = format!("{path}[*]");
            for item in items {
                json_leaves(fields, prefix, &child, item);
            }
        }
        _ => {
            fields.insert(format!("{prefix}{path}"));
        }
    }
}

/// The path with identifier-like segments replaced by `{id}`.
fn endpoint_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/')
        .map(|segment| {
            if is_identifier(segment) {
                "{id}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_identifier(segment: &str) -> bool {
    let hex_or_dash = |c: char| c.is_ascii_hexdigit() || c == '-';
    let numeric = !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit());
    let uuid = segment.len() == 36 && segment.chars().all(hex_or_dash);
    let long_hex = segment.len() >= 16 && segment.chars().all(|c| c.is_ascii_hexdigit());
    numeric || uuid || long_hex
}

#[cfg(test)]
mod tests {
    use accord_contracts_format::{HttpRequest, HttpResponse, Interaction, SyncMessage};
    use serde_json::json;

    use super::*;

    fn get_order(id: &str, response: Value) -> Interaction {
        let request = HttpRequest {
            method: "get".into(),
            path: format!("/orders/{id}"),
            query: Some(
                [("expand".to_owned(), vec!["lines".to_owned()])]
                    .into_iter()
                    .collect(),
            ),
            headers: Some(
                [("Accept".to_owned(), vec!["application/json".to_owned()])]
                    .into_iter()
                    .collect(),
            ),
            ..HttpRequest::default()
        };
        let response = HttpResponse {
            body: Body::json(response),
            ..HttpResponse::default()
        };
        Interaction::http(format!("order {id}"), request, response)
    }

    #[test]
    fn http_fields_are_body_leaves_query_and_headers_per_endpoint() {
        let mut contract = Contract::new("web", "orders");
        contract.interactions.push(get_order(
            "42",
            json!({"id": 42, "lines": [{"sku": "a", "qty": 1}, {"sku": "b", "price": 3}], "note": {}}),
        ));
        // Same endpoint, another id: its fields merge with the first interaction's.
        contract.interactions.push(get_order(
            "7d1c2b3a-0000-4000-8000-00000000abcd",
            json!({"id": 7, "total": 10}),
        ));
        let summary = summarise_contract("sha-1", &contract);
        assert_eq!(
            (summary.http_interactions, summary.message_interactions),
            (2, 0)
        );
        let fields: Vec<&str> = summary.fields.iter().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "GET /orders/{id} request.header.accept",
                "GET /orders/{id} request.query.expand",
                "GET /orders/{id} response.body$.id",
                "GET /orders/{id} response.body$.lines[*].price",
                "GET /orders/{id} response.body$.lines[*].qty",
                "GET /orders/{id} response.body$.lines[*].sku",
                "GET /orders/{id} response.body$.note",
                "GET /orders/{id} response.body$.total",
            ]
        );
    }

    #[test]
    fn message_fields_are_content_leaves_and_metadata_keys() {
        let mut contract = Contract::new("mail", "orders");
        let placed = Message {
            contents: Body::json(json!({"orderId": 1, "customer": {"e mail": "x"}})),
            metadata: serde_json::Map::from_iter([("topic".to_owned(), json!("orders"))]),
            ..Message::default()
        };
        contract
            .interactions
            .push(Interaction::async_message("order placed", placed));
        let mut exchange = Interaction::async_message("quote", Message::default());
        exchange.kind = InteractionKind::SyncMessage(SyncMessage {
            request: Message {
                contents: Body::text("quote 3", Some("text/plain")),
                ..Message::default()
            },
            responses: vec![Message {
                contents: Body::json(json!([1, 2])),
                ..Message::default()
            }],
        });
        contract.interactions.push(exchange);
        let summary = summarise_contract("sha-2", &contract);
        assert_eq!(
            (summary.http_interactions, summary.message_interactions),
            (0, 2)
        );
        let fields: Vec<&str> = summary.fields.iter().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "message order placed body$.customer['e mail']",
                "message order placed body$.orderId",
                "message order placed metadata.topic",
                "message quote request.body",
                "message quote response.body$[*]",
            ]
        );
    }

    #[test]
    fn identifier_segments_become_placeholders() {
        assert_eq!(
            endpoint_path("/orders/42/lines/3?x=1"),
            "/orders/{id}/lines/{id}"
        );
        assert_eq!(endpoint_path("/users/0123456789abcdef0123"), "/users/{id}");
        assert_eq!(endpoint_path("/v2/orders"), "/v2/orders");
        assert_eq!(endpoint_path("/"), "/");
    }
}
