//! `accord mock`: the mock provider as a standalone server, for consumers in any language.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use accord_consumer::{ContractWriter, MockServer};

use super::serving::{bind, read_contract, shutdown_signal};
use crate::env;

/// Run a mock provider: register interactions through its control API (or load contracts),
/// point the consumer at it, then verify and write the contract.
#[derive(Debug, Args)]
pub(crate) struct MockArgs {
    /// Port to listen on (0 picks a free one; the URL is printed).
    #[arg(short, long, env = env::ACCORD_MOCK_PORT, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, env = env::ACCORD_MOCK_HOST, default_value = "127.0.0.1")]
    host: String,
    /// Contract files whose HTTP interactions are expected from the start (repeatable).
    #[arg(long = "contract", value_name = "FILE", num_args = 1..)]
    contracts: Vec<PathBuf>,
    /// The consumer's name in the written contract (default: the loaded contract's).
    #[arg(long, requires = "provider")]
    consumer: Option<String>,
    /// The provider's name in the written contract (default: the loaded contract's).
    #[arg(long, requires = "consumer")]
    provider: Option<String>,
    /// Folder the contract is written to (default: target/contracts).
    #[arg(long, value_name = "DIR", env = env::ACCORD_CONTRACTS_DIR)]
    output_dir: Option<PathBuf>,
}

pub(crate) async fn run(args: MockArgs) -> anyhow::Result<ExitCode> {
    let mut writer = ContractWriter::new();
    if let Some(dir) = &args.output_dir {
        writer = writer.with_dir(dir);
    }
    let mut mock = MockServer::new().with_writer(writer);
    if let (Some(consumer), Some(provider)) = (&args.consumer, &args.provider) {
        mock = mock.with_parties(consumer, provider);
    }
    for path in &args.contracts {
        let contract = read_contract(path)?;
        let added = mock
            .add_contract(&contract)
            .with_context(|| format!("loading {}", path.display()))?;
        tracing::info!(file = %path.display(), interactions = added, "expecting interactions");
    }
    let listener = bind(&args.host, args.port).await?;
    let address = listener.local_addr()?;
    println!("accord mock listening on http://{address}");
    mock.serve(listener, shutdown_signal())
        .await
        .context("serving the mock provider")?;
    Ok(ExitCode::SUCCESS)
}
