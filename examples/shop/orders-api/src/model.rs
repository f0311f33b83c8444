//! Orders, their lines, and the price list. Money is in integer cents.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The currency every price is in.
pub const CURRENCY: &str = "EUR";

/// One product line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// The product.
    pub sku: String,
    /// Units ordered.
    pub quantity: u32,
    /// The price of one unit when the order was placed, in cents.
    pub unit_price_cents: u64,
}

impl OrderLine {
    /// `quantity × unit price`.
    pub fn total_cents(&self) -> u64 {
        u64::from(self.quantity) * self.unit_price_cents
    }
}

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    /// Placed and paid for by the billing worker later.
    Placed,
    /// Handed to the carrier.
    Shipped,
}

/// An order as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The order's number.
    pub id: u64,
    /// Who placed it.
    pub customer_id: String,
    /// Its status.
    pub status: OrderStatus,
    /// The currency of every amount.
    pub currency: String,
    /// What was ordered.
    pub lines: Vec<OrderLine>,
    /// The sum of the lines, in cents.
    pub total_cents: u64,
    /// When it was placed (RFC 3339, UTC, whole seconds).
    pub placed_at: String,
}

impl Order {
    /// A placed order; the total is computed from the lines.
    pub fn placed(id: u64, customer_id: &str, lines: Vec<OrderLine>, placed_at: String) -> Self {
        let total_cents = lines.iter().map(OrderLine::total_cents).sum();
        Order {
            id,
            customer_id: customer_id.to_owned(),
            status: OrderStatus::Placed,
            currency: CURRENCY.to_owned(),
            lines,
            total_cents,
            placed_at,
        }
    }
}

/// Unit prices per SKU, in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue(BTreeMap<String, u64>);

impl Catalogue {
    /// The shop's price list.
    pub fn standard() -> Self {
        let prices = [("A-1", 1250), ("B-2", 499), ("C-3", 7999)];
        Catalogue(
            prices
                .into_iter()
                .map(|(sku, cents)| (sku.to_owned(), cents))
                .collect(),
        )
    }

    /// The unit price of `sku`, if the shop sells it.
    pub fn price(&self, sku: &str) -> Option<u64> {
        self.0.get(sku).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_integer_cents() {
        let lines = vec![
            OrderLine {
                sku: "A-1".into(),
                quantity: 2,
                unit_price_cents: 1250,
            },
            OrderLine {
                sku: "B-2".into(),
                quantity: 3,
                unit_price_cents: 499,
            },
        ];
        let order = Order::placed(1, "c-1", lines, "2026-01-01T00:00:00Z".into());
        assert_eq!(order.total_cents, 2500 + 1497);
        let json = serde_json::to_value(&order).unwrap();
        assert_eq!(json["status"], "placed");
        assert_eq!(json["lines"][1]["unit_price_cents"], 499);
    }

    #[test]
    fn catalogue_prices() {
        let catalogue = Catalogue::standard();
        assert_eq!(catalogue.price("B-2"), Some(499));
        assert_eq!(catalogue.price("nope"), None);
    }
}
