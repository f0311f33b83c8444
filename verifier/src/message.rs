//! Getting the provider to produce a message: over HTTP the way Pact's verifier does it, or
//! from a Rust callback.

use std::time::Duration;

use accord_contracts_format::{Body, BodyValue, HttpRequest, Message, ProviderState};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::broker_client::excerpt;
use crate::error::{BoxError, InteractionError};
use crate::states::BoxFuture;

/// The header carrying a message's metadata: base64 of a JSON object.
pub const MESSAGE_METADATA_HEADER: &str = "Pact-Message-Metadata";

/// What the verifier asks a provider for when it verifies a message interaction.
#[derive(Debug, Clone, Copy)]
pub struct MessageRequest<'a> {
    /// The interaction's description: which message to produce.
    pub description: &'a str,
    /// The interaction's provider states (already set up).
    pub provider_states: &'a [ProviderState],
    /// Values returned by the state setup.
    pub state_values: &'a Map<String, Value>,
    /// For synchronous messages, the request message the provider answers.
    pub request: Option<&'a Message>,
}

/// Produces messages in-process, for Rust providers that verify their messages in a test.
pub trait MessageProvider: Send + Sync {
    /// Produces the message described by `request` (for a synchronous message: the response
    /// to `request.request`).
    fn produce<'a>(
        &'a self,
        request: MessageRequest<'a>,
    ) -> BoxFuture<'a, Result<Message, BoxError>>;
}

/// The JSON representation of a body inside the message request.
fn body_as_json(body: &Body) -> Value {
    match body {
        Body::Missing | Body::Null => Value::Null,
        Body::Present(content) => match &content.value {
            BodyValue::Json(value) => value.clone(),
            BodyValue::Text(text) => Value::String(text.clone()),
            BodyValue::Bytes(bytes) => Value::String(STANDARD.encode(bytes)),
        },
    }
}

/// The request Pact's verifier sends for a message: `POST {"description": ...,
/// "providerStates": [...]}` (plus `"request"` for synchronous messages).
pub(crate) fn http_message_request(request: &MessageRequest<'_>) -> HttpRequest {
    let states: Vec<Value> = request
        .provider_states
        .iter()
        .map(|state| json!({"name": state.name, "params": state.params}))
        .collect();
    let mut body = json!({
        "description": request.description,
        "providerStates": states,
    });
    if let Some(message) = request.request {
        body["request"] = json!({
            "contents": body_as_json(&message.contents),
            "contentType": message.contents.content_type(),
            "metadata": message.metadata,
        });
    }
    HttpRequest {
        method: "POST".to_owned(),
        path: "/".to_owned(),
        body: Body::json(body),
        ..HttpRequest::default()
    }
}

/// Posts the message request to the provider and reads the message from the answer: the
/// body is the contents, the `Pact-Message-Metadata` header the metadata.
pub(crate) async fn fetch_over_http(
    client: &reqwest::Client,
    url: url::Url,
    request: &HttpRequest,
    timeout: Duration,
) -> Result<Message, InteractionError> {
    let response = crate::replay::send(client, url.clone(), request, timeout).await?;
    if !(200..300).contains(&response.status) {
        return Err(InteractionError::MessageStatus {
            url: url.to_string(),
            status: response.status,
            body: excerpt(&response.body.to_bytes()),
        });
    }
    let headers = response.headers.unwrap_or_default();
    let mut metadata = match headers.get(&MESSAGE_METADATA_HEADER.to_ascii_lowercase()) {
        Some(values) => decode_metadata(values.first().map(String::as_str).unwrap_or(""))?,
        None => Map::new(),
    };
    let content_type = headers.get("content-type").and_then(|v| v.first()).cloned();
    if let Some(content_type) = content_type {
        let known = metadata.keys().any(|key| {
            key.eq_ignore_ascii_case("contentType") || key.eq_ignore_ascii_case("content-type")
        });
        if !known {
            metadata.insert("contentType".to_owned(), Value::String(content_type));
        }
    }
    Ok(Message {
        contents: response.body,
        metadata,
        ..Message::default()
    })
}

fn decode_metadata(header: &str) -> Result<Map<String, Value>, InteractionError> {
    let bytes = STANDARD
        .decode(header.trim())
        .map_err(|error| InteractionError::BadMessageMetadata(error.to_string()))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(InteractionError::BadMessageMetadata(
            "not a JSON object".to_owned(),
        )),
        Err(error) => Err(InteractionError::BadMessageMetadata(error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_requests_carry_description_and_states() {
        let states = [ProviderState {
            name: "an order exists".into(),
            params: json!({"id": 7}).as_object().unwrap().clone(),
        }];
        let values = Map::new();
        let request = http_message_request(&MessageRequest {
            description: "order created",
            provider_states: &states,
            state_values: &values,
            request: None,
        });
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.body,
            Body::json(json!({
                "description": "order created",
                "providerStates": [{"name": "an order exists", "params": {"id": 7}}]
            }))
        );
    }

    #[test]
    fn metadata_header_is_base64_json() {
        let encoded = STANDARD.encode(br#"{"topic":"orders"}"#);
        assert_eq!(decode_metadata(&encoded).unwrap()["topic"], "orders");
        assert!(decode_metadata("%%%").is_err());
        assert!(decode_metadata(&STANDARD.encode(b"[1]")).is_err());
    }
}
