//! `web-app`: the shop's web front end. It renders orders and checks baskets out through
//! orders-api ([`orders::OrdersClient`]); `tests/orders_contract.rs` holds its contract with
//! orders-api.
//!
//! - `GET /orders/{id}` → the order page (404 page when there is no such order);
//! - `POST /checkout` `{"customer_id", "lines": [{"sku", "quantity"}]}` → the new order's
//!   page, or a 409 page naming the SKU out of stock.

pub mod orders;
pub mod pages;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use orders::{BasketLine, Checkout, OrdersClient};

/// The web app's routes.
pub fn router(orders: OrdersClient) -> Router {
    Router::new()
        .route("/orders/{id}", get(show_order))
        .route("/checkout", post(checkout))
        .with_state(Arc::new(orders))
}

fn unavailable(error: &orders::OrdersError) -> Response {
    let page = format!("<h1>Please try again</h1><!-- {error} -->");
    (StatusCode::BAD_GATEWAY, Html(page)).into_response()
}

async fn show_order(State(orders): State<Arc<OrdersClient>>, Path(id): Path<u64>) -> Response {
    match orders.order(id).await {
        Ok(Some(order)) => Html(pages::order_page(&order)).into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, Html(pages::not_found_page(id))).into_response(),
        Err(error) => unavailable(&error),
    }
}

#[derive(Debug, Deserialize)]
struct Basket {
    customer_id: String,
    lines: Vec<BasketLine>,
}

async fn checkout(State(orders): State<Arc<OrdersClient>>, Json(basket): Json<Basket>) -> Response {
    match orders.checkout(&basket.customer_id, &basket.lines).await {
        Ok(Checkout::Placed(order)) => {
            (StatusCode::CREATED, Html(pages::order_page(&order))).into_response()
        }
        Ok(Checkout::OutOfStock(sku)) => {
            (StatusCode::CONFLICT, Html(pages::out_of_stock_page(&sku))).into_response()
        }
        Err(error) => unavailable(&error),
    }
}
