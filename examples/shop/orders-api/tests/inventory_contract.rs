//! orders-api's contract with inventory-api: what `InventoryClient` sends and relies on.
//! Each test exercises the client against Accord's mock provider; together they write
//! `orders-api-inventory-api.json` (to `ACCORD_CONTRACTS_DIR`, or `target/contracts`).

use accord_consumer::{ContractBuilder, integer, like};
use example_orders_api::inventory::InventoryClient;
use serde_json::json;

fn inventory() -> ContractBuilder {
    ContractBuilder::new("orders-api", "inventory-api")
}

#[tokio::test]
async fn reads_the_stock_level_of_a_sku() {
    let mut contract = inventory();
    contract.interaction("get the stock level of a SKU", |i| {
        i.given_with("a SKU is in stock", json!({"sku": "A-1", "available": 5}))
            .request(|r| r.get("/stock/A-1").header("Accept", "application/json"))
            .response(|r| {
                r.status(200)
                    .json_body(json!({"sku": like("A-1"), "available": integer(5)}))
            })
    });
    let mock = contract.start_mock();
    let client = InventoryClient::new(mock.url());
    assert_eq!(client.available("A-1").await, Ok(Some(5)));
    mock.finish();
}

#[tokio::test]
async fn an_unknown_sku_has_no_stock_level() {
    let mut contract = inventory();
    contract.interaction("get the stock level of an unknown SKU", |i| {
        i.given_with("a SKU is unknown", json!({"sku": "Z-9"}))
            .request(|r| r.get("/stock/Z-9").header("Accept", "application/json"))
            .response(|r| r.status(404))
    });
    let mock = contract.start_mock();
    let client = InventoryClient::new(mock.url());
    assert_eq!(client.available("Z-9").await, Ok(None));
    mock.finish();
}

#[cfg(feature = "reserve-stock")]
#[tokio::test]
async fn reserves_stock_for_an_order() {
    use example_orders_api::inventory::Reservation;

    let mut contract = inventory();
    contract.interaction("reserve stock for an order", |i| {
        i.given_with("a SKU is in stock", json!({"sku": "A-1", "available": 5}))
            .request(|r| {
                r.post("/reservations").json_body(json!({
                    "order_ref": "ord-1000",
                    "lines": [{"sku": "A-1", "quantity": 2}],
                }))
            })
            .response(|r| {
                r.status(201)
                    .json_body(json!({"reservation_id": like("res-1")}))
            })
    });
    let mock = contract.start_mock();
    let client = InventoryClient::new(mock.url());
    let reserved = client.reserve("ord-1000", &[("A-1".to_owned(), 2)]).await;
    assert_eq!(reserved, Ok(Reservation::Reserved("res-1".to_owned())));
    mock.finish();
}

#[cfg(feature = "reserve-stock")]
#[tokio::test]
async fn a_short_sku_fails_the_reservation() {
    use example_orders_api::inventory::Reservation;

    let mut contract = inventory();
    contract.interaction("reserve more stock than there is", |i| {
        i.given_with("a SKU is in stock", json!({"sku": "B-2", "available": 1}))
            .request(|r| {
                r.post("/reservations").json_body(json!({
                    "order_ref": "ord-1001",
                    "lines": [{"sku": "B-2", "quantity": 3}],
                }))
            })
            .response(|r| {
                r.status(409)
                    .json_body(json!({"error": like("insufficient stock"), "sku": "B-2"}))
            })
    });
    let mock = contract.start_mock();
    let client = InventoryClient::new(mock.url());
    let reserved = client.reserve("ord-1001", &[("B-2".to_owned(), 3)]).await;
    assert_eq!(reserved, Ok(Reservation::Insufficient("B-2".to_owned())));
    mock.finish();
}
