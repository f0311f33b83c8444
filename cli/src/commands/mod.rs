//! One module per subcommand; each exposes its clap arguments and an async `run`.

pub(crate) mod broker;
mod broker_client;
pub(crate) mod can_i_deploy;
pub(crate) mod conformance;
pub(crate) mod contract;
pub(crate) mod coupling;
pub(crate) mod deployments;
pub(crate) mod environment;
pub(crate) mod mock;
pub(crate) mod pacticipant;
pub(crate) mod publish;
mod serving;
pub(crate) mod stub;
pub(crate) mod verify;
pub(crate) mod version;

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
        Command::Broker(command) => broker::run(command).await,
        Command::Publish(args) => publish::run(args).await,
        Command::RecordDeployment(args) => deployments::run_deployment(args).await,
        Command::RecordUndeployment(args) => deployments::run_undeployment(args).await,
        Command::RecordRelease(args) => deployments::run_release(args).await,
        Command::Environment(command) => environment::run(command).await,
        Command::Pacticipant(command) => pacticipant::run(command).await,
        Command::Version(command) => version::run(command).await,
        Command::CanIDeploy(args) => can_i_deploy::run(args).await,
        Command::Graph(args) => coupling::run_graph(args).await,
        Command::Plan(args) => coupling::run_plan(args).await,
    }
}
