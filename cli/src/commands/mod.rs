//! One module per subcommand; each exposes its clap arguments and an async `run`.

pub(crate) mod conformance;
pub(crate) mod contract;
pub(crate) mod mock;
mod serving;
pub(crate) mod stub;
pub(crate) mod verify;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Runs the parsed command. `Ok` carries the exit code of a completed command (0 success,
/// 1 a negative answer); `Err` is a usage or runtime error (exit 2).
pub(crate) async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Contract(command) => contract::run(command).await,
        Command::Verify(args) => verify::run(*args).await,
        Command::Conformance(args) => conformance::run(args).await,
        Command::Mock(args) => mock::run(args).await,
        Command::Stub(args) => stub::run(args).await,
    }
}
