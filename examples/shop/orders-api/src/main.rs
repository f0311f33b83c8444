//! Runs orders-api: `orders-api --port 0 --inventory-url URL` prints
//! `orders-api listening on http://127.0.0.1:PORT` once it accepts connections.

use std::io::Write;
use std::sync::Arc;

use clap::Parser;
use example_orders_api::inventory::{InventoryClient, Stock};
use example_orders_api::model::Catalogue;
use example_orders_api::{Shop, router};

/// The shop's orders.
#[derive(Debug, Parser)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8081)]
    port: u16,
    /// inventory-api's base URL.
    #[arg(
        long,
        env = "INVENTORY_API_URL",
        default_value = "http://127.0.0.1:8082"
    )]
    inventory_url: String,
    /// Run for contract verification: stock in memory, provider-state and message
    /// endpoints served. Never in production.
    #[arg(long, env = "ORDERS_API_PROVIDER_STATES")]
    provider_states: bool,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let stock = if args.provider_states {
        Stock::in_memory()
    } else {
        Stock::Remote(InventoryClient::new(&args.inventory_url))
    };
    let shop = Arc::new(Shop::new(Catalogue::standard(), stock));
    let app = router(shop, args.provider_states);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
    println!("orders-api listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let terminate = async {
            match term.as_mut() {
                Some(term) => {
                    term.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = interrupt => {}
            () = terminate => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
