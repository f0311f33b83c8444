//! The HTML the web app renders.

use crate::orders::Order;

/// `1234` cents in `EUR` → `€12.34`.
pub fn money(cents: u64, currency: &str) -> String {
    let symbol = match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => return format!("{}.{:02} {other}", cents / 100, cents % 100),
    };
    format!("{symbol}{}.{:02}", cents / 100, cents % 100)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The order page.
pub fn order_page(order: &Order) -> String {
    let rows: String = order
        .lines
        .iter()
        .map(|line| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&line.sku),
                line.quantity,
                money(line.unit_price_cents, &order.currency)
            )
        })
        .collect();
    format!(
        "<h1>Order {}</h1><p>Status: {}</p><table>{rows}</table><p>Total: {}</p>",
        order.id,
        escape(&order.status),
        money(order.total_cents, &order.currency)
    )
}

/// The page for an order that does not exist.
pub fn not_found_page(id: u64) -> String {
    format!("<h1>No order {id}</h1>")
}

/// The page when a product sold out before checkout.
pub fn out_of_stock_page(sku: &str) -> String {
    format!(
        "<h1>Sorry</h1><p>{} is out of stock; your basket is unchanged.</p>",
        escape(sku)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::Line;

    #[test]
    fn money_is_formatted_from_cents() {
        assert_eq!(money(2999, "EUR"), "€29.99");
        assert_eq!(money(5, "USD"), "$0.05");
        assert_eq!(money(100_000, "CHF"), "1000.00 CHF");
    }

    #[test]
    fn order_page_lists_lines_and_total() {
        let order = Order {
            id: 10,
            status: "placed".into(),
            currency: "EUR".into(),
            lines: vec![Line {
                sku: "<A-1>".into(),
                quantity: 2,
                unit_price_cents: 1250,
            }],
            total_cents: 2500,
        };
        let page = order_page(&order);
        assert!(page.contains("<h1>Order 10</h1>"));
        assert!(page.contains("<td>&lt;A-1&gt;</td><td>2</td><td>€12.50</td>"));
        assert!(page.contains("Total: €25.00"));
    }
}
