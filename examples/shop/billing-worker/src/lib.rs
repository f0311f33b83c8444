//! `billing-worker`: turns `order-created` events into invoices.
//!
//! [`handle_order_created`] is the message handler; `tests/order_created_contract.rs` holds
//! the contract with orders-api that proves it accepts the event orders-api promises. The
//! binary receives events pushed by the message bus's HTTP subscription:
//! `POST /events/order-created` → `202` with the invoice, `422` for an event it rejects;
//! `GET /invoices` lists the invoices.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The event as billing reads it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrderCreated {
    /// The order.
    pub order_id: u64,
    /// Who to bill.
    pub customer_id: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The order total, in cents.
    pub total_cents: u64,
    /// The lines.
    pub lines: Vec<EventLine>,
}

/// A line of the event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EventLine {
    /// The product.
    pub sku: String,
    /// Units.
    pub quantity: u32,
    /// Price of one unit, in cents.
    pub unit_price_cents: u64,
}

/// An invoice for a placed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invoice {
    /// `INV-<order id>`.
    pub number: String,
    /// Who pays.
    pub customer_id: String,
    /// Currency of the amounts.
    pub currency: String,
    /// Net amount, in cents.
    pub net_cents: u64,
    /// VAT at [`VAT_PERCENT`], rounded half up, in cents.
    pub vat_cents: u64,
    /// Net plus VAT.
    pub gross_cents: u64,
}

/// The VAT rate applied, in percent.
pub const VAT_PERCENT: u64 = 20;

/// Why an event was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillingError {
    /// The JSON is not an order-created event.
    Malformed(String),
    /// An order with no lines.
    NoLines,
    /// The lines do not add up to the total.
    TotalMismatch {
        /// What the lines add up to.
        lines: u64,
        /// The stated total.
        total: u64,
    },
}

impl std::fmt::Display for BillingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BillingError::Malformed(e) => write!(f, "not an order-created event: {e}"),
            BillingError::NoLines => write!(f, "an order without lines"),
            BillingError::TotalMismatch { lines, total } => {
                write!(
                    f,
                    "the lines add up to {lines} cents, the total says {total}"
                )
            }
        }
    }
}

impl std::error::Error for BillingError {}

/// Handles one `order-created` event: checks it and computes the invoice.
pub fn handle_order_created(contents: &Value) -> Result<Invoice, BillingError> {
    let event: OrderCreated = serde_json::from_value(contents.clone())
        .map_err(|e| BillingError::Malformed(e.to_string()))?;
    if event.lines.is_empty() {
        return Err(BillingError::NoLines);
    }
    let lines: u64 = event
        .lines
        .iter()
        .map(|line| u64::from(line.quantity) * line.unit_price_cents)
        .sum();
    if lines != event.total_cents {
        return Err(BillingError::TotalMismatch {
            lines,
            total: event.total_cents,
        });
    }
    let vat_cents = (lines * VAT_PERCENT + 50) / 100;
    Ok(Invoice {
        number: format!("INV-{}", event.order_id),
        customer_id: event.customer_id,
        currency: event.currency,
        net_cents: lines,
        vat_cents,
        gross_cents: lines + vat_cents,
    })
}

/// The invoices issued so far.
pub type Invoices = Arc<Mutex<Vec<Invoice>>>;

/// The worker's routes.
pub fn router(invoices: Invoices) -> Router {
    Router::new()
        .route("/events/order-created", post(receive))
        .route("/invoices", get(list))
        .with_state(invoices)
}

async fn receive(State(invoices): State<Invoices>, Json(event): Json<Value>) -> Response {
    match handle_order_created(&event) {
        Ok(invoice) => {
            invoices
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(invoice.clone());
            (StatusCode::ACCEPTED, Json(invoice)).into_response()
        }
        Err(error) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": error.to_string()})),
        )
            .into_response(),
    }
}

async fn list(State(invoices): State<Invoices>) -> Json<Vec<Invoice>> {
    Json(invoices.lock().unwrap_or_else(|p| p.into_inner()).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Value {
        json!({
            "event": "order-created",
            "order_id": 10,
            "customer_id": "c-42",
            "currency": "EUR",
            "total_cents": 2999,
            "lines": [
                {"sku": "A-1", "quantity": 2, "unit_price_cents": 1250},
                {"sku": "B-2", "quantity": 1, "unit_price_cents": 499}
            ],
            "placed_at": "2026-11-02T09:30:00Z"
        })
    }

    #[test]
    fn invoices_with_vat_rounded_half_up() {
        let invoice = handle_order_created(&event()).unwrap();
        assert_eq!(invoice.number, "INV-10");
        assert_eq!(invoice.net_cents, 2999);
        // 20 % of 2999 = 599.8 → 600
        assert_eq!(invoice.vat_cents, 600);
        assert_eq!(invoice.gross_cents, 3599);
    }

    #[test]
    fn rejects_inconsistent_events() {
        let mut wrong_total = event();
        wrong_total["total_cents"] = json!(3000);
        assert_eq!(
            handle_order_created(&wrong_total),
            Err(BillingError::TotalMismatch {
                lines: 2999,
                total: 3000
            })
        );
        let mut no_lines = event();
        no_lines["lines"] = json!([]);
        assert_eq!(handle_order_created(&no_lines), Err(BillingError::NoLines));
        let mut renamed = event();
        renamed.as_object_mut().unwrap().remove("total_cents");
        assert!(matches!(
            handle_order_created(&renamed),
            Err(BillingError::Malformed(e)) if e.contains("total_cents")
        ));
    }
}
