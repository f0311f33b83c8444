//! Every environment variable `accord` reads, in one place.
//!
//! clap's `env = …` on an argument takes one name each: the Pact name where Pact's tools
//! already read one (so a pipeline written for Pact keeps working), `ACCORD_*` otherwise.
//! The tests below check that every name an argument reads is listed here and that the
//! README's configuration table documents every name listed here.

/// Declares each variable as a constant whose value is its own name, and `ALL` (for the tests) listing them.
macro_rules! env_vars {
    ($($(#[doc = $doc:literal])* $name:ident,)*) => {
        $( $(#[doc = $doc])* pub(crate) const $name: &str = stringify!($name); )*
        /// Every variable above.
        #[cfg(test)]
        pub(crate) const ALL: &[&str] = &[$($name),*];
    };
}

env_vars! {
    // Client commands and `verify`: where the broker is and who we are.
    /// The broker's base URL.
    PACT_BROKER_BASE_URL,
    /// Bearer token for the broker.
    PACT_BROKER_TOKEN,
    /// HTTP basic user for the broker.
    PACT_BROKER_USERNAME,
    /// HTTP basic password for the broker.
    PACT_BROKER_PASSWORD,
    /// How many times a broker request answered with 5xx, 408 or 429 is retried.
    PACT_BROKER_HTTP_RETRIES,
    // `publish`
    /// The consumer version the published contracts belong to.
    PACT_BROKER_CONSUMER_APP_VERSION,
    /// The consumer version's branch.
    PACT_BROKER_BRANCH,
    // `can-i-deploy`
    /// Pacticipants (or `NAME@VERSION`) to leave out of the question.
    PACT_BROKER_CAN_I_DEPLOY_IGNORE,
    /// Print the answer but exit 0.
    PACT_BROKER_CAN_I_DEPLOY_DRY_RUN,
    // `broker serve`
    /// `sqlite://PATH` or `postgres://…`.
    DATABASE_URL,
    /// Listen address.
    ACCORD_BROKER_HOST,
    /// Listen port.
    ACCORD_BROKER_PORT,
    /// Base URL of links, behind a proxy.
    ACCORD_BROKER_PUBLIC_URL,
    /// Read-write basic user.
    ACCORD_BROKER_USERNAME,
    /// Read-write basic password.
    ACCORD_BROKER_PASSWORD,
    /// Read-write bearer token.
    ACCORD_BROKER_TOKEN,
    /// Read-only basic user.
    ACCORD_BROKER_READ_ONLY_USERNAME,
    /// Read-only basic password.
    ACCORD_BROKER_READ_ONLY_PASSWORD,
    /// Read-only bearer token.
    ACCORD_BROKER_READ_ONLY_TOKEN,
    /// Anonymous reads allowed when credentials are set.
    ACCORD_BROKER_PUBLIC_READ,
    /// Different content may replace a consumer version's contract.
    ACCORD_BROKER_ALLOW_CONTRACT_MODIFICATION,
    // `verify`, with Pact's verifier's names where it has them.
    /// The provider's name.
    PACT_PROVIDER_NAME,
    /// The provider's host (with the port).
    PACT_PROVIDER_HOSTNAME,
    /// The provider's port.
    PACT_PROVIDER_PORT,
    /// A path prefix for every request.
    PACT_PROVIDER_BASE_PATH,
    /// Where provider state changes are posted.
    PACT_PROVIDER_STATE_CHANGE_URL,
    /// Also post a teardown after each interaction.
    PACT_PROVIDER_STATE_CHANGE_TEARDOWN,
    /// Send state-change data as query parameters.
    PACT_PROVIDER_STATE_CHANGE_AS_QUERY,
    /// Timeout in milliseconds for each request.
    PACT_PROVIDER_REQUEST_TIMEOUT,
    /// Only interactions whose description matches this regex.
    PACT_DESCRIPTION,
    /// Only interactions with a provider state matching this regex.
    PACT_PROVIDER_STATE,
    /// Only interactions without provider states.
    PACT_PROVIDER_NO_STATE,
    /// Where the JSON report is written.
    PACT_VERIFIER_JSON_REPORT,
    /// Where the JUnit report is written.
    PACT_VERIFIER_JUNIT_REPORT,
    /// The running provider's URL.
    ACCORD_PROVIDER_BASE_URL,
    /// The provider version results are published for.
    ACCORD_PROVIDER_APP_VERSION,
    /// That version's branch.
    ACCORD_PROVIDER_VERSION_BRANCH,
    /// How many interactions are replayed at once.
    ACCORD_VERIFY_JOBS,
    /// A link to the CI build, published with the results.
    ACCORD_BUILD_URL,
    // `mock` and `stub`
    /// The mock's listen address.
    ACCORD_MOCK_HOST,
    /// The mock's listen port.
    ACCORD_MOCK_PORT,
    /// The stub's listen address.
    ACCORD_STUB_HOST,
    /// The stub's listen port.
    ACCORD_STUB_PORT,
    // Read outside clap.
    /// Where contracts are written (the consumer crate reads it; `mock` through it).
    ACCORD_CONTRACTS_DIR,
    /// The log filter (tracing's `EnvFilter`).
    RUST_LOG,
    /// Turns colour off in `verify`'s report.
    NO_COLOR,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use clap::CommandFactory;

    use super::*;

    /// Names read by some clap argument, over the whole command tree.
    fn names_read_by_arguments() -> BTreeSet<String> {
        fn walk(command: &clap::Command, names: &mut BTreeSet<String>) {
            for arg in command.get_arguments() {
                if let Some(name) = arg.get_env() {
                    names.insert(name.to_string_lossy().into_owned());
                }
            }
            for sub in command.get_subcommands() {
                walk(sub, names);
            }
        }
        let mut names = BTreeSet::new();
        walk(&crate::cli::Cli::command(), &mut names);
        names
    }

    #[test]
    fn every_variable_an_argument_reads_is_listed() {
        let listed: BTreeSet<&str> = ALL.iter().copied().collect();
        let unlisted: Vec<String> = names_read_by_arguments()
            .into_iter()
            .filter(|name| !listed.contains(name.as_str()))
            .collect();
        assert!(unlisted.is_empty(), "not in cli/src/env.rs: {unlisted:?}");
        assert!(names_read_by_arguments().contains(PACT_BROKER_BASE_URL));
    }

    #[test]
    fn the_readme_documents_every_variable() {
        let readme = include_str!("../../README.md");
        let missing: Vec<&str> = ALL
            .iter()
            .copied()
            .filter(|name| !readme.contains(&format!("`{name}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "README's configuration table lacks {missing:?}"
        );
    }

    #[test]
    fn contracts_dir_name_agrees_with_the_consumer_crate() {
        assert_eq!(ACCORD_CONTRACTS_DIR, accord_consumer::CONTRACTS_DIR_VAR);
    }
}
