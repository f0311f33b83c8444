//! The `order-created` event orders-api publishes when an order is placed.

use serde_json::{Map, Value, json};

use crate::model::Order;

/// The topic order-created events go to.
pub const ORDER_CREATED_TOPIC: &str = "orders.order-created";

/// A message ready for the message bus: JSON contents and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMessage {
    /// The message body.
    pub contents: Value,
    /// Metadata sent alongside (topic, content type).
    pub metadata: Map<String, Value>,
}

/// The order-created event for `order`: what billing needs to invoice it.
pub fn order_created(order: &Order) -> EventMessage {
    let lines: Vec<Value> = order
        .lines
        .iter()
        .map(|line| {
            json!({
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
            })
        })
        .collect();
    let contents = json!({
        "event": "order-created",
        "order_id": order.id,
        "customer_id": order.customer_id,
        "currency": order.currency,
        "total_cents": order.total_cents,
        "lines": lines,
        "placed_at": order.placed_at,
    });
    let mut metadata = Map::new();
    metadata.insert("topic".to_owned(), json!(ORDER_CREATED_TOPIC));
    metadata.insert("contentType".to_owned(), json!("application/json"));
    EventMessage { contents, metadata }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrderLine;

    #[test]
    fn order_created_carries_lines_and_total() {
        let order = Order::placed(
            7,
            "c-9",
            vec![OrderLine {
                sku: "A-1".into(),
                quantity: 3,
                unit_price_cents: 1250,
            }],
            "2026-11-02T09:30:00Z".into(),
        );
        let message = order_created(&order);
        assert_eq!(message.contents["order_id"], 7);
        assert_eq!(message.contents["total_cents"], 3750);
        assert_eq!(message.contents["lines"][0]["quantity"], 3);
        assert_eq!(message.metadata["topic"], ORDER_CREATED_TOPIC);
    }
}
