//! The one tracing subscriber of the process: logs go to stderr, stdout carries command output.

use tracing_subscriber::EnvFilter;

use crate::cli::GlobalArgs;
use crate::env;

/// Installs the subscriber. `-v`/`-q` pick the default level; `RUST_LOG` overrides it.
pub(crate) fn init(global: &GlobalArgs) {
    let default_level = if global.quiet {
        "error"
    } else {
        match global.verbose {
            0 => "warn",
            1 => "info",
            2 => "debug",
            _ => "trace",
        }
    };
    let filter =
        EnvFilter::try_from_env(env::RUST_LOG).unwrap_or_else(|_| EnvFilter::new(default_level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
