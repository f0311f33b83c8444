//! `accord contract`: validate, show, convert and diff contract files.

use std::process::ExitCode;

use clap::Subcommand;

/// Work with contract files.
#[derive(Debug, Subcommand)]
pub(crate) enum ContractCommand {}

pub(crate) async fn run(command: ContractCommand) -> anyhow::Result<ExitCode> {
    match command {}
}
