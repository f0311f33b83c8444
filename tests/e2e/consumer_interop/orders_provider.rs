//! The provider side: a small orders service (axum) that honours the web shop's contract,
//! with the state-change endpoint Pact's verifier calls. Started `broken`, it sends line
//! quantities as strings, which breaks "get order 10".

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::oneshot;

#[derive(Default)]
struct Store {
    orders: BTreeMap<u64, Value>,
    states: Vec<String>,
    broken: bool,
}

type Shared = Arc<Mutex<Store>>;

pub(super) struct Provider {
    url: String,
    port: u16,
    store: Shared,
    _stop: oneshot::Sender<()>,
}

impl Provider {
    pub(super) async fn start(broken: bool) -> Provider {
        let store: Shared = Arc::new(Mutex::new(Store {
            broken,
            ..Store::default()
        }));
        let app = Router::new()
            .route("/orders", get(list).post(place))
            .route("/orders/{id}", get(order))
            .route("/_pact/state", post(state))
            .with_state(Arc::clone(&store));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        Provider {
            url: format!("http://127.0.0.1:{port}"),
            port,
            store,
            _stop: stop,
        }
    }

    pub(super) fn url(&self) -> &str {
        &self.url
    }

    pub(super) fn port(&self) -> u16 {
        self.port
    }

    pub(super) fn states_seen(&self) -> Vec<String> {
        self.store.lock().unwrap().states.clone()
    }
}

fn sample_order(id: u64, broken: bool) -> Value {
    let qty = if broken { json!("3") } else { json!(3) };
    json!({
        "id": id,
        "status": "shipped",
        "placedAt": "2025-11-02T08:15:00",
        "lines": [{"sku": "B-7", "qty": qty}, {"sku": "C-2", "qty": 1}],
    })
}

/// Pact's verifier posts `{"state", "params", "action"}` before each interaction.
async fn state(State(store): State<Shared>, Json(request): Json<Value>) -> Json<Value> {
    let mut store = store.lock().unwrap();
    let name = request["state"].as_str().unwrap_or_default().to_owned();
    if request["action"] != "teardown" {
        match name.as_str() {
            "an order exists" => {
                let id = request["params"]["id"].as_u64().unwrap_or(10);
                let order = sample_order(id, store.broken);
                store.orders.insert(id, order);
            }
            "there are no orders" => store.orders.clear(),
            _ => {}
        }
        store.states.push(name);
    }
    Json(json!({}))
}

async fn order(State(store): State<Shared>, Path(id): Path<u64>) -> Response {
    match store.lock().unwrap().orders.get(&id) {
        Some(order) => Json(order.clone()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("order {id} does not exist")})),
        )
            .into_response(),
    }
}

async fn list(
    State(store): State<Shared>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Json<Value> {
    let store = store.lock().unwrap();
    let wanted = query.get("status").map(String::as_str);
    let orders: Vec<Value> = store
        .orders
        .values()
        .map(|o| json!({"id": o["id"], "status": "open"}))
        .filter(|o| wanted.is_none_or(|w| o["status"] == w))
        .collect();
    Json(Value::Array(orders))
}

async fn place(
    State(store): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
        || !body["qty"].is_u64()
    {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let mut store = store.lock().unwrap();
    let id = store.orders.keys().last().copied().unwrap_or(0) + 1;
    let order =
        json!({"id": id, "status": "open", "lines": [{"sku": body["sku"], "qty": body["qty"]}]});
    store.orders.insert(id, order);
    (
        StatusCode::CREATED,
        [(header::LOCATION, format!("/orders/{id}"))],
        Json(json!({"id": id, "status": "open"})),
    )
        .into_response()
}
