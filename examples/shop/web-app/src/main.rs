//! Runs web-app: `web-app --port 0 --orders-url URL` prints
//! `web-app listening on http://127.0.0.1:PORT` once it accepts connections.

use std::io::Write;

use clap::Parser;
use example_web_app::orders::OrdersClient;
use example_web_app::router;

/// The shop's web front end.
#[derive(Debug, Parser)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// orders-api's base URL.
    #[arg(long, env = "ORDERS_API_URL", default_value = "http://127.0.0.1:8081")]
    orders_url: String,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let app = router(OrdersClient::new(&args.orders_url));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
    println!("web-app listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
