//! The command-line grammar: global options and one subcommand per job.

use clap::{Args, Parser, Subcommand};

use crate::commands;

/// Accord: consumer-driven contract testing, compatible with Pact.
#[derive(Debug, Parser)]
#[command(name = "accord", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every subcommand accepts.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// More log output on stderr (-v info, -vv debug, -vvv trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Inspect, validate, convert and compare contract files.
    #[command(subcommand)]
    Contract(commands::contract::ContractCommand),
    /// Run the broker server.
    #[command(subcommand)]
    Broker(commands::broker::BrokerCommand),
    /// Publish contract files to a broker.
    Publish(commands::publish::PublishArgs),
    /// Record that a version is deployed to an environment.
    RecordDeployment(commands::deployments::RecordDeploymentArgs),
    /// Record that an application is no longer deployed to an environment.
    RecordUndeployment(commands::deployments::RecordUndeploymentArgs),
    /// Record that a version is released to an environment.
    RecordRelease(commands::deployments::RecordReleaseArgs),
    /// Create, list and show environments on a broker.
    #[command(subcommand)]
    Environment(commands::environment::EnvironmentCommand),
    /// Create, list and show pacticipants on a broker.
    #[command(subcommand)]
    Pacticipant(commands::pacticipant::PacticipantCommand),
    /// Describe pacticipant versions on a broker.
    #[command(subcommand)]
    Version(commands::version::VersionCommand),
    /// Ask the broker whether versions may be deployed to an environment now.
    CanIDeploy(commands::can_i_deploy::CanIDeployArgs),
    /// Show the service graph and where services are coupled (cycles, lockstep, co-deployment).
    Graph(commands::coupling::GraphArgs),
    /// Plan the order in which a batch of versions can be deployed one service at a time.
    Plan(commands::coupling::PlanArgs),
    /// Verify a running provider against its contracts (files, URLs or a broker).
    Verify(Box<commands::verify::VerifyArgs>),
    /// Run the Pact specification's matching test cases against Accord's matcher.
    Conformance(commands::conformance::ConformanceArgs),
    /// Run a standalone mock provider with a JSON control API, for consumers in any language.
    Mock(commands::mock::MockArgs),
    /// Serve the responses of existing contracts.
    Stub(commands::stub::StubArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
