//! `inventory-api`: how many units of each SKU the warehouse can sell.
//!
//! - `GET /stock/{sku}` → `200 {"sku": "A-1", "available": 5}`, or `404` for an unknown SKU;
//! - `POST /reservations` (feature `reservations`) holds stock for an order, all lines or
//!   none: `201` with the reservation, `409` when a line has not enough stock;
//! - `POST /_accord/provider-states` (only when started with provider states enabled, for
//!   contract verification) puts the inventory in the state an interaction needs.
//!
//! The feature `rename-available` renames the `available` field `available_quantity`: the
//! breaking change the example's `run.sh` catches.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The name of the stock level field in responses.
#[cfg(not(feature = "rename-available"))]
pub const AVAILABLE_FIELD: &str = "available";
/// The name of the stock level field in responses (renamed by `rename-available`).
#[cfg(feature = "rename-available")]
pub const AVAILABLE_FIELD: &str = "available_quantity";

/// The path of the provider-state endpoint.
pub const PROVIDER_STATES_PATH: &str = "/_accord/provider-states";

/// Stock levels and the reservations holding part of them.
#[derive(Debug, Default)]
pub struct Inventory {
    stock: BTreeMap<String, u32>,
    reservations: u64,
}

/// One line of a reservation request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReservationLine {
    /// The SKU to hold.
    pub sku: String,
    /// How many units.
    pub quantity: u32,
}

/// Why stock could not be reserved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReserveError {
    /// The SKU is not stocked at all.
    UnknownSku(String),
    /// Fewer units are available than asked for.
    Insufficient {
        /// The SKU that is short.
        sku: String,
        /// What is available.
        available: u32,
    },
}

impl Inventory {
    /// A few SKUs, for running the service by hand.
    pub fn seeded() -> Self {
        let mut inventory = Self::default();
        inventory.set_stock("A-1", 25);
        inventory.set_stock("B-2", 3);
        inventory.set_stock("C-3", 0);
        inventory
    }

    /// Sets the stock level of `sku`.
    pub fn set_stock(&mut self, sku: &str, available: u32) {
        self.stock.insert(sku.to_owned(), available);
    }

    /// Stops stocking `sku`.
    pub fn remove(&mut self, sku: &str) {
        self.stock.remove(sku);
    }

    /// Units of `sku` available, or `None` when it is not stocked.
    pub fn available(&self, sku: &str) -> Option<u32> {
        self.stock.get(sku).copied()
    }

    /// Holds stock for every line, or for none when one line cannot be served. Returns the
    /// reservation's id.
    pub fn reserve(&mut self, lines: &[ReservationLine]) -> Result<String, ReserveError> {
        let mut wanted: BTreeMap<&str, u32> = BTreeMap::new();
        for line in lines {
            *wanted.entry(&line.sku).or_default() += line.quantity;
        }
        for (sku, quantity) in &wanted {
            match self.available(sku) {
                None => return Err(ReserveError::UnknownSku((*sku).to_owned())),
                Some(available) if available < *quantity => {
                    return Err(ReserveError::Insufficient {
                        sku: (*sku).to_owned(),
                        available,
                    });
                }
                Some(_) => {}
            }
        }
        for (sku, quantity) in wanted {
            if let Some(level) = self.stock.get_mut(sku) {
                *level -= quantity;
            }
        }
        self.reservations += 1;
        Ok(format!("res-{}", self.reservations))
    }
}

/// The shared inventory behind the routes.
pub type SharedInventory = Arc<Mutex<Inventory>>;

fn lock(inventory: &SharedInventory) -> MutexGuard<'_, Inventory> {
    inventory
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The service's routes; `provider_states` adds the provider-state endpoint (never in
/// production).
pub fn router(inventory: SharedInventory, provider_states: bool) -> Router {
    let mut router = Router::new().route("/stock/{sku}", get(get_stock));
    if cfg!(feature = "reservations") {
        router = router.route("/reservations", post(post_reservation));
    }
    if provider_states {
        router = router.route(PROVIDER_STATES_PATH, post(set_provider_state));
    }
    router.with_state(inventory)
}

fn stock_json(sku: &str, available: u32) -> Value {
    let mut body = Map::new();
    body.insert("sku".to_owned(), json!(sku));
    body.insert(AVAILABLE_FIELD.to_owned(), json!(available));
    Value::Object(body)
}

fn error(status: StatusCode, message: &str, sku: &str) -> Response {
    (status, Json(json!({"error": message, "sku": sku}))).into_response()
}

async fn get_stock(State(inventory): State<SharedInventory>, Path(sku): Path<String>) -> Response {
    match lock(&inventory).available(&sku) {
        Some(available) => Json(stock_json(&sku, available)).into_response(),
        None => error(StatusCode::NOT_FOUND, "unknown sku", &sku),
    }
}

/// A reservation request.
#[derive(Debug, Deserialize)]
struct ReservationRequest {
    order_ref: String,
    lines: Vec<ReservationLine>,
}

async fn post_reservation(
    State(inventory): State<SharedInventory>,
    Json(request): Json<ReservationRequest>,
) -> Response {
    if request.lines.is_empty() {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "no lines", "");
    }
    let reserved = lock(&inventory).reserve(&request.lines);
    match reserved {
        Ok(id) => {
            let lines: Vec<Value> = request
                .lines
                .iter()
                .map(|line| json!({"sku": line.sku, "quantity": line.quantity}))
                .collect();
            let body =
                json!({"reservation_id": id, "order_ref": request.order_ref, "lines": lines});
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Err(ReserveError::UnknownSku(sku)) => {
            error(StatusCode::UNPROCESSABLE_ENTITY, "unknown sku", &sku)
        }
        Err(ReserveError::Insufficient { sku, available }) => {
            let mut body = stock_json(&sku, available);
            body["error"] = json!("insufficient stock");
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
    }
}

/// What the verifier posts before each interaction.
#[derive(Debug, Deserialize)]
struct StateChange {
    state: String,
    #[serde(default)]
    params: Map<String, Value>,
    #[serde(default = "setup")]
    action: String,
}

fn setup() -> String {
    "setup".to_owned()
}

/// Puts the inventory in a named state:
/// - `a SKU is in stock` `{"sku", "available"}`;
/// - `a SKU is unknown` `{"sku"}`.
async fn set_provider_state(
    State(inventory): State<SharedInventory>,
    Json(change): Json<StateChange>,
) -> Response {
    if change.action != "setup" {
        return StatusCode::OK.into_response();
    }
    let sku = change.params.get("sku").and_then(Value::as_str);
    let mut inventory = lock(&inventory);
    match (change.state.as_str(), sku) {
        ("a SKU is in stock", Some(sku)) => {
            let available = change
                .params
                .get("available")
                .and_then(Value::as_u64)
                .unwrap_or(10);
            inventory.set_stock(sku, u32::try_from(available).unwrap_or(u32::MAX));
        }
        ("a SKU is unknown", Some(sku)) => inventory.remove(sku),
        (state, _) => {
            let message = format!("unknown provider state {state:?} (or its \"sku\" is missing)");
            return (StatusCode::BAD_REQUEST, Json(json!({"error": message}))).into_response();
        }
    }
    Json(json!({})).into_response()
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;

    fn shared(inventory: Inventory) -> SharedInventory {
        Arc::new(Mutex::new(inventory))
    }

    async fn call(router: Router, method: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, json)
    }

    #[tokio::test]
    async fn stock_of_a_known_sku() {
        let router = router(shared(Inventory::seeded()), false);
        let (status, body) = call(router, "GET", "/stock/B-2", Value::Null).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["sku"], "B-2");
        assert_eq!(body[AVAILABLE_FIELD], 3);
    }

    #[tokio::test]
    async fn unknown_sku_is_404() {
        let router = router(shared(Inventory::seeded()), false);
        let (status, body) = call(router, "GET", "/stock/nope", Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"], "unknown sku");
    }

    #[tokio::test]
    async fn provider_states_only_when_enabled() {
        let inventory = shared(Inventory::default());
        let change =
            json!({"state": "a SKU is in stock", "params": {"sku": "Q-1", "available": 7}});
        let (status, _) = call(
            router(inventory.clone(), false),
            "POST",
            PROVIDER_STATES_PATH,
            change.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = call(
            router(inventory.clone(), true),
            "POST",
            PROVIDER_STATES_PATH,
            change,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(lock(&inventory).available("Q-1"), Some(7));
        let unknown = json!({"state": "the moon is full", "params": {}});
        let (status, body) = call(
            router(inventory, true),
            "POST",
            PROVIDER_STATES_PATH,
            unknown,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"].as_str().unwrap().contains("the moon is full"));
    }

    #[test]
    fn reservations_are_all_or_nothing() {
        let mut inventory = Inventory::seeded();
        let lines = |b2| {
            vec![
                ReservationLine {
                    sku: "A-1".into(),
                    quantity: 5,
                },
                ReservationLine {
                    sku: "B-2".into(),
                    quantity: b2,
                },
            ]
        };
        assert_eq!(
            inventory.reserve(&lines(4)),
            Err(ReserveError::Insufficient {
                sku: "B-2".into(),
                available: 3
            })
        );
        assert_eq!(inventory.available("A-1"), Some(25));
        assert_eq!(inventory.reserve(&lines(3)), Ok("res-1".to_owned()));
        assert_eq!(inventory.available("A-1"), Some(20));
        assert_eq!(inventory.available("B-2"), Some(0));
        let unknown = [ReservationLine {
            sku: "Z".into(),
            quantity: 1,
        }];
        assert_eq!(
            inventory.reserve(&unknown),
            Err(ReserveError::UnknownSku("Z".into()))
        );
    }

    #[cfg(feature = "reservations")]
    #[tokio::test]
    async fn reservation_endpoint() {
        let inventory = shared(Inventory::seeded());
        let request = json!({"order_ref": "ord-1", "lines": [{"sku": "B-2", "quantity": 2}]});
        let (status, body) = call(
            router(inventory.clone(), false),
            "POST",
            "/reservations",
            request.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(body["reservation_id"], "res-1");
        assert_eq!(body["lines"][0]["quantity"], 2);
        let (status, body) = call(router(inventory, false), "POST", "/reservations", request).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body[AVAILABLE_FIELD], 1);
    }

    #[cfg(not(feature = "reservations"))]
    #[tokio::test]
    async fn no_reservation_endpoint_without_the_feature() {
        let request = json!({"order_ref": "ord-1", "lines": [{"sku": "B-2", "quantity": 2}]});
        let router = router(shared(Inventory::seeded()), false);
        let (status, _) = call(router, "POST", "/reservations", request).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}
