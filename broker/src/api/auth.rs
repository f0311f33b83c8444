//! Authentication and roles: HTTP basic and bearer tokens, read-write and read-only.
//!
//! With no credentials configured the broker is open. Otherwise reads need any valid
//! credential (or `public_read`), writes need a read-write one; the heartbeat is public.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use super::error::ApiError;
use crate::config::{AuthConfig, BrokerConfig, Credential};

/// Path that never needs credentials (load balancers poll it).
pub(crate) const HEARTBEAT_PATH: &str = "/diagnostic/status/heartbeat";

/// What the caller's `Authorization` header proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    ReadWrite,
    ReadOnly,
    Anonymous,
    BadCredentials,
}

/// The middleware: answers 401/403 or passes the request on.
pub(crate) async fn authorise(
    State(config): State<Arc<BrokerConfig>>,
    request: Request,
    next: Next,
) -> Response {
    let header = request.headers().get(axum::http::header::AUTHORIZATION);
    match decide(&config.auth, request.method(), request.uri().path(), header) {
        Ok(()) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

/// POSTs whose body is a question: they write nothing, so read-only callers may send them.
const QUESTION_POSTS: &[&str] = &["/deployment-plan"];

fn decide(
    auth: &AuthConfig,
    method: &Method,
    path: &str,
    header: Option<&HeaderValue>,
) -> Result<(), ApiError> {
    if !auth.enabled() || path == HEARTBEAT_PATH {
        return Ok(());
    }
    let caller = identify(auth, header);
    let read = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
        || (*method == Method::POST && QUESTION_POSTS.contains(&path));
    match (caller, read) {
        (Caller::ReadWrite, _) | (Caller::ReadOnly, true) => Ok(()),
        (Caller::Anonymous, true) if auth.public_read => Ok(()),
        (Caller::ReadOnly, false) => Err(ApiError::Forbidden),
        _ => Err(ApiError::Unauthorized),
    }
}

fn identify(auth: &AuthConfig, header: Option<&HeaderValue>) -> Caller {
    let Some(header) = header else {
        return Caller::Anonymous;
    };
    let Ok(header) = header.to_str() else {
        return Caller::BadCredentials;
    };
    let (scheme, value) = header.trim().split_once(' ').unwrap_or((header, ""));
    let presented = if scheme.eq_ignore_ascii_case("basic") {
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(value.trim()) else {
            return Caller::BadCredentials;
        };
        let Ok(decoded) = String::from_utf8(decoded) else {
            return Caller::BadCredentials;
        };
        let Some((username, password)) = decoded.split_once(':') else {
            return Caller::BadCredentials;
        };
        Credential::Basic {
            username: username.to_owned(),
            password: password.to_owned(),
        }
    } else if scheme.eq_ignore_ascii_case("bearer") {
        Credential::Token(value.trim().to_owned())
    } else {
        return Caller::BadCredentials;
    };
    if auth.read_write.iter().any(|c| same(c, &presented)) {
        Caller::ReadWrite
    } else if auth.read_only.iter().any(|c| same(c, &presented)) {
        Caller::ReadOnly
    } else {
        Caller::BadCredentials
    }
}

/// Compares digests, so the time taken does not depend on how much of a secret matched.
fn same(configured: &Credential, presented: &Credential) -> bool {
    fn digest(c: &Credential) -> [u8; 32] {
        let mut hasher = Sha256::new();
        match c {
            Credential::Basic { username, password } => {
                hasher.update(b"basic\0");
                hasher.update(username.as_bytes());
                hasher.update(b"\0");
                hasher.update(password.as_bytes());
            }
            Credential::Token(token) => {
                hasher.update(b"token\0");
                hasher.update(token.as_bytes());
            }
        }
        hasher.finalize().into()
    }
    digest(configured) == digest(presented)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(public_read: bool) -> AuthConfig {
        AuthConfig {
            read_write: vec![
                Credential::Basic {
                    username: "rw".into(),
                    password: "pw".into(),
                },
                Credential::Token("rw-token".into()),
            ],
            read_only: vec![
                Credential::Basic {
                    username: "ro".into(),
                    password: "pr".into(),
                },
                Credential::Token("ro-token".into()),
            ],
            public_read,
        }
    }

    fn basic(user: &str, pass: &str) -> HeaderValue {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        HeaderValue::from_str(&format!("Basic {encoded}")).unwrap()
    }

    fn status(auth: &AuthConfig, method: Method, header: Option<HeaderValue>) -> u16 {
        match decide(auth, &method, "/pacticipants", header.as_ref()) {
            Ok(()) => 200,
            Err(e) => e.status().as_u16(),
        }
    }

    #[test]
    fn open_without_credentials() {
        assert_eq!(status(&AuthConfig::default(), Method::POST, None), 200);
    }

    #[test]
    fn roles() {
        let auth = config(false);
        assert_eq!(status(&auth, Method::GET, None), 401);
        assert_eq!(status(&auth, Method::POST, None), 401);
        assert_eq!(status(&auth, Method::GET, Some(basic("ro", "pr"))), 200);
        assert_eq!(status(&auth, Method::PUT, Some(basic("ro", "pr"))), 403);
        assert_eq!(status(&auth, Method::DELETE, Some(basic("rw", "pw"))), 200);
        assert_eq!(
            status(&auth, Method::PATCH, Some(basic("rw", "wrong"))),
            401
        );
        assert_eq!(status(&auth, Method::GET, Some(basic("ro", "pw"))), 401);
        let bearer = |t: &str| Some(HeaderValue::from_str(&format!("Bearer {t}")).unwrap());
        assert_eq!(status(&auth, Method::POST, bearer("rw-token")), 200);
        assert_eq!(status(&auth, Method::POST, bearer("ro-token")), 403);
        assert!(
            decide(
                &auth,
                &Method::POST,
                "/deployment-plan",
                bearer("ro-token").as_ref()
            )
            .is_ok(),
            "planning only reads"
        );
        assert_eq!(status(&auth, Method::GET, bearer("ro-token")), 200);
        assert_eq!(status(&auth, Method::GET, bearer("nope")), 401);
        assert_eq!(
            status(
                &auth,
                Method::GET,
                Some(HeaderValue::from_static("Digest x"))
            ),
            401
        );
        assert_eq!(
            status(
                &auth,
                Method::GET,
                Some(HeaderValue::from_static("Basic !!!"))
            ),
            401
        );
    }

    #[test]
    fn public_read_and_heartbeat() {
        let auth = config(true);
        assert_eq!(status(&auth, Method::GET, None), 200);
        assert_eq!(status(&auth, Method::POST, None), 401);
        assert!(decide(&config(false), &Method::GET, HEARTBEAT_PATH, None).is_ok());
    }
}
