//! Runs billing-worker: `billing-worker --port 0` prints
//! `billing-worker listening on http://127.0.0.1:PORT` once it accepts connections.

use std::io::Write;

use clap::Parser;
use example_billing_worker::router;

/// Invoices placed orders.
#[derive(Debug, Parser)]
struct Args {
    /// Port the message bus pushes events to (0 picks a free one).
    #[arg(long, default_value_t = 8083)]
    port: u16,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let app = router(Default::default());
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
    println!(
        "billing-worker listening on http://{}",
        listener.local_addr()?
    );
    std::io::stdout().flush()?;
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
