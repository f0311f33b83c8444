//! `accord broker serve`: run the Pact Broker compatible server.

use std::net::IpAddr;
use std::process::ExitCode;

use accord_broker::{
    AnyStore, AuthConfig, BrokerConfig, Credential, DEFAULT_BODY_LIMIT, DatabaseUrl,
};
use anyhow::Context;
use clap::{Args, Subcommand};

/// Run and manage the broker server.
#[derive(Debug, Subcommand)]
pub(crate) enum BrokerCommand {
    /// Serve the broker API (Pact Broker compatible) until interrupted.
    Serve(ServeArgs),
}

use crate::env;

/// `accord broker serve` options. Each also reads the environment variable shown.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// TCP port to listen on (0 picks a free one).
    #[arg(long, env = env::ACCORD_BROKER_PORT, default_value_t = 9292)]
    port: u16,
    /// Address to listen on. Anything but loopback without credentials prints a warning.
    #[arg(long, env = env::ACCORD_BROKER_HOST, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Database: `sqlite://PATH` (created when missing) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = env::DATABASE_URL,
        default_value = "sqlite://accord.db",
        hide_env_values = true
    )]
    database: String,
    /// Base URL used in links (default: from each request's Host header).
    #[arg(long, env = env::ACCORD_BROKER_PUBLIC_URL)]
    public_url: Option<String>,
    /// Let a consumer version's contract be replaced by different content (normally 409).
    #[arg(long, env = env::ACCORD_BROKER_ALLOW_CONTRACT_MODIFICATION)]
    allow_contract_modification: bool,
    /// Read-write user for HTTP basic authentication.
    #[arg(long, env = env::ACCORD_BROKER_USERNAME, requires = "password")]
    username: Option<String>,
    /// Password of --username.
    #[arg(
        long,
        env = env::ACCORD_BROKER_PASSWORD,
        requires = "username",
        hide_env_values = true
    )]
    password: Option<String>,
    /// Read-only user for HTTP basic authentication.
    #[arg(
        long,
        env = env::ACCORD_BROKER_READ_ONLY_USERNAME,
        requires = "read_only_password"
    )]
    read_only_username: Option<String>,
    /// Password of --read-only-username.
    #[arg(
        long,
        env = env::ACCORD_BROKER_READ_ONLY_PASSWORD,
        requires = "read_only_username",
        hide_env_values = true
    )]
    read_only_password: Option<String>,
    /// Read-write bearer token.
    #[arg(long, env = env::ACCORD_BROKER_TOKEN, hide_env_values = true)]
    token: Option<String>,
    /// Read-only bearer token.
    #[arg(long, env = env::ACCORD_BROKER_READ_ONLY_TOKEN, hide_env_values = true)]
    read_only_token: Option<String>,
    /// With credentials configured, let anonymous callers read (writes still need credentials).
    #[arg(long, env = env::ACCORD_BROKER_PUBLIC_READ)]
    public_read: bool,
}

impl ServeArgs {
    fn config(&self) -> anyhow::Result<BrokerConfig> {
        let mut auth = AuthConfig {
            public_read: self.public_read,
            ..AuthConfig::default()
        };
        if let (Some(username), Some(password)) = (&self.username, &self.password) {
            auth.read_write.push(Credential::Basic {
                username: username.clone(),
                password: password.clone(),
            });
        }
        if let (Some(username), Some(password)) =
            (&self.read_only_username, &self.read_only_password)
        {
            auth.read_only.push(Credential::Basic {
                username: username.clone(),
                password: password.clone(),
            });
        }
        for (token, list) in [
            (&self.token, &mut auth.read_write),
            (&self.read_only_token, &mut auth.read_only),
        ] {
            if let Some(token) = token {
                anyhow::ensure!(!token.trim().is_empty(), "a token cannot be empty");
                list.push(Credential::Token(token.clone()));
            }
        }
        let public_url = match &self.public_url {
            Some(url) => {
                let parsed = url::Url::parse(url)
                    .with_context(|| format!("--public-url {url:?} is not a URL"))?;
                anyhow::ensure!(
                    matches!(parsed.scheme(), "http" | "https"),
                    "--public-url must be an http(s) URL"
                );
                Some(url.trim_end_matches('/').to_owned())
            }
            None => None,
        };
        Ok(BrokerConfig {
            public_url,
            allow_contract_modification: self.allow_contract_modification,
            auth,
            body_limit: DEFAULT_BODY_LIMIT,
        })
    }
}

pub(crate) async fn run(command: BrokerCommand) -> anyhow::Result<ExitCode> {
    match command {
        BrokerCommand::Serve(args) => serve(args).await,
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let config = args.config()?;
    if !args.host.is_loopback() && !config.auth.enabled() {
        eprintln!(
            "warning: listening on {} without credentials: anyone who can reach this address can \
             change contracts and deployments. Set --username/--password or --token.",
            args.host
        );
    }
    let database = DatabaseUrl::new(args.database.clone());
    tracing::debug!(?database, ?config, "starting broker");
    let store = AnyStore::connect(&database)
        .await
        .with_context(|| format!("opening the database {database}"))?;
    let listener = tokio::net::TcpListener::bind((args.host, args.port))
        .await
        .with_context(|| format!("listening on {}:{}", args.host, args.port))?;
    let address = listener.local_addr().context("reading the bound address")?;
    println!("accord broker listening on http://{address}");
    accord_broker::serve(listener, store, config, shutdown_signal())
        .await
        .context("serving the broker")?;
    Ok(ExitCode::SUCCESS)
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn parse(args: &[&str]) -> Result<ServeArgs, clap::Error> {
        Wrapper::try_parse_from(std::iter::once("serve").chain(args.iter().copied()))
            .map(|w| w.serve)
    }

    #[test]
    fn defaults_are_local_and_open() {
        let args = parse(&[]).unwrap();
        assert_eq!(args.port, 9292);
        assert!(args.host.is_loopback());
        let config = args.config().unwrap();
        assert!(!config.auth.enabled());
        assert!(!config.allow_contract_modification);
        assert_eq!(config.public_url, None);
    }

    #[test]
    fn credentials_become_roles() {
        let args = parse(&[
            "--username",
            "u",
            "--password",
            "p",
            "--read-only-token",
            "t",
            "--public-read",
        ])
        .unwrap();
        let config = args.config().unwrap();
        assert_eq!(
            config.auth.read_write,
            [Credential::Basic {
                username: "u".into(),
                password: "p".into()
            }]
        );
        assert_eq!(config.auth.read_only, [Credential::Token("t".into())]);
        assert!(config.auth.public_read);
        assert!(
            parse(&["--username", "u"]).is_err(),
            "a user needs a password"
        );
        assert!(
            parse(&["--token", " "]).unwrap().config().is_err(),
            "blank tokens are refused"
        );
    }

    #[test]
    fn public_url_must_be_http() {
        let config = parse(&["--public-url", "https://pacts.example.com/base/"])
            .unwrap()
            .config()
            .unwrap();
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://pacts.example.com/base")
        );
        assert!(
            parse(&["--public-url", "ftp://x"])
                .unwrap()
                .config()
                .is_err()
        );
        assert!(
            parse(&["--public-url", "not a url"])
                .unwrap()
                .config()
                .is_err()
        );
    }
}
