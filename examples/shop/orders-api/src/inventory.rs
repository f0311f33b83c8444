//! Stock levels from inventory-api: an HTTP client, or an in-memory stand-in used when the
//! service runs for contract verification (its consumers' contracts must not depend on a
//! running inventory-api).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Deserialize;

/// Why inventory-api could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InventoryError {
    /// It could not be reached.
    Unreachable(String),
    /// It answered something this client does not understand.
    Unexpected {
        /// The HTTP status.
        status: u16,
        /// What was wrong.
        detail: String,
    },
}

impl std::fmt::Display for InventoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InventoryError::Unreachable(error) => write!(f, "inventory-api unreachable: {error}"),
            InventoryError::Unexpected { status, detail } => {
                write!(
                    f,
                    "unexpected answer from inventory-api ({status}): {detail}"
                )
            }
        }
    }
}

impl std::error::Error for InventoryError {}

/// What a stock reservation came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// Every line is held; the reservation's id.
    Reserved(String),
    /// This SKU is short.
    Insufficient(String),
    /// inventory-api does not stock this SKU.
    UnknownSku(String),
}

/// A client for inventory-api's HTTP API.
#[derive(Debug, Clone)]
pub struct InventoryClient {
    base_url: String,
    http: reqwest::Client,
}

#[derive(Debug, Deserialize)]
struct StockLevel {
    available: u32,
}

#[cfg(feature = "reserve-stock")]
#[derive(Debug, Deserialize)]
struct ErrorBody {
    sku: String,
}

#[cfg(feature = "reserve-stock")]
#[derive(Debug, Deserialize)]
struct Reserved {
    reservation_id: String,
}

impl InventoryClient {
    /// A client for the inventory-api at `base_url` (e.g. `http://inventory:8082`).
    pub fn new(base_url: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("a default HTTP client");
        InventoryClient {
            base_url: base_url.trim_end_matches('/').to_owned(),
            http,
        }
    }

    /// Units of `sku` available, or `None` for a SKU inventory-api does not stock.
    pub async fn available(&self, sku: &str) -> Result<Option<u32>, InventoryError> {
        let response = self
            .http
            .get(format!("{}/stock/{sku}", self.base_url))
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| InventoryError::Unreachable(e.to_string()))?;
        match response.status().as_u16() {
            200 => Ok(Some(read::<StockLevel>(response).await?.available)),
            404 => Ok(None),
            status => Err(InventoryError::Unexpected {
                status,
                detail: "expected 200 or 404".to_owned(),
            }),
        }
    }

    /// Holds stock for every line of order `order_ref` (all or nothing).
    #[cfg(feature = "reserve-stock")]
    pub async fn reserve(
        &self,
        order_ref: &str,
        lines: &[(String, u32)],
    ) -> Result<Reservation, InventoryError> {
        let lines: Vec<serde_json::Value> = lines
            .iter()
            .map(|(sku, quantity)| serde_json::json!({"sku": sku, "quantity": quantity}))
            .collect();
        let response = self
            .http
            .post(format!("{}/reservations", self.base_url))
            .json(&serde_json::json!({"order_ref": order_ref, "lines": lines}))
            .send()
            .await
            .map_err(|e| InventoryError::Unreachable(e.to_string()))?;
        match response.status().as_u16() {
            201 => Ok(Reservation::Reserved(
                read::<Reserved>(response).await?.reservation_id,
            )),
            409 => Ok(Reservation::Insufficient(
                read::<ErrorBody>(response).await?.sku,
            )),
            422 => Ok(Reservation::UnknownSku(
                read::<ErrorBody>(response).await?.sku,
            )),
            status => Err(InventoryError::Unexpected {
                status,
                detail: "expected 201, 409 or 422".to_owned(),
            }),
        }
    }
}

async fn read<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, InventoryError> {
    let status = response.status().as_u16();
    response
        .json()
        .await
        .map_err(|e| InventoryError::Unexpected {
            status,
            detail: e.to_string(),
        })
}

/// Where orders-api gets stock levels from.
#[derive(Debug, Clone)]
pub enum Stock {
    /// inventory-api over HTTP.
    Remote(InventoryClient),
    /// Levels held in memory (contract verification and tests).
    InMemory(Arc<Mutex<BTreeMap<String, u32>>>),
}

impl Stock {
    /// An empty in-memory stock.
    pub fn in_memory() -> Self {
        Stock::InMemory(Arc::default())
    }

    fn levels(levels: &Mutex<BTreeMap<String, u32>>) -> MutexGuard<'_, BTreeMap<String, u32>> {
        levels
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sets a level of the in-memory stock (ignored for the remote one).
    pub fn set_level(&self, sku: &str, available: u32) {
        if let Stock::InMemory(levels) = self {
            Self::levels(levels).insert(sku.to_owned(), available);
        }
    }

    /// Units of `sku` available, or `None` when it is not stocked.
    pub async fn available(&self, sku: &str) -> Result<Option<u32>, InventoryError> {
        match self {
            Stock::Remote(client) => client.available(sku).await,
            Stock::InMemory(levels) => Ok(Self::levels(levels).get(sku).copied()),
        }
    }

    /// Holds stock for every line (all or nothing).
    #[cfg(feature = "reserve-stock")]
    pub async fn reserve(
        &self,
        order_ref: &str,
        lines: &[(String, u32)],
    ) -> Result<Reservation, InventoryError> {
        match self {
            Stock::Remote(client) => client.reserve(order_ref, lines).await,
            Stock::InMemory(levels) => {
                let mut levels = Self::levels(levels);
                for (sku, quantity) in lines {
                    match levels.get(sku) {
                        None => return Ok(Reservation::UnknownSku(sku.clone())),
                        Some(level) if level < quantity => {
                            return Ok(Reservation::Insufficient(sku.clone()));
                        }
                        Some(_) => {}
                    }
                }
                for (sku, quantity) in lines {
                    if let Some(level) = levels.get_mut(sku) {
                        *level -= quantity;
                    }
                }
                Ok(Reservation::Reserved(format!("local-{order_ref}")))
            }
        }
    }
}
