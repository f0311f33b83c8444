//! billing-worker's contract with orders-api's `order-created` event: the handler must
//! accept the example before `billing-worker-orders-api.json` is written.

use accord_consumer::{ContractBuilder, each_like, integer, like, regex};
use example_billing_worker::handle_order_created;
use serde_json::json;

#[test]
fn invoices_an_order_created_event() {
    let mut contract = ContractBuilder::new("billing-worker", "orders-api");
    contract
        .message("an order-created event", |m| {
            m.given_with("an order was placed", json!({"id": 10}))
                .json_contents(json!({
                    "order_id": integer(10),
                    "customer_id": like("c-42"),
                    "currency": regex("^[A-Z]{3}$", "EUR"),
                    "total_cents": integer(2999),
                    "lines": each_like(json!({
                        "sku": like("A-1"),
                        "quantity": integer(1),
                        "unit_price_cents": integer(2999),
                    }), 1, None),
                }))
                .metadata("topic", "orders.order-created")
        })
        .verify_message("an order-created event", |contents, _metadata| {
            let invoice = handle_order_created(contents)?;
            assert_eq!(invoice.number, "INV-10");
            assert_eq!(invoice.gross_cents, 2999 + 600);
            Ok::<_, example_billing_worker::BillingError>(())
        });
    contract.write();
}
