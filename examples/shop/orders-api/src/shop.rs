//! Placing and reading orders.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use chrono::{SecondsFormat, Utc};
use serde::Deserialize;

use crate::events::{EventMessage, order_created};
use crate::inventory::{InventoryError, Stock};
use crate::model::{Catalogue, Order, OrderLine};

/// A line of a new order, as the web app sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewLine {
    /// The product.
    pub sku: String,
    /// Units wanted (at least 1).
    pub quantity: u32,
}

/// Why an order could not be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceError {
    /// No lines, or a line with quantity 0.
    Empty,
    /// The shop does not sell this SKU.
    UnknownSku(String),
    /// Not enough stock of this SKU.
    InsufficientStock(String),
    /// inventory-api failed.
    Inventory(InventoryError),
}

/// The orders, the price list, stock, and the outbox of events to publish.
#[derive(Debug)]
pub struct Shop {
    orders: Mutex<BTreeMap<u64, Order>>,
    catalogue: Catalogue,
    stock: Stock,
    outbox: Mutex<Vec<EventMessage>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shop {
    /// A shop with no orders yet.
    pub fn new(catalogue: Catalogue, stock: Stock) -> Self {
        Shop {
            orders: Mutex::default(),
            catalogue,
            stock,
            outbox: Mutex::default(),
        }
    }

    /// Where stock levels come from.
    pub fn stock(&self) -> &Stock {
        &self.stock
    }

    /// The order with this id.
    pub fn order(&self, id: u64) -> Option<Order> {
        lock(&self.orders).get(&id).cloned()
    }

    /// The most recently placed order.
    pub fn latest_order(&self) -> Option<Order> {
        lock(&self.orders).values().last().cloned()
    }

    /// Stores an order as is (provider states and tests).
    pub fn insert_order(&self, order: Order) {
        lock(&self.orders).insert(order.id, order);
    }

    /// Forgets an order.
    pub fn remove_order(&self, id: u64) {
        lock(&self.orders).remove(&id);
    }

    /// Events placed orders produced, oldest first, not yet relayed to the message bus.
    pub fn outbox(&self) -> Vec<EventMessage> {
        lock(&self.outbox).clone()
    }

    /// Prices the lines, checks (or reserves) stock, stores the order and queues its
    /// order-created event.
    pub async fn place_order(
        &self,
        customer_id: &str,
        lines: &[NewLine],
    ) -> Result<Order, PlaceError> {
        if lines.is_empty() || lines.iter().any(|line| line.quantity == 0) {
            return Err(PlaceError::Empty);
        }
        let mut priced = Vec::with_capacity(lines.len());
        for line in lines {
            let unit_price_cents = self
                .catalogue
                .price(&line.sku)
                .ok_or_else(|| PlaceError::UnknownSku(line.sku.clone()))?;
            priced.push(OrderLine {
                sku: line.sku.clone(),
                quantity: line.quantity,
                unit_price_cents,
            });
        }
        let id = self.next_id();
        self.secure_stock(id, &priced).await?;
        let placed_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        let order = Order::placed(id, customer_id, priced, placed_at);
        lock(&self.orders).insert(id, order.clone());
        lock(&self.outbox).push(order_created(&order));
        Ok(order)
    }

    fn next_id(&self) -> u64 {
        lock(&self.orders)
            .keys()
            .next_back()
            .map_or(1000, |last| (last + 1).max(1000))
    }

    /// Checks that every line is in stock.
    #[cfg(not(feature = "reserve-stock"))]
    async fn secure_stock(&self, _id: u64, lines: &[OrderLine]) -> Result<(), PlaceError> {
        for line in lines {
            match self
                .stock
                .available(&line.sku)
                .await
                .map_err(PlaceError::Inventory)?
            {
                None => return Err(PlaceError::UnknownSku(line.sku.clone())),
                Some(available) if available < line.quantity => {
                    return Err(PlaceError::InsufficientStock(line.sku.clone()));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Reserves every line with inventory-api, so two orders cannot sell the same unit.
    #[cfg(feature = "reserve-stock")]
    async fn secure_stock(&self, id: u64, lines: &[OrderLine]) -> Result<(), PlaceError> {
        use crate::inventory::Reservation;
        let wanted: Vec<(String, u32)> = lines
            .iter()
            .map(|line| (line.sku.clone(), line.quantity))
            .collect();
        match self
            .stock
            .reserve(&format!("ord-{id}"), &wanted)
            .await
            .map_err(PlaceError::Inventory)?
        {
            Reservation::Reserved(_) => Ok(()),
            Reservation::Insufficient(sku) => Err(PlaceError::InsufficientStock(sku)),
            Reservation::UnknownSku(sku) => Err(PlaceError::UnknownSku(sku)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> Shop {
        let stock = Stock::in_memory();
        stock.set_level("A-1", 5);
        stock.set_level("B-2", 1);
        Shop::new(Catalogue::standard(), stock)
    }

    fn line(sku: &str, quantity: u32) -> NewLine {
        NewLine {
            sku: sku.into(),
            quantity,
        }
    }

    #[tokio::test]
    async fn placing_an_order_prices_it_and_queues_an_event() {
        let shop = shop();
        let order = shop
            .place_order("c-1", &[line("A-1", 2), line("B-2", 1)])
            .await
            .unwrap();
        assert_eq!(order.id, 1000);
        assert_eq!(order.total_cents, 2 * 1250 + 499);
        assert_eq!(shop.order(1000), Some(order.clone()));
        let outbox = shop.outbox();
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox[0].contents["order_id"], 1000);
        let next = shop.place_order("c-1", &[line("A-1", 1)]).await.unwrap();
        assert_eq!(next.id, 1001);
    }

    #[tokio::test]
    async fn refuses_what_it_cannot_sell() {
        let shop = shop();
        assert_eq!(
            shop.place_order("c-1", &[line("B-2", 2)]).await,
            Err(PlaceError::InsufficientStock("B-2".into()))
        );
        assert_eq!(
            shop.place_order("c-1", &[line("X-0", 1)]).await,
            Err(PlaceError::UnknownSku("X-0".into()))
        );
        assert_eq!(shop.place_order("c-1", &[]).await, Err(PlaceError::Empty));
        assert_eq!(
            shop.place_order("c-1", &[line("A-1", 0)]).await,
            Err(PlaceError::Empty)
        );
        // C-3 is sold but inventory does not stock it.
        assert_eq!(
            shop.place_order("c-1", &[line("C-3", 1)]).await,
            Err(PlaceError::UnknownSku("C-3".into()))
        );
        assert!(shop.outbox().is_empty());
    }
}
