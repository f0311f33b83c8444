//! The broker's configuration, built by the CLI from flags and environment variables.
//! The library never reads the environment itself.

use std::fmt;

/// Everything the HTTP layer needs to know besides the store.
#[derive(Debug, Clone)]
pub struct BrokerConfig {
    /// Base URL for links (no trailing slash). `None`: taken from each request's `Host` header.
    pub public_url: Option<String>,
    /// Whether a consumer version's published contract may be replaced by different content.
    pub allow_contract_modification: bool,
    /// Who may read and write.
    pub auth: AuthConfig,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
}

impl Default for BrokerConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            allow_contract_modification: false,
            auth: AuthConfig::default(),
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }
}

/// 5 MiB: far more than any real contract.
pub const DEFAULT_BODY_LIMIT: usize = 5 * 1024 * 1024;

/// Credentials and roles. With no credentials at all, everyone may read and write.
#[derive(Debug, Clone, Default)]
pub struct AuthConfig {
    /// Credentials that may read and write.
    pub read_write: Vec<Credential>,
    /// Credentials that may only read.
    pub read_only: Vec<Credential>,
    /// Whether anonymous callers may read when credentials are configured.
    pub public_read: bool,
}

impl AuthConfig {
    /// Whether any credential is configured (otherwise the broker is open).
    pub fn enabled(&self) -> bool {
        !self.read_write.is_empty() || !self.read_only.is_empty()
    }
}

/// One accepted credential.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// HTTP basic authentication.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
    /// `Authorization: Bearer <token>`.
    Token(String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"***")
                .finish(),
            Self::Token(_) => f.write_str("Token(***)"),
        }
    }
}

/// A database URL whose `Debug`/`Display` hide the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// Wraps a URL (`sqlite://PATH`, `postgres://...`) or a plain file path (SQLite).
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The URL with its password.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it names a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://") || self.0.starts_with("postgresql://")
    }

    fn redacted(&self) -> String {
        match url::Url::parse(&self.0) {
            Ok(mut url) if url.password().is_some() => {
                // Cannot fail: the URL has a password, so it has an authority.
                let _ = url.set_password(Some("***"));
                url.to_string()
            }
            _ => self.0.clone(),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let url = DatabaseUrl::new("postgres://user:secret@db:5432/broker");
        assert!(!format!("{url:?} {url}").contains("secret"));
        assert!(url.is_postgres());
        let cred = Credential::Basic {
            username: "u".into(),
            password: "secret".into(),
        };
        assert!(!format!("{cred:?}").contains("secret"));
        assert!(!format!("{:?}", Credential::Token("secret".into())).contains("secret"));
    }

    #[test]
    fn sqlite_paths_are_not_postgres() {
        assert!(!DatabaseUrl::new("sqlite://a.db").is_postgres());
        assert!(!DatabaseUrl::new("accord.db").is_postgres());
    }
}
