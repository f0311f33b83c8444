//! Runs inventory-api: `inventory-api --port 0 --provider-states` prints
//! `inventory-api listening on http://127.0.0.1:PORT` once it accepts connections.

use std::io::Write;
use std::sync::{Arc, Mutex};

use clap::Parser;
use example_inventory_api::{Inventory, router};

/// Stock levels per SKU.
#[derive(Debug, Parser)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8082)]
    port: u16,
    /// Serve the provider-state endpoint, for contract verification. Never in production.
    #[arg(long, env = "INVENTORY_API_PROVIDER_STATES")]
    provider_states: bool,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let inventory = if args.provider_states {
        Inventory::default()
    } else {
        Inventory::seeded()
    };
    let app = router(Arc::new(Mutex::new(inventory)), args.provider_states);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
    println!(
        "inventory-api listening on http://{}",
        listener.local_addr()?
    );
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
