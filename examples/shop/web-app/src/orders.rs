//! A client for orders-api: the only fields the web app reads are declared here, so the
//! contract asks for nothing more.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;

/// An order line as the web app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Line {
    /// The product.
    pub sku: String,
    /// Units.
    pub quantity: u32,
    /// Price of one unit, in cents.
    pub unit_price_cents: u64,
}

/// An order as the web app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Order {
    /// Its number.
    pub id: u64,
    /// `placed` or `shipped`.
    pub status: String,
    /// Currency of the amounts.
    pub currency: String,
    /// The lines.
    pub lines: Vec<Line>,
    /// The total, in cents.
    pub total_cents: u64,
}

/// A line of the basket being checked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasketLine {
    /// The product.
    pub sku: String,
    /// Units.
    pub quantity: u32,
}

/// What checking out came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checkout {
    /// The order was placed.
    Placed(Order),
    /// A SKU of the basket is out of stock.
    OutOfStock(String),
}

/// Why orders-api could not answer.
#[derive(Debug)]
pub enum OrdersError {
    /// A transport error or an unreadable body.
    Http(reqwest::Error),
    /// A status the client does not expect.
    Status(u16),
}

impl std::fmt::Display for OrdersError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OrdersError::Http(e) => write!(f, "orders-api: {e}"),
            OrdersError::Status(status) => write!(f, "orders-api answered {status}"),
        }
    }
}

impl std::error::Error for OrdersError {}

impl From<reqwest::Error> for OrdersError {
    fn from(error: reqwest::Error) -> Self {
        OrdersError::Http(error)
    }
}

#[derive(Debug, Deserialize)]
struct Refusal {
    sku: String,
}

/// The orders-api client.
#[derive(Debug, Clone)]
pub struct OrdersClient {
    base_url: String,
    http: reqwest::Client,
}

impl OrdersClient {
    /// A client for the orders-api at `base_url`.
    pub fn new(base_url: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("a default HTTP client");
        OrdersClient {
            base_url: base_url.trim_end_matches('/').to_owned(),
            http,
        }
    }

    /// The order with this id, or `None` when there is none.
    pub async fn order(&self, id: u64) -> Result<Option<Order>, OrdersError> {
        let response = self
            .http
            .get(format!("{}/orders/{id}", self.base_url))
            .header("Accept", "application/json")
            .send()
            .await?;
        match response.status().as_u16() {
            200 => Ok(Some(response.json().await?)),
            404 => Ok(None),
            status => Err(OrdersError::Status(status)),
        }
    }

    /// Places an order for the basket.
    pub async fn checkout(
        &self,
        customer_id: &str,
        basket: &[BasketLine],
    ) -> Result<Checkout, OrdersError> {
        let response = self
            .http
            .post(format!("{}/orders", self.base_url))
            .json(&json!({"customer_id": customer_id, "lines": basket}))
            .send()
            .await?;
        match response.status().as_u16() {
            201 => Ok(Checkout::Placed(response.json().await?)),
            409 => Ok(Checkout::OutOfStock(response.json::<Refusal>().await?.sku)),
            status => Err(OrdersError::Status(status)),
        }
    }
}
