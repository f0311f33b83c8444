//! web-app's contract with orders-api: each test drives `OrdersClient` against Accord's
//! mock provider; together they write `web-app-orders-api.json`.

use accord_consumer::{ContractBuilder, each_like, integer, like, regex};
use example_web_app::orders::{BasketLine, Checkout, OrdersClient};
use serde_json::{Value, json};

fn orders_api() -> ContractBuilder {
    ContractBuilder::new("web-app", "orders-api")
}

/// The order body the web app relies on.
fn order_body(id: i64) -> Value {
    json!({
        "id": integer(id),
        "status": regex("^(placed|shipped)$", "placed"),
        "currency": regex("^[A-Z]{3}$", "EUR"),
        "lines": each_like(json!({
            "sku": like("A-1"),
            "quantity": integer(2),
            "unit_price_cents": integer(1250),
        }), 1, None),
        "total_cents": integer(2500),
    })
}

#[tokio::test]
async fn shows_an_order() {
    let mut contract = orders_api();
    contract.interaction("get an order", |i| {
        i.given_with("an order exists", json!({"id": 10}))
            .request(|r| r.get("/orders/10").header("Accept", "application/json"))
            .response(|r| r.status(200).json_body(order_body(10)))
    });
    let mock = contract.start_mock();
    let order = OrdersClient::new(mock.url())
        .order(10)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.id, 10);
    assert_eq!(order.lines[0].unit_price_cents, 1250);
    mock.finish();
}

#[tokio::test]
async fn a_missing_order_is_none() {
    let mut contract = orders_api();
    contract.interaction("get an order that does not exist", |i| {
        i.given_with("no order exists", json!({"id": 99}))
            .request(|r| r.get("/orders/99").header("Accept", "application/json"))
            .response(|r| r.status(404))
    });
    let mock = contract.start_mock();
    let order = OrdersClient::new(mock.url()).order(99).await.unwrap();
    assert_eq!(order, None);
    mock.finish();
}

#[tokio::test]
async fn checks_a_basket_out() {
    let mut contract = orders_api();
    contract.interaction("place an order", |i| {
        i.given_with("a SKU is in stock", json!({"sku": "A-1", "available": 10}))
            .request(|r| {
                r.post("/orders").json_body(json!({
                    "customer_id": "c-42",
                    "lines": [{"sku": "A-1", "quantity": 2}],
                }))
            })
            .response(|r| r.status(201).json_body(order_body(1000)))
    });
    let mock = contract.start_mock();
    let basket = [BasketLine {
        sku: "A-1".into(),
        quantity: 2,
    }];
    let outcome = OrdersClient::new(mock.url())
        .checkout("c-42", &basket)
        .await
        .unwrap();
    let Checkout::Placed(order) = outcome else {
        panic!("expected a placed order, got {outcome:?}");
    };
    assert_eq!(order.total_cents, 2500);
    mock.finish();
}

#[tokio::test]
async fn an_out_of_stock_sku_is_named() {
    let mut contract = orders_api();
    contract.interaction("place an order for a SKU out of stock", |i| {
        i.given_with("a SKU is out of stock", json!({"sku": "B-2"}))
            .request(|r| {
                r.post("/orders").json_body(json!({
                    "customer_id": "c-42",
                    "lines": [{"sku": "B-2", "quantity": 1}],
                }))
            })
            .response(|r| r.status(409).json_body(json!({"sku": "B-2"})))
    });
    let mock = contract.start_mock();
    let basket = [BasketLine {
        sku: "B-2".into(),
        quantity: 1,
    }];
    let outcome = OrdersClient::new(mock.url())
        .checkout("c-42", &basket)
        .await
        .unwrap();
    assert_eq!(outcome, Checkout::OutOfStock("B-2".into()));
    mock.finish();
}
