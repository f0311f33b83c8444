//! `orders-api`: the shop's orders.
//!
//! - `POST /orders` `{"customer_id", "lines": [{"sku", "quantity"}]}` prices the lines,
//!   checks stock with inventory-api, stores the order and queues an `order-created` event
//!   (see [`events`]); `201` with the order, `409` when a SKU is short, `422` for unknown SKUs;
//! - `GET /orders/{id}` → the order, or `404`.
//!
//! It is a provider (for web-app, and for billing-worker's `order-created` message), and a
//! consumer of inventory-api (see [`inventory`] and `tests/inventory_contract.rs`).
//!
//! For contract verification the service starts with `--provider-states`: stock then comes
//! from memory (set by provider states) instead of inventory-api, the provider-state endpoint
//! is served, and `POST /` produces messages for the verifier.
//!
//! The feature `reserve-stock` is the example's coordinated change: placing an order reserves
//! the stock with inventory-api's new `POST /reservations`.

pub mod api;
pub mod events;
pub mod inventory;
pub mod model;
pub mod shop;

pub use api::router;
pub use shop::Shop;
