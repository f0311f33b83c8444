//! `accord stub`: serves the responses of existing contracts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use accord_consumer::Stub;

use super::serving::{bind, read_contract, shutdown_signal};
use crate::env;

/// Serve the responses of contract files, so a consumer can be developed without its
/// provider. Send `X-Accord-State: <provider state>` to pick among interactions for the
/// same request.
#[derive(Debug, Args)]
pub(crate) struct StubArgs {
    /// Contract files, or folders of `*.json` contract files (repeatable; earlier wins ties).
    #[arg(long = "contract", value_name = "FILE|DIR", num_args = 1.., required = true)]
    contracts: Vec<PathBuf>,
    /// Port to listen on (0 picks a free one; the URL is printed).
    #[arg(short, long, env = env::ACCORD_STUB_PORT, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, env = env::ACCORD_STUB_HOST, default_value = "127.0.0.1")]
    host: String,
    /// Answer CORS preflight requests and allow any origin (for pages served elsewhere).
    #[arg(long)]
    cors: bool,
}

pub(crate) async fn run(args: StubArgs) -> anyhow::Result<ExitCode> {
    let mut stub = Stub::new().with_cors(args.cors);
    for path in contract_files(&args.contracts)? {
        let contract = read_contract(&path)?;
        stub.add_contract(&contract, &path.display().to_string());
    }
    if stub.is_empty() {
        anyhow::bail!("the contracts hold no HTTP interactions to serve");
    }
    if stub.skipped() > 0 {
        tracing::info!(
            messages = stub.skipped(),
            "message interactions are not served"
        );
    }
    eprintln!("serving {} interactions", stub.len());
    for (state, count) in stub.states() {
        tracing::info!(%state, interactions = count, "provider state (select with X-Accord-State)");
    }
    let listener = bind(&args.host, args.port).await?;
    let address = listener.local_addr()?;
    println!("accord stub listening on http://{address}");
    stub.serve(listener, shutdown_signal())
        .await
        .context("serving the stub")?;
    Ok(ExitCode::SUCCESS)
}

/// The files named, with folders replaced by their `*.json` files in name order.
fn contract_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(json_files(path)?);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn json_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading folder {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}
