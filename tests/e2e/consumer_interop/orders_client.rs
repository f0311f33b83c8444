//! The consumer under test: the web shop's small client for the orders service.

use serde::{Deserialize, Serialize};

/// An order as the web shop reads it.
#[derive(Debug, Deserialize)]
pub(super) struct Order {
    pub(super) id: u64,
    pub(super) status: String,
    #[serde(default)]
    pub(super) lines: Vec<Line>,
}

/// One line of an order.
#[derive(Debug, Deserialize)]
pub(super) struct Line {
    #[allow(dead_code)]
    pub(super) sku: String,
    pub(super) qty: u32,
}

/// What the web shop sends to place an order.
#[derive(Debug, Serialize)]
pub(super) struct NewOrder {
    pub(super) sku: String,
    pub(super) qty: u32,
}

/// A placed order and where it lives.
#[derive(Debug)]
pub(super) struct Placed {
    pub(super) location: String,
}

pub(super) struct OrdersClient {
    base: String,
    http: reqwest::Client,
}

impl OrdersClient {
    pub(super) fn new(base: &str) -> Self {
        OrdersClient {
            base: base.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
        }
    }

    /// The order, failing when it does not exist.
    pub(super) async fn order(&self, id: u64) -> reqwest::Result<Order> {
        self.http
            .get(format!("{}/orders/{id}", self.base))
            .header("Accept", "application/json")
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }

    /// The order, or `None` when the service says it does not exist.
    pub(super) async fn find(&self, id: u64) -> reqwest::Result<Option<Order>> {
        let response = self
            .http
            .get(format!("{}/orders/{id}", self.base))
            .header("Accept", "application/json")
            .send()
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        response.error_for_status()?.json().await.map(Some)
    }

    pub(super) async fn place(&self, order: &NewOrder) -> reqwest::Result<Placed> {
        let response = self
            .http
            .post(format!("{}/orders", self.base))
            .json(order)
            .send()
            .await?
            .error_for_status()?;
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let _: Order = response.json().await?;
        Ok(Placed { location })
    }

    pub(super) async fn open_orders(&self) -> reqwest::Result<Vec<Order>> {
        self.http
            .get(format!("{}/orders?status=open", self.base))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }
}
