//! The HTTP API, and the endpoints contract verification uses.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::events::order_created;
use crate::model::{Order, OrderLine};
use crate::shop::{NewLine, PlaceError, Shop};

/// The path of the provider-state endpoint.
pub const PROVIDER_STATES_PATH: &str = "/_accord/provider-states";

/// The description of the order-created message in its consumers' contracts.
pub const ORDER_CREATED_DESCRIPTION: &str = "an order-created event";

/// The header carrying a message's metadata (base64 of a JSON object) to the verifier.
pub const MESSAGE_METADATA_HEADER: &str = "Pact-Message-Metadata";

/// The routes. With `verification`, also the provider-state endpoint and `POST /`, which
/// produces a message for the verifier (never in production).
pub fn router(shop: Arc<Shop>, verification: bool) -> Router {
    let mut router = Router::new()
        .route("/orders", post(place_order))
        .route("/orders/{id}", get(get_order));
    if verification {
        router = router
            .route(PROVIDER_STATES_PATH, post(set_provider_state))
            .route("/", post(produce_message));
    }
    router.with_state(shop)
}

fn error(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

async fn get_order(State(shop): State<Arc<Shop>>, Path(id): Path<u64>) -> Response {
    match shop.order(id) {
        Some(order) => Json(order).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            json!({"error": "order not found", "id": id}),
        ),
    }
}

#[derive(Debug, Deserialize)]
struct NewOrder {
    customer_id: String,
    lines: Vec<NewLine>,
}

async fn place_order(State(shop): State<Arc<Shop>>, Json(new): Json<NewOrder>) -> Response {
    match shop.place_order(&new.customer_id, &new.lines).await {
        Ok(order) => (StatusCode::CREATED, Json(order)).into_response(),
        Err(PlaceError::Empty) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "an order needs lines with a quantity"}),
        ),
        Err(PlaceError::UnknownSku(sku)) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "unknown sku", "sku": sku}),
        ),
        Err(PlaceError::InsufficientStock(sku)) => error(
            StatusCode::CONFLICT,
            json!({"error": "insufficient stock", "sku": sku}),
        ),
        Err(PlaceError::Inventory(e)) => {
            error(StatusCode::BAD_GATEWAY, json!({"error": e.to_string()}))
        }
    }
}

/// A fixed order used by provider states.
fn sample_order(id: u64) -> Order {
    let lines = vec![
        OrderLine {
            sku: "A-1".into(),
            quantity: 2,
            unit_price_cents: 1250,
        },
        OrderLine {
            sku: "B-2".into(),
            quantity: 1,
            unit_price_cents: 499,
        },
    ];
    Order::placed(id, "c-42", lines, "2026-11-02T09:30:00Z".into())
}

#[derive(Debug, Deserialize)]
struct StateChange {
    state: String,
    #[serde(default)]
    params: Map<String, Value>,
    #[serde(default)]
    action: Option<String>,
}

/// Sets up a named state:
/// - `an order exists` / `an order was placed` `{"id"}`: a two-line order with that id;
/// - `no order exists` `{"id"}`;
/// - `a SKU is in stock` `{"sku", "available"}` and `a SKU is out of stock` `{"sku"}`.
async fn set_provider_state(
    State(shop): State<Arc<Shop>>,
    Json(change): Json<StateChange>,
) -> Response {
    if change.action.as_deref().is_some_and(|a| a != "setup") {
        return Json(json!({})).into_response();
    }
    let id = change.params.get("id").and_then(Value::as_u64);
    let sku = change.params.get("sku").and_then(Value::as_str);
    match (change.state.as_str(), id, sku) {
        ("an order exists" | "an order was placed", Some(id), _) => {
            shop.insert_order(sample_order(id));
        }
        ("no order exists", Some(id), _) => shop.remove_order(id),
        ("a SKU is in stock", _, Some(sku)) => {
            let available = change.params.get("available").and_then(Value::as_u64);
            let available = available.map_or(10, |n| u32::try_from(n).unwrap_or(u32::MAX));
            shop.stock().set_level(sku, available);
        }
        ("a SKU is out of stock", _, Some(sku)) => shop.stock().set_level(sku, 0),
        (state, _, _) => {
            let message = format!("unknown provider state {state:?}, or a parameter is missing");
            return error(StatusCode::BAD_REQUEST, json!({"error": message}));
        }
    }
    Json(json!({})).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageRequest {
    description: String,
    #[serde(default)]
    provider_states: Vec<MessageState>,
}

#[derive(Debug, Deserialize)]
struct MessageState {
    #[serde(default)]
    params: Map<String, Value>,
}

/// Produces the message a contract describes, the way Pact's verifier asks: the body is the
/// contents, the metadata travels base64-encoded in a header.
async fn produce_message(
    State(shop): State<Arc<Shop>>,
    Json(request): Json<MessageRequest>,
) -> Response {
    if request.description != ORDER_CREATED_DESCRIPTION {
        let message = format!(
            "orders-api produces no message {:?} (it produces {ORDER_CREATED_DESCRIPTION:?})",
            request.description
        );
        return error(StatusCode::NOT_FOUND, json!({"error": message}));
    }
    let stated_id = request
        .provider_states
        .iter()
        .find_map(|state| state.params.get("id").and_then(Value::as_u64));
    let order = match stated_id {
        Some(id) => shop.order(id),
        None => shop.latest_order(),
    };
    let Some(order) = order else {
        let message = "no order to announce: set up \"an order was placed\" first";
        return error(StatusCode::CONFLICT, json!({"error": message}));
    };
    let message = order_created(&order);
    let metadata = STANDARD.encode(Value::Object(message.metadata).to_string());
    let mut response = Json(message.contents).into_response();
    if let Ok(value) = HeaderValue::from_str(&metadata) {
        response
            .headers_mut()
            .insert(MESSAGE_METADATA_HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;
    use crate::inventory::Stock;
    use crate::model::Catalogue;

    fn shop() -> Arc<Shop> {
        Arc::new(Shop::new(Catalogue::standard(), Stock::in_memory()))
    }

    async fn call(
        router: Router,
        method: &str,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value, Option<String>) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        let status = response.status();
        let metadata = response
            .headers()
            .get(MESSAGE_METADATA_HEADER)
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            metadata,
        )
    }

    #[tokio::test]
    async fn orders_are_placed_and_read_back() {
        let shop = shop();
        shop.stock().set_level("A-1", 3);
        let app = router(shop.clone(), false);
        let new = json!({"customer_id": "c-1", "lines": [{"sku": "A-1", "quantity": 2}]});
        let (status, order, _) = call(app.clone(), "POST", "/orders", new.clone()).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(order["total_cents"], 2500);
        let path = format!("/orders/{}", order["id"]);
        let (status, read, _) = call(app.clone(), "GET", &path, Value::Null).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(read, order);
        let (status, _, _) = call(app.clone(), "GET", "/orders/5", Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Without reservations, checking stock does not hold it: 2 of 3 are sold, yet 2 more
        // pass the check. With them, only 1 is left.
        let (status, _, _) = call(app.clone(), "POST", "/orders", new).await;
        if cfg!(feature = "reserve-stock") {
            assert_eq!(status, StatusCode::CONFLICT);
        } else {
            assert_eq!(status, StatusCode::CREATED);
        }
        let more = json!({"customer_id": "c-1", "lines": [{"sku": "A-1", "quantity": 4}]});
        let (status, body, _) = call(app, "POST", "/orders", more).await;
        assert_eq!(
            (status, &body["sku"]),
            (StatusCode::CONFLICT, &json!("A-1"))
        );
    }

    #[tokio::test]
    async fn verification_endpoints_are_off_by_default() {
        let app = router(shop(), false);
        let state = json!({"state": "an order exists", "params": {"id": 1}});
        let (status, _, _) = call(app, "POST", PROVIDER_STATES_PATH, state).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn messages_come_with_base64_metadata() {
        let shop = shop();
        let app = router(shop.clone(), true);
        let state =
            json!({"state": "an order was placed", "params": {"id": 12}, "action": "setup"});
        let (status, _, _) = call(app.clone(), "POST", PROVIDER_STATES_PATH, state).await;
        assert_eq!(status, StatusCode::OK);
        let request = json!({
            "description": ORDER_CREATED_DESCRIPTION,
            "providerStates": [{"name": "an order was placed", "params": {"id": 12}}]
        });
        let (status, contents, metadata) = call(app.clone(), "POST", "/", request).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(contents["order_id"], 12);
        assert_eq!(contents["total_cents"], 2999);
        let metadata: Value =
            serde_json::from_slice(&STANDARD.decode(metadata.unwrap()).unwrap()).unwrap();
        assert_eq!(metadata["topic"], crate::events::ORDER_CREATED_TOPIC);
        let unknown = json!({"description": "an order-cancelled event", "providerStates": []});
        let (status, body, _) = call(app, "POST", "/", unknown).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body["error"].as_str().unwrap().contains("order-cancelled"));
    }
}
